"""How each text stage grows with its input, on hostile inputs (a benchmark, not a test).

    python -m benchmarks.growth [--small 10000] [--large 100000] [--hostile]

For every case in ``tests/hostile.py`` (the inputs the hostile-input issue measured, and more of
the same kind) prints the time one call takes at ``--small`` and ``--large`` characters and their
ratio. A linear stage shows about the size ratio (10x); a quadratic one about its square (100x).

``--hostile`` then runs the end-to-end target through the real Digester with the model loaded:
each hostile input at 200 KB, a 55,000-word article, a link whose server trickles its headers
and a link with a bad character set, each answered with a digest or a clear error (never
"internal"), and prints their total time against one normal digest.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile import CASES, growth  # noqa: E402
from page_server import PageServer  # noqa: E402

from benchmarks.speed import DEFAULT_DATA as DEV_DATA  # noqa: E402
from benchmarks.speed import load_articles  # noqa: E402


def print_growth(small: int, large: int) -> None:
    print(f"{'case':28} {'stage':18} {small // 1000:>6} KB {large // 1000:>7} KB  ratio")
    worst = 0.0
    for case in CASES:
        a, b = growth(case, small, large)
        worst = max(worst, b / a)
        print(f"{case.name:28} {case.stage:18} {a * 1000:7.2f} ms {b * 1000:8.2f} ms "
              f"{b / a:6.1f}x", flush=True)
    print(f"worst ratio {worst:.1f}x for a {large / small:.0f}x larger input")


def _answer(fn) -> str:
    from summariser.errors import DigestError

    try:
        digest = fn()
    except DigestError as exc:
        return f"{exc.kind}: {exc.reason}"
    except Exception as exc:  # the target: this never happens
        return f"INTERNAL {type(exc).__name__}: {exc}"
    return f"digest, {digest.words:,} words, {len(digest.summary)} sentences"


def run_hostile() -> None:
    import ipaddress

    from summariser.config import SummariserSettings
    from summariser.digest import Digester

    pages = PageServer()
    settings = SummariserSettings(allow_networks=(ipaddress.ip_network("127.0.0.1/32"),))
    digester = Digester(settings)
    digester.warm_up()
    article = (ROOT / "tests" / "data" / "bbc-style-paste.txt").read_text(encoding="utf-8")
    started = time.perf_counter()
    print("normal digest:", _answer(lambda: digester.from_text(article)))
    normal = time.perf_counter() - started

    long_article = "\n\n".join(load_articles(DEV_DATA, 200, max_words=5_000))
    long_article = " ".join(long_article.split(" ")[:55_000])
    trickle = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Pad: " + b"a" * 4000
               + b"\r\n\r\n<p>never</p>")
    trickled = pages.add("/trickle.html", raw=trickle, trickle=0.5)
    bad_codec = pages.add("/codec.html", "<p>hello</p>", content_type="text/html; charset=idna")
    jobs = [(f"{case.name} ({case.stage}), 200 KB", case.make(200_000)) for case in CASES]
    jobs.append(("a 55,000-word article", long_article))
    total = time.perf_counter()
    for name, text in jobs:
        if text.lstrip().startswith("<"):
            job = lambda text=text: digester.from_html(text)  # noqa: E731
        else:
            job = lambda text=text: digester.from_text(text)  # noqa: E731
        t = time.perf_counter()
        outcome = _answer(job)
        print(f"{name:52} {time.perf_counter() - t:6.2f} s  {outcome}", flush=True)
    for name, url in (("trickled headers link", trickled), ("charset=idna link", bad_codec)):
        t = time.perf_counter()
        outcome = _answer(lambda url=url: digester.from_url(url))
        print(f"{name:52} {time.perf_counter() - t:6.2f} s  {outcome}", flush=True)
    elapsed = time.perf_counter() - total
    print(f"all hostile inputs together: {elapsed:.1f} s, {elapsed - normal:.1f} s more than one "
          f"normal digest ({normal:.2f} s); target < 25 s more")
    pages.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--hostile", action="store_true", help="also run the end-to-end target")
    args = parser.parse_args(argv)
    print_growth(args.small, args.large)
    if args.hostile:
        run_hostile()


if __name__ == "__main__":
    main()
