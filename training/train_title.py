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
Before the final fit it reports title accuracy by leave-one-site-out cross-validation (no paste
is scored by a model that saw any paste of its site, whole or clean), for each page set and
kind of paste, with the hand-written rule on the same pastes in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from train_content import site_of  # noqa: E402

from summariser.errors import DigestError  # noqa: E402
from summariser.evaluate import title_matches  # noqa: E402
from summariser.extract import extract_article  # noqa: E402
from summariser.page_text import page_text  # noqa: E402
from summariser.paste import parse_paste  # noqa: E402
from summariser.title import FEATURES, WEIGHTS, features, window  # noqa: E402


def pages(directories: list[Path]) -> list[dict]:
    """For each English page with a headline: its site, the lines the picker is shown, their
    features, which of them is the headline, and the rule's pick."""
    found = []
    for directory in directories:
        truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
        for page_id, expected in sorted(truth.items()):
            path = directory / "html" / f"{page_id}.html.gz"
            if not path.is_file() or (expected.get("lang") or "en")[:2] != "en":
                continue
            html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
            gold, silver = expected.get("title"), False
            if not gold:
                try:
                    gold, silver = extract_article(html, expected.get("url")).title, True
                except DigestError:
                    continue
            if not gold:
                continue
            name = directory.name + (" (silver titles)" if silver else "")
            site = site_of(page_id, expected)
            clean = f"{gold}\n\n{expected['articleBody']}"
            for kind, text in (("whole page", page_text(html)), ("clean paste", clean)):
                found.append({"id": page_id, "set": f"{name}, {kind}", "site": site,
                              "gold": gold, **shown_lines(text, gold)})
    return found


def shown_lines(paste: str, gold: str) -> dict:
    """What the picker is shown of ``paste`` (its lines, their features, which of them is the
    headline ``gold``) and the hand-written rule's pick."""
    given: list[tuple] = []

    def record(reading, keep, scores, rule_pick):
        given.append((reading, keep, scores, rule_pick))
        return rule_pick

    article = parse_paste(paste, title_picker=record)
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
    args = parser.parse_args()
    data = pages(args.pages)
    by_site: dict[str, list[dict]] = defaultdict(list)
    for page in data:
        by_site[page["site"]].append(page)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    for site, held_out in sorted(by_site.items()):
        weights = fit([p for p in data if p["site"] != site])
        for page in held_out:
            counts = right[page["set"]]
            counts["pages"] += 1
            counts["model"] += title_matches(pick(weights, page), page["gold"])
            counts["rule"] += title_matches(page["rule"], page["gold"])
            counts["reachable"] += bool(page["y"].any())
    print(f"{len(data)} pages with a headline from {len(by_site)} sites; leave-one-site-out "
          f"title accuracy:")
    for name, counts in sorted(right.items()):
        n = counts["pages"]
        print(f"  {name}: {n} pages, learned {counts['model'] / n:.3f}   rule "
              f"{counts['rule'] / n:.3f}   (headline among the lines shown: "
              f"{counts['reachable'] / n:.3f})")
    weights = fit(data)
    args.out.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: " + ", ".join(
        f"{name} {value:+.2f}" for name, value in zip(FEATURES, weights["coef"], strict=True)))


if __name__ == "__main__":
    main()
