"""What operators see: one log line per request, and counters of how requests ended.

Every request the bot takes on gets an id (``<message or interaction id>.<n>``) that appears in
each log line about it, from the queue to the reply. When its answer is sent, or cannot be, the
ledger writes one line::

    request 1234.0 kind=url outcome=digest method=minilm ms=412 reply=sent

and counts it. ``received = accepted + busy`` and, once every answer has gone out,
``answered + lost = received``: a ``lost`` above zero means an answer Discord never took.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from bot.metrics import Latency
from bot.workqueue import Busy, ShuttingDown, Unavailable
from summariser.errors import DigestError
from summariser.models import Digest

log = logging.getLogger("bot.requests")


@dataclass
class Ticket:
    """One request on its way through the bot."""

    id: str
    kind: str  # url, text or file
    started: float = field(default_factory=time.monotonic)
    # digest, busy, restarting, an error kind, or internal; pending: never made (lost before)
    outcome: str = "pending"
    method: str = "-"
    digest_ms: float = 0.0  # how long its digest took to make

    def finish(self, result: Digest | BaseException) -> None:
        """Record how the request ended (before its answer is sent)."""
        if isinstance(result, Digest):
            self.outcome, self.method = "digest", result.method
            self.digest_ms = result.elapsed_ms
        elif isinstance(result, Busy):
            self.outcome = "busy"
        elif isinstance(result, ShuttingDown):
            self.outcome = "restarting"
        elif isinstance(result, Unavailable):
            self.outcome = "unavailable"
        elif isinstance(result, DigestError):
            self.outcome = result.kind
        else:
            self.outcome = "internal"


@dataclass
class Ledger:
    """Counters for the whole process; the bot logs them now and then and when it stops."""

    accepted: int = 0  # taken on: queued, or answered from the cache
    busy: int = 0  # turned away with "busy", "restarting" or "unavailable" (still answered)
    failed: int = 0  # taken on, but the digest failed (answered with the reason)
    answered: int = 0  # answers Discord took
    lost: int = 0  # answers that could not be sent after every retry
    digest_time: Latency = field(default_factory=Latency)  # seconds to make each digest
    reply_time: Latency = field(default_factory=Latency)  # seconds from arrival to answer

    def taken(self, refused: BaseException | None = None) -> None:
        """Count a request as it arrives: accepted, or refused as busy or restarting."""
        if isinstance(refused, (Busy, ShuttingDown, Unavailable)):
            self.busy += 1
        else:
            self.accepted += 1

    def settle(self, tickets: list[Ticket], delivered: bool) -> None:
        """One log line per request once its answer went out (or could not)."""
        for ticket in tickets:
            if ticket.outcome not in ("digest", "busy", "restarting", "unavailable", "pending"):
                self.failed += 1
            if delivered:
                self.answered += 1
                self.reply_time.observe(time.monotonic() - ticket.started)
            else:
                self.lost += 1
            if ticket.digest_ms:
                self.digest_time.observe(ticket.digest_ms / 1000)
            level = logging.INFO if delivered else logging.ERROR
            log.log(level, "request %s kind=%s outcome=%s method=%s ms=%d reply=%s",
                    ticket.id, ticket.kind, ticket.outcome, ticket.method,
                    (time.monotonic() - ticket.started) * 1000, "sent" if delivered else "LOST")

    def summary(self) -> str:
        """The counters as one log line."""
        return (f"requests: {self.accepted} accepted, {self.busy} busy, {self.failed} failed, "
                f"{self.answered} answered, {self.lost} lost")
