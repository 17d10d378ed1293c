"""Train the same-story judge (summariser/story.py). One command, deterministic:

    python training/train_story.py ALLSIDES.jsonl.gz ECBPLUS.jsonl
        [--out summariser/data/story.json] [--cache DIR] [--precision 0.9] [--holdout]
        [--hubs summariser/data/story-hubs.npy] [--only USE]

``--hubs`` reads the given hubs instead of k-means' (whose centroids move a little with the
encodings), and ``--only`` writes one use's model, threshold and recipe into ``--out``, the
others as they are: together they refit one use and leave the other uses' inputs and models,
and so the pair reader's stacking on them (``fit_pair.py``), as committed.

ALLSIDES is ``../shared/eval/stories-allsides.jsonl.gz`` (stories told by three outlets), ECBPLUS
``stories-ecbplus.jsonl`` (news documents in topics of two events each).

What is held out, never fitted or tuned on, and scored once at the end: AllSides' ``test``
split (307 stories) and the ECB+ topics whose number is a multiple of 5
(``story.held_out_topic``).

Pairs, as the bot meets them (texts encoded by the fp32 encoder, as ``Digester.encode``):

* **feed**: an outlet's story text (headline and the lead's first ``STORY_SENTENCES``
  sentences, as the bot stores a digest's title and first summary sentences) against a
  headline alone. AllSides: the story's other two outlets'
  headlines are positives; the other stories' headlines nearest by cosine (``HARD``; ``DEEP``
  in the ``allsides_deep`` pairs) and a few at random (``EASY``) negatives. ECB+: a document's
  story text against the headlines of its topic (same event: positive; the topic's other event:
  a hard negative).
* **feed_described**: as **feed**, for a feed item with a description, which the bot reads as
  the item's story text (``story.story_text``: headline and the description's first
  ``STORY_SENTENCES`` sentences): AllSides' story texts against the other outlets' story
  texts, ``DEEP`` hard negatives (the ``allsides_described`` pairs).
* **earlier**: one ECB+ document's story text against another's in the same topic, plus a few
  of other topics. An ECB+ document's story text is read as the bot would store it pasted
  (``evaluate.related.pasted_story``: the paste reader's title and body, no dateline). Two
  stories are alike, so besides the recipes read one way, the pairs are tried read both ways
  (``ecb_both``: ``story.both_ways``, on ``BOTH_WAYS_FEATURES``).

The judge is L2-regularised logistic regressions (``Linear.fit``) on the same features, one
per use, each fitted on the parts of the pairs (``PARTS``) that cross-validation prefers for it
among ``RECIPES``: for feeds, the recipe with the best recall at precision ``--precision``
(5 folds grouped by story on AllSides, the threshold the lowest whose out-of-fold precision
reaches it), each held-out story text against every headline of its fold's stories; for
"earlier", every pair of documents of the fold's topics, the threshold chosen **nested**: each
outer fold's threshold comes from a cross-validation on the other folds' topics alone, and the
outer folds' pooled precision must clear ``--precision`` + ``MARGIN``; the precision aimed at
is the lowest of ``TARGETS`` that does. The page links' model (read by ``related.py``'s link
model) stays on all the pairs, each story read as its headline and lead's first sentence, as
``related.py`` reads a page's. The old rules (cosine 0.80 and a shared content word) are
printed beside each figure, on the same pairs.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summariser.evaluate.related import pasted_story  # noqa: E402
from summariser.linear import Linear  # noqa: E402
from summariser.story import (  # noqa: E402
    BOTH_WAYS_FEATURES,
    FEATURES,
    MODELS,
    STORY_SENTENCES,
    VECTOR_FEATURES,
    WEIGHTS,
    Judge,
    TermRows,
    Terms,
    both_ways,
    features,
    held_out_topic,
    pair_features,
    story_text,
)
from summariser.story import HUBS as HUBS_FILE  # noqa: E402
from summariser.words import content_words  # noqa: E402

HARD, EASY = 12, 4
DEEP = 30  # hard negatives of each story text in the "allsides_deep" pairs
HUBS = 128  # centroids of the training headlines: a vector's nearest one is its hub
FOLDS = 5
L2 = 1.0
OLD_THRESHOLD = 0.80
FLOOR = 0.2  # cosines below this are never the same story at any threshold chosen here
GRID = np.round(np.arange(0.30, 0.991, 0.01), 2)


def encode(texts: list[str], cache: Path, name: str) -> np.ndarray:
    """Unit vectors of ``texts`` by the fp32 encoder, cached under ``cache``."""
    key = hashlib.sha1("\n".join(texts).encode()).hexdigest()[:12]
    path = cache / f"{name}-{key}.npy"
    if path.exists():
        return np.asarray(np.load(path))
    from summariser.config import SummariserSettings
    from summariser.digest import Digester

    vectors = Digester(SummariserSettings.from_env()).encode(texts)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


# -- data ---------------------------------------------------------------------------------


def allsides(path: Path, cache: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        stories = [json.loads(line) for line in handle]
    heads, articles, texts, story, split = [], [], [], [], []
    for k, s in enumerate(stories):
        for outlet in s["outlets"]:
            heads.append(outlet["headline"])
            articles.append(story_text(outlet["headline"], outlet["lead"], STORY_SENTENCES))
            texts.append(story_text(outlet["headline"], outlet["lead"], 1))
            story.append(k)
            split.append(s["split"])
    # "story_*": each outlet's article as the bot stores a digest, and as a feed item with a
    # description; "head_*": as a feed item without one; "text_*": as ``related.py`` reads a
    # page's story (its lead's first sentence), for the page model.
    return {"heads": heads, "texts": texts, "story": np.array(story), "split": np.array(split),
            "head_vectors": encode(heads, cache, "allsides-heads"),
            "text_vectors": encode(texts, cache, "allsides-texts"),
            "story_vectors": encode(articles, cache, "allsides-stories"),
            "head_terms": [Terms.of(h) for h in heads], "text_terms": [Terms.of(t) for t in texts],
            "story_terms": [Terms.of(t) for t in articles],
            "head_rows": TermRows.of([Terms.of(h) for h in heads])}


def described(a: dict) -> dict:
    """``a`` with each outlet's story text (its headline and lead's first ``STORY_SENTENCES``
    sentences) in place of its headline as the candidate: a feed item with a description, as
    the bot reads it."""
    return a | {"head_vectors": a["story_vectors"], "head_centre": a["story_centre"],
                "head_terms": a["story_terms"], "head_rows": TermRows.of(a["story_terms"])}


def ecbplus(path: Path, cache: Path, sentences: int = STORY_SENTENCES, pasted: bool = True
            ) -> dict:
    """The ECB+ documents, each read as its story text and, where it has one, its headline.
    The story text is the document pasted as the bot reads it (``pasted_story``: its title and
    the first ``sentences`` sentences of its body, datelines and bylines left out), or, not
    ``pasted``, its headline and the first ``sentences`` sentences of its raw text."""
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    texts = [pasted_story(d["headline"], d["text"], sentences) if pasted
             else story_text(d["headline"], d["text"], sentences) for d in docs]
    titled = [k for k, d in enumerate(docs) if d["headline"]]
    heads = [docs[k]["headline"] for k in titled]
    return {"texts": texts, "topic": np.array([d["topic"] for d in docs]),
            "event": np.array([d["event"] for d in docs]), "titled": np.array(titled),
            "heads": heads, "text_vectors": encode(texts, cache, "ecb-texts"),
            "head_vectors": encode(heads, cache, "ecb-heads"),
            "text_terms": [Terms.of(t) for t in texts], "head_terms": [Terms.of(h) for h in heads],
            "text_rows": TermRows.of([Terms.of(t) for t in texts]),
            "head_rows": TermRows.of([Terms.of(h) for h in heads]),
            "words": [content_words(t) for t in texts]}


# -- pairs ---------------------------------------------------------------------------------


def allsides_training(a: dict, keep: np.ndarray, rng: np.random.Generator, hard: int = HARD
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Feed pairs among the outlets of stories ``keep`` (a mask over outlets): for each story
    text, its story's other headlines, the ``hard`` nearest of other stories, ``EASY`` at
    random."""
    rows = np.flatnonzero(keep)
    cosine = a["story_vectors"][rows] @ a["head_vectors"][rows].T
    x, y = [], []
    for qi, q in enumerate(rows):
        same = a["story"][rows] == a["story"][q]
        positives = np.flatnonzero(same & (rows != q))
        other = np.flatnonzero(~same)
        nearest = other[np.argsort(-cosine[qi, other])[:hard]]
        easy = rng.choice(other, EASY, replace=False)
        chosen = np.concatenate([positives, nearest, easy])
        x.append(features(cosine[qi, chosen], a["head_centre"][rows[chosen]], a["head_rows"],
                          a["story_centre"][q], a["story_terms"][q], rows[chosen]))
        y += [1] * len(positives) + [0] * (hard + EASY)
    return np.concatenate(x), np.array(y)


def allsides_retrieval(a: dict, keep: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every story text of ``keep`` against every headline of ``keep`` but its own outlet's:
    features of the pairs at cosine ``FLOOR`` or more, their labels, and for the old rule
    (cosine 0.80, a shared word) its calls; plus how many positives there are in all."""
    rows = np.flatnonzero(keep)
    cosine = a["story_vectors"][rows] @ a["head_vectors"][rows].T
    same = a["story"][rows][:, None] == a["story"][rows][None, :]
    np.fill_diagonal(cosine, -2)  # an outlet's own headline is the article itself
    qs, cs = np.nonzero(cosine >= FLOOR)
    x = np.zeros((len(qs), len(FEATURES)))
    for q in np.unique(qs):
        at = np.flatnonzero(qs == q)
        x[at] = features(cosine[q, cs[at]], a["head_centre"][rows[cs[at]]], a["head_rows"],
                         a["story_centre"][rows[q]], a["story_terms"][rows[q]], rows[cs[at]])
    y = same[qs, cs].astype(int)
    old = (cosine[qs, cs] >= OLD_THRESHOLD) & np.array(
        [bool(a["head_terms"][rows[c]].words & a["story_terms"][rows[q]].words)
         for q, c in zip(qs, cs, strict=True)])
    positives = int(same.sum() - len(rows))
    return x, y, old, np.array([positives])


def ecb_pairs(e: dict, topics: set[int], kind: str, rng: np.random.Generator | None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """ECB+ pairs among ``topics``: ``feed`` (story text against another document's
    headline) or ``earlier`` (story text against story text); within each topic all of them,
    and with ``rng`` a few of other topics as easy negatives. Features, labels, same topic,
    the old rule's calls, and the ``pair_features`` of each pair read the other way round (the
    story text as the candidate: what ``both_ways`` averages in)."""
    docs = [k for k in range(len(e["texts"])) if e["topic"][k] in topics]
    if kind == "feed":
        cands = [(j, h) for h, j in enumerate(e["titled"]) if e["topic"][j] in topics]
        vectors, terms, centres = e["head_vectors"], e["head_terms"], e["head_centre"]
        table = e["head_rows"]
    else:
        cands = [(j, j) for j in docs]
        vectors, terms, centres = e["text_vectors"], e["text_terms"], e["text_centre"]
        table = e["text_rows"]
    x, y, same_topic, old, reverse = [], [], [], [], []
    for q in docs:
        chosen = [(j, h) for j, h in cands if j != q and e["topic"][j] == e["topic"][q]]
        if rng is not None:
            others = [(j, h) for j, h in cands if e["topic"][j] != e["topic"][q]]
            chosen += [others[i] for i in rng.choice(len(others), 3, replace=False)]
        if not chosen:
            continue
        picked = [h for _, h in chosen]
        cosine = vectors[picked] @ e["text_vectors"][q]
        x.append(features(cosine, centres[picked], table, float(e["text_centre"][q]),
                          e["text_terms"][q], np.array(picked)))
        reverse += [pair_features(e["text_terms"][q], terms[h]) for h in picked]
        y += [int(e["event"][j] == e["event"][q]) for j, _ in chosen]
        same_topic += [bool(e["topic"][j] == e["topic"][q]) for j, _ in chosen]
        old += [bool(c >= OLD_THRESHOLD and terms[h].words & e["text_terms"][q].words)
                for c, (_, h) in zip(cosine, chosen, strict=True)]
    return (np.concatenate(x), np.array(y), np.array(same_topic), np.array(old),
            np.array(reverse, dtype=np.float64).reshape(-1, len(FEATURES) - VECTOR_FEATURES))


# -- fitting and scoring ---------------------------------------------------------------------


def fit(x: np.ndarray, y: np.ndarray, columns: list[int] | None = None,
        names: tuple[str, ...] = FEATURES) -> Linear:
    """The judge on ``names`` (or on those at ``columns``) fitted on ``x``, ``y``."""
    columns = list(range(len(names))) if columns is None else columns
    return Linear.fit(x[:, columns], y.astype(float), [names[c] for c in columns], l2=L2)


def pr(called: np.ndarray, y: np.ndarray, positives: int | None = None) -> tuple[float, float]:
    right = int((called & (y == 1)).sum())
    return right / max(int(called.sum()), 1), right / max(positives or int(y.sum()), 1)


def lowest_precise(p: np.ndarray, y: np.ndarray, target: float, positives: int | None = None
                   ) -> float:
    for threshold in GRID:
        called = p >= threshold
        if called.any() and pr(called, y, positives)[0] >= target:
            return float(threshold)
    return float(GRID[-1])


def kmeans(x: np.ndarray, k: int, rounds: int = 15) -> np.ndarray:
    """``k`` unit centroids of the unit vectors ``x`` (spherical k-means, seeded)."""
    rng = np.random.default_rng(0)
    centres = x[rng.choice(len(x), k, replace=False)].copy()
    for _ in range(rounds):
        nearest = np.argmax(x @ centres.T, axis=1)
        for j in range(k):
            members = x[nearest == j]
            if len(members):
                mean = members.mean(axis=0)
                centres[j] = mean / np.linalg.norm(mean)
    # as they will be read: float16 on disk
    return np.asarray(centres.astype(np.float16).astype(np.float32))


def cosine_floor(judged: Judge, use: str) -> float:
    """The lowest cosine with which a pair can reach ``use``'s threshold, at the most common
    hub cosines (for reading only: ``Judge.reach`` is exact)."""
    for cosine in np.arange(-1, 1.001, 0.01):
        if judged.reach(np.array([[cosine, 0.5, 0.5]]), judged.thresholds[use], use)[0]:
            return float(cosine)
    return 1.0


PARTS = ("allsides", "ecb_feed", "ecb_earlier")  # and "allsides_deep": ``DEEP`` hard negatives
# "ecb_earlier"'s pairs read both ways (``story.both_ways``), on ``BOTH_WAYS_FEATURES``: a
# recipe of its own, since a headline and a story text are not read alike
BOTH = ("ecb_both",)
# The pairs each model may be fitted on, tried under cross-validation (the first is the page
# links' model, which the link model of ``related.py`` reads: fixed, on all of them).
RECIPES = {"page": [PARTS],
           "feed": [("allsides",), ("allsides_deep",), ("allsides", "ecb_feed"), PARTS],
           "feed_described": [("allsides_described",)],
           "earlier": [("ecb_earlier",), ("ecb_feed", "ecb_earlier"), PARTS, BOTH]}
TARGETS = (0.90, 0.92, 0.94, 0.96, 0.98)  # the precision "earlier" thresholds are chosen for
# What the nested estimate of "earlier" must clear beyond ``--precision``: the held-out topics
# are eight, and a procedure that reaches 0.90 on average falls short on half such draws.
MARGIN = 0.02


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("allsides", type=Path)
    parser.add_argument("ecbplus", type=Path)
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/related-cache"))
    parser.add_argument("--precision", type=float, default=0.9)
    parser.add_argument("--ablate", action="store_true",
                        help="also report each feature's worth to each use's model (the model "
                             "without it, cross-validated, at the precision aimed at)")
    parser.add_argument("--holdout", action="store_true",
                        help="score the held-out stories and topics (once, at the end)")
    parser.add_argument("--without-val", action="store_true",
                        help="fit the feed uses on AllSides train alone: the judge whose "
                             "log-odds on val fit_pair.py stacks the pair reader on")
    parser.add_argument("--hubs", type=Path,
                        help="read these hubs (the committed ones: the other uses' inputs stay as "
                             "they are) rather than k-means' on AllSides' training headlines")
    parser.add_argument("--only", choices=MODELS,
                        help="write this use's model alone into --out, the others as they are")
    args = parser.parse_args()
    if args.holdout and args.without_val:
        parser.error("--holdout scores the judge fitted on train and val, not this one")
    rng = np.random.default_rng(0)
    a = allsides(args.allsides, args.cache)
    e = ecbplus(args.ecbplus, args.cache)
    # The page links' model reads a page's story as its title and lead's first sentence
    # (``related.ArticleTerms``): so it is fitted on story texts of one sentence, ECB+'s read
    # raw as when the link model on its log-odds was fitted (its weight there is near 0).
    e_page = ecbplus(args.ecbplus, args.cache, 1, pasted=False)
    train_outlets = a["split"] == "train" if args.without_val else a["split"] != "test"
    hubs = (np.load(args.hubs).astype(np.float32) if args.hubs
            else kmeans(a["head_vectors"][a["split"] == "train"], HUBS))  # unsupervised
    blank = Linear.fit(np.zeros((2, len(FEATURES))), np.array([0, 1]), FEATURES)
    hub = Judge({"page": blank}, {}, hubs).hub
    a["head_centre"] = hub(a["head_vectors"])
    a["text_centre"] = hub(a["text_vectors"])
    a["story_centre"] = hub(a["story_vectors"])
    e["head_centre"] = hub(e["head_vectors"])
    e["text_centre"] = hub(e["text_vectors"])
    e_page["head_centre"], e_page["text_centre"] = e["head_centre"], hub(e_page["text_vectors"])
    a_page = a | {"story_vectors": a["text_vectors"], "story_terms": a["text_terms"],
                  "story_centre": a["text_centre"]}
    ad = described(a)
    train_stories = np.unique(a["story"][train_outlets])
    fold_of_story = {s: i % FOLDS for i, s in enumerate(rng.permutation(train_stories))}
    story_fold = np.array([fold_of_story.get(s, -1) for s in a["story"]])
    topics = sorted({int(t) for t in e["topic"]})
    train_topics = [t for t in topics if not held_out_topic(t)]
    topic_fold = {t: i % FOLDS for i, t in enumerate(train_topics)}
    print(f"AllSides: {len(train_stories)} stories to fit "
          f"({'train' if args.without_val else 'train + val'}), "
          f"{int((a['split'] == 'test').sum() / 3)} held out (test); ECB+: "
          f"{len(train_topics)} topics to fit, {len(topics) - len(train_topics)} held out")

    def topics_of(folds: set[int]) -> set[int]:
        return {t for t in train_topics if topic_fold[t] in folds}

    def ecb_parts(topics_in: set[int], rng: np.random.Generator, docs: dict = e
                  ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        xf, yf, *_ = ecb_pairs(docs, topics_in, "feed", rng)
        xe, ye, _, _, reverse = ecb_pairs(docs, topics_in, "earlier", rng)
        return {"ecb_feed": (xf, yf), "ecb_earlier": (xe, ye),
                "ecb_both": (both_ways(xe, reverse), ye)}

    def training(stories_fold: set[int], topics_in: set[int], rng: np.random.Generator,
                 stories: dict = a, docs: dict = e) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """The training pairs of each part (``PARTS``), as the judge has always drawn them."""
        keep = np.isin(story_fold, list(stories_fold))
        xa, ya = allsides_training(stories, keep, rng)
        found = {"allsides": (xa, ya), **ecb_parts(topics_in, rng, docs)}
        deep = np.random.default_rng(rng.integers(1 << 30))  # drawn last: the rest as before
        found["allsides_deep"] = allsides_training(stories, keep, deep, DEEP)
        told = np.random.default_rng(rng.integers(1 << 30))  # and after it, the same
        return found | {"allsides_described": allsides_training(ad, keep, told, DEEP)}

    def fit_on(parts: dict[str, tuple[np.ndarray, np.ndarray]], recipe: tuple[str, ...],
               columns: list[int] | None = None) -> Linear:
        return fit(np.concatenate([parts[k][0] for k in recipe]),
                   np.concatenate([parts[k][1] for k in recipe]), columns,
                   BOTH_WAYS_FEATURES if recipe == BOTH else FEATURES)

    def read(recipe: tuple[str, ...], x: np.ndarray, reverse: np.ndarray) -> np.ndarray:
        """The rows of ``recipe``'s model: ``x``, or read both ways."""
        return both_ways(x, reverse) if recipe == BOTH else x

    without = {f: [i for i in range(len(FEATURES)) if i != k] for k, f in enumerate(FEATURES)}
    ablated: dict[tuple[str, str, str], list[np.ndarray]] = {}  # (use, recipe, feature) -> oof

    def name(recipe: tuple[str, ...]) -> str:
        return "+".join(recipe)

    feed_oof: dict[tuple[str, ...], list[np.ndarray]] = {r: [] for r in RECIPES["feed"]}
    early_oof: dict[tuple[str, ...], list[np.ndarray]] = {r: [] for r in RECIPES["earlier"]}
    # nested: each outer fold's "earlier" threshold chosen on its other topics alone
    nested: dict[tuple[tuple[str, ...], float], list[np.ndarray]] = {
        (r, t): [] for r in RECIPES["earlier"] for t in TARGETS}
    told_oof: list[np.ndarray] = []
    told_y, told_pos = [], 0
    feed_y, feed_old, feed_pos = [], [], 0
    ecb_y, ecb_old = [], []
    for fold in range(FOLDS):
        rest = {f for f in range(FOLDS) if f != fold}
        parts = training(rest, topics_of(rest), np.random.default_rng(fold))
        xr, yr, old, positives = allsides_retrieval(a, story_fold == fold)
        xe, ye, _, olde, re = ecb_pairs(e, topics_of({fold}), "earlier", None)
        xd, yd, _, told_positives = allsides_retrieval(ad, story_fold == fold)
        [recipe] = RECIPES["feed_described"]
        told_oof.append(fit_on(parts, recipe).probability(xd))
        told_y.append(yd)
        told_pos += int(told_positives[0])
        for recipe in RECIPES["feed"]:
            feed_oof[recipe].append(fit_on(parts, recipe).probability(xr))
            for feature, cols in without.items() if args.ablate else ():
                ablated.setdefault(("feed", name(recipe), feature), []).append(
                    fit_on(parts, recipe, cols).probability(xr[:, cols]))
        inner: dict[tuple[str, ...], list[np.ndarray]] = {r: [] for r in RECIPES["earlier"]}
        inner_y = []
        for other in sorted(rest):
            inner_rest = rest - {other}
            inner_parts = {"allsides": parts["allsides"],
                           **ecb_parts(topics_of(inner_rest), np.random.default_rng(
                               FOLDS * (fold + 1) + other))}
            xi, yi, _, _, ri = ecb_pairs(e, topics_of({other}), "earlier", None)
            for recipe in RECIPES["earlier"]:
                inner[recipe].append(fit_on(inner_parts, recipe).probability(
                    read(recipe, xi, ri)))
            inner_y.append(yi)
        iy = np.concatenate(inner_y)
        for recipe in RECIPES["earlier"]:
            p = fit_on(parts, recipe).probability(read(recipe, xe, re))
            early_oof[recipe].append(p)
            for feature, cols in without.items() if args.ablate else ():
                ablated.setdefault(("earlier", name(recipe), feature), []).append(
                    fit_on(parts, recipe, cols).probability(read(recipe, xe, re)[:, cols]))
            for target in TARGETS:
                threshold = lowest_precise(np.concatenate(inner[recipe]), iy, target)
                nested[recipe, target].append(p >= threshold)
        feed_y.append(yr)
        feed_old.append(old)
        feed_pos += int(positives[0])
        ecb_y.append(ye)
        ecb_old.append(olde)
        print(f"  fold {fold} done", file=sys.stderr)
    fy, fo = np.concatenate(feed_y), np.concatenate(feed_old)
    ey, eo = np.concatenate(ecb_y), np.concatenate(ecb_old)
    print(f"cross-validated ({FOLDS} folds: AllSides by story, ECB+ by topic), precision / "
          "recall:")
    p, r = pr(fo, fy, feed_pos)
    print(f"  feeds (AllSides, each story text against every headline of its fold; "
          f"{feed_pos} same-story pairs): old rule (0.80 + word) {p:.3f} / {r:.3f}")
    thresholds: dict[str, float] = {}
    chosen: dict[str, tuple[str, ...]] = {"page": PARTS}
    best = -1.0
    for recipe in RECIPES["feed"]:
        fp = np.concatenate(feed_oof[recipe])
        tf = lowest_precise(fp, fy, args.precision, feed_pos)
        p, r = pr(fp >= tf, fy, feed_pos)
        print(f"    model on {name(recipe):32} {p:.3f} / {r:.3f} (at {tf:.2f})")
        if p >= args.precision and r > best + 0.005:  # a recipe with more parts must earn it
            best, chosen["feed"], thresholds["feed"] = r, recipe, tf
    [chosen["feed_described"]] = RECIPES["feed_described"]
    dy, dp = np.concatenate(told_y), np.concatenate(told_oof)
    thresholds["feed_described"] = lowest_precise(dp, dy, args.precision, told_pos)
    p, r = pr(dp >= thresholds["feed_described"], dy, told_pos)
    print(f"  feeds with descriptions (each story text against every other story text of its "
          f"fold; {told_pos} same-story pairs): model on "
          f"{name(chosen['feed_described'])} {p:.3f} / {r:.3f} (at "
          f"{thresholds['feed_described']:.2f})")
    p, r = pr(eo, ey)
    print(f"  earlier (ECB+, pairs of a topic's documents; {int(ey.sum())} same-story "
          f"pairs): old rule {p:.3f} / {r:.3f}; threshold nested (chosen on the other "
          "folds' topics by their own cross-validation) for each precision aimed at:")
    best, pick = -1.0, (RECIPES["earlier"][0], TARGETS[-1])
    for recipe in RECIPES["earlier"]:
        cells = []
        for target in TARGETS:
            p, r = pr(np.concatenate(nested[recipe, target]), ey)
            cells.append(f"{target:.2f}: {p:.3f} / {r:.3f}")
            if p >= args.precision + MARGIN and r > best + 0.005:
                best, pick = r, (recipe, target)
        print(f"    model on {name(recipe):32} " + "; ".join(cells))
    chosen["earlier"], aim = pick
    thresholds["earlier"] = lowest_precise(np.concatenate(early_oof[pick[0]]), ey, aim)
    p, r = pr(np.concatenate(nested[pick]), ey)
    print(f"  chosen: feed on {name(chosen['feed'])} at {thresholds['feed']:.2f}; earlier on "
          f"{name(pick[0])}, aiming at precision {aim:.2f} (nested {p:.3f} / {r:.3f}), at "
          f"{thresholds['earlier']:.2f} on all the training topics' cross-validation")

    if args.ablate:
        print("  without each feature (cross-validated as above; the earlier threshold not "
              "nested):")
        for use, recipe in (("feed", chosen["feed"]), ("earlier", pick[0])):
            y, positives = (fy, feed_pos) if use == "feed" else (ey, None)
            aim = args.precision if use == "feed" else pick[1]
            cells = []
            for feature, shown in zip(FEATURES, BOTH_WAYS_FEATURES if recipe == BOTH
                                      else FEATURES, strict=True):
                oof = np.concatenate(ablated[use, name(recipe), feature])
                p, r = pr(oof >= lowest_precise(oof, y, aim, positives), y, positives)
                cells.append(f"{shown} {p:.3f} / {r:.3f}")
            print(f"    {use} on {name(recipe)}: " + "; ".join(cells))

    parts = training(set(range(FOLDS)), set(train_topics), np.random.default_rng(FOLDS))
    page = training(set(range(FOLDS)), set(train_topics), np.random.default_rng(FOLDS), a_page,
                    e_page)
    models = {use: fit_on(page if use == "page" else parts, recipe)
              for use, recipe in chosen.items()}
    judged = Judge(models, thresholds, hubs)
    print("cosine floors: " + ", ".join(f"{use} {cosine_floor(judged, use):.2f}"
                                        for use in thresholds))
    for use, model in models.items():
        print(f"{use} model on {name(chosen[use])}: "
              + ", ".join(f"{n} {c / s:+.2f}" for n, c, s in zip(
                  model.features, model.coef, model.scale, strict=True)))
    written = {"models": {use: model.to_json(digits=6) for use, model in models.items()},
               "trained_on": {use: list(recipe) for use, recipe in chosen.items()},
               "thresholds": thresholds}
    if args.only:
        kept = json.loads(args.out.read_text(encoding="utf-8"))
        for key, values in written.items():
            if args.only in values:
                kept[key][args.only] = values[args.only]
        written = kept
    args.out.write_text(json.dumps(written, indent=1) + "\n", encoding="utf-8")
    if not args.hubs:
        np.save(args.out.with_name(HUBS_FILE.name), hubs.astype(np.float16))
    print(f"wrote {args.out}; thresholds {written['thresholds']}")

    if not args.holdout:
        return
    # Scored once: the held-out stories and topics, the page links' model beside.
    xr, yr, old, positives = allsides_retrieval(a, ~train_outlets)
    p, r = pr(old, yr, int(positives[0]))
    pj, rj = pr(models["feed"].probability(xr) >= thresholds["feed"], yr, int(positives[0]))
    print(f"held out, AllSides test ({int(positives[0])} same-story pairs): judge {pj:.3f} / "
          f"{rj:.3f}, old rule {p:.3f} / {r:.3f}")
    xd, yd, old, positives = allsides_retrieval(ad, ~train_outlets)
    p, r = pr(old, yd, int(positives[0]))
    pj, rj = pr(models["feed_described"].probability(xd) >= thresholds["feed_described"], yd,
                int(positives[0]))
    print(f"held out, AllSides test, items with descriptions ({int(positives[0])} same-story "
          f"pairs): judge {pj:.3f} / {rj:.3f}, old rule {p:.3f} / {r:.3f}")
    held = {t for t in topics if held_out_topic(t)}
    xe, ye, same_topic, olde, re = ecb_pairs(e, held, "earlier", None)
    p, r = pr(olde, ye)
    pj, rj = pr(models["earlier"].probability(read(chosen["earlier"], xe, re))
                >= thresholds["earlier"], ye)
    print(f"held out, ECB+ topics {sorted(held)} (same kind of event, {int(ye.sum())} same-story "
          f"pairs): judge {pj:.3f} / {rj:.3f}, old rule {p:.3f} / {r:.3f}")


if __name__ == "__main__":
    main()
