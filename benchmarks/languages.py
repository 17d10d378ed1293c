"""Speed and memory of a non-English digest beside an English one, one core (a benchmark).

    OMP_NUM_THREADS=1 python -m benchmarks.languages [--words 700 900] [--limit 30]
        [--multilingual auto|off]

Digests, from pasted text, the articles of ``--words`` words (700-900 by default: "an 800-word
digest") of the English dev file (``summaries-dev.jsonl``) and of the French one
(``summaries-fr-dev.jsonl``), both beside the checkout, in one warm process with the default
settings: English goes through MiniLM, French (with the optional extra installed and
``SUMMARISER_MULTILINGUAL`` not ``off``) through the multilingual scorer. Each article is
digested three times and its best time kept; prints p50 and p95 ms per language and their
ratio, the process's RSS after warm-up (MiniLM, as a bot worker starts) and after the digests
(the multilingual encoder loaded with the first French article), and its peak. Run it again
with ``--multilingual off`` for the English-only path of the same French articles.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from dataclasses import replace
from pathlib import Path

from bot.health import percentile
from summariser.config import SummariserSettings
from summariser.digest import Digester

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"


def rss_mb() -> float:
    """The process's resident set size now, in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def articles(path: Path, low: int, high: int, limit: int) -> list[str]:
    """Up to ``limit`` articles of ``low`` to ``high`` words, in file order."""
    found = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line)["article"]
            if low <= len(text.split()) <= high:
                found.append(text)
            if len(found) >= limit:
                break
    return found


def timed(digester: Digester, texts: list[str]) -> tuple[list[float], set[str]]:
    """Best of three wall times (ms) per text, and the methods used."""
    times, methods = [], set()
    for text in texts:
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            digest = digester.from_text(text)
            best = min(best, (time.perf_counter() - started) * 1000)
        times.append(best)
        methods.add(f"{digest.lang}:{digest.method}")
    return times, methods


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, nargs=2, default=(700, 900))
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--multilingual", choices=("auto", "off"), default="auto")
    args = parser.parse_args()

    settings = replace(SummariserSettings.from_env(), multilingual=args.multilingual)
    digester = Digester(settings)
    started = time.perf_counter()
    digester.warm_up()
    warm = time.perf_counter() - started
    after_warm_up = rss_mb()
    low, high = args.words
    english = articles(SHARED / "summaries-dev.jsonl", low, high, args.limit)
    french = articles(SHARED / "summaries-fr-dev.jsonl", low, high, args.limit)
    rows = {}
    for name, texts in (("English", english), ("French", french)):
        times, methods = timed(digester, texts)
        rows[name] = (len(texts), statistics.median(times), percentile(times, 95), methods)
    print(f"multilingual={args.multilingual}, threads={settings.threads}, "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}; "
          f"articles of {low}-{high} words")
    print(f"warm-up {warm:.1f} s; RSS after warm-up {after_warm_up:.0f} MB, after the digests "
          f"{rss_mb():.0f} MB, peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"
          " MB")
    for name, (count, p50, p95, methods) in rows.items():
        print(f"{name:>8}: {count} articles, p50 {p50:.0f} ms, p95 {p95:.0f} ms "
              f"({', '.join(sorted(methods))})")
    print(f"French p50 / English p50: {rows['French'][1] / rows['English'][1]:.2f}")


if __name__ == "__main__":
    main()
