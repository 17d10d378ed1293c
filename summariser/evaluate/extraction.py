"""``extraction``: token precision, recall and F1 of the article text, ours beside plain
trafilatura."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summariser.evaluate.files import Output, read_html
from summariser.words import token_prf


def evaluate_extraction(directory: Path, predictions: Path | None) -> dict[str, Any]:
    """Token precision, recall and F1 of our extractor and of plain trafilatura
    against the true article text of each page in ``directory``."""
    import trafilatura

    from summariser.errors import DigestError
    from summariser.extract import extract_article

    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    out = Output(predictions)
    sums = {"ours": [0.0, 0.0, 0.0], "trafilatura": [0.0, 0.0, 0.0]}
    pages = 0
    for page_id, expected in sorted(truth.items()):
        path = directory / "html" / f"{page_id}.html.gz"
        if not path.exists():
            continue
        html = read_html(path)
        try:
            ours = extract_article(html, expected.get("url")).text
        except DigestError:
            ours = ""
        plain = trafilatura.extract(html, url=expected.get("url")) or ""
        for name, text in (("ours", ours), ("trafilatura", plain)):
            for k, value in enumerate(token_prf(text, expected["articleBody"])):
                sums[name][k] += value
        out.write({"id": page_id, "text": ours})
        pages += 1
    out.close()
    return {
        "pages": pages,
        "extractors": {
            name: dict(zip(("precision", "recall", "f1"),
                           (round(v / max(pages, 1), 4) for v in values), strict=True))
            for name, values in sums.items()
        },
    }


def print_extraction(result: dict[str, Any]) -> None:
    print(f"{result['pages']} pages")
    print(f"{'extractor':>12}  {'precision':>9} {'recall':>7} {'F1':>7}")
    for name, row in result["extractors"].items():
        print(f"{name:>12}  {row['precision']:9.4f} {row['recall']:7.4f} {row['f1']:7.4f}")

