"""Bot settings: one frozen object read once in ``__main__`` from the environment or ``.env``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from summariser.config import SummariserSettings


class MissingToken(Exception):
    """DISCORD_TOKEN is not set; the bot cannot start."""


class Secret:
    """A string that never shows itself in reprs, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class BotSettings:
    token: Secret = field(default_factory=lambda: Secret(""))
    auto_digest_all: bool = False
    auto_digest_channels: frozenset[int] = frozenset()
    database_path: Path = Path("data/article-digest.sqlite3")
    queue_size: int = 20
    per_user_queue: int = 3
    # Worker processes, each with its own model (~220 MB); 0 runs digests in a thread of the bot
    # itself. Default: one per core, at most 8, so a big host is not filled by surprise.
    workers: int = field(default_factory=lambda: min(8, os.cpu_count() or 1))
    cache_ttl: float = 24 * 3600
    suppress_original_embeds: bool = False
    max_links: int = 3
    min_paste_words: int = 150
    max_attachment_bytes: int = 2_000_000
    shutdown_grace: float = 20.0  # seconds to let the digest in progress finish on shutdown
    history_days: int = 30
    sync_commands: bool = True
    log_level: str = "INFO"
    # A Discord-compatible API and gateway (a proxy, or the tests' fake); empty: discord.com.
    api_base: str = ""
    gateway_url: str = ""
    summariser: SummariserSettings = field(default_factory=SummariserSettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> BotSettings:
        env = os.environ if env is None else env
        token = env.get("DISCORD_TOKEN", "").strip()
        if not token:
            raise MissingToken(
                "DISCORD_TOKEN is not set: put it in the environment or in .env (see .env.example)"
            )
        channels = env.get("AUTO_DIGEST_CHANNELS", "").strip()
        ids = frozenset(int(c) for c in channels.split(",") if c.strip().isdigit())
        defaults = cls()

        def integer(key: str, default: int) -> int:
            raw = env.get(key, "").strip()
            try:
                return int(raw) if raw else default
            except ValueError as exc:
                raise ValueError(f"{key}: {raw!r} is not a whole number") from exc

        def non_negative(key: str, default: int) -> int:
            value = integer(key, default)
            if value < 0:
                raise ValueError(f"{key}: {value} is below 0")
            return value

        return cls(
            token=Secret(token),
            auto_digest_all=channels.lower() == "all",
            auto_digest_channels=ids,
            database_path=Path(env.get("DATABASE_PATH", "").strip() or defaults.database_path),
            queue_size=integer("QUEUE_SIZE", defaults.queue_size),
            per_user_queue=integer("PER_USER_QUEUE", defaults.per_user_queue),
            workers=non_negative("WORKERS", defaults.workers),
            cache_ttl=float(integer("CACHE_TTL", int(defaults.cache_ttl))),
            suppress_original_embeds=_flag(env.get("SUPPRESS_ORIGINAL_EMBEDS", "")),
            shutdown_grace=float(integer("SHUTDOWN_GRACE", int(defaults.shutdown_grace))),
            sync_commands=not _flag(env.get("SKIP_COMMAND_SYNC", "")),
            log_level=env.get("LOG_LEVEL", "").strip().upper() or defaults.log_level,
            api_base=env.get("DISCORD_API_BASE", "").strip(),
            gateway_url=env.get("DISCORD_GATEWAY_URL", "").strip(),
            summariser=SummariserSettings.from_env(env),
        )
