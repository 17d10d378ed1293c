"""The digest queue of scaled mode, shared by every gateway and worker process: a Redis stream
read by one consumer group.

Why a stream and not a job library (``arq``): what we must guarantee is that every accepted
answer is sent exactly once, also when a worker dies mid-job. A consumer group keeps each job in
its pending list until a worker acknowledges it; a job whose worker stopped renewing its claim
for ``visibility`` seconds is taken over by another (``XAUTOCLAIM``), and its delivery count
says how often that happened. The bound on the queue and the per-user caps are checked and
counted in the same Lua script that adds the job, so they hold across all processes; finishing
a job releases them in one script too, once, whoever finishes it. Jobs are JSON, never pickle:
whoever can write to Redis cannot run code in a worker.

Idempotency: a job may be run twice (its worker was presumed dead, but was only slow). The
answer is keyed by the job's id: a worker checks the "done" marker before it sends, and the send
itself is idempotent at Discord (a message with ``enforce_nonce``, or an edit of the
interaction's deferred response), which covers a worker that dies between sending and marking.
An offer is one offer however often it runs (kept under the answer's id), so a gateway that got
no reply from Redis tries it again rather than answer "unavailable" for a job that is queued.

Needs Redis 6.2 or later (``XAUTOCLAIM``), or Valkey.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import time
from dataclasses import dataclass
from typing import Any, cast

from redis import asyncio as aioredis
from redis.exceptions import RedisError, ResponseError

from bot.ledger import Ledger, Ticket
from bot.models import QueuedAnswer
from bot.workqueue import Busy, Unavailable

log = logging.getLogger(__name__)

PREFIX = "article-digest"
GROUP = "workers"
DONE_TTL = 24 * 3600  # seconds a sent answer's marker is kept
OFFER_TRIES = 3  # an offer with no reply is tried again (one offer however often it runs)
OFFERED_TTL = 600  # seconds an offer is remembered by its answer's id
PRUNE_IDLE = 24 * 3600  # seconds without a read after which a consumer with nothing is gone
LOST_AFTER = 30 * 60  # seconds after which an answer no worker finished is lost with its job
MAX_DELIVERIES = 3  # a job that took down this many workers is answered with an error

# KEYS: stream, counts. ARGV: queue size, per-user cap, user field, requests, job JSON.
# Returns how many of the job's requests were accepted: 0 = the queue is full, -1 = the user
# already has ``per_user`` requests waiting.
_OFFER = """
local offered = redis.call('GET', KEYS[3])
if offered then return tonumber(offered) end
local total = tonumber(redis.call('HGET', KEYS[2], 'total') or '0')
local mine = tonumber(redis.call('HGET', KEYS[2], ARGV[3]) or '0')
local room_user = tonumber(ARGV[2]) - mine
if room_user <= 0 then return -1 end
local taken = math.min(tonumber(ARGV[4]), room_user, tonumber(ARGV[1]) - total)
if taken <= 0 then return 0 end
redis.call('HINCRBY', KEYS[2], 'total', taken)
redis.call('HINCRBY', KEYS[2], ARGV[3], taken)
redis.call('XADD', KEYS[1], '*', 'job', ARGV[5], 'taken', taken)
redis.call('SET', KEYS[3], taken, 'EX', tonumber(ARGV[6]))
return taken
"""

# KEYS: stream, counts[, done marker]. ARGV: group, entry id, taken, user field ("" when not
# known)[, marker TTL]. Only the worker whose XACK removes the entry releases its places; the
# marker, where given, is set either way.
_FINISH = """
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  local taken = tonumber(ARGV[3])
  if redis.call('HINCRBY', KEYS[2], 'total', -taken) <= 0 then
    redis.call('HDEL', KEYS[2], 'total')
  end
  if ARGV[4] ~= '' and redis.call('HINCRBY', KEYS[2], ARGV[4], -taken) <= 0 then
    redis.call('HDEL', KEYS[2], ARGV[4])
  end
  redis.call('XDEL', KEYS[1], ARGV[2])
end
if #KEYS > 2 then
  redis.call('SET', KEYS[3], '1', 'EX', tonumber(ARGV[5]))
end
return 1
"""


@dataclass(frozen=True, slots=True)
class Taken:
    """A job a worker took: the stream entry, the answer, how many of its requests were
    accepted (the rest are answered "busy"), and how many times it has been handed out."""

    entry_id: str
    answer: QueuedAnswer
    taken: int
    deliveries: int = 1

    @property
    def user_field(self) -> str:
        """The asker's field in the counts hash."""
        return user_field(self.answer.user_id)


def connect(url: str) -> aioredis.Redis:
    """A client for ``url`` with short timeouts: a Redis that is down fails a call in about a
    second instead of holding the event loop's callers; each call reconnects on its own."""
    return aioredis.Redis.from_url(url, socket_connect_timeout=1.0, socket_timeout=5.0,
                                   health_check_interval=30)


def consumer_name() -> str:
    """This process's name in the consumer group: host and process id."""
    return f"{socket.gethostname()}-{os.getpid()}"


class RedisQueue:
    """Offer (gateways), take, keep, finish (workers)."""

    def __init__(self, client: aioredis.Redis, *, size: int, per_user: int,
                 visibility: float = 60.0, prefix: str = PREFIX) -> None:
        self.client = client
        self.size = size
        self.per_user = per_user
        self.visibility = visibility
        self.stream = f"{prefix}:jobs"
        self.counts = f"{prefix}:queued"
        self.prefix = prefix
        self._offer = client.register_script(_OFFER)
        self._finish = client.register_script(_FINISH)
        self._prune = client.register_script(_PRUNE)

    async def ensure_group(self) -> None:
        """Create the stream and its consumer group if they are not there (a new Redis, or
        one that lost its data)."""
        try:
            await self.client.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    # -- gateways ------------------------------------------------------------------------------

    async def offer(self, answer: QueuedAnswer) -> int:
        """Queue ``answer`` if the bound and its user's cap allow: how many of its requests
        were taken (the first ones; the worker answers the rest "busy"). Busy if none was,
        Unavailable if Redis cannot be reached.

        An offer whose reply never came (Redis stalled past the socket timeout, a connection
        dropped) may still have run: the gateway would answer "unavailable" and a worker the
        digest. So an offer is tried again, up to ``OFFER_TRIES`` times, and is one offer
        however often it runs: the script keeps what it took under the answer's id for
        ``OFFERED_TTL`` seconds and returns that again."""
        delay = 0.5
        for attempt in range(1, OFFER_TRIES + 1):
            try:
                taken = int(await self._offer(
                    keys=[self.stream, self.counts, f"{self.prefix}:offered:{answer.id}"],
                    args=[self.size, self.per_user, user_field(answer.user_id),
                          len(answer.requests), answer.dumps(), OFFERED_TTL],
                ))
                break
            except RedisError as exc:
                if attempt == OFFER_TRIES:
                    log.warning("request %s: redis unreachable: %s", answer.id, exc)
                    raise Unavailable("the queue cannot be reached") from exc
                log.info("request %s: offer got no answer from redis (%s); trying again",
                         answer.id, exc)
                await asyncio.sleep(delay)
                delay *= 2
        if taken < 0:
            raise Busy(f"you already have {self.per_user} digests waiting")
        if taken == 0:
            raise Busy("the queue is full")
        return taken

    async def waiting(self) -> int:
        """Requests queued or in progress, across every process."""
        return int(await self.client.hget(self.counts, "total") or 0)

    async def depth(self, last: int) -> int:
        """``waiting()``, or ``last`` while Redis cannot say (for the metrics)."""
        try:
            return await self.waiting()
        except RedisError:
            return last

    # -- workers -------------------------------------------------------------------------------

    async def take(self, consumer: str, block: float = 1.0) -> Taken | None:
        """The next job for ``consumer``: first one whose worker has gone quiet for longer than
        the visibility timeout, else a new one (waiting up to ``block`` seconds)."""
        try:
            return await self._take(consumer, block)
        except ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            # Redis lost its data (restarted without persistence, a failover to a replica
            # that lagged): what was queued or in progress went with it, unanswered.
            log.error("the job queue is gone from redis (it lost its data): the requests "
                      "queued or in progress then are lost; the queue is made again")
            await self.ensure_group()
            return None

    async def _take(self, consumer: str, block: float) -> Taken | None:
        idle_ms = int(self.visibility * 1000)
        claimed: list[Any] = await self.client.xautoclaim(  # [next id, entries, (deleted)]
            self.stream, GROUP, consumer, idle_ms, start_id="0-0", count=1)
        entries: list[tuple[Any, dict[Any, Any]]] = claimed[1] if len(claimed) > 1 else []
        if entries:
            entry_id, fields = entries[0]
            pending = await self.client.xpending_range(self.stream, GROUP, min=entry_id,
                                                       max=entry_id, count=1)
            deliveries = int(pending[0]["times_delivered"]) if pending else 2
            log.warning("took over job %s (delivery %d): its worker went quiet",
                        text(entry_id), deliveries)
            return await self._parse(entry_id, fields, deliveries)
        read = cast(list[Any], await self.client.xreadgroup(  # RESP2: [[stream, entries]]
            GROUP, consumer, {self.stream: ">"}, count=1, block=max(1, int(block * 1000))))
        for _, stream_entries in read or []:
            for entry_id, fields in stream_entries:
                return await self._parse(entry_id, fields, 1)
        return None

    async def _parse(self, entry_id: Any, fields: dict[Any, Any], deliveries: int) -> Taken | None:
        """The job in a stream entry; an entry that is not one this worker can read (written by
        something else, or by a newer gateway) is logged and dropped, so it cannot block the
        queue, and the places it held are released as far as it says which."""
        values = {text(k): v for k, v in fields.items()}
        try:
            return Taken(text(entry_id), QueuedAnswer.loads(values["job"]),
                         int(values["taken"]), deliveries)
        except (KeyError, ValueError, TypeError) as exc:
            log.error("dropping stream entry %s: not a job this worker can read (%s)",
                      text(entry_id), exc)
            taken, user = _places(values)
            await self._finish(keys=[self.stream, self.counts],
                               args=[GROUP, entry_id, taken, user])
            return None

    async def keep(self, consumer: str, job: Taken) -> None:
        """Renew ``consumer``'s claim on ``job`` (its idle time starts again): a worker does
        this while it digests, so only a worker that died loses its jobs."""
        await self.client.xclaim(self.stream, GROUP, consumer, 0, [job.entry_id], justid=True)

    async def sent(self, job: Taken) -> bool:
        """Was this job's answer already sent (by a worker presumed dead)?"""
        return bool(await self.client.exists(self._done(job.answer.id)))

    async def finished(self, answer_ids: list[str]) -> list[bool]:
        """Whether a worker finished each of these answers (sent it, or counted it lost)."""
        async with self.client.pipeline(transaction=False) as pipe:
            for answer_id in answer_ids:
                pipe.exists(self._done(answer_id))
            return [bool(found) for found in await pipe.execute()]

    async def finish(self, job: Taken) -> None:
        """The answer was sent (or could not be): acknowledge the job, release its places in
        the queue and mark the answer sent."""
        await self._finish(
            keys=[self.stream, self.counts, self._done(job.answer.id)],
            args=[GROUP, job.entry_id, job.taken, job.user_field, DONE_TTL],
        )

    async def leave(self, consumer: str) -> None:
        """Take ``consumer`` out of the group when its worker stops (its pending jobs, if any,
        stay for another worker: XGROUP DELCONSUMER would drop them, so only an idle one is
        removed)."""
        pending = await self.client.xpending_range(self.stream, GROUP, min="-", max="+",
                                                   count=1, consumername=consumer)
        if not pending:
            await self.client.xgroup_delconsumer(self.stream, GROUP, consumer)

    async def prune(self, consumer: str, idle: float = PRUNE_IDLE) -> int:
        """Remove the consumers of workers long gone (each start names a new one, host and
        pid; one that crashed or overran its grace never left): those with nothing pending
        that have not read for ``idle`` seconds. How many went."""
        return int(await self._prune(keys=[self.stream],
                                     args=[GROUP, int(idle * 1000), consumer]))

    def _done(self, answer_id: str) -> str:
        return f"{self.prefix}:sent:{answer_id}"


# KEYS: stream. ARGV: group, idle ms, this consumer's name. Consumers with nothing pending that
# have not read for the idle time are removed, in one step: no read can slip in between the
# check and the removal (which would drop the job it read from the pending list).
_PRUNE = """
local removed = 0
for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local info = {}
  for i = 1, #consumer, 2 do info[consumer[i]] = consumer[i + 1] end
  if info['pending'] == 0 and info['idle'] > tonumber(ARGV[2]) and info['name'] ~= ARGV[3] then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], info['name'])
    removed = removed + 1
  end
end
return removed
"""


def _places(values: dict[str, Any]) -> tuple[int, str]:
    """How many places in the queue an unreadable entry holds, and whose (its user field, ""
    when it does not say): what offering it counted, as far as the entry still tells."""
    try:
        taken = max(0, int(values.get("taken", 0)))
    except (TypeError, ValueError):
        taken = 0
    try:
        user = user_field(int(json.loads(values["job"])["user_id"]))
    except (KeyError, TypeError, ValueError):
        user = ""
    return taken, user


def text(value: Any) -> str:
    """A value as Redis returned it (bytes), as a string."""
    return value.decode() if isinstance(value, bytes) else str(value)


def user_field(user_id: int) -> str:
    """A user's field in the counts hash: how many of their requests are queued."""
    return f"u:{user_id}"


def queue_age(answer: QueuedAnswer) -> float:
    """Seconds since the answer was accepted (for the log and the benchmark)."""
    return max(0.0, time.time() - answer.accepted_at)


class AnswerWatch:
    """A gateway's watch over the answers it queued: a worker marks each one finished (sent,
    or counted lost). One no worker finished within ``within`` seconds is taken for lost with
    its job, which Redis lost (a failover to a replica that lagged, a restart without its
    data): its requests are logged and counted lost here, where they were accepted, since no
    worker ever saw them. ``within`` is far past any wait the bounded queue allows and past the
    15 minutes an interaction's answer may come in."""

    def __init__(self, queue: RedisQueue, ledger: Ledger, within: float = LOST_AFTER) -> None:
        self.queue = queue
        self.ledger = ledger
        self.within = within
        self._queued: dict[str, tuple[float, list[Ticket]]] = {}  # by answer id: when, what

    def watch(self, answer_id: str, tickets: list[Ticket]) -> None:
        """``tickets``, the requests of the queued answer ``answer_id``, are on their way."""
        self._queued[answer_id] = (time.monotonic(), tickets)

    async def check(self) -> int:
        """Settle the answers past their time that no worker finished; how many were lost.
        While Redis cannot say, they wait for the next check."""
        now = time.monotonic()
        due = [answer_id for answer_id, (since, _) in self._queued.items()
               if now - since >= self.within]
        if not due:
            return 0
        lost = 0
        for answer_id, finished in zip(due, await self.queue.finished(due), strict=True):
            _, tickets = self._queued.pop(answer_id)
            if not finished:
                log.error("request %s: no worker answered it within %.0f min: its job is gone "
                          "from redis", answer_id, self.within / 60)
                self.ledger.settle(tickets, False)
                lost += 1
        return lost

    async def run(self, every: float = 60.0) -> None:
        """Check now and then, until cancelled."""
        while True:
            await asyncio.sleep(every)
            try:
                await self.check()
            except RedisError as exc:
                log.warning("could not check the answers queued: %s", exc)
