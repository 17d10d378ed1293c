"""Headlines about the same story: the page's own headline and its variants, and one story
against others ("Earlier in this server", a server's feeds).

A page's own links are scored in ``related.py``; this module holds what it and the bot share:
what counts as the page's own headline, and the calls the bot makes to the same-story judge
(``story.py``) for a stored story or a feed's headline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from summariser.models import Headline
from summariser.story import TermRows, Terms, judge

_TOKEN = re.compile(r"\w+")
_CUT = ("…", "...")


def same_headline(candidate: str, title: str) -> bool:
    """Is ``candidate`` the page's own headline ``title`` or a variant of it: the same words,
    cut short ("… as Wild…"), with the site's name added, or nearly all the same words?"""
    mine = _TOKEN.findall(candidate.lower())
    theirs = _TOKEN.findall(title.lower())
    if not mine or not theirs:
        return False
    if mine == theirs:
        return True
    cut = candidate.rstrip().endswith(_CUT)
    last = len(mine) - 1
    if (cut and 4 <= len(mine) <= len(theirs) and theirs[:last] == mine[:last]
            and theirs[last].startswith(mine[last])):
        return True  # the headline cut short, maybe mid-word
    if len(theirs) >= 4 and mine[: len(theirs)] == theirs:
        return True  # the headline with more after it: the site's name, a date
    shared = set(mine) & set(theirs)
    return len(shared) / len(set(mine) | set(theirs)) >= 0.8


# -- the same story: one story's vector and text against others' ----------------------------


def story_matches(vector: np.ndarray, text: str, others: np.ndarray | None,
                  other_terms: Sequence[Terms] | TermRows, use: str,
                  other_hubs: np.ndarray | None = None, groups: np.ndarray | None = None,
                  cosine: np.ndarray | None = None) -> list[tuple[float, int]]:
    """(probability, row) of each row of ``others`` (unit vectors, the ``Terms`` of their
    texts in ``other_terms``, or their ``TermRows``; their ``Judge.hub``, kept by callers with
    many rows) about the same story as ``vector`` (of the story text ``text``):
    the same-story judge at ``use``'s threshold (``story.USES``: "feed" for a feed's headlines,
    "earlier" for stored stories). Best first; ties keep row order. One matrix product, then
    the judge's text features, at once, for the few rows whose cosine could pass (at most
    ``story.MAX_JUDGED`` of each of the rows' ``groups``; ``cosine``, ``others @ vector``, where
    the caller has it: ``Judge.matches``)."""
    return judge().matches(vector, text, others, other_terms, use, other_hubs, groups, cosine)


def same_story(vector: np.ndarray, text: str,
               earlier: Sequence[tuple[Headline, np.ndarray, str]], limit: int = 2
               ) -> list[Headline]:
    """Earlier stories (headline, vector, story text) about the same story as ``vector``
    (of the story text ``text``), best first, as the judge's "earlier" threshold has it."""
    if not earlier:
        return []
    matches = story_matches(vector, text, np.stack([v for _, v, _ in earlier]),
                            [Terms.of(t) for _, _, t in earlier], "earlier")
    return [earlier[k][0] for _, k in matches[:limit]]
