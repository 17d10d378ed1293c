"""The whole pipeline on real text: pasted pages, HTML, URLs and every bad input."""

import codecs
import gzip
import json
from dataclasses import replace

import pytest
from conftest import DATA, read

from summariser import related
from summariser.document import MAX_CANDIDATES
from summariser.errors import (
    BlockedAddress,
    EmptyInput,
    NotAnArticle,
    SiteRefused,
    TooLong,
    TooShort,
    UnsupportedInput,
)
from summariser.models import Digest
from summariser.sentences import split_sentences

SEED_CHROME = ("Picture: PA", "By Megan White", "Read more", "More Latest News", "Met Office",
               "Coleen", "Allison Pearson", "offsite hearing")


def test_seed_sample_digest(digester):
    digest = digester.from_text(read("lbc-amnesty-navalny.txt"))
    assert digest.title == "Amnesty strips Alexei Navalny of 'prisoner of conscience' status"
    assert 2 <= len(digest.summary) <= 5
    assert digest.summary[0].startswith("Amnesty has stripped Russian opposition activist")
    everything = " ".join([*digest.summary, *(q.text for q in digest.quotes)])
    for chrome in SEED_CHROME:
        assert chrome not in everything
    assert [q.speaker for q in digest.quotes] == ["Alexander Artemev", "Chris Bryant", "Julie Verhaar"]
    related = [h.title for h in digest.related]
    assert related == ["Russian opposition leader Alexei Navalny fined for defamation"]
    assert digest.method == "minilm" and digest.reduction >= 40


def test_summary_sentences_are_verbatim_and_in_article_order(digester):
    digest = digester.from_text(read("lbc-amnesty-navalny.txt"), sentences=4)
    body = [s.text for s in split_sentences(digest.text.split("\n\n"))]
    positions = [body.index(s) for s in digest.summary]
    assert len(positions) == 4 and positions == sorted(positions)


def test_lead3_method_is_registered(digester):
    digest = digester.from_text(read("bbc-style-paste.txt"), method="lead3", sentences=3)
    assert digest.method == "lead3"
    assert digest.summary[0].startswith("Leeds is to get a tram network")
    assert len(digest.summary) == 3


def test_unknown_method_is_a_clear_error(digester):
    with pytest.raises(ValueError, match="unknown summariser 'nope'"):
        digester.from_text(read("bbc-style-paste.txt"), method="nope")


def test_html_page_with_related_links(digester):
    digest = digester.from_html(read("wire-style-page.html"), "https://northernwire.example/a")
    assert digest.title == "Dutch court orders airline to refund cancelled flights"
    assert digest.site == "Northern Wire"
    # the body is trafilatura's plain reading, the dateline the page shows included; the
    # summary's lead sentence is without it
    assert "\n\nAMSTERDAM (Northern Wire) - A Dutch court" in digest.text
    assert digest.summary[0].startswith("A Dutch court on Thursday ordered budget airline SkyLow")
    assert digest.date == "2026-11-20"
    assert "Marieke Bos" in [q.speaker for q in digest.quotes]
    related = {h.title: h.url for h in digest.related}
    assert related == {  # the airline's earlier trouble; not the same section's other stories
        "SkyLow cancels hundreds of summer flights over staff shortages":
            "https://northernwire.example/business/skylow-cancels-hundreds-of-summer-flights"}


def test_url_through_the_safe_fetcher(digester, page_server):
    url = page_server.add("/news/skylow.html", read("wire-style-page.html"))
    digest = digester.from_url(url)
    assert digest.url == url and digest.title.startswith("Dutch court orders")


def test_json_round_trip_has_the_documented_keys(digester):
    digest = digester.from_text(read("guardian-style-paste.txt"))
    data = json.loads(digest.dumps())
    for key in ("title", "url", "summary", "quotes", "related", "words", "method", "text"):
        assert key in data
    assert set(data["quotes"][0]) == {"text", "speaker"}
    assert Digest.from_json(data) == digest


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_input(digester, text):
    with pytest.raises(EmptyInput):
        digester.from_text(text)


def test_binary_and_non_utf8_uploads(digester):
    with pytest.raises(UnsupportedInput, match="binary"):
        digester.from_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "image.txt")
    with pytest.raises(UnsupportedInput, match="UTF-8"):
        digester.from_bytes("Café société résumé naïve ".encode("latin-1") * 40, "latin.txt")


def test_bytes_given_as_text_are_sent_to_from_bytes(digester):
    for method in (digester.from_text, digester.from_html):
        with pytest.raises(TypeError, match="give bytes to from_bytes"):
            method(b"<p>The council met on Tuesday.</p>")
    with pytest.raises(TypeError, match="not int"):
        digester.from_text(42)


def test_too_short(digester):
    with pytest.raises(TooShort, match="too short"):
        digester.from_text("The council met on Tuesday. It approved the budget. Nobody objected.")


def test_summary_not_much_shorter_is_too_short(digester):
    text = ("The museum reopened on Monday after a two-year renovation that cost four million pounds in total. "
            "Visitors queued around the block from early morning to see the restored galleries and the new cafe. "
            "The director said the response had exceeded every expectation the staff had set for the first week of opening.")
    with pytest.raises(TooShort):
        digester.from_text(text)


def test_page_without_an_article(digester, page_server):
    html = ("<html><head><title>Sign in</title></head><body><nav>Home News</nav>"
            "<form><p>Please log in to continue reading this story.</p><input name=user></form>"
            "</body></html>")
    with pytest.raises(NotAnArticle):
        digester.from_html(html)
    url = page_server.add("/video.html", "<html><body><video src=a.mp4></video>"
                          "<p>Watch the moment the whale surfaced next to the boat.</p></body></html>")
    with pytest.raises(NotAnArticle):
        digester.from_url(url)


def test_list_of_links_is_not_an_article_and_a_short_menu_is_too_short(digester):
    menu = "Home\nNews\nSport\nWeather\nMore Latest News\nStorm hits coast\nBuses cut"
    with pytest.raises(TooShort, match="already brief"):
        digester.from_text(menu)
    links = "\n".join(f"Storm number {i} closes roads across the county" for i in range(30))
    with pytest.raises(NotAnArticle, match="list of links or a menu"):
        digester.from_text(f"{menu}\n{links}")


def test_url_errors_surface_as_typed_errors(digester, page_server):
    with pytest.raises(SiteRefused):
        digester.from_url(page_server.url("/missing-page"))
    with pytest.raises(BlockedAddress):
        digester.from_url("http://169.254.169.254/latest/meta-data/")


def test_too_long(digester, make_article):
    with pytest.raises(TooLong):
        digester.from_text(make_article(digester.settings.max_words + 500))


def test_very_long_article_encodes_a_bounded_number_of_sentences(digester, make_article,
                                                                 monkeypatch):
    """Work, not time: a 20,000-word article sends at most MAX_CANDIDATES sentences (and the
    title, lead and story text) to the encoder, whatever its length."""
    encoder = digester.encoder
    encoded: list[int] = []
    encode = encoder.encode

    def counting(texts):
        encoded.append(len(texts))
        return encode(texts)

    monkeypatch.setattr(encoder, "encode", counting)
    digest = digester.from_text(make_article(20_000))
    assert digest.words >= 20_000 and len(digest.summary) == 5
    assert 0 < sum(encoded) <= MAX_CANDIDATES + 2 + related.MAX_ENCODED


def test_a_page_saved_in_its_own_encoding_is_read_as_a_fetched_page_is(digester):
    # A browser saves a page in the encoding it came in, which its <meta charset> names: a
    # page in windows-1252 (its curly quotes and dashes are no UTF-8) is read, not refused
    page = gzip.decompress((DATA / "pages" / "syria-refugees.html.gz").read_bytes()
                           ).decode("utf-8")
    saved = page.replace('<meta charset="utf-8">', '<meta charset="windows-1252">').encode(
        "cp1252", "xmlcharrefreplace")
    with pytest.raises(UnicodeDecodeError):
        saved.decode("utf-8")
    read = digester.from_bytes(saved, "page.html")
    assert read == replace(digester.from_html(page), elapsed_ms=read.elapsed_ms)
    assert "’" in " ".join(read.summary) + read.text


def test_reasons_count_in_good_english_and_name_small_limits_as_they_are(digester):
    from summariser.config import SummariserSettings
    from summariser.digest import Digester
    from summariser.errors import TooLarge, TooShort, megabytes

    with pytest.raises(TooShort, match=r"\(1 word\)"):
        digester.from_text("Hello")
    assert (megabytes(5_000_000), megabytes(1_000), megabytes(2_500_000)) == (5, 0.001, 2.5)
    small = Digester(SummariserSettings(max_bytes=1_000))
    with pytest.raises(TooLarge, match="larger than 0.001 MB"):
        small.from_html("<html><body>" + "<p>word</p>" * 500 + "</body></html>")


def test_text_saved_as_utf16_with_its_byte_order_mark_is_read():
    """Windows Notepad's "Unicode" is UTF-16 with a byte-order mark: it is text, not binary."""
    from summariser.digest import decode_upload
    from summariser.errors import UnsupportedInput

    text = read("bbc-style-paste.txt")
    assert decode_upload(text.encode("utf-16"), "story.txt") == text  # with its mark
    assert decode_upload(codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "story.txt") == text
    assert decode_upload(text.encode("utf-32"), "story.txt") == text
    with pytest.raises(UnsupportedInput, match="binary"):
        decode_upload(text.encode("utf-16-le"), "story.txt")  # no mark: no way to tell


def test_a_photos_caption_in_the_article_is_no_summary_sentence(digester):
    """A caption kept in the article's text ends with its credit, here in Spanish (a reader's
    review of Clarín's page found it the first summary sentence): never one."""
    caption = ("<p>Passengers queued at the SkyLow desks in Schiphol airport, on 3 July, during "
               "the cancellations (Foto: Natacha Pisarenko/Pool via REUTERS).</p>")
    html = read("wire-style-page.html").replace("<p>The district court", caption +
                                                "<p>The district court", 1)
    digest = digester.from_html(html, "https://northernwire.example/skylow")
    assert "Natacha Pisarenko" in digest.text  # kept in the text, as the page has it
    assert not any("Foto" in sentence for sentence in digest.summary)
    assert digest.summary[0].startswith("A Dutch court on Thursday ordered")
