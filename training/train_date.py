"""Train the dateline picker for pasted pages (summariser/paste_date.py). One command,
deterministic:

    python training/train_date.py PAGES_DIR [PAGES_DIR ...] [--out summariser/data/date.json]
        [--folds 5]

Each PAGES_DIR is one of the shared page sets whose truth gives the day a page was published
(``../shared/eval/pages-postlight/``, ``pages-trafilatura/``), pooled, in every language. The
sites of the final held-out fifth (``summariser.evaluate.pages``, ``--part final``) are left
out: neither the cross-validation nor the final fit sees them. Every page is pasted whole, as a
browser's select-all + copy gives it (``summariser.page_text``), and read by ``parse_paste``
(the committed content model, which never saw these sets, and the committed title picker,
which did: the headline it finds here, which two features measure distances from, is right
more often than on sites it never saw; the line rules' byline); the picker is shown every line
that names a day (``paste_date.candidates``), and a line is right when its day is the truth's.

The model is the title picker's conditional logit (``train_title.fit``): a linear score per
line whose softmax over a page's lines puts a right one first. Pages with no right line teach
nothing and are still scored. Before the final fit it reports the share of pages whose day is
right by cross-validation grouped by site (the sites, sorted, dealt round ``--folds`` folds),
beside the hand-written rule (the byline's day, else the first dateline's) on the same pastes
in the same run, by page set and by language. The final picker learns from every page.
``read_pages``, ``train`` and ``run`` serve the byline picker too (``train_byline.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from train_title import fit, shared_pages, value  # noqa: E402

from summariser.evaluate.pages import language  # noqa: E402
from summariser.page_meta import iso_date  # noqa: E402
from summariser.page_text import page_text  # noqa: E402
from summariser.paste import parse_paste, rule_byline  # noqa: E402
from summariser.paste_date import FEATURES, WEIGHTS, candidates, features  # noqa: E402


def read_page(paste: str, gold: str) -> dict:
    """What the picker is shown of ``paste`` (its dated lines, their features, which name the
    day ``gold``) and the hand-written rule's pick."""
    given: list[tuple] = []

    def record(reading, keep, title, rule_pick):
        given.append((reading, keep, title, rule_pick))
        return rule_pick

    parse_paste(paste, date_picker=record, byline_picker=rule_byline)
    reading, keep, title, rule_pick = given[0]
    found = candidates(reading)
    return {"lines": [reading.lines[i] for i, _ in found],
            "x": np.array(features(reading, keep, title, rule_pick, found),
                          np.float64).reshape(-1, len(FEATURES)),
            "y": np.array([day == gold[:10] for _, day in found], bool),
            "rule": rule_pick}


def read_pages(directories: list[Path], field: str, read: Callable[[str, str], dict]
               ) -> list[dict]:
    """Every page of ``directories`` outside the final held-out fifth whose truth gives
    ``field``: its id, page set, site, language and that truth (``gold``), and what ``read``
    makes of it pasted whole (given the paste and the truth)."""
    found = []
    for directory, page_id, expected, site, html in shared_pages(directories):
        gold = value(expected, field)
        if not gold:
            continue
        try:
            shown = read(page_text(html), gold)
        except ValueError:  # nothing to read
            continue
        found.append({"id": page_id, "set": directory.name, "site": site,
                      "lang": language(expected, html), "gold": gold, **shown})
    return found


def scores(weights: dict[str, list[float]], page: dict) -> np.ndarray:
    """The picker ``weights``'s score of each row of ``page``."""
    x = (page["x"] - np.array(weights["mean"])) / np.array(weights["scale"])
    return np.asarray(x @ np.array(weights["coef"]))


def pick(page: dict, found: np.ndarray, margin: float = 0.0) -> str | None:
    """The line of ``page`` its row scores ``found`` choose (the rule's where it was shown
    none); where a last row stands for "none", a line only if it beats that row by
    ``margin``."""
    lines = page["lines"]
    if not len(lines):
        return page["rule"]
    best = int(np.argmax(found[: len(lines)]))
    if len(found) > len(lines) and found[best] - found[-1] <= margin:
        return None
    return lines[best]


def right(line: str | None, gold: str) -> bool:
    return bool(line) and iso_date(line) == gold[:10]


def train(found: list[dict], names: tuple[str, ...], is_right: Callable[[str | None, str], bool],
          out: Path, folds: int, what: str, margins: Sequence[float] = (0.0,),
          fills: bool = False) -> None:
    """Report the picker's share of ``found`` right (``is_right``) by cross-validation grouped
    by site, beside the rule's, by page set and language; then fit it on all and write it.
    A picker that ``fills`` decides only the pages where the rule found nothing, and learns
    from those alone. Where the pages have a "none" row, the margin a line must beat it by is
    the least of ``margins`` at which the picker's answers are right, out of fold, at least as
    often as the rule's own."""
    sites = sorted({page["site"] for page in found})
    fold_of = {site: k % folds for k, site in enumerate(sites)}
    learns = [page for page in found if not fills or page["rule"] is None]
    out_of_fold: dict[int, np.ndarray] = {}
    for fold in range(folds):
        weights = fit([p for p in learns if fold_of[p["site"]] != fold], names=names)
        for k, page in enumerate(found):
            if fold_of[page["site"]] == fold:
                out_of_fold[k] = scores(weights, page)

    def chosen(k: int, margin: float) -> str | None:
        page = found[k]
        return page["rule"] if fills and page["rule"] is not None else pick(
            page, out_of_fold[k], margin)

    def precision(margin: float, decided: Callable[[dict], bool]) -> float:
        """How often the answers given on the pages ``decided`` are right, out of fold."""
        given = [(line, p["gold"]) for k, p in enumerate(found)
                 if decided(p) and (line := chosen(k, margin)) is not None]
        return sum(is_right(line, gold) for line, gold in given) / max(len(given), 1)

    ruled = [p for p in found if p["rule"] is not None]
    rule_precision = sum(is_right(p["rule"], p["gold"]) for p in ruled) / max(len(ruled), 1)
    decides = (lambda p: p["rule"] is None) if fills else (lambda p: True)
    margin = next((m for m in margins if precision(m, decides) >= rule_precision), margins[-1])
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for k, page in enumerate(found):
        line = chosen(k, margin)
        for group in (page["set"], f"language {page['lang']}", "all"):
            c = counts[group]
            c["pages"] += 1
            c["model"] += is_right(line, page["gold"])
            c["model given"] += line is not None
            c["rule"] += is_right(page["rule"], page["gold"])
            c["rule given"] += page["rule"] is not None
            c["reachable"] += bool(page["y"][: len(page["lines"])].any())
    print(f"{len(found)} pasted pages with a known {what} from {len(sites)} sites (final fifth "
          f"left out); {what} right by {folds}-fold cross-validation grouped by site (right / "
          f"given):")
    for name, c in sorted(counts.items(), key=lambda item: (item[0] != "all", item[0])):
        n = c["pages"]
        if n >= 5:
            print(f"  {name}: {n} pages, learned {c['model'] / n:.3f} ({c['model']} / "
                  f"{c['model given']})   rule {c['rule'] / n:.3f} ({c['rule']} / "
                  f"{c['rule given']})   (right among the lines shown: {c['reachable'] / n:.3f})")
    weights = fit(learns, names=names)
    if len(margins) > 1:
        print(f"margin over 'none': {margin} (the picker's answers right out of fold at each of "
              f"{list(margins)}: {[round(precision(m, decides), 3) for m in margins]}; the "
              f"rule's: {rule_precision:.3f})")
        weights = {**weights, "margin": [margin]}
    out.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}: " + ", ".join(
        f"{name} {value:+.2f}" for name, value in zip(names, weights["coef"], strict=True)))


def run(doc: str | None, weights: Path, names: tuple[str, ...],
        read: Callable[[str, str], dict], is_right: Callable[[str | None, str], bool],
        field: str, margins: Sequence[float] = (0.0,), fills: bool = False) -> None:
    """A picker's training command: its arguments, its pages (those whose truth gives
    ``field``, each ``read``), its cross-validation and its fit (``train``)."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("pages", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, default=weights)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    train(read_pages(args.pages, field, read), names, is_right, args.out, args.folds, field,
          margins, fills)


if __name__ == "__main__":
    run(__doc__, WEIGHTS, FEATURES, read_page, right, "date")
