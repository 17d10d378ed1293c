"""Which line of a pasted page is the article's headline: a small learned model.

A whole page pasted from a browser puts many short lines before the article: the site's name,
menus, "Sign in", sections, promos, share buttons, other stories' headlines, and somewhere
among them the headline. Each line before the body is described by a few features of its
shape (length, capitals, closing punctuation, a site separator, how near the body it sits,
whether it comes twice) and of its words (how many of them the lead uses, compared by their
first five letters so that "Peanuts" meets "peanut": a headline tells the story the first
paragraphs tell), plus the verdict of the hand-written rule the model replaces. A linear model
over them, trained on pasted pages with known headlines, pasted whole and clean, to put the
headline above the other lines of its page (a conditional logit: ``training/train_title.py``,
cross-validated by site), scores each line; the best one is the title. The weights are a few
numbers in ``summariser/data/title.json``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from summariser.words import content_words

WEIGHTS = Path(__file__).parent / "data" / "title.json"
MAX_WORDS = 30  # longer lines are prose or standfirsts, never a headline
FEATURES = (
    "lead_share", "lead_words", "words", "headline_sized", "near_body", "from_top",
    "capitalised", "terminal", "separator", "repeated", "rule_pick", "digits",
)
_SEPARATOR = re.compile(r"\s[|•·–—-]\s|\|")
STEM = 5  # letters a word is compared by


def _stems(text: str) -> set[str]:
    return {word[:STEM] for word in content_words(text)}


def features(lines: Sequence[str], lead: str, rule_pick: str | None) -> list[list[float]]:
    """One feature row per line (in ``FEATURES`` order); ``lines`` are those before the body,
    in page order, and ``lead`` the article's first paragraphs."""
    lead_stems = _stems(lead)
    counts = Counter(line.lower() for line in lines)
    rows = []
    for position, line in enumerate(lines):
        words = line.split()
        own = _stems(line)
        shared = len(own & lead_stems)
        rows.append([
            shared / len(own) if own else 0.0,
            min(shared, 10) / 10,
            min(len(words), MAX_WORDS) / 10,
            float(4 <= len(words) <= 16),
            1 / (len(lines) - position),
            position / max(len(lines) - 1, 1),
            sum(w[:1].isupper() for w in words) / max(len(words), 1),
            float(line.rstrip("\"”’')]")[-1:] in ".!?:;"),
            float(bool(_SEPARATOR.search(line))),
            float(counts[line.lower()] > 1),
            float(line == rule_pick),
            sum(c.isdigit() for c in line) / max(len(line), 1),
        ])
    return rows


@lru_cache(maxsize=1)
def _weights() -> tuple[list[float], list[float], list[float], list[str]]:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    if data["features"] != list(FEATURES):
        raise ValueError(f"{WEIGHTS} was trained on other features: retrain it")
    return data["mean"], data["scale"], data["coef"], data["features"]


def scores(rows: Sequence[Sequence[float]]) -> list[float]:
    """The model's score of each row's line: the higher, the likelier the headline."""
    mean, scale, coef, _ = _weights()
    return [sum(c * (x - m) / s for c, x, m, s in zip(coef, row, mean, scale, strict=True))
            for row in rows]


def candidates(lines: Sequence[str]) -> list[str]:
    """The lines that may be a headline: 2 to ``MAX_WORDS`` words."""
    return [line for line in lines if 2 <= len(line.split()) <= MAX_WORDS]


def pick_title(lines: Sequence[str], lead: str, rule_pick: str | None) -> str | None:
    """The line before the body most likely to be the headline (``rule_pick``, the rule's
    choice, when no line may be one)."""
    usable = candidates(lines)
    if not usable:
        return rule_pick
    found = scores(features(usable, lead, rule_pick))
    return usable[max(range(len(usable)), key=found.__getitem__)]
