"""Scaled mode under load: gateway shards and worker processes over one real Redis (a
benchmark, not a test).

    python -m benchmarks.scaled [DATA.jsonl] [--requests 120] [--workers 1 2 4]
    python -m benchmarks.scaled --chaos [--requests 500]

For each worker count: a fresh redis-server, the tests' fake Discord, two gateway processes
(``python -m bot`` with ``SHARD_COUNT=2``), N worker processes (``python -m bot.worker``), and a
burst of link, pasted-text, message.txt and /summarise requests spread over two guilds, one on
each shard, with a queue big enough that nobody is turned away. Reports digests/s, queue wait
p50/p95 (from the workers' log), time to reply, and sent/answered/duplicated. Then the Redis
cost of one job, measured alone: offer, take, the "sent?" check, finish, one claim renewal.

``--chaos``: 2 shards, 2 workers, one worker SIGKILLed a few seconds into the burst and Redis
stopped for three seconds and started again; every request must still be answered once
(requests that arrive while Redis is down are answered "temporarily unavailable").
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fake_discord import FakeDiscord  # noqa: E402
from page_server import PageServer  # noqa: E402
from redis_server import RedisServer  # noqa: E402

from benchmarks.bot_burst import DEFAULT_DATA, KINDS, as_page, send_request  # noqa: E402
from benchmarks.speed import load_articles  # noqa: E402
from bot.health import percentile  # noqa: E402
from bot.models import DigestJob, QueuedAnswer, QueuedRequest, ReplyTarget  # noqa: E402
from bot.redis_queue import RedisQueue, connect  # noqa: E402

VISIBILITY = 5  # seconds: a killed worker's job is taken over after this


def environment(fake: FakeDiscord, redis: RedisServer, tmp: str, **extra: str) -> dict:
    return {**os.environ, "DISCORD_TOKEN": fake.token, "DISCORD_API_BASE": fake.api_base,
            "DISCORD_GATEWAY_URL": fake.gateway_url, "REDIS_URL": redis.url,
            "AUTO_DIGEST_CHANNELS": "all", "FETCH_ALLOW_NETWORKS": "127.0.0.1/32",
            "QUEUE_SIZE": "1000", "PER_USER_QUEUE": "50", "SHARD_COUNT": "2",
            "JOB_VISIBILITY_TIMEOUT": str(VISIBILITY), "HF_HUB_OFFLINE": "1",
            "LOG_LEVEL": "INFO", "PYTHONPATH": str(ROOT), "DATABASE_PATH": f"{tmp}/unused",
            **extra}


async def spawn(module: str, env: dict, log: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", module, env=env, cwd=log.parent,
        stdout=asyncio.subprocess.DEVNULL, stderr=log.open("wb"))


async def wait_for_log(log: Path, text: bytes, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_bytes():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{log.name} never said {text!r}")
        await asyncio.sleep(0.1)


def guilds_on_both_shards(fake: FakeDiscord) -> list[dict]:
    found: dict[int, dict] = {}
    while len(found) < 2:
        guild = fake.add_guild(f"Newsroom {len(fake.guilds)}")
        found.setdefault(fake.shard_of(int(guild["id"]), 2), guild)
        time.sleep(0.001)
    keep = {int(g["id"]) for g in found.values()}
    for guild_id in [g for g in fake.guilds if g not in keep]:
        del fake.guilds[guild_id]
    return [found[0], found[1]]


def tally(fake: FakeDiscord) -> tuple[Counter[str], Counter[str], dict[str, float], int]:
    """Answers per request key (message id, interaction token): messages in the channel
    (nonce repeats are one message), edits of the deferred response (repeats are one answer),
    when the first arrived, and how many carried a digest."""
    answers: Counter[str] = Counter()
    repeats: Counter[str] = Counter()
    first: dict[str, float] = {}
    digests = 0
    for message in fake.messages.values():
        ref = (message.get("message_reference") or {}).get("message_id")
        if message["author"]["id"] == fake.bot_user["id"] and ref:
            answers[str(ref)] += 1
            digests += bool(message.get("embeds"))
    for call in fake.calls:
        body = call.body or {}
        if call.status != 200:
            continue
        if call.method == "POST" and call.path.endswith("/messages"):
            ref = str((body.get("message_reference") or {}).get("message_id", ""))
            first.setdefault(ref, call.at)
        elif call.method == "PATCH" and call.path.endswith("/messages/@original"):
            token = call.path.split("/")[3]
            repeats[token] += 1
            if token not in first:
                answers[token] += 1
                digests += bool(body.get("embeds"))
                first[token] = call.at
        elif call.method == "POST" and call.path.startswith("/webhooks/"):
            token = call.path.split("/")[3]  # refusals go out as follow-ups
            answers[token] += 1
            first.setdefault(token, call.at)
    return answers, repeats, first, digests


async def burst(args: argparse.Namespace, workers: int, chaos: bool) -> dict:
    texts = load_articles(args.data, 60, max_words=1200)
    pages = PageServer()
    urls = [pages.add(f"/story/{i}.html", as_page(t, i)) for i, t in enumerate(texts[:40])]
    fake = FakeDiscord()
    guilds = guilds_on_both_shards(fake)
    await fake.start()
    with TemporaryDirectory() as tmp:
        redis = RedisServer(Path(tmp) / "redis")
        redis.start()
        env = environment(fake, redis, tmp)
        gateways = [await spawn("bot", {**env, "SHARD_IDS": str(shard)},
                                Path(tmp) / f"gateway-{shard}.log") for shard in (0, 1)]
        workers_up = [await spawn("bot.worker", env, Path(tmp) / f"worker-{n}.log")
                      for n in range(workers)]
        for shard in (0, 1):
            await wait_for_log(Path(tmp) / f"gateway-{shard}.log", b"ready as")
        for n in range(workers):
            await wait_for_log(Path(tmp) / f"worker-{n}.log", b"taking jobs")
        await asyncio.sleep(1.0)
        sent: list[tuple[str, float, str]] = []
        users = [fake.user(f"user{i}") for i in range(60)]
        chaos_task = asyncio.create_task(make_chaos(workers_up[0], redis)) if chaos else None
        for i in range(args.requests):
            guild = guilds[i % 2]
            channel = {**guild["channels"][0], "guild_id": guild["id"]}
            user = users[i % len(users)]
            kind = KINDS[(i // 2) % len(KINDS)]  # each kind in both guilds
            at = time.monotonic()
            key = await send_request(fake, kind, i, channel, guild, user, urls, texts)
            sent.append((kind, at, key))
            await asyncio.sleep(args.gap)
        keys = {key for _, _, key in sent}
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            answers, _, _, _ = tally(fake)
            if all(answers[key] for key in keys):
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(2.0)  # late duplicates, if any, would land now
        if chaos_task is not None:
            await chaos_task
        answers, repeats, first, digests = tally(fake)
        for process in gateways + workers_up:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in gateways + workers_up:
            await asyncio.wait_for(process.wait(), 60)
        logs = "".join((Path(tmp) / name).read_text(errors="replace")
                       for name in os.listdir(tmp) if name.endswith(".log"))
        redis.stop()
    await fake.close()
    pages.close()
    waits = [float(ms) / 1000 for ms in re.findall(r"taken after (\d+) ms in the queue", logs)]
    latencies = [first[key] - at for _, at, key in sent if key in first]
    span = max(first.values(), default=0) - min(at for _, at, _ in sent)
    return {
        "workers": workers, "sent": len(sent),
        "answered": sum(1 for key in keys if answers[key]),
        "duplicated": sum(1 for key in keys if answers[key] > 1),
        "repeated_edits": sum(1 for key in keys if repeats[key] > 1),
        "digests": digests, "unavailable": logs.count("redis unreachable: "),
        "took_over": logs.count("took over job"),
        "throughput": digests / span if span > 0 else 0.0,
        "wait_p50": percentile(waits, 50), "wait_p95": percentile(waits, 95),
        "reply_p50": percentile(latencies, 50), "reply_p95": percentile(latencies, 95),
    }


async def make_chaos(victim: asyncio.subprocess.Process, redis: RedisServer) -> None:
    await asyncio.sleep(4.0)
    victim.send_signal(signal.SIGKILL)
    print("chaos: killed a worker mid-burst")
    await asyncio.sleep(3.0)
    await asyncio.to_thread(redis.stop)
    print("chaos: Redis stopped")
    await asyncio.sleep(3.0)
    await asyncio.to_thread(redis.start)
    print("chaos: Redis started again")


async def redis_overhead(jobs: int = 1000) -> tuple[float, float, float]:
    """Milliseconds of Redis work per job, alone, as the client sees it: offer, take, sent?,
    one renewal, finish; the same with a 1-request JSON job of a 5,000-character pasted text;
    and Redis's own time per job in microseconds (``INFO commandstats``), which is what bounds
    how many jobs one Redis can serve."""
    results = []
    server_usec = 0.0
    with TemporaryDirectory() as tmp:
        server = RedisServer(Path(tmp) / "redis")
        server.start()
        client = connect(server.url)
        try:
            for text in ("https://example.com/a", "word " * 1000):
                queue = RedisQueue(client, size=jobs + 1, per_user=jobs + 1, prefix=f"b{len(text)}")
                await queue.ensure_group()
                kind = "url" if text.startswith("http") else "text"
                request = QueuedRequest(DigestJob(kind, text), "x", "k")
                await client.config_resetstat()
                started = time.perf_counter()
                for n in range(jobs):
                    answer = QueuedAnswer(str(n), 1, ReplyTarget(1, 2, message_id=3),
                                          (request,), (), time.time())
                    await queue.offer(answer)
                    job = await queue.take("bench", block=0.01)
                    assert job is not None
                    await queue.sent(job)
                    await queue.keep("bench", job)
                    await queue.finish(job)
                results.append((time.perf_counter() - started) / jobs * 1000)
                stats = await client.info("commandstats")
                server_usec = max(server_usec, sum(float(v["usec"]) for v in stats.values())
                                  / jobs)
        finally:
            await client.aclose()
            server.stop()
    return results[0], results[1], server_usec


def report(result: dict) -> None:
    print(f"workers {result['workers']}: sent {result['sent']}, answered {result['answered']}, "
          f"duplicated {result['duplicated']} (repeated edits of one answer: "
          f"{result['repeated_edits']}), digests {result['digests']}, answered "
          f"\"temporarily unavailable\" {result['unavailable']}")
    print(f"  throughput {result['throughput']:.2f} digests/s; queue wait p50 "
          f"{result['wait_p50']:.2f} s, p95 {result['wait_p95']:.2f} s; reply p50 "
          f"{result['reply_p50']:.2f} s, p95 {result['reply_p95']:.2f} s; jobs taken over "
          f"{result['took_over']}")


async def main_async(args: argparse.Namespace) -> None:
    if args.redis_only:
        args.workers = []
    if args.chaos:
        result = await burst(args, 2, chaos=True)
        report(result)
        ok = result["answered"] == result["sent"] and result["duplicated"] == 0
        print(f"chaos: sent = answered: {result['answered'] == result['sent']}, "
              f"0 duplicated: {result['duplicated'] == 0} -> {'PASS' if ok else 'FAIL'}")
        return
    results = []
    for workers in args.workers:
        results.append(await burst(args, workers, chaos=False))
        report(results[-1])
    base = results[0]["throughput"] if results else 0.0
    for result in results[1:]:
        print(f"{result['workers']} workers: {result['throughput'] / base:.2f}x one worker"
              if base else "")
    plain, pasted, server = await redis_overhead()
    print(f"Redis per job (offer, take, sent?, renew, finish; 6 round trips): "
          f"{plain:.2f} ms for a link, {pasted:.2f} ms for a 5,000-character paste, as the "
          f"client sees it; Redis's own time {server:.0f} us a job, so one Redis core serves "
          f"about {1e6 / server:,.0f} jobs/s" if server else "")


def main() -> None:
    """``python -m benchmarks.scaled``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--requests", type=int, default=None)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--gap", type=float, default=None,
                        help="seconds between two requests of the burst (default 0.01; "
                             "--chaos: 0.04, so that the burst spans the faults)")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--chaos", action="store_true")
    parser.add_argument("--redis-only", action="store_true",
                        help="only the Redis cost of one job")
    args = parser.parse_args()
    if args.requests is None:
        args.requests = 500 if args.chaos else 120
    if args.gap is None:
        args.gap = 0.04 if args.chaos else 0.01
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
