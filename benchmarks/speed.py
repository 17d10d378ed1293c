"""Speed and memory of the digest pipeline on real articles (a benchmark, not a test).

    python -m benchmarks.speed [DATA.jsonl] [--limit 60] [--methods minilm,lead3]

DATA is JSON Lines with an ``article`` field (the schema of the CNN dev file); by default the
shared dev file beside the checkout. Articles of 300-1500 words are used. Each method runs in a
fresh process of its own, so its figures are its own: load time (imports, encoder and the
method's model, cold), p50/p95 ms per article (warm, the full pipeline from pasted text), p50
for the articles of 700-900 words, and the process's peak RSS. Abstractive methods (``seq2seq``,
``llm``) are slow on a CPU: give them a smaller ``--limit``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "summaries-dev.jsonl"


def load_articles(path: Path, limit: int, max_words: int = 1500) -> list[str]:
    """Up to ``limit`` articles of 300 to ``max_words`` words, in file order."""
    articles = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line)["article"]
            if 300 <= len(text.split()) <= max_words:
                articles.append(text)
            if len(articles) >= limit:
                break
    return articles


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(method: str, data: Path, limit: int) -> dict:
    """Run in a fresh process: everything this method costs, from a cold start."""
    started = time.perf_counter()
    from summariser.config import SummariserSettings
    from summariser.digest import Digester

    digester = Digester(SummariserSettings())
    digester.warm_up(method)
    load_s = time.perf_counter() - started
    articles = load_articles(data, limit)
    digester.from_text(articles[0], method=method)  # warm caches
    times, mid, methods = [], [], set()
    for text in articles:
        t0 = time.perf_counter()
        digest = digester.from_text(text, method=method)
        ms = (time.perf_counter() - t0) * 1000
        methods.add(digest.method)
        times.append(ms)
        if 700 <= len(text.split()) <= 900:
            mid.append(ms)
    return {
        "method": method, "articles": len(articles), "load_s": round(load_s, 2),
        "p50_ms": round(percentile(times, 0.5)), "p95_ms": round(percentile(times, 0.95)),
        "p50_800_words_ms": round(statistics.median(mid)) if mid else None,
        "n_800_words": len(mid),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "digest_methods": sorted(methods),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--methods", default="minilm,lead3")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child process's single method
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.data, args.limit)))
        return
    print(f"data: {args.data} (articles of 300-1500 words, at most {args.limit})")
    print(f"{'method':>10} {'load s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p50@800w':>9} "
          f"{'peak RSS MB':>11}  ran as")
    for method in args.methods.split(","):
        child = subprocess.run(
            [sys.executable, "-m", "benchmarks.speed", str(args.data), "--limit",
             str(args.limit), "--one", method], capture_output=True, text=True)
        if child.returncode != 0:
            reason = (child.stderr.strip().splitlines() or ["failed"])[-1]
            print(f"{method:>10}  unavailable: {reason}")
            continue
        r = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"{method:>10} {r['load_s']:7.2f} {r['p50_ms']:7d} {r['p95_ms']:7d} "
              f"{r['p50_800_words_ms'] or 0:9d} {r['peak_rss_mb']:11d}  "
              f"{', '.join(r['digest_methods'])} (n={r['articles']})")


if __name__ == "__main__":
    main()
