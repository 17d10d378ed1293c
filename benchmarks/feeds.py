"""What related headlines cost a digest (a benchmark, not a test).

    python -m benchmarks.feeds [--headlines 5000] [--repeat 200] [--busy]

Two numbers from issues 10 and 29's targets:

* **Feed matching**: a server's feeds holding ``--headlines`` real headlines (CNN highlights,
  encoded once, untimed, spread over 20 feeds of 250), and ``FeedIndex.with_feeds`` for real
  digests' story vectors (the same-story judge on the headlines whose cosine could pass):
  p50/p95/max ms. Target: under 5 ms for 5,000 headlines.
* **Page links**: ``rank_related`` (candidates filtered, judged, the few within reach encoded,
  scored by the link model) on the digests of the labelled pages of ``related-dev.jsonl`` and
  ``related-postlight.jsonl`` (about 30 link headlines a page): p50/p95/max ms. Target: under
  25 ms p95 added to a digest, on one core.

``--busy`` holds one core with a busy loop meanwhile.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from pathlib import Path

from benchmarks.speed import one_core_busy
from bot.earlier import with_earlier
from bot.feeds import FeedIndex
from bot.health import percentile
from bot.models import FeedHeadline
from summariser.config import SummariserSettings
from summariser.digest import Digester
from summariser.document import Document
from summariser.errors import DigestError
from summariser.extract import extract_article
from summariser.models import FeedItem
from summariser.related import rank_related

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"


def line(label: str, times: list[float]) -> str:
    return (f"{label:<44} p50 {percentile(times, 50):6.2f} ms, p95 "
            f"{percentile(times, 95):6.2f} ms, max {max(times):6.2f} ms over {len(times)}")


def headlines(count: int) -> list[str]:
    """``count`` distinct real headline-length lines: CNN highlights, dev then train."""
    found: dict[str, None] = {}
    for path in (SHARED / "summaries-dev.jsonl", SHARED / "summaries-train.jsonl.gz"):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for row in handle:
                for highlight in json.loads(row)["highlights"]:
                    found.setdefault(highlight.strip(), None)
                    if len(found) >= count:
                        return list(found)
    return list(found)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--headlines", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--busy", action="store_true")
    args = parser.parse_args(argv)
    digester = Digester(SummariserSettings())
    digester.warm_up()

    titles = headlines(args.headlines)
    vectors = digester.encode(titles)
    index = FeedIndex()
    per_feed = 250
    for start in range(0, len(titles), per_feed):
        url = f"https://feeds.example/{start // per_feed}.xml"
        index.follow(1, url)
        index.replace(url, [FeedHeadline(FeedItem(t, f"https://x.example/{start + k}", "X"),
                                         v.tobytes())
                            for k, (t, v) in enumerate(zip(titles[start:start + per_feed],
                                                           vectors[start:start + per_feed],
                                                           strict=True))])
    pages = [(json.loads(row), folder) for labels, folder in (
        ("related-dev.jsonl", "extraction-dev"), ("related-postlight.jsonl", "pages-postlight"))
        for row in (SHARED / labels).read_text().splitlines()]
    digests, documents = [], []
    for page, folder in pages:
        path = SHARED / folder / "html" / f"{page['id']}.html.gz"
        if not path.is_file():
            continue
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        try:
            article = extract_article(html, page.get("url"))
            digest = digester.from_article(article)
        except DigestError:
            continue
        digests.append(with_earlier(digester, digest, ()))
        documents.append((article, Document.of(article)))
    print(f"{index.headlines(1):,} feed headlines in 20 feeds; {len(digests)} page digests")

    with one_core_busy(args.busy):
        match = []
        for k in range(args.repeat):
            digest, story = digests[k % len(digests)]
            started = time.perf_counter()
            index.with_feeds(1, digest, story)
            match.append((time.perf_counter() - started) * 1000)
        related = []
        for article, document in documents:
            document.vectors(digester.encoder)  # the digest has these already
            started = time.perf_counter()
            rank_related(article.candidates, document, digester.encoder, article.url,
                         headlines=digester.headline_encoder)
            related.append((time.perf_counter() - started) * 1000)
    print(line(f"feed matching, {index.headlines(1):,} headlines", match))
    print(line("page links (rank_related) per digest", related))
    mean = statistics.mean(len(article.candidates) for article, _ in documents)
    print(f"candidates per page: {mean:.1f} on average")


if __name__ == "__main__":
    main()
