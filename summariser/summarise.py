"""Extractive summarisers behind one call signature, and the registry that names them.

Every summariser takes ``(document, count)`` and returns ``count`` sentence indices (fewer only
when the article has fewer usable sentences), in article order. ``SUMMARISERS`` maps a name to a
factory taking the settings, so the CLI flag, the bot setting and the benchmarks share the names.

* ``lead3``: the first sentences; the baseline every news summariser is measured against.
* ``minilm`` (default): a learned scorer over MiniLM sentence embeddings (``scorer.py``).
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
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from summariser.coherence import coherent_mmr, needs
from summariser.config import SummariserSettings
from summariser.content import SUMMARY_SURE
from summariser.encoder import Encoder, encoder_for
from summariser.models import Article, Sentence
from summariser.readability import bare_quote
from summariser.sentences import ends_sentence, quoted_share, split_sentences

# Sentences considered: bounds time and memory on very long articles (news puts what matters
# first; no CNN dev article has more than 84 sentences) ...
MAX_CANDIDATES = 200
# ... and words in them: 200 sentences of news are ~4,500 words, but 200 sentences of 80 words
# (a wall of text, or one crafted to be slow) would cost the encoder three times as much.
MAX_CANDIDATE_WORDS = 5_000
MIN_SENTENCE_WORDS = 5
MAX_SENTENCE_WORDS = 80


@dataclass(frozen=True)
class Document:
    """The sentences of one article plus its title; embeddings are computed once, on demand.

    ``unsure`` names paragraphs the content model doubts are article text: their sentences are
    not summary candidates while three or more others could be chosen."""

    sentences: tuple[Sentence, ...]
    title: str | None = None
    unsure: frozenset[int] = frozenset()
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, article: Article) -> Document:
        """The document of ``article``: its sentences, its title, and the paragraphs its content
        model is less than ``SUMMARY_SURE`` sure of."""
        return cls(tuple(split_sentences(article.paragraphs)), article.title,
                   article.unsure(SUMMARY_SURE))

    def candidates(self) -> list[int]:
        """Indices of sentences fit to be summary sentences, bounded to MAX_CANDIDATES."""
        if "candidates" not in self._cache:
            sized = []
            budget = MAX_CANDIDATE_WORDS
            for s in self.sentences[:MAX_CANDIDATES]:
                words = len(s.text.split())
                if MIN_SENTENCE_WORDS <= words <= MAX_SENTENCE_WORDS:
                    if words > budget:
                        break
                    budget -= words
                    sized.append(s)
            # Headings, list items and table rows have no closing punctuation: skip them while
            # the article has enough real sentences.
            complete = [s for s in sized if ends_sentence(s.text)]
            chosen = complete if len(complete) >= 3 else sized
            # Leave out paragraphs the content model doubts, while three sure sentences that
            # can stand in a summary (not bare quotes) remain.
            sure = [s for s in chosen if s.paragraph not in self.unsure]
            if self.unsure and sum(not bare_quote(s.text) for s in sure) >= 3:
                chosen = sure
            # No sentence of a usual size at all: the first ones, fewer, since they are long.
            self._cache["candidates"] = [s.index for s in chosen] or [
                s.index for s in self.sentences[: MAX_CANDIDATES // 10]
            ]
        return self._cache["candidates"]

    def support(self) -> list[frozenset[int] | None]:
        """For each candidate, the candidates it needs beside it in a summary (None: it cannot
        stand in one); see ``coherence.py``."""
        if "support" not in self._cache:
            self._cache["support"] = needs(self.sentences, self.candidates())
        return self._cache["support"]

    def embeddings(self, encoder: Encoder) -> tuple[np.ndarray, np.ndarray | None]:
        """(candidate embeddings, title embedding or None), encoded once per document."""
        if "emb" not in self._cache:
            texts = [self.sentences[i].text for i in self.candidates()]
            if self.title:
                texts.append(self.title)
            vectors = encoder.encode(texts)
            if self.title:
                self._cache["emb"] = (vectors[:-1], vectors[-1])
            else:
                self._cache["emb"] = (vectors, None)
        return self._cache["emb"]


class Summariser(Protocol):
    name: str

    def select(self, document: Document, count: int) -> list[int]: ...


def unit(vector: np.ndarray) -> np.ndarray:
    """``vector`` scaled to length 1 (left as it is when it is all zeros)."""
    return vector / max(float(np.linalg.norm(vector)), 1e-9)


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
        return document.candidates()[:count]


def select_coherent(document: Document, scores: np.ndarray, similarity: np.ndarray, count: int,
                    diversity: float) -> list[int]:
    """Sentence indices, in article order, picked by MMR among sentences that can stand with
    what they lean on (``coherence.py``); plain MMR when no candidate stands at all."""
    candidates = document.candidates()
    picks = coherent_mmr(scores, similarity, count, diversity, document.support())
    if not picks:
        picks = mmr(scores, similarity, count, diversity)
    return sorted(candidates[p] for p in picks)


def mmr(scores: np.ndarray, similarity: np.ndarray, count: int, diversity: float) -> list[int]:
    """Greedy maximal marginal relevance: positions into ``scores``, in pick order."""
    chosen: list[int] = []
    remaining = list(range(len(scores)))
    while remaining and len(chosen) < count:
        if chosen:
            redundancy = similarity[np.ix_(remaining, chosen)].max(axis=1)
        else:
            redundancy = np.zeros(len(remaining))
        value = (1 - diversity) * scores[remaining] - diversity * redundancy
        best = remaining[int(np.argmax(value))]
        chosen.append(best)
        remaining.remove(best)
    return chosen


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
        vectors, title = document.embeddings(self.encoder)
        centroid = unit(vectors.mean(axis=0))
        score = self.centroid_weight * (vectors @ centroid)
        if title is not None:
            score += self.title_weight * (vectors @ title)
        ranks = np.arange(len(vectors), dtype=np.float32)
        score += self.position_weight * np.exp(-ranks / self.position_decay)
        quoted = np.array([quoted_share(document.sentences[i].text) for i in document.candidates()])
        score -= self.quote_penalty * (quoted > 0.5)
        return score

    def select(self, document: Document, count: int) -> list[int]:
        vectors, _ = document.embeddings(self.encoder)
        return select_coherent(document, self.scores(document), vectors @ vectors.T, count,
                               self.diversity)


def _learned(settings: SummariserSettings) -> Summariser:
    from summariser.scorer import LearnedScorer

    return LearnedScorer(settings)


def _seq2seq(settings: SummariserSettings) -> Summariser:
    from summariser.abstractive import Seq2Seq

    return Seq2Seq(settings)


def _llm(settings: SummariserSettings) -> Summariser:
    from summariser.abstractive import LocalLLM

    return LocalLLM(settings)


# name -> factory. Extractive summarisers have ``select``; abstractive ones (``abstractive =
# True``) have ``write`` and always run behind the faithfulness guard (see digest.py).
SUMMARISERS: dict[str, Callable[[SummariserSettings], Summariser]] = {
    "minilm": _learned,
    "lead3": Lead,
    "centrality": CentralityMMR,
    "seq2seq": _seq2seq,
    "llm": _llm,
}
ALIASES = {"default": "minilm", "lead": "lead3"}


def resolve_method(name: str) -> str:
    name = ALIASES.get(name, name)
    if name not in SUMMARISERS:
        known = ", ".join(sorted(SUMMARISERS))
        raise ValueError(f"unknown summariser {name!r} (known: {known})")
    return name


def summary_words(sentences: Sequence[Sentence], picks: Sequence[int]) -> int:
    return sum(len(sentences[i].text.split()) for i in picks)


def fits_reduction(total_words: int, picked_words: int, minimum: float = 0.4) -> bool:
    """Is the summary at least ``minimum`` (40 %) shorter than the article?"""
    return total_words > 0 and picked_words <= math.floor(total_words * (1 - minimum))
