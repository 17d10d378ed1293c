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
An unexpected exception is not a DigestError: the CLI reports it as kind ``internal`` (exit 1).
"""

from __future__ import annotations


class DigestError(Exception):
    """A request the pipeline cannot digest, with a short reason a user can read; ``kind``
    names it in JSON and the bot's wording, ``exit_code`` in the CLI."""

    kind = "error"
    exit_code = 2

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

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

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


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
