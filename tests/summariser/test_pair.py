"""The pair reader of the same-story judge: its committed change, its export (built by
``make install``), and feed headlines decided as the bot decides them (``story_candidates``
then ``confirmed``), on the real encoder and the committed weights."""

import re

import numpy as np
import pytest
from conftest import DATA, read, run_offline

import summariser.headlines as headlines
from summariser.headlines import confirmed, story_candidates
from summariser.pair import (
    STACKED_FEATURES,
    applied,
    compress,
    log_odds,
    pair_reader,
    stacked,
    stacked_rows,
)
from summariser.story import Terms, judge


def _feed(digester):
    """The seed article's story as the bot stores it, and a feed of ten headlines: the first
    about its story, the others about the same people, organisation or topic."""
    xml = (DATA / "related" / "story-feed.xml").read_text()
    titles = [t.replace("&apos;", "'") for t in re.findall(r"<item>\s*<title>(.*?)</title>", xml)]
    digest = digester.from_text(read("lbc-amnesty-navalny.txt"))
    text = " ".join([digest.title, *digest.summary[:3]])
    return text, digester.encode([text])[0], titles, digester.encode(titles)


def _decided(text, vector, titles, heads):
    terms = [Terms.of(t) for t in titles]
    found = story_candidates(vector, text, heads, terms, "feed")
    decided = confirmed(text, [(p, titles[k], "feed") for p, k in found])
    return [titles[k] for (_, k), p in zip(found, decided, strict=True) if p is not None]


def test_the_committed_change_is_the_trained_one_where_it_is_kept():
    rng = np.random.default_rng(0)
    start = {"layer.weight": rng.normal(size=(80, 70)), "layer.bias": rng.normal(size=80),
             "embeddings.word_embeddings.weight": rng.normal(size=(90, 8)),
             "same.weight": np.ones((80, 70))}
    low_rank = rng.normal(size=(80, 3)) @ rng.normal(size=(3, 70))
    trained = {"layer.weight": start["layer.weight"] + low_rank,
               "layer.bias": start["layer.bias"] + 0.5,
               "embeddings.word_embeddings.weight": start["embeddings.word_embeddings.weight"] + 1,
               "same.weight": np.ones((80, 70))}
    factors = compress(start, trained, rank=4)
    assert sorted(factors) == ["layer.bias.delta", "layer.weight.a", "layer.weight.b"]
    assert factors["layer.weight.a"].shape == (80, 4)
    after = applied(start, factors)
    assert np.allclose(after["layer.weight"], trained["layer.weight"], atol=1e-4)
    assert np.allclose(after["layer.bias"], trained["layer.bias"], atol=1e-5)
    # the word embeddings' change is left out: they stay as packaged
    assert after["embeddings.word_embeddings.weight"] is start["embeddings.word_embeddings.weight"]


def test_the_reader_puts_the_same_story_above_stories_of_its_topic(digester):
    text, _, titles, _ = _feed(digester)
    reader = pair_reader()
    assert reader is not None, "make install exports the pair reader"
    logits = reader.logits(text, titles)
    assert logits.shape == (10,) and int(np.argmax(logits)) == 0
    # one batch or one by one: the same log-odds (padding changes nothing)
    alone = np.concatenate([reader.logits(text, [t]) for t in titles[:3]])
    assert np.allclose(alone, logits[:3], atol=1e-4)
    assert reader.logits(text, []).shape == (0,)


def test_feed_headlines_as_the_bot_decides_them(digester):
    text, vector, titles, heads = _feed(digester)
    assert _decided(text, vector, titles, heads) == [titles[0]]
    # the reader reads only the judge's likeliest few of a use
    many = [(0.5, t, "feed") for t in titles] * 2
    decided = confirmed(text, many)
    assert sum(p is not None for p in decided[stacked().read:]) == 0


def test_without_the_export_the_judge_decides_alone(digester, monkeypatch):
    text, vector, titles, heads = _feed(digester)
    terms = [Terms.of(t) for t in titles]
    monkeypatch.setattr(headlines, "pair_reader", lambda: None)
    alone = judge().matches(vector, text, heads, terms, "feed")
    assert story_candidates(vector, text, heads, terms, "feed") == alone
    assert confirmed(text, [(p, titles[k], "feed") for p, k in alone]) == [p for p, _ in alone]
    assert _decided(text, vector, titles, heads) == [titles[0]]


def test_the_stacked_rows_tell_how_close_the_feeds_other_headlines_came():
    judged = [0.9, 0.6, 0.3, 0.2, 0.1, 0.05]  # the judge's candidates of one use, best first
    rows = stacked_rows(judged, np.array([2.0, -1.0, 0.0, -3.0]))
    assert rows.shape == (4, len(STACKED_FEATURES))
    by = dict(zip(STACKED_FEATURES, rows.T, strict=True))
    assert np.allclose(by["judge"], log_odds(judged[:4]))
    assert np.allclose(by["pair"], [2.0, -1.0, 0.0, -3.0])
    assert np.allclose(by["crowd"], log_odds([0.1]))  # the likeliest of those not read
    assert np.allclose(by["judge_mean"], log_odds(judged[:4]).mean())
    assert np.allclose(by["pair_mean"], -0.5)
    with pytest.raises(ValueError):  # every candidate read: no crowd to measure
        stacked_rows([0.7, 0.2], np.array([1.0, -2.0]))


def test_a_headline_among_many_close_ones_needs_more_to_be_shown():
    # one headline, read alike by the judge and the reader: alone near the story in its feed,
    # or one of many headlines on the story's topic (a feed that covers it every day)
    decided = stacked()
    alone, threshold = decided.decide(np.array([0.6, 0.02]), np.array([1.5]), "feed")
    crowded, same = decided.decide(np.array([0.6, 0.5, 0.5, 0.45, 0.4]),
                                   np.array([1.5, 1.0, 0.8, 0.5]), "feed")
    assert threshold == same == decided.thresholds["feed"]
    assert alone[0] >= threshold > crowded[0]
    # the judge found no candidate it did not read: the two log-odds decide, as they did
    # before the crowd was measured
    plain, threshold = decided.decide(np.array([0.6]), np.array([1.5]), "feed")
    assert threshold == decided.plain_thresholds["feed"]
    assert np.allclose(plain, decided.plain["feed"].probability([[log_odds([0.6])[0], 1.5]]))


def test_a_use_the_reader_does_not_decide_is_the_judges(digester):
    use = "earlier"
    text, vector, titles, heads = _feed(digester)
    terms = [Terms.of(t) for t in titles]
    found = story_candidates(vector, text, heads, terms, use)
    assert found == judge().matches(vector, text, heads, terms, use)
    assert confirmed(text, [(p, titles[k], use) for p, k in found]) == [p for p, _ in found]


def test_the_reader_loads_with_no_network_and_no_torch():
    out = run_offline(
        "from summariser.pair import pair_reader, stacked\n"
        "r = pair_reader()\n"
        "print(r.logits('Navalny loses Amnesty status.', ['Amnesty strips Navalny']).shape[0],"
        " sorted(stacked().models))\n"
        "import sys; print('torch' in sys.modules)")
    assert out.split() == ["1", "['feed',", "'feed_described']", "False"]


def test_a_reader_that_fails_leaves_the_judge_to_decide(digester, monkeypatch, caplog):
    text, vector, titles, heads = _feed(digester)
    terms = [Terms.of(t) for t in titles]
    found = story_candidates(vector, text, heads, terms, "feed")  # at the reader's floor

    class Broken:
        def logits(self, story, headlines):
            raise Exception("Truncation error")  # what tokenizers raises

    monkeypatch.setattr(headlines, "pair_reader", Broken)
    decided = confirmed(text, [(p, titles[k], "feed") for p, k in found])
    alone = judge().matches(vector, text, heads, terms, "feed")
    assert [k for (_, k), p in zip(found, decided, strict=True) if p is not None] == [
        k for _, k in alone]
    assert "the pair reader failed" in caplog.text
