"""Train the inter-sentence scorer (``summariser.scorer.ContextModel``). One command, deterministic:

    python training/train_context_scorer.py TRAIN.jsonl.gz [--articles N] [--cache DIR]
                                             [--folds K] [--stack] [--out FILE]

A small transformer encoder (BertSumExt's inter-sentence layers) reads an article's candidate
sentences as a sequence: each one's frozen MiniLM vector (the int8 copy, as the product encodes
by default) and the twelve hand features of ``summariser.scorer.sentence_features``, plus a
learned position, so every sentence is scored in the light of the others in its article. It is
trained with torch on one thread (seed 13) against the same greedy ROUGE oracles as the
perceptron (``training/train_scorer.py``, whose data code this reuses; a binary cross-entropy
per sentence plus a softmax over each article's sentences), and saved as plain numpy weights,
so the product runs it without torch. ``--stack`` gives it the committed perceptron's logit
(``summariser/data/scorer.npz``, trained on all 16,390 articles) as one more input, so a model
trained on fewer articles learns corrections to it from each sentence's context.

TRAIN is the CNN/DailyMail training file; the articles are shuffled once with the seed and the
first N taken (default: all), so a smaller run reuses a larger one's cache. ``--folds K`` first
cross-validates, grouped by article (no article is scored by a model trained on it): Lead-3,
the perceptron retrained on the same folds and vectors, the transformer alone and stacked on
the committed perceptron, and that perceptron itself (it was trained on these articles: its
figures, and so the stacked model's, are in-sample), each picking with
the product's coherent MMR at 3 sentences and at the adaptive length, ROUGE-1/2/L F1 and the
shares of summaries with an orphaned sentence or a bare quote; the MMR diversity is chosen
there (by ROUGE-1 at 3 sentences). Nothing here reads the dev file.

Encoding dominates the run time: the int8 encoder on one core of the project's machines takes
about 0.6 s an article; ``--cache DIR`` keeps the vectors in chunks of 250 articles.
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
    article_features,
    cached_embeddings,
    kept_highlights,
    perceptron,
    plain_document,
    train_ensemble,
)

from summariser.encoder import get_encoder  # noqa: E402
from summariser.evaluate.files import read_jsonl  # noqa: E402
from summariser.ranking import select_coherent  # noqa: E402
from summariser.readability import bare_quotes, orphaned  # noqa: E402
from summariser.scorer import CONTEXT_WEIGHTS, ContextModel, Perceptron  # noqa: E402
from summariser.summarise import adaptive_count  # noqa: E402

DIVERSITIES = (0.0, 0.1, 0.2, 0.3)


def build(inputs: int, width: int, layers: int, heads: int, positions: int, dropout: float):
    """The torch twin of ``ContextModel``: pre-norm encoder blocks, ReLU feed-forward."""
    import torch
    from torch import nn

    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.norm1, self.norm2 = nn.LayerNorm(width), nn.LayerNorm(width)
            self.qkv, self.proj = nn.Linear(width, 3 * width), nn.Linear(width, width)
            self.ff1, self.ff2 = nn.Linear(width, 2 * width), nn.Linear(2 * width, width)
            self.drop = nn.Dropout(dropout)

        def forward(self, h, mask):
            batch, length, _ = h.shape
            q, k, v = (self.qkv(self.norm1(h)).view(batch, length, 3, heads, width // heads)
                       .permute(2, 0, 3, 1, 4))
            scores = q @ k.transpose(-1, -2) / (width // heads) ** 0.5
            scores = scores.masked_fill(~mask[:, None, None, :], float("-inf"))
            context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, length, width)
            h = h + self.drop(self.proj(context))
            return h + self.drop(self.ff2(torch.relu(self.ff1(self.norm2(h)))))

    class Context(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.project = nn.Linear(inputs, width)
            self.position = nn.Embedding(positions, width)
            self.blocks = nn.ModuleList([Block() for _ in range(layers)])
            self.norm = nn.LayerNorm(width)
            self.out = nn.Linear(width, 1)
            self.drop = nn.Dropout(dropout)

        def forward(self, x, mask):
            where = torch.arange(x.shape[1]).clamp(max=positions - 1)
            h = self.drop(self.project(x) + self.position(where))
            for block in self.blocks:
                h = block(h, mask)
            return self.out(self.norm(h)).squeeze(-1)

    return Context()


def to_numpy(model, mean: np.ndarray, scale: np.ndarray, heads: int) -> dict[str, np.ndarray]:
    """The weights as ``ContextModel`` reads them (matrices as inputs x outputs)."""
    weights = {"mean": mean, "scale": scale, "heads": np.int64(heads),
               "project_w": model.project.weight.detach().numpy().T,
               "project_b": model.project.bias.detach().numpy(),
               "position": model.position.weight.detach().numpy(),
               "norm_g": model.norm.weight.detach().numpy(),
               "norm_b": model.norm.bias.detach().numpy(),
               "out_w": model.out.weight.detach().numpy().T,
               "out_b": model.out.bias.detach().numpy()}
    for k, block in enumerate(model.blocks):
        for name in ("norm1", "norm2"):
            weights[f"{k}.{name}_g"] = getattr(block, name).weight.detach().numpy()
            weights[f"{k}.{name}_b"] = getattr(block, name).bias.detach().numpy()
        for name in ("qkv", "proj", "ff1", "ff2"):
            weights[f"{k}.{name}_w"] = getattr(block, name).weight.detach().numpy().T
            weights[f"{k}.{name}_b"] = getattr(block, name).bias.detach().numpy()
    return {key: np.ascontiguousarray(value, dtype=np.float32) if value.dtype != np.int64
            else value for key, value in weights.items()}


def train_context(x: np.ndarray, y: np.ndarray, starts: np.ndarray, args: argparse.Namespace,
                  seed: int) -> dict[str, np.ndarray]:
    """One transformer on these articles' rows; numpy weights, checked against torch."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    mean = x.mean(axis=0)
    spread = x.std(axis=0)
    scale = np.where(spread > 1e-3, spread, 1.0).astype(np.float32)
    data = torch.from_numpy(((x - mean) / scale).astype(np.float32))
    target = torch.from_numpy(y.astype(np.float32))
    bounds = np.append(starts, len(y))
    lengths = np.diff(bounds)
    model = build(x.shape[1], args.width, args.layers, args.heads, args.positions, 0.1)
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-2)
    generator = torch.Generator().manual_seed(seed)
    per_batch = 16
    steps = args.epochs * ((len(starts) + per_batch - 1) // per_batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, args.lr, total_steps=steps,
                                                   pct_start=0.1)
    started = time.perf_counter()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(starts), generator=generator).numpy()
        total = 0.0
        for begin in range(0, len(order), per_batch):
            batch = order[begin : begin + per_batch]
            width = int(lengths[batch].max())
            line = np.repeat(np.arange(len(batch)), lengths[batch])
            column = np.concatenate([np.arange(n) for n in lengths[batch]])
            rows = np.concatenate([np.arange(bounds[a], bounds[a + 1]) for a in batch])
            inputs = torch.zeros((len(batch), width, x.shape[1]))
            inputs[line, column] = data[rows]
            mask = torch.zeros((len(batch), width), dtype=torch.bool)
            mask[line, column] = True
            gold = torch.zeros((len(batch), width))
            gold[line, column] = target[rows]
            logits = model(inputs, mask)
            value = torch.nn.functional.binary_cross_entropy_with_logits(logits[mask], gold[mask])
            picked = gold.sum(dim=1)
            keep = picked > 0
            log_p = logits[keep].masked_fill(~mask[keep], float("-inf")).log_softmax(dim=1)
            spread_target = gold[keep] / picked[keep, None]
            value = value - (spread_target * log_p.nan_to_num(neginf=0.0)).sum(dim=1).mean()
            optimiser.zero_grad()
            value.backward()
            optimiser.step()
            schedule.step()
            total += float(value.detach()) * len(batch)
        print(f"  epoch {epoch + 1}: loss {total / len(starts):.4f} "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
    model.eval()
    weights = to_numpy(model, mean.astype(np.float32), scale, args.heads)
    # the numpy model must give what torch gives
    sample = np.arange(bounds[0], bounds[1])
    with torch.inference_mode():
        expected = torch.sigmoid(model(data[sample][None], torch.ones((1, len(sample)),
                                                                     dtype=torch.bool)))[0]
    got = ContextModel.from_arrays(weights)(x[sample])
    assert np.allclose(got, expected.numpy(), atol=1e-4), "numpy and torch disagree"
    return weights


def scores_of(model, x: np.ndarray) -> np.ndarray:
    return np.asarray(model(x))


def stacked(x: np.ndarray, base: Perceptron) -> np.ndarray:
    """``x`` with the perceptron's logit as one more column (as ``ContextModel`` adds it)."""
    p = np.clip(base(x), 1e-6, 1 - 1e-6)
    return np.concatenate([x, np.log(p / (1 - p))[:, None]], axis=1)


def cross_validate(x: np.ndarray, data: dict[str, np.ndarray], references: list[str],
                   args: argparse.Namespace, base: Perceptron) -> float:
    """Grouped K-fold figures (see the module docstring); returns the chosen MMR diversity."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    y, starts = data["labels"], data["starts"]
    bounds = np.append(starts, len(y))
    fold_of = np.arange(len(starts)) % args.folds
    totals: dict[str, Counter] = {}
    scored = 0

    def add(name: str, document, picks: list[int], reference: str) -> None:
        total = totals.setdefault(name, Counter())
        summary = "\n".join(document.sentences[i].text for i in picks)
        for key, value in scorer.score(reference, summary).items():
            total[key] += value.fmeasure
        total["orphaned"] += bool(orphaned(document.sentences, picks))
        total["bare_quote"] += bool(bare_quotes(document.sentences, picks))

    for fold in range(args.folds):
        train_articles = np.flatnonzero(fold_of != fold)
        test_articles = np.flatnonzero(fold_of == fold)
        rows = np.concatenate([np.arange(bounds[a], bounds[a + 1]) for a in train_articles])
        new_starts = np.cumsum([0] + [bounds[a + 1] - bounds[a] for a in train_articles[:-1]])
        started = time.perf_counter()
        models = {
            "perceptron": perceptron(train_ensemble(x[rows], y[rows], new_starts, args.seed,
                                                    64, 6, 1, "listwise")),
            "context": ContextModel.from_arrays(
                train_context(x[rows], y[rows], new_starts, args, args.seed)),
            "stacked": ContextModel.from_arrays(
                {**train_context(stacked(x[rows], base), y[rows], new_starts, args, args.seed),
                 "stacked": np.bool_(True)}, base),
            "shipped": base,  # trained on every training article: in-sample here
        }
        print(f"  fold {fold + 1}: trained in {time.perf_counter() - started:.0f} s", flush=True)
        for a in test_articles:
            begin, end = bounds[a], bounds[a + 1]
            document = plain_document(list(data["texts"][begin:end]))
            vectors = data["vectors"][begin:end].astype(np.float32)
            similarity = vectors @ vectors.T
            for length in (3, 0):
                count = length or adaptive_count(document.words)
                label = "3" if length else "adaptive"
                add(f"{label} lead3", document, document.candidates()[:count], references[a])
                for name, model in models.items():
                    scores = scores_of(model, x[begin:end])
                    for diversity in DIVERSITIES:
                        picks = select_coherent(document, scores, similarity, count, diversity)
                        add(f"{label} {name} d={diversity}", document, picks, references[a])
        scored += len(test_articles)
    print(f"cross-validated over {args.folds} folds grouped by article, {scored} held-out "
          "training articles (ROUGE F1 x100; shares of summaries in %):")
    print(f"  {'':>28} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'orphan':>6} {'bare':>6}")
    for name, total in totals.items():
        print(f"  {name:>28} " + " ".join(
            f"{100 * total[key] / scored:6.2f}"
            for key in ("rouge1", "rouge2", "rougeL", "orphaned", "bare_quote")))
    variant = "stacked" if args.stack else "context"
    best = max(DIVERSITIES, key=lambda d: totals[f"3 {variant} d={d}"]["rouge1"])
    print(f"chosen diversity for {variant}: {best}")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("--articles", type=int, default=None, help="default: all")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--positions", type=int, default=50)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--folds", type=int, default=0)
    parser.add_argument("--diversity", type=float, default=0.2,
                        help="MMR diversity when --folds does not choose one")
    parser.add_argument("--stack", action="store_true",
                        help="the committed perceptron's score as one more input")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=CONTEXT_WEIGHTS)
    args = parser.parse_args()

    started = time.perf_counter()
    random.seed(args.seed)
    np.random.seed(args.seed)
    items = list(read_jsonl(args.train))
    items = random.Random(args.seed).sample(items, len(items))[: args.articles]
    print(f"{len(items)} training articles", flush=True)
    data = cached_embeddings(items, get_encoder(quantize="int8"), _rouge(), args.cache,
                             chunk=250)
    x = article_features(data)
    y, starts = data["labels"], data["starts"]
    print(f"{len(starts)} articles kept, {len(y)} sentences, {int(y.sum())} oracle positives "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    diversity = args.diversity
    base = Perceptron()
    if args.folds:
        references = kept_highlights(items)
        assert len(references) == len(starts), "the cache does not match these articles"
        diversity = cross_validate(x, data, references, args, base)
    if args.stack:
        weights = train_context(stacked(x, base), y, starts, args, args.seed)
        weights["stacked"] = np.bool_(True)
    else:
        weights = train_context(x, y, starts, args, args.seed)
    weights["diversity"] = np.float32(diversity)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **weights)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB), diversity {diversity}, "
          f"{time.perf_counter() - started:.0f} s in all")


def _rouge():
    from train_scorer import Rouge

    return Rouge()


if __name__ == "__main__":
    main()
