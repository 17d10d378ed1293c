"""Errors a user can cause, each with a short human reason and a stable ``kind``.

The tree::

    DigestError                      kind            exit code
    ├── EmptyInput                   empty           10
    ├── UnsupportedInput             unsupported     11   binary, non-UTF-8, unknown file type
    ├── BadURL                       bad_url         12   not http(s), malformed
    ├── BlockedAddress               blocked         13   private, loopback, link-local ... address
    ├── FetchFailed                  unreachable     14   DNS, connect, timeout, TLS
    ├── SiteRefused                  refused         15   HTTP 4xx/5xx from the site
    ├── UnsupportedContent           content_type    16   a PDF, an image, JSON ...
    ├── TooLarge                     too_large       17   page over the size cap
    ├── NotAnArticle                 not_article     18   login wall, paywall stub, video page
    ├── TooShort                     too_short       19   nothing to shorten
    ├── TooLong                      too_long        20   over the word limit
    └── ModelUnavailable             model           21   the model files are missing or broken

The CLI prints ``reason`` and exits with ``exit_code``; the bot maps ``kind`` to its wording.
A reason with details a user needs ("that is 70,000 words; the limit is 60,000") is made by
``because`` from ``REASONS``: its ``key`` and ``values`` let a front end say it in another
language. An unexpected exception is not a DigestError: the CLI reports it as kind
``internal`` (exit 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self

Value = str | int | float

# Every detailed reason, by ``<kind>.<detail>``: the English a user reads, with the values it
# names. A front end that speaks another language translates these keys.
REASONS: dict[str, str] = {
    "unsupported.no_file": "no such file: {path}",
    "unsupported.binary_file": "that file is not text (binary data)",
    "unsupported.not_utf8": "that file is not UTF-8 text",
    "unsupported.binary_text": "that is not text (it contains binary data)",
    "unsupported.binary_page": "that page is not text (it contains binary data)",
    "unsupported.charset": "the page uses a character set I can't read ({charset})",
    "bad_url.malformed": "that does not look like a web address",
    "bad_url.scheme": "only http and https links can be read (got {scheme})",
    "bad_url.no_host": "that web address has no site name",
    "bad_url.no_scheme": "that reads as a web address: give it with https:// in front",
    "bad_url.credentials": "a link with a user name or password in it is not read",
    "unreachable.no_site": "could not find the site '{host}'",
    "unreachable.slow_lookup": "looking up '{host}' took too long",
    "unreachable.timeout": "the site took too long to answer",
    "unreachable.broken": "the site sent a broken or incomplete response",
    "unreachable.overlong": "the site sent a broken response (more data than it declared)",
    "unreachable.corrupt": "the site sent a corrupt compressed page",
    "unreachable.connect": "could not reach {host}",
    "unreachable.attachment": "could not download the file; try again",
    "refused.redirects": "the link redirects too many times",
    "refused.login": "the site wants a login",
    "refused.forbidden": "the site refused to let us read it",
    "refused.not_found": "the page was not found (404)",
    "refused.gone": "the page is gone (410)",
    "refused.rate_limited": "the site is rate-limiting us; try later",
    "refused.status": "the site answered with an error ({status})",
    "content_type.not_page": "that link is not a web page ({media})",
    "content_type.not_feed": "that link is not a feed ({media})",
    "content_type.compression": "the site sent the page in a compression I can't read ({coding})",
    "too_large.page": "the page is larger than {limit} MB",
    "too_large.file": "the file is larger than {limit} MB",
    "too_large.feed": "the feed is larger than {limit} MB",
    "too_large.markup": "that page has {size:.1f} MB of markup besides scripts and styles; the "
                        "limit is {limit} MB",
    "too_long.characters": "that is {count:,} characters; the limit is {limit:,}",
    "too_long.words": "that is {count:,} words; the limit is {limit:,}",
    "too_long.generated": "the {model} summariser could not shorten it in {passes} passes",
    "not_feed.not_feed": "that link is not an RSS or Atom feed",
}


def megabytes(size: int) -> int | float:
    """``size`` bytes in MB as a reason names a limit: whole where it is (5), else to three
    places (0.001: a cap set in bytes reads as what it is, not "0 MB")."""
    value = round(size / 1_000_000, 3)
    return int(value) if value == int(value) else value


class DigestError(Exception):
    """A request the pipeline cannot digest, with a short reason a user can read; ``kind``
    names it in JSON and the bot's wording, ``exit_code`` in the CLI; ``key`` and ``values``
    name a reason of ``REASONS`` ("" and {} for one written out)."""

    kind = "error"
    exit_code = 2

    def __init__(self, reason: str, *, key: str = "",
                 values: Mapping[str, Value] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.key = key
        self.values: dict[str, Value] = dict(values or {})

    @classmethod
    def because(cls, detail: str, **values: Value) -> Self:
        """The error for reason ``<kind>.<detail>`` of ``REASONS``, its values filled in."""
        key = f"{cls.kind}.{detail}"
        return cls(REASONS[key].format(**values), key=key, values=values)

    def to_json(self) -> dict[str, str]:
        """The error as the CLI's JSON output gives it."""
        return {"kind": self.kind, "message": self.reason}


class EmptyInput(DigestError):
    """Nothing to digest: empty text or an empty file."""

    kind = "empty"
    exit_code = 10


class UnsupportedInput(DigestError):
    """Not text we can read: binary, not UTF-8, or a missing file."""

    kind = "unsupported"
    exit_code = 11


class BadURL(DigestError):
    """Not an http(s) link we can fetch."""

    kind = "bad_url"
    exit_code = 12


class BlockedAddress(DigestError):
    """The link resolves to a private, loopback or link-local address."""

    kind = "blocked"
    exit_code = 13


class FetchFailed(DigestError):
    """The site could not be reached, timed out or sent a broken response."""

    kind = "unreachable"
    exit_code = 14


class SiteRefused(DigestError):
    """The site answered with an error status (``status``)."""

    kind = "refused"
    exit_code = 15

    @property
    def status(self) -> int | None:
        """The HTTP status the site answered with, where it was one."""
        status = self.values.get("status")
        return status if isinstance(status, int) else None


class UnsupportedContent(DigestError):
    """The link is not a web page or plain text (an image, a PDF, ...)."""

    kind = "content_type"
    exit_code = 16


class TooLarge(DigestError):
    """The page, file or markup is over its size cap."""

    kind = "too_large"
    exit_code = 17


class NotAnArticle(DigestError):
    """No article text: a list of links, a menu, a login wall or a video page."""

    kind = "not_article"
    exit_code = 18


class TooShort(DigestError):
    """Too short to be worth summarising."""

    kind = "too_short"
    exit_code = 19


class TooLong(DigestError):
    """Over the word or character limit."""

    kind = "too_long"
    exit_code = 20


class NotAFeed(DigestError):
    """The link is not an RSS or Atom feed."""

    kind = "not_feed"
    exit_code = 22


class ModelUnavailable(DigestError):
    """The model could not be loaded (missing, corrupt or not configured)."""

    kind = "model"
    exit_code = 21


ALL_ERRORS: tuple[type[DigestError], ...] = (
    EmptyInput,
    UnsupportedInput,
    BadURL,
    BlockedAddress,
    FetchFailed,
    SiteRefused,
    UnsupportedContent,
    TooLarge,
    NotAnArticle,
    TooShort,
    TooLong,
    ModelUnavailable,
)
