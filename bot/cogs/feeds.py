"""/feeds add|remove|list: the RSS and Atom feeds a server follows (Manage Server only).

A feed is polled once when it is added, so the moderator learns at once whether it works (a
private address, a page that is not a feed, a site that refuses us) and how many headlines it
has; only a feed that worked is followed. A site's page that names its feed in its head (as
sites do for feed readers) stands for that feed. Digests made in the server then get the feed
headlines about the same story (``bot/feeds.py``). Answers are in the server's language
(``bot/locale.py``), why a fetch failed included; a feed's title and address stay as they are.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.inputs import normalise_url
from bot.locale import (
    CommandWording,
    command_words,
    headlines,
    interaction_language,
    stored_reason_in,
)
from bot.models import FeedJob
from bot.render import CONTENT_MAX
from bot.replies import defer, describe, respond
from bot.storage import FeedLimitReached, StoreUnavailable
from summariser.errors import DigestError

if TYPE_CHECKING:
    from bot.app import DigestBot

log = logging.getLogger(__name__)


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

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """The bot left a server (it was removed, or the server was deleted): its feeds are
        unfollowed, so a feed nobody else follows is no longer polled, every interval, for
        ever. A store that cannot be written now leaves them (said in the log)."""
        store = self.bot.feed_store
        if store is None:
            return
        try:
            followed = await store.followed(guild.id)
            for feed in followed:
                await store.unfollow(guild.id, feed.url)
                self.bot.feeds.unfollow(guild.id, feed.url)
        except StoreUnavailable:
            log.warning("left server %d: its feeds could not be unfollowed (the store is "
                        "unavailable); they are still polled", guild.id)
            return
        if followed:
            log.info("left server %d: %d feed(s) unfollowed", guild.id, len(followed))

    async def _manager(self, interaction: discord.Interaction) -> int | None:
        """The server's id when the user may manage its feeds; otherwise None, and the user
        has been told why."""
        if interaction.guild_id is None or not interaction.permissions.manage_guild:
            await respond(interaction, ephemeral=True,
                          content=_words(interaction).manage_server)
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
        language = interaction_language(interaction)
        wording = command_words(language)
        url = normalise_url(url)
        if not url.startswith(("http://", "https://")):
            await respond(interaction, ephemeral=True, content=wording.feed_address)
            return
        store = self.bot.feed_store
        assert store is not None  # commands run after setup_hook
        # Acknowledged before the store is asked: a store that is slow to answer (Redis down
        # takes seconds to say so) must not make the answer miss Discord's 3-second window.
        await defer(interaction, ephemeral=True)
        try:
            followed = await store.followed(guild_id)
        except StoreUnavailable:
            await respond(interaction, ephemeral=True, content=wording.unsaved)
            return
        if any(feed.url == url for feed in followed):
            await respond(interaction, ephemeral=True, content=wording.already.format(url=url))
            return
        if len(followed) >= self.bot.settings.feeds_per_server:  # before polling it for nothing
            await respond(interaction, ephemeral=True, content=_full(len(followed), language))
            return
        try:  # once now: only a feed that works is followed
            update = await self.bot.check_feed(FeedJob(url))
        except DigestError as exc:
            await respond(interaction, ephemeral=True,
                          content=wording.couldnt_follow.format(
                              url=url, why=describe(exc, language)))
            return
        feed_url = update.found_at or url  # a site's page names its feed: follow the feed
        if any(feed.url == feed_url for feed in followed):
            await respond(interaction, ephemeral=True,
                          content=wording.already.format(url=feed_url))
            return
        update = replace(update, url=feed_url)
        try:
            # The cap once more, checked and written in one step: two adds at once cannot
            # both pass it.
            if not await store.follow(guild_id, feed_url, self.bot.settings.feeds_per_server):
                await respond(interaction, ephemeral=True,
                              content=wording.already.format(url=feed_url))
                return
        except FeedLimitReached as full:
            await respond(interaction, ephemeral=True, content=_full(full.following, language))
            return
        except StoreUnavailable:
            await respond(interaction, ephemeral=True, content=wording.unsaved)
            return
        self.bot.feeds.follow(guild_id, feed_url)
        stored = True  # its first headlines; the follow itself is saved either way
        try:
            if self.bot.poller is not None:
                await self.bot.poller.record(update)
            else:  # scaled mode: the title now; a worker polls it at once for its headlines
                await store.save_poll(replace(update, etag=None, last_modified=None), 0.0,
                                      self.bot.settings.feed_keep_days)
        except StoreUnavailable as exc:
            log.warning("feed %s is followed, but its first headlines could not be stored "
                        "(%s): they come with its next poll", feed_url, exc)
            stored = False
        name = f"**{discord.utils.escape_markdown(update.title)}** " if update.title else ""
        so_far = (wording.so_far.format(headlines=headlines(len(update.items), language))
                  if self.bot.poller is not None and stored else wording.arriving)
        await respond(interaction, ephemeral=True, content=wording.following.format(
            name=name, url=feed_url, so_far=so_far))

    @feeds.command(name="remove", description="Stop following a feed")
    @app_commands.describe(url="The feed's address, as /feeds list shows it")
    async def remove(self, interaction: discord.Interaction, url: str) -> None:
        """Stop following a feed."""
        guild_id = await self._manager(interaction)
        if guild_id is None:
            return
        wording = _words(interaction)
        url = normalise_url(url)
        store = self.bot.feed_store
        assert store is not None
        await defer(interaction, ephemeral=True)  # before the store
        try:
            removed = await store.unfollow(guild_id, url)
        except StoreUnavailable:
            await respond(interaction, ephemeral=True, content=wording.unsaved)
            return
        self.bot.feeds.unfollow(guild_id, url)
        await respond(interaction, ephemeral=True, content=(
            wording.stopped if removed else wording.not_followed).format(url=url))

    @feeds.command(name="list", description="The feeds this server follows")
    async def list_feeds(self, interaction: discord.Interaction) -> None:
        """List the server's feeds with their headline counts and any trouble."""
        guild_id = interaction.guild_id
        store = self.bot.feed_store
        assert store is not None and guild_id is not None
        language = interaction_language(interaction)
        wording = command_words(language)
        await defer(interaction, ephemeral=True)  # before the store
        try:
            followed = await store.followed(guild_id)
        except StoreUnavailable:
            await respond(interaction, ephemeral=True, content=wording.unreadable)
            return
        if not followed:
            await respond(interaction, ephemeral=True, content=wording.none_followed)
            return
        lines = []
        for feed in followed:
            name = discord.utils.escape_markdown(feed.title) if feed.title else wording.untitled
            line = f"• {name} <{feed.url}>: {headlines(feed.items, language)}"
            if feed.failures:
                line += wording.failing.format(
                    error=stored_reason_in(feed.last_error or "", language))
            lines.append(line)
        # Whole lines, in as many messages as they take: a server's 20 feeds of long addresses
        # run past one message's 2,000 characters (the last ones were cut off, mid-address).
        for part in _messages(lines):
            await respond(interaction, ephemeral=True, content=part)


def _messages(lines: list[str], limit: int = CONTENT_MAX) -> list[str]:
    """``lines`` joined into messages of at most ``limit`` characters, each line whole (a
    line longer than that alone, to be trimmed)."""
    parts: list[str] = []
    for line in lines:
        if parts and len(parts[-1]) + 1 + len(line) <= limit:
            parts[-1] += "\n" + line
        else:
            parts.append(line)
    return parts


def _words(interaction: discord.Interaction) -> CommandWording:
    return command_words(interaction_language(interaction))


def _full(following: int, language: str) -> str:
    return command_words(language).full.format(count=following)


async def setup(bot: DigestBot) -> None:
    """Add the cog (discord.py's extension entry point)."""
    await bot.add_cog(Feeds(bot))
