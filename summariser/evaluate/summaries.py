"""``summaries``: ROUGE and readability of each method against reference highlights.

ROUGE reads Unicode letters (``UnicodeTokenizer``), so French or German scores count accented
words; an item's ``lang`` (English when absent) says whether words are Porter-stemmed.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from summariser.config import SummariserSettings
from summariser.digest import Digester
from summariser.document import Document
from summariser.errors import TooShort
from summariser.evaluate.files import Output, read_jsonl
from summariser.paste import parse_paste
from summariser.readability import bare_quotes, orphaned, unintroduced
from summariser.summarise import adaptive_count

_WORD = re.compile(r"[^\W_]+")


class UnicodeTokenizer:
    """rouge-score's tokenizer for any language: runs of Unicode letters and digits, lowercased.

    rouge-score's own tokenizer keeps only ``[a-z0-9]``, so "été" becomes "t" and French or
    German scores mean little. On ASCII text this gives the same tokens as the default one; with
    ``stem`` (English) words over 3 letters go through the same Porter stemmer.
    """

    def __init__(self, stem: bool = False) -> None:
        self._stemmer: Any = None
        if stem:
            from nltk.stem import porter

            self._stemmer = porter.PorterStemmer()

    def tokenize(self, text: str) -> list[str]:
        tokens = _WORD.findall(text.lower())
        if self._stemmer is not None:
            tokens = [self._stemmer.stem(t) if len(t) > 3 else t for t in tokens]
        return tokens


def rouge_scorer_for(lang: str | None) -> Any:
    """A ROUGE-1/2/L scorer for text in ``lang``: Porter-stemmed for English, plain otherwise."""
    from rouge_score import rouge_scorer

    english = lang in (None, "en")
    return rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"],
                                    tokenizer=UnicodeTokenizer(stem=english))


def article_document(text: str, lang: str | None = None) -> Document:
    """The document of a plain article text in ``lang``, as the digest builds it."""
    return Document.of(parse_paste(text), lang)


def evaluate_summaries(
    path: Path, methods: list[str], lengths: list[int], limit: int | None,
    predictions: Path | None,
) -> dict[str, Any]:
    """ROUGE and readability of every method at every length (0: the adaptive length)."""
    scorers: dict[str | None, Any] = {}
    digester = Digester(SummariserSettings.from_env())
    totals: dict[tuple[int, str], defaultdict[str, float]] = {
        (length, name): defaultdict(float) for length in lengths for name in methods}
    out = Output(predictions)
    items = 0
    for item in read_jsonl(path, limit):
        if not article_document(item["article"]).sentences:
            continue
        items += 1
        reference = "\n".join(item["highlights"])
        lang = item.get("lang")
        if lang not in scorers:
            scorers[lang] = rouge_scorer_for(lang)
        scorer = scorers[lang]
        for (length, name), total in totals.items():
            document = article_document(item["article"], lang)  # fresh: no vectors shared
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
                total["orphaned"] += bool(orphaned(document.sentences, picks, lang))
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


def print_summaries(result: dict[str, Any]) -> None:
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

