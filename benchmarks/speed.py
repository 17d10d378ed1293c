"""Speed and memory of the digest pipeline on real articles (a benchmark, not a test).

    python -m benchmarks.speed [DATA.jsonl] [--limit 60] [--methods minilm,lead3]

DATA is JSON Lines with an ``article`` field (the schema of the CNN dev file); by default the
shared dev file beside the checkout. Articles of 300-1500 words are used. Prints, per method in
the same run: model load time, p50/p95 ms per article (warm, full pipeline from pasted text),
p50 for the articles of 700-900 words, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "summaries-dev.jsonl"


def load_articles(path: Path, limit: int) -> list[str]:
    articles = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line)["article"]
            if 300 <= len(text.split()) <= 1500:
                articles.append(text)
            if len(articles) >= limit:
                break
    return articles


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--methods", default="minilm,lead3")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from summariser.config import SummariserSettings
    from summariser.digest import Digester

    digester = Digester(SummariserSettings())
    digester.warm_up()
    load_s = time.perf_counter() - started
    articles = load_articles(args.data, args.limit)
    print(f"articles: {len(articles)} of 300-1500 words from {args.data.name}")
    print(f"model load (imports + weights, cold process): {load_s:.2f} s")
    digester.from_text(articles[0])  # warm caches
    for method in args.methods.split(","):
        times, mid = [], []
        for text in articles:
            t0 = time.perf_counter()
            digester.from_text(text, method=method)
            ms = (time.perf_counter() - t0) * 1000
            times.append(ms)
            if 700 <= len(text.split()) <= 900:
                mid.append(ms)
        print(f"{method:>8}: p50 {percentile(times, 0.5):6.0f} ms  p95 {percentile(times, 0.95):6.0f} ms"
              f"  p50 at 700-900 words {statistics.median(mid) if mid else float('nan'):6.0f} ms"
              f" (n={len(mid)})")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
