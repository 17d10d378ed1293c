"""How ``python -m bot`` names what stopped it: a failed start-up, or a crash once running."""

import asyncio
import logging
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.__main__ import Crashed, _stopped_by

ROOT = Path(__file__).resolve().parents[2]


async def _failed(error: BaseException) -> asyncio.Task[None]:
    async def run() -> None:
        raise error

    task = asyncio.create_task(run())
    await asyncio.gather(task, return_exceptions=True)
    return task


async def test_a_crash_after_start_is_not_called_a_failed_start_up():
    task = await _failed(RuntimeError("a bug at run time"))
    with pytest.raises(Crashed) as caught:
        _stopped_by(task, started=True)
    assert isinstance(caught.value.__cause__, RuntimeError)


async def test_a_failure_before_start_is_said_in_one_line():
    from bot.__main__ import StartupError

    with pytest.raises(StartupError, match="cannot reach Discord"):
        _stopped_by(await _failed(OSError("no route to host")), started=False)
    with pytest.raises(KeyError):  # a bug at start-up stays itself, for its traceback
        _stopped_by(await _failed(KeyError("x")), started=False)


def test_main_logs_a_run_time_crash_with_its_traceback(monkeypatch, caplog):
    from bot import __main__ as entry

    async def serve(settings) -> None:
        raise Crashed() from ZeroDivisionError("division by zero in a cog")

    monkeypatch.setattr(entry, "read_settings", lambda program: SimpleNamespace(log_level="INFO"))
    monkeypatch.setattr(entry, "configure_logging", lambda level: None)
    monkeypatch.setattr(entry, "serve", serve)
    monkeypatch.setattr(entry.threading, "enumerate", lambda: [])
    caplog.set_level(logging.ERROR, logger="bot")
    assert entry.main([]) == 1
    [record] = [r for r in caplog.records if r.name == "bot"]
    assert "start-up" not in record.getMessage()
    assert record.exc_info and isinstance(record.exc_info[1], ZeroDivisionError)


def test_help_and_a_dotenv_where_the_command_is_run(tmp_path):
    """``--help`` helps (the settings are the environment's); the ``.env`` read is the one of
    the directory the command runs in, as the README says."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SUMMARISER_"))}
    env["PYTHONPATH"] = str(ROOT)
    shown = subprocess.run([sys.executable, "-m", "bot", "--help"], capture_output=True,
                           text=True, env=env, cwd=tmp_path, timeout=60)
    assert shown.returncode == 0 and ".env" in shown.stdout
    (tmp_path / ".env").write_text("SUMMARISER_METHOD=nope\n")
    run = subprocess.run([sys.executable, "-m", "summariser", "-"], input="text",
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert run.returncode == 2 and "nope" in run.stderr


def test_debug_logging_keeps_interaction_tokens_out():
    """At LOG_LEVEL=DEBUG discord.py's webhook log names each route, an interaction's token in
    it (a 15-minute secret): it stays at WARNING, as its HTTP and gateway logs do."""
    from bot.logs import configure_logging

    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        configure_logging("DEBUG")
        assert not logging.getLogger("discord.webhook.async_").isEnabledFor(logging.DEBUG)
        assert not logging.getLogger("discord.http").isEnabledFor(logging.DEBUG)
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
