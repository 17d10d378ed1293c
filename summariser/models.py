"""Frozen values that cross module lines, from a fetched Page to the Digest a user gets.

Stages return these and nothing else, so the renderer, the CLI and the tests depend on plain
typed data rather than on an HTML tree or a tensor.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

# Content types the fetcher accepts as a web page.
HTML_TYPES = ("text/html", "application/xhtml+xml")


# Scripts written without spaces between words (Chinese, Japanese kana and kanji): their
# characters are counted two a word, so a Japanese article is not "16 words, too short".
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def word_count(text: str) -> int:
    """Words in ``text``: whitespace-separated words, with the letters of unspaced scripts
    counted two a word (the usual ratio of characters to words in Japanese and Chinese)."""
    unspaced = len(UNSPACED.findall(text))
    if not unspaced:
        return len(text.split())
    return len(UNSPACED.sub(" ", text).split()) + (unspaced + 1) // 2


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched document: the final URL after redirects, its decoded text and content type."""

    url: str
    text: str
    content_type: str
    status: int = 200

    @property
    def is_html(self) -> bool:
        """Is it a web page (rather than plain text)?"""
        return self.content_type in HTML_TYPES


@dataclass(frozen=True, slots=True)
class Headline:
    """A candidate or chosen related headline; ``url`` is None for pasted headline lists."""

    title: str
    url: str | None = None
    # "page" (the page's own links or pasted lists), "earlier" (this server's history) or
    # "feed" (a feed the server follows)
    origin: str = "page"
    site: str | None = None  # the feed's site, for feed headlines
    # Where a page candidate stood (``extract.page_links``): "related" (a related / read-more box),
    # "list" (a pasted headline list or "Read more:" line), "marked" (a block marked share,
    # tag or author), "page" (anywhere else outside the navigation). Not part of its identity.
    box: str = field(default="list", compare=False)


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One story a feed lists: its headline, link, site, when it was published (Unix time,
    None when the feed does not say) and the first sentences of its description (None when it
    has none: ``feeds.py``)."""

    title: str
    url: str
    site: str | None = None
    published: float | None = None
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    """An RSS or Atom feed as parsed: its title and newest items, at most a fixed number."""

    url: str
    title: str | None
    items: tuple[FeedItem, ...]


@dataclass(frozen=True, slots=True)
class Article:
    """Cleaned article body plus what we learnt about it on the way.

    ``paragraphs`` is the body only: no captions, credits, bylines or headline lists.
    ``candidates`` are headlines found on the page or in the paste, not yet ranked.
    ``scores`` holds, when a content model chose the body, its probability that each paragraph
    is article text (empty otherwise).
    """

    paragraphs: tuple[str, ...]
    title: str | None = None
    url: str | None = None
    site: str | None = None
    date: str | None = None
    byline: str | None = None
    candidates: tuple[Headline, ...] = ()
    scores: tuple[float, ...] = ()
    words: int = field(init=False, repr=False, compare=False)  # in the body, counted once

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", sum(word_count(p) for p in self.paragraphs))

    def unsure(self, threshold: float) -> frozenset[int]:
        """Paragraphs the content model is less than ``threshold`` sure are article text."""
        return frozenset(i for i, score in enumerate(self.scores) if score < threshold)

    @property
    def text(self) -> str:
        """The body as one text, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class Reading:
    """What the line rules make of a paste, before the body is chosen.

    ``lines`` are the paste's non-empty lines after captions are dropped; ``kinds`` names what
    the rules took each one for (``KINDS``); ``rule_body`` says whether the rules keep it in the
    body. The content model (``content.py``) reads all three and decides the body itself.
    """

    lines: tuple[str, ...]
    kinds: tuple[str, ...]
    rule_body: tuple[bool, ...]
    candidates: tuple[Headline, ...]
    date: str | None
    byline: str | None


# What a line was taken for: "before", "body" and "after" are kept lines before, inside and after
# the run of prose; "dropped" a kept short line inside it that is not a sentence.
KINDS = ("before", "body", "after", "dropped", "end", "closing", "list_heading", "read_more",
         "chrome", "date", "byline", "listed")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the body; ``index`` is its position in the article, from 0."""

    text: str
    index: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class FoundQuote:
    """A quotation as found: the words, where it starts and ends, and its resolved speaker."""

    text: str
    speaker: str | None
    paragraph: int
    offset: int  # character offset in the whole article text where the quote opens
    continued: bool = False  # spans more than one paragraph


@dataclass(frozen=True, slots=True)
class Quote:
    """Quoted words only (no quotation marks) and who said them, as the article names them."""

    text: str
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    """The summary part of a digest, and how it was made."""

    sentences: tuple[str, ...]
    method: str
    abstractive: bool = False
    notes: tuple[str, ...] = ()
    generated: int = 0  # sentences an abstractive model wrote
    dropped: tuple[tuple[str, str], ...] = ()  # (sentence, reason) the guard left out

    @property
    def words(self) -> int:
        """Words in the summary."""
        return sum(word_count(s) for s in self.sentences)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The faithfulness guard's judgement of one generated sentence, and why."""

    sentence: str
    ok: bool
    reason: str = ""
    support: float = 0.0


@dataclass(frozen=True, slots=True)
class Digest:
    """What a user gets back for one article."""

    title: str | None
    url: str | None
    summary: tuple[str, ...]
    quotes: tuple[Quote, ...]
    related: tuple[Headline, ...]
    words: int
    method: str
    text: str
    site: str | None = None
    date: str | None = None
    summary_words: int = 0
    elapsed_ms: float = 0.0
    abstractive: bool = False
    notes: tuple[str, ...] = field(default=())
    author: str | None = None  # the byline's name(s); ``date`` is ISO 8601 (YYYY-MM-DD)
    lang: str | None = None  # ISO 639-1 code of the article's language, None when unsure

    @property
    def reduction(self) -> int:
        """How much shorter the summary is than the article, in whole per cent."""
        if not self.words:
            return 0
        return max(0, round(100 * (1 - self.summary_words / self.words)))

    def to_json(self) -> dict[str, Any]:
        """The digest as JSON data (the CLI's ``--json`` output)."""
        data = asdict(self)
        data["summary"] = list(self.summary)
        data["quotes"] = [{"text": q.text, "speaker": q.speaker} for q in self.quotes]
        data["related"] = [
            {"title": h.title, "url": h.url, "origin": h.origin, "site": h.site}
            for h in self.related
        ]
        data["notes"] = list(self.notes)
        data["reduction"] = self.reduction
        return data

    def dumps(self) -> str:
        """``to_json`` as a string."""
        return json.dumps(self.to_json(), ensure_ascii=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Digest:
        """A digest from what ``to_json`` gave."""
        return cls(
            title=data.get("title"),
            url=data.get("url"),
            summary=tuple(data.get("summary", ())),
            quotes=tuple(Quote(q["text"], q.get("speaker")) for q in data.get("quotes", ())),
            related=tuple(
                Headline(h["title"], h.get("url"), h.get("origin", "page"), h.get("site"))
                for h in data.get("related", ())
            ),
            words=int(data.get("words", 0)),
            method=data.get("method", ""),
            text=data.get("text", ""),
            site=data.get("site"),
            date=data.get("date"),
            summary_words=int(data.get("summary_words", 0)),
            elapsed_ms=float(data.get("elapsed_ms", 0.0)),
            abstractive=bool(data.get("abstractive", False)),
            notes=tuple(data.get("notes", ())),
            author=data.get("author"),
            lang=data.get("lang"),
        )
