"""Related headlines and "the same story", on the real encoder."""


import numpy as np

from summariser.headlines import STORY_THRESHOLD, same_headline, same_story
from summariser.models import Headline


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


def test_variants_of_the_own_headline_are_recognised():
    title = "Zach Parise heating up, scores twice as Wild beat Sabres 4-1"
    assert same_headline("Zach Parise heating up, scores twice as Wild…", title)
    assert same_headline(f"{title} - Twin Cities", title)
    assert same_headline(title.upper(), title)
    assert not same_headline("Zach Parise heating up", title)  # a shorter, different headline
    assert not same_headline("Wild beat Sabres in overtime again", title)
