"""Headlines from the feeds a server follows: polled in the background, matched to digests.

``FeedPoller`` polls every followed feed every ``FEED_INTERVAL`` through the worker runner (the
safe fetcher, conditional on the feed's ETag and Last-Modified, parsed with feedparser, the
story text of each item not already held encoded: its headline, and its description's first
sentences where it has one), stores what is new (``FeedStore.save_poll``: at most 250 items a
feed, none older than ``FEED_KEEP_DAYS``) and backs off on failure: a feed that fails is tried
again after twice the interval, then four times, up to a day.

``FeedIndex`` keeps every followed feed's headlines and their vectors in memory, by feed, and
which feeds each server follows. A digest made in a server gets up to ``FEED_LIMIT`` of them
whose headline is about the same story, each with its site and link, where its language gets
related headlines at all (``summariser.related.gets_related``: English; under a German article
the judge calls the site's other stories its own). The same-story judge finds
the candidates, against the digest's story vector and text (``summariser.headlines
.story_candidates``; an item with a description is judged by that use's own model,
``feed_described``): one matrix product per feed, then the judge's text features, in one
vectorised call for all the server's feeds of each use, on the few headlines whose cosine could
pass; on the event loop. The pair reader then reads the judge's likeliest few with the story
(``headlines.confirmed``, in a thread: a transformer reading a pair), and the two decide
together.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, replace

import numpy as np

from bot.jobs import Runner
from bot.locale import stored_reason
from bot.models import FeedHeadline, FeedJob, FeedUpdate, StoryPrint
from bot.storage import FeedStore, StoreUnavailable
from bot.workqueue import cancel_requested
from summariser.errors import DigestError, FetchFailed
from summariser.headlines import FEED_LIMIT, confirmed, story_candidates
from summariser.models import Digest, FeedItem, Headline
from summariser.related import gets_related
from summariser.story import TermRows, Terms, judge, story_text
from summariser.urls import for_log

log = logging.getLogger(__name__)

# The judge's uses for feed items: a headline alone, and an item with a description, each with
# its own model and threshold (``summariser.story``).
FEED_USES = ("feed", "feed_described")
POOLS = 64  # servers whose joined feed headlines (``FeedIndex._pool``) are kept
MAX_BACKOFF = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class _Block:
    """One feed's headlines: a row of ``vectors`` each, with what the judge reads of them."""

    headlines: tuple[Headline, ...]
    vectors: np.ndarray
    terms: TermRows  # what the judge reads of each headline's words, worked out once
    hubs: np.ndarray  # each vector's ``Judge.hub``, worked out once


def _use_of(item: FeedItem) -> str:
    """The judge's use for a feed item: with a description, it reads the item's story text."""
    return "feed_described" if item.summary else "feed"


def _blocks(items: list[FeedHeadline]) -> dict[str, _Block]:
    """One feed's headlines in a block for each of the judge's uses (``FEED_USES``) they need."""
    blocks: dict[str, _Block] = {}
    for use in FEED_USES:
        mine = [h for h in items if _use_of(h.item) == use]
        if not mine:
            continue
        vectors = np.stack([np.frombuffer(h.vector, dtype=np.float32) for h in mine])
        terms = [Terms.of(story_text(h.item.title, h.item.summary)) for h in mine]
        blocks[use] = _Block(
            tuple(Headline(h.item.title, h.item.url, "feed", h.item.site) for h in mine),
            vectors, TermRows.of(terms), judge().hub(vectors))
    return blocks


@dataclass(frozen=True, slots=True)
class _Pool:
    """A server's feeds' headlines, joined for the judge: their blocks, every row's
    ``TermRows`` and hub, the block each row is in, and where each block starts."""

    blocks: tuple[_Block, ...]
    terms: TermRows
    hubs: np.ndarray
    groups: np.ndarray
    starts: np.ndarray


class FeedIndex:
    """Followed feeds' headlines in memory, and which server follows which feed."""

    def __init__(self) -> None:
        self._feeds: dict[str, dict[str, _Block]] = {}  # by feed, by use
        self._servers: dict[int, set[str]] = {}
        self._pools: dict[tuple[int, str], _Pool] = {}  # by server and use, the last matched last

    async def load(self, store: FeedStore) -> None:
        """Read every subscription and stored headline (at start-up)."""
        self._servers = await store.subscriptions()
        stored = await store.feed_headlines()
        self._feeds = await asyncio.to_thread(
            lambda: {url: _blocks(items) for url, items in stored.items()})

    def subscribe(self, servers: dict[int, set[str]]) -> None:
        """Every server's feeds are now ``servers``; feeds nobody follows are dropped."""
        self._servers = {guild_id: set(urls) for guild_id, urls in servers.items()}
        followed: set[str] = set().union(*self._servers.values())
        self._feeds = {url: block for url, block in self._feeds.items() if url in followed}

    def follow(self, guild_id: int, url: str) -> None:
        """The server follows ``url``."""
        self._servers.setdefault(guild_id, set()).add(url)

    def unfollow(self, guild_id: int, url: str) -> None:
        """The server no longer follows ``url``; a feed nobody follows is dropped."""
        self._servers.get(guild_id, set()).discard(url)
        if not self._followed(url):
            self._feeds.pop(url, None)

    def _followed(self, url: str) -> bool:
        return any(url in urls for urls in self._servers.values())

    async def replace(self, url: str, items: list[FeedHeadline]) -> None:
        """``url``'s headlines are now ``items`` (as the store keeps them), unless no server
        follows it any more (unfollowed while it was polled). Reading their words for the
        judge takes some 60-120 ms for a feed of 250 items: done in a thread, so that polling
        many feeds never stalls the event loop."""
        blocks = await asyncio.to_thread(_blocks, items)
        if self._followed(url):
            self._feeds[url] = blocks

    def links(self, url: str) -> frozenset[str]:
        """The links of ``url``'s headlines held here (as the store kept them)."""
        return frozenset(h.url for block in self._feeds.get(url, {}).values()
                         for h in block.headlines if h.url)

    def headlines(self, guild_id: int) -> int:
        """How many headlines the server's feeds hold."""
        return sum(len(block.headlines) for u in self._servers.get(guild_id, ())
                   for block in self._feeds.get(u, {}).values())

    def _pool(self, guild_id: int, use: str) -> _Pool | None:
        """The server's feeds' headlines for ``use`` as the judge reads them at once, kept
        while its feeds and their headlines stay the same (for the ``POOLS`` pools matched
        last)."""
        blocks = tuple(block for url in self._servers.get(guild_id, ())
                       if (block := self._feeds.get(url, {}).get(use)) is not None)
        if not blocks:
            return None
        kept = self._pools.pop((guild_id, use), None)
        if kept is None or len(kept.blocks) != len(blocks) or any(
                a is not b for a, b in zip(kept.blocks, blocks, strict=True)):
            sizes = [len(b.headlines) for b in blocks]
            kept = _Pool(blocks, TermRows.joined([b.terms for b in blocks]),
                         np.concatenate([b.hubs for b in blocks]),
                         np.repeat(np.arange(len(blocks)), sizes), np.cumsum([0, *sizes]))
        self._pools[guild_id, use] = kept
        while len(self._pools) > POOLS:
            self._pools.pop(next(iter(self._pools)))
        return kept

    def candidates(self, guild_id: int, vector: np.ndarray, text: str
                   ) -> list[tuple[float, Headline, str]]:
        """The server's feed headlines the judge finds for the story ``vector`` (its text is
        ``text``): (the judge's probability, headline, use), for ``confirmed`` to decide. All
        its feeds' headlines of each of the judge's uses (``FEED_USES``) judged in one call (a
        matrix product per feed, then the text features of those within reach at once)."""
        found: list[tuple[float, Headline, str]] = []
        for use in FEED_USES:
            pool = self._pool(guild_id, use)
            if pool is None:
                continue
            cosine = np.concatenate([b.vectors @ vector for b in pool.blocks])
            for probability, k in story_candidates(vector, text, None, pool.terms, use,
                                                   pool.hubs, pool.groups, cosine):
                block = int(pool.groups[k])
                found.append((probability,
                              pool.blocks[block].headlines[k - int(pool.starts[block])], use))
        return found

    def match(self, guild_id: int, vector: np.ndarray, text: str,
              limit: int = FEED_LIMIT) -> list[Headline]:
        """Up to ``limit`` of the server's feed headlines about the same story as ``vector``
        (the story's text is ``text``), best first: the ``candidates``, ``confirmed`` (the pair
        reader's part blocks: ``with_feeds`` runs it off the event loop)."""
        found = self.candidates(guild_id, vector, text)
        return _best(found, confirmed(text, _read(found)), limit)

    async def with_feeds(self, guild_id: int, digest: Digest, story: StoryPrint) -> Digest:
        """``digest`` with the server's feed headlines about its story added to its related
        headlines (none it already has, nor the article itself), where its language gets
        related headlines (``summariser.related.gets_related``). The judge runs here, on the
        event loop (a matrix product and a few array operations); the pair reader in a
        thread."""
        if not gets_related(digest.lang):  # the judge and the pair reader read English
            return digest
        vector = np.frombuffer(story.vector, dtype=np.float32)
        have = {h.url for h in digest.related if h.url} | {digest.url}
        titles = {h.title.lower() for h in digest.related} | {(digest.title or "").lower()}
        found = [c for c in self.candidates(guild_id, vector, story.text)
                 if c[1].url not in have and c[1].title.lower() not in titles]
        if not found:
            return digest
        decided = await asyncio.to_thread(confirmed, story.text, _read(found))
        chosen = _best(found, decided, FEED_LIMIT)
        return replace(digest, related=digest.related + tuple(chosen)) if chosen else digest


def _read(found: list[tuple[float, Headline, str]]) -> list[tuple[float, str, str]]:
    """The candidates as ``confirmed`` reads them: the judge's probability, headline, use."""
    return [(p, headline.title, use) for p, headline, use in found]


def _best(found: list[tuple[float, Headline, str]], decided: list[float | None], limit: int
          ) -> list[Headline]:
    """Up to ``limit`` of the candidates ``found`` that ``confirmed`` kept (``decided``), best
    first (ties in the order found), one per link (or headline, without one)."""
    kept = sorted(((p, c[1]) for p, c in zip(decided, found, strict=True) if p is not None),
                  key=lambda pair: -pair[0])
    chosen: list[Headline] = []
    seen: set[str] = set()
    for _, headline in kept:
        key = headline.url or headline.title.lower()
        if key not in seen:
            seen.add(key)
            chosen.append(headline)
        if len(chosen) == limit:
            break
    return chosen


class FeedPoller:
    """Polls the followed feeds in the background and keeps the index up to date."""

    def __init__(self, store: FeedStore, runner: Runner, index: FeedIndex, interval: float,
                 keep_days: float) -> None:
        self.store = store
        self.runner = runner
        self.index = index
        self.interval = interval
        self.keep_days = keep_days
        self.polled = 0  # polls that worked (a 304 included)
        self.failed = 0  # polls that failed
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start polling."""
        self._task = asyncio.create_task(self._run(), name="feeds")

    async def stop(self) -> None:
        """Stop polling (a poll in progress is abandoned; it is done again next time)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        tick = max(1.0, min(60.0, self.interval / 4))
        while True:
            try:
                await self.poll_due()
            except StoreUnavailable:
                log.warning("feeds: the database is unavailable; polling again later")
            except Exception:  # a bug must not end polling for good: log it, go on
                log.exception("feeds: polling failed; trying again in %.0f s", tick)
            if cancel_requested():
                raise asyncio.CancelledError
            await asyncio.sleep(tick)

    async def poll_due(self) -> int:
        """Poll every feed that is due; how many were polled."""
        due = await self.store.due_feeds(time.time())
        for url, etag, modified in due:
            with contextlib.suppress(DigestError):  # recorded and logged by poll
                await self.poll(url, etag, modified)
        return len(due)

    async def poll(self, url: str, etag: str | None = None,
                   modified: str | None = None) -> FeedUpdate:
        """Poll ``url`` now and record the outcome; DigestError says why it failed (an
        unexpected error too, after it is logged: it is recorded as the feed's failure)."""
        try:
            update = await self.runner.poll(FeedJob(url, etag, modified, self.index.links(url)))
        except Exception as exc:
            error = exc if isinstance(exc, DigestError) else FetchFailed.because("broken")
            if error is not exc:  # a bug: logged, and the feed backs off as a failed one does;
                # unrecorded, it stayed first in line and stopped every later feed's poll
                log.exception("feed %s: polling it failed unexpectedly", for_log(url))
            self.failed += 1
            failures, wait = await self.store.failed_poll(url, stored_reason(error),
                                                          self.interval, MAX_BACKOFF)
            log.info("feed %s failed (%d in a row): %s; next try in %.0f min", for_log(url),
                     failures, error.reason, wait / 60)
            if error is exc:
                raise
            raise error from exc
        self.polled += 1
        await self.record(update)
        return update

    async def record(self, update: FeedUpdate) -> None:
        """Store a good poll of ``update.url`` and refresh its headlines in the index: after a
        "304 Not Modified" too, since the store's window of ``keep_days`` moved on."""
        await self.store.save_poll(update, time.time() + self.interval, self.keep_days)
        stored = (await self.store.feed_headlines({update.url})).get(update.url, [])
        await self.index.replace(update.url, stored)
        log.info("feed %s: %d new items, %d kept", for_log(update.url), len(update.items),
                 len(stored))
