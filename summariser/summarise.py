"""Extractive summarisers behind one call signature, and the registry that names them.

Every summariser takes ``(document, count)`` and returns ``count`` sentence indices (fewer only
when the article has fewer usable sentences), in article order. ``SUMMARISERS`` maps a name to a
factory taking the settings, so the CLI flag, the bot setting and the benchmarks share the names.

* ``lead3``: the first sentences; the baseline every news summariser is measured against.
* ``minilm`` (default): a learned scorer over MiniLM sentence embeddings (``scorer.py``).
* ``minilm-context``: the same rows read by a small transformer over the article's sentences
  (``scorer.ContextModel``); opt-in, as it did not beat ``minilm`` (see the README).
* ``multilingual``: the learned scorer's recipe on the multilingual encoder, trained on French
  news (``scorer.MultilingualScorer``); what the default serves for articles in another of
  that encoder's languages where the optional extra is installed (``digest.py``).
* ``centrality``: MiniLM sentence embeddings scored by closeness to the article's centroid and
  title together with a position prior (news puts the key facts first), then picked with
  maximal marginal relevance so the summary does not say the same thing twice. No training.
* ``seq2seq`` and ``llm``: abstractive, off by default (``abstractive.py``).

The two MiniLM summarisers take each sentence together with what it leans on ("He added …"
with the sentence before it) or not at all (``coherence.py``); sentences are never edited.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from summariser.config import SummariserSettings
from summariser.document import Document
from summariser.encoder import encoder_for
from summariser.models import Sentence
from summariser.ranking import select_coherent, unit
from summariser.sentences import quoted_share


@runtime_checkable
class Extractive(Protocol):
    """A summariser that picks sentences of the article."""

    name: str

    def select(self, document: Document, count: int) -> list[int]:
        """``count`` sentence indices (fewer only when there are fewer candidates), in article
        order."""
        ...


@runtime_checkable
class Abstractive(Protocol):
    """A summariser that writes its own sentences; the digest checks them against the article
    (``guard.py``) before any reaches a user."""

    name: str

    def load(self) -> None:
        """Load the model now rather than on the first article."""
        ...

    def write(self, document: Document, count: int) -> list[str]:
        """About ``count`` sentences of its own about ``document``."""
        ...


Summariser = Extractive | Abstractive


def adaptive_count(words: int) -> int:
    """Summary length for the product: 2 sentences for short stories up to 5 for long reads."""
    if words < 300:
        return 2
    if words < 700:
        return 3
    if words < 1500:
        return 4
    return 5


class Lead:
    """The first ``count`` usable sentences (Lead-3 at the standard length)."""

    name = "lead3"

    def __init__(self, settings: SummariserSettings | None = None) -> None:
        pass

    def select(self, document: Document, count: int) -> list[int]:
        """The first ``count`` candidates."""
        return document.candidates()[:count]


class CentralityMMR:
    """MiniLM centrality + title + position prior, picked with MMR (no training needed)."""

    name = "centrality"
    centroid_weight = 1.0
    title_weight = 0.5
    position_weight = 0.6
    position_decay = 5.0
    diversity = 0.3
    quote_penalty = 0.15

    def __init__(self, settings: SummariserSettings | None = None) -> None:
        settings = settings or SummariserSettings()
        self.encoder = encoder_for(settings)

    def scores(self, document: Document) -> np.ndarray:
        """Centrality, title similarity and position for each candidate."""
        vectors, title = document.embeddings(self.encoder)
        centroid = unit(vectors.mean(axis=0))
        score = self.centroid_weight * (vectors @ centroid)
        if title is not None:
            score += self.title_weight * (vectors @ title)
        ranks = np.arange(len(vectors), dtype=np.float32)
        score += self.position_weight * np.exp(-ranks / self.position_decay)
        quoted = np.array([quoted_share(document.sentences[i].text) for i in document.candidates()])
        score -= self.quote_penalty * (quoted > 0.5)
        scores: np.ndarray = score
        return scores

    def select(self, document: Document, count: int) -> list[int]:
        """The best ``count`` candidates by score, with MMR and coherence."""
        vectors, _ = document.embeddings(self.encoder)
        return select_coherent(document, self.scores(document), vectors @ vectors.T, count,
                               self.diversity)


def _learned(settings: SummariserSettings) -> Summariser:
    from summariser.scorer import LearnedScorer

    return LearnedScorer(settings)


def _context(settings: SummariserSettings) -> Summariser:
    from summariser.scorer import ContextScorer

    return ContextScorer(settings)


def _multilingual(settings: SummariserSettings) -> Summariser:
    from summariser.scorer import MultilingualScorer

    return MultilingualScorer(settings)


def _seq2seq(settings: SummariserSettings) -> Summariser:
    from summariser.abstractive import Seq2Seq

    return Seq2Seq(settings)


def _llm(settings: SummariserSettings) -> Summariser:
    from summariser.abstractive import LocalLLM

    return LocalLLM(settings)


# name -> factory. Extractive summarisers have ``select``; abstractive ones have ``write`` and
# always run behind the faithfulness guard (see digest.py).
SUMMARISERS: dict[str, Callable[[SummariserSettings], Summariser]] = {
    "minilm": _learned,
    "minilm-context": _context,
    "multilingual": _multilingual,
    "lead3": Lead,
    "centrality": CentralityMMR,
    "seq2seq": _seq2seq,
    "llm": _llm,
}
ALIASES = {"default": "minilm", "lead": "lead3"}


def resolve_method(name: str) -> str:
    """The registry name for ``name`` or one of its aliases; ValueError naming the known ones."""
    name = ALIASES.get(name, name)
    if name not in SUMMARISERS:
        known = ", ".join(sorted(SUMMARISERS))
        raise ValueError(f"unknown summariser {name!r} (known: {known})")
    return name


def summary_words(sentences: Sequence[Sentence], picks: Sequence[int]) -> int:
    """Words in the sentences ``picks`` names."""
    return sum(len(sentences[i].text.split()) for i in picks)


def fits_reduction(total_words: int, picked_words: int, minimum: float = 0.4) -> bool:
    """Is the summary at least ``minimum`` (40 %) shorter than the article?"""
    return total_words > 0 and picked_words <= math.floor(total_words * (1 - minimum))
