"""The pair reader: MiniLM reading a story and a headline together, for the same-story judge.

The judge (``story.py``) sees two vectors and the words two texts share: a headline that tells
the article's story in other words can escape it. The pair reader reads ``[CLS] story [SEP]
headline [SEP]`` through the packaged MiniLM fine-tuned on AllSides (``training/train_pair.py``),
and a linear head over the product and the absolute difference of the two texts' mean token
vectors gives the log-odds that they tell one story. It reads only the judge's likeliest few
candidates (``headlines.py``), where a stacked model of the two (``pair.json``,
``training/fit_pair.py``) decides.

What is committed is the change from the packaged weights (``DELTA``: low-rank factors of each
matrix's change, the changed biases and layer norms); ``python -m summariser.export_onnx
--pair`` (``make install``) adds it to the packaged weights and exports the reader to ONNX
(``default_pair_path``). At run time it runs on ONNX Runtime with the ``tokenizers`` library: no
torch. Where the export is missing the judge decides alone, as before, and says so once.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from summariser.linear import Linear

log = logging.getLogger(__name__)

MAX_TOKENS = 128  # word pieces of a pair: the longer text is cut (the story, for a headline)
MAX_CHARS = 2_000  # of each text, read before tokenising: far more than 128 word pieces
DELTA = Path(__file__).parent / "data" / "pair-delta.npz"
STACKED = Path(__file__).parent / "data" / "pair.json"
PAIR_FILE = "pair-reader.onnx"
# Of each read candidate: the judge's log-odds and the reader's; the judge's log-odds of its
# likeliest candidate of the use that is not read; the mean log-odds of the judge and of the
# reader over the candidates read. A story many of a feed's headlines come close to (a topic the
# feed covers every day) needs more of any one of them. Where the judge finds no more candidates
# than are read, there is no such crowd to measure, and the two log-odds decide alone
# (``PLAIN_FEATURES``).
STACKED_FEATURES = ("judge", "pair", "crowd", "judge_mean", "pair_mean")
PLAIN_FEATURES = STACKED_FEATURES[:2]
# Encoder weights whose change is not committed: the word and position embeddings (large, and
# their change is small), the pooler (unused).
UNCHANGED = ("embeddings.word_embeddings", "embeddings.position_embeddings", "pooler")


def default_pair_path() -> Path:
    """Where ``export_onnx --pair`` writes the reader: this environment's
    ``share/article-digest``, beside the encoder's export."""
    return Path(sys.prefix) / "share" / "article-digest" / PAIR_FILE


def torch_pair_model(encoder: Any) -> Any:
    """The reader on torch around a transformers ``encoder`` (for training and export only):
    ``(input_ids, attention_mask, token_type_ids) -> log-odds``."""
    import torch

    class PairModel(torch.nn.Module):  # type: ignore[misc]  # torch is Any to mypy here
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.encoder = inner
            width = inner.config.hidden_size
            self.head = torch.nn.Linear(2 * width, 1)
            with torch.no_grad():  # start where the cosine of the two mean vectors is
                self.head.weight.zero_()
                self.head.weight[0, :width] = 10.0
                self.head.bias.fill_(-6.0)

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            second = token_type_ids.unsqueeze(-1).to(hidden.dtype) * mask
            first = mask - second

            def mean(weights: torch.Tensor) -> torch.Tensor:
                pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
                return torch.nn.functional.normalize(pooled, dim=-1)

            story, headline = mean(first), mean(second)
            both = torch.cat([story * headline, (story - headline).abs()], dim=-1)
            logit: torch.Tensor = self.head(both).squeeze(-1)
            return logit

    return PairModel(encoder)


def compress(start: Mapping[str, Any], trained: Mapping[str, Any], rank: int
             ) -> dict[str, np.ndarray]:
    """The change from ``start`` to ``trained`` (two encoders' state dicts, torch tensors or
    arrays) as committed: each matrix's change as its rank-``rank`` factors ``.a @ .b`` (by
    SVD), every other changed weight's change whole (``.delta``); ``UNCHANGED`` weights left
    out."""
    found: dict[str, np.ndarray] = {}
    for key, value in trained.items():
        after = np.asarray(value, dtype=np.float64)
        if key.startswith(UNCHANGED) or not np.issubdtype(after.dtype, np.floating):
            continue
        delta = after - np.asarray(start[key], dtype=np.float64)
        if not delta.any():
            continue
        if delta.ndim == 2 and min(delta.shape) > 2 * rank:
            left, size, right = np.linalg.svd(delta, full_matrices=False)
            found[f"{key}.a"] = left[:, :rank] * size[:rank]
            found[f"{key}.b"] = right[:rank]
        else:
            found[f"{key}.delta"] = delta
    return found


def applied(state: Mapping[str, Any], factors: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """``state`` (an encoder's state dict of arrays) with the committed change ``factors``
    added: each weight's ``.a @ .b`` or ``.delta``."""
    changed = dict(state)
    for name in factors:
        key, part = name.rsplit(".", 1)  # the head's own weights ("head.weight") are not these
        if part == "delta":
            change = factors[name].astype(np.float32)
        elif part == "a":
            change = (factors[name].astype(np.float32) @ factors[f"{key}.b"].astype(np.float32))
        else:
            continue
        changed[key] = np.asarray(state[key], dtype=np.float32) + change.reshape(
            np.shape(state[key]))
    return changed


@dataclass(frozen=True, slots=True)
class Stacked:
    """How the judge's log-odds, the reader's and how close the use's other candidates came
    make one probability, per use, with each use's threshold; the two log-odds alone, with
    theirs, where the judge found no candidate that is not read; and how many of the judge's
    candidates the reader reads (``pair.json``)."""

    models: dict[str, Linear]
    thresholds: dict[str, float]
    plain: dict[str, Linear]  # the two log-odds alone, and their thresholds
    plain_thresholds: dict[str, float]
    floors: dict[str, float]  # the judge's lowest probability a candidate needs to be read
    read: int  # of each use's candidates, the judge's likeliest this many are read

    def decide(self, judged: np.ndarray, pair_logit: np.ndarray, use: str
               ) -> tuple[np.ndarray, float]:
        """The stacked probability of each read candidate of one story and ``use``, and the
        threshold it must reach: ``judged`` holds the judge's probabilities of all the use's
        candidates at its floor, best first, the first ``len(pair_logit)`` of them read. With
        more candidates than were read, by the use's model (``stacked_rows``); else by the two
        log-odds alone."""
        if len(judged) > len(pair_logit):
            return (self.models[use].probability(stacked_rows(judged, pair_logit)),
                    self.thresholds[use])
        return (self.plain[use].probability(plain_rows(judged, pair_logit)),
                self.plain_thresholds[use])


def log_odds(probability: np.ndarray | Sequence[float]) -> np.ndarray:
    """Probabilities as log-odds, clipped away from 0 and 1."""
    p = np.clip(np.asarray(probability, dtype=np.float64), 1e-9, 1 - 1e-9)
    return np.asarray(np.log(p) - np.log1p(-p))


def plain_rows(judged: np.ndarray | Sequence[float], pair_logit: np.ndarray) -> np.ndarray:
    """The two log-odds' rows (``PLAIN_FEATURES``) of the read candidates of one story and one
    use: ``judged`` as for ``stacked_rows``, the first ``len(pair_logit)`` of it read."""
    return np.column_stack([log_odds(judged[: len(pair_logit)]), pair_logit])


def stacked_rows(judged: np.ndarray | Sequence[float], pair_logit: np.ndarray) -> np.ndarray:
    """The stacked model's rows (``STACKED_FEATURES``) of the read candidates of one story and
    one use: ``judged`` is the judge's probability of each of the use's candidates at its
    floor, best first, more of them than were read, and ``pair_logit`` the reader's log-odds of
    the first of them, as many as were read."""
    judge_logit = log_odds(judged)
    read = len(pair_logit)
    if not 0 < read < len(judge_logit):
        raise ValueError("the stacked model needs a candidate read and one not read")
    head = judge_logit[:read]
    return np.column_stack([head, pair_logit, np.full(read, judge_logit[read]),
                            np.full(read, head.mean()), np.full(read, np.mean(pair_logit))])


@lru_cache(maxsize=2)
def stacked(path: Path = STACKED) -> Stacked:
    """The stacked models in ``path``, the committed ones by default."""
    data = json.loads(path.read_text(encoding="utf-8"))

    def models(key: str, features: Sequence[str]) -> dict[str, Linear]:
        return {use: Linear.from_json(model, features, path) for use, model in data[key].items()}

    def thresholds(key: str) -> dict[str, float]:
        return {use: float(t) for use, t in data[key].items()}

    return Stacked(models("models", STACKED_FEATURES), thresholds("thresholds"),
                   models("plain", PLAIN_FEATURES), thresholds("plain_thresholds"),
                   thresholds("floors"), int(data["read"]))


class PairReader:
    """The exported reader on ONNX Runtime: the log-odds that a story and a headline tell one
    story. Loaded on first use; safe to share between threads (a lock around each read)."""

    def __init__(self, onnx_file: Path | None = None, threads: int = 1) -> None:
        self.onnx_file = onnx_file or default_pair_path()
        self.threads = max(1, threads)
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None

    def available(self) -> bool:
        """Is the export there (``make install`` builds it)?"""
        return self.onnx_file.is_file()

    def _load(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from summariser.encoder import packaged_model_path

        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(self.onnx_file), options,
                                             providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(packaged_model_path() / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=MAX_TOKENS, strategy="longest_first")
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer = tokenizer

    def logits(self, story: str, headlines: Sequence[str]) -> np.ndarray:
        """The reader's log-odds for ``story`` against each of ``headlines``, in one batch."""
        if not headlines:
            return np.zeros(0)
        with self._lock:  # fast tokenizers are not safe to share across threads
            if self._session is None:
                self._load()
            encodings = self._tokenizer.encode_batch([(story[:MAX_CHARS], h[:MAX_CHARS])
                                                      for h in headlines])
            inputs = {name: np.array([getattr(e, field) for e in encodings], dtype=np.int64)
                      for name, field in (("input_ids", "ids"),
                                          ("attention_mask", "attention_mask"),
                                          ("token_type_ids", "type_ids"))}
            (logit,) = self._session.run(["logit"], inputs)
        return np.asarray(logit, dtype=np.float64).reshape(-1)


@lru_cache(maxsize=1)
def pair_reader() -> PairReader | None:
    """The exported reader, or None (said once) where ``export_onnx --pair`` has not run."""
    reader = PairReader()
    if reader.available():
        return reader
    log.warning("the pair reader is not exported (%s): the same-story judge decides alone; "
                "run python -m summariser.export_onnx --pair", reader.onnx_file)
    return None
