"""The scaled-mode queue and shared state against a real redis-server."""

import asyncio
import json
import time
from dataclasses import fields

import pytest

from bot.models import DigestJob, QueuedAnswer, QueuedRequest, ReplyTarget
from bot.redis_queue import RedisQueue, connect
from bot.workqueue import Busy, Unavailable


def answer(answer_id: str, user: int = 1, links: int = 1) -> QueuedAnswer:
    requests = tuple(QueuedRequest(DigestJob("url", f"https://example.com/{answer_id}/{n}"),
                                   f"https://example.com/{answer_id}/{n}",
                                   f"https://example.com/{answer_id}/{n}")
                     for n in range(links))
    return QueuedAnswer(answer_id, user, ReplyTarget(10, 20, message_id=30), requests,
                        ("I digested the first 1 links; 2 more were left out.",), time.time())


@pytest.fixture
async def redis(redis_server):
    client = connect(redis_server.url)
    yield client
    await client.aclose()


@pytest.fixture
async def queue(redis):
    queue = RedisQueue(redis, size=4, per_user=2, visibility=0.5)
    await queue.ensure_group()
    return queue


def test_an_answer_survives_the_trip_through_json():
    original = QueuedAnswer(
        "42", 7, ReplyTarget(1, 2, application_id=3, interaction_token="tok", user_id=7,
                             language="fr"),
        (QueuedRequest(DigestJob("file", "message.txt", b"\x00bytes\xff"), "message.txt",
                       "sha1:abc"),
         QueuedRequest(DigestJob("text", "Some pasted text"), "pasted text", "sha1:def")),
        ("a note",), 123.5)
    assert QueuedAnswer.loads(original.dumps()) == original
    assert "tok" not in repr(original.target)  # the interaction token stays out of logs


async def test_the_bound_and_the_per_user_cap_hold_across_clients(queue, redis_server):
    other = connect(redis_server.url)  # a second gateway process, as Redis sees it
    try:
        second = RedisQueue(other, size=4, per_user=2)
        assert await queue.offer(answer("a", user=1)) == 1
        assert await second.offer(answer("b", user=1, links=3)) == 1  # one place left for u1
        with pytest.raises(Busy, match="already have 2"):
            await queue.offer(answer("c", user=1))
        assert await second.offer(answer("d", user=2, links=2)) == 2  # the queue is now full
        with pytest.raises(Busy, match="queue is full"):
            await queue.offer(answer("e", user=3))
        assert await queue.waiting() == 4
    finally:
        await other.aclose()


async def test_an_offer_run_twice_is_one_offer(queue):
    """A gateway whose offer got no reply tries it again: the second run returns what the
    first took, and queues nothing more."""
    first = answer("a", user=1, links=2)
    assert await queue.offer(first) == 2
    assert await queue.offer(first) == 2
    assert await queue.waiting() == 2
    job = await queue.take("w1", block=0.1)
    assert job is not None and job.answer.id == first.id
    assert await queue.take("w1", block=0.1) is None


async def test_a_gateway_whose_offer_got_no_reply_does_not_refuse_a_queued_job(
        queue, redis_server):
    """Redis stalls past the client's socket timeout while the offer waits behind it (a fork,
    a slow disk): the script still runs when Redis wakes. The gateway tries again, and the
    offer counts as queued, not "unavailable" (the user got both that and the digest)."""
    stalled = connect(redis_server.url)
    stalled.connection_pool.connection_kwargs["socket_timeout"] = 30
    impatient = connect(redis_server.url)
    impatient.connection_pool.connection_kwargs["socket_timeout"] = 0.5
    try:
        gateway = RedisQueue(impatient, size=4, per_user=2)
        await gateway.waiting()  # connected; the scripts load on the first offer
        sleeping = asyncio.create_task(stalled.execute_command("DEBUG", "SLEEP", "1.2"))
        await asyncio.sleep(0.1)
        assert await gateway.offer(answer("a", user=1)) == 1
        await sleeping
        assert await queue.waiting() == 1
    finally:
        await stalled.aclose()
        await impatient.aclose()


async def test_a_queue_redis_lost_is_said_lost_and_made_again(queue, redis, caplog):
    """Redis restarted without its data (or failed over to a replica that lagged): the jobs it
    held are gone unanswered. The worker says so at ERROR, makes the queue again, and goes on."""
    import logging

    await queue.offer(answer("a"))
    await redis.flushall()
    with caplog.at_level(logging.ERROR, logger="bot.redis_queue"):
        assert await queue.take("w1", block=0.1) is None
    assert "requests queued or in progress then are lost" in caplog.text
    await queue.offer(answer("b"))
    job = await queue.take("w1", block=0.1)
    assert job is not None and job.answer.id == "b"


async def test_consumers_of_workers_long_gone_are_pruned_but_not_one_with_a_job(queue, redis):
    """Each worker start names a new consumer (host and pid), and one that crashed never
    leaves: they piled up in the group. Those with nothing pending and no read for a while go;
    one holding a job stays, and so does the worker's own."""
    from bot.redis_queue import GROUP

    for name in ("gone-1", "gone-2", "me"):  # each took a job and finished it
        await queue.offer(answer(name))
        job = await queue.take(name, block=0.1)
        assert job is not None
        await queue.finish(job)
    await queue.offer(answer("a"))
    assert await queue.take("crashed-with-a-job", block=0.1) is not None
    await asyncio.sleep(0.3)
    assert await queue.prune("me", idle=0.2) == 2
    names = {c["name"].decode() if isinstance(c["name"], bytes) else c["name"]
             for c in await redis.xinfo_consumers(queue.stream, GROUP)}
    assert names == {"crashed-with-a-job", "me"}


async def test_an_answer_no_worker_finished_in_time_is_counted_lost_once(queue, caplog):
    """The gateway watches what it queued: an answer a worker finished is done with; one no
    worker finished in time (its job vanished from Redis) is logged at ERROR and counted lost,
    once."""
    import logging

    from bot.ledger import Ledger, Ticket
    from bot.redis_queue import AnswerWatch

    ledger = Ledger()
    watch = AnswerWatch(queue, ledger, within=0.0)
    for name in ("answered", "vanished"):
        await queue.offer(answer(name))
        watch.watch(name, [Ticket(f"{name}.0", "url")])
    job = await queue.take("w1", block=0.1)
    assert job is not None and job.answer.id == "answered"
    await queue.finish(job)
    with caplog.at_level(logging.ERROR, logger="bot.redis_queue"):
        assert await watch.check() == 1
        assert await watch.check() == 0
    assert ledger.lost == 1 and "request vanished: no worker answered it" in caplog.text


async def test_finishing_releases_the_places_once(queue):
    await queue.offer(answer("a", user=1, links=2))
    job = await queue.take("w1", block=0.1)
    assert job is not None and job.taken == 2 and job.answer.id == "a"
    assert not await queue.sent(job)
    await queue.finish(job)
    await queue.finish(job)  # a second worker finishing the same job releases nothing more
    assert await queue.waiting() == 0
    assert await queue.sent(job)
    assert await queue.offer(answer("b", user=1, links=2)) == 2


async def test_a_job_whose_worker_went_quiet_is_taken_over(queue):
    await queue.offer(answer("a"))
    first = await queue.take("dead-worker", block=0.1)
    assert first is not None and first.deliveries == 1
    assert await queue.take("w2", block=0.1) is None  # still within the visibility timeout
    await asyncio.sleep(0.6)
    again = await queue.take("w2", block=0.1)
    assert again is not None and again.answer == first.answer and again.deliveries == 2


async def test_a_worker_that_renews_its_claim_keeps_its_job(queue):
    await queue.offer(answer("a"))
    job = await queue.take("busy-worker", block=0.1)
    assert job is not None
    for _ in range(4):
        await asyncio.sleep(0.2)
        await queue.keep("busy-worker", job)
    assert await queue.take("w2", block=0.1) is None


async def test_an_entry_that_is_not_a_job_is_dropped(queue, redis):
    await redis.xadd(queue.stream, {"job": "not json", "taken": 1, "user": "u:1"})
    assert await queue.take("w1", block=0.1) is None
    await queue.offer(answer("a"))
    job = await queue.take("w1", block=0.1)
    assert job is not None and job.answer.id == "a"


class NewerAnswer(QueuedAnswer):
    """An answer as a newer gateway writes it: its target has a field this worker lacks."""

    def dumps(self) -> str:
        data = json.loads(super().dumps())
        data["target"]["thread_id"] = 99
        return json.dumps(data)


async def test_a_job_this_worker_cannot_read_is_dropped_and_its_places_released(queue, redis):
    """A job it cannot read is dropped, and must not keep its places taken, or the queue would
    fill with nothing in it."""
    for number in range(4):  # the whole queue (size 4), each of another user
        older = answer(f"n{number}", user=number)
        newer = NewerAnswer(**{f.name: getattr(older, f.name) for f in fields(older)})
        assert await queue.offer(newer) == 1
    with pytest.raises(Busy, match="queue is full"):
        await queue.offer(answer("late", user=9))
    for _ in range(4):
        assert await queue.take("w1", block=0.1) is None
    assert await redis.hgetall(queue.counts) == {}
    assert await queue.offer(answer("late", user=9)) == 1


async def test_redis_down_is_unavailable_not_a_crash(redis_server):
    client = connect(redis_server.url)
    queue = RedisQueue(client, size=4, per_user=2)
    redis_server.stop()
    try:
        with pytest.raises(Unavailable):
            await queue.offer(answer("a"))
        redis_server.start()
        await queue.ensure_group()
        assert await queue.offer(answer("b")) == 1  # the same client reconnects on its own
    finally:
        await client.aclose()



async def _queued_paste(queue, text: str):
    """A fake Discord with a message in a server, and its paste's answer queued in Redis."""
    from fake_discord import FakeDiscord

    fake = FakeDiscord()
    guild = fake.add_guild()
    await fake.start()
    news = guild["channels"][0]
    message = fake.message_payload(news["id"], "an article", fake.user("u"), guild=guild)
    target = ReplyTarget(int(news["id"]), int(guild["id"]), message_id=int(message["id"]))
    request = QueuedRequest(DigestJob("text", text), "pasted text", f"sha1:{message['id']}")
    await queue.offer(QueuedAnswer(message["id"], 1, target, (request,), (), time.time()))
    return fake, message


async def test_a_worker_told_to_stop_finishes_the_job_in_hand(queue, redis_server, digester,
                                                               make_article, tmp_path):
    """The worker's drain: stop is set while it digests; the answer still goes out and the job
    is finished in Redis, not left for another worker."""
    from bot_env import replies_in, scaled_settings

    from bot.worker import work

    fake, message = await _queued_paste(queue, make_article(600))
    stop = asyncio.Event()
    worker = asyncio.create_task(work(scaled_settings(fake, redis_server.url, digester,
                                                      tmp_path), stop, digester))
    try:
        await fake.wait_for(lambda c: c.path.endswith("/typing"), 60)  # the job is in hand
        stop.set()
        done = await asyncio.wait_for(worker, 30)
        assert done.ledger.answered == 1
        (reply,) = replies_in(fake, message)
        assert reply["embeds"]
        assert await queue.waiting() == 0
        assert await queue.take("another", block=0.1) is None
    finally:
        stop.set()
        await fake.close()


async def test_a_worker_answers_even_when_redis_cannot_say_whether_it_did(
        queue, redis_server, digester, make_article, tmp_path, monkeypatch):
    """The "already sent?" check fails: the worker answers anyway (a repeat would be harmless,
    a lost answer is not) and finishes the job."""
    from bot_env import replies_in, scaled_settings
    from redis.exceptions import ConnectionError as RedisConnectionError

    from bot.worker import work

    fake, message = await _queued_paste(queue, make_article(400))

    async def unreachable(self, job):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(RedisQueue, "sent", unreachable)
    stop = asyncio.Event()
    worker = asyncio.create_task(work(scaled_settings(fake, redis_server.url, digester,
                                                      tmp_path), stop, digester))
    try:
        await fake.wait_for(lambda c: c.method == "POST" and c.path.endswith("/messages"), 60)
        (reply,) = replies_in(fake, message)
        assert reply["embeds"]
        for _ in range(50):
            if await queue.waiting() == 0:
                break
            await asyncio.sleep(0.1)
        assert await queue.waiting() == 0
    finally:
        stop.set()
        await worker
        await fake.close()
