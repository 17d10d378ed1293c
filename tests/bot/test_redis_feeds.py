"""What only the Redis backend does (scaled mode), against a real redis-server: a due feed
claimed by one worker, and a worker's index kept up to date. The contract both backends keep is
``test_storage.py``."""

import time

import numpy as np
import pytest

from bot.feeds import FeedIndex
from bot.models import FeedHeadline, FeedUpdate
from bot.redis_queue import connect
from bot.storage.redis import FeedSync, RedisFeeds
from summariser.models import FeedItem

FEED = "https://news.example/feed.xml"


def headline(n: int, published: float | None = None) -> FeedHeadline:
    vector = np.full(384, 1 / np.sqrt(384), dtype=np.float32)  # a unit vector of MiniLM's size
    vector[n % 384] += 1.0
    vector = (vector / np.linalg.norm(vector)).astype(np.float32).tobytes()
    return FeedHeadline(FeedItem(f"Story {n}", f"https://news.example/{n}", "News",
                                 published if published is not None else time.time() - n),
                        vector)


@pytest.fixture
async def feeds(redis_server):
    client = connect(redis_server.url)
    yield RedisFeeds(client, lease=60)
    await client.aclose()


async def test_a_due_feed_is_claimed_by_one_worker_and_polled_with_its_validators(feeds):
    await feeds.follow(1, FEED, 20)
    await feeds.save_poll(FeedUpdate(FEED, 200, '"v1"', "Thu, 26 Nov 2026 10:00:00 GMT"),
                          0.0, 7)
    now = time.time()
    assert await feeds.due_feeds(now) == [(FEED, '"v1"', "Thu, 26 Nov 2026 10:00:00 GMT")]
    assert await feeds.due_feeds(now) == []  # the other worker: already claimed
    assert await feeds.due_feeds(now + 61) != []  # the lease ran out: polled again


async def test_a_workers_index_follows_what_redis_holds(feeds):
    index = FeedIndex()
    sync = FeedSync(feeds, index)
    await feeds.follow(7, FEED, 20)
    await feeds.save_poll(FeedUpdate(FEED, 200, None, None, "News", (headline(1),)), 0.0, 7)
    await sync.refresh()
    assert index.headlines(7) == 1
    await feeds.save_poll(FeedUpdate(FEED, 200, None, None, "News", (headline(2),)), 0.0, 7)
    await sync.refresh()  # another worker polled it: the new item is read
    assert index.headlines(7) == 2
    await feeds.unfollow(7, FEED)
    await sync.refresh()
    assert index.headlines(7) == 0
