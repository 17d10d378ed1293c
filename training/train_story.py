"""Train the same-story judge (summariser/story.py). One command, deterministic:

    python training/train_story.py ALLSIDES.jsonl.gz ECBPLUS.jsonl
        [--out summariser/data/story.json] [--cache DIR] [--precision 0.9] [--holdout]

ALLSIDES is ``../shared/eval/stories-allsides.jsonl.gz`` (stories told by three outlets), ECBPLUS
``stories-ecbplus.jsonl`` (news documents in topics of two events each).

What is held out, never fitted or tuned on, and scored once at the end: AllSides' ``test``
split (307 stories) and the ECB+ topics whose number is a multiple of 5
(``story.held_out_topic``).

Pairs, as the bot meets them (texts encoded by the fp32 encoder, as ``Digester.encode``):

* **feed**: an outlet's story text (headline and lead, as the bot stores a digest's title and
  first summary sentence) against a headline alone. AllSides: the story's other two outlets'
  headlines are positives; the other stories' headlines nearest by cosine (``HARD``) and a few
  at random (``EASY``) negatives. ECB+: a document's story text against the headlines of its
  topic (same event: positive; the topic's other event: a hard negative).
* **earlier**: one ECB+ document's story text against another's in the same topic, plus a few
  of other topics.

The judge is an L2-regularised logistic regression (``Linear.fit``). Each use's
threshold is the lowest whose precision reaches ``--precision`` on out-of-fold probabilities
(5 folds grouped by story on AllSides, by topic on ECB+), measured the way it is used: for
feeds, each held-out story text against every headline of its fold's stories; for "earlier",
every pair of documents of the fold's topics. The old rules (cosine 0.80 and a shared content
word) are printed beside each figure, on the same pairs.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summariser.linear import Linear  # noqa: E402
from summariser.story import (  # noqa: E402
    FEATURES,
    WEIGHTS,
    Judge,
    Terms,
    features,
    held_out_topic,
)
from summariser.story import HUBS as HUBS_FILE  # noqa: E402
from summariser.words import content_words  # noqa: E402

HARD, EASY = 12, 4
HUBS = 128  # centroids of the training headlines: a vector's nearest one is its hub
FOLDS = 5
L2 = 1.0
OLD_THRESHOLD = 0.80
FLOOR = 0.2  # cosines below this are never the same story at any threshold chosen here
GRID = np.round(np.arange(0.30, 0.991, 0.01), 2)


def first_sentence(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", line.strip())[0]
    return ""


def story_text(headline: str | None, lead: str) -> str:
    """What the bot stores of a digest: its title and first summary sentence."""
    return " ".join(part for part in (headline, first_sentence(lead)) if part)


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
    heads, texts, story, split = [], [], [], []
    for k, s in enumerate(stories):
        for outlet in s["outlets"]:
            heads.append(outlet["headline"])
            texts.append(story_text(outlet["headline"], outlet["lead"]))
            story.append(k)
            split.append(s["split"])
    return {"heads": heads, "texts": texts, "story": np.array(story), "split": np.array(split),
            "head_vectors": encode(heads, cache, "allsides-heads"),
            "text_vectors": encode(texts, cache, "allsides-texts"),
            "head_terms": [Terms.of(h) for h in heads], "text_terms": [Terms.of(t) for t in texts]}


def ecbplus(path: Path, cache: Path) -> dict:
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    texts = [story_text(d["headline"], d["text"]) for d in docs]
    titled = [k for k, d in enumerate(docs) if d["headline"]]
    heads = [docs[k]["headline"] for k in titled]
    return {"texts": texts, "topic": np.array([d["topic"] for d in docs]),
            "event": np.array([d["event"] for d in docs]), "titled": np.array(titled),
            "heads": heads, "text_vectors": encode(texts, cache, "ecb-texts"),
            "head_vectors": encode(heads, cache, "ecb-heads"),
            "text_terms": [Terms.of(t) for t in texts], "head_terms": [Terms.of(h) for h in heads],
            "words": [content_words(t) for t in texts]}


# -- pairs ---------------------------------------------------------------------------------


def allsides_training(a: dict, keep: np.ndarray, rng: np.random.Generator
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Feed pairs among the outlets of stories ``keep`` (a mask over outlets)."""
    rows = np.flatnonzero(keep)
    cosine = a["text_vectors"][rows] @ a["head_vectors"][rows].T
    x, y = [], []
    for qi, q in enumerate(rows):
        same = a["story"][rows] == a["story"][q]
        positives = np.flatnonzero(same & (rows != q))
        other = np.flatnonzero(~same)
        hard = other[np.argsort(-cosine[qi, other])[:HARD]]
        easy = rng.choice(other, EASY, replace=False)
        chosen = np.concatenate([positives, hard, easy])
        x.append(features(cosine[qi, chosen], a["head_centre"][rows[chosen]],
                          [a["head_terms"][rows[c]] for c in chosen], a["text_centre"][q],
                          a["text_terms"][q]))
        y += [1] * len(positives) + [0] * (HARD + EASY)
    return np.concatenate(x), np.array(y)


def allsides_retrieval(a: dict, keep: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every story text of ``keep`` against every headline of ``keep`` but its own outlet's:
    features of the pairs at cosine ``FLOOR`` or more, their labels, and for the old rule
    (cosine 0.80, a shared word) its calls; plus how many positives there are in all."""
    rows = np.flatnonzero(keep)
    cosine = a["text_vectors"][rows] @ a["head_vectors"][rows].T
    same = a["story"][rows][:, None] == a["story"][rows][None, :]
    np.fill_diagonal(cosine, -2)  # an outlet's own headline is the article itself
    qs, cs = np.nonzero(cosine >= FLOOR)
    x = np.zeros((len(qs), len(FEATURES)))
    for q in np.unique(qs):
        at = np.flatnonzero(qs == q)
        x[at] = features(cosine[q, cs[at]], a["head_centre"][rows[cs[at]]],
                         [a["head_terms"][rows[c]] for c in cs[at]], a["text_centre"][rows[q]],
                         a["text_terms"][rows[q]])
    y = same[qs, cs].astype(int)
    old = (cosine[qs, cs] >= OLD_THRESHOLD) & np.array(
        [bool(a["head_terms"][rows[c]].words & a["text_terms"][rows[q]].words)
         for q, c in zip(qs, cs, strict=True)])
    positives = int(same.sum() - len(rows))
    return x, y, old, np.array([positives])


def ecb_pairs(e: dict, topics: set[int], kind: str, rng: np.random.Generator | None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """ECB+ pairs among ``topics``: ``feed`` (story text against another document's
    headline) or ``earlier`` (story text against story text); within each topic all of them,
    and with ``rng`` a few of other topics as easy negatives. Features, labels, same topic,
    and the old rule's calls."""
    docs = [k for k in range(len(e["texts"])) if e["topic"][k] in topics]
    if kind == "feed":
        cands = [(j, h) for h, j in enumerate(e["titled"]) if e["topic"][j] in topics]
        vectors, terms, centres = e["head_vectors"], e["head_terms"], e["head_centre"]
    else:
        cands = [(j, j) for j in docs]
        vectors, terms, centres = e["text_vectors"], e["text_terms"], e["text_centre"]
    x, y, same_topic, old = [], [], [], []
    for q in docs:
        chosen = [(j, h) for j, h in cands if j != q and e["topic"][j] == e["topic"][q]]
        if rng is not None:
            others = [(j, h) for j, h in cands if e["topic"][j] != e["topic"][q]]
            chosen += [others[i] for i in rng.choice(len(others), 3, replace=False)]
        if not chosen:
            continue
        picked = [h for _, h in chosen]
        cosine = vectors[picked] @ e["text_vectors"][q]
        x.append(features(cosine, centres[picked], [terms[h] for _, h in chosen],
                          float(e["text_centre"][q]), e["text_terms"][q]))
        y += [int(e["event"][j] == e["event"][q]) for j, _ in chosen]
        same_topic += [bool(e["topic"][j] == e["topic"][q]) for j, _ in chosen]
        old += [bool(c >= OLD_THRESHOLD and terms[h].words & e["text_terms"][q].words)
                for c, (_, h) in zip(cosine, chosen, strict=True)]
    return (np.concatenate(x), np.array(y), np.array(same_topic), np.array(old))


# -- fitting and scoring ---------------------------------------------------------------------


def fit(x: np.ndarray, y: np.ndarray, columns: list[int] | None = None) -> Linear:
    """The judge on ``FEATURES`` (or on those at ``columns``) fitted on ``x``, ``y``."""
    columns = list(range(len(FEATURES))) if columns is None else columns
    return Linear.fit(x[:, columns], y.astype(float), [FEATURES[c] for c in columns], l2=L2)


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


def cosine_floor(judged: Judge, threshold: float) -> float:
    """The lowest cosine with which a pair can reach ``threshold``, at the most common centre
    cosines (for reading only: ``Judge.reach`` is exact)."""
    for cosine in np.arange(-1, 1.001, 0.01):
        if judged.reach(np.array([[cosine, 0.5, 0.5]]), threshold)[0]:
            return float(cosine)
    return 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("allsides", type=Path)
    parser.add_argument("ecbplus", type=Path)
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/related-cache"))
    parser.add_argument("--precision", type=float, default=0.9)
    parser.add_argument("--holdout", action="store_true",
                        help="score the held-out stories and topics (once, at the end)")
    parser.add_argument("--ablate", action="store_true",
                        help="also report each feature's worth (the judge without it)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    a = allsides(args.allsides, args.cache)
    e = ecbplus(args.ecbplus, args.cache)
    train_outlets = a["split"] != "test"
    hubs = kmeans(a["head_vectors"][a["split"] == "train"], HUBS)  # unsupervised
    hub = Judge(Linear.fit(np.zeros((2, len(FEATURES))), np.array([0, 1]), FEATURES), {},
                hubs).hub
    a["head_centre"] = hub(a["head_vectors"])
    a["text_centre"] = hub(a["text_vectors"])
    e["head_centre"] = hub(e["head_vectors"])
    e["text_centre"] = hub(e["text_vectors"])
    train_stories = np.unique(a["story"][train_outlets])
    fold_of_story = {s: i % FOLDS for i, s in enumerate(rng.permutation(train_stories))}
    story_fold = np.array([fold_of_story.get(s, -1) for s in a["story"]])
    topics = sorted({int(t) for t in e["topic"]})
    train_topics = [t for t in topics if not held_out_topic(t)]
    topic_fold = {t: i % FOLDS for i, t in enumerate(train_topics)}
    print(f"AllSides: {len(train_stories)} stories to fit (train + val), "
          f"{int((~train_outlets).sum() / 3)} held out (test); ECB+: {len(train_topics)} topics "
          f"to fit, {len(topics) - len(train_topics)} held out")

    def training(stories_fold: set[int], topics_in: set[int], rng: np.random.Generator
                 ) -> tuple[np.ndarray, np.ndarray]:
        xa, ya = allsides_training(a, np.isin(story_fold, list(stories_fold)), rng)
        xf, yf, _, _ = ecb_pairs(e, topics_in, "feed", rng)
        xe, ye, _, _ = ecb_pairs(e, topics_in, "earlier", rng)
        return np.concatenate([xa, xf, xe]), np.concatenate([ya, yf, ye])

    columns = {name: [i for i, f in enumerate(FEATURES) if f != name] for name in FEATURES}
    variants: dict[str, list[int]] = {"judge": list(range(len(FEATURES)))}
    if args.ablate:
        variants |= {f"without {name}": cols for name, cols in columns.items()}
    feed_oof: dict[str, list] = {k: [] for k in variants}
    feed_y, feed_old, feed_pos = [], [], 0
    ecb_oof: dict[str, list] = {k: [] for k in variants}
    ecb_y, ecb_old = [], []
    for fold in range(FOLDS):
        x, y = training({f for f in range(FOLDS) if f != fold},
                        {t for t in train_topics if topic_fold[t] != fold},
                        np.random.default_rng(fold))
        xr, yr, old, positives = allsides_retrieval(a, story_fold == fold)
        xe, ye, _, olde = ecb_pairs(e, {t for t in train_topics
                                                 if topic_fold[t] == fold}, "earlier", None)
        for name, cols in variants.items():
            model = fit(x, y, cols)
            feed_oof[name].append(model.probability(xr[:, cols]))
            ecb_oof[name].append(model.probability(xe[:, cols]))
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
    print(f"  {'':24} {'feeds (AllSides)':>22} {'earlier (ECB+ same kind)':>26}")
    p, r = pr(fo, fy, feed_pos)
    pe, re_ = pr(eo, ey)
    print(f"  {'old rule (0.80 + word)':24} {p:10.3f} / {r:.3f} {pe:14.3f} / {re_:.3f}")
    thresholds = {}
    for name in variants:
        fp, ep = np.concatenate(feed_oof[name]), np.concatenate(ecb_oof[name])
        tf = lowest_precise(fp, fy, args.precision, feed_pos)
        te = lowest_precise(ep, ey, args.precision)
        p, r = pr(fp >= tf, fy, feed_pos)
        pe, re_ = pr(ep >= te, ey)
        print(f"  {name:24} {p:10.3f} / {r:.3f} (at {tf:.2f}) {pe:6.3f} / {re_:.3f} "
              f"(at {te:.2f})")
        if name == "judge":
            thresholds = {"feed": tf, "earlier": te}

    x, y = training(set(range(FOLDS)), set(train_topics), np.random.default_rng(FOLDS))
    model = fit(x, y)
    print("cosine floors: " + ", ".join(
        f"{use} {cosine_floor(Judge(model, thresholds, hubs), t):.2f}"
        for use, t in thresholds.items()))
    print(f"final judge on {len(y):,} pairs ({int(y.sum()):,} same story): "
          + ", ".join(f"{n} {c / s:+.2f}" for n, c, s in zip(FEATURES, model.coef, model.scale,
                                                              strict=True))
          + f"; thresholds {thresholds}")
    args.out.write_text(json.dumps({"model": model.to_json(digits=6), "thresholds": thresholds},
                                   indent=1) + "\n", encoding="utf-8")
    np.save(args.out.with_name(HUBS_FILE.name), hubs.astype(np.float16))
    print(f"wrote {args.out}")

    if not args.holdout:
        return
    # Scored once: the held-out stories and topics.
    xr, yr, old, positives = allsides_retrieval(a, ~train_outlets)
    p, r = pr(old, yr, int(positives[0]))
    pj, rj = pr(model.probability(xr) >= thresholds["feed"], yr, int(positives[0]))
    print(f"held out, AllSides test ({int(positives[0])} same-story pairs): judge {pj:.3f} / "
          f"{rj:.3f}, old rule {p:.3f} / {r:.3f}")
    held = {t for t in topics if held_out_topic(t)}
    xe, ye, same_topic, olde = ecb_pairs(e, held, "earlier", None)
    p, r = pr(olde, ye)
    pj, rj = pr(model.probability(xe) >= thresholds["earlier"], ye)
    print(f"held out, ECB+ topics {sorted(held)} (same kind of event, {int(ye.sum())} same-story "
          f"pairs): judge {pj:.3f} / {rj:.3f}, old rule {p:.3f} / {r:.3f}")


if __name__ == "__main__":
    main()
