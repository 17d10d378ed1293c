"""Requests in, Digests out, for the cogs: cache, queue, workers and server history.

Everything slow (fetching, parsing, the model) runs in a worker process or thread
(``bot.jobs``); the event loop only awaits. A repeat link is answered from the cache without
queueing.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable

from bot.config import BotSettings
from bot.inputs import AttachmentInfo, Request
from bot.jobs import DigestJob, Runner
from bot.store import Store, TTLCache
from bot.worker import WorkQueue
from summariser.errors import TooLarge
from summariser.models import Digest, Headline

log = logging.getLogger(__name__)

Reader = Callable[[], Awaitable[bytes]]


def _history_key(request: Request) -> str:
    if request.cache_key:
        return request.cache_key
    value = request.value if isinstance(request.value, str) else request.value.url
    return "sha1:" + hashlib.sha1(value.encode("utf-8")).hexdigest()


class DigestService:
    def __init__(
        self, settings: BotSettings, runner: Runner, queue: WorkQueue, store: Store
    ) -> None:
        self.settings = settings
        self.runner = runner
        self.queue = queue
        self.store = store
        self.cache: TTLCache[Digest] = TTLCache(settings.cache_ttl)

    def submit(
        self,
        user_id: int,
        request: Request,
        guild_id: int | None,
        reader: Reader | None = None,
        *,
        request_id: str = "-",
    ) -> asyncio.Future[Digest]:
        """A future for the request's digest; raises Busy or ShuttingDown at once if refused."""
        key = request.cache_key
        cached = self.cache.get(key) if key else None
        if cached is not None:
            future: asyncio.Future[Digest] = asyncio.get_running_loop().create_future()
            future.set_result(cached)
            return future
        return self.queue.submit(
            user_id, lambda: self._run(request, guild_id, reader, request_id)
        )

    async def _run(self, request: Request, guild_id: int | None, reader: Reader | None,
                   request_id: str) -> Digest:
        key = _history_key(request)
        earlier = (
            await self.store.recent(guild_id, self.settings.history_days, exclude_key=key)
            if guild_id is not None
            else []
        )
        if isinstance(request.value, AttachmentInfo):
            value, data = request.value.filename, await self._read_attachment(request.value, reader)
        else:
            value, data = request.value, b""
        job = DigestJob(request.kind, value, data, guild_id is not None, tuple(earlier))
        digest, story = await self.runner.run(job)
        if guild_id is not None and story is not None and digest.title:
            saved = await self.store.remember(guild_id, key, Headline(digest.title, digest.url),
                                              story)
            if not saved:
                log.warning("request %s: digest not added to the server's history", request_id)
        if request.cache_key:
            self.cache.put(request.cache_key, digest)
        return digest

    async def _read_attachment(self, info: AttachmentInfo, reader: Reader | None) -> bytes:
        limit = self.settings.max_attachment_bytes
        too_large = TooLarge(f"the file is larger than {limit // 1_000_000} MB")
        if info.size > limit:  # as Discord reports it: refuse before downloading
            raise too_large
        if reader is None:
            raise RuntimeError("a file request needs a reader")
        data = await reader()
        if len(data) > limit:
            raise too_large
        return data
