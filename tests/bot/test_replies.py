"""How answers are worded and retried, on their own (the fake Discord covers the wire)."""

import asyncio

import aiohttp
import pytest

from bot.replies import (
    ATTEMPTS,
    BUSY,
    RESTARTING,
    Undelivered,
    deliver,
    describe,
    failure_line,
    nonce_for,
    retryable,
)
from bot.workqueue import Busy, ShuttingDown
from summariser.errors import BlockedAddress, TooShort


async def test_a_network_failure_is_retried_until_it_goes_through():
    tries = []

    async def send():
        tries.append(1)
        if len(tries) < 3:
            raise aiohttp.ClientConnectionError("connection reset")
        return "sent"

    assert await deliver(send, what="reply", backoff=0.001) == "sent"
    assert len(tries) == 3


async def test_every_try_failing_is_undelivered_with_the_cause():
    tries = []

    async def send():
        tries.append(1)
        raise TimeoutError()

    with pytest.raises(Undelivered) as caught:
        await deliver(send, what="reply", backoff=0.001)
    assert len(tries) == ATTEMPTS
    assert isinstance(caught.value.__cause__, asyncio.TimeoutError)


async def test_our_own_mistakes_are_not_retried():
    tries = []

    async def send():
        tries.append(1)
        raise ValueError("a bug in the reply")

    with pytest.raises(ValueError, match="a bug in the reply"):  # a bug, not "undelivered"
        await deliver(send, what="reply", backoff=0.001)
    assert len(tries) == 1
    assert not retryable(ValueError()) and retryable(ConnectionResetError())


def test_failures_are_worded_for_people():
    assert describe(Busy()) == BUSY and describe(ShuttingDown()) == RESTARTING
    assert describe(TooShort("12 words")) == "that's too short to summarise: it's already brief"
    assert "private or local network address" in describe(BlockedAddress("10.0.0.1"))
    assert describe(KeyError("x")) == "something went wrong on my side; it's been logged."
    line = failure_line("https://news.example/a", TooShort("x"))
    assert line.startswith("⚠️ Couldn't digest <https://news.example/a>: that's too short")
    assert failure_line("pasted text", Busy()) == f"⚠️ {BUSY}"


def test_a_failure_line_is_in_the_servers_language_label_and_all():
    """"pasted text" and "the file is larger than 2 MB" stayed English in French, German and
    Spanish servers, and a file too large read "the page is too large to read"."""
    from summariser.errors import TooLarge

    too_large = TooLarge.because("file", limit=2)
    assert failure_line("article.txt", too_large) == (
        "⚠️ Couldn't digest article.txt: too large to read: the file is larger than 2 MB")
    assert failure_line("article.txt", too_large, "fr") == (
        "⚠️ Impossible de résumer article.txt : trop volumineux pour être lu : le fichier "
        "dépasse 2 Mo")
    assert failure_line("pasted text", TooShort("12 words"), "fr").startswith(
        "⚠️ Impossible de résumer le texte collé : ")
    assert failure_line("pasted text", too_large, "de").startswith(
        "⚠️ Der eingefügte Text konnte nicht zusammengefasst werden: zu groß zum Lesen: die "
        "Datei ist größer als 2 MB")


def test_nonce_is_stable_and_within_discords_25_characters():
    request_id = "123456789012345678901234567890.2"
    assert len(nonce_for(request_id)) == 25 and nonce_for(request_id).endswith(".2")
    # Two answers of one message, or of two messages, never share a nonce: Discord would keep
    # only the first.
    message = "1311234567890123456"  # a real snowflake: 19 digits
    assert nonce_for(f"{message}.0") != nonce_for(f"{message}.1")
    assert nonce_for(f"{message}.0") != nonce_for("1311234567890123457.0")
