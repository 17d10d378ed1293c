"""python -m bot.worker: a worker process of scaled mode (``REDIS_URL`` set).

Takes answers from the Redis queue (``bot/redis_queue.py``), digests their requests with its own
model, renders the digests and sends the reply through Discord's REST API (``send_answer``): it
needs no gateway connection, so a reply does not depend on the gateway process that received
the request. Run as many as the hosts have cores, on any host that reaches Redis and Discord.
The workers also poll the feeds servers follow (``bot/storage/redis.py``).

One job at a time: the model is CPU-bound, one process per core is the unit of scale. While it
digests, the worker renews its claim on the job; if it dies, another worker takes the job over
after ``JOB_VISIBILITY_TIMEOUT`` seconds and answers it. A job that took down ``MAX_DELIVERIES``
workers is answered with an error instead of being tried again.

SIGTERM or SIGINT: take no new job, finish the one in hand within ``SHUTDOWN_GRACE`` seconds,
leave. A job not finished by then stays in Redis for another worker. Redis down: the worker
waits and tries again (with backoff), and carries on when Redis is back.

Exit codes as for ``python -m bot``: 78 for a configuration error (no token, no ``REDIS_URL``,
a model that cannot load), 1 when Discord refuses the token.
"""

from __future__ import annotations

from bot.threads import one_thread_each

one_thread_each()  # before numpy loads: see bot/threads.py

import asyncio  # noqa: E402
import contextlib  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import discord  # noqa: E402
from redis.asyncio import Redis  # noqa: E402
from redis.exceptions import RedisError  # noqa: E402

from bot.__main__ import EX_CONFIG, leave, read_settings, usage  # noqa: E402
from bot.app import use_endpoints  # noqa: E402
from bot.config import BotSettings  # noqa: E402
from bot.feeds import FeedIndex, FeedPoller  # noqa: E402
from bot.health import LoopMonitor  # noqa: E402
from bot.jobs import ThreadRunner, WorkerCrashed  # noqa: E402
from bot.ledger import Ledger, Ticket  # noqa: E402
from bot.logs import configure_logging  # noqa: E402
from bot.metrics import MetricsServer, Sampled, Sources  # noqa: E402
from bot.models import QueuedAnswer  # noqa: E402
from bot.redis_queue import (  # noqa: E402
    MAX_DELIVERIES,
    RedisQueue,
    Taken,
    connect,
    consumer_name,
    queue_age,
)
from bot.replies import Outcome, answer_with, typing_shown  # noqa: E402
from bot.service import DigestService, cache_key  # noqa: E402
from bot.storage.redis import FeedSync, RedisFeeds, RedisState  # noqa: E402
from bot.workqueue import Busy, cancel_requested  # noqa: E402
from summariser.digest import Digester  # noqa: E402
from summariser.errors import DigestError  # noqa: E402
from summariser.models import Digest  # noqa: E402

log = logging.getLogger("bot.worker")

RETRY_MAX = 10.0  # seconds between two tries at an unreachable Redis, at most


class Worker:
    """Takes answers from the queue, one at a time, and sends each exactly once."""

    def __init__(self, settings: BotSettings, service: DigestService, queue: RedisQueue,
                 state: RedisState, client: discord.Client, feeds: FeedSync | None = None,
                 consumer: str | None = None) -> None:
        self.settings = settings
        self.service = service
        self.feeds = feeds
        self.queue = queue
        self.state = state
        self.client = client
        self.consumer = consumer or consumer_name()
        self.ledger = Ledger()

    async def run(self, stop: asyncio.Event) -> None:
        """Take and answer jobs until ``stop`` is set; Redis failures wait and retry."""
        delay = 0.5
        while not stop.is_set():
            try:
                job = await self.queue.take(self.consumer, block=1.0)
            except RedisError as exc:
                if cancel_requested():
                    raise asyncio.CancelledError from exc
                log.warning("redis unreachable (%s); trying again in %.1f s", exc, delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
                delay = min(RETRY_MAX, delay * 2)
                continue
            delay = 0.5
            if job is None:
                if cancel_requested():
                    raise asyncio.CancelledError
                continue
            try:
                await self.handle(job)
            except Exception:  # a bug must not stop the worker: the job stays in Redis, and
                # is taken again after the visibility timeout (and answered with an error after
                # MAX_DELIVERIES)
                log.exception("request %s: handling the job failed", job.answer.id)

    async def handle(self, job: Taken) -> None:
        """Answer ``job`` (unless it was already answered), then finish it in Redis."""
        answer = job.answer
        log.info("request %s: taken after %.0f ms in the queue (delivery %d)", answer.id,
                 queue_age(answer) * 1000, job.deliveries)
        # The claim is renewed until the job is finished, not only until it is answered: a
        # Redis blip while finishing would otherwise let another worker take it over and, the
        # "done" marker not yet set, digest and send it again.
        keeper = asyncio.create_task(self._keep(job), name=f"keep-{answer.id}")
        try:
            if await self._sent(job):
                log.info("request %s: already answered by another worker", answer.id)
            else:
                await self._answer(job)
            await self._finish(job)
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper

    async def _sent(self, job: Taken) -> bool:
        """Was the answer already sent? When Redis cannot say, answer anyway: sending twice is
        harmless (the nonce, the edit), not answering is not."""
        try:
            return await self.queue.sent(job)
        except RedisError as exc:
            log.warning("request %s: could not check whether it was answered (%s); answering",
                        job.answer.id, exc)
            return False

    async def _keep(self, job: Taken) -> None:
        """Renew the claim on ``job`` a few times per visibility timeout."""
        every = max(0.2, self.queue.visibility / 3)
        while True:
            await asyncio.sleep(every)
            try:
                await self.queue.keep(self.consumer, job)
            except RedisError as exc:
                if cancel_requested():
                    raise asyncio.CancelledError from exc
                log.warning("could not renew the claim on job %s: %s", job.entry_id, exc)
            if cancel_requested():
                raise asyncio.CancelledError

    async def _answer(self, job: Taken) -> None:
        answer = job.answer
        tickets = [Ticket(f"{answer.id}.{n}", r.job.kind) for n, r in enumerate(answer.requests)]
        typing = (contextlib.nullcontext() if answer.target.message_id is None else
                  typing_shown(lambda: self.client.http.send_typing(answer.target.channel_id),
                               answer.id))
        outcomes: list[Outcome] = []
        async with typing:
            for number, (request, ticket) in enumerate(zip(answer.requests, tickets,
                                                           strict=True)):
                result: Digest | BaseException
                if number >= job.taken:
                    result = Busy("the queue is full")
                elif job.deliveries > MAX_DELIVERIES:
                    result = WorkerCrashed("it crashed the digest worker more than once; the "
                                           "admins can see why in the log")
                else:
                    result = await self._digest(answer, number)
                outcomes.append((request.label, ticket, result))
        delivered, _ = await answer_with(self.client, answer.target, answer.id, outcomes,
                                         answer.notes)
        self.ledger.settle(tickets, delivered)

    async def _digest(self, answer: QueuedAnswer, number: int) -> Digest | BaseException:
        """One request's digest (from the shared cache for a link seen lately), or why not."""
        request = answer.requests[number]
        guild_id = answer.target.guild_id
        scope = answer.target.scope
        key = cache_key(request.key, guild_id, scope) if request.job.kind == "url" else None
        cached = await self.state.cached(key) if key else None
        if cached is not None:
            return cached
        if guild_id is not None and self.feeds is not None:
            await self.feeds.refresh()  # the server's feed headlines, as Redis has them now
        try:
            digest = await self.service.digest(request, guild_id, f"{answer.id}.{number}",
                                               scope)
        except Exception as exc:  # every failure is answered; failure_line logs unexpected ones
            return exc
        if key:
            await self.state.cache(key, digest)
        return digest

    async def _finish(self, job: Taken) -> None:
        """Acknowledge ``job``, waiting out a Redis that is down: until it is back, another
        worker would take the job over and find its answer already sent (nonce, edit)."""
        delay = 0.5
        while True:
            try:
                await self.queue.finish(job)
                return
            except RedisError as exc:
                if cancel_requested():
                    raise asyncio.CancelledError from exc
                log.warning("could not finish job %s (%s); trying again in %.1f s",
                            job.entry_id, exc, delay)
                await asyncio.sleep(delay)
                delay = min(RETRY_MAX, delay * 2)


async def work(settings: BotSettings, stop: asyncio.Event,
               digester: Digester | None = None) -> Worker:
    """Start a worker: its model, Redis, Discord's REST API; answer jobs until ``stop``.
    Whatever it opened is closed on every way out, a failed start included."""
    use_endpoints(settings.api_base, settings.gateway_url)
    runner = ThreadRunner(digester or Digester(settings.summariser))
    client: discord.Client | None = None
    redis: Redis | None = None
    poller: FeedPoller | None = None
    metrics: MetricsServer | None = None
    monitor = LoopMonitor()
    try:
        started = time.perf_counter()
        await runner.start()
        log.info("model ready in %.1f s", time.perf_counter() - started)
        client = discord.Client(intents=discord.Intents.none(),
                                allowed_mentions=discord.AllowedMentions.none())
        redis = connect(settings.redis_url.reveal())
        await client.login(settings.token.reveal())  # REST only: no gateway connection
        queue = RedisQueue(redis, size=settings.queue_size, per_user=settings.per_user_queue,
                           visibility=settings.job_visibility)
        depth = Sampled(queue.depth)  # the queue's depth, for the metrics
        state = RedisState(redis, cache_ttl=settings.cache_ttl,
                           history_days=settings.history_days)
        feeds = RedisFeeds(redis)
        index = FeedIndex()
        # Feeds are polled by the workers (each due feed claimed by one), on the same thread
        # as the digests, and matched from each worker's own copy of the headlines.
        poller = FeedPoller(feeds, runner, index, settings.feed_interval,
                            settings.feed_keep_days)
        await _until_reachable(queue, stop)
        with contextlib.suppress(RedisError):  # housekeeping: another start will do it
            if removed := await queue.prune(consumer_name()):
                log.info("removed %d consumer(s) of workers long gone", removed)
        worker = Worker(settings, DigestService(settings, runner, None, state, index), queue,
                        state, client, FeedSync(feeds, index))
        log.info("worker %s taking jobs", worker.consumer)
        monitor.start()
        if settings.metrics_port is not None:
            depth.start()
            metrics = MetricsServer.start(
                settings.metrics_port, settings.metrics_host,
                Sources("worker", worker.ledger, monitor=lambda: monitor,
                        depth=lambda: depth.value, poller=lambda: poller))
            log.info("metrics on http://%s:%d/metrics", settings.metrics_host, metrics.port)
        task = asyncio.create_task(worker.run(stop), name="worker")
        poller.start()
        await stop.wait()
        await poller.stop()
        try:
            await asyncio.wait_for(asyncio.shield(task), settings.shutdown_grace)
        except TimeoutError:
            log.warning("the job in hand overran %.0f s; leaving it for another worker",
                        settings.shutdown_grace)
            task.cancel()
        with contextlib.suppress(RedisError, asyncio.CancelledError):
            await task
            await queue.leave(worker.consumer)
        log.info("stopped; %s; %s", worker.ledger.summary(), monitor.summary())
        return worker
    finally:
        if metrics is not None:
            await depth.stop()
            await asyncio.to_thread(metrics.close)  # waits out a serve loop tick
        await monitor.stop()
        if poller is not None:
            await poller.stop()
        runner.stop()
        if client is not None:
            await client.close()
        if redis is not None:
            await redis.aclose()


async def _until_reachable(queue: RedisQueue, stop: asyncio.Event) -> None:
    """Create the consumer group, waiting for Redis if it is not up yet."""
    delay = 0.5
    while not stop.is_set():
        try:
            await queue.ensure_group()
            return
        except RedisError as exc:
            log.warning("redis unreachable (%s); trying again in %.1f s", exc, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(RETRY_MAX, delay * 2)


async def _serve(settings: BotSettings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await work(settings, stop)


def main(argv: list[str] | None = None) -> int:
    """``python -m bot.worker``: read the settings (REDIS_URL is required), work until
    SIGTERM."""
    usage("python -m bot.worker", "Run an article-digest worker: it takes digests to make "
          "from Redis (REDIS_URL) and answers on Discord.", argv)
    settings = read_settings("article-digest worker")
    if settings is None:
        return EX_CONFIG
    if not settings.scaled:
        print("article-digest worker: REDIS_URL is not set: workers take their jobs from "
              "Redis (without it, python -m bot digests in its own processes)", file=sys.stderr)
        return EX_CONFIG
    configure_logging(settings.log_level)
    code = 0
    try:
        asyncio.run(_serve(settings))
    except discord.LoginFailure:
        log.error("Discord refused the token (DISCORD_TOKEN): check it in the developer portal")
        code = 1
    except DigestError as exc:
        log.error("the summariser cannot start: %s", exc.reason)
        code = EX_CONFIG
    return leave(code)


if __name__ == "__main__":
    sys.exit(main())
