"""The bot's values: what a message asks for, the job a worker digests, what history keeps.

Plain frozen data, no Discord types: the cogs turn discord.py objects into these, and the
service, the workers and the store pass them on. ``Request`` is a tagged union; code that
handles one matches on its class.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from summariser.models import FeedItem, Headline

Reader = Callable[[], Awaitable[bytes]]  # reads an attachment's bytes from Discord

TEXT_FILE_SUFFIXES = (".txt", ".text", ".md")
HTML_FILE_SUFFIXES = (".html", ".htm")
_TEXT_MEDIA = ("text/plain", "text/html", "text/markdown")


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    """A file attached to a message, as Discord describes it, and how to read its bytes."""

    filename: str
    size: int  # bytes, as Discord reports it: checked before anything is downloaded
    url: str
    content_type: str | None = None
    read: Reader | None = field(default=None, compare=False, repr=False)

    @property
    def readable(self) -> bool:
        """Is it a text or HTML file, by its name or its declared type?"""
        name = self.filename.lower()
        media = (self.content_type or "").split(";")[0].strip().lower()
        return name.endswith(TEXT_FILE_SUFFIXES + HTML_FILE_SUFFIXES) or media in _TEXT_MEDIA


@dataclass(frozen=True, slots=True)
class UrlRequest:
    """A link to digest (normalised: see ``inputs.normalise_url``)."""

    url: str
    kind = "url"

    @property
    def label(self) -> str:
        """How the reply names it when it fails."""
        return self.url

    @property
    def key(self) -> str:
        """Identifies the article, in the cache and in the server's history."""
        return self.url


@dataclass(frozen=True, slots=True)
class TextRequest:
    """Pasted article text."""

    text: str
    kind = "text"
    label = "pasted text"

    @property
    def key(self) -> str:
        """Identifies the text in the server's history."""
        return "sha1:" + hashlib.sha1(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class FileRequest:
    """An attached file (``message.txt``, an HTML page) with the means to read it."""

    attachment: AttachmentInfo
    kind = "file"

    @property
    def label(self) -> str:
        """How the reply names it when it fails."""
        return self.attachment.filename

    @property
    def key(self) -> str:
        """Identifies the upload in the server's history."""
        return "sha1:" + hashlib.sha1(self.attachment.url.encode("utf-8")).hexdigest()


Request = UrlRequest | TextRequest | FileRequest


@dataclass(frozen=True, slots=True)
class StoryPrint:
    """What the bot stores to find the same story later: a unit vector's float32 bytes and
    the text it encodes (``bot/earlier.py``)."""

    vector: bytes
    text: str


@dataclass(frozen=True, slots=True)
class DigestJob:
    """One digest to make, as a worker receives it (picklable: it crosses into a worker
    process): a link, pasted text, or an uploaded file's name and bytes."""

    kind: Literal["url", "text", "file"]
    value: str  # the URL, the text, or the file's name
    data: bytes = b""  # the file's bytes, read on the event loop before the job is queued
    in_guild: bool = False  # make a story fingerprint for the server's history
    earlier: tuple[tuple[Headline, StoryPrint], ...] = ()


@dataclass(frozen=True, slots=True)
class FeedJob:
    """One poll of a feed, as a worker receives it, with the validators from the last one."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FeedHeadline:
    """A feed item and its headline's unit vector (float32 bytes), as the bot keeps it."""

    item: FeedItem
    vector: bytes


@dataclass(frozen=True, slots=True)
class FeedUpdate:
    """What one poll found: 304 (unchanged, no items) or the feed's title and items."""

    url: str
    status: int
    etag: str | None
    last_modified: str | None
    title: str | None = None
    items: tuple[FeedHeadline, ...] = ()
    found_at: str | None = None  # the feed's own URL, when ``url`` was a page naming it


@dataclass(frozen=True, slots=True)
class FollowedFeed:
    """A feed a server follows, and how its polls have gone."""

    url: str
    title: str | None
    items: int
    failures: int = 0
    last_error: str | None = None
    checked_at: float | None = None
