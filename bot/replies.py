"""One place that words failures for users and knows how to answer an interaction.

``describe`` maps an error to one short line. ``respond`` answers an interaction whether or not
it was already acknowledged, and when the interaction token has expired (15 minutes) it falls
back to a plain channel message, so a slow digest is never lost.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.worker import Busy, ShuttingDown
from summariser.errors import DigestError

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()

_WORDING = {
    "empty": "there's nothing to summarise there",
    "unsupported": "{reason}; I can read links, pasted text and .txt files",
    "bad_url": "{reason}",
    "blocked": "that link points to a private or local network address, so I won't open it",
    "unreachable": "I couldn't reach the site: {reason}",
    "refused": "the site refused us: {reason}",
    "content_type": "{reason}",
    "too_large": "the page is too large to read: {reason}",
    "not_article": "I couldn't find an article there (a login wall, paywall or video page?)",
    "too_short": "that's too short to summarise: it's already brief",
    "too_long": "that's too long for me to summarise: {reason}",
    "model": "the summariser isn't available right now; the admins have been told",
}
BUSY = "I'm busy right now; please try again in a minute."
RESTARTING = "I'm restarting; please try again in a minute."
INTERNAL = "something went wrong on my side; it's been logged."
NOTHING = "There's nothing to summarise here: no article link, pasted article or .txt file."
# Discord's JSON error codes for a dead interaction: Unknown interaction, Invalid webhook token.
_EXPIRED_CODES = {10062, 50027, 10015}


def describe(error: BaseException) -> str:
    """One short line for a failure, without a leading capital so it can follow a label."""
    if isinstance(error, Busy):
        return BUSY
    if isinstance(error, ShuttingDown):
        return RESTARTING
    if isinstance(error, DigestError):
        return _WORDING.get(error.kind, "{reason}").format(reason=error.reason)
    log.error("unexpected error while digesting", exc_info=error)
    return INTERNAL


def failure_line(label: str, error: BaseException) -> str:
    if isinstance(error, (Busy, ShuttingDown)):
        return f"⚠️ {describe(error)}"
    shown = f"<{label}>" if label.startswith(("http://", "https://")) else label
    return f"⚠️ Couldn't digest {shown}: {describe(error)}"


async def respond(
    interaction: discord.Interaction, *, ephemeral: bool = False, **kwargs: Any
) -> None:
    """Answer ``interaction`` once more, however far along it is."""
    kwargs.setdefault("allowed_mentions", NO_PINGS)
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
        else:
            await interaction.followup.send(ephemeral=ephemeral, **kwargs)
        return
    except discord.HTTPException as exc:
        if exc.code not in _EXPIRED_CODES and exc.status != 401:
            raise
        log.info("interaction %s expired; answering in the channel instead", interaction.id)
    channel = interaction.channel
    if channel is None or not hasattr(channel, "send"):
        return
    content = kwargs.pop("content", None)
    prefix = f"{interaction.user.mention}, here is the digest you asked for."
    await channel.send(content=f"{prefix}\n{content}" if content else prefix, **kwargs)
