"""Related headlines from a page's own links: a learned "same story" scorer.

A page links to many stories; a reader wants only those about the same story as the article
(earlier or later developments, other pieces of the same event), and an empty list beats a
wrong one. Each candidate link is scored in two steps, both small logistic models whose numbers
live in ``summariser/data/related.json`` (``training/train_related.py`` makes them):

1. **The story model** reads only the headline and the article: its MiniLM similarity to the
   title, to the lead and to the closest body sentence, how many of its words the body and the
   lead use, and how many of them are names or numbers in the body. It is trained on ECB+
   (the same event against the same topic's other event, plus other topics), so it has seen
   thousands of pairs rather than the few dozen related links a labelled page set holds.
2. **The link model** reads the story model's score beside what the page says about the link:
   the box it sits in (a related/read-more box, a block marked share/tag/author, anywhere
   else), whether its URL's words are the article's, whether it points to the same site, how
   far it stands out from the page's other links, whether it reads as a sentence fragment and
   whether its words are the body's own (an in-body link: "as the minister said last week").
   It is fitted on hand-labelled pages, cross-validated by page.

A pasted headline has no URL, so it is scored by a second link model fitted on the same links
without the URL's features, and must also be as close to the title and lead as the old rules
asked: a page pasted whole lists lines of every kind. A candidate is kept when its model's
probability reaches that model's committed threshold, chosen for precision. The page's own
headline and its variants never count (``same_headline``).
Everything is linear in the number of candidates, which is capped (``MAX_CANDIDATES``); the
body sentences' vectors are the ones the summariser already computed, so the only new encoding
is the headlines of the few candidates that share the most words with the article, and of
those only the ones that could reach their threshold whatever their vectors
(``Models.within_reach``, an exact bound).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from summariser.document import LEAD_SENTENCES, Document
from summariser.encoder import Encoder
from summariser.headlines import same_headline
from summariser.linear import Linear
from summariser.models import Headline
from summariser.words import content_words

WEIGHTS = Path(__file__).parent / "data" / "related.json"
MAX_CANDIDATES = 120  # candidates looked at per page or paste
# Candidates encoded per digest: those with the most words in common with the article, as
# encoding is what the scorer costs (~5 ms a headline on one core). On the labelled pages 14 of
# the 16 related links among the candidates rank in the first 4 of their page by these words
# alone (the other two are on a page with five); 4 also scored as well as 5 and 8 by
# cross-validation, within a link or two.
MAX_ENCODED = 4
# ... and only those whose ``shared_words`` reach this: the article's words account for little
# of the others (15 of those 16 related links score 1.4 or more; the median page then encodes
# 2 or 3 headlines). Of those, only the ones ``Models.within_reach`` are encoded: 31 of 89 on
# the labelled pages, for the same lists.
MIN_SHARED = 1.2
STORY_FEATURES = ("title_sim", "lead_sim", "body_sim", "body_words", "lead_words", "names")
COSINES = 3  # the first story features are cosines, each in [-1, 1]
LINK_FEATURES = ("story", "slug_words", "has_slug", "related_box", "marked_box", "same_site",
                 "stands_out", "fragment", "in_body")
# A pasted headline has no URL: it is scored by a model fitted on the same links without what
# only a URL tells (its slug's words, its site), so it never leans on what it cannot know.
PASTED_FEATURES = tuple(name for name in LINK_FEATURES
                        if name not in ("slug_words", "has_slug", "same_site"))
PASTED_COLUMNS = [LINK_FEATURES.index(name) for name in PASTED_FEATURES]
# ... and must also be as close to the title and the lead as the old rules asked (cosine 0.45
# and 0.40). A whole page pasted from a browser lists lines of every kind (captions, teasers,
# consent text); on the labelled pages pasted whole, the pasted model alone returned 8 related
# lines and 25 others, this similarity alone 4 and 7, both together 4 and 6.
PASTED_SIMILARITY = np.array([0.45, 0.40])  # title_sim, lead_sim

_NAME = re.compile(r"(?<=[\w,;:)'\"’”] )([A-Z][\w’'-]*|\d[\d.,]*)")
_SLUG_SPLIT = re.compile(r"[-_+]+")


@dataclass(frozen=True, slots=True)
class ArticleTerms:
    """What the scorer reads of the article, worked out once per digest."""

    words: frozenset[str]  # content words of the body
    lead_words: frozenset[str]  # content words of the title and the lead
    names: frozenset[str]  # words written as names or numbers inside the body's sentences
    host: str | None  # the page's site, without www.
    text: str  # the body, lowercased, one space between words

    @classmethod
    def of(cls, document: Document, url: str | None) -> ArticleTerms:
        """The scorer's view of ``document``, read from ``url``."""
        body = " ".join(s.text for s in document.sentences)
        names = {m.group(1).lower().strip(".,") for m in _NAME.finditer(body)}
        return cls(frozenset(content_words(body)),
                   frozenset(content_words(" ".join([document.title or "", *document.lead]))),
                   frozenset(names), _host(url), " ".join(body.lower().split()))

    def shares(self, words: set[str]) -> tuple[float, float, float]:
        """Of a headline's content ``words``: the share the body uses, the share the title and
        lead use, and how many are the body's names or numbers (up to 3, as a share of 3)."""
        count = max(len(words), 1)
        return (len(words & self.words) / count, len(words & self.lead_words) / count,
                min(len(words & self.names), 3) / 3)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    return (urlsplit(url).hostname or "").removeprefix("www.") or None


def slug_words(url: str | None) -> set[str]:
    """The words of a link's last path segment when it is a slug ("alibaba-eyes-hong-kong"):
    three or more words, else none."""
    if not url:
        return set()
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if not segments:
        return set()
    words = [w for w in _SLUG_SPLIT.split(segments[-1].rsplit(".", 1)[0].lower()) if w.isalpha()]
    return set(words) if len(words) >= 3 else set()


def lead_vector(document: Document, encoder: Encoder) -> np.ndarray:
    """The lead's direction: the mean of its sentences' vectors, which the summariser has
    already computed (the first candidate sentences when the lead's are not candidates)."""
    vectors = document.vectors(encoder).candidates
    if not len(vectors):
        return document.lead_vector(encoder)
    first = [k for k, index in enumerate(document.candidates()) if index < LEAD_SENTENCES]
    mean = vectors[first or slice(0, LEAD_SENTENCES)].mean(axis=0)
    return np.asarray(mean / (np.linalg.norm(mean) or 1.0))


def targets(document: Document, encoder: Encoder) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What a headline's cosines are taken to: the title, the lead and the body sentences
    (one row each); the lead stands for a missing title, and for the body when no sentence
    was a candidate."""
    vectors = document.vectors(encoder)
    lead = lead_vector(document, encoder)
    title = vectors.title if vectors.title is not None else lead
    sentences = vectors.candidates if len(vectors.candidates) else lead[None]
    return title, lead, sentences


def cosines(heads: np.ndarray, document: Document, encoder: Encoder) -> np.ndarray:
    """The first ``COSINES`` story features of each headline (unit vectors ``heads``): its
    cosine to the title, to the lead and to the closest body sentence (``targets``)."""
    title, lead, sentences = targets(document, encoder)
    return np.column_stack([heads @ title, heads @ lead,
                            (heads @ sentences.T).max(axis=1)]).astype(np.float64)


def word_shares(texts: Sequence[str], article: ArticleTerms) -> np.ndarray:
    """The other story features of each headline, which need no vector
    (``ArticleTerms.shares``)."""
    return np.array([article.shares(content_words(text)) for text in texts],
                    dtype=np.float64).reshape(len(texts), len(STORY_FEATURES) - COSINES)


def story_features(texts: Sequence[str], heads: np.ndarray, document: Document,
                   encoder: Encoder, article: ArticleTerms) -> np.ndarray:
    """One row of ``STORY_FEATURES`` per headline (``texts``, unit vectors ``heads``)."""
    return np.hstack([cosines(heads, document, encoder), word_shares(texts, article)])


def link_features(candidates: Sequence[Headline], story: np.ndarray, standing: np.ndarray,
                  article: ArticleTerms) -> np.ndarray:
    """One row of ``LINK_FEATURES`` per candidate, from its story score, how far it stands out
    from the page's other candidates, and its place."""
    rows = []
    for headline, score, stands_out in zip(candidates, story, standing, strict=True):
        slug = slug_words(headline.url)
        host = _host(headline.url)
        rows.append([
            float(score),
            len(slug & article.words) / len(slug) if slug else 0.0,
            float(bool(slug)),
            float(headline.box in ("related", "list")),
            float(headline.box == "marked"),
            float(host is not None and host == article.host),
            float(stands_out),
            float(headline.title[:1].islower()),
            float(" ".join(headline.title.lower().split()) in article.text),
        ])
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(LINK_FEATURES))


@dataclass(frozen=True, slots=True)
class Models:
    """The story model, and the link models for candidates with and without a URL, each with
    the probability a candidate must reach."""

    story: Linear
    link: Linear
    link_threshold: float
    pasted: Linear
    pasted_threshold: float

    def pasted_probability(self, rows: np.ndarray) -> np.ndarray:
        """The pasted-headline model's probability for link-model ``rows``."""
        return self.pasted.probability(rows[:, PASTED_COLUMNS])

    @staticmethod
    def close(story_rows: np.ndarray) -> np.ndarray:
        """Which story-model rows are as close to the title and lead as a pasted headline must
        be (``PASTED_SIMILARITY``)."""
        return np.asarray(np.all(story_rows[:, :2] >= PASTED_SIMILARITY, axis=1))

    def scores(self, pool: Sequence[Headline], rows: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
        """Each candidate's probability by its model (with a URL or pasted) and the threshold
        that model asks."""
        linked = _linked(pool)
        return (np.where(linked, self.link.probability(rows), self.pasted_probability(rows)),
                np.where(linked, self.link_threshold, self.pasted_threshold))

    def keep(self, pool: Sequence[Headline], rows: np.ndarray, story_rows: np.ndarray
             ) -> np.ndarray:
        """Each candidate's probability of being about the same story, and 0 where it falls
        short of its model's threshold or, without a URL, of ``PASTED_SIMILARITY``."""
        probability, threshold = self.scores(pool, rows)
        return np.where((probability >= threshold) & (_linked(pool) | self.close(story_rows)),
                        probability, 0.0)

    def cosine_most(self, document: Document, encoder: Encoder) -> float:
        """The most a headline's cosines can add to its story logit against ``document``,
        whatever the headline.

        With weights a, b and c > 0 on its unit vector h's cosines to the title t, the lead l
        and the closest body sentence s_j: a h·t + b h·l + c max_j h·s_j =
        max_j h·(a t + b l + c s_j) ≤ max_j |a t + b l + c s_j| (Cauchy–Schwarz), which
        needs only the vectors the summariser already has. Infinite when c ≤ 0."""
        a, b, c = self.story.per_unit[:COSINES]
        if c <= 0:
            return float("inf")
        title, lead, sentences = targets(document, encoder)
        most = np.linalg.norm(a * title + b * lead + c * sentences, axis=1).max()
        return float(most) + 1e-4  # float32 vectors are unit only to ~1e-7

    def within_reach(self, pool: Sequence[Headline], standing: np.ndarray, shares: np.ndarray,
                     article: ArticleTerms, cosine_most: float) -> np.ndarray:
        """Which candidates ``keep`` could keep, whatever their vectors: the only ones worth
        encoding.

        Exact for any weights. A candidate's story logit is its ``shares``' part plus what its
        cosines add: at least the sum of each cosine's weight at the worse end of its range,
        at most the same at the better end and ``cosine_most``. Each cosine lies in [-1, 1],
        and a pasted headline's title and lead cosines are at least ``PASTED_SIMILARITY``
        (``close``). The link logits are linear in the story logit, so the best chance is at
        one end of that range; both are tried."""
        weight = self.story.per_unit[:COSINES]
        pasted = ~_linked(pool)[:, None]
        floor = np.where(pasted, np.r_[PASTED_SIMILARITY, -1.0], -1.0)
        low = np.where(weight > 0, weight * floor, weight).sum(axis=1)
        high = np.minimum(np.where(weight > 0, weight, weight * floor).sum(axis=1), cosine_most)
        base = self.story.logit(np.hstack([np.zeros((len(pool), COSINES)), shares]))
        reach = np.zeros(len(pool), dtype=bool)
        for story in (base + low, base + high):
            probability, threshold = self.scores(pool, link_features(pool, story, standing,
                                                                     article))
            reach |= probability >= threshold
        return reach


def _linked(pool: Sequence[Headline]) -> np.ndarray:
    """Which candidates have a URL (the link model's); the others are pasted headlines."""
    return np.array([c.url is not None for c in pool], dtype=bool)


@lru_cache(maxsize=2)
def models(path: Path = WEIGHTS) -> Models:
    """The models in ``path``, the committed ones by default (read once)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Models(Linear.from_json(data["story"], STORY_FEATURES, path),
                  Linear.from_json(data["link"], LINK_FEATURES, path),
                  float(data["link_threshold"]),
                  Linear.from_json(data["pasted"], PASTED_FEATURES, path),
                  float(data["pasted_threshold"]))


def shared_words(headline: Headline, words: set[str], article: ArticleTerms) -> float:
    """How much of a candidate (its content ``words``) the article's words account for: the
    story model's word shares (``ArticleTerms.shares``) plus the share of its URL's slug words
    in the body. Cheap: it picks the candidates worth encoding."""
    slug = slug_words(headline.url)
    return sum(article.shares(words)) + (len(slug & article.words) / len(slug) if slug else 0.0)


def candidate_pool(candidates: Sequence[Headline], document: Document,
                   article: ArticleTerms) -> tuple[list[Headline], np.ndarray]:
    """The candidates worth encoding and how far each stands out from the page's others.

    Of the first ``MAX_CANDIDATES``, those sharing a content word with the article, less the
    page's own headline and its variants, ranked by ``shared_words`` (page order breaks ties);
    the first ``MAX_ENCODED`` of those reaching ``MIN_SHARED``, each with its ``shared_words``
    as a z-score over all of them: a story's follow-ups stand out from a list of the section's
    other stories."""
    title = document.title
    fit: list[Headline] = []
    scores: list[float] = []
    for candidate in candidates[:MAX_CANDIDATES]:
        words = content_words(candidate.title)
        if words & article.words and not (title and same_headline(candidate.title, title)):
            fit.append(candidate)
            scores.append(shared_words(candidate, words, article))
    shared = np.array(scores)
    order = [i for i in np.argsort(-shared, kind="stable")[:MAX_ENCODED]
             if shared[i] >= MIN_SHARED]
    standing = (shared - shared.mean()) / (shared.std() + 0.1) if len(fit) else shared
    return [fit[i] for i in order], standing[order]


def link_rows(pool: Sequence[Headline], standing: np.ndarray, document: Document,
              encoder: Encoder, article: ArticleTerms, story: Linear,
              shares: np.ndarray | None = None, headlines: Encoder | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
    """The link model's rows for ``pool`` and the story model's rows they were made from (its
    headlines encoded here by ``headlines`` (default ``encoder``), in one batch; their
    ``word_shares`` when already known)."""
    texts = [c.title for c in pool]
    shares = word_shares(texts, article) if shares is None else shares
    heads = (headlines or encoder).encode(texts)
    story_rows = np.hstack([cosines(heads, document, encoder), shares])
    return link_features(pool, story.logit(story_rows), standing, article), story_rows


def rank_related(candidates: Sequence[Headline], document: Document, encoder: Encoder,
                 url: str | None = None, limit: int = 5, headlines: Encoder | None = None
                 ) -> list[tuple[Headline, float]]:
    """Candidates about the same story as ``document`` (read from ``url``; its vectors by
    ``encoder``), best first, each with the link model's probability. Only those
    ``Models.within_reach`` are encoded, by ``headlines`` (default ``encoder``;
    ``encoder.headline_encoder_for``): the same list, at about a third of the encodings on the
    labelled pages."""
    if not candidates or not document.lead:
        return []
    article = ArticleTerms.of(document, url)
    pool, standing = candidate_pool(candidates, document, article)
    if not pool:
        return []
    found = models()
    shares = word_shares([c.title for c in pool], article)
    reach = found.within_reach(pool, standing, shares, article,
                               found.cosine_most(document, encoder))
    pool = [c for c, r in zip(pool, reach, strict=True) if r]
    if not pool:
        return []
    probability = found.keep(pool, *link_rows(pool, standing[reach], document, encoder, article,
                                              found.story, shares[reach], headlines))
    kept: list[tuple[Headline, float]] = []
    for i in np.argsort(-probability, kind="stable"):
        if probability[i] > 0 and not any(_same_link(pool[i], other) for other, _ in kept):
            kept.append((pool[i], float(probability[i])))
    return kept[:limit]


def _same_link(one: Headline, other: Headline) -> bool:
    """The same story twice: one link, or one headline with a date or a site's name after it."""
    return ((one.url is not None and one.url == other.url) or same_headline(one.title, other.title)
            or same_headline(other.title, one.title))
