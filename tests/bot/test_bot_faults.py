"""Faults a bad day in production brings, through the real bot and the fake Discord: a locked or
broken database, replies Discord refuses (5xx, 429), a dropped gateway, a bad setting at
start-up, SIGTERM while Discord is unreachable. Every accepted request is answered exactly once.
"""

import asyncio
import logging
import signal
import sqlite3
import sys
import time

import aiohttp
from bot_env import until
from conftest import read
from fake_discord import DROP, MANAGE_GUILD, FakeDiscord
from test_bot_load import bot_env

from bot import replies


def replies_to(fake: FakeDiscord, message: dict) -> list[dict]:
    """Messages the bot actually created in answer to ``message`` (failed POSTs excluded)."""
    return [m for m in fake.messages.values()
            if str((m.get("message_reference") or {}).get("message_id")) == message["id"]]


async def wait_answered(fake: FakeDiscord, messages: list[dict], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not all(replies_to(fake, m) for m in messages):
        assert time.monotonic() < deadline, "not every message was answered"
        await asyncio.sleep(0.1)


async def paste_in_news(env) -> dict:
    return await env.fake.send_message(env.news["id"], read("bbc-style-paste.txt"),
                                       env.fake.user("reader"), guild=env.guild)


def posts_to(channel: dict):
    return lambda method, path: method == "POST" and path == f"/channels/{channel['id']}/messages"


async def test_locked_database_still_answers_every_message(env, tmp_path, page_server):
    await env.turn_on(env.news)
    locker = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None, timeout=0)
    locker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        messages = []
        for i in range(3):
            url = page_server.add(f"/locked/{i}.html", read("wire-style-page.html"))
            messages.append(await env.fake.send_message(
                env.news["id"], url, env.fake.user(f"reader{i}"), guild=env.guild))
        await wait_answered(env.fake, messages)
        # A switch cannot be saved while the lock is held: the user is told, nothing changes.
        moderator = env.fake.user("moderator")
        await env.fake.slash("autodigest", [{"name": "off", "type": 1, "options": []}],
                             moderator, env.news, env.guild, permissions=(1 << 5) | (1 << 11))
        [call] = await env.fake.wait_for(  # after a private "thinking…"
            lambda c: c.path.startswith("/webhooks/") and "couldn't save" in str(c.body))
        assert call.body["flags"] & 64
        assert env.bot.auto_digest_on(int(env.news["id"]))
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert all(len(replies_to(env.fake, m)) == 1 for m in messages)
    assert all(replies_to(env.fake, m)[0]["embeds"] for m in messages)


async def test_broken_database_connection_falls_back(env):
    await env.turn_on(env.news)
    await env.bot.store._db.close()  # the database goes away under the running bot
    message = await paste_in_news(env)
    await wait_answered(env.fake, [message])
    assert replies_to(env.fake, message)[0]["embeds"]


async def test_failed_reply_is_retried_and_sent_once(env, monkeypatch, caplog):
    monkeypatch.setattr(replies, "BACKOFF", 0.2)
    await env.turn_on(env.news)
    # 503 is not one discord.py retries itself; then a 500 sent after the message was
    # created, as a timed-out upstream does: the retry must not post it twice.
    env.fake.fail_next(posts_to(env.news), 503, count=2)
    env.fake.fail_next(posts_to(env.news), 500, count=1, after_effect=True)
    caplog.set_level(logging.INFO, logger="bot.requests")
    message = await paste_in_news(env)
    await wait_answered(env.fake, [message])
    await wait_settled(env, 1)  # its answer is done: nothing more will be sent for it
    [reply] = replies_to(env.fake, message)
    assert reply["embeds"]
    posts = env.fake.find(lambda c: c.method == "POST" and c.path.endswith("/messages"))
    assert len(posts) >= 4  # two refused, one taken-but-failed, one answered from the nonce
    line = next(r.getMessage() for r in caplog.records if r.name == "bot.requests")
    assert f"request {message['id']}.0 kind=text outcome=digest method=minilm" in line
    assert line.endswith("reply=sent")
    assert env.bot.ledger.answered == 1 and env.bot.ledger.lost == 0


async def test_rate_limited_reply_honours_retry_after(env):
    await env.turn_on(env.news)
    env.fake.fail_next(posts_to(env.news), 429, count=3, retry_after=0.2)
    message = await paste_in_news(env)
    await wait_answered(env.fake, [message])
    assert len(replies_to(env.fake, message)) == 1
    limited = env.fake.find(lambda c: c.method == "POST" and c.path.endswith("/messages"))
    assert len(limited) >= 4
    gaps = [b.at - a.at for a, b in zip(limited, limited[1:], strict=False)]
    assert min(gaps) >= 0.15  # it waited as told before each retry


async def test_reply_that_cannot_be_sent_is_logged_as_lost(env, monkeypatch, caplog):
    monkeypatch.setattr(replies, "BACKOFF", 0.05)
    await env.turn_on(env.news)
    env.fake.fail_next(posts_to(env.news), 503, count=replies.ATTEMPTS)
    caplog.set_level(logging.INFO, logger="bot")
    message = await paste_in_news(env)
    await wait_settled(env, 1)
    assert env.bot.ledger.lost == 1 and not replies_to(env.fake, message)
    lines = [r.getMessage() for r in caplog.records]
    assert any(f"request {message['id']}.0: could not send the reply" in x for x in lines)
    assert any(f"request {message['id']}.0 " in x and x.endswith("reply=LOST") for x in lines)


async def test_dropped_gateway_resumes_and_replays_what_it_missed(env):
    await env.turn_on(env.news)
    await env.fake.drop_gateway()
    message = await paste_in_news(env)
    await wait_answered(env.fake, [message])
    assert env.fake.resumes == 1 and env.fake.identifies == 1
    assert len(replies_to(env.fake, message)) == 1


async def test_fake_refuses_embeds_over_the_documented_limits():
    fake = FakeDiscord()
    guild = fake.add_guild()
    await fake.start()
    try:
        url = f"{fake.api_base}/channels/{guild['channels'][0]['id']}/messages"
        headers = {"Authorization": f"Bot {fake.token}"}
        async with aiohttp.ClientSession() as session:
            too_long = {"embeds": [{"title": "t", "description": "x" * 4097}]}
            async with session.post(url, json=too_long, headers=headers) as response:
                assert response.status == 400
                assert (await response.json())["code"] == 50035
            fine = {"embeds": [{"title": "t", "description": "x" * 4096}]}
            async with session.post(url, json=fine, headers=headers) as response:
                assert response.status == 200
    finally:
        await fake.close()


async def run_bot_until_exit(tmp_path, timeout: float, **settings: str) -> tuple[int, str, str]:
    """Start ``python -m bot`` against a fake Discord with these settings and wait (at most
    ``timeout`` seconds: it must not hang) for it to exit: (exit code, stdout, stderr)."""
    fake = FakeDiscord()
    await fake.start()
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path, env=bot_env(fake, tmp_path, **settings),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout)
        return process.returncode, stdout.decode(), stderr.decode()
    finally:
        await fake.close()


async def test_bad_setting_at_startup_exits_78_with_one_line(tmp_path):
    code, _, stderr = await run_bot_until_exit(tmp_path, 60, SUMMARISER_METHOD="nope")
    assert code == 78
    assert stderr.strip().count("\n") == 0
    assert "SUMMARISER_METHOD: unknown summariser 'nope'" in stderr


async def test_missing_model_at_startup_exits_78_and_closes_everything(tmp_path):
    # Three processes fail alike: one clear line, not one per process nor asyncio's
    # "exception was never retrieved".
    code, stdout, stderr = await run_bot_until_exit(
        tmp_path, 120, SUMMARISER_ENCODER=str(tmp_path / "no-such-model"), WORKERS="3")
    output = "\n".join((stdout, stderr))
    errors = [line for line in output.splitlines() if " ERROR " in line]
    assert code == 78, output
    assert len(errors) == 1 and "no model found" in errors[0]
    assert "Traceback" not in output


async def test_sigterm_while_discord_is_unreachable_exits_within_the_grace(tmp_path):
    fake = FakeDiscord()
    fake.add_guild()
    await fake.start()
    grace = 3
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path,
        env=bot_env(fake, tmp_path, SHUTDOWN_GRACE=str(grace), WORKERS="1"),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        await asyncio.wait_for(fake.identified.wait(), 120)
        fake.gateway_down = True
        await fake.drop_gateway()
        deadline = time.monotonic() + 60
        while fake.gateway_refusals < 2:  # in the reconnect backoff now
            assert time.monotonic() < deadline, "the bot never tried to reconnect"
            await asyncio.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, output.decode()
        # Its own deadline ended the reconnect backoff: no "overran", and it stopped cleanly.
        assert "stopped;" in output.decode()
        assert "overran" not in output.decode()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await fake.close()


async def test_interaction_past_its_window_is_answered_in_the_channel(env, page_server):
    env.fake.interaction_window = 0.0  # Discord no longer knows the interaction
    url = page_server.add("/faults/late.html", read("wire-style-page.html"))
    user = env.fake.user("late")
    await env.fake.slash("summarise", [{"name": "url", "type": 3, "value": url}], user,
                         env.news, env.guild)
    [call] = await env.fake.wait_for(
        lambda c: c.method == "POST" and c.path == f"/channels/{env.news['id']}/messages"
        and c.status == 200)
    assert call.body["embeds"][0]["title"].startswith("Dutch court")
    assert "here is the answer to what you asked for" in call.body["content"]
    assert call.body["allowed_mentions"] == {"parse": []}
    await wait_settled(env, 1)
    assert env.bot.ledger.answered == 1 and env.bot.ledger.lost == 0


async def test_channel_fallbacks_of_two_interactions_are_two_messages(env):
    env.fake.interaction_window = 0.0
    for name in ("first", "second"):  # no option given: answered without a request id
        await env.fake.slash("summarise", [], env.fake.user(name), env.news, env.guild)
    def answers() -> list[dict]:
        return [m for m in env.fake.messages.values()
                if m["author"]["id"] == env.fake.bot_user["id"]
                and "Give exactly one" in m["content"]]

    # One nonce per interaction: Discord keeps both (one shared nonce would leave one).
    await until(lambda: len(answers()) == 2, 30, "both answers in the channel")


def typing_in(channel: dict):
    return lambda method, path: method == "POST" and path == f"/channels/{channel['id']}/typing"


async def test_dropped_connections_on_typing_and_replies_cost_no_answer(
        env, page_server, monkeypatch, make_article):
    """Discord's connection drops with no HTTP answer at all on four "typing" calls and on two
    reply posts (one before, one after the message was created) while eight links and pastes
    arrive: each is answered exactly once, and the counters say so."""
    monkeypatch.setattr(replies, "BACKOFF", 0.05)
    await env.turn_on(env.news)
    env.fake.fail_next(typing_in(env.news), DROP, count=4)
    env.fake.fail_next(posts_to(env.news), DROP, count=1)
    env.fake.fail_next(posts_to(env.news), DROP, count=1, after_effect=True)
    messages = []
    for number in range(8):
        if number % 2:
            content = make_article(250 + 20 * number)
        else:
            content = page_server.add(f"/dropped/{number}.html", read("wire-style-page.html"))
        messages.append(await env.fake.send_message(env.news["id"], content,
                                                    env.fake.user(f"reader{number}"),
                                                    guild=env.guild))
    await wait_answered(env.fake, messages)
    await wait_settled(env, 8)  # every answer is done: nothing more will be sent
    assert [len(replies_to(env.fake, m)) for m in messages] == [1] * 8
    assert all(replies_to(env.fake, m)[0]["embeds"] for m in messages)
    assert env.bot.ledger.accepted == 8 and env.bot.ledger.answered == 8
    assert env.bot.ledger.lost == 0
    assert not any(fault.count for fault in env.fake.faults)  # every fault was met


async def wait_settled(env, count: int, timeout: float = 60) -> None:
    """Until the bot has counted ``count`` requests as answered or lost."""
    await until(lambda: env.bot.ledger.answered + env.bot.ledger.lost >= count, timeout,
                "every request to be counted")


async def test_a_bug_while_answering_is_logged_and_answered(env, monkeypatch, caplog):
    def broken(digests, *language):
        raise TypeError("a rendering bug")

    monkeypatch.setattr(replies, "digest_embeds", broken)
    await env.turn_on(env.news)
    caplog.set_level(logging.INFO, logger="bot")
    message = await paste_in_news(env)
    await wait_answered(env.fake, [message])
    await wait_settled(env, 1)
    [reply] = replies_to(env.fake, message)
    assert reply["content"] == replies.INTERNAL.capitalize() and not reply["embeds"]
    failure = next(r for r in caplog.records if "the answer failed" in r.getMessage())
    assert failure.exc_info and "a rendering bug" in str(failure.exc_info[1])
    line = next(r.getMessage() for r in caplog.records if r.name == "bot.requests")
    assert "outcome=internal" in line and line.endswith("reply=sent")
    assert env.bot.ledger.answered == 1 and env.bot.ledger.lost == 0


async def test_shutdown_waits_for_the_answer_to_a_slash_command(env, page_server):
    """Shut down while /summarise's digest is being made, Discord taking 150 ms a call: the
    digest is finished and edited into the deferred response before the bot closes (the
    command runs in discord.py's task, which the bot tracks as it tracks a message's answer)."""
    env.fake.latency = 0.15
    url = page_server.add("/faults/closing.html", read("wire-style-page.html"), delay=0.4,
                          chunks=3)
    await env.fake.slash("summarise", [{"name": "url", "type": 3, "value": url}],
                         env.fake.user("asker"), env.chat, env.guild)
    await until(lambda: "/faults/closing.html" in page_server.hits, 60, "the page to be fetched")
    await env.bot.shutdown()
    [edit] = [c for c in env.fake.calls if c.method == "PATCH" and c.path.endswith("@original")]
    assert edit.status == 200 and edit.body["embeds"][0]["title"].startswith("Dutch court")
    assert (env.bot.ledger.answered, env.bot.ledger.lost) == (1, 0)


async def test_a_response_that_got_through_before_its_connection_dropped_is_not_repeated(env):
    """The interaction's response reaches Discord but the connection drops before its answer;
    the retry is told "already acknowledged": the answer is there, and is not sent again as a
    follow-up."""
    env.fake.fail_next(lambda m, p: m == "POST" and p.endswith("/callback"), DROP,
                       after_effect=True)
    await env.fake.slash("summarise", [], env.fake.user("asker"), env.chat, env.guild)
    await env.fake.wait_for(lambda c: c.path.endswith("/callback"), count=2)
    await asyncio.sleep(1.5)  # a follow-up, were one sent, would be sent by now
    shown = [m for m in env.fake.messages.values() if "exactly one" in (m.get("content") or "")]
    assert len(shown) == 1


async def test_an_answer_quoting_a_very_long_address_fits_discords_limit(env):
    """/feeds remove names the address it was given; one of 2,000 characters (Discord allows
    options of 6,000) still gets its short answer, cut to Discord's 2,000 characters."""
    url = "https://news.example/" + "a" * 2000
    await env.fake.slash("feeds", [{"name": "remove", "type": 1,
                                    "options": [{"name": "url", "type": 3, "value": url}]}],
                         env.fake.user("mod"), env.chat, env.guild,
                         permissions=MANAGE_GUILD)
    [call] = await env.fake.wait_for(lambda c: c.path.startswith("/webhooks/"))
    assert call.status == 200 and "doesn't follow" in call.body["content"]
    assert len(call.body["content"]) <= 2000


async def test_a_store_slower_than_discords_window_still_answers_privately(env, monkeypatch):
    """A store that takes longer than Discord's 3-second window to fail (Redis down takes
    seconds to say so): the command was acknowledged first, so its user still gets the short
    private answer, not a public message in the channel."""
    from bot.storage import StoreUnavailable

    async def stuck(*args):
        await asyncio.sleep(env.fake.interaction_window + 1)
        raise StoreUnavailable("the database is down")

    monkeypatch.setattr(env.bot.switches, "set_auto_digest", stuck)
    await env.fake.slash("autodigest", [{"name": "on", "type": 1, "options": []}],
                         env.fake.user("moderator"), env.news, env.guild,
                         permissions=MANAGE_GUILD)
    [call] = await env.fake.wait_for(
        lambda c: c.path.startswith("/webhooks/") and "couldn't save" in str(c.body))
    assert call.status == 200 and call.body["flags"] & 64
    assert not env.fake.find(lambda c: c.method == "POST" and c.path.startswith("/channels/"))
