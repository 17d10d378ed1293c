"""Train the headline picker for pasted pages (summariser/title.py). One command, deterministic:

    python training/train_title.py PAGES_DIR [PAGES_DIR ...] [--out summariser/data/title.json]

Each PAGES_DIR is laid out as ``../shared/eval/pages-readability/`` (``ground-truth.json`` with
``title`` and ``lang``, and ``html/<id>.html.gz``); pages without a title or not in English are
skipped. Every page is pasted as a browser's select-all + copy gives it
(``summariser.page_text``) and read by ``parse_paste``, which shows the picker the lines before
the body; a line is the headline when ``evaluate.title_matches`` says so.

The model is a conditional logit: a linear score per line, trained (full-batch gradient
descent, L2 0.01, fixed iterations) so that the softmax over a page's lines puts the headline
first. Pages whose headline is not among those lines teach nothing and are still scored.
Before the final fit it reports title accuracy by leave-one-site-out cross-validation (no page
is scored by a model that saw any page of its site), with the hand-written rule on the same
pages in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summariser.evaluate import title_matches  # noqa: E402
from summariser.page_text import page_text  # noqa: E402
from summariser.paste import parse_paste  # noqa: E402
from summariser.title import FEATURES, WEIGHTS, candidates, features  # noqa: E402


def pages(directories: list[Path]) -> list[dict]:
    """For each titled English page: its site, the lines the picker is shown, their features,
    which of them is the headline, and the rule's pick."""
    found = []
    for directory in directories:
        truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
        for page_id, expected in sorted(truth.items()):
            path = directory / "html" / f"{page_id}.html.gz"
            if not expected.get("title") or (expected.get("lang") or "en")[:2] != "en":
                continue
            html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
            shown: list[tuple[list[str], str, str | None]] = []

            def record(lines, lead, rule_pick, shown=shown):
                shown.append((candidates(lines), lead, rule_pick))
                return rule_pick

            article = parse_paste(page_text(html), title_picker=record)
            lines, lead, rule_pick = shown[0] if shown else ([], "", article.title)
            found.append({
                "id": page_id,
                "site": re.sub(r"-\d+$", "", page_id),
                "gold": expected["title"],
                "lines": lines,
                "x": np.array(features(lines, lead, rule_pick), np.float64).reshape(
                    -1, len(FEATURES)),
                "y": np.array([title_matches(line, expected["title"]) for line in lines]),
                "rule": rule_pick,
            })
    return found


def fit(train: list[dict], iterations: int = 3000, l2: float = 0.01, rate: float = 0.1
        ) -> dict[str, list[float]]:
    x_all = np.concatenate([p["x"] for p in train if len(p["lines"])])
    mean = x_all.mean(axis=0)
    spread = x_all.std(axis=0)
    scale = np.where(spread > 1e-6, spread, 1.0)
    usable = [((p["x"] - mean) / scale, p["y"]) for p in train if p["y"].any()]
    coef = np.zeros(len(FEATURES))
    for _ in range(iterations):
        gradient = l2 * coef
        for x, y in usable:
            z = x @ coef
            p = np.exp(z - z.max())
            p /= p.sum()
            target = y / y.sum()
            gradient += x.T @ (p - target) / len(usable)
        coef -= rate * gradient
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
    right = {"model": 0, "rule": 0, "reachable": 0}
    for site, held_out in sorted(by_site.items()):
        weights = fit([p for p in data if p["site"] != site])
        for page in held_out:
            right["model"] += title_matches(pick(weights, page), page["gold"])
            right["rule"] += title_matches(page["rule"], page["gold"])
            right["reachable"] += bool(page["y"].any())
    n = len(data)
    print(f"{n} titled pages from {len(by_site)} sites; leave-one-site-out title accuracy:")
    print(f"  learned {right['model'] / n:.3f}   rule {right['rule'] / n:.3f}   "
          f"(headline among the lines shown: {right['reachable'] / n:.3f})")
    weights = fit(data)
    args.out.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: " + ", ".join(
        f"{name} {value:+.2f}" for name, value in zip(FEATURES, weights["coef"], strict=True)))


if __name__ == "__main__":
    main()
