"""The digest service without Discord: cache, queue, attachments and the server's history,
on the real pipeline (a thread runner on the suite's model), a real queue and database."""

import pytest
from conftest import read

from bot.config import BotSettings
from bot.jobs import ThreadRunner
from bot.models import AttachmentInfo, FileRequest, TextRequest, UrlRequest
from bot.service import DigestService
from bot.storage import for_cache
from bot.storage.sqlite import Store
from bot.workqueue import WorkQueue
from summariser.errors import TooLarge


@pytest.fixture
async def service(digester, tmp_path):
    settings = BotSettings(summariser=digester.settings, max_attachment_bytes=50_000)
    queue = WorkQueue(size=5, per_user=5, workers=1)
    store = await Store.open(tmp_path / "bot.sqlite3")
    queue.start()
    yield DigestService(settings, ThreadRunner(digester), queue, store)
    await queue.close(1)
    await store.close()


async def test_a_repeat_link_is_answered_from_the_cache_without_queueing(service, page_server):
    url = page_server.add("/service/cached.html", read("wire-style-page.html"))
    first = await service.submit(1, UrlRequest(url), None)
    fetched = page_server.hits.count("/service/cached.html")
    repeat = service.submit(2, UrlRequest(url), None)
    assert repeat.done() and repeat.result() == for_cache(first)  # no fetch, no queue
    assert repeat.result().elapsed_ms == 0.0  # made in no time
    assert fetched == 1 and page_server.hits.count("/service/cached.html") == 1


async def test_a_file_over_the_cap_is_refused_before_it_is_read(service):
    reads = []

    async def read_bytes():
        reads.append(1)
        return b"x"

    big = AttachmentInfo("message.txt", 60_000, "https://cdn.example/big", "text/plain",
                         read_bytes)
    with pytest.raises(TooLarge, match="larger than"):
        await service.submit(1, FileRequest(big), None)
    assert reads == []


async def test_a_file_is_read_and_digested(service):
    async def read_bytes():
        return read("bbc-style-paste.txt").encode()

    upload = AttachmentInfo("message.txt", 9_000, "https://cdn.example/m", "text/plain",
                            read_bytes)
    digest = await service.submit(1, FileRequest(upload), None)
    assert digest.summary and digest.method == "minilm"


async def test_digests_in_a_server_join_its_history_once(service):
    pasted = TextRequest(read("lbc-amnesty-navalny.txt"))
    digest = await service.submit(1, pasted, 42)
    await service.submit(1, pasted, 42)  # the same text again: one entry, by its key
    history = await service.store.recent(42)
    assert [headline.title for headline, _ in history] == [digest.title]
    assert await service.store.recent(7) == []  # other servers see nothing
