"""Bot settings: one frozen object read once in ``__main__`` from the environment or ``.env``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from summariser.config import EnvReader, SummariserSettings

# Memory a process takes, with room: with two worker processes the bot and its workers peak at
# ~620 MB in ``benchmarks.bot_burst``; a worker that also loads the multilingual encoder (the
# optional extra) takes ~270 MB after digests. The default worker count fits a memory limit.
BOT_MB = 300
WORKER_MB = 300
MAX_WORKERS = 8


def memory_limit_mb(cgroup: Path = Path("/sys/fs/cgroup"),
                    membership: Path = Path("/proc/self/cgroup")) -> int | None:
    """The memory this process may use under its cgroup (systemd's ``MemoryMax``, a container's
    limit), in MB; None when unlimited or unknown. A service's limit is on its own group
    (``system.slice/article-digest.service``, named in ``/proc/self/cgroup``), not on the
    hierarchy's root: the tightest limit from the process's group up to the root counts."""
    groups = {"v2": "", "v1": ""}  # the process's group in each hierarchy ("" = the root)
    try:
        for line in membership.read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if controllers == "":
                groups["v2"] = path.strip("/")
            elif "memory" in controllers.split(","):
                groups["v1"] = path.strip("/")
    except (OSError, ValueError):
        pass
    limits = []
    for base, name, group in ((cgroup, "memory.max", groups["v2"]),
                              (cgroup / "memory", "memory.limit_in_bytes", groups["v1"])):
        parts = group.split("/") if group else []
        for depth in range(len(parts), -1, -1):  # the process's own group first, then up
            try:
                value = (base.joinpath(*parts[:depth]) / name).read_text().strip()
            except OSError:
                continue
            if value.isdigit() and int(value) < 1 << 60:  # v1 writes "unlimited" as a huge number
                limits.append(int(value) // (1 << 20))
        if limits:
            break
    return min(limits) if limits else None


def default_workers(cores: int | None = None, limit_mb: int | None = None) -> int:
    """One worker process per core, at most ``MAX_WORKERS``, and no more than fit in the memory
    limit beside the bot (at least one)."""
    count = min(MAX_WORKERS, cores or os.cpu_count() or 1)
    if limit_mb is not None:
        count = min(count, max(1, (limit_mb - BOT_MB) // WORKER_MB))
    return count


class MissingToken(Exception):
    """DISCORD_TOKEN is not set; the bot cannot start."""


class Secret:
    """A string that never shows itself in reprs, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself: only for handing it to discord.py."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True)
class BotSettings:
    """Everything the bot reads from its environment, once, at start-up; the summariser's
    own settings inside."""

    token: Secret = field(default_factory=lambda: Secret(""))
    auto_digest_all: bool = False
    auto_digest_channels: frozenset[int] = frozenset()
    database_path: Path = Path("data/article-digest.sqlite3")
    queue_size: int = 20
    per_user_queue: int = 3
    # Worker processes, each with its own models (~300 MB); 0 runs digests in a thread of the bot
    # itself. Default: one per core, at most 8, and no more than fit the memory limit.
    workers: int = field(default_factory=lambda: default_workers(limit_mb=memory_limit_mb()))
    cache_ttl: float = 24 * 3600
    suppress_original_embeds: bool = False
    max_links: int = 3
    min_paste_words: int = 150
    max_attachment_bytes: int = 2_000_000
    shutdown_grace: float = 20.0  # seconds to let the digest in progress finish on shutdown
    history_days: int = 30
    # Feeds a server follows (/feeds): how often each is polled, how many a server may follow,
    # how long their items are kept.
    feed_interval: float = 15 * 60.0
    feeds_per_server: int = 20
    feed_keep_days: float = 7.0
    sync_commands: bool = True
    log_level: str = "INFO"
    # The Prometheus endpoint (bot/metrics.py): off unless a port is given; loopback unless a
    # host is.
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"
    # A Discord-compatible API and gateway (a proxy, or the tests' fake); empty: discord.com.
    api_base: str = ""
    gateway_url: str = ""
    # Scaled mode (``docs``: README "Past one machine"): with REDIS_URL, gateway processes
    # (``python -m bot``) queue jobs in Redis and worker processes (``python -m bot.worker``)
    # digest and reply. The URL may carry a password: it is a Secret.
    redis_url: Secret = field(default_factory=lambda: Secret(""))
    shard_count: int | None = None  # None: one shard, or Discord's advice with SHARD_IDS unset
    shard_ids: tuple[int, ...] | None = None  # the shards this gateway process runs
    job_visibility: float = 60.0  # seconds a job may go unclaimed before another worker takes it
    summariser: SummariserSettings = field(default_factory=SummariserSettings)

    @property
    def scaled(self) -> bool:
        """Is the bot running over Redis (gateways and workers apart)?"""
        return bool(self.redis_url)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> BotSettings:
        """Settings from ``env`` (the process environment by default); ValueError naming the
        variable for a value of the wrong type, MissingToken without DISCORD_TOKEN."""
        settings = cls._from_env(env)
        if settings.shard_ids is not None and settings.shard_count is None:
            raise ValueError("SHARD_IDS: needs SHARD_COUNT, the number of shards in all")
        if settings.shard_ids and max(settings.shard_ids) >= (settings.shard_count or 0):
            raise ValueError(f"SHARD_IDS: every id must be below SHARD_COUNT "
                             f"({settings.shard_count})")
        if settings.scaled:
            _check_redis_url(settings.redis_url.reveal())
        if settings.shard_count and not settings.scaled:
            raise ValueError("SHARD_COUNT: shards split the guilds between processes, which "
                             "share their state through Redis: set REDIS_URL too")
        return settings

    @classmethod
    def _from_env(cls, env: Mapping[str, str] | None = None) -> BotSettings:
        """The settings as each variable gives them, before the checks between them."""
        env = os.environ if env is None else env
        read = EnvReader(env)
        token = read.text("DISCORD_TOKEN")
        if not token:
            raise MissingToken(
                "DISCORD_TOKEN is not set: put it in the environment or in .env (see .env.example)"
            )
        channels = read.text("AUTO_DIGEST_CHANNELS")
        ids = frozenset(int(c) for c in channels.split(",") if c.strip().isdigit())
        defaults = cls()
        return cls(
            token=Secret(token),
            auto_digest_all=channels.lower() == "all",
            auto_digest_channels=ids,
            database_path=Path(read.text("DATABASE_PATH") or defaults.database_path),
            queue_size=read.integer("QUEUE_SIZE", defaults.queue_size, minimum=1),
            per_user_queue=read.integer("PER_USER_QUEUE", defaults.per_user_queue, minimum=1),
            workers=read.integer("WORKERS", defaults.workers, minimum=0),
            cache_ttl=float(read.integer("CACHE_TTL", int(defaults.cache_ttl))),
            suppress_original_embeds=read.flag("SUPPRESS_ORIGINAL_EMBEDS"),
            shutdown_grace=float(read.integer("SHUTDOWN_GRACE", int(defaults.shutdown_grace),
                                              minimum=1)),
            sync_commands=not read.flag("SKIP_COMMAND_SYNC"),
            log_level=read.text("LOG_LEVEL").upper() or defaults.log_level,
            metrics_port=(read.integer("METRICS_PORT", 0, minimum=0)
                          if read.text("METRICS_PORT") else None),
            metrics_host=read.text("METRICS_HOST") or defaults.metrics_host,
            feed_interval=60.0 * read.number("FEED_INTERVAL_MINUTES",
                                               defaults.feed_interval / 60, minimum=1),
            feeds_per_server=read.integer("FEEDS_PER_SERVER", defaults.feeds_per_server,
                                          minimum=0),
            feed_keep_days=read.number("FEED_KEEP_DAYS", defaults.feed_keep_days, minimum=1),
            api_base=read.text("DISCORD_API_BASE"),
            gateway_url=read.text("DISCORD_GATEWAY_URL"),
            redis_url=Secret(read.text("REDIS_URL")),
            shard_count=read.integer("SHARD_COUNT", 0, minimum=0) or None,
            shard_ids=_shard_ids(read.text("SHARD_IDS")),
            job_visibility=read.number("JOB_VISIBILITY_TIMEOUT", defaults.job_visibility,
                                       minimum=1),
            summariser=SummariserSettings.from_env(env),
        )


def _shard_ids(text: str) -> tuple[int, ...] | None:
    """SHARD_IDS as given ("0,1"), or None when it is empty."""
    if not text.strip():
        return None
    try:
        ids = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise ValueError(f"SHARD_IDS: {text!r} is not a list of whole numbers") from None
    if any(shard < 0 for shard in ids):
        raise ValueError("SHARD_IDS: shard ids start at 0")
    return ids


def _check_redis_url(url: str) -> None:
    """ValueError, without the address (its password is a secret), where Redis's client cannot
    read ``url``: a password holding "/", "#", "?" or "@" (as ``openssl rand -base64`` gives)
    must be percent-encoded, else its tail is read as a port."""
    from redis.connection import parse_url

    try:
        parse_url(url)  # type: ignore[no-untyped-call]
    except (ValueError, TypeError):
        raise ValueError("REDIS_URL: not an address Redis can read (redis://, rediss:// or "
                         "unix://; percent-encode a password's / # ? @ :)") from None
