"""The storage contract: what the bot keeps, and what every backend promises about it.

Storage must never cost a user an answer. So:

* **Switches** (automatic digests per channel) are read into memory when the backend opens and
  written through: deciding whether to answer never waits on storage. A switch that cannot be
  saved raises ``StoreUnavailable`` and changes nothing; the user is told.
* **Cache**: a link's digest per server for ``CACHE_TTL``, as a reply shows it (``for_cache``:
  without the article body, which no reply shows). A read that fails is a miss, a write that
  fails is skipped: the digest is made again.
* **History** ("Earlier in this server"): at most ``HISTORY_LIMIT`` digests a server, none older
  than ``HISTORY_DAYS``, bounded on every write. A read that fails gives no history, a write
  that fails returns False (logged): the digest goes out without it.
* **Feeds**: the follows (at most ``limit`` a server, checked and written at once, so two adds
  at once cannot pass the cap), each feed's poll state, and its newest ``FEED_ITEMS_KEPT`` items
  of the last ``keep_days``, trimmed on every poll (a "304 Not Modified" too). Unfollowing is
  one step: a feed another server follows at that moment stays on the poll schedule. Writes
  raise ``StoreUnavailable``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from bot.models import PUBLIC, FeedHeadline, FeedUpdate, FollowedFeed, StoryPrint
from summariser.models import Digest, Headline

HISTORY_LIMIT = 500  # digests a server's history keeps
FEED_ITEMS_KEPT = 250  # per feed, newest first: 20 feeds a server is 5,000 headlines


class StoreUnavailable(Exception):
    """The storage could not save a change (locked, read-only, full, unreachable or broken)."""


class FeedLimitReached(Exception):
    """The server already follows as many feeds as it may."""

    def __init__(self, following: int) -> None:
        super().__init__(f"the server already follows {following} feeds")
        self.following = following


def for_cache(digest: Digest) -> Digest:
    """``digest`` as the cache keeps it: what a reply shows, without the article body, and
    made in no time (an answer from the cache is no digest the metrics time; its footer says
    0.0 s)."""
    return replace(digest, text="", elapsed_ms=0.0)


class Switches(Protocol):
    """Per-channel automatic digests."""

    def auto_digest(self, channel_id: int) -> bool | None:
        """The channel's switch, or None when nobody has set it (the default applies)."""
        ...

    async def set_auto_digest(self, guild_id: int | None, channel_id: int, on: bool) -> None:
        """Save a channel's switch; StoreUnavailable (and no change) if it cannot be saved."""
        ...


class DigestCache(Protocol):
    """Digests of links lately asked for, per server."""

    async def cached(self, key: str) -> Digest | None:
        """The digest cached under ``key``, or None (also when storage cannot answer)."""
        ...

    async def cache(self, key: str, digest: Digest) -> None:
        """Keep ``for_cache(digest)`` under ``key`` (skipped, logged, if storage refuses)."""
        ...


class History(Protocol):
    """Each server's digests, for "Earlier in this server", each with the scope of the channel
    it was made in: ``PUBLIC``, or a channel not every member can read (its own scope, as
    ``bot.scopes`` names it). A digest is shown under another only in its own scope or where
    it is public: a moderators' channel's reading never surfaces in a public reply."""

    async def remember(self, guild_id: int, key: str, headline: Headline,
                       story: StoryPrint, scope: str = PUBLIC) -> bool:
        """Add a digest (dropping the oldest past the bounds); False, logged, if refused."""
        ...

    async def recent(self, guild_id: int, days: int = 30, exclude_key: str | None = None,
                     scope: str = PUBLIC) -> list[tuple[Headline, StoryPrint]]:
        """The server's digests of the last ``days`` days that ``scope`` may see (public ones
        and its own), newest first; none on failure."""
        ...


class FeedStore(Protocol):
    """The feeds servers follow: follows, poll state and items. Writes raise
    StoreUnavailable."""

    async def follow(self, guild_id: int, url: str, limit: int) -> bool:
        """The server follows ``url`` from now on; False if it already did; FeedLimitReached
        (and no change) if it follows ``limit`` feeds already."""
        ...

    async def unfollow(self, guild_id: int, url: str) -> bool:
        """The server stops following ``url``; False if it did not. A feed no server follows
        any more is forgotten with its items."""
        ...

    async def followed(self, guild_id: int) -> list[FollowedFeed]:
        """The feeds a server follows, oldest first, with their state."""
        ...

    async def subscriptions(self) -> dict[int, set[str]]:
        """Every server's feeds: guild id -> feed URLs."""
        ...

    async def due_feeds(self, now: float) -> list[tuple[str, str | None, str | None]]:
        """Feeds due a poll at ``now``: (url, etag, last_modified)."""
        ...

    async def save_poll(self, update: FeedUpdate, next_poll: float, keep_days: float) -> None:
        """Record a good poll (a 304 too): the validators, the new items, and then no more
        than ``FEED_ITEMS_KEPT`` items, none older than ``keep_days``."""
        ...

    async def failed_poll(self, url: str, error: str, interval: float,
                          max_wait: float) -> tuple[int, float]:
        """Record a failed poll: (failures in a row, seconds until the next try), the wait
        doubling with each failure from ``interval`` up to ``max_wait``."""
        ...

    async def feed_headlines(self, urls: set[str] | None = None
                             ) -> dict[str, list[FeedHeadline]]:
        """The stored items of ``urls`` (every followed feed when None), newest first."""
        ...
