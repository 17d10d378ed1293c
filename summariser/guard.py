"""Faithfulness guard: a generated sentence is shown only if the article backs it.

Checks, in order, each with a short reason when it fails:

* **names**: every capitalised word and acronym in the sentence (its first word aside) must
  appear in the article;
* **numbers**: every number (commas and trailing zeros of decimals ignored) must appear in it;
* **quoted words**: text inside quotation marks must appear verbatim (spacing aside);
* **coverage**: at least half of its content words (crudely stemmed) must be words the article
  uses: a fluent sentence about something else fails here;
* **support**: the sentence's MiniLM embedding must be close enough (cosine ≥ threshold) to its
  best-matching article sentence. Both thresholds were set on the CNN dev data so that nearly
  all reference highlights pass against their own article and few pass against another
  article's (``training/tune_guard.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from summariser.encoder import Encoder
from summariser.models import Verdict
from summariser.words import CALENDAR_WORDS, COMMON_CAPITALISED, GUARD_STOP

_PROPER = re.compile(r"(?<![\w'’.-])(?:(?:[A-Z]\.){2,}|[A-Z][\w'’-]*)")
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[\w'’-]+")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
_QUOTED = re.compile(r"[“\"]([^“”\"]{3,})[”\"]")


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[“”\"‘’']", "'", text).lower().split())


def _numbers(text: str) -> set[str]:
    out = set()
    for match in _NUMBER.finditer(text):
        value = match.group(0).replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        out.add(value)
    return out


def _words(text: str) -> set[str]:
    return {w.lower().removesuffix("’s").removesuffix("'s") for w in _WORD.findall(text)}


def unknown_name(sentence: str, article_words: set[str]) -> str | None:
    """The first capitalised word or acronym of ``sentence`` the article never uses.
    The sentence's own first word is capitalised anyway and is not checked."""
    for match in _PROPER.finditer(sentence):
        if not sentence[: match.start()].strip(" \"“‘'("):
            continue
        word = match.group(0).removesuffix("’s").removesuffix("'s")
        lower = word.lower()
        if lower in COMMON_CAPITALISED or lower in CALENDAR_WORDS or lower in article_words:
            continue
        return word
    return None




def _stem(word: str) -> str:
    """A crude stem, enough to match "resigned"/"resigning"/"resigns" across paraphrase."""
    for suffix in ("ing", "ed", "es", "ly", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def stems(text: str) -> set[str]:
    """The stems of the content words of ``text``."""
    return {_stem(w) for w in re.findall(r"[a-z]+", text.lower())}


def coverage(sentence: str, article_stems: set[str]) -> float:
    """Share of the sentence's content words (stemmed) that the article also uses."""
    words = [_stem(w) for w in re.findall(r"[a-z]+", sentence.lower()) if w not in GUARD_STOP]
    if not words:
        return 1.0
    return sum(w in article_stems for w in words) / len(words)


class Guard:
    """The faithfulness check for generated sentences: each must be close to a sentence of
    the article, use its content words and name no one and no number it does not."""

    def __init__(self, encoder: Encoder, threshold: float, min_coverage: float = 0.5) -> None:
        self.encoder = encoder
        self.threshold = threshold
        self.min_coverage = min_coverage

    def check(
        self, generated: Sequence[str], article: str, article_vectors: np.ndarray
    ) -> list[Verdict]:
        """One verdict per generated sentence, in order."""
        text = _normal(article)
        numbers = _numbers(article)
        words = _words(article)
        article_stems = stems(article)
        vectors = self.encoder.encode(list(generated)) if generated else np.zeros((0, 1))
        verdicts = []
        for sentence, vector in zip(generated, vectors, strict=True):
            support = float((article_vectors @ vector).max()) if len(article_vectors) else 0.0
            missing_name = unknown_name(sentence, words)
            missing_number = next((n for n in sorted(_numbers(sentence)) if n not in numbers), None)
            missing_quote = next(
                (q for q in _QUOTED.findall(sentence) if _normal(q) not in text), None)
            if missing_name:
                reason = f"name not in article: {missing_name}"
            elif missing_number:
                reason = f"number not in article: {missing_number}"
            elif missing_quote:
                reason = "quoted words not in article"
            elif (share := coverage(sentence, article_stems)) < self.min_coverage:
                reason = f"words not from the article ({share:.0%} of its content words are)"
            elif support < self.threshold:
                reason = f"not supported (similarity {support:.2f})"
            else:
                reason = ""
            verdicts.append(Verdict(sentence, not reason, reason, support))
        return verdicts
