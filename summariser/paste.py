"""Pasted text -> Article: strip the page chrome people copy along with a story.

A paste is read line by line. Each line is one of:

* **credit**: a photo caption with its credit ("... Picture: PA", "(AP Photo/...)",
  "Photograph: X/Getty Images", "Image source, Reuters"); dropped, and so is the same caption
  repeated without its credit on a neighbouring line;
* **slide**: a numbered gallery slide's caption ("3/50 City for sale London City Airport ..."),
  three or more of one gallery; dropped like a caption;
* **chrome**: share buttons, ads, cookie notices, "Listen to this article", comment counts ...;
* **date** or **byline**: "25 February 2021, 13:52", "Updated 3 hours ago", "By Megan White",
  and the two together or with a place: "Tuesday 15 October 2019 by Bradley M. Kuhn",
  "New Delhi, News Bureau | Updated : 19 November 2019";
* **read-more**: "Read more: <headline>" and friends; the headline becomes a related candidate;
* **list heading**: "More Latest News", "Most read", "Related stories" ...; the short lines that
  follow are headline candidates until prose resumes; a comments heading ends the body for good;
* **prose**: a paragraph of running text; the body is the prose lines, plus short complete
  sentences that sit between them, with later exact repeats of short lines dropped from a
  paste (a paragraph the page itself repeats is its own; an extractor's text keeps all);
* anything else is a short line: before the body it may be the title, inside it a subheading.

The rules look at the shape of lines, not at one site's wording, so they carry over to BBC,
Guardian, Reuters or AP pastes as well as the LBC sample they were first written for.

``read_lines`` applies them and says what it took each line for. Which lines of a whole pasted
page then form the body is decided by the learned content model (``content.py``), which reads
those verdicts with the shape and neighbours of every line; the rules' own body (``rule_body``)
is its baseline, and what text an extractor already cut from a page keeps.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from summariser.content import body_lines
from summariser.models import Article, Headline, Reading, word_count
from summariser.page_meta import BYLINE_ROLES, iso_date
from summariser.paste_byline import pick_byline
from summariser.paste_date import pick_date
from summariser.sentences import ends_sentence
from summariser.title import INTO_BODY, body_start, pick_title
from summariser.words import (
    CJK_DATE,
    DATELINE_PUNCTUATION,
    DAY_ABBREVIATIONS,
    DAY_NAMES,
    LEAD_DATELINE,
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    date_token,
    without_wire_dateline,
)

_MONTHS = "|".join(MONTH_NAMES + MONTH_ABBREVIATIONS)
_DAYS = "|".join(DAY_NAMES + DAY_ABBREVIATIONS)
_DATE_ANCHOR = re.compile(
    rf"^(?:{_MONTHS}|{_DAYS}|\d{{1,2}}[:.]\d{{2}}(?:am|pm)?|(?:19|20)\d\d|\d{{1,4}}[-/.]\d{{1,2}}"
    rf"[-/.]\d{{1,4}}|\d{{1,2}}(?:st|nd|rd|th)|ago|yesterday|today|{CJK_DATE})$",
    re.IGNORECASE,
)
# A credit closes a caption line, so it is looked for only in the line's last _CREDIT_WINDOW
# characters, and every repeat in the pattern is bounded: one regex call is constant-time. A
# copy of The New York Times runs it into the caption: "… of a bar.Credit...Ed Murray/NJ
# Advance Media for NJ.com", "… with the police.CreditCredit...Nicolaus Czarnecki/…".
_CREDIT_WINDOW = 240
_CREDIT_TAIL = re.compile(
    r"(?:[.,;]?\s{0,3}(?:Picture|Pictures|Pic|Photo|Photos|Photograph|Image|Images|Credit|Foto)"
    r"\s{0,3}(?:[Cc]redit)?\s{0,3}(?::|\.\.\.|…)\s{0,3}(?:[^.:]|\.(?=\w)){1,80}\.?"
    r"|\s{0,3}\((?:[^()]{0,120}\b(?:Photo|Picture|Image|Credit|Getty|Reuters|AFP|AP|EPA|PA"
    r"|Shutterstock|Foto|Fotos|Bild|Crédito)\b[^()]{0,120})\)\.?"
    r"|\s{0,3}(?:[/|©]|\bvia)\s{0,3}(?:Getty Images|Reuters|AFP|AP|PA(?: Wire| Media)?|EPA"
    r"|Shutterstock|Alamy|Bloomberg|Rex|NurPhoto|Anadolu)[^.]{0,40}\.?"
    r"|\s{1,3}-\s{1,3}FILE\.?)\s{0,3}$",
)
_CREDIT_LINE = re.compile(
    r"^(?:image source|image caption|media caption|photograph|picture|photo|credit|"
    r"file photo|getty images|source)\s*[,:].*$|^(?:getty images|reuters|afp|pa|ap)$"
    # BBC pages label captions and credits with text only screen readers show, which a copy
    # keeps with no colon: "Media caption Mr Obama told the BBC ...", "Image copyright PA"
    r"|^(?:image|media|video) (?:caption|copyright|source)\s.*$"
    # "Courtesy of Zillow" under each photo; "(Luis Sinco / Los Angeles Times)"
    r"|^(?:(?:photo|image|picture)s?\s+)?courtesy(?:\s+of)?\s+[^.!?]{2,50}$"
    # "Image by Getty Images", "Illustration by Jane Doe", "Foto von Pixabay"
    r"|^(?:photo|image|picture|illustration|graphic|foto|bild|grafik)s?\s+(?:by|von)\s+"
    r"(?-i:[A-Z][\w.'’-]*(?:(?:\s*[/|,&]\s*|\s+)(?:[A-Z][\w.'’-]*|via|and|und|from|auf|on))*)$"
    r"|^\([^()/]{2,60}\s/\s[^()/]{2,60}\)$",
    re.IGNORECASE,
)
_CHROME = re.compile(
    r"^(?:share|share this(?: article| story| page)?|share (?:on|via) \w+(?: \w+)?|tweet|email|"
    r"e-mail|print|save|"
    r"copy link|link copied|comments?|\d[\d,]* comments?|view comments|advertisement|advert|"
    r"ad|sponsored(?: content)?|subscribe(?: now)?|sign up.*|sign in|log in|login|register|"
    r"(?:you are |you're )?(?:signed|logged) in as.*|"
    r"follow(?: us)?(?: on \w+)?|listen(?: to (?:this )?(?:article|story))?.*|"
    r"\d+ min(?:ute)?s? read|(?:skip|jump) to .{1,60}|menu|search|home|close|next|previous|"
    r"back to top|accept(?: all)?(?: cookies)?|reject all|manage (?:cookies|preferences)|"
    r"copyright.*|©.*|all rights reserved.*|getty images|playing|watch(?: now)?|video|"
    r"loading.*|exclusive|breaking|live|opinion|analysis|updated|see more.*|show more|"
    r"read (?:the )?full (?:article|story)|click here.*|download (?:the|our) app.*|"
    r"topics|topics?: .{1,200}|related topics|more on this story|explore more on these topics|"
    r"reporting by .*|editing by .*|additional reporting by .*|"
    # ... and in German, French and Spanish
    r"teilen|artikel teilen|drucken|speichern|merken|anzeige|werbung|abonnieren|anmelden|"
    r"einloggen|registrieren|angemeldet als.*|folgen sie uns.*|menü|suche|suchen|startseite|"
    r"schließen|weiter|"
    r"zurück|nach oben|mehr anzeigen|(?:zum|direkt zum) inhalt(?: springen)?|"
    r"partager|imprimer|publicité|s'abonner|se connecter|connexion|s'inscrire|suivez-nous.*|"
    r"rechercher|accueil|fermer|suivant|précédent|retour en haut|"
    r"compartir|imprimir|publicidad|suscríbete|iniciar sesión|registrarse|síguenos.*|buscar|"
    r"inicio|cerrar|siguiente|anterior|volver arriba)$",
    re.IGNORECASE,
)
# what a sign-up form answers, which the page hides until it is sent: "Thank you for signing
# up", "Vielen Dank für Ihre Anmeldung.", "Merci pour votre inscription"
_THANKS = re.compile(
    r"^(?:thank(?:s| you) for (?:signing up|subscribing|registering|your (?:subscription|"
    r"registration|order))|vielen dank für (?:ihre|deine) (?:anmeldung|registrierung|bestellung)|"
    r"merci (?:pour|de) votre (?:inscription|abonnement|commande))\b", re.IGNORECASE)
_THANKS_WORDS = 30
# A trail of links from the home page: "Home / Essays / 2017 / January / Aggression Fotografie",
# "Startseite>People>Real Life>…", "Sie sind hier: Home » Europa"
_BREADCRUMB = re.compile(
    r"^(?:(?:you are here|sie sind hier|vous êtes ici|usted está aquí|está aquí)\s*:"
    r"|(?:home|startseite|start|accueil|inicio)\s*[/>»›])", re.IGNORECASE)
# What a page says to a reader whose browser runs no scripts or is old: "Please enable
# JavaScript to view the comments", "Sie haben Javascript für Ihren Browser deaktiviert.", "You
# are using an outdated browser." (a headline about a browser talks to no one)
_BROWSER = re.compile(r"\b(?:browser|javascript|navigateur|navegador)\b", re.IGNORECASE)
_BROWSER_TALK = re.compile(
    r"\b(?:you|your|please|bitte|ihr|ihrem|ihren|dein|deinem|deinen|du|vous|votre|veuillez|usted|"
    r"su|tu)\b", re.IGNORECASE)
_BROWSER_STATE = re.compile(
    r"enabl|disabl|activ|upgrad|outdated|out of date|not supported|unsupported|aktivier|"
    r"deaktivier|veraltet|unterstützt|désactiv|obsolète|habilit|desactiv|actualiz", re.IGNORECASE)
_BROWSER_WORDS = 40
_COOKIE = re.compile(r"\bcookies?\b|\bnewsletters?\b|\bprivacy (?:policy|notice)\b", re.IGNORECASE)
_SITE_TALK = re.compile(
    r"\b(?:we use|sign up|subscribe|you agree|your consent|our (?:site|website)|inbox)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:(?:posted |written |words |reporting )?by:?|author:?)(?:\s+|(?<=By)(?-i:(?=[A-Z][a-z])))"
    r"[A-Z][\w'’.-]*(?:\s+\S+){0,12}$"
    # the kind of piece before it, then a person's name ("A column by Jane Doe", "Analysis by
    # Jane Doe, Chief Economist"; not "Report by UN finds …")
    r"|^(?:an? )?(?:column|essay|analysis|commentary|opinion|review|story|interview|report|"
    r"guest post) by\s+(?-i:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3})(?:\s*[,|•·–—-].*)?$",
    re.IGNORECASE,
)
# ... in the other languages of the shared pages ("von Martina Scharmann", "Von: det/dpa",
# "Autor: Samuel Diekmann", "Por Ana Ruiz", "Par Jean Dupont", "Door Anne de Vries", "Przez Jan
# Kowalski"): a name of up to four capitalised words (a headline such as "Von Berlin bis
# Brandenburg" goes on in lowercase), perhaps a role or date after a separator; or one handle
# in lowercase alone ("von flerche")
_BY_OTHER = r"[Vv]on|[Pp]or|[Pp]ar|[Dd]oor|[Pp]rzez"  # "by" in those languages
# "posted" / "written" before it, as in "Veröffentlicht von Cem Basman", "Publié par …"
_POSTED_OTHER = (r"(?i:veröffentlicht|geschrieben|verfasst|gepostet|erstellt|(?:ein|eine) (?:"
                 r"beitrag|gastbeitrag|kolumne|kommentar|gastkommentar|analyse|essay|glosse|"
                 r"reportage|interview|bericht)|"
                 r"publié|écrit|rédigé|publicado|escrito|redactado|geplaatst|geschreven)")
_BYLINE_OTHER = re.compile(
    rf"^(?:(?:{_POSTED_OTHER}\s+)?(?:{_BY_OTHER}):?|(?:Autor|Autorin|Auteur|Auteure|Text|Texto):)"
    r"\s+(?:[A-ZÀ-Ý]\S*(?:\s+(?:[A-ZÀ-Ý]\S*|von|van|de|der|den|la|le|du|del|da|dos|y))"
    r"{0,4}(?:\s*(?:[,|•·–—/-]|\(|\bam\b|\bon\b|\bel\b|\ble\b).*)?|[a-z][\w.-]*)$")
# "Jane Doe, Political Correspondent", "Sophie Lindqvist Environment correspondent": a name
# (no "Letters To The Editor", no "Web Audio Editor": a role in capitals follows a comma)
_ROLE_WORD = "|".join(BYLINE_ROLES)
_NAME_WORD = r"(?!(?:the|to|of|for|and|a|an|in|on|from|our|your|my|letters?)\b)[A-Z][\w'’.-]+"
_ROLE_BYLINE = re.compile(
    rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}(?:,(?:\s+[\w&-]+){{0,3}}\s+(?i:{_ROLE_WORD})|"
    rf"(?:\s+[\w&-]+){{0,3}}\s+(?:{_ROLE_WORD}))$",
)
_READ_MORE = re.compile(
    r"^(?:read more|read|more|related|see also|also read|also see|also|related article|"
    r"related story|recommended|watch|listen|more on this|latest)\s*[:|–—-]\s*(.{8,})$",
    re.IGNORECASE,
)
_LIST_HEADING = re.compile(
    r"^(?:more(?: latest)? news|more (?:from|on|in) .{1,40}|more stories|more top stories|"
    r"most (?:read|popular|viewed|shared)|related(?: stories| articles| content| coverage| news"
    r"| links| reading)?|you (?:may|might) also (?:like|be interested in)|recommended(?: for you)?|"
    r"(?:top|latest|trending|popular|other) (?:stories|news|articles)|trending(?: now)?|"
    r"what to read next|read next|read more|see also|also read|related links|up next|"
    r"around the web|editor'?s picks|"
    r"more latest news|latest|don'?t miss|elsewhere on .{1,30}|in case you missed it|"
    # ... and in German, French and Spanish
    r"(?:ähnliche|verwandte|weitere|neueste|letzte|aktuelle|beliebte|meistgelesene) (?:beiträge|"
    r"artikel|nachrichten|meldungen|themen|news)|meist ?gelesen|mehr zum thema|"
    r"das könnte (?:sie|dich) auch interessieren|auch interessant|"
    r"lesen sie (?:auch|mehr)|passend (?:dazu|zum thema)|(?:à )?lire aussi|sur le même sujet|"
    r"articles? (?:similaires|liés|recommandés)|les plus lus|dans la même rubrique|"
    r"vous aimerez aussi|derniers articles|(?:noticias|artículos) relacionad[oa]s|"
    r"(?:también )?te puede interesar|lo más leído|(?:lee|leer) también|más noticias|"
    r"últimas noticias)\s*:?$",
    re.IGNORECASE,
)
# Headings after which nothing is the article's (comments, tags, about the author). "Response"
# alone is not one: it heads a section of technical articles ("Request", "Response"); a comments
# section says "Responses", "3 Responses" or "Leave a Response".
_END_HEADING = re.compile(
    r"^(?:(?:view |show |read |see )?(?:all )?comments?(?: ?\(\d[\d,]*\))?|\d[\d,]* comments?|"
    r"join the conversation|add a comment|"
    r"leave a (?:comment|reply|response)|(?:\d[\d,]* )?responses|"
    r"have your say|most popular comments|discussion|about (?:us|the author)|"
    # a comments section in German, French and Spanish (not "Kommentar" alone: an opinion
    # piece's kicker)
    r"(?:\d[\d.]* )?(?:kommentare|leserkommentare|commentaires?|comentarios?)(?: ?\(\d+\))?|"
    r"\d[\d.]* kommentar|(?:schreibe|schreiben sie|hinterlasse|hinterlassen sie) einen kommentar|"
    r"kommentar (?:schreiben|verfassen|abgeben)|(?:laisser|ajouter) un commentaire|"
    r"(?:deja|dejar|añadir|escribe) (?:un )?comentario|"
    r"follow us|more about|tags?:?.*)\s*:?$",
    re.IGNORECASE,
)
# ... once a body's worth of prose has come: a menu's "About Us" above the article, after a
# blurb or two, ended a Motley Fool page before its article began
_BODY_BEFORE_END = 50
_TERMINATORS = tuple(".!?:;…")
_CLOSERS = "\"”’')]"
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# zero-width spaces and joiners, and soft hyphens ("Mit\u00adtel\u00adal\u00adter"), which a page
# shows only where it breaks a word and a copy keeps in every word
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")

_PROSE_WORDS = 12
_SLIDE = re.compile(r"(?:[-•*]\s*)?(\d{1,3})\s?/\s?(\d{1,3})\s")  # "- 3/50 City for sale"
_SLIDE_COUNT = 5  # slides a gallery has at least
_SLIDES = 3  # slides of one gallery that tell it
# A section's name the copy runs into the headline: "Opinion|Republicans Are Following Trump"
_KICKER = re.compile(r"^[A-Z][\w'’&.-]{0,30}(?:\s[A-Z][\w'’&.-]{0,30}){0,2}\|(?=[\w\"'‘“])")
_DATE_WORDS = 20  # a dateline with its update time; most of its words are dates
# the pieces of a dateline with a place, an author or its update: "| ", " • ", " / "
_SEGMENT = re.compile(r"\s[|•·/]\s|\|")
_SEGMENT_WORDS = 6  # words a piece beside a date has at most ("Tagged with WebAssembly tooling")
# "by Bradley M. Kuhn" inside a dateline: "Tuesday 15 October 2019 by Bradley M. Kuhn"
_BY_NAME = re.compile(rf"\b(?:[Bb]y|{_BY_OTHER})\s+(?:[A-ZÀ-Ý][\w'’.-]*"
                      r"(?:\s+[A-ZÀ-Ý][\w'’.-]*){0,3}|[a-z][\w.-]*$)")  # or a handle, last
# Chrome, datelines, bylines and list headings are short: the line-shape patterns look only at
# lines up to this many characters, so a very long line costs one pass, not one per pattern.
_SHORT_LINE = 400
_RESUME_WORDS = 20
_MENU_LOOKAHEAD = 3  # lines after a list heading that tell a menu from a list of headlines
_MENU_WORDS = 2  # words a menu's item has at most
_TITLE_WORDS = 16
ABOVE_HEADLINE = 0.5  # the most the content model is taken to be sure of a line above the start


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    words: int

    @property
    def terminal(self) -> bool:
        return self.text.rstrip(_CLOSERS)[-1:] in _TERMINATORS

    @property
    def prose(self) -> bool:
        return (self.words >= _PROSE_WORDS and self.terminal) or self.words >= 2 * _PROSE_WORDS

    @property
    def headline_like(self) -> bool:
        return 3 <= self.words <= 30 and not self.text.endswith((".", ":", ";", ",")) and (
            self.text[:1].isupper() or self.text[:1] in "\"“‘'0123456789"
        )


# Widths at which people's text comes hard-wrapped: e-mail (72-80), PDFs and terminals.
_WRAP_WIDTHS = (40, 160)
_OPENERS = "\"'“‘([«"  # a continued line may open with these before its first word
_WORD = re.compile(r"[^\W\d_]+")
_WORDY = 3  # words a line of prose has at least
_PUNCTUATION = ".,;:!?\"'“”‘’()[]«»–—-"


def unwrap(lines: list[str]) -> list[str]:
    """``lines`` with hard-wrapped paragraphs (an e-mail, a PDF, a terminal window) joined back
    into one line each; blank lines and everything else as it was.

    A run of lines between blank lines is hard-wrapped when its lines fill a width between 40
    and 160 characters (70 % of them reach 70 % of the longest), most end mid-sentence, and
    most of the lines after the first go on in lower case, as prose that was cut does: a list
    of headlines or a menu has capitals there. In such a run a line that ends a sentence short
    of the width ends its paragraph. One pass over the lines."""
    out: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line:
            block.append(line)
            continue
        out.extend(_joined(block) if _hard_wrapped(block) else block)
        out.append(line)
        block = []
    return out[:-1]


def continued(lines: Sequence[str]) -> list[str]:
    """``lines`` with each line that goes on a sentence the line before it left open joined to
    that line: a paragraph broken with ``<br>`` ("This blog article … reminded me to write up" /
    "the equivalent for Emacs Lisp."), as an extractor gives it a line a break. The line before
    ends in no sentence's end and the line after opens with a word in lower case ("the", "a";
    not "iPhone", "eBay", a heading's capital or a script without capitals), as no paragraph of
    prose does; both lines are prose (``_wordy``), not code. A sentence's first word set apart
    as a drop cap ("Denn" / "ich glaube, dass …") is joined to the rest. One pass, each line
    read once."""
    paragraphs: list[list[str]] = []
    before = ""  # the line before, as it came
    for line in lines:
        word = (_WORD.match(line.lstrip(_OPENERS)) or [""])[0]
        if paragraphs and word[:1].islower() and word[1:2] == word[1:2].lower() and (
                _wordy(line)) and ((_wordy(before) and not ends_sentence(before))
                                   or _WORD.fullmatch(before)):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
        before = line
    return [" ".join(paragraph) for paragraph in paragraphs]


def _wordy(line: str) -> bool:
    """Is ``line`` words, as prose is: three or more, nearly all of letters alone (not code,
    a command, a price or an address)?"""
    tokens = line.split()
    words = sum(token.strip(_PUNCTUATION).isalpha() for token in tokens)
    return len(tokens) >= _WORDY and words >= 0.8 * len(tokens) and "://" not in line


def _hard_wrapped(block: list[str]) -> bool:
    if len(block) < 2:
        return False
    width = max(len(line) for line in block)
    if not _WRAP_WIDTHS[0] <= width <= _WRAP_WIDTHS[1]:
        return False
    body = block[:-1]
    full = sum(len(line) >= 0.7 * width for line in body)
    cut = sum(not ends_sentence(line) for line in body)
    lower = sum(line.lstrip(_OPENERS)[:1].islower() for line in block[1:])
    return full >= 0.7 * len(body) and cut >= 0.5 * len(body) and lower >= 0.5 * len(body)


def _joined(block: list[str]) -> list[str]:
    width = max(len(line) for line in block)
    paragraphs: list[str] = []
    current: list[str] = []
    for line in block:
        current.append(line)
        if ends_sentence(line) and len(line) < 0.7 * width:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def normalise_text(text: str) -> str:
    """NFC, no invisible characters, single spaces, Unix newlines."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", text)
    return "\n".join(_SPACE.sub(" ", line).strip() for line in text.split("\n"))


def _credit_at(line: str) -> int | None:
    """Where the credit that ends ``line`` starts, or None."""
    offset = max(0, len(line) - _CREDIT_WINDOW)
    match = _CREDIT_TAIL.search(line, offset)
    return match.start() if match else None


def strip_credit(line: str) -> str:
    """The caption without its credit: "X. Picture: PA" -> "X"."""
    start = _credit_at(line)
    return (line if start is None else line[:start]).rstrip(" .")


def is_credit(line: str) -> bool:
    """Is ``line`` a photo or agency credit ("Picture: PA", "Getty Images")?"""
    return _credit_at(line) is not None or bool(
        len(line) <= _SHORT_LINE and _CREDIT_LINE.match(line)
    )


_BEFORE_A_DATE = frozenset("in on at by for from to of until since before after till".split())
_MONTH = re.compile(rf"^(?:{_MONTHS})$", re.IGNORECASE)
_RANK = re.compile(r"^(\d{1,2})\s+(?=\S)")
_NOT_A_HEADLINE = re.compile(r"https?://|www\.|\w\.(?:com|org|net)/|[a-z0-9]_[a-z0-9]", re.I)
# two sentences or more in a long line: a reader's comment or a teaser's text, no headline
# ("The more diverse a project, the better its reach. Kudos to Jill Binder for …")
_COMMENT_WORDS = 16
_SENTENCE_BREAK = re.compile(r"\w{2}[.!?]\s+[A-Z]")


def _ranked(lines: Sequence[_Line]) -> set[int]:
    """The positions of lines numbered as a "most read" list numbers them: two or more in a
    row opening with 1, 2, … ("1 Jeep hack prompts recall", "2 Four-legged snake …")."""
    ranked: set[int] = set()
    run: list[int] = []
    for position, line in enumerate(lines):
        rank = _RANK.match(line.text)
        if rank and int(rank.group(1)) == len(run) + 1:
            run.append(position)
            continue
        if len(run) >= 2:
            ranked.update(run)
        run = [position] if rank and rank.group(1) == "1" else []
    if len(run) >= 2:
        ranked.update(run)
    return ranked


def _headline(text: str, ranked: bool = False) -> Headline | None:
    """A headline candidate from a line of a list: without its rank in a numbered list or a
    date the list prints after it ("… Back Into the Country MARCH 30, 2009"); none from a line
    with a web address or a code word in it (an ad's tracking line), which no headline has, nor
    from a long line of two sentences or more (a comment)."""
    if _NOT_A_HEADLINE.search(text):
        return None
    if len(text.split()) >= _COMMENT_WORDS and _SENTENCE_BREAK.search(text):
        return None
    if ranked:
        text = _RANK.sub("", text, count=1)
    words = text.split()
    for size in (3, 2):  # a tail of date words only, with a month in it ("MARCH 30, 2009")
        tail = [word.strip(DATELINE_PUNCTUATION) for word in words[-size:]]
        if (len(words) - size >= 4 and all(map(date_token, tail)) and _MONTH.match(tail[0])
                and words[-size - 1].lower() not in _BEFORE_A_DATE):  # "… vote in May 2020"
            text = " ".join(words[:-size])
            break
    return Headline(text)


def _is_date(line: _Line) -> bool:
    # "PUBLISHED: November 19, 2019 at 8:59 pm | UPDATED: November 19, 2019 at 10:16 pm"
    return line.words <= _DATE_WORDS and (_dated(line.text) or _segment_dated(line.text))


def _segment_dated(text: str) -> bool:
    """A dateline with more on it, each other piece short: "New Delhi, News Bureau | Updated:
    19 November 2019", "// By Arun Sai Krishnan • Nov 11, 2020", "Published 21 November 2019 ·
    Tagged with tooling"."""
    if text.startswith("|"):
        return False  # a table's row, as an extractor writes it: "| HD | 225.86 | -12.99 |"
    pieces = [piece for piece in _SEGMENT.split(text) if piece.strip(DATELINE_PUNCTUATION)]
    # a date of one token in a row of figures ("12.99") is a price, not a time
    dated = [len(piece.split()) >= 2 and _dated(piece) for piece in pieces]
    return len(pieces) > 1 and any(dated) and all(
        len(piece.split()) <= _SEGMENT_WORDS or is_date
        for piece, is_date in zip(pieces, dated, strict=True))


def _dated_byline(line: _Line) -> bool:
    """A date with the author's name: "on March 10, 2015 by Nikhil Marathe", "Veröffentlicht
    am 13. März 2019 von Michael Veeser-Dombrowski"."""
    if line.words > _DATE_WORDS:
        return False
    rest = _BY_NAME.sub(" ", line.text, count=1)
    return rest != line.text and _dated(rest)


def _is_byline(line: _Line) -> bool:
    """"By Megan White", "von Martina Scharmann", "Jane Doe, Political Correspondent", "on
    March 10, 2015 by Nikhil Marathe": a line that names the author."""
    return not line.terminal and line.words <= 14 and bool(
        _BYLINE.match(line.text) or _BYLINE_OTHER.match(line.text)
        or _ROLE_BYLINE.match(line.text) or _dated_byline(line))


def _dated(text: str) -> bool:
    tokens = [t.strip(DATELINE_PUNCTUATION) for t in text.split()]
    tokens = [t for t in tokens if t]
    if not tokens:
        return False
    dated = sum(date_token(t) for t in tokens)
    # Numbers alone ("2, 2, 3, 3, 3", a table row or a score) are no date: a month, a day, a
    # clock time, a full date, a year or "ago" must be among them.
    return dated / len(tokens) >= 0.6 and any(_DATE_ANCHOR.match(t) for t in tokens)


def _menu_follows(lines: Sequence[_Line], position: int) -> bool:
    """Is the list heading at ``position`` an item of a menu: are most of the few lines after
    it a word or two each ("Meistgelesen" / "Neuerscheinungen" / "Fachgebiete"), where a list
    of headlines goes on in headlines?"""
    after = lines[position + 1 : position + 1 + _MENU_LOOKAHEAD]
    return len(after) == _MENU_LOOKAHEAD and sum(
        line.words <= _MENU_WORDS for line in after) > _MENU_LOOKAHEAD // 2


def _is_chrome(line: _Line) -> bool:
    if _CHROME.match(line.text.rstrip(":")):
        return True
    if line.words <= _THANKS_WORDS and _THANKS.match(line.text):
        return True  # a sign-up form's answer, hidden on the page, shown by a copy
    if _BREADCRUMB.match(line.text):
        return True
    if line.words <= _BROWSER_WORDS and _BROWSER.search(line.text) and _BROWSER_TALK.search(
            line.text) and _BROWSER_STATE.search(line.text):
        return True
    # Cookie banners and newsletter boxes: short, and talking to the reader about the site.
    return line.words <= 45 and bool(_COOKIE.search(line.text) and _SITE_TALK.search(line.text))


def _drop_captions(lines: list[str]) -> list[str]:
    """Remove credit lines and the same caption repeated without its credit next to them (two
    lines of text either side, blank lines aside: a video's caption, "n/a", its copy with the
    credit)."""
    drop: set[int] = set()
    text_lines = [i for i, text in enumerate(lines) if text]  # positions of the lines of text
    for k, i in enumerate(text_lines):
        if not is_credit(lines[i]):
            continue
        drop.add(i)
        bare = strip_credit(lines[i]).rstrip(" .").lower()
        if not bare:
            continue
        for j in text_lines[max(k - 2, 0) : k] + text_lines[k + 1 : k + 3]:
            if lines[j].rstrip(" .").lower() == bare:
                drop.add(j)
    return [text for i, text in enumerate(lines) if i not in drop]


def _drop_slides(lines: list[str]) -> list[str]:
    """Remove the captions of a numbered gallery ("1/50 …", "2/50 …"): ``_SLIDES`` or more
    slides of one gallery of ``_SLIDE_COUNT`` or more, so that a recipe's "1/2 cup" stays."""
    numbered = [_SLIDE.match(text) for text in lines]
    slides: dict[str, set[str]] = {}
    for match in numbered:
        if match and int(match[2]) >= _SLIDE_COUNT and 0 < int(match[1]) <= int(match[2]):
            slides.setdefault(match[2], set()).add(match[1])
    galleries = {count for count, seen in slides.items() if len(seen) >= _SLIDES}
    if not galleries:
        return lines
    return [text for text, match in zip(lines, numbered, strict=True)
            if not (match and match[2] in galleries)]


# The headline of a whole page, from its reading, the body's lines, the content model's scores
# of them (None when the rules chose the body) and the hand-written rule's choice.
TitlePicker = Callable[[Reading, Sequence[bool], Sequence[float] | None, str | None], str | None]


def rule_title(_reading: Reading, _keep: Sequence[bool], _scores: Sequence[float] | None,
               rule_pick: str | None) -> str | None:
    """A ``TitlePicker`` that keeps the hand-written rule's choice: the baseline the learned
    picker is measured against."""
    return rule_pick


# The dateline of a whole page, from its reading, the body's lines, its headline and the
# hand-written rule's choice.
DatePicker = Callable[[Reading, Sequence[bool], str | None, str | None], str | None]


def rule_date(_reading: Reading, _keep: Sequence[bool], _title: str | None,
              rule_pick: str | None) -> str | None:
    """A ``DatePicker`` that keeps the hand-written rule's choice: the baseline the learned
    picker is measured against."""
    return rule_pick


# The byline of a whole page, from the same and the dateline chosen.
BylinePicker = Callable[[Reading, Sequence[bool], str | None, str | None, str | None],
                        str | None]


def rule_byline(_reading: Reading, _keep: Sequence[bool], _title: str | None,
                rule_pick: str | None, _dateline: str | None) -> str | None:
    """A ``BylinePicker`` that keeps the line rules' byline: the baseline the learned picker is
    measured against."""
    return rule_pick


def read_lines(text: str, *, whole_page: bool = True) -> Reading:
    """Classify each line of a paste by the line rules (see the module docstring)."""
    raw_lines = [line.lstrip("> ").strip() for line in normalise_text(text).split("\n")]
    raw_lines = _drop_slides(_drop_captions(unwrap(raw_lines)))

    lines = [_Line(t, word_count(t)) for t in raw_lines if t]
    ranked = _ranked(lines)

    def headline(position: int) -> Headline | None:
        """The line at ``position`` as a headline candidate, if it reads as one."""
        line = lines[position]
        if not (line.headline_like and line.words >= 4):
            return None
        return _headline(line.text, ranked=position in ranked)

    kinds = ["listed"] * len(lines)
    kept: list[int] = []  # positions of prose and short lines
    candidates: list[Headline] = []
    date: str | None = None
    byline: str | None = None
    in_list = False
    prose_words = 0  # of the prose lines kept so far
    for position, line in enumerate(lines):
        short = len(line.text) <= _SHORT_LINE
        if short and _END_HEADING.match(line.text):
            if prose_words >= _BODY_BEFORE_END:
                kinds[position:] = ["closing"] * (len(lines) - position)
                kinds[position] = "end"
                candidates.extend(
                    found for later in range(position + 1, len(lines))
                    if (found := headline(later))
                )
                break
            kinds[position] = "end"
            continue
        if short and _LIST_HEADING.match(line.text):
            if _menu_follows(lines, position):  # "Meistgelesen", "Kontakt", "Suche": a menu
                kinds[position] = "chrome"
                continue
            in_list = True
            kinds[position] = "list_heading"
            continue
        read_more = _READ_MORE.match(line.text) if short else None
        if read_more and len(read_more.group(1).split()) >= 3:
            if found := _headline(read_more.group(1).strip()):
                candidates.append(found)
            kinds[position] = "read_more"
            continue
        if short and _is_chrome(line):
            kinds[position] = "chrome"
            continue
        is_byline = short and _is_byline(line)
        if short and _is_date(line):
            if date is None and iso_date(line.text):  # not "November 2012" (an archive's)
                date = line.text
            if is_byline:  # a dateline with the author: "By Dario Durando | November 02, 2018"
                byline = byline or line.text
            kinds[position] = "date"
            continue
        if is_byline:
            byline = byline or line.text
            kinds[position] = "byline"
            continue
        if in_list:
            # Captions in a headline list can be long; the body resumes only with two
            # paragraphs of running text in a row. An extractor has already cut the page's
            # link lists: in its text, one paragraph of running text resumes the body.
            following = lines[position + 1] if position + 1 < len(lines) else None
            if line.words >= _RESUME_WORDS and line.prose and (
                    not whole_page or (following and following.prose)):
                in_list = False
            else:
                if found := headline(position):
                    candidates.append(found)
                continue
        kept.append(position)
        prose_words += line.words if line.prose else 0

    prose = [i for i in kept if lines[i].prose]
    in_body = [False] * len(lines)
    if not whole_page:
        for i in kept:
            kinds[i], in_body[i] = "body", True
    elif not prose:
        for i in kept:
            keep = lines[i].terminal and lines[i].words >= 5
            kinds[i], in_body[i] = ("body" if keep else "before"), keep
    else:
        for i in kept:
            if i < prose[0]:
                kinds[i] = "before"
            elif i > prose[-1]:
                kinds[i] = "after"
                if found := headline(i):
                    candidates.append(found)
            elif lines[i].prose or lines[i].terminal:
                kinds[i], in_body[i] = "body", True
            else:
                kinds[i] = "dropped"
    return Reading(
        lines=tuple(line.text for line in lines), kinds=tuple(kinds),
        rule_body=tuple(in_body), candidates=tuple(candidates), date=date, byline=byline,
    )


# Which lines are the article, and (when it knows) how likely each line is to be article text.
BodyChooser = Callable[[Reading], tuple[Sequence[bool], Sequence[float] | None]]


def rule_body(reading: Reading) -> tuple[Sequence[bool], Sequence[float] | None]:
    """A ``BodyChooser`` that keeps the line rules' body: the baseline the content model is
    measured against, and what text an extractor already cut from a page gets."""
    return reading.rule_body, None


def _below_start(reading: Reading, keep: Sequence[bool], scores: Sequence[float],
                 title: str | None) -> Sequence[float]:
    """``scores`` with the lines kept above where the article starts taken as no more than even
    odds: below the headline, and at a lead that opens with a dateline ("LONDON — ", "MOSCOW
    (AP) — ") when most of the body follows it. A promo, a teaser, a key-points box or a caption
    the content model kept above is not the article's start, and the summary comes from the
    lines it is sure of (``Document.candidates``)."""
    lines = reading.lines
    # A headline the page repeats (another story's page above this one, a breadcrumb): the one
    # nearest above the body's main stretch, where the picker looks; not one in a list of
    # headlines ("Most Read Business Stories" inside the article).
    shown = [i for i, line in enumerate(lines) if line == title] if title else []
    own = [i for i in shown if reading.kinds[i] not in ("dropped", "listed")]
    start = body_start(lines, keep) + INTO_BODY
    at = max((i for i in own if i < start), default=shown[0] if shown else 0)
    dateline = next((i for i, kept in enumerate(keep) if kept and LEAD_DATELINE.match(lines[i])),
                    None)
    if dateline is not None:
        words = [word_count(line) if kept else 0 for line, kept in zip(lines, keep, strict=True)]
        if sum(words[:dateline]) < sum(words[dateline:]):
            at = max(at, dateline)
    if not any(keep[:at]):
        return scores
    return [min(p, ABOVE_HEADLINE) if i < at else p for i, p in enumerate(scores)]


def parse_paste(
    text: str, *, url: str | None = None, site: str | None = None, whole_page: bool = True,
    title_picker: TitlePicker = pick_title, body: BodyChooser = body_lines,
    date_picker: DatePicker = pick_date, byline_picker: BylinePicker = pick_byline,
) -> Article:
    """Read a pasted page or article and return its body, title and headline candidates.

    The line rules classify every line (``read_lines``); ``body`` chooses the article's lines
    from what they found (by default the learned content model of ``content.py``).

    ``whole_page=False`` is for text an extractor already cut from a page (trafilatura's): the
    same line rules drop captions, chrome and headline lists, but short lines (list items, table
    rows, subheadings) and repeated paragraphs stay in the body and no title is guessed.

    The title of a whole page is chosen by ``title_picker`` (the learned model of ``title.py``,
    which looks among the lines above the body and at its top; training passes one that records
    what it is given), from the reading, the body and the hand-written rule's choice. Lines
    kept above where the article starts (its headline, or a lead opening with a dateline) stay
    in the body at no more than even odds, so the summary comes from below (``_below_start``).
    A whole page's dateline is chosen by ``date_picker`` (``paste_date.py``) among its lines
    that name a day, and where the line rules read no byline, ``byline_picker``
    (``paste_byline.py``) looks for one.
    """
    reading = read_lines(text, whole_page=whole_page)
    keep, scores = rule_body(reading) if not whole_page else body(reading)
    lines = [_Line(t, word_count(t)) for t in reading.lines]
    first = next((i for i, kept in enumerate(keep) if kept), len(lines))
    before = [i for i in range(first) if reading.kinds[i] in ("before", "after", "dropped")]

    # The headline is the last headline-like line before the body that is headline-sized; a
    # longer unpunctuated line there is a standfirst.
    title_pool = [lines[i] for i in before if lines[i].headline_like] if whole_page else []
    title = next((ln.text for ln in reversed(title_pool) if 4 <= ln.words <= _TITLE_WORDS), None)
    if title is None and title_pool:
        title = title_pool[-1].text
    # A byline that names the day ("By Daniel | Published: 23. Juli 2017", "6. Dezember 2022
    # von Fatima"), else the first dateline; on a page pasted whole, where the first dateline
    # may be today's in the header, an archive menu's or another story's, the learned picker
    # chooses among every line that names a day; the byline is the rules' where they read one.
    date = reading.byline if iso_date(reading.byline) else reading.date
    byline = reading.byline
    if whole_page:
        title = title_picker(reading, keep, scores, title)
        date = date_picker(reading, keep, title, date)
        byline = byline_picker(reading, keep, title, byline, date)
        if scores is not None:
            scores = _below_start(reading, keep, scores, title)

    paragraphs: list[str] = []
    sure: list[float] = []
    seen: set[str] = set()
    # A headline the content model kept at the top of the body is the title, not body.
    title_key = title.lower() if whole_page and title else None
    for position, (line, kept) in enumerate(zip(lines, keep, strict=True)):
        key = line.text.lower()
        # A short line seen before is an echo (a heading, a menu item, a caption); a
        # paragraph of prose the page repeats is its own (Document skips the repeats).
        if not kept or key == title_key or (
                whole_page and key in seen and line.words < _PROSE_WORDS):
            continue
        seen.add(key)
        paragraphs.append(line.text)
        sure.append(scores[position] if scores is not None else 1.0)
    paragraphs = without_wire_dateline(paragraphs)

    unique: dict[str, Headline] = {}
    for headline in reading.candidates:
        unique.setdefault(headline.title.lower(), headline)
    return Article(
        paragraphs=tuple(paragraphs),
        title=_KICKER.sub("", title, count=1) if title else title,
        url=url,
        site=site,
        date=date,
        byline=byline,
        candidates=tuple(unique.values()),
        scores=tuple(sure) if scores is not None else (),
    )
