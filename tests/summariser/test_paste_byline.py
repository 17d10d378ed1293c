"""The author of a pasted whole page, picked by the small learned model of paste_byline.py."""

import socket

from conftest import DATA

from summariser import paste_byline
from summariser.evaluate.files import read_html
from summariser.page_meta import author_of
from summariser.page_text import page_text
from summariser.paste import parse_paste, rule_byline

BODY = (
    "The council approved a £2bn plan on Monday night to link the city with Bradford and the "
    "airport by tram, the first new line in the region for more than sixty years.\n"
    "Construction is due to begin in the spring of 2027, and the first trams are expected to "
    "run in 2031, the council said in a statement after the vote.\n"
    "Opponents say the cost has doubled since the plan was first drawn up and that the route "
    "misses the poorest parts of the city entirely.\n"
)
HEAD = "Sign in\nHome World Sport Business Culture\n" \
    "Leeds finally gets its trams: council approves £2bn line to Bradford\n"


def test_the_weights_load_without_a_network_and_fit_the_features(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the byline model tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    paste_byline.model.cache_clear()
    model, margin = paste_byline.model()
    assert model.features == paste_byline.FEATURES and len(model.mean) == len(model.coef)
    assert margin >= 0
    assert paste_byline.WEIGHTS.stat().st_size < 10_000


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
