"""Digest work, off the event loop: in worker processes (the default) or in a thread.

A ``DigestJob`` is a plain value (picklable: it crosses into a worker process); ``perform`` turns
one into a digest, plus the story fingerprint the bot stores for "Earlier in this server". This
module imports nothing from Discord, so a worker process loads the summariser and no more.

``ProcessRunner`` keeps ``WORKERS`` processes, each with its own model, loaded once when it
starts. A process that dies (killed, out of memory) takes down the pool's jobs in flight: the
pool is replaced and each of those jobs is run once more, so the request is answered; a job that
kills its worker twice is answered with an error. ``ThreadRunner`` runs jobs in a thread of the
bot's own process (``WORKERS=0``, or a ``Digester`` handed to the bot, as the tests do).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from bot.earlier import with_earlier
from bot.logs import WORKER_FORMAT, configure_logging
from bot.models import DigestJob, FeedHeadline, FeedJob, FeedUpdate, StoryPrint
from summariser.config import SummariserSettings
from summariser.digest import Digester
from summariser.errors import DigestError, NotAFeed
from summariser.feeds import feed_links, parse_feed
from summariser.models import Digest, Feed
from summariser.story import story_text

if TYPE_CHECKING:
    from summariser.fetch import Fetcher

log = logging.getLogger(__name__)

J = TypeVar("J")
R = TypeVar("R")


def perform(digester: Digester, job: DigestJob) -> tuple[Digest, StoryPrint | None]:
    """Digest ``job`` (blocking: fetch, parse, model) and fingerprint it for the history."""
    if job.kind == "file":
        digest = digester.from_bytes(job.data, job.value)
    elif job.kind == "url":
        digest = digester.from_url(job.value)
    else:
        digest = digester.from_text(job.value)
    if not job.in_guild:
        return digest, None
    return with_earlier(digester, digest, job.earlier)


def read_feed(fetcher: Fetcher, job: FeedJob) -> tuple[FeedUpdate, Feed | None]:
    """Fetch and parse one feed (blocking: the safe fetch and feedparser, no model): the poll's
    outcome without headlines, and the feed (None when it answered 304). A site's page that
    names its feed stands for it (``found_at``)."""
    response = fetcher.fetch_feed(job.url, job.etag, job.last_modified)
    if response.status == 304:
        return FeedUpdate(job.url, 304, job.etag, job.last_modified), None
    found_at = None
    try:
        feed = parse_feed(response.body, response.url)
    except NotAFeed:
        links = feed_links(response.body, response.url)  # a site's page naming its feed
        if not links:
            raise
        found_at = links[0]
        response = fetcher.fetch_feed(found_at)
        feed = parse_feed(response.body, response.url)
    return FeedUpdate(job.url, response.status, response.etag, response.last_modified,
                      feed.title, (), found_at), feed


def perform_feed(digester: Digester, job: FeedJob) -> FeedUpdate:
    """Poll one feed (blocking: safe fetch, parse, encode the story texts of its items not
    already stored, ``job.known``): the poll's outcome with those items."""
    update, feed = read_feed(digester.fetcher, job)
    new = [item for item in feed.items if item.url not in job.known] if feed else []
    if not new:
        return update
    vectors = digester.encode([story_text(item.title, item.summary) for item in new])
    return replace(update, items=tuple(FeedHeadline(item, vector.tobytes())
                                       for item, vector in zip(new, vectors, strict=True)))


class WorkerCrashed(DigestError):
    """The worker process digesting this request died, twice."""

    kind = "internal"
    exit_code = 1


# -- in a worker process ----------------------------------------------------------------------

_digester: Digester | None = None
_startup_error: DigestError | None = None  # why this worker could not load its model


def _start_worker(settings: SummariserSettings, log_level: int) -> None:
    """Runs once in each new worker process: log like the bot, load the model."""
    global _digester, _startup_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the bot decides when its workers stop
    configure_logging(log_level, WORKER_FORMAT)
    _digester = Digester(settings)
    try:
        _digester.warm_up()
    except DigestError as exc:  # handed to the bot with the first job: one clear line there
        _startup_error = exc


def _perform_here(job: DigestJob) -> tuple[Digest, StoryPrint | None]:
    return perform(_worker_digester(), job)


def _poll_here(job: FeedJob) -> FeedUpdate:
    return perform_feed(_worker_digester(), job)


def _worker_digester() -> Digester:
    if _startup_error is not None:
        raise _startup_error
    assert _digester is not None, "worker started without its initializer"
    return _digester


def _ready() -> int:
    if _startup_error is not None:
        raise _startup_error
    return os.getpid()


# -- in the bot's process ---------------------------------------------------------------------

class ThreadRunner:
    """Jobs run in a thread pool inside the bot's process, on a Digester it was given."""

    def __init__(self, digester: Digester, threads: int = 1) -> None:
        self.digester = digester
        self._executor = ThreadPoolExecutor(max_workers=max(1, threads),
                                            thread_name_prefix="digest")

    async def start(self) -> float:
        """Load the model now; the seconds it took."""
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, self.digester.warm_up)

    async def run(self, job: DigestJob) -> tuple[Digest, StoryPrint | None]:
        """Digest ``job`` in the thread pool."""
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, perform, self.digester, job)

    async def poll(self, job: FeedJob) -> FeedUpdate:
        """Poll a feed in the thread pool."""
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, perform_feed, self.digester, job)

    def pids(self) -> list[int]:
        """No worker processes: an empty list."""
        return []

    def stop(self) -> None:
        """Stop the thread pool, dropping what has not started."""
        self._executor.shutdown(wait=False, cancel_futures=True)


class ProcessRunner:
    """Jobs run in ``size`` worker processes, each loading the model once when it starts."""

    def __init__(self, settings: SummariserSettings, size: int) -> None:
        self.settings = settings
        self.size = max(1, size)
        self._context = multiprocessing.get_context("spawn")  # no forked locks or threads
        self._pool = self._new_pool()
        self._generation = 0
        self._replacing = asyncio.Lock()
        self._retrying = asyncio.Lock()  # the jobs tried again after a crash take turns

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.size, mp_context=self._context, initializer=_start_worker,
            initargs=(self.settings, logging.getLogger().getEffectiveLevel()),
        )

    async def _warm(self, pool: Executor) -> None:
        """Start every process of ``pool`` and wait until each has loaded its model."""
        loop = asyncio.get_running_loop()
        # Every outcome is collected: with two processes failing alike, a plain gather would
        # leave the second one's exception unretrieved (asyncio logs that as an error).
        outcomes = await asyncio.gather(
            *(loop.run_in_executor(pool, _ready) for _ in range(self.size)),
            return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome

    async def start(self) -> float:
        """Start the processes and load their models (in parallel); the seconds it took."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            await self._warm(self._pool)  # a worker that cannot load its model raises why
        except BrokenProcessPool as exc:
            raise RuntimeError("the digest worker processes could not start") from exc
        log.info("%d worker process(es) ready: pids %s", self.size, self.pids())
        return loop.time() - started

    def pids(self) -> list[int]:
        # ProcessPoolExecutor keeps its processes in ``_processes``; nothing public lists them.
        """The worker processes' ids."""
        processes = getattr(self._pool, "_processes", None) or {}
        return [p.pid for p in list(processes.values()) if p.pid is not None]

    async def run(self, job: DigestJob) -> tuple[Digest, StoryPrint | None]:
        """Digest ``job`` in a worker process; once more if the process dies under it."""
        return await self._call(_perform_here, job)

    async def poll(self, job: FeedJob) -> FeedUpdate:
        """Poll a feed in a worker process; once more if the process dies under it."""
        return await self._call(_poll_here, job)

    async def _call(self, work: Callable[[J], R], job: J) -> R:
        """``work(job)`` in a worker process; once more if the pool breaks under it. A crash
        breaks the whole pool: every job in it fails, though one caused it. So the jobs tried
        again take turns (``_retrying``), and a job whose second try breaks the pool as well
        is taken for the one that did: it alone fails, and the others get their turn."""
        loop = asyncio.get_running_loop()
        generation = self._generation
        try:
            return await loop.run_in_executor(self._pool, work, job)
        except BrokenProcessPool:
            log.warning("a worker process died under a job; replacing the pool, then trying "
                        "again the jobs it held, one at a time")
            await self._replace(generation)
        async with self._retrying:
            generation = self._generation
            try:
                return await loop.run_in_executor(self._pool, work, job)
            except BrokenProcessPool:
                log.warning("a worker process died again under the job it was trying again")
                await self._replace(generation)
        raise WorkerCrashed("it crashed the digest worker twice; the admins can see why in the log")

    async def _replace(self, generation: int) -> None:
        """A new pool for the broken one, once, however many jobs noticed it broke."""
        async with self._replacing:
            if generation != self._generation:
                return  # another job already replaced it
            broken = self._pool
            self._pool = self._new_pool()
            self._generation += 1
            broken.shutdown(wait=False, cancel_futures=True)
            await self._warm(self._pool)
            log.info("worker processes replaced: pids %s", self.pids())

    def stop(self) -> None:
        """Stop at once: cancel what is queued and end the processes (the bot has already
        waited for the jobs it wanted to finish)."""
        pids = self.pids()
        self._pool.shutdown(wait=False, cancel_futures=True)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


Runner = ThreadRunner | ProcessRunner
