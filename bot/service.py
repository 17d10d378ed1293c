"""Requests in, Digests out, for the cogs: cache, queue, workers, server history and feeds.

Everything slow (fetching, parsing, the model) runs in a worker process or thread
(``bot.jobs``); the event loop only awaits. A repeat link is answered from the cache without
queueing.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from bot.config import BotSettings
from bot.feeds import FeedIndex
from bot.jobs import Runner
from bot.models import (
    PUBLIC,
    AttachmentInfo,
    FileRequest,
    QueuedRequest,
    Request,
    UrlRequest,
)
from bot.storage import History
from bot.storage.memory import MemoryCache
from bot.workqueue import WorkQueue
from summariser.errors import TooLarge, megabytes
from summariser.models import Digest, Headline

log = logging.getLogger(__name__)


def cache_key(key: str, guild_id: int | None, scope: str = PUBLIC) -> str:
    """A link's digest is cached per server: its "Earlier in this server" and feed headlines
    are that server's; and, made in a channel not every member can read, per channel: its
    "Earlier" may show that channel's own digests."""
    return f"{guild_id or 'dm'} {key}" + ("" if scope == PUBLIC else f" {scope}")


async def read_attachment(attachment: AttachmentInfo, limit: int) -> bytes:
    """The attachment's bytes, refused over ``limit`` bytes before and after reading."""
    too_large = TooLarge.because("file", limit=megabytes(limit))
    if attachment.size > limit:  # as Discord reports it: refuse before downloading
        raise too_large
    if attachment.read is None:
        raise RuntimeError("a file request needs a reader")
    data = await attachment.read()
    if len(data) > limit:
        raise too_large
    return data


class DigestService:
    """Requests in, digests out: answers a repeat link from the cache, queues the rest (bounded,
    per-user capped), reads attachments, hands the job to a worker, and keeps the server's
    history for "Earlier in this server"."""

    def __init__(
        self, settings: BotSettings, runner: Runner, queue: WorkQueue | None, store: History,
        feeds: FeedIndex | None = None,
    ) -> None:
        self.settings = settings
        self.feeds = feeds or FeedIndex()
        self.runner = runner
        self.queue = queue
        self.store = store
        self.cache = MemoryCache(settings.cache_ttl)

    def submit(
        self,
        user_id: int,
        request: Request,
        guild_id: int | None,
        *,
        request_id: str = "-",
        scope: str = PUBLIC,
    ) -> asyncio.Future[Digest]:
        """A future for the request's digest, made in a channel of ``scope`` (``bot.scopes``);
        raises Busy or ShuttingDown at once if refused."""
        cached = (self.cache.peek(cache_key(request.key, guild_id, scope))
                  if isinstance(request, UrlRequest) else None)
        if cached is not None:
            future: asyncio.Future[Digest] = asyncio.get_running_loop().create_future()
            future.set_result(cached)
            return future
        if self.queue is None:
            raise RuntimeError("this service has no queue: call digest()")
        return self.queue.submit(user_id,
                                 lambda: self._run(request, guild_id, request_id, scope))

    async def _run(self, request: Request, guild_id: int | None, request_id: str,
                   scope: str) -> Digest:
        data = b""
        if isinstance(request, FileRequest):
            data = await read_attachment(request.attachment, self.settings.max_attachment_bytes)
        digest = await self.digest(QueuedRequest.of(request, data), guild_id, request_id, scope)
        if isinstance(request, UrlRequest):
            await self.cache.cache(cache_key(request.key, guild_id, scope), digest)
        return digest

    async def digest(self, request: QueuedRequest, guild_id: int | None,
                     request_id: str = "-", scope: str = PUBLIC) -> Digest:
        """Digest one request now (no queue, no cache): with the server's history for
        "Earlier in this server" (what a channel of ``scope`` may show) and its feeds, and
        remembered in that history with its scope."""
        earlier = (
            await self.store.recent(guild_id, self.settings.history_days,
                                    exclude_key=request.key, scope=scope)
            if guild_id is not None
            else []
        )
        job = replace(request.job, in_guild=guild_id is not None, earlier=tuple(earlier))
        digest, story = await self.runner.run(job)
        if guild_id is not None and story is not None:
            digest = await self.feeds.with_feeds(guild_id, digest, story)
        if guild_id is not None and story is not None and digest.title:
            saved = await self.store.remember(guild_id, request.key,
                                              Headline(digest.title, digest.url), story, scope)
            if not saved:
                log.warning("request %s: digest not added to the server's history", request_id)
        return digest
