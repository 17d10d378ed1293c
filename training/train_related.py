"""Train the related-headline scorer for a page's links (summariser/related.py). One command,
deterministic:

    python training/train_related.py STORIES.jsonl LABELS.jsonl --pages DIR
        [--out summariser/data/related.json] [--beta 0.5]

STORIES is ``../shared/eval/stories-ecbplus.jsonl`` (news documents in topics of two events
each); LABELS is ``related-dev.jsonl``, whose pages are in DIR (``extraction-dev/``).

1. **The story model** (headline and article alone) is fitted on ECB+: every document with a
   headline against every other document of its topic (the same event: related; the topic's
   other event: a hard negative) and four documents of other topics (easy negatives). It is
   reported by cross-validation grouped by topic, beside the cosine to the lead alone.
2. **The link model** reads the story model's score and the link's place on the page. Every
   labelled page is read by the real extractor; its candidates go through the real pool
   (``related.candidate_pool``) and features, and carry their hand label when one matches
   (by the link's URL, else its words; unsure labels train nothing and count for neither
   side). It is reported by leave-one-page-out cross-validation, nested: for each held-out page
   the threshold is chosen on the other pages alone, the one with the best F-beta (``--beta``,
   0.5: precision weighs twice recall) of their own leave-one-page-out precision and recall.
   (The lowest threshold reaching a precision of 0.9 was tried first: with 17 related links,
   one link more or less swings it, and it chose thresholds that kept almost nothing. The
   ``in_body`` feature was chosen over two others, ``capitalised`` and both, on this same
   cross-validation, so its figure is a little optimistic: 9 right and 3 wrong without it, 9
   and 1 with it.) The old rules (a related box, cosine 0.45 to the title
   and 0.40 to the lead) on the same candidates are the baseline, in the same run.
   A pasted headline has no URL: the pasted-headline model is the link model without the URL's
   features, fitted and reported the same way on the same links with their URLs hidden.
3. The models are then fitted on everything, each threshold chosen the same way on all pages,
   and written to ``--out``. Last, the pasted-headline model is reported on the same pages
   pasted whole, beside the old rules' similarity gate, and with it (what the bot does).

Both are L2-regularised logistic regressions fitted by Newton's method (``train_content``).
Headlines are encoded as a digest encodes them, by ``Digester.headline_encoder`` (the int8 copy
of MiniLM), the articles by the fp32 encoder.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from train_content import logistic  # noqa: E402

from summariser.config import SummariserSettings  # noqa: E402
from summariser.digest import Digester  # noqa: E402
from summariser.document import Document  # noqa: E402
from summariser.errors import DigestError  # noqa: E402
from summariser.evaluate.related import label_of, labels_by_link, rules_related  # noqa: E402
from summariser.extract import extract_article  # noqa: E402
from summariser.linear import Linear  # noqa: E402
from summariser.models import Article  # noqa: E402
from summariser.page_text import page_text  # noqa: E402
from summariser.paste import parse_paste  # noqa: E402
from summariser.related import (  # noqa: E402
    LINK_FEATURES,
    PASTED_COLUMNS,
    PASTED_FEATURES,
    STORY_FEATURES,
    WEIGHTS,
    ArticleTerms,
    Models,
    candidate_pool,
    link_rows,
    models,
    story_features,
)

L2 = 1.0
EASY_NEGATIVES = 4
GRID = np.round(np.arange(0.20, 0.991, 0.01), 2)


def fit(x: np.ndarray, y: np.ndarray, features: tuple[str, ...]) -> Linear:
    mean, scale, coef, bias = logistic(x, y.astype(float), np.ones(len(y)), L2)
    return Linear(features, mean, scale, coef, bias)


# -- 1. the story model on ECB+ -----------------------------------------------------------


def story_pairs(path: Path, digester: Digester) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features, same event, topic) of every (headline, other document) pair."""
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    documents = [Document.of(Article(tuple(p for p in d["text"].splitlines() if p.strip()),
                                     title=d.get("headline"))) for d in docs]
    titled = [k for k, d in enumerate(docs) if d.get("headline")]
    heads = dict(zip(titled, digester.headline_encoder.encode([docs[k]["headline"]
                                                              for k in titled]), strict=True))
    by_topic: dict[str, list[int]] = defaultdict(list)
    for k, d in enumerate(docs):
        by_topic[d["topic"]].append(k)
    rng = np.random.default_rng(0)
    x, y, topics = [], [], []
    for a, document in enumerate(documents):
        if not document.sentences:
            continue
        terms = ArticleTerms.of(document, None)
        same = [h for h in by_topic[docs[a]["topic"]] if h in heads and h != a]
        others = [h for h in titled if docs[h]["topic"] != docs[a]["topic"]]
        chosen = same + [others[i] for i in rng.choice(len(others), EASY_NEGATIVES,
                                                       replace=False)]
        rows = story_features([docs[h]["headline"] for h in chosen],
                              np.stack([heads[h] for h in chosen]), document,
                              digester.encoder, terms)
        x.append(rows)
        y.extend(docs[h]["event"] == docs[a]["event"] for h in chosen)
        topics.extend([docs[a]["topic"]] * len(chosen))
    return np.concatenate(x), np.array(y), np.array(topics)


def report_story(x: np.ndarray, y: np.ndarray, topics: np.ndarray, folds: int = 5) -> None:
    names = sorted(set(topics))
    fold_of = {t: i % folds for i, t in enumerate(names)}
    fold = np.array([fold_of[t] for t in topics])
    scores = np.zeros(len(y))
    for k in range(folds):
        test = fold == k
        scores[test] = fit(x[~test], y[~test], STORY_FEATURES).probability(x[test])
    lead = x[:, STORY_FEATURES.index("lead_sim")]
    print(f"story model on ECB+: {len(y):,} pairs, {int(y.sum()):,} same event; "
          f"{folds}-fold CV grouped by topic")
    print(f"  AUC  model {auc(scores, y):.3f}   cosine to the lead alone {auc(lead, y):.3f}")


def auc(scores: np.ndarray, y: np.ndarray) -> float:
    order = np.argsort(scores, kind="stable")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    positives = int(y.sum())
    negatives = len(y) - positives
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2)
                 / (positives * negatives))


# -- 2. the link model on labelled pages ----------------------------------------------------


def page_rows(labels: Path, pages: Path, digester: Digester, story: Linear) -> list[dict]:
    """For each labelled page: its candidates' link-model rows and labels (1, 0 or None), and
    the old rules' picks on the same candidates."""
    found = []
    for line in labels.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        path = pages / "html" / f"{item['id']}.html.gz"
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        try:
            article = extract_article(html, item["url"])
        except DigestError:
            continue
        document = Document.of(article)
        if not document.lead:
            continue
        terms = ArticleTerms.of(document, article.url)
        pool, standing = candidate_pool(article.candidates, document, terms)
        rows = (link_rows(pool, standing, document, digester.encoder, terms, story,
                          headlines=digester.headline_encoder)[0] if pool
                else np.zeros((0, len(LINK_FEATURES))))
        known = labels_by_link(item)
        rules = rules_related(article.candidates, document, digester.encoder)
        found.append({
            "id": item["id"], "x": rows,
            "y": [_value(label_of(known, h.title, h.url)) for h in pool],
            "related": sum(c["related"] and not c["unsure"] for c in item["candidates"]),
            "rules": [_value(label_of(known, h.title, h.url)) for h, _ in rules],
        })
    return found


def _value(label: dict | None) -> int | None:
    if label is None or label["unsure"]:
        return None
    return int(label["related"])


def training_set(pages: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    x = [p["x"][[v is not None for v in p["y"]]] for p in pages]
    y = [np.array([v for v in p["y"] if v is not None], dtype=int) for p in pages]
    return np.concatenate(x), np.concatenate(y)


def held_out(pages: list[dict], features: tuple[str, ...]) -> list[np.ndarray]:
    """Each page's probabilities from a model on ``features`` fitted on the other pages."""
    scores = []
    for k in range(len(pages)):
        x, y = training_set(pages[:k] + pages[k + 1:])
        scores.append(fit(x, y, features).probability(pages[k]["x"]) if len(pages[k]["x"])
                      else np.zeros(0))
    return scores


def counts(pages: list[dict], scores: list[np.ndarray], threshold: float, limit: int = 5
           ) -> tuple[int, int]:
    """(right, wrong) on sure labels when each page keeps its best ``limit`` at ``threshold``."""
    right = wrong = 0
    for page, score in zip(pages, scores, strict=True):
        order = [i for i in np.argsort(-score, kind="stable") if score[i] >= threshold][:limit]
        right += sum(page["y"][i] == 1 for i in order)
        wrong += sum(page["y"][i] == 0 for i in order)
    return right, wrong


def choose_threshold(pages: list[dict], features: tuple[str, ...], beta: float) -> float:
    """The threshold with the best F-beta of leave-one-page-out precision and recall on
    ``pages`` (beta < 1 weighs precision more); the highest such one on ties."""
    scores = held_out(pages, features)
    related = sum(p["related"] for p in pages)
    best, chosen = -1.0, float(GRID[-1])
    for threshold in GRID:
        right, wrong = counts(pages, scores, float(threshold))
        precision, recall = right / max(right + wrong, 1), right / max(related, 1)
        score = ((1 + beta**2) * precision * recall / (beta**2 * precision + recall)
                 if right else 0.0)
        if score >= best:
            best, chosen = score, float(threshold)
    return chosen


def report_links(pages: list[dict], features: tuple[str, ...], beta: float) -> None:
    """Nested leave-one-page-out precision and recall of the model on ``features``; then, for
    reading only, its plain leave-one-page-out curve."""
    related = sum(p["related"] for p in pages)
    right = wrong = 0
    for k, page in enumerate(pages):
        rest = pages[:k] + pages[k + 1:]
        threshold = choose_threshold(rest, features, beta)
        x, y = training_set(rest)
        score = (fit(x, y, features).probability(page["x"]) if len(page["x"])
                 else np.zeros(0))
        r, w = counts([page], [score], threshold)
        right, wrong = right + r, wrong + w
    print(f"  nested: precision {right / max(right + wrong, 1):.3f}  recall "
          f"{right / max(related, 1):.3f}  ({right} right, {wrong} wrong)")
    scores = held_out(pages, features)
    curve = []
    for threshold in np.arange(0.3, 0.91, 0.1):
        r, w = counts(pages, scores, float(threshold))
        curve.append(f"{threshold:.1f}: {r}/{r + w}")
    print("  at fixed thresholds (right/returned): " + "  ".join(curve))


def without_urls(pages: list[dict]) -> list[dict]:
    """The pages' rows as a pasted headline's model reads them."""
    return [dict(page, x=page["x"][:, PASTED_COLUMNS]) for page in pages]


def report_pastes(labels: Path, pages: Path, digester: Digester, models: Models) -> None:
    """The pasted-headline model on the labelled pages pasted whole, as a user pastes them (the
    text a browser's select-all + copy gives, read by ``parse_paste``): alone, the old rules'
    similarity gate alone, and both (what the bot does). A returned line of 5+ words that is
    none of the page's link headlines counts as wrong: it is not a link at all."""
    counts: dict[str, list[int]] = {"model": [0, 0], "similarity": [0, 0], "both": [0, 0]}
    related = 0
    for line in labels.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        html = gzip.decompress((pages / "html" / f"{item['id']}.html.gz").read_bytes())
        article = parse_paste(page_text(html.decode("utf-8", errors="replace")))
        related += sum(c["related"] and not c["unsure"] for c in item["candidates"])
        document = Document.of(article)
        terms = ArticleTerms.of(document, None)
        pool, standing = candidate_pool(article.candidates, document, terms)
        if not pool or not document.lead:
            continue
        rows, story_rows = link_rows(pool, standing, document, digester.encoder, terms,
                                     models.story, headlines=digester.headline_encoder)
        probability = models.pasted_probability(rows)
        chosen = {"model": probability >= models.pasted_threshold,
                  "similarity": models.close(story_rows),
                  "both": models.keep(pool, rows, story_rows) > 0}
        known = labels_by_link(item)
        for name, keep in chosen.items():
            for i in [i for i in np.argsort(-probability, kind="stable") if keep[i]][:5]:
                label = label_of(known, pool[i].title, None)
                if label is None and len(pool[i].title.split()) >= 5:
                    counts[name][1] += 1
                elif label is not None and not label["unsure"]:
                    counts[name][0 if label["related"] else 1] += 1
    print(f"pasted model on the same pages pasted whole ({related} sure related links):")
    for name, (right, wrong) in counts.items():
        print(f"  {name:10}  precision {right / max(right + wrong, 1):.3f}  recall "
              f"{right / max(related, 1):.3f}  ({right} right, {wrong} wrong)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stories", type=Path)
    parser.add_argument("labels", type=Path)
    parser.add_argument("--pages", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--beta", type=float, default=0.5)
    args = parser.parse_args()

    digester = Digester(SummariserSettings.from_env())
    x, y, topics = story_pairs(args.stories, digester)
    report_story(x, y, topics)
    story = fit(x, y, STORY_FEATURES)

    pages = page_rows(args.labels, args.pages, digester, story)
    related = sum(p["related"] for p in pages)
    rules_right = sum(v == 1 for p in pages for v in p["rules"])
    rules_wrong = sum(v == 0 for p in pages for v in p["rules"])
    print(f"{len(pages)} labelled pages, {related} sure related links; leave-one-page-out, each "
          "threshold chosen on the other pages")
    print(f"  rules (baseline): precision {rules_right / max(rules_right + rules_wrong, 1):.3f}"
          f"  recall {rules_right / max(related, 1):.3f}  ({rules_right} right, "
          f"{rules_wrong} wrong)")
    found: dict[str, object] = {"story": story.to_json(digits=6)}
    for name, features, rows in (("link", LINK_FEATURES, pages),
                                 ("pasted", PASTED_FEATURES, without_urls(pages))):
        print(f"{name} model ({', '.join(features)})"
              + (":" if name == "link" else ", on the same links without their URLs:"))
        report_links(rows, features, args.beta)
        x, y = training_set(rows)
        model = fit(x, y, features)
        threshold = choose_threshold(rows, features, args.beta)
        print(f"  final: threshold {threshold:.2f}; weights "
              + ", ".join(f"{n} {c:+.2f}" for n, c in zip(features, model.coef, strict=True)))
        found[name] = model.to_json(digits=6)
        found[f"{name}_threshold"] = threshold
    args.out.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
    report_pastes(args.labels, args.pages, digester, models(args.out))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
