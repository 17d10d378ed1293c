"""The Prometheus endpoint through the real bot: what a scrape shows is what the bot counts and
logs, in single-process mode and in scaled mode (a gateway and a worker over a real Redis)."""

import asyncio
import logging

import aiohttp
from bot_env import (
    scaled_run,
    start_bot,
    stop_bot,
    until,
)
from conftest import read
from prometheus_client.parser import text_string_to_metric_families

from bot.metrics import BUCKETS, Latency


async def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample the endpoint serves, by name and labels."""
    async with aiohttp.ClientSession() as session, session.get(
            f"http://127.0.0.1:{port}/metrics") as response:
        assert response.status == 200
        page = await response.text()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(page) for s in family.samples}


def requests(samples, role: str) -> dict[str, float]:
    return {dict(labels)["outcome"]: value for (name, labels), value in samples.items()
            if name == "article_digest_requests_total" and dict(labels)["role"] == role}


async def test_metrics_match_what_the_bot_counts_and_logs(digester, tmp_path, page_server,
                                                          caplog):
    env = await start_bot(digester, tmp_path, metrics_port=0)
    caplog.set_level(logging.INFO, logger="bot")
    try:
        assert env.bot.metrics is not None
        await env.turn_on(env.news)
        messages = [await env.fake.send_message(
            env.news["id"], page_server.add(f"/metrics/{n}.html", read("wire-style-page.html")),
            env.fake.user(f"reader{n}"), guild=env.guild) for n in range(2)]
        messages.append(await env.fake.send_message(  # a link that fails: answered, failed
            env.news["id"], page_server.add("/metrics/gone.html", status=404),
            env.fake.user("reader9"), guild=env.guild))
        await until(lambda: env.bot.ledger.answered == 3, 90, "three answers")
        await env.fake.send_message(  # a repeat link: answered from the cache, no digest made
            env.news["id"], page_server.url("/metrics/0.html"), env.fake.user("reader8"),
            guild=env.guild)
        await until(lambda: env.bot.ledger.answered == 4, 90, "the repeat's answer")
        samples = await scrape(env.bot.metrics.port)
    finally:
        await stop_bot(env)
    assert requests(samples, "bot") == {"accepted": 4, "busy": 0, "failed": 1, "answered": 4,
                                        "lost": 0}
    assert samples[("article_digest_reply_seconds_count", (("role", "bot"),))] == 4
    assert samples[("article_digest_digest_seconds_count", (("role", "bot"),))] == 2
    assert ("article_digest_loop_lag_seconds", (("quantile", "0.99"), ("role", "bot"))) in samples
    [stopped] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("stopped;")]
    assert "4 accepted, 0 busy, 1 failed, 4 answered, 0 lost" in stopped


async def test_metrics_of_a_gateway_and_a_worker_in_scaled_mode(digester, tmp_path, redis_server,
                                                                make_article, caplog):
    caplog.set_level(logging.INFO, logger="bot.worker")
    async with scaled_run(digester, tmp_path, redis_server.url, metrics_port=0) as run:
        fake, bot = run.fake, run.bot
        for n in range(3):
            await fake.send_message(run.news["id"], make_article(300 + 40 * n),
                                    fake.user(f"reader{n}"), guild=run.guild)
        await until(lambda: len([m for m in fake.messages.values()
                                 if m.get("message_reference")]) == 3, 90, "three answers")
        assert bot.metrics is not None
        [line] = [r.getMessage() for r in caplog.records
                  if r.name == "bot.worker" and r.getMessage().startswith("metrics on ")]
        worker_port = int(line.rsplit(":", 1)[1].split("/")[0])
        await until(lambda: not any(t.get_name().startswith("keep-")
                                    for t in asyncio.all_tasks()), 30, "the jobs to finish")
        gateway = requests(await scrape(bot.metrics.port), "gateway")
        working = requests(await scrape(worker_port), "worker")
    done = run.worker
    assert done is not None
    assert gateway["accepted"] == 3 and gateway["busy"] == 0 and gateway["answered"] == 0
    assert working["answered"] == done.ledger.answered == 3
    assert working["lost"] == done.ledger.lost == 0


def test_latency_histogram_is_cumulative():
    latency = Latency()
    for seconds in (0.05, 0.3, 0.3, 7.0, 1_000.0):
        latency.observe(seconds)
    buckets = dict(latency.cumulative())
    assert buckets[str(BUCKETS[0])] == 1 and buckets["0.5"] == 3 and buckets["10.0"] == 4
    assert buckets["+Inf"] == 5 == latency.count
    assert abs(latency.total - 1_007.65) < 1e-9


async def test_a_stuck_event_loop_shows_in_a_scrape_while_it_is_stuck():
    """A lag sample is taken only once the loop wakes: a scrape (on its own thread) during a
    stall saw a healthy p99. The stall so far is a gauge of its own, 0 while the loop runs."""
    import threading
    import time

    from bot.health import LoopMonitor
    from bot.ledger import Ledger
    from bot.metrics import BotCollector, Sources

    monitor = LoopMonitor()
    monitor.start()
    collector = BotCollector(Sources("bot", Ledger(), monitor=lambda: monitor))

    def stalled() -> float:
        [family] = [f for f in collector.collect()
                    if f.name == "article_digest_loop_stalled_seconds"]
        return family.samples[0].value

    try:
        await asyncio.sleep(0.2)
        assert stalled() == 0.0
        seen: list[float] = []
        scraper = threading.Timer(1.0, lambda: seen.append(stalled()))
        scraper.start()
        time.sleep(1.5)  # the loop is stuck (a blocking call on it)
        scraper.join()
        assert seen and seen[0] >= 0.5
        await asyncio.sleep(0.2)
        assert stalled() == 0.0
    finally:
        await monitor.stop()
