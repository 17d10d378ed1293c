"""Feeds in Redis (scaled mode) against a real redis-server: follows, claimed polls, bounded
items, backoff, and a worker's index kept up to date."""

import time

import numpy as np
import pytest

from bot.feeds import FeedIndex
from bot.models import FeedHeadline, FeedUpdate
from bot.redis_feeds import FeedSync, RedisFeeds
from bot.redis_queue import connect
from bot.store import FEED_ITEMS_KEPT
from summariser.models import FeedItem

FEED = "https://news.example/feed.xml"


def headline(n: int, published: float | None = None) -> FeedHeadline:
    vector = np.full(4, n, dtype=np.float32).tobytes()
    return FeedHeadline(FeedItem(f"Story {n}", f"https://news.example/{n}", "News",
                                 published if published is not None else time.time() - n),
                        vector)


@pytest.fixture
async def feeds(redis_server):
    client = connect(redis_server.url)
    yield RedisFeeds(client, lease=60)
    await client.aclose()


async def test_follows_and_a_feed_nobody_follows_is_forgotten(feeds):
    assert await feeds.follow(1, FEED) and not await feeds.follow(1, FEED)
    assert await feeds.follow(2, FEED)
    assert await feeds.subscriptions() == {1: {FEED}, 2: {FEED}}
    await feeds.save_poll(FeedUpdate(FEED, 200, '"v1"', None, "News: World",
                                     (headline(1),)), time.time() + 60, 7)
    [followed] = await feeds.followed(1)
    assert (followed.url, followed.title, followed.items) == (FEED, "News: World", 1)
    assert await feeds.unfollow(1, FEED) and not await feeds.unfollow(1, FEED)
    assert (await feeds.feed_headlines())[FEED][0].item.title == "Story 1"
    assert await feeds.unfollow(2, FEED)
    assert await feeds.feed_headlines() == {} and await feeds.subscriptions() == {}


async def test_a_due_feed_is_claimed_by_one_worker_and_polled_with_its_validators(feeds):
    await feeds.follow(1, FEED)
    await feeds.save_poll(FeedUpdate(FEED, 200, '"v1"', "Thu, 26 Nov 2026 10:00:00 GMT"),
                          0.0, 7)
    now = time.time()
    assert await feeds.due_feeds(now) == [(FEED, '"v1"', "Thu, 26 Nov 2026 10:00:00 GMT")]
    assert await feeds.due_feeds(now) == []  # the other worker: already claimed
    assert await feeds.due_feeds(now + 61) != []  # the lease ran out: polled again


async def test_items_are_bounded_and_old_ones_dropped(feeds):
    await feeds.follow(1, FEED)
    old = headline(10_000, published=time.time() - 30 * 86400)
    items = tuple(headline(n) for n in range(FEED_ITEMS_KEPT + 20)) + (old,)
    await feeds.save_poll(FeedUpdate(FEED, 200, None, None, "News", items), 0.0, 7)
    stored = (await feeds.feed_headlines({FEED}))[FEED]
    assert len(stored) == FEED_ITEMS_KEPT
    assert stored[0].item.title == "Story 0"  # newest first
    assert old.item.url not in {h.item.url for h in stored}


async def test_a_failing_feed_backs_off(feeds):
    await feeds.follow(1, FEED)
    assert await feeds.failed_poll(FEED, "the site refused us", 60, 3600) == (1, 120)
    assert await feeds.failed_poll(FEED, "the site refused us", 60, 3600) == (2, 240)
    [followed] = await feeds.followed(1)
    assert followed.failures == 2 and followed.last_error == "the site refused us"
    assert await feeds.due_feeds(time.time()) == []
    await feeds.save_poll(FeedUpdate(FEED, 200, None, None), 0.0, 7)
    assert (await feeds.followed(1))[0].failures == 0


async def test_a_workers_index_follows_what_redis_holds(feeds):
    index = FeedIndex()
    sync = FeedSync(feeds, index)
    await feeds.follow(7, FEED)
    await feeds.save_poll(FeedUpdate(FEED, 200, None, None, "News", (headline(1),)), 0.0, 7)
    await sync.refresh()
    assert index.headlines(7) == 1
    await feeds.save_poll(FeedUpdate(FEED, 200, None, None, "News", (headline(2),)), 0.0, 7)
    await sync.refresh()  # another worker polled it: the new item is read
    assert index.headlines(7) == 2
    await feeds.unfollow(7, FEED)
    await sync.refresh()
    assert index.headlines(7) == 0
