"""Direct quotations, who said them, and the few worth showing.

Finding quotes: straight (") and curly (“ ”) double quotes are paired within a paragraph; a quote
left open at the end of a paragraph continues when the next paragraph opens with a quotation
mark, as news style writes quotes that run over several paragraphs.

Attribution looks at the cue around the quote, nearest first:

* after it: ``“…,” said Caddell`` / ``“…,” Caddell said`` / ``“…,” he told reporters``;
* before it: ``X said: “…”``, ``X, <role>, told TV Rain: “…”``, ``He wrote in a tweet: "…"``,
  ``X said they "…"`` and ``according to X``;
* a paragraph that continues a quote, or holds only a quote, keeps the previous speaker.

Pronouns ("he", "she") resolve to the person named last before the quote; "the minister"-style
descriptions resolve to the name the article attached to that role ("Foreign Minister X",
"X, the minister"), else stay as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from summariser.models import Quote
from summariser.sentences import split_paragraph

_OPENERS = "\"“"
_CLOSERS = "\"”"
_VERBS = (
    r"said|says|say|told|tells|added|adds|wrote|writes|tweeted|posted|explained|explains|argued|"
    r"argues|asked|asks|stated|states|warned|warns|insisted|insists|claimed|claims|noted|notes|"
    r"continued|continues|recalled|declared|announced|replied|replies|responded|remarked|"
    r"acknowledged|admitted|conceded|suggested|urged|cautioned|predicted|promised|vowed|"
    r"confirmed|commented|observed|countered|emphasised|emphasized|stressed|joked|quipped|"
    r"concluded|testified|shouted|mused|complained|lamented|boasted|exclaimed|pleaded|"
    r"reiterated|agreed|maintained|contended|predicts|adding|saying|telling|writing"
)
_PRONOUNS = {"he", "she", "they", "i", "we", "him", "her"}
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|de|van|von|der|den|al|bin|da|di|la|le|du|el|ibn)"
_NAME = rf"[A-Z][\w'’.-]*(?:\s+{_NAME_WORD}){{0,4}}"
_SUBJECT = rf"(?:{_NAME}|[Hh]e|[Ss]he|[Tt]hey|I|[Ww]e|(?:[Tt]he|[Aa]n?)\s+[\w'’-]+(?:\s+[\w'’-]+){{0,3}})"
_ADVERB = r"(?:\w+ly\s+)?"

_AFTER_VERB_FIRST = re.compile(
    rf"^[\s,—–-]*(?:{_VERBS})\s+(?P<who>{_SUBJECT})", re.UNICODE
)
_AFTER_SUBJECT_FIRST = re.compile(
    rf"^[\s,—–-]*(?P<who>{_SUBJECT})(?:,\s*[^,“”\"]{{1,100}},)?\s+{_ADVERB}(?:{_VERBS})\b"
)
_BEFORE = re.compile(
    rf"(?P<who>{_SUBJECT})(?:,\s*[^“”\"]{{1,120}}?,)?\s+{_ADVERB}(?:has\s+|had\s+|have\s+)?"
    rf"(?:{_VERBS})\b[^“”\".!?]{{0,80}}?[:,]?\s*$"
)
_ORG_NOUN = re.compile(
    r"\s+(?:group|party|campaign|company|council|committee|movement|union|association|"
    r"charity|trust|network|agency|foundation|firm|club|team|alliance|coalition|institute)\b"
)
_ACCORDING = re.compile(rf"according to (?:the\s+)?(?P<who>{_NAME})")
_ROLE_WORDS = {
    w.lower()
    for w in """
    Mr Mrs Ms Miss Dr Prof Professor Sir Dame Lord Lady Rev Father Sister President Vice Prime
    Minister Secretary Chancellor Senator Sen Sen. Rep Rep. Representative Congressman
    Congresswoman Governor Gov Gov. Mayor Judge Justice Chief General Gen Gen. Colonel Col
    Captain Capt Sergeant Sgt Officer Detective Inspector Superintendent Commissioner Chairman
    Chairwoman Chair Director Spokesman Spokeswoman Spokesperson Ambassador Speaker Leader MP MEP
    MSP Labour Conservative Tory Democrat Democratic Republican Liberal Green Independent
    Foreign Home Health Defence Defense Justice Interior Finance Education Culture Shadow Former
    Acting Deputy Assistant Senior Coach Manager Striker Star Actor Actress Singer CEO Founder
    Pope King Queen Prince Princess Activist Analyst Lawyer Attorney Doctor Professor Agent
    """.split()
}
_ORG_WORDS = {
    w.lower()
    for w in """
    International Party Ministry Department Council Court University Office News Times Post
    Agency Association Committee Commission Company Corporation Inc Ltd Group Foundation Institute
    Police Service Bank Government Parliament Congress Senate House Union Organisation Organization
    Campaign Network Club Federation League Airlines Airways Hospital School Authority Board
    Centre Center Trust Society Reuters Associated Press CNN BBC Twitter Facebook
    """.split()
}
_SENTENCE_START_STOP = {
    "the", "a", "an", "in", "on", "at", "but", "and", "despite", "during", "after", "before",
    "read", "it", "this", "that", "these", "those", "yes", "no", "we", "our", "his", "her",
}
_CAP_RUN = re.compile(r"(?<![\w'’])[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|bin|al))+")


@dataclass(frozen=True, slots=True)
class FoundQuote:
    """A quotation as found: the words, where it starts and ends, and its resolved speaker."""

    text: str
    speaker: str | None
    paragraph: int
    offset: int  # character offset in the whole article text where the quote opens
    continued: bool = False  # spans more than one paragraph


def _is_opener(text: str, i: int) -> bool:
    char = text[i]
    if char == "“":
        return True
    if char != '"':
        return False
    before = text[i - 1] if i else " "
    return before.isspace() or before in "([—–-:/" or i == 0


def _is_closer(text: str, i: int) -> bool:
    char = text[i]
    if char == "”":
        return True
    if char != '"':
        return False
    return i > 0 and not text[i - 1].isspace()


def _spans(paragraph: str) -> tuple[list[tuple[int, int]], int | None]:
    """Closed quote spans (start, end) exclusive of the marks, and the start of an open one."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for i, char in enumerate(paragraph):
        if char not in _OPENERS and char not in _CLOSERS:
            continue
        if start is None:
            if _is_opener(paragraph, i):
                start = i + 1
        elif _is_closer(paragraph, i):
            spans.append((start, i))
            start = None
    return spans, start


def _clean(words: str) -> str:
    return " ".join(words.split()).strip()


class _People:
    """People named so far, for resolving pronouns and role descriptions."""

    def __init__(self, text: str) -> None:
        self._text = text

    @staticmethod
    def _person(run: str) -> str | None:
        tokens = run.replace("’s", "").replace("'s", "").split()
        roles = [i for i, t in enumerate(tokens) if t.lower().rstrip(".") in _ROLE_WORDS
                 or (t.isupper() and len(t) > 1)]
        if roles and roles[-1] < len(tokens) - 1:
            tokens = tokens[roles[-1] + 1 :]  # "Transport Secretary Helen Marsh" -> Helen Marsh
        if len(tokens) < 2 or tokens[0].lower() in _SENTENCE_START_STOP:
            if len(tokens) == 1 and len(run.split()) > 1:
                return tokens[0]  # "Mr Navalny" -> keep the surname with what preceded it
            return None
        if any(t.lower().strip(".,") in _ORG_WORDS for t in tokens):
            return None
        return " ".join(tokens[:4]).rstrip(".,:;")

    def full_name(self, name: str, offset: int) -> str:
        """'Brabin' -> 'Tracy Brabin' when the article named her in full earlier."""
        if len(name.split()) > 1:
            return name
        before = self._text[:offset]
        for match in reversed(list(_CAP_RUN.finditer(before))):
            person = self._person(match.group(0))
            if person and len(person.split()) > 1 and person.split()[-1] == name:
                return person
        return name

    def last_before(self, offset: int) -> str | None:
        window = self._text[max(0, offset - 1500) : offset]
        window = re.sub(r"[“\"][^“”\"]*[”\"]", " ", window)  # names inside quotes do not count
        for match in reversed(list(_CAP_RUN.finditer(window))):
            if _ORG_NOUN.match(window, match.end()):
                continue  # "the Save Kirkstall group": an organisation, not a person
            person = self._person(match.group(0))
            if person:
                return person
        return None

    def for_role(self, role: str, offset: int) -> str | None:
        before = self._text[max(0, offset - 3000) : offset]
        role_re = f"(?i:{re.escape(role)})"
        patterns = (
            rf"\b{role_re}\s+(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){{0,3}})",
            rf"(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){{1,3}}),\s+(?:the\s+|a\s+)?[^,.]{{0,60}}\b{role_re}\b",
        )
        found: list[tuple[int, str]] = []
        for pattern in patterns:
            for match in re.finditer(pattern, before):
                found.append((match.start(), match.group("name")))
        if not found:
            return None
        person = self._person(max(found)[1])
        return person or max(found)[1]


def _resolve(who: str | None, offset: int, people: _People) -> str | None:
    if not who:
        return None
    who = who.strip().rstrip(",.:;")
    lower = who.lower()
    if lower in _PRONOUNS:
        return people.last_before(offset)
    if lower.startswith(("the ", "a ", "an ")):
        role = who.split(None, 1)[1]
        head = role.split()[-1]
        return people.for_role(head, offset) or who
    cleaned = (_People._person(who) if len(who.split()) > 1 else who) or who
    return people.full_name(cleaned, offset)


def _sentence_before(text: str) -> str:
    """The part of ``text`` after its last sentence boundary (the cue's own sentence)."""
    cut = max(text.rfind(". "), text.rfind("? "), text.rfind("! "), text.rfind("” "))
    return text[cut + 2 :] if cut >= 0 else text


def _cue_after(after: str) -> str | None:
    window = after[:160]
    match = _AFTER_VERB_FIRST.match(window) or _AFTER_SUBJECT_FIRST.match(window)
    return match.group("who") if match else None


def _cue_before(before: str) -> str | None:
    window = _sentence_before(before[-300:])
    match = _BEFORE.search(window)
    if match:
        return match.group("who")
    # A partial quote inside a sentence: "X said they “…”" or "X has called it “…”".
    inline = re.search(
        rf"(?P<who>{_SUBJECT})(?:,\s*[^“”\"]{{1,120}}?,)?\s+{_ADVERB}(?:{_VERBS})\b", window
    )
    if inline:
        return inline.group("who")
    according = _ACCORDING.search(window)
    return according.group("who") if according else None


def find_quotes(paragraphs: Sequence[str]) -> list[FoundQuote]:
    """Every direct quotation in article order, each with its speaker where the text says."""
    joined = "\n\n".join(paragraphs)
    people = _People(joined)
    found: list[FoundQuote] = []
    base = 0
    carry: dict | None = None  # a quote still open at the end of the previous paragraph
    previous_speaker: str | None = None
    previous_paragraph = -10
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
        for start, end, is_open in pieces:
            words = paragraph[start:end]
            if carry is not None and start <= 1:
                carry["text"] += " " + _clean(words)
                carry["continued"] = True
                if not is_open:
                    after = paragraph[end + 1 :]
                    carry["after"] = after
                    quote = _finish(carry, people)
                    found.append(quote)
                    previous_speaker, previous_paragraph = quote.speaker, p_index
                    carry = None
                continue
            before = paragraph[: max(0, start - 1)]
            after = paragraph[end + 1 :] if not is_open else ""
            entry = {
                "text": _clean(words),
                "before": before,
                "after": after,
                "paragraph": p_index,
                "offset": base + start,
                "continued": False,
                # No cue of its own: a quote later in the same paragraph, or one that opens
                # the paragraph right after a quote, is the same speaker's.
                "fallback": previous_speaker
                if p_index == previous_paragraph
                or (p_index - previous_paragraph == 1 and start <= 1)
                else None,
            }
            if is_open:
                carry = entry
            else:
                quote = _finish(entry, people)
                found.append(quote)
                previous_speaker, previous_paragraph = quote.speaker, p_index
        base += len(paragraph) + 2
    if carry is not None:
        found.append(_finish(carry, people))
    return [q for q in found if q.text]


def _finish(entry: dict, people: _People) -> FoundQuote:
    who = _cue_after(entry["after"]) or _cue_before(entry["before"])
    speaker = _resolve(who, entry["offset"], people) or entry["fallback"]
    return FoundQuote(
        text=entry["text"].rstrip(" ,"),
        speaker=speaker,
        paragraph=entry["paragraph"],
        offset=entry["offset"],
        continued=entry["continued"],
    )


def _is_name(speaker: str | None) -> bool:
    return bool(speaker) and speaker[0].isupper() and not speaker.lower().startswith(
        ("the ", "a ", "an ")
    )


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


def _overlap(a: str, b: str) -> float:
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return len(wa & wb) / max(1, min(len(wa), len(wb)))


def _merge_runs(quotes: list[FoundQuote]) -> list[FoundQuote]:
    """Join a speaker's quote that the cue splits in two ("A," she said. "B") into one."""
    merged: list[FoundQuote] = []
    for quote in quotes:
        last = merged[-1] if merged else None
        if last and quote.speaker and last.speaker == quote.speaker and (
            last.paragraph == quote.paragraph
        ):
            merged[-1] = replace(last, text=f"{last.text.rstrip(',')} … {quote.text}")
        else:
            merged.append(quote)
    return merged


def key_quotes(
    paragraphs: Sequence[str], limit: int = 3, min_words: int = 6, max_words: int = 50
) -> list[Quote]:
    """Up to ``limit`` informative, non-redundant quotes, in article order.

    Scare quotes and fragments (under ``min_words``) never qualify. Quotes with a named speaker
    come first, then longer ones (up to about 40 words); one quote per speaker unless there are
    too few speakers; a quote that repeats another is skipped.
    """
    quotes = [q for q in _merge_runs(find_quotes(paragraphs)) if len(q.text.split()) >= min_words]

    def score(q: FoundQuote) -> float:
        named = 1.0 if _is_name(q.speaker) else (0.3 if q.speaker else 0.0)
        length = min(len(q.text.split()), 40) / 40
        early = 0.1 / (1 + q.paragraph)
        return 2 * named + length + early

    ranked = sorted(quotes, key=score, reverse=True)
    chosen: list[FoundQuote] = []
    for one_per_speaker in (True, False):
        for q in ranked:
            if len(chosen) >= limit:
                break
            if q in chosen or any(_overlap(q.text, c.text) > 0.6 for c in chosen):
                continue
            if one_per_speaker and q.speaker and any(c.speaker == q.speaker for c in chosen):
                continue
            chosen.append(q)
    chosen.sort(key=lambda q: q.offset)
    return [Quote(text=shorten(q.text, max_words), speaker=q.speaker) for q in chosen]
