"""Related headlines: keep only candidates that are about the same story.

A candidate is compared with the article by embedding similarity to the title and to the lead
(the first sentences, where news states its story); both must clear a threshold, and the candidate
must share a content word with the article. Precision beats recall: the thresholds were set so
that general "more news" lists fall away, and an empty list is the normal result when nothing on
the page is about the same story.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from summariser.encoder import Encoder
from summariser.models import Headline

MAX_CANDIDATES = 60  # the first candidates of a page or paste; bounds the encoding work
TITLE_THRESHOLD = 0.45
LEAD_THRESHOLD = 0.40
_STOP = frozenset(
    """
    a an the and or but of in on at to for from by with as is are was were be been has have had
    it its this that these those after before over under into about than then new says said
    how why what who when where will would could should can may more most first last one two
    """.split()
)


def content_words(text: str) -> set[str]:
    """The lowercased words of ``text`` that carry meaning (3+ letters, not a stop word)."""
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2 and w not in _STOP}


def rank_related(
    candidates: Sequence[Headline],
    title: str | None,
    lead: Sequence[str],
    encoder: Encoder,
    limit: int = 5,
    exclude: Sequence[str] = (),
) -> list[tuple[Headline, float]]:
    """Candidates about the same story as the article, best first, with their similarity."""
    skip = {t.lower().strip() for t in exclude if t} | ({title.lower().strip()} if title else set())
    pool = [c for c in candidates[:MAX_CANDIDATES] if c.title.lower().strip() not in skip]
    if not pool or not lead:
        return []
    article_words = content_words(" ".join([title or "", *lead]))
    pool = [c for c in pool if content_words(c.title) & article_words]
    if not pool:
        return []
    references = [" ".join(lead)] + ([title] if title else [])
    vectors = encoder.encode([c.title for c in pool] + references)
    heads, refs = vectors[: len(pool)], vectors[len(pool) :]
    lead_sim = heads @ refs[0]
    title_sim = heads @ refs[1] if title else lead_sim
    keep = (lead_sim >= LEAD_THRESHOLD) & (title_sim >= TITLE_THRESHOLD)
    score = (lead_sim + title_sim) / 2
    order = np.argsort(-score)
    return [(pool[i], float(score[i])) for i in order if keep[i]][:limit]


# -- the same story, earlier: the bot's "Earlier in this server" -----------------------------

# Set on ECB+ by training/tune_story.py: the lowest threshold with precision 0.95 over all pairs,
# hard negatives (same topic, other event) included: precision 0.956, recall 0.152 (0.68 before:
# 0.854 and 0.435). An empty "Earlier in this server" beats a wrong one.
STORY_THRESHOLD = 0.80


def story_text(title: str | None, summary: Sequence[str]) -> str:
    """What a story is about, for comparing stories: its title and first summary sentence."""
    return " ".join(part for part in (title, summary[0] if summary else None) if part)


def same_story(
    vector: np.ndarray,
    text: str,
    earlier: Sequence[tuple[Headline, np.ndarray, str]],
    limit: int = 2,
    threshold: float = STORY_THRESHOLD,
) -> list[Headline]:
    """Earlier stories (headline, vector, story text) about the same story as ``vector``."""
    words = content_words(text)
    scored = []
    for headline, other, other_text in earlier:
        similarity = float(vector @ other)
        if similarity >= threshold and words & content_words(other_text):
            scored.append((similarity, headline))
    scored.sort(key=lambda pair: -pair[0])
    return [headline for _, headline in scored[:limit]]
