"""How every process of the bot logs: the bot, a scaled worker, and each digest worker process.

Lines carry time, level and source. Libraries that name secrets or every address they fetch
stay at WARNING: discord.py's HTTP, gateway and webhook logs (the webhook log names an
interaction's token in its routes at DEBUG) and httpx (one INFO line per request, with the
address's query: a feed's API key)."""

from __future__ import annotations

import logging

QUIET = ("discord.http", "discord.gateway", "discord.webhook", "httpx")
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
WORKER_FORMAT = "%(asctime)s %(levelname)-7s %(name)s[worker %(process)d]: %(message)s"


def configure_logging(level: str | int, fmt: str = FORMAT) -> None:
    """Log at ``level`` (a name such as "INFO", or a number) in ``fmt``; ``QUIET`` at
    WARNING."""
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO) if isinstance(level, str) else level,
        format=fmt)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
