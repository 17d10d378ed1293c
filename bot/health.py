"""Event-loop lag: how late a timer fires tells whether anything blocks the loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import statistics
import time
from collections import deque
from collections.abc import Sequence

log = logging.getLogger(__name__)


def percentile(values: Sequence[float], q: int) -> float:
    """The ``q``-th percentile (1 to 99) of ``values``, interpolated (``statistics.quantiles``,
    inclusive); 0.0 for no values."""
    if len(values) < 2:
        return float(values[0]) if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


class LoopMonitor:
    """Samples loop lag every ``interval`` seconds; warns on stalls; summarises on stop."""

    def __init__(self, interval: float = 0.05, warn_after: float = 0.25, keep: int = 20_000):
        self.interval = interval
        self.warn_after = warn_after
        self.samples: deque[float] = deque(maxlen=keep)
        self.woke = time.monotonic()  # when the loop last ran the monitor
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start sampling the event loop's lag."""
        self._task = asyncio.create_task(self._run(), name="loop-monitor")

    async def _run(self) -> None:
        while True:
            started = time.perf_counter()
            self.woke = time.monotonic()
            await asyncio.sleep(self.interval)
            lag = time.perf_counter() - started - self.interval
            self.samples.append(lag)
            if lag > self.warn_after:
                log.warning("event loop stalled for %.0f ms", lag * 1000)

    def stalled(self) -> float:
        """Seconds the event loop has been stalled until now, 0.0 while it runs: readable from
        another thread (a scrape), when a loop that is stuck records no lag sample at all."""
        if self._task is None or self._task.done():
            return 0.0
        return max(0.0, time.monotonic() - self.woke - self.interval - self.warn_after)

    def summary(self) -> str:
        """One log line: lag p50, p99 and max over the samples kept."""
        samples = list(self.samples)
        worst = max(samples, default=0.0)
        return (f"loop lag p50 {percentile(samples, 50) * 1000:.1f} ms, "
                f"p99 {percentile(samples, 99) * 1000:.1f} ms, max {worst * 1000:.1f} ms "
                f"over {len(self.samples)} samples")

    async def stop(self) -> None:
        """Stop sampling."""
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
