"""Train the headline picker for pasted pages (summariser/title.py). One command, deterministic:

    python training/train_title.py PAGES_DIR [PAGES_DIR ...] [--out summariser/data/title.json]

Each PAGES_DIR is laid out as ``../shared/eval/pages-readability/`` (``ground-truth.json`` with
``title`` and ``lang``, and ``html/<id>.html.gz``); pages not in English are skipped. A page
whose truth has no title (``extraction-dev/``) is labelled with the headline its HTML's
metadata gives (``extract_article``: trafilatura's title, from ``og:title``, ``<h1>`` or
``<title>``), a silver label reported apart. Every page is pasted twice: whole, as a
browser's select-all + copy gives it (``summariser.page_text``), and clean, its headline
above its article text, as a careful reader pastes it (where the first line is the headline;
the picker must learn both). Each paste is read by ``parse_paste``, and the picker is shown the
lines ``title.window`` chooses; a line is the headline when ``evaluate.title_matches`` says so.

The model is a conditional logit: a linear score per line, trained (full-batch gradient
descent, L2 0.01, fixed iterations) so that the softmax over a page's lines puts the headline
first. Pages whose headline is not among those lines teach nothing and are still scored.
Before the final fit it reports title accuracy by cross-validation grouped by site, nested with
the content model's: the sites fall into the folds ``training/train_content.py`` draws
(``--folds``, 5); for each fold a content model trained on the other folds reads every paste,
a picker is trained on the other folds' pastes so read, and the fold's pastes are scored. No
paste is scored by a picker or a content model that saw any page of its site, whole or clean,
as a new page is read. It is given for each page set and kind of paste, with the hand-written
rule on the same pastes in the same run. The final picker learns from every paste read by the
committed content model (``summariser/data/content.json``: train that first).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from train_content import choose_threshold, site_folds  # noqa: E402
from train_content import fit as content_fit  # noqa: E402
from train_content import pages as content_pages  # noqa: E402

from summariser.content import body_lines  # noqa: E402
from summariser.errors import DigestError  # noqa: E402
from summariser.evaluate.pastes import title_matches  # noqa: E402
from summariser.extract import extract_article  # noqa: E402
from summariser.paste import BodyChooser, parse_paste  # noqa: E402
from summariser.title import FEATURES, WEIGHTS, features, window  # noqa: E402


def pages(content: list[dict]) -> list[dict]:
    """The English pages of ``content`` (as ``train_content.pages`` reads them) with a
    headline: each one's id, page set, site and headline, and its two pastes (``pastes``: whole
    page, as the content model's pages already hold it, and clean, by kind)."""
    found = []
    for page in content:
        if not page["english"]:
            continue
        expected = page["expected"]
        gold, silver = expected.get("title"), False
        if not gold:
            try:
                gold, silver = extract_article(page["html"], expected.get("url")).title, True
            except DigestError:
                continue
        if not gold:
            continue
        found.append({
            "id": page["id"], "set": page["set"] + (" (silver titles)" if silver else ""),
            "site": page["site"], "gold": gold,
            "pastes": {"whole page": page["paste"],
                       "clean paste": f"{gold}\n\n{expected['articleBody']}"}})
    return found


def readings(found: list[dict], body: BodyChooser) -> list[dict]:
    """Every paste of ``found`` read with ``body`` choosing the article's lines: what the
    picker is shown of it (one dict per paste, its ``set`` naming the kind of paste)."""
    return [{"id": page["id"], "set": f"{page['set']}, {kind}", "site": page["site"],
             "gold": page["gold"], **shown_lines(text, page["gold"], body)}
            for page in found for kind, text in page["pastes"].items()]


def shown_lines(paste: str, gold: str, body: BodyChooser = body_lines) -> dict:
    """What the picker is shown of ``paste`` read with ``body`` (its lines, their features,
    which of them is the headline ``gold``) and the hand-written rule's pick."""
    given: list[tuple] = []

    def record(reading, keep, scores, rule_pick):
        given.append((reading, keep, scores, rule_pick))
        return rule_pick

    article = parse_paste(paste, title_picker=record, body=body)
    if not given:
        return {"lines": [], "x": np.zeros((0, len(FEATURES))), "y": np.zeros(0, bool),
                "rule": article.title}
    reading, keep, scores, rule_pick = given[0]
    shown = window(reading, keep)
    lines = [reading.lines[i] for i in shown]
    return {"lines": lines,
            "x": np.array(features(reading, keep, scores, shown, rule_pick), np.float64).reshape(
                -1, len(FEATURES)),
            "y": np.array([title_matches(line, gold) for line in lines], bool),
            "rule": rule_pick}


def fit(train: list[dict], iterations: int = 3000, l2: float = 0.01, rate: float = 0.1
        ) -> dict[str, list[float]]:
    x_all = np.concatenate([p["x"] for p in train if len(p["lines"])])
    mean = x_all.mean(axis=0)
    spread = x_all.std(axis=0)
    scale = np.where(spread > 1e-6, spread, 1.0)
    usable = [p for p in train if p["y"].any()]
    # All pages' lines in one matrix; each page's softmax is taken over its own rows
    # (``reduceat`` over the pages' starts): the same sums as a loop over pages, at once.
    x = (np.concatenate([p["x"] for p in usable]) - mean) / scale
    y = np.concatenate([p["y"] for p in usable]).astype(np.float64)
    sizes = np.array([len(p["lines"]) for p in usable])
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    page = np.repeat(np.arange(len(usable)), sizes)
    target = y / np.add.reduceat(y, starts)[page]
    coef = np.zeros(len(FEATURES))
    for _ in range(iterations):
        z = x @ coef
        e = np.exp(z - np.maximum.reduceat(z, starts)[page])
        probability = e / np.add.reduceat(e, starts)[page]
        coef -= rate * (l2 * coef + x.T @ (probability - target) / len(usable))
    return {"features": list(FEATURES), "mean": mean.tolist(), "scale": scale.tolist(),
            "coef": coef.tolist()}


def pick(weights: dict[str, list[float]], page: dict) -> str | None:
    if not len(page["lines"]):
        return page["rule"]
    x = (page["x"] - np.array(weights["mean"])) / np.array(weights["scale"])
    return page["lines"][int(np.argmax(x @ np.array(weights["coef"])))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    content = content_pages(args.pages)
    found = pages(content)
    # The content model's folds, as train_content.py draws them: each fold's pastes are read by
    # a content model that never saw them, as a new page is, and the picker scored on them
    # never saw them either.
    fold_of = site_folds(content, args.folds)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    for fold in range(args.folds):
        train_content = [p for p in content if fold_of[p["site"]] != fold]
        model = content_fit(train_content, choose_threshold(train_content))
        data = readings(found, model.body)
        weights = fit([p for p in data if fold_of[p["site"]] != fold])
        for page in (p for p in data if fold_of[p["site"]] == fold):
            counts = right[page["set"]]
            counts["pages"] += 1
            counts["model"] += title_matches(pick(weights, page), page["gold"])
            counts["rule"] += title_matches(page["rule"], page["gold"])
            counts["reachable"] += bool(page["y"].any())
    print(f"{len(found)} pages with a headline from {len({p['site'] for p in found})} sites; "
          f"title accuracy by {args.folds}-fold cross-validation grouped by site, content model "
          f"and picker both trained on the other folds:")
    for name, counts in sorted(right.items()):
        n = counts["pages"]
        print(f"  {name}: {n} pages, learned {counts['model'] / n:.3f}   rule "
              f"{counts['rule'] / n:.3f}   (headline among the lines shown: "
              f"{counts['reachable'] / n:.3f})")
    # The final picker learns from pastes read as the committed content model reads them.
    weights = fit(readings(found, body_lines))
    args.out.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: " + ", ".join(
        f"{name} {value:+.2f}" for name, value in zip(FEATURES, weights["coef"], strict=True)))


if __name__ == "__main__":
    main()
