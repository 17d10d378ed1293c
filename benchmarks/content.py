"""What the content model adds to reading a pasted whole page (a benchmark, not a test).

    python -m benchmarks.content [PAGES_DIR ...] [--repeat 5]

Each page (a folder laid out as ``../shared/eval/pages-readability/``; by default that one and
``extraction-dev/`` beside the checkout) is pasted as a browser's select-all + copy gives it,
once, untimed. Then, best of ``--repeat`` runs each: the line rules alone (``read_lines``), and
the content model on their reading (features, both passes, the body), and the title picker
on the body it chose. Prints p50/p95 ms of the model's share over all pages and over pastes of
600 to 1,000 words, the slowest page, and the title picker's share. Last,
the same pages as HTML through ``extract_article`` (trafilatura's plain reading, the page laid
out and read by the content model, which scores its paragraphs; the headline; the links), best
of ``--repeat``.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import statistics
import time
from pathlib import Path

from summariser.content import load
from summariser.errors import DigestError
from summariser.extract import extract_article
from summariser.page_text import page_text
from summariser.paste import read_lines
from summariser.title import pick_title

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"


def best_of(repeat: int, work) -> float:
    """The fastest of ``repeat`` runs of ``work()``, in ms."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path, nargs="*",
                        default=[SHARED / "pages-readability", SHARED / "extraction-dev"])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    model = load()
    rows = []
    for directory in args.pages:
        for path in sorted((directory / "html").glob("*.html.gz")):
            html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
            paste = page_text(html)
            reading = read_lines(paste)
            rules = best_of(args.repeat, lambda paste=paste: read_lines(paste))
            added = best_of(args.repeat, lambda reading=reading: model.body(reading))
            extract = best_of(args.repeat, lambda html=html: _extract(html))
            keep, scores = model.body(reading)
            title = best_of(args.repeat, lambda reading=reading, keep=keep, scores=scores:
                            pick_title(reading, keep, scores, None))
            rows.append((len(paste.split()), len(reading.lines), rules, added, path.name,
                         extract, title))
    if not rows:
        raise SystemExit("no pages found")

    def quantiles(values: list[float]) -> str:
        if len(values) < 2:
            return f"p50 {values[0]:.2f}" if values else "none"
        cuts = statistics.quantiles(values, n=20, method="inclusive")
        return f"p50 {statistics.median(values):6.2f}  p95 {cuts[18]:6.2f}"

    sized = [r for r in rows if 600 <= r[0] <= 1000]
    print(f"{len(rows)} pasted pages, median {statistics.median(r[0] for r in rows):.0f} words "
          f"and {statistics.median(r[1] for r in rows):.0f} lines")
    print(f"line rules, all pages:           {quantiles([r[2] for r in rows])} ms")
    print(f"content model added, all pages:  {quantiles([r[3] for r in rows])} ms")
    print(f"content model added, 600-1,000 words ({len(sized)} pages): "
          f"{quantiles([r[3] for r in sized])} ms")
    slowest = max(rows, key=lambda r: r[3])
    print(f"slowest: {slowest[4]} ({slowest[0]:,} words, {slowest[1]:,} lines): "
          f"{slowest[3]:.2f} ms")
    print(f"title picker, all pages:         {quantiles([r[6] for r in rows])} ms")
    print(f"HTML extraction (extract_article), all pages: {quantiles([r[5] for r in rows])} ms")


def _extract(html: str) -> None:
    with contextlib.suppress(DigestError):  # finding that a page is no article counts too
        extract_article(html)


if __name__ == "__main__":
    main()
