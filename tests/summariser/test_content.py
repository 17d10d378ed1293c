"""The content model of content.py: which lines of a pasted page are the article."""

import gzip
import json
import socket

import pytest
from conftest import DATA

from summariser import content
from summariser.document import Document
from summariser.evaluate.pastes import body_vocabulary, clean_summary
from summariser.extract import extract_article
from summariser.page_text import page_text
from summariser.paste import parse_paste, read_lines, rule_body, rule_title
from summariser.sentences import split_sentences

MEDIUM = DATA / "pages" / "medium-2.html.gz"
MEDIUM_BODY = (DATA / "pages" / "medium-2.body.txt").read_text(encoding="utf-8")


def medium_paste() -> str:
    return page_text(gzip.decompress(MEDIUM.read_bytes()).decode())


def test_a_whole_page_paste_gets_the_articles_summary_and_title(digester):
    paste = medium_paste()
    by_rules = parse_paste(paste, body=rule_body, title_picker=rule_title)
    # what the line rules alone made of it: the site's sign-in line as the title, and the
    # site's note on unlisted stories in the body
    assert by_rules.title == "Sign in / Sign up"
    assert any("chose to make this story unlisted" in p for p in by_rules.paragraphs)

    digest = digester.from_text(paste)
    assert digest.title == "On Behalf of “Literally”"
    assert not any("unlisted" in p for p in digest.text.split("\n\n"))
    vocabulary = body_vocabulary(MEDIUM_BODY)
    assert len(digest.summary) >= 2
    assert clean_summary(digest.summary, vocabulary)


@pytest.mark.parametrize("name", ["buzzfeed-1", "engadget", "medicalnewstoday", "nytimes-2"])
def test_a_clean_paste_of_an_article_comes_through_as_the_rules_read_it(name):
    text = (DATA / "readable" / f"{name}.txt").read_text(encoding="utf-8")
    model, rules = parse_paste(text), parse_paste(text, body=rule_body)
    assert model.paragraphs == rules.paragraphs and model.title == rules.title
    assert len(model.scores) == len(model.paragraphs)


def test_the_article_text_alone_keeps_every_sentence():
    article = parse_paste(MEDIUM_BODY)
    kept = set(article.paragraphs)
    sentences = [line for line in MEDIUM_BODY.splitlines() if len(line.split()) >= 6
                 and line.rstrip("\"”’')")[-1:] in ".!?"]
    assert len(sentences) >= 10
    assert [line for line in sentences if line not in kept] == []


def test_the_summary_comes_from_paragraphs_the_model_is_sure_of(digester):
    article = parse_paste(medium_paste())
    unsure = article.unsure(content.SUMMARY_SURE)
    assert unsure and len(unsure) < len(article.paragraphs)  # the check has work to do
    digest = digester.from_article(article)
    unsure_text = {article.paragraphs[i] for i in unsure}
    assert not any(s in p for s in digest.summary for p in unsure_text)
    # when fewer than three sure sentences are left, the check gives way
    sentences = tuple(split_sentences(article.paragraphs))
    doubted = frozenset(range(len(article.paragraphs)))
    assert Document(sentences, None, doubted).candidates() == Document(sentences).candidates()


def test_lines_the_rules_know_for_certain_are_never_body():
    paste = medium_paste() + "\nRead more: A headline about some other story entirely\n"
    reading = read_lines(paste)
    keep, scores = content.body_lines(reading)
    assert scores is not None and len(scores) == len(keep) == len(reading.lines)
    for line, kind, kept in zip(reading.lines, reading.kinds, keep, strict=True):
        if kind in content.NEVER_BODY:
            assert not kept, line


def test_the_weights_load_without_a_network_and_fit_the_features(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the content model tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    content.load.cache_clear()
    model = content.load()
    assert len(model.first.coef) == len(content.FEATURES)
    assert len(model.smooth.coef) == len(content.SMOOTH_FEATURES)
    assert 0 < model.threshold < 1
    assert content.WEIGHTS.stat().st_size < 20_000


def test_weights_trained_on_other_features_are_refused():
    data = json.loads(content.WEIGHTS.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="retrain"):
        content.ContentModel.from_json(data)


def test_an_html_page_keeps_its_summary_to_paragraphs_the_model_is_sure_of(digester):
    html = gzip.decompress(MEDIUM.read_bytes()).decode()
    article = extract_article(html)
    assert len(article.scores) == len(article.paragraphs)
    unsure = article.unsure(content.SUMMARY_SURE)
    credit = next(i for i, p in enumerate(article.paragraphs) if p.startswith("Originally"))
    assert credit in unsure  # the blog's "Originally published at …" line
    digest = digester.from_html(html)
    doubted = [article.paragraphs[i] for i in unsure]
    assert digest.summary and not any(s in p for s in digest.summary for p in doubted)
    # with the rules choosing, there is nothing to check against
    assert extract_article(html, body=rule_body).scores == ()
