"""Speed and memory of the digest pipeline on real articles (a benchmark, not a test).

    python -m benchmarks.speed [DATA.jsonl] [--limit 60] [--methods minilm,lead3]
                               [--backends onnx,onnx-int8,torch] [--busy]

DATA is JSON Lines with an ``article`` field (the schema of the CNN dev file); by default the
shared dev file beside the checkout. Articles of 300-1500 words are used. Each method and
encoder backend runs in a fresh process of its own, so its figures are its own: load time
(imports, encoder and the method's model, cold), the CLI's cold start to its first digest
(``python -m summariser`` on the bundled example, interpreter start included), p50/p95 ms per
article (warm, the full pipeline from pasted text), p50 for the articles of 700-900 words, one
60,000-word article, and the process's peak RSS. ``--busy`` runs everything a second time with
a busy-loop process holding one core, as on a shared server. Abstractive methods (``seq2seq``,
``llm``) are slow on a CPU: give them a smaller ``--limit``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bot.health import percentile

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


def long_article(data: Path, words: int = 59_900) -> str:
    """Distinct dev paragraphs, in file order, up to ``words`` words: a very long article."""
    parts, total = [], 0
    with data.open(encoding="utf-8") as handle:
        for line in handle:
            for paragraph in json.loads(line)["article"].split("\n"):
                size = len(paragraph.split())
                if total + size > words:
                    return "\n\n".join(parts)
                parts.append(paragraph)
                total += size
    return "\n\n".join(parts)


def measure(method: str, backend: str, data: Path, limit: int) -> dict:
    """Run in a fresh process: everything this method costs, from a cold start."""
    started = time.perf_counter()
    from summariser.config import SummariserSettings
    from summariser.digest import Digester

    digester = Digester(SummariserSettings(**backend_settings(backend)))
    digester.warm_up(method)
    load_s = time.perf_counter() - started
    articles = load_articles(data, limit)
    digester.from_text(articles[0], method=method)  # warm caches
    t0 = time.perf_counter()
    digester.from_text(long_article(data, digester.settings.max_words - 100), method=method)
    long_s = time.perf_counter() - t0
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
        "method": method, "backend": backend, "articles": len(articles),
        "load_s": round(load_s, 2), "long_s": round(long_s, 2),
        "p50_ms": round(percentile(times, 50)), "p95_ms": round(percentile(times, 95)),
        "p50_800_words_ms": round(statistics.median(mid)) if mid else None,
        "n_800_words": len(mid),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "digest_methods": sorted(methods),
        "torch_imported": "torch" in sys.modules,
    }


def backend_settings(backend: str) -> dict[str, str]:
    """``onnx`` (fp32), ``onnx-int8`` or ``torch`` as SummariserSettings fields."""
    name, _, quantize = backend.partition("-")
    return {"backend": name, "quantize": quantize or "fp32"}


def cli_cold_start(backend: str) -> float:
    """Seconds from starting ``python -m summariser`` on the bundled example to its exit."""
    example = Path(__file__).resolve().parents[1] / "examples" / "amnesty-navalny.txt"
    fields = backend_settings(backend)
    env = {**os.environ, "SUMMARISER_BACKEND": fields["backend"],
           "SUMMARISER_QUANTIZE": fields["quantize"], "HF_HUB_OFFLINE": "1"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "summariser", str(example)], env=env,
                   capture_output=True, check=True)
    return time.perf_counter() - started


@contextlib.contextmanager
def one_core_busy(on: bool):
    """A process spinning on one core for the duration, when ``on``."""
    if not on:
        yield
        return
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        yield
    finally:
        spinner.kill()
        spinner.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--methods", default="minilm,lead3")
    parser.add_argument("--backends", default="onnx,onnx-int8,torch")
    parser.add_argument("--busy", action="store_true",
                        help="run again with a busy-loop process holding one core")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child's method:backend
    args = parser.parse_args(argv)
    if args.one:
        method, backend = args.one.split(":")
        print(json.dumps(measure(method, backend, args.data, args.limit)))
        return
    print(f"data: {args.data} (articles of 300-1500 words, at most {args.limit})")
    print(f"{'machine':>9} {'backend':>9} {'method':>10} {'load s':>6} {'CLI s':>5} "
          f"{'p50 ms':>6} {'p95 ms':>6} {'p50@800w':>8} {'60k-word s':>10} {'RSS MB':>6}  "
          f"ran as")
    for busy in ([False, True] if args.busy else [False]):
        with one_core_busy(busy):
            for backend in args.backends.split(","):
                cli = cli_cold_start(backend)
                for method in args.methods.split(","):
                    child = subprocess.run(
                        [sys.executable, "-m", "benchmarks.speed", str(args.data), "--limit",
                         str(args.limit), "--one", f"{method}:{backend}"],
                        capture_output=True, text=True)
                    machine = "1 busy" if busy else "idle"
                    if child.returncode != 0:
                        reason = (child.stderr.strip().splitlines() or ["failed"])[-1]
                        print(f"{machine:>9} {backend:>9} {method:>10}  unavailable: {reason}")
                        continue
                    r = json.loads(child.stdout.strip().splitlines()[-1])
                    torch_note = ", torch imported" if r["torch_imported"] else ", no torch"
                    print(f"{machine:>9} {backend:>9} {method:>10} {r['load_s']:6.2f} {cli:5.2f} "
                          f"{r['p50_ms']:6d} {r['p95_ms']:6d} {r['p50_800_words_ms'] or 0:8d} "
                          f"{r['long_s']:10.2f} {r['peak_rss_mb']:6d}  "
                          f"{', '.join(r['digest_methods'])} (n={r['articles']}{torch_note})",
                          flush=True)


if __name__ == "__main__":
    main()
