"""The headline of a pasted whole page, picked by the small learned model of title.py."""

import gzip

import pytest
from conftest import DATA

from summariser.content import body_lines
from summariser.page_text import page_text
from summariser.paste import ABOVE_HEADLINE, parse_paste, read_lines, rule_title

PASTE = """Sign in / Sign up
Home World Sport Business Culture
Leeds finally gets its trams: council approves £2bn line to Bradford
By Jo Smith, Transport correspondent
Leeds is to get a tram line for the first time in more than 60 years after the council approved a £2bn plan to link the city with Bradford and the airport on Monday night.
The first trams are expected to run in 2031, with construction due to begin in the spring of 2027, the council said in a statement after the vote.
Opponents say the cost has doubled since the plan was first drawn up and that the route misses the poorest parts of the city entirely.
"""


def test_the_headline_among_menus_and_promos_is_the_title():
    article = parse_paste(PASTE)
    assert article.title == "Leeds finally gets its trams: council approves £2bn line to Bradford"
    assert article.paragraphs[0].startswith("Leeds is to get a tram line")


def test_a_section_name_run_into_the_headline_is_left_out_of_the_title():
    headline = "Leeds finally gets its trams: council approves £2bn line to Bradford"
    article = parse_paste(PASTE.replace(headline, f"Transport|{headline}"))
    assert article.title == headline
    assert not any("Transport|" in p for p in article.paragraphs)


def test_a_clean_paste_keeps_its_first_line_as_title():
    text = PASTE.split("\n", 2)[2]  # from the headline on: what a careful reader pastes
    assert parse_paste(text).title == (
        "Leeds finally gets its trams: council approves £2bn line to Bradford")


def test_a_real_whole_page_paste_gets_its_headline(digester):
    html = gzip.decompress((DATA / "pages" / "syria-refugees.html.gz").read_bytes()).decode()
    paste = page_text(html)
    headline = "Russia and Syria: U.S.-backed Syrian Forces Blocking Refugee Return"
    rule = parse_paste(paste, title_picker=rule_title).title
    assert rule != headline  # the hand-written rule took another line
    digest = digester.from_text(paste)
    assert digest.title == headline
    assert len(digest.summary) >= 2


def test_a_whole_page_gets_its_headline_not_a_caption():
    html = gzip.decompress((DATA / "pages" / "ehow-1.html.gz").read_bytes()).decode()
    assert parse_paste(page_text(html)).title == "How to Build a Terrarium With Succulent Plants"


def test_a_headline_below_a_kept_promo_is_the_title_and_the_promo_no_summary(digester):
    # Pasted whole, the page puts a symptom checker's blurbs, which read as sentences, above
    # the headline, and the content model keeps them: the headline is below the first kept line.
    html = gzip.decompress((DATA / "pages" / "webmd-2.html.gz").read_bytes()).decode()
    paste = page_text(html)
    reading = read_lines(paste)
    keep, _ = body_lines(reading)
    headline = "Superbugs: What They Are and How You Get Them"
    assert keep.index(True) < reading.lines.index(headline)
    article = parse_paste(paste)
    assert article.title == headline
    # the blurbs stay in the body, but the summary comes from below the headline
    promo = "Second Opinion: Read expert perspectives on popular health topics."
    assert promo in article.paragraphs
    assert article.scores[article.paragraphs.index(promo)] <= ABOVE_HEADLINE
    summary = digester.from_text(paste).summary
    assert len(summary) == 3
    assert all(s in article.text[article.text.index("April 17, 2015"):] for s in summary)


@pytest.mark.parametrize(("page", "dateline", "headline"), [
    # the line under the headline, "Published … · Tagged with …", was taken for the title
    ("v8-blog", "Published 21 November 2019 · Tagged with WebAssembly tooling",
     "Outside the web: standalone WebAssembly binaries using Emscripten"),
    # a headline in title case that ends in a question mark was taken for a sentence and never
    # compared; the dateline under it, "place, agency | Updated : date", was the title
    ("newsnation-oxygen-bar",
     "New Delhi, News Nation Bureau | Updated : 19 November 2019, 09:01 AM",
     "Fact Check: Is An 'Oxygen Bar' In Delhi Offering Fresh Air For Rs 300?"),
])
def test_a_dateline_under_the_headline_is_no_title(page, dateline, headline):
    html = gzip.decompress((DATA / "pages" / f"{page}.html.gz").read_bytes()).decode()
    paste = page_text(html)
    reading = read_lines(paste)
    assert reading.kinds[reading.lines.index(dateline)] == "date"
    assert parse_paste(paste).title == headline


def test_an_article_pasted_alone_gets_no_subheading_for_a_title():
    paragraph = ("The council approved the plan on Monday night after a debate that lasted more "
                 "than four hours and drew hundreds of residents to the town hall.")
    text = "\n".join([paragraph, paragraph.replace("Monday", "Tuesday"), "What happens next",
                      paragraph.replace("council", "mayor"), paragraph.replace("plan", "budget")])
    article = parse_paste(text)
    assert article.title is None


@pytest.mark.parametrize(("page", "old_pick", "headline"), [
    # the standfirst right under the headline, a sentence of its story's words
    ("phillyvoice-sixers", "The Sixers captured their biggest win of the year Wednesday night.",
     "Sixers game notes: Joel Embiid leads Sixers to statement victory over Celtics"),
    # the counts under it ("5343 mal gelesen | 32 Kommentare")
    ("oekonomenstimme-keynes", "5343 mal gelesen | 32 Kommentare",
     "Eine realistische Interpretation des Keynes-Hicks-Multiplikators"),
])
def test_the_headline_beats_the_lines_under_it(page, old_pick, headline):
    # A line that sits just under the headline shares its place above the body (and a
    # standfirst its words); the picker that read each line alone took it. Reading the lines
    # above and below each line too, it takes the headline.
    paste = page_text(gzip.decompress((DATA / "pages" / f"{page}.html.gz").read_bytes()).decode())
    lines = read_lines(paste).lines
    assert 1 <= lines.index(old_pick) - lines.index(headline) <= 2
    assert parse_paste(paste).title == headline


def test_a_photos_credit_under_the_headline_is_no_line_of_the_paste():
    # latimes: "(Luis Sinco / Los Angeles Times)" under the caption under the headline was the
    # picker's title before it read each line's neighbours; it is now read as a credit
    page = "latimes-school-shutdown"
    paste = page_text(gzip.decompress((DATA / "pages" / f"{page}.html.gz").read_bytes()).decode())
    assert "(Luis Sinco / Los Angeles Times)" in paste.splitlines()
    assert "(Luis Sinco / Los Angeles Times)" not in read_lines(paste).lines
    assert parse_paste(paste).title == (
        "Report on L.A. school shutdown shows confusion over who was in charge, technology "
        "shortcomings")
