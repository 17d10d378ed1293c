"""The headline an HTML page shows; the author's name in a byline; a date as ISO 8601.

A page states its headline several times: in JSON-LD (``headline``), in ``og:title`` and
``twitter:title``, in ``<title>`` (usually with the site's name: "… | The Guardian"), and in
the ``<h1>`` the reader sees. The metadata may carry a kicker, a promo wording or the site's
name, ``<title>`` nearly always the site's name, and a page may hold several ``<h1>`` (the
logo, a sidebar). So the headline is the ``<h1>`` that tells the same words as what the page's
metadata claims (``_same``), else an ``<h2>`` or ``<h3>`` that does (a page whose logo is its
``<h1>``), else the heading right above where the article's text starts (``near_heading``: a
page whose metadata tells only the site or a section), else trafilatura's own reading of the
title with the site's part cut off (``strip_site``), else the first claim so cut, else the first
``<h1>``. Everything is one pass over the page's few ``<meta>``, JSON-LD and heading elements and
one over its elements up to where the article starts.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Sequence

from lxml.html import HtmlElement

from summariser.words import STOP_WORDS, tokens

MAX_LINE = 300  # characters of a byline or dateline read
MAX_HEADINGS = 12  # <h1> (and, apart, <h2> and <h3>) elements looked at
NEAR_WORDS = 80  # words of text that may part the heading from the article's first paragraph
LEAD_WORDS = 5  # the article's first paragraph has at least this many words
START_CHARS = 60  # characters of that paragraph an element's own text is compared by
MIN_START = 15  # an element's own text this long may tell the paragraph's start
MAX_WORDS = 40  # a longer "headline" is a paragraph
MAX_JSON = 200_000  # characters of one JSON-LD block read
SHOWN_SHARE = 0.8  # of the <h1>'s words that must be in the claimed headline
CLAIM_SHARE = 0.6  # of the claimed headline's words that must be in the <h1>
WHOLE_CLAIM = 0.9  # ... or nearly all of them, in an <h1> at most twice as long
# Parts of a <title> or og:title: "Headline | Site", "Site - Headline", "Headline :: Section".
_SEPARATOR = re.compile(r"\s+(?:[|·•»:/]{1,2}|[-–—]{1,2})\s+")
_ALNUM = re.compile(r"[\W_]+")
_HIDDEN = re.compile(r"sr-only|screen-reader|visually-?hidden|invisible|\bhidden\b|text-hide|"
                     r"nav-?skip|skip-?link|display:\s*none", re.IGNORECASE)


def _texts(tree: HtmlElement, *names: str) -> list[str]:
    found = []
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or "").lower()
        if key in names:
            content = " ".join((element.get("content") or "").split())
            if content:
                found.append(content)
    return found


def _json_headlines(tree: HtmlElement) -> Iterator[str]:
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        try:
            data = json.loads((script.text or "")[:MAX_JSON])
        except ValueError:
            continue
        stack = [data]
        while stack:  # bounded by the block's size: each value is visited once
            value = stack.pop()
            if isinstance(value, list):
                stack.extend(reversed(value))
            elif isinstance(value, dict):
                headline = value.get("headline")
                if isinstance(headline, str) and headline.strip():
                    yield " ".join(headline.split())
                for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
                    if isinstance(value.get(key), list | dict):
                        stack.append(value[key])


def _hidden(element: HtmlElement) -> bool:
    """Does the element say it is not shown (a heading for screen readers, a skip link)?"""
    label = f"{element.get('class') or ''} {element.get('style') or ''}"
    return (element.get("hidden") is not None or element.get("aria-hidden") == "true"
            or bool(_HIDDEN.search(label)))


def _heading_text(element: HtmlElement) -> str | None:
    """A heading's text, less what it sets in ``<small>`` (a subtitle: "Dezuka Suisan: Deep-
    Fried Fish Cakes, Hot and Fresh" <small>"Welcome to the Flavor Capital of …"</small>)."""
    if _hidden(element):
        return None
    text = " ".join("".join(element.xpath(".//text()[not(ancestor::small)]"))[:1000].split())
    return text if 1 <= len(text.split()) <= MAX_WORDS else None


def _headings(tree: HtmlElement) -> list[str]:
    found = []
    for number, element in enumerate(tree.iter("h1")):
        if number >= MAX_HEADINGS:
            break
        text = _heading_text(element)
        if text:
            found.append(text)
    return found


def _subheadings(tree: HtmlElement) -> Iterator[str]:
    """The page's first ``2 * MAX_HEADINGS`` ``<h2>`` and ``<h3>`` outside navigation,
    footers and asides."""
    given = 0
    for element in tree.iter("h2", "h3"):
        text = _heading_text(element)
        if text and not _aside(element):
            yield text
            given += 1
            if given >= 2 * MAX_HEADINGS:
                return


def _aside(element: HtmlElement) -> bool:
    return any(parent.tag in ("nav", "footer", "aside") for parent in element.iterancestors())


def near_heading(tree: HtmlElement, paragraphs: Sequence[str]) -> str | None:
    """The heading (``<h1>`` to ``<h3>``, outside navigation, footers and asides) that stands
    right above the article's first paragraph of ``LEAD_WORDS`` words or more (the first of
    ``paragraphs``, the extracted text, that long), with at most ``NEAR_WORDS`` words of other
    text between them; None when there is none or the paragraph is not found."""
    first = next((p for p in paragraphs if len(p.split()) >= LEAD_WORDS), None)
    if first is None:
        return None
    key = " ".join(first.split())[:START_CHARS]
    heading, words = None, 0
    for element in tree.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("h1", "h2", "h3"):
            text = _heading_text(element)
            if text and not _aside(element):
                heading, words = text, 0
            continue
        own = " ".join((element.text or "").split())
        if len(own) >= MIN_START and key.startswith(own[:START_CHARS]):
            return heading if words <= NEAR_WORDS else None
        words += len(own.split()) + len((element.tail or "").split())
    return None


def _same(shown: str, claimed: str) -> bool:
    """Does the heading ``shown`` tell the headline ``claimed`` (allowing the site's name or a
    kicker on either side)? Compared by words, or, for scripts written without spaces, as
    letters: one inside the other, and at least half its length."""
    a, b = tokens(shown), tokens(claimed)
    if not a or not b:
        return False
    in_claim = sum(t in set(b) for t in a) / len(a)
    in_shown = sum(t in set(a) for t in b) / len(b)
    if in_claim >= SHOWN_SHARE and in_shown >= CLAIM_SHARE and (len(a) >= 2 or a == b):
        return True
    if in_shown >= WHOLE_CLAIM and len(b) >= 3 and 2 * len(b) >= len(a):
        return True  # the claim, shortened, inside the heading: "Jennifer Aniston on Leaving the
        # Tags on Her Coat" in "… on Her Céline Coat: 'I Wore It Four Times and Didn't Notice!'"
    short, long_ = sorted((_ALNUM.sub("", shown.lower()), _ALNUM.sub("", claimed.lower())),
                          key=len)
    return len(short) >= 8 and short in long_ and 2 * len(short) >= len(long_)


# "adac-kindersitztest-herbst-2018": an address's words a CMS gave as the title, not the
# headline the page shows
_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+){2,}")


def _site_like(part: str, sites: Sequence[str]) -> bool:
    key = site_key(part)
    return bool(key) and any(key in site or site in key for site in sites if len(site) >= 3)


def strip_site(title: str, sites: Sequence[str]) -> str:
    """``title`` without the parts that name the site (``sites``: its names and its address's
    labels, lowercase letters and digits only) at either end; when it came in parts and none
    names the site, the longest part."""
    parts = [p for p in _SEPARATOR.split(title) if p.strip()]
    if len(parts) < 2:
        return title.strip()
    while len(parts) > 1 and _site_like(parts[-1], sites):
        parts.pop()
    while len(parts) > 1 and _site_like(parts[0], sites):
        parts.pop(0)
    if len(parts) == len(_SEPARATOR.split(title)):  # nothing named the site
        return title.strip()
    return _joined(title, parts)


def _joined(title: str, parts: Sequence[str]) -> str:
    """The stretch of ``title`` from its first kept part to its last (separators kept)."""
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if 0 <= start < end else " ".join(parts)


def site_key(name: str | None) -> str:
    """A name as site names are compared: lowercased, its letters and digits alone."""
    return _ALNUM.sub("", (name or "").lower())


def site_keys(site_names: Sequence[str | None], url: str | None) -> list[str]:
    """The ways a page may name its site: its stated names and its address's labels."""
    keys = [site_key(name) for name in site_names]
    if url:
        host = re.sub(r"^[a-z]+://", "", url.lower()).split("/", 1)[0].split(":", 1)[0]
        labels = [label for label in host.split(".") if label not in ("www", "m", "amp")]
        keys += [_ALNUM.sub("", label) for label in labels[:-1]]
    return [key for key in keys if len(key) >= 3]


def page_headline(tree: HtmlElement, url: str | None, sitename: str | None,
                  fallback: str | None, paragraphs: Sequence[str] = ()) -> str | None:
    """The headline ``tree`` shows (see the module's docstring); ``fallback`` is trafilatura's
    reading of the title, itself one of the claims; ``paragraphs`` the article's text as
    extracted, for the heading above its start."""
    page_title = [" ".join(t.text_content()[:1000].split()) for t in tree.iter("title")][:1]
    claims = [*_json_headlines(tree), *_texts(tree, "og:title", "twitter:title")][:6]
    sites = site_keys([sitename, *_texts(tree, "og:site_name", "application-name")], url)

    def usable(found: Sequence[str]) -> list[str]:
        cut = (strip_site(claim, sites) for claim in found)
        return [claim for claim in cut if claim and not _site_like(claim, sites)
                and not _SLUG.fullmatch(claim)]

    own, theirs = usable([*claims, *page_title]), usable([fallback] if fallback else [])
    headings = _headings(tree)
    shown = [*headings, *_subheadings(tree)]
    # trafilatura's title, which may be a section's heading ("Pressemitteilungen" above
    # "Norddeutschland findet seine Meister", which <title> claims), is matched only where
    # the page's own claims match no heading
    for claimed in (own, theirs):
        for heading in shown:
            if any(_same(heading, claim) for claim in claimed):
                return heading
    near = near_heading(tree, paragraphs)
    if near and not _site_like(near, sites):
        return near
    if fallback and fallback.strip() and not _SLUG.fullmatch(fallback.strip()):
        return strip_site(fallback, sites)
    cut = [*own, *theirs]
    return cut[0] if cut else headings[0] if headings else None


YEAR_LOOKS = 1_000  # places a 1 January's year is looked at (``day_written``)
_AROUND_YEAR = 24  # characters either side of it: "January 1st, 2019", "1. Januar 2019"
_ISO_DAY = re.compile(r"^\s*((?:19|20)\d\d-[01]\d-[0-3]\d)\b")
# a day written with spaced dots ("4. 2. 2022", day first as wherever dots part a date, which
# htmldate reads month first), and a year run into the next date ("17/11/201917/11/2019")
_SPACED_DOTS = re.compile(r"\b(\d{1,2})\.\s+(\d{1,2})\.\s+((?:19|20)\d\d)\b")
_GLUED_YEAR = re.compile(r"(?<=[/.-](?:19|20)\d\d)(?=\d)")
# a day's number ("3. März", "12/11/2012"), not a clock's ("10:04") nor a year's; or a compact
# date ("20121211")
_DAY_NUMBER = re.compile(r"(?<![\d:])\d{1,2}(?![\d:])|\d{6,8}")
_MONTH_DOT = re.compile(r"\b(jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.", re.IGNORECASE)
_PIECE = re.compile(r"\s[/|•·]\s")  # "… 12:44 PM UTC / Updated …", "By X | November 2, 2018"
_BY = re.compile(r"(?:^|\s)(?:(?:by|von|por|par|di|door|av|przez):?|"
                 r"(?:author|autor|autorin|auteur|auteure|text|texto):)\s+(.+)$", re.IGNORECASE)
_ROLE = re.compile(r"\s*(?:,|\s[|•·–—-]\s).*$")
_HANDLE = re.compile(r"[a-z][a-z0-9._-]{1,30}")  # a blog's account name: "marc", "flerche"
# the names of a site's own accounts, no one's: "Posted by admin", "Admin" as metadata's author
ACCOUNT_NAMES = frozenset("admin administrator webmaster guest user".split())
# ... but not a word ("Stand by me") nor a site's own account
_NO_HANDLE = STOP_WORDS | ACCOUNT_NAMES | frozenset(
    "me you him her us them it redaktion editor".split())
# a byline's role after the name ("Jane Doe, Political Correspondent"); the paste reader's
# bylines name the same roles
BYLINE_ROLES = ("correspondent", "editor", "reporter", "writer", "journalist", "columnist",
                "contributor", "staff", "producer", "analyst", "critic")
# what follows the name: a date ("on", "am", "um 10:52", "à 06:46", a digit, "December 28",
# "Oct. 13", "Wood42 minutes ago"), a handle ("@juliakhorowitz"), "published", "last updated",
# "veröffentlicht", "in Allgemeines"
_NAME_END = re.compile(
    r"\s*@.*$|(?<=[a-z])\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\b.*$|"
    r"\s+(?:(?:on|at|updated|last\s+(?:updated|modified)|published|"
    r"veröffentlicht|publiziert|aktualisiert|am|le|el)\b|(?:um|à)(?=\s+\d)|in\s|\d|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mär|mai|okt|dez)[a-zä]*\.?"
    r"\s+\d).*$", re.IGNORECASE)


def iso_date(text: str | None) -> str | None:
    """The day ``text`` (a date as metadata or a dateline gives it: "2021-02-25T13:52",
    "25 February 2021, 13:52", "3. März 2020") names, as ISO 8601 ``YYYY-MM-DD``; None when it
    names none (an "Updated 3 hours ago" says no day, nor does "November 2012"). Read by
    htmldate, trafilatura's own date reader, from the first ``MAX_LINE`` characters: the text,
    else its first piece with no dot after a month ("Dec. 20, 2016, 12:44 PM UTC / Updated
    …", which htmldate reads as 2016-01-01)."""
    if not text or not text.strip():
        return None
    iso = _ISO_DAY.match(text)
    if iso:
        return iso.group(1)
    text = _GLUED_YEAR.sub(" ", _SPACED_DOTS.sub(r"\1.\2.\3", text[:MAX_LINE]))
    if not _DAY_NUMBER.search(text):
        return None
    from htmldate import find_date

    plain = _MONTH_DOT.sub(r"\1", _PIECE.split(text, maxsplit=1)[0])
    for reading in dict.fromkeys((text, plain)):
        page = f"<html><body><p>{html.escape(reading)}</p></body></html>"
        try:
            found = find_date(page, extensive_search=True, original_date=True,
                              outputformat="%Y-%m-%d")
        except ValueError:
            found = None
        if found and day_written(found, text):
            return str(found)
    return None


def day_written(date: str, text: str) -> bool:
    """Is ``date`` (ISO 8601) a day ``text`` writes? htmldate's last resort reads a year alone
    as its 1 January ("© 1998–2015", "Sommer 2019", a phone number's "2000"), and 1 in 365
    articles is published that day: a 1 January only where the text writes it ("2019-01-01",
    "01.01.2019", "1. Januar 2019", "January 1, 2019"), looked for around the first
    ``YEAR_LOOKS`` places the year stands (a page of megabytes costs no more)."""
    if not date.endswith("-01-01"):
        return True
    year = date[:4]
    written = re.compile(
        rf"{year}[-/.]0?1[-/.]0?1(?!\d)|(?<!\d)0?1[-/.]0?1[-/.]{year}|(?<!\d)0?1(?:st|er|º)?\.?"
        rf"\s+(?:jan|ene|gen)\w*\.?,?\s+{year}|(?:jan|ene|gen)\w*\.?\s+0?1(?:st)?,?\s+{year}",
        re.IGNORECASE)
    at = text.find(year)
    for _ in range(YEAR_LOOKS):
        if at < 0:
            return False
        if written.search(text, max(0, at - _AROUND_YEAR), at + len(year) + _AROUND_YEAR):
            return True
        at = text.find(year, at + len(year))
    return False


_GLUED_BY = re.compile(r"^By(?=[A-Z][a-z])")
# a role a copy runs into the name: "Howard BlumeStaff Writer"
_GLUED_ROLE = re.compile(rf"(?<=[a-z])(?:{'|'.join(r.capitalize() for r in BYLINE_ROLES)})\b.*$")
_TWICE = re.compile(r"(\S+ .+?)\s?\1")


def author_of(byline: str | None) -> str | None:
    """The name a visible byline gives ("By Megan White" -> "Megan White"; "Tuesday 15 October
    2019 by Bradley M. Kuhn" -> "Bradley M. Kuhn"; "Jane Doe, Political Correspondent" ->
    "Jane Doe"); None when it gives no name."""
    if not byline or not byline.strip():
        return None
    line = " ".join(byline[:MAX_LINE].replace("\xad", "").split())  # soft hyphens: "Mat­thi­as"
    line = _GLUED_BY.sub("By ", line, count=1)  # "ByTravis Haney": a copy runs "By" into the name
    by = _BY.search(line)
    roled = any(word.strip(".,").lower() in BYLINE_ROLES for word in line.split())
    if by is None and any(c.isdigit() for c in line):
        return None  # a dateline, perhaps with a place: no name without a "by"
    if by is None and not roled:  # names as metadata gives them: "Jane Doe; John Roe"
        bare = line.lower().strip(" :") in ("by", "von", "por", "par", "author", "autor")
        line = line.strip(" ,:;|'\"")  # "Tom Krisher;", "'Luana Patriolino"
        return line if any(c.isalpha() for c in line) and not bare else None
    name = _NAME_END.sub("", _ROLE.sub("", by.group(1) if by else line))
    name = _GLUED_ROLE.sub("", name).strip(" .,:;|")
    words = name.split()
    if len(words) > 2 and words[-1].lower() in BYLINE_ROLES:  # "Sophie Lindqvist Environment
        name = " ".join(words[:2]).strip(" .,:;|")  # correspondent": a role after the name
        words = name.split()
    if not 1 <= len(words) <= 6 or not (any(w[:1].isupper() for w in words) or (
            by is not None and _HANDLE.fullmatch(name) and name not in _NO_HANDLE)):
        return None  # no name; but a blog's handle after "by" stands: "Posted by marc"
    twice = _TWICE.fullmatch(name)  # "Andrea WongAndrea Wong": the name and its link's title
    return twice.group(1) if twice else name
