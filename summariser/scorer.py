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
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from summariser.config import SummariserSettings
from summariser.document import Document
from summariser.encoder import encoder_for
from summariser.ranking import select_coherent, unit
from summariser.readability import leans_back, quote_cue
from summariser.sentences import quoted_share

WEIGHTS = Path(__file__).parent / "data" / "scorer.npz"
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
            self.w1, self.b1 = data["w1"], data["b1"]
            self.w2, self.b2 = data["w2"], data["b2"]
            self.diversity = float(data["diversity"]) if "diversity" in data else 0.0

    def __call__(self, features: np.ndarray) -> np.ndarray:
        x = (features - self.mean) / self.scale
        hidden = np.maximum(np.einsum("nd,edh->enh", x, self.w1) + self.b1[:, None, :], 0.0)
        logits = np.einsum("enh,eho->eno", hidden, self.w2)[..., 0] + self.b2
        probabilities: np.ndarray = np.exp(-np.logaddexp(0.0, -logits)).mean(axis=0)
        return probabilities  # the sigmoid, without overflow; the ensemble's mean


class LearnedScorer:
    """MiniLM + learned scorer + MMR: the default summariser."""

    name = "minilm"

    def __init__(self, settings: SummariserSettings | None = None, weights: Path = WEIGHTS):
        settings = settings or SummariserSettings()
        self.encoder = encoder_for(settings)
        self.model = Perceptron(weights)

    def scores(self, document: Document) -> np.ndarray:
        """The perceptron's probability that each candidate belongs in the summary."""
        vectors, _ = document.embeddings(self.encoder)
        return self.model(sentence_features(document, vectors))

    def select(self, document: Document, count: int) -> list[int]:
        """The best ``count`` candidates by score, with MMR and coherence."""
        vectors, _ = document.embeddings(self.encoder)
        return select_coherent(document, self.scores(document), vectors @ vectors.T, count,
                               self.model.diversity)
