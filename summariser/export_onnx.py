"""Export the sentence encoder to ONNX, once, at set-up: ``python -m summariser.export_onnx``.

    python -m summariser.export_onnx [--model DIR] [--out FILE] [--force] [--int8]

Reads the packaged MiniLM (or ``--model DIR``, a local transformers model directory), traces it
with torch's ONNX exporter (dynamic batch and sequence axes, opset 17) and writes the file where
the ``onnx`` backend looks for it (``<venv>/share/article-digest/all-MiniLM-L6-v2.onnx``, or
``DIR/model.onnx``), then checks that ONNX Runtime gives the same embeddings as torch on a few
sentences. ``--int8`` also writes an int8 copy beside it (dynamic quantisation of the weights,
per channel): the encoder the product runs by default (fp32 where it is missing, or with
``SUMMARISER_QUANTIZE=fp32``). This is the only step that needs torch,
transformers and onnx; the run-time default needs none of them. Nothing is downloaded.
``make install`` runs it with ``--int8``, then with ``--pair``: the pair reader of the
same-story judge (``summariser.pair``), the packaged weights with the committed change
(``--delta``, ``pair-delta.npz``) added, exported beside the encoder and checked against torch.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from summariser.encoder import OnnxEncoder, TorchEncoder, default_onnx_path, packaged_model_path
from summariser.pair import DELTA, PairReader, applied, default_pair_path, torch_pair_model

CHECK = [
    "The court ordered the airline to refund every passenger within thirty days.",
    "“We will appeal,” a spokesperson said.",
    "Shares fell 3.5% in early trading.",
]


def export(model_dir: Path, out: Path) -> None:
    """Export the MiniLM encoder at ``model_dir`` to an ONNX graph at ``out``."""
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()

    class LastHidden(torch.nn.Module):  # type: ignore[misc]  # torch is Any to mypy here
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor) -> torch.Tensor:
            """The encoder's last hidden state: the tokens' vectors before pooling."""
            hidden: torch.Tensor = self.inner(
                input_ids=input_ids, attention_mask=attention_mask,
                token_type_ids=token_type_ids).last_hidden_state
            return hidden

    sample = tokenizer(CHECK, padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    _write_onnx(LastHidden(model), tuple(sample[n] for n in names), names, "last_hidden_state",
                out)


def _write_onnx(module: Any, sample: tuple[Any, ...], names: list[str], output: str,
                out: Path) -> None:
    """Trace ``module`` on ``sample`` (the inputs ``names``, dynamic batch and sequence axes)
    into an ONNX graph at ``out``, written beside it and renamed: a half-written file is never
    taken for a model."""
    import torch

    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=out.parent, suffix=".onnx", delete=False) as handle:
        partial = Path(handle.name)
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    axes[output] = {0: "batch"} if output == "logit" else {0: "batch", 1: "sequence"}
    try:
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes on shapes it treats as fixed
            torch.onnx.export(module, sample, str(partial), input_names=names,
                              output_names=[output], dynamic_axes=axes, opset_version=17,
                              dynamo=False)
        partial.chmod(0o644)  # a temporary file is private; the service user must read it
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Export the packaged model (and its int8 copy with ``--int8``) once, at install."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a local model directory (default: packaged)")
    parser.add_argument("--out", type=Path, help="where to write the ONNX file")
    parser.add_argument("--force", action="store_true", help="export even if the file exists")
    parser.add_argument("--int8", action="store_true", help="also write the int8 copy")
    parser.add_argument("--pair", action="store_true",
                        help="export the same-story judge's pair reader instead")
    parser.add_argument("--delta", type=Path, default=DELTA,
                        help="the pair reader's committed change (with --pair)")
    args = parser.parse_args(argv)
    if args.pair:
        return export_pair(args.delta, args.out or default_pair_path(), args.force)
    model_dir = args.model or packaged_model_path()
    out = args.out or default_onnx_path(args.model)
    if out.is_file() and not args.force:
        print(f"{out} exists (use --force to export again)")
    else:
        code = export_checked(args.model, model_dir, out)
        if code:
            return code
    if args.int8:
        return quantize(out, out.with_suffix(".int8.onnx"), args.force)
    return 0


def quantize(source: Path, target: Path, force: bool = False) -> int:
    """Write the int8 copy of ``source``."""
    if target.is_file() and not force:
        print(f"{target} exists (use --force to quantise again)")
        return 0
    from onnxruntime.quantization import QuantType, quantize_dynamic

    partial = target.with_suffix(".partial")
    logging.disable(logging.WARNING)  # its advice to pre-process applies to vision models
    try:
        quantize_dynamic(str(source), str(partial), weight_type=QuantType.QInt8,
                         per_channel=True)
    finally:
        logging.disable(logging.NOTSET)
    os.replace(partial, target)
    print(f"wrote the int8 copy to {target} ({target.stat().st_size / 1e6:.0f} MB)")
    return 0


def export_checked(model: Path | None, model_dir: Path, out: Path) -> int:
    """Export, then compare with torch on a few sentences; remove a file that disagrees."""
    export(model_dir, out)
    onnx = OnnxEncoder(model, onnx_file=out).encode(CHECK)
    torch = TorchEncoder(model).encode(CHECK)
    worst = float((onnx * torch).sum(axis=1).min())
    if worst < 0.9999:
        out.unlink()
        print(f"export failed its check: cosine {worst:.5f} to torch", file=sys.stderr)
        return 1
    print(f"exported {model_dir.name} to {out} ({out.stat().st_size / 1e6:.0f} MB); "
          f"cosine to torch {worst:.5f}")
    return 0


def pair_model(delta: Path) -> Any:
    """The pair reader on torch: the packaged MiniLM with the committed change in ``delta``
    added, and its head."""
    import torch
    from transformers import AutoModel

    factors = dict(np.load(delta))
    encoder = AutoModel.from_pretrained(str(packaged_model_path()), local_files_only=True)
    state = {k: v.numpy() for k, v in encoder.state_dict().items()}
    encoder.load_state_dict({k: torch.from_numpy(np.asarray(v)) for k, v in
                             applied(state, factors).items()})
    model = torch_pair_model(encoder).eval()
    model.head.load_state_dict({k: torch.from_numpy(factors[f"head.{k}"].astype(np.float32))
                                for k in ("weight", "bias")})
    return model


def export_pair(delta: Path, out: Path, force: bool = False) -> int:
    """Export the pair reader to ``out``, then compare with torch on a few pairs; remove a
    file that disagrees."""
    if out.is_file() and not force:
        print(f"{out} exists (use --force to export again)")
        return 0
    import torch
    from transformers import AutoTokenizer

    model = pair_model(delta)
    tokenizer = AutoTokenizer.from_pretrained(str(packaged_model_path()), local_files_only=True)
    pairs = [(CHECK[0], CHECK[1]), (CHECK[2], CHECK[0])]
    sample = tokenizer([a for a, _ in pairs], [b for _, b in pairs], padding=True,
                       return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    _write_onnx(model, tuple(sample[n] for n in names), names, "logit", out)
    with torch.inference_mode():
        expected = model(*(sample[n] for n in names)).numpy()
    reader = PairReader(out)
    got = np.concatenate([reader.logits(story, [headline]) for story, headline in pairs])
    worst = float(np.abs(got - expected).max())
    if worst > 1e-3:
        out.unlink()
        print(f"pair reader export failed its check: log-odds {worst:.5f} off torch's",
              file=sys.stderr)
        return 1
    print(f"exported the pair reader to {out} ({out.stat().st_size / 1e6:.0f} MB); "
          f"log-odds within {worst:.1e} of torch's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
