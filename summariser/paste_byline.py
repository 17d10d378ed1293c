"""Who wrote a whole pasted page when the byline rules find no byline: a small learned model
picks a line that names the author, or none.

A page pasted whole often gives its author on a line of its own, with no "By" ("Edward
Russell" under the headline, "Claus Boelen-Theile" beside the date), or behind a label the
byline rules do not read ("Post author By Helge Fahrnberger", "Gespeichert von rasos am 24.
Juli 2017 - 18:55"); it also names people who did not write it: readers' comments ("Kommentar
von jancak — 2019-01-01 @ 00:45"), other stories' bylines in a list, a photo's credit, and
menus made of capitalised words ("Recent Posts"). Where the rules read a byline it stands (on
the shared pages they are right 0.81 of the times they give one). Otherwise the candidates are
the lines where a "by", "von", "Autor:" … introduces a name (``page_meta.author_of`` reads it)
and the lines of a bare name (two to four capitalised words) next to the headline or the
dateline, never chrome. Each is described by how it names the name (a "by" word, a role, a
date on the line, a bare name, in capitals, how many of its words the page also writes in
lower case), what the line rules took it for, where it sits (how far from the headline, the
dateline and the top of the article's text, after the article or in a headline list), whether
it speaks of comments, and how often the page repeats the name; one more row stands for "no
byline". A linear model over them (a conditional logit: ``training/train_byline.py``, trained
on the shared pages pasted whole whose author is known and on which the rules read none,
cross-validated by site) scores each; the best line is the byline if it beats "no byline" by
the model's margin, chosen so that its names are right as often as the rules' own. The
weights are a few numbers in ``summariser/data/byline.json``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from summariser.linear import Linear
from summariser.models import Reading, word_count
from summariser.page_meta import BYLINE_ROLES, author_of
from summariser.title import body_start

WEIGHTS = Path(__file__).parent / "data" / "byline.json"
MAX_WORDS = 16  # a line naming its author with more words is prose
NEAR = 2  # lines either side of the headline or the dateline where a bare name counts
MAX_CANDIDATES = 64  # lines read at most, in page order
FEATURES = (
    "none", "introduced", "role", "dated", "bare", "upper", "words", "name_words",
    "below_title", "above_title", "title_distance", "above_start", "start_distance",
    "in_article", "closing", "listed", "kept", "comment", "repeated", "from_top",
    "by_dateline", "dated_near", "in_body", "common_words",
)
_INTRODUCED = re.compile(
    r"(?:^|\s)(?:by|von|por|par|di|door|av|przez|author|autor|autorin|auteur|auteure|text|"
    r"texto)\b:?\s", re.IGNORECASE)
_NAME_WORD = r"[A-ZÀ-ÝĀ-Ž][\w'’.-]*"
_BARE_NAME = re.compile(rf"^{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|von|van|de|der|den|da|del|dos))"
                        r"{1,3},?$")
_COMMENT = re.compile(r"\b(?:comments?|kommentare?|antworten|reply|répondre|responder|"
                      r"antwort)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_]{3,}")


def _share(name: str, common: set[str]) -> float:
    """The share of ``name``'s words of 3+ letters that the page also writes in lower case."""
    words = _WORD.findall(name)
    return sum(word.lower() in common for word in words) / len(words) if words else 0.0


def _bare(line: str) -> bool:
    """Two to four capitalised words and nothing else: "Edward Russell", "Dr. Tim Loppe"."""
    if line.isupper():  # "TANJA KARRASCH"
        return bool(_BARE_NAME.match(line.title()))
    return bool(_BARE_NAME.match(line))


def candidates(reading: Reading, keep: Sequence[bool], title: str | None,
               dateline: str | None) -> list[int]:
    """The positions of the lines that may give the author (the first ``MAX_CANDIDATES``):
    a name a "by" word introduces anywhere, a bare name next to the headline or the
    ``dateline``; never a line the rules know for chrome."""
    lines, kinds = reading.lines, reading.kinds
    anchors = [lines.index(line) for line in (title, dateline) if line in lines]
    found: list[int] = []
    for i, line in enumerate(lines):
        if len(found) == MAX_CANDIDATES:
            break
        if line in (title, dateline) or kinds[i] == "chrome" or word_count(line) > MAX_WORDS:
            continue
        near = any(abs(at - i) <= NEAR for at in anchors)
        if (_INTRODUCED.search(line) or (near and _bare(line))) and author_of(line):
            found.append(i)
    return found


def features(reading: Reading, keep: Sequence[bool], title: str | None,
             found: Sequence[int], dateline: str | None) -> list[list[float]]:
    """One row per candidate of ``found`` (in ``FEATURES`` order), then the "no byline" row."""
    lines, kinds, n = reading.lines, reading.kinds, len(reading.lines)
    at_title = lines.index(title) if title in lines else None
    start = body_start(lines, keep)
    names = [author_of(lines[i]) or "" for i in found]
    text = "\n".join(lines).lower()
    body = "\n".join(line for line, kept in zip(lines, keep, strict=True) if kept).lower()
    at_date = lines.index(dateline) if dateline in lines else None
    dated = {i for i, kind in enumerate(kinds) if kind == "date"}
    # the words the page writes in lower case: a menu's "Recent Posts" or "Share" is made of
    # them, a person's name is not
    common = {word for line in lines for word in _WORD.findall(line) if word.islower()}
    rows = []
    for i, name in zip(found, names, strict=True):
        line, kind = lines[i], kinds[i]
        to_title = i - at_title if at_title is not None else None
        rows.append([
            0.0,
            float(bool(_INTRODUCED.search(line))),
            float(any(w.strip(".,").lower() in BYLINE_ROLES for w in line.split())),
            float(bool(_DIGIT.search(line))),
            float(_bare(line)),
            float(line.isupper()),
            min(word_count(line), MAX_WORDS) / 10,
            min(len(name.split()), 6) / 3,
            float(to_title is not None and 0 < to_title <= 4),
            float(to_title is not None and -4 <= to_title < 0),
            math.log1p(abs(to_title)) / 4 if to_title is not None else 1.0,
            float(0 <= start - i <= 4),
            math.log1p(abs(start - i)) / 4,
            float(start <= i),
            float(kind in ("end", "closing")),
            float(kind in ("listed", "list_heading", "read_more")),
            float(keep[i]),
            float(bool(_COMMENT.search(line))),
            min(text.count(name.lower()) - 1, 3) / 3 if name else 0.0,
            i / max(n - 1, 1),
            float(at_date is not None and abs(at_date - i) <= 2),
            float(any(j in dated for j in (i - 2, i - 1, i + 1, i + 2))),
            float(bool(name) and name.lower() in body),
            _share(name, common),
        ])
    rows.append([1.0] + [0.0] * (len(FEATURES) - 1))
    return rows


@lru_cache(maxsize=1)
def model() -> tuple[Linear, float]:
    """The committed model (read once; no bias: only the order of scores matters) and the
    margin by which a line must beat "no byline"."""
    weights = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return Linear.from_json(weights, FEATURES, WEIGHTS, bias=None), float(weights["margin"][0])


def pick_byline(reading: Reading, keep: Sequence[bool], title: str | None,
                rule_pick: str | None, dateline: str | None) -> str | None:
    """The byline of a whole pasted page (read as ``reading``, its body ``keep``, its headline
    ``title``, its ``dateline``): ``rule_pick``, the line rules' byline, where they read one;
    else the line most likely to give its author, or None where it does not beat "no byline"
    by the model's margin."""
    if rule_pick is not None:
        return rule_pick
    found = candidates(reading, keep, title, dateline)
    if not found:
        return None
    linear, margin = model()
    scores = linear.logit(features(reading, keep, title, found, dateline))
    best = int(scores[:-1].argmax())
    return reading.lines[found[best]] if scores[best] - scores[-1] > margin else None
