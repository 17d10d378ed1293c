"""Can a summary be read on its own? Two measures, as the evaluation reports them.

* **Orphaned sentence**: a summary sentence that opens with a pronoun or a connective ("He
  added …", "However, …", "This …") while the sentence before it in the article is not in the
  summary, so what it leans on is missing. The first sentence of an article is never orphaned,
  and a sentence that opens with a quotation is left to the next measure.
* **Bare quote**: a summary sentence that is mostly quotation (at least half its characters
  inside quotation marks) with no speech cue of its own ("… ," she said / X said: "…"): the
  reader cannot tell who is speaking.

Both are measured on sentence indices into the article, so they apply to extractive summaries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summariser.models import Sentence
from summariser.speakers import Attributor
from summariser.summarise import quotations, quoted_share

# Openers that point back at something said before: pronouns, demonstratives and connectives.
LEANING_OPENERS = frozenset(
    """
    he she they it his her their its him them this these those that such there
    however but and also so yet still then instead meanwhile moreover furthermore besides
    nevertheless nonetheless thus therefore hence otherwise likewise similarly indeed
    """.split()
)
_FIRST_WORD = re.compile(r"[(\[]*([A-Za-z]+)")  # a quotation opening it is the other measure


def leans_back(sentence: str) -> bool:
    """Does ``sentence`` open with a word that points back at an earlier sentence?"""
    match = _FIRST_WORD.match(sentence)
    return bool(match) and match.group(1).lower() in LEANING_OPENERS


def orphaned(sentences: Sequence[Sentence], picks: Sequence[int]) -> list[int]:
    """The picked indices whose sentence leans back on a sentence the summary left out."""
    chosen = set(picks)
    return [i for i in picks
            if i > 0 and i - 1 not in chosen and leans_back(sentences[i].text)]


def bare_quote(sentence: str) -> bool:
    """Is ``sentence`` mostly a quotation that names no speaker itself?"""
    spans = quotations(sentence)
    if not spans or quoted_share(sentence) < 0.5:
        return False
    people = Attributor(sentence)
    for number, span in enumerate(spans):
        before = sentence[spans[number - 1].end() if number else 0 : span.start()]
        after = sentence[span.end() : spans[number + 1].start() if number + 1 < len(spans)
                         else len(sentence)]
        if people.cue(before, after, span.group(0).strip("“”\"")):
            return False
    return True


def bare_quotes(sentences: Sequence[Sentence], picks: Sequence[int]) -> list[int]:
    """The picked indices whose sentence is a bare quote."""
    return [i for i in picks if bare_quote(sentences[i].text)]
