"""What the content model adds to reading a pasted whole page (a benchmark, not a test).

    python -m benchmarks.content [PAGES_DIR ...] [--repeat 5]

Each page (a folder laid out as ``../shared/eval/pages-readability/``; by default that one and
``extraction-dev/`` beside the checkout) is pasted as a browser's select-all + copy gives it,
once, untimed. Then, best of ``--repeat`` runs each: the line rules alone (``read_lines``), and
the content model on their reading (features, both passes, the body). Prints p50/p95 ms of the
model's share over all pages and over pastes of 600 to 1,000 words, and the slowest page.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import time
from pathlib import Path

from summariser.content import load
from summariser.page_text import page_text
from summariser.paste import read_lines

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
            paste = page_text(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
            reading = read_lines(paste)
            rules = best_of(args.repeat, lambda paste=paste: read_lines(paste))
            added = best_of(args.repeat, lambda reading=reading: model.body(reading))
            rows.append((len(paste.split()), len(reading.lines), rules, added, path.name))
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


if __name__ == "__main__":
    main()
