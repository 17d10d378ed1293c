"""/autodigest on|off|status: switch automatic digests for a channel (Manage Server only).

Answers in the server's language (``bot/locale.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.locale import command_words, interaction_language
from bot.replies import defer, respond
from bot.storage import StoreUnavailable

if TYPE_CHECKING:
    from bot.app import DigestBot


class Settings(commands.Cog):
    """``/autodigest on|off|status``: a channel's automatic digests (Manage Server)."""

    autodigest = app_commands.Group(
        name="autodigest",
        description="Automatic digests of links and pasted articles in this channel",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: DigestBot) -> None:
        self.bot = bot

    async def _switch(self, interaction: discord.Interaction, on: bool) -> None:
        wording = command_words(interaction_language(interaction))
        if not interaction.permissions.manage_guild:
            await respond(interaction, ephemeral=True, content=wording.manage_server)
            return
        store = self.bot.switches
        guild_id, channel_id = interaction.guild_id, interaction.channel_id
        if store is None or guild_id is None or channel_id is None:  # commands are guild-only
            raise app_commands.NoPrivateMessage()
        # Acknowledged before the store is asked: a slow store must not make the answer miss
        # Discord's 3-second window.
        await defer(interaction, ephemeral=True)
        try:
            await store.set_auto_digest(guild_id, channel_id, on)
        except StoreUnavailable:
            await respond(interaction, ephemeral=True, content=wording.unsaved)
            return
        state = wording.on if on else wording.off
        channel = f"<#{interaction.channel_id}>"
        await respond(interaction, ephemeral=True,
                      content=wording.auto_now.format(state=state, channel=channel))

    @autodigest.command(name="on", description="Digest every article link posted in this channel")
    async def turn_on(self, interaction: discord.Interaction) -> None:
        """Digest every article posted in this channel."""
        await self._switch(interaction, True)

    @autodigest.command(name="off", description="Stop automatic digests in this channel")
    async def turn_off(self, interaction: discord.Interaction) -> None:
        """Stop automatic digests in this channel."""
        await self._switch(interaction, False)

    @autodigest.command(name="status", description="Are automatic digests on in this channel?")
    async def status(self, interaction: discord.Interaction) -> None:
        """Say whether automatic digests are on here."""
        wording = command_words(interaction_language(interaction))
        on = self.bot.auto_digest_on(interaction.channel_id,
                                     getattr(interaction.channel, "parent_id", None))
        state = wording.on if on else wording.off
        await respond(interaction, ephemeral=True, content=wording.auto_is.format(
            state=state, channel=f"<#{interaction.channel_id}>"))


async def setup(bot: DigestBot) -> None:
    """Add the cog (discord.py's extension entry point)."""
    await bot.add_cog(Settings(bot))
