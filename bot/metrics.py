"""What an operator scrapes: the bot's own counters on a Prometheus endpoint.

Off unless ``METRICS_PORT`` is set; bound to ``METRICS_HOST``, loopback unless told otherwise.
prometheus_client serves it from a thread of its own, so a scrape never waits on the event
loop; it reads the numbers the loop keeps anyway (``Ledger``, ``LoopMonitor``, the queue, the
feed poller) at the moment of the scrape, so what it shows is what the bot logs.

Every process serves its own: the bot in single-process mode; in scaled mode each gateway
(requests accepted or turned away, the queue) and each worker (requests answered or lost,
digests, feed polls), each labelled with its ``role``: sum them over the processes.

* ``article_digest_requests_total{role, outcome}``: accepted, busy, failed, answered, lost.
* ``article_digest_queue_depth{role}``: requests queued or in progress.
* ``article_digest_digest_seconds`` and ``article_digest_reply_seconds``: how long a digest
  took to make (an answer from the cache made none), and a request took from arrival to its
  answer going out (histograms).
* ``article_digest_loop_lag_seconds{role, quantile}``: event-loop lag, p50, p99 and max.
* ``article_digest_loop_stalled_seconds{role}``: how long the event loop has been stalled, now:
  a loop that is stuck records no lag sample (0 while it runs; alert on it staying high).
* ``article_digest_feed_polls_total{role, result}``: feed polls, ok or failed.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from bot.health import percentile

if TYPE_CHECKING:
    from wsgiref.simple_server import WSGIServer

    from bot.feeds import FeedPoller
    from bot.health import LoopMonitor
    from bot.ledger import Ledger

# Seconds: a digest takes about one, a reply on a busy day a minute.
BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


@dataclass
class Latency:
    """A histogram of seconds, in ``BUCKETS``."""

    counts: list[int] = field(default_factory=lambda: [0] * (len(BUCKETS) + 1))
    total: float = 0.0
    count: int = 0

    def observe(self, seconds: float) -> None:
        """Count one duration."""
        self.counts[bisect.bisect_left(BUCKETS, seconds)] += 1
        self.total += seconds
        self.count += 1

    def cumulative(self) -> list[tuple[str, float]]:
        """(upper bound, how many at most that long), as Prometheus reads a histogram."""
        running, found = 0, []
        for bound, count in zip((*map(str, BUCKETS), "+Inf"), self.counts, strict=True):
            running += count
            found.append((bound, float(running)))
        return found


@dataclass
class Sources:
    """Where one process's numbers are read from, at each scrape."""

    role: str  # bot, gateway or worker
    ledger: Ledger
    monitor: Callable[[], LoopMonitor | None] = lambda: None
    depth: Callable[[], int] = lambda: 0
    poller: Callable[[], FeedPoller | None] = lambda: None


class Sampled:
    """A number that takes a coroutine to read (the depth of the queue in Redis), read every
    ``every`` seconds on the event loop, so a scrape, on its own thread, reads it at once.
    ``read`` gets the last value and returns it again when it cannot say."""

    def __init__(self, read: Callable[[int], Awaitable[int]], every: float = 5.0) -> None:
        self.read = read
        self.every = every
        self.value = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Read now, then every ``every`` seconds."""
        self._task = asyncio.create_task(self._run(), name="metrics-sample")

    async def _run(self) -> None:
        while True:
            self.value = await self.read(self.value)
            await asyncio.sleep(self.every)

    async def stop(self) -> None:
        """Stop reading."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


class BotCollector(Collector):
    """The metrics above, read from ``sources`` when scraped."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources

    def collect(self) -> Iterator[Metric]:
        """Every metric, as it stands now."""
        src, role = self.sources, self.sources.role
        ledger = src.ledger
        requests = CounterMetricFamily("article_digest_requests",
                                       "Requests by how they ended", labels=["role", "outcome"])
        for outcome in ("accepted", "busy", "failed", "answered", "lost"):
            requests.add_metric([role, outcome], getattr(ledger, outcome))
        yield requests
        depth = GaugeMetricFamily("article_digest_queue_depth",
                                  "Requests queued or in progress", labels=["role"])
        depth.add_metric([role], src.depth())
        yield depth
        for name, latency, what in (
                ("article_digest_digest_seconds", ledger.digest_time, "Time to make a digest"),
                ("article_digest_reply_seconds", ledger.reply_time,
                 "Time from a request's arrival to its answer going out")):
            histogram = HistogramMetricFamily(name, what, labels=["role"])
            histogram.add_metric([role], latency.cumulative(), latency.total)
            yield histogram
        monitor = src.monitor()
        lag = GaugeMetricFamily("article_digest_loop_lag_seconds", "Event-loop lag",
                                labels=["role", "quantile"])
        samples = list(monitor.samples) if monitor is not None else []
        lag.add_metric([role, "0.5"], percentile(samples, 50))
        lag.add_metric([role, "0.99"], percentile(samples, 99))
        lag.add_metric([role, "1"], max(samples, default=0.0))
        yield lag
        stalled = GaugeMetricFamily(
            "article_digest_loop_stalled_seconds",
            "How long the event loop has been stalled, now (0 while it runs)", labels=["role"])
        stalled.add_metric([role], monitor.stalled() if monitor is not None else 0.0)
        yield stalled
        poller = src.poller()
        polls = CounterMetricFamily("article_digest_feed_polls", "Feed polls",
                                    labels=["role", "result"])
        polls.add_metric([role, "ok"], poller.polled if poller is not None else 0)
        polls.add_metric([role, "failed"], poller.failed if poller is not None else 0)
        yield polls


class MetricsServer:
    """The endpoint: ``MetricsServer.start(port, host, sources)``, then ``close()``."""

    def __init__(self, server: WSGIServer) -> None:
        self._server = server

    @classmethod
    def start(cls, port: int, host: str, sources: Sources) -> MetricsServer:
        """Serve ``sources`` on ``host:port`` (port 0: any free one) from a daemon thread."""
        registry = CollectorRegistry(auto_describe=False)
        registry.register(BotCollector(sources))
        server, _ = start_http_server(port, addr=host, registry=registry)
        return cls(server)

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self._server.server_address[1])

    def close(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()
