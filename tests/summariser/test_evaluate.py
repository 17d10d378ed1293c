"""The evaluation command end to end on small fixtures, and the learned scorer's weights."""

import json
import socket
from collections import Counter

import numpy as np
import pytest
from conftest import DATA

from summariser import evaluate
from summariser.config import SummariserSettings
from summariser.evaluate import pastes, quotes, related, summaries
from summariser.scorer import WEIGHTS, LearnedScorer, Perceptron
from summariser.summarise import SUMMARISERS
from summariser.words import token_prf, tokens

EVAL = DATA / "eval"


def run(capsys, *args: str) -> dict:
    assert evaluate.main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_summaries_every_method_picks_exactly_n_sentences_in_article_order(capsys, tmp_path):
    predictions = tmp_path / "predictions.jsonl"
    result = run(capsys, "summaries", str(EVAL / "summaries.jsonl"), "--methods",
                 "lead3,default", "--sentences", "3", "--predictions", str(predictions))
    assert result["articles"] == 4
    [run_3] = result["runs"]
    assert run_3["sentences"] == 3
    for method in ("lead3", "default"):
        row = run_3["methods"][method]
        assert row["sentences"] == 3
        assert 0 < row["rouge1"] <= 100 and 0 <= row["rouge2"] <= row["rouge1"]
    articles = {json.loads(line)["id"]: json.loads(line)["article"]
                for line in (EVAL / "summaries.jsonl").open()}
    lines = [json.loads(line) for line in predictions.open()]
    assert len(lines) == 8
    for line in lines:
        document = summaries.article_document(articles[line["id"]])
        body = [s.text for s in document.sentences]
        positions = [body.index(sentence) for sentence in line["summary"]]
        assert len(positions) == 3 and positions == sorted(positions)


def test_summaries_at_fixed_and_adaptive_length_in_one_run(capsys, tmp_path):
    predictions = tmp_path / "predictions.jsonl"
    result = run(capsys, "summaries", str(EVAL / "summaries.jsonl"), "--methods", "lead3",
                 "--limit", "2", "--predictions", str(predictions))  # default: 3,adaptive
    assert result["articles"] == 2
    assert [r["sentences"] for r in result["runs"]] == [3, "adaptive"]
    for row in (r["methods"]["lead3"] for r in result["runs"]):
        for measure in ("orphaned_pct", "bare_quote_pct", "unintroduced_pct"):
            assert 0 <= row[measure] <= 100
    lengths = [json.loads(line)["sentences"] for line in predictions.open()]
    assert sorted(lengths, key=str) == [3, 3, "adaptive", "adaptive"]


def test_summary_lengths_must_be_counts(capsys):
    with pytest.raises(SystemExit):
        evaluate.main(["summaries", str(EVAL / "summaries.jsonl"), "--sentences", "three"])
    assert "--sentences" in capsys.readouterr().err


def test_unknown_method_is_refused(capsys):
    assert evaluate.main(["summaries", str(EVAL / "summaries.jsonl"), "--methods", "nope"]) == 2
    assert "unknown summariser" in capsys.readouterr().err


def test_data_of_the_wrong_kind_is_one_line_not_a_traceback(capsys, tmp_path):
    """A folder where a file is read, a file that is not JSON Lines, a folder that is not a
    page set, a --pages folder that is not there: one line each, status 2."""
    (tmp_path / "notes.txt").write_text("not JSON\n")
    for args in (["summaries", str(EVAL / "extraction")],
                 ["summaries", str(tmp_path / "notes.txt")],
                 ["pastes", str(tmp_path)],
                 ["related", str(EVAL / "summaries.jsonl"), "--pages", str(tmp_path / "no")]):
        assert evaluate.main(args) == 2, args
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1, err


def test_extraction_command(capsys, tmp_path):
    predictions = tmp_path / "extraction.jsonl"
    result = run(capsys, "extraction", str(EVAL / "extraction"), "--predictions", str(predictions))
    assert result["pages"] == 2
    ours, plain = result["extractors"]["ours"], result["extractors"]["trafilatura"]
    assert ours["f1"] >= plain["f1"] and ours["f1"] > 0.95
    assert {json.loads(line)["id"] for line in predictions.open()} == {"wire-ruling", "wire-appeal"}


def test_token_f1_measure():
    assert token_prf("a b c", "a b c") == (1.0, 1.0, 1.0)
    precision, recall, f1 = token_prf("a b c d", "a b")
    assert (precision, recall) == (0.5, 1.0) and round(f1, 3) == 0.667


def test_quotes_command(capsys, tmp_path):
    predictions = tmp_path / "quotes.jsonl"
    result = run(capsys, "quotes", str(EVAL / "quotes.jsonl"), "--predictions", str(predictions))
    assert result["recall"] == 1.0 and result["precision"] == 1.0
    assert result["precision_all_quotations"] == 1.0
    assert result["attribution_named"] == {"quotes": 3, "accuracy": 1.0}
    assert result["attribution_pronoun"]["quotes"] == 1
    # Names we give, right or not: "Sergei Lavrov" for the gold "the minister" counts as wrong
    # (the measure cannot tell a resolved description from a wrong name: a lower bound).
    assert result["names_given"] == {"quotes": 4, "precision": 0.75}
    first = json.loads(predictions.open().readline())
    assert first["quotes"][0] == {"quote": "The polls are tightening fast", "speaker": "Pat Caddell"}


def test_quote_parts_split_by_article():
    tune = {i["id"] for i in quotes.quote_items(EVAL / "quotes.jsonl", "tune")}
    test = {i["id"] for i in quotes.quote_items(EVAL / "quotes.jsonl", "test")}
    assert tune == {"fixture-a-p001", "fixture-a-p002"} and test == {"fixture-b-p001", "fixture-b-p002"}


@pytest.mark.parametrize("gold, predicted, ok", [
    ("Scott Pruitt, the Republican attorney general of Oklahoma,", "Scott Pruitt", True),
    ("Rep. John Mica (R-Fla.)", "John Mica", True),
    ("Mr. Morgan of the Sierra Club", "Peter Morgan", True),
    ("Tulsa police Chief Chuck Jordan", "Tulsa", False),
])
def test_speaker_match_rule(gold, predicted, ok):
    assert quotes.speaker_matches(predicted, gold) is ok


def test_learned_scorer_loads_committed_weights_without_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the scorer tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert WEIGHTS.is_file() and WEIGHTS.stat().st_size < 5_000_000
    model = Perceptron()
    members, inputs, hidden = model.w1.shape
    assert members >= 1 and inputs == model.mean.shape[0] and model.w2.shape == (members, hidden, 1)
    scorer = LearnedScorer()
    document = summaries.article_document(json.loads((EVAL / "summaries.jsonl").open().readline())["article"])
    picks = scorer.select(document, 3)
    assert len(picks) == 3 and picks == sorted(picks)
    assert np.isfinite(scorer.scores(document)).all()
    assert isinstance(SUMMARISERS["minilm"](SummariserSettings()), LearnedScorer)


def test_a_title_does_not_change_or_flatten_the_learned_scores(digester):
    """The training articles have no title, so no feature reads one: a titled paste is scored
    as the same text untitled, and its scores still tell sentences apart (weights that took a
    title as input once scored every titled article 0)."""
    from summariser.document import Document

    titled = summaries.article_document((DATA / "readable" / "nytimes-2.txt").read_text())
    assert titled.title
    untitled = Document(titled.sentences, None)
    scorer = digester.summariser("minilm")
    scores = scorer.scores(titled)
    assert np.allclose(scores, scorer.scores(untitled))
    assert scores.max() - scores.min() > 0.1


def test_pastes_command_digests_each_page_as_html_and_as_a_browser_paste(capsys, tmp_path):
    predictions = tmp_path / "pastes.jsonl"
    result = run(capsys, "pastes", str(EVAL / "extraction"), "--predictions", str(predictions))
    assert result["pages"] == 2
    for mode in ("html", "paste", "paste_rules"):
        row = result["modes"][mode]
        assert row["clean"] == row["clean_given"] == 1.0
        assert row["titled"] == 2 and row["right_title"] == 1.0
        assert row["refused"] == row["false_refusals"] == 0
    for mode in ("paste", "paste_rules"):
        assert result["modes"][mode]["block_precision"] == 1.0
    lines = [json.loads(line) for line in predictions.open()]
    assert sorted((line["id"], line["mode"]) for line in lines) == [
        (page, mode) for page in ("wire-appeal", "wire-ruling")
        for mode in ("html", "paste", "paste_rules")]
    assert all(line["clean"] and len(line["summary"]) >= 2 for line in lines)


@pytest.mark.parametrize("found, gold, ok", [
    ("Dutch court orders airline to refund flights", "Dutch court orders airline to refund "
     "flights | Wire", True),  # the site's suffix on one side only
    ("Sign in / Sign up", "Yahoo’s Sale to Verizon Leaves Shareholders With Little Say", False),
    ("DealBook", "DealBook|Yahoo’s Sale to Verizon Leaves Shareholders", False),  # a section
    (None, "Any headline", False),
])
def test_title_match_rule(found, gold, ok):
    assert pastes.title_matches(found, gold) is ok


def test_clean_share_and_paste_blocks_on_a_known_case():
    body = set(tokens("The council approved the tram line after a long meeting on "
                                "Monday night in the town hall."))
    assert pastes._contained("The council approved the tram line", body) == 1.0
    assert pastes._contained("Sign up for our newsletter today please", body) < 0.5
    paste = ("Sign up for our newsletter today please now\n"
             "The council approved the tram line after a long meeting\n"
             "on Monday night in the town hall.\n")
    kept = ["Sign up for our newsletter today please now",
            "The council approved the tram line after a long meeting"]
    # kept: 1 of 2 sized blocks is article; article lines: 2 sized, 1 of them kept
    assert pastes._paste_blocks(paste, kept, body) == (1, 2, 1, 2)


def test_related_scoring_counts_sure_labels_only_matched_by_words_or_link():
    item = {"url": "https://news.example/skylow/strike", "candidates": [
        {"text": "SkyLow cancels hundreds of summer flights", "href": "/skylow/cancels",
         "related": True, "unsure": False},
        {"text": "SkyLow profit falls after summer 13 hours ago", "href": "/skylow/profit",
         "related": True, "unsure": False},
        {"text": "Ajax win Dutch cup final", "href": "/ajax", "related": False, "unsure": False},
        {"text": "Court case fragment", "href": "/court", "related": True, "unsure": True},
    ]}
    counts = related.score_related(
        [("skylow cancels hundreds of summer flights", None), ("Ajax win Dutch cup final!", None),
         ("Court case fragment", None), ("A headline nobody labelled", None),
         ("SkyLow profit falls after summer", "https://news.example/skylow/profit")], item)
    assert counts == {"related": 2, "right": 2, "wrong": 1, "unsure": 1, "unlabelled": 1}


def test_related_command_scores_each_labelled_page(capsys, tmp_path):
    predictions = tmp_path / "related.jsonl"
    result = run(capsys, "related", str(EVAL / "related.jsonl"), "--pages",
                 str(EVAL / "extraction"), "--predictions", str(predictions))
    assert result["pages"] == 1 and result["refused"] == 0 and result["related"] == 2
    assert result["returned"] == (result["right"] + result["wrong"] + result["unsure"]
                                  + result["unlabelled"])
    [line] = [json.loads(line) for line in predictions.open()]
    assert line["id"] == "wire-ruling" and len(line["related"]) == result["returned"]
    rules = result["rules"]  # the old rules on the same page, in the same run
    assert len(line["rules"]) == rules["returned"] >= 1 and rules["related"] == 2
    # Of the page's two related links (the airline's earlier trouble) one is returned, and
    # nothing wrong: an empty place beats a wrong headline.
    assert (result["right"], result["wrong"], result["precision"], result["recall"]) == (
        1, 0, 1.0, 0.5)


def test_related_command_reports_each_language_apart(capsys, tmp_path):
    # a German column with its labelled link headlines, as a second labelled set: German is not
    # among the languages that get related headlines, so its page returns none
    labels = json.loads((DATA / "related" / "tichyseinblick-syrien.json").read_text())
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / f"{labels['id']}.html.gz").write_bytes(
        (DATA / "related" / "tichyseinblick-syrien.html.gz").read_bytes())
    german = tmp_path / "related-de.jsonl"
    german.write_text(json.dumps(labels | {"lang": "de"}) + "\n")
    result = run(capsys, "related", str(EVAL / "related.jsonl"), "--pages",
                 str(EVAL / "extraction"), "--also", str(german), str(tmp_path), "--page-feeds")
    assert result["pages"] == 2
    languages = result["languages"]
    assert set(languages) == {"en", "de"}
    assert languages["de"]["pages"] == 1 and languages["de"]["related"] == 1
    assert languages["de"]["returned"] == 0
    assert (languages["en"]["right"], languages["en"]["wrong"]) == (1, 0)
    # each page's links read as its site's feed, through the feed path whatever the language:
    # under the German column it would show the related one (the two log-odds alone, before the
    # feed's crowd was measured, took two of the site's other columns too)
    fed = result["page_feeds"]
    assert set(fed) == {"en", "de"} and fed["de"]["pages"] == fed["de"]["shown"] == 1
    assert (fed["de"]["returned"], fed["de"]["right"], fed["de"]["wrong"]) == (1, 1, 0)


def test_related_totals_are_precision_and_recall_on_the_sure_labels():
    totals = related.related_totals(
        Counter(right=2, wrong=1, unsure=1, unlabelled=2, related=5))
    assert (totals["returned"], totals["precision"], totals["recall"]) == (6, 0.667, 0.4)
    assert related.related_totals(Counter(related=3))["precision"] is None  # none returned


def test_an_ecbplus_document_is_read_as_the_bot_would_store_it_pasted():
    # "Earlier" is scored on what a digest keeps: the dateline a raw reading would take for
    # the first sentence is not in it, and an untitled document's own headline line is its title
    text = ("Updated: July 7, 2012, 10: 04 PM ET\n"
            "Wladimir Klitschko stopped Tony Thompson in the sixth round to keep a comfortable "
            "hold on his WBA, IBF and WBO heavyweight titles Saturday night.\n"
            "The 36-year-old champion floored Thompson with a big right hand near the end of "
            "the fifth round in Bern.\n"
            "Thompson got up but was hurt. The referee stopped it early in the sixth.")
    story = related.pasted_story("Wladimir Klitschko retains belts", text)
    assert story == ("Wladimir Klitschko retains belts Wladimir Klitschko stopped Tony Thompson "
                     "in the sixth round to keep a comfortable hold on his WBA, IBF and WBO "
                     "heavyweight titles Saturday night. The 36-year-old champion floored "
                     "Thompson with a big right hand near the end of the fifth round in Bern. "
                     "Thompson got up but was hurt.")
    untitled = related.pasted_story(None, "Klitschko keeps his belts\n" + text.split("\n", 1)[1])
    assert untitled.startswith("Klitschko keeps his belts Wladimir Klitschko stopped")
