"""The same-story judge: is a headline (or an earlier story) about the same story as an article?

One cosine between two MiniLM vectors tells "the same topic" well and "the same story" badly:
two earthquakes, two rehab stays, two takeovers read alike. What tells them apart is mostly
who and what: the names, numbers and rare words the two texts share or do not. The judge is
small logistic models over the cosine, how close each text stands to the hubs of news headlines
(``Judge.hub``), and such pair features (``FEATURES``), trained by
``training/train_story.py`` on AllSides (one story told by three outlets against other
stories, the hardest mined as nearest neighbours) and ECB+ (the same event against another
event of the same kind); its numbers are ``summariser/data/story.json``. Each use has its
model, fitted on the pairs that cross-validation preferred for it, and its threshold, chosen
for precision on data of that kind it was not fitted on:

* ``feed``: a feed's headline against a digest's story (``bot/feeds.py``), on AllSides; where
  the pair reader is exported (``pair.py``), the judge's likeliest candidates at a lower floor
  are read by it, and the two decide together (``headlines.confirmed``), for both feed uses;
* ``feed_described``: the same for a feed item with a description, read as its story text
  (``story_text``: the headline and the description's first ``STORY_SENTENCES`` sentences), on
  AllSides' other outlets' headlines and leads;
* ``earlier``: an earlier digest's story against this one's ("Earlier in this server"), on
  ECB+'s pairs of documents of one kind of event, each read as the bot would store it pasted;
  two stories are read alike, so each pair is read both ways (``both_ways``);
* ``page``: a page's own links, on both: ``related.py`` feeds its logit to its link model
  beside where the link sits on the page (no threshold here).

An article is seen as its story text (its title and its lead's first ``STORY_SENTENCES``
sentences, or its title and first summary sentences: what the bot stores), that text's vector,
and the words of the text it was read from. Everything is linear in the texts; matching one
story against many is one matrix product (the stored rows' hubs are kept by the caller) plus the
features of those candidates whose vectors leave them a chance (``Judge.reach``, an exact
bound), so thousands of stored headlines cost little.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from summariser.linear import Linear
from summariser.sentences import split_paragraph
from summariser.words import ENGLISH, Vocabulary

WEIGHTS = Path(__file__).parent / "data" / "story.json"
HUBS = Path(__file__).parent / "data" / "story-hubs.npy"  # the hubs of news headlines
FEATURES = ("cosine", "article_hub", "candidate_hub", "words", "names", "numbers",
            "other_numbers", "unknown_caps")
VECTOR_FEATURES = 3  # the first features come from vectors: cosines, each in [-1, 1]
USES = ("feed", "feed_described", "earlier")  # the uses with a threshold here
MODELS = ("page", *USES)  # page links: the link model of ``related.py`` reads this one
# Uses whose two texts are alike, two stories: their model reads each pair both ways
# (``both_ways``), since another name in either text tells another story. For "earlier", by
# ``train_story.py``'s cross-validation (nested, aiming at precision 0.94): 0.935 / 0.551 read
# one way, 0.937 / 0.582 both ways.
BOTH_WAYS = frozenset({"earlier"})
BOTH_WAYS_FEATURES = ("cosine", "hubs", "hub_gap", *FEATURES[VECTOR_FEATURES:])
HELD_OUT_TOPICS = 5  # ECB+ topics whose number is a multiple of this are never trained on
MAX_TEXT = 5_000  # characters of a text the judge reads: a story text is a few sentences
# Sentences of an article's lead (of its summary, in the bot) its story text reads besides the
# title. Three rather than one, by ``train_story.py``'s cross-validation: recall at the same
# precision, feeds 0.373 -> 0.385, items with a description 0.446 -> 0.469, "earlier" (nested
# threshold; ECB+ texts read raw then) 0.921 / 0.597 -> 0.936 / 0.686; two sentences read 0.384,
# 0.465, 0.938 / 0.675.
# A feed item's description is read as far (``feeds.py``): recall of items with a description
# 0.469 (its first sentence) -> 0.495 (three), at the same precision.
STORY_SENTENCES = 3
# Rows of one ``matches`` call (of each of its groups: a feed) whose text features are read:
# those within reach with the best log-odds from their vectors alone. A row further down could
# pass only on its words. Measured with the single model the judge had before its per-use ones:
# on the held-out AllSides stories the cap cost recall 0.209 -> 0.204 (precision 0.958 ->
# 0.957), on the held-out ECB+ topics 0.384 -> 0.369, and it cut matching a story against 5,000
# feed headlines in 20 feeds from 154 ms to 9 ms (p50, on a loaded machine, pair by pair).
MAX_JUDGED = 16

_WORD = re.compile(r"[^\W\d_][\w’'-]*|\d[\d.,:]*")


def first_sentences(text: str, count: int = 1) -> list[str]:
    """The first ``count`` sentences of ``text``'s non-blank lines (a lead, a feed item's
    description), as the summariser splits sentences (``sentences.split_paragraph``): "Sen.",
    "U.S." or "John F." end no sentence, as the digest's own sentences never end there."""
    found: list[str] = []
    for line in text[:MAX_TEXT].splitlines():
        if len(found) >= count:
            break
        if line.strip():
            found += split_paragraph(line)
    return found[:count]


def story_text(headline: str | None, lead: str | None, sentences: int = STORY_SENTENCES) -> str:
    """A story as the judge reads it: its headline and the first ``sentences`` sentences of its
    lead: an article's, as the bot stores a digest's title and first summary sentences, or a
    feed item's description, as much of it as the bot keeps (``feeds.py``)."""
    return " ".join(part for part in (headline, " ".join(first_sentences(lead or "", sentences)))
                    if part)


def digest_story(title: str | None, summary: Sequence[str]) -> str:
    """What a digest is about, as the bot stores it to compare stories ("Earlier in this
    server", a followed feed's headlines): its title and first summary sentences, as many as
    the judge reads of an article's lead (``STORY_SENTENCES``)."""
    return " ".join(part for part in (title, *summary[:STORY_SENTENCES]) if part)


@dataclass(frozen=True, slots=True)
class Terms:
    """What the judge reads of a text besides its vector: its content words, the words it
    writes as names (capitalised inside a sentence), and its numbers."""

    words: frozenset[str]
    names: frozenset[str]
    numbers: frozenset[str]
    caps: frozenset[str]  # content words capitalised after the first word (names, or title case)

    @classmethod
    def of(cls, text: str, vocabulary: Vocabulary = ENGLISH) -> Terms:
        """``text``'s terms (its first ``MAX_TEXT`` characters), its words as ``vocabulary``
        reads them."""
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
                    caps.update(piece for piece in vocabulary.word.findall(token.lower())
                                if len(piece) > 2 and piece not in vocabulary.stop)
        words = frozenset(vocabulary.content_words(text))
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


def both_ways(rows: np.ndarray, reverse: np.ndarray) -> np.ndarray:
    """Rows of ``FEATURES`` read both ways (``BOTH_WAYS_FEATURES``): the cosine, the two texts'
    mean closeness to the hubs and the gap between them, and each ``pair_features`` column
    averaged with ``reverse``'s, the same pairs' read with the two texts swapped."""
    hubs = rows[:, 1:VECTOR_FEATURES]
    return np.column_stack([rows[:, 0], hubs.mean(axis=1), np.abs(hubs[:, 0] - hubs[:, 1]),
                            (rows[:, VECTOR_FEATURES:] + reverse) / 2])


def features_of(use: str) -> tuple[str, ...]:
    """The features ``use``'s model reads."""
    return BOTH_WAYS_FEATURES if use in BOTH_WAYS else FEATURES


def _key(term: str) -> int:
    """A term's 64-bit key, the same in every process (a collision between two of a few
    hundred thousand terms has odds of about one in 10^9)."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little",
                          signed=True)


def _keys(terms: frozenset[str]) -> np.ndarray:
    """The sorted keys of ``terms``."""
    return np.sort(np.fromiter(map(_key, terms), dtype=np.int64, count=len(terms)))


def _among(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Which of ``keys`` are in ``sorted_keys``."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return np.asarray(sorted_keys[at] == keys)


@dataclass(frozen=True, slots=True)
class TermRows:
    """The ``Terms`` of many texts as flat arrays of term keys (each kind of term text after
    text, with where each text's run starts), so that the judge reads the pair features of
    all of them against one article in a few array operations (``pair_rows``) instead of a
    loop. Built once for a feed's headlines and kept with their vectors."""

    words: np.ndarray
    word_start: np.ndarray  # text k's words are words[word_start[k]:word_start[k + 1]]
    caps: np.ndarray
    cap_start: np.ndarray
    numbers: np.ndarray
    number_start: np.ndarray

    def __len__(self) -> int:
        return len(self.word_start) - 1

    @classmethod
    def of(cls, terms: Sequence[Terms]) -> TermRows:
        """The rows of ``terms``, in order."""
        def flat(kind: str) -> tuple[np.ndarray, np.ndarray]:
            keys = [_keys(getattr(t, kind)) for t in terms]
            return (np.concatenate(keys) if keys else np.zeros(0, np.int64),
                    np.cumsum([0, *map(len, keys)]))

        return cls(*flat("words"), *flat("caps"), *flat("numbers"))

    @classmethod
    def joined(cls, parts: Sequence[TermRows]) -> TermRows:
        """The rows of ``parts``, one after the other."""
        def cat(keys: str, starts: str) -> tuple[np.ndarray, np.ndarray]:
            runs = [getattr(p, starts) for p in parts]
            ends = np.cumsum([0, *(r[-1] for r in runs)])
            return (np.concatenate([np.zeros(0, np.int64)] + [getattr(p, keys) for p in parts]),
                    np.concatenate([[0]] + [r[1:] + e for r, e in zip(runs, ends, strict=False)]))

        return cls(*cat("words", "word_start"), *cat("caps", "cap_start"),
                   *cat("numbers", "number_start"))

    def pair_rows(self, article: Terms, rows: np.ndarray | None = None) -> np.ndarray:
        """``pair_features`` of each text (of those at ``rows``, in that order, when given)
        against ``article``: the same numbers, read from the keys at once."""
        rows = np.arange(len(self)) if rows is None else np.asarray(rows, dtype=np.int64)

        def take(keys: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                  np.ndarray]:
            """The keys of ``rows``' runs, the (0-based) row of each, and each run's size."""
            first, size = starts[rows], starts[rows + 1] - starts[rows]
            into = np.repeat(first - np.cumsum(size) + size, size) + np.arange(int(size.sum()))
            return keys[into], np.repeat(np.arange(len(rows)), size), size

        def count(hit: np.ndarray, of: np.ndarray) -> np.ndarray:
            return np.bincount(of, weights=hit, minlength=len(rows))

        words, names, numbers = (_keys(article.words), _keys(article.names),
                                 _keys(article.numbers))
        own, own_row, size = take(self.words, self.word_start)
        said, said_row, _ = take(self.numbers, self.number_start)
        caps, caps_row, caps_size = take(self.caps, self.cap_start)
        same_number = _among(said, numbers)
        return np.column_stack([
            count(_among(own, words), own_row) / np.maximum(size, 1),
            np.minimum(count(_among(own, names), own_row), 3) / 3,
            (count(same_number, said_row) > 0).astype(float),
            (count(~same_number, said_row) > 0).astype(float),
            count(~_among(caps, words), caps_row) / np.maximum(caps_size, 1)])


def features(cosines: np.ndarray, hubs: np.ndarray, candidates: Sequence[Terms] | TermRows,
             article_hub: float, article: Terms, rows: np.ndarray | None = None) -> np.ndarray:
    """One row of ``FEATURES`` per candidate (of those at ``rows`` of ``candidates`` when
    given; ``cosines`` and ``hubs`` are theirs): its cosine to the article (``cosines``), the
    article's and its own closeness to the hubs of news headlines (``Judge.hub``: a text
    close to many stories is close to the article without being its story), and its
    ``pair_features`` (read at once by ``TermRows.pair_rows``)."""
    table = candidates if isinstance(candidates, TermRows) else TermRows.of(candidates)
    words = table.pair_rows(article, rows).reshape(-1, len(FEATURES) - VECTOR_FEATURES)
    return np.column_stack([np.asarray(cosines, dtype=np.float64),
                            np.full(len(words), article_hub),
                            np.asarray(hubs, dtype=np.float64), words])


@dataclass(frozen=True, slots=True)
class Judge:
    """The judge's models and the probability each use asks, and the hubs of news headlines
    (the centroids of AllSides' training headlines' vectors, ``HUBS``): how close a text is to
    the nearest hub says how close it is to many stories at once (the hubness correction of
    cross-domain similarity local scaling, Conneau et al. 2018).

    One model per use (``MODELS``), each on the same features (read both ways for the uses in
    ``BOTH_WAYS``), fitted on the pairs of its kind that cross-validation preferred
    (``story.json``'s ``trained_on``): ``page`` is what the link model of ``related.py``
    reads."""

    models: dict[str, Linear]
    thresholds: dict[str, float]
    hubs: np.ndarray

    def hub(self, vectors: np.ndarray) -> np.ndarray:
        """Each unit vector's cosine to its nearest hub: one product with the hubs (128 rows),
        which callers matching many stored vectors compute once and keep."""
        if not len(vectors):
            return np.zeros(0)
        return np.asarray((np.asarray(vectors, dtype=np.float32) @ self.hubs.T).max(axis=1),
                          dtype=np.float64)

    def probability(self, rows: np.ndarray, use: str = "page") -> np.ndarray:
        """The probability that each row's pair is about the same story, by ``use``'s model
        (rows of ``features_of(use)``)."""
        return self.models[use].probability(rows)

    def logit(self, rows: np.ndarray, use: str = "page") -> np.ndarray:
        """The log-odds that each row's pair is about the same story, by ``use``'s model."""
        return self.models[use].logit(rows)

    def reach(self, vector_rows: np.ndarray, threshold: float, use: str = "page") -> np.ndarray:
        """Which pairs, of their ``VECTOR_FEATURES`` given, can reach ``threshold`` by ``use``'s
        model whatever their other features (each lies in [0, 1]): only those need them."""
        return self._within(self._vector_logit(vector_rows, use), threshold, use)

    def _vector_logit(self, vector_rows: np.ndarray, use: str) -> np.ndarray:
        """The log-odds of pairs with their ``VECTOR_FEATURES`` given and the others 0."""
        rows = np.zeros((len(vector_rows), len(FEATURES)))
        rows[:, :VECTOR_FEATURES] = vector_rows
        if use in BOTH_WAYS:  # the text features 0 either way round
            rows = both_ways(rows, rows[:, VECTOR_FEATURES:])
        return self.models[use].logit(rows)

    def _within(self, vector_logit: np.ndarray, threshold: float, use: str) -> np.ndarray:
        weight = self.models[use].per_unit[VECTOR_FEATURES:]
        most = vector_logit + np.clip(weight, 0, None).sum()
        return np.asarray(most >= np.log(threshold / (1 - threshold)) - 1e-9)

    def matches(self, vector: np.ndarray, text: str, others: np.ndarray | None,
                other_terms: Sequence[Terms] | TermRows, use: str,
                other_hubs: np.ndarray | None = None, groups: np.ndarray | None = None,
                cosine: np.ndarray | None = None, floor: float | None = None
                ) -> list[tuple[float, int]]:
        """(probability, row) of each row of ``others`` (unit vectors; the terms of each row's
        text in ``other_terms``; their ``hub`` when known) about the same story as ``vector``
        (the article's story text ``text``), at ``use``'s threshold or above (at ``floor``
        when given: candidates for the pair reader to decide): best first, ties in row order.

        The rows may come in ``groups`` (each row's group, rows of a group together: a feed's
        headlines); the text features are read for at most ``MAX_JUDGED`` rows of each
        group, as if each group were matched alone, and all of them in one pass. ``cosine``
        is ``others @ vector`` where the caller has it: with ``other_hubs``, ``others`` may then
        be None."""
        if not len(other_terms):
            return []
        threshold = self.thresholds[use] if floor is None else floor
        if others is not None:
            cosine = others @ vector if cosine is None else cosine
            hubs = self.hub(others) if other_hubs is None else other_hubs
        elif cosine is None or other_hubs is None:
            raise ValueError("matches needs the rows' vectors, or their cosines and hubs")
        else:
            hubs = other_hubs
        article_hub = float(self.hub(vector[None])[0])
        vectors = np.column_stack([cosine, np.full(len(cosine), article_hub), hubs])
        logit = self._vector_logit(vectors, use)
        reach = np.flatnonzero(self._within(logit, threshold, use))
        if not len(reach):
            return []
        logit = logit[reach]
        if groups is None:
            order = np.argsort(-logit, kind="stable")[:MAX_JUDGED]
        else:  # the best MAX_JUDGED of each group: by group, then log-odds, then row
            group = np.asarray(groups)[reach]
            order = np.lexsort((-logit, group))
            first = np.flatnonzero(np.r_[True, group[order][1:] != group[order][:-1]])
            rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
            order = order[rank < MAX_JUDGED]
        near = np.sort(reach[order])
        article = _article_terms(text)
        if isinstance(other_terms, TermRows):
            if use in BOTH_WAYS:
                raise ValueError(f"{use} reads both ways: it needs the rows' Terms")
            rows = features(cosine[near], hubs[near], other_terms, article_hub, article, near)
        else:
            rows = features(cosine[near], hubs[near], [other_terms[k] for k in near],
                            article_hub, article)
            if use in BOTH_WAYS:
                rows = both_ways(rows, np.array(
                    [pair_features(article, other_terms[k]) for k in near]))
        probability = self.probability(rows, use)
        found = [(float(p), int(k)) for p, k in zip(probability, near, strict=True)
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
    models = {use: Linear.from_json(data["models"][use], features_of(use), path)
              for use in MODELS}
    return Judge(models, thresholds, hubs)
