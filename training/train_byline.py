"""Train the byline picker for pasted pages (summariser/paste_byline.py). One command,
deterministic:

    python training/train_byline.py PAGES_DIR [PAGES_DIR ...] [--out summariser/data/byline.json]
        [--folds 5]

Each PAGES_DIR is one of the shared page sets whose truth names a page's author
(``../shared/eval/pages-postlight/``, ``pages-trafilatura/``), pooled, in every language; the
sites of the final held-out fifth are left out. Every page is pasted whole and read by
``parse_paste`` (the committed content model and title picker, the rule's date), and the picker
is shown its candidate lines (``paste_byline.candidates``) and the "no byline" row: a line is
right when the name ``page_meta.author_of`` reads from it is the author (the same words, as
``evaluate pages`` compares them), "no byline" when no line is. The model, the cross-validation
grouped by site beside the line rules' byline, and the final fit are ``train_date.py``'s.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from train_date import run  # noqa: E402

from summariser.evaluate.pages import author_matches  # noqa: E402
from summariser.page_meta import author_of  # noqa: E402
from summariser.paste import parse_paste  # noqa: E402
from summariser.paste_byline import FEATURES, WEIGHTS, candidates, features  # noqa: E402

MARGINS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)


def read_page(paste: str, gold: str) -> dict:
    """What the picker is shown of ``paste`` (its candidate lines, their features, which name
    the author ``gold``; the last row "no byline") and the line rules' byline."""
    given: list[tuple] = []

    def record(reading, keep, title, rule_pick, dateline):
        given.append((reading, keep, title, rule_pick, dateline))
        return rule_pick

    parse_paste(paste, byline_picker=record)
    reading, keep, title, rule_pick, dateline = given[0]
    found = candidates(reading, keep, title, dateline)
    lines = [reading.lines[i] for i in found]
    named = [right(line, gold) for line in lines]
    return {"lines": lines,
            "x": np.array(features(reading, keep, title, found, dateline), np.float64).reshape(
                -1, len(FEATURES)),
            "y": np.array([*named, not any(named)], bool),
            "rule": rule_pick}


def right(line: str | None, gold: str) -> bool:
    return author_matches(author_of(line), gold)


if __name__ == "__main__":
    run(__doc__, WEIGHTS, FEATURES, read_page, right, "author", MARGINS, fills=True)
