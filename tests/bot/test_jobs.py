"""Worker processes: each loads the model once; a burst is answered exactly once, also when a
worker is killed in the middle of a digest (its pool is replaced and the job run again)."""

import asyncio
import os
import signal
import time

from bot_env import start_bot, stop_bot, until
from conftest import read
from test_bot_faults import replies_to, wait_answered


async def test_two_workers_answer_a_burst_once_each_even_when_one_is_killed(
    digester, tmp_path, page_server
):
    env = await start_bot(digester, tmp_path, processes=2, queue_size=20, per_user_queue=3)
    try:
        before = env.bot.runner.pids()
        assert len(before) == 2 and os.getpid() not in before
        await env.turn_on(env.news)
        messages = []
        for i in range(6):
            url = page_server.add(f"/workers/{i}.html", read("wire-style-page.html"),
                                  delay=0.2, chunks=3)
            messages.append(await env.fake.send_message(
                env.news["id"], url, env.fake.user(f"reader{i}"), guild=env.guild))
        deadline = time.monotonic() + 60
        while not any(h.startswith("/workers/") for h in page_server.hits):
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
        os.kill(before[0], signal.SIGKILL)  # a worker dies in the middle of its digest
        await wait_answered(env.fake, messages)
        # Every answer is done (counted): a duplicate would be in the channel by now.
        await until(lambda: env.bot.ledger.answered + env.bot.ledger.lost >= 6, 60,
                    "every answer to be counted")
        for message in messages:
            [reply] = replies_to(env.fake, message)
            assert reply["embeds"][0]["title"].startswith("Dutch court")
        after = env.bot.runner.pids()
        assert len(after) == 2 and before[0] not in after
        assert env.bot.ledger.answered == 6 and env.bot.ledger.lost == 0
    finally:
        await stop_bot(env)


def test_workers_setting():
    import pytest

    from bot.config import BotSettings

    assert BotSettings.from_env({"DISCORD_TOKEN": "t", "WORKERS": "0"}).workers == 0
    assert 1 <= BotSettings.from_env({"DISCORD_TOKEN": "t"}).workers <= 8
    with pytest.raises(ValueError, match="WORKERS"):
        BotSettings.from_env({"DISCORD_TOKEN": "t", "WORKERS": "-1"})


async def test_worker_processes_log_no_fetched_address_nor_its_query(
        settings, page_server, capfd, caplog, tmp_path):
    """A feed's address may carry an API key in its query. httpx logs every request's address
    at INFO: the bot keeps it at WARNING, and so does each digest worker process; the poll's
    own log line shows the address without its query."""
    import logging

    from test_bot_feeds import world_feed

    from bot.feeds import FeedIndex, FeedPoller
    from bot.jobs import ProcessRunner
    from bot.storage.sqlite import Store

    caplog.set_level(logging.INFO)
    url = world_feed(page_server, "/feeds/keyed.xml?api_key=SECRET123")
    runner = ProcessRunner(settings, 1)
    await runner.start()
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        await store.follow(7, url, 20)
        poller = FeedPoller(store, runner, FeedIndex(), interval=60, keep_days=7)
        assert len((await poller.poll(url)).items) == 3
    finally:
        runner.stop()
        await store.close()
    written = capfd.readouterr().err + caplog.text
    assert "keyed.xml?…" in caplog.text
    assert "SECRET123" not in written


def _digest_or_crash(job: str) -> str:
    """In a worker process: end the process for the job "poison" (as a native crash would),
    take a second over any other."""
    if job == "poison":
        os._exit(1)
    time.sleep(1.0)
    return job


async def test_a_job_that_crashes_its_worker_twice_fails_alone(settings):
    """A crash breaks the whole pool, so every job in it fails once; tried again in turns, only
    the job that crashes it again fails, and the others are done."""
    from bot.jobs import ProcessRunner, WorkerCrashed

    runner = ProcessRunner(settings, 2)
    await runner.start()
    try:
        results = await asyncio.gather(
            *(runner._call(_digest_or_crash, job) for job in ("first", "poison", "third")),
            return_exceptions=True)
    finally:
        runner.stop()
    assert results[0] == "first" and results[2] == "third"
    assert isinstance(results[1], WorkerCrashed)
