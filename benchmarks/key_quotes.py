"""Time the key quotes of an 800-word digest on one core (a benchmark, not a test).

    python -m benchmarks.key_quotes [LABELS.jsonl] [--pages DIR] [--cache DIR] [--words 800]

Each labelled page of ``key-quotes-dev.jsonl`` (its paragraphs as a posted link gives them,
``evaluate quotes --pages``) is cut to its first ``--words`` words (pages shorter than that are
left out) and ``key_quotes`` is timed on it: the best of ``--repeat`` calls per page, then p50
and p95 over the pages. Run it on a checkout before a change and after it, one core
(``OMP_NUM_THREADS=1``, ``taskset -c 0``), and compare: the added time is the difference.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from summariser.evaluate.files import read_jsonl
from summariser.evaluate.quotes import page_article
from summariser.quotes import key_quotes

DEFAULT_LABELS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "key-quotes-dev.jsonl"


def cut(paragraphs: list[str], words: int) -> list[str] | None:
    """The first paragraphs up to ``words`` words (the last one cut), or None if shorter."""
    kept: list[str] = []
    total = 0
    for paragraph in paragraphs:
        tokens = paragraph.split()
        if total + len(tokens) >= words:
            kept.append(" ".join(tokens[: words - total]))
            return kept
        kept.append(paragraph)
        total += len(tokens)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", type=Path, nargs="?", default=DEFAULT_LABELS)
    parser.add_argument("--pages", type=Path, default=None,
                        help="the folder of the page sets (default: the labels' folder)")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--words", type=int, default=800)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    pages = args.pages or args.labels.parent
    times = []
    for item in read_jsonl(args.labels):
        title, paragraphs = page_article(item, pages, args.cache)
        article = cut(paragraphs, args.words)
        if article is None:
            continue
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            key_quotes(article, title=title)
            best = min(best, time.perf_counter() - started)
        times.append(best * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"key_quotes on {len(times)} pages cut to {args.words} words: p50 "
          f"{statistics.median(times):.2f} ms, p95 {p95:.2f} ms, max {times[-1]:.2f} ms")


if __name__ == "__main__":
    main()
