"""Scaled mode end to end: gateway shards and workers over a real redis-server, the real
discord.py client against the fake Discord, pages from the local page server."""

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

from bot_env import (
    guilds_on_every_shard,
    replies_in,
    scaled_run,
    scaled_settings,
    start_gateway,
    stop_gateway,
)
from conftest import read
from fake_discord import DROP, FakeDiscord

from bot.app import DigestBot, ShardedDigestBot
from bot.redis_queue import connect
from bot.replies import UNAVAILABLE
from bot.worker import work

ROOT = Path(__file__).resolve().parents[2]


async def _wait(predicate, timeout: float = 90.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


def _edited_original(fake: FakeDiscord, interaction: dict) -> list:
    path = f"/webhooks/{fake.application_id}/{interaction['token']}/messages/@original"
    return [c for c in fake.calls if c.method == "PATCH" and c.path == path]


def _followups(fake: FakeDiscord, interaction: dict) -> list:
    path = f"/webhooks/{fake.application_id}/{interaction['token']}"
    return [c for c in fake.calls if c.method == "POST" and c.path == path]


async def test_two_shards_and_two_workers_answer_a_mixed_burst_exactly_once(
        digester, tmp_path, page_server, redis_server, make_article):
    fake = FakeDiscord()
    guilds = guilds_on_every_shard(fake, 2)
    await fake.start()
    base = scaled_settings(fake, redis_server.url, digester, tmp_path, shard_count=2)
    gateways = [await start_gateway(base.__class__(**{**base.__dict__, "shard_ids": (shard,)}))
                for shard in (0, 1)]
    stop = asyncio.Event()
    workers = [asyncio.create_task(work(base, stop, digester)) for _ in range(2)]
    try:
        assert all(isinstance(bot, ShardedDigestBot) for bot, _ in gateways)
        # Each gateway holds the guild of its own shard and no other.
        for (bot, _), guild in zip(gateways, guilds, strict=True):
            assert [g.id for g in bot.guilds] == [int(guild["id"])]
        assert sorted(fake.shards_identified) == [(0, 2), (1, 2)]

        messages, interactions = [], []
        paste = make_article(400)
        for number, guild in enumerate(guilds):
            news = {**guild["channels"][0], "guild_id": guild["id"]}
            for link in range(3):
                url = page_server.add(f"/scaled/{number}-{link}.html",
                                      read("wire-style-page.html"))
                messages.append(await fake.send_message(news["id"], url,
                                                        fake.user(f"reader{number}{link}"),
                                                        guild=guild))
            messages.append(await fake.send_message(news["id"], paste, fake.user("paster"),
                                                    guild=guild))
            url = page_server.add(f"/scaled/{number}-slash.html", read("wire-style-page.html"))
            interactions.append(await fake.slash(
                "summarise", [{"name": "url", "type": 3, "value": url}], fake.user("asker"),
                news, guild))

        await _wait(lambda: all(replies_in(fake, m) for m in messages)
                    and all(_edited_original(fake, i) for i in interactions),
                    what="every answer")
    finally:
        stop.set()
        done = await asyncio.gather(*workers)
        for bot, task in gateways:
            await stop_gateway(bot, task)
        await fake.close()
    # The workers have stopped: a duplicate, were there one, would be here.
    for message in messages:
        (reply,) = replies_in(fake, message)  # exactly one
        assert reply["embeds"], reply.get("content")
    for interaction in interactions:
        (edit,) = _edited_original(fake, interaction)
        assert edit.body["embeds"] and edit.body["allowed_mentions"] == {"parse": []}
        assert not _followups(fake, interaction)
    replies = [c for c in fake.calls if c.method == "POST" and "/messages" in c.path]
    assert all(c.body["allowed_mentions"] == {"parse": []} for c in replies)
    assert sum(worker.ledger.answered for worker in done) == 10
    assert sum(worker.ledger.lost for worker in done) == 0


async def test_redis_stopped_and_restarted_mid_burst(digester, tmp_path, page_server,
                                                     redis_server):
    async with scaled_run(digester, tmp_path, redis_server.url) as run:
        fake, bot = run.fake, run.bot

        async def post(name: str) -> dict:
            url = page_server.add(f"/restart/{name}.html", read("wire-style-page.html"),
                                  delay=0.3)
            return await fake.send_message(run.news["id"], url, fake.user(name),
                                           guild=run.guild)

        before = [await post(f"before-{n}") for n in range(3)]
        # Redis goes away once the gateway has queued them (the worker is mid-burst).
        await _wait(lambda: bot.ledger.accepted == 3, 30, "the first three to be queued")
        redis_server.stop()
        during = [await post(f"during-{n}") for n in range(2)]
        await _wait(lambda: all(replies_in(fake, m) for m in during), 30, "refusals")
        redis_server.start()
        after = [await post(f"after-{n}") for n in range(2)]
        await _wait(lambda: all(replies_in(fake, m) for m in before + after), 90,
                    "every answer")
    # Everything has stopped: a duplicate, were there one, would be here.
    for message in during:
        (reply,) = replies_in(fake, message)
        assert UNAVAILABLE in reply["content"] and not reply["embeds"]
    for message in before + after:
        (reply,) = replies_in(fake, message)
        assert reply["embeds"], reply.get("content")


@contextlib.asynccontextmanager
async def _gateway_alone(digester, tmp_path: Path, redis_url: str
                         ) -> AsyncIterator[tuple[FakeDiscord, dict, dict, DigestBot]]:
    """The fake Discord with one guild and a gateway on Redis, no worker in this process: the
    fake, the guild, its news channel and the gateway's bot; stopped on the way out."""
    fake = FakeDiscord()
    guild = fake.add_guild()
    await fake.start()
    bot, task = await start_gateway(scaled_settings(fake, redis_url, digester, tmp_path))
    try:
        yield fake, guild, {**guild["channels"][0], "guild_id": guild["id"]}, bot
    finally:
        await stop_gateway(bot, task)
        await fake.close()


def _worker_process(fake: FakeDiscord, redis_url: str, log: Path, **extra: str
                    ) -> subprocess.Popen:
    env = {**os.environ, "DISCORD_TOKEN": fake.token, "DISCORD_API_BASE": fake.api_base,
           "REDIS_URL": redis_url, "JOB_VISIBILITY_TIMEOUT": "2",
           "FETCH_ALLOW_NETWORKS": "127.0.0.1/32", "HF_HUB_OFFLINE": "1", "LOG_LEVEL": "INFO",
           **extra}
    return subprocess.Popen([sys.executable, "-m", "bot.worker"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=log.open("wb"))


async def test_a_worker_killed_mid_digest_its_answer_comes_from_another(
        digester, tmp_path, page_server, redis_server):
    async with _gateway_alone(digester, tmp_path, redis_server.url) as (fake, guild, news, _):
        logs = [tmp_path / "first.log", tmp_path / "second.log"]
        workers = [_worker_process(fake, redis_server.url, log) for log in logs]
        try:
            await _wait(lambda: all(b"taking jobs" in log.read_bytes() for log in logs), 60,
                        "both workers")
            path = "/killed/slow.html"
            url = page_server.add(path, read("wire-style-page.html"), delay=2.0, chunks=2)
            message = await fake.send_message(news["id"], url, fake.user("reader"), guild=guild)
            await _wait(lambda: any(path in hit for hit in page_server.hits), 30,
                        "a worker to start the digest")
            (taker,) = [n for n, log in enumerate(logs) if b"in the queue" in log.read_bytes()]
            workers[taker].send_signal(signal.SIGKILL)  # mid-digest: the page is still arriving
            workers[taker].wait(10)
            assert not replies_in(fake, message)
            await _wait(lambda: replies_in(fake, message), 90, "the answer")
            survivor = workers[1 - taker]
            survivor.send_signal(signal.SIGTERM)  # drains: nothing in hand, leaves at once
            assert survivor.wait(30) == 0
            (reply,) = replies_in(fake, message)  # every worker has stopped: exactly one
            assert reply["embeds"]
            assert sum(path in hit for hit in page_server.hits) >= 2  # digested again, once sent
            assert b"took over job" in logs[1 - taker].read_bytes()
        finally:
            for process in workers:
                if process.poll() is None:
                    process.kill()


async def test_a_worker_stopped_mid_fetch_leaves_the_job_and_exits_at_once(
        digester, tmp_path, page_server, redis_server):
    """SIGTERM while a page is still arriving, past the shutdown grace: the worker leaves the
    job for another worker and exits then, not when the fetch thread gives up (it waited for
    that thread at the interpreter's exit)."""
    async with _gateway_alone(digester, tmp_path, redis_server.url) as (fake, guild, news, _):
        log = tmp_path / "worker.log"
        worker = _worker_process(fake, redis_server.url, log, SHUTDOWN_GRACE="1")
        try:
            await _wait(lambda: b"taking jobs" in log.read_bytes(), 60, "the worker")
            path = "/stopped/slow.html"  # 12 s in two pieces, each within the read timeout
            url = page_server.add(path, read("wire-style-page.html"), delay=6.0, chunks=2)
            await fake.send_message(news["id"], url, fake.user("reader"), guild=guild)
            await _wait(lambda: path in page_server.hits, 30, "the worker to start the digest")
            stopped = time.monotonic()
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(8) == 0
            assert time.monotonic() - stopped < 6  # before the page could have arrived
            written = log.read_bytes()
            assert b"leaving it for another worker" in written and b"leaving " in written
        finally:
            if worker.poll() is None:
                worker.kill()


async def test_feeds_in_scaled_mode_a_pasted_story_gets_the_followed_feeds_headline(
        digester, tmp_path, page_server, redis_server):
    """/feeds add at a gateway; a worker polls the feed; a paste digested by a worker gets the
    feed's headline about its story; after /feeds remove it no longer does."""
    from types import SimpleNamespace

    from test_bot_feeds import NAVALNY_HEADLINE, feeds_command, world_feed

    async with scaled_run(digester, tmp_path, redis_server.url, feed_interval=2.0) as run:
        fake, guild = run.fake, run.guild
        env = SimpleNamespace(fake=fake, guild=guild, news=run.news)
        url = world_feed(page_server, "/feeds/scaled-world.xml")
        answer = await feeds_command(env, "add", [{"name": "url", "type": 3, "value": url}])
        assert f"Following **Northern Wire: World** <{url}>" in answer
        listing = ""
        for _ in range(60):  # a worker polls the feed as soon as it is followed
            listing = await feeds_command(env, "list", [])
            if "3 headlines" in listing:
                break
            await asyncio.sleep(0.5)
        assert f"Northern Wire: World <{url}>: 3 headlines" in listing

        async def related_of_paste(name: str) -> str:
            message = await fake.send_message(env.news["id"], read("lbc-amnesty-navalny.txt"),
                                              fake.user(name), guild=guild)
            await _wait(lambda: replies_in(fake, message), 60, "the digest")
            (reply,) = replies_in(fake, message)
            [embed] = reply["embeds"]
            return next((f["value"] for f in embed["fields"]
                         if f["name"] == "Related headlines"), "")

        related = await related_of_paste("reader")
        assert (f"[{NAVALNY_HEADLINE}](https://northernwire.example/world/"
                "amnesty-navalny-status) — Northern Wire: World") in related
        assert "Spain" not in related and "Premier League" not in related

        answer = await feeds_command(env, "remove", [{"name": "url", "type": 3, "value": url}])
        assert answer == f"Stopped following <{url}>."
        assert NAVALNY_HEADLINE not in await related_of_paste("reader2")


async def test_scaled_mode_dropped_connections_and_a_private_failure(
        digester, tmp_path, page_server, redis_server, make_article, monkeypatch):
    """Scaled mode on a flaky network: the worker's "typing" calls and two reply posts lose
    their connection with no HTTP answer; every message is answered exactly once and the
    worker's counters say so. A /summarise that fails is seen only by its user: the public
    "thinking…" is deleted and the reason is an ephemeral follow-up, as in single-process mode."""
    from bot import replies

    monkeypatch.setattr(replies, "BACKOFF", 0.05)
    async with scaled_run(digester, tmp_path, redis_server.url) as run:
        fake, guild, news = run.fake, run.guild, run.news
        posts = f"/channels/{news['id']}/messages"
        fake.fail_next(lambda m, p: m == "POST" and p == f"/channels/{news['id']}/typing", DROP,
                       count=4)
        fake.fail_next(lambda m, p: m == "POST" and p == posts, DROP, count=1)
        fake.fail_next(lambda m, p: m == "POST" and p == posts, DROP, count=1,
                       after_effect=True)
        messages = []
        for number in range(6):
            content = (make_article(300) if number % 2 else
                       page_server.add(f"/flaky/{number}.html", read("wire-style-page.html")))
            messages.append(await fake.send_message(news["id"], content,
                                                    fake.user(f"reader{number}"), guild=guild))
        short = await fake.slash("summarise", [{"name": "text", "type": 3,
                                                "value": "Far too short to digest."}],
                                 fake.user("asker"), news, guild)
        await _wait(lambda: all(replies_in(fake, m) for m in messages)
                    and _followups(fake, short), what="every answer")
    # The worker has stopped: nothing more can be sent.
    assert [len(replies_in(fake, m)) for m in messages] == [1] * 6
    assert all(replies_in(fake, m)[0]["embeds"] for m in messages)
    assert not any(fault.count for fault in fake.faults)
    (private,) = _followups(fake, short)
    assert private.body["flags"] & 64 and "too short" in private.body["content"]
    assert not _edited_original(fake, short)  # the public "thinking…" never shows the failure
    assert fake.find(lambda c: c.method == "DELETE" and c.path.endswith("@original"))
    assert run.worker is not None
    assert run.worker.ledger.answered == 7 and run.worker.ledger.lost == 0


async def test_a_slash_command_whose_acknowledgement_cannot_be_sent_is_counted_lost(
        digester, tmp_path, redis_server, make_article):
    """Scaled mode: Discord cannot be told of a /summarise (every try of its acknowledgement
    loses its connection). Nothing is queued, and the gateway counts the request lost with a
    LOST line: before, no counter moved."""
    async with scaled_run(digester, tmp_path, redis_server.url) as run:
        run.fake.fail_next(lambda m, p: m == "POST" and p.endswith("/callback"), DROP, count=20)
        await run.fake.slash("summarise", [{"name": "text", "type": 3,
                                            "value": make_article(300)}],
                             run.fake.user("asker"), run.news, run.guild)
        await _wait(lambda: run.bot.ledger.lost == 1, what="the request to be counted lost")
    assert (run.bot.ledger.accepted, run.bot.ledger.failed, run.bot.ledger.answered) == (1, 0, 0)
    assert run.worker is not None and run.worker.ledger.answered == 0


async def test_a_job_whose_finish_waits_out_a_redis_blip_is_not_taken_over(
        digester, tmp_path, redis_server, make_article, monkeypatch):
    """The answer is sent, then finishing the job fails for twice the visibility timeout (a
    Redis blip for this worker). Its claim is still renewed, so the other worker never takes
    the job over: one digest, one reply, counted once (the claim lapsed before, and a second
    worker digested and sent the job again)."""
    from redis.exceptions import ConnectionError as RedisConnectionError

    from bot.redis_queue import RedisQueue

    finish = RedisQueue.finish
    failing_until: list[float] = []

    async def blipping_finish(self, job):
        if not failing_until:
            failing_until.append(time.monotonic() + 4.0)  # visibility is 2 s
        if time.monotonic() < failing_until[0]:
            raise RedisConnectionError("connection reset by peer")
        await finish(self, job)

    monkeypatch.setattr(RedisQueue, "finish", blipping_finish)
    async with scaled_run(digester, tmp_path, redis_server.url) as run:
        stop = asyncio.Event()
        second = asyncio.create_task(work(run.bot.settings, stop, digester))
        try:
            message = await run.fake.send_message(run.news["id"], make_article(300),
                                                  run.fake.user("reader"), guild=run.guild)
            await _wait(lambda: failing_until and time.monotonic() > failing_until[0] + 3,
                        what="the blip to pass")
        finally:
            stop.set()
            other = await second
    assert run.worker is not None
    assert len(replies_in(run.fake, message)) == 1
    assert run.worker.ledger.answered + other.ledger.answered == 1


async def test_a_job_redis_lost_is_counted_lost_where_it_was_accepted(
        digester, tmp_path, redis_server, make_article, caplog):
    """The gateway accepts a paste and queues it; Redis then loses it (a failover to a replica
    that lagged). No worker ever sees it: the gateway, watching what it queued, logs the
    request and counts it lost (before, it stayed "accepted" for ever, with no line)."""
    import logging

    async with _gateway_alone(digester, tmp_path, redis_server.url) as (fake, guild, news, bot):
        message = await fake.send_message(news["id"], make_article(300), fake.user("reader"),
                                          guild=guild)
        await _wait(lambda: bot.ledger.accepted == 1, what="the request to be queued")
        admin = connect(redis_server.url)
        await admin.flushall()
        await admin.aclose()
        assert bot.watch is not None
        bot.watch.within = 0.0  # half an hour on, by default
        with caplog.at_level(logging.ERROR):
            assert await bot.watch.check() == 1
        assert bot.ledger.lost == 1
        assert f"request {message['id']}: no worker answered it" in caplog.text


async def test_a_worker_answers_in_the_servers_language(digester, tmp_path, redis_server):
    """Scaled mode: the gateway reads the server's locale, the answer carries it through Redis,
    and the worker's reply uses the French words (the article's own stay as written)."""
    async with scaled_run(digester, tmp_path, redis_server.url, locale="fr") as run:
        fake = run.fake
        message = await fake.send_message(run.news["id"],
                                          read("lang/liberation-nepal-fr.txt"),
                                          fake.user("lecteur"), guild=run.guild)
        await _wait(lambda: replies_in(fake, message), 90, "the answer")
    (reply,) = replies_in(fake, message)
    [embed] = reply["embeds"]
    assert "Citations clés" in {f["name"] for f in embed["fields"]}
    assert " mots → " in embed["footer"]["text"]


async def test_a_file_that_cannot_be_downloaded_is_answered_and_counted(
        digester, tmp_path, redis_server, make_article):
    """Scaled mode: the gateway reads a message's files itself. One whose download fails (the
    connection refused) is answered with a reason the user can act on, beside the digest of the
    file that could be read, and both are counted: nothing is lost without a trace."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    async with scaled_run(digester, tmp_path, redis_server.url) as run:
        fake = run.fake
        gone = {**fake.attachment("gone.txt", b"x" * 2_000),
                "url": f"http://127.0.0.1:{port}/gone.txt",
                "proxy_url": f"http://127.0.0.1:{port}/gone.txt"}
        there = fake.attachment("story.txt", make_article(300).encode())
        message = await fake.send_message(run.news["id"], "", fake.user("reader"),
                                          guild=run.guild, attachments=[gone, there])
        await _wait(lambda: replies_in(fake, message), what="the answer")
        await _wait(lambda: run.bot.ledger.answered == 1, what="the file's count")
    [reply] = replies_in(fake, message)
    assert "gone.txt" in reply["content"] and "could not download the file" in reply["content"]
    assert len(reply["embeds"]) == 1
    assert (run.bot.ledger.accepted, run.bot.ledger.lost) == (2, 0)
    assert run.worker is not None and run.worker.ledger.answered == 1


async def test_a_refusal_the_gateway_cannot_send_is_counted_lost(
        digester, tmp_path, redis_server, monkeypatch):
    """Scaled mode with Redis down: the gateway answers "temporarily unavailable" itself. When
    Discord will not take even that, the request is logged and counted as lost."""
    from bot import replies

    monkeypatch.setattr(replies, "BACKOFF", 0.05)
    async with scaled_run(digester, tmp_path, redis_server.url) as run:
        redis_server.stop()
        run.fake.fail_next(lambda m, p: m == "POST" and p.endswith("/messages"), 503, count=50)
        await run.fake.send_message(run.news["id"], "https://news.example/x",
                                    run.fake.user("reader"), guild=run.guild)
        await _wait(lambda: run.bot.ledger.lost == 1, what="the loss to be counted")
    assert (run.bot.ledger.busy, run.bot.ledger.answered) == (1, 0)
