"""Train the dateline picker for pasted pages (summariser/paste_date.py). One command,
deterministic:

    python training/train_date.py PAGES_DIR [PAGES_DIR ...] [--out summariser/data/date.json]
        [--folds 5]

Each PAGES_DIR is one of the shared page sets whose truth gives the day a page was published
(``../shared/eval/pages-postlight/``, ``pages-trafilatura/``), pooled, in every language. The
sites of the final held-out fifth (``summariser.evaluate.pages``, ``--part final``) are left
out: neither the cross-validation nor the final fit sees them. Every page is pasted whole, as a
browser's select-all + copy gives it (``summariser.page_text``), and read by ``parse_paste``
(the committed content model, which never saw these sets, and the committed title picker); the
picker is shown every line that names a day (``paste_date.candidates``), and a line is right
when its day is the truth's.

The model is the title picker's conditional logit (``train_title.fit``): a linear score per
line whose softmax over a page's lines puts a right one first. Pages with no right line teach
nothing and are still scored. Before the final fit it reports the share of pages whose day is
right by cross-validation grouped by site (the sites, sorted, dealt round ``--folds`` folds),
beside the hand-written rule (the byline's day, else the first dateline's) on the same pastes
in the same run, by page set and by language. The final picker learns from every page.
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

from train_title import fit  # noqa: E402

from summariser.evaluate.files import read_html  # noqa: E402
from summariser.evaluate.pages import FINAL_SALT, held_out, language, site_of  # noqa: E402
from summariser.page_meta import iso_date  # noqa: E402
from summariser.page_text import page_text  # noqa: E402
from summariser.paste import parse_paste  # noqa: E402
from summariser.paste_date import FEATURES, WEIGHTS, candidates, features  # noqa: E402


def read_page(paste: str, gold: str) -> dict:
    """What the picker is shown of ``paste`` (its dated lines, their features, which name the
    day ``gold``) and the hand-written rule's pick."""
    given: list[tuple] = []

    def record(reading, keep, title, rule_pick):
        given.append((reading, keep, title, rule_pick))
        return rule_pick

    parse_paste(paste, date_picker=record)
    reading, keep, title, rule_pick = given[0]
    found = candidates(reading)
    return {"lines": [reading.lines[i] for i, _ in found],
            "x": np.array(features(reading, keep, title, rule_pick, found),
                          np.float64).reshape(-1, len(FEATURES)),
            "y": np.array([day == gold[:10] for _, day in found], bool),
            "rule": rule_pick}


def pages(directories: list[Path]) -> list[dict]:
    """Every page of ``directories`` outside the final held-out fifth whose truth gives its
    day, pasted whole and read."""
    found = []
    for directory in directories:
        truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
        meta_path = directory / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        for page_id, expected in sorted(truth.items()):
            path = directory / "html" / f"{page_id}.html.gz"
            gold = expected.get("date")
            site = site_of(expected, meta.get(page_id), page_id)
            if not gold or gold == "None" or not path.exists() or held_out(site, FINAL_SALT):
                continue
            html = read_html(path)
            try:
                shown = read_page(page_text(html), gold)
            except ValueError:  # nothing to read
                continue
            found.append({"id": page_id, "set": directory.name, "site": site,
                          "lang": language(expected, html), "gold": gold[:10], **shown})
    return found


def pick(weights: dict[str, list[float]], page: dict) -> str | None:
    """The line the picker ``weights`` choose on ``page`` (the rule's where no line names a
    day)."""
    if not len(page["lines"]):
        return page["rule"]
    x = (page["x"] - np.array(weights["mean"])) / np.array(weights["scale"])
    return page["lines"][int(np.argmax(x @ np.array(weights["coef"])))]


def right(line: str | None, gold: str) -> bool:
    return bool(line) and iso_date(line) == gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    found = pages(args.pages)
    sites = sorted({page["site"] for page in found})
    fold_of = {site: k % args.folds for k, site in enumerate(sites)}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for fold in range(args.folds):
        weights = fit([p for p in found if fold_of[p["site"]] != fold], names=FEATURES)
        for page in (p for p in found if fold_of[p["site"]] == fold):
            for group in (page["set"], f"language {page['lang']}", "all"):
                counts[group]["pages"] += 1
                counts[group]["model"] += right(pick(weights, page), page["gold"])
                counts[group]["rule"] += right(page["rule"], page["gold"])
                counts[group]["reachable"] += bool(page["y"].any())
    print(f"{len(found)} pasted pages with a known day from {len(sites)} sites (final fifth left "
          f"out); the day right by {args.folds}-fold cross-validation grouped by site:")
    for name, c in sorted(counts.items(), key=lambda item: (item[0] != "all", item[0])):
        n = c["pages"]
        if n >= 5:
            print(f"  {name}: {n} pages, learned {c['model'] / n:.3f}   rule {c['rule'] / n:.3f}"
                  f"   (the day among the lines shown: {c['reachable'] / n:.3f})")
    weights = fit(found, names=FEATURES)
    args.out.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: " + ", ".join(
        f"{name} {value:+.2f}" for name, value in zip(FEATURES, weights["coef"], strict=True)))


if __name__ == "__main__":
    main()
