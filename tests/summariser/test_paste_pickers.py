"""The day a pasted whole page was published and who wrote it, picked by the small learned
models of paste_date.py and paste_byline.py."""

import socket

import pytest
from conftest import DATA

from summariser import paste_byline, paste_date, title
from summariser.evaluate.files import read_html
from summariser.page_meta import author_of, iso_date
from summariser.page_text import page_text
from summariser.paste import parse_paste, read_lines, rule_byline, rule_date

BODY = (
    "The council approved a £2bn plan on Monday night to link the city with Bradford and the "
    "airport by tram, the first new line in the region for more than sixty years.\n"
    "Construction is due to begin in the spring of 2027, and the first trams are expected to "
    "run in 2031, the council said in a statement after the vote.\n"
    "Opponents say the cost has doubled since the plan was first drawn up and that the route "
    "misses the poorest parts of the city entirely.\n"
)
HEAD = ("Sign in\nHome World Sport Business Culture\n"
        "Leeds finally gets its trams: council approves £2bn line to Bradford\n")
PAGE = (
    "Saturday, 14 March 2026\n" + HEAD
    + "By Jo Smith, Transport correspondent\n9 March 2026, 18:40 GMT\n" + BODY
    + "More from Transport\nRail strike called off after late-night talks\n12 March 2026\n"
    "New bus lanes for the ring road\n11 March 2026\n"
)


@pytest.mark.parametrize("module", [title, paste_date, paste_byline])
def test_the_weights_load_without_a_network_and_fit_the_features(module, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError(f"{module.__name__}'s model tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    module.model.cache_clear()
    model = module.model()
    if module is paste_byline:
        model, margin = model
        assert margin >= 0
    assert model.features == module.FEATURES and len(model.mean) == len(model.coef)
    assert module.WEIGHTS.stat().st_size < 10_000


def test_the_dateline_under_the_headline_beats_the_header_and_the_teasers():
    # the hand-written rule takes the first dateline: the header's "today"
    assert iso_date(parse_paste(PAGE, date_picker=rule_date).date) == "2026-03-14"
    article = parse_paste(PAGE)
    assert article.title == "Leeds finally gets its trams: council approves £2bn line to Bradford"
    assert iso_date(article.date) == "2026-03-09"


def test_a_page_that_names_no_day_has_no_date():
    assert parse_paste("Home News Sport\nLeeds gets its trams after all\n" + BODY).date is None


def test_a_real_page_gets_its_day_not_a_comment_s(digester):
    paste = page_text(read_html(DATA / "pages" / "amazedmag-white-passing.html.gz"))
    rule = parse_paste(paste, date_picker=rule_date).date
    assert iso_date(rule) == "2022-12-11"  # the hand-written rule took a reader's comment's day
    article = parse_paste(paste)
    assert article.date == "6. Dezember 2022 von Fatima in Gefühle, Popkultur"
    digest = digester.from_text(paste)
    assert digest.date == "2022-12-06"
    assert digest.title == "White Passing oder (m)ein Leben irgendwo dazwischen"


def test_only_the_first_dated_lines_are_read():
    # a page of thousands of dated lines costs htmldate no more than MAX_CANDIDATES readings
    lines = "\n".join(f"{day % 28 + 1} March 2026 item {day}" for day in range(2000))
    found = paste_date.candidates(read_lines(lines))
    assert len(found) == paste_date.MAX_CANDIDATES
    assert found[0][1] == "2026-03-01"


def test_a_bare_name_between_the_headline_and_the_dateline_is_the_byline():
    paste = HEAD + "Jo Smith\n9 March 2026, 18:40 GMT\n" + BODY
    assert parse_paste(paste, byline_picker=rule_byline).byline is None  # no "By": no byline
    assert author_of(parse_paste(paste).byline) == "Jo Smith"


def test_a_page_that_names_no_author_has_none():
    paste = HEAD + "9 March 2026, 18:40 GMT\n" + BODY + "More from Transport\nBus lanes\n"
    assert parse_paste(paste).byline is None


def test_a_real_page_gets_the_author_a_label_hides(digester):
    # WordPress's "Post author By Helge Fahrnberger": no byline to the line rules
    paste = page_text(read_html(DATA / "pages" / "helge-mahue.html.gz"))
    assert parse_paste(paste, byline_picker=rule_byline).byline is None
    digest = digester.from_text(paste)
    assert digest.author == "Helge Fahrnberger"
    assert digest.title == "Warum Wien zu blöd für eine staufreie Mahü ist"


def test_a_byline_the_rules_read_stays():
    paste = HEAD + "By Jo Smith, Transport correspondent\n" + BODY
    assert parse_paste(paste).byline == "By Jo Smith, Transport correspondent"
