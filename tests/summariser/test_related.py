"""The learned related-headline scorer, on the real encoder, extractor and committed weights."""

import gzip
import json

import numpy as np
import pytest
from conftest import DATA, read, run_offline

from summariser import related
from summariser.document import Document
from summariser.extract import extract_article
from summariser.headlines import same_headline
from summariser.linear import Linear
from summariser.models import Headline
from summariser.page_text import page_text
from summariser.paste import parse_paste
from summariser.related import (
    ArticleTerms,
    Targets,
    candidate_pool,
    link_rows,
    models,
    own_page,
    rank_related,
    slug_words,
)


def _labelled_page():
    labels = json.loads((DATA / "related" / "cityam-alibaba.json").read_text())
    html = gzip.decompress((DATA / "related" / "cityam-alibaba.html.gz").read_bytes())
    return labels, html.decode("utf-8")


def test_a_real_pages_related_links_come_back_and_nothing_else(digester):
    labels, html = _labelled_page()
    digest = digester.from_html(html, labels["url"])
    returned = {headline.title for headline in digest.related}
    sure = {c["text"]: c["related"] for c in labels["candidates"] if not c["unsure"]}
    assert returned, "a labelled related link is returned"
    assert all(sure.get(title) for title in returned)  # each one labelled related
    assert "Initial public offerings: Is there still a pulse?" not in returned  # same section
    assert "Tencent profit falls as Alibaba threat and economic woes weigh" not in returned
    assert not any(same_headline(title, labels["title"]) for title in returned)
    assert all(h.url and h.url.startswith("https://www.cityam.com/") for h in digest.related)


def test_the_scorer_puts_every_labelled_related_link_above_every_unrelated_one(digester):
    labels, html = _labelled_page()
    article = extract_article(html, labels["url"])
    document = Document.of(article)
    terms = ArticleTerms.of(document, article.url)
    pool, standing = candidate_pool(article.candidates, document, terms)
    found = models()
    rows, _ = link_rows(pool, standing, Targets.of(document, digester.encoder), terms,
                        found.judge, digester.headline_encoder)
    probability = found.link.probability(rows)
    scored = dict(zip([h.title for h in pool], probability, strict=True))
    sure = [c for c in labels["candidates"] if not c["unsure"]]
    related_scores = [scored[c["text"]] for c in sure if c["related"]]  # all of them encoded
    others = [scored.get(c["text"], 0.0) for c in sure if not c["related"]]  # mostly not
    assert len(related_scores) == 3 and min(related_scores) > max(others)


def test_pasted_headlines_without_links_are_scored_without_url_features(digester):
    article = parse_paste(read("lbc-amnesty-navalny.txt"))
    assert article.candidates and all(c.url is None for c in article.candidates)
    document = Document.of(article)
    candidates = [Headline(article.title or ""), *article.candidates,
                  Headline("Best budget air fryers for 2026, tested")]
    ranked = rank_related(candidates, document, digester.encoder,
                          headlines=digester.headline_encoder)
    assert [h.title for h, _ in ranked] == [
        "Russian opposition leader Alexei Navalny fined for defamation"]
    assert models().pasted_threshold <= ranked[0][1] <= 1


def test_a_link_is_never_its_pages_own_headline_even_in_a_related_box(digester):
    title = "Dutch court orders airline to refund cancelled flights"
    html = read("wire-style-page.html").replace(
        "</aside>", f"<a href='/business/refund-ruling-again'>{title}</a></aside>")
    digest = digester.from_html(html, "https://northernwire.example/a")
    assert title not in {h.title for h in digest.related}


def test_a_link_back_to_the_page_itself_is_no_related_headline(digester):
    # CBS News (extraction-dev) links its own story under another wording, with
    # "?intcid=CNI-00-10aaa3b": the digest offered the page it came from as related
    page = ("https://www.cbsnews.com/news/michael-webb-fort-worth-dramatic-video-shows-rescue-"
            "of-8-year-old-kidnapping-victim/")
    html = gzip.decompress((DATA / "pages" / "cbsnews-rescue.html.gz").read_bytes()).decode()
    assert page + "?intcid=CNI-00-10aaa3b" in html
    digest = digester.from_html(html, page)
    assert not any(own_page(h.url, page) for h in digest.related)
    assert own_page(page + "?intcid=CNI-00-10aaa3b", page)
    assert own_page(page.replace("www.", "") + "#comments", page)
    assert not own_page(page.rstrip("/") + "-update/", page)
    one, two = "https://example.org/view?id=1", "https://example.org/view?id=2"
    assert not own_page(two, one) and own_page(one + "&ref=nav", one)
    # energieverbraucher.de names itself ".../NewsDetail__18725/." and links ".../NewsDetail__18725/"
    news = "https://www.energieverbraucher.de/de/preise__312/NewsDetail__18725/"
    assert own_page(news, news + ".") and not own_page(news + "18726", news + ".")


def test_only_the_candidates_sharing_most_words_with_the_article_are_encoded(digester):
    article = parse_paste(read("lbc-amnesty-navalny.txt"))
    document = Document.of(article)
    terms = ArticleTerms.of(document, None)
    weak = [Headline(f"Navalny weather update number {k} for the region") for k in range(30)]
    strong = [Headline(f"Amnesty International reviews Alexei Navalny remarks, part {k}")
              for k in range(6)]
    pool, standing = candidate_pool([*weak, *strong], document, terms)
    assert [h.title for h in pool] == [h.title for h in strong[: related.MAX_ENCODED]]
    assert len(standing) == len(pool) and standing.min() > 0  # above the page's average
    assert candidate_pool(weak, document, terms)[0] == []  # too little of them is the article's
    # a comments section's heading is no story, however many of its words are the article's
    comments = [Headline(f"{count} on Amnesty International reviews Alexei Navalny remarks")
                for count in ("One thought", "12 Responses", "3 comments")]
    assert candidate_pool([*comments, *strong], document, terms)[0] == strong[: related.MAX_ENCODED]
    assert [h.title for h in candidate_pool(
        [Headline(h.title.replace(" on ", " about ")) for h in comments], document, terms)[0]]


def test_slug_words_are_read_only_from_a_slug():
    assert slug_words("https://x.example/news/alibaba-eyes-hong-kong-listing.html") == {
        "alibaba", "eyes", "hong", "kong", "listing"}
    assert slug_words("https://x.example/story?id=67088534") == set()
    assert slug_words("https://x.example/2019/11/19/a-b") == set()
    assert slug_words(None) == set()


def test_weights_trained_on_other_features_are_refused():
    data = json.loads(related.WEIGHTS.read_text())
    assert set(data) == {"link", "link_threshold", "pasted", "pasted_threshold"}
    with pytest.raises(ValueError, match="retrain"):
        Linear.from_json(data["pasted"], related.LINK_FEATURES)


def test_the_weights_load_with_no_network():
    out = run_offline("from summariser.related import models\n"
                      "m = models()\n"
                      "print(len(m.link.coef), 0 < m.link_threshold < 1)")
    assert out.split() == [str(len(related.LINK_FEATURES)), "True"]


def test_the_same_story_listed_twice_is_returned_once(digester):
    article = parse_paste(read("lbc-amnesty-navalny.txt"))
    story = "Russian opposition leader Alexei Navalny fined for defamation"
    candidates = [*article.candidates, Headline(f"{story} | LBC"),
                  Headline("Navalny fined for defamation of Second World War veteran",
                           "https://news.example/navalny-fined"),
                  Headline("Navalny fined for defamation of war veteran, court rules",
                           "https://news.example/navalny-fined")]
    ranked = rank_related(candidates, Document.of(article), digester.encoder,
                          headlines=digester.headline_encoder)
    titles = [h.title for h, _ in ranked]
    assert sum(title.startswith(story) for title in titles) == 1
    assert sum(h.url == "https://news.example/navalny-fined" for h, _ in ranked) <= 1


def test_a_real_page_pasted_whole_gets_its_related_headlines_from_its_lines(digester):
    labels, html = _labelled_page()
    digest = digester.from_text(page_text(html))  # select-all + copy, as a user pastes it
    returned = {headline.title for headline in digest.related}
    sure = {c["text"]: c["related"] for c in labels["candidates"] if not c["unsure"]}
    assert returned and all(sure.get(title) for title in returned)
    assert all(h.url is None for h in digest.related)  # a paste has lines, not links


def _cases():
    labels, html = _labelled_page()
    paste = parse_paste(read("lbc-amnesty-navalny.txt"))
    elsewhere = "Amnesty International reviews Alexei Navalny remarks on migrants"
    links = [Headline(elsewhere.lower(), "https://other.example/amnesty-reviews-navalny",
                      box="page"),
             Headline(elsewhere, "https://other.example/story?id=3", box="page"),
             Headline(elsewhere, "https://other.example/story?id=4", box="marked")]
    return [(extract_article(html, labels["url"]), None), (parse_paste(page_text(html)), None),
            (paste, [*paste.candidates, *links])]


def _pool(which):
    """One of ``_cases``: its article, candidates, document, terms and candidate pool."""
    article, candidates = _cases()[which]
    candidates = candidates or article.candidates
    document = Document.of(article)
    terms = ArticleTerms.of(document, article.url)
    return (article, candidates, document, terms,
            *candidate_pool(candidates, document, terms))


@pytest.mark.parametrize("which", range(3), ids=["page", "page-pasted-whole", "paste+links"])
def test_only_candidates_within_reach_are_encoded_and_the_list_is_the_same(digester, which):
    article, candidates, document, terms, pool, standing = _pool(which)
    found = models()
    targets = Targets.of(document, digester.encoder)
    rows, cosine_rows = link_rows(pool, standing, targets, terms, found.judge,
                                  digester.headline_encoder)
    kept = found.keep(pool, rows, cosine_rows) > 0
    assert (np.abs(cosine_rows) <= 1 + 1e-5).all()  # the headlines' vectors are unit vectors
    reach = found.within_reach(pool, standing, terms, targets)
    assert (reach | ~kept).all()  # every candidate kept was within reach
    encoded: list[str] = []
    real = digester.headline_encoder

    class Counting:  # the real headline encoder, counting the headlines it is given
        def __getattr__(self, name):
            return getattr(real, name)

        def encode(self, texts):
            encoded.extend(texts)
            return real.encode(texts)

    ranked = rank_related(candidates, document, digester.encoder, article.url,
                          headlines=Counting())
    assert {h.title for h, _ in ranked} == {c.title for c, k in zip(pool, kept, strict=True) if k}
    assert sorted(encoded) == sorted(c.title for c, r in zip(pool, reach, strict=True) if r)
    # The page's related links are all encoded. Of the links beside the paste, the fragment
    # (lowercase) to another site outside a related box and the one in a marked (share/tag)
    # block could not pass whatever their vectors: neither is encoded; the paste's own related
    # line is
    if which < 2:
        assert len(encoded) == len(pool)
    else:
        within = {(c.box, c.title.islower()): r for c, r in zip(pool, reach, strict=True)}
        assert len(pool) == 4 and within["list", False]
        assert not within["page", True] and not within["marked", False]


@pytest.mark.parametrize("which", range(3), ids=["page", "page-pasted-whole", "paste+links"])
def test_no_headline_vector_scores_above_its_ceiling(digester, which):
    # within_reach leaves a candidate unencoded on Models.ceiling's word: whatever unit vector
    # its headline turns out to have, its log-odds cannot pass it. Tried here with the
    # article's own directions, the directions that maximise the bound (the story with a body
    # sentence, either sign) and random ones
    _, _, document, terms, pool, standing = _pool(which)
    found = models()
    targets = Targets.of(document, digester.encoder)
    ceiling = found.ceiling(pool, standing, terms, targets)
    title, lead, sentences, story = (targets.title, targets.lead, targets.sentences,
                                     targets.story)
    rng = np.random.default_rng(7)
    tried = [story, title, lead, *sentences[:8], *(story + sentences[:8]),
             *(story - sentences[:8]), *(2 * story + sentences[:8]),
             *rng.normal(size=(40, len(story)))]

    class Fixed:  # an encoder giving every headline one unit vector
        def __init__(self, vector):
            self.vector = (vector / np.linalg.norm(vector)).astype(np.float32)

        def encode(self, texts):
            return np.tile(self.vector, (len(texts), 1))

    worst = max(float(np.max(found.logits(pool, link_rows(
        pool, standing, targets, terms, found.judge, Fixed(vector))[0]) - ceiling))
        for vector in tried)
    assert worst <= 0


def test_a_saved_page_with_no_url_resolves_its_links_through_its_canonical_url(tmp_path, capsys):
    from summariser.cli import main

    labels, html = _labelled_page()
    # Saved with its links relative ("/alibaba-..."), as many sites write them: only the page's
    # canonical link says which site they are on
    canonical = f'<link rel="canonical" href="{labels["url"]}">'
    assert canonical in html
    relative = html.replace('href="https://www.cityam.com/', 'href="/').replace(
        f'<link rel="canonical" href="/{labels["url"].removeprefix("https://www.cityam.com/")}">',
        canonical)
    assert canonical in relative and relative.count('href="https://www.cityam.com/') == 1
    saved = tmp_path / "saved.html"
    saved.write_text(relative, encoding="utf-8")
    assert main(["--json", str(saved)]) == 0
    digest = json.loads(capsys.readouterr().out)
    assert digest["url"] == labels["url"]
    assert digest["related"] and all(h["url"].startswith("https://www.cityam.com/")
                                     for h in digest["related"])
    assert main(["--json", "--url", "https://elsewhere.example/a/b", str(saved)]) == 0
    overridden = json.loads(capsys.readouterr().out)
    assert overridden["url"] == "https://elsewhere.example/a/b"


def test_an_article_summarised_without_minilm_is_not_encoded_whole_for_its_related_lines(
        digester, monkeypatch):
    # An article the multilingual scorer summarised (a French one, or any the user asks it
    # for): MiniLM has not read its sentences, and encoding them all for related headlines
    # alone costs seconds on a long article. Its title and lead are encoded (alone) and the
    # lead stands for the body. A French digest gets no page or paste headlines at all
    # (``RELATED_LANGUAGES``), so MiniLM reads none of it.
    headline = "Népal : le bilan du séisme dépasse les 5 000 morts à Katmandou"
    text = read("lang/liberation-nepal-fr.txt") + f"\n\nRead more: {headline}\n"
    document = Document.of(parse_paste(text))
    body = [document.sentences[i].text for i in document.candidates()][3:]
    encoded: list[str] = []
    real = digester.encoder.encode

    def counting(texts):
        encoded.extend(texts)
        return real(texts)

    monkeypatch.setattr(digester.encoder, "encode", counting)
    digest = digester.from_text(text)
    assert digest.method == "multilingual" and document.title == digest.title
    assert digest.lang == "fr" and digest.related == () and encoded == []
    related.rank_related(parse_paste(text).candidates, document, digester.encoder,
                         headlines=digester.headline_encoder, body=False)
    assert not set(body) & set(encoded)  # no body sentence past the lead was encoded
    assert 1 <= len(encoded) <= 2  # the title and the lead
    # The same article read with its body's vectors encodes every candidate sentence
    encoded.clear()
    related.rank_related(parse_paste(text).candidates, document, digester.encoder,
                         headlines=digester.headline_encoder)
    assert set(body) <= set(encoded)


def test_a_german_pages_candidates_are_ranked_by_its_german_words(digester):
    """German's function words ("die", "der", "und") are no evidence of a shared story: read
    with English's few stop words, the menu's columns that share them fill the candidates worth
    encoding and the labelled related link is left out; read as German, it is kept."""
    labels = json.loads((DATA / "related" / "tichyseinblick-syrien.json").read_text())
    html = gzip.decompress((DATA / "related" / "tichyseinblick-syrien.html.gz").read_bytes())
    article = extract_article(html.decode("utf-8"), labels["url"])
    document = Document.of(article)
    assert digester.language_of(article) == "de"
    related_link = "Menetekel Syrien Türkei: Der euroamerikanische Abschied aus der Weltpolitik"
    assert any(c["text"] == related_link and c["related"] for c in labels["candidates"])

    def pool(lang):
        found, _ = candidate_pool(article.candidates, document,
                                  ArticleTerms.of(document, article.url, lang))
        return [headline.title for headline in found]

    assert related_link in pool("de")
    assert related_link not in pool(None)  # as English reads it


def test_each_language_has_its_own_content_words():
    from summariser.words import ENGLISH, content_words, vocabulary

    german = vocabulary("de").content_words("Die Regierung will für Müller und Köln mehr Geld")
    assert {"regierung", "müller", "köln", "geld"} <= german
    assert not german & {"die", "und", "für", "will", "mehr"}
    assert vocabulary("en") is vocabulary(None) is vocabulary("ja") is ENGLISH
    text = "Navalny's appeal: the court says no to Müller"
    assert ENGLISH.content_words(text) == content_words(text)

