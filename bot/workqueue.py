"""A bounded queue in front of worker tasks; the work itself runs off the loop (``bot.jobs``).

``submit`` never waits: it either accepts the job and returns a future, or raises ``Busy`` (queue
full, or the user already has ``per_user`` jobs waiting) or ``ShuttingDown``. Every accepted job's
future is resolved exactly once: with the job's result, with its exception (unexpected ones
included), or with ``ShuttingDown`` when ``close`` drains the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class Busy(Exception):
    """The queue is full, or this user already has too many requests waiting."""


class ShuttingDown(Exception):
    """The bot is stopping; the request was not run."""


class Unavailable(Exception):
    """The shared queue (Redis, in scaled mode) cannot be reached; the request was not taken."""


def cancel_requested() -> bool:
    """Was the running task asked to stop? Also true when a library caught the CancelledError
    and went on (redis-py's asyncio client can, mid-command): loops that must stop when
    cancelled check this before they wait again."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


@dataclass(eq=False)
class _Job:
    user_id: int
    work: Callable[[], Awaitable[Any]]
    future: asyncio.Future[Any] = field(repr=False)


class WorkQueue:
    """A bounded queue of digest jobs with a per-user cap, run by ``workers`` tasks."""

    def __init__(self, size: int = 20, per_user: int = 3, workers: int = 1) -> None:
        self.size = size
        self.per_user = per_user
        self.workers = workers
        self._queue: asyncio.Queue[_Job] = asyncio.Queue(maxsize=size)
        self._per_user: Counter[int] = Counter()
        self._tasks: list[asyncio.Task[None]] = []
        self._running: set[_Job] = set()
        self._accepting = False

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Accept jobs and start the worker tasks."""
        self._accepting = True
        for number in range(self.workers):
            self._tasks.append(asyncio.create_task(self._worker(), name=f"digest-worker-{number}"))

    @property
    def waiting(self) -> int:
        """Jobs queued, not yet started."""
        return self._queue.qsize()

    @property
    def running(self) -> int:
        """Jobs being digested now."""
        return len(self._running)

    def submit(self, user_id: int, work: Callable[[], Awaitable[T]]) -> asyncio.Future[T]:
        """Queue ``work`` (an async callable) for a user, or raise Busy / ShuttingDown now."""
        if not self._accepting:
            raise ShuttingDown("the bot is restarting")
        if self._per_user[user_id] >= self.per_user:
            raise Busy(f"you already have {self.per_user} digests waiting")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        try:
            self._queue.put_nowait(_Job(user_id, work, future))
        except asyncio.QueueFull:
            raise Busy("the queue is full") from None
        self._per_user[user_id] += 1
        return future

    async def _worker(self) -> None:
        while True:
            job = await self._queue.get()
            self._running.add(job)
            try:
                result = await job.work()
            except asyncio.CancelledError:
                if not job.future.done():
                    job.future.set_exception(ShuttingDown("the bot is restarting"))
                raise
            except Exception as exc:  # resolved into the future: the requester answers it
                if not job.future.done():
                    job.future.set_exception(exc)
            else:
                if not job.future.done():
                    job.future.set_result(result)
            finally:
                self._running.discard(job)
                self._release(job)
                self._queue.task_done()

    def _release(self, job: _Job) -> None:
        self._per_user[job.user_id] -= 1
        if self._per_user[job.user_id] <= 0:
            del self._per_user[job.user_id]

    async def close(self, grace: float = 20.0) -> None:
        """Stop accepting, answer everything queued with ShuttingDown, let running jobs finish
        for up to ``grace`` seconds, then stop the worker tasks."""
        self._accepting = False
        while not self._queue.empty():
            job = self._queue.get_nowait()
            job.future.set_exception(ShuttingDown("the bot is restarting"))
            self._release(job)
            self._queue.task_done()
        running = [job.future for job in self._running]
        if running:
            log.info("waiting up to %.0f s for %d digest(s) in progress", grace, len(running))
            await asyncio.wait(running, timeout=grace)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
