"""The language an article is written in, told from its text.

``detect_language(text)`` returns an ISO 639-1 code (``"en"``, ``"fr"``, ``"de"`` ...) or ``None``
when the text is too short or the detector is unsure. It uses py3langid (langid.py's maintained
fork): a naive Bayes model over byte n-grams that ships inside the wheel, so nothing is
downloaded and it loads in about 0.3 s, once, on first use. Only the first ``SAMPLE_CHARS``
characters are read, so the cost does not grow with the article.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

log = logging.getLogger(__name__)

SAMPLE_CHARS = 3000
MIN_LETTERS = 20
MIN_PROBABILITY = 0.5

_lock = threading.Lock()
_identifier: list[Any] = []  # the loaded py3langid identifier, once


def _load() -> Any:
    with _lock:
        if not _identifier:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
            _identifier.append(identifier)
            log.debug("language identifier loaded")
        return _identifier[0]


def sample(parts: Iterable[str], limit: int = SAMPLE_CHARS) -> str:
    """The first ``limit`` characters of ``parts`` joined by newlines: what the detector reads."""
    taken: list[str] = []
    size = 0
    for part in parts:
        if size >= limit:
            break
        piece = part[: limit - size]
        taken.append(piece)
        size += len(piece) + 1
    return "\n".join(taken)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the language ``text`` is written in, or ``None`` when unsure."""
    text = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None
    code, probability = _load().classify(text)
    if float(probability) < MIN_PROBABILITY:
        return None
    return str(code)
