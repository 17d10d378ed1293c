"""The bounded work queue on its own: caps, results, errors, draining. Milliseconds each."""

import asyncio

import pytest
from bot_env import until

from bot.workqueue import Busy, ShuttingDown, WorkQueue


def waiting_on(gate: asyncio.Event, started: asyncio.Event):
    """Work that says when it starts, then waits for ``gate``."""

    async def work():
        started.set()
        await gate.wait()
        return "finished"

    return work


async def test_results_and_errors_reach_their_futures():
    queue = WorkQueue(size=4, per_user=4, workers=1)
    queue.start()

    async def fail():
        raise ValueError("bad page")

    ok = queue.submit(1, lambda: asyncio.sleep(0, result="digest"))
    bad = queue.submit(1, fail)
    assert await ok == "digest"
    with pytest.raises(ValueError, match="bad page"):
        await bad
    await queue.close(0)


async def test_full_queue_and_per_user_cap_refuse_at_once_and_free_up_when_done():
    queue = WorkQueue(size=2, per_user=1, workers=1)
    queue.start()
    gate, started = asyncio.Event(), asyncio.Event()
    first = queue.submit(1, waiting_on(gate, started))  # running: out of the queue, the user's
    await started.wait()
    with pytest.raises(Busy, match="1 digests waiting"):
        queue.submit(1, gate.wait)
    queue.submit(2, gate.wait)
    queue.submit(3, gate.wait)
    with pytest.raises(Busy, match="queue is full"):
        queue.submit(4, gate.wait)
    assert queue.running == 1 and queue.waiting == 2
    gate.set()
    await first
    await until(lambda: queue.running == 0 and queue.waiting == 0, 5, "the queue to drain")
    queue.submit(1, gate.wait)  # the user's earlier job is done: room again
    await queue.close(1)


async def test_close_answers_the_queue_lets_running_work_finish_and_refuses_new_work():
    queue = WorkQueue(size=5, per_user=5, workers=1)
    queue.start()
    release, started = asyncio.Event(), asyncio.Event()
    running = waiting_on(release, started)
    first = queue.submit(1, running)
    queued = [queue.submit(1, running) for _ in range(3)]
    await started.wait()
    assert queue.running == 1 and queue.waiting == 3
    closing = asyncio.create_task(queue.close(grace=5))
    for future in queued:
        with pytest.raises(ShuttingDown):
            await future
    release.set()
    await closing
    assert await first == "finished"
    with pytest.raises(ShuttingDown):
        queue.submit(1, running)


async def test_work_past_the_grace_is_cancelled_and_answered():
    queue = WorkQueue(size=1, per_user=1, workers=1)
    queue.start()
    started = asyncio.Event()
    stuck = queue.submit(1, waiting_on(asyncio.Event(), started))
    await started.wait()
    await queue.close(grace=0.01)
    with pytest.raises(ShuttingDown):
        await stuck
