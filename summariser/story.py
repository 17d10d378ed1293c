"""The same-story judge: is a headline (or an earlier story) about the same story as an article?

One cosine between two MiniLM vectors tells "the same topic" well and "the same story" badly:
two earthquakes, two rehab stays, two takeovers read alike. What tells them apart is mostly
who and what: the names, numbers and rare words the two texts share or do not. The judge is a
small logistic model over the cosine, how close each text stands to the hubs of news headlines
(``Judge.hub``), and such pair features (``FEATURES``), trained by
``training/train_story.py`` on AllSides (one story told by three outlets against other
stories, the hardest mined as nearest neighbours) and ECB+ (the same event against another
event of the same kind); its numbers are ``summariser/data/story.json``, with one threshold per
use, each chosen for precision on data of that kind it was not fitted on:

* ``feed``: a feed's headline against a digest's story (``bot/feeds.py``);
* ``earlier``: an earlier digest's story against this one's ("Earlier in this server").

A page's own links are judged by ``related.py``, which feeds the judge's logit to its link
model beside where the link sits on the page.

An article is seen as its story text (title and lead, or title and first summary sentence: what
the bot stores), that text's vector, and the words of the text it was read from. Everything is
linear in the texts; matching one story against many is one matrix product (the stored rows'
hubs are kept by the caller) plus the features of those candidates whose vectors leave them a
chance (``Judge.reach``, an exact bound), so thousands of stored headlines cost little.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from summariser.linear import Linear
from summariser.words import STOP_WORDS, content_words

WEIGHTS = Path(__file__).parent / "data" / "story.json"
HUBS = Path(__file__).parent / "data" / "story-hubs.npy"  # the hubs of news headlines
FEATURES = ("cosine", "article_hub", "candidate_hub", "words", "names", "numbers",
            "other_numbers", "unknown_caps")
VECTOR_FEATURES = 3  # the first features come from vectors: cosines, each in [-1, 1]
USES = ("feed", "earlier")
HELD_OUT_TOPICS = 5  # ECB+ topics whose number is a multiple of this are never trained on
MAX_TEXT = 5_000  # characters of a text the judge reads: a story text is a few sentences
# Rows of one ``matches`` call whose text features are read: those within reach with the best
# log-odds from their vectors alone. A row further down could pass only on its words: on the
# held-out AllSides stories the cap costs recall 0.209 -> 0.204 (precision 0.958 -> 0.957), on
# the held-out ECB+ topics 0.384 -> 0.369, and it cuts matching a story against 5,000 feed
# headlines in 20 feeds from 154 ms to 9 ms (p50, on a loaded machine; the old cosine rule: 1.3).
MAX_JUDGED = 16

_WORD = re.compile(r"[^\W\d_][\w’'-]*|\d[\d.,:]*")
_PIECE = re.compile(r"[a-z0-9]+")  # as ``content_words`` splits: "navalny's" is "navalny"


@dataclass(frozen=True, slots=True)
class Terms:
    """What the judge reads of a text besides its vector: its content words, the words it
    writes as names (capitalised inside a sentence), and its numbers."""

    words: frozenset[str]
    names: frozenset[str]
    numbers: frozenset[str]
    caps: frozenset[str]  # content words capitalised after the first word (names, or title case)

    @classmethod
    def of(cls, text: str) -> Terms:
        """``text``'s terms (its first ``MAX_TEXT`` characters)."""
        text = text[:MAX_TEXT]
        names: set[str] = set()
        caps: set[str] = set()
        numbers: set[str] = set()
        for sentence in re.split(r"(?<=[.!?:;])\s+|\n+", text):
            tokens = _WORD.findall(sentence)
            for position, token in enumerate(tokens):
                if token[0].isdigit():
                    number = token.rstrip(".,:")
                    if number.replace(",", "").replace(".", "") not in ("", "1", "2", "3"):
                        numbers.add(number.replace(",", ""))
                elif position and token[0].isupper():
                    caps.update(piece for piece in _PIECE.findall(token.lower())
                                if len(piece) > 2 and piece not in STOP_WORDS)
        words = frozenset(content_words(text))
        # A name is written capitalised where other words are not: in a text mostly in title
        # case ("Trump Slams Kerry"), capitals tell nothing, so none counts.
        title_case = len(caps) > 0.6 * max(len(words), 1) and len(words) >= 4
        names = set() if title_case else caps
        return cls(words, frozenset(names), frozenset(numbers), frozenset(caps))


def pair_features(candidate: Terms, article: Terms) -> list[float]:
    """The row of ``FEATURES`` after the vectors' (``VECTOR_FEATURES``): of the
    ``candidate``'s content words the share the ``article`` uses, how many of them the article
    writes as names (up to 3, as a share of 3), whether a number of the candidate's is the
    article's, whether it has numbers the article has not, and the share of the words it
    capitalises that the article never uses (another name: another story)."""
    count = max(len(candidate.words), 1)
    shared_numbers = candidate.numbers & article.numbers
    unknown = candidate.caps - article.words
    return [len(candidate.words & article.words) / count,
            min(len(candidate.words & article.names), 3) / 3, float(bool(shared_numbers)),
            float(bool(candidate.numbers - article.numbers)),
            len(unknown) / max(len(candidate.caps), 1)]


def features(cosines: np.ndarray, hubs: np.ndarray, candidates: Sequence[Terms],
             article_hub: float, article: Terms) -> np.ndarray:
    """One row of ``FEATURES`` per candidate: its cosine to the article (``cosines``), the
    article's and its own closeness to the hubs of news headlines (``Judge.hub``: a text
    close to many stories is close to the article without being its story), and its
    ``pair_features``."""
    words = np.array([pair_features(terms, article) for terms in candidates],
                     dtype=np.float64).reshape(len(candidates), len(FEATURES) - VECTOR_FEATURES)
    return np.column_stack([np.asarray(cosines, dtype=np.float64),
                            np.full(len(candidates), article_hub),
                            np.asarray(hubs, dtype=np.float64), words])


@dataclass(frozen=True, slots=True)
class Judge:
    """The judge's model, the probability each use asks, and the hubs of news headlines (the
    centroids of AllSides' training headlines' vectors, ``HUBS``): how close a text is to the
    nearest hub says how close it is to many stories at once (the hubness correction of
    cross-domain similarity local scaling, Conneau et al. 2018)."""

    model: Linear
    thresholds: dict[str, float]
    hubs: np.ndarray

    def hub(self, vectors: np.ndarray) -> np.ndarray:
        """Each unit vector's cosine to its nearest hub: one product with the hubs (128 rows),
        which callers matching many stored vectors compute once and keep."""
        if not len(vectors):
            return np.zeros(0)
        return np.asarray((np.asarray(vectors, dtype=np.float32) @ self.hubs.T).max(axis=1),
                          dtype=np.float64)

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """The probability that each row's pair is about the same story."""
        return self.model.probability(rows)

    def logit(self, rows: np.ndarray) -> np.ndarray:
        """The log-odds that each row's pair is about the same story."""
        return self.model.logit(rows)

    def reach(self, vector_rows: np.ndarray, threshold: float) -> np.ndarray:
        """Which pairs, of their ``VECTOR_FEATURES`` given, can reach ``threshold`` whatever
        their other features (each lies in [0, 1]): only those need them."""
        weight = self.model.per_unit
        rows = np.zeros((len(vector_rows), len(FEATURES)))
        rows[:, :VECTOR_FEATURES] = vector_rows
        most = self.model.logit(rows) + np.clip(weight[VECTOR_FEATURES:], 0, None).sum()
        return np.asarray(most >= np.log(threshold / (1 - threshold)) - 1e-9)

    def matches(self, vector: np.ndarray, text: str, others: np.ndarray,
                other_terms: Sequence[Terms], use: str, other_hubs: np.ndarray | None = None
                ) -> list[tuple[float, int]]:
        """(probability, row) of each row of ``others`` (unit vectors; the terms of each row's
        text in ``other_terms``; their ``hub`` when known) about the same story as ``vector``
        (the article's story text ``text``), at ``use``'s threshold or above: best first, ties
        in row order."""
        if not len(other_terms):
            return []
        threshold = self.thresholds[use]
        cosine = others @ vector
        hubs = self.hub(others) if other_hubs is None else other_hubs
        article_hub = float(self.hub(vector[None])[0])
        vectors = np.column_stack([cosine, np.full(len(cosine), article_hub), hubs])
        reach = np.flatnonzero(self.reach(vectors, threshold))
        rows = np.zeros((len(reach), len(FEATURES)))
        rows[:, :VECTOR_FEATURES] = vectors[reach]
        order = np.argsort(-self.model.logit(rows), kind="stable")[:MAX_JUDGED]
        near = sorted(int(reach[i]) for i in order)
        if not near:
            return []
        article = _article_terms(text)
        probability = self.probability(features(cosine[near], hubs[near],
                                                [other_terms[k] for k in near],
                                                article_hub, article))
        found = [(float(p), k) for p, k in zip(probability, near, strict=True)
                 if p >= threshold]
        found.sort(key=lambda pair: -pair[0])
        return found


@lru_cache(maxsize=16)
def _article_terms(text: str) -> Terms:
    """``Terms.of(text)``, kept: one story is matched against each of a server's feeds."""
    return Terms.of(text)


def held_out_topic(topic: int) -> bool:
    """Is ECB+ ``topic`` one the judge is never trained or tuned on (for ``evaluate``)?"""
    return topic % HELD_OUT_TOPICS == 0


@lru_cache(maxsize=2)
def judge(path: Path = WEIGHTS) -> Judge:
    """The judge in ``path``, the committed one by default (read once, no network)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    thresholds = {use: float(data["thresholds"][use]) for use in USES}
    hubs = np.load(path.with_name(HUBS.name)).astype(np.float32)
    return Judge(Linear.from_json(data["model"], FEATURES, path), thresholds, hubs)
