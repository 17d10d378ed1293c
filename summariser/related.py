"""Related headlines from a page's own links, judged by the same-story judge and the link's place.

A page links to many stories; a reader wants only those about the same story as the article
(earlier or later developments, other pieces of the same event), and an empty list beats a
wrong one. Each candidate link is scored in two steps:

1. **The same-story judge** (``summariser/story.py``, shared with feeds and "Earlier in this
   server") reads only the headline and the article's title and lead: their vectors' cosine,
   and the words, names and numbers they share or not. It is trained on thousands of pairs
   (AllSides' stories told by three outlets, ECB+'s events of the same kind), so it has seen
   what separates the same story from the same topic far more often than a labelled page set
   shows it.
2. **The link model** (``summariser/data/related.json``, ``training/train_related.py``) reads
   the judge's log-odds beside the headline's cosine to the closest body sentence and what the
   page says about the link: the box it sits in (a related/read-more box, a block marked
   share/tag/author, anywhere else), whether its URL's words are the article's, whether it
   points to the same site, how far it stands out from the page's other links, whether it
   reads as a sentence fragment and whether its words are the body's own (an in-body link),
   and how much of the headline the article's words account for: the shares of its content
   words the body and the title and lead use, and the body's names and numbers among them.
   It is fitted on 220 hand-labelled pages (a fifth of sites of 268 kept aside), cross-validated
   by site.

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
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import numpy as np

from summariser.document import LEAD_SENTENCES, Document
from summariser.encoder import Encoder
from summariser.headlines import same_headline
from summariser.linear import Linear, logistic
from summariser.models import Headline
from summariser.story import Judge, Terms, judge
from summariser.story import features as story_features
from summariser.words import ENGLISH, Vocabulary, vocabulary

WEIGHTS = Path(__file__).parent / "data" / "related.json"
MAX_CANDIDATES = 120  # candidates looked at per page or paste
# The languages whose articles get a page's or a paste's related headlines: the judge and the
# link model learned English stories and English pages. On the other-language pages of the
# shared sets (392 outside the final fifth, read as posted links), the digests of pages read as
# another language showed 40 headlines, 10 of them about the same story by hand (German 8 of
# 36; 3 were the page itself, 25 other stories: another day's "Bericht zur Coronalage", last
# year's "Best of Houzz", another level of a game's guide). With every link headline of 305
# German, French and Spanish pages labelled (``training/data/related-trafilatura-*.jsonl``) and
# their words read in their language (``words.vocabulary``), the link model reads 0.54 precision
# on them by cross-validation by site (0.47 fitted on them and the English pages together; 0.71
# on the English pages): short of what English is shipped at. An empty list beats a wrong one.
# Where the language is unknown (``None``), the headlines are scored as before.
# The same holds for the headlines of the feeds a server follows (``bot.feeds``): the judge and
# the pair reader learned English stories. With each labelled page's link headlines standing for
# its site's feed and its digest for the story (``evaluate related --page-feeds``), the feed path
# showed headlines under 249 of 279 German articles, 37 about the same story and 490 not
# (precision 0.070): the site's other stories, not its topic ("Deutsche Bahn kündigt
# Streckensperrungen an" under Siemens and an Australian coal mine); under 137 of 262 English
# ones 37 and 181 (0.170), mostly the same topic (since the feed's crowd is measured, under 154
# of them 34 and 141: 0.194).
RELATED_LANGUAGES = frozenset({"en"})

# Candidates encoded per digest: those with the most words in common with the article, as
# encoding is what the scorer costs (~5 ms a headline on one core). On the labelled pages 14 of
# the 16 related links among the candidates rank in the first 4 of their page by these words
# alone (the other two are on a page with five); 4 also scored as well as 5 and 8 by
# cross-validation, within a link or two.
MAX_ENCODED = 4
# ... and only those whose ``shared_words`` reach this: the article's words account for little
# of the others (15 of those 16 related links score 1.4 or more; the median page then encodes
# 2 or 3 headlines). Of those, only the ones ``Models.within_reach`` are encoded: 116 of 342 on
# the 144 pages of the two shared labelled sets, for the same lists.
MIN_SHARED = 1.2
COSINES = ("title_sim", "lead_sim", "body_sim")  # a headline's cosines, each in [-1, 1]
LINK_FEATURES = ("story", "body_sim", "slug_words", "has_slug", "related_box", "marked_box",
                 "same_site", "stands_out", "fragment", "in_body", "body_share", "lead_share",
                 "names_share")
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


def gets_related(lang: str | None) -> bool:
    """Does a digest in ``lang`` get related headlines, from its page, its paste or the
    server's feeds (``RELATED_LANGUAGES``, or a language the detector cannot tell)?"""
    return lang is None or lang in RELATED_LANGUAGES


@dataclass(frozen=True, slots=True)
class ArticleTerms:
    """What the scorer reads of the article, worked out once per digest."""

    words: frozenset[str]  # content words of the body
    lead_words: frozenset[str]  # content words of the title and the lead
    names: frozenset[str]  # words written as names or numbers inside the body's sentences
    host: str | None  # the page's site, without www.
    text: str  # the body, lowercased, one space between words
    story: Terms  # the judge's view of the story: the title and the lead's first sentence
    url: str | None = None  # the page's own address
    vocabulary: Vocabulary = ENGLISH  # how the article's language is cut into content words

    @classmethod
    def of(cls, document: Document, url: str | None, lang: str | None = None) -> ArticleTerms:
        """The scorer's view of ``document`` (in ``lang``), read from ``url``."""
        words = vocabulary(lang)
        body = " ".join(s.text for s in document.sentences)
        names = {m.group(1).lower().strip(".,") for m in _NAME.finditer(body)}
        return cls(frozenset(words.content_words(body)),
                   frozenset(words.content_words(" ".join([document.title or "",
                                                           *document.lead]))),
                   frozenset(names), _host(url), " ".join(body.lower().split()),
                   Terms.of(" ".join([document.title or "", *document.lead[:1]]), words), url,
                   words)

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


def own_page(link: str | None, url: str | None) -> bool:
    """Does ``link`` lead back to the page at ``url``: the same host and path, its query the
    page's own with at most more parameters ("?intcid=CNI-00-10aaa3b", "?share=twitter",
    "#comment-5")? Another query ("?Seq_Code=181524" on a page of "?Seq_Code=181533") is
    another page."""
    if not link or not url:
        return False
    try:
        a, b = urlsplit(link), urlsplit(url)
    except ValueError:
        return False
    return (_host(link) == _host(url) and _path(a.path) == _path(b.path)
            and set(parse_qsl(b.query)) <= set(parse_qsl(a.query)))


def _path(path: str) -> str:
    """``path`` as it names a page: no "." segment, no slash at its end ("/news/18725/." is
    "/news/18725")."""
    return "/".join(segment for segment in path.split("/") if segment != ".").rstrip("/")


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


def lead_vector(document: Document, encoder: Encoder, body: bool = True) -> np.ndarray:
    """The lead's direction: the mean of its sentences' vectors, which the summariser has
    already computed (the first candidate sentences when the lead's are not candidates); the
    lead encoded alone without the ``body``'s vectors."""
    if not body:
        return document.lead_vector(encoder)
    vectors = document.vectors(encoder).candidates
    if not len(vectors):
        return document.lead_vector(encoder)
    first = [k for k, index in enumerate(document.candidates()) if index < LEAD_SENTENCES]
    mean = vectors[first or slice(0, LEAD_SENTENCES)].mean(axis=0)
    return np.asarray(mean / (np.linalg.norm(mean) or 1.0))


@dataclass(frozen=True, slots=True)
class Targets:
    """What a headline's vectors are compared with, worked out once per digest: the title,
    the lead and the body sentences (one row each), and the story the judge reads (the unit
    mean of the title's and the lead's vectors, standing for one text of both: what the bot
    stores is the title and the first summary sentences, encoded together)."""

    title: np.ndarray
    lead: np.ndarray
    sentences: np.ndarray
    story: np.ndarray

    @classmethod
    def of(cls, document: Document, encoder: Encoder, body: bool = True) -> Targets:
        """``document``'s targets by ``encoder``: the lead stands for a missing title, and for
        the body when no sentence was a candidate or the ``body`` is not to be encoded (see
        ``rank_related``)."""
        lead = lead_vector(document, encoder, body)
        if body:
            vectors = document.vectors(encoder)
            title = vectors.title
            sentences = vectors.candidates if len(vectors.candidates) else lead[None]
        else:
            title, sentences = document.title_vector(encoder), lead[None]
        title = title if title is not None else lead
        mean = title + lead
        return cls(title, lead, sentences, np.asarray(mean / (np.linalg.norm(mean) or 1.0)))

    def cosines(self, heads: np.ndarray) -> np.ndarray:
        """The ``COSINES`` of each headline (unit vectors ``heads``): its cosine to the title,
        to the lead and to the closest body sentence."""
        return np.column_stack([heads @ self.title, heads @ self.lead,
                                (heads @ self.sentences.T).max(axis=1)]).astype(np.float64)

    def hub(self, judged: Judge) -> float:
        """The article's story's closeness to the judge's hubs of news headlines."""
        return float(judged.hub(self.story[None])[0])


def judge_rows(pool: Sequence[Headline], cosine: np.ndarray, hubs: np.ndarray, hub: float,
               article: ArticleTerms) -> np.ndarray:
    """The judge's rows (``story.FEATURES``) of each candidate, given its story ``cosine``,
    its closeness to the judge's hubs (``hubs``) and the article's (``hub``)."""
    return story_features(cosine, hubs, [Terms.of(c.title, article.vocabulary) for c in pool],
                          hub, article.story)


def link_features(candidates: Sequence[Headline], standing: np.ndarray, article: ArticleTerms
                  ) -> np.ndarray:
    """One row of ``LINK_FEATURES`` per candidate, from how far it stands out from the page's
    other candidates, its place and the words it shares with the article (``ArticleTerms.
    shares``); the judge's log-odds and the body cosine are left at 0 for ``with_vectors``."""
    rows = []
    for headline, stands_out in zip(candidates, standing, strict=True):
        slug = slug_words(headline.url)
        host = _host(headline.url)
        rows.append([
            0.0,
            0.0,
            len(slug & article.words) / len(slug) if slug else 0.0,
            float(bool(slug)),
            float(headline.box in ("related", "list")),
            float(headline.box == "marked"),
            float(host is not None and host == article.host),
            float(stands_out),
            float(headline.title[:1].islower()),
            float(" ".join(headline.title.lower().split()) in article.text),
            *article.shares(article.vocabulary.content_words(headline.title)),
        ])
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(LINK_FEATURES))


def with_vectors(rows: np.ndarray, story: np.ndarray | float, body_sim: np.ndarray | float
                 ) -> np.ndarray:
    """``link_features``' ``rows`` with the judge's log-odds ``story`` and each headline's
    cosine to the closest body sentence filled in."""
    rows = rows.copy()
    rows[:, 0] = story
    rows[:, 1] = body_sim
    return rows


@dataclass(frozen=True, slots=True)
class Models:
    """The same-story judge, and the link models for candidates with and without a URL, each
    with the probability a candidate must reach."""

    judge: Judge
    link: Linear
    link_threshold: float
    pasted: Linear
    pasted_threshold: float

    @staticmethod
    def close(cosine_rows: np.ndarray) -> np.ndarray:
        """Which ``COSINES`` rows are as close to the title and lead as a pasted headline must
        be (``PASTED_SIMILARITY``)."""
        return np.asarray(np.all(cosine_rows[:, :2] >= PASTED_SIMILARITY, axis=1))

    def logits(self, pool: Sequence[Headline], rows: np.ndarray) -> np.ndarray:
        """Each candidate's log-odds by its model (with a URL or pasted)."""
        return np.where(_linked(pool), self.link.logit(rows),
                        self.pasted.logit(rows[:, PASTED_COLUMNS]))

    def thresholds(self, pool: Sequence[Headline]) -> np.ndarray:
        """The probability each candidate's model (with a URL or pasted) asks."""
        return np.where(_linked(pool), self.link_threshold, self.pasted_threshold)

    def scores(self, pool: Sequence[Headline], rows: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
        """Each candidate's probability by its model and the threshold that model asks."""
        return logistic(self.logits(pool, rows)), self.thresholds(pool)

    def keep(self, pool: Sequence[Headline], rows: np.ndarray, cosine_rows: np.ndarray
             ) -> np.ndarray:
        """Each candidate's probability of being about the same story, and 0 where it falls
        short of its model's threshold or, without a URL, of ``PASTED_SIMILARITY``."""
        probability, threshold = self.scores(pool, rows)
        return np.where((probability >= threshold) & (_linked(pool) | self.close(cosine_rows)),
                        probability, 0.0)

    def ceiling(self, pool: Sequence[Headline], standing: np.ndarray, article: ArticleTerms,
                targets: Targets) -> np.ndarray:
        """For each candidate, a log-odds its model cannot exceed whatever the headline's unit
        vector h: what ``within_reach`` compares.

        The log-odds are affine in h's cosine to the story (s, through the judge), in its
        closeness to the judge's hubs (in [-1, 1]) and in its cosine to the closest body
        sentence; the coefficients come from evaluating the models at unit steps. With story
        weight a and body weight d, ``a·(h·s) + d·max_j(h·b_j)`` is at most the largest
        ``|a·s + d·b_j|`` over the body sentences b_j when d >= 0 (Cauchy-Schwarz), and the
        smallest when d < 0: tighter than taking each cosine at 1, as h cannot be both the
        story and a sentence far from it."""
        story, sentences, hub = targets.story, targets.sentences, targets.hub(self.judge)
        n = len(pool)

        def judged(cosine: float, side: float) -> np.ndarray:
            return self.judge.logit(judge_rows(pool, np.full(n, cosine), np.full(n, side), hub,
                                               article), "page")

        base_judge = judged(0.0, 0.0)
        per_cosine, per_side = judged(1.0, 0.0) - base_judge, judged(0.0, 1.0) - base_judge
        rows = link_features(pool, standing, article)
        base = self.logits(pool, with_vectors(rows, base_judge, 0.0))
        per_story = self.logits(pool, with_vectors(rows, base_judge + 1.0, 0.0)) - base
        on_body = self.logits(pool, with_vectors(rows, base_judge, 1.0)) - base
        on_story = per_story * per_cosine
        # |a s + d b_j|^2 for every candidate (rows) and body sentence (columns)
        squared = ((on_story ** 2 * float(story @ story))[:, None]
                   + 2 * (on_story * on_body)[:, None] * (sentences @ story)[None, :]
                   + on_body[:, None] ** 2 * (sentences * sentences).sum(axis=1)[None, :])
        norms = np.sqrt(np.maximum(squared, 0.0))
        vectors = np.where(on_body >= 0, norms.max(axis=1), norms.min(axis=1))
        return np.asarray(base + np.abs(per_story * per_side) + vectors + 1e-3)

    def within_reach(self, pool: Sequence[Headline], standing: np.ndarray,
                     article: ArticleTerms, targets: Targets) -> np.ndarray:
        """Which candidates ``keep`` could keep, whatever their vectors: the only ones worth
        encoding. Exact for any weights: a candidate is left out only when even its
        ``ceiling`` falls short of its model's threshold."""
        return np.asarray(logistic(self.ceiling(pool, standing, article, targets))
                          >= self.thresholds(pool))


def _linked(pool: Sequence[Headline]) -> np.ndarray:
    """Which candidates have a URL (the link model's); the others are pasted headlines."""
    return np.array([c.url is not None for c in pool], dtype=bool)


def models_from(data: dict[str, Any], path: Path | str = "", judged: Judge | None = None
                ) -> Models:
    """The link models in ``data`` (as ``related.json`` holds them), beside the judge."""
    return Models(judged or judge(),
                  Linear.from_json(data["link"], LINK_FEATURES, path),
                  float(data["link_threshold"]),
                  Linear.from_json(data["pasted"], PASTED_FEATURES, path),
                  float(data["pasted_threshold"]))


@lru_cache(maxsize=2)
def models(path: Path = WEIGHTS) -> Models:
    """The models in ``path``, the committed ones by default (read once)."""
    return models_from(json.loads(path.read_text(encoding="utf-8")), path)


def shared_words(headline: Headline, words: set[str], article: ArticleTerms) -> float:
    """How much of a candidate (its content ``words``) the article's words account for: the
    shares of them the body and the title and lead use and the body's names among them
    (``ArticleTerms.shares``), plus the share of its URL's slug words in the body. Cheap: it
    picks the candidates worth encoding."""
    slug = slug_words(headline.url)
    return sum(article.shares(words)) + (len(slug & article.words) / len(slug) if slug else 0.0)


# a comments section's heading, which repeats the article's headline: "One thought on “Python
# 3: …”", "12 Responses to …", "3 comments on …"
_COMMENTS_ON = re.compile(r"(?:one|\d+)\s+(?:thoughts?|comments?|responses?|replies|reactions?)\s+"
                          r"(?:on|to)\b", re.IGNORECASE)


def candidate_pool(candidates: Sequence[Headline], document: Document,
                   article: ArticleTerms) -> tuple[list[Headline], np.ndarray]:
    """The candidates worth encoding and how far each stands out from the page's others.

    Of the first ``MAX_CANDIDATES``, those sharing a content word with the article, less the
    page's own headline and its variants, the links back to the page itself (``own_page``:
    "?intcid=…", "#comments") and a comments section's heading ("One thought on …"), ranked
    by ``shared_words`` (page order breaks ties); the first ``MAX_ENCODED`` of those reaching
    ``MIN_SHARED``, each with its ``shared_words`` as a z-score over all of them: a story's
    follow-ups stand out from a list of the section's other stories."""
    title = document.title
    fit: list[Headline] = []
    scores: list[float] = []
    for candidate in candidates[:MAX_CANDIDATES]:
        words = article.vocabulary.content_words(candidate.title)
        if words & article.words and not (title and same_headline(candidate.title, title)) and (
                not own_page(candidate.url, article.url)) and not _COMMENTS_ON.match(
                candidate.title):
            fit.append(candidate)
            scores.append(shared_words(candidate, words, article))
    shared = np.array(scores)
    order = [i for i in np.argsort(-shared, kind="stable")[:MAX_ENCODED]
             if shared[i] >= MIN_SHARED]
    standing = (shared - shared.mean()) / (shared.std() + 0.1) if len(fit) else shared
    return [fit[i] for i in order], standing[order]


def link_rows(pool: Sequence[Headline], standing: np.ndarray, targets: Targets,
              article: ArticleTerms, judged: Judge, headlines: Encoder
              ) -> tuple[np.ndarray, np.ndarray]:
    """The link model's rows for ``pool`` and the ``COSINES`` rows they were made from (its
    headlines encoded here by ``headlines``, in one batch)."""
    heads = headlines.encode([c.title for c in pool])
    cosine_rows = targets.cosines(heads)
    story = judged.logit(judge_rows(pool, heads @ targets.story, judged.hub(heads),
                                    targets.hub(judged), article), "page")
    return (with_vectors(link_features(pool, standing, article), story, cosine_rows[:, 2]),
            cosine_rows)


def rank_related(candidates: Sequence[Headline], document: Document, encoder: Encoder,
                 url: str | None = None, limit: int = 5, headlines: Encoder | None = None,
                 found: Models | None = None, body: bool = True, lang: str | None = None
                 ) -> list[tuple[Headline, float]]:
    """Candidates about the same story as ``document`` (read from ``url``; its vectors by
    ``encoder``), best first, each with the link model's probability (``found``: the
    committed models by default). Only those ``Models.within_reach`` are encoded, by
    ``headlines`` (default ``encoder``; ``encoder.headline_encoder_for``).

    Without the ``body`` (a document whose summary did not read ``encoder``'s vectors: an
    article the multilingual scorer summarised), the title and the lead are encoded alone and
    the lead stands for the body: encoding every sentence for these cosines alone would cost
    seconds on a long article (7.4 s for a 4,300-word German speech)."""
    if not candidates or not document.lead:
        return []
    article = ArticleTerms.of(document, url, lang)
    pool, standing = candidate_pool(candidates, document, article)
    if not pool:
        return []
    found = found or models()
    targets = Targets.of(document, encoder, body)
    reach = found.within_reach(pool, standing, article, targets)
    pool = [c for c, r in zip(pool, reach, strict=True) if r]
    if not pool:
        return []
    probability = found.keep(pool, *link_rows(pool, standing[reach], targets, article,
                                              found.judge, headlines or encoder))
    return best(pool, probability, limit)


def best(pool: Sequence[Headline], probability: np.ndarray, limit: int
         ) -> list[tuple[Headline, float]]:
    """The candidates of ``pool`` with a probability above 0, best first, each story once
    (``_same_link``), at most ``limit``."""
    kept: list[tuple[Headline, float]] = []
    for i in np.argsort(-probability, kind="stable"):
        if probability[i] > 0 and not any(_same_link(pool[i], other) for other, _ in kept):
            kept.append((pool[i], float(probability[i])))
    return kept[:limit]


def _same_link(one: Headline, other: Headline) -> bool:
    """The same story twice: one link, or one headline with a date or a site's name after it."""
    return ((one.url is not None and one.url == other.url) or same_headline(one.title, other.title)
            or same_headline(other.title, one.title))
