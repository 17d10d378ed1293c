"""The sentence encoder's two backends: ONNX Runtime (default, no torch) and torch."""

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import read

from summariser.digest import Digester
from summariser.encoder import EXPORT_COMMAND, OnnxEncoder, TorchEncoder, get_encoder
from summariser.errors import ModelUnavailable

ROOT = Path(__file__).resolve().parents[2]


def test_onnx_and_torch_give_the_same_embeddings_and_the_same_digests_in_fp32(settings):
    texts = [p for p in read("bbc-style-paste.txt").split("\n") if len(p.split()) > 3]
    texts += ["A one-word", "word " * 300]  # tiny, and past the 128-token cut
    onnx, torch = OnnxEncoder().encode(texts), TorchEncoder().encode(texts)
    assert onnx.shape == torch.shape == (len(texts), 384)
    assert float((onnx * torch).sum(axis=1).min()) > 0.9999
    for name in ("bbc-style-paste.txt", "guardian-style-paste.txt", "lbc-amnesty-navalny.txt"):
        article = read(name)
        on_onnx = Digester(replace(settings, backend="onnx", quantize="fp32")).from_text(article)
        on_torch = Digester(replace(settings, backend="torch")).from_text(article)
        assert on_onnx.summary == on_torch.summary
        assert on_onnx.related == on_torch.related


def test_the_default_path_never_imports_torch_or_transformers(tmp_path):
    script = (
        "import sys, json\n"
        "from summariser.digest import Digester\n"
        "d = Digester().from_text(open(sys.argv[1]).read())\n"
        "print(json.dumps({'summary': len(d.summary), 'mods': [m for m in sys.modules\n"
        "    if m.split('.')[0] in ('torch', 'transformers')]}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(ROOT / "examples" /
                             "amnesty-navalny.txt")], capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"})
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["summary"] >= 2 and out["mods"] == []


def test_a_missing_onnx_file_names_the_command_that_builds_it(tmp_path):
    encoder = OnnxEncoder(onnx_file=tmp_path / "nowhere.onnx")
    with pytest.raises(ModelUnavailable, match=EXPORT_COMMAND):
        encoder.encode(["A sentence."])


def test_a_corrupt_onnx_file_is_a_model_error(tmp_path):
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"\x08\x07 not a model at all" * 100)
    with pytest.raises(ModelUnavailable, match="cannot be loaded"):
        OnnxEncoder(onnx_file=broken).encode(["A sentence."])


def test_the_backend_setting_is_checked():
    from summariser.config import SummariserSettings

    assert SummariserSettings.from_env({"SUMMARISER_BACKEND": "torch"}).backend == "torch"
    with pytest.raises(ValueError, match="SUMMARISER_BACKEND"):
        SummariserSettings.from_env({"SUMMARISER_BACKEND": "tensorflow"})
    with pytest.raises(ValueError):
        get_encoder(None, "cpu", "tensorflow")


def test_encodings_are_unit_length():
    vectors = get_encoder().encode(["One sentence here.", "Another, rather different one."])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_the_int8_copy_is_close_to_fp32_and_chosen_by_the_setting():
    from summariser.config import SummariserSettings
    from summariser.encoder import encoder_for

    assert SummariserSettings.from_env({}).quantize == "auto"
    assert SummariserSettings.from_env({"SUMMARISER_QUANTIZE": "FP32"}).quantize == "fp32"
    settings = SummariserSettings.from_env({"SUMMARISER_QUANTIZE": "int8"})
    assert settings.quantize == "int8"
    texts = [p for p in read("guardian-style-paste.txt").split("\n") if len(p.split()) > 5]
    fp32 = OnnxEncoder().encode(texts)
    int8 = OnnxEncoder(quantize="int8")
    assert int8.encode(texts).shape == fp32.shape
    assert float((int8.encode(texts) * fp32).sum(axis=1).mean()) > 0.97
    with pytest.raises(ValueError, match="SUMMARISER_QUANTIZE"):
        SummariserSettings.from_env({"SUMMARISER_QUANTIZE": "int4"})
    # int8 is the default where the copy was built (make install builds it); fp32 on request
    default = encoder_for(SummariserSettings())
    assert isinstance(default, OnnxEncoder) and default.quantize == "int8"
    full = encoder_for(SummariserSettings(quantize="fp32"))
    assert isinstance(full, OnnxEncoder) and full.quantize == ""
    assert np.allclose(full.encode(texts), fp32, atol=1e-6)


def test_without_the_int8_copy_auto_runs_fp32_and_int8_fails_clearly(tmp_path):
    from summariser.config import SummariserSettings
    from summariser.encoder import default_onnx_path, encoder_for, packaged_model_path

    model = tmp_path / "minilm"  # the packaged model's files, its fp32 export and no int8 copy
    model.mkdir()
    for name in ("config.json", "tokenizer.json"):
        (model / name).write_bytes((packaged_model_path() / name).read_bytes())
    (model / "model.onnx").symlink_to(default_onnx_path())
    auto = encoder_for(SummariserSettings(model=str(model)))
    assert isinstance(auto, OnnxEncoder) and auto.quantize == ""
    assert auto.encode(["A sentence of a few words."]).shape == (1, 384)
    required = encoder_for(SummariserSettings(model=str(model), quantize="int8"))
    with pytest.raises(ModelUnavailable, match=f"{EXPORT_COMMAND} --model .* --int8"):
        required.encode(["A sentence of a few words."])


def test_link_headlines_are_encoded_by_the_int8_copy_of_the_packaged_model_only(tmp_path):
    from summariser.config import SummariserSettings
    from summariser.encoder import encoder_for, headline_encoder_for

    default = SummariserSettings()
    headlines = headline_encoder_for(default)
    assert isinstance(headlines, OnnxEncoder) and headlines.quantize == "int8"
    assert encoder_for(default) is headlines  # one model loaded, not two
    full = SummariserSettings(quantize="fp32")  # the document in fp32, headlines as trained
    assert headline_encoder_for(full) is headlines and encoder_for(full) is not headlines
    on_torch = SummariserSettings(backend="torch")  # the same model on torch: as trained too
    assert headline_encoder_for(on_torch) is headlines
    # Another model's vectors are comparable only with its own: there it is the main encoder
    other = SummariserSettings(model=str(tmp_path))
    assert headline_encoder_for(other) is encoder_for(other)


def test_int8_and_fp32_give_the_seed_sample_the_same_digest(settings):
    article = (ROOT / "examples" / "amnesty-navalny.txt").read_text(encoding="utf-8")
    on_int8 = Digester(replace(settings, quantize="int8")).from_text(article)
    on_fp32 = Digester(replace(settings, quantize="fp32")).from_text(article)
    assert on_int8.summary == on_fp32.summary and len(on_int8.summary) >= 2
    assert on_int8.quotes == on_fp32.quotes and on_int8.related == on_fp32.related


def test_an_int8_vector_depends_on_its_own_text_only():
    texts = [p for p in read("guardian-style-paste.txt").split("\n") if len(p.split()) > 5]
    encoder = OnnxEncoder(quantize="int8")
    alone = encoder.encode(texts[:5])
    beside_others = encoder.encode(["A short title", *texts[:5], "word " * 100])[1:6]
    assert np.array_equal(alone, beside_others)


def test_a_device_is_checked_where_it_is_set_and_where_it_is_used():
    """A misspelt device is a setting's one-line error; CUDA asked for on a machine whose torch
    cannot use it is the model's error, saying so, not a traceback."""
    from summariser.config import SummariserSettings
    from summariser.encoder import on_device

    assert SummariserSettings.from_env({"SUMMARISER_DEVICE": "CUDA:1"}).device == "cuda:1"
    assert SummariserSettings.from_env({"GENERATION_DEVICE": "auto"}).generation.device == "auto"
    with pytest.raises(ValueError, match="SUMMARISER_DEVICE: 'gpu'"):
        SummariserSettings.from_env({"SUMMARISER_DEVICE": "gpu"})
    with pytest.raises(ValueError, match="GENERATION_DEVICE"):
        SummariserSettings.from_env({"GENERATION_DEVICE": "nonsense"})

    class NoCuda:
        def eval(self):
            return self

        def to(self, device):
            raise AssertionError("Torch not compiled with CUDA enabled")

    with pytest.raises(ModelUnavailable, match="device 'cuda'.*not compiled with CUDA"):
        on_device(NoCuda(), "cuda")
