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

import codecs
import logging
import re
import threading
import time
from collections.abc import Sequence
from html import unescape as html_unescape
from typing import TYPE_CHECKING

import numpy as np

from summariser.config import SummariserSettings
from summariser.document import Document
from summariser.encoder import Encoder, encoder_for, headline_encoder_for
from summariser.errors import (
    EmptyInput,
    NotAnArticle,
    TooLarge,
    TooLong,
    TooShort,
    UnsupportedInput,
    megabytes,
)
from summariser.guard import Guard
from summariser.language import detect_language, sample
from summariser.models import Article, Digest, Summary, word_count
from summariser.multilingual import LANGUAGES, installed
from summariser.page_meta import author_of, iso_date
from summariser.paste import parse_paste
from summariser.quotes import key_quotes
from summariser.related import gets_related, rank_related
from summariser.summarise import (
    SUMMARISERS,
    Abstractive,
    Summariser,
    adaptive_count,
    fits_reduction,
    resolve_method,
    summary_words,
)
from summariser.urls import site_name

if TYPE_CHECKING:
    from summariser.fetch import Fetcher, Resolver

log = logging.getLogger(__name__)

MIN_SENTENCES = 2
EXTRACTIVE_FALLBACK = "minilm"
_HTML_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
# text saved as UTF-32 or UTF-16 behind its byte-order mark (UTF-32's first, which begins as
# UTF-16's little-endian mark does)
_WIDE_UNICODE = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                 (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_upload(data: bytes, name: str = "") -> str:
    """Bytes of an uploaded or piped file -> text; refuses binary data, and text that is not
    UTF-8 (or UTF-16 or UTF-32 behind a byte-order mark) unless it is a web page: a page saved
    from a browser keeps the page's own encoding (ISO-8859-1, windows-1252 …) and says which,
    and is read as a fetched page is."""
    for mark, codec in _WIDE_UNICODE:  # Notepad's "Unicode" is UTF-16 with its byte-order mark
        if data.startswith(mark):
            try:
                data = data.decode(codec).encode("utf-8")
            except UnicodeDecodeError as exc:
                raise UnsupportedInput.because("not_utf8") from exc
            break
    if not data.strip():
        raise EmptyInput("the file is empty")
    if b"\x00" in data or len(_CONTROL.findall(data[:4096].decode("latin-1"))) > 8:
        raise UnsupportedInput.because("binary_file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if looks_like_html(data[:1024].decode("latin-1"), name):
            from summariser.fetch import decode_page  # the HTTP stack only for such a page

            return decode_page(data)
        raise UnsupportedInput.because("not_utf8") from exc


def _text_given(method: str, text: object) -> None:
    """A caller's mistake said plainly: bytes (a file's, a response's) go to ``from_bytes``,
    which reads their encoding; a regex's "cannot use a string pattern" said nothing."""
    if isinstance(text, (bytes, bytearray)):
        raise TypeError(f"{method} takes text (str); give bytes to from_bytes, which decodes "
                        "them")
    if text is not None and not isinstance(text, str):
        raise TypeError(f"{method} takes text (str), not {type(text).__name__}")


# A page's own address, as it names it in its head: <link rel="canonical" href=...>, else
# <meta property="og:url" content=...>. Tags are matched one at a time, each at most 2,000
# characters, in the first MAX_HEAD characters: linear in the page.
MAX_HEAD = 300_000
_HEAD_TAG = re.compile(r"<(link|meta)\b([^<>]{0,2000})>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def own_url(html: str) -> str | None:
    """The http(s) address a saved page gives for itself (canonical link, else ``og:url``), so
    its relative links resolve and "same site" means its site; None when it names none."""
    found: dict[str, str] = {}
    for tag in _HEAD_TAG.finditer(html[:MAX_HEAD]):
        attributes = {m.group(1).lower(): html_unescape(m.group(2) or m.group(3) or m.group(4)
                                                        or "").strip()
                      for m in _ATTRIBUTE.finditer(tag.group(2))}
        if tag.group(1).lower() == "link" and "canonical" in attributes.get("rel", "").lower(
                ).split():
            found.setdefault("canonical", attributes.get("href", ""))
        elif attributes.get("property", attributes.get("name", "")).lower() == "og:url":
            found.setdefault("og", attributes.get("content", ""))
    for key in ("canonical", "og"):
        url = found.get(key, "")
        if url.startswith(("http://", "https://")) and " " not in url:
            return url
    return None


def looks_like_html(text: str, name: str = "") -> bool:
    """Is ``text`` (from a file called ``name``) a web page rather than pasted text?"""
    return name.lower().endswith((".html", ".htm", ".xhtml")) or bool(_HTML_START.match(text))


def _counted(count: int, noun: str) -> str:
    """A count as a reason says it: "1 word", "3 words"."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


class Digester:
    """Text, HTML or a URL in; a Digest out. One per process; safe to share across threads."""

    def __init__(
        self, settings: SummariserSettings | None = None, resolver: Resolver | None = None
    ) -> None:
        self.settings = settings or SummariserSettings()
        self._resolver = resolver
        self._fetcher: Fetcher | None = None
        self._summarisers: dict[str, Summariser] = {}
        self._lock = threading.Lock()

    @property
    def fetcher(self) -> Fetcher:
        """The safe fetcher; imported on first use, so pasted text never loads the HTTP stack."""
        if self._fetcher is None:
            from summariser.fetch import Fetcher

            self._fetcher = Fetcher(self.settings, self._resolver)
        return self._fetcher

    @property
    def encoder(self) -> Encoder:
        """The sentence encoder these settings name (one per process, loaded on first use)."""
        return encoder_for(self.settings)

    @property
    def headline_encoder(self) -> Encoder:
        """The encoder for a page's link headlines (``headline_encoder_for``)."""
        return headline_encoder_for(self.settings)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of ``texts``, one row each, float32: for comparing stories outside a
        digest (the bot's "Earlier in this server")."""
        return self.encoder.encode(list(texts)).astype(np.float32)

    def warm_up(self, method: str | None = None) -> float:
        """Load the encoder and ``method``'s model now; returns the seconds it took."""
        started = time.perf_counter()
        self.encoder.load()
        self.headline_encoder.load()
        if self.multilingual:
            # Its weights (~115 MB, ~2 s) load with the first article not in English: English
            # input never loads a model it does not use.
            self.summariser("multilingual")
        summariser = self.summariser(method)
        if isinstance(summariser, Abstractive):
            summariser.load()
        return time.perf_counter() - started

    @property
    def multilingual(self) -> bool:
        """Are articles not in English summarised by the multilingual scorer? (The default
        summariser asked for, the optional extra installed, ``SUMMARISER_MULTILINGUAL`` not
        ``off``.)"""
        settings = self.settings
        return (settings.multilingual != "off" and settings.method in ("minilm", "default")
                and installed())

    def method_for(self, method: str | None, lang: str | None) -> str | None:
        """The summariser for an article in ``lang`` when ``method`` was asked for: the
        multilingual scorer for the default and another of its encoder's languages, else
        ``method`` itself. English, and text whose language is unsure, keep MiniLM."""
        if method is None and lang in LANGUAGES and self.multilingual:
            return "multilingual"
        return method

    def language_of(self, article: Article) -> str | None:
        """The language ``article`` is digested in (``None`` where the detector cannot tell)."""
        return detect_language(sample((article.title or "", *article.paragraphs)))

    def reads_body(self, lang: str | None) -> bool:
        """Does an article in ``lang`` have MiniLM's vectors of its body once summarised (the
        default summariser's, not the multilingual scorer's)?"""
        return self.method_for(None, lang) != "multilingual"

    def use(self, name: str, summariser: Summariser) -> None:
        """Serve ``name`` with a summariser you built yourself (e.g. a model loaded your way)."""
        with self._lock:
            self._summarisers[name] = summariser

    def summariser(self, method: str | None = None) -> Summariser:
        """The summariser ``method`` names (the settings' default when None), built once."""
        name = method or self.settings.method
        with self._lock:
            if name in self._summarisers:
                return self._summarisers[name]
        name = resolve_method(name)
        with self._lock:
            if name not in self._summarisers:
                self._summarisers[name] = SUMMARISERS[name](self.settings)
            return self._summarisers[name]

    # -- entry points -------------------------------------------------------------------------

    def check_size(self, text: str) -> int:
        """Refuse text that is empty, binary or over the caps before any parsing starts;
        returns its word count. Linear, and cheap next to what it protects."""
        if not text or not text.strip():
            raise EmptyInput("there is no text to summarise")
        if "\x00" in text:
            raise UnsupportedInput.because("binary_text")
        settings = self.settings
        if len(text) > settings.max_chars:
            raise TooLong.because("characters", count=len(text), limit=settings.max_chars)
        words = word_count(text)
        # A whole-page paste carries menus and lists besides the article: allow half as much
        # again here; the article itself is held to max_words once it is cut out.
        if words > settings.max_words * 3 // 2:
            raise TooLong.because("words", count=words, limit=settings.max_words)
        return words

    def from_text(
        self, text: str, *, url: str | None = None, method: str | None = None,
        sentences: int | None = None,
    ) -> Digest:
        """Digest pasted text: an article, a whole-page paste, or HTML (read as a page)."""
        _text_given("from_text", text)
        if looks_like_html(text or ""):
            return self.from_html(text, url, method=method, sentences=sentences)
        return self._from_paste(text, url, method, sentences)

    def _from_paste(self, text: str, url: str | None, method: str | None,
                    sentences: int | None, started: float | None = None) -> Digest:
        started = started or time.perf_counter()
        raw_words = self.check_size(text)
        article = parse_paste(text, url=url, site=site_name(url))
        if article.words == 0 and raw_words < self.settings.min_words:
            raise TooShort(f"too short to summarise ({_counted(raw_words, 'word')}); it is "
                           "already brief")
        return self.from_article(article, method=method, sentences=sentences, started=started)

    def from_html(
        self, html: str, url: str | None = None, *, method: str | None = None,
        sentences: int | None = None,
    ) -> Digest:
        """Digest an HTML page you already have; ``url`` (default: the address the page gives
        for itself, ``own_url``) resolves its links."""
        started = time.perf_counter()
        _text_given("from_html", html)
        if not html.strip():
            raise EmptyInput("the page is empty")
        if len(html) > self.settings.max_bytes:
            raise TooLarge.because("page", limit=megabytes(self.settings.max_bytes))
        if "\x00" in html:
            raise UnsupportedInput.because("binary_page")
        from summariser.extract import extract_article  # trafilatura loads on the first page

        article = extract_article(html, url or own_url(html))
        return self.from_article(article, method=method, sentences=sentences, started=started)

    def from_url(
        self, url: str, *, method: str | None = None, sentences: int | None = None
    ) -> Digest:
        """Fetch ``url`` through the safe fetcher, then digest the page or text."""
        started = time.perf_counter()
        page = self.fetcher.fetch(url)
        if not page.is_html:  # plain text: its caps are checked before it is read, as a paste's
            return self._from_paste(page.text, page.url, method, sentences, started)
        from summariser.extract import extract_article

        article = extract_article(page.text, page.url)
        return self.from_article(article, method=method, sentences=sentences, started=started)

    def from_bytes(
        self, data: bytes, name: str = "", *, url: str | None = None,
        method: str | None = None, sentences: int | None = None,
    ) -> Digest:
        """Digest an uploaded or piped file: UTF-8 text or HTML, by name and content; ``url``
        is where it came from (for a page, default: the address it gives for itself)."""
        text = decode_upload(data, name)
        if looks_like_html(text, name):
            return self.from_html(text, url, method=method, sentences=sentences)
        return self._from_paste(text, url, method, sentences)

    # -- the pipeline -------------------------------------------------------------------------

    def from_article(
        self, article: Article, *, method: str | None = None, sentences: int | None = None,
        started: float | None = None,
    ) -> Digest:
        """Digest an article whose body is already known: the pipeline after extraction."""
        started = started or time.perf_counter()
        settings = self.settings
        words = article.words
        if words == 0:
            raise NotAnArticle("no article text found: is this a list of links or a menu?")
        if words > settings.max_words:
            raise TooLong.because("words", count=words, limit=settings.max_words)
        if words < settings.min_words:
            raise TooShort(f"too short to summarise ({_counted(words, 'word')}); it is already "
                           "brief")
        lang = self.language_of(article)
        document = Document.of(article, lang)
        if len(document.sentences) <= MIN_SENTENCES:
            raise TooShort("too short to summarise "
                           f"({_counted(len(document.sentences), 'sentence')})")

        summary = self.summary_for(document, self.method_for(method, lang), sentences,
                                   words=words)

        quotes = key_quotes(article.paragraphs, limit=settings.max_quotes, lang=lang,
                            title=article.title, unsure=document.unsure)
        # MiniLM's vectors of the body come free where the summary read them; an article the
        # multilingual scorer summarised is compared by its title and lead alone
        related = rank_related(article.candidates, document, self.encoder, article.url,
                               limit=settings.max_related, headlines=self.headline_encoder,
                               body=document.has_vectors(self.encoder), lang=lang,
                               ) if gets_related(lang) else []
        return Digest(
            title=article.title,
            url=article.url,
            site=article.site,
            date=iso_date(article.date),
            author=author_of(article.byline),
            summary=summary.sentences,
            quotes=tuple(quotes),
            related=tuple(headline for headline, _ in related),
            words=words,
            summary_words=summary.words,
            method=summary.method,
            abstractive=summary.abstractive,
            notes=summary.notes,
            lang=lang,
            text=article.text,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    def summary_for(
        self, document: Document, method: str | None = None, sentences: int | None = None,
        *, words: int | None = None,
    ) -> Summary:
        """Summarise ``document`` with ``method``: exactly ``sentences`` sentences when given,
        else the adaptive length trimmed until the summary is at least 40% shorter.
        Abstractive methods run behind the faithfulness guard, falling back to the default
        extractive summariser when too little of what they wrote is supported."""
        summariser = self.summariser(method)
        words = words or document.words
        count = sentences or adaptive_count(words)
        if isinstance(summariser, Abstractive):
            return self._guarded(document, summariser, count, sentences, words)
        picks = summariser.select(document, count)
        while not sentences and len(picks) > MIN_SENTENCES and not fits_reduction(
            words, summary_words(document.sentences, picks)
        ):
            picks = summariser.select(document, len(picks) - 1)
        if not sentences and not fits_reduction(words, summary_words(document.sentences, picks)):
            raise TooShort(
                f"too short to summarise: a {len(picks)}-sentence summary would not be "
                "much shorter than the article"
            )
        return Summary(tuple(document.sentences[i].text for i in picks), summariser.name)

    def _guarded(self, document: Document, writer: Abstractive, count: int,
                 sentences: int | None, words: int) -> Summary:
        try:
            generated = writer.write(document, count)
        except TooLong as exc:
            log.info("%s gave up: %s", writer.name, exc.reason)
            return self._fallback(document, writer, sentences, words,
                                  f"The article was too long for the {writer.name} summariser, "
                                  "so these sentences are quoted from the article instead.")
        vectors, _ = document.embeddings(self.encoder)
        article = " ".join(s.text for s in document.sentences)
        generation = self.settings.generation
        guard = Guard(self.encoder, generation.guard_threshold, generation.guard_coverage)
        verdicts = guard.check(generated, article, vectors)
        kept = [v.sentence for v in verdicts if v.ok]
        dropped = [v for v in verdicts if not v.ok]
        for verdict in dropped:
            log.info("guard dropped %r: %s", verdict.sentence, verdict.reason)
        rejected = tuple((v.sentence, v.reason) for v in dropped)
        while len(kept) > 1 and not fits_reduction(words, sum(word_count(k) for k in kept)):
            kept.pop()
        if not kept or len(kept) < min(MIN_SENTENCES, len(generated)):
            return self._fallback(document, writer, sentences, words,
                                  f"The {writer.name} summary failed the faithfulness check "
                                  f"({len(dropped)} of {len(generated)} sentences unsupported), "
                                  "so these sentences are quoted from the article instead.",
                                  len(generated), rejected)
        notes = ((f"{len(dropped)} generated sentence(s) were left out: the article did not "
                  "support them.",) if dropped else ())
        return Summary(tuple(kept), writer.name, True, notes, len(generated), rejected)

    def _fallback(self, document: Document, writer: Abstractive, sentences: int | None,
                  words: int, note: str, generated: int = 0,
                  rejected: tuple[tuple[str, str], ...] = ()) -> Summary:
        """The extractive summary in place of ``writer``'s, with ``note`` saying why."""
        fallback = self.summary_for(document, EXTRACTIVE_FALLBACK, sentences, words=words)
        return Summary(fallback.sentences, f"{fallback.method} (fallback from {writer.name})",
                       False, (note,), generated, rejected)
