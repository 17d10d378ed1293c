"""Feeds through the real bot and the fake Discord: /feeds add|list|remove, a pasted article
that gets the followed feed's headline about its story, refusals, and the poller's backoff."""

import asyncio
import email.utils
import time
from dataclasses import replace

import numpy as np
from bot_env import MANAGE_GUILD, until
from conftest import DATA, read

from bot.feeds import FeedIndex, FeedPoller
from bot.jobs import ThreadRunner
from bot.locale import stored_reason, stored_reason_in
from bot.storage.sqlite import Store
from summariser.errors import SiteRefused

NAVALNY_HEADLINE = "Amnesty International strips Alexei Navalny of prisoner of conscience status"


def world_feed(page_server, path: str = "/feeds/world.xml", name: str = "world-rss.xml",
               **route) -> str:
    """The world feed (or feed ``name``), its stories dated today (older ones are not kept)."""
    today = email.utils.formatdate(usegmt=True)[:16]  # "Thu, 26 Nov 2026"
    body = (DATA / "feeds" / name).read_text().replace("Wed, 24 Feb 2021", today)
    return page_server.add(path, body.encode(), content_type="application/rss+xml", **route)


async def related_under_the_pasted_article(env, user: str = "reader") -> str:
    """Paste the Navalny article in the news channel; the reply's related headlines."""
    message = await env.fake.send_message(env.news["id"], read("lbc-amnesty-navalny.txt"),
                                          env.fake.user(user), guild=env.guild)
    [embed] = (await env.replies_to(message)).body["embeds"]
    return next(f["value"] for f in embed["fields"] if f["name"] == "Related headlines")


async def feeds_command(env, sub: str, options: list[dict], permissions: int = MANAGE_GUILD):
    """Run /feeds ``sub`` as a moderator; the text of the (ephemeral) answer."""
    before = len(env.fake.calls)
    await env.fake.slash("feeds", [{"name": sub, "type": 1, "options": options}],
                         env.fake.user("moderator"), env.news, env.guild,
                         permissions=permissions | (1 << 11))

    def answer(call) -> bool:
        body = call.body or {}
        content = (body.get("data") or body).get("content") if isinstance(body, dict) else None
        return bool(content) and (call.path.endswith("/callback") or
                                  call.path.startswith("/webhooks/"))

    calls = await env.fake.wait_for(lambda c: c in env.fake.calls[before:] and answer(c))
    body = calls[0].body
    flags = (body.get("data") or body).get("flags", 0)
    assert flags & 64, "feed answers are only for the moderator"
    return (body.get("data") or body)["content"]


async def test_a_followed_feeds_headline_joins_the_digest_of_the_same_story(env, page_server):
    url = world_feed(page_server)
    answer = await feeds_command(env, "add", [{"name": "url", "type": 3, "value": url}])
    assert "Following **Northern Wire: World**" in answer and "3 headlines" in answer
    listing = await feeds_command(env, "list", [])
    assert f"Northern Wire: World <{url}>: 3 headlines" in listing

    await env.turn_on(env.news)
    related = await related_under_the_pasted_article(env)
    assert (f"[{NAVALNY_HEADLINE}](https://northernwire.example/world/amnesty-navalny-status)"
            " — Northern Wire: World") in related
    assert "Spain" not in related and "Premier League" not in related

    answer = await feeds_command(env, "remove", [{"name": "url", "type": 3, "value": url}])
    assert answer == f"Stopped following <{url}>."
    again = await env.fake.send_message(env.news["id"], read("lbc-amnesty-navalny.txt"),
                                        env.fake.user("reader2"), guild=env.guild)
    [embed] = (await env.replies_to(again)).body["embeds"]
    assert NAVALNY_HEADLINE not in str(embed)


DESCRIBED = "A rights group changes its mind about a Kremlin critic"


async def test_a_feed_items_description_tells_the_judge_its_story(env, page_server):
    """A headline that names nobody ("a Kremlin critic") is shown under the digest of its
    story when the item's description tells the story; the feed's other items are not."""
    url = world_feed(page_server, "/feeds/europe.xml", "described-rss.xml")
    answer = await feeds_command(env, "add", [{"name": "url", "type": 3, "value": url}])
    assert "Following **Northern Wire: Europe**" in answer and "3 headlines" in answer
    await env.turn_on(env.news)
    related = await related_under_the_pasted_article(env)
    assert (f"[{DESCRIBED}](https://northernwire.example/europe/rights-group-kremlin-critic)"
            " — Northern Wire: Europe") in related
    assert "Spain" not in related and "Markets" not in related


async def test_the_same_headline_without_its_description_is_not_enough(digester):
    """The contrast: the judge finds the item above through its description, not its
    headline."""
    from bot.earlier import with_earlier
    from bot.models import FeedHeadline
    from summariser.feeds import parse_feed
    from summariser.story import story_text

    feed = parse_feed((DATA / "feeds" / "described-rss.xml").read_bytes(), "https://n.example/f")
    digest, story = with_earlier(digester, digester.from_text(read("lbc-amnesty-navalny.txt")), ())
    assert digest.title and story.text == " ".join([digest.title, *digest.summary[:3]])
    vector = np.frombuffer(story.vector, dtype=np.float32)
    for told, expected in ((True, [DESCRIBED]), (False, [])):
        items = [replace(item, summary=item.summary if told else None) for item in feed.items]
        vectors = digester.encode([story_text(i.title, i.summary) for i in items])
        index = FeedIndex()
        index.follow(1, "https://n.example/f")
        await index.replace("https://n.example/f", [FeedHeadline(i, v.tobytes())
                                               for i, v in zip(items, vectors, strict=True)])
        assert [h.title for h in index.match(1, vector, story.text)] == expected


async def test_an_article_in_another_language_gets_no_feed_headlines(digester):
    """The judge and the pair reader learned English stories: under a German article about
    Siemens and an Australian coal mine they call a German feed's unrelated headlines (the
    railway's summer closures, a climate march) the same story beside the one that is. So a
    digest in a language that gets no related headlines (``related.gets_related``) gets none of
    the server's feeds either."""
    from bot.earlier import with_earlier
    from bot.models import FeedHeadline
    from summariser.feeds import parse_feed
    from summariser.story import story_text

    feed = parse_feed((DATA / "feeds" / "inland-de-rss.xml").read_bytes(), "https://n.example/de")
    digest, story = with_earlier(digester, digester.from_text(read("lang/taz-kaeser-de.txt")), ())
    assert digest.lang == "de"
    vectors = digester.encode([story_text(i.title, i.summary) for i in feed.items])
    index = FeedIndex()
    index.follow(1, "https://n.example/de")
    await index.replace("https://n.example/de", [FeedHeadline(i, v.tobytes())
                                            for i, v in zip(feed.items, vectors, strict=True)])
    judged = [h.title for h in index.match(1, np.frombuffer(story.vector, dtype=np.float32),
                                            story.text)]
    assert "Deutsche Bahn kündigt Streckensperrungen für den Sommer an" in judged
    assert (await index.with_feeds(1, digest, story)).related == digest.related


async def test_a_feed_followed_whose_first_headlines_cannot_be_stored_is_said_followed(
        env, page_server, monkeypatch):
    """The follow is saved; storing its first headlines then fails (the database busy): the
    moderator is told it is followed and its headlines are on their way, not that nothing
    could be saved."""
    from bot.storage import StoreUnavailable

    async def busy(update):
        raise StoreUnavailable("database is locked")

    monkeypatch.setattr(env.bot.poller, "record", busy)
    url = world_feed(page_server, "/feeds/busy-world.xml")
    answer = await feeds_command(env, "add", [{"name": "url", "type": 3, "value": url}])
    assert answer.startswith("Following **Northern Wire: World**") and "arrive" in answer
    [followed] = await env.bot.store.followed(int(env.guild["id"]))
    assert followed.url == url


async def test_a_sites_page_stands_for_the_feed_it_names(env, page_server):
    feed = world_feed(page_server, "/feeds/site-world.xml")
    page = page_server.add("/site/index.html", (
        "<html><head><title>Northern Wire</title><link rel='alternate' "
        "type='application/rss+xml' href='/feeds/site-world.xml'></head>"
        "<body><p>Today's news.</p></body></html>"))
    answer = await feeds_command(env, "add", [{"name": "url", "type": 3, "value": page}])
    assert f"Following **Northern Wire: World** <{feed}>: 3 headlines" in answer
    [followed] = await env.bot.store.followed(int(env.guild["id"]))
    assert (followed.url, followed.items) == (feed, 3)
    again = await feeds_command(env, "add", [{"name": "url", "type": 3, "value": page}])
    assert again == f"Already following <{feed}>."


async def test_feeds_that_do_not_work_are_not_followed(env, page_server):
    sneaky = page_server.add("/feeds/redirect.xml", status=302,
                             headers={"Location": "http://169.254.169.254/latest/meta-data"})
    answer = await feeds_command(env, "add", [{"name": "url", "type": 3, "value": sneaky}])
    assert answer.startswith(f"I couldn't follow <{sneaky}>:")
    assert "private or local network address" in answer
    page = page_server.add("/feeds/not-a-feed.html", read("wire-style-page.html"))
    answer = await feeds_command(env, "add", [{"name": "url", "type": 3, "value": page}])
    assert "not an RSS or Atom feed" in answer
    assert await env.bot.store.followed(int(env.guild["id"])) == []
    answer = await feeds_command(env, "add", [{"name": "url", "type": 3, "value": page}],
                                 permissions=0)
    assert "Manage Server" in answer


async def test_a_long_feed_list_is_shown_whole_over_several_messages(env):
    """20 feeds (the most a server may follow) with addresses of some 90 characters run past
    one message: the list was cut at 1,900 characters, mid-address, and a moderator could not
    see (so not remove) the last seven."""
    store = env.bot.feed_store
    assert store is not None
    urls = [f"https://news.example/international/section-{n:02d}/" + "x" * 60 + "/rss.xml"
            for n in range(20)]
    for url in urls:
        await store.follow(int(env.guild["id"]), url, 20)
    before = len(env.fake.calls)
    await env.fake.slash("feeds", [{"name": "list", "type": 1, "options": []}],
                         env.fake.user("moderator"), env.news, env.guild,
                         permissions=MANAGE_GUILD | (1 << 11))

    def shown() -> str:
        return "\n".join((c.body.get("data") or c.body).get("content") or ""
                         for c in env.fake.calls[before:] if isinstance(c.body, dict))

    await until(lambda: all(url in shown() for url in urls), 10, "every feed listed")
    answers = [c for c in env.fake.calls[before:] if isinstance(c.body, dict)
               and ((c.body.get("data") or c.body).get("content") or "").startswith("•")]
    assert len(answers) >= 2
    for call in answers:
        body = call.body.get("data") or call.body
        assert len(body["content"]) <= 2000 and body["flags"] & 64
        assert all(line.endswith(("headlines", "headline")) or "(failing" in line
                   for line in body["content"].splitlines())


async def test_a_server_that_removes_the_bot_stops_its_feeds_being_polled(env, page_server):
    url = world_feed(page_server, "/feeds/left-behind.xml")
    answer = await feeds_command(env, "add", [{"name": "url", "type": 3, "value": url}])
    assert "Following **Northern Wire: World**" in answer
    store = env.bot.feed_store
    assert store is not None and env.bot.feeds.headlines(int(env.guild["id"])) == 3
    await env.fake.remove_bot_from(env.guild)
    await until(lambda: env.bot.get_guild(int(env.guild["id"])) is None, 10, "the removal")
    for _ in range(100):
        if not await store.subscriptions():
            break
        await asyncio.sleep(0.05)
    assert await store.subscriptions() == {}
    assert await store.due_feeds(time.time() + 86400) == []  # never polled again
    assert env.bot.feeds.links(url) == frozenset()


async def test_poller_uses_the_etag_and_backs_off_a_failing_feed(digester, tmp_path, page_server):
    store = await Store.open(tmp_path / "bot.sqlite3")
    runner = ThreadRunner(digester)
    index = FeedIndex()
    poller = FeedPoller(store, runner, index, interval=60, keep_days=7)
    try:
        good = world_feed(page_server, "/feeds/poll-good.xml", etag='"e1"')
        bad = page_server.add("/feeds/poll-bad.xml", status=503)
        for url in (good, bad):
            await store.follow(7, url, 20)
            index.follow(7, url)
        assert await poller.poll_due() == 2
        assert index.headlines(7) == 3
        feeds = {f.url: f for f in await store.followed(7)}
        assert feeds[good].failures == 0 and feeds[good].items == 3
        assert feeds[bad].failures == 1
        # kept with its key: /feeds list says it in the server's language
        kept = feeds[bad].last_error or ""
        assert stored_reason_in(kept, "en") == "the site answered with an error (503)"
        assert stored_reason_in(kept, "fr") == "le site a répondu par une erreur (503)"
        assert stored_reason_in("the site refused us", "fr") == "the site refused us"  # old rows
        assert await store.due_feeds(time.time()) == []  # both wait: 60 s, and 120 s for bad
        hits = page_server.hits.count("/feeds/poll-good.xml")
        update = await poller.poll(good, '"e1"', None)
        assert update.status == 304 and page_server.hits.count("/feeds/poll-good.xml") == hits + 1
        assert index.headlines(7) == 3  # unchanged feed, same headlines
        failures, wait = await store.failed_poll(bad, "again", 60, 3600)
        assert (failures, wait) == (2, 240)  # doubling from the interval
    finally:
        runner.stop()
        await store.close()


async def test_a_feed_unfollowed_while_it_is_polled_keeps_nothing(digester, tmp_path,
                                                                  page_server):
    """A moderator removes a feed while its poll is on the wire: when the poll comes back, its
    headlines are neither stored nor held in memory (they stayed there, orphaned, before)."""
    import asyncio

    store = await Store.open(tmp_path / "bot.sqlite3")
    runner = ThreadRunner(digester)
    index = FeedIndex()
    poller = FeedPoller(store, runner, index, interval=60, keep_days=7)
    try:
        url = world_feed(page_server, "/feeds/slow.xml", delay=1.0)
        await store.follow(7, url, 20)
        index.follow(7, url)
        polling = asyncio.create_task(poller.poll(url))
        while "/feeds/slow.xml" not in page_server.hits:
            await asyncio.sleep(0.02)
        assert await store.unfollow(7, url)
        index.unfollow(7, url)
        assert len((await polling).items) == 3  # the poll itself went well
        assert await store.feed_headlines() == {} and index.links(url) == frozenset()
        await store.follow(7, url, 20)  # followed again: nothing left over from before
        [followed] = await store.followed(7)
        assert (followed.items, followed.title) == (0, None)
    finally:
        runner.stop()
        await store.close()


async def test_a_feed_whose_poll_fails_unexpectedly_backs_off_and_the_others_are_polled(
        digester, tmp_path, page_server, monkeypatch, caplog):
    """A bug while polling one feed is logged and recorded as that feed's failure (it backs
    off): unrecorded, it stayed first in line and stopped every later feed's poll."""
    store = await Store.open(tmp_path / "bot.sqlite3")
    runner = ThreadRunner(digester)
    index = FeedIndex()
    poller = FeedPoller(store, runner, index, interval=60, keep_days=7)
    polled = runner.poll

    async def poll(job):
        if job.url.endswith("/broken.xml"):
            raise RuntimeError("a bug while reading this feed")
        return await polled(job)

    monkeypatch.setattr(runner, "poll", poll)
    try:
        broken = world_feed(page_server, "/feeds/broken.xml")
        good = world_feed(page_server, "/feeds/after-broken.xml")
        for url in (broken, good):
            await store.follow(7, url, 20)
            index.follow(7, url)
        assert await poller.poll_due() == 2
        feeds = {f.url: f for f in await store.followed(7)}
        assert feeds[broken].failures == 1 and feeds[good].items == 3
        assert "polling it failed unexpectedly" in caplog.text
        assert await store.due_feeds(time.time()) == []  # the broken one waits its turn
    finally:
        runner.stop()
        await store.close()


async def test_a_poll_encodes_only_the_items_not_already_stored(digester, tmp_path, page_server):
    """A feed lists its recent items again at every poll: only a new one is read by the model
    (the store keeps an item as first read), so a busy feed does not hold up digests."""
    encoded: list[str] = []

    class Counting:  # the digester, noting the story texts it is asked to encode
        fetcher = digester.fetcher

        @staticmethod
        def encode(texts):
            encoded.extend(texts)
            return digester.encode(texts)

    store = await Store.open(tmp_path / "bot.sqlite3")
    runner = ThreadRunner(Counting())
    index = FeedIndex()
    poller = FeedPoller(store, runner, index, interval=60, keep_days=7)
    try:
        url = world_feed(page_server, "/feeds/growing.xml")
        await store.follow(7, url, 20)
        index.follow(7, url)
        assert len((await poller.poll(url)).items) == 3 and len(encoded) == 3
        new = ("<item><title>Storm closes ports along the Adriatic coast</title>"
               "<link>https://northernwire.example/world/adriatic-storm</link></item>")
        body = page_server.routes["/feeds/growing.xml"].body.replace(
            b"<item>", new.encode() + b"<item>", 1)
        page_server.add("/feeds/growing.xml", body, content_type="application/rss+xml")
        update = await poller.poll(url)  # no validators: the whole feed again
        assert [h.item.title for h in update.items] == [
            "Storm closes ports along the Adriatic coast"]
        assert encoded[3:] == ["Storm closes ports along the Adriatic coast"]
        assert index.headlines(7) == 4
        assert (await store.followed(7))[0].items == 4
    finally:
        runner.stop()
        await store.close()


async def test_the_poller_stops_even_when_a_library_swallows_the_cancellation():
    """redis-py's asyncio client can catch a CancelledError mid-command and return (redis-py
    issues 2028, 2551): the poller must still stop at once, not sleep out its tick."""
    import asyncio

    polling = asyncio.Event()

    class Swallowing:
        async def due_feeds(self, now):
            polling.set()
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                return []

    poller = FeedPoller(Swallowing(), None, FeedIndex(), interval=900, keep_days=7)
    poller.start()
    await polling.wait()
    # Its tick is 225 s: stopped within 5 s means it did not sleep it out.
    await asyncio.wait_for(poller.stop(), 5)


async def test_a_french_server_gets_its_feeds_answers_in_french(env, page_server):
    url = world_feed(page_server, "/feeds/monde.xml")
    french = {**env.guild, "preferred_locale": "fr"}
    before = len(env.fake.calls)

    async def command(sub: str, options: list[dict]) -> str:
        nonlocal before
        await env.fake.slash("feeds", [{"name": sub, "type": 1, "options": options}],
                             env.fake.user("moderator"), env.news, french,
                             permissions=MANAGE_GUILD | (1 << 11))
        calls = await env.fake.wait_for(lambda c: c in env.fake.calls[before:] and bool(
            isinstance(c.body, dict) and (c.body.get("data") or c.body).get("content")))
        before = len(env.fake.calls)
        return (calls[0].body.get("data") or calls[0].body)["content"]

    answer = await command("add", [{"name": "url", "type": 3, "value": url}])
    assert answer.startswith("Ce serveur suit **Northern Wire: World**") and "3 titres" in answer
    assert f"Northern Wire: World <{url}>: 3 titres" in await command("list", [])
    # a failing feed's reason, kept with its key by the poller, is said in French too
    store = env.bot.feed_store
    assert store is not None
    await store.failed_poll(url, stored_reason(SiteRefused.because("status", status=503)), 60,
                            3600)
    assert "3 titres (en échec : le site a répondu par une erreur (503))" in await command(
        "list", [])
    assert await command("remove", [{"name": "url", "type": 3, "value": url}]) == (
        f"Ce serveur ne suit plus <{url}>.")


async def test_all_feeds_judged_in_one_call_find_what_each_feed_judged_alone_finds(digester):
    """``FeedIndex.candidates`` judges a server's feeds at once; each feed matched on its own by
    the same-story judge (the way it was done before) gives the same candidates with the same
    probabilities, items with a description (every other item of one feed) judged by their own
    use; ``match`` decides among them."""
    import re

    from bot.models import FeedHeadline
    from summariser.headlines import story_candidates
    from summariser.models import FeedItem
    from summariser.paste import parse_paste
    from summariser.story import Terms, story_text

    xml = (DATA / "related" / "story-feed.xml").read_text()
    titles = [t.replace("&apos;", "'") for t in re.findall(r"<item>\s*<title>(.*?)</title>", xml)]
    article = parse_paste(read("lbc-amnesty-navalny.txt"))
    sentences = [s for p in article.paragraphs for s in re.split(r"(?<=\.) ", p)]
    heads = titles + sentences  # the article's own sentences: many of the same story
    vectors = digester.encode(heads)
    digest = digester.from_text(read("lbc-amnesty-navalny.txt"))
    text = f"{digest.title} {digest.summary[0]}"
    vector = digester.encode([text])[0]
    index = FeedIndex()
    feeds = {f"https://feeds.example/{k}.xml": range(start, end)
             for k, (start, end) in enumerate([(0, 4), (4, 5), (5, 20), (20, len(heads))])}
    told = {i: heads[i + 1] for i in feeds["https://feeds.example/2.xml"] if i % 2}
    texts = [story_text(h, told.get(i)) for i, h in enumerate(heads)]
    vectors[list(told)] = digester.encode([texts[i] for i in told])
    items = {url: [FeedHeadline(FeedItem(heads[i], f"https://x.example/{i}", "X", None,
                                         told.get(i)), vectors[i].tobytes()) for i in rows]
             for url, rows in feeds.items()}
    for url, feed in items.items():
        index.follow(3, url)
        await index.replace(url, feed)
    index.follow(3, "https://feeds.example/empty.xml")
    await index.replace("https://feeds.example/empty.xml", [])
    judged = sorted((round(p, 9), h.title, use) for p, h, use in index.candidates(3, vector, text))
    alone: list[tuple[float, str, str]] = []
    for url in index._servers[3]:  # in the order the index reads the server's feeds
        for use, described in (("feed", False), ("feed_described", True)):
            rows = [i for i in feeds.get(url, ()) if (i in told) == described]
            if rows:
                alone += [(round(p, 9), heads[rows[k]], use) for p, k in story_candidates(
                    vector, text, vectors[rows], [Terms.of(texts[i]) for i in rows], use)]
    assert judged == sorted(alone) and len(judged) > 3
    found = index.match(3, vector, text, limit=50)
    assert {h.title for h in found} <= {title for _, title, _ in judged}
    assert {heads[i] for i in told} & {h.title for h in found}  # a described item is found
    assert len(found) >= 3 and titles[0] in [h.title for h in found]
    assert index.match(3, vector, text) == found[:3]  # kept pool, same answer
    await index.replace("https://feeds.example/0.xml", items["https://feeds.example/0.xml"][1:])
    assert titles[0] not in [h.title for h in index.match(3, vector, text, limit=50)]


async def test_a_feeds_headlines_are_read_for_the_judge_off_the_event_loop(monkeypatch):
    """Reading a polled feed's words for the judge takes tens of ms a feed: in a thread, so
    that polling many feeds never stalls the bot's event loop."""
    import threading

    from bot import feeds

    read_in: list[int] = []
    monkeypatch.setattr(feeds, "_blocks", lambda items: read_in.append(threading.get_ident())
                        or {})
    await FeedIndex().replace("https://feeds.example/x.xml", [])
    assert read_in and read_in[0] != threading.get_ident()
