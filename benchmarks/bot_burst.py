"""A burst of mixed requests through the real bot and the fake Discord (a benchmark, not a test).

    python -m benchmarks.bot_burst [DATA.jsonl] [--requests 100] [--queue-size 20] [--faults]
                                   [--workers N] [--busy]
    python -m benchmarks.bot_burst --big-upload

Starts ``python -m bot`` as its own process against the tests' fake Discord and a local page
server, sends a burst of link, pasted-text, message.txt and /summarise requests from many users
as fast as the gateway takes them, and reports: requests sent, answered, duplicated (answered
more than once) and lost (never answered); digests vs. "busy" answers, p50/p95 time to reply,
the bot's event-loop lag (from its own monitor) and the bot process's peak RSS. Articles come
from DATA (the CNN dev file by default).

``--faults`` makes it a bad day: ten message creates answered 429 with ``retry_after``, three
answered 5xx (one of them after the message was created), two gateway drops the bot must RESUME
from, and the database locked by another connection for ten seconds, all during the burst.

``--workers N`` sets the bot's worker processes (default: one per core); ``--busy`` keeps one
core busy with a spinning process for the whole run, as on a shared server.

``--big-upload`` instead sends one ~1.9 MB ``message.txt`` (the attachment cap is 2 MB), with the
article caps raised so that it is digested rather than refused, and reports the bot's loop lag
while it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fake_discord import FakeDiscord  # noqa: E402
from page_server import PageServer  # noqa: E402

from benchmarks.speed import load_articles, one_core_busy  # noqa: E402
from bot.health import percentile  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "summaries-dev.jsonl"


def as_page(text: str, number: int) -> str:
    paragraphs = "".join(f"<p>{s}</p>" for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text))
    return (f"<html><head><title>Story {number}</title></head><body><article>"
            f"<h1>Story number {number}</h1>{paragraphs}</article></body></html>")


KINDS = ("link", "link", "link", "paste", "file", "slash")


async def send_request(fake: FakeDiscord, kind: str, i: int, channel: dict, guild: dict,
                       user: dict, urls: list[str], texts: list[str]) -> str:
    """Send request number ``i`` of the burst: a link, a paste (texts 40-59), a message.txt or
    a /summarise; its key: the message id, or the interaction token."""
    if kind == "link":
        return (await fake.send_message(channel["id"], urls[i % len(urls)], user,
                                        guild=guild))["id"]
    if kind == "paste":
        return (await fake.send_message(channel["id"], texts[40 + i % 20], user,
                                        guild=guild))["id"]
    if kind == "file":
        attachment = fake.attachment("message.txt", texts[i % 60].encode())
        return (await fake.send_message(channel["id"], "", user, guild=guild,
                                        attachments=[attachment]))["id"]
    payload = await fake.slash("summarise", [{"name": "url", "type": 3,
                                              "value": urls[(i * 7) % len(urls)]}],
                               user, channel, guild)
    return str(payload["token"])


def peak_rss_mb(pid: int) -> float:
    """Peak RSS of ``pid`` plus its child processes (the worker processes), in MB."""
    def hwm(one: int) -> float:
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        kids = (task / "children")
        if kids.exists():
            children += [int(c) for c in kids.read_text().split()]
    total = hwm(pid)
    for child in children:
        try:
            total += hwm(child)
        except OSError:  # it ended meanwhile
            continue
    return total


def bot_environment(fake: FakeDiscord, tmp: str, args: argparse.Namespace, **extra: str) -> dict:
    if args.workers is not None:
        extra.setdefault("WORKERS", str(args.workers))
    return {**os.environ, "DISCORD_TOKEN": fake.token, "DISCORD_API_BASE": fake.api_base,
            "DISCORD_GATEWAY_URL": fake.gateway_url, "DATABASE_PATH": f"{tmp}/bot.sqlite3",
            "AUTO_DIGEST_CHANNELS": "all", "FETCH_ALLOW_NETWORKS": "127.0.0.1/32",
            "QUEUE_SIZE": str(args.queue_size), "PER_USER_QUEUE": "3",
            "HF_HUB_OFFLINE": "1", "LOG_LEVEL": "INFO", "PYTHONPATH": str(ROOT), **extra}


def tally(fake: FakeDiscord) -> tuple[Counter[str], dict[str, float]]:
    """Answers Discord took, per request key (message id or interaction token), and when the
    first of each arrived. Refused calls (429, 5xx) do not count; a message created by a call
    answered 5xx does, since it is in the channel for everyone to see."""
    counts: Counter[str] = Counter()
    first: dict[str, float] = {}
    edited: set[str] = set()
    for message in fake.messages.values():
        ref = (message.get("message_reference") or {}).get("message_id")
        if message["author"]["id"] == fake.bot_user["id"] and ref:
            counts[str(ref)] += 1
    for call in fake.calls:
        body = call.body or {}
        if call.method == "POST" and call.path.endswith("/messages"):
            ref = str((body.get("message_reference") or {}).get("message_id", ""))
            if ref and ref not in first and call.status == 200:
                first[ref] = call.at
        elif call.method == "POST" and 200 <= call.status < 300 and (
            call.path.startswith("/webhooks/")
            or (call.path.endswith("/callback") and body.get("type") == 4)
        ):
            token = call.path.split("/")[3]
            counts[token] += 1
            first.setdefault(token, call.at)
        elif (call.method == "PATCH" and 200 <= call.status < 300
              and call.path.endswith("/messages/@original")):
            token = call.path.split("/")[3]  # an answer edits the "thinking…": one message
            if token not in edited:
                edited.add(token)
                counts[token] += 1
                first.setdefault(token, call.at)
    return counts, first


async def inject_faults(fake: FakeDiscord, channel: dict, database: str, stop: asyncio.Event
                        ) -> None:
    """Ten 429s, three 5xx, two gateway drops and a 10-second database lock, spread over the
    first seconds of the burst."""
    creates = lambda method, path: (  # noqa: E731
        method == "POST" and path == f"/channels/{channel['id']}/messages")
    locker = sqlite3.connect(database, isolation_level=None, timeout=5)
    locker.execute("BEGIN EXCLUSIVE")
    locked_at = time.monotonic()
    try:
        for step in range(10):
            fake.fail_next(creates, 429, retry_after=0.5)
            if step in (2, 5):
                fake.fail_next(creates, 503)
            if step == 7:
                fake.fail_next(creates, 500, after_effect=True)
            if step in (3, 8):
                await fake.drop_gateway()
            await asyncio.sleep(1.0)
            if stop.is_set():
                break
        await asyncio.sleep(max(0.0, 10 - (time.monotonic() - locked_at)))
    finally:
        locker.execute("ROLLBACK")
        locker.close()


async def run(args: argparse.Namespace) -> None:
    texts = load_articles(args.data, 60, max_words=1200)
    pages = PageServer()
    urls = [pages.add(f"/story/{i}.html", as_page(t, i)) for i, t in enumerate(texts[:40])]
    fake = FakeDiscord()
    guild = fake.add_guild()
    await fake.start()
    channel = guild["channels"][0]
    with TemporaryDirectory() as tmp:
        started = time.perf_counter()
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", env=bot_environment(fake, tmp, args), cwd=tmp,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        await asyncio.wait_for(fake.identified.wait(), 180)
        print(f"bot ready (model loaded, commands synced, READY) in "
              f"{time.perf_counter() - started:.1f} s")
        await asyncio.sleep(1.0)  # let the bot settle before the burst

        stop_faults = asyncio.Event()
        faults = (asyncio.create_task(inject_faults(fake, channel, f"{tmp}/bot.sqlite3",
                                                    stop_faults))
                  if args.faults else None)
        sent: list[tuple[str, float, str]] = []  # (kind, sent at, match key)
        users = [fake.user(f"user{i}") for i in range(40)]
        for i in range(args.requests):
            user = users[i % len(users)]
            kind = KINDS[i % len(KINDS)]
            at = time.monotonic()
            key = await send_request(fake, kind, i, channel, guild, user, urls, texts)
            sent.append((kind, at, key))
            if args.faults:
                await asyncio.sleep(0.02)  # spread the burst over the faults

        keys = {key for _, _, key in sent}
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            counts, _ = tally(fake)
            if all(counts[key] for key in keys):
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(2.0)  # late duplicates, if any, would land now
        if faults is not None:
            stop_faults.set()
            await faults
        counts, first = tally(fake)
        rss = peak_rss_mb(bot.pid)
        bot.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(bot.communicate(), 120)
        await fake.close()
        pages.close()

    latencies, digests, busy = [], 0, 0
    for _kind, at, key in sent:
        if key not in first:
            continue
        latencies.append(first[key] - at)
    for call in fake.calls:
        body = call.body or {}
        data = body.get("data", body) if call.path.endswith("/callback") else body
        if call.method not in ("POST", "PATCH") or call.status != 200:
            continue
        if data.get("embeds"):
            digests += 1
        elif "busy" in (data.get("content") or ""):
            busy += 1
    answered = sum(1 for key in keys if counts[key])
    digest_times = [call.at for call in fake.calls if call.method in ("POST", "PATCH")
                    and call.status == 200
                    and ((call.body or {}).get("data", call.body or {}) or {}).get("embeds")]
    span = max(digest_times, default=0) - min(at for _, at, _ in sent)
    duplicated = sum(1 for key in keys if counts[key] > 1)
    log = output.decode()
    lag = re.search(r"loop lag .*", log)
    counters = re.search(r"requests: .*? lost", log)
    print(f"requests sent {len(sent)}, answered {answered}, duplicated {duplicated}, "
          f"lost {len(sent) - answered}")
    print(f"answers: {digests} digests, {busy} busy"
          + (f"; faults injected: {fake.resumes} gateway RESUMEs" if args.faults else ""))
    print(f"throughput: {digests / span if span > 0 else 0:.2f} digests/s "
          f"(workers: {args.workers if args.workers is not None else 'default'}"
          f"{', one core busy' if args.busy else ''})")
    print(f"time to reply: p50 {percentile(latencies, 50):.2f} s, "
          f"p95 {percentile(latencies, 95):.2f} s, max {max(latencies, default=0):.2f} s")
    print(f"bot {counters.group(0) if counters else 'counters: not reported'}")
    print(f"bot {lag.group(0) if lag else 'loop lag: not reported'}")
    print(f"bot peak RSS (with its worker processes): {rss:.0f} MB; bot exit code "
          f"{bot.returncode}")


async def big_upload(args: argparse.Namespace) -> None:
    """One ~1.9 MB message.txt, digested in full: how much does it stall the event loop?"""
    texts = load_articles(args.data, 2000, max_words=3000)
    text: list[str] = []
    size = 0
    while size < 1_850_000:  # the dev articles, as often as it takes, each copy told apart
        article = f"Part {len(text) + 1}. " + texts[len(text) % len(texts)]
        text.append(article)
        size += len(article.encode("utf-8")) + 2
    data = "\n\n".join(text).encode("utf-8")
    fake = FakeDiscord()
    guild = fake.add_guild()
    await fake.start()
    channel = guild["channels"][0]
    with TemporaryDirectory() as tmp:
        env = bot_environment(fake, tmp, args, SUMMARY_MAX_WORDS="1000000",
                              SUMMARY_MAX_CHARS="3000000")
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", env=env, cwd=tmp,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        await asyncio.wait_for(fake.identified.wait(), 180)
        await asyncio.sleep(1.0)
        attachment = fake.attachment("message.txt", data)
        sent = time.monotonic()
        m = await fake.send_message(channel["id"], "", fake.user("uploader"), guild=guild,
                                    attachments=[attachment])
        reply = await fake.wait_for(
            lambda c: c.method == "POST" and c.path.endswith("/messages")
            and str((c.body or {}).get("message_reference", {}).get("message_id")) == m["id"],
            timeout=args.timeout)
        elapsed = time.monotonic() - sent
        bot.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(bot.communicate(), 120)
        await fake.close()
    body = reply[0].body or {}
    embed = (body.get("embeds") or [{}])[0]
    lag = re.search(r"loop lag .*", output.decode())
    print(f"message.txt of {len(data) / 1e6:.2f} MB ({len(data.split()):,} words): answered in "
          f"{elapsed:.1f} s with {'a digest' if embed else repr(body.get('content'))}"
          f" ({embed.get('footer', {}).get('text', '')})")
    print(f"bot {lag.group(0) if lag else 'loop lag: not reported'}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--queue-size", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--faults", action="store_true", help="429s, 5xx, gateway drops, a "
                        "locked database during the burst")
    parser.add_argument("--big-upload", action="store_true", help="one ~1.9 MB message.txt")
    parser.add_argument("--workers", type=int, help="the bot's WORKERS (default: one per core)")
    parser.add_argument("--busy", action="store_true", help="keep one core busy meanwhile")
    args = parser.parse_args(argv)
    with one_core_busy(args.busy):
        asyncio.run(big_upload(args) if args.big_upload else run(args))


if __name__ == "__main__":
    main()
