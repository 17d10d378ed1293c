"""The inter-sentence scorer: loads from the installed files, reads no title, costs linear time."""

import socket

import numpy as np
from conftest import read

from summariser.config import SummariserSettings
from summariser.document import Document
from summariser.evaluate.summaries import article_document
from summariser.scorer import CONTEXT_WEIGHTS, ContextModel, ContextScorer, sentence_features
from summariser.summarise import SUMMARISERS


def test_the_context_scorer_loads_its_committed_weights_without_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the scorer tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert CONTEXT_WEIGHTS.is_file() and CONTEXT_WEIGHTS.stat().st_size < 5_000_000
    scorer = SUMMARISERS["minilm-context"](SummariserSettings())
    assert isinstance(scorer, ContextScorer)
    document = article_document(read("lbc-amnesty-navalny.txt"))
    scores = scorer.scores(document)
    assert scores.shape == (len(document.candidates()),)
    assert np.isfinite(scores).all() and ((scores > 0) & (scores < 1)).all()
    assert scores.std() > 0.01  # it tells sentences apart
    picks = scorer.select(document, 3)
    assert len(picks) == 3 and picks == sorted(picks)


def test_a_titled_real_article_scores_as_untitled():
    scorer = ContextScorer()
    titled = article_document(read("lbc-amnesty-navalny.txt"))
    assert titled.title
    untitled = Document(titled.sentences, None, titled.unsure)
    assert np.array_equal(scorer.scores(titled), scorer.scores(untitled))


def test_attention_stays_within_a_window_so_the_cost_is_linear():
    """Sentences past the model's window do not change the scores inside it: each window of
    sentences is read on its own, whatever the article's length."""
    model = ContextModel.load()
    rng = np.random.default_rng(7)
    width = len(model.w["mean"]) - (model.base is not None)  # a stacked model adds a column
    rows = rng.normal(size=(3 * model.window + 5, width)).astype(np.float32)
    rows = rows * model.w["scale"][:width] + model.w["mean"][:width]
    whole = model(rows)
    assert whole.shape == (len(rows),)
    assert np.allclose(whole[: model.window], model(rows[: model.window + 1])[: model.window],
                       atol=1e-6)
    assert not np.allclose(whole[: model.window], model(rows[1 : model.window + 1]), atol=1e-3)


def test_features_and_scores_of_a_one_sentence_article():
    document = article_document("A single sentence that says enough words to be a candidate.")
    vectors = np.ones((len(document.candidates()), 384), np.float32) / np.sqrt(384)
    scores = ContextModel.load()(sentence_features(document, vectors))
    assert scores.shape == (len(document.candidates()),)
