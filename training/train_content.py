"""Train the content model for pasted pages (summariser/content.py). One command, deterministic:

    python training/train_content.py PAGES_DIR [PAGES_DIR ...] [--out summariser/data/content.json]
        [--folds 5] [--no-digests]

Each PAGES_DIR is laid out as ``../shared/eval/extraction-dev/`` (``ground-truth.json`` with
``articleBody`` and ``url`` or ``site``, and ``html/<id>.html.gz``). Every page is pasted as a
browser's select-all + copy gives it (``summariser.page_text``) and its lines are read by the
line rules (``paste.read_lines``). Each line the model decides (``content.decided``: one that
reads as a sentence, not recognised for certain by the rules) is labelled article when 80 % of
its word trigrams (its words, when it has fewer than three) occur in the page's true article text.

Both passes are L2-regularised logistic regressions fitted by Newton's method, each line
weighted by the square root of its word count (a long line left in or out costs a digest more
than a short one). Before the final fit on every page it reports, by cross-validation grouped
by site (no page is scored by a model that saw any page of its site), for each page set: line
precision and recall; the digests made from each paste (clean: every summary sentence from the
article; "of due": the same among pages whose article is long enough to be summarised,
``min_words``, since a shorter one is rightly refused as brief; same summary: the share of the
summary of the article text pasted alone that the paste's digest finds again; right titles;
false "too short"/"not an article" refusals of articles of 200+ words); and
each page's HTML: the digest, with the model's summary check, and the extracted text's token F1
(the text is trafilatura's plain reading; the model's reading of the page decides only whether
trafilatura lost the article and the page is read as a paste). The line rules on the same pages
in the same run are the baseline ("rules": no summary check), and plain
``trafilatura.extract`` the outside one ("plain trafilatura", F1 only). The threshold (best
line F1) is chosen on the training folds only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summariser.content import (  # noqa: E402
    FEATURES,
    SMOOTH_FEATURES,
    WEIGHTS,
    ContentModel,
    decided,
    features,
    smooth_features,
)
from summariser.linear import Linear  # noqa: E402
from summariser.page_text import page_text  # noqa: E402
from summariser.paste import read_lines  # noqa: E402
from summariser.words import tokens  # noqa: E402

LABEL_SHARE = 0.8
L2 = 1.0
THRESHOLDS = np.round(np.arange(0.2, 0.81, 0.05), 2)


def _grams(tokens: list[str]) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)] if len(tokens) >= 3 else [
        (t,) for t in tokens]


def label(line: str, body_grams: set[tuple[str, ...]]) -> bool:
    grams = _grams(tokens(line))
    return bool(grams) and sum(g in body_grams for g in grams) / len(grams) >= LABEL_SHARE


def site_of(page_id: str, expected: dict) -> str:
    url = expected.get("url")
    if url:
        host = urlsplit(url).hostname or page_id
        return host.removeprefix("www.")
    return re.sub(r"-\d+$", "", page_id)


def site_folds(data: list[dict], folds: int) -> dict[str, int]:
    """Each site's fold: the sites, sorted, dealt round ``folds`` folds (``train_title.py``
    nests its cross-validation in the same folds)."""
    return {site: k % folds for k, site in enumerate(sorted({p["site"] for p in data}))}


def pages(directories: list[Path]) -> list[dict]:
    found = []
    for directory in directories:
        truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
        for page_id, expected in sorted(truth.items()):
            path = directory / "html" / f"{page_id}.html.gz"
            if not path.exists():
                continue
            html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
            paste = page_text(html)
            reading = read_lines(paste)
            body_tokens = tokens(expected["articleBody"])
            body_grams = set(_grams(body_tokens)) | {(t,) for t in body_tokens}
            trained = np.array([decided(line, kind)
                                for line, kind in zip(reading.lines, reading.kinds, strict=True)])
            found.append({
                "id": page_id, "set": directory.name, "site": site_of(page_id, expected),
                "html": html, "paste": paste, "reading": reading, "x": features(reading).reshape(
                    -1, len(FEATURES)),
                "y": np.array([label(line, body_grams) for line in reading.lines]),
                "trained": trained,
                "weight": np.sqrt([len(line.split()) for line in reading.lines]),
                "expected": expected,
                "english": (expected.get("lang") or "en")[:2] == "en",
            })
    return found


def logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = L2
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Standardise ``x`` and fit weighted, L2-regularised logistic regression by Newton's
    method (``Linear.fit``); the intercept is not penalised."""
    model = Linear.fit(x, y, [str(k) for k in range(x.shape[1])], w, l2)
    return model.mean, model.scale, model.coef, model.bias


def fit(train: list[dict], threshold: float = 0.5) -> ContentModel:
    x = np.concatenate([p["x"][p["trained"]] for p in train])
    y = np.concatenate([p["y"][p["trained"]] for p in train]).astype(float)
    w = np.concatenate([p["weight"][p["trained"]] for p in train])
    mean, scale, coef, intercept = logistic(x, y, w)
    first = [((p["x"] - mean) / scale) @ coef + intercept for p in train]
    s = np.concatenate([smooth_features(f)[p["trained"]] for f, p in zip(first, train,
                                                                           strict=True)])
    s_mean, s_scale, s_coef, s_intercept = logistic(s, y, w)
    return ContentModel(Linear(FEATURES, mean, scale, coef, intercept),
                        Linear(SMOOTH_FEATURES, s_mean, s_scale, s_coef, s_intercept), threshold)


def line_counts(model_keep: np.ndarray, page: dict) -> Counter:
    """Right, kept and true lines of ``MIN_WORDS`` words or more, word-weighted too."""
    mask, y = page["trained"], page["y"]
    keep = model_keep[mask]
    truth = y[mask]
    return Counter(right=int((keep & truth).sum()), kept=int(keep.sum()),
                   article=int(truth.sum()))


def choose_threshold(train: list[dict]) -> float:
    """The threshold with the best F1 of lines over inner folds of the training pages. The body
    loses as little of the article as it can; the summary's own check (``SUMMARY_SURE``) keeps
    doubtful lines out of the summary."""
    sites = sorted({p["site"] for p in train})
    inner = {site: k % 3 for k, site in enumerate(sites)}
    totals = {t: Counter() for t in THRESHOLDS}
    for fold in range(3):
        model = fit([p for p in train if inner[p["site"]] != fold])
        for page in (p for p in train if inner[p["site"]] == fold):
            probability = model.probabilities(page["reading"])
            for t in THRESHOLDS:
                totals[t] += line_counts(probability >= t, page)

    def f1(c: Counter) -> float:
        return 2 * c["right"] / max(c["kept"] + c["article"], 1)

    return float(max(THRESHOLDS, key=lambda t: f1(totals[t])))


_ALONE: dict[str, set[str]] = {}  # page id -> the summary of its article text pasted alone


def digest_counts(page: dict, body, digester) -> Counter:
    """How the digest of the page's paste fares with ``body`` choosing its lines."""
    from summariser.errors import DigestError, NotAnArticle, TooShort
    from summariser.evaluate.pastes import body_vocabulary, clean_summary, title_matches
    from summariser.paste import parse_paste

    expected = page["expected"]
    vocabulary = body_vocabulary(expected["articleBody"])
    counts = Counter(pages=1)
    try:
        digest = digester.from_article(parse_paste(page["paste"], body=body))
    except DigestError as exc:
        counts["refused"] += 1
        words = len(expected["articleBody"].split())
        counts["false_refusals"] += isinstance(exc, TooShort | NotAnArticle) and words >= 200
        counts["brief"] += isinstance(exc, TooShort) and words < digester.settings.min_words
        return counts
    counts["clean"] += clean_summary(digest.summary, vocabulary)
    # the summary of the article text alone: how much of it the paste's digest finds again
    if page["id"] not in _ALONE:
        try:
            _ALONE[page["id"]] = set(digester.from_text(expected["articleBody"]).summary)
        except DigestError:
            _ALONE[page["id"]] = set()
    if _ALONE[page["id"]]:
        counts["compared"] += 1
        counts["agree"] += len(_ALONE[page["id"]] & set(digest.summary)) / len(
            _ALONE[page["id"]])
    if expected.get("title"):
        counts["titled"] += 1
        counts["right_title"] += title_matches(digest.title, expected["title"])
    return counts


def html_counts(page: dict, body, digester) -> Counter:
    """How the page's HTML fares with ``body`` reading the page: whether the extractor reads it
    as a paste (``extract._extract``) and the content model's summary check (none for the
    rules), against the page's true article text: the digest, and the extracted
    text's token F1."""
    from dataclasses import replace

    from summariser.errors import DigestError, TooShort
    from summariser.evaluate.pastes import body_vocabulary, clean_summary, title_matches
    from summariser.extract import extract_article
    from summariser.paste import rule_body
    from summariser.words import token_prf

    html, truth = page["html"], page["expected"]["articleBody"]
    counts = Counter(html_pages=1)
    try:
        article = extract_article(html, page["expected"].get("url"), body or rule_body)
        counts["html_f1"] += token_prf(article.text, truth)[2]
        digest = digester.from_article(article if body else replace(article, scores=()))
    except DigestError as exc:
        counts["html_refused"] += 1
        counts["html_brief"] += isinstance(exc, TooShort) and len(
            truth.split()) < digester.settings.min_words
        return counts
    vocabulary = body_vocabulary(truth)
    counts["html_clean"] += clean_summary(digest.summary, vocabulary)
    if page["expected"].get("title"):
        counts["html_titled"] += 1
        counts["html_right_title"] += title_matches(digest.title, page["expected"]["title"])
    return counts


def trafilatura_f1(page: dict) -> float:
    """Plain ``trafilatura.extract``'s token F1 on the page: the outside baseline."""
    import trafilatura

    from summariser.words import token_prf

    text = trafilatura.extract(page["html"], url=page["expected"].get("url")) or ""
    return token_prf(text, page["expected"]["articleBody"])[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-digests", action="store_true",
                        help="report line precision and recall only (faster)")
    args = parser.parse_args()
    data = pages(args.pages)
    fold_of = site_folds(data, args.folds)
    digester = None
    if not args.no_digests:
        from summariser.config import SummariserSettings
        from summariser.digest import Digester
        from summariser.paste import rule_body

        digester = Digester(SummariserSettings.from_env())
    results: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for fold in range(args.folds):
        train = [p for p in data if fold_of[p["site"]] != fold]
        model = fit(train, choose_threshold(train))
        print(f"fold {fold}: {len(data) - len(train)} pages held out, threshold "
              f"{model.threshold:.2f}", file=sys.stderr)
        for page in (p for p in data if fold_of[p["site"]] == fold):
            if not page["english"]:
                continue
            rule_keep = np.array(page["reading"].rule_body)
            model_keep = np.array(model.body(page["reading"])[0])
            results[(page["set"], "rules")] += line_counts(rule_keep, page)
            results[(page["set"], "model")] += line_counts(model_keep, page)
            if digester is not None:
                results[(page["set"], "rules")] += digest_counts(page, rule_body, digester)
                results[(page["set"], "model")] += digest_counts(page, model.body, digester)
                # the same body without the last check on summary sentences
                unchecked = Counter(line_counts(model_keep, page))
                unchecked += digest_counts(
                    page, lambda reading, model=model: (model.body(reading)[0], None), digester)
                results[(page["set"], "model, no summary check")] += unchecked
                results[(page["set"], "rules")] += html_counts(page, None, digester)
                results[(page["set"], "model")] += html_counts(page, model.body, digester)
                results[(page["set"], "plain trafilatura")] += Counter(
                    html_pages=1, html_f1=trafilatura_f1(page))
    print(f"{len(data)} pages from {len(fold_of)} sites, {args.folds}-fold cross-validation "
          "grouped by site; English pages reported")
    print(f"{'set':<20} {'lines by':<24} {'precision':>9} {'recall':>7}"
          + ("" if args.no_digests else f" {'clean':>6} {'of due':>6} {'same summary':>12}"
                                     f" {'titles':>6} {'false refusals':>14} {'HTML clean':>11}"
                                     f" {'of due':>6} {'HTML refused':>12} {'HTML F1':>8}"))
    for (page_set, who), c in sorted(results.items()):
        if who == "plain trafilatura":
            print(f"{page_set:<20} {who:<24} {'':>98}"
                  f" {c['html_f1'] / c['html_pages']:8.4f}")
            continue
        row = (f"{page_set:<20} {who:<24} {c['right'] / max(c['kept'], 1):9.3f}"
               f" {c['right'] / max(c['article'], 1):7.3f}")
        if not args.no_digests:
            row += (f" {c['clean'] / max(c['pages'], 1):6.3f}"
                    f" {c['clean'] / max(c['pages'] - c['brief'], 1):6.3f}"
                    f" {c['agree'] / max(c['compared'], 1):12.3f}"
                    f" {c['right_title'] / max(c['titled'], 1):6.3f} {c['false_refusals']:14d}")
            if c["html_pages"]:
                row += (f" {c['html_clean'] / c['html_pages']:11.3f}"
                        f" {c['html_clean'] / max(c['html_pages'] - c['html_brief'], 1):6.3f}"
                        f" {c['html_refused']:12d} {c['html_f1'] / c['html_pages']:8.4f}")
        print(row)
    model = fit(data, choose_threshold(data))
    args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (threshold {model.threshold:.2f}): " + ", ".join(
        f"{name} {value:+.2f}" for name, value in zip(FEATURES, model.first.coef, strict=True)))
    print("smoothing: " + ", ".join(f"{name} {value:+.2f}" for name, value in zip(
        SMOOTH_FEATURES, model.smooth.coef, strict=True)))


if __name__ == "__main__":
    main()
