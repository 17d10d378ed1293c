"""python -m bot / article-digest: run the bot as a service.

Own start-up and shutdown rather than ``bot.run()``: SIGTERM or SIGINT stop accepting, let the
digest in progress finish, answer what is queued, close the database and the HTTP session, exit 0.
Exit 78 (EX_CONFIG) when DISCORD_TOKEN is missing, 1 when the token is refused.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

import discord
from dotenv import load_dotenv

from bot.app import DigestBot
from bot.config import BotSettings, MissingToken

EX_CONFIG = 78
log = logging.getLogger("bot")


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    logging.getLogger("discord.http").setLevel(logging.WARNING)
    logging.getLogger("discord.gateway").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)


async def serve(settings: BotSettings) -> None:
    bot = DigestBot(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with bot:
        runner = asyncio.create_task(bot.start(settings.token.reveal()), name="discord")
        stopper = asyncio.create_task(stop.wait(), name="signals")
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            log.info("signal received; shutting down")
            await bot.shutdown()
            await runner
        else:
            stopper.cancel()
            runner.result()  # re-raise what stopped the client


def main() -> int:
    load_dotenv()
    try:
        settings = BotSettings.from_env()
    except MissingToken as exc:
        print(f"article-digest: {exc}", file=sys.stderr)
        return EX_CONFIG
    except ValueError as exc:
        print(f"article-digest: bad setting: {exc}", file=sys.stderr)
        return EX_CONFIG
    configure_logging(settings.log_level)
    try:
        asyncio.run(serve(settings))
    except discord.LoginFailure:
        log.error("Discord refused the token (DISCORD_TOKEN): check it in the developer portal")
        return 1
    except discord.PrivilegedIntentsRequired:
        log.error("enable the Message Content intent for this bot in the developer portal")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
