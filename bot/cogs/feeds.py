"""/feeds add|remove|list: the RSS and Atom feeds a server follows (Manage Server only).

A feed is polled once when it is added, so the moderator learns at once whether it works (a
private address, a page that is not a feed, a site that refuses us) and how many headlines it
has; only a feed that worked is followed. A site's page that names its feed in its head (as
sites do for feed readers) stands for that feed. Digests made in the server then get the feed
headlines about the same story (``bot/feeds.py``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.inputs import normalise_url
from bot.models import FeedJob
from bot.replies import describe, respond
from bot.storage import FeedLimitReached, StoreUnavailable
from summariser.errors import DigestError

if TYPE_CHECKING:
    from bot.app import DigestBot

UNSAVED = ("I couldn't save that just now (the database is busy); nothing changed. Please try "
           "again in a minute.")


def _headlines(count: int) -> str:
    return f"{count} headline" + ("" if count == 1 else "s")


class Feeds(commands.Cog):
    """``/feeds add|remove|list``: the feeds whose headlines this server's digests draw on."""

    feeds = app_commands.Group(
        name="feeds",
        description="RSS and Atom feeds whose headlines this server's digests can suggest",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: DigestBot) -> None:
        self.bot = bot

    async def _manager(self, interaction: discord.Interaction) -> int | None:
        """The server's id when the user may manage its feeds; otherwise None, and the user
        has been told why."""
        if interaction.guild_id is None or not interaction.permissions.manage_guild:
            await respond(interaction, ephemeral=True,
                          content="You need the Manage Server permission to change feeds.")
            return None
        return interaction.guild_id

    @feeds.command(name="add", description="Follow an RSS or Atom feed")
    @app_commands.describe(url="The feed's address (RSS or Atom), or a page of the site that "
                                "names its feed")
    async def add(self, interaction: discord.Interaction, url: str) -> None:
        """Poll the feed once and follow it if it works."""
        guild_id = await self._manager(interaction)
        if guild_id is None:
            return
        url = normalise_url(url)
        if not url.startswith(("http://", "https://")):
            await respond(interaction, ephemeral=True,
                          content="Give the feed's http or https address.")
            return
        store = self.bot.feed_store
        assert store is not None  # commands run after setup_hook
        try:
            followed = await store.followed(guild_id)
        except StoreUnavailable:
            await respond(interaction, ephemeral=True, content=UNSAVED)
            return
        if any(feed.url == url for feed in followed):
            await respond(interaction, ephemeral=True, content=f"Already following <{url}>.")
            return
        if len(followed) >= self.bot.settings.feeds_per_server:  # before polling it for nothing
            await respond(interaction, ephemeral=True, content=_full(len(followed)))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:  # once now: only a feed that works is followed
            update = await self.bot.check_feed(FeedJob(url))
        except DigestError as exc:
            await respond(interaction, ephemeral=True,
                          content=f"I couldn't follow <{url}>: {describe(exc)}.")
            return
        feed_url = update.found_at or url  # a site's page names its feed: follow the feed
        if any(feed.url == feed_url for feed in followed):
            await respond(interaction, ephemeral=True,
                          content=f"Already following <{feed_url}>.")
            return
        update = replace(update, url=feed_url)
        try:
            # The cap once more, checked and written in one step: two adds at once cannot
            # both pass it.
            if not await store.follow(guild_id, feed_url, self.bot.settings.feeds_per_server):
                await respond(interaction, ephemeral=True,
                              content=f"Already following <{feed_url}>.")
                return
            self.bot.feeds.follow(guild_id, feed_url)
            if self.bot.poller is not None:
                await self.bot.poller.record(update)
            else:  # scaled mode: the title now; a worker polls it at once for its headlines
                await store.save_poll(replace(update, etag=None, last_modified=None), 0.0,
                                      self.bot.settings.feed_keep_days)
        except FeedLimitReached as full:
            await respond(interaction, ephemeral=True, content=_full(full.following))
            return
        except StoreUnavailable:
            await respond(interaction, ephemeral=True, content=UNSAVED)
            return
        name = f"**{discord.utils.escape_markdown(update.title)}** " if update.title else ""
        so_far = (f"{_headlines(len(update.items))} so far" if self.bot.poller is not None
                  else "its headlines arrive within a minute")
        await respond(interaction, ephemeral=True, content=(
            f"Following {name}<{feed_url}>: {so_far}. Digests in this server will suggest the "
            "ones about the same story."))

    @feeds.command(name="remove", description="Stop following a feed")
    @app_commands.describe(url="The feed's address, as /feeds list shows it")
    async def remove(self, interaction: discord.Interaction, url: str) -> None:
        """Stop following a feed."""
        guild_id = await self._manager(interaction)
        if guild_id is None:
            return
        url = normalise_url(url)
        store = self.bot.feed_store
        assert store is not None
        try:
            removed = await store.unfollow(guild_id, url)
        except StoreUnavailable:
            await respond(interaction, ephemeral=True, content=UNSAVED)
            return
        self.bot.feeds.unfollow(guild_id, url)
        await respond(interaction, ephemeral=True, content=(
            f"Stopped following <{url}>." if removed else f"This server doesn't follow <{url}>."))

    @feeds.command(name="list", description="The feeds this server follows")
    async def list_feeds(self, interaction: discord.Interaction) -> None:
        """List the server's feeds with their headline counts and any trouble."""
        guild_id = interaction.guild_id
        store = self.bot.feed_store
        assert store is not None and guild_id is not None
        try:
            followed = await store.followed(guild_id)
        except StoreUnavailable:
            await respond(interaction, ephemeral=True,
                          content="I couldn't read the feeds just now; try again in a minute.")
            return
        if not followed:
            await respond(interaction, ephemeral=True, content=(
                "This server follows no feeds. Add one with `/feeds add url:`."))
            return
        lines = []
        for feed in followed:
            name = discord.utils.escape_markdown(feed.title) if feed.title else "(untitled)"
            line = f"• {name} <{feed.url}>: {_headlines(feed.items)}"
            if feed.failures:
                line += f" (failing: {feed.last_error})"
            lines.append(line)
        await respond(interaction, ephemeral=True, content="\n".join(lines)[:1900])


def _full(following: int) -> str:
    return (f"This server already follows {following} feeds, the most it can; remove one "
            "first.")


async def setup(bot: DigestBot) -> None:
    """Add the cog (discord.py's extension entry point)."""
    await bot.add_cog(Feeds(bot))
