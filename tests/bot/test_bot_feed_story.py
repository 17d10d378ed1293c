"""A followed feed through the real bot, the real judge and the fake Discord: of ten feed items,
the one about the pasted article's story is shown under its digest and the nine of other
stories (some of the same topic) are not; only a member who may manage the server adds a feed,
and a feed on a private address is refused without being fetched."""

import email.utils

from bot_env import MANAGE_GUILD
from conftest import DATA, read
from test_bot_feeds import feeds_command

SAME_STORY = ("Amnesty International withdraws Navalny's 'prisoner of conscience' label over past "
              "comments")


def story_feed(page_server, path: str = "/feeds/story.xml") -> str:
    """The ten-item feed, its first item dated today (older ones are not kept)."""
    today = email.utils.formatdate(usegmt=True)[:16]
    body = (DATA / "related" / "story-feed.xml").read_text().replace("Thu, 25 Feb 2021", today)
    return page_server.add(path, body.encode(), content_type="application/rss+xml")


async def _digest_with_feed(env, page_server, path: str) -> list[str]:
    """The feed's lines under the seed article's digest, pasted in a server following it."""
    url = story_feed(page_server, path)
    answer = await feeds_command(env, "add", [{"name": "url", "type": 3, "value": url}])
    assert "10 headlines" in answer
    await env.turn_on(env.news)
    message = await env.fake.send_message(env.news["id"], read("lbc-amnesty-navalny.txt"),
                                          env.fake.user("reader"), guild=env.guild)
    [embed] = (await env.replies_to(message)).body["embeds"]
    related = next((f["value"] for f in embed["fields"] if f["name"] == "Related headlines"),
                   "")
    return [line for line in related.splitlines() if "northernwire.example" in line]


async def test_the_feed_item_of_the_pasted_story_is_shown_and_nine_others_are_not(env,
                                                                                  page_server):
    feed_lines = await _digest_with_feed(env, page_server, "/feeds/story.xml")
    assert len(feed_lines) == 1, feed_lines
    assert SAME_STORY in feed_lines[0] and "/world/amnesty-navalny-label)" in feed_lines[0]


async def test_a_member_without_manage_server_cannot_add_a_feed(env, page_server):
    url = story_feed(page_server, "/feeds/story-no-permission.xml")
    answer = await feeds_command(env, "add", [{"name": "url", "type": 3, "value": url}],
                                 permissions=0)
    assert "Manage Server" in answer
    assert await env.bot.store.followed(int(env.guild["id"])) == []
    assert "/feeds/story-no-permission.xml" not in page_server.hits


async def test_a_feed_on_a_private_address_is_refused_and_never_fetched(env, page_server):
    hits = len(page_server.hits)
    private = "http://192.168.10.20/feeds/story.xml"
    answer = await feeds_command(env, "add", [{"name": "url", "type": 3, "value": private}],
                                 permissions=MANAGE_GUILD)
    assert answer.startswith(f"I couldn't follow <{private}>:")
    assert "private or local network address" in answer
    assert len(page_server.hits) == hits
    assert await env.bot.store.followed(int(env.guild["id"])) == []
