"""The SQLite store and the digest cache on their own: a real database file, milliseconds."""

from bot.models import StoryPrint
from bot.store import Store, TTLCache
from summariser.models import Headline


async def test_channel_switches_persist_and_are_read_from_memory(tmp_path):
    path = tmp_path / "db" / "bot.sqlite3"
    store = await Store.open(path)
    assert store.auto_digest(7) is None
    await store.set_auto_digest(1, 7, True)
    await store.set_auto_digest(1, 8, True)
    await store.set_auto_digest(1, 8, False)
    await store.close()
    await store.close()  # twice is fine
    reopened = await Store.open(path)
    assert (reopened.auto_digest(7), reopened.auto_digest(8)) == (True, False)
    await reopened.close()


async def test_history_is_per_server_newest_first_and_excludes_the_asking_key(tmp_path):
    store = await Store.open(tmp_path / "bot.sqlite3")
    for n in range(3):
        assert await store.remember(1, f"key{n}", Headline(f"Story {n}", f"https://x/{n}"),
                                    StoryPrint(bytes([n]) * 4, f"text {n}"))
    await store.remember(2, "other", Headline("Elsewhere"), StoryPrint(b"\0" * 4, "other"))
    recent = await store.recent(1, days=30, exclude_key="key1")
    assert [h.title for h, _ in recent] == ["Story 2", "Story 0"]
    assert all(h.origin == "earlier" for h, _ in recent)
    assert recent[0][1] == StoryPrint(bytes([2]) * 4, "text 2")
    await store.close()


async def test_old_history_is_forgotten(tmp_path):
    store = await Store.open(tmp_path / "bot.sqlite3")
    await store.remember(1, "old", Headline("Old"), StoryPrint(b"", "old"))
    assert await store.forget_older_than(0) == 1  # everything is older than "now"
    assert await store.recent(1) == []
    await store.close()


async def test_a_closed_database_gives_no_history_instead_of_failing(tmp_path):
    store = await Store.open(tmp_path / "bot.sqlite3")
    await store.close()
    assert await store.recent(1) == []
    assert await store.remember(1, "k", Headline("T"), StoryPrint(b"", "t")) is False


def test_cache_entries_expire_and_the_least_recent_goes_first():
    cache: TTLCache[str] = TTLCache(ttl=60, size=2)
    cache.put("a", "A")
    cache.put("b", "B")
    assert cache.get("a") == "A"  # a is now the most recent
    cache.put("c", "C")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == ("A", None, "C")
    expired: TTLCache[str] = TTLCache(ttl=-1)
    expired.put("x", "X")
    assert expired.get("x") is None
