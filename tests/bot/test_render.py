"""Digest -> embeds within every Discord limit, trimmed at sentence or word boundaries."""

import re

from bot.render import (
    DESCRIPTION_MAX,
    FIELD_MAX,
    MESSAGE_TOTAL_MAX,
    TITLE_MAX,
    digest_embed,
    digest_embeds,
    embeds_length,
    trim,
)
from summariser.models import Digest, Headline, Quote


def make_digest(**overrides) -> Digest:
    base = dict(
        title="Council approves new cycle lanes", url="https://news.example/cycle", site="News",
        summary=("The council approved the plan on Tuesday.", "Work starts in March."),
        quotes=(Quote("It is a great day for cyclists", "Jo Bloggs"),),
        related=(Headline("Cycle lane consultation opens", "https://news.example/consult"),
                 Headline("Earlier cycle story", "https://news.example/early", "earlier")),
        words=612, summary_words=71, method="minilm", text="…", elapsed_ms=412.0,
    )
    base.update(overrides)
    return Digest(**base)


def test_embed_layout_and_footer():
    embed = digest_embed(make_digest())
    assert embed.title == "Council approves new cycle lanes"
    assert embed.url == "https://news.example/cycle"
    assert embed.description == "• The council approved the plan on Tuesday.\n• Work starts in March."
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Key quotes"] == "> “It is a great day for cyclists” — Jo Bloggs"
    assert fields["Related headlines"] == "• [Cycle lane consultation opens](https://news.example/consult)"
    assert fields["Earlier in this server"] == "• [Earlier cycle story](https://news.example/early)"
    assert embed.footer.text == "612 words → 71 words · 88% shorter · minilm · 0.4 s"
    assert embed.author.name == "News"


def test_a_very_long_link_is_shown_as_plain_text_not_cut_mid_link():
    """A related headline's link of 1,100 characters was cut inside its field ("• [Tracking
    the storm…"), and the headlines after it were dropped; an article's link past 2,048
    characters is reported to make Discord refuse the embed."""
    long_link = "https://news.example/storm?" + "x" * 1100
    digest = make_digest(url="https://news.example/a?" + "y" * 2100, related=(
        Headline("Tracking the storm", long_link),
        Headline("Cycle lane consultation opens", "https://news.example/consult")))
    embed = digest_embed(digest)
    assert embed.url is None and embed.title == "Council approves new cycle lanes"
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Related headlines"] == (
        "• Tracking the storm\n• [Cycle lane consultation opens](https://news.example/consult)")


def test_the_header_line_shows_the_site_author_and_date_the_page_gives():
    embed = digest_embed(make_digest(author="Jo Bloggs", date="2026-11-20"))
    assert embed.author.name == "News · Jo Bloggs · 2026-11-20"
    assert digest_embed(make_digest(site=None, date="2026-11-20")).author.name == "2026-11-20"
    assert digest_embed(make_digest(site=None)).author.name is None


def test_abstractive_digest_is_labelled():
    embed = digest_embed(make_digest(abstractive=True))
    assert embed.description.startswith("AI-written summary")


def test_notes_are_shown_under_the_summary():
    embed = digest_embed(make_digest(notes=("The seq2seq summary failed the faithfulness check.",)))
    assert embed.description.endswith("-# The seq2seq summary failed the faithfulness check.")


def test_huge_digest_fits_every_limit_without_cutting_words():
    sentence = "The committee considered the extraordinarily detailed proposal for many hours. "
    digest = make_digest(
        title="Headline " * 60,
        summary=tuple(sentence * 12 for _ in range(5)),
        quotes=tuple(Quote(sentence * 8, "Speaker") for _ in range(3)),
        related=tuple(Headline(f"Related story number {i} " * 5, f"https://x.example/{i}")
                      for i in range(5)),
    )
    embeds = digest_embeds([digest] * 3)
    assert len(embeds) == 3 and embeds_length(embeds) <= MESSAGE_TOTAL_MAX
    for embed in embeds:
        assert len(embed.title) <= TITLE_MAX and embed.title.endswith("…")
        assert len(embed.description) <= DESCRIPTION_MAX
        assert len(embed.fields) <= 25
        for field in embed.fields:
            assert len(field.value) <= FIELD_MAX
        # never cut mid-word: every word shown is a whole word of the digest
        vocabulary = set(re.findall(r"\w+", sentence + " Headline Related story number Speaker"))
        vocabulary |= {str(i) for i in range(5)}
        shown = [embed.title, embed.description, *(f.value for f in embed.fields)]
        for text in shown:
            text = re.sub(r"\(https://[^)]+\)", " ", text)
            assert set(re.findall(r"\w+", text)) <= vocabulary


def test_trim_prefers_sentence_then_word_boundaries():
    text = "First sentence here. Second sentence is rather longer than the first one."
    assert trim(text, 40) == "First sentence here. …"
    assert trim("alpha beta gamma delta", 14) == "alpha beta…"
    assert trim("short", 10) == "short"


def test_ten_embeds_at_most():
    assert len(digest_embeds([make_digest()] * 12)) == 10


def test_markdown_in_text_is_escaped():
    embed = digest_embed(make_digest(summary=("Shares fell *sharply* in __early__ trade.",)))
    assert "\\*sharply" in embed.description and "\\_\\_early" in embed.description
    assert "*sharply*" not in embed.description.replace("\\*", "")
