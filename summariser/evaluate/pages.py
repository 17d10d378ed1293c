"""``pages``: how a page is read, ours beside plain trafilatura in one run, per language.

For any shared page set (``extraction-dev/``, ``pages-readability/``, ``pages-postlight/``,
``pages-trafilatura/``: ``ground-truth.json`` + ``html/<id>.html.gz``), each page is read as
HTML by ``extract_article`` and by plain trafilatura (``trafilatura.extract`` for the body, its
metadata for the title, author and date), and the page pasted whole (the text a browser's
select-all + copy gives, ``page_text``) by ``parse_paste``. Measured where the set knows it:

* body: token F1 against ``articleBody``; the share of the ``with`` snippets found and of the
  ``without`` snippets kept out (collapsed whitespace, a case-sensitive substring test, as
  trafilatura's own evaluation scores them); the share of pages whose ``content_start`` (its
  first eight words) is in the text;
* title: right as ``title_matches`` reads it (the headline, with or without the site's name),
  and exact (the same words in the same order);
* author: the same name words (function words such as "by" and "von" aside);
* date: the same day (ISO ``YYYY-MM-DD``).

``--part held-out`` scores only the sites ``held_out`` sets aside (a fifth, by a hash of the
site's name); ``--part dev`` the others. That fifth was scored several times while the reading
was tuned, so a second fifth, drawn by another hash (``final``), is kept for the last word on a
change: ``--part final`` scores it, ``--part not-final`` the rest. Choices tuned on the pages
are reported by cross-validation grouped by site (``training/tune_pages.py``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from summariser.evaluate.files import Output, read_html
from summariser.evaluate.pastes import shown_tokens, title_matches
from summariser.page_meta import author_of, iso_date
from summariser.words import token_prf, tokens

HELD_OUT = 5  # one site in this many is held out
FINAL_SALT = "final:"  # the second held-out fifth: the site's hash with this before its name
PARTS = ("all", "dev", "held-out", "final", "not-final")
START_WORDS = 8  # words of ``content_start`` looked for in the body
READERS = ("ours", "trafilatura", "ours_paste")
_HTML_LANG = re.compile(r"<html\b[^>]{0,500}?\blang\s*=\s*[\"']?([a-zA-Z]{2})", re.IGNORECASE)
_NAME_FILLER = frozenset("by von por par and und y et da de van der le la".split())


def site_of(expected: dict[str, Any], meta: dict[str, Any] | None, page_id: str) -> str:
    """The site a page comes from, as the data names it or its address gives it."""
    site = (meta or {}).get("site") or expected.get("site")
    if not site or site == "None":
        url = expected.get("url") or ""
        # no address: the page's name less its number ("nytimes-2": nytimes)
        site = urlsplit(url).hostname or re.sub(r"-\d+$", "", page_id)
    site = str(site).lower()
    return site[4:] if site.startswith("www.") else site


def held_out(site: str, salt: str = "") -> bool:
    """Is ``site`` in the held-out split (a fifth of the sites by a hash of ``salt`` and its
    name; ``FINAL_SALT`` gives the final one)?"""
    key = (salt + site).encode("utf-8")
    return int(hashlib.sha1(key).hexdigest()[:8], 16) % HELD_OUT == 0


def in_part(site: str, part: str) -> bool:
    """Is ``site`` in ``part`` (one of ``PARTS``)?"""
    if part == "all":
        return True
    if part in ("final", "not-final"):
        return held_out(site, FINAL_SALT) == (part == "final")
    return held_out(site) == (part == "held-out")


def language(expected: dict[str, Any], html: str) -> str:
    """The page's language: the data's, else the page's own ``<html lang>``, else "?"."""
    lang = expected.get("lang")
    if lang and lang != "None":
        return str(lang)[:2].lower()
    match = _HTML_LANG.search(html[:20_000])
    return match.group(1).lower() if match else "?"


def _collapse(text: str) -> str:
    return " ".join(text.split())


def snippets_found(text: str, snippets: list[str]) -> int:
    """How many of ``snippets`` occur in ``text`` (whitespace collapsed, case kept)."""
    collapsed = _collapse(text)
    return sum(_collapse(s) in collapsed for s in snippets if s.strip())


def author_matches(found: str | None, gold: str) -> bool:
    """Is ``found`` the gold author (the same name words, "by", "von", "and" … aside)?"""
    def words(text: str) -> set[str]:
        return {t for t in tokens(text) if t not in _NAME_FILLER}
    return bool(found) and words(found or "") == words(gold) and bool(words(gold))


def date_matches(found: str | None, gold: str) -> bool:
    """Is ``found`` the gold date's day (both ISO 8601)?"""
    return bool(found) and (found or "")[:10] == gold[:10]


@dataclass(frozen=True, slots=True)
class Read:
    """What one reader made of a page."""

    text: str
    title: str | None
    author: str | None
    date: str | None


def _ours(html: str, url: str | None) -> Read:
    """``extract_article``; the author and date as the digest gives them."""
    from summariser.errors import DigestError
    from summariser.extract import extract_article

    try:
        article = extract_article(html, url)
    except DigestError:
        return Read("", None, None, None)
    return Read(article.text, article.title, author_of(article.byline), iso_date(article.date))


def _plain(html: str, url: str | None) -> Read:
    import trafilatura

    text = trafilatura.extract(html, url=url) or ""
    document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if document is None or isinstance(document, dict):
        return Read(text, None, None, None)
    return Read(text, document.title, document.author, document.date)


def _paste(html: str, url: str | None) -> Read:
    from summariser.page_text import page_text
    from summariser.paste import parse_paste

    try:
        article = parse_paste(page_text(html), url=url)
    except ValueError:
        return Read("", None, None, None)
    return Read(article.text, article.title, author_of(article.byline), iso_date(article.date))


READ: dict[str, Callable[[str, str | None], Read]] = {
    "ours": _ours, "trafilatura": _plain, "ours_paste": _paste}


def _pages(directory: Path, part: str, limit: int | None
           ) -> Iterator[tuple[str, dict[str, Any], str, str]]:
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    meta_path = directory / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    given = 0
    for page_id, expected in sorted(truth.items()):
        path = directory / "html" / f"{page_id}.html.gz"
        if not path.exists():
            continue
        site = site_of(expected, meta.get(page_id), page_id)
        if not in_part(site, part):
            continue
        if limit is not None and given >= limit:
            return
        given += 1
        yield page_id, expected, site, read_html(path)


def score(read: Read, expected: dict[str, Any]) -> dict[str, tuple[float, int]]:
    """The measures one reading of one page gets (only those its data knows), each as (what
    it got, out of how many): snippets are pooled over pages, as trafilatura's evaluation
    counts them; every other measure counts a page once."""
    found: dict[str, tuple[float, int]] = {}
    if expected.get("articleBody"):
        found["f1"] = token_prf(read.text, expected["articleBody"])[2], 1
    with_ = [s for s in expected.get("with") or [] if s.strip()]
    without = [s for s in expected.get("without") or [] if s.strip()]
    if with_:
        found["with"] = snippets_found(read.text, with_), len(with_)
    if without:
        found["without"] = len(without) - snippets_found(read.text, without), len(without)
    start = " ".join((expected.get("content_start") or "").split()[:START_WORDS])
    if start:
        found["start"] = float(start in _collapse(read.text)), 1
    gold_title = expected.get("title")
    if gold_title and gold_title != "None":
        found["title"] = float(title_matches(read.title, gold_title)), 1
        found["title_exact"] = float(bool(read.title) and shown_tokens(read.title or "")
                                     == shown_tokens(gold_title)), 1
    if expected.get("author") and expected["author"] != "None":
        found["author"] = float(author_matches(read.author, expected["author"])), 1
    if expected.get("date") and expected["date"] != "None":
        found["date"] = float(date_matches(read.date, expected["date"])), 1
    return found


MEASURES = ("f1", "with", "without", "start", "title", "title_exact", "author", "date")


def evaluate_pages(directory: Path, predictions: Path | None, part: str = "all",
                   limit: int | None = None) -> dict[str, Any]:
    """Each page of ``directory`` read by every reader of ``READ``; the mean of each measure,
    per language and over all, per reader."""
    sums: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(lambda: [0.0, 0.0, 0.0])))
    counts: dict[str, int] = defaultdict(int)
    out = Output(predictions)
    for page_id, expected, site, html in _pages(directory, part, limit):
        lang = language(expected, html)
        counts[lang] += 1
        counts["all"] += 1
        url = expected.get("url")
        url = url if url and url != "None" else None
        for reader, read_with in READ.items():
            read = read_with(html, url)
            found = score(read, expected)
            for group in (lang, "all"):
                for measure, (got, total) in found.items():
                    tally = sums[group][reader][measure]  # got, out of, pages
                    tally[0] += got
                    tally[1] += total
                    tally[2] += 1
            out.write({"id": page_id, "site": site, "lang": lang, "reader": reader,
                       "title": read.title, "author": read.author, "date": read.date,
                       "scores": {m: [got, total] for m, (got, total) in found.items()}})
    out.close()
    table: dict[str, Any] = {}
    for group, readers in sums.items():
        table[group] = {"pages": counts[group]}
        for reader, measures in readers.items():
            table[group][reader] = {
                measure: round(got / max(total, 1), 3)
                for measure, (got, total, _) in measures.items()} | {
                f"{measure}_pages": int(pages) for measure, (_, _, pages) in measures.items()}
    return {"part": part, "pages": counts["all"], "groups": table}


def print_pages(result: dict[str, Any]) -> None:
    print(f"{result['pages']} pages ({result['part']})")
    groups = sorted(result["groups"].items(),
                    key=lambda item: (item[0] != "all", -item[1]["pages"]))
    for group, row in groups:
        measures = [m for m in MEASURES if any(m in row.get(r, {}) for r in READERS)]
        print(f"\n{group}: {row['pages']} pages")
        print(f"{'reader':>12}  " + " ".join(f"{m:>11}" for m in measures))
        for reader in READERS:
            if reader not in row:
                continue
            values = row[reader]
            print(f"{reader:>12}  " + " ".join(
                f"{values[m]:11.3f}" if m in values else f"{'-':>11}" for m in measures))
    print("\nwith: share of must-have snippets found; without: share of must-not snippets kept "
          "out; start: body holds its first words; ours_paste: the page pasted whole")
