"""The bot's values: what a message asks for, the job a worker digests, what history keeps.

Plain frozen data, no Discord types: the cogs turn discord.py objects into these, and the
service, the workers and the store pass them on. ``Request`` is a tagged union; code that
handles one matches on its class.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

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
    """One poll of a feed, as a worker receives it, with the validators from the last one and
    the links of the items already stored: a store keeps an item as first read, so those are
    not encoded again."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    known: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class FeedHeadline:
    """A feed item and the unit vector (float32 bytes) of its story text (its headline, and
    its description's first sentences where it has one: ``story.story_text``), as the bot
    keeps it."""

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


# -- scaled mode: what a gateway process queues in Redis for a worker process --------------------

# The scope of a channel every member of its server can read (``bot.scopes``); a digest made
# there may be shown under any other in the server ("Earlier in this server").
PUBLIC = "public"


@dataclass(frozen=True, slots=True)
class ReplyTarget:
    """Where a worker process sends an answer: a reply to a message in a channel, or the
    deferred response of an interaction (application id and token, valid 15 minutes), with the
    channel to fall back to once the token has expired."""

    channel_id: int
    guild_id: int | None = None
    message_id: int | None = None
    application_id: int | None = None
    interaction_token: str | None = field(default=None, repr=False)
    user_id: int = 0  # who asked: named in the channel fallback of an expired interaction
    language: str = "en"  # the bot's own words in the answer (the server's locale, bot.locale)
    scope: str = PUBLIC  # who may read the channel (bot.scopes): what its history may show

    @property
    def interaction(self) -> bool:
        """Is this the answer to a slash command or context menu?"""
        return self.interaction_token is not None


@dataclass(frozen=True, slots=True)
class QueuedRequest:
    """One request of a queued answer: what to digest (attachments already read), how the
    reply names it, and its key in the cache and the server's history."""

    job: DigestJob
    label: str
    key: str

    @classmethod
    def of(cls, request: Request, data: bytes = b"") -> QueuedRequest:
        """The request as a worker will take it; ``data``: a file request's bytes."""
        match request:
            case UrlRequest(url):
                job = DigestJob("url", url)
            case TextRequest(text):
                job = DigestJob("text", text)
            case FileRequest(attachment):
                job = DigestJob("file", attachment.filename, data)
        return cls(job, request.label, request.key)


@dataclass(frozen=True, slots=True)
class QueuedAnswer:
    """One answer to make, as it waits in Redis: the requests of one message or command, who
    asked, where the reply goes, and the lines the reply must carry whatever happens (links
    left out). ``id`` names the answer everywhere: the log, the message nonce, and the marker
    that stops a second worker from sending it twice."""

    id: str
    user_id: int
    target: ReplyTarget
    requests: tuple[QueuedRequest, ...]
    notes: tuple[str, ...] = ()
    accepted_at: float = 0.0

    def dumps(self) -> str:
        """The answer as JSON (files' bytes in base64): no pickle crosses Redis."""
        target = self.target
        return json.dumps({
            "id": self.id, "user_id": self.user_id, "notes": list(self.notes),
            "accepted_at": self.accepted_at,
            "target": {"channel_id": target.channel_id, "guild_id": target.guild_id,
                       "message_id": target.message_id, "application_id": target.application_id,
                       "interaction_token": target.interaction_token,
                       "user_id": target.user_id, "language": target.language},
            "requests": [{"kind": r.job.kind, "value": r.job.value, "label": r.label,
                          "key": r.key, "data": base64.b64encode(r.job.data).decode("ascii")}
                         for r in self.requests],
        }, ensure_ascii=False)

    @classmethod
    def loads(cls, text: str | bytes) -> QueuedAnswer:
        """An answer from what ``dumps`` gave; ValueError (or KeyError) if it is not one."""
        data: dict[str, Any] = json.loads(text)
        requests = tuple(
            QueuedRequest(DigestJob(_kind(r["kind"]), str(r["value"]),
                                    base64.b64decode(r.get("data") or "")),
                          str(r["label"]), str(r["key"]))
            for r in data["requests"]
        )
        return cls(str(data["id"]), int(data["user_id"]), ReplyTarget(**data["target"]),
                   requests, tuple(data.get("notes", ())), float(data.get("accepted_at", 0.0)))


_KINDS: dict[str, Literal["url", "text", "file"]] = {"url": "url", "text": "text", "file": "file"}


def _kind(value: str) -> Literal["url", "text", "file"]:
    try:
        return _KINDS[value]
    except KeyError:
        raise ValueError(f"not a request kind: {value!r}") from None
