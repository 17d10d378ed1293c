"""Load, faults and lifecycle through the real bot: busy answers, worker faults, SIGTERM."""

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from bot_env import start_bot, stop_bot
from conftest import read
from fake_discord import FakeDiscord

from bot.replies import BUSY, RESTARTING
from summariser.digest import Digester

ROOT = Path(__file__).resolve().parents[2]


async def test_full_queue_answers_every_request(digester, tmp_path, page_server):
    env = await start_bot(digester, tmp_path, queue_size=1, per_user_queue=3, workers=1)
    try:
        await env.turn_on(env.news)
        messages = []
        for i in range(6):
            url = page_server.add(f"/load/busy-{i}.html", read("wire-style-page.html"),
                                  delay=0.3, chunks=2)
            messages.append(await env.fake.send_message(env.news["id"], url, env.fake.user(f"u{i}"),
                                                        guild=env.guild))
        replies = [await env.replies_to(m) for m in messages]
        busy = [r for r in replies if BUSY in (r.body.get("content") or "")]
        digests = [r for r in replies if r.body.get("embeds")]
        assert len(busy) + len(digests) == 6
        assert busy and digests
        assert all(r.body["allowed_mentions"] == {"parse": []} for r in replies)
    finally:
        await stop_bot(env)


async def test_per_user_limit(digester, tmp_path, page_server):
    env = await start_bot(digester, tmp_path, queue_size=10, per_user_queue=1, workers=1)
    try:
        await env.turn_on(env.news)
        user = env.fake.user("eager")
        urls = [page_server.add(f"/load/user-{i}.html", read("wire-style-page.html"), delay=0.3,
                                chunks=2) for i in range(2)]
        message = await env.fake.send_message(env.news["id"], " ".join(urls), user, guild=env.guild)
        reply = await env.replies_to(message)
        assert len(reply.body["embeds"]) == 1 and BUSY in reply.body["content"]
    finally:
        await stop_bot(env)


class ExplodingDigester(Digester):
    """A real Digester with one injected fault: pasted text hits a bug."""

    def from_text(self, text, **kwargs):
        raise RuntimeError("injected fault")


async def test_unexpected_worker_error_is_still_answered(settings, tmp_path, digester):
    faulty = ExplodingDigester(settings)
    env = await start_bot(faulty, tmp_path)
    try:
        content = f"<@{env.fake.bot_user['id']}> " + read("bbc-style-paste.txt")
        message = await env.fake.send_message(env.chat["id"], content, env.fake.user("reader"),
                                              guild=env.guild, mentions=[env.fake.bot_user])
        reply = await env.replies_to(message)
        assert "went wrong on my side" in reply.body["content"]
    finally:
        await stop_bot(env)


def bot_env(fake: FakeDiscord, tmp_path: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "FETCH_"))}
    env.update({
        "DISCORD_TOKEN": fake.token, "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url, "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
        "AUTO_DIGEST_CHANNELS": "all", "FETCH_ALLOW_NETWORKS": "127.0.0.1/32",
        "FETCH_TIMEOUT": "10", "FETCH_TOTAL_TIMEOUT": "30", "HF_HUB_OFFLINE": "1",
        "SHUTDOWN_GRACE": "20", "LOG_LEVEL": "INFO", "PYTHONPATH": str(ROOT),
    })
    env.update(extra)
    return env


async def test_sigterm_finishes_work_in_progress_and_answers_the_queue(tmp_path, page_server):
    fake = FakeDiscord()
    guild = fake.add_guild()
    await fake.start()
    channel = guild["channels"][0]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=bot_env(fake, tmp_path, WORKERS="1"),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        await asyncio.wait_for(fake.identified.wait(), 120)
        slow = page_server.add("/load/sigterm-slow.html", read("wire-style-page.html"),
                               delay=0.5, chunks=3)
        first = await fake.send_message(channel["id"], slow, fake.user("first"), guild=guild)
        deadline = asyncio.get_running_loop().time() + 30
        while "/load/sigterm-slow.html" not in page_server.hits:
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.05)
        queued = []
        for i in range(3):
            url = page_server.add(f"/load/sigterm-{i}.html", read("wire-style-page.html"))
            queued.append(await fake.send_message(channel["id"], url, fake.user(f"q{i}"), guild=guild))
        await fake.wait_for(lambda c: c.path.endswith("/typing"), count=4)
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, output.decode()
        replies = {str(c.body["message_reference"]["message_id"]): c.body for c in fake.calls
                   if c.method == "POST" and c.path.endswith("/messages")}
        assert replies[first["id"]]["embeds"][0]["title"].startswith("Dutch court")
        for message in queued:
            assert RESTARTING in replies[message["id"]]["content"]
        assert fake.token not in output.decode()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await fake.close()


def test_missing_token_exits_78(tmp_path):
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 78
    assert result.stderr.strip().count("\n") == 0 and "DISCORD_TOKEN is not set" in result.stderr


def test_token_is_masked_in_settings_repr():
    from bot.config import BotSettings

    settings = BotSettings.from_env({"DISCORD_TOKEN": "super-secret-token-value"})
    assert "super-secret" not in repr(settings) and "super-secret" not in str(settings.token)
    assert settings.token.reveal() == "super-secret-token-value"


@pytest.mark.parametrize("value, channels, everywhere", [
    ("", frozenset(), False), ("all", frozenset(), True), ("12, 34", frozenset({12, 34}), False)])
def test_auto_digest_channels_setting(value, channels, everywhere):
    from bot.config import BotSettings

    settings = BotSettings.from_env({"DISCORD_TOKEN": "t", "AUTO_DIGEST_CHANNELS": value})
    assert settings.auto_digest_channels == channels and settings.auto_digest_all is everywhere
