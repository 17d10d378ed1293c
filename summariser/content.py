"""Which lines of a pasted page are the article: a small learned content model.

The line rules of ``paste.py`` say what each line looks like (chrome, a date, a byline, a
headline list, a line before, inside or after the run of prose) and which lines they would
keep. They were written from a handful of pastes; on whole pages pasted from a browser they
keep teasers, newsletter boxes and captions, and drop article paragraphs that follow a
"Related" heading. The content model decides instead, as jusText and Boilerpipe do, from the
shape of each line and of its neighbours:

* **the line itself**: words, characters, closing punctuation, the share of stop words, of
  capitalised words, of digits and punctuation, separators ("|", "•"), web addresses and
  handles, an opening quotation mark, how often the same line appears;
* **what the rules made of it**: its kind (``models.KINDS``) and the rules' verdict;
* **where it sits**: its place in the page, and whether it lies inside the rules' body;
* **what it talks about**: the share of its content words that the rest of the rules' body
  uses, and that the lead uses (an article's paragraphs share its vocabulary; a teaser for
  another story does not);
* **its neighbours**: the same shape features of the lines just before and after, and the
  share of kept lines around it.

A logistic regression over these gives each line a first probability; a second one, over that
score and the scores of the lines around it (the smoothing pass), gives the final one.
Both are trained by ``training/train_content.py`` on pasted pages whose article text is known,
reported by cross-validation grouped by site beside the rules; the weights are some 150
numbers in ``summariser/data/content.json``. Everything is linear in the paste: one pass for
the body's word counts, one per line for its features.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from summariser.linear import Linear, logistic
from summariser.models import KINDS, Reading, word_count
from summariser.sentences import ends_sentence
from summariser.words import CONTENT_FEATURE_STOP, content_words

WEIGHTS = Path(__file__).parent / "data" / "content.json"
# A line is article body when the model's probability reaches the threshold trained with the
# weights (best line F1 on the training folds: 0.25 today); this is only the default.
THRESHOLD = 0.5
MIN_WORDS = 3  # shorter lines (a subheading, "Share") keep the rules' verdict
SENTENCE_WORDS = 20  # an unpunctuated line this long is a paragraph, not a heading
PARAGRAPH_WORDS = 12  # above the article, a sentence must be this long to be decided
# When the lines the model keeps add up to fewer words than this, the paste is not an article
# or one unlike any the model has seen: the rules' body stands.
SURE_WORDS = 150
# A paste of more lines than this is no page a reader copied (the longest of the shared pages has
# 1,528): the rules decide it, which bounds the model's work at ~0.1 s.
MAX_LINES = 3_000
# A summary sentence comes from a paragraph the model is at least this sure of, while three or
# more such sentences exist (``Document.candidates``): the last check that no promo, caption
# or newsletter line that slipped into the body is put in front of the reader. Higher keeps
# more summaries clean but drops more true leads (cross-validated: 0.9 costs 12-16 points of
# agreement with the article's own summary, 0.8 costs 1-4).
SUMMARY_SURE = 0.8
SAMPLE_CHARS = 2_000  # the part of a line its word and character shares are read from
WINDOW = 3  # lines either side that the smoothing pass and the neighbour share look at


# Lines the rules recognise for certain (a "Read more:" line, a dateline, share buttons, a list
# heading) are never body: the model decides the others.
NEVER_BODY = frozenset({"end", "list_heading", "read_more", "chrome", "date", "byline"})
_KIND_INDEX = {kind: k for k, kind in enumerate(KINDS)}


_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SEPARATOR = re.compile(r"\s[|•·»›]\s|\s\|\s?|^[|•·»›]")
_WEB = re.compile(r"https?://|www\.|@\w|#\w|\.com\b|\.co\.uk\b|\.org\b")
_QUOTE_OPEN = tuple("\"“‘'")
_READER = frozenset("you your yours you're you’re we our us".split())
_CAPTION_CUE = re.compile(
    r"\b(?:pictured|photographed|seen here|file photo)\b"
    r"|\((?:left|right|top|bottom|above|below|cent(?:er|re)|front|back|red|blue|green|inset|"
    r"l|r|c|pictured)\b[^()]{0,30}\)",
    re.IGNORECASE,
)

LINE_FEATURES = (
    "log_words", "log_chars", "terminal", "stop_share", "capital_share", "digit_share",
    "punct_share", "separator", "web", "quote_open", "repeated", "reader_share", "caption_cue",
)
FEATURES = (
    *LINE_FEATURES,
    *(f"kind_{kind}" for kind in KINDS),
    "rule_body", "in_rule_span", "position", "body_share", "lead_share",
    *(f"prev_{name}" for name in ("log_words", "terminal", "stop_share", "rule_body")),
    *(f"next_{name}" for name in ("log_words", "terminal", "stop_share", "rule_body")),
    "near_rule_body",
)
SMOOTH_FEATURES = ("logit", "prev", "next", "before", "after", "either_side")


def _line_features(text: str, repeats: int) -> list[float]:
    # The shares are read from the line's first SAMPLE_CHARS characters: as good an estimate
    # for a paragraph, and a 200 KB line costs no more than a long paragraph.
    sample = text[:SAMPLE_CHARS]
    letters = _WORD.findall(sample)
    chars = max(len(sample), 1)
    digits = sum(c.isdigit() for c in sample)
    punct = sum(not c.isalnum() and not c.isspace() for c in sample)
    return [
        math.log1p(word_count(text)),
        math.log1p(len(text)),
        # as trained; unlike ends_sentence it also counts a line of closing marks alone (")")
        # as a sentence end: switching moves 2 of the shared pages' scores, so it waits for a
        # retrain
        float(text.rstrip("\"”’')]")[-1:] in ".!?…"),
        sum(w.lower() in CONTENT_FEATURE_STOP for w in letters) / max(len(letters), 1),
        sum(w[:1].isupper() for w in letters) / max(len(letters), 1),
        digits / chars,
        punct / chars,
        float(bool(_SEPARATOR.search(sample))),
        float(bool(_WEB.search(sample))),
        float(text.startswith(_QUOTE_OPEN)),
        float(repeats > 1),
        sum(w.lower() in _READER for w in letters) / max(len(letters), 1),
        float(bool(_CAPTION_CUE.search(sample))),
    ]


def features(reading: Reading) -> np.ndarray:
    """One row of ``FEATURES`` per line of ``reading``."""
    lines, kinds, body = reading.lines, reading.kinds, reading.rule_body
    n = len(lines)
    if not n:
        return np.zeros((0, len(FEATURES)))
    counts = Counter(line.lower() for line in lines)
    own = [_line_features(line, counts[line.lower()]) for line in lines]
    words = [content_words(line) for line in lines]
    body_words: Counter[str] = Counter()
    for line_words, kept in zip(words, body, strict=True):
        if kept:
            body_words.update(line_words)
    kept_at = [i for i, kept in enumerate(body) if kept]
    lead_words: set[str] = set()
    for i in kept_at[:2]:
        lead_words |= words[i]
    span = (kept_at[0], kept_at[-1]) if kept_at else (n, -1)
    # prefix sums of the rules' verdict, for the share of kept lines around each line
    kept_before = np.concatenate([[0], np.cumsum(body, dtype=np.int64)])
    rows = []
    for i in range(n):
        kind = [0.0] * len(KINDS)
        kind[_KIND_INDEX[kinds[i]]] = 1.0
        mine = words[i]
        # the rest of the body's words: the line's own count is taken out when it is kept
        others = sum(body_words[w] - (1 if body[i] else 0) > 0 for w in mine)
        prev = own[i - 1] if i else [0.0] * len(LINE_FEATURES)
        nxt = own[i + 1] if i + 1 < n else [0.0] * len(LINE_FEATURES)
        low, high = max(0, i - WINDOW), min(n, i + WINDOW + 1)
        around = kept_before[high] - kept_before[low] - int(body[i])
        rows.append([
            *own[i], *kind,
            float(body[i]),
            float(span[0] <= i <= span[1]),
            i / max(n - 1, 1),
            others / len(mine) if mine else 0.0,
            len(mine & lead_words) / len(mine) if mine else 0.0,
            prev[0], prev[2], prev[3], float(i > 0 and body[i - 1]),
            nxt[0], nxt[2], nxt[3], float(i + 1 < n and body[i + 1]),
            around / max(high - low - 1, 1),
        ])
    return np.asarray(rows, dtype=np.float64)


def smooth_features(logits: np.ndarray) -> np.ndarray:
    """One row of ``SMOOTH_FEATURES`` per line: its first-pass logit, the probabilities of the
    lines just before and after, the mean probability of the ``WINDOW`` lines before it and of
    those after it (an article's first and last paragraphs have article on one side only), and
    the higher of the two."""
    n = len(logits)
    probability = logistic(logits)
    padded = np.concatenate([[0.0], probability, [0.0]])
    prefix = np.concatenate([[0.0], np.cumsum(probability)])
    index = np.arange(n)
    low, high = np.maximum(index - WINDOW, 0), np.minimum(index + WINDOW + 1, n)
    before = (prefix[index] - prefix[low]) / np.maximum(index - low, 1)
    after = (prefix[high] - prefix[index + 1]) / np.maximum(high - index - 1, 1)
    return np.column_stack([logits, padded[:-2], padded[2:], before, after,
                            np.maximum(before, after)])


@dataclass(frozen=True, slots=True)
class ContentModel:
    """The two logistic regressions: on each line's features (``first``), then on the first
    pass's smoothed logits (``smooth``)."""

    first: Linear
    smooth: Linear
    threshold: float = THRESHOLD

    def first_pass(self, rows: np.ndarray) -> np.ndarray:
        """The first pass's logit for each feature row."""
        return self.first.logit(rows)

    def probabilities(self, reading: Reading) -> np.ndarray:
        """The probability that each line of ``reading`` is article body."""
        rows = features(reading)
        if not len(rows):
            return np.zeros(0)
        return self.smooth.probability(smooth_features(self.first_pass(rows)))

    def body(self, reading: Reading) -> tuple[list[bool], list[float] | None]:
        """Which lines are the article, and how sure the model is of each: the lines it
        decides (``decided``) by the model, the others by the rules. When what the
        model keeps is under ``SURE_WORDS`` words and the rules keep more, the rules decide
        (and no line has a score), as they do for a paste of more than ``MAX_LINES`` lines."""
        if len(reading.lines) > MAX_LINES:
            return list(reading.rule_body), None
        probability = self.probabilities(reading)
        keep = [
            bool(p >= self.threshold) if decided(line, kind) else kept
            for line, kind, p, kept in zip(reading.lines, reading.kinds, probability,
                                           reading.rule_body, strict=True)
        ]
        kept_words = _words(reading.lines, keep)
        if kept_words < SURE_WORDS and _words(reading.lines, reading.rule_body) > kept_words:
            return list(reading.rule_body), None
        return keep, [float(p) for p in probability]

    def to_json(self) -> dict[str, object]:
        """The weights as plain JSON data (``data/content.json``)."""
        return {**self.first.to_json(bias="intercept"),
                **self.smooth.to_json("smooth_", bias="intercept"), "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ContentModel:
        """A model from what ``to_json`` wrote."""
        return cls(Linear.from_json(data, FEATURES, WEIGHTS, bias="intercept"),
                   Linear.from_json(data, SMOOTH_FEATURES, WEIGHTS, "smooth_", "intercept"),
                   float(data["threshold"]))  # type: ignore[arg-type]


def decided(line: str, kind: str) -> bool:
    """Is ``line`` (taken for ``kind`` by the rules) one the model decides? It decides lines
    that read as sentences: of ``MIN_WORDS`` words or more, ending as a sentence ends or as
    long as a paragraph, and not recognised for certain by the rules. Headlines, headings and
    menu items keep the rules' verdict, so the title is still looked for among them."""
    words = word_count(line)
    terminal = ends_sentence(line)
    if kind == "before":  # above the prose, a short sentence may be the headline ("Why ...?")
        return words >= PARAGRAPH_WORDS and terminal or words >= SENTENCE_WORDS
    return kind not in NEVER_BODY and words >= MIN_WORDS and (terminal or words >= SENTENCE_WORDS)


def _words(lines: Sequence[str], keep: Sequence[bool]) -> int:
    return sum(word_count(line) for line, kept in zip(lines, keep, strict=True) if kept)


@lru_cache(maxsize=1)
def load() -> ContentModel:
    """The committed model (read once; no network, a few kilobytes)."""
    return ContentModel.from_json(json.loads(WEIGHTS.read_text(encoding="utf-8")))


def body_lines(reading: Reading) -> tuple[Sequence[bool], Sequence[float] | None]:
    """The lines of ``reading`` the committed model takes for the article, and its scores."""
    return load().body(reading)
