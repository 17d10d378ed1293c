"""Which sentences can stand in a summary on their own, and a selection that respects it.

An extractive summary is read without the sentences it left out, so a sentence whose meaning
leans on another is taken only together with what it leans on (or not at all, and the best
sentence that stands alone takes its place). Sentences stay verbatim: we choose, never edit.

A sentence leans on

* **its predecessor** when it opens with a pronoun or a connective ("He added …", "However,
  …"; in the article's language, "Dort kollidierte er …", "Il sera examiné …":
  ``readability.leans_back``), or when its quotation's speaker is only a pronoun
  ("“…,” she said"): the reader needs the sentence that says who "she" is;
* **the sentence that introduced a person** when it names someone by surname alone
  ("Bosma said …") whom the article named in full earlier: the summary must introduce them.

A bare quote (a quotation naming no speaker at all) is never chosen: no neighbour can give it a
speaker inside the sentence itself, and the digest shows key quotes, attributed, on their own.
Nor is a sentence that leans on one that is no candidate (a heading, a fragment).

``needs`` turns this into, for each candidate, the set of other candidates it needs (followed
to the end: what it leans on may lean in turn), or None when it cannot stand; ``coherent_mmr``
is maximal marginal relevance over units "a sentence plus what it needs".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from summariser.models import Sentence
from summariser.readability import bare_quote, introductions, leans_back, quote_cue

_PRONOUN_SPEAKERS = frozenset({"he", "she", "they", "him", "her", "them"})


def leans_on(sentences: Sequence[Sentence], lang: str | None = None) -> list[set[int] | None]:
    """For every sentence, the indices of the sentences it leans on (its opening word read in
    ``lang``); None for a bare quote."""
    introduced = introductions(sentences)
    result: list[set[int] | None] = []
    for i, sentence in enumerate(sentences):
        cue = quote_cue(sentence.text)  # once: both checks below read it
        if bare_quote(sentence.text, cue):
            result.append(None)
            continue
        leaning = set(introduced.get(i, ()))
        if i and (leans_back(sentence.text, lang) or cue in _PRONOUN_SPEAKERS):
            leaning.add(i - 1)
        result.append(leaning)
    return result


def needs(sentences: Sequence[Sentence], candidates: Sequence[int], lang: str | None = None
          ) -> list[frozenset[int] | None]:
    """For each candidate position, the candidate positions it needs in the summary with it,
    followed transitively; None when it cannot stand in any summary."""
    position = {index: p for p, index in enumerate(candidates)}
    # Sentences after the last candidate cannot be leant on: leave them unread.
    direct = leans_on(sentences[: max(candidates, default=-1) + 1], lang)
    result: list[frozenset[int] | None] = []
    for index in candidates:
        seen: set[int] = set()
        todo = [index]
        ok = True
        while todo and ok:
            current = todo.pop()
            leaning = direct[current]
            if leaning is None:
                ok = False
                break
            for other in leaning:
                if other not in position:
                    ok = False
                    break
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        result.append(frozenset(position[i] for i in seen) if ok else None)
    return result


def coherent_mmr(
    scores: np.ndarray, similarity: np.ndarray, count: int, diversity: float,
    support: Sequence[frozenset[int] | None],
) -> list[int]:
    """Maximal marginal relevance where a sentence comes with what it needs.

    Each step adds the unit (a position plus the positions it needs that are not chosen yet)
    with the best mean relevance less its redundancy with what is chosen, among units that
    fit in the ``count`` still free. Positions that cannot stand are never added. Returns
    positions into ``scores``, possibly fewer than ``count`` when too few sentences stand.
    """
    chosen: list[int] = []
    taken: set[int] = set()
    while len(chosen) < count:
        best, best_value = None, -np.inf
        for p, needed in enumerate(support):
            if p in taken or needed is None:
                continue
            unit = [p, *sorted(needed - taken)]
            if len(chosen) + len(unit) > count:
                continue
            relevance = float(scores[unit].mean())
            redundancy = float(similarity[np.ix_(unit, chosen)].max()) if chosen else 0.0
            value = (1 - diversity) * relevance - diversity * redundancy
            if value > best_value:
                best, best_value = unit, value
        if best is None:
            break
        chosen.extend(best)
        taken.update(best)
    return chosen
