"""The pair reader of the same-story judge: its committed change, its export (built by
``make install``), and feed headlines decided as the bot decides them (``story_candidates``
then ``confirmed``), on the real encoder and the committed weights."""

import re

import numpy as np
from conftest import DATA, read, run_offline

import summariser.headlines as headlines
from summariser.headlines import confirmed, story_candidates
from summariser.pair import applied, compress, pair_reader, stacked
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
