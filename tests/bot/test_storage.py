"""One suite for the storage contract (``bot/storage/contract.py``), run against each backend:
the SQLite file of single-process mode (with its in-memory cache) and a real redis-server of
scaled mode. What one backend promises, the other keeps."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import numpy as np
import pytest

from bot.models import FeedHeadline, FeedUpdate, StoryPrint
from bot.redis_queue import connect
from bot.storage import (
    FEED_ITEMS_KEPT,
    DigestCache,
    FeedLimitReached,
    FeedStore,
    History,
    Switches,
)
from bot.storage.memory import MemoryCache, TTLCache
from bot.storage.redis import RedisFeeds, RedisState
from bot.storage.sqlite import Store
from summariser.models import Digest, FeedItem, Headline

FEED = "https://news.example/feed.xml"
LIMIT = 5  # history kept per server in these tests


@dataclass
class Backend:
    name: str
    switches: Switches
    cache: DigestCache
    history: History
    feeds: FeedStore
    reopen: object  # async () -> Switches: the same storage opened again


@pytest.fixture(params=["sqlite", "redis"])
async def backend(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "db" / "bot.sqlite3"
        store = await Store.open(path, history_days=30, history_limit=LIMIT)
        opened = [store]

        async def reopen() -> Switches:
            again = await Store.open(path)
            opened.append(again)
            return again

        yield Backend("sqlite", store, MemoryCache(60), store, store, reopen)
        for each in opened:
            await each.close()
    else:
        server = request.getfixturevalue("redis_server")
        client = connect(server.url)
        state = await RedisState.open(client, cache_ttl=60, history_days=30,
                                      history_limit=LIMIT)

        async def reopen() -> Switches:
            return await RedisState.open(client, cache_ttl=60, history_days=30)

        yield Backend("redis", state, state, state, RedisFeeds(client, lease=60), reopen)
        await client.aclose()


def headline(n: int, published: float | None = None) -> FeedHeadline:
    vector = np.full(4, n, dtype=np.float32).tobytes()
    return FeedHeadline(FeedItem(f"Story {n}", f"https://news.example/{n}", "News",
                                 published if published is not None else time.time() - n),
                        vector)


def poll(*items: FeedHeadline, status: int = 200, title: str | None = "News") -> FeedUpdate:
    return FeedUpdate(FEED, status, None, None, title, tuple(items))


# -- switches ----------------------------------------------------------------------------------


async def test_switches_persist_and_are_read_from_memory(backend):
    assert backend.switches.auto_digest(7) is None
    await backend.switches.set_auto_digest(1, 7, True)
    await backend.switches.set_auto_digest(1, 8, True)
    await backend.switches.set_auto_digest(1, 8, False)
    reopened = await backend.reopen()
    assert (reopened.auto_digest(7), reopened.auto_digest(8)) == (True, False)


# -- the digest cache --------------------------------------------------------------------------


async def test_the_cache_keeps_what_a_reply_shows_not_the_article(backend):
    body = " ".join(["The council approved the tram line after a long meeting."] * 80)
    digest = Digest(title="Leeds tram approved", url="https://news.example/tram",
                    summary=("The council approved the tram line.",), quotes=(), related=(),
                    words=len(body.split()), method="minilm", text=body, summary_words=6,
                    elapsed_ms=412.0)
    assert await backend.cache.cached("1 https://news.example/tram") is None
    await backend.cache.cache("1 https://news.example/tram", digest)
    cached = await backend.cache.cached("1 https://news.example/tram")
    assert cached is not None and cached.text == "" and cached.elapsed_ms == 0.0
    assert (cached.title, cached.summary, cached.words) == (digest.title, digest.summary,
                                                            digest.words)
    assert await backend.cache.cached("2 https://news.example/tram") is None  # per server


# -- history -----------------------------------------------------------------------------------


async def test_history_is_per_server_newest_first_and_excludes_the_asking_key(backend):
    for n in range(3):
        assert await backend.history.remember(
            1, f"key{n}", Headline(f"Story {n}", f"https://x/{n}"),
            StoryPrint(bytes([n]) * 4, f"text {n}"))
    await backend.history.remember(2, "other", Headline("Elsewhere"),
                                   StoryPrint(b"\0" * 4, "other"))
    recent = await backend.history.recent(1, days=30, exclude_key="key1")
    assert [h.title for h, _ in recent] == ["Story 2", "Story 0"]
    assert all(h.origin == "earlier" for h, _ in recent)
    assert recent[0][1] == StoryPrint(bytes([2]) * 4, "text 2")


async def test_history_made_in_a_private_channel_is_shown_only_there(backend):
    """A digest made where not every member can read is shown under digests of that channel
    alone; public ones under any."""
    history = backend.history
    await history.remember(1, "open", Headline("Open story"), StoryPrint(b"\1" * 4, "o"))
    await history.remember(1, "mods", Headline("Mods' story"), StoryPrint(b"\2" * 4, "m"),
                           "channel:9")
    assert [h.title for h, _ in await history.recent(1)] == ["Open story"]
    assert [h.title for h, _ in await history.recent(1, scope="channel:8")] == ["Open story"]
    assert [h.title for h, _ in await history.recent(1, scope="channel:9")] == [
        "Mods' story", "Open story"]


async def test_history_is_bounded_on_every_write(backend):
    for n in range(LIMIT + 3):
        await backend.history.remember(1, f"k{n}", Headline(f"Story {n}"),
                                       StoryPrint(b"\1" * 4, f"t{n}"))
    recent = await backend.history.recent(1, days=30)
    assert [h.title for h, _ in recent] == [f"Story {n}" for n in range(LIMIT + 2, 2, -1)]
    stored = await _history_rows(backend, 1)
    assert stored == LIMIT  # dropped from storage, not only left unread


async def _history_rows(backend: Backend, guild_id: int) -> int:
    if isinstance(backend.history, Store):
        async with backend.history._db.execute(
                "SELECT COUNT(*) FROM history WHERE guild_id = ?", (guild_id,)) as cursor:
            (count,) = await cursor.fetchone()
        return int(count)
    assert isinstance(backend.history, RedisState)
    return int(await backend.history.client.hlen(
        f"{backend.history.prefix}:history:{guild_id}:items"))


# -- feeds -------------------------------------------------------------------------------------


async def test_follows_and_a_feed_nobody_follows_is_forgotten(backend):
    feeds = backend.feeds
    assert await feeds.follow(1, FEED, 20) and not await feeds.follow(1, FEED, 20)
    assert await feeds.follow(2, FEED, 20)
    assert await feeds.subscriptions() == {1: {FEED}, 2: {FEED}}
    await feeds.save_poll(poll(headline(1), title="News: World"), time.time() + 60, 7)
    [followed] = await feeds.followed(1)
    assert (followed.url, followed.title, followed.items) == (FEED, "News: World", 1)
    assert await feeds.unfollow(1, FEED) and not await feeds.unfollow(1, FEED)
    assert (await feeds.feed_headlines())[FEED][0].item.title == "Story 1"
    assert await feeds.unfollow(2, FEED)
    assert await feeds.feed_headlines() == {} and await feeds.subscriptions() == {}


async def test_unfollow_while_another_server_follows_keeps_the_feed_polled(backend):
    feeds = backend.feeds
    await feeds.follow(1, FEED, 20)
    for _ in range(20):  # one server leaves as another joins, at the same moment
        await asyncio.gather(feeds.unfollow(1, FEED), feeds.follow(2, FEED, 20))
        assert await feeds.subscriptions() == {2: {FEED}}
        assert [url for url, _, _ in await feeds.due_feeds(time.time() + 3600)] == [FEED]
        await asyncio.gather(feeds.unfollow(2, FEED), feeds.follow(1, FEED, 20))
        assert await feeds.subscriptions() == {1: {FEED}}
        assert [url for url, _, _ in await feeds.due_feeds(time.time() + 7200)] == [FEED]


async def test_a_poll_saved_after_its_feed_was_unfollowed_keeps_nothing(backend):
    feeds = backend.feeds
    await feeds.follow(1, FEED, 20)
    await feeds.unfollow(1, FEED)  # while the feed was being polled
    await feeds.save_poll(poll(headline(1), title="News: World"), time.time() + 60, 7)
    assert await feeds.feed_headlines({FEED}) == {} and await feeds.due_feeds(time.time()) == []
    await feeds.follow(1, FEED, 20)
    [followed] = await feeds.followed(1)
    assert (followed.items, followed.title) == (0, None)


async def test_the_start_up_read_of_every_feed_is_not_held_to_one_calls_time(tmp_path,
                                                                            monkeypatch):
    """Start-up reads every stored feed item in one call; with many feeds that takes longer
    than a call may (2 s for 400 feeds of 250 items), and the bot failed to start, again at
    every restart. A read of some feeds (a poll's) keeps the call's bound."""
    from bot.storage import StoreUnavailable, sqlite

    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        await store.follow(1, FEED, 20)
        await store.save_poll(poll(headline(1)), 0.0, 7)
        monkeypatch.setattr(sqlite, "CALL_TIMEOUT", 1e-9)  # any call is "too slow" now
        assert len((await store.feed_headlines())[FEED]) == 1
        with pytest.raises(StoreUnavailable):
            await store.feed_headlines({FEED})
    finally:
        monkeypatch.undo()
        await store.close()


async def test_the_per_server_cap_holds_when_adds_arrive_at_once(backend):
    urls = [f"https://news.example/{n}.xml" for n in range(6)]
    results = await asyncio.gather(*(backend.feeds.follow(1, url, 3) for url in urls),
                                   return_exceptions=True)
    assert sum(result is True for result in results) == 3
    assert all(isinstance(r, FeedLimitReached) and r.following == 3
               for r in results if r is not True)
    assert len((await backend.feeds.subscriptions())[1]) == 3
    assert await backend.feeds.follow(2, urls[0], 3)  # the cap is per server


async def test_items_are_bounded_newest_first_and_old_ones_dropped(backend):
    await backend.feeds.follow(1, FEED, 20)
    old = headline(10_000, published=time.time() - 30 * 86400)
    items = tuple(headline(n) for n in range(FEED_ITEMS_KEPT + 20)) + (old,)
    await backend.feeds.save_poll(poll(*items), 0.0, 7)
    stored = (await backend.feeds.feed_headlines({FEED}))[FEED]
    assert len(stored) == FEED_ITEMS_KEPT
    assert stored[0].item.title == "Story 0"
    assert old.item.url not in {h.item.url for h in stored}


async def test_an_items_description_is_kept_with_it(backend):
    await backend.feeds.follow(1, FEED, 20)
    told = FeedHeadline(FeedItem("Story 1", "https://news.example/1", "News", time.time(),
                                 "The council approved the plan on Tuesday."),
                        np.ones(4, dtype=np.float32).tobytes())
    await backend.feeds.save_poll(poll(told, headline(2)), 0.0, 7)
    stored = (await backend.feeds.feed_headlines({FEED}))[FEED]
    assert stored[0].item == told.item
    assert [(h.item.title, h.item.summary) for h in stored[1:]] == [("Story 2", None)]


async def test_a_database_from_before_descriptions_is_opened_and_kept(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # feed_items as it was made before descriptions
        db.execute("CREATE TABLE feed_items (url TEXT NOT NULL, link TEXT NOT NULL, title TEXT "
                   "NOT NULL, site TEXT, published REAL, vector BLOB NOT NULL, seen_at REAL NOT "
                   "NULL, PRIMARY KEY (url, link))")
        db.execute("INSERT INTO feed_items VALUES (?, 'https://news.example/0', 'Story 0', "
                   "'News', ?, ?, ?)", (FEED, time.time(), b"\0" * 16, time.time()))
    store = await Store.open(path)
    try:
        await store.follow(1, FEED, 20)
        await store.save_poll(poll(FeedHeadline(FeedItem(
            "Story 1", "https://news.example/1", "News", time.time(), "It was told."),
            b"\0" * 16)), 0.0, 7)
        stored = (await store.feed_headlines({FEED}))[FEED]
        assert {h.item.title: h.item.summary for h in stored} == {
            "Story 0": None, "Story 1": "It was told."}
    finally:
        await store.close()


async def test_items_age_out_on_every_poll_a_304_included(backend):
    await backend.feeds.follow(1, FEED, 20)
    day = 86400
    await backend.feeds.save_poll(poll(headline(1, time.time() - 2 * day),
                                       headline(2, time.time() - 5 * day)), 0.0, 7)
    assert len((await backend.feeds.feed_headlines({FEED}))[FEED]) == 2
    # Nothing new since ("304 Not Modified"), and now only 3 days are kept: the 5-day-old
    # item goes all the same.
    await backend.feeds.save_poll(poll(status=304, title=None), 0.0, 3)
    [kept] = (await backend.feeds.feed_headlines({FEED}))[FEED]
    assert kept.item.title == "Story 1"


async def test_a_failing_feed_backs_off_and_a_good_poll_clears_it(backend):
    feeds = backend.feeds
    await feeds.follow(1, FEED, 20)
    assert await feeds.failed_poll(FEED, "the site refused us", 60, 3600) == (1, 120)
    assert await feeds.failed_poll(FEED, "the site refused us", 60, 3600) == (2, 240)
    [followed] = await feeds.followed(1)
    assert followed.failures == 2 and followed.last_error == "the site refused us"
    assert await feeds.due_feeds(time.time()) == []
    await feeds.save_poll(poll(), 0.0, 7)
    assert (await feeds.followed(1))[0].failures == 0


# -- the in-memory cache's own bounds ---------------------------------------------------------


def test_cache_entries_expire_and_the_least_recent_goes_first():
    cache: TTLCache[str] = TTLCache(ttl=60, size=2)
    cache.put("a", "A")
    cache.put("b", "B")
    assert cache.get("a") == "A"  # a is now the most recent
    cache.put("c", "C")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == ("A", None, "C")
    expired: TTLCache[str] = TTLCache(ttl=-1)
    expired.put("x", "X")
    assert expired.get("x") is None
