"""Choose the faithfulness guard's support threshold on dev data. One command:

    python training/tune_guard.py DEV.jsonl [--limit 300] [--keep 0.95]

Reference highlights are faithful abstractive sentences written by journalists: checked against
their own article they are positives; checked against another article (the next one in the file)
they are negatives, i.e. fluent sentences the article does not support. The threshold is the
highest value that still lets ``--keep`` of the positives through, for the share of content
words found in the article (coverage) and for embedding support; the script prints how many
positives and negatives the checks pass at those thresholds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summariser.encoder import get_encoder  # noqa: E402
from summariser.evaluate.files import read_jsonl  # noqa: E402
from summariser.evaluate.summaries import article_document  # noqa: E402
from summariser.guard import Guard  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dev", type=Path)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--keep", type=float, default=0.95)
    args = parser.parse_args()

    encoder = get_encoder()
    items = []
    for item in read_jsonl(args.dev, args.limit):
        document = article_document(item["article"])
        vectors, _ = document.embeddings(encoder)
        text = " ".join(s.text for s in document.sentences)
        highlights = [h.rstrip(" .") + "." for h in item["highlights"]]
        items.append((text, vectors, highlights))

    from summariser.guard import coverage, stems

    shares = {"own": [], "other": []}
    for k, (text, _, highlights) in enumerate(items):
        other_text = items[(k + 1) % len(items)][0]
        shares["own"] += [coverage(h, stems(text)) for h in highlights]
        shares["other"] += [coverage(h, stems(other_text)) for h in highlights]
    min_coverage = float(np.quantile(shares["own"], 1 - args.keep))
    passing = np.mean(np.array(shares["other"]) >= min_coverage)
    print(f"coverage threshold keeping {args.keep:.0%} of own-article highlights: "
          f"{min_coverage:.2f} (other-article highlights passing: {passing:.1%})")

    # support judged below; the other checks as shipped, with the coverage just found
    guard = Guard(encoder, threshold=-1.0, min_coverage=min_coverage)
    positives, negatives = [], []
    for k, (text, vectors, highlights) in enumerate(items):
        other_text, other_vectors, _ = items[(k + 1) % len(items)]
        positives += guard.check(highlights, text, vectors)
        negatives += guard.check(highlights, other_text, other_vectors)
    pos_support = np.array([v.support for v in positives])
    threshold = float(np.quantile(pos_support, 1 - args.keep))
    print(f"{len(positives)} highlight sentences from {len(items)} articles")
    print(f"support threshold keeping {args.keep:.0%} of own-article highlights: {threshold:.3f}")
    for label, verdicts in (("own article", positives), ("other article", negatives)):
        lexical = [v for v in verdicts if v.ok]
        supported = [v for v in lexical if v.support >= threshold]
        print(f"{label:>14}: {len(lexical) / len(verdicts):.1%} pass names/numbers/quotes, "
              f"{len(supported) / len(verdicts):.1%} pass everything")
    reasons: dict[str, int] = {}
    for verdict in positives:
        if not verdict.ok:
            key = verdict.reason.split(":")[0].split(" (")[0]
            reasons[key] = reasons.get(key, 0) + 1
    print("own-article highlights failing a lexical check:", reasons)


if __name__ == "__main__":
    main()
