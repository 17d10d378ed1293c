"""Related headlines and "the same story", on the real encoder."""

import gzip
import json

import numpy as np
from conftest import DATA, read

from summariser.document import Document
from summariser.headlines import STORY_THRESHOLD, rank_related, same_headline, same_story
from summariser.models import Headline
from summariser.paste import parse_paste


def test_only_candidates_about_the_same_story_are_ranked_and_never_the_own_headline(digester):
    article = parse_paste(read("lbc-amnesty-navalny.txt"))
    document = Document.of(article)
    candidates = [
        Headline(article.title or ""),
        Headline("Russian opposition leader Alexei Navalny fined for defamation"),
        Headline("Premier League: five things we learned this weekend"),
        Headline("Best budget air fryers for 2026, tested"),
    ]
    ranked = rank_related(candidates, document, digester.encoder)
    titles = [headline.title for headline, _ in ranked]
    assert titles == ["Russian opposition leader Alexei Navalny fined for defamation"]
    assert 0 < ranked[0][1] <= 1


def test_same_story_needs_the_threshold_and_a_shared_word(digester):
    texts = ["Amnesty strips Navalny of prisoner of conscience status",
             "Amnesty International removes Navalny's prisoner of conscience label",
             "Stock markets rally as inflation cools"]
    vectors = digester.encode(texts)
    pool = [(Headline(t), v, t) for t, v in zip(texts[1:], vectors[1:], strict=True)]
    similarity = float(vectors[0] @ vectors[1])
    found = same_story(vectors[0], texts[0], pool)
    assert [h.title for h in found] == ([texts[1]] if similarity >= STORY_THRESHOLD else [])
    assert same_story(vectors[0], texts[0], pool, threshold=-1.0)[0].title == texts[1]
    unrelated = same_story(vectors[0], "zzz", pool, threshold=-1.0)  # no word in common
    assert unrelated == []
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0, atol=1e-3)


def test_a_real_pages_labelled_related_links_are_returned_and_not_its_own_headline(digester):
    labels = json.loads((DATA / "related" / "cityam-alibaba.json").read_text())
    html = gzip.decompress((DATA / "related" / "cityam-alibaba.html.gz").read_bytes())
    digest = digester.from_html(html.decode("utf-8"), labels["url"])
    returned = {headline.title for headline in digest.related}
    related = {c["text"] for c in labels["candidates"] if c["related"] and not c["unsure"]}
    assert related <= returned
    assert "Initial public offerings: Is there still a pulse?" not in returned  # same section
    assert not any(same_headline(title, labels["title"]) for title in returned)
    assert all(h.url and h.url.startswith("https://www.cityam.com/") for h in digest.related)


def test_variants_of_the_own_headline_are_recognised():
    title = "Zach Parise heating up, scores twice as Wild beat Sabres 4-1"
    assert same_headline("Zach Parise heating up, scores twice as Wild…", title)
    assert same_headline(f"{title} - Twin Cities", title)
    assert same_headline(title.upper(), title)
    assert not same_headline("Zach Parise heating up", title)  # a shorter, different headline
    assert not same_headline("Wild beat Sabres in overtime again", title)
