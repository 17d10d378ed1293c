"""HTML -> Article, with the page's own related-article links as headline candidates.

trafilatura finds the main text and the metadata. The body is its plain reading, the text
``trafilatura.extract`` gives, a line a paragraph: a choice among its precision and recall
readings by the content model, and the paste line rules' cuts, read the sites they were tuned
on better and other sites worse (``python -m summariser.evaluate pages``), so the plain reading
stands, less its "Read more:" lines. The line rules read the text for those headlines, the
byline and the dateline. The headline is the one the page shows (``page_meta.page_headline``);
the author and date are trafilatura's metadata, else the visible byline and dateline, the date
as ISO 8601. The content model of pasted pages reads the page laid out as a browser's copy
gives it and scores each paragraph (``_Reading.scores_of``), so the summary keeps to paragraphs
it is sure of. (Reading the page as a paste where the model found more than a short trafilatura
reading lost must-have snippets and let chrome in on sites it was not trained on: the short
reading stands.)
Related-headline candidates come from the page itself: every link whose text reads as a
headline, outside navigation, header and footer, with the box it stands in (a block whose
class, id or label says related / more stories / read more / recommended, an ``<aside>`` or a
paragraph that starts "Read more:"; a block marked share, tag or author; elsewhere). The scorer
in ``related.py`` keeps those about the same story.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urldefrag

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura import load_html
from trafilatura.settings import Document as Extracted

from summariser.content import body_lines
from summariser.errors import NotAnArticle, TooLarge
from summariser.models import Article, Headline, Reading, word_count
from summariser.page_meta import (
    ACCOUNT_NAMES,
    MAX_JSON,
    author_of,
    day_written,
    iso_date,
    page_headline,
    site_key,
    site_keys,
)
from summariser.page_text import page_text
from summariser.paste import BodyChooser, continued, normalise_text, read_lines
from summariser.related import MAX_CANDIDATES
from summariser.sentences import LIST_MARK
from summariser.urls import joined, site_name
from summariser.words import DATELINE_PUNCTUATION, date_token

log = logging.getLogger(__name__)

_RELATED_BLOCK = re.compile(
    r"related|more[-_ ]?(?:stories|news|from|on|articles|top)|read[-_ ]?(?:more|next)|"
    r"recommend|also[-_ ]?(?:like|read)|further[-_ ]?reading|story[-_ ]?list|"
    r"most[-_ ]?(?:read|popular)|"
    r"trending|up[-_ ]?next|outbrain|taboola",
    re.IGNORECASE,
)
_SKIP_BLOCK = re.compile(r"\b(?:nav|menu|header|footer|breadcrumb|share|social|tag|author)\b", re.I)
_LEAD_IN = re.compile(r"^\s*(?:read more|related|see also|also read|more)\s*[:|–—-]", re.IGNORECASE)
_ADDRESS = re.compile(r"://|^www\.")  # a site "name" that is an address
# a "name" that is a date or holds one ("02.11.2021", "Wochenbericht 14. - 20. Januar 2022"):
# a page's heading, not its site
_DATED = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b"
                    r"|\b\d{1,2}\.\s+[A-ZÄÖÜ][a-zäöü]+\s+\d{4}\b")
_NOT_A_SITE = re.compile(  # a copyright line, or the link to the home page
    r"©|\bcopyright\b|\ball rights reserved\b|^(?:home|homepage|start|startseite|accueil|"
    r"inicio|index)$", re.IGNORECASE)
# A line break the page's source had inside a paragraph, which trafilatura keeps with the
# source's indentation (a <p> holding inline <code>): a word or comma, then the next line
# indented, or an indented blank line before it ("… captures the intention\n        of
# retrieving …"); trafilatura's own breaks between paragraphs carry no indentation.
_SOURCE_WRAP = re.compile(r"(?<=[^\W\d_]|,)\n[ \t]{4,}(?:\n)?(?=\S)")
# A link's text that carries more than its headline: "Also on rt.com …" before it, "13 hours
# ago" after it. Both are cut off before the words are counted and the headline compared.
_ALSO_ON = re.compile(r"^\s*also on [\w-]+(?:\.[\w-]+)+\s+", re.IGNORECASE)
_AGO = re.compile(r"\s*(?:\d{1,3}\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)"
                  r"\s+ago|yesterday|just now)\s*$", re.IGNORECASE)
_MIN_WORDS, _MAX_WORDS = 4, 30
_MAX_ANCHORS = 3000  # links looked at per page: a page of a million links costs no more
MIN_ARTICLE_WORDS = 50
# A page whose metadata says it is an article (og:type, JSON-LD @type, WordPress's post class)
# may be a short one: a blog post of two lines is read, and a digest of it is refused as too
# short, not as no article.
MIN_DECLARED_WORDS = 15
_ARTICLE_TYPE = re.compile(r'"@type"\s*:\s*\[?\s*"(?:\w*Article|BlogPosting|Report)"')
START_CHARS = 30  # a joined paragraph is scored as the page's line it starts with, this long


def _label(element: etree._Element) -> str:
    return " ".join(
        element.get(attr, "") for attr in ("class", "id", "aria-label", "data-component", "role")
    )


def _box(anchor: etree._Element, lead_ins: dict[etree._Element, bool]) -> str | None:
    """Where ``anchor`` stands (``Headline.box``): None inside navigation, a header or a footer,
    which never hold a story's follow-ups."""
    marked = False
    for parent in anchor.iterancestors():
        if parent.tag in ("nav", "header", "footer"):
            return None
        label = _label(parent)
        if parent.tag == "aside" or _RELATED_BLOCK.search(label):
            return "related"
        if _SKIP_BLOCK.search(label):
            marked = True
        if parent.tag in ("p", "li"):
            if parent not in lead_ins:  # once per paragraph, however many links it holds
                lead_ins[parent] = bool(_LEAD_IN.match(parent.text_content()[:100]))
            if lead_ins[parent]:
                return "related"
    return "marked" if marked else "page"


def page_links(tree: HtmlElement, base_url: str | None) -> list[Headline]:
    """Headline candidates: the page's links whose text reads as a headline (4 to 30 words),
    outside its navigation, header and footer, each with the box it stands in. The related
    headlines' scorer (``related.py``) decides which are about the same story."""
    own = urldefrag(base_url)[0].rstrip("/") if base_url else None
    found: dict[str, Headline] = {}
    lead_ins: dict[etree._Element, bool] = {}
    for number, anchor in enumerate(tree.iter("a")):
        if number >= _MAX_ANCHORS:
            break
        href = anchor.get("href")
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        text = " ".join(anchor.text_content()[:500].split())
        text = _AGO.sub("", _ALSO_ON.sub("", _LEAD_IN.sub("", text))).strip()
        if not _MIN_WORDS <= len(text.split()) <= _MAX_WORDS or text.lower() in found:
            continue
        box = _box(anchor, lead_ins)
        if box is None:
            continue
        resolved = joined(base_url or "", href)
        url = urldefrag(resolved)[0] if resolved else ""
        if not url.startswith(("http://", "https://")) or url.rstrip("/") == own:
            continue
        found[text.lower()] = Headline(title=text, url=url, box=box)
        if len(found) >= MAX_CANDIDATES:  # as many as the scorer looks at
            break
    return list(found.values())


# libxml2 stops building the tree 256 elements deep, so a page wrapped in thousands of <div>s
# loses its article. Wrappers past _MAX_DEPTH are dropped (their content stays) and the page is
# read again: a linear pass over the tags, only for pages that first gave no article.
_MAX_DEPTH = 200
_WRAPPER_TAG = re.compile(
    r"<(/?)(div|span|section|article|main|font|center|blockquote|table|tbody|tr|td|ul|ol|li|"
    r"b|i|em|strong|a|p)\b[^<>]{0,2000}>", re.IGNORECASE
)


def nesting_depth(html: str) -> int:
    """How deep the page's wrapper elements nest (as their tags say; unclosed ones count)."""
    depth = deepest = 0
    for match in _WRAPPER_TAG.finditer(html):
        depth = max(0, depth - 1) if match.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


def flatten(html: str, max_depth: int = _MAX_DEPTH) -> str:
    """``html`` without the wrapper tags that nest deeper than ``max_depth`` (content kept)."""
    stacks: dict[str, list[bool]] = {}  # per tag name: was each open tag kept?
    depth = 0
    pieces: list[str] = []
    position = 0
    for match in _WRAPPER_TAG.finditer(html):
        name = match.group(2).lower()
        stack = stacks.setdefault(name, [])
        if match.group(1):  # a closing tag: drop it if its opening tag was dropped
            kept = stack.pop() if stack else True
            if kept and depth > 0:
                depth -= 1
        else:
            kept = depth < max_depth
            stack.append(kept)
            depth += kept
        if not kept:
            pieces.append(html[position : match.start()])
            position = match.end()
    pieces.append(html[position:])
    return "".join(pieces)


# Markup that never holds article text: dropped before parsing (JSON-LD stays: it carries the
# headline, date and author; <noscript> stays: a blog platform may put the whole post there, as
# what a reader without scripts sees). What is left is capped, since the extractor costs ~4 s a
# MB on a page of bare links; no page of the 156 in the shared evaluation sets has over 1.1 MB
# left.
_INERT_OPEN = re.compile(r"<(script|style|svg|template)\b([^<>]{0,2000})>", re.I)
_INERT_CLOSE = {tag: re.compile(rf"</{tag}\s*>", re.I)
                for tag in ("script", "style", "svg", "template")}
MAX_MARKUP = 2_000_000


def strip_inert(html: str) -> str:
    """``html`` without scripts, styles, SVG and templates; one linear pass (an unclosed
    script, style or template ends the page, as it would in a browser; an unclosed SVG loses
    only its tag)."""
    pieces: list[str] = []
    position = 0
    svg_closes = True  # until a search finds no </svg> after some point: then none after any
    while True:
        opening = _INERT_OPEN.search(html, position)
        if opening is None:
            break
        tag = opening.group(1).lower()
        if tag == "script" and "ld+json" in opening.group(2).lower():
            pieces.append(html[position : opening.end()])
            position = opening.end()
            continue
        pieces.append(html[position : opening.start()])
        closing = (_INERT_CLOSE[tag].search(html, opening.end())
                   if tag != "svg" or svg_closes else None)
        if closing is None and tag == "svg":
            # An unclosed <svg> ends at the next HTML element (<p>, <div>, <h1> … end
            # foreign content): a browser shows what follows, so only its tag goes. Later
            # ones are not searched again, so a page of unclosed <svg>s stays one pass.
            svg_closes = False
            position = opening.end()
            continue
        if closing is None:
            return "".join(pieces)
        position = closing.end()
    pieces.append(html[position:])
    return "".join(pieces)


def extract_article(html: str, url: str | None = None, body: BodyChooser = body_lines
                    ) -> Article:
    """Main text and metadata of an HTML page; raises NotAnArticle when there is no story, and
    TooLarge when even without its scripts and styles the page is over ``MAX_MARKUP``.
    ``body`` is the content model that reads the page as a whole-page paste (``_Reading``)."""
    html = strip_inert(html)
    if len(html) > MAX_MARKUP:
        raise TooLarge.because("markup", size=len(html) / 1e6, limit=round(MAX_MARKUP / 1e6))
    try:
        return _extract(html, url, body)
    except NotAnArticle:
        if nesting_depth(html) <= _MAX_DEPTH:
            raise
        log.info("page nests deeper than %d elements: reading it flattened", _MAX_DEPTH)
        return _extract(flatten(html), url, body)


@dataclass(frozen=True, slots=True)
class _Extraction:
    """trafilatura's reading of a page, through the paste line rules."""

    document: Extracted
    lines: Reading  # the line rules' reading of its text
    title: str  # the headline the page shows (``page_headline``), else trafilatura's title
    paragraphs: tuple[str, ...]  # its lines, less the "Read more:" ones
    comments: int = 0  # how many of them, at the end, trafilatura read as readers' comments

    def scores(self, reading: _Reading | None) -> tuple[float, ...]:
        """The content model's score of each paragraph (none where there is no model's
        reading), readers' comments at 0: the summary and the key quotes never quote them while
        the article gives enough, though they stay in the body, as in ``trafilatura.extract``'s
        text (which now and then reads some of the article as comments)."""
        scores = reading.scores_of(self.paragraphs) if reading else ()
        if not self.comments:
            return scores
        article = len(self.paragraphs) - self.comments
        return (*(scores[:article] if scores else (1.0,) * article), *(0.0,) * self.comments)

    @property
    def words(self) -> int:
        return sum(word_count(p) for p in self.paragraphs)

    @classmethod
    def of(cls, tree: HtmlElement, url: str | None) -> _Extraction | None:
        """trafilatura's plain reading of ``tree`` (its default settings: the text
        ``trafilatura.extract`` gives, comments included), a line a paragraph, without the
        "Read more: …" lines, whose headlines are candidates. The line rules read it for
        those, and for the byline and dateline: the other lines they would drop (captions,
        credits, chrome) stay in the body, and so does a headline trafilatura kept, where the
        content model's scores keep them out of the summary."""
        document = trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_images=False, deduplicate=False)
        if not isinstance(document, Extracted) or not (document.text or "").strip():
            return None
        parts = [_SOURCE_WRAP.sub(" ", part or "") for part in (document.text, document.comments)]
        reading = read_lines("\n".join(part for part in parts if part), whole_page=False)
        read_more = {line for line, kind in zip(reading.lines, reading.kinds, strict=True)
                     if kind == "read_more"}
        article, comments = (continued([line for line in normalise_text(part).split("\n")
                                        if line and line not in read_more]) for part in parts)
        title = page_headline(tree, url, document.sitename, document.title,
                              tuple(article)) or _field(document.title, None) or ""
        return cls(document, reading, title, (*article, *comments), len(comments))


@dataclass(frozen=True, slots=True)
class _Reading:
    """The page laid out as a browser's copy gives it (``page_text``), read as a whole-page
    paste, and the lines ``body`` keeps, with their scores (None when the model defers)."""

    lines: tuple[str, ...]
    keep: tuple[bool, ...]
    scores: tuple[float, ...] | None
    byline: str | None  # the visible byline and dateline the line rules found
    date: str | None

    @classmethod
    def of(cls, tree: HtmlElement, body: BodyChooser) -> _Reading | None:
        try:
            text = page_text(tree)
            reading = read_lines(text)
        except (etree.LxmlError, ValueError):  # a page inscriptis cannot lay out: no check
            log.info("page could not be laid out as text: no content scores")
            return None
        keep, scores = body(reading)
        return cls(tuple(reading.lines), tuple(keep), None if scores is None else tuple(scores),
                   reading.byline, reading.date)

    def scores_of(self, paragraphs: Sequence[str]) -> tuple[float, ...]:
        """How sure the model is that each extracted paragraph is article text: the same
        line's score here, 0 when the model leaves that line out of the body; for a paragraph
        the extractor joined from several lines (a list item's link and its teaser), the score
        of the line it starts with; 1 when no line matches (the extractor split it). Empty when
        the model defers to the rules. The scores only keep doubtful paragraphs out of the
        summary (``Document.unsure``); the body is the extractor's."""
        if self.scores is None:
            return ()
        by_line: dict[str, float] = {}
        by_start: dict[str, float] = {}
        for line, kept, score in zip(self.lines, self.keep, self.scores, strict=True):
            key = line.lower()
            by_line[key] = max(by_line.get(key, 0.0), score if kept else 0.0)
            if len(key) >= START_CHARS:
                start = key[:START_CHARS]
                by_start[start] = max(by_start.get(start, 0.0), score if kept else 0.0)
        found = []
        for paragraph in paragraphs:
            # both sides are lines as read_lines leaves them: normalised, stripped; trafilatura
            # writes a list item with a "- " in front, which the page as shown does not have
            key = LIST_MARK.sub("", paragraph, count=1).lower()
            found.append(by_line[key] if key in by_line else by_start.get(key[:START_CHARS], 1.0))
        return tuple(found)


def _named_day(date: str | None, html: str) -> str | None:
    """The metadata's ``date``, less a 1 January the page never writes (``day_written``)."""
    return date if date and day_written(date, html) else None


def _extract(html: str, url: str | None, body: BodyChooser = body_lines) -> Article:
    # Parsed once: the extractor works on its own copy; the headline, the links and the
    # browser-like layout read this tree.
    tree = load_html(html)
    if tree is None:
        raise NotAnArticle("no article text found on that page")
    reading = _Reading.of(tree, body)
    chosen = _Extraction.of(tree, url)
    if chosen is None:
        raise NotAnArticle("no article text found on that page")
    words = chosen.words
    if words < (MIN_DECLARED_WORDS if declares_article(tree) else MIN_ARTICLE_WORDS):
        raise NotAnArticle(
            f"that page has only {words} words of text: a login wall, paywall or video page?"
        )
    found = chosen.document
    return Article(
        paragraphs=chosen.paragraphs,
        title=chosen.title or None,
        url=url,
        site=_site(found.sitename, url, chosen.title),
        # the metadata's, else the byline and dateline of the text, else of the page as shown
        date=iso_date(_named_day(found.date, html)) or iso_date(chosen.lines.date) or iso_date(
            reading.date if reading else None),
        byline=_author(found.author, found.sitename, url, author_of(chosen.lines.byline)
                       or author_of(reading.byline if reading else None)),
        candidates=_with_page_links(chosen.lines.candidates, tree, url),
        scores=chosen.scores(reading),
    )


def declares_article(tree: HtmlElement) -> bool:
    """Does the page's markup say it is an article (``og:type`` "article", a JSON-LD ``@type``
    such as NewsArticle or BlogPosting, or the ``single-post`` class WordPress gives the body
    of a post's own page)?"""
    body = tree.find("body")
    if body is not None and "single-post" in (body.get("class") or "").split():
        return True
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or "").lower()
        if key == "og:type" and (element.get("content") or "").strip().lower() == "article":
            return True
    return any("ld+json" in (script.get("type") or "").lower()
               and _ARTICLE_TYPE.search((script.text or "")[:MAX_JSON])
               for script in tree.iter("script"))


# A web address written out as a name, as metadata gives a site for its author and trafilatura
# tidies it: "Jungefreiheit De", "Www Proplanta De", "Autor www koffergepackt com"
_DOMAIN_NAME = re.compile(
    r"(?i)\bwww\b|\S\s+(?:com|net|org|de|at|ch|info|eu|fr|it|pl|br|cl|nl|es|uk|io)(?:\s+gmbh)?$")
# a company's legal form: "Mediagene Inc.", a publisher named as an author beside its writer
_COMPANY = re.compile(r"(?i)\b(?:inc|ltd|llc|gmbh|corp|corporation|limited)\.?$")
_SITE_IN = 5  # letters a name needs to count as the site's when the site's name holds it
# an account or a template's placeholder, no one's name: "Admin", "User", "Xxx", a comment
# form's "Unbenannt" or its field's label, "Name"
_PLACEHOLDER = ACCOUNT_NAMES | frozenset(
    "xxx author autor unbenannt untitled unknown unbekannt name".split())
_INITIALS = re.compile(r"[A-Z]{1,3}")  # "TK" beside "Tina Klostermeier", an agency's "AP"
# a byline's pieces, its name first: "Pete Evans · CBC News", "Natasha Daly •"
_BYLINE_PIECE = re.compile(r"\s*[•·|]\s*")


def _without_date(name: str) -> str:
    """A metadata name less the date words run on after it ("Laura E Adkins December",
    "GILLIAN MOHNEY March"), two words of a name left at least ("Theresa May" stays)."""
    words = name.split()
    while len(words) > 2 and date_token(words[-1].strip(DATELINE_PUNCTUATION)):
        words.pop()
    return " ".join(words)


def _author(metadata: str | None, sitename: str | None, url: str | None,
            visible: str | None) -> str | None:
    """The author: the metadata's (trafilatura's ``author``, names parted by ";", each the
    first piece of a byline's "·" or "•": "Pete Evans · CBC News"), less an account's or a
    template's placeholder ("Admin", "Xxx"), a name that is a web address written out, one
    made of a date's words alone ("January", read from "January 17, 2017 at 6:08 PM ET by Kori
    Schulman") and initials beside a name ("Tina Klostermeier; TK"), each name less the date
    run on after it; else the ``visible`` byline. A name that is the site's own ("Badische
    Zeitung" on badische-zeitung.de; "Condé Nast" on a site whose stated name is "Copyright
    (c) Condé Nast 2022") or a company's ("Mediagene Inc.") gives way to the other names (but
    the town and country of its address: "Hessenschau De; Frankfurt; Germany"), then to the
    visible byline; with neither, it is a blog's author ("Creeny" on creeny.wordpress.com) and
    stands."""
    names = [next((piece for piece in _BYLINE_PIECE.split(name) if piece.strip()), "").strip()
             for name in (metadata or "").split(";")]
    names = [_without_date(name) for name in names if name and name.lower() not in _PLACEHOLDER
             and not all(map(date_token, (w.strip(DATELINE_PUNCTUATION) for w in name.split())))]
    if not all(_INITIALS.fullmatch(name) for name in names):  # initials beside a name go
        names = [name for name in names if not _INITIALS.fullmatch(name)]
    site = set(site_keys([sitename, site_name(url)], url))  # "Badische Zeitung", the host

    def publisher(name: str) -> bool:
        key = site_key(name)  # the site's own, or held in its name ("Copyright (c) Condé Nast")
        return bool(_DOMAIN_NAME.search(name) or _COMPANY.search(name) or key in site or (
            len(key) >= _SITE_IN and any(key in stated for stated in site)))

    sites = [name for name in names if publisher(name)]
    people = [name for name in names if name not in sites]
    if sites and all(word_count(name) == 1 for name in people):
        people = []  # beside the site's name, its town and country ("Frankfurt; Germany")
    if people:
        return "; ".join(people)
    return visible or next((name for name in sites if not _DOMAIN_NAME.search(name)), None)


def _field(value: str | None, fallback: str | None) -> str | None:
    """A metadata field as trafilatura found it, stripped, or ``fallback`` when it is empty."""
    return (value or "").strip() or fallback


def _site(sitename: str | None, url: str | None, title: str | None) -> str | None:
    """The site's name as the page states it, else its address's host. No name to show: one
    that is itself an address ("https://www.facebook.com/TheFederalistPapers/", a publisher's
    page), a copyright line ("Copyright © 2001-2009"), the home page's link ("Start"), a date or
    a heading that holds one, or a name that holds the article's own headline ("US-Sport in
    Zeiten von Corona - ZDFmediathek")."""
    name = _field(sitename, None)
    if name and not (_ADDRESS.search(name) or _NOT_A_SITE.search(name) or _DATED.search(name)
                     or not any(c.isalpha() for c in name)
                     or (title and title.casefold() in name.casefold())):
        return name
    return site_name(url) or name


def _with_page_links(found: Sequence[Headline], tree: HtmlElement, url: str | None
                     ) -> tuple[Headline, ...]:
    """The candidates found in the page's text, then its links (a link replaces a pasted line
    with the same headline)."""
    candidates = {h.title.lower(): h for h in found}
    for headline in page_links(tree, url):
        candidates[headline.title.lower()] = headline
    return tuple(candidates.values())
