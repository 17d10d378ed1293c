"""Persistent bot state in SQLite (aiosqlite): per-channel auto-digest switches and the server's
digest history used for "Earlier in this server". Plus the in-memory digest cache."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import aiosqlite

from summariser.digest import StoryPrint
from summariser.models import Headline

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
"""
HISTORY_LIMIT = 500


class Store:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    @classmethod
    async def open(cls, path: Path | str) -> Store:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(str(path))
        await db.executescript(_SCHEMA)
        await db.commit()
        return cls(db)

    async def close(self) -> None:
        await self._db.close()

    # -- per-channel switches --------------------------------------------------------------------

    async def auto_digest(self, channel_id: int) -> bool | None:
        """The channel's switch, or None when nobody has set it (the default applies)."""
        async with self._db.execute(
            "SELECT auto_digest FROM channel_settings WHERE channel_id = ?", (channel_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else bool(row[0])

    async def set_auto_digest(self, guild_id: int | None, channel_id: int, on: bool) -> None:
        await self._db.execute(
            "INSERT INTO channel_settings (channel_id, guild_id, auto_digest, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(channel_id) DO UPDATE SET "
            "auto_digest = excluded.auto_digest, updated_at = excluded.updated_at",
            (channel_id, guild_id, int(on), time.time()),
        )
        await self._db.commit()

    # -- the server's digest history -------------------------------------------------------------

    async def remember(
        self, guild_id: int, key: str, headline: Headline, story: StoryPrint
    ) -> None:
        await self._db.execute(
            "INSERT OR REPLACE INTO history (guild_id, key, title, url, vector, story, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (guild_id, key, headline.title, headline.url, story.vector, story.text, time.time()),
        )
        await self._db.commit()

    async def recent(
        self, guild_id: int, days: int = 30, exclude_key: str | None = None
    ) -> list[tuple[Headline, StoryPrint]]:
        since = time.time() - days * 86400
        async with self._db.execute(
            "SELECT key, title, url, vector, story FROM history WHERE guild_id = ? AND "
            "created_at >= ? ORDER BY created_at DESC LIMIT ?",
            (guild_id, since, HISTORY_LIMIT),
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            (Headline(title, url, "earlier"), StoryPrint(vector, story))
            for key, title, url, vector, story in rows
            if key != exclude_key
        ]

    async def forget_older_than(self, days: int) -> int:
        cursor = await self._db.execute(
            "DELETE FROM history WHERE created_at < ?", (time.time() - days * 86400,)
        )
        await self._db.commit()
        return cursor.rowcount


V = TypeVar("V")


@dataclass
class _Entry(Generic[V]):
    value: V
    expires: float


class TTLCache(Generic[V]):
    """A small LRU cache whose entries expire ``ttl`` seconds after they were stored."""

    def __init__(self, ttl: float, size: int = 512) -> None:
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[str, _Entry[V]] = OrderedDict()

    def get(self, key: str) -> V | None:
        entry = self._items.get(key)
        if entry is None:
            return None
        if entry.expires < time.monotonic():
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return entry.value

    def put(self, key: str, value: V) -> None:
        self._items[key] = _Entry(value, time.monotonic() + self.ttl)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
