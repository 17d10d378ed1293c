"""The SQLite backend of the storage contract (``bot/storage/contract.py``), for one process:
per-channel switches, each server's history for "Earlier in this server", and the feeds each
server follows with their recent items, in one file (aiosqlite).

The file is in WAL mode (readers do not wait for a writer) with a short busy timeout. Every call
is bounded: the caller waits at most ``CALL_TIMEOUT`` seconds. The calls run one at a time, each
a whole transaction: one that fails, or that its caller stopped waiting for, is rolled back, so
no transaction is ever left open on the connection and what the caller was told is what the file
holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import aiosqlite

from bot.models import PUBLIC, FeedHeadline, FeedUpdate, FollowedFeed, StoryPrint
from bot.storage.contract import (
    FEED_ITEMS_KEPT,
    HISTORY_LIMIT,
    FeedLimitReached,
    StoreUnavailable,
)
from summariser.models import FeedItem, Headline

_SCHEMA = """
CREATE TABLE IF NOT EXISTS channel_settings (
    channel_id  INTEGER PRIMARY KEY,
    guild_id    INTEGER,
    auto_digest INTEGER NOT NULL,
    updated_at  REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    guild_id    INTEGER NOT NULL,
    key         TEXT NOT NULL,
    title       TEXT NOT NULL,
    url         TEXT,
    vector      BLOB NOT NULL,
    story       TEXT NOT NULL,
    created_at  REAL NOT NULL,
    PRIMARY KEY (guild_id, key)
);
CREATE INDEX IF NOT EXISTS history_recent ON history (guild_id, created_at);
CREATE TABLE IF NOT EXISTS feeds (
    guild_id    INTEGER NOT NULL,
    url         TEXT NOT NULL,
    added_at    REAL NOT NULL,
    PRIMARY KEY (guild_id, url)
);
CREATE TABLE IF NOT EXISTS feed_state (
    url           TEXT PRIMARY KEY,
    title         TEXT,
    etag          TEXT,
    last_modified TEXT,
    next_poll     REAL NOT NULL DEFAULT 0,
    failures      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    checked_at    REAL
);
CREATE TABLE IF NOT EXISTS feed_items (
    url        TEXT NOT NULL,
    link       TEXT NOT NULL,
    title      TEXT NOT NULL,
    site       TEXT,
    published  REAL,
    vector     BLOB NOT NULL,
    seen_at    REAL NOT NULL,
    summary    TEXT,
    PRIMARY KEY (url, link)
);
"""
# Columns added since a table was first made: (table, column, its type), added to an older file
# when it is opened.
_ADDED = (("feed_items", "summary", "TEXT"),
          ("history", "scope", f"TEXT NOT NULL DEFAULT '{PUBLIC}'"))
BUSY_TIMEOUT = 1.0  # seconds SQLite waits for another connection's lock
CALL_TIMEOUT = 2.0  # seconds any one store call may take before we go on without it
LOAD_TIMEOUT = 60.0  # seconds the start-up read of every feed's items may take

log = logging.getLogger(__name__)

T = TypeVar("T")


class Store:
    """The bot's SQLite file: ``Switches``, ``History`` and ``FeedStore``. Open with ``await
    Store.open(path)``; close with ``close()``."""

    def __init__(self, db: aiosqlite.Connection, switches: dict[int, bool], *,
                 history_days: float = 30, history_limit: int = HISTORY_LIMIT) -> None:
        self._db = db
        self._switches = switches
        self._closed = False
        self._lock = asyncio.Lock()  # one call, one transaction, at a time
        self.history_days = history_days
        self.history_limit = history_limit

    @classmethod
    async def open(cls, path: Path | str, *, history_days: float = 30,
                   history_limit: int = HISTORY_LIMIT) -> Store:
        """Open (creating if needed) the database and read the channel switches into memory."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(str(path), timeout=BUSY_TIMEOUT)
        try:
            await db.execute("PRAGMA journal_mode=WAL")
            await db.executescript(_SCHEMA)
            for table, column, kind in _ADDED:
                async with db.execute(f"PRAGMA table_info({table})") as cursor:
                    columns = {row[1] for row in await cursor.fetchall()}
                if column not in columns:
                    await db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
            await db.commit()
            async with db.execute("SELECT channel_id, auto_digest FROM channel_settings") as cur:
                switches = {channel: bool(on) for channel, on in await cur.fetchall()}
        except BaseException:
            await db.close()
            raise
        return cls(db, switches, history_days=history_days, history_limit=history_limit)

    async def close(self) -> None:
        """Close the connection (and its thread); safe to call more than once."""
        if self._closed:
            return
        self._closed = True
        try:
            await asyncio.wait_for(self._db.close(), CALL_TIMEOUT * 2)
        except (TimeoutError, sqlite3.Error) as exc:
            log.warning("database did not close cleanly: %s", exc)

    async def _bounded(self, what: str, work: Callable[[], Awaitable[T]],
                       timeout: float | None = None) -> T:
        """Run ``work()``, one transaction, alone on the connection and within ``timeout``
        (default CALL_TIMEOUT); StoreUnavailable otherwise. A call that fails or runs out of
        time is rolled back."""

        async def alone() -> T:
            async with self._lock:
                try:
                    return await work()
                except BaseException:  # failed, or its caller stopped waiting: undo it all
                    with contextlib.suppress(sqlite3.Error, ValueError):
                        await self._db.rollback()
                    raise

        try:
            return await asyncio.wait_for(alone(), timeout or CALL_TIMEOUT)
        except (TimeoutError, sqlite3.Error, ValueError) as exc:
            # ValueError: aiosqlite's "no active connection" after a failure or close
            log.warning("database %s failed: %s", what, exc or type(exc).__name__)
            raise StoreUnavailable(what) from exc

    # -- per-channel switches --------------------------------------------------------------------

    def auto_digest(self, channel_id: int) -> bool | None:
        """The channel's switch, or None when nobody has set it (the default applies). From
        memory: answering a message never waits on the database."""
        return self._switches.get(channel_id)

    async def set_auto_digest(self, guild_id: int | None, channel_id: int, on: bool) -> None:
        """Save a channel's switch; StoreUnavailable (and no change) if it cannot be saved."""

        async def write() -> None:
            await self._db.execute(
                "INSERT INTO channel_settings (channel_id, guild_id, auto_digest, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(channel_id) DO UPDATE SET "
                "auto_digest = excluded.auto_digest, updated_at = excluded.updated_at",
                (channel_id, guild_id, int(on), time.time()),
            )
            await self._db.commit()

        await self._bounded("write of a channel setting", write)
        self._switches[channel_id] = on

    # -- the server's digest history -------------------------------------------------------------

    async def remember(
        self, guild_id: int, key: str, headline: Headline, story: StoryPrint,
        scope: str = PUBLIC,
    ) -> bool:
        """Add a digest to the server's history, dropping what is past its bounds (the oldest
        beyond ``history_limit``, anything older than ``history_days``); False (logged) if the
        database refused."""

        async def write() -> None:
            now = time.time()
            await self._db.execute(
                "INSERT OR REPLACE INTO history "
                "(guild_id, key, title, url, vector, story, created_at, scope) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (guild_id, key, headline.title, headline.url, story.vector, story.text, now,
                 scope),
            )
            await self._db.execute(
                "DELETE FROM history WHERE guild_id = ? AND (created_at < ? OR key NOT IN "
                "(SELECT key FROM history WHERE guild_id = ? ORDER BY created_at DESC, "
                "rowid DESC LIMIT ?))",
                (guild_id, now - self.history_days * 86400, guild_id, self.history_limit))
            await self._db.commit()

        try:
            await self._bounded("history write", write)
        except StoreUnavailable:
            return False
        return True

    async def recent(
        self, guild_id: int, days: int = 30, exclude_key: str | None = None,
        scope: str = PUBLIC,
    ) -> list[tuple[Headline, StoryPrint]]:
        """The server's digests of the last ``days`` days that ``scope`` may see (public ones
        and its own), newest first; none if the database cannot answer in time."""
        since = time.time() - days * 86400

        async def read() -> list[sqlite3.Row]:
            async with self._db.execute(
                "SELECT key, title, url, vector, story FROM history WHERE guild_id = ? AND "
                "created_at >= ? AND scope IN (?, ?) ORDER BY created_at DESC, rowid DESC "
                "LIMIT ?",
                (guild_id, since, PUBLIC, scope, self.history_limit),
            ) as cursor:
                return list(await cursor.fetchall())

        try:
            rows = await self._bounded("history read", read)
        except StoreUnavailable:
            return []
        return [
            (Headline(title, url, "earlier"), StoryPrint(vector, story))
            for key, title, url, vector, story in rows
            if key != exclude_key
        ]

    async def forget_older_than(self, days: int) -> int:
        """Delete history older than ``days`` days; how many rows went (0 if it failed)."""

        async def delete() -> int:
            cursor = await self._db.execute(
                "DELETE FROM history WHERE created_at < ?", (time.time() - days * 86400,)
            )
            await self._db.commit()
            return int(cursor.rowcount)

        try:
            return await self._bounded("history clean-up", delete)
        except StoreUnavailable:
            return 0

    # -- feeds -----------------------------------------------------------------------------------

    async def follow(self, guild_id: int, url: str, limit: int) -> bool:
        """The server follows ``url`` from now on; False if it already did; FeedLimitReached
        if it follows ``limit`` feeds already. StoreUnavailable (and no change) if that cannot
        be saved."""

        async def write() -> bool:
            async with self._db.execute(
                    "SELECT url FROM feeds WHERE guild_id = ?", (guild_id,)) as cursor:
                following = {row[0] for row in await cursor.fetchall()}
            if url in following:
                return False
            if len(following) >= limit:
                raise FeedLimitReached(len(following))
            await self._db.execute(
                "INSERT INTO feeds (guild_id, url, added_at) VALUES (?, ?, ?)",
                (guild_id, url, time.time()))
            await self._db.execute("INSERT OR IGNORE INTO feed_state (url) VALUES (?)", (url,))
            await self._db.commit()
            return True

        return await self._bounded("write of a feed", write)

    async def unfollow(self, guild_id: int, url: str) -> bool:
        """The server stops following ``url``; False if it did not. A feed no server follows
        any more is forgotten with its items."""

        async def write() -> bool:
            cursor = await self._db.execute(
                "DELETE FROM feeds WHERE guild_id = ? AND url = ?", (guild_id, url))
            await self._db.execute(
                "DELETE FROM feed_state WHERE url NOT IN (SELECT url FROM feeds)")
            await self._db.execute(
                "DELETE FROM feed_items WHERE url NOT IN (SELECT url FROM feeds)")
            await self._db.commit()
            return bool(cursor.rowcount)

        return await self._bounded("write of a feed", write)

    async def followed(self, guild_id: int) -> list[FollowedFeed]:
        """The feeds a server follows, oldest first, with their state."""

        async def read() -> list[sqlite3.Row]:
            async with self._db.execute(
                "SELECT f.url, s.title, (SELECT COUNT(*) FROM feed_items i WHERE i.url = f.url), "
                "s.failures, s.last_error, s.checked_at FROM feeds f "
                "LEFT JOIN feed_state s ON s.url = f.url WHERE f.guild_id = ? "
                "ORDER BY f.added_at", (guild_id,),
            ) as cursor:
                return list(await cursor.fetchall())

        rows = await self._bounded("read of feeds", read)
        return [FollowedFeed(url, title, count, failures or 0, error, checked)
                for url, title, count, failures, error, checked in rows]

    async def subscriptions(self) -> dict[int, set[str]]:
        """Every server's feeds: guild id -> feed URLs."""

        async def read() -> list[sqlite3.Row]:
            async with self._db.execute("SELECT guild_id, url FROM feeds") as cursor:
                return list(await cursor.fetchall())

        found: dict[int, set[str]] = {}
        for guild_id, url in await self._bounded("read of feeds", read):
            found.setdefault(guild_id, set()).add(url)
        return found

    async def due_feeds(self, now: float) -> list[tuple[str, str | None, str | None]]:
        """Feeds due a poll at ``now``: (url, etag, last_modified), the longest waiting first."""

        async def read() -> list[sqlite3.Row]:
            async with self._db.execute(
                "SELECT url, etag, last_modified FROM feed_state WHERE next_poll <= ? "
                "AND url IN (SELECT url FROM feeds) ORDER BY next_poll", (now,),
            ) as cursor:
                return list(await cursor.fetchall())

        return [(url, etag, modified) for url, etag, modified in
                await self._bounded("read of feeds", read)]

    async def save_poll(self, update: FeedUpdate, next_poll: float, keep_days: float) -> None:
        """Record a good poll: the validators, the new items, and no more than
        ``FEED_ITEMS_KEPT`` items per feed, none older than ``keep_days``."""
        now = time.time()

        async def write() -> None:
            await self._db.execute(
                "UPDATE feed_state SET title = COALESCE(?, title), etag = ?, last_modified = ?, "
                "next_poll = ?, failures = 0, last_error = NULL, checked_at = ? WHERE url = ?",
                (update.title, update.etag, update.last_modified, next_poll, now, update.url))
            # A feed unfollowed while it was polled keeps nothing (its state went with it).
            await self._db.executemany(
                "INSERT OR IGNORE INTO feed_items (url, link, title, site, published, vector, "
                "seen_at, summary) SELECT ?, ?, ?, ?, ?, ?, ?, ? "
                "WHERE EXISTS (SELECT 1 FROM feeds WHERE url = ?)",
                [(update.url, h.item.url, h.item.title, h.item.site, h.item.published, h.vector,
                  now, h.item.summary, update.url) for h in update.items])
            await self._db.execute(
                "DELETE FROM feed_items WHERE url = ? AND (COALESCE(published, seen_at) < ? OR "
                "link NOT IN (SELECT link FROM feed_items WHERE url = ? ORDER BY "
                "COALESCE(published, seen_at) DESC LIMIT ?))",
                (update.url, now - keep_days * 86400, update.url, FEED_ITEMS_KEPT))
            await self._db.commit()

        await self._bounded("write of a feed poll", write)

    async def failed_poll(self, url: str, error: str, interval: float,
                          max_wait: float) -> tuple[int, float]:
        """Record a failed poll: (failures in a row, seconds until the next try), the wait
        doubling with each failure from ``interval`` up to ``max_wait``."""

        async def write() -> tuple[int, float]:
            async with self._db.execute(
                    "SELECT failures FROM feed_state WHERE url = ?", (url,)) as cursor:
                row = await cursor.fetchone()
            failures = (int(row[0]) if row else 0) + 1
            wait = min(max_wait, interval * 2 ** failures)
            now = time.time()
            await self._db.execute(
                "UPDATE feed_state SET failures = ?, last_error = ?, next_poll = ?, "
                "checked_at = ? WHERE url = ?", (failures, error, now + wait, now, url))
            await self._db.commit()
            return failures, wait

        return await self._bounded("write of a feed poll", write)

    async def feed_headlines(self, urls: set[str] | None = None
                             ) -> dict[str, list[FeedHeadline]]:
        """The stored items of ``urls`` (every followed feed when None), newest first."""

        chosen = sorted(urls) if urls is not None else []
        where = f"WHERE url IN ({', '.join('?' * len(chosen))}) " if urls is not None else ""

        async def read() -> list[sqlite3.Row]:
            async with self._db.execute(
                "SELECT url, link, title, site, published, vector, summary FROM feed_items "
                f"{where}ORDER BY COALESCE(published, seen_at) DESC", chosen) as cursor:
                return list(await cursor.fetchall())

        found: dict[str, list[FeedHeadline]] = {}
        # Every feed's items at start-up: many feeds take longer than a call may (800 feeds of
        # 250 items, some 2 s), and a start-up that fails on it would fail again every time.
        for url, link, title, site, published, vector, summary in await self._bounded(
                "read of feed items", read, LOAD_TIMEOUT if urls is None else None):
            found.setdefault(url, []).append(
                FeedHeadline(FeedItem(title, link, site, published, summary), vector))
        return found
