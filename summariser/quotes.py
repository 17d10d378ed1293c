"""Direct quotations, who said them, and the few worth showing.

Finding quotes: straight (") and curly (“ ”) double quotes, guillemets (« », ‹ ›) and, in a
paragraph that uses them, German marks („ “, » «) are paired within a paragraph; a straight
quote inside a quotation, after a space and before a word, opens one within it (`"… zwischen
"ohne Kükentöten" und …"`), unless reading it so leaves the paragraph's quotation open; a quote
left open at the end of a paragraph continues when the next paragraph opens with a quotation
mark, as news style writes quotes that run over several paragraphs.

Attribution (``speakers.py``) reads the cue around each quote; a paragraph that continues a
quote, or a quote later in the same paragraph with no cue of its own, keeps the previous speaker.
The headline, when given, is read for the people it names: in another language than English, a
pronoun or a description with no one named before it, or a quote with no cue at all, stands
for whom the article is about (``Attributor.main``).
Key quotes are the informative, non-redundant ones, named speakers first.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from summariser.keyquotes import (
    PHRASE_WORDS,
    TRUSTED_FOREIGN,
    TRUSTED_READINGS,
    is_named_speaker,
    is_statement,
)
from summariser.models import FoundQuote, Quote
from summariser.sentences import split_paragraph
from summariser.speakers import Attributor, reads_own_cues

_OPENERS = "\"“«„‹»"
_CLOSERS = "\"”»“›«"
# Which marks close a quotation each mark opens; a paragraph with „ or a spaced » opening a
# word reads German-style („…“, »…«), where “ and « close.
_PAIRS = {"“": "”\"", "\"": "\"”", "«": "»", "‹": "›"}
_LOW_PAIRS = {"„": "“”", "»": "«", "›": "‹", "\"": "\"", "“": "”"}
_GERMAN_GUILLEMETS = re.compile(r"(?:^|\s)»\w")
# A cue sits next to its quote: the text read around a quote for one is bounded, so every quote
# costs the same however long the paragraph around it is.
CUE_REACH = 600


def _is_opener(text: str, i: int, pairs: dict[str, str]) -> bool:
    char = text[i]
    if char != '"':
        return char in pairs
    before = text[i - 1] if i else " "
    return before.isspace() or before in "([—–-:/" or i == 0


def _is_closer(text: str, i: int, opener: str, pairs: dict[str, str]) -> bool:
    char = text[i]
    if char not in pairs.get(opener, ""):
        return False
    if char != '"':
        return True
    # closes after a word, or after a space where a comma or a stop follows: "… maire ", dit-il
    return i > 0 and (not text[i - 1].isspace() or text[i + 1 : i + 2] in (",", ";", ":", ")"))


def _nested_opener(text: str, i: int) -> bool:
    """Does the straight quote at ``i``, inside a quotation, open one within it: after a space
    and before a word ("… zwischen "ohne Kükentöten" und …")?"""
    return text[i] == '"' and i > 0 and text[i - 1].isspace() and text[i + 1 : i + 2].isalnum()


def _spans(paragraph: str, nested: bool = True) -> tuple[list[tuple[int, int]], int | None]:
    """Closed quote spans (start, end) exclusive of the marks, and the start of an open one.
    Straight quotes inside a quotation may hold a quotation of their own (``nested``); where
    reading them so leaves the paragraph's last quotation open, they are read flat."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    low = "„" in paragraph or _GERMAN_GUILLEMETS.search(paragraph) is not None
    pairs = _LOW_PAIRS if low else _PAIRS
    opener = ""
    depth = nests = 0
    for i, char in enumerate(paragraph):
        if char not in _OPENERS and char not in _CLOSERS:
            continue
        if start is None:
            if _is_opener(paragraph, i, pairs):
                start, opener = i + 1, char
        elif nested and '"' in pairs.get(opener, "") and _nested_opener(paragraph, i):
            depth, nests = depth + 1, nests + 1
        elif depth and char == '"' and _is_closer(paragraph, i, '"', _PAIRS):
            depth -= 1
        elif _is_closer(paragraph, i, opener, pairs):
            spans.append((start, i))
            start, depth = None, 0
    if nests and start is not None:
        return _spans(paragraph, nested=False)
    return spans, start


def _clean(words: str) -> str:
    return " ".join(words.split()).strip()


@dataclass(slots=True)
class _Open:
    """A quotation being read: its parts so far and what surrounds it."""

    parts: list[str]
    before: str  # text before it, where a cue may be
    after: str  # text after it
    paragraph: int
    offset: int
    fallback: str | None  # the speaker it is taken to share when it has no cue
    # the speaker of a quote in this paragraph or the one before, and where that quote ended
    recent: tuple[str, int] | None = None
    continued: bool = False


def find_quotes(paragraphs: Sequence[str], lang: str | None = None, title: str | None = None
                ) -> list[FoundQuote]:
    """Every direct quotation in article order, each with its speaker where the text says
    (``lang``: the article's language, whose cues are read besides English ones; ``title``:
    the headline, read for the people it names, never for quotes)."""
    return [quote for quote, _how in titled_quotes(paragraphs, lang, title)[0]]


def titled_quotes(paragraphs: Sequence[str], lang: str | None, title: str | None
                  ) -> tuple[list[tuple[FoundQuote, str]], Attributor]:
    """``attributed_quotes`` of an article read under its headline: the headline opens the
    text the speakers are read from ("…, insiste Edouard Philippe" names the "Premier
    ministre" quoted below), and its own quotations are left out, with every quote's paragraph
    and offset those of ``paragraphs``."""
    # The headline and an empty paragraph: no quote of the headline passes its speaker on to
    # a quote that opens the body.
    head = [title.strip(), ""] if title and title.strip() else []
    headline_speaker = None
    if head and reads_own_cues(lang):  # only whom the article is about needs it
        quoted = attributed_quotes(head[:1], Attributor(head[0], lang))
        headline_speaker = next((q.speaker for q, how in quoted if how == "cue"), None)
    people = Attributor("\n\n".join([*head, *paragraphs]), lang,
                        title_end=len(head[0]) if head else 0, headline_speaker=headline_speaker)
    found = attributed_quotes([*head, *paragraphs], people)
    if not head:
        return found, people
    shift = len(head[0]) + 4
    return [(replace(quote, paragraph=quote.paragraph - 2, offset=quote.offset - shift), how)
            for quote, how in found if quote.paragraph > 1], people


def attributed_quotes(paragraphs: Sequence[str], people: Attributor
                      ) -> list[tuple[FoundQuote, str]]:
    """``find_quotes`` with how each speaker was found: ``cue`` (the quote's own cue),
    ``previous`` (no cue: the speaker of the quote before it), ``opener`` (the subject opening
    the sentence around a partial quote, a weaker reading), ``main`` (none of these: whom the
    article is about, in another language than English) or ``none``; in another language,
    ``resolved`` is a cue whose pronoun or description was taken for a name."""
    found: list[tuple[FoundQuote, str]] = []
    base = 0
    carry: _Open | None = None  # a quote still open at the end of the previous paragraph
    previous_speaker: str | None = None
    previous_how = "none"
    previous_paragraph = -10
    previous_quote_end = 0
    for p_index, paragraph in enumerate(paragraphs):
        spans, open_start = _spans(paragraph)
        if carry is not None:
            starts_with_quote = paragraph[:1] in _OPENERS
            if not starts_with_quote:
                found.append(_finish(carry, people))
                carry = None
        pieces: list[tuple[int, int, bool]] = [(s, e, False) for s, e in spans]
        if open_start is not None:
            pieces.append((open_start, len(paragraph), True))
        for k, (start, end, is_open) in enumerate(pieces):
            # The cue of a quote lies between it and its neighbours, never inside them.
            previous_end = pieces[k - 1][1] + 1 if k else 0
            next_start = pieces[k + 1][0] - 1 if k + 1 < len(pieces) else len(paragraph)
            words = paragraph[start:end]
            if carry is not None and start <= 1:
                carry.parts.append(_clean(words))
                carry.continued = True
                if not is_open:
                    carry.after = paragraph[end + 1 : min(next_start, end + 1 + CUE_REACH)]
                    quote, how = _finish(carry, people)
                    found.append((quote, how))
                    previous_speaker, previous_paragraph, previous_how = quote.speaker, p_index, how
                    previous_quote_end = base + end
                    carry = None
                continue
            cue_start = max(previous_end, start - 1 - CUE_REACH)
            before = paragraph[cue_start : max(previous_end, start - 1)]
            after = paragraph[end + 1 : min(next_start, end + 1 + CUE_REACH)] if not is_open else ""
            # No cue of its own: a quote later in the same paragraph, or one that opens the
            # paragraph right after a quote, is the same speaker's.
            same_speaker = p_index == previous_paragraph or (
                p_index - previous_paragraph == 1 and start <= 1)
            # A speaker taken only for being whom the article is about is not passed on as
            # read from a cue: the next quote with no cue takes them anyway, as such.
            entry = _Open([_clean(words)], before, after, p_index, base + start,
                          previous_speaker if same_speaker and previous_how != "main" else None,
                          (previous_speaker, previous_quote_end) if previous_speaker and (
                              p_index - previous_paragraph <= 1) else None)
            if is_open:
                carry = entry
            else:
                quote, how = _finish(entry, people)
                found.append((quote, how))
                previous_speaker, previous_paragraph, previous_how = quote.speaker, p_index, how
                previous_quote_end = base + end
        base += len(paragraph) + 2
    if carry is not None:
        found.append(_finish(carry, people))
    found = [(q, how) for q, how in found if q.text]
    if not people.foreign:
        return found
    return _headings(paragraphs, [piece for q, how in found for piece in _around_cue(q, how,
                                                                                     people)])


def _around_cue(quote: FoundQuote, how: str, people: Attributor
                ) -> list[tuple[FoundQuote, str]]:
    """A quote whose marks hold its own cue ("« C'est une question…, a assuré sur RTL le
    porte-parole. Nous n'avons pas … »") as the two pieces of the speaker's words around it:
    the cue is the writer's words, never shown as the speaker's."""
    span = people.inner_cue_span(quote.text)
    if span is None:
        return [(quote, how)]
    start, end = span
    pieces = [(quote.text[:start].rstrip(" ,"), 0), (quote.text[end:].strip(), end)]
    return [(replace(quote, text=text, offset=quote.offset + at), how)
            for text, at in pieces if text]


_HEADING_MARKS = " -–—•*" + _OPENERS + _CLOSERS


def _headings(paragraphs: Sequence[str], found: list[tuple[FoundQuote, str]]
              ) -> list[tuple[FoundQuote, str]]:
    """A heading that is only a quotation ("« Totalement inutile d'acheter des masques »",
    "- "Grand pas" -") repeats words of a quote below it: it takes that quote's speaker when
    its own cue gave none."""
    out = list(found)
    for k, (quote, how) in enumerate(found):
        if how == "cue" or paragraphs[quote.paragraph].strip(_HEADING_MARKS) != quote.text:
            continue
        words = set(re.findall(r"\w+", quote.text.lower()))
        for later, later_how in found[k + 1 :]:
            if later_how != "none" and later.speaker and later.paragraph > quote.paragraph and (
                    words <= set(re.findall(r"\w+", later.text.lower()))):
                out[k] = (replace(quote, speaker=later.speaker), "heading")
                break
    return out


def _finish(entry: _Open, people: Attributor) -> tuple[FoundQuote, str]:
    text = " ".join(entry.parts)
    who = people.cue(entry.before, entry.after, text)
    speaker, how = people.resolve(who, entry.offset, entry.recent), "cue"
    if speaker and people.foreign and not (who or "")[:1].isupper():
        how = "resolved"  # "a-t-il ajouté", "a déclaré le Français": a name by inference
    if not speaker:
        speaker, how = entry.fallback, "previous"
    if not speaker:
        speaker, how = people.resolve(people.opener(entry.before), entry.offset,
                                      entry.recent), "opener"
    if not speaker and people.main:
        speaker, how = people.main, "main"  # no cue at all: whom the article is about
    quote = FoundQuote(
        text=text.rstrip(" ,"),
        speaker=speaker,
        paragraph=entry.paragraph,
        offset=entry.offset,
        continued=entry.continued,
    )
    return quote, how if speaker else "none"


def is_name(speaker: str | None) -> bool:
    """Does ``speaker`` name someone ("Chris Bryant"), rather than describe them ("the
    minister", "a spokesperson")?"""
    return speaker is not None and speaker[:1].isupper() and not speaker.lower().startswith(
        ("the ", "a ", "an "))


def shorten(text: str, max_words: int = 50) -> str:
    """Whole sentences of a quote up to ``max_words``; '…' marks where it was cut."""
    if len(text.split()) <= max_words:
        return text
    kept: list[str] = []
    for sentence in split_paragraph(text):
        if kept and len(" ".join(kept + [sentence]).split()) > max_words:
            break
        kept.append(sentence)
    short = " ".join(kept)
    if len(short.split()) > max_words:  # one very long sentence: cut at a clause boundary
        clause = re.split(r"(?<=[,;])\s+", short)
        short = ""
        for part in clause:
            if short and len((short + " " + part).split()) > max_words:
                break
            short = f"{short} {part}".strip()
    return short.rstrip(",;") + " …"


# Prose has few of these (a semicolon a sentence: at most 1.3 % of a paragraph's characters in
# the PolNeAR paragraphs); code has braces, semicolons and "=" all through it.
_CODE_CHARACTERS = frozenset("{};=")
CODE_SHARE = 0.03


def _is_code(paragraph: str) -> bool:
    """Does ``paragraph`` read as code rather than prose?"""
    marks = sum(char in _CODE_CHARACTERS for char in paragraph)
    return marks >= 4 and marks / len(paragraph) >= CODE_SHARE and (
        "{" in paragraph or "=" in paragraph)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _shared(wa: set[str], wb: set[str]) -> float:
    """How much two word sets share: the share of the smaller one's words."""
    return len(wa & wb) / max(1, min(len(wa), len(wb)))


# What parts two pieces of one quote is its cue, one sentence at most. Words after the cue's
# sentence ("“The officer returned fire,” he said. Mr. Rahami fled, “indiscriminately firing
# …”") open another sentence, which quotes on its own account.
_BETWEEN_MARKS = " .,;:!?\"“”‘’«»„‹›'"


def _cue_only(between: str) -> bool:
    """Is ``between``, the text between two quotes, no more than one sentence (their cue)?"""
    return len(split_paragraph(between.strip(_BETWEEN_MARKS))) <= 1


def _merge_runs(quotes: list[FoundQuote], text: str) -> list[FoundQuote]:
    """Join a speaker's quote that the cue splits in two ("A," she said. "B") into one; not two
    quotes of one speaker with more than the cue between them (``_cue_only``). A quoted phrase
    under ``PHRASE_WORDS`` words is a term or a title, not speech ("the short-“i” sound (as in
    “kit”)", "farmer’s lung … hot tub lung"): it joins nothing, so that a string of them never
    passes for a quote. ``text`` is the article's, which the quotes' offsets point into."""
    runs: list[list[FoundQuote]] = []
    for quote in quotes:
        last = runs[-1][-1] if runs else None
        if last and quote.speaker and last.speaker == quote.speaker and (
            last.paragraph == quote.paragraph
        ) and min(len(last.text.split()), len(quote.text.split())) >= PHRASE_WORDS and (
            _cue_only(text[last.offset + len(last.text) : quote.offset])):
            runs[-1].append(quote)
        else:
            runs.append([quote])
    return [
        run[0] if len(run) == 1
        else replace(run[0], text=" … ".join(q.text.rstrip(",") for q in run[:-1]) + " … "
                     + run[-1].text)
        for run in runs
    ]


def key_quotes(
    paragraphs: Sequence[str], limit: int = 3, min_words: int = 6, max_words: int = 50,
    lang: str | None = None, title: str | None = None, unsure: frozenset[int] = frozenset(),
) -> list[Quote]:
    """Up to ``limit`` key quotes a reader can trust, in article order.

    A key quote is a statement (``min_words`` words or more, no title, no string in code such as
    a tutorial's ``return this.name + " greets " + target;``) whose speaker the article names, a
    person or an organisation, read from the quote's own cue or from the quote before it
    (``keyquotes.py``; one word only where it names someone alone, ``Attributor.names_alone``):
    a quote whose speaker is unsure, or only described ("the minister"), is not shown. Longer
    quotes (up to about 40 words) of speakers the article mentions more come first; one quote
    per speaker ("De Miranda" and "de Miranda" are one) unless there are too few speakers; a
    quote that repeats another is skipped. A quote in one of the ``unsure`` paragraphs (those the
    content model is not sure are the article's, which the summary leaves out too: another
    story above the headline, a reader's comment) is not shown; their words still tell who is
    who.
    """
    prose = ["" if _is_code(paragraph) else paragraph for paragraph in paragraphs]
    text = "\n\n".join(prose)
    found, people = titled_quotes(prose, lang, title)
    readings = TRUSTED_FOREIGN if people.foreign else TRUSTED_READINGS
    trusted = [quote for quote, how in found
               if how in readings and quote.paragraph not in unsure
               and is_named_speaker(quote.speaker) and (
                   " " in (quote.speaker or "") or people.names_alone(quote.speaker or ""))]
    quotes = [q for q in _merge_runs(trusted, text) if is_statement(q.text, min_words)]
    mentions = Counter(re.findall(r"[\w’'-]+", text))

    def score(q: FoundQuote) -> float:
        surname = (q.speaker or "").split()[-1]
        central = min(mentions[surname], 5) / 5
        length = min(len(q.text.split()), 40) / 40
        early = 0.1 / (1 + q.paragraph)
        return length + 0.5 * central + early

    return pick(quotes, score, limit, max_words)


def pick(quotes: Sequence[FoundQuote], score: Callable[[FoundQuote], float], limit: int,
         max_words: int) -> list[Quote]:
    """The best ``limit`` of ``quotes`` by ``score``, in article order: one per speaker while
    there are speakers enough, none that repeats another, each cut to ``max_words``."""
    ranked = sorted(quotes, key=score, reverse=True)
    words = [_words(q.text) for q in ranked]  # each quote read once, however often compared
    chosen: list[FoundQuote] = []
    taken: list[set[str]] = []
    for one_per_speaker in (True, False):
        for q, own in zip(ranked, words, strict=True):
            if len(chosen) >= limit:
                break
            if q in chosen or any(_shared(own, other) > 0.6 for other in taken):
                continue
            if one_per_speaker and q.speaker and any(
                    (c.speaker or "").casefold() == q.speaker.casefold() for c in chosen):
                continue
            chosen.append(q)
            taken.append(own)
    chosen.sort(key=lambda q: q.offset)
    return [Quote(text=shorten(q.text, max_words), speaker=q.speaker) for q in chosen]
