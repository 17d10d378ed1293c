"""List a page set's link headlines for labelling by hand, with the rules of the shared sets
``related-dev.jsonl`` and ``related-postlight.jsonl`` (``../shared/eval/README.md``):

    python training/related_candidates.py PAGES [--lang en] [--out FILE.jsonl]

PAGES is a shared page set (``ground-truth.json`` + ``html/<id>.html.gz``). A page is listed
when its language (``evaluate.pages.language``: the set's own, else the page's ``<html lang>``)
is ``--lang``, the article the real extractor reads from it has at least 200 words, and it has
at least 3 candidates: the visible text of every ``<a>`` with 5-25 words, whitespace collapsed,
deduplicated case-insensitively, leaving out text found in the article's first 200 characters or
in the page's own title. A page's address is the set's ``url``, else the one the page gives for
itself (``digest.own_url``); a page with neither is left out (its links cannot be resolved).

Each line is ``{id, url, title, n_words, lead, candidates: [{text, href}]}``; ``lead`` (the
article's first 1,000 characters) is there for the reader who labels, and labels are added as
``related`` and ``unsure`` on each candidate by reading, under the shared sets' rule. Nothing
here sets a label.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summariser.digest import own_url  # noqa: E402
from summariser.errors import DigestError  # noqa: E402
from summariser.evaluate.files import read_html  # noqa: E402
from summariser.evaluate.pages import language  # noqa: E402
from summariser.extract import extract_article  # noqa: E402

MIN_WORDS, MAX_WORDS = 5, 25
_SPACE = re.compile(r"\s+")


def link_candidates(html: str, title: str, text: str) -> list[dict]:
    """The page's link texts of 5-25 words, each once, not the title's or the opening's."""
    root = lxml.html.fromstring(html.encode("utf-8"),
                              parser=lxml.html.HTMLParser(encoding="utf-8"))
    opening, own = text[:200].lower(), title.lower()
    seen: set[str] = set()
    out = []
    for anchor in root.iter("a"):
        words = _SPACE.sub(" ", anchor.text_content()).strip()
        key = words.lower()
        if not MIN_WORDS <= len(words.split()) <= MAX_WORDS or key in seen:
            continue
        seen.add(key)
        if key in opening or key in own:
            continue
        out.append({"text": words, "href": anchor.get("href") or ""})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=Path)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    truth = json.loads((args.pages / "ground-truth.json").read_text())
    lines = []
    for page_id in sorted(truth):
        html = read_html(args.pages / "html" / f"{page_id}.html.gz")
        url = truth[page_id].get("url") or own_url(html)
        if language(truth[page_id], html) != args.lang or not url:
            continue
        try:
            article = extract_article(html, url)
        except DigestError:
            continue
        if len(article.text.split()) < 200:
            continue
        candidates = link_candidates(html, article.title or "", article.text)
        if len(candidates) < 3:
            continue
        lines.append(json.dumps({"id": page_id, "url": url, "title": article.title,
                                 "n_words": len(article.text.split()),
                                 "lead": article.text[:1000], "candidates": candidates},
                                ensure_ascii=False))
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text)
    else:
        sys.stdout.write(text)
    print(f"{len(lines)} pages", file=sys.stderr)


if __name__ == "__main__":
    main()
