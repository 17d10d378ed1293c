"""Train the headline picker for pasted pages (summariser/title.py). One command, deterministic:

    python training/train_title.py PAGES_DIR [PAGES_DIR ...] [--out summariser/data/title.json]
        [--folds 5] [--baseline PREDICTIONS.jsonl]

Each PAGES_DIR is one of the shared page sets (``ground-truth.json`` and ``html/<id>.html.gz``:
``../shared/eval/pages-postlight/``, ``pages-trafilatura/``, ``pages-readability/``,
``extraction-dev/``), pooled, in every language. The sites of the final held-out fifth
(``summariser.evaluate.pages``, ``--part final``) are left out: neither the cross-validation nor
the final fit sees them. A page whose truth has no title (``extraction-dev/``) is labelled with
the headline ``extract_article`` reads from its HTML, a silver label reported apart. Every page
is pasted whole, as a browser's select-all + copy gives it (``summariser.page_text``), and, where
its article text is known, clean too: its headline above its article text, as a careful reader
pastes it (the picker must learn both). Each paste is read by ``parse_paste``, and the picker is
shown the lines ``title.window`` chooses; a line is the headline when
``evaluate.title_matches`` says so.

The model is a conditional logit: a linear score per line, trained (full-batch gradient
descent, L2 0.03, fixed iterations) so that the softmax over a page's lines puts the headline
first. Pages whose headline is not among those lines teach nothing and are still scored.
Before the final fit it reports title accuracy by cross-validation grouped by site: the sites,
sorted, are dealt round ``--folds`` folds; for each fold a picker trained on the other folds'
pastes picks the fold's. Pastes of the sets whose article text is known
(``extraction-dev/``, ``pages-readability/``), on which the content model trains, are read by
a content model trained on the other folds too (``training/train_content.py``); the other
sets' pastes by the committed content model, which never saw them. No paste is scored by a
picker or a content model that saw any page of its site. Beside it, on the same pastes in the
same run: the hand-written rule, and, with ``--baseline`` (the predictions ``python -m
summariser.evaluate pages DIR --predictions FILE`` wrote with an earlier picker), that picker's
titles of the same pages pasted whole. By page set and kind of paste, and by language. The
final picker learns from every paste, read by the committed content model.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from train_content import choose_threshold  # noqa: E402
from train_content import fit as content_fit  # noqa: E402
from train_content import pages as content_pages  # noqa: E402

from summariser.content import body_lines  # noqa: E402
from summariser.errors import DigestError  # noqa: E402
from summariser.evaluate.files import read_html  # noqa: E402
from summariser.evaluate.pages import FINAL_SALT, held_out, language, site_of  # noqa: E402
from summariser.evaluate.pastes import title_matches  # noqa: E402
from summariser.extract import extract_article  # noqa: E402
from summariser.page_text import page_text  # noqa: E402
from summariser.paste import BodyChooser, parse_paste  # noqa: E402
from summariser.title import FEATURES, WEIGHTS, features, window  # noqa: E402


def value(expected: dict, key: str) -> str | None:
    """A page's truth for ``key``, None where it gives none."""
    found = expected.get(key)
    return found if found and found != "None" else None


def shared_pages(directories: list[Path]) -> Iterator[tuple[Path, str, dict, str, str]]:
    """Every page of ``directories`` outside the final held-out fifth: its set's folder, its
    id, its truth, its site and its HTML."""
    for directory in directories:
        truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
        meta_path = directory / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        for page_id, expected in sorted(truth.items()):
            path = directory / "html" / f"{page_id}.html.gz"
            site = site_of(expected, meta.get(page_id), page_id)
            if path.exists() and not held_out(site, FINAL_SALT):
                yield directory, page_id, expected, site, read_html(path)


def pages(directories: list[Path]) -> list[dict]:
    """Every page of ``directories`` outside the final held-out fifth, with a headline: its
    id, page set, site, language, headline and pastes (``pastes``: by kind)."""
    found = []
    for directory, page_id, expected, site, html in shared_pages(directories):
        url = value(expected, "url")
        gold, silver = value(expected, "title"), False
        if not gold:
            try:
                gold, silver = extract_article(html, url).title, True
            except DigestError:
                continue
        if not gold:
            continue
        pastes = {"whole page": page_text(html)}
        if value(expected, "articleBody"):
            pastes["clean paste"] = f"{gold}\n\n{expected['articleBody']}"
        found.append({"id": page_id, "set": directory.name + (" (silver)" if silver else ""),
                      "dir": directory, "site": site, "lang": language(expected, html),
                      "gold": gold, "pastes": pastes})
    return found


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


def readings(found: list[dict], body: BodyChooser) -> list[dict]:
    """Every paste of ``found`` read with ``body`` choosing the article's lines (one dict per
    paste, its ``kind`` naming the kind of paste)."""
    return [{"id": page["id"], "set": page["set"], "kind": kind, "site": page["site"],
             "lang": page["lang"], "gold": page["gold"], **shown_lines(text, page["gold"], body)}
            for page in found for kind, text in page["pastes"].items()]


def fit(train: list[dict], iterations: int = 3000, l2: float = 0.03, rate: float = 0.1,
        names: tuple[str, ...] = FEATURES) -> dict[str, list[float]]:
    """A conditional logit over each page's lines (``x``, one row per line, features
    ``names``): a linear score whose softmax over a page puts its right lines (``y``) first."""
    x_all = np.concatenate([p["x"] for p in train if len(p["lines"])])
    mean = x_all.mean(axis=0)
    spread = x_all.std(axis=0)
    scale = np.where(spread > 1e-6, spread, 1.0)
    usable = [p for p in train if p["y"].any()]
    # All pages' lines in one matrix; each page's softmax is taken over its own rows
    # (``reduceat`` over the pages' starts): the same sums as a loop over pages, at once.
    x = (np.concatenate([p["x"] for p in usable]) - mean) / scale
    y = np.concatenate([p["y"] for p in usable]).astype(np.float64)
    sizes = np.array([len(p["x"]) for p in usable])
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    page = np.repeat(np.arange(len(usable)), sizes)
    target = y / np.add.reduceat(y, starts)[page]
    coef = np.zeros(len(names))
    for _ in range(iterations):
        z = x @ coef
        e = np.exp(z - np.maximum.reduceat(z, starts)[page])
        probability = e / np.add.reduceat(e, starts)[page]
        coef -= rate * (l2 * coef + x.T @ (probability - target) / len(usable))
    return {"features": list(names), "mean": mean.tolist(), "scale": scale.tolist(),
            "coef": coef.tolist()}


def pick(weights: dict[str, list[float]], page: dict) -> str | None:
    if not len(page["lines"]):
        return page["rule"]
    x = (page["x"] - np.array(weights["mean"])) / np.array(weights["scale"])
    return page["lines"][int(np.argmax(x @ np.array(weights["coef"])))]


def baseline_titles(path: Path | None) -> dict[str, str | None]:
    """The titles an earlier picker gave the pages pasted whole (``evaluate pages``'s
    predictions, reader ``ours_paste``), by page id."""
    if path is None:
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("reader") == "ours_paste":
            found[record["id"]] = record.get("title")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--baseline", type=Path, default=None,
                        help="evaluate pages' predictions of an earlier picker, to compare")
    args = parser.parse_args()
    found = pages(args.pages)
    sites = sorted({page["site"] for page in found})
    fold_of = {site: k % args.folds for k, site in enumerate(sites)}
    earlier = baseline_titles(args.baseline)
    # The content model trains on the sets whose article text is known: their pastes are read
    # by a content model trained on the other folds; the others' by the committed one.
    bodied = [d for d in args.pages if any(
        "clean paste" in p["pastes"] for p in found if p["dir"] == d)]
    content = [p for p in content_pages(bodied) if p["id"] in {f["id"] for f in found}]
    for page in content:  # the sites as the page sets name them, for the folds
        page["site"] = next(f["site"] for f in found if f["id"] == page["id"]
                            and f["dir"].name == page["set"])
    unseen = readings([p for p in found if p["dir"] not in bodied], body_lines)
    right: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for fold in range(args.folds):
        train_content = [p for p in content if fold_of.get(p["site"]) != fold]
        model = content_fit(train_content, choose_threshold(train_content))
        data = unseen + readings([p for p in found if p["dir"] in bodied], model.body)
        weights = fit([p for p in data if fold_of[p["site"]] != fold])
        for page in (p for p in data if fold_of[p["site"]] == fold):
            for group in (f"{page['set']}, {page['kind']}", f"{page['kind']}: {page['lang']}",
                          f"{page['kind']}: all"):
                counts = right[(group, page["kind"])]
                counts["pages"] += 1
                counts["model"] += title_matches(pick(weights, page), page["gold"])
                counts["rule"] += title_matches(page["rule"], page["gold"])
                counts["reachable"] += bool(page["y"].any())
                if page["kind"] == "whole page" and page["id"] in earlier:
                    counts["earlier"] += title_matches(earlier[page["id"]], page["gold"])
                    counts["compared"] += 1
    print(f"{len(found)} pages with a headline from {len(sites)} sites (final fifth left out); "
          f"title accuracy by {args.folds}-fold cross-validation grouped by site, content model "
          f"and picker both trained on the other folds:")
    for (name, _), counts in sorted(right.items(), key=lambda item: (item[0][1], item[0][0])):
        n = counts["pages"]
        if n < 5:
            continue
        line = (f"  {name}: {n} pages, learned {counts['model'] / n:.3f}   rule "
                f"{counts['rule'] / n:.3f}")
        if counts["compared"]:
            line += f"   earlier picker {counts['earlier'] / counts['compared']:.3f}"
        print(line + f"   (headline among the lines shown: {counts['reachable'] / n:.3f})")
    # The final picker learns from pastes read as the committed content model reads them.
    weights = fit(unseen + readings([p for p in found if p["dir"] in bodied], body_lines))
    args.out.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: " + ", ".join(
        f"{name} {value:+.2f}" for name, value in zip(FEATURES, weights["coef"], strict=True)))


if __name__ == "__main__":
    main()
