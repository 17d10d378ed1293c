"""How an article treats the names it mentions: as a person or organisation that can speak, or
as a place; and, for each mention, its place in the grammar of its sentence.

A name is a place, never a speaker, where the article puts it after a locative preposition ("in
Iowa", "at Gush Etzion", "from New York") and nowhere treats it as someone: no title before it
("President Biden"), no speech verb after it ("Biden said") or before it ("said Biden"), no
appositive ("Biden, who …", "Biden, 77,"). A speaker is also never a number ("Fifty-one
percent") nor a piece of a clause ("Audience members laughed when he").

A mention is the ``subject`` of its clause where it opens a sentence or a clause, or follows an
inverted speech verb ("…,” said Patrick McHugh") or a passive's "by"; an ``object`` where a
preposition or a determiner stands before it ("strolling around Central Park", "chats with
Epstein", "for Con Edison", "at the Toronto International Film Festival"); ``possessive``
("Steenburgen’s son"); else ``other`` ("Swift accused Big Machine"). A pronoun stands for the
nearest name that is no object, or, in that name's sentence, for its subject or someone the
article treats as a person ("Swift accused Big Machine …"): the grammar, not the distance,
chooses between nearby names. "He" never stands for a person the article calls "she"
(``pronoun_genders``), nor the other way round.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence

PREPOSITIONS = frozenset(
    "in at on from for of around near before after into across outside inside through under "
    "over via about against between among behind beyond toward towards within without during "
    "until upon onto beside throughout with by to than like".split()
)
_LOCATIVE = frozenset("in at from near across outside inside around throughout into within "
                      "toward towards".split())
# Verbs that may stand before their subject: "…,” said Patrick McHugh"; not "told", "asked",
# whose next name is the one spoken to.
INVERTING_VERBS = frozenset(
    "said says added adds wrote writes explained explains continued noted notes recalled recalls "
    "tweeted argued argues stated insisted insists warned concluded replied replies responded "
    "remarked acknowledged admitted conceded cautioned predicted countered declared stressed "
    "quipped reported reports".split())
# "the Toronto International Film Festival", "the Hollywood sign": a thing, not a person
_DETERMINERS = frozenset("the a an this that these those".split())
_AND_BEFORE = re.compile(r"([\w’'-]+)\s+(?:and|&)\s+$")
_CLAUSE_OPENERS = frozenset("and but as while when because that so although though if after "
                            "before since whereas".split())
_SPEECH_AFTER = re.compile(
    r"^(?:’s|'s)?\s+(?:[a-z]+ly\s+|also\s+|later\s+|has\s+|had\s+|have\s+|was\s+|is\s+)*"
    r"(?:said|says|told|tells|added|adds|wrote|writes|tweeted|explained|argued|asked|stated|"
    r"warned|insisted|claimed|noted|announced|replied|responded|admitted|urged|posted|recalled|"
    r"continued|declared|testified|confirmed|described|called)\b")
_APPOSITION = re.compile(r"^,\s+(?:who\b|whose\b|\d{1,3},|a\s|an\s|the\s|[a-z]+\s+(?:of|at|for)\s)")
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|percent|per|cent)\b",
    re.IGNORECASE)
_PASSIVE = re.compile(
    r"\b(?:was|were|is|are|been|be|being)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn)\s+by\s*$")
_GENDERED = re.compile(r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself|[Ss]he|[Hh]er|[Hh]ers|[Hh]erself)\b")
_MASCULINE = frozenset({"he", "him", "his", "himself"})
_ONE = re.compile(r"^one\s", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([\w’'-]+)\W{0,3}$")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+\S|\n")


def word_before(text: str, start: int) -> str:
    """The word before ``start`` (lowercase), or '' where a sentence, quote or line opens there
    or punctuation other than a space stands between."""
    before = text[max(0, start - 40) : start]
    if not before.strip() or before.rstrip(" \t")[-1:] in ".!?:;\"“”‘(\n—–,":
        return ""
    match = _WORD_BEFORE.search(before)
    return match.group(1).lower() if match else ""


def _capitalised_before(text: str, start: int) -> bool:
    """Is the word before the "and" before ``start`` capitalised ("Economics and …")?"""
    match = _AND_BEFORE.search(text, max(0, start - 60), start)
    return match is not None and match.group(1)[:1].isupper()


def grammar_of(text: str, start: int, end: int, prepositions: frozenset[str] = frozenset()
               ) -> str:
    """``subject``, ``object`` or ``other``: the part the mention ``text[start:end]`` plays in
    its sentence (``prepositions``: those of the article's language besides English ones,
    "par la voix de Recep Tayyip Erdogan", "à Hong Kong")."""
    before = word_before(text, start)
    if before == "by" and _PASSIVE.search(text, max(0, start - 40), start):
        return "subject"  # the agent of a passive: "a photo … was denied by Andrew"
    if before in PREPOSITIONS or before in _DETERMINERS or before in prepositions:
        return "object"
    if text.startswith(("’s", "'s"), end):
        return "possessive"  # "Steenburgen’s son, filmmaker Charlie McDowell": the son
    if before in ("and", "&") and _capitalised_before(text, start):
        return "other"  # "the Center for Energy Economics and Public Policy": one name's part
    if not before or before in _CLAUSE_OPENERS or before in INVERTING_VERBS:
        return "subject"
    after = text[end : end + 80]
    return "subject" if _SPEECH_AFTER.match(after) else "other"


def pronoun_genders(text: str, mentions: Sequence[tuple[int, int, str, str]]) -> dict[str, str]:
    """Which pronoun the article uses for each person it names: "m" or "f" by the first "he",
    "his", "she", "her" … after each mention (not a possessive or a preposition's object) and
    before the next name, within 200 characters; a person is given one where at least two
    thirds of those agree. Keyed by the name and by its last word."""
    pronouns = [(m.start(), m.group(0).lower()) for m in _GENDERED.finditer(text)]
    starts = [start for start, _ in pronouns]
    votes: dict[str, Counter[str]] = {}
    for k, (_start, end, name, grammar) in enumerate(mentions):
        if grammar in ("object", "possessive"):
            continue
        limit = min(mentions[k + 1][0] if k + 1 < len(mentions) else len(text), end + 200)
        index = bisect_left(starts, end)
        if index < len(pronouns) and pronouns[index][0] < limit:
            vote(votes, name, "m" if pronouns[index][1] in _MASCULINE else "f")
    return agreed(votes)


def vote(votes: dict[str, Counter[str]], name: str, gender: str) -> None:
    """Count one mention of ``name`` that gives it ``gender``, by name and by surname."""
    for key in _keys(name):
        votes.setdefault(key, Counter())[gender] += 1


def agreed(votes: dict[str, Counter[str]]) -> dict[str, str]:
    """The gender of each name where at least two thirds of its votes agree."""
    genders = {}
    for key, count in votes.items():
        gender, n = count.most_common(1)[0]
        if n * 3 >= 2 * sum(count.values()):
            genders[key] = gender
    return genders


def sentence_numbers(text: str, offsets: Sequence[int]) -> list[int]:
    """The number of the sentence of ``text`` each of ``offsets`` (in order) falls in."""
    ends = [match.start() for match in _SENTENCE_END.finditer(text)]
    return [bisect_left(ends, offset) for offset in offsets]


def is_number(name: str) -> bool:
    """Does ``name`` count rather than name ("Fifty-one percent", "Section 17 3 2a")? "One"
    opening a description ("One strategist") picks someone out; it counts nothing."""
    return _NUMBER.search(_ONE.sub("", name)) is not None


def is_clause(name: str, particles: frozenset[str]) -> bool:
    """Is ``name`` a piece of a clause rather than a name: a lowercase word in it that is no
    particle ("Audience members laughed when he")? Descriptions ("the minister") are not
    names, and are not asked."""
    return any(word.islower() and word not in particles for word in name.split())


class NameEvidence:
    """What an article says of each name it mentions: whether it treats it as someone (titled,
    speaking, set off by an appositive) and whether it puts it after a locative preposition."""

    def __init__(self) -> None:
        self._someone: set[str] = set()
        self._placed: set[str] = set()

    def add(self, text: str, start: int, end: int, name: str, titled: bool) -> None:
        """Record the mention ``text[start:end]`` of ``name``."""
        keys = _keys(name)
        after = text[end : end + 80]
        before = word_before(text, start)
        if titled or _SPEECH_AFTER.match(after) or _APPOSITION.match(after) or (
                before in INVERTING_VERBS):
            self._someone.update(keys)
        elif before in _LOCATIVE and not after.startswith(("’s", "'s")):
            self._placed.add(name)

    def is_someone(self, name: str) -> bool:
        """Does the article treat ``name`` as a person or organisation somewhere?"""
        return bool(_keys(name) & self._someone)

    def is_place(self, name: str) -> bool:
        """Does the article put ``name`` only where places go ("in Iowa"), never treating it
        as someone?"""
        return name in self._placed and not (_keys(name) & self._someone)


def _keys(name: str) -> set[str]:
    words = name.split()
    return {name, words[-1]} if words else set()
