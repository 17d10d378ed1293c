"""Which day a whole pasted page was published: a small learned model.

A page pasted whole names many days: today's date in its header, the dates of an archive menu
or of other stories' teasers, comments' dates, a copyright line, and somewhere, usually by the
headline, the article's own dateline, often run in with its author, section or tags
("Markus M. Haefliger, London, Beat Bumbacher 19.10.2019, 23:38 Uhr", "24. April 2020 |
Pressemitteilungen"). Every line of a few words that names a day (``page_meta.iso_date``) is a
candidate, and each is described by what the line rules took it for (a dateline, a byline, the
body, a headline list, the comments after the article), its shape (how much of it is date
words, a clock time, "published" or "updated" words, a copyright sign), where it sits (how far
from the headline and from the top of the article's text, how far down the page) and how its
day compares with the others' (the latest, how many lines name it, whether lines around it are
dated too, as in a list of stories). A linear model over them, trained on the shared pages
pasted whole to put the line naming the published day above the page's other dated lines (a
conditional logit: ``training/train_date.py``, cross-validated by site), scores each; the best
one is the page's dateline. The weights are a few numbers in ``summariser/data/date.json``.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

from summariser.linear import Linear
from summariser.models import Reading, word_count
from summariser.page_meta import iso_date
from summariser.title import body_start
from summariser.words import DATELINE_PUNCTUATION, date_token

WEIGHTS = Path(__file__).parent / "data" / "date.json"
MAX_WORDS = 30  # a line naming a day with more words is prose, not a dateline
# dated lines read at most, in page order: the article's dateline comes before an archive's
# or a comment section's hundredth date, and each costs htmldate a reading (~0.2 ms)
MAX_CANDIDATES = 100
NEAR = 4  # lines either side of the headline or the article's start that count as near it
FEATURES = (
    "dateline", "byline", "kept", "listed", "closing", "chrome", "words", "date_share",
    "below_title", "above_title", "title_distance", "above_start", "start_distance",
    "in_article", "from_top", "first", "repeated", "latest", "days_before_latest",
    "dated_neighbours", "published", "updated", "copyright", "clock", "rule_pick",
)
_PUBLISHED = re.compile(
    r"\b(?:published|posted|veröffentlicht|erstellt|erschienen|publicado|publié|publicat|"
    r"opublikowano|gepubliceerd|pubblicato)\b|\bvom\b|\bam\b", re.IGNORECASE)
_UPDATED = re.compile(
    r"\b(?:updated?|modified|aktualisiert|aktualisierung|geändert|actualizado|"
    r"actualización|mis à jour|modifié|aggiornato|bijgewerkt|zaktualizowano)\b", re.IGNORECASE)
_COPYRIGHT = re.compile(r"©|\(c\)|copyright", re.IGNORECASE)
_CLOCK = re.compile(r"\b\d{1,2}[:.h]\d{2}\b|\buhr\b|\b[ap]\.?m\.?\b", re.IGNORECASE)


def candidates(reading: Reading) -> list[tuple[int, str]]:
    """The positions of the lines that name a day (the first ``MAX_CANDIDATES``), with that
    day (ISO ``YYYY-MM-DD``)."""
    found: list[tuple[int, str]] = []
    for i, line in enumerate(reading.lines):
        if len(found) == MAX_CANDIDATES:
            break
        if word_count(line) <= MAX_WORDS and (day := iso_date(line)):
            found.append((i, day))
    return found


def _ordinal(day: str) -> int:
    try:
        return date.fromisoformat(day).toordinal()
    except ValueError:
        return 0


def features(reading: Reading, keep: Sequence[bool], title: str | None,
             rule_pick: str | None, found: Sequence[tuple[int, str]]) -> list[list[float]]:
    """One row per candidate of ``found`` (in ``FEATURES`` order)."""
    lines, kinds, n = reading.lines, reading.kinds, len(reading.lines)
    at_title = lines.index(title) if title in lines else None
    start = body_start(lines, keep)
    days = Counter(day for _, day in found)
    ordinals = [_ordinal(day) for _, day in found]
    latest = max(ordinals, default=0)
    positions = {i for i, _ in found}
    rows = []
    for k, (i, day) in enumerate(found):
        line, kind = lines[i], kinds[i]
        tokens = [t for t in (w.strip(DATELINE_PUNCTUATION) for w in line.split()) if t]
        to_title = i - at_title if at_title is not None else None
        rows.append([
            float(kind == "date"),
            float(kind == "byline" or (kind == "date" and line == reading.byline)),
            float(keep[i]),
            float(kind in ("listed", "list_heading", "read_more")),
            float(kind in ("end", "closing")),
            float(kind == "chrome"),
            min(word_count(line), MAX_WORDS) / 10,
            sum(date_token(t) for t in tokens) / len(tokens) if tokens else 0.0,
            float(to_title is not None and 0 < to_title <= NEAR),
            float(to_title is not None and -NEAR <= to_title < 0),
            math.log1p(abs(to_title)) / 4 if to_title is not None else 1.0,
            float(0 < start - i <= NEAR),
            math.log1p(abs(start - i)) / 4,
            float(start <= i < n and kind not in ("end", "closing")),
            i / max(n - 1, 1),
            float(k == 0),
            min(days[day] - 1, 3) / 3,
            float(ordinals[k] == latest),
            math.log1p(max(latest - ordinals[k], 0)) / 8,
            float(any(j in positions for j in (i - 2, i - 1, i + 1, i + 2))),
            float(bool(_PUBLISHED.search(line))),
            float(bool(_UPDATED.search(line))),
            float(bool(_COPYRIGHT.search(line))),
            float(bool(_CLOCK.search(line))),
            float(line == rule_pick),
        ])
    return rows


@lru_cache(maxsize=1)
def model() -> Linear:
    """The committed model (read once; no bias: only the order of scores matters)."""
    return Linear.from_json(json.loads(WEIGHTS.read_text(encoding="utf-8")), FEATURES, WEIGHTS,
                            bias=None)


def pick_date(reading: Reading, keep: Sequence[bool], title: str | None,
              rule_pick: str | None) -> str | None:
    """The line of a whole pasted page (read as ``reading``, its body ``keep``, its headline
    ``title``) most likely to name the day it was published; ``rule_pick``, the hand-written
    rule's choice, when no line names a day."""
    found = candidates(reading)
    if not found:
        return rule_pick
    scores = model().logit(features(reading, keep, title, rule_pick, found))
    return reading.lines[found[int(scores.argmax())][0]]
