"""Train the link models of the related-headline scorer (summariser/related.py). One command,
deterministic:

    python training/train_related.py --set LABELS PAGES [--set LABELS PAGES ...]
        [--out summariser/data/related.json] [--holdout]

Each ``--set`` is a hand-labelled link set and its pages: ``../shared/eval/related-dev.jsonl``
with ``extraction-dev/``, ``related-postlight.jsonl`` with ``pages-postlight/``, and this
project's own labels of the shared page sets' English pages:
``training/data/related-readability.jsonl`` with ``pages-readability/`` and
``training/data/related-trafilatura.jsonl`` with ``pages-trafilatura/`` (listed by
``training/related_candidates.py``, labelled by reading under the shared sets' rule). The
committed models are fitted on those four. The same labels of the German, French and Spanish
pages (``training/data/related-trafilatura-de.jsonl`` and ``related-trafilatura-fr-es.jsonl``
with ``pages-trafilatura/``) may be added: the models still learn only from the pages whose
links the digest scores (``related.RELATED_LANGUAGES``), and the cross-validation is also
reported on the other languages' pages, by that model and by one fitted on every page. The
same-story judge (``summariser/data/story.json``, ``training/train_story.py``) is trained
first, on other data; here it is fixed, and its log-odds are one feature of the link model.

Every labelled page is read by the real extractor, as a posted link is, in the language its set
was labelled in (a page's ``lang``, else English: its content words that language's,
``words.vocabulary``; the body's vectors only where the digest has them,
``Digester.reads_body``); its candidates go
through the real pool (``related.candidate_pool``) and features, and carry their hand label
when one matches (by the link's URL, else its words; unsure labels train nothing and count for
neither side). The pages of a fixed fifth of sites (``evaluate.related.held_out_site``) are
never fitted or tuned on; ``--holdout`` scores them once, at the end.

On the other pages the link model is reported by cross-validation grouped by site, nested: each
fold's model and threshold come from the other folds' sites alone, the threshold with the best
F-0.5 of their own site-grouped cross-validated precision and recall. Beside it, in the same
run: the old rules (a related box, cosine 0.45 to the title and 0.40 to the lead) on the same
pages, and the link model without each group of features (what each adds). A pasted headline
has no URL: the pasted-headline model is the link model without the URL's features, fitted and
reported the same way. The models are then fitted on all those pages, each threshold chosen the
same way, and written to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summariser.config import SummariserSettings  # noqa: E402
from summariser.digest import Digester  # noqa: E402
from summariser.document import Document  # noqa: E402
from summariser.errors import DigestError  # noqa: E402
from summariser.evaluate.files import read_html, read_jsonl  # noqa: E402
from summariser.evaluate.related import (  # noqa: E402
    LinkedPage,
    choose_threshold,
    cross_validated,
    fit_links,
    held_out_site,
    labelled_lang,
    link_scores,
    linked_page,
    picked,
    picked_counts,
    picked_where,
    related_totals,
    rules_related,
    score_related,
    scored,
    site_of,
)
from summariser.extract import extract_article  # noqa: E402
from summariser.related import LINK_FEATURES, PASTED_FEATURES, WEIGHTS  # noqa: E402

PLACE = ("related_box", "marked_box", "stands_out", "fragment", "in_body")
URL = ("slug_words", "has_slug", "same_site")
SHARED = ("body_share", "lead_share", "names_share")
VARIANTS = {
    "link model": LINK_FEATURES,
    "without the judge": tuple(f for f in LINK_FEATURES if f != "story"),
    "without body_sim": tuple(f for f in LINK_FEATURES if f != "body_sim"),
    "without the shared words (before)": tuple(f for f in LINK_FEATURES if f not in SHARED),
    "without the place": tuple(f for f in LINK_FEATURES if f not in PLACE),
    "without the URL (pasted)": PASTED_FEATURES,
    "judge alone": ("story",),
}


class Cached:
    """An encoder whose vectors are kept on disk by text (``--cache``): the pages' sentences
    are encoded once however often this runs."""

    def __init__(self, encoder: object, path: Path) -> None:
        self.encoder = encoder
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        if path.exists():
            with np.load(path) as data:
                self.vectors = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))

    def __getattr__(self, name: str) -> object:
        return getattr(self.encoder, name)

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, self.encoder.encode(missing), strict=True))
        return np.stack([self.vectors[t] for t in texts]) if texts else np.zeros((0, 384))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        texts = list(self.vectors)
        np.savez(self.path, texts=np.array(texts, dtype=object).astype(str),
                 vectors=np.stack([self.vectors[t] for t in texts]))


def read_pages(sets: list[tuple[Path, Path]], digester: Digester, cache: Path
               ) -> tuple[list[LinkedPage], list[LinkedPage], Counter[str], Counter[str]]:
    """The labelled pages of sites trained on and of held-out sites, and the old rules' counts
    on each (on the pages whose links the digest scores)."""
    encoder = Cached(digester.encoder, cache / "pages-fp32.npz")
    headlines = Cached(digester.headline_encoder, cache / "pages-int8.npz")
    train: list[LinkedPage] = []
    held: list[LinkedPage] = []
    rules: Counter[str] = Counter()
    held_rules: Counter[str] = Counter()
    for labels, pages in sets:
        for item in read_jsonl(labels):
            path = pages / "html" / f"{item['id']}.html.gz"
            if not path.exists():
                continue
            try:
                article = extract_article(read_html(path), item.get("url"))
            except DigestError:
                continue
            document = Document.of(article)
            if not document.lead:
                continue
            out = held_out_site(site_of(item.get("url")))
            lang = labelled_lang(item)
            page = linked_page(item, article, document, encoder,  # type: ignore[arg-type]
                               headlines, lang=lang,  # type: ignore[arg-type]
                               body=digester.reads_body(lang))
            (held if out else train).append(page)
            if scored(page):
                picks = rules_related(article.candidates, document,
                                      encoder)  # type: ignore[arg-type]
                (held_rules if out else rules).update(
                    score_related([(h.title, h.url) for h, _ in picks], item))
    encoder.save()
    headlines.save()
    return train, held, rules, held_rules


def report(pages: list[LinkedPage], chosen: list[list[int]],
           groups: dict[str, Callable[[LinkedPage], bool]]) -> None:
    """``chosen``'s precision and recall on each group of ``pages``."""
    for name, admits in groups.items():
        count, counts = picked_where(pages, chosen, admits)
        if count:
            print(line(f"  {name} ({count} pages)", related_totals(counts)))


def line(name: str, totals: dict) -> str:
    precision = "n/a" if totals["precision"] is None else f"{totals['precision']:.3f}"
    return (f"  {name:26} precision {precision:>5}  recall {totals['recall']:.3f}  "
            f"({totals['right']} right, {totals['wrong']} wrong)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", nargs=2, type=Path, action="append", required=True,
                        metavar=("LABELS", "PAGES"))
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/related-cache"),
                        help="where the pages' sentence vectors are kept between runs")
    parser.add_argument("--holdout", action="store_true",
                        help="score the held-out sites' pages (once, at the end)")
    args = parser.parse_args()
    digester = Digester(SummariserSettings.from_env())
    read, held, rules, held_rules = read_pages([tuple(s) for s in args.set], digester,
                                               args.cache)
    # The models learn from the pages whose links the digest scores (``related.
    # RELATED_LANGUAGES``); the other languages' pages are reported apart.
    train, others = [p for p in read if scored(p)], [p for p in read if not scored(p)]
    held = [p for p in held if scored(p)]
    sites = {p.site for p in train}
    print(f"{len(train)} labelled pages of {len(sites)} sites to fit, "
          f"{sum(p.related for p in train)} sure related links; {len(held)} pages of held-out "
          f"sites set aside; {len(others)} pages in other languages")
    print("cross-validated by site (10 folds; each fold's threshold chosen on its training "
          "sites alone):")
    print(line("old rules (baseline)", related_totals(rules)))
    for name, features in VARIANTS.items():
        print(line(name, related_totals(picked_counts(train, cross_validated(train,
                                                                               features)))))
    if others:
        groups = {"the digest's languages": scored,
                  "other languages": lambda page: not scored(page)}
        print("the link model on the other languages' pages too, the same folds:")
        report(read, cross_validated(read, LINK_FEATURES, learns=scored), groups)
        print("... fitted on every language's pages:")
        report(read, cross_validated(read, LINK_FEATURES), groups)
    found: dict[str, object] = {}
    for name, features in (("link", LINK_FEATURES), ("pasted", PASTED_FEATURES)):
        model = fit_links(train, features)
        threshold = choose_threshold(train, features)
        print(f"{name} model: threshold {threshold:.2f}; weights per unit "
              + ", ".join(f"{n} {c:+.2f}" for n, c in zip(features, model.per_unit,
                                                            strict=True)))
        found[name] = model.to_json(digits=6)
        found[f"{name}_threshold"] = threshold
    args.out.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    if args.holdout:
        model = fit_links(train, LINK_FEATURES)
        threshold = float(found["link_threshold"])  # type: ignore[arg-type]
        chosen = [picked(page, link_scores(model, page), threshold) for page in held]
        print(f"held-out sites ({len(held)} pages, {sum(p.related for p in held)} sure related "
              "links), scored once:")
        print(line("link model", related_totals(picked_counts(held, chosen))))
        print(line("old rules", related_totals(held_rules)))


if __name__ == "__main__":
    main()
