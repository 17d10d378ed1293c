"""The state that scaled mode shares through Redis: channel switches, the digest cache and each
server's history for "Earlier in this server".

The same promises as the SQLite store (``bot/store.py``): Redis must never cost a user an
answer. Switches are read into memory when a gateway starts and written through (a channel's
guild belongs to one shard, so one gateway process reads and writes it); a switch that cannot be
saved is reported to the user. A history or cache call that fails is logged and skipped: the
digest goes out without "Earlier in this server", or is made again.

Keys (all under one prefix): ``switches`` (hash channel → 0/1), ``cache:<server>:<url>``
(a digest's JSON, expiring after ``CACHE_TTL``), ``history:<server>`` (sorted set key → time)
with ``history:<server>:items`` (hash key → JSON), at most ``HISTORY_LIMIT`` a server and none
older than ``HISTORY_DAYS``.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from typing import cast

from redis import asyncio as aioredis
from redis.exceptions import RedisError

from bot.models import StoryPrint
from bot.store import HISTORY_LIMIT, StoreUnavailable
from summariser.models import Digest, Headline

log = logging.getLogger(__name__)

# KEYS: the server's history set, its items. ARGV: key, now, item JSON, limit, oldest kept.
_REMEMBER = """
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[5])
local extra = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4]) - #old
if extra > 0 then
  for _, key in ipairs(redis.call('ZRANGE', KEYS[1], #old, #old + extra - 1)) do
    table.insert(old, key)
  end
end
for _, key in ipairs(old) do
  redis.call('ZREM', KEYS[1], key)
  redis.call('HDEL', KEYS[2], key)
end
return #old
"""


class RedisState:
    """Switches, cache and history in Redis. ``await RedisState.open(client, ...)``."""

    def __init__(self, client: aioredis.Redis, *, cache_ttl: float, history_days: int,
                 prefix: str = "article-digest") -> None:
        self.client = client
        self.cache_ttl = cache_ttl
        self.history_days = history_days
        self.prefix = prefix
        self._switches: dict[int, bool] = {}
        self._remember = client.register_script(_REMEMBER)

    @classmethod
    async def open(cls, client: aioredis.Redis, *, cache_ttl: float, history_days: int,
                   prefix: str = "article-digest") -> RedisState:
        """The state, with the channel switches read into memory (RedisError if Redis cannot be
        reached: a gateway does not start without them)."""
        state = cls(client, cache_ttl=cache_ttl, history_days=history_days, prefix=prefix)
        stored = await client.hgetall(f"{prefix}:switches")
        state._switches = {int(channel): value in (b"1", "1") for channel, value in stored.items()}
        return state

    # -- per-channel switches ------------------------------------------------------------------

    def auto_digest(self, channel_id: int) -> bool | None:
        """The channel's switch, or None when nobody has set it; from memory."""
        return self._switches.get(channel_id)

    async def set_auto_digest(self, guild_id: int | None, channel_id: int, on: bool) -> None:
        """Save a channel's switch; StoreUnavailable (and no change) if Redis refused."""
        try:
            await self.client.hset(f"{self.prefix}:switches", str(channel_id), "1" if on else "0")
        except RedisError as exc:
            log.warning("redis write of a channel setting failed: %s", exc)
            raise StoreUnavailable("write of a channel setting") from exc
        self._switches[channel_id] = on

    # -- the digest cache ----------------------------------------------------------------------

    async def cached(self, key: str) -> Digest | None:
        """The cached digest for ``key``, or None (also when Redis cannot answer)."""
        try:
            data = await self.client.get(f"{self.prefix}:cache:{key}")
        except RedisError as exc:
            log.warning("redis cache read failed: %s", exc)
            return None
        return Digest.from_json(json.loads(data)) if data else None

    async def cache(self, key: str, digest: Digest) -> None:
        """Keep ``digest`` for ``CACHE_TTL`` seconds (skipped, logged, if Redis refuses)."""
        try:
            await self.client.set(f"{self.prefix}:cache:{key}", digest.dumps(),
                                  ex=max(1, int(self.cache_ttl)))
        except RedisError as exc:
            log.warning("redis cache write failed: %s", exc)

    # -- the server's digest history -----------------------------------------------------------

    def _history(self, guild_id: int) -> tuple[str, str]:
        key = f"{self.prefix}:history:{guild_id}"
        return key, f"{key}:items"

    async def remember(self, guild_id: int, key: str, headline: Headline,
                       story: StoryPrint) -> bool:
        """Add a digest to the server's history (dropping the oldest past the bounds); False,
        logged, if Redis refused."""
        item = json.dumps({"title": headline.title, "url": headline.url, "story": story.text,
                           "vector": base64.b64encode(story.vector).decode("ascii")})
        now = time.time()
        try:
            await self._remember(keys=list(self._history(guild_id)),
                                 args=[key, now, item, HISTORY_LIMIT,
                                       now - self.history_days * 86400])
        except RedisError as exc:
            log.warning("redis history write failed: %s", exc)
            return False
        return True

    async def recent(self, guild_id: int, days: int = 30, exclude_key: str | None = None
                     ) -> list[tuple[Headline, StoryPrint]]:
        """The server's digests of the last ``days`` days, newest first; none if Redis cannot
        answer."""
        order, items = self._history(guild_id)
        try:
            found = cast(list[bytes], await self.client.zrevrangebyscore(
                order, "+inf", time.time() - days * 86400, start=0, num=HISTORY_LIMIT))
            keys = [key for key in found if key.decode() != exclude_key]
            values = await self.client.hmget(items, keys) if keys else []
        except RedisError as exc:
            log.warning("redis history read failed: %s", exc)
            return []
        recent = []
        for value in values:
            if value is None:
                continue
            data = json.loads(value)
            recent.append((Headline(data["title"], data["url"], "earlier"),
                           StoryPrint(base64.b64decode(data["vector"]), data["story"])))
        return recent
