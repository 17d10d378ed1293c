"""Shared fixtures: test data, a real local HTTP server on 127.0.0.1, one Digester per session."""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from page_server import PageServer  # noqa: E402

from summariser.config import SummariserSettings  # noqa: E402
from summariser.digest import Digester  # noqa: E402

DATA = Path(__file__).parent / "data"
LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def run_offline(code: str) -> str:
    """What ``code`` prints, run in a fresh interpreter whose every socket connection fails: a
    model or weights file it loads must come from the installed files."""
    refuse = ("import socket\n"
              "def refuse(*a, **k): raise OSError('network used')\n"
              "socket.socket.connect = refuse\n")
    return subprocess.run([sys.executable, "-c", refuse + code], capture_output=True,
                          text=True, check=True, timeout=60).stdout


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def page_server() -> Iterator[PageServer]:
    server = PageServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def settings() -> SummariserSettings:
    return SummariserSettings(allow_networks=LOOPBACK, fetch_timeout=2.0, fetch_total_timeout=4.0)


@pytest.fixture(scope="session")
def digester(settings: SummariserSettings) -> Digester:
    """One Digester (and so one loaded model) for the whole session."""
    return Digester(settings)


@pytest.fixture(scope="session")
def make_article() -> Callable[[int], str]:
    """A plain article of about ``words`` words made of varied, real-looking news sentences."""
    base = read("bbc-style-paste.txt")

    def build(words: int) -> str:
        from summariser.paste import parse_paste

        paragraphs = list(parse_paste(base).paragraphs)
        out: list[str] = []
        total = 0
        round_no = 0
        while total < words:
            for paragraph in paragraphs:
                text = paragraph if round_no == 0 else f"In update {round_no}, {paragraph[0].lower()}{paragraph[1:]}"
                out.append(text)
                total += len(text.split())
                if total >= words:
                    break
            round_no += 1
        return "\n\n".join(out)

    return build


@pytest.fixture
async def env(digester: Digester, tmp_path: Path):
    """The real bot on the shared Digester, connected to a fresh fake Discord; stopped after."""
    from bot_env import start_bot, stop_bot

    running = await start_bot(digester, tmp_path)
    yield running
    await stop_bot(running)


@pytest.fixture
def redis_server(tmp_path: Path):
    """A real redis-server on loopback, with its data in ``tmp_path``; stopped after."""
    from redis_server import RedisServer

    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()
