"""The reply's own words follow the server's locale; the article's words stay as written."""

import discord
import pytest
from bot_env import is_post_to
from conftest import read

from bot.locale import LANGUAGES, command_words, language_of, words
from bot.render import digest_embed
from bot.replies import describe, failure_line, for_the_channel
from bot.workqueue import Busy
from summariser.errors import TooShort
from summariser.models import Digest, Headline, Quote


def make_digest(**overrides) -> Digest:
    base = dict(
        title=None, url="https://news.example/velo", site="News",
        summary=("Le conseil a approuvé le plan mardi.", "Les travaux commencent en mars."),
        quotes=(Quote("C'est un grand jour pour les cyclistes", "Jo Bloggs"),),
        related=(Headline("La consultation est ouverte", "https://news.example/consult"),
                 Headline("Plus tôt", "https://news.example/early", "earlier")),
        words=12612, summary_words=71, method="minilm", text="…", elapsed_ms=412.0, lang="fr",
    )
    base.update(overrides)
    return Digest(**base)


@pytest.mark.parametrize(("locale", "language"), [
    ("fr", "fr"), ("de", "de"), ("es-ES", "es"), ("es-419", "es"), ("en-GB", "en"),
    ("en-US", "en"), ("ja", "en"), (None, "en"), (discord.Locale.german, "de"),
    (discord.Locale.french, "fr"),
])
def test_discord_locales_map_to_our_languages(locale, language):
    assert language_of(locale) == language


def test_every_language_words_every_failure_kind():
    english = words("en")
    for wording in LANGUAGES.values():
        assert set(wording.failures) == set(english.failures)
        for line in wording.failures.values():
            assert line.format(reason="x")


def test_every_language_words_every_reason_with_its_values():
    import re

    from summariser.errors import REASONS

    names = {key: set(re.findall(r"{(\w+)", text)) for key, text in REASONS.items()}
    for language, wording in LANGUAGES.items():
        if language == "en":
            assert wording.reasons == {}  # English is the summariser's own words
            continue
        assert set(wording.reasons) == set(REASONS), language
        for key, text in wording.reasons.items():
            assert set(re.findall(r"{(\w+)", text)) == names[key], (language, key)


def test_every_reason_the_summariser_raises_is_in_the_catalogue():
    import re
    from pathlib import Path

    import summariser
    from summariser import errors

    raised = set()
    for path in Path(summariser.__file__).parent.rglob("*.py"):
        for cls, detail in re.findall(r"(\w+)\.because\(\s*\"(\w+)\"", path.read_text()):
            raised.add(f"{getattr(errors, cls).kind}.{detail}")
    assert raised and raised <= set(errors.REASONS)
    assert {"too_long.words", "unsupported.charset", "unreachable.timeout"} <= raised


def test_failure_reasons_in_the_server_language_with_its_numbers():
    from summariser.errors import FetchFailed, SiteRefused, TooLarge, TooLong

    too_long = TooLong.because("words", count=70000, limit=60000)
    assert too_long.reason == "that is 70,000 words; the limit is 60,000"
    assert failure_line("a", too_long) == (
        "⚠️ Couldn't digest a: that's too long for me to summarise: that is 70,000 words; the "
        "limit is 60,000")
    assert describe(too_long, "fr") == (
        "c’est trop long pour que je le résume : cela fait 70\u202f000 mots ; la limite est de "
        "60\u202f000")
    assert describe(too_long, "de").endswith("das sind 70.000 Wörter; die Grenze ist 60.000")
    assert describe(FetchFailed.because("timeout"), "es") == (
        "no pude conectar con el sitio: el sitio tardó demasiado en responder")
    markup = TooLarge.because("markup", size=3.25, limit=3)
    assert "3,2 Mo" in describe(markup, "fr") and "3.2 MB" in describe(markup)
    refused = SiteRefused.because("not_found", status=404)
    assert refused.status == 404 and describe(refused, "fr").endswith("introuvable (404)")
    # a reason written out, with no key, stays as the summariser words it
    assert describe(TooLong("over the limit"), "fr").endswith(": over the limit")


def test_french_server_gets_french_headings_and_footer():
    embed = digest_embed(make_digest(), language="fr")
    assert embed.title == "Résumé de l’article"
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Citations clés"] == "> “C'est un grand jour pour les cyclistes” — Jo Bloggs"
    assert "La consultation est ouverte" in fields["Articles liés"]
    assert "Plus tôt" in fields["Déjà sur ce serveur"]
    assert embed.footer.text.startswith("12\u202f612 mots → 71 mots · 99 % plus court")
    assert embed.description.startswith("• Le conseil a approuvé le plan mardi.")


def test_german_and_spanish_headings():
    german = {f.name for f in digest_embed(make_digest(), language="de").fields}
    spanish = {f.name for f in digest_embed(make_digest(), language="es").fields}
    assert "Wichtige Zitate" in german and "Citas clave" in spanish
    assert digest_embed(make_digest(abstractive=True), language="de").description.startswith(
        "KI-geschriebene Zusammenfassung")


def test_english_is_the_default_and_unchanged():
    embed = digest_embed(make_digest())
    assert {f.name for f in embed.fields} == {"Key quotes", "Related headlines",
                                              "Earlier in this server"}
    assert embed.footer.text.startswith("12,612 words → 71 words")


def test_failure_lines_in_the_server_language():
    assert failure_line("notes.txt", TooShort("12 words"), "fr") == (
        "⚠️ Impossible de résumer notes.txt : c’est trop court pour être résumé : c’est déjà bref")
    assert describe(Busy(), "es") == words("es").busy
    assert "konnte nicht zusammengefasst werden" in failure_line("a", TooShort("x"), "de")
    assert failure_line("a", TooShort("x")).startswith("⚠️ Couldn't digest a:")


async def test_french_server_gets_french_labels_end_to_end(env):
    await env.fake.dispatch("GUILD_UPDATE", {**env.guild, "preferred_locale": "fr"})
    await env.turn_on(env.news)
    message = await env.fake.send_message(env.news["id"], read("lang/liberation-nepal-fr.txt"),
                                          env.fake.user("lecteur"), guild=env.guild)
    reply = await env.replies_to(message)
    [embed] = reply.body.get("embeds") or []
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "Laurent Fabius" in fields["Citations clés"]
    assert " mots → " in embed["footer"]["text"] and "plus court" in embed["footer"]["text"]
    assert embed["title"] == "Un troisième Français mort dans le séisme au Népal"


async def test_french_server_is_told_in_french_which_links_were_left_out(env, page_server):
    urls = [page_server.add(f"/bot/beaucoup-{i}.html", read("wire-style-page.html"))
            for i in range(5)]
    await env.fake.dispatch("GUILD_UPDATE", {**env.guild, "preferred_locale": "fr"})
    await env.turn_on(env.news)
    message = await env.fake.send_message(env.news["id"], " ".join(urls), env.fake.user("lecteur"),
                                          guild=env.guild)
    reply = await env.replies_to(message)
    assert "les 3 premiers liens ; 2 de plus ont été laissés de côté" in reply.body["content"]
    assert "left out" not in reply.body["content"]


async def test_autodigest_answers_in_the_server_language(env):
    german = {**env.guild, "preferred_locale": "de"}
    await env.fake.slash("autodigest", [{"name": "on", "type": 1, "options": []}],
                         env.fake.user("member"), env.news, german, permissions=1 << 11)
    [call] = await env.fake.wait_for(lambda c: c.path.endswith("/callback"))
    assert call.body["data"]["content"] == command_words("de").manage_server
    assert "Server verwalten" in call.body["data"]["content"]


async def test_summarise_option_errors_in_the_server_language(env):
    spanish = {**env.guild, "preferred_locale": "es-ES"}
    await env.fake.slash("summarise", [{"name": "url", "type": 3, "value": "https://a.example/x"},
                                       {"name": "text", "type": 3, "value": "y"}],
                         env.fake.user("lector"), env.news, spanish)
    [call] = await env.fake.wait_for(lambda c: c.path.endswith("/callback"))
    assert call.body["data"]["content"] == command_words("es").one_option
    assert call.body["data"]["flags"] & 64


def test_an_expired_answer_names_who_asked_in_the_server_language():
    assert for_the_channel(7, "…", "es") == "<@7>, aquí está la respuesta a lo que pediste.\n…"
    assert for_the_channel(7, None) == "<@7>, here is the answer to what you asked for."
    for language, wording in LANGUAGES.items():
        assert wording.asked_for.count("{user}") == 1, language


async def test_an_expired_interaction_in_a_german_server_is_answered_in_german(env, page_server):
    url = page_server.add("/bot/langsam.html", read("wire-style-page.html"), delay=0.5, chunks=2)
    german = {**env.guild, "preferred_locale": "de"}
    user = env.fake.user("fragende")
    payload = await env.fake.slash("summarise", [{"name": "url", "type": 3, "value": url}],
                                   user, env.chat, german)
    await env.fake.wait_for(lambda c: c.path.endswith("/callback"))
    env.fake.expire(payload["token"])
    [message] = await env.fake.wait_for(is_post_to(env.chat))
    assert message.body["content"].startswith(
        f"<@{user['id']}>, hier ist die Antwort auf deine Anfrage.")
    assert "asked for" not in message.body["content"]
    assert message.body["allowed_mentions"] == {"parse": []}
