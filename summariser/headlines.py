"""Headlines about the same story: the page's own headline and its variants, and one story
against others ("Earlier in this server", a server's feeds).

A page's own links are scored in ``related.py``; this module holds what it and the bot share:
what counts as the page's own headline, and the calls the bot makes to the same-story judge
(``story.py``) for a stored story or a feed's headline.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import numpy as np

from summariser.models import Headline
from summariser.pair import pair_reader, stacked
from summariser.story import TermRows, Terms, judge

log = logging.getLogger(__name__)

FEED_LIMIT = 3  # feed headlines a digest gets at most
_TOKEN = re.compile(r"\w+")
_CUT = ("…", "...")
# What parts a page's name from the headline in its <title> ("Headline | Site", "Headline - Site")
_SITE_AFTER = re.compile(r"\s*[|•·»]|\s+[-–—/:]\s")


def same_headline(candidate: str, title: str) -> bool:
    """Is ``candidate`` the page's own headline ``title`` or a variant of it: the same words,
    cut short ("… as Wild…"), with the site's name added, the words of a ``title`` that has the
    site's name after them (a page with no headline of its own gives its <title>: "Headline |
    Site News"), or nearly all the same words?"""
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
    own = " ".join(candidate.lower().split())
    named = " ".join(title.lower().split())
    if len(mine) >= 4 and named.startswith(own) and _SITE_AFTER.match(named, len(own)):
        return True  # the headline, where the title has the site's name after it
    shared = set(mine) & set(theirs)
    return len(shared) / len(set(mine) | set(theirs)) >= 0.8


# -- the same story: one story's vector and text against others' ----------------------------


def story_candidates(vector: np.ndarray, text: str, others: np.ndarray | None,
                     other_terms: Sequence[Terms] | TermRows, use: str,
                     other_hubs: np.ndarray | None = None, groups: np.ndarray | None = None,
                     cosine: np.ndarray | None = None) -> list[tuple[float, int]]:
    """The same-story judge's (probability, row) of each row of ``others`` (unit vectors, the
    ``Terms`` of their texts in ``other_terms``, or their ``TermRows``) against the story
    ``vector`` (of the story text ``text``), best first (``Judge.matches``: "feed" for a feed's
    headlines, "earlier" for stored stories). For a use the pair reader helps decide
    (``pair.stacked``'s uses: feed headlines) where its export is there, at that use's floor
    instead of its threshold, for ``confirmed`` to decide; elsewhere at its threshold, which
    ``confirmed`` keeps."""
    decided = stacked()
    floor = decided.floors[use] if use in decided.models and pair_reader() is not None else None
    return judge().matches(vector, text, others, other_terms, use, other_hubs, groups, cosine,
                           floor=floor)


def confirmed(text: str, candidates: Sequence[tuple[float, str, str]]) -> list[float | None]:
    """For each candidate from ``story_candidates`` (the judge's probability, the candidate's
    headline, the use it was found for) against the story text ``text``: its probability of
    being about the same story, or None where that falls short of its use's threshold.

    Of a use the pair reader helps decide, the judge's likeliest ``Stacked.read`` candidates
    are read, all in one batch, and ``pair.stacked`` joins the reader's log-odds with the
    judge's and with how close the use's other candidates came (``pair.stacked_rows``); the
    others of that use fall short. A candidate of another use is the judge's already. Up to a
    few hundred ms on one core: call it off the event loop."""
    decided = stacked()
    reader = pair_reader()
    found: list[float | None] = [p for p, _, _ in candidates]
    if reader is None:
        return found
    ranked: dict[str, list[int]] = {}  # of each use the reader decides, the judge's best first
    for use in decided.models:
        ranked[use] = sorted((k for k, c in enumerate(candidates) if c[2] == use),
                             key=lambda k: -candidates[k][0])
        for k in ranked[use][decided.read:]:
            found[k] = None
    read = [k for mine in ranked.values() for k in mine[:decided.read]]
    if not read:
        return found
    try:
        pair = reader.logits(text, [candidates[k][1] for k in read])
    except Exception:  # ONNX Runtime's and tokenizers' errors: the reader is an aid, not a need
        log.exception("the pair reader failed: the same-story judge decides alone")
        thresholds = judge().thresholds
        return [p if p >= thresholds[use] else None for p, _, use in candidates]
    pair_of = dict(zip(read, pair, strict=True))
    for use, mine in ranked.items():
        shown = mine[:decided.read]
        if not shown:
            continue
        probability, threshold = decided.decide(np.array([candidates[k][0] for k in mine]),
                                                np.array([pair_of[k] for k in shown]), use)
        for k, q in zip(shown, probability, strict=True):
            found[k] = float(q) if q >= threshold else None
    return found


def best_confirmed(found: Sequence[tuple[float, int]], decided: Sequence[float | None],
                   limit: int) -> list[int]:
    """The rows of ``found`` (``story_candidates``'s (probability, row)) that ``confirmed`` kept
    (``decided``), the likeliest first (ties in the order found), at most ``limit``."""
    kept = sorted(((p, k) for (_, k), p in zip(found, decided, strict=True) if p is not None),
                  key=lambda pair: -pair[0])
    return [k for _, k in kept[:limit]]


def same_story(vector: np.ndarray, text: str,
               earlier: Sequence[tuple[Headline, np.ndarray, str]], limit: int = 2
               ) -> list[Headline]:
    """Earlier stories (headline, vector, story text) about the same story as ``vector``
    (of the story text ``text``), best first, as the judge's "earlier" use decides them
    (``story_candidates``, then ``confirmed``: with the pair reader where it helps there)."""
    if not earlier:
        return []
    found = story_candidates(vector, text, np.stack([v for _, v, _ in earlier]),
                             [Terms.of(t) for _, _, t in earlier], "earlier")
    decided = confirmed(text, [(p, earlier[k][0].title, "earlier") for p, k in found])
    return [earlier[k][0] for k in best_confirmed(found, decided, limit)]
