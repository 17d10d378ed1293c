"""Runs the real DigestBot, unmodified, against the fake Discord in this test process."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from pathlib import Path

import discord
from fake_discord import MANAGE_GUILD, Call, FakeDiscord

from bot.app import DigestBot, bot_for
from bot.config import BotSettings, Secret
from bot.worker import Worker, work
from summariser.digest import Digester

# discord.py waits this long after the last GUILD_CREATE before it calls the bot ready (2 s by
# default, for Discord's staggered guild streams); the fake sends every guild at once.
READY_WAIT = 0.05


@dataclass
class BotEnv:
    fake: FakeDiscord
    bot: DigestBot
    guild: dict
    task: asyncio.Task

    @property
    def news(self) -> dict:
        return {**self.guild["channels"][0], "guild_id": self.guild["id"]}

    @property
    def chat(self) -> dict:
        return {**self.guild["channels"][1], "guild_id": self.guild["id"]}

    async def turn_on(self, channel: dict) -> None:
        moderator = self.fake.user("moderator")
        await self.fake.slash("autodigest", [{"name": "on", "type": 1, "options": []}],
                              moderator, channel, self.guild,
                              permissions=MANAGE_GUILD | (1 << 11))
        await self.fake.wait_for(lambda c: c.path.startswith("/webhooks/")
                                 and "now **on**" in str(c.body))  # after "thinking…"

    async def replies_to(self, message: dict, timeout: float = 90) -> Call:
        calls = await self.fake.wait_for(
            lambda c: c.method == "POST" and c.path == f"/channels/{message['channel_id']}/messages"
            and str((c.body or {}).get("message_reference", {}).get("message_id")) == message["id"],
            timeout=timeout,
        )
        return calls[0]


async def until(condition: Callable[[], bool], timeout: float = 60.0,
                what: str = "the condition") -> None:
    """Wait until ``condition()`` holds (checked every 20 ms), failing after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


def is_post_to(channel: dict):
    return lambda c: c.method == "POST" and c.path == f"/channels/{channel['id']}/messages"


async def start_bot(digester: Digester, tmp_path: Path, *, processes: int = 0,
                    **overrides) -> BotEnv:
    """The bot on ``digester`` (in a thread), or, with ``processes``, on that many worker
    processes of its own that load the model with ``digester``'s settings."""
    fake = FakeDiscord()
    guild = fake.add_guild()
    await fake.start()
    settings = BotSettings(
        token=Secret(fake.token),
        database_path=tmp_path / "bot.sqlite3",
        api_base=fake.api_base,
        gateway_url=fake.gateway_url,
        summariser=digester.settings,
        shutdown_grace=10,
    )
    settings = replace(settings, **overrides)
    if processes:
        bot = DigestBot(replace(settings, workers=processes), guild_ready_timeout=READY_WAIT)
    else:
        bot = DigestBot(settings, digester=digester, guild_ready_timeout=READY_WAIT)
    task = asyncio.create_task(bot.start(fake.token))
    ready = asyncio.create_task(bot.wait_until_ready())
    done, _ = await asyncio.wait({task, ready}, timeout=120, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        task.result()  # surfaces the start-up error
    assert ready in done, "the bot never became ready"
    return BotEnv(fake, bot, guild, task)


async def stop_bot(env: BotEnv) -> None:
    await env.bot.shutdown()
    with contextlib.suppress(asyncio.CancelledError, discord.ConnectionClosed):
        await asyncio.wait_for(env.task, 30)
    await env.fake.close()


# -- scaled mode: gateway processes and workers over a real Redis --------------------------------

def scaled_settings(fake: FakeDiscord, redis_url: str, digester: Digester, tmp_path: Path,
                    **overrides) -> BotSettings:
    settings = BotSettings(
        token=Secret(fake.token), database_path=tmp_path / "unused.sqlite3",
        api_base=fake.api_base, gateway_url=fake.gateway_url, summariser=digester.settings,
        shutdown_grace=10, redis_url=Secret(redis_url), job_visibility=2.0,
        auto_digest_all=True,
    )
    return replace(settings, **overrides)


async def start_gateway(settings: BotSettings) -> tuple[DigestBot, asyncio.Task]:
    """A gateway process's bot (sharded when the settings say so), in this test process."""
    bot = bot_for(settings, guild_ready_timeout=READY_WAIT)
    task = asyncio.create_task(bot.start(settings.token.reveal()))
    ready = asyncio.create_task(bot.wait_until_ready())
    done, _ = await asyncio.wait({task, ready}, timeout=60, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        task.result()
    assert ready in done, "the gateway never became ready"
    return bot, task


async def stop_gateway(bot: DigestBot, task: asyncio.Task) -> None:
    await bot.shutdown()
    with contextlib.suppress(asyncio.CancelledError, discord.ConnectionClosed):
        await asyncio.wait_for(task, 30)


def guilds_on_every_shard(fake: FakeDiscord, count: int) -> list[dict]:
    """Add guilds until each of ``count`` shards has one (a guild's shard comes from its id);
    one guild per shard, in shard order."""
    found: dict[int, dict] = {}
    while len(found) < count:
        guild = fake.add_guild(f"Newsroom {len(fake.guilds)}")
        found.setdefault(fake.shard_of(int(guild["id"]), count), guild)
        time.sleep(0.001)  # the next snowflake's timestamp moves on
    for guild_id in [g for g in fake.guilds if g not in {int(f["id"]) for f in found.values()}]:
        del fake.guilds[guild_id]
    return [found[shard] for shard in range(count)]


def replies_in(fake: FakeDiscord, message: dict) -> list[dict]:
    """The messages Discord holds that reply to ``message`` (nonce repeats are one)."""
    return [m for m in fake.messages.values()
            if str((m.get("message_reference") or {}).get("message_id")) == message["id"]]


@dataclass
class ScaledRun:
    """A guild on the fake Discord, one gateway and one worker over Redis (``scaled_run``);
    once the run is over, ``worker`` is the worker as it stopped (its ledger)."""

    fake: FakeDiscord
    guild: dict
    bot: DigestBot
    worker: Worker | None = None

    @property
    def news(self) -> dict:
        return {**self.guild["channels"][0], "guild_id": self.guild["id"]}


@contextlib.asynccontextmanager
async def scaled_run(digester: Digester, tmp_path: Path, redis_url: str, *,
                     locale: str | None = None, **overrides) -> AsyncIterator[ScaledRun]:
    """Scaled mode in this test process: the fake Discord with one guild (in ``locale``), a
    gateway and a worker on ``digester``; all stopped on the way out, so what the tests read
    afterwards is final."""
    fake = FakeDiscord()
    guild = fake.add_guild()
    if locale:
        guild["preferred_locale"] = locale
    await fake.start()
    settings = scaled_settings(fake, redis_url, digester, tmp_path, **overrides)
    bot, task = await start_gateway(settings)
    stop = asyncio.Event()
    working = asyncio.create_task(work(settings, stop, digester))
    run = ScaledRun(fake, guild, bot)
    try:
        yield run
    finally:
        stop.set()
        run.worker = await working
        await stop_gateway(bot, task)
        await fake.close()
