"""The word lists the rules and features share: stop words, calendar words, content words.

Each list is named for what reads it. They differ on purpose where a trained model was fitted
on one (``CONTENT_FEATURE_STOP`` is a feature of ``content.py``'s weights; changing it means
retraining), so they are kept here side by side rather than merged.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

# A wire story's dateline opening its first paragraph: "(CNN)", "LONDON (Reuters) -",
# "HAYWARD, Calif. (AP) —", "AMSTERDAM (Northern Wire) —"; the lead drops it.
WIRE_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .,'-]{1,40}(?:,\s?[A-Z][\w.]{1,14}(?:\s[A-Z][\w.]{1,14})?)?\s*)?"
    r"\((?:CNN|[A-Z][\w&.-]*(?:\s[A-Z][\w&.-]*){0,3})\)\s*(?:--|—|–|-)\s*"
    r"|^\((?:CNN|AP|AFP|Reuters)\)\s*(?:--|—|–|-)?\s*"
)


def without_wire_dateline(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` with a wire's dateline ("(CNN)", "LONDON (Reuters) -") dropped from the
    lead it opens, which may follow a key-points box or a caption."""
    lead = next((i for i, p in enumerate(paragraphs) if WIRE_DATELINE.match(p)), None)
    if lead is None:
        return paragraphs
    stripped = WIRE_DATELINE.sub("", paragraphs[lead], count=1)
    if len(stripped.split()) < 3:
        return paragraphs
    return [*paragraphs[:lead], stripped, *paragraphs[lead + 1:]]


# Any dateline that opens a news story's lead: a wire's, or a place set off by a dash ("LONDON
# — ", "SEOUL, South Korea — ", "BUFFALO, N.Y. — "), which the lead keeps.
LEAD_DATELINE = re.compile(
    WIRE_DATELINE.pattern + r"|^[A-Z][A-Z.'-]{1,20}(?:\s[A-Z][A-Z.'-]{1,20}){0,3}"
    r"(?:,\s?[A-Z][\w.]{1,14}(?:\s[A-Z][\w.]{1,14}){0,2})?\s(?:--|—|–)\s"
)

MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
MONTH_ABBREVIATIONS = "jan feb mar apr jun jul aug sep sept oct nov dec".split()
DAY_NAMES = "monday tuesday wednesday thursday friday saturday sunday".split()
DAY_ABBREVIATIONS = "mon tue wed thu fri sat sun".split()
CALENDAR_WORDS = frozenset(MONTH_NAMES + DAY_NAMES)
# The months of the other languages the project reads, one list each (speech cues read a date
# between a verb and its subject with them, the sentence splitter an ordinal date, the paste
# reader a dateline)
MONTHS_BY_LANGUAGE = {
    code: tuple(months.split()) for code, months in {
        "de": "januar februar märz april mai juni juli august september oktober november dezember",
        "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre "
              "décembre",
        "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
              "diciembre",
        "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
              "novembre dicembre",
        "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
              "dezembro",
        "nl": "januari februari maart april mei juni juli augustus september oktober november "
              "december",
    }.items()}
# ... and, beside them, the words of a dateline in those languages: "Samstag, 5. Oktober 2013",
# "Aktualisiert: 30.12.2016", "Publicado el 03/05/2022", "Pubblicato il: 30 Settembre 2020",
# "um 13:05 Uhr"; Austria's "Jänner", Latin America's "setiembre"
_OTHER_DATE_WORDS = sorted({month for months in MONTHS_BY_LANGUAGE.values() for month in months}
                           | set("""
    jänner setiembre jan feb mär mrz apr aug sep okt nov dez
    montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag
    lundi mardi mercredi jeudi vendredi samedi dimanche
    lunes martes miércoles jueves viernes sábado domingo
    lunedì martedì mercoledì giovedì venerdì sabato domenica
    aktualisiert veröffentlicht stand datum erscheinungsdatum uhr um vom
    publié mis jour publicado actualizado pubblicato aggiornato aggiornamento atualizado
""".split()))
# Japanese and Chinese write a date and a time as one word, with no space between its parts:
# "2019年04月13日", "3月5日（火）", "09時00分", "12時00分更新" (updated), and label it "公開日"
# (published), "更新日" (updated), "投稿日" (posted), "配信日" (sent out).
CJK_DATE = (r"(?:(?:\d{2,4}年)?\d{1,2}月\d{1,2}日(?:[（(][月火水木金土日][）)])?"
            r"|\d{1,2}時(?:\d{1,2}分)?)(?:更新|公開|配信|掲載|投稿)?")
_CJK_DATE_LABELS = ("公開日", "更新日", "投稿日", "配信日", "掲載日", "公開", "更新", "配信")
# What a dateline's words are stripped of before ``date_token`` reads them: "19,", "|", "(Updated",
# "Stand:".
DATELINE_PUNCTUATION = ",.:|-–—()"
_DATE_TOKEN = re.compile(
    rf"^(?:{'|'.join(MONTH_NAMES + MONTH_ABBREVIATIONS + DAY_NAMES + DAY_ABBREVIATIONS)}"
    rf"|{'|'.join(_OTHER_DATE_WORDS)}|{CJK_DATE}|{'|'.join(_CJK_DATE_LABELS)}"
    r"|\d{1,4}(?:st|nd|rd|th)?|\d{1,2}[:.]\d{2}(?:am|pm)?|am|pm|"
    r"gmt|bst|utc|cet|est|edt|et|pt|pdt|published|updated|last|posted|first|on|at|ago|"
    r"minutes?|mins?|hours?|hrs?|days?|weeks?|yesterday|today|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})$",
    re.IGNORECASE,
)


def date_token(token: str) -> bool:
    """Is ``token`` (a word of a dateline, its punctuation stripped) a date or time word:
    a month, a day, a number, a clock time, "updated", "ago" ...?"""
    return bool(_DATE_TOKEN.match(token))


# Words a headline and an article share without being about the same thing.
STOP_WORDS = frozenset(
    """
    a an the and or but of in on at to for from by with as is are was were be been has have had
    it its this that these those after before over under into about than then new says said
    how why what who when where will would could should can may more most first last one two
    """.split()
)

# The content model's stop-word share (a trained feature: see the module docstring).
CONTENT_FEATURE_STOP = frozenset(
    """
    a about after all also an and any are as at be been but by can could did do does for from
    had has have he her his i if in into is it its more most no not of on one or our out over
    said says she so some than that the their them then there these they this to up was we
    were what when which who will with would you your
    """.split()
)

# Words the faithfulness guard does not count as support (``guard.coverage``).
GUARD_STOP = frozenset(
    """
    the a an and or but of in on at to for from by with as is are was were be been being has
    have had it its this that these those he she they his her their them who which what when
    where will would could should can may might not no said says say after over into about
    than then more most also there here our we you i up out all any some such one two
    """.split()
)

# Capitalised at the start of a sentence without being a name (``guard.unknown_name``).
COMMON_CAPITALISED = frozenset(
    """
    the a an in on at but and he she it they we i his her its their this that these those there
    when while after before as if so yet also however meanwhile officials police mr mrs ms dr
    according
    """.split()
)

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """How a language's text is cut into the words that carry meaning: its words (``word``,
    on lowercased text) of 3+ letters that are no stop word."""

    word: re.Pattern[str]
    stop: frozenset[str]

    def content_words(self, text: str) -> set[str]:
        """The lowercased words of ``text`` that carry meaning."""
        return {w for w in self.word.findall(text.lower()) if len(w) > 2 and w not in self.stop}


# English, and any text whose language is not known: ASCII letters and digits, the few stop
# words above (what the same-story judge and the link model were first trained on).
ENGLISH = Vocabulary(_WORD, STOP_WORDS)
# The stop words of stopwords-iso (the package ``stopwordsiso``: articles, pronouns,
# prepositions, auxiliaries; no nouns) for the languages written with spaces between words.
_STOP_LANGUAGES = frozenset({"ar", "de", "es", "fr", "it", "ko", "nl", "pl", "pt", "ru", "tr"})
_LETTERS = re.compile(r"[^\W_]+")  # the letters and digits of any script: "für", "müller"


@lru_cache(maxsize=16)
def vocabulary(lang: str | None) -> Vocabulary:
    """The vocabulary of text in ``lang``: a language with a stop list reads words of any
    script less that list's words (and English's: pages mix in English); others read as
    English does."""
    if lang not in _STOP_LANGUAGES:
        return ENGLISH
    import stopwordsiso

    return Vocabulary(_LETTERS, STOP_WORDS | frozenset(stopwordsiso.stopwords(lang)))


def content_words(text: str) -> set[str]:
    """The lowercased words of ``text`` that carry meaning (3+ letters, not a stop word), as
    English reads them."""
    return ENGLISH.content_words(text)


def tokens(text: str) -> list[str]:
    """The lowercased words of ``text``, as every text measure here counts them."""
    return re.findall(r"\w+", text.lower())


def token_prf(predicted: str, truth: str) -> tuple[float, float, float]:
    """Token-level precision, recall and F1 over bags of words (multiset overlap)."""
    pred, gold = Counter(tokens(predicted)), Counter(tokens(truth))
    overlap = sum((pred & gold).values())
    if not pred or not gold:
        return (1.0, 1.0, 1.0) if pred == gold else (0.0, 0.0, 0.0)
    precision, recall = overlap / sum(pred.values()), overlap / sum(gold.values())
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return precision, recall, f1
