"""RSS and Atom feeds: bytes in, a bounded ``Feed`` of headlines out (``feedparser``).

A feed is untrusted input like any page: it arrives through the safe fetcher
(``Fetcher.fetch_feed``: the address checks, the size cap, the time limit), and only its first
``MAX_ITEMS`` entries are kept, each headline cleaned of markup and cut to ``MAX_TITLE_CHARS``,
with its description's first sentences where it has one (``story.STORY_SENTENCES``, as many as
the same-story judge reads of an article: it reads both), less what feed software adds to it
("The post … appeared first on …", "Continue reading…", an excerpt's "[…]").
An entry without an http(s) link or a headline is skipped; a document that gave no usable item
and that feedparser could not read cleanly as a feed is ``NotAFeed``. A web page in its place
may name its feeds (``feed_links``), as sites do for feed readers.
"""

from __future__ import annotations

import calendar
import html
import io
import re
from typing import Any

from summariser.errors import NotAFeed, UnsupportedInput
from summariser.fetch import decode_page
from summariser.models import Feed, FeedItem
from summariser.story import STORY_SENTENCES, first_sentences
from summariser.urls import joined, site_name

MAX_ITEMS = 100  # entries kept from one fetch: feeds list newest first
MAX_TITLE_CHARS = 300
MAX_SUMMARY_CHARS = 1_000  # of a description's first sentences
MAX_DESCRIPTION = 20_000  # characters of a description's markup read for it
MAX_PAGE_HEAD = 500_000  # a page's feed links are in its head: read no further than this
_TAG = re.compile(r"<[^<>]{0,500}>")
_ALNUM = re.compile(r"[\W_]+")
_BREAKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "img",
           "td", "tr")
# What feed software adds to a description, not the story's: WordPress's (Yoast's) "The post
# … appeared first on …" and "Continue reading" links (the Guardian's, WordPress's "more" link);
# an excerpt's "[…]" end mark.
_FOOTER = re.compile(
    r"\s*(?:the post\b.{1,600}\bappeared first on\b.{1,200}|(?:continue reading|read more|"
    r"keep reading|read the (?:full|rest of the) (?:story|article|post))"
    r"(?:\s+(?:on|at)\s+.{1,60}?)?[\s.…→»›>:!-]*)",
    re.IGNORECASE | re.DOTALL)
_FOOTER_BLOCKS = ("p", "div", "a", "span")
_FOOTER_OPENINGS = ("the post", "continue reading", "read more", "keep reading", "read the")
# A description with none of these has no footer: most are read without looking for one.
_FOOTER_CUES = ("appeared first on", "continue reading", "read more", "keep reading", "read the ")
_EXCERPT_END = re.compile(r"\[(?:…|\.\.\.)\]")


def _clean(text: str) -> str:
    """A headline as plain text: no markup, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", text[: MAX_TITLE_CHARS * 4])).split())[
        :MAX_TITLE_CHARS]


def _text_of(markup: str) -> str:
    """A description's text, as a reader sees it: tags dropped (an ``<img>`` with a long
    ``srcset`` too), entities decoded; scripts, styles, a figure's caption and what feed
    software adds (``_FOOTER``, ``_EXCERPT_END``) left out."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return _EXCERPT_END.sub("", html.unescape(_TAG.sub(" ", markup)))
    for inert in root.xpath(".//script|.//style|.//figure|.//figcaption"):
        inert.drop_tree()
    lowered = markup.lower()
    cued = any(cue in lowered for cue in _FOOTER_CUES)
    footers = root.iterdescendants(*_FOOTER_BLOCKS) if cued else ()
    for block in [e for e in footers  # its own text opens as a footer does, and is one
                  if (e.text or "").lstrip()[:20].lower().startswith(_FOOTER_OPENINGS)
                  and _FOOTER.fullmatch(e.text_content())]:
        block.drop_tree()
    for element in root.iter(*_BREAKS):  # a block ends a word; inline markup does not
        element.tail = " " + (element.tail or "")
    return _EXCERPT_END.sub("", "".join(root.itertext()))


def _summary(entry: Any, title: str) -> str | None:
    """The first ``STORY_SENTENCES`` sentences of an entry's description (RSS ``description``,
    Atom ``summary``), as plain text; None when it has none, or only repeats the headline."""
    raw = entry.get("summary") or ""
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = " ".join(_text_of(raw[:MAX_DESCRIPTION]).split())
    sentences = " ".join(first_sentences(text, STORY_SENTENCES))[:MAX_SUMMARY_CHARS].strip()
    if _ALNUM.sub("", sentences.lower()) in ("", _ALNUM.sub("", title.lower())):
        return None
    return sentences


def _published(entry: Any) -> float | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return float(calendar.timegm(stamp)) if stamp else None


_FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


def feed_links(body: bytes, base_url: str) -> list[str]:
    """The feeds a web page names in its head (``<link rel="alternate"
    type="application/rss+xml" href=...>``), as absolute http(s) URLs, in page order: how a
    reader finds a site's feed from the site's address."""
    from trafilatura import load_html

    try:  # decoded here, so that a head compressed without saying so inflates to the cap alone
        head = decode_page(body[:MAX_PAGE_HEAD], limit=MAX_PAGE_HEAD)
    except UnsupportedInput:
        return []
    tree = load_html(head)
    if tree is None:
        return []
    found: list[str] = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in _FEED_LINK_TYPES and href:
            url = joined(base_url, href) or ""
            if url.startswith(("http://", "https://")) and url not in found:
                found.append(url)
    return found


def parse_feed(body: bytes, url: str, limit: int = MAX_ITEMS) -> Feed:
    """The feed at ``url`` (already fetched) as its title and up to ``limit`` items."""
    import feedparser  # loads on the first feed: a digest never needs it

    # A stream, never the bytes themselves: feedparser tries a string or bytes as a file's path
    # first, so a "feed" whose body is "/dev/zero" or a local file's path would be read here.
    parsed = feedparser.parse(io.BytesIO(body), sanitize_html=False,
                              resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    title = _clean(parsed.get("feed", {}).get("title") or "") or None
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in entries[: limit * 2]:
        link = (entry.get("link") or "").strip()
        headline = _clean(entry.get("title") or "")
        if not headline or not link.startswith(("http://", "https://")) or link in seen:
            continue
        seen.add(link)
        items.append(FeedItem(headline, link, title or site_name(link), _published(entry),
                              _summary(entry, headline)))
        if len(items) >= limit:
            break
    # A well-formed feed may be empty; a broken one must still have given a usable item.
    if not items and (parsed.get("bozo") or not parsed.get("version")):
        raise NotAFeed.because("not_feed")
    return Feed(url, title, tuple(items))
