"""Can a summary be read on its own? Three measures, as the evaluation reports them.

* **Orphaned sentence**: a summary sentence that opens with a pronoun or a connective ("He
  added …", "However, …", "This …") while the sentence before it in the article is not in the
  summary, so what it leans on is missing. The first sentence of an article is never orphaned,
  and a sentence that opens with a quotation is left to the next measure.
* **Bare quote**: a summary sentence that is mostly quotation (at least half its characters
  inside quotation marks) with no speech cue of its own ("… ," she said / X said: "…"): the
  reader cannot tell who is speaking.
* **Unintroduced name**: a summary sentence that names someone by surname alone ("Bosma
  said …") whom the article introduced in full in a sentence the summary left out, so the
  reader never learns who they are.

All three are measured on sentence indices into the article, so they apply to extractive
summaries. ``coherence.py`` selects so that none of them happens.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from summariser.models import Sentence
from summariser.sentences import quotations, quoted_share
from summariser.speakers import Attributor

# Openers that point back at something said before: pronouns, demonstratives and connectives.
LEANING_OPENERS = frozenset(
    """
    he she they it his her their its him them this these those that such there
    however but and also so yet still then instead meanwhile moreover furthermore besides
    nevertheless nonetheless thus therefore hence otherwise likewise similarly indeed
    """.split()
)
# ... in the other languages the digest summarises, the same kinds of word, less those that
# are as often an article or a dummy subject ("Das Gericht", "Die", "Es gibt", "Ce lundi")
LEANING_BY_LANGUAGE = {
    "en": LEANING_OPENERS,
    "de": frozenset("""
        er sie ihr ihre ihrem ihren ihrer sein seine seinem seinen seiner dies diese dieser
        dieses diesem diesen solche solcher solches dort dabei damit dazu daher deshalb
        deswegen darum dafür darauf darüber daran davon dadurch dagegen danach dann trotzdem
        dennoch jedoch allerdings außerdem zudem ebenfalls auch aber doch sondern somit also
        folglich stattdessen ebenso hingegen
        """.split()),
    "fr": frozenset("""
        il elle ils elles cela ceci ça celui celle ceux celles cette ces son sa ses leur leurs
        lui eux mais cependant pourtant toutefois néanmoins ainsi donc aussi puis ensuite
        également là
        """.split()),
    "es": frozenset("""
        él ella ellos ellas ello esto eso este esta estos estas ese esa esos esas aquello su
        sus pero además también tampoco entonces luego así allí allá asimismo
        """.split()),
    "it": frozenset("""
        lui lei loro esso essa essi esse questo questa questi queste quello quella quelli
        quelle suo sua suoi sue ma però tuttavia inoltre anche quindi dunque poi allora invece
        così lì là
        """.split()),
    "pt": frozenset("""
        ele ela eles elas isso isto este esta estes estas esse essa esses essas aquilo seu sua
        seus suas mas porém contudo todavia entretanto além também então assim lá ali
        """.split()),
}
_FIRST_WORD = re.compile(r"[(\[]*([A-Za-z]+)")  # a quotation opening it is the other measure
_FIRST_LETTERS = re.compile(r"[(\[]*([^\W\d_]+)")  # ... in any script


def leans_back(sentence: str, lang: str | None = None) -> bool:
    """Does ``sentence`` open with a word that points back at an earlier sentence (in
    ``lang``'s words where ``LEANING_BY_LANGUAGE`` knows them, else English's)?"""
    openers = LEANING_BY_LANGUAGE.get(lang or "en", LEANING_OPENERS)
    match = (_FIRST_WORD if openers is LEANING_OPENERS else _FIRST_LETTERS).match(sentence)
    return match is not None and match.group(1).lower() in openers


def orphaned(sentences: Sequence[Sentence], picks: Sequence[int], lang: str | None = None
             ) -> list[int]:
    """The picked indices whose sentence leans back on a sentence the summary left out."""
    chosen = set(picks)
    return [i for i in picks
            if i > 0 and i - 1 not in chosen and leans_back(sentences[i].text, lang)]


def quote_cue(sentence: str) -> str | None:
    """Who the sentence's own speech cue says is quoted ("…," she said -> "she"; Smith said:
    "…" -> "Smith"), or None when it quotes nobody or names no speaker."""
    spans = quotations(sentence)
    if not spans:
        return None
    people = Attributor(sentence)
    for number, span in enumerate(spans):
        before = sentence[spans[number - 1].end() if number else 0 : span.start()]
        after = sentence[span.end() : spans[number + 1].start() if number + 1 < len(spans)
                         else len(sentence)]
        who = people.cue(before, after, span.group(0).strip("“”\""))
        if who:
            return who
    return None


def bare_quote(sentence: str, cue: str | None = None) -> bool:
    """Is ``sentence`` mostly a quotation that names no speaker itself? ``cue`` is its
    ``quote_cue`` when the caller has it already (None: find it here)."""
    return quoted_share(sentence) >= 0.5 and (cue or quote_cue(sentence)) is None


def bare_quotes(sentences: Sequence[Sentence], picks: Sequence[int]) -> list[int]:
    """The picked indices whose sentence is a bare quote."""
    return [i for i in picks if bare_quote(sentences[i].text)]


def introductions(sentences: Sequence[Sentence]) -> dict[int, set[int]]:
    """Sentence index -> the earlier sentences that first named in full a person it names by
    surname alone (people found by ``speakers.Attributor`` over the whole article)."""
    starts, offset = [], 0
    for sentence in sentences:
        starts.append(offset)
        offset += len(sentence.text) + 1
    people = Attributor(" ".join(s.text for s in sentences))
    found: dict[int, set[int]] = {}
    for mention, introduced in people.surname_mentions():
        i = bisect_right(starts, mention) - 1
        j = bisect_right(starts, introduced - 1) - 1  # the sentence the full name ends in
        if j < i:
            found.setdefault(i, set()).add(j)
    return found


def unintroduced(sentences: Sequence[Sentence], picks: Sequence[int]) -> list[int]:
    """The picked indices that name someone whose introduction the summary left out."""
    chosen = set(picks)
    found = introductions(sentences)
    return [i for i in picks if found.get(i, set()) - chosen]
