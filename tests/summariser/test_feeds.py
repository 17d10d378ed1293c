"""Feeds: parsing RSS and Atom with feedparser, and fetching them under the fetcher's guards."""

import html

import pytest
from conftest import DATA, read

from summariser.errors import BlockedAddress, NotAFeed, TooLarge
from summariser.feeds import feed_links, parse_feed
from summariser.fetch import MAX_FEED_BYTES, Fetcher
from summariser.story import STORY_SENTENCES, story_text


def feed_bytes(name: str) -> bytes:
    return (DATA / "feeds" / name).read_bytes()


def test_rss_items_are_cleaned_and_only_linked_headlines_kept():
    feed = parse_feed(feed_bytes("world-rss.xml"), "https://northernwire.example/world.rss")
    assert feed.title == "Northern Wire: World"
    assert [item.title for item in feed.items] == [
        "Amnesty International strips Alexei Navalny of prisoner of conscience status",
        "Flooding closes roads across southern Spain",
        "Premier League: five things we learned this weekend",
    ]  # markup gone; the ftp link and the untitled item skipped
    first = feed.items[0]
    assert first.url == "https://northernwire.example/world/amnesty-navalny-status"
    assert first.site == "Northern Wire: World"
    assert first.published == 1614189600.0  # Wed, 24 Feb 2021 18:00:00 GMT
    assert feed.items[2].published is None


def test_an_items_description_gives_its_first_sentences_as_plain_text():
    feed = parse_feed(feed_bytes("described-rss.xml"), "https://northernwire.example/europe.rss")
    assert [item.summary for item in feed.items] == [
        'Amnesty International has stripped Alexei Navalny of his "prisoner of conscience" '
        "status over comments he made in the 2000s. The group said it still calls for his "
        "release.",
        None,  # it only repeats the headline
        None,  # it has none
    ]
    assert all(item.summary is None for item in
               parse_feed(feed_bytes("world-rss.xml"), "https://northernwire.example/w").items)


def test_a_description_is_read_as_a_reader_sees_it():
    srcset = ", ".join(f"https://img.example/{w}.jpg {w}w" for w in range(100, 3000, 100))
    description = (f'<figure><img srcset="{srcset}"/><figcaption>Photo: Wire</figcaption>'
                   "</figure><p>The <i>Nav</i>alny team said it would appeal<script>x()</script>"
                   ".</p><p>Nothing more.</p>")
    body = ("<rss version='2.0'><channel><title>W</title><item><title>An appeal</title>"
            f"<link>https://w.example/a</link><description>{html.escape(description)}"
            "</description></item></channel></rss>").encode()
    [item] = parse_feed(body, "https://w.example/rss").items
    assert item.summary == "The Navalny team said it would appeal. Nothing more."  # no caption


def test_what_feed_software_adds_to_a_description_is_not_read_as_the_story():
    # WordPress's excerpt end mark and "The post … appeared first on …" line; a "Continue
    # reading" link, as the Guardian's feeds end each description; a real sentence that opens
    # with the same words stays
    wordpress = ("<p>Amnesty said on Tuesday it had stripped Alexei Navalny of the status. The "
                 "group cited comments he made in the 2000s [&#8230;]</p><p>The post <a href="
                 "'https://w.example/a'>Amnesty strips Navalny</a> appeared first on <a href="
                 "'https://w.example'>Northern Wire</a>.</p>")
    guardian = ("<p>Protesters gathered in Moscow on Sunday.</p> <a href='https://w.example/b'>"
                "Continue reading...</a>")
    teachers = "<p>Keep reading books, the minister told teachers on Tuesday.</p>"
    items = "".join(
        f"<item><title>Story {k}</title><link>https://w.example/{k}</link>"
        f"<description>{html.escape(description)}</description></item>"
        for k, description in enumerate((wordpress, guardian, teachers)))
    body = f"<rss version='2.0'><channel><title>W</title>{items}</channel></rss>".encode()
    assert [item.summary for item in parse_feed(body, "https://w.example/rss").items] == [
        "Amnesty said on Tuesday it had stripped Alexei Navalny of the status. The group cited "
        "comments he made in the 2000s",
        "Protesters gathered in Moscow on Sunday.",
        "Keep reading books, the minister told teachers on Tuesday.",
    ]


def test_a_description_is_not_cut_at_a_title_or_an_initialism():
    # "Sen." and "U.S." end no sentence: the item's story text keeps who it is about
    description = ("Sen. Bernie Sanders told the U.S. Senate on Monday that John F. Kerry had "
                   "been right. He said more later. Sen. Warren agreed. Then the vote came. "
                   "It passed.")
    body = ("<rss version='2.0'><channel><title>W</title><item><title>Sanders speaks</title>"
            f"<link>https://w.example/s</link><description>{description}</description>"
            "</item></channel></rss>").encode()
    [item] = parse_feed(body, "https://w.example/rss").items
    # its first three sentences, as much as the judge reads of an article's lead
    assert item.summary == ("Sen. Bernie Sanders told the U.S. Senate on Monday that John F. "
                            "Kerry had been right. He said more later. Sen. Warren agreed.")
    assert story_text("Sanders speaks", "WASHINGTON (AP) — Gov. Tim Walz sent troops. More.",
                      1) == "Sanders speaks WASHINGTON (AP) — Gov. Tim Walz sent troops."


def test_an_articles_story_text_reads_its_leads_first_sentences_across_its_lines():
    # an article (a digest, as the bot stores it) or a feed item's description reads three
    lead = ("Sen. Bernie Sanders spoke in Iowa on Monday. He said more.\n\n"
            "The crowd cheered. It went on.")
    assert STORY_SENTENCES == 3
    assert story_text("Sanders speaks", lead) == (
        "Sanders speaks Sen. Bernie Sanders spoke in Iowa on Monday. He said more. "
        "The crowd cheered.")
    assert story_text("Sanders speaks", lead, 1) == (
        "Sanders speaks Sen. Bernie Sanders spoke in Iowa on Monday.")
    assert story_text(None, "  \n") == "" and story_text("Only", None, 3) == "Only"


def test_atom_entries_and_the_item_cap():
    feed = parse_feed(feed_bytes("tech-atom.xml"), "https://gadgets.example/atom", limit=1)
    assert feed.title == "Gadget Desk"
    assert [(i.title, i.url) for i in feed.items] == [
        ("Best budget air fryers for 2026, tested", "https://gadgets.example/air-fryers")]


@pytest.mark.parametrize("body", [
    read("wire-style-page.html").encode(),  # a web page, not a feed
    b"<rss><channel><item><title>broken",  # cut off mid-way, no entry complete
    b"\x00\x01 not xml at all",
])
def test_what_is_not_a_feed_says_so(body):
    with pytest.raises(NotAFeed, match="not an RSS or Atom feed"):
        parse_feed(body, "https://example.com/feed")


def test_conditional_fetch_gets_304_and_no_body_when_unchanged(settings, page_server):
    url = page_server.add("/feeds/conditional.xml", feed_bytes("world-rss.xml"),
                          content_type="application/rss+xml", etag='"v1"')
    fetcher = Fetcher(settings)
    first = fetcher.fetch_feed(url)
    assert (first.status, first.etag) == (200, '"v1"') and b"Northern Wire" in first.body
    again = fetcher.fetch_feed(url, etag=first.etag)
    assert (again.status, again.body) == (304, b"")


def test_a_huge_feed_stops_at_the_cap(settings, page_server):
    item = b"<item><title>Headline</title><link>https://x.example/a</link></item>"
    huge = b"<rss><channel>" + item * (MAX_FEED_BYTES // len(item) + 10) + b"</channel></rss>"
    url = page_server.add("/feeds/huge.xml", huge, content_type="application/rss+xml")
    with pytest.raises(TooLarge, match="feed is larger than 2 MB"):
        Fetcher(settings).fetch_feed(url)


def test_a_feed_that_redirects_to_a_private_address_is_refused(settings, page_server):
    url = page_server.add("/feeds/sneaky.xml", status=302,
                          headers={"Location": "http://10.1.2.3/internal-feed.xml"})
    with pytest.raises(BlockedAddress):
        Fetcher(settings).fetch_feed(url)


def test_a_sites_page_names_its_feeds():
    page = (b"<html><head><title>Northern Wire</title>"
            b"<link rel='stylesheet' href='/site.css'>"
            b"<link rel='alternate' type='application/rss+xml' title='World' href='/world.rss'>"
            b"<link rel='alternate' type='application/atom+xml' href='https://nw.example/a.atom'>"
            b"<link rel='alternate' hreflang='fr' href='/fr/'>"
            b"</head><body><p>News.</p></body></html>")
    assert feed_links(page, "https://nw.example/news/") == [
        "https://nw.example/world.rss", "https://nw.example/a.atom"]
    assert feed_links(b"<html><body>No feed here</body></html>", "https://x.example/") == []
    bad = (b"<html><head><link rel='alternate' type='application/rss+xml' "
           b"href='http://[feeds]/rss'><link rel='alternate' type='application/rss+xml' "
           b"href='/all.rss'></head></html>")
    assert feed_links(bad, "https://x.example/") == ["https://x.example/all.rss"]


def test_a_feed_body_is_never_read_as_a_path(tmp_path):
    """feedparser opens a string or bytes as a file when it can: a "feed" whose body is the path
    of a local file (or /dev/zero) must be parsed as the text it is, never opened."""
    local = tmp_path / "local.xml"
    local.write_bytes((DATA / "feeds" / "world-rss.xml").read_bytes())
    assert parse_feed((DATA / "feeds" / "world-rss.xml").read_bytes(), "https://x.example/f").items
    with pytest.raises(NotAFeed):
        parse_feed(str(local).encode(), "https://x.example/f")
