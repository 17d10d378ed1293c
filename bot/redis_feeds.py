"""The feeds servers follow, in Redis, for scaled mode: the ``FeedStore`` of ``bot/feeds.py``.

Gateways write the follows (``/feeds add|remove``); workers poll the feeds (each due feed is
claimed by one worker for ``lease`` seconds, so two workers do not poll it at once) and match
digests against their headlines. Every worker keeps the headlines' vectors in memory
(``FeedIndex``) and brings them up to date before a digest with ``FeedSync``: one round trip
reads the version of the follows and of each feed's items, and only what changed is read again.

Keys, under one prefix: ``feeds:guilds`` (set of servers that follow any feed),
``feeds:guild:<id>`` (sorted set url → added at), ``feeds:followers:<url>`` (set of servers),
``feeds:state:<url>`` (hash: title, etag, last_modified, failures, last_error, checked_at),
``feeds:due`` (sorted set url → next poll), ``feeds:items:<url>`` (hash link → JSON, at most
``FEED_ITEMS_KEPT``), ``feeds:versions`` (hash url → counter) and ``feeds:follows-version``.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Awaitable
from typing import Any, TypeVar

from redis import asyncio as aioredis
from redis.exceptions import RedisError
from redis.typing import EncodableT, FieldT

from bot.feeds import FeedIndex
from bot.models import FeedHeadline, FeedUpdate, FollowedFeed
from bot.redis_queue import text
from bot.store import FEED_ITEMS_KEPT, StoreUnavailable
from summariser.models import FeedItem

log = logging.getLogger(__name__)

T = TypeVar("T")

# KEYS: due set. ARGV: now, lease. The due feeds, each pushed ``lease`` seconds on: claimed.
_CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for _, url in ipairs(due) do
  redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), url)
end
return due
"""


class RedisFeeds:
    """Follows, poll state and items of feeds in Redis."""

    def __init__(self, client: aioredis.Redis, *, lease: float = 300.0,
                 prefix: str = "article-digest") -> None:
        self.client = client
        self.lease = lease
        self.key = f"{prefix}:feeds"
        self._claim = client.register_script(_CLAIM)

    async def _bounded(self, what: str, work: Awaitable[T]) -> T:
        try:
            return await work
        except RedisError as exc:
            log.warning("redis %s failed: %s", what, exc)
            raise StoreUnavailable(what) from exc

    # -- follows (gateways) --------------------------------------------------------------------

    async def follow(self, guild_id: int, url: str) -> bool:
        """The server follows ``url`` from now on; False if it already did."""

        async def write() -> bool:
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.zadd(f"{self.key}:guild:{guild_id}", {url: time.time()}, nx=True)
                pipe.sadd(f"{self.key}:guilds", guild_id)
                pipe.sadd(f"{self.key}:followers:{url}", guild_id)
                pipe.zadd(f"{self.key}:due", {url: 0}, nx=True)
                pipe.incr(f"{self.key}:follows-version")
                added, *_ = await pipe.execute()
            return bool(added)

        return await self._bounded("write of a feed", write())

    async def unfollow(self, guild_id: int, url: str) -> bool:
        """The server stops following ``url``; False if it did not. A feed no server follows
        any more is forgotten with its items."""

        async def write() -> bool:
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.zrem(f"{self.key}:guild:{guild_id}", url)
                pipe.srem(f"{self.key}:followers:{url}", guild_id)
                pipe.scard(f"{self.key}:followers:{url}")
                pipe.incr(f"{self.key}:follows-version")
                removed, _, left, _ = await pipe.execute()
            if not left:
                await self.client.delete(f"{self.key}:state:{url}", f"{self.key}:items:{url}")
                await self.client.zrem(f"{self.key}:due", url)
                await self.client.hdel(f"{self.key}:versions", url)
            return bool(removed)

        return await self._bounded("write of a feed", write())

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
            state: dict[FieldT, EncodableT] = {
                "etag": update.etag or "", "last_modified": update.last_modified or "",
                "failures": 0, "last_error": "", "checked_at": now}
            if update.title:
                state["title"] = update.title
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.hset(f"{self.key}:state:{update.url}", mapping=state)
                pipe.zadd(f"{self.key}:due", {update.url: next_poll}, xx=True)
                for headline in update.items:
                    item = headline.item
                    pipe.hsetnx(items_key, item.url, json.dumps({
                        "title": item.title, "site": item.site, "published": item.published,
                        "seen_at": now,
                        "vector": base64.b64encode(headline.vector).decode("ascii")}))
                await pipe.execute()
            if update.items:
                await self._trim(items_key, now - keep_days * 86400)
                await self.client.hincrby(f"{self.key}:versions", update.url, 1)

        await self._bounded("write of a feed poll", write())

    async def _trim(self, items_key: str, oldest: float) -> None:
        """Keep the newest ``FEED_ITEMS_KEPT`` items, none older than ``oldest``."""
        stored = await self.client.hgetall(items_key)
        dated = sorted(((_when(json.loads(v)), text(k)) for k, v in stored.items()),
                       reverse=True)
        drop = [link for n, (when, link) in enumerate(dated)
                if n >= FEED_ITEMS_KEPT or when < oldest]
        if drop:
            await self.client.hdel(items_key, *drop)

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
                        FeedItem(data["title"], link, data.get("site"), data.get("published")),
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
                    self.index.replace(url, stored.get(url, []))
                self._versions.update({url: versions[url] for url in changed})
        except (RedisError, StoreUnavailable) as exc:
            log.warning("feeds: could not bring the headlines up to date: %s", exc)
