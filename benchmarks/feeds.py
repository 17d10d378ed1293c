"""What related headlines cost a digest (a benchmark, not a test).

    python -m benchmarks.feeds [--headlines 5000] [--repeat 200] [--busy]

Two numbers from issues 10 and 29's targets:

* **Feed matching**: a server's feeds holding ``--headlines`` real headlines (CNN highlights,
  encoded once, untimed, spread over 20 feeds of 250), and ``FeedIndex.with_feeds`` for real
  digests' story vectors (the same-story judge on the headlines whose cosine could pass, all
  feeds in one call; ``FeedIndex.candidates``, the part on the event loop): p50/p95/max ms.
  Target: under 5 ms for 5,000 headlines. Then the pair reader on the candidates found
  (``headlines.confirmed``, in a thread in the bot: up to ``Stacked.read`` a use). Beside it, in
  the same run on the same digests, the same feeds with every other feed's items described
  (each headline's description the next highlight, judged by the ``feed_described`` model),
  and the matching as it was before (``as_before``: the judge
  called feed by feed, each candidate's text features read pair by pair), which must find the
  same headlines.
* **Page links**: ``rank_related`` (candidates filtered, judged, the few within reach encoded,
  scored by the link model) on the digests of the labelled pages of ``related-dev.jsonl`` and
  ``related-postlight.jsonl`` (about 30 link headlines a page): p50/p95/max ms. Target: under
  25 ms p95 added to a digest, on one core.

``--busy`` measures again with one core held by a busy loop.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import statistics
import time
from pathlib import Path

import numpy as np

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
from summariser.headlines import confirmed
from summariser.models import FeedItem
from summariser.related import rank_related
from summariser.story import (
    FEATURES,
    MAX_JUDGED,
    VECTOR_FEATURES,
    Terms,
    judge,
    pair_features,
    story_text,
)

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


def feed_items(start: int, titles: list[str], vectors: np.ndarray,
               descriptions: list[str] | None = None) -> list[FeedHeadline]:
    """One feed's items: ``titles`` (rows from ``start`` on) with their ``vectors``, and their
    ``descriptions`` where given."""
    told = descriptions or [None] * len(titles)
    return [FeedHeadline(FeedItem(t, f"https://x.example/{start + k}", "X", None, d), v.tobytes())
            for k, (t, v, d) in enumerate(zip(titles, vectors, told, strict=True))]


def as_before(feeds: list[tuple[np.ndarray, np.ndarray, list[Terms], list[str]]],
             vector: np.ndarray, text: str, limit: int) -> list[str]:
    """The matching before it was batched (for comparison): for each feed (its vectors, hubs,
    the ``Terms`` of its headlines, their links), the judge's vector features, the best
    ``MAX_JUDGED`` within reach, and their text features pair by pair; the links of the best
    ``limit``."""
    judged = judge()
    threshold = judged.thresholds["feed"]
    scored: list[tuple[float, str]] = []
    for vectors, hubs, terms, links in feeds:
        cosine = vectors @ vector
        article_hub = float(judged.hub(vector[None])[0])
        rows = np.column_stack([cosine, np.full(len(cosine), article_hub), hubs])
        reach = np.flatnonzero(judged.reach(rows, threshold, "feed"))
        full = np.zeros((len(reach), len(FEATURES)))
        full[:, :VECTOR_FEATURES] = rows[reach]
        near = sorted(int(reach[i]) for i in
                      np.argsort(-judged.logit(full, "feed"), kind="stable")[:MAX_JUDGED])
        if not near:
            continue
        article = Terms.of(text)
        words = np.array([pair_features(terms[k], article) for k in near])
        probability = judged.probability(np.column_stack([rows[near], words]), "feed")
        found = sorted(((float(p), links[k]) for p, k in zip(probability, near, strict=True)
                        if p >= threshold), key=lambda pair: -pair[0])
        scored += found
    scored.sort(key=lambda pair: -pair[0])
    return list(dict.fromkeys(link for _, link in scored))[:limit]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--headlines", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--busy", action="store_true")
    args = parser.parse_args(argv)
    digester = Digester(SummariserSettings())
    digester.warm_up()

    titles = headlines(args.headlines + 1)
    titles, following = titles[:-1], titles[1:]  # a headline's description: the next one
    vectors = digester.encode(titles)
    index, described = FeedIndex(), FeedIndex()
    per_feed = 250
    for start in range(0, len(titles), per_feed):
        url = f"https://feeds.example/{start // per_feed}.xml"
        rows = slice(start, start + per_feed)
        index.follow(1, url)
        asyncio.run(index.replace(url, feed_items(start, titles[rows], vectors[rows])))
        # every other feed's items with a description, as most RSS items have
        told = following[rows] if start // per_feed % 2 else None
        told_vectors = digester.encode([story_text(t, d) for t, d in zip(
            titles[rows], told, strict=True)]) if told else vectors[rows]
        described.follow(1, url)
        asyncio.run(described.replace(url, feed_items(start, titles[rows], told_vectors, told)))
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

    feeds = []
    for start in range(0, len(titles), per_feed):
        block = vectors[start:start + per_feed]
        feeds.append((block, judge().hub(block),
                      [Terms.of(t) for t in titles[start:start + per_feed]],
                      [f"https://x.example/{start + k}" for k in range(len(block))]))
    feeds = [feeds[int(url.rsplit("/", 1)[1].split(".")[0])]
             for url in index._servers[1]]  # in the order the index reads them

    threshold = judge().thresholds["feed"]
    for busy in (False, True) if args.busy else (False,):
        with one_core_busy(busy):
            match, told, read, before, same = [], [], [], [], 0
            for k in range(args.repeat):
                digest, story = digests[k % len(digests)]
                vector = np.frombuffer(story.vector, dtype=np.float32)
                started = time.perf_counter()
                found = index.candidates(1, vector, story.text)
                match.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                told_found = described.candidates(1, vector, story.text)
                told.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                confirmed(story.text, [(p, h.title, use) for p, h, use in told_found])
                read.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                old = as_before(feeds, vector, story.text, 6)
                before.append((time.perf_counter() - started) * 1000)
                judged = [h.url for p, h, use in found if p >= threshold]  # the judge's alone
                same += list(dict.fromkeys(judged))[:6] == old
            related = []
            for article, document in documents:
                document.vectors(digester.encoder)  # the digest has these already
                started = time.perf_counter()
                rank_related(article.candidates, document, digester.encoder, article.url,
                             headlines=digester.headline_encoder)
                related.append((time.perf_counter() - started) * 1000)
        print("with one core busy:" if busy else "idle:")
        print(line(f"feed matching, {index.headlines(1):,} headlines", match))
        print(line("  half the feeds' items with a description", told))
        print(line("  the pair reader on those candidates (a thread)", read))
        print(line("  as before (per feed, pair by pair)", before))
        print(f"  the judge's own matches as before for {same} of {args.repeat} digests")
        print(line("page links (rank_related) per digest", related))
    mean = statistics.mean(len(article.candidates) for article, _ in documents)
    print(f"candidates per page: {mean:.1f} on average")


if __name__ == "__main__":
    main()
