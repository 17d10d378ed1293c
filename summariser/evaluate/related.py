"""``related``: the digest's related headlines against hand-labelled page links, with the
old rules as the baseline."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import numpy as np

from summariser.config import SummariserSettings
from summariser.digest import Digester
from summariser.document import Document
from summariser.encoder import Encoder
from summariser.evaluate.files import Output, read_html, read_jsonl
from summariser.headlines import (
    FEED_LIMIT,
    best_confirmed,
    confirmed,
    same_headline,
    story_candidates,
)
from summariser.linear import Linear
from summariser.models import Article, Digest, Headline
from summariser.pair import pair_reader, stacked
from summariser.paste import parse_paste
from summariser.related import (
    LINK_FEATURES,
    ArticleTerms,
    Targets,
    best,
    candidate_pool,
    gets_related,
    link_rows,
)
from summariser.story import STORY_SENTENCES, Judge, Terms, digest_story, judge, story_text
from summariser.urls import joined
from summariser.words import content_words, tokens


def _key(text: str) -> str:
    return " ".join(tokens(text))


def labels_by_link(item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A labelled page's candidates by their resolved URL and by their words."""
    found: dict[str, dict[str, Any]] = {}
    for candidate in item["candidates"]:
        found.setdefault(_key(candidate["text"]), candidate)
        href = urldefrag(joined(item.get("url") or "", candidate.get("href") or "") or "")[0]
        if href.startswith(("http://", "https://")):
            found.setdefault(href, candidate)
    return found


def label_of(labels: dict[str, dict[str, Any]], title: str, url: str | None
             ) -> dict[str, Any] | None:
    """The label of a returned headline: the candidate with its words, else with its link (a
    link's text may have lost a "13 hours ago" the label kept)."""
    return labels.get(_key(title)) or (labels.get(url) if url else None)


def score_related(returned: Iterable[tuple[str, str | None]], item: dict[str, Any]
                  ) -> Counter[str]:
    """One page: the returned (headline, url) pairs against its hand-labelled link headlines.
    Sure labels only: an ``unsure`` candidate counts for neither side, and a returned headline
    no candidate matches is counted apart (``unlabelled``)."""
    labels = labels_by_link(item)
    counts: Counter[str] = Counter()
    counts["related"] = sum(c["related"] and not c["unsure"] for c in item["candidates"])
    for title, url in returned:
        label = label_of(labels, title, url)
        if label is None:
            counts["unlabelled"] += 1
        elif label["unsure"]:
            counts["unsure"] += 1
        elif label["related"]:
            counts["right"] += 1
        else:
            counts["wrong"] += 1
    return counts


# The rules the learned scorer replaced (the baseline): a candidate from a related box or a
# pasted list, sharing a content word with the title and lead, at cosine 0.45 or more to the
# title and 0.40 to the lead.
RULES_TITLE, RULES_LEAD = 0.45, 0.40


def rules_related(candidates: Sequence[Headline], document: Document, encoder: Encoder,
                  limit: int = 5) -> list[tuple[Headline, float]]:
    """The old rules' related headlines, best first, for the baseline."""
    title, lead = document.title, document.lead
    if not lead:
        return []
    words = content_words(" ".join([title or "", *lead]))
    pool = [c for c in candidates if c.box in ("related", "list")][:60]
    pool = [c for c in pool if not (title and same_headline(c.title, title))
            and content_words(c.title) & words]
    if not pool:
        return []
    heads = encoder.encode([c.title for c in pool])
    lead_sim = heads @ document.lead_vector(encoder)
    title_vector = document.vectors(encoder).title
    title_sim = heads @ title_vector if title_vector is not None else lead_sim
    keep = (lead_sim >= RULES_LEAD) & (title_sim >= RULES_TITLE)
    score = (lead_sim + title_sim) / 2
    return [(pool[i], float(score[i])) for i in np.argsort(-score, kind="stable")
            if keep[i]][:limit]


def related_totals(total: Counter[str]) -> dict[str, Any]:
    """Counts as returned, precision and recall (on the sure labels)."""
    judged = total["right"] + total["wrong"]
    return {
        "returned": judged + total["unsure"] + total["unlabelled"],
        "precision": round(total["right"] / judged, 3) if judged else None,
        "recall": round(total["right"] / max(total["related"], 1), 3),
        "right": total["right"], "wrong": total["wrong"], "related": total["related"],
        "unsure": total["unsure"], "unlabelled": total["unlabelled"],
    }


# -- page links: the link model cross-validated by site ---------------------------------------

HELD_OUT_SHARE = 5  # a site whose name hashes to 0 modulo this is never trained on
FOLDS = 10  # sites' folds for cross-validation
INNER_FOLDS = 5  # ... and for choosing a fold's threshold on its training sites alone
BETA = 0.5  # thresholds are chosen for the best F-beta: precision weighs twice recall
GRID = np.round(np.arange(0.20, 0.991, 0.01), 2)


def site_of(url: str | None) -> str:
    """A page's site: its host without www."""
    return (urlsplit(url or "").hostname or "").removeprefix("www.")


def held_out_site(site: str) -> bool:
    """Is ``site`` one that no model is trained or tuned on (a fixed fifth of sites)?"""
    return int(hashlib.sha1(site.encode()).hexdigest(), 16) % HELD_OUT_SHARE == 0


def _fold(site: str, folds: int) -> int:
    return int(hashlib.sha1(f"fold:{site}".encode()).hexdigest(), 16) % folds


@dataclass(frozen=True, slots=True)
class LinkedPage:
    """One labelled page as the link model sees it: its pool of candidates (``related``'s
    ``candidate_pool``), their link-model rows, their labels (1, 0, or None for unsure or
    unknown), how many sure related links the page has, its site, and the language it was
    read in (its labelled set's)."""

    id: str
    site: str
    pool: tuple[Headline, ...]
    rows: np.ndarray
    labels: tuple[int | None, ...]
    related: int
    lang: str | None = None


def linked_page(item: dict[str, Any], article: Article, document: Document, encoder: Encoder,
                headlines: Encoder, judged: Judge | None = None, lang: str | None = None,
                body: bool = True) -> LinkedPage:
    """``item``'s page (read as ``article``, in ``lang``) as the link model sees it (the
    article's vectors by ``encoder``, the body's only where the digest has them, ``body``; the
    headlines' by ``headlines``)."""
    terms = ArticleTerms.of(document, article.url, lang)
    pool, standing = candidate_pool(article.candidates, document, terms)
    rows = (link_rows(pool, standing, Targets.of(document, encoder, body), terms,
                      judged or judge(), headlines)[0] if pool
            else np.zeros((0, len(LINK_FEATURES))))
    known = labels_by_link(item)
    labels = []
    for headline in pool:
        label = label_of(known, headline.title, headline.url)
        labels.append(None if label is None or label["unsure"] else int(label["related"]))
    return LinkedPage(item["id"], site_of(item.get("url")), tuple(pool), rows, tuple(labels),
                      sum(c["related"] and not c["unsure"] for c in item["candidates"]), lang)


def labelled_lang(item: dict[str, Any]) -> str:
    """The language a labelled page's set was labelled in: its ``lang``, else English (the
    shared sets and this project's first labels are of English pages)."""
    return str(item.get("lang", "en"))


def scored(page: LinkedPage) -> bool:
    """Does the digest score links of ``page``'s language (``related.RELATED_LANGUAGES``, or
    one the detector cannot tell)? The link model learns from those pages; the others are
    reported apart."""
    return gets_related(page.lang)


def _training_set(pages: Sequence[LinkedPage], columns: Sequence[int]
                  ) -> tuple[np.ndarray, np.ndarray]:
    x = [p.rows[[v is not None for v in p.labels]][:, columns] for p in pages]
    y = [np.array([v for v in p.labels if v is not None], dtype=int) for p in pages]
    return np.concatenate(x), np.concatenate(y)


def fit_links(pages: Sequence[LinkedPage], features: Sequence[str]) -> Linear:
    """The link model on ``features`` (a subset of ``LINK_FEATURES``) fitted on ``pages``."""
    columns = [LINK_FEATURES.index(name) for name in features]
    x, y = _training_set(pages, columns)
    return Linear.fit(x, y, features)


def link_scores(model: Linear, page: LinkedPage) -> np.ndarray:
    """``model``'s probability for each of ``page``'s candidates."""
    columns = [LINK_FEATURES.index(name) for name in model.features]
    return model.probability(page.rows[:, columns]) if len(page.rows) else np.zeros(0)


def picked(page: LinkedPage, score: np.ndarray, threshold: float, limit: int = 5
           ) -> list[int]:
    """The candidates a digest returns: those at ``threshold`` or above, best first, the same
    link or headline once (``related.best``), at most ``limit``."""
    return [page.pool.index(h) for h, _ in best(page.pool, np.where(score >= threshold, score,
                                                                      0.0), limit)]


def _counts(pages: Sequence[LinkedPage], scores: Sequence[np.ndarray], threshold: float
            ) -> tuple[int, int]:
    right = wrong = 0
    for page, score in zip(pages, scores, strict=True):
        for i in picked(page, score, threshold):
            right += page.labels[i] == 1
            wrong += page.labels[i] == 0
    return right, wrong


def _site_scores(pages: Sequence[LinkedPage], features: Sequence[str], folds: int
                 ) -> list[np.ndarray]:
    """Each page's probabilities from a model fitted on the other folds' sites."""
    fold = [_fold(p.site, folds) for p in pages]
    scores: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for k in set(fold):
        model = fit_links([p for p, f in zip(pages, fold, strict=True) if f != k], features)
        for i, page in enumerate(pages):
            if fold[i] == k:
                scores[i] = link_scores(model, page)
    return scores


def choose_threshold(pages: Sequence[LinkedPage], features: Sequence[str],
                     folds: int = INNER_FOLDS, beta: float = BETA) -> float:
    """The threshold with the best F-beta of ``pages``' precision and recall cross-validated
    by site (beta < 1 weighs precision more); the highest such one on ties."""
    scores = _site_scores(pages, features, folds)
    related = sum(p.related for p in pages)
    found, chosen = -1.0, float(GRID[-1])
    for threshold in GRID:
        right, wrong = _counts(pages, scores, float(threshold))
        precision, recall = right / max(right + wrong, 1), right / max(related, 1)
        score = ((1 + beta**2) * precision * recall / (beta**2 * precision + recall)
                 if right else 0.0)
        if score >= found:
            found, chosen = score, float(threshold)
    return chosen


def cross_validated(pages: Sequence[LinkedPage], features: Sequence[str], folds: int = FOLDS,
                    learns: Callable[[LinkedPage], bool] = lambda page: True
                    ) -> list[list[int]]:
    """What each page returns when the link model and its threshold come from the other
    folds' sites alone (nested: the threshold by ``choose_threshold`` on them), of those the
    pages ``learns`` admits."""
    fold = [_fold(p.site, folds) for p in pages]
    found: list[list[int]] = [[] for _ in pages]
    for k in set(fold):
        rest = [p for p, f in zip(pages, fold, strict=True) if f != k and learns(p)]
        if not sum(p.related for p in rest):
            continue
        model = fit_links(rest, features)
        threshold = choose_threshold(rest, features)
        for i, page in enumerate(pages):
            if fold[i] == k:
                found[i] = picked(page, link_scores(model, page), threshold)
    return found


def picked_counts(pages: Sequence[LinkedPage], chosen: Sequence[Sequence[int]]
                   ) -> Counter[str]:
    total: Counter[str] = Counter()
    for page, picks in zip(pages, chosen, strict=True):
        total["related"] += page.related
        for i in picks:
            total["right" if page.labels[i] == 1 else "wrong" if page.labels[i] == 0
                  else "unsure"] += 1
    return total


def page_feed(digest: Digest, heads: Sequence[str], digester: Digester,
              limit: int = FEED_LIMIT) -> list[int]:
    """Which of ``heads`` the feed path would show under ``digest`` if they were the headlines
    of a feed its server follows, whatever its language: the same-story judge finds them
    against the story the bot stores (the title and first summary sentences, encoded as
    ``Digester.encode``), the pair reader reads the likeliest (``headlines.confirmed``), at
    most ``limit``, best first."""
    text = digest_story(digest.title, digest.summary)
    vectors = digester.encode([text, *heads])
    found = story_candidates(vectors[0], text, vectors[1:], [Terms.of(h) for h in heads],
                             "feed")
    return best_confirmed(found, confirmed(text, [(p, heads[k], "feed") for p, k in found]),
                          limit)


def picked_where(pages: Sequence[LinkedPage], chosen: Sequence[Sequence[int]],
                 admits: Callable[[LinkedPage], bool]) -> tuple[int, Counter[str]]:
    """How many of ``pages`` ``admits``, and ``picked_counts`` of theirs."""
    kept = [(page, picks) for page, picks in zip(pages, chosen, strict=True) if admits(page)]
    return len(kept), picked_counts([page for page, _ in kept], [picks for _, picks in kept])


def evaluate_related(labels: Path, pages: Path, predictions: Path | None,
                     also: Sequence[tuple[Path, Path]] = (), allsides: Path | None = None,
                     ecbplus: Path | None = None, page_feeds: bool = False) -> dict[str, Any]:
    """Each labelled page (of ``labels`` with its pages in ``pages``, and of each pair in
    ``also``) digested from its HTML (``html/<id>.html.gz``), as a posted link is; precision
    and recall of its related headlines overall, with the old rules on the same pages'
    candidates in the same run. The committed link model was fitted on the pages of sites
    not ``held_out_site``: it is reported on all pages (in-sample on those), on the held-out
    sites' pages alone, and cross-validated by site (``cross_validated``) on the others.
    With ``allsides`` and ``ecbplus``, the judge's feed and "earlier" matching on the stories
    and topics it never saw (``evaluate_feeds``, ``evaluate_earlier``). With ``page_feeds``,
    each page's labelled link headlines as its site's feed (``page_feed``), by language: how
    the feed path reads a server that follows one site."""
    from summariser.errors import DigestError
    from summariser.extract import extract_article

    digester = Digester(SummariserSettings.from_env())
    total: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    held: Counter[str] = Counter()
    held_rules: Counter[str] = Counter()
    per_page = {}
    languages: dict[str, Counter[str]] = {}  # by the language each page is digested in
    feeds: dict[str, Counter[str]] = {}  # the same, each page's links read as a feed
    linked: list[LinkedPage] = []
    out = Output(predictions)
    for label_path, page_dir in ((labels, pages), *also):
        for item in read_jsonl(label_path):
            path = page_dir / "html" / f"{item['id']}.html.gz"
            if not path.exists():
                continue
            html = read_html(path)
            try:
                article = extract_article(html, item.get("url"))  # read once, for both
                digest = digester.from_article(article)
                lang = digest.lang
                related = [(h.title, h.url) for h in digest.related]
                document = Document.of(article)
                baseline = [(h.title, h.url) for h, _ in rules_related(
                    article.candidates, document, digester.encoder)]
            except DigestError as exc:
                related = baseline = []
                lang = None
                total["refused"] += 1
                out.write({"id": item["id"], "refused": str(exc)})
            else:
                out.write({"id": item["id"], "related": [title for title, _ in related],
                           "rules": [title for title, _ in baseline]})
                if page_feeds:
                    heads = [c["text"] for c in item["candidates"]]
                    shown = [heads[k] for k in page_feed(digest, heads, digester)]
                    fed = feeds.setdefault(lang or "unknown", Counter())
                    fed.update(score_related([(h, None) for h in shown], item)
                               + Counter(pages=1, shown=bool(shown)))
                if not held_out_site(site_of(item.get("url"))):
                    labelled = labelled_lang(item)
                    linked.append(linked_page(item, article, document, digester.encoder,
                                              digester.headline_encoder, lang=labelled,
                                              body=digester.reads_body(labelled)))
            counts = score_related(related, item)
            total.update(counts)
            rules.update(score_related(baseline, item))
            if held_out_site(site_of(item.get("url"))):
                held.update(counts)
                held_rules.update(score_related(baseline, item))
                held["pages"] += 1
            total["pages"] += 1
            per_page[item["id"]] = dict(counts)
            language = languages.setdefault(lang or "unknown", Counter())
            language.update(counts + Counter(pages=1))
    out.close()
    found: dict[str, Any] = {"pages": total["pages"], "refused": total["refused"],
                             **related_totals(total), "rules": related_totals(rules),
                             "held_out": {"pages": held["pages"], **related_totals(held),
                                          "rules": related_totals(held_rules)},
                             "languages": {lang: {"pages": counts["pages"],
                                                  **related_totals(counts)}
                                           for lang, counts in sorted(languages.items())},
                             "per_page": per_page}
    if page_feeds:
        found["page_feeds"] = {lang: {"pages": counts["pages"], "shown": counts["shown"],
                                      **related_totals(counts)}
                               for lang, counts in sorted(feeds.items())}
    learned = [p for p in linked if scored(p)]
    sites = {p.site for p in learned}
    if len(sites) >= 2 and any(p.related for p in learned):
        # the model learns from the pages the digest scores; it is scored on those, and on the
        # other languages' pages apart (what it would return there, were they scored)
        chosen = cross_validated(linked, LINK_FEATURES, learns=scored)
        found["cross_validated"] = {"pages": len(learned), "sites": len(sites),
                                    **related_totals(picked_where(linked, chosen, scored)[1])}
        others, counts = picked_where(linked, chosen, lambda page: not scored(page))
        if others:
            found["cross_validated"]["other_languages"] = {"pages": others,
                                                           **related_totals(counts)}
    if allsides is not None:
        found |= evaluate_feeds(allsides, digester)
    if ecbplus is not None:
        found["earlier"] = evaluate_earlier(ecbplus, digester)
    return found


# -- feeds and "Earlier in this server": the judge on stories it never saw -----------------

OLD_THRESHOLD = 0.80  # the old rule: cosine 0.80 and a content word in common


def _precision_recall(called: np.ndarray, positive: np.ndarray, positives: int
                      ) -> dict[str, Any]:
    right = int((called & positive).sum())
    return {"called": int(called.sum()), "right": right,
            "precision": round(right / int(called.sum()), 3) if called.any() else None,
            "recall": round(right / max(positives, 1), 3)}


def _judged(vectors: np.ndarray, texts: Sequence[str], others: np.ndarray,
            other_texts: Sequence[str], same: np.ndarray, use: str,
            other_heads: Sequence[str] | None = None) -> dict[str, Any]:
    """Each of ``vectors`` (story texts ``texts``) against every row of ``others``, where
    ``same`` is True for the pairs about the same story and masked out (None) for pairs not
    to score: as the bot decides (``headlines.story_candidates`` then ``confirmed``: the judge,
    and the pair reader on the rows' headlines, ``other_heads``, where it helps decide ``use``),
    the judge alone at ``use``'s threshold, and the old rule, on the same pairs."""
    judged = judge()
    other_terms = [Terms.of(t) for t in other_texts]
    heads = other_texts if other_heads is None else other_heads
    cosine = vectors @ others.T
    judge_called = np.zeros(cosine.shape, dtype=bool)
    bot_called = np.zeros(cosine.shape, dtype=bool)
    old_called = np.zeros(cosine.shape, dtype=bool)
    for q, text in enumerate(texts):
        for _, k in judged.matches(vectors[q], text, others, other_terms, use):
            judge_called[q, k] = True
        found = [(p, k) for p, k in story_candidates(vectors[q], text, others, other_terms, use)
                 if same[q, k] is not None]
        decided = confirmed(text, [(p, heads[k], use) for p, k in found])
        for (_, k), probability in zip(found, decided, strict=True):
            bot_called[q, k] = probability is not None
        words = Terms.of(text).words
        for k in map(int, np.flatnonzero(cosine[q] >= OLD_THRESHOLD)):
            old_called[q, k] = bool(words & other_terms[k].words)
    scored = same != None  # noqa: E711 (an object array: None marks pairs not scored)
    positive = (same == True) & scored  # noqa: E712
    positives = int(positive.sum())
    reads = use in stacked().models and pair_reader() is not None
    return {"pairs": int(scored.sum()), "same_story": positives,
            "bot": _precision_recall(bot_called & scored, positive, positives),
            "judge": _precision_recall(judge_called & scored, positive, positives),
            "old rule": _precision_recall(old_called & scored, positive, positives),
            "threshold": judged.thresholds[use],
            # the stacked model's threshold, and the two log-odds' where no crowd is measured
            "reader": stacked().thresholds[use] if reads else None,
            "reader_plain": stacked().plain_thresholds.get(use) if reads else None}


def evaluate_feeds(allsides: Path, digester: Digester) -> dict[str, dict[str, Any]]:
    """Feed-style matching on the AllSides stories the judge never saw (the ``test`` split):
    each outlet's story text (its headline and lead's first sentences, as a digest's is stored)
    against every held-out outlet's headline but its own (``feeds``), and against their story
    texts, as feed items with a description are read (``feeds_described``)."""
    texts, heads, story = allsides_outlets(allsides, "test")
    same = (story[:, None] == story[None, :]).astype(object)
    np.fill_diagonal(same, None)
    vectors = digester.encode(texts)
    stories = len(set(story.tolist()))
    return {"feeds": {"stories": stories, **_judged(
                vectors, texts, digester.encode(heads), heads, same, "feed")},
            "feeds_described": {"stories": stories, **_judged(
                vectors, texts, vectors, texts, same, "feed_described", heads)}}


def allsides_outlets(allsides: Path, split: str) -> tuple[list[str], list[str], np.ndarray]:
    """Every outlet of the AllSides stories of ``split``: its story text (its headline and
    lead's first sentences, as a digest's is stored), its headline, and its story's number."""
    stories = [s for s in read_jsonl(allsides) if s["split"] == split]
    outlets = [(k, o) for k, s in enumerate(stories) for o in s["outlets"]]
    return ([story_text(o["headline"], o["lead"]) for _, o in outlets],
            [o["headline"] for _, o in outlets], np.array([k for k, _ in outlets]))


def pasted_story(headline: str | None, text: str, sentences: int = STORY_SENTENCES) -> str:
    """A news document's story text as the bot would store it pasted, its headline above it:
    read by the paste reader (``parse_paste``: its title found, datelines such as "Updated:
    July 7, 2012, 10: 04 PM ET", bylines and other chrome left out), then its title and the
    body's first ``sentences`` sentences, where a digest's summary starts."""
    return pasted(headline, text, sentences)[1]


def pasted(headline: str | None, text: str, sentences: int = STORY_SENTENCES
           ) -> tuple[str, str]:
    """A news document as the bot would store it pasted: the title it would show (the story
    text's opening where the paste reader finds none), and its story text (``pasted_story``)."""
    article = parse_paste(f"{headline}\n\n{text}" if headline else text)
    story = story_text(article.title, "\n".join(article.paragraphs), sentences)
    return article.title or story, story


def evaluate_earlier(ecbplus: Path, digester: Digester) -> dict[str, Any]:
    """"Earlier in this server" on the ECB+ topics the judge never saw (``story``'s held-out
    topics): every document's story text (as pasted: ``pasted_story``) against every other
    document's of the same topic, the same event or the other event of the same kind."""
    from summariser.story import held_out_topic

    docs = [d for d in read_jsonl(ecbplus) if held_out_topic(int(d["topic"]))]
    titles, texts = map(list, zip(*(pasted(d.get("headline"), d["text"]) for d in docs),
                                  strict=True))
    topic = np.array([d["topic"] for d in docs])
    event = np.array([d["event"] for d in docs])
    same = (event[:, None] == event[None, :]).astype(object)
    same[topic[:, None] != topic[None, :]] = None
    np.fill_diagonal(same, None)
    vectors = digester.encode(texts)
    return {"topics": len(set(topic.tolist())), **_judged(vectors, texts, vectors, texts, same,
                                                          "earlier", titles)}


def _row(name: str, row: dict[str, Any]) -> str:
    precision = "n/a" if row["precision"] is None else f"{row['precision']:.3f}"
    return (f"  {name:24}  {row['returned']:8}  {row['right']:5}  {row['wrong']:5}  "
            f"{row['unsure']:6}  {row['unlabelled']:10}  {precision:>9}  {row['recall']:6.3f}")


def print_related(result: dict[str, Any]) -> None:
    print(f"page links: {result['pages']} pages ({result['refused']} refused); sure related "
          f"links: {result['related']}")
    print(f"  {'':24}  returned  right  wrong  unsure  unlabelled  precision  recall")
    print(_row("model (in-sample)", result))
    print(_row("old rules", result["rules"]))
    held = result["held_out"]
    print(f"  held-out sites, never trained on ({held['pages']} pages, {held['related']} sure "
          "related):")
    print(_row("model", held))
    print(_row("old rules", held["rules"]))
    if len(result["languages"]) > 1:
        print("  by the language each page is digested in (the model, in-sample on the sites "
              "it was fitted on):")
        for lang, row in result["languages"].items():
            print(_row(f"{lang} ({row['pages']} pages)", row))
    if "cross_validated" in result:
        cv = result["cross_validated"]
        print(f"  the other {cv['pages']} pages ({cv['sites']} sites), link model and threshold "
              f"cross-validated by site ({FOLDS} folds, nested):")
        print(_row("model", {**cv, "unlabelled": 0}))
        if "other_languages" in cv:
            other = cv["other_languages"]
            print(_row(f"other languages ({other['pages']})", {**other, "unlabelled": 0}))
    if "page_feeds" in result:
        print("  each page's link headlines as its site's feed, the feed path whatever the "
              "language (pages shown any):")
        for lang, row in result["page_feeds"].items():
            print(_row(f"{lang} ({row['pages']} pages, {row['shown']})", row))
    for key, title in (("feeds", "feeds: held-out AllSides stories, each story text against "
                        "every held-out headline"),
                       ("feeds_described", "feeds, items with a description: each story text "
                        "against every held-out item read as headline and first sentences"),
                       ("earlier", "earlier in this server: held-out ECB+ topics, pairs of the "
                        "same kind of event")):
        if key not in result:
            continue
        part = result[key]
        print(f"{title}: {part['pairs']:,} pairs, {part['same_story']:,} same story")
        plain = part.get("reader_plain")
        labels = {"bot": "judge + pair reader" + (
                      f" (p >= {part['reader']:.2f}"
                      + (f"; {plain:.2f} uncrowded)" if plain is not None else ")")
                      if part.get("reader") else " (no export)"),
                  "judge": f"judge alone (p >= {part['threshold']:.2f})",
                  "old rule": "old rule (cosine 0.80 + word)"}
        for name, label in labels.items():
            if name not in part or (name == "bot" and not part.get("reader")):
                continue
            row = part[name]
            precision = "n/a" if row["precision"] is None else f"{row['precision']:.3f}"
            print(f"  {label:48}  called {row['called']:6,}  precision {precision}  recall "
                  f"{row['recall']:.3f}")
    for page_id, counts in result["per_page"].items():
        if counts.get("right") or counts.get("wrong") or counts.get("related"):
            print(f"  {page_id[:16]}  right {counts.get('right', 0)}  wrong "
                  f"{counts.get('wrong', 0)}  related on the page {counts.get('related', 0)}")
