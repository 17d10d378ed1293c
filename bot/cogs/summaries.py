"""Digests: links and pastes in opted-in channels, mentions and DMs, /summarise and the
"Summarise" message context menu. One feature, one cog."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.inputs import find_links, requests_from_message
from bot.ledger import Ticket
from bot.locale import command_words, interaction_language, language_of, words
from bot.models import (
    AttachmentInfo,
    FileRequest,
    QueuedAnswer,
    QueuedRequest,
    ReplyTarget,
    Request,
    TextRequest,
    UrlRequest,
)
from bot.render import CONTENT_MAX, trim
from bot.replies import (
    Outcome,
    Undelivered,
    answer_with,
    defer,
    describe,
    failure_line,
    respond,
    send_answer,
    typing_shown,
)
from bot.scopes import scope_of
from bot.service import read_attachment
from bot.workqueue import Busy, ShuttingDown, Unavailable
from summariser.errors import DigestError, FetchFailed
from summariser.models import Digest

if TYPE_CHECKING:
    from bot.app import DigestBot

log = logging.getLogger(__name__)


def _left_out(taken: int, left_out: int, language: str) -> list[str]:
    if not left_out:
        return []
    return [words(language).left_out.format(taken=taken, left_out=left_out)]


Pending = list[tuple[Request, Ticket, "asyncio.Future[Digest] | BaseException"]]


class Summaries(commands.Cog):
    """Answers every message or command that asks for a digest, with digests or a short
    reason; each answer runs as a task the bot tracks (``DigestBot.answer``)."""

    def __init__(self, bot: DigestBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(name="Summarise", callback=self.summarise_message)
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        """Take the context menu off the command tree."""
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    def _requests(self, message: discord.Message, explicit: bool) -> tuple[list[Request], int]:
        """What ``message`` asks to digest, and how many links were left out."""
        infos = [_attachment(a) for a in message.attachments]
        return requests_from_message(
            message.content, infos, explicit=explicit,
            min_paste_words=self.bot.settings.min_paste_words,
            max_links=self.bot.settings.max_links,
        )

    def _submit_all(
        self, source_id: int, user_id: int, target: ReplyTarget, requests: list[Request],
    ) -> Pending:
        """Queue each request (or note why it was refused), each with its ticket."""
        pending: Pending = []
        for number, request in enumerate(requests):
            ticket = Ticket(f"{source_id}.{number}", request.kind)
            try:
                future = self.bot.service.submit(user_id, request, target.guild_id,
                                                 request_id=ticket.id, scope=target.scope)
                pending.append((request, ticket, future))
                self.bot.ledger.taken()
            except (Busy, ShuttingDown) as exc:
                pending.append((request, ticket, exc))
                self.bot.ledger.taken(refused=exc)
        return pending

    # -- messages ------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer links and pastes in auto-digest channels, mentions and DMs."""
        if message.author.bot or not self.bot.accepting:
            return
        mentioned = self._called(message)
        explicit = message.guild is None or mentioned
        if not explicit and not self.bot.auto_digest_on(
                message.channel.id, getattr(message.channel, "parent_id", None)):
            return
        requests, left_out = self._requests(message, explicit)
        if not requests:
            if mentioned or message.guild is None:
                self.bot.answer(self._answer_nothing(message))
            return
        self.bot.answer(self._answer_message(message, requests, left_out))

    def _called(self, message: discord.Message) -> bool:
        """Does ``message`` call the bot by name: its mention, or its role's, written in the
        text? A reply to one of the bot's messages lists the bot among its ``mentions`` too
        (Discord pings the replied-to author by default): "thanks!" under a digest is no
        request."""
        me = self.bot.user
        if me is None:
            return False
        role = message.guild.self_role if message.guild else None
        return me.id in message.raw_mentions or (
            role is not None and role.id in message.raw_role_mentions)

    async def _answer_message(
        self, message: discord.Message, requests: list[Request], left_out: int
    ) -> None:
        guild_id = message.guild.id if message.guild else None
        language = _language(message)
        target = ReplyTarget(message.channel.id, guild_id, message_id=message.id,
                             language=language, scope=scope_of(message.channel))
        if self.bot.remote is not None:
            now, notes = await self._queue(str(message.id), message.author.id, target,
                                           requests, left_out, language)
            if now:  # nothing was queued: answer here and now
                await self._answer(target, f"{message.id}.0", now, notes)
            return
        pending = self._submit_all(message.id, message.author.id, target, requests)
        request_id = pending[0][1].id
        async with typing_shown(lambda: self.bot.http.send_typing(message.channel.id),
                                request_id):
            outcomes = await _outcomes(pending)
        digests = await self._answer(target, request_id, outcomes,
                                     _left_out(len(requests), left_out, language))
        if digests and self.bot.settings.suppress_original_embeds and message.guild:
            try:
                await message.edit(suppress=True)
            except discord.HTTPException:
                log.debug("could not suppress embeds on %s", message.id)

    async def _answer(self, target: ReplyTarget, request_id: str, outcomes: list[Outcome],
                      notes: list[str]) -> list[Digest]:
        """Send the answer (``answer_with``, in the target's language) and count each request
        once, answered or lost; the digests sent."""
        delivered, digests = await answer_with(self.bot, target, request_id, outcomes, notes)
        self.bot.ledger.settle([ticket for _, ticket, _ in outcomes], delivered)
        return digests

    async def _send(self, target: ReplyTarget, request_id: str, content: str) -> bool:
        """Send a short answer that is no digest; False if Discord would not take it."""
        try:
            await send_answer(self.bot, target, request_id,
                              content=trim(content, CONTENT_MAX) or None, embeds=[])
        except Undelivered:
            return False
        return True

    async def _answer_nothing(self, message: discord.Message) -> None:
        target = ReplyTarget(message.channel.id, message.guild.id if message.guild else None,
                             message_id=message.id)
        await self._send(target, f"{message.id}.0", words(_language(message)).nothing)

    # -- interactions --------------------------------------------------------------------------

    @app_commands.command(name="summarise", description="Digest a news article: a link, "
                          "pasted text or a .txt file")
    @app_commands.describe(url="A link to the article", text="The article's text",
                           file="A .txt file with the article")
    async def summarise(
        self, interaction: discord.Interaction, url: str | None = None,
        text: str | None = None, file: discord.Attachment | None = None,
    ) -> None:
        """``/summarise``: digest a link, pasted text or a file."""
        given = [option for option in (url, text, file) if option]
        wording = command_words(interaction_language(interaction))
        if len(given) != 1:
            await respond(interaction, ephemeral=True, content=wording.one_option)
            return
        request: Request
        if url:
            links = find_links(url)
            if not links:
                await respond(interaction, ephemeral=True, content=wording.not_a_link)
                return
            request = UrlRequest(links[0])
        elif text:
            request = TextRequest(text)
        else:
            assert file is not None  # exactly one option was given
            info = _attachment(file)
            if not info.readable:
                await respond(interaction, ephemeral=True, content=wording.attach_txt)
                return
            request = FileRequest(info)
        await self._answer_interaction(interaction, [request], 0)

    async def summarise_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """The "Summarise" context menu: digest what a message links or contains."""
        requests, left_out = self._requests(message, explicit=True)
        if not requests:
            await respond(interaction, ephemeral=True,
                          content=words(interaction_language(interaction)).nothing)
            return
        await self._answer_interaction(interaction, requests, left_out)

    async def _answer_interaction(
        self, interaction: discord.Interaction, requests: list[Request], left_out: int,
    ) -> None:
        language = interaction_language(interaction)
        if not self.bot.accepting:
            await respond(interaction, ephemeral=True,
                          content=describe(ShuttingDown(), language))
            return
        target = ReplyTarget(interaction.channel_id or 0, interaction.guild_id,
                             application_id=interaction.application_id,
                             interaction_token=interaction.token, user_id=interaction.user.id,
                             language=language, scope=scope_of(interaction.channel))
        if self.bot.remote is not None:
            request_id = str(interaction.id)
            # Acknowledged first: a worker may edit the deferred response a moment later.
            try:
                await defer(interaction, request_id)
            except Undelivered:  # Discord never heard of it: nothing queued, counted lost
                tickets = [Ticket(f"{request_id}.{number}", request.kind)
                           for number, request in enumerate(requests)]
                for _ in tickets:
                    self.bot.ledger.taken()
                self.bot.ledger.settle(tickets, False)
                return
            now, notes = await self._queue(request_id, interaction.user.id, target, requests,
                                           left_out, language)
            if now:  # nothing was queued: only the user sees why
                await self._answer(target, request_id, now, notes)
            return
        pending = self._submit_all(interaction.id, interaction.user.id, target, requests)
        tickets = [ticket for _, ticket, _ in pending]
        request_id = tickets[0].id
        refusals = [item for _, _, item in pending if isinstance(item, BaseException)]
        try:
            if len(refusals) == len(pending):
                for ticket, refusal in zip(tickets, refusals, strict=True):
                    ticket.finish(refusal)
                await respond(interaction, ephemeral=True,
                              content=describe(refusals[0], language), request_id=request_id)
                self.bot.ledger.settle(tickets, True)
                return
            await defer(interaction, request_id)
        except Undelivered:
            for _, ticket, item in pending:  # still resolve what was queued, then count it
                if ticket.outcome == "pending" and not isinstance(item, BaseException):
                    ticket.finish(await _settled(item))
            self.bot.ledger.settle(tickets, False)
            return
        await self._answer(target, request_id, await _outcomes(pending),
                           _left_out(len(requests), left_out, language))

    # -- scaled mode: the answer is queued in Redis and a worker process sends it ---------------

    async def _queue(self, answer_id: str, user_id: int, target: ReplyTarget,
                     requests: list[Request], left_out: int, language: str
                     ) -> tuple[list[Outcome], list[str]]:
        """Queue the answer to ``requests`` for a worker process (files read here, within
        their cap). What the gateway must answer itself, now, and count: the requests nothing
        was queued for (busy, Redis unreachable, files that could not be read), with the
        answer's notes; nothing once a worker has the answer (the line of a file that could
        not be read then goes with it, and is counted with it)."""
        assert self.bot.remote is not None
        queued: list[tuple[int, QueuedRequest]] = []
        unread: list[tuple[str, Ticket, DigestError]] = []  # files that could not be read
        for number, request in enumerate(requests):
            data = b""
            if isinstance(request, FileRequest):
                try:
                    data = await read_attachment(request.attachment,
                                                 self.bot.settings.max_attachment_bytes)
                except DigestError as exc:
                    unread.append((request.label, Ticket(f"{answer_id}.{number}", "file"), exc))
                    self.bot.ledger.taken()
                    continue
            queued.append((number, QueuedRequest.of(request, data)))
        notes = _left_out(len(requests), left_out, language)
        failed: list[Outcome] = list(unread)
        if not queued:
            return failed, notes
        lines = tuple(failure_line(label, why, language) for label, _, why in unread)
        answer = QueuedAnswer(answer_id, user_id, target, tuple(q for _, q in queued),
                              (*lines, *notes), time.time())
        try:
            taken = await self.bot.remote.offer(answer)
        except (Busy, Unavailable) as exc:
            log.info("request %s: %d request(s) refused: %s", answer_id, len(queued), exc)
            for number, item in queued:
                self.bot.ledger.taken(refused=exc)
                failed.append((item.label, Ticket(f"{answer_id}.{number}", item.job.kind), exc))
            return failed, notes
        for number in range(len(queued)):
            self.bot.ledger.taken(refused=Busy() if number >= taken else None)
        if self.bot.watch is not None:  # counted lost here should its job vanish from Redis
            self.bot.watch.watch(answer_id, [Ticket(f"{answer_id}.{number}", item.job.kind)
                                             for number, item in queued[:taken]])
        for _, ticket, why in unread:  # their lines go out with the worker's answer
            ticket.finish(why)
        self.bot.ledger.settle([ticket for _, ticket, _ in unread], True)
        return [], []


def _language(message: discord.Message) -> str:
    """The language of the bot's own words in a reply to ``message``: its server's locale."""
    return language_of(message.guild.preferred_locale if message.guild else None)


def _attachment(attachment: discord.Attachment) -> AttachmentInfo:
    """A Discord attachment as the plain value the service reads; a download that fails
    (Discord refusing it, a dropped connection, a timeout) is a ``FetchFailed`` the user is
    told to retry."""

    async def read() -> bytes:
        try:
            return await attachment.read()
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("could not download attachment %s: %r", attachment.id, exc)
            raise FetchFailed.because("attachment") from exc

    return AttachmentInfo(attachment.filename, attachment.size, attachment.url,
                          attachment.content_type, read)


async def _outcomes(pending: Pending) -> list[Outcome]:
    """Each request's label, ticket and digest (or why there is none), once all are done."""
    return [(request.label, ticket,
             item if isinstance(item, BaseException) else await _settled(item))
            for request, ticket, item in pending]


async def _settled(future: asyncio.Future[Digest]) -> Digest | BaseException:
    try:
        return await future
    except Exception as exc:
        return exc


async def setup(bot: DigestBot) -> None:
    """Add the cog (discord.py's extension entry point)."""
    await bot.add_cog(Summaries(bot))
