"""build a Digest: the one place that knows the order of the steps.

``Digester`` is the API the CLI and the bot call. It is thread-safe (the bot runs it in worker
threads off the event loop) and loads the model once, on first use::

    digester = Digester(SummariserSettings.from_env())
    digester.from_text(pasted)             # pasted article or whole-page paste
    digester.from_html(html, url)          # a page you fetched yourself
    digester.from_url("https://...")       # safe fetch, then as above
    digester.from_bytes(data, "a.txt")     # an uploaded file: .txt or .html

Each returns a ``Digest`` or raises a ``DigestError`` with a short reason.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from summariser.config import SummariserSettings
from summariser.encoder import get_encoder
from summariser.errors import (
    EmptyInput,
    NotAnArticle,
    TooLong,
    TooShort,
    UnsupportedInput,
)
from summariser.extract import extract_article
from summariser.fetch import Fetcher, Resolver, site_name
from summariser.headlines import rank_related, same_story, story_text
from summariser.models import Article, Digest, Headline
from summariser.paste import parse_paste
from summariser.quotes import key_quotes
from summariser.sentences import split_sentences
from summariser.summarise import (
    SUMMARISERS,
    Document,
    Summariser,
    adaptive_count,
    fits_reduction,
    resolve_method,
    summary_words,
)

log = logging.getLogger(__name__)

MIN_SENTENCES = 2
_HTML_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def decode_upload(data: bytes, name: str = "") -> str:
    """Bytes of an uploaded or piped file -> text; refuses binary and non-UTF-8 data."""
    if not data.strip():
        raise EmptyInput("the file is empty")
    if b"\x00" in data[:4096] or len(_CONTROL.findall(data[:4096].decode("latin-1"))) > 8:
        raise UnsupportedInput("that file is not text (binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnsupportedInput("that file is not UTF-8 text") from exc


def looks_like_html(text: str, name: str = "") -> bool:
    return name.lower().endswith((".html", ".htm", ".xhtml")) or bool(_HTML_START.match(text))


@dataclass(frozen=True, slots=True)
class StoryPrint:
    """What the bot stores to find the same story later: opaque bytes plus the text they encode."""

    vector: bytes
    text: str


class Digester:
    """Text, HTML or a URL in; a Digest out. One per process; safe to share across threads."""

    def __init__(
        self, settings: SummariserSettings | None = None, resolver: Resolver | None = None
    ) -> None:
        self.settings = settings or SummariserSettings()
        self.fetcher = Fetcher(self.settings, resolver)
        self._summarisers: dict[str, Summariser] = {}
        self._lock = threading.Lock()

    @property
    def encoder(self):
        return get_encoder(self.settings.model, self.settings.device)

    def warm_up(self) -> float:
        """Load the model now; returns the seconds it took (0 if already loaded)."""
        started = time.perf_counter()
        self.encoder.load()
        self.summariser(self.settings.method)
        return time.perf_counter() - started

    def summariser(self, method: str | None = None) -> Summariser:
        name = resolve_method(method or self.settings.method)
        with self._lock:
            if name not in self._summarisers:
                self._summarisers[name] = SUMMARISERS[name](self.settings)
            return self._summarisers[name]

    # -- entry points -------------------------------------------------------------------------

    def from_text(
        self, text: str, *, url: str | None = None, method: str | None = None,
        sentences: int | None = None,
    ) -> Digest:
        started = time.perf_counter()
        if not text or not text.strip():
            raise EmptyInput("there is no text to summarise")
        if looks_like_html(text):
            return self.from_html(text, url, method=method, sentences=sentences)
        article = parse_paste(text, url=url, site=site_name(url))
        raw_words = len(text.split())
        if article.words == 0 and raw_words < self.settings.min_words:
            raise TooShort(f"too short to summarise ({raw_words} words); it is already brief")
        return self.from_article(article, method=method, sentences=sentences, started=started)

    def from_html(
        self, html: str, url: str | None = None, *, method: str | None = None,
        sentences: int | None = None,
    ) -> Digest:
        started = time.perf_counter()
        if not html.strip():
            raise EmptyInput("the page is empty")
        article = extract_article(html, url)
        return self.from_article(article, method=method, sentences=sentences, started=started)

    def from_url(
        self, url: str, *, method: str | None = None, sentences: int | None = None
    ) -> Digest:
        started = time.perf_counter()
        page = self.fetcher.fetch(url)
        if page.is_html:
            article = extract_article(page.text, page.url)
        else:
            article = parse_paste(page.text, url=page.url, site=site_name(page.url))
        return self.from_article(article, method=method, sentences=sentences, started=started)

    def from_bytes(
        self, data: bytes, name: str = "", *, method: str | None = None,
        sentences: int | None = None,
    ) -> Digest:
        text = decode_upload(data, name)
        if looks_like_html(text, name):
            return self.from_html(text, method=method, sentences=sentences)
        return self.from_text(text, method=method, sentences=sentences)

    # -- the pipeline -------------------------------------------------------------------------

    def from_article(
        self, article: Article, *, method: str | None = None, sentences: int | None = None,
        started: float | None = None,
    ) -> Digest:
        started = started or time.perf_counter()
        settings = self.settings
        words = article.words
        if words == 0:
            raise NotAnArticle("no article text found: is this a list of links or a menu?")
        if words > settings.max_words:
            raise TooLong(
                f"that is {words:,} words; the limit is {settings.max_words:,}"
            )
        if words < settings.min_words:
            raise TooShort(f"too short to summarise ({words} words); it is already brief")
        body = split_sentences(article.paragraphs)
        if len(body) <= MIN_SENTENCES:
            raise TooShort(f"too short to summarise ({len(body)} sentences)")

        summariser = self.summariser(method)
        document = Document(tuple(body), article.title)
        count = sentences or adaptive_count(words)
        picks = summariser.select(document, count)
        while not sentences and len(picks) > MIN_SENTENCES and not fits_reduction(
            words, summary_words(body, picks)
        ):
            count = len(picks) - 1
            picks = summariser.select(document, count)
        picked_words = summary_words(body, picks)
        if not fits_reduction(words, picked_words):
            raise TooShort(
                f"too short to summarise: a {len(picks)}-sentence summary would not be "
                "much shorter than the article"
            )

        quotes = key_quotes(article.paragraphs, limit=settings.max_quotes)
        lead = [s.text for s in body[:3]]
        related = rank_related(
            article.candidates, article.title, lead, self.encoder, limit=settings.max_related
        )
        return Digest(
            title=article.title,
            url=article.url,
            site=article.site,
            date=article.date,
            summary=tuple(body[i].text for i in picks),
            quotes=tuple(quotes),
            related=tuple(headline for headline, _ in related),
            words=words,
            summary_words=picked_words,
            method=summariser.name,
            text=article.text,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        )


    # -- the same story, earlier ------------------------------------------------------------

    def story_print(self, digest: Digest) -> StoryPrint:
        """A fingerprint of what ``digest`` is about, to store and compare later."""
        text = story_text(digest.title, digest.summary)
        vector = self.encoder.encode([text])[0].astype(np.float32)
        return StoryPrint(vector.tobytes(), text)

    def with_earlier(
        self,
        digest: Digest,
        story: StoryPrint,
        earlier: Sequence[tuple[Headline, StoryPrint]],
        limit: int = 2,
    ) -> Digest:
        """``digest`` plus up to ``limit`` earlier headlines about the same story."""
        seen = {h.title.lower() for h in digest.related} | {(digest.title or "").lower()}
        seen_urls = {h.url for h in digest.related if h.url} | {digest.url}
        pool = [
            (replace(h, origin="earlier"), np.frombuffer(p.vector, dtype=np.float32), p.text)
            for h, p in earlier
            if h.title.lower() not in seen and (h.url is None or h.url not in seen_urls)
        ]
        vector = np.frombuffer(story.vector, dtype=np.float32)
        matches = same_story(vector, story.text, pool, limit=limit)
        return replace(digest, related=digest.related + tuple(matches)) if matches else digest
