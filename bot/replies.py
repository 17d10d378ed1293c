"""One place that words failures for users and delivers answers to Discord.

``describe`` maps an error to one short line. ``deliver`` sends an answer and retries it when
Discord fails (5xx, a 429 that discord.py gave up on, a dropped connection), with backoff that
honours ``retry_after``. ``respond`` answers an interaction whether or not it was already
acknowledged, and when the interaction token has expired (15 minutes) it falls back to a plain
channel message, so a slow digest is never lost. ``send_answer`` is the one path every digest
answer takes, in both modes: a reply to the message, or the deferred interaction's answer (a
failure only its user sees). ``typing_shown`` shows "typing…" while a digest is made: a cosmetic
call that can fail in any way without costing the answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any, TypeVar, cast

import aiohttp
import discord

from bot.ledger import Ticket
from bot.locale import DEFAULT, interaction_language, reason, words
from bot.models import ReplyTarget, TextRequest
from bot.render import CONTENT_MAX, digest_embeds, trim
from bot.workqueue import Busy, ShuttingDown, Unavailable
from summariser.errors import DigestError
from summariser.models import Digest

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()

# The English lines, by the names the rest of the bot uses (bot.locale words every language).
BUSY = words(DEFAULT).busy
RESTARTING = words(DEFAULT).restarting
UNAVAILABLE = words(DEFAULT).unavailable
INTERNAL = words(DEFAULT).internal
NOTHING = words(DEFAULT).nothing
# Discord's JSON error codes for a dead interaction: Unknown interaction, Invalid webhook token.
_EXPIRED_CODES = {10062, 50027, 10015}
_ALREADY_ACKNOWLEDGED = 40060
_UNKNOWN_MESSAGE = 10008  # the deferred response to edit is not there (never made, or deleted)
ATTEMPTS = 4  # tries per answer, the first included
BACKOFF = 1.0  # seconds before the second try; doubles each time (with jitter)
MAX_WAIT = 30.0  # never wait longer than this between two tries

T = TypeVar("T")


class Undelivered(Exception):
    """An answer could not be sent after every retry."""


def _retry_after(error: BaseException) -> float | None:
    """How long Discord asked us to wait, if it did (429 body or Retry-After header)."""
    if not isinstance(error, discord.HTTPException) or error.status != 429:
        return None
    response = getattr(error, "response", None)
    header = response.headers.get("Retry-After") if response is not None else None
    for value in (getattr(error, "retry_after", None), header):
        try:
            if value is not None:
                return float(value)
        except (TypeError, ValueError):
            continue
    return None


# What sending can fail with that is not a bug of ours: Discord's answer, or the network's.
SEND_ERRORS = (discord.HTTPException, aiohttp.ClientError, asyncio.TimeoutError, OSError)


def retryable(error: BaseException) -> bool:
    """Worth another try: Discord's side failed or asked us to slow down, or the network did."""
    if isinstance(error, discord.HTTPException):
        return error.status == 429 or error.status >= 500
    return isinstance(error, (aiohttp.ClientError, asyncio.TimeoutError, OSError))


async def deliver(send: Callable[[], Awaitable[T]], *, what: str, request_id: str = "-",
                  backoff: float = BACKOFF) -> T:
    """``await send()``, retried with backoff (``backoff`` seconds, doubling) on failures that
    are not ours; Undelivered when every try failed. Repeating a channel message is safe:
    callers pass a ``nonce`` so Discord keeps only one message however many tries reach it.
    Anything else ``send`` raises is a bug and propagates as it is, traceback and all."""
    delay = backoff
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await send()
        except SEND_ERRORS as exc:
            if not retryable(exc) or attempt == ATTEMPTS:
                # A warning: the caller may still answer another way (an expired interaction
                # goes to the channel); an answer that is lost for good is logged as an error
                # with its request id by the ledger.
                log.warning("request %s: could not send the %s after %d tries: %s",
                            request_id, what, attempt, exc)
                raise Undelivered(what) from exc
            wait = min(MAX_WAIT, _retry_after(exc) or delay * (1 + random.random() / 2))
            log.warning("request %s: sending the %s failed (%s); try %d in %.1f s", request_id,
                        what, exc, attempt + 1, wait)
            await asyncio.sleep(wait)
            delay *= 2
    raise AssertionError("unreachable")


TYPING_EVERY = 8.0  # seconds between two "typing…" calls: Discord shows one for 10 s


@contextlib.asynccontextmanager
async def typing_shown(trigger: Callable[[], Awaitable[object]],
                       request_id: str = "-") -> AsyncIterator[None]:
    """Show "typing…" while the body runs: ``trigger()`` (one typing call) now and every
    ``TYPING_EVERY`` seconds, in a task of its own. It is cosmetic: a refused call, a dropped
    connection or one that never answers is logged and changes nothing for the answer, which
    never waits for it."""

    async def keep_typing() -> None:
        while True:
            try:
                await trigger()
            except Exception as exc:  # cosmetic: whatever went wrong, the answer goes on
                log.debug("request %s: typing indicator failed: %s", request_id,
                          exc or type(exc).__name__)
            await asyncio.sleep(TYPING_EVERY)

    task = asyncio.create_task(keep_typing(), name=f"typing-{request_id}")
    try:
        yield
    finally:
        task.cancel()


def describe(error: BaseException, language: str = DEFAULT) -> str:
    """One short line for a failure, without a leading capital so it can follow a label, in
    ``language`` (``bot.locale``, the error's reason too where the summariser gives it by
    key)."""
    wording = words(language)
    if isinstance(error, Busy):
        return wording.busy
    if isinstance(error, ShuttingDown):
        return wording.restarting
    if isinstance(error, Unavailable):
        return wording.unavailable
    if isinstance(error, DigestError):
        return wording.failures.get(error.kind, "{reason}").format(
            reason=reason(error, language))
    log.error("unexpected error while digesting", exc_info=error)
    return wording.internal


Outcome = tuple[str, Ticket, "Digest | BaseException"]  # a request's label, ticket and result


def answer_parts(outcomes: Iterable[Outcome], language: str = DEFAULT
                 ) -> tuple[list[Digest], list[str]]:
    """An answer's digests, and a failure line for each request that gave none; each ticket
    records how its request ended."""
    digests: list[Digest] = []
    failures: list[str] = []
    for label, ticket, result in outcomes:
        ticket.finish(result)
        if isinstance(result, Digest):
            digests.append(result)
        else:
            failures.append(failure_line(label, result, language))
    return digests, failures


def failure_line(label: str, error: BaseException, language: str = DEFAULT) -> str:
    """The reply's line for one request that failed, naming it by ``label``."""
    if isinstance(error, (Busy, ShuttingDown, Unavailable)):
        return f"⚠️ {describe(error, language)}"
    shown = (f"<{label}>" if label.startswith(("http://", "https://"))
             else words(language).pasted if label == TextRequest.label else label)
    why = describe(error, language)
    return "⚠️ " + words(language).couldnt_digest.format(label=shown, why=why)


async def respond(
    interaction: discord.Interaction, *, ephemeral: bool = False, request_id: str | None = None,
    **kwargs: Any,
) -> None:
    """Answer ``interaction`` once more, however far along it is, retrying Discord's failures;
    Undelivered if it cannot be sent at all. ``request_id`` defaults to the interaction's id: it
    names the answer in the log and, as its nonce, in the channel fallback, so it must differ
    from one interaction to the next."""
    request_id = request_id or str(interaction.id)
    kwargs.setdefault("allowed_mentions", NO_PINGS)
    if kwargs.get("content"):  # a user's own words in it (a feed's address) may be long
        kwargs["content"] = trim(kwargs["content"], CONTENT_MAX)
    tried = False  # has a try of this answer as the interaction's response gone out?

    async def send() -> None:
        nonlocal tried
        if not interaction.response.is_done():
            try:
                await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
                return
            except discord.HTTPException as exc:
                if exc.code != _ALREADY_ACKNOWLEDGED:
                    tried = True
                    raise
                if tried:  # an earlier try of this very answer reached Discord after all
                    return
                # the interaction was acknowledged before (a deferral whose answer was lost):
                # this answer is a follow-up
            except SEND_ERRORS:
                tried = True
                raise
        await interaction.followup.send(ephemeral=ephemeral, **kwargs)

    try:
        await deliver(send, what="interaction answer", request_id=request_id)
        return
    except Undelivered as exc:
        if not _expired(exc):
            raise
        log.info("interaction %s expired; answering in the channel instead", interaction.id)
    channel = interaction.channel
    if channel is None or not hasattr(channel, "send"):
        raise Undelivered("interaction answer (no channel to fall back to)")
    content = for_the_channel(interaction.user.id, kwargs.pop("content", None),
                              interaction_language(interaction))
    await deliver(
        lambda: channel.send(content=content, nonce=nonce_for(request_id), **kwargs),
        what="channel answer", request_id=request_id,
    )


def _expired(undelivered: Undelivered) -> bool:
    """Did the answer fail because the interaction's token has expired (15 minutes)?"""
    cause = undelivered.__cause__
    return isinstance(cause, discord.HTTPException) and (
        cause.code in _EXPIRED_CODES or cause.status == 401)


def for_the_channel(user_id: int, content: str | None, language: str = DEFAULT) -> str:
    """An expired interaction's answer as a channel message: it names who asked (no ping:
    answers never mention anyone), in ``language``, within Discord's limit."""
    prefix = words(language).asked_for.format(user=f"<@{user_id}>")
    return trim(f"{prefix}\n{content}", CONTENT_MAX) if content else prefix


def nonce_for(request_id: str) -> str:
    """A message nonce (at most 25 characters) that is the same on every retry of one answer."""
    return request_id[-25:]


async def defer(interaction: discord.Interaction, request_id: str | None = None, *,
                ephemeral: bool = False) -> None:
    """Acknowledge an interaction ("thinking…", seen by its user alone where ``ephemeral``),
    retrying Discord's failures. Past Discord's 3-second window the interaction is gone: the
    answer will go to the channel instead (``respond`` falls back), so that is no reason to
    give up the request. ``request_id`` names it in the log, the interaction's id by default
    (as ``respond``'s)."""
    request_id = request_id or str(interaction.id)

    async def send() -> None:
        try:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        except discord.HTTPException as exc:
            if exc.code != _ALREADY_ACKNOWLEDGED:  # an earlier try got through
                raise

    try:
        await deliver(send, what="acknowledgement", request_id=request_id)
    except Undelivered as exc:
        cause = exc.__cause__
        if not isinstance(cause, discord.HTTPException) or cause.code not in _EXPIRED_CODES:
            raise
        log.info("request %s: interaction expired before it was acknowledged; the answer "
                 "goes to the channel", request_id)


ORIGINAL = "@original"  # Discord's id for an interaction's first response, in webhook routes
# Seconds one try of a worker's answer may take: a call that hangs is tried again (safe: the
# nonce, the edit), so no job is held for ever by one request that never came back.
SEND_TIMEOUT = 30.0


async def send_answer(client: discord.Client, target: ReplyTarget, request_id: str, *,
                      content: str | None, embeds: list[discord.Embed]) -> None:
    """Send a digest answer over Discord's REST API alone, the one reply path of both modes (a
    worker process has no gateway): edit the interaction's deferred response, or reply to the
    message. An interaction's answer without digests (only why there are none) is for its user
    alone: the public "thinking…" is deleted and the reason sent as an ephemeral follow-up.
    An edit leaves one message, deleting a deleted message changes nothing, and a reply
    carries the answer's nonce, so these are safe to repeat; the private follow-up is not (a
    webhook message takes no nonce): a connection lost after Discord took it may show its user
    the line twice, which beats an answer lost. An interaction whose token has expired (15
    minutes) is answered in its channel instead, as ``respond`` does. Undelivered when it
    cannot be sent at all."""
    if target.interaction and target.application_id is not None:
        assert target.interaction_token is not None
        webhook = discord.Webhook.partial(target.application_id, target.interaction_token,
                                          client=client)
        # The interaction's own webhook, as discord.py's Interaction.followup is: it may send
        # ephemeral messages.
        webhook.type = discord.WebhookType.application
        try:
            if embeds:
                # discord.py types the message id as an int; Discord's route takes "@original".
                original = cast(int, ORIGINAL)
                await deliver(lambda: asyncio.wait_for(
                    webhook.edit_message(original, content=content, embeds=embeds,
                                         allowed_mentions=NO_PINGS), SEND_TIMEOUT),
                    what="interaction answer", request_id=request_id)
            else:
                await _answer_privately(webhook, content, request_id)
            return
        except Undelivered as exc:
            cause = exc.__cause__
            gone = isinstance(cause, discord.HTTPException) and cause.code == _UNKNOWN_MESSAGE
            if not (_expired(exc) or gone):
                raise
            log.info("request %s: interaction expired or never acknowledged; answering in the "
                     "channel", request_id)
        content = for_the_channel(target.user_id, content, target.language)
    channel = client.get_partial_messageable(target.channel_id, guild_id=target.guild_id)
    reference = (discord.MessageReference(message_id=target.message_id,
                                          channel_id=target.channel_id,
                                          guild_id=target.guild_id, fail_if_not_exists=False)
                 if target.message_id is not None else None)
    await deliver(
        lambda: asyncio.wait_for(channel.send(
            content=content, embeds=embeds, reference=reference,  # type: ignore[arg-type]
            allowed_mentions=NO_PINGS, nonce=nonce_for(request_id)), SEND_TIMEOUT),
        what="reply", request_id=request_id,
    )


async def _answer_privately(webhook: discord.Webhook, content: str | None,
                            request_id: str) -> None:
    """Replace an interaction's public "thinking…" with a follow-up only its user sees."""
    try:
        await deliver(lambda: asyncio.wait_for(webhook.delete_message(cast(int, ORIGINAL)),
                                               SEND_TIMEOUT),
                      what="removal of the deferred response", request_id=request_id)
    except Undelivered as exc:
        if _expired(exc):
            raise
        # Deleted already by an earlier try, or Discord would not: the answer still goes out.
        log.info("request %s: the deferred response stays: %s", request_id, exc.__cause__)
    await deliver(lambda: asyncio.wait_for(
        webhook.send(content=content or INTERNAL.capitalize(), ephemeral=True,
                     allowed_mentions=NO_PINGS), SEND_TIMEOUT),
        what="interaction answer", request_id=request_id)


async def answer_with(client: discord.Client, target: ReplyTarget, request_id: str,
                      outcomes: Iterable[Outcome], notes: Iterable[str] = ()
                      ) -> tuple[bool, list[Digest]]:
    """The one way a digest answer goes out, in both modes: the digests, a line for each
    request that gave none and the ``notes``, rendered and sent (``send_answer``). Returns
    whether Discord took it, and the digests sent. A bug while rendering or sending is logged
    with its traceback, its requests marked ``internal``, and one short line sent instead: no
    answer ends without a trace. The bot's own words are in the target's language (the
    server's, ``bot.locale``)."""
    language = target.language
    outcomes = list(outcomes)
    try:
        digests, failures = answer_parts(outcomes, language)
        await send_answer(client, target, request_id,
                          content=trim("\n".join([*failures, *notes]), CONTENT_MAX) or None,
                          embeds=digest_embeds(digests, language))
        return True, digests
    except Undelivered:
        return False, []
    except Exception:
        log.exception("request %s: the answer failed", request_id)
    for _, ticket, _ in outcomes:
        ticket.outcome = "internal"
    try:
        await send_answer(client, target, request_id,
                          content=words(language).internal.capitalize(), embeds=[])
    except Undelivered:
        return False, []
    return True, []
