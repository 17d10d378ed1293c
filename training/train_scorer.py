"""Train the learned sentence scorer (summariser/scorer.py). One command, deterministic:

    python training/train_scorer.py TRAIN.jsonl.gz --dev DEV.jsonl [--cache DIR] [--folds 5]

TRAIN is the CNN/DailyMail training file (``id``, ``article``, ``highlights``; most rows
lowercased and PTB-tokenised, which the uncased MiniLM does not mind). All its articles are
used unless ``--articles N`` (one shuffle with the seed, then the first N). Labels are greedy
ROUGE oracles: sentences are added one at a time while they raise ROUGE-1 + ROUGE-2 F1 against
the joined highlights (at most 3). Features are exactly those the product computes
(``summariser.scorer.sentence_features``). Three two-layer perceptrons are trained with torch
(seeds 13, 14, 15; one thread) with a listwise loss (``train``) and averaged, then the MMR
diversity is chosen on DEV by ROUGE-1 at 3 sentences with the product's coherent selection.
DEV is used for that choice only; nothing is trained on it. ``--folds K`` first reports ROUGE-1
at 3 sentences cross-validated over the training articles (grouped by article), pointwise and
listwise loss against Lead-3 in the same run. Writes ``summariser/data/scorer.npz``.

Sentence embeddings dominate the run time (about 4 minutes per 1,000 articles on one core);
``--cache DIR`` keeps them, in chunks of 1,000 articles, between runs.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summariser.document import Document  # noqa: E402
from summariser.encoder import get_encoder  # noqa: E402
from summariser.evaluate.files import read_jsonl  # noqa: E402
from summariser.evaluate.summaries import article_document  # noqa: E402
from summariser.models import Sentence  # noqa: E402
from summariser.ranking import select_coherent  # noqa: E402
from summariser.scorer import WEIGHTS, Perceptron, sentence_features  # noqa: E402

MAX_TRAIN_CANDIDATES = 50
MIN_CANDIDATES = 4  # articles with fewer are left out of training and of the scores
ORACLE_SIZE = 3


def plain_document(texts: list[str]) -> Document:
    """A title-less document of these sentences, in this order."""
    return Document(tuple(Sentence(t, k, 0) for k, t in enumerate(texts)), None)


def tokenised_document(text: str) -> Document:
    """Sentences of a lowercased, PTB-tokenised article ("... said . the next ...")."""
    text = re.sub(r"^\(\s*cnn\s*\)\s*--\s*", "", text.strip())
    text = re.sub(r"^[a-z ,.'-]{0,40}\(\s*cnn\s*\)\s*--\s*", "", text)
    sentences, current = [], []
    tokens = text.split()
    for k, token in enumerate(tokens):
        current.append(token)
        nxt = tokens[k + 1] if k + 1 < len(tokens) else ""
        if token in {".", "!", "?"} and nxt not in {"''", '"', ")"} or (
            token in {"''", '"'} and current[-2:-1] and current[-2] in {".", "!", "?"}
        ):
            sentences.append(" ".join(current))
            current = []
    if current:
        sentences.append(" ".join(current))
    return plain_document(sentences)


def document_for(item: dict) -> Document:
    if item.get("source") == "cnndm-train-see2017":
        return tokenised_document(item["article"])
    return article_document(item["article"])


class Rouge:
    """ROUGE-1/2 F1 from token counts, with rouge-score's own tokenizer and stemmer."""

    def __init__(self) -> None:
        from rouge_score import tokenizers

        self._tokenizer = tokenizers.DefaultTokenizer(use_stemmer=True)

    def grams(self, text: str) -> tuple[Counter, Counter]:
        tokens = self._tokenizer.tokenize(text)
        return Counter(tokens), Counter(zip(tokens, tokens[1:], strict=False))

    @staticmethod
    def f1(candidate: Counter, reference: Counter) -> float:
        overlap = sum((candidate & reference).values())
        if not overlap:
            return 0.0
        p, r = overlap / sum(candidate.values()), overlap / sum(reference.values())
        return 2 * p * r / (p + r)

    def oracle(self, sentences: list[str], reference: str, size: int = ORACLE_SIZE) -> set[int]:
        ref1, ref2 = self.grams(reference)
        grams = [self.grams(s) for s in sentences]
        chosen: list[int] = []
        best = 0.0
        uni, bi = Counter(), Counter()
        while len(chosen) < size:
            top, top_score = None, best
            for i, (g1, g2) in enumerate(grams):
                if i in chosen:
                    continue
                score = self.f1(uni + g1, ref1) + self.f1(bi + g2, ref2)
                if score > top_score:
                    top, top_score = i, score
            if top is None:
                break
            chosen.append(top)
            best = top_score
            uni, bi = uni + grams[top][0], bi + grams[top][1]
        return set(chosen)


def embed_articles(items: list[dict], encoder, rouge: Rouge) -> dict[str, np.ndarray]:
    """What training needs from each article, computed once: its candidate sentences (at most
    MAX_TRAIN_CANDIDATES), their MiniLM vectors, the greedy oracle and each sentence's own
    ROUGE-1 + ROUGE-2 F1 against the highlights. Articles with fewer than 4 candidates are
    left out. Arrays are flat over sentences; ``starts`` marks where each article begins."""
    texts: list[str] = []
    vectors, labels, gains, starts = [], [], [], []
    started = time.perf_counter()
    for number, item in enumerate(items):
        document = document_for(item)
        kept = [document.sentences[i].text for i in document.candidates()[:MAX_TRAIN_CANDIDATES]]
        if len(kept) < MIN_CANDIDATES:
            continue
        reference = "\n".join(item["highlights"])
        gold = rouge.oracle(kept, reference)
        ref1, ref2 = rouge.grams(reference)
        starts.append(len(texts))
        texts.extend(kept)
        vectors.append(encoder.encode(kept).astype(np.float16))
        labels.extend(1.0 if i in gold else 0.0 for i in range(len(kept)))
        for sentence in kept:
            g1, g2 = rouge.grams(sentence)
            gains.append(rouge.f1(g1, ref1) + rouge.f1(g2, ref2))
        if number % 250 == 0:
            print(f"  {number}/{len(items)} articles, {time.perf_counter() - started:.0f} s",
                  flush=True)
    return {
        "texts": np.array(texts, dtype=object), "vectors": np.concatenate(vectors),
        "labels": np.array(labels, np.float32), "gains": np.array(gains, np.float32),
        "starts": np.array(starts, np.int64),
    }


def cached_embeddings(items: list[dict], encoder, rouge: Rouge, cache: Path | None,
                      chunk: int = 1000) -> dict[str, np.ndarray]:
    """``embed_articles`` over ``items`` in chunks, each kept in ``cache`` (a folder) once made,
    so an interrupted run resumes; the chunks joined. A chunk's file names how many articles
    it holds, so a shorter last chunk is never mistaken for a full one."""
    parts = []
    for begin in range(0, len(items), chunk):
        batch = items[begin : begin + chunk]
        path = cache / f"chunk-{begin // chunk:03d}-{len(batch)}.npz" if cache else None
        if path and path.exists():
            with np.load(path, allow_pickle=True) as data:
                parts.append({key: data[key] for key in data.files})
            continue
        print(f"embedding articles {begin}-{begin + len(batch)}", flush=True)
        part = embed_articles(batch, encoder, rouge)
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".partial.npz")
            np.savez(partial, **part)
            partial.replace(path)  # whole or absent: an interrupted run leaves no broken chunk
        parts.append(part)
    offsets = np.cumsum([0] + [len(p["texts"]) for p in parts[:-1]])
    joined = {key: np.concatenate([p[key] for p in parts])
              for key in ("texts", "vectors", "labels", "gains")}
    joined["starts"] = np.concatenate(
        [p["starts"] + offset for p, offset in zip(parts, offsets, strict=True)])
    return joined


def kept_highlights(items: list[dict]) -> list[str]:
    """The joined highlights of the articles ``embed_articles`` keeps, in its order."""
    return ["\n".join(item["highlights"]) for item in items
            if len(document_for(item).candidates()) >= MIN_CANDIDATES]


def article_features(data: dict[str, np.ndarray]) -> np.ndarray:
    """``sentence_features`` for every cached article, rows in the cache's order."""
    bounds = [*data["starts"], len(data["texts"])]
    rows = []
    for begin, end in itertools.pairwise(bounds):
        texts = data["texts"][begin:end]
        document = plain_document(list(texts))
        rows.append(sentence_features(document, data["vectors"][begin:end].astype(np.float32)))
    return np.concatenate(rows)


def train(x: np.ndarray, y: np.ndarray, starts: np.ndarray, seed: int, hidden: int, epochs: int,
          loss: str) -> dict[str, np.ndarray]:
    """One two-layer perceptron. ``loss``: "pointwise" is binary cross-entropy on each sentence
    against the oracle; "listwise" adds, per article, the cross-entropy of the softmax over
    its sentences against the oracle spread evenly over its picks (ListNet with a top-k
    target), so what is learned is which sentence beats the others in the same article."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    mean = x.mean(axis=0)
    spread = x.std(axis=0)
    scale = np.where(spread > 1e-3, spread, 1.0)  # a constant column must not blow up later
    data = torch.from_numpy(((x - mean) / scale).astype(np.float32))
    target = torch.from_numpy(y)
    bounds = np.append(starts, len(y))
    lengths = np.diff(bounds)
    model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(),
                                torch.nn.Dropout(0.2), torch.nn.Linear(hidden, 1))
    optimiser = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-3)
    bce = torch.nn.BCEWithLogitsLoss()
    generator = torch.Generator().manual_seed(seed)
    articles_per_batch = 16  # about 500 sentences, as the earlier 512-sentence batches
    width = int(lengths.max())
    for epoch in range(epochs):
        order = torch.randperm(len(starts), generator=generator).numpy()
        total = 0.0
        for begin in range(0, len(order), articles_per_batch):
            batch = order[begin : begin + articles_per_batch]
            rows = np.concatenate([np.arange(bounds[a], bounds[a + 1]) for a in batch])
            logits = model(data[rows]).squeeze(-1)
            value = bce(logits, target[rows])
            if loss == "listwise":
                # rows of the batch laid out one article per line, padded with -inf
                line = np.repeat(np.arange(len(batch)), lengths[batch])
                column = np.concatenate([np.arange(n) for n in lengths[batch]])
                padded = torch.full((len(batch), width), -torch.inf)
                padded[line, column] = logits
                gold = torch.zeros((len(batch), width))
                gold[line, column] = target[rows]
                picked = gold.sum(dim=1)
                keep = picked > 0
                spread_target = gold[keep] / picked[keep, None]
                log_p = torch.log_softmax(padded[keep], dim=1)
                value = value + -(spread_target * log_p.nan_to_num(neginf=0.0)).sum(dim=1).mean()
            optimiser.zero_grad()
            value.backward()
            optimiser.step()
            total += float(value.detach()) * len(batch)
        print(f"  epoch {epoch + 1}: loss {total / len(starts):.4f}", flush=True)
    model.eval()
    first, last = model[0], model[3]
    return {
        "mean": mean.astype(np.float32), "scale": scale.astype(np.float32),
        "w1": first.weight.detach().numpy().T.copy(), "b1": first.bias.detach().numpy().copy(),
        "w2": last.weight.detach().numpy().T.copy(), "b2": last.bias.detach().numpy().copy(),
    }


def train_ensemble(x: np.ndarray, y: np.ndarray, starts: np.ndarray, seed: int, hidden: int,
                   epochs: int, members: int, loss: str) -> dict[str, np.ndarray]:
    """``members`` perceptrons trained with seeds seed, seed+1, ...; weights stacked."""
    runs = [train(x, y, starts, seed + k, hidden, epochs, loss) for k in range(members)]
    stacked = {key: np.stack([run[key] for run in runs]) for key in ("w1", "b1", "w2", "b2")}
    return {"mean": runs[0]["mean"], "scale": runs[0]["scale"], **stacked}


def perceptron(weights: dict[str, np.ndarray]) -> Perceptron:
    model = Perceptron.__new__(Perceptron)
    for key, value in weights.items():
        setattr(model, key, value)
    model.diversity = float(weights.get("diversity", 0.0))
    return model


def summary_rouge1(document: Document, vectors: np.ndarray, scores: np.ndarray,
                   reference: str, diversity: float, scorer, count: int = 3) -> float:
    """ROUGE-1 F1 of the product's selection (coherent MMR) at ``count`` sentences."""
    picks = select_coherent(document, scores, vectors @ vectors.T, count, diversity)
    summary = "\n".join(document.sentences[i].text for i in picks)
    return scorer.score(reference, summary)["rouge1"].fmeasure


def cross_validate(x: np.ndarray, data: dict[str, np.ndarray], references: list[str],
                   args: argparse.Namespace, losses: list[str]) -> None:
    """ROUGE-1 at 3 sentences on held-out training articles, ``args.folds`` folds grouped by
    article (no article is scored by a model that saw it), Lead-3 in the same run."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    y, starts = data["labels"], data["starts"]
    bounds = np.append(starts, len(y))
    articles = len(starts)
    fold_of = np.arange(articles) % args.folds
    totals: Counter = Counter()
    scored = 0
    for fold in range(args.folds):
        train_articles = np.flatnonzero(fold_of != fold)
        test_articles = np.flatnonzero(fold_of == fold)[: args.cv_articles]
        rows = np.concatenate([np.arange(bounds[a], bounds[a + 1]) for a in train_articles])
        new_starts = np.cumsum([0] + [bounds[a + 1] - bounds[a] for a in train_articles[:-1]])
        models = {loss: perceptron(train_ensemble(x[rows], y[rows], new_starts, args.seed,
                                                  args.hidden, args.epochs, 1, loss))
                  for loss in losses}
        for a in test_articles:
            begin, end = bounds[a], bounds[a + 1]
            texts = data["texts"][begin:end]
            document = plain_document(list(texts))
            vectors = data["vectors"][begin:end].astype(np.float32)
            lead = "\n".join(texts[:3])
            totals["lead3"] += scorer.score(references[a], lead)["rouge1"].fmeasure
            for loss, model in models.items():
                for diversity in (0.0, 0.1, 0.2):
                    totals[f"{loss} d={diversity}"] += summary_rouge1(
                        document, vectors, model(x[begin:end]), references[a], diversity, scorer)
        scored += len(test_articles)
        print(f"  fold {fold + 1}/{args.folds}: " + ", ".join(
            f"{name} {100 * value / scored:.2f}" for name, value in totals.items()), flush=True)
    print(f"cross-validated ROUGE-1 at 3 sentences, {scored} held-out training articles:")
    for name, value in totals.items():
        print(f"  {name:>22}: {100 * value / scored:.2f}")


def choose_diversity(model: Perceptron, dev: Path, encoder, limit: int | None) -> float:
    """The MMR diversity with the best ROUGE-1 at 3 sentences on the dev file."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    prepared = []
    for item in read_jsonl(dev, limit):
        document = article_document(item["article"])
        if len(document.candidates()) < MIN_CANDIDATES:
            continue
        vectors, _ = document.embeddings(encoder)
        prepared.append((document, vectors, model(sentence_features(document, vectors)),
                         "\n".join(item["highlights"])))
    best, best_score = 0.0, -1.0
    for diversity in (0.0, 0.1, 0.2, 0.3, 0.4):
        total = sum(summary_rouge1(document, vectors, scores, reference, diversity, scorer)
                    for document, vectors, scores, reference in prepared)
        score = 100 * total / len(prepared)
        print(f"  diversity {diversity:.1f}: dev ROUGE-1 {score:.2f}", flush=True)
        if score > best_score:
            best, best_score = diversity, score
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("--dev", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=None, help="default: all")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--members", type=int, default=3, help="ensemble size (seeds)")
    parser.add_argument("--loss", choices=("pointwise", "listwise"), default="pointwise")
    parser.add_argument("--folds", type=int, default=0,
                        help="report cross-validated ROUGE over this many folds first")
    parser.add_argument("--cv-articles", type=int, default=600,
                        help="held-out articles scored per fold")
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder keeping the embedded articles between runs")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    args = parser.parse_args()

    random.seed(args.seed)
    np.random.seed(args.seed)
    encoder = get_encoder()
    items = list(read_jsonl(args.train))
    # One shuffle of them all, then a prefix: a smaller run reuses the whole chunks of a
    # larger one's cache.
    items = random.Random(args.seed).sample(items, len(items))[: args.articles]
    print(f"{len(items)} training articles", flush=True)
    data = cached_embeddings(items, encoder, Rouge(), args.cache)
    x = article_features(data)
    y, starts = data["labels"], data["starts"]
    print(f"{len(starts)} articles kept, {len(y)} sentences, {int(y.sum())} oracle positives",
          flush=True)
    if args.folds:
        references = kept_highlights(items)
        assert len(references) == len(starts), "the cache does not match these articles"
        cross_validate(x, data, references, args, ["pointwise", "listwise"])
    weights = train_ensemble(x, y, starts, args.seed, args.hidden, args.epochs, args.members,
                             args.loss)
    weights["diversity"] = np.float32(choose_diversity(perceptron(weights), args.dev, encoder,
                                                       None))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **weights)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB), "
          f"diversity {float(weights['diversity']):.1f}")


if __name__ == "__main__":
    main()
