"""Quality you can measure: python -m summariser.evaluate COMMAND DATA

* ``summaries DATA.jsonl``: ROUGE-1/2/L F1 ×100 (rouge-score, stemmer on) of each method against
  the joined reference highlights, all methods in one run and at the same length
  (``--sentences``, default 3; ``--sentences 0`` uses the product's adaptive length), with mean
  summary words and ms per article, and how readable the summaries are on their own: the share
  of summaries with an orphaned sentence and with a bare quote (``readability.py``).
  Abstractive methods write at most that many sentences, at their natural length, and are scored
  on what passes the faithfulness guard.
* ``extraction DIR``: token-level precision/recall/F1 of the extracted article text against
  ``articleBody`` (the measure of the article-extraction benchmark the data comes from), for our
  extractor and for plain ``trafilatura.extract`` in the same run.
* ``pastes DIR``: each page of a folder laid out as ``extraction-dev/`` digested as its HTML, as
  the text a browser's select-all + copy gives, and as that paste read by the line rules alone
  (the baseline): clean digests (every summary sentence from the article body) of all pages
  and of the digests given, right titles, false refusals, and the precision and recall of the
  paste's lines kept as the body.
* ``related LABELS.jsonl --pages DIR``: the digest's related headlines against hand-labelled
  page links, precision and recall on the sure labels, with the old rules (the baseline) on the
  same candidates in the same run.
* ``quotes GOLD.jsonl``: quote recall and precision (a quote matches when word overlap ≥ 0.8;
  precision over found quotations of 4+ words, the gold's own bar, and over all of them) and
  attribution accuracy on found gold quotes whose gold speaker is a name; gold speakers that are
  bare pronouns are reported apart, since a lone paragraph cannot resolve them.

Each takes ``--json`` (one JSON object on stdout) and ``--predictions OUT.jsonl``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import numpy as np

from summariser.config import SummariserSettings
from summariser.digest import Digester
from summariser.document import Document
from summariser.encoder import Encoder
from summariser.errors import TooShort
from summariser.headlines import same_headline
from summariser.models import Headline
from summariser.paste import parse_paste, rule_body, rule_title
from summariser.quotes import find_quotes, is_name
from summariser.readability import bare_quotes, orphaned, unintroduced
from summariser.summarise import adaptive_count, resolve_method
from summariser.words import content_words, token_prf, tokens


def read_jsonl(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines file (gzipped or not), up to ``limit``."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if limit is not None and number >= limit:
                return
            if line.strip():
                yield json.loads(line)


class _Output:
    def __init__(self, path: Path | None) -> None:
        self._handle = path.open("w", encoding="utf-8") if path else None

    def write(self, record: dict[str, Any]) -> None:
        if self._handle:
            self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self._handle:
            self._handle.close()


# -- summaries ---------------------------------------------------------------------------------


def article_document(text: str) -> Document:
    """The document of a plain article text, as the digest builds it."""
    return Document.of(parse_paste(text))


def evaluate_summaries(
    path: Path, methods: list[str], lengths: list[int], limit: int | None,
    predictions: Path | None,
) -> dict[str, Any]:
    """ROUGE and readability of every method at every length (0: the adaptive length)."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    digester = Digester(SummariserSettings.from_env())
    totals: dict[tuple[int, str], defaultdict[str, float]] = {
        (length, name): defaultdict(float) for length in lengths for name in methods}
    out = _Output(predictions)
    items = 0
    for item in read_jsonl(path, limit):
        if not article_document(item["article"]).sentences:
            continue
        items += 1
        reference = "\n".join(item["highlights"])
        for (length, name), total in totals.items():
            document = article_document(item["article"])  # fresh: no embeddings shared
            words = document.words
            started = time.perf_counter()
            try:
                made = digester.summary_for(document, name, length or None, words=words)
            except TooShort:  # adaptive length on a short article: score it at its minimum
                made = digester.summary_for(document, name, adaptive_count(words), words=words)
            summary = list(made.sentences)
            total["ms"] += (time.perf_counter() - started) * 1000
            for key, score in scorer.score(reference, "\n".join(summary)).items():
                total[key] += score.fmeasure
            if not made.abstractive:
                picks = _indices(document, summary)
                total["orphaned"] += bool(orphaned(document.sentences, picks))
                total["bare_quote"] += bool(bare_quotes(document.sentences, picks))
                total["unintroduced"] += bool(unintroduced(document.sentences, picks))
                total["extractive"] += 1
            total["generated"] += made.generated
            total["dropped"] += len(made.dropped)
            total["fallbacks"] += "fallback" in made.method
            total["words"] += sum(len(s.split()) for s in summary)
            total["sentences"] += len(summary)
            record = {"id": item.get("id"), "method": name, "sentences": length or "adaptive",
                      "summary": summary}
            if made.generated:
                record["ran"] = made.method
                record["dropped"] = [{"sentence": d, "reason": r} for d, r in made.dropped]
            out.write(record)
    out.close()
    runs = []
    for length in lengths:
        rows: dict[str, dict[str, Any]] = {}
        for name in methods:
            total, n = totals[(length, name)], max(items, 1)
            extractive = max(total["extractive"], 1)
            rows[name] = {
                "rouge1": round(100 * total["rouge1"] / n, 2),
                "rouge2": round(100 * total["rouge2"] / n, 2),
                "rougeL": round(100 * total["rougeL"] / n, 2),
                "words": round(total["words"] / n, 1),
                "sentences": round(total["sentences"] / n, 2),
                "ms": round(total["ms"] / n, 1),
                "orphaned_pct": round(100 * total["orphaned"] / extractive, 1),
                "bare_quote_pct": round(100 * total["bare_quote"] / extractive, 1),
                "unintroduced_pct": round(100 * total["unintroduced"] / extractive, 1),
            }
            if total["generated"]:
                rows[name]["guard"] = {"generated": int(total["generated"]),
                                       "dropped": int(total["dropped"]),
                                       "fallbacks": int(total["fallbacks"])}
        runs.append({"sentences": length or "adaptive", "methods": rows})
    return {"articles": items, "runs": runs}


def _indices(document: Document, summary: list[str]) -> list[int]:
    """Where each summary sentence sits in the article (first unused match)."""
    free: dict[str, list[int]] = {}
    for sentence in document.sentences:
        free.setdefault(sentence.text, []).append(sentence.index)
    return [free[text].pop(0) for text in summary if free.get(text)]


def _print_summaries(result: dict[str, Any]) -> None:
    print(f"{result['articles']} articles")
    for run in result["runs"]:
        print(f"\n{run['sentences']} sentences per summary")
        print(f"{'method':>10}  {'R-1':>6} {'R-2':>6} {'R-L':>6}  {'words':>6} {'ms/article':>10}"
              f"  {'orphaned':>8} {'bare quote':>10} {'unintroduced':>12}")
        for name, row in run["methods"].items():
            print(f"{name:>10}  {row['rouge1']:6.2f} {row['rouge2']:6.2f} {row['rougeL']:6.2f}"
                  f"  {row['words']:6.1f} {row['ms']:10.1f}  {row['orphaned_pct']:7.1f}%"
                  f" {row['bare_quote_pct']:9.1f}% {row['unintroduced_pct']:11.1f}%")
        for name, row in run["methods"].items():
            if "guard" in row:
                g = row["guard"]
                print(f"{name}: the guard dropped {g['dropped']} of {g['generated']} generated "
                      f"sentences; {g['fallbacks']} of {result['articles']} articles fell back "
                      "to the extractive summary")


# -- extraction --------------------------------------------------------------------------------


def evaluate_extraction(directory: Path, predictions: Path | None) -> dict[str, Any]:
    """Token precision, recall and F1 of our extractor and of plain trafilatura
    against the true article text of each page in ``directory``."""
    import trafilatura

    from summariser.errors import DigestError
    from summariser.extract import extract_article

    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    out = _Output(predictions)
    sums = {"ours": [0.0, 0.0, 0.0], "trafilatura": [0.0, 0.0, 0.0]}
    pages = 0
    for page_id, expected in sorted(truth.items()):
        path = directory / "html" / f"{page_id}.html.gz"
        if not path.exists():
            continue
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        try:
            ours = extract_article(html, expected.get("url")).text
        except DigestError:
            ours = ""
        plain = trafilatura.extract(html, url=expected.get("url")) or ""
        for name, text in (("ours", ours), ("trafilatura", plain)):
            for k, value in enumerate(token_prf(text, expected["articleBody"])):
                sums[name][k] += value
        out.write({"id": page_id, "text": ours})
        pages += 1
    out.close()
    return {
        "pages": pages,
        "extractors": {
            name: dict(zip(("precision", "recall", "f1"),
                           (round(v / max(pages, 1), 4) for v in values), strict=True))
            for name, values in sums.items()
        },
    }


def _print_extraction(result: dict[str, Any]) -> None:
    print(f"{result['pages']} pages")
    print(f"{'extractor':>12}  {'precision':>9} {'recall':>7} {'F1':>7}")
    for name, row in result["extractors"].items():
        print(f"{name:>12}  {row['precision']:9.4f} {row['recall']:7.4f} {row['f1']:7.4f}")


# -- quotes ------------------------------------------------------------------------------------

_PRONOUNS = {"he", "she", "they", "i", "we", "it", "you", "him", "her", "them"}


# -- related headlines ------------------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(tokens(text))


def labels_by_link(item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A labelled page's candidates by their resolved URL and by their words."""
    found: dict[str, dict[str, Any]] = {}
    for candidate in item["candidates"]:
        found.setdefault(_key(candidate["text"]), candidate)
        href = urldefrag(urljoin(item.get("url") or "", candidate.get("href") or ""))[0]
        if href.startswith(("http://", "https://")):
            found.setdefault(href, candidate)
    return found


def label_of(labels: dict[str, dict[str, Any]], title: str, url: str | None
             ) -> dict[str, Any] | None:
    """The label of a returned headline: the candidate with its words, else with its link (a
    link's text may have lost a "13 hours ago" the label kept)."""
    return labels.get(_key(title)) or (labels.get(url) if url else None)


def score_related(returned: Iterable[tuple[str, str | None]], item: dict[str, Any]
                  ) -> Counter[str]:
    """One page: the returned (headline, url) pairs against its hand-labelled link headlines.
    Sure labels only: an ``unsure`` candidate counts for neither side, and a returned headline
    no candidate matches is counted apart (``unlabelled``)."""
    labels = labels_by_link(item)
    counts: Counter[str] = Counter()
    counts["related"] = sum(c["related"] and not c["unsure"] for c in item["candidates"])
    for title, url in returned:
        label = label_of(labels, title, url)
        if label is None:
            counts["unlabelled"] += 1
        elif label["unsure"]:
            counts["unsure"] += 1
        elif label["related"]:
            counts["right"] += 1
        else:
            counts["wrong"] += 1
    return counts


# The rules the learned scorer replaced (the baseline): a candidate from a related box or a
# pasted list, sharing a content word with the title and lead, at cosine 0.45 or more to the
# title and 0.40 to the lead.
RULES_TITLE, RULES_LEAD = 0.45, 0.40


def rules_related(candidates: Sequence[Headline], document: Document, encoder: Encoder,
                  limit: int = 5) -> list[tuple[Headline, float]]:
    """The old rules' related headlines, best first, for the baseline."""
    title, lead = document.title, document.lead
    if not lead:
        return []
    words = content_words(" ".join([title or "", *lead]))
    pool = [c for c in candidates if c.box in ("related", "list")][:60]
    pool = [c for c in pool if not (title and same_headline(c.title, title))
            and content_words(c.title) & words]
    if not pool:
        return []
    heads = encoder.encode([c.title for c in pool])
    lead_sim = heads @ document.lead_vector(encoder)
    title_vector = document.vectors(encoder).title
    title_sim = heads @ title_vector if title_vector is not None else lead_sim
    keep = (lead_sim >= RULES_LEAD) & (title_sim >= RULES_TITLE)
    score = (lead_sim + title_sim) / 2
    return [(pool[i], float(score[i])) for i in np.argsort(-score, kind="stable")
            if keep[i]][:limit]


def _related_totals(total: Counter[str]) -> dict[str, Any]:
    judged = total["right"] + total["wrong"]
    return {
        "returned": judged + total["unsure"] + total["unlabelled"],
        "precision": round(total["right"] / judged, 3) if judged else None,
        "recall": round(total["right"] / max(total["related"], 1), 3),
        "right": total["right"], "wrong": total["wrong"], "related": total["related"],
        "unsure": total["unsure"], "unlabelled": total["unlabelled"],
    }


def evaluate_related(labels: Path, pages: Path, predictions: Path | None) -> dict[str, Any]:
    """Each labelled page digested from its HTML (``pages/html/<id>.html.gz``); precision and
    recall of its related headlines, per page and overall, with the old rules on the same
    pages' candidates in the same run."""
    from summariser.errors import DigestError
    from summariser.extract import extract_article

    digester = Digester(SummariserSettings.from_env())
    total: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    per_page = {}
    out = _Output(predictions)
    for item in read_jsonl(labels):
        path = pages / "html" / f"{item['id']}.html.gz"
        if not path.exists():
            continue
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        try:
            article = extract_article(html, item.get("url"))  # read once, for both
            related = [(h.title, h.url) for h in digester.from_article(article).related]
            baseline = [(h.title, h.url) for h, _ in rules_related(
                article.candidates, Document.of(article), digester.encoder)]
        except DigestError as exc:
            related = baseline = []
            total["refused"] += 1
            out.write({"id": item["id"], "refused": str(exc)})
        else:
            out.write({"id": item["id"], "related": [title for title, _ in related],
                       "rules": [title for title, _ in baseline]})
        counts = score_related(related, item)
        total.update(counts)
        rules.update(score_related(baseline, item))
        total["pages"] += 1
        per_page[item["id"]] = dict(counts)
    out.close()
    return {"pages": total["pages"], "refused": total["refused"], **_related_totals(total),
            "rules": _related_totals(rules), "per_page": per_page}


def _print_related(result: dict[str, Any]) -> None:
    print(f"{result['pages']} pages ({result['refused']} refused); sure related links: "
          f"{result['related']}")
    print("             returned  right  wrong  unsure  unlabelled  precision  recall")
    for name, row in (("model", result), ("rules", result["rules"])):
        precision = "n/a" if row["precision"] is None else f"{row['precision']:.3f}"
        print(f"  {name:9}  {row['returned']:8}  {row['right']:5}  {row['wrong']:5}  "
              f"{row['unsure']:6}  {row['unlabelled']:10}  {precision:>9}  {row['recall']:6.3f}")
    for page_id, counts in result["per_page"].items():
        if counts.get("right") or counts.get("wrong") or counts.get("related"):
            print(f"  {page_id[:16]}  right {counts.get('right', 0)}  wrong "
                  f"{counts.get('wrong', 0)}  related on the page {counts.get('related', 0)}")


# -- pastes: whole pages as people paste them -------------------------------------------------

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


def title_matches(found: str | None, gold: str) -> bool:
    """Is ``found`` the article's headline? The gold title may carry a site name ("… | The
    Guardian") and the found one may not, or the other way round: the shorter of the two must
    have 80 % of its words (and at least three, unless it is the whole headline) in the other."""
    if not found:
        return False
    a, b = tokens(found), tokens(gold)
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
    out = _Output(predictions)
    pages = skipped = 0
    for page_id, expected in sorted(truth.items()):
        path = directory / "html" / f"{page_id}.html.gz"
        if not path.exists() or (expected.get("lang") or "en")[:2] != "en":
            skipped += path.exists()
            continue
        if limit is not None and pages >= limit:
            break
        pages += 1
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
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


def _print_pastes(result: dict[str, Any]) -> None:
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


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _overlap(found: str, gold: str) -> float:
    a, b = Counter(_words(found)), Counter(_words(gold))
    if not a or not b:
        return 0.0
    shared = sum((a & b).values())
    return shared / max(sum(a.values()), sum(b.values()))


def gold_surname(gold: str) -> str | None:
    """The surname in an annotated source span: "Scott Pruitt, the Republican attorney general"
    -> pruitt; "Tulsa police Chief Chuck Jordan" -> jordan; "Mr. Morgan of the Sierra Club" ->
    morgan. None when the span names nobody ("a campaign aide")."""
    bare = re.sub(r"\([^)]*\)", " ", gold).strip()
    head = re.split(r",|\s+(?:of|who|which|from|at)\s+", bare)[0]
    words = [t.strip(".'’\"()") for t in head.split()]
    names = [t for t in words if t[:1].isupper() and len(t) > 1
             and t.lower().rstrip(".") not in {"mr", "mrs", "ms", "dr", "sen", "rep", "gov"}]
    return names[-1].lower().removesuffix("’s").removesuffix("'s") if names else None


def speaker_matches(predicted: str | None, gold: str) -> bool:
    """The predicted speaker carries the gold speaker's surname, or is the gold span itself."""
    if not predicted:
        return False
    if " ".join(_words(predicted)) == " ".join(_words(gold)):
        return True
    surname = gold_surname(gold)
    return bool(surname) and surname in _words(predicted)


def _article_of(item_id: str) -> str:
    return item_id.rsplit("-p", 1)[0]


def quote_items(path: Path, part: str) -> Iterator[dict[str, Any]]:
    """All items, or one half by article: ``tune`` (even-numbered articles in sorted order)
    or ``test`` (odd), so rules tuned on one half are reported on the other."""
    items = list(read_jsonl(path))
    articles = sorted({_article_of(i["id"]) for i in items})
    half = {a: n % 2 for n, a in enumerate(articles)}
    for item in items:
        if part == "all" or half[_article_of(item["id"])] == (part == "test"):
            yield item


# The gold lists only quotations of at least this many words (a shorter one is a scare quote
# or a title): precision counts found quotations of that length, as the gold was made.
GOLD_QUOTE_WORDS = 4


def evaluate_quotes(path: Path, predictions: Path | None, part: str = "all") -> dict[str, Any]:
    """Quote and speaker precision and recall on labelled paragraphs (``part``: all,
    or the dev file's test half)."""
    out = _Output(predictions)
    gold_total = found_gold = predicted_total = predicted_true = 0
    sized_total = sized_true = 0
    named = named_right = pronoun = pronoun_right = names_given = names_right = 0
    for item in quote_items(path, part):
        found = find_quotes([item["text"]])
        predicted_total += len(found)
        sized = {k for k, q in enumerate(found) if len(q.text.split()) >= GOLD_QUOTE_WORDS}
        sized_total += len(sized)
        out.write({"id": item["id"],
                   "quotes": [{"quote": q.text, "speaker": q.speaker} for q in found]})
        matched_found: set[int] = set()
        for gold in item["quotes"]:
            gold_total += 1
            best = max(range(len(found)), key=lambda k: _overlap(found[k].text, gold["quote"]),
                       default=None)
            if best is None or _overlap(found[best].text, gold["quote"]) < 0.8:
                continue
            found_gold += 1
            matched_found.add(best)
            speaker, given = gold["speaker"].strip(), found[best].speaker
            if speaker.lower() in _PRONOUNS:
                pronoun += 1
                pronoun_right += speaker_matches(given, speaker)
                continue  # whom a bare pronoun stands for, the paragraph alone cannot tell
            if is_name(speaker):
                named += 1
                named_right += speaker_matches(given, speaker)
            # A name we give: is it the speaker's? (Where the gold is a description, "the
            # minister", even its holder's name counts as wrong: a lower bound.)
            if is_name(given):
                names_given += 1
                names_right += speaker_matches(given, speaker)
        predicted_true += len(matched_found)
        sized_true += len(matched_found & sized)
    out.close()
    return {
        "part": part,
        "paragraphs_quotes": gold_total,
        "recall": round(found_gold / max(gold_total, 1), 4),
        "precision": round(sized_true / max(sized_total, 1), 4),
        "precision_all_quotations": round(predicted_true / max(predicted_total, 1), 4),
        "attribution_named": {"quotes": named, "accuracy": round(named_right / max(named, 1), 4)},
        "attribution_pronoun": {"quotes": pronoun,
                                "accuracy": round(pronoun_right / max(pronoun, 1), 4)},
        "names_given": {"quotes": names_given,
                        "precision": round(names_right / max(names_given, 1), 4)},
    }


def _print_quotes(result: dict[str, Any]) -> None:
    print(f"{result['paragraphs_quotes']} gold quotes ({result['part']} part)")
    print(f"quote recall {result['recall']:.3f}, precision {result['precision']:.3f} "
          f"(quotations of {GOLD_QUOTE_WORDS}+ words, as the gold; of all quotations found, "
          f"scare quotes included: {result['precision_all_quotations']:.3f})")
    a, p = result["attribution_named"], result["attribution_pronoun"]
    print(f"attribution accuracy, named speakers: {a['accuracy']:.3f} ({a['quotes']} quotes)")
    print(f"attribution accuracy, bare-pronoun speakers: {p['accuracy']:.3f} "
          f"({p['quotes']} quotes)")
    given = result["names_given"]
    print(f"names given as speakers that are right: {given['precision']:.3f} ({given['quotes']} "
          f"quotes whose speaker is not a bare pronoun)")


# -- command line ------------------------------------------------------------------------------


def _lengths(value: str) -> list[int]:
    lengths = [0 if part.strip() in ("0", "adaptive") else int(part) for part in value.split(",")
               if part.strip()]
    if not lengths or min(lengths) < 0:
        raise argparse.ArgumentTypeError("give sentence counts, or 0/adaptive")
    return lengths


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m summariser.evaluate", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("summaries", help="ROUGE of each method against reference highlights")
    s.add_argument("data", type=Path)
    s.add_argument("--methods", default="lead3,default")
    s.add_argument("--sentences", type=_lengths, default=[3, 0],
                   help="summary lengths, comma-separated, each for every method: a number "
                        "of sentences, or 0 / 'adaptive' for the product's length "
                        "(default 3,adaptive)")
    s.add_argument("--limit", type=int, default=None)
    e = sub.add_parser("extraction", help="extracted text against the true article body")
    e.add_argument("data", type=Path)
    q = sub.add_parser("quotes", help="quote finding and speaker attribution")
    q.add_argument("data", type=Path)
    q.add_argument("--part", choices=("all", "tune", "test"), default="all",
                   help="the tuning or test half of the articles, or all")
    pa = sub.add_parser("pastes", help="whole pages as HTML and as pasted text, digested")
    pa.add_argument("data", type=Path)
    pa.add_argument("--limit", type=int, default=None)
    r = sub.add_parser("related", help="related headlines against hand-labelled page links")
    r.add_argument("data", type=Path, help="labels, JSON Lines (related-dev.jsonl layout)")
    r.add_argument("--pages", type=Path, required=True,
                   help="the pages' folder (html/<id>.html.gz), as extraction-dev/")
    for p in (s, e, q, pa, r):
        p.add_argument("--predictions", type=Path, default=None)
        p.add_argument("--json", action="store_true")
    return parser


def main(argv: Iterable[str] | None = None) -> int:
    """The evaluation command line; prints the report as a table or JSON."""
    args = _parser().parse_args(list(argv) if argv is not None else None)
    if not args.data.exists():
        print(f"error: {args.data} does not exist", file=sys.stderr)
        return 2
    if args.command == "summaries":
        methods = [m.strip() for m in args.methods.split(",") if m.strip()]
        try:
            for method in methods:
                resolve_method(method)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        result = evaluate_summaries(args.data, methods, args.sentences, args.limit,
                                    args.predictions)
        printer = _print_summaries
    elif args.command == "extraction":
        result, printer = evaluate_extraction(args.data, args.predictions), _print_extraction
    elif args.command == "related":
        result = evaluate_related(args.data, args.pages, args.predictions)
        printer = _print_related
    elif args.command == "pastes":
        result = evaluate_pastes(args.data, args.predictions, args.limit)
        printer = _print_pastes
    else:
        result = evaluate_quotes(args.data, args.predictions, args.part)
        printer = _print_quotes
    if args.json:
        print(json.dumps(result))
    else:
        printer(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
