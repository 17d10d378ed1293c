"""python -m bot / article-digest: run the bot as a service.

Own start-up and shutdown rather than ``bot.run()``: SIGTERM or SIGINT stop accepting, let the
digest in progress finish, answer what is queued, close the database and the HTTP session, and
exit 0, all within ``SHUTDOWN_GRACE`` seconds whatever the gateway is doing (a reconnect backoff
included).

Exit codes: 0 after a clean stop; 78 (EX_CONFIG) for a configuration error found at start-up (a
missing token, a bad setting, a summariser or model that cannot load), with one line saying
which; 1 when Discord refuses the token or start-up fails otherwise, also with one line. systemd
restarts on failure but not on 78 (``deploy/article-digest.service``).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import threading

import aiohttp
import discord
from dotenv import find_dotenv, load_dotenv

from bot.app import bot_for
from bot.config import BotSettings, MissingToken
from bot.logs import configure_logging
from summariser.errors import DigestError
from summariser.summarise import resolve_method

EX_CONFIG = 78
log = logging.getLogger("bot")


class Crashed(Exception):
    """The bot stopped on an unexpected error after it had started (the cause says which)."""


class StartupError(Exception):
    """Start-up failed for a reason one line can say; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def read_settings(program: str) -> BotSettings | None:
    """The settings from the environment and ``.env``; None, after one line on stderr that
    names the problem, if they are not usable (the caller exits 78). ``.env`` is the one of the
    directory it is run in, or of the nearest one above it."""
    load_dotenv(find_dotenv(usecwd=True))
    try:
        settings = BotSettings.from_env()
        try:
            resolve_method(settings.summariser.method)
        except ValueError as exc:
            raise ValueError(f"SUMMARISER_METHOD: {exc}") from exc
    except MissingToken as exc:
        print(f"{program}: {exc}", file=sys.stderr)
        return None
    except ValueError as exc:
        print(f"{program}: bad setting: {exc}", file=sys.stderr)
        return None
    return settings


async def serve(settings: BotSettings) -> None:
    """Run the bot until SIGTERM or SIGINT, then shut it down gracefully."""
    bot = bot_for(settings)
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
            deadline = loop.time() + settings.shutdown_grace
            try:
                await asyncio.wait_for(bot.shutdown(), settings.shutdown_grace)
            except TimeoutError:
                log.warning("graceful shutdown overran %.0f s; closing now",
                            settings.shutdown_grace)
                await asyncio.wait_for(bot.close(), 5)
            # The gateway may be in a reconnect backoff that close() does not interrupt.
            await asyncio.wait({runner}, timeout=max(0.1, deadline - loop.time()))
            if not runner.done():
                runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
        else:
            stopper.cancel()
            _stopped_by(runner, started=bot.accepting or bot.is_ready())


def _stopped_by(runner: asyncio.Task[None], *, started: bool) -> None:
    """Re-raise what stopped the client: once it had started, as ``Crashed``; before, as one
    clear line where we know what it means."""
    if started:
        error = runner.exception()
        if error is not None:
            raise Crashed() from error
        return
    try:
        runner.result()
    except (discord.LoginFailure, discord.PrivilegedIntentsRequired):
        raise
    except DigestError as exc:  # the model or summariser could not load
        raise StartupError(f"the summariser cannot start: {exc.reason}", EX_CONFIG) from exc
    except (aiohttp.ClientError, OSError, discord.GatewayNotFound) as exc:
        raise StartupError(f"cannot reach Discord or open a file: {exc}") from exc


def usage(program: str, what: str, argv: list[str] | None = None) -> None:
    """``--help`` (and nothing else: the settings are the environment's) for ``program``."""
    argparse.ArgumentParser(
        prog=program, description=what,
        epilog="Settings come from the environment or a .env file (see .env.example and the "
               "README's settings tables); exit status 78 means a setting is wrong.",
    ).parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """``python -m bot``: read the settings, serve, and exit with a status an init system
    understands (78 for a configuration error)."""
    usage("python -m bot", "Run the article-digest Discord bot as a service.", argv)
    settings = read_settings("article-digest")
    if settings is None:
        return EX_CONFIG
    configure_logging(settings.log_level)
    code = 0
    try:
        asyncio.run(serve(settings))
    except discord.LoginFailure:
        log.error("Discord refused the token (DISCORD_TOKEN): check it in the developer portal")
        code = 1
    except discord.PrivilegedIntentsRequired:
        log.error("enable the Message Content intent for this bot in the developer portal")
        code = 1
    except StartupError as exc:
        log.error("%s", exc)
        code = exc.code
    except Crashed as exc:
        log.error("the bot stopped on an unexpected error", exc_info=exc.__cause__)
        code = 1
    except Exception as exc:  # a bug at start-up: its traceback, once
        log.error("start-up failed: %s: %s", type(exc).__name__, exc, exc_info=exc)
        code = 1
    return leave(code)


def leave(code: int) -> int:
    """``code``, for a process's ``main`` to return once its service has stopped. A digest
    thread still inside a slow fetch (or a database thread a cancelled teardown left open)
    would hold the interpreter at exit: everything that could be answered has been, and a job
    left in hand is another worker's, so the process leaves without waiting for it."""
    lingering = [t.name for t in threading.enumerate()
                 if t.is_alive() and not t.daemon and t is not threading.main_thread()]
    if lingering:
        log.warning("leaving %s behind", ", ".join(lingering))
        logging.shutdown()
        os._exit(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
