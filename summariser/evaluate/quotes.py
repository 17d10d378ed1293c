"""``quotes``: quote finding and speaker attribution on labelled paragraphs."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from summariser.evaluate.files import Output, read_html, read_jsonl
from summariser.models import FoundQuote, Quote
from summariser.quotes import _is_code, find_quotes, is_name, key_quotes, pick

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


def evaluate_quotes(path: Path, predictions: Path | None, part: str = "all",
                    texts: Path | None = None) -> dict[str, Any]:
    """Quote and speaker precision and recall on labelled paragraphs (``part``: all,
    or the dev file's test half).

    An item with a ``lang`` is a whole article in that language (paragraphs one a line), read
    with its language's cues; its text is the item's ``text`` or, for labels kept apart from
    the text they label, the ``article`` of the item of ``texts`` whose ``id`` is its
    ``article`` (or, where ``texts`` is the folder holding the page sets, the headline and
    paragraphs ``page_article`` reads from the item's ``set`` and ``url``). Such items are also
    scored as English, the old reading, in the same run
    (``english_only``). An item of a page with a ``start`` and no ``lang`` is one paragraph of
    the page, from those words on, read alone in English, as a paragraph of ``quotes-dev`` is."""
    items = list(quote_items(path, part))
    if texts is not None and texts.is_dir():  # labels of pages: read as a posted link reads them
        def read_page(item: dict[str, Any]) -> dict[str, Any]:
            title, paragraphs, _ = page_article(
                {"set": item["set"], "id": item["article"], "url": item.get("url")}, texts)
            if "start" in item and not item.get("lang"):
                paragraph = next(p for p in paragraphs if item["start"] in p)
                return {**item, "text": paragraph[paragraph.index(item["start"]):]}
            return {**item, "text": "\n".join(paragraphs), "title": title}

        items = [read_page(item) for item in items]
    elif texts is not None:
        by_id = {str(row["id"]): row for row in read_jsonl(texts)}

        def with_text(item: dict[str, Any]) -> dict[str, Any]:
            if "text" in item:
                return item
            row = by_id[str(item["article"])]
            return {**item, "text": row["article"], "title": row.get("title")}

        items = [with_text(item) for item in items]
    result = _score_quotes(items, predictions, part, english_only=False)
    if any(item.get("lang") for item in items):
        result["english_only"] = _score_quotes(items, None, part, english_only=True)
    return result


def _score_quotes(items: list[dict[str, Any]], predictions: Path | None, part: str,
                  english_only: bool) -> dict[str, Any]:
    out = Output(predictions)
    gold_total = found_gold = predicted_total = predicted_true = 0
    sized_total = sized_true = 0
    named = named_right = pronoun = pronoun_right = names_given = names_right = 0
    for item in items:
        lang = item.get("lang")
        paragraphs = item["text"].split("\n") if lang else [item["text"]]
        found = find_quotes(paragraphs, None if english_only else lang,
                            None if english_only else item.get("title"))
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
            speaker, given = (gold["speaker"] or "").strip(), found[best].speaker
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
    if "english_only" in result:
        print("\nthe same articles read with English cues only (the old reading):")
        print_quotes(result["english_only"])



# -- key quotes as shown, on whole pages -------------------------------------------------------

# A shown quote is a labelled quotation when this share of its words (a piece between "…" marks)
# is in it: a key quote may be shortened, or two quotes of one speaker joined.
SHOWN_MATCH = 0.7


def page_group(item: dict[str, Any]) -> str:
    """The site a labelled page is from, so that one site's pages fall on one side of a split:
    the host's name less "www." and its suffix ("www.nytimes.com" -> nytimes), or a readability
    test page's name less its number ("nytimes-3" -> nytimes)."""
    url = item.get("url")
    if url:
        host = re.sub(r"^www\d?\.", "", url.split("/")[2].lower())
        parts = host.split(".")
        return parts[-3] if len(parts) > 2 and parts[-2] in ("co", "com", "org") else parts[-2] \
            if len(parts) > 1 else host
    return re.sub(r"-\d+$", "", item["id"])


def page_part(item: dict[str, Any]) -> str:
    """``tune`` or ``test``: half the sites by a hash of the site's name, fixed before any
    tuning, so the test half is pages whose sites no rule was tuned on."""
    digest = hashlib.sha1(page_group(item).encode("utf-8")).digest()
    return "test" if digest[0] % 2 else "tune"


def _pieces(shown: str) -> list[str]:
    return [piece for piece in (p.strip(" …") for p in shown.split("…")) if _words(piece)]


def _containment(piece: str, label: str) -> float:
    a, b = Counter(_words(piece)), Counter(_words(label))
    return sum((a & b).values()) / max(1, sum(a.values()))


def labels_of_shown(shown: str, labels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The labelled quotations a shown key quote is: one for each of its pieces (where "…"
    joins two) that is one of the page's quotations."""
    found = []
    for piece in _pieces(shown) if labels else []:
        best = max(labels, key=lambda label: _containment(piece, label["quote"]))
        if _containment(piece, best["quote"]) >= SHOWN_MATCH:
            found.append(best)
    return found


def names_gold(predicted: str, gold: str) -> bool:
    """Is ``predicted`` the gold speaker: its surname (``speaker_matches``), or a name all of
    whose words are the gold name's ("Lee" for "Lee Jae-myung", "Fiona" for "Fiona Parry")?"""
    if speaker_matches(predicted, gold):
        return True
    words = _words(predicted)
    return is_name(predicted) and bool(words) and set(words) <= set(_words(gold))


def _verdict(speaker: str | None, label: dict[str, Any]) -> str:
    if label["kind"] != "speech":
        return "not a statement"
    gold = label["speaker"]
    if gold is None:
        return "right" if speaker is None else "wrong speaker"
    if speaker is None:
        return "no speaker"
    return "right" if names_gold(speaker, gold) else "wrong speaker"


def shown_is_right(shown: Quote, labels: list[dict[str, Any]]) -> str:
    """How a shown key quote reads against the page's labels: ``right`` (a statement credited to
    its speaker), ``no speaker`` (a statement shown with none though the label names one),
    ``wrong speaker``, ``not a statement`` (a term, title or fragment) or ``unlabelled`` (none
    of the article's quotations: the extraction kept text from outside the article). A quote
    joined from pieces is right when every piece that is a labelled quotation is."""
    verdicts = [_verdict(shown.speaker, label) for label in labels_of_shown(shown.text, labels)]
    wrong = [v for v in verdicts if v != "right"]
    return wrong[0] if wrong else ("right" if verdicts else "unlabelled")


def attribute_labels(paragraphs: Sequence[str], labels: list[dict[str, Any]]) -> Counter[str]:
    """Every labelled statement with a speaker that ``find_quotes`` finds on the page (word
    overlap 0.8): is its speaker right? The labels resolve pronouns and roles to the person, so
    this measures the resolution too."""
    found = find_quotes(paragraphs)
    counts: Counter[str] = Counter()
    for label in labels:
        if label["kind"] != "speech" or not label["speaker"]:
            continue
        counts["statements"] += 1
        best = max(found, key=lambda q: _overlap(q.text, label["quote"]), default=None)
        if best is None or _overlap(best.text, label["quote"]) < 0.8:
            continue
        right = best.speaker is not None and names_gold(best.speaker, label["speaker"])
        counts["found"] += 1
        counts["right"] += right
        counts["named"] += bool(label["named"])
        counts["named_right"] += right and bool(label["named"])
    return counts


class ChooseQuotes(Protocol):
    """A key-quote choice: an article's paragraphs, read under its headline, to quotes."""

    def __call__(self, paragraphs: Sequence[str], *, title: str | None = None,
                 unsure: frozenset[int] = frozenset()) -> list[Quote]:
        ...


def page_article(item: dict[str, Any], pages: Path, cache: Path | None = None
                 ) -> tuple[str | None, list[str], frozenset[int]]:
    """The headline and article paragraphs the digest reads from a labelled page, as a posted
    link would give them (``extract_article`` on the page's HTML and URL), and the paragraphs
    its content model is unsure of (``SUMMARY_SURE``), as the digest leaves them out of the
    summary and the key quotes; cached as JSON under ``cache``."""
    cached = cache / f"{item['set']}-{item['id']}.v3.json" if cache else None
    if cached and cached.exists():
        title, paragraphs, unsure = json.loads(cached.read_text(encoding="utf-8"))
        return title, paragraphs, frozenset(unsure)
    from summariser.content import SUMMARY_SURE
    from summariser.extract import extract_article

    html = read_html(pages / item["set"] / "html" / f"{item['id']}.html.gz")
    article = extract_article(html, item.get("url"))
    title, paragraphs = article.title, list(article.paragraphs)
    unsure = article.unsure(SUMMARY_SURE)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps([title, paragraphs, sorted(unsure)]), encoding="utf-8")
    return title, paragraphs, unsure


def score_pages(items: Iterable[dict[str, Any]], pages: Path, choosers: dict[str, ChooseQuotes],
                out: Output | None = None, cache: Path | None = None) -> dict[str, Any]:
    """Each chooser's key quotes on each page, scored against the page's labels: shown quotes
    that are right, and pages where a named person makes a statement that show a key quote."""
    counts = {name: Counter[str]() for name in choosers}
    attribution: Counter[str] = Counter()
    speakers: dict[str, Counter[str]] = {name: Counter() for name in choosers}
    for item in items:
        title, paragraphs, unsure = page_article(item, pages, cache)
        labels = item["quotes"]
        named_page = any(q["kind"] == "speech" and q["named"] for q in labels)
        record: dict[str, Any] = {"id": item["id"], "part": page_part(item)}
        attribution.update(attribute_labels(paragraphs, labels))
        for name, choose in choosers.items():
            shown = choose(paragraphs, title=title, unsure=unsure)
            verdicts = [shown_is_right(q, labels) for q in shown]
            count = counts[name]
            count["pages"] += 1
            count["shown"] += len(shown)
            count.update(verdicts)
            if named_page:
                count["named_pages"] += 1
                count["named_pages_shown"] += bool(shown)
                count["named_pages_right"] += "right" in verdicts
            for quote, verdict in zip(shown, verdicts, strict=True):
                if verdict in ("wrong speaker", "unlabelled") and quote.speaker:
                    speakers[name][quote.speaker] += 1
            record[name] = [{"quote": q.text, "speaker": q.speaker, "verdict": v}
                            for q, v in zip(shown, verdicts, strict=True)]
        if out:
            out.write(record)
    found = attribution["found"]
    return {"attribution": {
        "statements": attribution["statements"], "found": found,
        "right": round(attribution["right"] / max(found, 1), 4),
        "named_right": round(attribution["named_right"] / max(attribution["named"], 1), 4),
    }, "choosers": {name: {
        "pages": c["pages"], "shown": c["shown"], "right": c["right"],
        "right_share": round(c["right"] / max(c["shown"], 1), 4),
        "wrong": {k: c[k] for k in ("wrong speaker", "no speaker", "not a statement",
                                    "unlabelled")},
        "named_pages": c["named_pages"],
        "named_pages_shown": round(c["named_pages_shown"] / max(c["named_pages"], 1), 4),
        "named_pages_right": round(c["named_pages_right"] / max(c["named_pages"], 1), 4),
        "wrong_speakers": sorted(speakers[name]),
    } for name, c in counts.items()}}


def chooser_before(paragraphs: Sequence[str], limit: int = 3, min_words: int = 6,
                   max_words: int = 50, title: str | None = None,
                   unsure: frozenset[int] = frozenset()) -> list[Quote]:
    """The baseline: the key-quote choice before quotes had to be trusted (any speaker or none,
    named ones first; quoted phrases with a space joined into one), on today's attribution
    of the paragraphs alone (it read no headline, and every paragraph: ``title`` and
    ``unsure`` are left unread)."""
    prose = ["" if _is_code(paragraph) else paragraph for paragraph in paragraphs]
    runs: list[list[FoundQuote]] = []
    for quote in find_quotes(prose):
        last = runs[-1][-1] if runs else None
        if last and quote.speaker and last.speaker == quote.speaker and (
                last.paragraph == quote.paragraph) and " " in last.text.strip() and (
                " " in quote.text.strip()):
            runs[-1].append(quote)
        else:
            runs.append([quote])
    merged = [run[0] if len(run) == 1 else replace(
        run[0], text=" … ".join(q.text.rstrip(",") for q in run[:-1]) + " … " + run[-1].text)
        for run in runs]
    quotes = [q for q in merged if len(q.text.split()) >= min_words]

    def score(q: FoundQuote) -> float:
        named = 1.0 if is_name(q.speaker) else (0.3 if q.speaker else 0.0)
        return 2 * named + min(len(q.text.split()), 40) / 40 + 0.1 / (1 + q.paragraph)

    return pick(quotes, score, limit, max_words)


def evaluate_pages(path: Path, pages: Path, predictions: Path | None, part: str = "all",
                   cache: Path | None = None) -> dict[str, Any]:
    """Key quotes as a digest shows them on whole labelled pages (``part``: all, or the tune or
    test half of the sites), beside the choice before (``chooser_before``) in the same run."""
    items = [item for item in read_jsonl(path) if part in ("all", page_part(item))]
    out = Output(predictions)
    choosers: dict[str, ChooseQuotes] = {"key_quotes": key_quotes, "before": chooser_before}
    scores = score_pages(items, pages, choosers, out, cache)
    out.close()
    return {"part": part, "pages": len(items), **scores}


def print_pages(result: dict[str, Any]) -> None:
    print(f"{result['pages']} labelled pages ({result['part']} part)")
    a = result["attribution"]
    print(f"every quotation: {a['found']} of {a['statements']} labelled statements with a "
          f"speaker found; speaker right {a['right']:.3f}, where a named person "
          f"{a['named_right']:.3f}")
    for name, s in result["choosers"].items():
        wrong = ", ".join(f"{k} {v}" for k, v in s["wrong"].items())
        print(f"{name}: {s['shown']} key quotes shown, {s['right_share']:.3f} a statement with "
              f"the right speaker ({wrong}); pages with a named speaker's statement "
              f"({s['named_pages']}) showing a key quote {s['named_pages_shown']:.3f}, a right "
              f"one {s['named_pages_right']:.3f}")
        print(f"  speakers shown wrongly: {'; '.join(s['wrong_speakers']) or 'none'}")
