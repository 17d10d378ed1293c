"""One article as the summarisers read it: its sentences, title and doubted paragraphs.

``Document`` is not a value: it is the working state of one digest. What several steps need
(the candidate sentences, what each leans on, the MiniLM vectors of the candidates and the
title, the lead's vector) is computed once, on first use, and kept for the next step: the
summariser, the related headlines and the guard all read the same vectors.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

import numpy as np

from summariser.coherence import needs
from summariser.content import SUMMARY_SURE
from summariser.encoder import Encoder
from summariser.models import Article, Sentence, word_count
from summariser.paste import is_credit
from summariser.readability import bare_quote
from summariser.sentences import LIST_MARK, cites, ends_sentence, split_sentences, trails_off
from summariser.words import without_wire_dateline

# Sentences considered: bounds time and memory on very long articles (news puts what matters
# first; no CNN dev article has more than 84 sentences) ...
MAX_CANDIDATES = 200
# ... and words in them: 200 sentences of news are ~4,500 words, but 200 sentences of 80 words
# (a wall of text, or one crafted to be slow) would cost the encoder three times as much.
MAX_CANDIDATE_WORDS = 5_000
MIN_SENTENCE_WORDS = 5
MAX_SENTENCE_WORDS = 80
LEAD_SENTENCES = 3  # the lead: where news states its story


class Document:
    """The sentences of one article plus its title; ``unsure`` names paragraphs the content
    model doubts are article text: their sentences are not summary candidates while three or
    more others could be chosen."""

    def __init__(self, sentences: Iterable[Sentence], title: str | None = None,
                 unsure: Iterable[int] = frozenset(), lang: str | None = None) -> None:
        self.sentences = tuple(sentences)
        self.title = title
        self.unsure = frozenset(unsure)
        self.lang = lang  # what a sentence that leans back opens with is read in (coherence.py)
        self._vectors: dict[str, Vectors] = {}  # by encoder name
        self._lead: np.ndarray | None = None
        self._title: dict[str, np.ndarray | None] = {}  # the title encoded alone, by encoder

    @classmethod
    def of(cls, article: Article, lang: str | None = None) -> Document:
        """The document of ``article`` (in ``lang``): its sentences, its title, and the
        paragraphs its content model is less than ``SUMMARY_SURE`` sure of. A wire's dateline
        ("LONDON (Reuters) -") is no part of the lead's sentence, nor is the "- " trafilatura
        writes before a list item: the article's text keeps them, the summary does not."""
        paragraphs = [LIST_MARK.sub("", paragraph, count=1) for paragraph in article.paragraphs]
        return cls(split_sentences(without_wire_dateline(paragraphs)),
                   article.title, article.unsure(SUMMARY_SURE), lang)

    @cached_property
    def words(self) -> int:
        """Words in the article's sentences, counted once."""
        return sum(word_count(s.text) for s in self.sentences)

    @cached_property
    def lead(self) -> tuple[str, ...]:
        """The first sentences, where news states its story."""
        return tuple(s.text for s in self.sentences[:LEAD_SENTENCES])

    def candidates(self) -> list[int]:
        """Indices of sentences fit to be summary sentences, bounded to MAX_CANDIDATES."""
        return self._candidates

    @cached_property
    def _candidates(self) -> list[int]:
        sized = []
        budget = MAX_CANDIDATE_WORDS
        seen: set[str] = set()  # a sentence the page repeats (a pull quote) is one candidate
        for s in self.sentences[:MAX_CANDIDATES]:
            words = word_count(s.text)
            if s.text in seen:
                continue
            seen.add(s.text)
            if MIN_SENTENCE_WORDS <= words <= MAX_SENTENCE_WORDS:
                if words > budget:
                    break
                budget -= words
                sized.append(s)
        # Headings, list items and table rows have no closing punctuation, a teaser cut short
        # or a quotation left hanging ends in "…", no sentence of a reference list's entry is
        # the article's, nor is a photo's caption, which ends with its credit ("… en el
        # Congreso (Foto: Natacha Pisarenko/Pool via REUTERS)."): skip them while the article
        # has enough real sentences.
        cited = {s.paragraph for s in sized if cites(s.text)}
        complete = [s for s in sized if ends_sentence(s.text) and not trails_off(s.text)
                    and s.paragraph not in cited and not is_credit(s.text)]
        chosen = complete if len(complete) >= 3 else sized
        # Leave out paragraphs the content model doubts, while three sure sentences that
        # can stand in a summary (not bare quotes) remain.
        sure = [s for s in chosen if s.paragraph not in self.unsure]
        if self.unsure and sum(not bare_quote(s.text) for s in sure) >= 3:
            chosen = sure
        # No sentence of a usual size at all: the first ones, fewer, since they are long.
        fallback = self.sentences[: MAX_CANDIDATES // 10]
        return [s.index for s in chosen] or [s.index for s in fallback]

    def support(self) -> list[frozenset[int] | None]:
        """For each candidate, the candidates it needs beside it in a summary (None: it cannot
        stand in one); see ``coherence.py``."""
        return self._support

    @cached_property
    def _support(self) -> list[frozenset[int] | None]:
        return needs(self.sentences, self.candidates(), self.lang)

    def vectors(self, encoder: Encoder) -> Vectors:
        """The candidates' and the title's vectors, encoded once per document and encoder in one
        batch (a non-English article's summary reads the multilingual encoder's; its related
        headlines then read MiniLM's of its title and lead alone, ``title_vector`` and
        ``lead_vector``)."""
        kept = self._vectors.get(encoder.name)
        if kept is None:
            texts = [self.sentences[i].text for i in self.candidates()]
            vectors = encoder.encode(texts + ([self.title] if self.title else []))
            count = len(texts)
            kept = Vectors(vectors[:count], vectors[count] if self.title else None)
            self._vectors[encoder.name] = kept
        return kept

    def lead_vector(self, encoder: Encoder) -> np.ndarray:
        """The lead's vector, encoded on first use and kept. Only related headlines need it,
        so a digest without any never encodes it. It is encoded alone: in a batch with short
        headlines, each would be padded to its length (5 headlines and a lead cost ~190 ms
        together, ~45 ms apart)."""
        if self._lead is None:
            self._lead = encoder.encode([" ".join(self.lead)])[0]
        return self._lead

    def title_vector(self, encoder: Encoder) -> np.ndarray | None:
        """The title's vector encoded alone (None without a title), kept: for related headlines
        when the candidates' ``vectors`` are not to be encoded."""
        if encoder.name not in self._title:
            self._title[encoder.name] = (encoder.encode([self.title])[0] if self.title
                                         else None)
        return self._title[encoder.name]

    def has_vectors(self, encoder: Encoder) -> bool:
        """Has ``vectors`` encoded the candidates by ``encoder`` already (the summary read
        them)?"""
        return encoder.name in self._vectors

    def embeddings(self, encoder: Encoder) -> tuple[np.ndarray, np.ndarray | None]:
        """(candidate embeddings, title embedding or None), encoded once per document."""
        vectors = self.vectors(encoder)
        return vectors.candidates, vectors.title


class Vectors:
    """Unit vectors of a document's candidate sentences (one row each) and its title."""

    __slots__ = ("candidates", "title")

    def __init__(self, candidates: np.ndarray, title: np.ndarray | None) -> None:
        self.candidates = candidates
        self.title = title
