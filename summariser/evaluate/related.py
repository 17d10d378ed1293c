"""``related``: the digest's related headlines against hand-labelled page links, with the
old rules as the baseline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import numpy as np

from summariser.config import SummariserSettings
from summariser.digest import Digester
from summariser.document import Document
from summariser.encoder import Encoder
from summariser.evaluate.files import Output, read_html, read_jsonl
from summariser.headlines import same_headline
from summariser.models import Headline
from summariser.words import content_words, tokens


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
    out = Output(predictions)
    for item in read_jsonl(labels):
        path = pages / "html" / f"{item['id']}.html.gz"
        if not path.exists():
            continue
        html = read_html(path)
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


def print_related(result: dict[str, Any]) -> None:
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

