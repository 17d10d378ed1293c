"""The Redis backend of the storage contract (``bot/storage/contract.py``), for scaled mode:
what gateways and workers share. ``RedisState``: channel switches, the digest cache and each
server's history; ``RedisFeeds``: the feeds servers follow; ``FeedSync``: a worker's copy of the
feeds' headlines kept up to date.

Switches are read into memory when a gateway starts and written through (a channel's guild
belongs to one shard, so one gateway process reads and writes it). Every change that touches
more than one key is one Lua script or one MULTI transaction: no other client sees it half
done.

Keys, all under one prefix: ``switches`` (hash channel → 0/1), ``cache:<server>:<url>`` (a
digest's JSON as a reply shows it, expiring after ``CACHE_TTL``), ``history:<server>`` (sorted
set key → time) with ``history:<server>:items`` (hash key → JSON), at most ``HISTORY_LIMIT`` a
server and none older than ``HISTORY_DAYS``.

Feeds: gateways write the follows (``/feeds add|remove``); workers poll the feeds (each due feed
is claimed by one worker for ``lease`` seconds, so two workers do not poll it at once) and match
digests against their headlines. Every worker keeps the headlines' vectors in memory
(``FeedIndex``) and brings them up to date before a digest with ``FeedSync``: one round trip
reads the version of the follows and of each feed's items, and only what changed is read again.
Keys: ``feeds:guilds`` (set of servers that follow any feed), ``feeds:guild:<id>`` (sorted set
url → added at), ``feeds:followers:<url>`` (set of servers), ``feeds:state:<url>`` (hash:
title, etag, last_modified, failures, last_error, checked_at), ``feeds:due`` (sorted set url →
next poll), ``feeds:items:<url>`` (hash link → JSON, at most ``FEED_ITEMS_KEPT``),
``feeds:versions`` (hash url → counter) and ``feeds:follows-version``.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Awaitable
from typing import Any, TypeVar, cast

from redis import asyncio as aioredis
from redis.exceptions import RedisError
from redis.typing import EncodableT

from bot.feeds import FeedIndex
from bot.models import PUBLIC, FeedHeadline, FeedUpdate, FollowedFeed, StoryPrint
from bot.redis_queue import text
from bot.storage.contract import (
    FEED_ITEMS_KEPT,
    HISTORY_LIMIT,
    FeedLimitReached,
    StoreUnavailable,
    for_cache,
)
from summariser.models import Digest, FeedItem, Headline

log = logging.getLogger(__name__)

T = TypeVar("T")

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
                 prefix: str = "article-digest", history_limit: int = HISTORY_LIMIT) -> None:
        self.client = client
        self.cache_ttl = cache_ttl
        self.history_days = history_days
        self.history_limit = history_limit
        self.prefix = prefix
        self._switches: dict[int, bool] = {}
        self._remember = client.register_script(_REMEMBER)

    @classmethod
    async def open(cls, client: aioredis.Redis, *, cache_ttl: float, history_days: int,
                   prefix: str = "article-digest", history_limit: int = HISTORY_LIMIT
                   ) -> RedisState:
        """The state, with the channel switches read into memory (RedisError if Redis cannot be
        reached: a gateway does not start without them)."""
        state = cls(client, cache_ttl=cache_ttl, history_days=history_days, prefix=prefix,
                    history_limit=history_limit)
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
        """Keep ``digest`` as a reply shows it (no article body) for ``CACHE_TTL`` seconds
        (skipped, logged, if Redis refuses)."""
        try:
            await self.client.set(f"{self.prefix}:cache:{key}", for_cache(digest).dumps(),
                                  ex=max(1, int(self.cache_ttl)))
        except RedisError as exc:
            log.warning("redis cache write failed: %s", exc)

    # -- the server's digest history -----------------------------------------------------------

    def _history(self, guild_id: int) -> tuple[str, str]:
        key = f"{self.prefix}:history:{guild_id}"
        return key, f"{key}:items"

    async def remember(self, guild_id: int, key: str, headline: Headline,
                       story: StoryPrint, scope: str = PUBLIC) -> bool:
        """Add a digest to the server's history (dropping the oldest past the bounds); False,
        logged, if Redis refused."""
        item = json.dumps({"title": headline.title, "url": headline.url, "story": story.text,
                           "vector": base64.b64encode(story.vector).decode("ascii"),
                           "scope": scope})
        now = time.time()
        try:
            await self._remember(keys=list(self._history(guild_id)),
                                 args=[key, now, item, self.history_limit,
                                       now - self.history_days * 86400])
        except RedisError as exc:
            log.warning("redis history write failed: %s", exc)
            return False
        return True

    async def recent(self, guild_id: int, days: int = 30, exclude_key: str | None = None,
                     scope: str = PUBLIC) -> list[tuple[Headline, StoryPrint]]:
        """The server's digests of the last ``days`` days that ``scope`` may see (public ones
        and its own), newest first; none if Redis cannot answer."""
        order, items = self._history(guild_id)
        try:
            found = cast(list[bytes], await self.client.zrevrangebyscore(
                order, "+inf", time.time() - days * 86400, start=0, num=self.history_limit))
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
            if data.get("scope", PUBLIC) not in (PUBLIC, scope):
                continue
            recent.append((Headline(data["title"], data["url"], "earlier"),
                           StoryPrint(base64.b64decode(data["vector"]), data["story"])))
        return recent


# KEYS: due set. ARGV: now, lease. The due feeds, each pushed ``lease`` seconds on: claimed.
_CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for _, url in ipairs(due) do
  redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), url)
end
return due
"""

# KEYS: the server's feeds, servers following any, the feed's followers, due set, follows
# version. ARGV: url, server, now, limit. 1 followed, 0 already, -N at the limit (N feeds).
_FOLLOW = """
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
local following = redis.call('ZCARD', KEYS[1])
if following >= tonumber(ARGV[4]) then return -following end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[4], 'NX', 0, ARGV[1])
redis.call('INCR', KEYS[5])
return 1
"""

# KEYS: the feed's followers, state and items, the due set. ARGV: url, next poll, the number N
# of state fields, N field/value pairs, then link/item pairs. 0 (and nothing written) where no
# server follows the feed any more: one unfollowed while it was polled keeps nothing.
_SAVE_POLL = """
if redis.call('SCARD', KEYS[1]) == 0 then return 0 end
local n = tonumber(ARGV[3])
redis.call('HSET', KEYS[2], unpack(ARGV, 4, 3 + 2 * n))
redis.call('ZADD', KEYS[4], 'XX', ARGV[2], ARGV[1])
for i = 4 + 2 * n, #ARGV, 2 do redis.call('HSETNX', KEYS[3], ARGV[i], ARGV[i + 1]) end
return 1
"""

# KEYS: as _FOLLOW, then the feed's state, items and the versions hash. ARGV: url, server.
# A feed nobody follows any more goes with its items, in the same step as the unfollow.
_UNFOLLOW = """
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[2])
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
redis.call('INCR', KEYS[5])
if redis.call('SCARD', KEYS[3]) == 0 then
  redis.call('DEL', KEYS[6], KEYS[7])
  redis.call('ZREM', KEYS[4], ARGV[1])
  redis.call('HDEL', KEYS[8], ARGV[1])
end
return removed
"""


class RedisFeeds:
    """Follows, poll state and items of feeds in Redis."""

    def __init__(self, client: aioredis.Redis, *, lease: float = 300.0,
                 prefix: str = "article-digest") -> None:
        self.client = client
        self.lease = lease
        self.key = f"{prefix}:feeds"
        self._claim = client.register_script(_CLAIM)
        self._follow = client.register_script(_FOLLOW)
        self._unfollow = client.register_script(_UNFOLLOW)
        self._save_poll = client.register_script(_SAVE_POLL)

    async def _bounded(self, what: str, work: Awaitable[T]) -> T:
        try:
            return await work
        except RedisError as exc:
            log.warning("redis %s failed: %s", what, exc)
            raise StoreUnavailable(what) from exc

    # -- follows (gateways) --------------------------------------------------------------------

    def _follow_keys(self, guild_id: int, url: str) -> list[str]:
        return [f"{self.key}:guild:{guild_id}", f"{self.key}:guilds",
                f"{self.key}:followers:{url}", f"{self.key}:due", f"{self.key}:follows-version"]

    async def follow(self, guild_id: int, url: str, limit: int) -> bool:
        """The server follows ``url`` from now on; False if it already did; FeedLimitReached
        if it follows ``limit`` feeds already (checked and written in one step)."""
        done = int(await self._bounded("write of a feed", self._follow(
            keys=self._follow_keys(guild_id, url), args=[url, guild_id, time.time(), limit])))
        if done < 0:
            raise FeedLimitReached(-done)
        return done == 1

    async def unfollow(self, guild_id: int, url: str) -> bool:
        """The server stops following ``url``; False if it did not. A feed no server follows
        any more is forgotten with its items, in the same step."""
        keys = [*self._follow_keys(guild_id, url), f"{self.key}:state:{url}",
                f"{self.key}:items:{url}", f"{self.key}:versions"]
        return bool(await self._bounded("write of a feed", self._unfollow(
            keys=keys, args=[url, guild_id])))

    async def followed(self, guild_id: int) -> list[FollowedFeed]:
        """The feeds a server follows, oldest first, with their state."""

        async def read() -> list[FollowedFeed]:
            urls = [text(u) for u in await self.client.zrange(f"{self.key}:guild:{guild_id}",
                                                               0, -1)]
            async with self.client.pipeline(transaction=False) as pipe:
                for url in urls:
                    pipe.hgetall(f"{self.key}:state:{url}")
                    pipe.hlen(f"{self.key}:items:{url}")
                found = await pipe.execute()
            feeds = []
            for url, state, items in zip(urls, found[0::2], found[1::2], strict=True):
                values = {text(k): text(v) for k, v in state.items()}
                feeds.append(FollowedFeed(
                    url, values.get("title") or None, int(items),
                    int(values.get("failures") or 0), values.get("last_error") or None,
                    float(values["checked_at"]) if values.get("checked_at") else None))
            return feeds

        return await self._bounded("read of feeds", read())

    async def subscriptions(self) -> dict[int, set[str]]:
        """Every server's feeds: guild id -> feed URLs."""

        async def read() -> dict[int, set[str]]:
            guilds = [int(g) for g in await self.client.smembers(f"{self.key}:guilds")]
            async with self.client.pipeline(transaction=False) as pipe:
                for guild_id in guilds:
                    pipe.zrange(f"{self.key}:guild:{guild_id}", 0, -1)
                found = await pipe.execute()
            return {guild_id: {text(u) for u in urls}
                    for guild_id, urls in zip(guilds, found, strict=True) if urls}

        return await self._bounded("read of feeds", read())

    # -- polls (workers) -----------------------------------------------------------------------

    async def due_feeds(self, now: float) -> list[tuple[str, str | None, str | None]]:
        """Feeds due a poll at ``now``, claimed for this worker for ``lease`` seconds:
        (url, etag, last_modified)."""

        async def read() -> list[tuple[str, str | None, str | None]]:
            urls = [text(u) for u in await self._claim(keys=[f"{self.key}:due"],
                                                         args=[now, self.lease])]
            async with self.client.pipeline(transaction=False) as pipe:
                for url in urls:
                    pipe.hmget(f"{self.key}:state:{url}", ["etag", "last_modified"])
                found = await pipe.execute()
            return [(url, text(etag) if etag else None, text(modified) if modified else None)
                    for url, (etag, modified) in zip(urls, found, strict=True)]

        return await self._bounded("read of feeds", read())

    async def save_poll(self, update: FeedUpdate, next_poll: float, keep_days: float) -> None:
        """Record a good poll: the validators, the new items, and no more than
        ``FEED_ITEMS_KEPT`` items per feed, none older than ``keep_days``."""
        now = time.time()
        items_key = f"{self.key}:items:{update.url}"

        async def write() -> None:
            state: list[EncodableT] = [
                "etag", update.etag or "", "last_modified", update.last_modified or "",
                "failures", 0, "last_error", "", "checked_at", now]
            if update.title:
                state += ["title", update.title]
            items: list[EncodableT] = []
            for headline in update.items:
                item = headline.item
                items += [item.url, json.dumps({
                    "title": item.title, "site": item.site, "published": item.published,
                    "summary": item.summary, "seen_at": now,
                    "vector": base64.b64encode(headline.vector).decode("ascii")})]
            if not await self._save_poll(
                    keys=[f"{self.key}:followers:{update.url}", f"{self.key}:state:{update.url}",
                          items_key, f"{self.key}:due"],
                    args=[update.url, next_poll, len(state) // 2, *state, *items]):
                return  # unfollowed while it was polled: nothing is kept
            # Trimmed on every poll, a 304 too: items age out of the window without new ones.
            dropped = await self._trim(items_key, now - keep_days * 86400)
            if update.items or dropped:
                await self.client.hincrby(f"{self.key}:versions", update.url, 1)

        await self._bounded("write of a feed poll", write())

    async def _trim(self, items_key: str, oldest: float) -> int:
        """Keep the newest ``FEED_ITEMS_KEPT`` items, none older than ``oldest``; how many
        went."""
        stored = await self.client.hgetall(items_key)
        dated = sorted(((_when(json.loads(v)), text(k)) for k, v in stored.items()),
                       reverse=True)
        drop = [link for n, (when, link) in enumerate(dated)
                if n >= FEED_ITEMS_KEPT or when < oldest]
        if drop:
            await self.client.hdel(items_key, *drop)
        return len(drop)

    async def failed_poll(self, url: str, error: str, interval: float,
                          max_wait: float) -> tuple[int, float]:
        """Record a failed poll: (failures in a row, seconds until the next try), the wait
        doubling with each failure from ``interval`` up to ``max_wait``."""

        async def write() -> tuple[int, float]:
            failures = int(await self.client.hincrby(f"{self.key}:state:{url}", "failures", 1))
            wait = min(max_wait, interval * 2 ** failures)
            now = time.time()
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.hset(f"{self.key}:state:{url}",
                          mapping={"last_error": error, "checked_at": now})
                pipe.zadd(f"{self.key}:due", {url: now + wait}, xx=True)
                await pipe.execute()
            return failures, wait

        return await self._bounded("write of a feed poll", write())

    async def feed_headlines(self, urls: set[str] | None = None
                             ) -> dict[str, list[FeedHeadline]]:
        """The stored items of ``urls`` (every followed feed when None), newest first."""

        async def read() -> dict[str, list[FeedHeadline]]:
            chosen = sorted(urls) if urls is not None else [
                text(u) for u in await self.client.zrange(f"{self.key}:due", 0, -1)]
            async with self.client.pipeline(transaction=False) as pipe:
                for url in chosen:
                    pipe.hgetall(f"{self.key}:items:{url}")
                found = await pipe.execute()
            headlines: dict[str, list[FeedHeadline]] = {}
            for url, stored in zip(chosen, found, strict=True):
                items = [(json.loads(v), text(k)) for k, v in stored.items()]
                items.sort(key=lambda pair: -_when(pair[0]))
                if items:
                    headlines[url] = [FeedHeadline(
                        FeedItem(data["title"], link, data.get("site"), data.get("published"),
                                 data.get("summary")),
                        base64.b64decode(data["vector"])) for data, link in items]
            return headlines

        return await self._bounded("read of feed items", read())

    async def versions(self) -> tuple[int, dict[str, int]]:
        """The version of the follows, and of each feed's items (one round trip)."""
        async with self.client.pipeline(transaction=False) as pipe:
            pipe.get(f"{self.key}:follows-version")
            pipe.hgetall(f"{self.key}:versions")
            follows, feeds = await pipe.execute()
        return int(follows or 0), {text(k): int(v) for k, v in feeds.items()}


def _when(data: dict[str, Any]) -> float:
    published = data.get("published")
    return float(published if published is not None else data.get("seen_at") or 0.0)


class FeedSync:
    """Keeps one worker's ``FeedIndex`` up to date with Redis: before a digest, read the
    versions (one round trip) and reload only what changed."""

    def __init__(self, feeds: RedisFeeds, index: FeedIndex) -> None:
        self.feeds = feeds
        self.index = index
        self._follows = -1
        self._versions: dict[str, int] = {}

    async def refresh(self) -> None:
        """Bring the index up to date; on a Redis failure keep what it has (logged)."""
        try:
            follows, versions = await self.feeds.versions()
            if follows != self._follows:
                self.index.subscribe(await self.feeds.subscriptions())
                self._follows = follows
            changed = {url for url, version in versions.items()
                       if self._versions.get(url) != version}
            if changed:
                stored = await self.feeds.feed_headlines(changed)
                for url in changed:
                    await self.index.replace(url, stored.get(url, []))
                self._versions.update({url: versions[url] for url in changed})
        except (RedisError, StoreUnavailable) as exc:
            log.warning("feeds: could not bring the headlines up to date: %s", exc)
