"""Who may read a channel, as far as "Earlier in this server" cares: a digest made in a channel
not every member of the server can read (a moderators' channel, a private thread) is shown only
under digests made in that same channel; one made where everyone can read may be shown
anywhere in the server. Read from the gateway's cache of the server's channels and roles, when
a request arrives; a channel it cannot tell is taken as private."""

from __future__ import annotations

import discord

from bot.models import PUBLIC


def scope_of(channel: object) -> str:
    """``PUBLIC`` where the server's @everyone may view ``channel`` (a public thread: its parent
    channel), else the channel's own scope (``"channel:<id>"``). A DM's is its own too, though
    DMs keep no history."""
    if isinstance(channel, discord.Thread):
        if channel.is_private():
            return f"channel:{channel.id}"
        parent = channel.parent
        if parent is None:
            return f"channel:{channel.id}"
        channel = parent
    if isinstance(channel, discord.abc.GuildChannel) and channel.permissions_for(
            channel.guild.default_role).view_channel:
        return PUBLIC
    return f"channel:{getattr(channel, 'id', 0)}"
