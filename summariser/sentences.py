"""Sentence splitting with no downloaded data.

Rules, in the order they are checked at each ``.``/``!``/``?`` followed by space:

* the next word must start a sentence: a capital, a digit or an opening quote or bracket;
* titles and common abbreviations (Mr, Dr, Gen., Jan., etc.) and single initials never end one;
* dotted acronyms (U.S., U.N.) end one only before a usual sentence opener ("The", "He" ...);
* a boundary inside an open quotation is skipped, so a quoted passage stays with its cue,
  unless the quotation has run on for so long that it is clearly a multi-sentence quote;
* decimals (3.5), ellipses and URLs never split because no space follows their dots.

Other languages (French, German, Spanish, Italian, Portuguese): their titles and abbreviations
("M.", "Mme", "Dr", "z. B.", "S.A.", "Sra.", "bzw.") never end a sentence, nor does a German
ordinal date ("am 5. Februar", "1. 1. 2023") or ordinal after its article or a conjunction ("die
20. Staffel", "im 1. und 2. Lehrjahr"), nor a German abbreviation ("10 Mrd. Euro", "Abb. 1",
"Hauptstr. 5"); a sentence
may open with a guillemet (spaced or not), a low quote or an inverted mark ("¿"); a dialogue
dash ("— Oui, dit-il.") opens its own paragraph, so a dash inside one never splits it (English
uses it for asides); guillemets (« », » «, ‹ ›) and German quotes („ “) count as quotation
marks, each paragraph's convention told from the marks it uses.

Japanese and Chinese end a sentence with a full-width mark ("。", "！", "？") and no space after
it: a paragraph is first cut after each one (and the closing brackets right after it) that
stands outside a bracket or quotation (「」, 『』, （）, “”), then each piece is split as
above, for the Latin text it may hold.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

from summariser.models import Sentence
from summariser.words import MONTHS_BY_LANGUAGE

_ABBREVIATIONS = frozenset(
    """
    mmes pr mgr vve sté cie bd av mlles dres
    hr hrn frl nr bzw usw vgl ggf evtl zb inkl str bzgl sog mrd mio tsd abb abt
    sra sres srta dña dra lic ud uds pág núm sig dott avv
    mr mrs ms dr prof st sr jr mt ft gen lt col sgt capt cpt cmdr adm maj cpl pvt sen rep gov rt
    pres supt insp det rev fr hon messrs mme mlle no nos vol vols fig figs pp op ed eds est
    asst atty sens reps govs gens brig amb cdr pfc spc msgr lieut
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
# A run of terminators starts only where the previous character is not one, and is taken whole
# (possessive): each run is tried once, so a paragraph of dots or "?!" costs linear time. A
# footnote's mark may follow it ("… van der Maaten and Hinton.[1] It is …").
_BOUNDARY = re.compile(r"(?<![.!?])[.!?]++[\"”’“»«›')\]]*+(?:\[\d{1,3}\])*+\s+")
_NEXT_STARTS = re.compile(r"[\"“‘„«»‹¿¡'(\[]*+[A-Z0-9À-ÝŒ]|[«‹] [A-Z0-9À-ÝŒ]")
_NEXT_WORD = re.compile(r"[\"“‘„«»‹¿¡'(\[]*+(\w+)")
_MONTHS = frozenset((*MONTHS_BY_LANGUAGE["de"], "jänner"))  # German months, Austria's too
# how trafilatura's text marks a list item ("- "): no part of the item's sentence
LIST_MARK = re.compile(r"^[-*•]\s+")
# German articles and contractions before an ordinal ("die 20. Staffel"): no sentence ends on
# them and a number
_BEFORE_ORDINAL = frozenset(
    "der die das den dem des zum zur im am vom beim ins seit ihr ihre ihrem ihren ihres sein "
    "seine seinem seinen seines unser unsere und oder bis sowie".split())
_DOTTED_ACRONYM = re.compile(r"(?:[A-Za-z]\.){2,}")
# Quotation marks, found once per paragraph (see ``_Marks``).
_STRAIGHT_OPEN = re.compile(r'(?:^|(?<=[\s(\[—–-]))"|"(?=\w)')
_STRAIGHT_CLOSE = re.compile(r'(?<=\S)"(?!\w)')
_CURLY_OPEN = re.compile("[“«‹]")
_CURLY_CLOSE = re.compile("[”»›]")
# German and Central European marks: „…“ and »…«; a paragraph using them reads “ and « as closing.
_LOW_OPEN = re.compile("[„»›]")
_LOW_CLOSE = re.compile("[“«‹]")
_SPACE = re.compile(" ")
# »…« with no « … » in sight: the German way round (a » that opens after a space)
_GERMAN_GUILLEMETS = re.compile(r"(?:^|\s)»\w")
_LONG_QUOTE_WORDS = 70


class _Marks:
    """Positions of quotation marks and spaces in one paragraph, so that "is a quotation open
    between ``a`` and ``b``?" and "how many words is that?" cost a binary search instead of a
    rescan of the growing sentence (which made long runs of abbreviations quadratic)."""

    def __init__(self, text: str) -> None:
        low = "„" in text or _GERMAN_GUILLEMETS.search(text) is not None
        opening, closing = (_LOW_OPEN, _LOW_CLOSE) if low else (_CURLY_OPEN, _CURLY_CLOSE)
        self._curly_open = [m.start() for m in opening.finditer(text)]
        self._curly_close = [m.start() for m in closing.finditer(text)]
        self._straight_open = [m.start() for m in _STRAIGHT_OPEN.finditer(text)]
        self._straight_close = [m.start() for m in _STRAIGHT_CLOSE.finditer(text)]
        self._spaces = [m.start() for m in _SPACE.finditer(text)]

    @staticmethod
    def _count(positions: list[int], start: int, end: int) -> int:
        return bisect_left(positions, end) - bisect_left(positions, start)

    def quote_open(self, start: int, end: int) -> bool:
        """Is a quotation open at the end of ``text[start:end]``? Curly quotes pair up;
        straight ones are told apart by the spacing around them."""
        if self._count(self._curly_open, start, end) > self._count(self._curly_close, start, end):
            return True
        return self._count(self._straight_open, start, end) > self._count(
            self._straight_close, start, end
        )

    def words(self, start: int, end: int) -> int:
        """Words in ``text[start:end]``, which starts and ends with a non-space."""
        return self._count(self._spaces, start, end) + 1


def _last_token(text: str, start: int, end: int) -> str:
    """The last whitespace-separated token of ``text[start:end]`` (the text is single-spaced)."""
    space = text.rfind(" ", start, end)
    return text[start if space < 0 else space + 1 : end]


def _ends_with_abbreviation(token: str) -> bool:
    bare = token.lstrip("\"“‘'([").rstrip(".").lower()
    if bare in _ABBREVIATIONS or (len(bare) > 3 and bare.endswith("str")):  # "Hauptstr. 5"
        return True
    return len(bare) == 1 and bare.isalpha()  # an initial: "J. K. Rowling"


def _next_word(text: str, at: int) -> str:
    found = _NEXT_WORD.match(text, at)
    return found.group(1).lower() if found else ""


_FULL_STOPS = frozenset("。！？")
_FULL_OPEN, _FULL_CLOSE = "「『（“", "」』）”"


def _full_width_pieces(text: str) -> list[str]:
    """``text`` cut after each full-width sentence end outside brackets and quotations, the
    closing marks right after it kept with it (one pass)."""
    pieces: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(text):
        char = text[i]
        if char in _FULL_OPEN:
            depth += 1
        elif char in _FULL_CLOSE:
            depth = max(depth - 1, 0)
        elif char in _FULL_STOPS and depth == 0:
            while i + 1 < len(text) and (text[i + 1] in _FULL_STOPS or text[i + 1] in _FULL_CLOSE):
                i += 1
            pieces.append(text[start : i + 1].strip())
            start = i + 1
        i += 1
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def split_paragraph(paragraph: str) -> list[str]:
    """Split one paragraph into sentences, keeping each sentence's own punctuation and quotes.

    Linear in the paragraph's length: each boundary is looked at once, and the questions asked
    about the sentence so far (open quotation? how many words?) are answered from ``_Marks``.
    """
    text = " ".join(paragraph.split())
    if not text:
        return []
    if not _FULL_STOPS.isdisjoint(text):
        return [sentence for piece in _full_width_pieces(text) for sentence in _split(piece)]
    return _split(text)


def _split(text: str) -> list[str]:
    """``split_paragraph`` of one whitespace-normalised text at ``.``/``!``/``?``."""
    marks: _Marks | None = None
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if end >= len(text):
            break
        if not _NEXT_STARTS.match(text, end):
            continue
        head_end = match.start() + 1  # the sentence so far, through its first terminator
        if match.group(0).rstrip() == ".":
            token = _last_token(text, start, head_end)
            if _ends_with_abbreviation(token):
                continue
            if token.rstrip(".").isdigit() and (_next_word(text, end) in _MONTHS or (
                    len(token) <= 3 and text[end:end + 1].isdigit())):
                continue  # a German date: "am 5. Februar", "ab dem 1. 1. 2023"
            if token[:-1].isdigit() and len(token) <= 4 and head_end - len(token) - 1 > start and (
                    _last_token(text, start, head_end - len(token) - 1).lower() in _BEFORE_ORDINAL):
                continue  # a German ordinal: "die 20. Staffel", "zum 3. Mal"
            if _DOTTED_ACRONYM.fullmatch(token):
                next_word = _NEXT_WORD.match(text, end)
                if not next_word or next_word.group(1).lower() not in _OPENERS:
                    continue
        stop = end - 1  # the boundary's single trailing space
        if marks is None:
            marks = _Marks(text)
        if marks.quote_open(start, stop) and marks.words(start, stop) < _LONG_QUOTE_WORDS:
            continue
        sentences.append(text[start:stop])
        start = end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


_SENTENCE_END = re.compile(r"(?:[.!?…][\"”’“»«›')\]]*(?:\[\d{1,3}\])*"
                           rf"|[{''.join(sorted(_FULL_STOPS))}][{_FULL_CLOSE}]*)$")


def ends_sentence(text: str) -> bool:
    """Does ``text`` end as a sentence ends (., !, ? or …, then any closing quotes or
    brackets; or a full-width 。, ！ or ？)? Headings, list items and menu lines do not."""
    return bool(_SENTENCE_END.search(text))


_TRAILING_OFF = re.compile(r"(?:…|\.\.\.)[\"”’“»«›')\]]*$")


def trails_off(text: str) -> bool:
    """Does ``text`` end in an ellipsis: a teaser cut short ("23 things every girl of the
    2000s…") or a quotation left hanging? Either way it is no complete sentence."""
    return bool(_TRAILING_OFF.search(text))


# Authors of a reference list, one after the other: a surname and its initials, then a comma
# ("Peasah SK ,Azziz-Baumgartner E ,", "Smeets P, Duchateau MJ,", "Chao D. L., Halloran M.
# E.,"). One dotted initial is a name a report keeps short ("Amir S., 38 ans") or a middle name
# ("John R. Bolton"); a brand's letters stand apart ("the Moto X, or a variant of the Moto M").
_CITED_AUTHORS = re.compile(
    r"(?:\b[A-Z][\w'’-]+\s(?:[A-Z]{1,3}|(?:[A-Z]\.\s?){2,3})\s?,\s?(?:and\s)?){2}")
_CITE_OPENING = 12  # characters before them: a mark ("[1] ", "^ ") or "Source: "
_CITE_WINDOW = 300  # one bounded search per sentence


def cites(text: str) -> bool:
    """Does ``text`` open an entry of a reference list ("Peasah SK, Azziz-Baumgartner E,
    Breese J, et al.", "[1] Smeets P, Duchateau MJ, 2003.")? The entry's other sentences (the
    work's title, its journal) are no sentences of the article either."""
    found = _CITED_AUTHORS.search(text, 0, _CITE_WINDOW)
    return found is not None and found.start() <= _CITE_OPENING


def split_sentences(paragraphs: Iterable[str]) -> list[Sentence]:
    """All sentences of a body, numbered in article order."""
    out: list[Sentence] = []
    for p_index, paragraph in enumerate(paragraphs):
        for text in split_paragraph(paragraph):
            out.append(Sentence(text=text, index=len(out), paragraph=p_index))
    return out


_QUOTED = re.compile(r"[“\"][^“”\"]*[”\"]?|«[^«»]*»?|„[^„“”]*[“”]?")


def quotations(sentence: str) -> list[re.Match[str]]:
    """The quotations in a sentence, marks included (one left open runs to the end)."""
    return list(_QUOTED.finditer(sentence))


def quoted_share(sentence: str) -> float:
    """Share of a sentence's characters inside quotation marks: quote-led sentences make
    poor summary sentences (and the digest shows the key quotes separately)."""
    inside = sum(len(m.group(0)) for m in quotations(sentence))
    return inside / max(1, len(sentence))
