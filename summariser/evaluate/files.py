"""Reading the evaluation data and writing predictions, for every evaluation."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def read_jsonl(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines file (gzipped or not), up to ``limit``."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if limit is not None and number >= limit:
                return
            if line.strip():
                yield json.loads(line)


class Output:
    """Predictions written as JSON Lines to ``path``, or nowhere when it is None."""

    def __init__(self, path: Path | None) -> None:
        self._handle = path.open("w", encoding="utf-8") if path else None

    def write(self, record: dict[str, Any]) -> None:
        if self._handle:
            self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self._handle:
            self._handle.close()


def read_html(path: Path) -> str:
    """A gzipped page of the shared page sets as text, decoded as the bot decodes a page it
    fetches without a charset in its Content-Type: by the charset the page declares, else the
    one it is detected as (13 of the 898 shared pages are not UTF-8: ISO-8859-1, GBK …)."""
    from summariser.fetch import decode_page  # the HTTP stack only for the evaluations

    return decode_page(gzip.decompress(path.read_bytes()))
