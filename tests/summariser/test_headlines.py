"""Headlines about the same story: the page's own headline, and the same-story judge that
feeds and "Earlier in this server" call, on the real encoder and the committed weights."""

import re

import numpy as np
from conftest import DATA, read, run_offline

from summariser.headlines import same_headline, same_story
from summariser.models import Headline
from summariser.paste import parse_paste
from summariser.story import (
    BOTH_WAYS,
    FEATURES,
    MAX_JUDGED,
    VECTOR_FEATURES,
    TermRows,
    Terms,
    both_ways,
    features,
    judge,
    pair_features,
)


def _feed_titles() -> list[str]:
    xml = (DATA / "related" / "story-feed.xml").read_text()
    return [t.replace("&apos;", "'") for t in re.findall(r"<item>\s*<title>(.*?)</title>", xml)]


def _story(digester):
    """The seed article as the bot stores its story: title and first summary sentence."""
    digest = digester.from_text(read("lbc-amnesty-navalny.txt"))
    text = f"{digest.title} {digest.summary[0]}"
    return text, digester.encode([text])[0]


def _feed_scores(digester):
    titles = _feed_titles()
    assert len(titles) == 10 and titles[0].startswith("Amnesty International withdraws Navalny")
    text, vector = _story(digester)
    heads = digester.encode(titles)
    found = judge()
    rows = features(heads @ vector, found.hub(heads), [Terms.of(t) for t in titles],
                    float(found.hub(vector[None])[0]), Terms.of(text))
    return titles, text, vector, heads, found.probability(rows, "feed")


def test_no_feed_item_of_another_story_is_called_the_same_even_of_the_same_topic(digester):
    titles, text, vector, heads, probability = _feed_scores(digester)
    found = judge().matches(vector, text, heads, [Terms.of(t) for t in titles], "feed")
    assert all(k == 0 for _, k in found)
    # the same organisation, and a name the article gives, in other stories: not the same story
    assert "Amnesty International accuses" in titles[1] and "Chris Bryant" in titles[4]
    assert (probability[1:] < judge().thresholds["feed"]).all()
    assert probability[0] > 3 * probability[1:].max()  # the same story stands far above them


def test_a_feed_item_of_the_same_story_is_matched(digester):
    titles, text, vector, heads, _ = _feed_scores(digester)
    found = judge().matches(vector, text, heads, [Terms.of(t) for t in titles], "feed")
    assert [titles[k] for _, k in found] == [titles[0]]


def test_an_earlier_story_is_matched_by_its_story_not_its_topic(digester):
    text, vector = _story(digester)
    earlier = ["Amnesty International drops 'prisoner of conscience' status for Alexei Navalny "
               "over his comments on migrants in the 2000s.",
               "Amnesty International says Eritrean troops killed hundreds of civilians in the "
               "Ethiopian city of Axum in November."]
    vectors = digester.encode(earlier)
    pool = [(Headline(t), v, t) for t, v in zip(earlier, vectors, strict=True)]
    assert [h.title for h in same_story(vector, text, pool)] == [earlier[0]]
    assert same_story(vector, text, []) == []


def test_two_stories_are_judged_alike_whichever_came_first(digester):
    """"Earlier" reads a pair of stories both ways: the same probability either way round,
    where a use that matches a headline to a story reads them differently."""
    text, vector = _story(digester)
    other = ("Amnesty International says Eritrean troops killed hundreds of civilians in the "
             "Ethiopian city of Axum in November, witnesses told the rights group.")
    other_vector = digester.encode([other])[0]
    found = judge()

    def judged(use, a, va, b, vb):
        [(probability, _)] = found.matches(va, a, vb[None], [Terms.of(b)], use, floor=1e-6)
        return probability

    assert "earlier" in BOTH_WAYS
    forth = judged("earlier", text, vector, other, other_vector)
    back = judged("earlier", other, other_vector, text, vector)
    assert abs(forth - back) < 1e-9
    assert abs(judged("feed", text, vector, other, other_vector)
               - judged("feed", other, other_vector, text, vector)) > 1e-6


def test_pairs_out_of_reach_by_their_vectors_never_reach_the_threshold():
    found = judge()
    rng = np.random.default_rng(0)
    vectors = rng.uniform(-1, 1, (400, VECTOR_FEATURES))
    for use, threshold in found.thresholds.items():
        # the best the other features can do: each at the end of [0, 1] its weight favours
        best = np.tile((found.models[use].per_unit[VECTOR_FEATURES:] > 0).astype(float),
                       (len(vectors), 1))
        rows = np.hstack([vectors, best])
        if use in BOTH_WAYS:  # read both ways, the best either way round
            rows = both_ways(rows, best)
        reach = found.reach(vectors, threshold, use)
        assert reach.any() and not reach.all(), use
        assert (found.probability(rows[~reach], use) < threshold).all()


def test_capitals_count_as_names_only_where_a_text_is_not_in_title_case():
    sentence = Terms.of("Amnesty has stripped Russian activist Alexei Navalny of his status.")
    assert {"russian", "alexei", "navalny"} <= sentence.names and "stripped" not in sentence.names
    title_case = Terms.of("Amnesty Strips Russian Activist Alexei Navalny Of His Status")
    assert title_case.names == frozenset() and "strips" in title_case.caps
    assert Terms.of("Bank holds rates at 0.1% for the 3rd time in 2021").numbers >= {"2021"}
    row = features(np.array([0.5]), np.array([0.2]), [title_case], 0.3, sentence)[0]
    assert len(row) == len(FEATURES) and list(row[:3]) == [0.5, 0.3, 0.2]
    assert 0 < row[FEATURES.index("words")] <= 1


def _texts() -> list[str]:
    """Real headlines and sentences: the feed's, and the seed article's."""
    article = parse_paste(read("lbc-amnesty-navalny.txt"))
    return _feed_titles() + [s for p in article.paragraphs for s in re.split(r"(?<=\.) ", p)]


def test_the_text_features_read_at_once_are_each_pairs_own():
    texts = _texts()
    assert len(texts) > 20
    terms = [Terms.of(t) for t in texts]
    table = TermRows.of(terms)
    rows = np.array([5, 0, 17, 3, len(texts) - 1, 9])
    joined = TermRows.joined([TermRows.of(terms[:7]), TermRows.of([]), TermRows.of(terms[7:])])
    seen = []
    for article in (terms[0], terms[12], Terms.of(" ".join(texts[10:14])), Terms.of("")):
        each = np.array([pair_features(t, article) for t in terms])
        assert (table.pair_rows(article) == each).all()
        assert (joined.pair_rows(article) == each).all()
        assert (table.pair_rows(article, rows) == each[rows]).all()
        seen.append(each)
    # every feature takes several values here: a check that can fail
    assert min(len(set(seen[2][:, k])) for k in range(5)) >= 2
    assert TermRows.of([]).pair_rows(terms[0]).shape == (0, len(FEATURES) - VECTOR_FEATURES)


def test_rows_judged_in_groups_at_once_are_judged_as_each_group_alone(digester):
    """Feeds: every feed's headlines in one call, the text features read for the best
    ``MAX_JUDGED`` rows of each feed, give what each feed judged alone gives."""
    text, vector = _story(digester)
    texts = _texts()
    rng = np.random.default_rng(0)
    # 3 feeds of 40 headlines at every distance from the story, the story's own words among them
    noise = rng.normal(size=(120, len(vector))).astype(np.float32)
    mix = rng.uniform(0, 1, (120, 1)).astype(np.float32)
    others = mix * vector + (1 - mix) * noise / np.linalg.norm(noise, axis=1, keepdims=True)
    others /= np.linalg.norm(others, axis=1, keepdims=True)
    terms = [Terms.of(texts[k % len(texts)]) for k in rng.permutation(120)]
    groups = np.repeat(np.arange(3), 40)
    found = judge()
    hubs = found.hub(others)
    at_once = found.matches(vector, text, others, TermRows.of(terms), "feed", hubs, groups)
    alone: list[tuple[float, int]] = []
    for g in range(3):
        rows = np.flatnonzero(groups == g)
        alone += [(p, int(rows[k])) for p, k in found.matches(
            vector, text, others[rows], [terms[r] for r in rows], "feed", hubs[rows])]
    alone.sort(key=lambda pair: -pair[0])
    assert [k for _, k in at_once] == [k for _, k in alone] and len(at_once) > 3
    assert np.allclose([p for p, _ in at_once], [p for p, _ in alone], rtol=0, atol=1e-12)
    # the cap bites: judged alone as one group, fewer rows are read than in three
    single = found.matches(vector, text, others, TermRows.of(terms), "feed", hubs)
    assert found.reach(np.column_stack([others @ vector, np.full(120, 0.5), hubs]),
                       found.thresholds["feed"]).sum() > 3 * MAX_JUDGED
    assert {k for _, k in single} <= {k for _, k in at_once}


def test_a_long_text_is_read_only_up_to_its_cap():
    article = parse_paste(read("lbc-amnesty-navalny.txt"))
    text = " ".join(article.paragraphs)
    assert Terms.of(text * 50) == Terms.of((text * 50)[:5_000])


def test_the_judge_loads_with_no_network():
    out = run_offline(
        "from summariser.story import judge, USES\n"
        "j = judge()\n"
        "print(len(j.models['feed'].coef), all(0 < j.thresholds[u] < 1 for u in USES))\n"
        "import sys; print('torch' in sys.modules)")
    assert out.split() == [str(len(FEATURES)), "True", "False"]


def test_variants_of_the_own_headline_are_recognised():
    title = "Zach Parise heating up, scores twice as Wild beat Sabres 4-1"
    assert same_headline("Zach Parise heating up, scores twice as Wild…", title)
    assert same_headline(f"{title} - Twin Cities", title)
    assert same_headline(title.upper(), title)
    assert not same_headline("Zach Parise heating up", title)  # a shorter, different headline
    assert same_headline(title, f"{title} | Twin Cities News")  # the <title> of a page
    assert not same_headline("Wild beat Sabres in overtime again", title)
