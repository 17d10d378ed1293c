"""Related headlines and "the same story", on the real encoder."""

import numpy as np
from conftest import read

from summariser.document import Document
from summariser.headlines import STORY_THRESHOLD, rank_related, same_story
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
