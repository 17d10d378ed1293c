"""The bot: owns the store, the work queue, the digest service, the feed poller and the cogs;
closes gracefully.

In scaled mode (``REDIS_URL``) this process is a gateway: it owns the Redis queue and state
instead, loads no model, and queues each answer for the worker processes (``bot/worker.py``);
``ShardedDigestBot`` runs the shards ``SHARD_IDS`` of ``SHARD_COUNT``. Feeds work in scaled mode
through Redis too: gateways keep the follows, workers poll the feeds and match digests.

Two ways down. ``shutdown()`` is the graceful one (SIGTERM): stop accepting, let the digest in
progress finish, answer what is queued, all within ``SHUTDOWN_GRACE`` seconds, then ``close()``.
``close()`` is the teardown that always runs, also when start-up fails half way (``async with
bot`` calls it): queue, feed poller and workers, loop monitor, database, then the Discord
connection. Each step is bounded and runs once, whatever state the bot is in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

import discord
import yarl
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket

from bot.config import BotSettings
from bot.feeds import FeedIndex, FeedPoller
from bot.health import LoopMonitor
from bot.jobs import ProcessRunner, Runner, ThreadRunner, read_feed
from bot.ledger import Ledger
from bot.locale import interaction_language, words
from bot.metrics import MetricsServer, Sampled, Sources
from bot.models import FeedJob, FeedUpdate
from bot.replies import Undelivered, respond
from bot.service import DigestService
from bot.storage import FeedStore, Switches
from bot.storage.sqlite import Store
from bot.workqueue import WorkQueue
from summariser.digest import Digester

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from bot.redis_queue import AnswerWatch, RedisQueue
    from summariser.fetch import Fetcher

log = logging.getLogger(__name__)

COGS = ("bot.cogs.summaries", "bot.cogs.settings", "bot.cogs.feeds")


def use_endpoints(api_base: str, gateway_url: str) -> None:
    """Point discord.py at a Discord-compatible API and gateway instead of discord.com."""
    if api_base:
        discord.http.Route.BASE = api_base.rstrip("/")
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


class DigestTree(app_commands.CommandTree["DigestBot"]):
    """The bot's slash commands and context menu; each runs in a task the bot tracks as it
    tracks the answers to messages, so that shutting down waits for it; a command that fails
    unexpectedly is logged and its user told so, privately."""

    async def interaction_check(self, interaction: discord.Interaction[DigestBot]) -> bool:
        """Track the task running this command (discord.py's own, which it keeps no
        reference to) until it ends: ``DigestBot.shutdown`` waits for it."""
        task = asyncio.current_task()
        if task is not None:
            self.client.track(task)
        return True

    async def on_error(self, interaction: discord.Interaction[DigestBot],
                       error: app_commands.AppCommandError) -> None:
        """Log the failure and tell the user, privately, that it was logged."""
        name = interaction.command.name if interaction.command else "?"
        log.error("command %s failed", name, exc_info=error)
        try:
            await respond(interaction, ephemeral=True,
                          content=words(interaction_language(interaction)).internal.capitalize())
        except (discord.HTTPException, Undelivered):
            log.exception("could not report the error to the user")


class DigestBot(commands.Bot):
    """The bot: reads messages and commands (the cogs), digests through ``DigestService``,
    answers every request it accepted, and shuts down without losing one.

    ``options`` go to ``commands.Bot`` as they are (e.g. ``guild_ready_timeout``)."""

    def __init__(self, settings: BotSettings, digester: Digester | None = None,
                 **options: Any) -> None:
        intents = discord.Intents.default()
        intents.message_content = True  # privileged: enable it in the developer portal
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            tree_cls=DigestTree,
            **options,
        )
        self.settings = settings
        use_endpoints(settings.api_base, settings.gateway_url)
        # Digests run in WORKERS processes, each with its model; in a thread of this process
        # when WORKERS=0 or when a Digester is handed in (the tests share one loaded model);
        # in scaled mode, in the worker processes of any host.
        self.runner: Runner | None
        if settings.scaled:
            self.runner = None
        elif digester is not None:
            self.runner = ThreadRunner(digester, max(1, settings.workers))
        elif settings.workers == 0:
            self.runner = ThreadRunner(Digester(settings.summariser))
        else:
            self.runner = ProcessRunner(settings.summariser, settings.workers)
        self.accepting = False
        self.model_load_seconds: float | None = None
        self.ledger = Ledger()
        self.store: Store | None = None
        self.switches: Switches | None = None  # per-channel auto-digest switches
        self.feed_store: FeedStore | None = None  # the follows: SQLite, or Redis when scaled
        self.queue: WorkQueue | None = None
        self.remote: RedisQueue | None = None  # scaled mode's queue
        self.watch: AnswerWatch | None = None  # scaled mode: answers queued, until finished
        self._watching: asyncio.Task[None] | None = None
        self._redis: Redis | None = None
        self._fetcher: Fetcher | None = None  # scaled mode: /feeds add reads the feed here
        self.monitor: LoopMonitor | None = None
        self.feeds = FeedIndex()
        self.poller: FeedPoller | None = None
        self._reporter: asyncio.Task[None] | None = None
        self.metrics: MetricsServer | None = None
        self._remote_depth: Sampled | None = None  # scaled mode: the queue in Redis
        self._answers: set[asyncio.Task[Any]] = set()
        self._torn_down = False

    async def setup_hook(self) -> None:
        """Open the store, start the workers and load the model, then the cogs: READY
        means ready to answer."""
        if self.settings.scaled:
            await self._setup_gateway()
            return
        assert self.runner is not None
        self.queue = WorkQueue(self.settings.queue_size, self.settings.per_user_queue,
                               max(1, self.settings.workers))
        self.store = await Store.open(self.settings.database_path,
                                      history_days=self.settings.history_days)
        self.switches = self.feed_store = self.store
        await self.store.forget_older_than(self.settings.history_days)
        await self.feeds.load(self.store)
        self.service = DigestService(self.settings, self.runner, self.queue, self.store,
                                     self.feeds)
        self.poller = FeedPoller(self.store, self.runner, self.feeds,
                                 self.settings.feed_interval, self.settings.feed_keep_days)
        # The model loads before we connect, so READY means ready to answer.
        started = time.perf_counter()
        await self.runner.start()
        self.model_load_seconds = time.perf_counter() - started
        log.info("model ready in %.1f s", self.model_load_seconds)
        await self._load_cogs(COGS)
        self.queue.start()
        self.poller.start()
        self._start_monitor()

    async def _setup_gateway(self) -> None:
        """Scaled mode: Redis (the queue and the shared state), the cogs; no model here.
        Redis must answer at start-up (the channel switches are read from it); later, while it
        is down, requests are answered "temporarily unavailable"."""
        from bot.redis_queue import AnswerWatch, RedisQueue, connect
        from bot.storage.redis import RedisFeeds, RedisState

        self._redis = connect(self.settings.redis_url.reveal())
        self.remote = RedisQueue(self._redis, size=self.settings.queue_size,
                                 per_user=self.settings.per_user_queue,
                                 visibility=self.settings.job_visibility)
        await self.remote.ensure_group()
        self.watch = AnswerWatch(self.remote, self.ledger)
        self._watching = asyncio.create_task(self.watch.run(), name="answers-queued")
        self.switches = await RedisState.open(self._redis, cache_ttl=self.settings.cache_ttl,
                                              history_days=self.settings.history_days)
        self.feed_store = RedisFeeds(self._redis)
        log.info("gateway on Redis: shards %s of %s", self.settings.shard_ids or "all",
                 self.settings.shard_count or 1)
        await self._load_cogs(COGS)
        self._start_monitor()

    async def _load_cogs(self, cogs: tuple[str, ...]) -> None:
        for cog in cogs:
            await self.load_extension(cog)
        if self.settings.sync_commands:
            synced = await self.tree.sync()
            log.info("synced %d application commands", len(synced))

    def _start_monitor(self) -> None:
        """Watch the loop, log the counters now and then (and serve them, with
        ``METRICS_PORT``), and start accepting."""
        self.monitor = LoopMonitor()
        self.monitor.start()
        self._reporter = asyncio.create_task(self._report(), name="counters")
        if self.settings.metrics_port is not None:
            if self.remote is not None:
                self._remote_depth = Sampled(self.remote.depth)
                self._remote_depth.start()
            self.metrics = MetricsServer.start(
                self.settings.metrics_port, self.settings.metrics_host,
                Sources("gateway" if self.remote is not None else "bot", self.ledger,
                        monitor=lambda: self.monitor, depth=self._depth,
                        poller=lambda: self.poller))
            log.info("metrics on http://%s:%d/metrics", self.settings.metrics_host,
                     self.metrics.port)
        self.accepting = True

    def _depth(self) -> int:
        """Requests queued or in progress: this process's queue, or Redis's as last sampled."""
        if self.queue is not None:
            return self.queue.waiting + self.queue.running
        return self._remote_depth.value if self._remote_depth is not None else 0

    async def _report(self, every: float = 600.0) -> None:
        """Log the request counters now and then, when they changed."""
        last = ""
        while True:
            await asyncio.sleep(every)
            summary = self.ledger.summary()
            if summary != last:
                log.info("%s; %s", summary, self.monitor.summary() if self.monitor else "")
                last = summary

    async def on_ready(self) -> None:
        """Log who we are and in how many servers."""
        log.info("ready as %s (%s) in %d servers", self.user, getattr(self.user, "id", "?"),
                 len(self.guilds))

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: the Summaries cog listens to messages itself."""

    def auto_digest_on(self, channel_id: int | None, parent_id: int | None = None) -> bool:
        """Are automatic digests on in the channel ``channel_id``? Its stored switch; for a
        thread (a forum's post too) with none of its own, its parent channel's (``parent_id``);
        else the default."""
        if channel_id is None or self.switches is None:
            return False
        for channel in (channel_id, parent_id):
            stored = self.switches.auto_digest(channel) if channel is not None else None
            if stored is not None:
                return stored
        return self.settings.auto_digest_all or not self.settings.auto_digest_channels.isdisjoint(
            {channel_id, parent_id})

    async def check_feed(self, job: FeedJob) -> FeedUpdate:
        """Poll a feed once, for ``/feeds add``: through the workers (with its headlines'
        vectors), or in scaled mode here, in a thread, without them (a gateway loads no model;
        a worker polls the feed as soon as it is followed). DigestError says why it failed."""
        if self.runner is not None:
            return await self.runner.poll(job)
        if self._fetcher is None:
            from summariser.fetch import Fetcher

            self._fetcher = Fetcher(self.settings.summariser)
        update, _ = await asyncio.to_thread(read_feed, self._fetcher, job)
        return update

    def answer(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run ``coro`` (the answer to one message) as a task that ``shutdown`` waits for."""
        self.track(asyncio.create_task(coro))

    def track(self, task: asyncio.Task[Any]) -> None:
        """Keep ``task`` (an answer on its way) until it ends: ``shutdown`` waits for it."""
        self._answers.add(task)
        task.add_done_callback(self._answered)

    def _answered(self, task: asyncio.Task[Any]) -> None:
        """An answer task ended: forget it, and log what a bug let escape (the cog counts and
        answers its requests itself; this only makes sure nothing ends without a trace)."""
        self._answers.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("an answer task failed", exc_info=task.exception())

    async def shutdown(self) -> None:
        """Stop accepting, finish the digest in progress, answer everything still queued with
        "restarting", then ``close()``: all within ``SHUTDOWN_GRACE`` seconds."""
        if self._torn_down:
            return
        self.accepting = False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.shutdown_grace
        if self.queue is not None:
            log.info("shutting down: %d queued, %d running", self.queue.waiting,
                     self.queue.running)
            # Leave a fifth of the grace for the answers and the teardown.
            await self.queue.close(self.settings.shutdown_grace * 0.8)
        if self._answers:
            await asyncio.wait(set(self._answers), timeout=max(0.5, deadline - loop.time() - 1))
        await self.close()

    async def close(self) -> None:
        """Tear everything down, once: workers, monitor, database, then Discord."""
        if not self._torn_down:
            self._torn_down = True
            self.accepting = False
            if self.queue is not None:
                await self.queue.close(0)
            if self.poller is not None:
                await self.poller.stop()
            if self.runner is not None:
                self.runner.stop()
            for task in (self._reporter, self._watching):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            if self.monitor is not None:
                await self.monitor.stop()
            if self._remote_depth is not None:
                await self._remote_depth.stop()
            if self.metrics is not None:
                await asyncio.to_thread(self.metrics.close)  # waits out a serve loop tick
            if self.store is not None:
                await self.store.close()
            if self._redis is not None:
                await self._redis.aclose()
            log.info("stopped; %s; %s", self.ledger.summary(),
                     self.monitor.summary() if self.monitor else "no loop samples")
        await super().close()


class ShardedDigestBot(DigestBot, commands.AutoShardedBot):
    """The bot on the shards ``SHARD_IDS`` of ``SHARD_COUNT`` (discord.py's AutoShardedBot):
    several gateway processes, on several hosts, split the guilds between them."""

    def __init__(self, settings: BotSettings, digester: Digester | None = None,
                 **options: Any) -> None:
        options.setdefault("shard_count", settings.shard_count)
        if settings.shard_ids is not None:
            options.setdefault("shard_ids", list(settings.shard_ids))
        super().__init__(settings, digester, **options)


def bot_for(settings: BotSettings, **options: Any) -> DigestBot:
    """The bot these settings ask for: sharded when SHARD_COUNT is set."""
    if settings.shard_count:
        return ShardedDigestBot(settings, **options)
    return DigestBot(settings, **options)
