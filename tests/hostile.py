"""Hostile inputs for the text stages, and a way to time how a stage grows with its input.

Shared by the growth tests (``test_hostile.py``: the ratio between two sizes, never a wall-clock
limit) and the growth benchmark (``python -m benchmarks.growth``). Each case repeats a small unit
until the input reaches the size asked for; a stage that rescans what it has already read, or a
regex that backtracks over it, grows with the square of the size instead of linearly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.inputs import find_links, reads_like_article
from summariser.extract import extract_article, strip_inert
from summariser.paste import continued, parse_paste
from summariser.quotes import key_quotes
from summariser.sentences import split_sentences

DATA = Path(__file__).parent / "data"


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def _text_pipeline(text: str) -> None:
    """Every text stage of a paste's digest, in the pipeline's order, without the model."""
    article = parse_paste(text)
    split_sentences(article.paragraphs)
    key_quotes(article.paragraphs)


def _one_long_quote(text: str) -> object:
    """Key quotes of the text's first half read as one long quotation and its second half as
    paragraphs of short ones, all by one speaker: each quote is compared with those chosen."""
    half = len(text) // 2
    long = '"' + " ".join(text[:half].replace('"', "").split()) + '," said Bob Smith.'
    return key_quotes([long, *_paragraphs(text[half:])])


def _html(text: str) -> None:
    try:
        extract_article(text)
    except Exception as exc:  # NotAnArticle is a fine answer; only the time matters here
        if type(exc).__name__ != "NotAnArticle":
            raise


STAGES: dict[str, Callable[[str], object]] = {
    "paste": parse_paste,
    "sentences": lambda text: split_sentences(_paragraphs(text)),
    "quotes": lambda text: key_quotes(_paragraphs(text)),
    "one long quote": _one_long_quote,
    "reads_like_article": lambda text: reads_like_article(text, 150),
    "find_links": find_links,
    "pipeline": _text_pipeline,
    "html": _html,
    "inert markup": strip_inert,  # before lxml: its cost would hide this pass's at these sizes
    "broken lines": lambda text: continued(text.split("\n")),  # an extractor's <br> lines
}


@dataclass(frozen=True)
class Case:
    name: str
    stage: str
    unit: str  # repeated to the size asked for
    head: str = ""
    tail: str = ""

    def make(self, size: int) -> str:
        room = max(1, size - len(self.head) - len(self.tail))
        return self.head + self.unit * max(1, room // len(self.unit)) + self.tail

    def run(self, text: str) -> object:
        return STAGES[self.stage](text)


_ARTICLE_HTML = (DATA / "wire-style-page.html").read_text(encoding="utf-8")
_BODY = _ARTICLE_HTML[_ARTICLE_HTML.index("<body>") + 6 : _ARTICLE_HTML.index("</body>")]

CASES: tuple[Case, ...] = (
    # The five the issue measured.
    Case("credit tail", "paste", "Photo ", head="("),
    Case("abbreviations", "sentences", "Mr. "),
    Case("initials", "sentences", "J. "),
    Case("speaker resolution", "quotes", '"Yes it is now," said Bob. '),
    Case("comments headings", "paste", "a\nComments\n"),
    Case("reads like an article", "reads_like_article", "word "),
    # More of the same kind.
    Case("dots", "sentences", "."),
    Case("terminator pairs", "sentences", "?! "),
    Case("quote marks", "sentences", '"a. '),
    Case("curly quote opened", "sentences", "“It is. "),
    Case("pronoun speakers", "quotes", '“We will go,” he said. Mr John Smith agreed. '),
    Case("quote across paragraphs", "quotes", "“And so it goes on and on\n"),
    Case("open parentheses", "quotes", "(", head='He ', tail=' said: "This is the quote here."'),
    Case("role descriptions", "quotes", '"We act," the minister said. Minister Ann Lee spoke. '),
    Case("one long quote among many", "one long quote",
         '"We will go on with the work on the line," said Bob Smith.\n'),
    Case("one long line", "paste", "word "),
    Case("no spaces", "paste", "x"),
    Case("hard-wrapped lines", "paste",
         "and the council said the work would take longer than the engineers had\n"),
    Case("headline list", "paste", "Another headline about the story here\n",
         head="A line of prose that runs long enough to count as a paragraph of text.\n"
              "More Latest News\n"),
    Case("caption repeats", "paste", "A caption line. Picture: PA\nA caption line\n"),
    Case("bylines", "paste", "By Megan White\n"),
    Case("datelines with their author", "paste", "By Dario Durando | November 02, 2018\n"),
    Case("archive months", "paste", "November 2012\n", head="A headline for the story\n"),
    Case("footnote marks", "sentences", "It was so.[1] "),
    Case("lines that go on a sentence", "broken lines",
         "and the council said the work would take longer than\n", head="Denn\n"),
    Case("unclosed code block", "find_links", "``` http://a.example/x "),
    Case("long link", "find_links", "a", head="https://example.com/"),
    Case("whole pipeline, quotes", "pipeline", 'Mr. Bob said "yes. it is." Then J. left. '),
    Case("nested divs", "html", "<div>", head="<html><body>", tail=_BODY + "</body></html>"),
    Case("unclosed svgs", "inert markup", "<svg><path/>", head="<html><body>",
         tail="<p>The story.</p></body></html>"),
    Case("many related links", "html",
         "<p><a href='/x'>Another headline about the story here</a></p>",
         head="<html><body><article>" + "<p>A sentence of the story body here.</p>" * 40
              + "<aside class='related'>"),
)


def per_call_seconds(fn: Callable[[], object], budget: float = 0.02) -> float:
    """Seconds one call takes: the best of three, each repeating the call for ``budget`` s."""
    best = float("inf")
    for _ in range(3):
        calls = 0
        started = time.perf_counter()
        while True:
            fn()
            calls += 1
            elapsed = time.perf_counter() - started
            if elapsed >= budget:
                break
        best = min(best, elapsed / calls)
    return best


def growth(case: Case, small: int, large: int) -> tuple[float, float]:
    """Seconds per call at ``small`` and ``large`` characters."""
    small_text, large_text = case.make(small), case.make(large)
    return (per_call_seconds(lambda: case.run(small_text)),
            per_call_seconds(lambda: case.run(large_text)))
