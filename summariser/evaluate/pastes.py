"""``pastes``: whole pages digested as HTML, as a browser's copy and as that copy read by the
line rules alone; and the clean-digest and title measures the content and title models train
against."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from summariser.config import SummariserSettings
from summariser.digest import Digester
from summariser.errors import TooShort
from summariser.evaluate.files import Output, read_html
from summariser.paste import parse_paste, rule_body, rule_title
from summariser.words import tokens

CLEAN_SHARE = 0.85  # a summary sentence is the article's when this share of its words is in it
BLOCK_WORDS = 5  # lines shorter than this are not counted as article blocks (either way)


def _contained(text: str, vocabulary: set[str]) -> float:
    """Share of ``text``'s words found in ``vocabulary`` (1.0 for a text without words)."""
    words = tokens(text)
    return sum(t in vocabulary for t in words) / len(words) if words else 1.0


def body_vocabulary(body: str) -> set[str]:
    """The words of a true article body, as the clean-digest measure reads them."""
    return set(tokens(body))


def clean_summary(summary: Iterable[str], vocabulary: set[str]) -> bool:
    """Is every summary sentence the article's: ``CLEAN_SHARE`` of its words in the body's
    ``vocabulary``?"""
    return all(_contained(sentence, vocabulary) >= CLEAN_SHARE for sentence in summary)


def shown_tokens(text: str) -> list[str]:
    """The words of ``text`` as a reader sees them: a soft hyphen ("Deutsch\u00adland", kept in
    the shared pages' truth) joins a word, not two."""
    return tokens(text.replace("\u00ad", ""))


def title_matches(found: str | None, gold: str) -> bool:
    """Is ``found`` the article's headline? The gold title may carry a site name ("… | The
    Guardian") and the found one may not, or the other way round: the shorter of the two must
    have 80 % of its words (and at least three, unless it is the whole headline) in the other."""
    if not found:
        return False
    a, b = shown_tokens(found), shown_tokens(gold)
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if not short or (len(short) < 3 and short != long_):
        return False
    vocabulary = set(long_)
    return sum(t in vocabulary for t in short) / len(short) >= 0.8


def _paste_blocks(paste: str, kept: list[str], body: set[str]) -> tuple[int, int, int, int]:
    """(kept article blocks, kept blocks, article lines kept, article lines) of one paste."""
    kept_words = set(tokens(" ".join(kept)))
    sized = [block for block in kept if len(block.split()) >= BLOCK_WORDS]
    right = sum(_contained(block, body) >= CLEAN_SHARE for block in sized)
    lines = [line for line in paste.splitlines() if len(line.split()) >= BLOCK_WORDS
             and _contained(line, body) >= CLEAN_SHARE]
    found = sum(_contained(line, kept_words) >= CLEAN_SHARE for line in lines)
    return right, len(sized), found, len(lines)


def evaluate_pastes(directory: Path, predictions: Path | None, limit: int | None = None
                    ) -> dict[str, Any]:
    """Each English page of ``directory`` digested as its HTML, as the text a browser's
    select-all + copy gives (``page_text``), and as that paste read by the line rules alone
    (the baseline: no content model, the rule's title), against the page's true article body."""
    from summariser.errors import DigestError, NotAnArticle
    from summariser.page_text import page_text

    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    digester = Digester(SummariserSettings.from_env())
    totals: dict[str, Counter[str]] = {
        mode: Counter() for mode in ("html", "paste", "paste_rules")}
    out = Output(predictions)
    pages = skipped = 0
    for page_id, expected in sorted(truth.items()):
        path = directory / "html" / f"{page_id}.html.gz"
        if not path.exists() or (expected.get("lang") or "en")[:2] != "en":
            skipped += path.exists()
            continue
        if limit is not None and pages >= limit:
            break
        pages += 1
        html = read_html(path)
        body = expected["articleBody"]
        vocabulary = body_vocabulary(body)
        long_enough = len(body.split()) >= 200
        paste = page_text(html)
        read = {"paste": parse_paste(paste),
                "paste_rules": parse_paste(paste, title_picker=rule_title, body=rule_body)}
        for mode, total in totals.items():
            record: dict[str, Any] = {"id": page_id, "mode": mode}
            try:
                if mode == "html":
                    digest = digester.from_html(html, expected.get("url"))
                else:
                    digest = digester.from_article(read[mode])
            except DigestError as exc:
                refused = isinstance(exc, TooShort | NotAnArticle)
                total["refused"] += 1
                total["false_refusals"] += refused and long_enough
                record["refused"] = str(exc)
                out.write(record)
                continue
            clean = clean_summary(digest.summary, vocabulary)
            total["digests"] += 1
            total["clean"] += clean
            if expected.get("title"):
                total["titled"] += 1
                total["right_title"] += title_matches(digest.title, expected["title"])
            record.update(title=digest.title, summary=list(digest.summary), clean=clean)
            out.write(record)
        for mode, article in read.items():
            counts = _paste_blocks(paste, list(article.paragraphs), vocabulary)
            for key, value in zip(("block_right", "block_kept", "block_found", "block_lines"),
                                  counts, strict=True):
                totals[mode][key] += value
    out.close()
    rows = {}
    for mode, total in totals.items():
        rows[mode] = {
            "clean": round(total["clean"] / max(pages, 1), 3),
            # the same among the digests given: a refusal is no digest, clean or not (the
            # refusals are counted apart, and those of articles of 200+ words as false)
            "clean_given": round(total["clean"] / max(total["digests"], 1), 3),
            "right_title": round(total["right_title"] / max(total["titled"], 1), 3),
            "titled": total["titled"],
            "refused": total["refused"],
            "false_refusals": total["false_refusals"],
        }
        if mode != "html":
            rows[mode]["block_precision"] = round(
                total["block_right"] / max(total["block_kept"], 1), 3)
            rows[mode]["block_recall"] = round(
                total["block_found"] / max(total["block_lines"], 1), 3)
    return {"pages": pages, "skipped_not_english": skipped, "modes": rows}


def print_pastes(result: dict[str, Any]) -> None:
    print(f"{result['pages']} pages ({result['skipped_not_english']} not in English skipped)")
    print(f"{'as':>11}  {'clean digests':>13} {'of given':>8} {'right titles':>12} "
          f"{'refused':>7} {'false refusals':>14} {'block P':>7} {'block R':>7}")
    for mode, row in result["modes"].items():
        blocks = (f" {row['block_precision']:7.3f} {row['block_recall']:7.3f}"
                  if "block_precision" in row else "")
        print(f"{mode:>11}  {row['clean']:13.3f} {row['clean_given']:8.3f} "
              f"{row['right_title']:12.3f} {row['refused']:7d} {row['false_refusals']:14d}"
              f"{blocks}")
    print("clean digests: of all pages (a refusal counts as not clean); of given: of the "
          "digests given")
    print("paste_rules: the same paste read by the line rules alone (no content model, the "
          "rule's title)")
