"""Stack the pair reader on the same-story judge, on AllSides ``val``: ``pair.json``.

    python training/fit_pair.py ALLSIDES.jsonl.gz [--ecbplus ECBPLUS.jsonl]
        [--out summariser/data/pair.json] [--onnx FILE] [--precision 0.9] [--threads 2]
        [--judge STORY.json]

The reader (``training/train_pair.py``, exported by ``python -m summariser.export_onnx --pair``)
was trained on AllSides ``train``; here, on ``val`` (307 stories it never saw), the bot's two
feed uses are replayed as the bot runs them: each outlet's story text (its headline and lead's
first ``STORY_SENTENCES`` sentences, encoded as ``Digester.encode`` does) against every other
``val`` outlet's headline (``feed``), or its story text (``feed_described``: a feed item with a
description), through ``Judge.matches`` at the judge's probability ``FLOOR``; of those, the
judge's ``READ`` likeliest are read by the reader (its headline only). With ``--ecbplus``,
"earlier" too, on the ECB+ topics the judge may be fitted on: each document pasted against the
others of its topic, the reader reading their titles.

A logistic model over the two log-odds and how close the story's other candidates came
(``pair.STACKED_FEATURES``, ``pair.stacked_rows``) decides. Its threshold is the lowest whose
precision, out of fold (5 folds grouped by story, or ECB+ topic), reaches ``--precision``
(``EARLIER_PRECISION`` for "earlier"). Printed in the same run, on the same candidates and the
same folds: the judge at its shipped threshold (on all pairs, as before), the judge
re-thresholded, the reader alone, the two log-odds alone. A use gets the reader only where,
stacked, it finds more than the judge re-thresholded at the precision aimed at; its model is
then fitted on all the pairs. ``test`` and the held-out ECB+ topics stay held out: ``python
-m summariser.evaluate related --allsides --ecbplus`` reads them. The judge is the committed
one, fitted on ``train`` and ``val``; ``--judge`` stacks on another, such as one
``training/train_story.py --without-val`` fitted on ``train`` alone, whose log-odds on ``val``
are out of sample (it read the same on ``val``: the README's figures).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summariser.evaluate.related import allsides_outlets, pasted  # noqa: E402
from summariser.linear import Linear  # noqa: E402
from summariser.pair import (  # noqa: E402
    PLAIN_FEATURES,
    STACKED,
    STACKED_FEATURES,
    PairReader,
    plain_rows,
    stacked_rows,
)
from summariser.story import Judge, Terms, held_out_topic, judge  # noqa: E402
from training.train_story import lowest_precise, pr  # noqa: E402

FLOOR = 0.01  # the judge's probability a candidate needs to be read
READ = 4  # of a story's candidates of one use, the judge's likeliest this many are read
FOLDS = 5
L2 = 1.0
# "Earlier" aims higher, as ``train_story.py`` does for it: its topics are few, and the judge's
# held-out topics read lower than its cross-validation.
EARLIER_PRECISION = 0.94


@dataclass
class Replay:
    """One use replayed: stories (texts, vectors) against rows (vectors, texts the judge reads,
    headlines the reader reads); ``label[q, k]`` True for the same story, False for another,
    None for a pair not to score (a story's own row, another ECB+ topic's); ``group`` of each
    story, for the folds."""

    texts: list[str]
    vectors: np.ndarray
    others: np.ndarray
    other_texts: list[str]
    other_heads: list[str]
    label: np.ndarray
    group: np.ndarray

    def candidates(self, use: str, floor: float | None, judged: Judge
                   ) -> list[tuple[int, int, float]]:
        """(story, row, ``judged``'s probability) of each story's candidates at ``floor`` (at
        ``use``'s threshold, None), pairs not scored left out: by story, each story's best
        first, as ``headlines.confirmed`` is given them."""
        terms = [Terms.of(t) for t in self.other_texts]
        found = []
        for q in range(len(self.texts)):
            found += [(q, k, p) for p, k in judged.matches(
                self.vectors[q], self.texts[q], self.others, terms, use, floor=floor)
                if self.label[q, k] is not None]
        return found


def out_of_fold(x: np.ndarray, y: np.ndarray, fold: np.ndarray, where: np.ndarray,
                features: Sequence[str], target: float, positives: int
                ) -> tuple[np.ndarray, float]:
    """Each row's probability (of the rows ``where`` holds; 0 elsewhere) by a logistic model
    over ``x`` fitted on those of the other folds, and the lowest threshold whose precision
    over them reaches ``target``."""
    p = np.zeros(len(y))
    for f in range(FOLDS):
        fit = Linear.fit(x[where & (fold != f)], y[where & (fold != f)].astype(float), features,
                         l2=L2)
        p[where & (fold == f)] = fit.probability(x[where & (fold == f)])
    return p, lowest_precise(p[where], y[where], target, positives)


def allsides_replays(path: Path, digester: Any) -> dict[str, Replay]:
    """The two feed uses on AllSides ``val``: each outlet's story text against every other
    outlet's headline (``feed``) or story text (``feed_described``)."""
    texts, heads, story = allsides_outlets(path, "val")
    label = (story[:, None] == story[None, :]).astype(object)
    np.fill_diagonal(label, None)
    vectors = digester.encode(texts)
    return {"feed": Replay(texts, vectors, digester.encode(heads), heads, heads, label, story),
            "feed_described": Replay(texts, vectors, vectors, texts, heads, label, story)}


def ecb_replay(path: Path, digester: Any) -> Replay:
    """"Earlier" on the ECB+ topics the judge may be fitted on (not ``held_out_topic``): each
    document as the bot stores it pasted (its title, and its story text), against the other
    documents of its topic, of the same event or the topic's other one."""
    docs = [d for line in path.read_text(encoding="utf-8").splitlines()
            if not held_out_topic(int((d := json.loads(line))["topic"]))]
    heads, texts = map(list, zip(*(pasted(d["headline"], d["text"]) for d in docs), strict=True))
    topic = np.array([int(d["topic"]) for d in docs])
    event = np.array([d["event"] for d in docs])
    label = (event[:, None] == event[None, :]).astype(object)
    label[topic[:, None] != topic[None, :]] = None
    np.fill_diagonal(label, None)
    vectors = digester.encode(texts)
    return Replay(texts, vectors, vectors, texts, heads, label, topic)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("allsides", type=Path)
    parser.add_argument("--ecbplus", type=Path, help="also try the reader for \"earlier\"")
    parser.add_argument("--out", type=Path, default=STACKED)
    parser.add_argument("--onnx", type=Path, help="the exported reader (default: installed)")
    parser.add_argument("--precision", type=float, default=0.9)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--read", type=int, default=READ,
                        help="of a story's candidates of one use, the judge's likeliest read")
    parser.add_argument("--judge", type=Path, default=None,
                        help="the judge whose log-odds are stacked (default: the committed one, "
                             "fitted on train and val; train_story.py --without-val fits one "
                             "that never saw val)")
    args = parser.parse_args()
    stacked_on = judge(args.judge) if args.judge else judge()
    from summariser.config import SummariserSettings
    from summariser.digest import Digester

    digester = Digester(SummariserSettings.from_env())
    replays = allsides_replays(args.allsides, digester)
    if args.ecbplus:
        replays["earlier"] = ecb_replay(args.ecbplus, digester)
    reader = PairReader(args.onnx, threads=args.threads)
    models, thresholds, plains, plain_thresholds, measured = {}, {}, {}, {}, {}
    for use, replay in replays.items():
        target = EARLIER_PRECISION if use == "earlier" else args.precision
        groups = np.unique(replay.group)
        fold_of = dict(zip(groups, np.random.default_rng(0).permutation(len(groups)) % FOLDS,
                           strict=True))
        positives = int((replay.label == True).sum())  # noqa: E712 (an object array)
        shipped = replay.candidates(use, None, judge())
        called = np.array([replay.label[q, k] for q, k, _ in shipped], dtype=int)
        before = pr(np.ones(len(called), bool), called, positives)
        found = replay.candidates(use, FLOOR, stacked_on)
        story_of = np.array([q for q, _, _ in found])
        plain, full, crowded, q_of, y = [], [], [], [], []
        for q in np.unique(story_of):
            mine = [found[i] for i in np.flatnonzero(story_of == q)]
            read = mine[:args.read]
            pair = reader.logits(replay.texts[q], [replay.other_heads[k] for _, k, _ in read])
            judged = [p for _, _, p in mine]
            plain.append(plain_rows(judged, pair))
            more = len(mine) > len(read)  # a candidate not read: the stacked model decides
            full.append(stacked_rows(judged, pair) if more
                        else np.zeros((len(read), len(STACKED_FEATURES))))
            crowded += [more] * len(read)
            q_of += [q] * len(read)
            y += [int(replay.label[q, k]) for _, k, _ in read]
        x, x_full, y, crowded = np.vstack(plain), np.vstack(full), np.array(y), np.array(crowded)
        fold = np.array([fold_of[replay.group[q]] for q in q_of])
        figures = {"candidates": len(y), "read_positives": int(y.sum()),
                   "crowded": int(crowded.sum()), "positives": positives, "aimed_at": target,
                   "judge_shipped": [round(v, 3) for v in before]}
        everywhere = np.ones(len(y), dtype=bool)
        fitted = {}
        for name, columns in (("judge", [0]), ("reader", [1]), ("log-odds", [0, 1])):
            p, threshold = fitted[name] = out_of_fold(
                x[:, columns], y, fold, everywhere, [PLAIN_FEATURES[c] for c in columns], target,
                positives)
            figures[name] = [round(v, 3) for v in pr(p >= threshold, y, positives)]
        p_plain, plain_threshold = fitted["log-odds"]  # where no crowd is measured
        p_full, threshold = out_of_fold(x_full, y, fold, crowded, STACKED_FEATURES, target,
                                        positives)
        called = np.where(crowded, p_full >= threshold, p_plain >= plain_threshold)
        figures["stacked"] = [round(v, 3) for v in pr(called, y, positives)]
        figures["threshold"], figures["plain_threshold"] = threshold, plain_threshold
        measured[use] = figures
        print(f"{use}: {json.dumps(figures)}", flush=True)
        # kept where, at the precision aimed at, it finds more than the judge re-thresholded
        if figures["stacked"][0] >= target and figures["stacked"][1] > figures["judge"][1]:
            models[use] = Linear.fit(x_full[crowded], y[crowded].astype(float), STACKED_FEATURES,
                                     l2=L2)
            plains[use] = Linear.fit(x, y.astype(float), PLAIN_FEATURES, l2=L2)
            thresholds[use], plain_thresholds[use] = threshold, plain_threshold
    args.out.write_text(json.dumps({
        "models": {use: model.to_json(digits=6) for use, model in models.items()},
        "thresholds": thresholds,
        "plain": {use: model.to_json(digits=6) for use, model in plains.items()},
        "plain_thresholds": plain_thresholds, "floors": {use: FLOOR for use in models},
        "read": args.read,
        "measured": measured}, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: the reader decides with the judge for {sorted(models)}")


if __name__ == "__main__":
    main()
