"""The digest cache of one process (single-process mode): in memory, bounded, expiring."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.storage.contract import for_cache
from summariser.models import Digest

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
        """The value stored under ``key``, or None when absent or expired."""
        entry = self._items.get(key)
        if entry is None:
            return None
        if entry.expires < time.monotonic():
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return entry.value

    def put(self, key: str, value: V) -> None:
        """Store ``value`` under ``key``, dropping the least recently used past ``size``."""
        self._items[key] = _Entry(value, time.monotonic() + self.ttl)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


class MemoryCache:
    """The ``DigestCache`` of one process. ``peek`` answers without awaiting, for the queue's
    submit, which must not."""

    def __init__(self, ttl: float, size: int = 512) -> None:
        self._items: TTLCache[Digest] = TTLCache(ttl, size)

    def peek(self, key: str) -> Digest | None:
        """The digest cached under ``key``, or None."""
        return self._items.get(key)

    async def cached(self, key: str) -> Digest | None:
        """The digest cached under ``key``, or None."""
        return self._items.get(key)

    async def cache(self, key: str, digest: Digest) -> None:
        """Keep ``digest`` as a reply shows it for the cache's ``ttl``."""
        self._items.put(key, for_cache(digest))
