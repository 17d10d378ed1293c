"""The default summariser: a small learned sentence scorer on top of MiniLM embeddings.

Each candidate sentence is described by its MiniLM embedding plus a few features (position,
length, closeness to the document centroid and to the lead, how much of it is quotation) and
three about whether it can stand alone (it opens with a pronoun or connective, it opens with a
quotation, its quotation's speaker is only a pronoun): features that read the same on the
lowercased training text as on real articles. A two-layer perceptron, trained on all
CNN/DailyMail training articles with greedy ROUGE oracle labels
(``training/train_scorer.py``; three seeds, averaged), turns that into a probability;
selection then adds sentences by it with a redundancy penalty (MMR, its weight chosen on dev
data), each together with what it leans on (``coherence.py``), and returns them in article
order.

The weights are a small ``.npz`` file shipped in the package (``summariser/data/scorer.npz``);
inference is plain numpy, so loading needs neither a network nor torch beyond the encoder.

``minilm-context`` reads the same rows with a small transformer over the article's sentences
(``ContextModel``, BertSumExt-style; ``training/train_context_scorer.py``,
``summariser/data/scorer-context.npz``), also in plain numpy.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

import numpy as np

from summariser.config import SummariserSettings
from summariser.document import Document
from summariser.encoder import encoder_for
from summariser.ranking import select_coherent, unit
from summariser.readability import leans_back, quote_cue
from summariser.sentences import quoted_share

WEIGHTS = Path(__file__).parent / "data" / "scorer.npz"
CONTEXT_WEIGHTS = Path(__file__).parent / "data" / "scorer-context.npz"
MULTILINGUAL_WEIGHTS = Path(__file__).parent / "data" / "scorer-multilingual.npz"
SCALAR_FEATURES = 12
_PRONOUN_SPEAKERS = frozenset({"he", "she", "they"})
_QUOTE_MARKS = frozenset("\"“‘'")


def sentence_features(document: Document, vectors: np.ndarray) -> np.ndarray:
    """Feature rows for the document's candidate sentences (same order as ``candidates()``).

    No feature reads the title: the training articles have none, so no model trained on them
    can learn what a title is worth."""
    candidates = document.candidates()
    n = len(candidates)
    centroid = unit(vectors.mean(axis=0))
    lead = unit(vectors[: min(3, n)].mean(axis=0))
    ranks = np.arange(n, dtype=np.float32)
    texts = [document.sentences[i].text for i in candidates]
    words = np.array([len(t.split()) for t in texts], np.float32)
    quoted = np.array([quoted_share(t) for t in texts], np.float32)
    leaning = np.array([leans_back(t) for t in texts], np.float32)
    quote_first = np.array([t.lstrip("([ ")[:1] in _QUOTE_MARKS for t in texts], np.float32)
    pronoun_speaker = np.array(
        [q > 0 and quote_cue(t) in _PRONOUN_SPEAKERS for t, q in zip(texts, quoted, strict=True)],
        np.float32)
    scalars = np.stack([
        vectors @ centroid,
        vectors @ lead,
        np.exp(-ranks / 3),
        np.exp(-ranks / 10),
        1 / (1 + ranks),
        ranks / max(n, 1),
        np.minimum(words, 80) / 40,
        quoted,
        np.full(n, min(n, 100) / 50, np.float32),
        leaning,
        quote_first,
        pronoun_speaker,
    ], axis=1).astype(np.float32)
    return np.concatenate([vectors.astype(np.float32), scalars], axis=1)


class Perceptron:
    """An ensemble of two-layer perceptrons (ReLU), as trained with different seeds; inputs are
    standardised with the training statistics. Returns the members' mean probability."""

    def __init__(self, path: Path = WEIGHTS) -> None:
        with np.load(path) as data:
            self.mean = data["mean"]
            self.scale = data["scale"]
            # (members, inputs, hidden), (members, hidden), (members, hidden, 1), (members, 1)
            # (stored as float16 where that was enough; computed in float32)
            self.w1, self.b1 = data["w1"].astype(np.float32), data["b1"]
            self.w2, self.b2 = data["w2"].astype(np.float32), data["b2"]
            self.diversity = float(data["diversity"]) if "diversity" in data else 0.0

    def __call__(self, features: np.ndarray) -> np.ndarray:
        x = (features - self.mean) / self.scale
        hidden = np.maximum(np.einsum("nd,edh->enh", x, self.w1) + self.b1[:, None, :], 0.0)
        logits = np.einsum("enh,eho->eno", hidden, self.w2)[..., 0] + self.b2
        probabilities: np.ndarray = np.exp(-np.logaddexp(0.0, -logits)).mean(axis=0)
        return probabilities  # the sigmoid, without overflow; the ensemble's mean


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    centred = x - x.mean(axis=-1, keepdims=True)
    normed: np.ndarray = centred / np.sqrt((centred**2).mean(axis=-1, keepdims=True) + 1e-5)
    out: np.ndarray = normed * gain + bias
    return out


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    out: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return out


class ContextModel:
    """A small transformer encoder over an article's sentence rows (BertSumExt's inter-sentence
    layers): each row (standardised ``sentence_features``) is projected, given a learned
    position, and read by pre-norm self-attention blocks with the other sentences of its
    article; a linear head gives each sentence's probability. Trained by
    ``training/train_context_scorer.py``; run here in numpy, without torch.

    Sentences attend within consecutive windows of as many sentences as the model has
    positions (the training articles' length), so the cost is linear in the article."""

    def __init__(self, weights: dict[str, np.ndarray], base: Perceptron | None = None) -> None:
        self.w = weights
        self.base = base
        if bool(weights.get("stacked", False)) and base is None:
            raise ValueError("these weights read the perceptron's score: give it as base")
        self.heads = int(weights["heads"])
        self.layers = sum(1 for key in weights if key.endswith(".qkv_w"))
        self.window = len(weights["position"])
        self.diversity = float(weights["diversity"]) if "diversity" in weights else 0.0

    @classmethod
    def load(cls, path: Path = CONTEXT_WEIGHTS, base: Path = WEIGHTS) -> ContextModel:
        """The weights at ``path``; with the perceptron at ``base`` when they were trained
        on its score (``stacked``)."""
        with np.load(path) as data:
            weights = {key: data[key] for key in data.files}
        return cls(weights, Perceptron(base) if bool(weights.get("stacked", False)) else None)

    @classmethod
    def from_arrays(cls, weights: dict[str, np.ndarray],
                    base: Perceptron | None = None) -> ContextModel:
        return cls(weights, base)

    def _window(self, x: np.ndarray, first: int) -> np.ndarray:
        w, n = self.w, len(x)
        where = np.minimum(np.arange(first, first + n), self.window - 1)
        h = x @ w["project_w"] + w["project_b"] + w["position"][where]
        width = h.shape[1]
        size = width // self.heads
        for k in range(self.layers):
            a = _layer_norm(h, w[f"{k}.norm1_g"], w[f"{k}.norm1_b"])
            q, key, v = (a @ w[f"{k}.qkv_w"] + w[f"{k}.qkv_b"]).reshape(
                n, 3, self.heads, size).transpose(1, 2, 0, 3)
            attention = _softmax(q @ key.transpose(0, 2, 1) / np.sqrt(size))
            context = (attention @ v).transpose(1, 0, 2).reshape(n, width)
            h = h + context @ w[f"{k}.proj_w"] + w[f"{k}.proj_b"]
            a = _layer_norm(h, w[f"{k}.norm2_g"], w[f"{k}.norm2_b"])
            h = h + np.maximum(a @ w[f"{k}.ff1_w"] + w[f"{k}.ff1_b"], 0.0) @ w[f"{k}.ff2_w"]
            h = h + w[f"{k}.ff2_b"]
        logits = (_layer_norm(h, w["norm_g"], w["norm_b"]) @ w["out_w"])[:, 0] + w["out_b"][0]
        probabilities: np.ndarray = np.exp(-np.logaddexp(0.0, -logits))
        return probabilities

    def __call__(self, features: np.ndarray) -> np.ndarray:
        if self.base is not None:  # the perceptron's logit as one more column
            p = np.clip(self.base(features), 1e-6, 1 - 1e-6)
            features = np.concatenate([features, np.log(p / (1 - p))[:, None]], axis=1)
        x = ((features - self.w["mean"]) / self.w["scale"]).astype(np.float32)
        parts = [self._window(x[first : first + self.window], first)
                 for first in range(0, len(x), self.window)]
        return np.concatenate(parts) if parts else np.zeros(0, np.float32)


class RowModel(Protocol):
    """What a scorer needs of its model: a probability per feature row, and its MMR weight."""

    diversity: float

    def __call__(self, features: np.ndarray) -> np.ndarray:
        """One probability per row of an article's ``sentence_features``."""
        ...


class LearnedScorer:
    """MiniLM + learned scorer + MMR: the default summariser."""

    name = "minilm"

    def __init__(self, settings: SummariserSettings | None = None,
                 model: RowModel | None = None) -> None:
        settings = settings or SummariserSettings()
        self.encoder = encoder_for(settings)
        self.model: RowModel = model or Perceptron(WEIGHTS)

    def scores(self, document: Document) -> np.ndarray:
        """The model's probability that each candidate belongs in the summary."""
        vectors, _ = document.embeddings(self.encoder)
        return self.model(sentence_features(document, vectors))

    def select(self, document: Document, count: int) -> list[int]:
        """The best ``count`` candidates by score, with MMR and coherence."""
        vectors, _ = document.embeddings(self.encoder)
        return select_coherent(document, self.scores(document), vectors @ vectors.T, count,
                               self.model.diversity)


class ContextScorer(LearnedScorer):
    """The same pipeline with the inter-sentence transformer (``ContextModel``)."""

    name = "minilm-context"

    def __init__(self, settings: SummariserSettings | None = None,
                 weights: Path = CONTEXT_WEIGHTS) -> None:
        super().__init__(settings, ContextModel.load(weights))


_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")
MULTILINGUAL_FEATURES = SCALAR_FEATURES + 11


def multilingual_features(document: Document, vectors: np.ndarray) -> np.ndarray:
    """Feature rows for the multilingual scorer, one per candidate: the 12 scalar features of
    ``sentence_features`` (no vector: on 5,000 training articles the 512 dimensions only
    overfit) and 11 more that read any language the same way: mean similarity to the other
    sentences, similarity to the first, its rank by that centrality, the document frequency of
    its content words (SumBasic), word overlap with the first sentence, length in characters,
    whether it opens a paragraph, the paragraph's position (two ways), its share of capitalised
    words (names) and whether it has a number."""
    candidates = document.candidates()
    n = len(candidates)
    scalars = sentence_features(document, vectors)[:, -SCALAR_FEATURES:]
    texts = [document.sentences[i].text for i in candidates]
    similarity = vectors @ vectors.T
    mean_other = (similarity.sum(axis=1) - 1) / max(n - 1, 1)
    rank = np.argsort(np.argsort(-mean_other)) / max(n, 1)
    words = [[w.lower() for w in _CONTENT_WORD.findall(t)] for t in texts]
    frequency: dict[str, int] = {}
    for sentence_words in words:
        for word in set(sentence_words):
            frequency[word] = frequency.get(word, 0) + 1
    sumbasic = np.array([np.mean([frequency[w] for w in ws]) if ws else 0.0 for ws in words])
    first = set(words[0]) if words else set()
    overlap = np.array([len(set(ws) & first) / max(1, len(set(ws) | first)) for ws in words])
    paragraphs = np.array([document.sentences[i].paragraph for i in candidates])
    opens = np.r_[True, paragraphs[1:] != paragraphs[:-1]] if n else np.zeros(0, bool)
    order = np.unique(paragraphs, return_inverse=True)[1] if n else np.zeros(0, int)
    capitals = np.array([sum(w[:1].isupper() for w in t.split()[1:]) / max(1, len(t.split()))
                         for t in texts])
    digits = np.array([any(ch.isdigit() for ch in t) for t in texts], np.float32)
    extra = np.stack([
        mean_other, similarity[:, 0] if n else np.zeros(0), sumbasic / max(n, 1), overlap, rank,
        np.log1p(np.array([len(t) for t in texts], np.float32)),
        opens.astype(np.float32), np.exp(-order / 2), order / max(1, int(order.max(initial=0))),
        capitals, digits,
    ], axis=1).astype(np.float32)
    return np.concatenate([scalars, extra], axis=1)


class MultilingualScorer(LearnedScorer):
    """The same pipeline for articles not in English: the multilingual encoder
    (``multilingual.py``) and a perceptron over ``multilingual_features``, trained on French
    news with human abstracts (``training/train_scorer_multilingual.py``,
    ``summariser/data/scorer-multilingual.npz``). Needs the optional extra ``multilingual``."""

    name = "multilingual"

    def __init__(self, settings: SummariserSettings | None = None,
                 weights: Path = MULTILINGUAL_WEIGHTS) -> None:
        from summariser.multilingual import multilingual_encoder

        settings = settings or SummariserSettings()
        self.encoder = multilingual_encoder(settings.threads)
        self.model = Perceptron(weights)

    def scores(self, document: Document) -> np.ndarray:
        """The model's probability that each candidate belongs in the summary."""
        vectors, _ = document.embeddings(self.encoder)
        return self.model(multilingual_features(document, vectors))
