"""The headline a page shows, the name in a byline, a date as ISO 8601."""

import pytest
from trafilatura import load_html

from summariser.page_meta import author_of, iso_date, page_headline, site_keys, strip_site


@pytest.mark.parametrize(("text", "day"), [
    ("2021-02-25T13:52:00+00:00", "2021-02-25"),
    ("25 February 2021, 13:52", "2021-02-25"),
    ("Published March 3, 2020 at 5pm", "2020-03-03"),
    ("Veröffentlicht am 3. März 2020", "2020-03-03"),
    ("New Delhi, News Nation Bureau | Updated : 19 November 2019, 09:01 AM", "2019-11-19"),
    ("Updated 3 hours ago", None),
    # htmldate's last resort makes a year alone its 1 January: no day is named
    ("November 2012", None),  # a blog's archive menu
    ("© 1998–2015", None),
    ("1. Januar 2019", "2019-01-01"),
    # a month with a dot, more after a slash (a pasted NBC News dateline)
    ("Dec. 20, 2016, 12:44 PM UTC / Updated Dec. 20, 2016, 1:00 PM UTC", "2016-12-20"),
    # dots part a date day first, spaced or not; a copy runs two dates together
    ("Von Deutscher Tennis Bund 4. 2. 2022.", "2022-02-04"),
    ("4.2.2022", "2022-02-04"),
    ("17/11/201917/11/2019 ~ Cem Basman", "2019-11-17"),
    ("", None),
    (None, None),
])
def test_a_date_as_metadata_or_a_dateline_gives_it_is_read_as_its_day(text, day):
    assert iso_date(text) == day


@pytest.mark.parametrize(("byline", "name"), [
    ("By Megan White", "Megan White"),
    ("Tuesday 15 October 2019 by Bradley M. Kuhn", "Bradley M. Kuhn"),
    ("Jane Doe, Political Correspondent", "Jane Doe"),
    ("Sophie Lindqvist Environment correspondent", "Sophie Lindqvist"),
    ("Von Max Müller", "Max Müller"),
    # bylines of the shared pages, pasted whole
    ("Autor: Petra Ruland", "Petra Ruland"),
    ("Author: Jacopo Cascioli", "Jacopo Cascioli"),
    ("By Laura E. Adkins December 28, 2016", "Laura E. Adkins"),
    ("by Julia Horowitz @juliakhorowitz November 29, 2016: 3:42 PM ET", "Julia Horowitz"),
    ("Am 13. November 2019 Von Henry In Aktuell", "Henry"),
    ("Von Mat\xadthi\xadas Lauerer", "Matthias Lauerer"),  # soft hyphens
    ("By August Smith", "August Smith"),
    ("By: Jack Davis on December 23, 2016 at 7:18am", "Jack Davis"),  # a month's name, but no date after it
    ("New Delhi, News Nation Bureau | Updated : 19 November 2019", None),
    ("By Daniel Bader last updated 4 April 17", "Daniel Bader"),
    ("Eingestellt von Weinlachgummi um 10:52", "Weinlachgummi"),  # Blogger's, in German
    ("Publié par Marie Dupont à 06:46", "Marie Dupont"),  # and in French
    # a copy runs what the page shows apart together (pages-postlight, pasted whole)
    ("ByTravis Haney Dec 9, 2016", "Travis Haney"),
    ("by Andrea WongAndrea Wong", "Andrea Wong"),
    ("By Kyle Wood42 minutes ago", "Kyle Wood"),
    ("By Howard BlumeStaff Writer", "Howard Blume"),  # and a role into the name
    ("By Tom DiChristopher", "Tom DiChristopher"),
    # names as metadata gives them, less the separators at their ends
    ("Tom Krisher;", "Tom Krisher"),
    ("Tom Krisher; Ap Auto Writer", "Tom Krisher"),
    ("'Luana Patriolino; Raphael Felice", "Luana Patriolino; Raphael Felice"),
    # a blog's handle after "by" (the shared pages' truth gives it so), not a word or an
    # account of the site's own
    ("Posted on 2015-04-05 by marc", "marc"),
    ("von flerche", "flerche"),
    ("Stand by me", None),
    ("Posted by admin", None),
    ("by", None),
    (None, None),
])
def test_a_byline_gives_the_authors_name(byline, name):
    assert author_of(byline) == name


def test_the_sites_name_is_cut_from_either_end_of_a_title():
    sites = site_keys(["The Guardian"], "https://www.theguardian.com/world/x")
    assert strip_site("Floods hit the north | The Guardian", sites) == "Floods hit the north"
    assert strip_site("The Guardian - Floods hit the north", sites) == "Floods hit the north"
    assert strip_site("Floods hit the north - Weather | theguardian.com", sites) == (
        "Floods hit the north - Weather")
    # a title whose parts do not name the site is left whole
    assert strip_site("Floods: what we know - so far", sites) == "Floods: what we know - so far"


def test_the_heading_that_tells_the_claimed_headline_is_the_title_not_the_logo_or_a_sidebar():
    html = """<html><head><title>Floods hit the north as rivers burst | Daily Example</title>
    <meta property="og:title" content="Floods hit north as rivers burst their banks">
    <meta property="og:site_name" content="Daily Example"></head><body>
    <h1>Daily Example</h1><aside><h1>Ten best walks this summer</h1></aside>
    <article><h1>Floods hit the north as rivers burst their banks</h1><p>Text.</p></article>
    </body></html>"""
    title = page_headline(load_html(html), "https://dailyexample.com/a", None, None)
    assert title == "Floods hit the north as rivers burst their banks"


def test_with_no_heading_to_match_the_metadata_title_loses_the_sites_name():
    html = """<html><head><title>Floods hit the north | Daily Example</title></head>
    <body><p>Text.</p></body></html>"""
    tree = load_html(html)
    assert page_headline(tree, "https://dailyexample.com/a", None,
                         "Floods hit the north | Daily Example") == "Floods hit the north"
    assert page_headline(tree, "https://dailyexample.com/a", None, None) == (
        "Floods hit the north")


def test_the_pages_own_claims_come_before_trafilaturas_title():
    # blv-online.de: trafilatura's title is the section's <h1> above the article's
    html = """<html><head><title>Norddeutschland findet seine Meister - Berliner Leichtathletik
    Verband e.V.</title></head><body><h1>Navigation</h1><h1>Pressemitteilungen</h1>
    <h1>Norddeutschland findet seine Meister</h1><p>Text.</p></body></html>"""
    title = page_headline(load_html(html), "https://www.blv-online.de/a", "Berliner Leichtathletik "
                          "Verband e.V.", "Pressemitteilungen")
    assert title == "Norddeutschland findet seine Meister"


def test_a_shortened_claim_inside_the_headline_tells_it():
    # usmagazine.com (pages-postlight pl-0141): <title> and og:title shorten the <h1>
    html = """<html><head><title>Lady Gaga Shares Pic of Ex Taylor Kinney With Her Mom</title>
    </head><body><h2>Trending Now</h2><h1 class="content-title">Lady Gaga Shares Photo of Ex
    Taylor Kinney Hanging With Her Mom and Now We're Confused</h1><p>Text.</p></body></html>"""
    title = page_headline(load_html(html), "https://www.usmagazine.com/a", "Us Weekly",
                          "Lady Gaga Shares Pic of Ex Taylor Kinney With Her Mom")
    assert title == ("Lady Gaga Shares Photo of Ex Taylor Kinney Hanging With Her Mom and Now "
                     "We're Confused")


def test_a_subtitle_in_small_type_inside_the_headline_is_no_part_of_it():
    # tokyoweekender-like: <h1>Headline <small>subtitle</small></h1>
    html = """<html><head><title>Dezuka Suisan: Deep-Fried Fish Cakes, Hot and Fresh | Site</title>
    </head><body><h1>Dezuka Suisan: Deep-Fried Fish Cakes, Hot and Fresh <small
    class="article-subtitle">Welcome to the Flavor Capital of Northern Japan</small></h1>
    <p>Text.</p></body></html>"""
    title = page_headline(load_html(html), "https://site.example/a", "Site", None)
    assert title == "Dezuka Suisan: Deep-Fried Fish Cakes, Hot and Fresh"


def test_a_slug_given_as_the_title_is_no_headline():
    # adac.de gives its address's words as og:title; the page shows its headline in <h1>
    html = """<html><head><title>ADAC Kindersitz-Test 2018 | ADAC</title>
    <meta property="og:title" content="adac-kindersitztest-herbst-2018"></head><body>
    <h1>18 Kindersitze im Test: Vier Modelle fallen durch</h1><p>Text.</p></body></html>"""
    title = page_headline(load_html(html), "https://www.adac.de/tests/kindersitztest-2018/", None,
                          "adac-kindersitztest-herbst-2018")
    assert title == "18 Kindersitze im Test: Vier Modelle fallen durch"


def test_a_subheading_that_tells_the_claimed_headline_is_the_title_when_no_h1_does():
    html = """<html><head><title>Blog of Ann | Floods hit the north</title></head><body>
    <h1>Blog of Ann</h1><h2 class="sr-only">Main menu</h2>
    <h2>Floods hit the north</h2><p>Rivers burst their banks on Monday, and more.</p>
    </body></html>"""
    tree = load_html(html)
    assert page_headline(tree, "https://ann.example/a", "Blog of Ann", None) == (
        "Floods hit the north")


def test_with_no_claim_to_match_the_heading_above_the_articles_text_is_the_title():
    # The metadata names only the site; a heading for screen readers comes first.
    html = """<html><head><title>Town of Example</title></head><body>
    <h1 class="visually-hidden">Navigation</h1><nav><h2>Menu</h2></nav>
    <h1>Town of Example</h1><p>12 March</p>
    <h2>The town opens its new library</h2><h2 class="sr-only">Article text</h2>
    <p>The new library on the market square opened its doors on Monday morning.</p>
    <h2>More news</h2></body></html>"""
    tree = load_html(html)
    body = ["12 March", "The new library on the market square opened its doors on Monday morning."]
    url = "https://townofexample.org/news/1"
    assert page_headline(tree, url, None, "Town of Example", body) == (
        "The town opens its new library")
    assert page_headline(tree, url, None, "Town of Example") == "Town of Example"
