"""Set the "Earlier in this server" and feed thresholds on ECB+ (summariser/headlines.py).

    python training/tune_story.py STORIES.jsonl [--precision 0.95] [--folds 5] [--headlines]

With ``--headlines`` the pairs are a feed's view: one document's story (as the bot stores it)
against another document's headline alone (what a feed item gives), for FEED_THRESHOLD.

STORIES is ``../shared/eval/stories-ecbplus.jsonl``: news documents in topics of two events each.
Every document is digested by the real pipeline (its lines as paragraphs, its headline as the
title where it has one) and fingerprinted as the bot does (``bot.earlier.with_earlier``). Every
pair of documents is then a question the bot asks: same event is the same story (a positive);
the same topic but the other event is a hard negative; another topic an easy one. A pair is
called the same story when ``headlines.same_story`` would match it: cosine similarity at the
threshold or above and a content word in common.

It prints precision and recall at the current threshold, then, by cross-validation grouped by
topic (no topic is scored at a threshold chosen on it), those of the lowest threshold whose
precision on the training topics reaches ``--precision``; then that threshold on all topics.
Deterministic; nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.earlier import with_earlier  # noqa: E402
from summariser.config import SummariserSettings  # noqa: E402
from summariser.digest import Digester  # noqa: E402
from summariser.errors import DigestError  # noqa: E402
from summariser.headlines import FEED_THRESHOLD, STORY_THRESHOLD  # noqa: E402
from summariser.models import Article  # noqa: E402
from summariser.words import content_words  # noqa: E402

GRID = np.round(np.arange(0.30, 0.951, 0.01), 2)


def fingerprints(path: Path, digester: Digester) -> list[dict]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        article = Article(paragraphs=tuple(p for p in doc["text"].splitlines() if p.strip()),
                          title=doc.get("headline"))
        try:
            digest = digester.from_article(article)
        except DigestError:  # too short to summarise: the bot stores no fingerprint either
            continue
        _, story = with_earlier(digester, digest, ())
        found.append({"topic": doc["topic"], "event": doc["event"],
                      "vector": np.frombuffer(story.vector, dtype=np.float32),
                      "words": content_words(story.text), "headline": doc.get("headline")})
    headlines = [d["headline"] for d in found if d["headline"]]
    vectors = iter(digester.encode(headlines)) if headlines else iter(())
    for d in found:  # what a feed gives: the headline alone
        d["headline_vector"] = next(vectors) if d["headline"] else None
        d["headline_words"] = content_words(d["headline"] or "")
    return found


def pairs(docs: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every pair: (similarity, shares a word, same story, same topic, topic of each side)."""
    vectors = np.stack([d["vector"] for d in docs])
    similarity = vectors @ vectors.T
    i, j = np.triu_indices(len(docs), k=1)
    shared = np.array([bool(docs[a]["words"] & docs[b]["words"]) for a, b in zip(i, j,
                                                                                 strict=True)])
    event = np.array([d["event"] for d in docs])
    topic = np.array([d["topic"] for d in docs])
    return similarity[i, j], shared, event[i] == event[j], topic[i] == topic[j], np.stack(
        [topic[i], topic[j]], axis=1)


def headline_pairs(docs: list[dict]
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every (story of one document, headline of another) pair, as a feed headline meets a
    digest: (similarity, shares a word, same story, same topic, topic of each side)."""
    titled = [k for k, d in enumerate(docs) if d["headline_vector"] is not None]
    stories = np.stack([d["vector"] for d in docs])
    heads = np.stack([docs[k]["headline_vector"] for k in titled])
    similarity = stories @ heads.T
    i, h = np.nonzero(np.ones_like(similarity, dtype=bool))
    j = np.array(titled)[h]
    keep = i != j
    i, h, j = i[keep], h[keep], j[keep]
    shared = np.array([bool(docs[a]["words"] & docs[b]["headline_words"])
                       for a, b in zip(i, j, strict=True)])
    event = np.array([d["event"] for d in docs])
    topic = np.array([d["topic"] for d in docs])
    return similarity[i, h], shared, event[i] == event[j], topic[i] == topic[j], np.stack(
        [topic[i], topic[j]], axis=1)


def scores(called: np.ndarray, positive: np.ndarray) -> tuple[float, float, int]:
    right = int((called & positive).sum())
    return right / max(int(called.sum()), 1), right / max(int(positive.sum()), 1), int(
        called.sum())


def lowest_precise(similarity, shared, positive, target: float) -> float:
    for threshold in GRID:
        called = (similarity >= threshold) & shared
        if called.any() and scores(called, positive)[0] >= target:
            return float(threshold)
    return float(GRID[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stories", type=Path)
    parser.add_argument("--precision", type=float, default=0.95)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--headlines", action="store_true",
                        help="a feed's headline against a digest's story (FEED_THRESHOLD), "
                             "not two digests' stories (STORY_THRESHOLD)")
    args = parser.parse_args()
    docs = fingerprints(args.stories, Digester(SummariserSettings.from_env()))
    similarity, shared, positive, same_topic, sides = (
        headline_pairs(docs) if args.headlines else pairs(docs))
    hard = same_topic & ~positive
    print(f"{len(docs)} documents digested; {len(similarity):,} pairs: {int(positive.sum()):,} "
          f"same story, {int(hard.sum()):,} same topic other story (hard), "
          f"{int((~same_topic).sum()):,} other topic")

    def report(label: str, threshold: float, mask: np.ndarray) -> None:
        called = (similarity >= threshold) & shared & mask
        precision, recall, n = scores(called, positive & mask)
        false_hard = int((called & hard).sum())
        print(f"{label:<34} threshold {threshold:.2f}: precision {precision:.3f}, recall "
              f"{recall:.3f} ({n:,} called same; {false_hard} of them same topic, other story)")

    everything = np.ones(len(similarity), dtype=bool)
    report("current", FEED_THRESHOLD if args.headlines else STORY_THRESHOLD, everything)
    topics = sorted({d["topic"] for d in docs})
    fold_of = {topic: k % args.folds for k, topic in enumerate(topics)}
    in_fold = np.array([[fold_of[int(t)] for t in row] for row in sides])
    called_total = np.zeros(len(similarity), dtype=bool)
    scored = np.zeros(len(similarity), dtype=bool)
    for fold in range(args.folds):
        train = (in_fold[:, 0] != fold) & (in_fold[:, 1] != fold)
        test = (in_fold[:, 0] == fold) & (in_fold[:, 1] == fold)
        threshold = lowest_precise(similarity[train], shared[train], positive[train],
                                   args.precision)
        called_total |= test & (similarity >= threshold) & shared
        scored |= test
        print(f"  fold {fold}: threshold {threshold:.2f} chosen on the other topics",
              file=sys.stderr)
    precision, recall, n = scores(called_total & scored, positive & scored)
    print(f"{'cross-validated by topic':<34} precision {precision:.3f}, recall {recall:.3f} "
          f"({n:,} called same; pairs within held-out folds)")
    report(f"chosen on all (precision >= {args.precision})",
           lowest_precise(similarity, shared, positive, args.precision), everything)


if __name__ == "__main__":
    main()
