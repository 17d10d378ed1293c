"""Sentence splitting with no downloaded data.

Rules, in the order they are checked at each ``.``/``!``/``?`` followed by space:

* the next word must start a sentence: a capital, a digit or an opening quote or bracket;
* titles and common abbreviations (Mr, Dr, Gen., Jan., etc.) and single initials never end one;
* dotted acronyms (U.S., U.N.) end one only before a usual sentence opener ("The", "He" ...);
* a boundary inside an open quotation is skipped, so a quoted passage stays with its cue,
  unless the quotation has run on for so long that it is clearly a multi-sentence quote;
* decimals (3.5), ellipses and URLs never split because no space follows their dots.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from summariser.models import Sentence

_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st sr jr mt ft gen lt col sgt capt cpt cmdr adm maj cpl pvt sen rep gov
    pres supt insp det rev fr hon messrs mme mlle no nos vol vols fig figs pp op ed eds est
    approx dept univ assn bros inc ltd co corp plc llc vs v etc al cf ca
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo
    mont neb nev okla ore pa tenn tex va vt wash wis wyo
    """.split()
)
_OPENERS = frozenset(
    """
    the a an he she it they we i you his her its their our this that these those there
    but and so yet in on at as for if when while after before since however meanwhile
    mr mrs ms dr officials police
    """.split()
)
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+")
_NEXT_STARTS = re.compile(r"[\"“‘'(\[]*[A-Z0-9À-Ý]")
_LAST_TOKEN = re.compile(r"(\S+)$")
_LONG_QUOTE_WORDS = 70


def _quote_open(text: str) -> bool:
    """Is a quotation open at the end of ``text``? Curly quotes pair up; straight ones are
    told apart by the spacing around them."""
    curly = text.count("“") - text.count("”")
    if curly > 0:
        return True
    straight = len(re.findall(r'(?:^|(?<=[\s(\[—–-]))"|"(?=\w)', text))
    closing = len(re.findall(r'(?<=\S)"(?!\w)', text))
    return straight > closing


def _ends_with_abbreviation(before: str) -> bool:
    match = _LAST_TOKEN.search(before)
    if not match:
        return False
    token = match.group(1).lstrip("\"“‘'([")
    bare = token.rstrip(".").lower()
    if bare in _ABBREVIATIONS:
        return True
    return len(bare) == 1 and bare.isalpha()  # an initial: "J. K. Rowling"


def _is_dotted_acronym(before: str) -> bool:
    match = _LAST_TOKEN.search(before)
    return bool(match and re.fullmatch(r"(?:[A-Za-z]\.){2,}", match.group(1)))


def split_paragraph(paragraph: str) -> list[str]:
    """Split one paragraph into sentences, keeping each sentence's own punctuation and quotes."""
    text = " ".join(paragraph.split())
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if end >= len(text):
            break
        rest = text[end:]
        if not _NEXT_STARTS.match(rest):
            continue
        head = text[start : match.start() + 1]
        if match.group(0).rstrip() == ".":
            if _ends_with_abbreviation(head):
                continue
            if _is_dotted_acronym(head):
                next_word = re.match(r"[\"“‘'(\[]*(\w+)", rest)
                if not next_word or next_word.group(1).lower() not in _OPENERS:
                    continue
        candidate = text[start:end].strip()
        if _quote_open(candidate) and len(candidate.split()) < _LONG_QUOTE_WORDS:
            continue
        sentences.append(candidate)
        start = end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def split_sentences(paragraphs: Iterable[str]) -> list[Sentence]:
    """All sentences of a body, numbered in article order."""
    out: list[Sentence] = []
    for p_index, paragraph in enumerate(paragraphs):
        for text in split_paragraph(paragraph):
            out.append(Sentence(text=text, index=len(out), paragraph=p_index))
    return out
