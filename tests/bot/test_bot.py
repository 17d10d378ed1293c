"""The real bot through the fake Discord: messages, slash command, context menu, settings."""

import pytest
from bot_env import is_post_to, until
from conftest import read
from fake_discord import embed_size


def embeds_of(call):
    return call.body.get("embeds") or []


async def test_link_in_opted_in_channel_gets_a_digest_embed(env, page_server):
    url = page_server.add("/bot/skylow.html", read("wire-style-page.html"))
    await env.turn_on(env.news)
    reader = env.fake.user("reader")
    message = await env.fake.send_message(env.news["id"], f"Look at this {url}", reader,
                                          guild=env.guild)
    reply = await env.replies_to(message)
    [embed] = embeds_of(reply)
    assert embed["title"] == "Dutch court orders airline to refund cancelled flights"
    assert embed["url"] == url
    assert embed["author"]["name"] == "Northern Wire · Anouk de Vries · 2026-11-20"
    assert embed["description"].startswith("• A Dutch court on Thursday ordered")
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "Marieke Bos" in fields["Key quotes"]
    assert "SkyLow cancels hundreds of summer flights" in fields["Related headlines"]
    assert "% shorter · minilm ·" in embed["footer"]["text"]
    assert reply.body["allowed_mentions"] == {"parse": []}


async def test_no_reply_in_a_channel_that_is_off(env, page_server):
    url = page_server.add("/bot/off.html", read("wire-style-page.html"))
    hits = len(page_server.hits)
    reader = env.fake.user("reader")
    await env.fake.send_message(env.chat["id"], f"{url}", reader, guild=env.guild)
    # a later message in an opted-in channel is answered; the first one never is
    await env.turn_on(env.news)
    marker = await env.fake.send_message(env.news["id"], f"{url}", reader, guild=env.guild)
    await env.replies_to(marker)
    assert not env.fake.find(is_post_to(env.chat))
    assert len(page_server.hits) == hits + 1


async def test_autodigest_needs_manage_server(env):
    member = env.fake.user("member")
    await env.fake.slash("autodigest", [{"name": "on", "type": 1, "options": []}], member,
                         env.news, env.guild, permissions=1 << 11)
    [call] = await env.fake.wait_for(lambda c: c.path.endswith("/callback"))
    assert "Manage Server" in call.body["data"]["content"]
    assert call.body["data"]["flags"] & 64  # ephemeral
    assert env.bot.store.auto_digest(int(env.news["id"])) is None


async def test_pasted_article_in_opted_in_channel(env):
    await env.turn_on(env.news)
    message = await env.fake.send_message(env.news["id"], read("guardian-style-paste.txt"),
                                          env.fake.user("reader"), guild=env.guild)
    [embed] = embeds_of(await env.replies_to(message))
    assert embed["title"] == "Coral reefs suffer worst bleaching on record, scientists warn"
    assert "Maria Teixeira" in embed["fields"][0]["value"]


async def test_short_chat_in_opted_in_channel_is_ignored(env):
    await env.turn_on(env.news)
    reader = env.fake.user("reader")
    await env.fake.send_message(env.news["id"], "Morning all, anyone seen the tram news?",
                                reader, guild=env.guild)
    marker = await env.fake.send_message(env.news["id"], read("bbc-style-paste.txt"), reader,
                                         guild=env.guild)
    await env.replies_to(marker)
    assert len(env.fake.find(is_post_to(env.news))) == 1


async def test_message_txt_attachment(env):
    await env.turn_on(env.news)
    attachment = env.fake.attachment("message.txt", read("lbc-amnesty-navalny.txt").encode())
    message = await env.fake.send_message(env.news["id"], "", env.fake.user("reader"),
                                          guild=env.guild, attachments=[attachment])
    [embed] = embeds_of(await env.replies_to(message))
    assert embed["title"].startswith("Amnesty strips Alexei Navalny")
    quotes = embed["fields"][0]["value"]
    for speaker in ("Alexander Artemev", "Chris Bryant", "Julie Verhaar"):
        assert speaker in quotes
    assert "Picture: PA" not in str(embed)


async def test_mention_in_any_channel_and_dm(env, page_server):
    url = page_server.add("/bot/mention.html", read("wire-style-page.html"))
    reader = env.fake.user("reader")
    message = await env.fake.send_message(env.chat["id"], f"<@{env.fake.bot_user['id']}> {url}",
                                          reader, guild=env.guild, mentions=[env.fake.bot_user])
    assert embeds_of(await env.replies_to(message))[0]["title"].startswith("Dutch court")
    dm_channel = env.fake.snowflake()
    dm = await env.fake.send_message(dm_channel, read("bbc-style-paste.txt"), reader)
    assert embeds_of(await env.replies_to(dm))[0]["title"].startswith("Leeds tram plan")


async def test_a_reply_to_the_bot_is_no_request(env):
    """Replying to a digest pings its author by default, so the bot is among the reply's
    mentions; only its mention written in the text calls it: "thanks!" gets no answer."""
    reader = env.fake.user("reader")
    await env.fake.send_message(env.chat["id"], "thanks, great digest!", reader,
                                guild=env.guild, mentions=[env.fake.bot_user])
    marker = await env.fake.send_message(env.chat["id"], f"<@{env.fake.bot_user['id']}> hi",
                                         reader, guild=env.guild, mentions=[env.fake.bot_user])
    await env.replies_to(marker)
    [answer] = env.fake.find(is_post_to(env.chat))
    assert str(answer.body["message_reference"]["message_id"]) == marker["id"]


async def test_mention_with_nothing_to_summarise(env):
    message = await env.fake.send_message(env.chat["id"], f"<@{env.fake.bot_user['id']}> hi",
                                          env.fake.user("reader"), guild=env.guild,
                                          mentions=[env.fake.bot_user])
    reply = await env.replies_to(message)
    assert "nothing to summarise" in reply.body["content"]


async def test_private_address_link_is_refused_clearly(env):
    await env.turn_on(env.news)
    message = await env.fake.send_message(env.news["id"], "http://169.254.169.254/latest/meta-data/",
                                          env.fake.user("reader"), guild=env.guild)
    reply = await env.replies_to(message)
    assert "private or local network address" in reply.body["content"]
    assert not embeds_of(reply)


async def test_more_than_three_links_digest_the_first_three(env, page_server):
    urls = [page_server.add(f"/bot/many-{i}.html", read("wire-style-page.html")) for i in range(5)]
    await env.turn_on(env.news)
    message = await env.fake.send_message(env.news["id"], " ".join(urls), env.fake.user("reader"),
                                          guild=env.guild)
    reply = await env.replies_to(message)
    assert len(embeds_of(reply)) == 3
    assert "first 3 links; 2 more were left out" in reply.body["content"]
    assert 0 < sum(embed_size(e) for e in embeds_of(reply)) <= 6000


async def test_repeat_link_is_answered_from_the_cache(env, page_server):
    url = page_server.add("/bot/cached.html", read("wire-style-page.html"))
    await env.turn_on(env.news)
    reader = env.fake.user("reader")
    first = await env.fake.send_message(env.news["id"], url, reader, guild=env.guild)
    await env.replies_to(first)
    hits = page_server.hits.count("/bot/cached.html")
    again = await env.fake.send_message(env.news["id"], f"{url}?utm_source=share", reader,
                                        guild=env.guild)
    reply = await env.replies_to(again)
    assert embeds_of(reply)[0]["title"].startswith("Dutch court")
    assert page_server.hits.count("/bot/cached.html") == hits


async def test_earlier_in_this_server(env, page_server):
    first = page_server.add("/bot/ruling.html", read("wire-style-page.html"))
    follow = page_server.add("/bot/appeal.html", read("wire-style-followup.html"))
    other = page_server.add("/bot/leeds.txt", read("bbc-style-paste.txt"), content_type="text/plain")
    await env.turn_on(env.news)
    reader = env.fake.user("reader")
    for url in (first, other):
        await env.replies_to(await env.fake.send_message(env.news["id"], url, reader, guild=env.guild))
    reply = await env.replies_to(await env.fake.send_message(env.news["id"], follow, reader,
                                                             guild=env.guild))
    [embed] = embeds_of(reply)
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    earlier = fields["Earlier in this server"]
    assert f"[Dutch court orders airline to refund cancelled flights]({first})" in earlier
    assert "Leeds" not in earlier


async def test_earlier_in_this_server_never_shows_a_private_channels_digest_in_public(
        env, page_server):
    """A moderator digests a story in a channel @everyone cannot view; a member then posts its
    follow-up in a public channel. The public reply shows nothing of the private channel (it
    showed the moderators' link under "Earlier in this server"); a follow-up in the private
    channel itself does."""
    first = page_server.add("/private/ruling.html", read("wire-style-page.html"))
    follow = page_server.add("/public/appeal.html", read("wire-style-followup.html"))
    again = page_server.add("/private/appeal.html", read("wire-style-followup.html"))
    everyone = env.guild["id"]  # the @everyone role has the server's id
    mods = {"id": str(env.fake.snowflake()), "type": 0, "name": "mods-only", "position": 3,
            "permission_overwrites": [{"id": everyone, "type": 0, "allow": "0",
                                       "deny": str(1 << 10)}],  # no View Channel
            "nsfw": False, "parent_id": None, "topic": None, "last_message_id": None,
            "rate_limit_per_user": 0, "flags": 0, "guild_id": everyone}
    await env.fake.dispatch("CHANNEL_CREATE", mods)
    await until(lambda: env.bot.get_channel(int(mods["id"])) is not None, 10, "the channel")
    moderator = env.fake.user("moderator")
    for url in (first, again):
        before = len(env.fake.calls)
        await env.fake.slash("summarise", [{"name": "url", "type": 3, "value": url}],
                             moderator, mods, env.guild)
        [edit] = await env.fake.wait_for(lambda c, since=before: c in env.fake.calls[since:]
                                         and c.method == "PATCH"
                                         and c.path.endswith("/messages/@original"))
        if url == first:
            await env.turn_on(env.news)
            reply = await env.replies_to(await env.fake.send_message(
                env.news["id"], follow, env.fake.user("member"), guild=env.guild))
            [embed] = embeds_of(reply)
            assert "Earlier in this server" not in {f["name"] for f in embed["fields"]}
            assert "/private/" not in str(embed)
    fields = {f["name"]: f["value"] for f in edit.body["embeds"][0]["fields"]}
    assert f"[Dutch court orders airline to refund cancelled flights]({first})" in fields[
        "Earlier in this server"]


async def test_a_thread_follows_its_channels_automatic_digests(env, page_server):
    """Digests on in #news: a link posted in a thread under it (a forum's post is a thread too)
    is digested, and /autodigest status there says on; the thread got nothing before."""
    url = page_server.add("/thread/ruling.html", read("wire-style-page.html"))
    await env.turn_on(env.news)
    thread = {"id": str(env.fake.snowflake()), "type": 11, "name": "Discussion",
              "guild_id": env.guild["id"], "parent_id": env.news["id"],
              "owner_id": env.fake.owner["id"], "last_message_id": None,
              "rate_limit_per_user": 0, "message_count": 0, "member_count": 1, "flags": 0,
              "thread_metadata": {"archived": False, "auto_archive_duration": 1440,
                                  "archive_timestamp": "2026-01-01T00:00:00+00:00",
                                  "locked": False}}
    await env.fake.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
    await until(lambda: env.bot.get_channel(int(thread["id"])) is not None, 10, "the thread")
    reply = await env.replies_to(await env.fake.send_message(
        thread["id"], url, env.fake.user("member"), guild=env.guild))
    assert embeds_of(reply)[0]["title"].startswith("Dutch court")
    before = len(env.fake.calls)
    await env.fake.slash("autodigest", [{"name": "status", "type": 1, "options": []}],
                         env.fake.user("moderator"), thread, env.guild,
                         permissions=(1 << 5) | (1 << 11))
    [answer] = await env.fake.wait_for(lambda c: c in env.fake.calls[before:]
                                       and c.path.endswith("/callback"))
    assert "**on**" in answer.body["data"]["content"]


async def test_slash_summarise_with_each_option(env, page_server):
    url = page_server.add("/bot/slash.html", read("wire-style-page.html"))
    user = env.fake.user("asker")
    await env.fake.slash("summarise", [{"name": "url", "type": 3, "value": url}], user,
                         env.chat, env.guild)
    await env.fake.slash("summarise", [{"name": "text", "type": 3,
                                        "value": read("guardian-style-paste.txt")}], user,
                         env.chat, env.guild)
    attachment = env.fake.attachment("story.txt", read("bbc-style-paste.txt").encode())
    await env.fake.slash("summarise", [{"name": "file", "type": 11, "value": attachment["id"]}],
                         user, env.chat, env.guild,
                         resolved={"attachments": {attachment["id"]: attachment}})
    callbacks = await env.fake.wait_for(lambda c: c.path.endswith("/callback"), count=3)
    assert all(c.body["type"] == 5 for c in callbacks)  # deferred ("thinking…") at once
    # The answer replaces the "thinking…" (an edit of the deferred response), as in scaled mode.
    followups = await env.fake.wait_for(
        lambda c: c.method == "PATCH" and c.path.endswith("/messages/@original"), count=3)
    titles = sorted(c.body["embeds"][0]["title"] for c in followups)
    assert titles == ["Coral reefs suffer worst bleaching on record, scientists warn",
                      "Dutch court orders airline to refund cancelled flights",
                      "Leeds tram plan approved after decades of delay"]
    assert all(c.body["allowed_mentions"] == {"parse": []} for c in followups)


@pytest.mark.parametrize("options", [
    [],
    [{"name": "url", "type": 3, "value": "https://example.com/a"},
     {"name": "text", "type": 3, "value": "some text"}],
])
async def test_slash_summarise_needs_exactly_one_option(env, options):
    await env.fake.slash("summarise", options, env.fake.user("asker"), env.chat, env.guild)
    [call] = await env.fake.wait_for(lambda c: c.path.endswith("/callback"))
    assert call.body["type"] == 4 and call.body["data"]["flags"] & 64
    assert "exactly one" in call.body["data"]["content"]


async def test_slash_error_is_ephemeral(env):
    await env.fake.slash("summarise", [{"name": "text", "type": 3, "value": "Far too short."}],
                         env.fake.user("asker"), env.chat, env.guild)
    [call] = await env.fake.wait_for(lambda c: c.method == "POST" and c.path.startswith("/webhooks/"))
    assert call.body["flags"] & 64 and "too short" in call.body["content"]
    assert env.fake.find(lambda c: c.method == "DELETE" and c.path.endswith("@original"))


async def test_context_menu(env, page_server):
    url = page_server.add("/bot/menu.html", read("wire-style-page.html"))
    target = env.fake.message_payload(env.chat["id"], f"Worth reading: {url}",
                                      env.fake.user("poster"), guild=env.guild)
    await env.fake.message_command("Summarise", target, env.fake.user("reader"), env.chat, env.guild)
    [followup] = await env.fake.wait_for(
        lambda c: c.method == "PATCH" and c.path.endswith("/messages/@original"))
    assert followup.body["embeds"][0]["title"].startswith("Dutch court")


async def test_context_menu_with_nothing_to_summarise(env):
    target = env.fake.message_payload(env.chat["id"], "lol", env.fake.user("poster"), guild=env.guild)
    await env.fake.message_command("Summarise", target, env.fake.user("reader"), env.chat, env.guild)
    [call] = await env.fake.wait_for(lambda c: c.path.endswith("/callback"))
    assert call.body["data"]["flags"] & 64 and "nothing to summarise" in call.body["data"]["content"]


async def test_expired_interaction_token_falls_back_to_the_channel(env, page_server):
    url = page_server.add("/bot/slow.html", read("wire-style-page.html"), delay=0.5, chunks=2)
    payload = await env.fake.slash("summarise", [{"name": "url", "type": 3, "value": url}],
                                   env.fake.user("asker"), env.chat, env.guild)
    await env.fake.wait_for(lambda c: c.path.endswith("/callback"))
    env.fake.expire(payload["token"])
    [message] = await env.fake.wait_for(is_post_to(env.chat))
    assert message.body["embeds"][0]["title"].startswith("Dutch court")
    assert "here is the answer to what you asked for" in message.body["content"]
    assert message.body["allowed_mentions"] == {"parse": []}
