"""A burst of mixed requests through the real bot and the fake Discord (a benchmark, not a test).

    python -m benchmarks.bot_burst [DATA.jsonl] [--requests 100] [--queue-size 20]

Starts ``python -m bot`` as its own process against the tests' fake Discord and a local page
server, sends a burst of link, pasted-text, message.txt and /summarise requests from many users
as fast as the gateway takes them, and reports: requests answered (must equal requests sent),
digests vs. "busy" answers, p50/p95 time to reply, the bot's event-loop lag (from its own
monitor) and the bot process's peak RSS. Articles come from DATA (the CNN dev file by default).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fake_discord import FakeDiscord  # noqa: E402
from page_server import PageServer  # noqa: E402

from benchmarks.speed import load_articles, percentile  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "summaries-dev.jsonl"


def as_page(text: str, number: int) -> str:
    paragraphs = "".join(f"<p>{s}</p>" for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text))
    return (f"<html><head><title>Story {number}</title></head><body><article>"
            f"<h1>Story number {number}</h1>{paragraphs}</article></body></html>")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def run(args: argparse.Namespace) -> None:
    texts = load_articles(args.data, 60, max_words=1200)
    pages = PageServer()
    urls = [pages.add(f"/story/{i}.html", as_page(t, i)) for i, t in enumerate(texts[:40])]
    fake = FakeDiscord()
    guild = fake.add_guild()
    await fake.start()
    channel = guild["channels"][0]
    with TemporaryDirectory() as tmp:
        env = {**os.environ, "DISCORD_TOKEN": fake.token, "DISCORD_API_BASE": fake.api_base,
               "DISCORD_GATEWAY_URL": fake.gateway_url, "DATABASE_PATH": f"{tmp}/bot.sqlite3",
               "AUTO_DIGEST_CHANNELS": "all", "FETCH_ALLOW_NETWORKS": "127.0.0.1/32",
               "QUEUE_SIZE": str(args.queue_size), "PER_USER_QUEUE": "3",
               "HF_HUB_OFFLINE": "1", "LOG_LEVEL": "INFO", "PYTHONPATH": str(ROOT)}
        started = time.perf_counter()
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", env=env, cwd=tmp,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        await asyncio.wait_for(fake.identified.wait(), 180)
        print(f"bot ready (model loaded, commands synced, READY) in "
              f"{time.perf_counter() - started:.1f} s")
        await asyncio.sleep(1.0)  # let the bot settle before the burst

        sent: list[tuple[str, float, str]] = []  # (kind, sent at, match key)
        users = [fake.user(f"user{i}") for i in range(40)]
        for i in range(args.requests):
            user = users[i % len(users)]
            kind = ("link", "link", "link", "paste", "file", "slash")[i % 6]
            at = time.monotonic()
            if kind == "link":
                m = await fake.send_message(channel["id"], urls[i % len(urls)], user, guild=guild)
                sent.append((kind, at, m["id"]))
            elif kind == "paste":
                m = await fake.send_message(channel["id"], texts[40 + i % 20], user, guild=guild)
                sent.append((kind, at, m["id"]))
            elif kind == "file":
                a = fake.attachment("message.txt", texts[i % 60].encode())
                m = await fake.send_message(channel["id"], "", user, guild=guild, attachments=[a])
                sent.append((kind, at, m["id"]))
            else:
                p = await fake.slash("summarise", [{"name": "url", "type": 3,
                                                    "value": urls[(i * 7) % len(urls)]}],
                                     user, channel, guild)
                sent.append((kind, at, p["token"]))

        def answered() -> dict[str, object]:
            out: dict[str, object] = {}
            for call in fake.calls:
                if call.method != "POST":
                    continue
                body = call.body or {}
                ref = str((body.get("message_reference") or {}).get("message_id", ""))
                if call.path.endswith("/messages") and ref:
                    out.setdefault(ref, call)
                elif call.path.startswith("/webhooks/") or (
                    call.path.endswith("/callback") and body.get("type") == 4
                ):
                    out.setdefault(call.path.split("/")[3], call)
            return out

        deadline = time.monotonic() + args.timeout
        while len(answered()) < len(sent) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        replies = answered()
        rss = peak_rss_mb(bot.pid)
        bot.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(bot.communicate(), 120)
        await fake.close()
        pages.close()

    latencies, digests, busy = [], 0, 0
    for _kind, at, key in sent:
        call = replies.get(key)
        if call is None:
            continue
        latencies.append(call.at - at)
        body = call.body or {}
        data = body.get("data", body)
        if data.get("embeds"):
            digests += 1
        elif "busy" in (data.get("content") or ""):
            busy += 1
    lag = re.search(r"loop lag .*", output.decode())
    print(f"requests sent {len(sent)}, answered {len(replies)} "
          f"({digests} digests, {busy} busy, {len(replies) - digests - busy} other answers)")
    print(f"time to reply: p50 {percentile(latencies, 0.5):.2f} s, "
          f"p95 {percentile(latencies, 0.95):.2f} s, max {max(latencies, default=0):.2f} s")
    print(f"bot {lag.group(0) if lag else 'loop lag: not reported'}")
    print(f"bot peak RSS: {rss:.0f} MB; bot exit code {bot.returncode}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--queue-size", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=600)
    asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
