"""``quotes``: quote finding and speaker attribution on labelled paragraphs."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from summariser.evaluate.files import Output, read_jsonl
from summariser.quotes import find_quotes, is_name

_PRONOUNS = {"he", "she", "they", "i", "we", "it", "you", "him", "her", "them"}


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
    out = Output(predictions)
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


def print_quotes(result: dict[str, Any]) -> None:
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

