"""Train the learned sentence scorer (summariser/scorer.py). One command, deterministic:

    python training/train_scorer.py TRAIN.jsonl.gz --dev DEV.jsonl [--articles 8000] [--seed 13]

TRAIN is the CNN/DailyMail training file (``id``, ``article``, ``highlights``; most rows
lowercased and PTB-tokenised, which the uncased MiniLM does not mind). Labels are greedy ROUGE
oracles: sentences are added one at a time while they raise ROUGE-1 + ROUGE-2 F1 against the
joined highlights (at most 3). Features are exactly those the product computes
(``summariser.scorer.sentence_features``). Three two-layer perceptrons are trained with torch
(seeds 13, 14, 15; one thread) and averaged, then the MMR diversity is chosen on DEV by ROUGE-1
at 3 sentences. DEV is
used for that choice only; nothing is trained on it. Writes ``summariser/data/scorer.npz``.

Sentence embeddings dominate the run time (about 20 minutes for 8,000 articles on 2 cores);
``--cache FILE.npz`` keeps them between runs.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summariser.encoder import get_encoder  # noqa: E402
from summariser.evaluate import article_document, read_jsonl  # noqa: E402
from summariser.models import Sentence  # noqa: E402
from summariser.scorer import WEIGHTS, sentence_features  # noqa: E402
from summariser.summarise import Document, mmr  # noqa: E402

MAX_TRAIN_CANDIDATES = 50
ORACLE_SIZE = 3


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
    return Document(tuple(Sentence(s, i, 0) for i, s in enumerate(sentences)), None)


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


def build_features(
    items: list[dict], encoder, rouge: Rouge
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    features, labels, groups = [], [], []
    started = time.perf_counter()
    for number, item in enumerate(items):
        document = document_for(item)
        candidates = document.candidates()[:MAX_TRAIN_CANDIDATES]
        if len(candidates) < 4:
            continue
        kept = [document.sentences[i] for i in candidates]
        document = Document(tuple(Sentence(s.text, k, 0) for k, s in enumerate(kept)), None)
        texts = [s.text for s in document.sentences]
        vectors = encoder.encode(texts)
        gold = rouge.oracle(texts, "\n".join(item["highlights"]))
        rows = sentence_features(document, vectors, None)
        features.append(rows.astype(np.float16))
        labels.append(np.array([1.0 if i in gold else 0.0 for i in range(len(texts))], np.float32))
        groups.append(np.full(len(texts), number, np.int32))
        if number % 250 == 0:
            print(f"  {number}/{len(items)} articles, {time.perf_counter() - started:.0f} s",
                  flush=True)
    return np.concatenate(features), np.concatenate(labels), np.concatenate(groups)


def train(
    x: np.ndarray, y: np.ndarray, seed: int, hidden: int, epochs: int
) -> dict[str, np.ndarray]:
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    data = torch.from_numpy(((x - mean) / scale).astype(np.float32))
    target = torch.from_numpy(y)
    model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(),
                                torch.nn.Dropout(0.2), torch.nn.Linear(hidden, 1))
    optimiser = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-3)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    generator = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        order = torch.randperm(len(data), generator=generator)
        total = 0.0
        for start in range(0, len(order), 512):
            batch = order[start : start + 512]
            optimiser.zero_grad()
            loss = loss_fn(model(data[batch]).squeeze(-1), target[batch])
            loss.backward()
            optimiser.step()
            total += float(loss.detach()) * len(batch)
        print(f"  epoch {epoch + 1}: loss {total / len(data):.4f}", flush=True)
    model.eval()
    first, last = model[0], model[3]
    return {
        "mean": mean.astype(np.float32), "scale": scale.astype(np.float32),
        "w1": first.weight.detach().numpy().T.copy(), "b1": first.bias.detach().numpy().copy(),
        "w2": last.weight.detach().numpy().T.copy(), "b2": last.bias.detach().numpy().copy(),
    }


def train_ensemble(x: np.ndarray, y: np.ndarray, seed: int, hidden: int, epochs: int,
                   members: int) -> dict[str, np.ndarray]:
    """``members`` perceptrons trained with seeds seed, seed+1, ...; weights stacked."""
    runs = [train(x, y, seed + k, hidden, epochs) for k in range(members)]
    stacked = {key: np.stack([run[key] for run in runs]) for key in ("w1", "b1", "w2", "b2")}
    return {"mean": runs[0]["mean"], "scale": runs[0]["scale"], **stacked}


def choose_diversity(weights: dict[str, np.ndarray], dev: Path, encoder, limit: int) -> float:
    """The MMR diversity with the best ROUGE-1 at 3 sentences on the dev file."""
    from rouge_score import rouge_scorer

    from summariser.scorer import Perceptron

    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    model = Perceptron.__new__(Perceptron)
    for key, value in weights.items():
        setattr(model, key, value)
    prepared = []
    for item in read_jsonl(dev, limit):
        document = article_document(item["article"])
        if len(document.candidates()) < 4:
            continue
        vectors, title = document.embeddings(encoder)
        probability = model(sentence_features(document, vectors, title))
        prepared.append((document, vectors, probability, "\n".join(item["highlights"])))
    best, best_score = 0.0, -1.0
    for diversity in (0.0, 0.1, 0.2, 0.3, 0.4):
        total = 0.0
        for document, vectors, probability, reference in prepared:
            candidates = document.candidates()
            similarity = vectors @ vectors.T
            picks = sorted(candidates[p] for p in mmr(probability, similarity, 3, diversity))
            summary = "\n".join(document.sentences[i].text for i in picks)
            total += scorer.score(reference, summary)["rouge1"].fmeasure
        score = 100 * total / len(prepared)
        print(f"  diversity {diversity:.1f}: dev ROUGE-1 {score:.2f}", flush=True)
        if score > best_score:
            best, best_score = diversity, score
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("--dev", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--members", type=int, default=3, help="ensemble size (seeds)")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    args = parser.parse_args()

    random.seed(args.seed)
    np.random.seed(args.seed)
    encoder = get_encoder()
    if args.cache and args.cache.exists():
        cached = np.load(args.cache)
        x, y = cached["x"].astype(np.float32), cached["y"]
        print(f"features from {args.cache}: {x.shape}")
    else:
        items = list(read_jsonl(args.train))
        items = random.Random(args.seed).sample(items, min(args.articles, len(items)))
        print(f"building features for {len(items)} training articles", flush=True)
        x16, y, groups = build_features(items, encoder, Rouge())
        if args.cache:
            np.savez_compressed(args.cache, x=x16, y=y, groups=groups)
        x = x16.astype(np.float32)
    print(f"{len(y)} sentences, {int(y.sum())} oracle positives", flush=True)
    weights = train_ensemble(x, y, args.seed, args.hidden, args.epochs, args.members)
    weights["diversity"] = np.float32(choose_diversity(weights, args.dev, encoder, None))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **weights)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB), "
          f"diversity {float(weights['diversity']):.1f}")


if __name__ == "__main__":
    main()
