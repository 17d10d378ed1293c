"""Event-loop lag: how late a timer fires tells whether anything blocks the loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque

log = logging.getLogger(__name__)


class LoopMonitor:
    """Samples loop lag every ``interval`` seconds; warns on stalls; summarises on stop."""

    def __init__(self, interval: float = 0.05, warn_after: float = 0.25, keep: int = 20_000):
        self.interval = interval
        self.warn_after = warn_after
        self.samples: deque[float] = deque(maxlen=keep)
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="loop-monitor")

    async def _run(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(self.interval)
            lag = time.perf_counter() - started - self.interval
            self.samples.append(lag)
            if lag > self.warn_after:
                log.warning("event loop stalled for %.0f ms", lag * 1000)

    def percentile(self, q: float) -> float:
        if not self.samples:
            return 0.0
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def summary(self) -> str:
        worst = max(self.samples, default=0.0)
        return (f"loop lag p50 {self.percentile(0.5) * 1000:.1f} ms, "
                f"p99 {self.percentile(0.99) * 1000:.1f} ms, max {worst * 1000:.1f} ms "
                f"over {len(self.samples)} samples")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
