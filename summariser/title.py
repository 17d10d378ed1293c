"""Which line of a pasted page is the article's headline: a small learned model.

A whole page pasted from a browser puts many short lines before the article: the site's name,
menus, "Sign in", sections, promos, share buttons, other stories' headlines, and somewhere
among them the headline. Which lines the picker compares (``window``): every line above the
first one the content model keeps and, on a page pasted whole (the body's main stretch
``PAGE_LINES`` lines or more down), the lines just above and at the top of that stretch
(``body_start``: the run of kept lines with the most words), since a teaser, a cookie notice or
a menu blurb kept as body may sit above the headline, and a headline that reads as a sentence
may be kept as body. Paragraphs of prose (but not a line in title case, however it ends), a
lead opening with a dateline ("LONDON — ", "MOSCOW (AP) — ") and lines the rules recognise for
certain (chrome, datelines, bylines, list headings) are never compared.

Each line is described by its shape (length, capitals, closing punctuation, a site separator,
a "Label:" opening, dates and years, web addresses, words that talk to the reader, a byline's
"By"/"Von"/"Por" …), its words (how many of them the lead uses, compared by their first five
letters so that "Peanuts" meets "peanut", and by pairs of letters in scripts written without
spaces: a headline tells the story the first paragraphs tell; and how often the article's text
uses them, which a sidebar's headline does not), where it sits (how far above the body,
whether it opens the paste, whether a byline or dateline follows it, whether the rules read it
as a headline list), the content model's score, and the verdict of the hand-written rule the
model replaces; and the same of the lines right above and below it, with their kinds (a
headline sits above its standfirst, byline or date, below a section's name or a breadcrumb).
Lengths count the letters of unspaced scripts two a word (``word_count``). A linear model over
them, trained on the pooled shared pages in every language with known headlines, pasted whole
and clean, to put the headline above the other lines of its page (a conditional logit:
``training/train_title.py``, cross-validated by site), scores each line; the best one is the
title. The weights are a few numbers in ``summariser/data/title.json``. Everything is one pass
over the lines.
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

from summariser.linear import Linear
from summariser.models import UNSPACED, Reading, word_count
from summariser.words import DATELINE_PUNCTUATION, LEAD_DATELINE, STOP_WORDS, date_token

WEIGHTS = Path(__file__).parent / "data" / "title.json"
MAX_WORDS = 30  # longer lines are prose or standfirsts, never a headline
PARAGRAPH_WORDS = 12  # a sentence this long, or an unpunctuated line of twice as many, is prose
GAP = 6  # lines that may part two kept lines of one stretch of the body
PAGE_LINES = 5  # lines above the body's main stretch that tell a page pasted whole
ABOVE_START = 20  # lines above the body's main stretch that are compared
INTO_BODY = 4  # lines into it (a headline the content model kept as body)
MAX_SHOWN = 64  # the lines nearest the body that are compared at most
TITLE_CASE = 0.7  # share of capitalised words that tells a headline in title case
STEM = 5  # letters a word is compared by
LINE_FEATURES = (
    "lead_share", "lead_words", "words", "headline_sized", "near_body", "log_distance",
    "in_body", "capitalised", "terminal", "separator", "repeated", "rule_pick", "digits",
    "body_score", "dated", "label", "web", "reader", "upper", "before_byline", "first_line",
    "from_top", "listed", "year", "by_name", "body_words",
)
# The line right above and right below: whether there is one, its kind, and its own features
# (but where it stands among the lines shown, which is the line's own).
NEIGHBOURS = (("above", -1), ("below", 1))
_NEIGHBOUR_KINDS = ("exists", "byline_or_date", "chrome")  # "listed" is a line feature
_OWN_ONLY = ("from_top", "first_line")
_NEIGHBOUR_FEATURES = tuple(name for name in LINE_FEATURES if name not in _OWN_ONLY)
_NEIGHBOUR_INDEX = [LINE_FEATURES.index(name) for name in _NEIGHBOUR_FEATURES]
_FROM_TOP = LINE_FEATURES.index("from_top")
FEATURES = LINE_FEATURES + tuple(
    f"{side}_{name}" for side, _ in NEIGHBOURS
    for name in (*_NEIGHBOUR_KINDS, *_NEIGHBOUR_FEATURES))
# Lines the rules recognise for certain are never the headline.
_NEVER = frozenset({"end", "closing", "read_more", "list_heading", "chrome", "date", "byline"})
_SEPARATOR = re.compile(r"\s[|•·–—»>/-]\s|\|")
_LABEL = re.compile(r"^[A-Z][\w ]{0,20}:\s")  # "Topics: …", "Second Opinion: …"
_WEB = re.compile(r"©|https?://|www\.|\.com\b|\.org\b|@\w")
_READER = frozenset("you your yours we our us my sign log".split())
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# A byline in the languages of the shared pages: "By …", "Von …", "Por …", "Par …", "Di …",
# "Door …", "Av …", "Przez …", or "… von Name" after a date ("6. Dezember 2022 von Fatima").
_BY_NAME = re.compile(r"(?:^|\d\s+)(?:by|von|por|par|di|door|av|przez)\s+\w", re.IGNORECASE)
_UNSPACED_RUN = re.compile(f"{UNSPACED.pattern}+")
_TOKEN = re.compile(r"\w+")


def _stems(text: str) -> set[str]:
    """What a line's words are compared by: the first ``STEM`` letters of each word of 3+
    letters that is no stop word, and the pairs of letters of a script written without spaces
    (Japanese, Chinese)."""
    lowered = text.lower()
    found = {word[:STEM] for word in _TOKEN.findall(_UNSPACED_RUN.sub(" ", lowered))
             if len(word) > 2 and word not in STOP_WORDS}
    for run in _UNSPACED_RUN.findall(lowered):
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    return found


def _prose(line: str) -> bool:
    words, count = line.split(), word_count(line)
    if count <= MAX_WORDS and _capitalised(words) >= TITLE_CASE:
        return False  # a headline in title case, however long and however it ends
    return (count >= PARAGRAPH_WORDS and line.rstrip("\"”’')]。！？")[-1:] in ".!?。！？") or (
        count >= 2 * PARAGRAPH_WORDS)


def _capitalised(words: Sequence[str]) -> float:
    return sum(w[:1].isupper() for w in words) / len(words) if words else 0.0


def body_start(lines: Sequence[str], keep: Sequence[bool]) -> int:
    """The first line of the stretch of kept lines with the most words (kept lines at most
    ``GAP`` lines apart are one stretch); ``len(lines)`` when none is kept."""
    best, best_words = len(lines), -1
    start, words, last = -1, 0, -GAP - 1
    for i, kept in enumerate(keep):
        if not kept:
            continue
        if i - last > GAP:
            if start >= 0 and words > best_words:
                best, best_words = start, words
            start, words = i, 0
        words += len(lines[i].split())
        last = i
    if start >= 0 and words > best_words:
        best = start
    return best


def window(reading: Reading, keep: Sequence[bool]) -> list[int]:
    """The positions of the lines the headline is looked for among, in page order."""
    lines, n = reading.lines, len(reading.lines)
    first = next((i for i, kept in enumerate(keep) if kept), n)
    start = body_start(lines, keep)
    # Below the first kept line only on a page pasted whole, whose main stretch comes after the
    # site's lines (a promo kept at the top aside): in an article pasted alone, the lines there
    # are its subheadings. ``start`` is never above ``first``.
    end = min(n, start + INTO_BODY) if start >= PAGE_LINES else first
    shown = [
        i for i in range(end)
        if (i < first or i >= start - ABOVE_START) and reading.kinds[i] not in _NEVER
        and 2 <= word_count(lines[i]) <= MAX_WORDS and not _prose(lines[i])
        and not LEAD_DATELINE.match(lines[i])  # "HAYWARD, Calif. (AP) — The Latest …": a lead
    ]
    return shown[-MAX_SHOWN:]


def _lead(lines: Sequence[str], keep: Sequence[bool], start: int) -> str:
    """The article's first two paragraphs of prose, from the body's main stretch (``start``)."""
    prose = [lines[i] for i in range(start, len(lines)) if keep[i] and _prose(lines[i])]
    return " ".join(prose[:2])


@dataclass(frozen=True)
class _Page:
    """What every line of one paste is compared with, computed once."""

    reading: Reading
    keep: Sequence[bool]
    scores: Sequence[float] | None
    rule_pick: str | None
    start: int  # the first line of the body's main stretch
    lead_stems: set[str]
    counts: Counter[str]  # how often each line (lowercased) occurs
    body_stems: Counter[str]  # how many lines of the main stretch use each word


def _line_row(page: _Page, i: int) -> list[float]:
    """Line ``i``'s own features (``LINE_FEATURES``), its rank among the lines shown (set by
    ``features``) left 0."""
    lines, kinds, keep = page.reading.lines, page.reading.kinds, page.keep
    line = lines[i]
    words, count = line.split(), word_count(line)
    if not words:
        return [0.0] * len(LINE_FEATURES)
    own = _stems(line)
    shared = len(own & page.lead_stems)
    distance = page.start - i
    following = [kinds[j] in ("date", "byline") for j in (i + 1, i + 2) if j < len(lines)]
    return [
        shared / len(own) if own else 0.0,
        min(shared, 10) / 10,
        min(count, MAX_WORDS) / 10,
        float(4 <= count <= 16),
        1 / (1 + distance) if distance > 0 else 0.0,
        math.log1p(max(distance, 0)) / 4,
        float(distance <= 0),
        _capitalised(words),
        float(line.rstrip("\"”’')]")[-1:] in ".!?:;"),
        float(bool(_SEPARATOR.search(line))),
        float(page.counts[line.lower()] > 1),
        float(line == page.rule_pick),
        sum(c.isdigit() for c in line) / len(line),
        page.scores[i] if page.scores is not None else float(keep[i]),
        sum(date_token(w.strip(DATELINE_PUNCTUATION)) for w in words) / len(words),
        float(bool(_LABEL.match(line))),
        float(bool(_WEB.search(line))),
        sum(w.lower() in _READER for w in words) / len(words),
        sum(c.isupper() for c in line) / max(sum(c.isalpha() for c in line), 1),
        float(following[:1] == [True]) + 0.5 * float(following[1:] == [True]),
        float(i == 0),
        0.0,  # from_top
        float(kinds[i] == "listed"),
        float(bool(_YEAR.search(line))),
        float(bool(_BY_NAME.search(line))),
        sum(min(page.body_stems[stem] - (i >= page.start and keep[i]), 3) for stem in own)
        / (3 * len(own)) if own else 0.0,
    ]


def features(reading: Reading, keep: Sequence[bool], scores: Sequence[float] | None,
             shown: Sequence[int], rule_pick: str | None) -> list[list[float]]:
    """One feature row per line of ``shown`` (in ``FEATURES`` order): the line's own, then its
    neighbours' (a headline sits above its standfirst or byline, below a section's name)."""
    lines, n = reading.lines, len(reading.lines)
    start = body_start(lines, keep)
    page = _Page(reading, keep, scores, rule_pick, start, _stems(_lead(lines, keep, start)),
                 Counter(line.lower() for line in lines),
                 Counter(stem for j in range(start, n) if keep[j] for stem in _stems(lines[j])))
    own: dict[int, list[float]] = {}  # a line's row, read once though it neighbours others

    def row_of(i: int) -> list[float]:
        if i not in own:
            own[i] = _line_row(page, i)
        return own[i]

    rows = []
    for position, i in enumerate(shown):
        row = row_of(i).copy()
        row[_FROM_TOP] = position / max(len(shown) - 1, 1)
        for _, step in NEIGHBOURS:
            j = i + step
            if not 0 <= j < n:
                row += [0.0] * (len(_NEIGHBOUR_KINDS) + len(_NEIGHBOUR_FEATURES))
                continue
            kind, next_to = reading.kinds[j], row_of(j)
            row += [1.0, float(kind in ("byline", "date")), float(kind == "chrome"),
                    *(next_to[k] for k in _NEIGHBOUR_INDEX)]
        rows.append(row)
    return rows


@lru_cache(maxsize=1)
def model() -> Linear:
    """The committed model (read once; no bias: only the order of scores matters)."""
    return Linear.from_json(json.loads(WEIGHTS.read_text(encoding="utf-8")), FEATURES, WEIGHTS,
                            bias=None)


def line_scores(rows: Sequence[Sequence[float]]) -> list[float]:
    """The model's score of each row's line: the higher, the likelier the headline."""
    return [float(score) for score in model().logit(rows)]


def pick_title(reading: Reading, keep: Sequence[bool], scores: Sequence[float] | None,
               rule_pick: str | None) -> str | None:
    """The line of a whole pasted page (read as ``reading``, its body ``keep`` with the content
    model's ``scores``) most likely to be the headline; ``rule_pick``, the hand-written rule's
    choice, when no line may be one."""
    shown = window(reading, keep)
    if not shown:
        return rule_pick
    found = line_scores(features(reading, keep, scores, shown, rule_pick))
    return reading.lines[shown[max(range(len(shown)), key=found.__getitem__)]]
