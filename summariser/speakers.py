"""Who said a quotation: read the cue around it, then turn the cue's subject into a name.

Cues, nearest first:

* after the quote, in the same sentence: ``“…,” said Caddell`` / ``“…,” Caddell said`` /
  ``“…,” Clinton campaign spokesman Brian Fallon said on Monday`` / ``“…” is held accountable,
  Warren said``, and with a verb no list holds, a word in -ed or -s beside a name (``“…,”
  Viguerie concludes`` / ``“…?” reacted Trump``). A quote that ends its own sentence with a full
  stop takes no cue from after it;
* before it, in its sentence: the subject of the last speech verb (``X said:``, ``X, <role>,
  told TV Rain:``, ``He wrote in a tweet:``, ``X says Trump’s “…”``), ``according to X``,
  ``in X’s words``, or a full name just before the colon (``… surprise pollster Daron Shaw:``);
* failing both, the subject that opens the sentence around a partial quote
  (``In July, Gingrich dismissed Estonia as being in the “suburbs of St. Petersburg”``).

A subject span becomes a name by dropping titles and roles (``Transport Secretary Helen Marsh``
-> Helen Marsh), appositives and parentheticals; pronouns resolve to the person named last
before the quote, and "the minister"-style descriptions to the name the article gave that role.
"I" and "we" are the writer, whom the article does not name.

An article in French, German, Spanish, Italian or Portuguese (``Attributor(text, lang)``) has
its cues read by ``speech_cues.py`` first ("« … », a déclaré X", "„…“, sagte X"), then as above.

Only the article's names are speakers, not words that are capitals because a sentence opens
with them ("Finally, …", "Talking about …, he said", "Many fans …"): a word alone is a name
where the article gives it in full or capitalises it mid-sentence, or, where it opens a
sentence, if it is the subject of a verb and the article never writes it in lowercase.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from functools import lru_cache

from summariser.mentions import (
    INVERTING_VERBS,
    NameEvidence,
    grammar_of,
    is_number,
    pronoun_genders,
    sentence_numbers,
    word_before,
)
from summariser.sentences import split_paragraph
from summariser.speech_cues import (
    according_words,
    capitalises_nouns,
    determiners,
    drops_role,
    gender_of,
    inner_cue_span,
    is_definite,
    is_function_word,
    is_institution,
    is_role,
    is_title,
    person_genders,
    prepositions,
    role_of,
    unelided,
)
from summariser.speech_cues import cue as cue_in_language
from summariser.speech_cues import opener as opener_in_language
from summariser.words import CALENDAR_WORDS, MONTHS_BY_LANGUAGE

_VERB_WORDS = """
said says say told tells added adds wrote writes tweeted tweets posted explained
explains argued argues asked asks stated states warned warns insisted insists claimed
claims noted notes continued continues recalled recalls declared declares announced
announces replied replies responded responds remarked acknowledged admitted conceded
suggested suggests urged urges cautioned predicted predicts promised vowed confirmed
commented observed countered emphasised emphasized stressed joked quipped concluded
testified shouted yelled mused complained lamented boasted exclaimed pleaded reiterated
agreed maintained contended demanded wondered thundered charged alleged blasted fumed
scoffed chided recounted revealed disclosed asserted reported reports offered adding
saying telling writing tweeting asking warning noting arguing calling called describing
described accused accusing insisting shouts yells ordered orders snapped retorted whispered
reads
""".split()
VERBS = "|".join(_VERB_WORDS)
SPEECH_VERBS = frozenset(_VERB_WORDS)
_VERB = re.compile(rf"\b(?:{VERBS})\b")
_AFTER_VERB_FIRST = re.compile(rf"^(?:{VERBS})\s+(?P<who>.{{1,120}})")
_AFTER_SUBJECT_FIRST = re.compile(
    rf"^(?P<who>.{{1,200}}?)\s+(?:\w+ly\s+)?(?:has\s+|had\s+)?(?:{VERBS})\b"
)
# A verb the list lacks, right after a quote's closing comma: "“…,” reacted Trump", "“…,”
# Bozell points out", "“…,” agrees Michelle Stevens": a word in -ed or -s beside a name.
_AFTER_ANY_VERB_FIRST = re.compile(r"^(?P<verb>[a-z]{3,}(?:ed|s))\s+(?P<who>[A-Z].{0,119})")
_AFTER_NAME_ANY_VERB = re.compile(
    r"^(?P<who>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s+(?:[a-z]+ly\s+)?"
    r"(?P<verb>[a-z]{3,}(?:ed|s))\b")
# A cue after a comma, its verb before the name: ", said Christine Link, executive director"
# (``INVERTING_VERBS``: not one whose object is the listener, ", told Breitbart News")
_INVERTING = "|".join(sorted(INVERTING_VERBS))
_INVERTED = re.compile(rf",\s+(?:{_INVERTING})\s+(?P<who>[A-Z][^,.;:!?]{{0,80}})")
# ... set off as an aside: ", says Carl Anthony, historian …, is that"
_INVERTED_ASIDE = re.compile(
    rf",\s+(?:{_INVERTING})\s+(?P<who>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,3}}),")
# When, between a subject and its verb: "Donald Trump on Thursday ratcheted up …"
_WHEN = re.compile(r"^\s+(?:(?:on|last|this|late|early)\s+)?(?:[A-Z][a-z]+day|week|month|year|"
                   r"night|morning)(?:\s+(?:night|morning|afternoon|evening))?(?=\s)")
_ENDS_IN_VERB = re.compile(rf"\b(?:{VERBS})$")
_ACCORDING = re.compile(r"\b[Aa]ccording to (?P<who>[^,.;:“”\"]{1,80})")
_IN_WORDS = re.compile(
    r"\b[Ii]n (?P<who>his|her|their|(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w-]*?)(?:['’]s?)? "
    r"(?:own )?words\b")
_POSSESSIVES = {"his": "he", "her": "she", "their": "they"}
_LABEL = re.compile(r"^(?P<who>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}):$")
_NAME_COLON = re.compile(r"(?:^|\s)(?P<who>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3}):$")
# ... or an adverb in -ly before a comma, a phrase or a pronoun ("Immediately after the
# attacks, ", "Recently I saw …, "), not a name in -ly ("Carly Fiorina threw …, saying", "Kelly
# said, “…”")
_LEAD_PHRASE = re.compile(
    r"^(?:(?:(?:In|On|At|During|After|Before|Since|Last|Earlier|Later|Meanwhile|Still|Yet|But|"
    r"And|So|Then|Now|However|Asked|Speaking|Separately)\b|[A-Z][a-z]+ly(?=,|\s+(?:after|"
    r"before|on|in|at|for|with|to|the|a|an|this|that|since|during|following|upon|ahead|prior|"
    r"when|as|once|I|he|she|we|they|it)\b))[^,]{0,80},\s*)+"
)
_BRACKETED = re.compile(r"\([^)]*\)")  # an aside: "Sen. Bernie Sanders (I-Vt.)"
_QUOTATION = re.compile(r"[“\"][^“”\"]*[”\"]")
# ... and in another language than English, its own marks too: „…“, «…», »…«
_QUOTATION_MARKED = re.compile(r"„[^„“”\n]*[“”]|«[^«»]*»|»[^»«\n]*«|" + _QUOTATION.pattern)
# A participle opening a phrase ("Sitting in a hotel room …", "Speaking to reporters"), not a
# name ending in -ing ("Ebeling said"), which a verb follows.
_PARTICIPLE = re.compile(
    r"^[A-Z][a-z]+ing\s+(?:in|on|at|of|from|for|with|to|by|about|through|into|down|up|out|back|"
    r"around|after|before|over|under|along|across|a|an|the|his|her|their|its|my|our|your)\b")
_GENDER_OF = {"he": "m", "him": "m", "she": "f", "her": "f"}
_AGE = re.compile(r"\d{1,3}-year-old")
_PRONOUN_REACH = 1500  # characters back to look for the person a pronoun stands for
_ROLE_REACH = 3000  # ... and for the name given to "the minister"
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "him", "her", "them"})
_FIRST_PERSON = frozenset({"i", "we"})
_CLOSING_PRONOUNS = frozenset({"we", "you", "they", "he", "she", "it"})
_AUXILIARIES = frozenset(
    "had has have was were is are did does do will would could should can may might been being "
    "not also once again then".split()
)
_RELATIVE = frozenset("who whom whose which that where when".split())
# Words that open a sentence in capitals but never a name: "The Islamists failed …", "And
# Ennahda …" (pronouns stay: "He Jiankui" is a name, and a run of "He" alone is a pronoun).
_OPENERS = frozenset(
    "the a an and but or nor so yet for in on at by with from to of as if while when after "
    "before since although though because this that these those there here then also it "
    "its our their his my your however meanwhile moreover instead indeed finally otherwise "
    "nevertheless furthermore".split()
)
_PARTICLES = frozenset("de van von der den al bin da di la le du el ibn bin ben".split())
ROLE_WORDS = frozenset(
    w.lower().rstrip(".")
    for w in """
    Mr Mrs Ms Miss Dr Prof Professor Sir Dame Lord Lady Rev Father Sister President Vice Prime
    Minister Secretary Chancellor Senator Sen Rep Representative Congressman Congresswoman Governor
    Gov Mayor Judge Justice Chief General Gen Lt Colonel Col Captain Capt Sergeant Sgt Officer
    Detective Inspector Superintendent Commissioner Chairman Chairwoman Chair Director Spokesman
    Spokeswoman Spokesperson Ambassador Speaker Leader MP MEP MSP Labour Conservative Tory Democrat
    Democratic Republican Liberal Green Independent Foreign Home Health Defence Defense Interior
    Finance Education Culture Transport Shadow Former Acting Deputy Assistant Senior Retired Coach
    Manager Striker Star Actor Actress Singer CEO Founder Pope King Queen Prince Princess Activist
    Analyst Lawyer Attorney Doctor Agent Nominee Candidate Adviser Advisor Aide Strategist
    Rival Sheriff Officer Pastor Bishop Archbishop Cardinal Rabbi Imam Dean Provost Host Anchor
    Executive Editor Economist Correspondent Reporter Commander Premier Councillor Councilman
    Councilwoman Counsel Consultant Policy Researcher Scientist Historian
    """.split()
)
ORG_WORDS = frozenset(
    w.lower()
    for w in """
    International Party Ministry Department Council Court University Office News Times Post
    Agency Association Committee Commission Company Corporation Inc Ltd Group Foundation Institute
    Police Service Bank Government Parliament Congress Senate House Union Organisation Organization
    Campaign Network Club Federation League Airlines Airways Hospital School Authority Board Centre
    Center Trust Society Reuters Associated Press CNN BBC Twitter Facebook Fox Journal Tribune
    Administration Republicans Democrats Amnesty
    """.split()
)
# A run ending in one of these names a place or a thing, never a person a pronoun stands for
# ("he" after "… at Waterloo Station"); a cue's own subject may still be one ("Downing Street
# said").
PLACE_WORDS = frozenset(  # not the ones that are surnames too: Park, Hall, Day, Temple, Bay …
    """street avenue road lane river island islands mountain mountains valley airport station
    museum palace stadium arena hotel cathedral mosque county province region kingdom republic
    empire cup prize award awards games olympics report act""".split()
)
_GROUP_ENDINGS = ("ists", "ians")  # "Tunisian Islamists", "Syrian Christians" (not "-ers": Sanders)
CALENDAR = CALENDAR_WORDS | {"today", "yesterday", "tomorrow"} | frozenset(
    month for months in MONTHS_BY_LANGUAGE.values() for month in months
    if month not in ("mars", "mayo"))  # "Februar"; but Bruno Mars, Mayo
_ORG_NOUN = re.compile(  # "the Save Kirkstall group", "Royal Shrewsbury hospital"
    r"\s+(?:group|party|campaign|company|council|committee|movement|union|association|"
    r"charity|trust|network|agency|foundation|firm|club|team|alliance|coalition|institute|"
    r"hospital|school|college|university|church|station|airport|museum|stadium|prison|hotel|"
    r"street|road|square|bridge|river|county|province|region)\b"
)
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|St|Jr|Sr|Prof|"
                    r"Rev|Capt|Cmdr|Adm|Maj|Gens|Supt|Insp|Det)\.|[A-Z]\.|[\w'’-]+")


def _cap_run(space: str) -> re.Pattern[str]:
    """A run of capitalised words (with titles, initials and name particles), its words
    parted by ``space``."""
    return re.compile(
        rf"(?<![\w'’.])(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Prof|Rev)\.?{space}+"
        rf"|[A-Z]\.{space}+)*[A-Z][\w'’-]*"
        rf"(?:{space}+(?:[A-Z]\.|[A-Z][\w'’-]*|(?:de|van|von|bin|al|der|da|di|la|le|du|el)\b))*"
    )


_CAP_RUN = _cap_run(r"\s")
# ... in another language than English, never across a line: the paragraphs of pasted news
# often open with a heading ("… au Népal" / "Un troisième Français …")
_CAP_RUN_INLINE = _cap_run(r"[^\S\n]")
_WORD = re.compile(r"[\w'’-]+")
_SENTENCE_OPENS = ".!?:\"“”‘’'(\n"  # what may stand before the first word of a sentence
# Adverbs a subject and its verb may have between them ("Rubio also bemoaned", "Noem later
# tweeted"): lowercase only, so "Megyn Kelly" keeps her name.
_ADVERBS = r"[a-z]+ly|also|later|earlier|then|again|once"
_BEFORE_VERB = re.compile(
    rf"(?:\s+(?:{_ADVERBS}|has|had|have|was|is|himself|herself|itself|themselves))+$")
_NEVER_SUBJECTS = frozenset(
    "many much more most some any one another each every few several such no how what why "
    "whenever wherever whatever however according".split()
)
_IRREGULAR_PAST = frozenset(
    "went thought made took gave got came saw knew found felt left kept put ran brought began "
    "wrote spoke held stood led met paid sent won lost sat threw drew chose hit set let read "
    "became heard meant sought struck fought bought caught taught".split()
)
# Never inside a description that opens with a capital ("One intelligence source", "Ryan’s
# office"): these make it a clause or a phrase of another kind ("Due to the controversy").
_NOT_IN_DESCRIPTIONS = frozenset("to the a an that this if not do does did you your we our i me "
                                 "my it its myself himself herself itself ourselves themselves "
                                 "yourself".split())
# ", who …," / ", a lawyer," / ", the mayor,": set off by a comma on each side
_APPOSITIVE = re.compile(r"^,\s+(?:who|whose|a|an|the|[A-Z][\w'’.-]*\s+[a-z])[^,.;:]{0,100},")
_ADVERB = re.compile(rf"^(?:{_ADVERBS}|still|now|never|even)$")
# Words that open a subordinate clause or a prepositional phrase ("Of Carson, Levine said"),
# and one-word openers that frame a sentence
_SUBORDINATORS = frozenset("after before when while as since although though if because once "
                           "until unlike like whereas of about for with to from by at in on "
                           "despite amid during regarding".split())
_FRAMING_WORD = re.compile(r"[A-Z][a-z]{3,}(?:ed|ly)")
_JOIN = re.compile(r",?\s+(?:and|but)\s+")


def _opens(text: str, start: int) -> bool:
    """Does the word at ``start`` open a sentence (or a quotation, a line, a bracket)?"""
    before = text[max(0, start - 4) : start].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_OPENS


def _is_verb(word: str) -> bool:
    """A lowercase word that reads as a verb: an auxiliary, or past tense ("said", "stepped",
    "found")."""
    return word.islower() and (word in _AUXILIARIES or word in _IRREGULAR_PAST or (
        word.endswith("ed") and len(word) > 3))


def _verb_follows(rest: str) -> bool:
    """Does ``rest``, what follows a sentence's opening name, carry on as a subject's verb or
    appositive would? A verb is a speech verb, an auxiliary, or a word ending in -ed or -s,
    after at most two adverbs."""
    if _APPOSITIVE.match(rest):
        return True
    words = [w.strip(",;:") for w in rest.split()[:3]]
    while words and _ADVERB.match(words[0]) and len(words) > 1:
        words = words[1:]
    if not words or not words[0].islower():
        return False
    word = words[0]
    return _is_verb(word) or _VERB.fullmatch(word) is not None or (
        word.endswith("s") and not word.endswith(("ss", "us", "is")))


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper()


def _is_role(token: str) -> bool:
    """A title or role word: "Mr", "Dr.", "Minister", "Prince"."""
    return token.lower().rstrip(".") in ROLE_WORDS


# A profession's word before a full name, which the lists cannot all hold: "Sociologist
# Elizabeth Sweet", "Epidemiologist …", "Photographer …", "Pediatrician …", "Columnist …"
_PROFESSION = re.compile(r"^[A-Z][a-z]{2,}(?:ologist|ographer|ician|ist)$")


def _drop_roles(tokens: list[str]) -> list[str]:
    """Tokens after the last title or role word, when a name follows it (a profession's word
    only when a name of two words or more does)."""
    roles = [i for i, t in enumerate(tokens) if _is_role(t)
             or (t.isupper() and len(t) > 1 and "." not in t)
             or (_PROFESSION.match(t) and i < len(tokens) - 2)]
    if roles and roles[-1] < len(tokens) - 1:
        return tokens[roles[-1] + 1 :]
    return tokens


def person_from_run(run: str, *, single_ok: bool = True, org_ok: bool = False) -> str | None:
    """A capitalised run -> the person's name in it; None for dates, and for organisations
    unless ``org_ok`` (a cue's subject may be "Reuters" or "the White House")."""
    tokens = [t.removesuffix("’s").removesuffix("'s") for t in run.split()]
    while tokens and tokens[0].lower() in _OPENERS:
        tokens = tokens[1:]
    tokens = _drop_roles(tokens)
    tokens = [t.rstrip(".,:;") if not re.fullmatch(r"[A-Z]\.", t) else t for t in tokens]
    tokens = [t for t in tokens if t]
    if tokens and _is_role(tokens[-1]):
        return None  # "Amnesty International's Acting Secretary General": a title, no name
    if not tokens or (not org_ok and any(t.lower() in ORG_WORDS for t in tokens)):
        return None
    if not org_ok and (tokens[-1].lower() in PLACE_WORDS or (
            len(tokens) > 1 and tokens[-1].lower().endswith(_GROUP_ENDINGS))):
        return None
    if any(t.lower() in CALENDAR for t in tokens):
        return None
    if len(tokens) == 1 and not single_ok:
        return None
    if len(tokens) > 1 and all(t.isupper() for t in tokens) and any(len(t) > 3 for t in tokens):
        return None  # "RED STATES OUTNUMBER BLUE", "NEW YORK": a heading or a dateline
    # Five words or more: a body or a role the lists miss, then the name ("New York City Public
    # Advocate Trish James", "Iowa State University's Dianne Bystrom"): its last two words.
    return " ".join(tokens[-2:] if len(tokens) > 4 else tokens)


def name_from_span(span: str, people: Attributor) -> str | None:
    """The speaker a subject span names: a name, a pronoun, or a description, else None.

    Appositives are set off by commas ("X, a lawyer for Y, said"; "Claiming ..., Trump told"):
    a pronoun or a name in the first comma-segment, else the last, else the nearest to the last,
    wins over a description. A one-word name counts only where the article (``people``) gives
    it as a name ("Talking about his successes, he said": not "Talking"; "Otherwise, you …").
    """
    span = _QUOTATION.sub(" ", _BRACKETED.sub(" ", span))  # a quotation says, not names
    # What stands between a subject and its verb: "Noem later", "Cruz himself", "X has also"
    span = _BEFORE_VERB.sub("", span.rstrip())
    span = re.sub(r"^(?:and|but|as|while|when|so|then|because)\s+", "", span.strip(), flags=re.I)
    span = span.strip(" ,;:—–-\"“”'")
    if not span:
        return None
    segments = [s.strip() for s in span.split(",") if s.strip()]
    if not segments:
        return None
    # ... then those between, nearest the last first ("The leader of Ennahda, Rachid
    # Ghannouchi, condemned the attack, saying"); a description from the last, else the first.
    found = [_name_in_segment(segment, people) for segment in segments]
    if len(found) > 1 and _framing(segments[0]) and any(
            kind == "name" for kind, _ in found[1:]):
        found[0] = ("none", None)  # "After Glenn Beck asked …, D’Souza replied"
    for kind, value in [found[0], *reversed(found[1:])]:
        if kind in ("pronoun", "name"):
            return value
    descriptions = [found[i][1] for i in (len(found) - 1, 0) if found[i][0] == "description"]
    return descriptions[0] if descriptions else None


def _framing(segment: str) -> bool:
    """Does a span's first comma-segment frame its sentence rather than name the subject: a
    subordinate clause ("After BlazeTV’s Glenn Beck asked …"), a participle's phrase
    ("Watching Trump talk on Tuesday night …"), or one word in -ed or -ly ("Frustrated")?"""
    words = segment.split()
    if not words:
        return False
    first = words[0]
    if first.lower() in _SUBORDINATORS:
        return True
    if len(words) == 1:
        return bool(_FRAMING_WORD.fullmatch(first))
    return bool(re.fullmatch(r"[A-Z][a-z]+ing", first)) and any(w.islower() for w in words[1:])


def _last_clause(span: str) -> str:
    """The subject's clause of a span before a speech verb: what follows the last "and" or
    "but" that joins it to a clause with its own verb ("a woman asked for a photo and Clinton
    said": Clinton), where a name or a pronoun opens it."""
    joins = list(_JOIN.finditer(span))
    if not joins:
        return span
    last = joins[-1]
    rest, before = span[last.end():], span[: last.start()].split()
    # the subject alone follows it: not "… between him and Xi, Geng said"
    if rest[:1].isupper() and "," not in rest and any(
            _is_verb(w) or _VERB.fullmatch(w) for w in before[1:]):
        return rest
    return span


def _run_at(tokens: list[str], from_end: bool) -> list[str]:
    run: list[str] = []
    for token in reversed(tokens) if from_end else tokens:
        if not (_is_capitalised(token) or (token.lower() in _PARTICLES and run)):
            break
        run.insert(0, token) if from_end else run.append(token)
    return run


def _name_in_segment(segment: str, people: Attributor) -> tuple[str, str | None]:
    if _PARTICIPLE.match(segment):  # "Sitting in a hotel room": a participle's phrase
        return "none", None
    segment = re.split(r"\s+(?:of|from|at|for|with|who|whose|which|in)\s+", segment)[0]
    tokens = _TOKEN.findall(segment)
    # A subject ends where its speech verb begins ("Haoyu said, walking on while he pleaded").
    tokens = tokens[:next((k for k, t in enumerate(tokens) if k and _VERB.fullmatch(t)),
                          len(tokens))]
    if tokens and not _is_capitalised(tokens[-1]):
        # No name closes the span: one that opens it ends where any verb begins ("Izuku found
        # himself smiling"; not "It started when …", nor "Scott grinned … the story X told").
        tokens = tokens[:next((k for k, t in enumerate(tokens) if k and _is_verb(t) and all(
            _is_capitalised(n) and n.lower() not in _OPENERS and n.lower() not in PRONOUNS
            for n in tokens[:k])), len(tokens))]
    if not tokens:
        return "none", None
    lower = [t.lower() for t in tokens]
    if lower[0] in PRONOUNS and len(tokens) <= 3 and all(
            t.islower() and t not in _AUXILIARIES for t in tokens[1:]) and not (
            lower[0] == "her" and len(tokens) > 1):  # "her mother, Fiona, said": her mother's
        return "pronoun", lower[0]  # "He instead told the BBC:", not "they were in power"
    if lower[0] in _RELATIVE:  # ", who represents the West Virginia Department ...": not a subject
        return "none", None
    if lower[0] in ("the", "a", "an", "one", "another"):  # "one user quipped"
        kept = []
        for token in tokens:
            if token.lower() in _AUXILIARIES or token.lower() in _RELATIVE:
                break  # "a spokesperson when contacted", "the man who …"
            kept.append(token)
        return ("description", " ".join(kept[:6])) if len(kept) > 1 else ("none", None)
    # "Clinton campaign spokesman Brian Fallon" / "... story John F. Kennedy": the name closes
    # the span; "Rival Hillary Clinton had mocked the complaint": the name opens the clause.
    run = _run_at(tokens, from_end=True)
    clause = len(tokens) > 8 or any(t in _AUXILIARIES for t in lower[1:])
    opening = not run and clause  # the name, if any, opens a clause: a sentence's first word
    if opening:
        run = _run_at(tokens, from_end=False)
    if run:
        if len(run) == 1 and run[0].lower() in PRONOUNS:
            return "pronoun", run[0].lower()
        person = person_from_run(" ".join(run), org_ok=True)
        if person and (" " in person or (
                people.known(person) if opening else people.may_name(person))):
            return "name", person
    if _is_capitalised(tokens[0]) and lower[0] not in PRONOUNS and lower[0] not in _OPENERS and (
            2 <= len(tokens) <= 6) and not any(
            t in _NOT_IN_DESCRIPTIONS or t in _AUXILIARIES or "’t" in t or "'t" in t
            for t in lower[1:]):
        return "description", " ".join(tokens)  # "Obama's former campaign strategist"
    return "none", None  # "Talking", "Due to the controversy", "You don’t need to"


def reads_own_cues(lang: str | None) -> bool:
    """Is an article in ``lang`` another language than English, whose own cues are read and
    whose quotes may go to whom it is about (``Attributor.main``)?"""
    return bool(lang) and lang != "en"


_BEFORE_RUN = re.compile(r"(?:^|[^\w'’-])([\w'’-]+)[^\S\n]+([\w'’-]+)[^\S\n]+$")
_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")  # German: "der besten Freundin"
# German nouns by their endings, which no name has: "Vereinbarkeit", "Durchsetzung"
_ABSTRACT_ENDINGS = ("ung", "heit", "keit", "schaft", "tät", "tion", "sion")


def _after_determiner(text: str, start: int, articles: frozenset[str]) -> bool:
    """Does the capitalised word at ``start`` follow an article, at most one inflected
    adjective apart ("die Marke", "der frühere Kanzler"), so that it is a noun (German)?"""
    before = word_before(text, start)
    if before in articles:
        return True
    found = _BEFORE_RUN.search(text, max(0, start - 60), start)
    return bool(found and found.group(2) == found.group(2).lower()
                and found.group(2).endswith(_ADJECTIVE_ENDINGS)
                and found.group(1).lower() in articles)


def _one_person(a: str, b: str) -> bool:
    """May full names ``a`` and ``b`` be one person's ("Michael R. Bloomberg", "Michael
    Bloomberg"; "Presidente Gabriel Boric", "Gabriel Boric"): the words of one all in the
    other?"""
    words_a, words_b = set(a.casefold().split()), set(b.casefold().split())
    return words_a <= words_b or words_b <= words_a


class Attributor:
    """Speakers for the quotes of one article (``text`` is the whole body).

    The article's names are found once, here, with their offsets; each look-up for a quote is
    then a binary search, so attributing every quote of an article costs time linear in it.
    """

    def __init__(self, text: str, lang: str | None = None, title_end: int = 0,
                 headline_speaker: str | None = None) -> None:
        if reads_own_cues(lang):
            text = unelided(text)  # "d'Emmanuel Macron": the name is Emmanuel Macron
        self._text = text
        self._lang = lang  # another language than English: its own cues are read first
        self.foreign = reads_own_cues(lang)
        self._nouns_capitalised = capitalises_nouns(lang)  # German: a capital tells no name
        self._articles = determiners(lang)
        # Words the article capitalises where no sentence starts: its names ("said Trump"), not
        # "Finally" or "Talking", which are capitals only because a sentence opens with them.
        self._mid_capitals: set[str] = set()
        self._lower: set[str] = set()  # and the words it writes in lowercase: common words
        # ... or that open a sentence before a lowercase word ("Ask most folks …"): a common
        # word too, where a first name is followed by a surname
        self._opening_common: set[str] = set()
        previous: str | None = None  # a word opening a sentence, until the next word is read
        for match in _WORD.finditer(text):
            word = match.group(0)
            if previous is not None and word.islower():
                self._opening_common.add(previous)
            previous = None
            if word.islower():
                self._lower.add(word)
            elif word[:1].isupper() and not _opens(text, match.start()):
                self._mid_capitals.add(word)
            elif word[:1].isupper():
                previous = word
        # Full names (two words or more), by surname: [(end offset, name)] in article order;
        # in another language than English, as the article names them, not its quotations
        # ("„Sag Gerhard …“", "als „Villachs Meister Proper“ bekannt")
        self._full: dict[str, list[tuple[int, str]]] = {}
        cap_run = _CAP_RUN_INLINE if self.foreign else _CAP_RUN
        quotation = _QUOTATION_MARKED if self.foreign else _QUOTATION
        unquoted = quotation.sub(lambda m: " " * len(m.group(0)), text)
        for match in cap_run.finditer(unquoted if self.foreign else text):
            if lang and is_title(lang, match.group(0).split()[0]):
                continue  # "M. Bruch": a title of the article's language, not a first name
            person = person_from_run(self._run(match), single_ok=False)
            if person and len(person.split()) > 1 and len(person.split()[-1].rstrip(".")) > 1:
                # ("Estado K": a letter is no surname, and "la ofensiva K" names no one)
                self._full.setdefault(person.split()[-1], []).append((match.end(), person))
        self._surnames = set(self._full)
        # ... and where each name of a surname is first given in full: [(end offset, name)]
        self._first_full = {
            surname: [(end, person) for person, end in
                      {person: end for end, person in reversed(named)}.items()]
            for surname, named in self._full.items()}
        # People named outside quotations, for pronouns: [(start, end, name)] in article order.
        self._named: list[tuple[int, int, str, str]] = []  # ... and the mention's grammar
        self._evidence = NameEvidence()
        self._speaks: dict[str, bool] = {}  # may_speak's answers, name by name
        runs = [(match, self._run(match)) for match in cap_run.finditer(unquoted)]
        titled_names: set[str] = set()  # "Andrew" once the article says "Prince Andrew"
        own_prepositions = prepositions(lang) if self.foreign else frozenset()
        for match, run in runs:
            titled = _is_role(match.group(0).split()[0])
            named = person_from_run(run, org_ok=True)
            if named:
                self._evidence.add(unquoted, match.start(), match.end(), named, titled)
                if titled:
                    titled_names.add(named)
        for match, run in runs:
            if _ORG_NOUN.match(unquoted, match.end()):
                continue  # "the Save Kirkstall group", "… hospital": no person
            person = person_from_run(run)
            if not person or is_number(person):
                continue
            # where the words _run kept start: "Statue de Colbert" is "Colbert", after "de"
            start = match.start() + max(0, match.group(0).find(run.split()[0]))
            # "Brussels", "Video": one capitalised word is a name only if the article gives it
            # as a surname or with a title ("Prince Andrew", "President Biden")
            if len(person.split()) == 1 and person not in self._surnames and (
                    person not in titled_names):
                continue
            grammar = grammar_of(unquoted, start, match.end(), own_prepositions)
            if self.foreign and unquoted[start - 1 : start] == "(":
                grammar = "object"  # "son nom de jeune fille (Nathalie Ducoulombier)": an aside
            self._named.append((start, match.end(), person, grammar))
        self._named_ends = [end for _, end, _, _ in self._named]
        self._unquoted = unquoted
        # who is "he" and who "she": in another language than English, by the titles and
        # roles the article gives its people ("Mme Buzyn", "la députée Perrine Goulet")
        self._genders = (person_genders(lang, unquoted, self._named) if self.foreign
                         else pronoun_genders(unquoted, self._named))
        self._sentence_of = sentence_numbers(unquoted, [start for start, *_ in self._named])
        self.main = (self._main_person(title_end, headline_speaker) if self.foreign
                     else None)  # whom the article is about, in another language than English

    def _main_person(self, title_end: int, headline_speaker: str | None) -> str | None:
        """Whom the article is about: the speaker its headline (the text's first
        ``title_end`` characters) quotes ("« … », accuse Benjamin Griveaux"), else the first
        person the headline names, else the person the article names most, three times or
        more and more often than anyone else. News calls them by role from then on ("le
        Premier ministre", "le Français") however far from their name."""
        if headline_speaker and headline_speaker[:1].isupper() and self.may_speak(
                headline_speaker):
            return self.full_name(headline_speaker, len(self._text))
        # not a preposition's object ("Statue de Colbert taguée"), unless the preposition says
        # whose view it is ("Retraites : pour Philippe Martinez, …") or the body names them as
        # no preposition's object ("… » à Thomas Pesquet" / "où Thomas Pesquet a atterri")
        according = according_words(self._lang)
        end = len(self._text)
        # each mention with the full name it stands for
        named = [(self.full_name(person, end), start, person, grammar)
                 for start, _end, person, grammar in self._named]
        subjects = {name for name, start, _person, grammar in named
                    if start >= title_end and grammar != "object"}
        in_title = [name for name, start, person, grammar in named
                    if start < title_end and self.may_speak(person) and (
                        grammar != "object" or word_before(self._text, start) in according
                        or name in subjects)]
        if in_title:
            return in_title[0]
        # a place is named as often as a person, but only after a preposition ("en Paso
        # Centurión", "de Paso Centurión"): only someone the body names otherwise counts
        counts = Counter(name for name, _start, person, _grammar in named
                         if name in subjects and self.may_speak(person))
        ranked = counts.most_common(2)
        if ranked and ranked[0][1] >= 3 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0]
        return None

    def _run(self, match: re.Match[str]) -> str:
        """A capitalised run less what only a sentence's opening capitalises: its first word
        where the article writes that word in lowercase too, or opens another sentence with it
        before a lowercase word ("Accordingly Turkey", "Enter Stuart Kaplan", "Hosting Cook",
        "Ask Damien Chazelle"), the pronoun "I" ("Masterly I"), and a pronoun that
        closes it."""
        words = match.group(0).split()
        first = words[0]
        common = first.lower() in self._lower or first in self._opening_common or (
            self.foreign and is_function_word(self._lang, first))  # "Alors Fraga"
        dropped = len(words) > 1 and common and (
            first not in self._mid_capitals or self._nouns_capitalised) and (
            _opens(self._text, match.start()))
        if dropped:
            words = words[1:]
        if self._nouns_capitalised and words and (
                first.lower() in self._articles if dropped
                else _after_determiner(self._text, match.start(), self._articles)):
            # "Der Hashtag Crocs", "ein Glas Minze", "der besten Freundin von …": a noun,
            # then maybe a name
            words = words[1:]
        words = drops_role(self._lang, words)  # "Bundesministerin Susanne Raab"
        if self._nouns_capitalised:
            owner = [k for k, word in enumerate(words[:-1])
                     if k and len(word) > 3 and word.endswith("s")]
            if owner:  # "Deniz Yücels Bericht": a noun of Deniz Yücel's, not a name
                words = [*words[: owner[0]], words[owner[0]][:-1]]
            genitive = [k for k, word in enumerate(words) if word in ("der", "des") and (
                not k or words[k - 1] != "von")]
            if genitive:  # "Prozent der Befragten": a noun's genitive ("von der Leyen" stays)
                words = words[genitive[-1] + 1 :]
            abstract = [k for k, word in enumerate(words)
                        if len(word) > 6 and word.endswith(_ABSTRACT_ENDINGS)]
            if abstract:  # "Vereinbarkeit von Familie": no name before an abstract noun
                words = words[abstract[-1] + 1 :]
            of = [k for k, word in enumerate(words[:-1]) if k and word == "von" and not (
                words[k + 1].islower())]
            if of:  # "Aus Sicht von Diess", "im Fall von Vreni": a noun's "of", no name's
                words = words[of[-1] + 1 :]  # particle ("von der Leyen" stays)
        words = [word for word in words if word not in ("I", "I.")]
        while words and words[-1] in _PARTICLES:
            words.pop()  # "Davis von den Rafflesiaceae fasziniert": no name ends in "von"
        while words and words[-1].lower() in _CLOSING_PRONOUNS:
            words.pop()  # a heading run into the text under it: "Better Student Journalism We"
        # what the dropped first word leaves in lowercase is no name's: "Mais le Premier
        # ministre" (an article, then a role), "Statue de Colbert" (a preposition)
        while words and words[0].islower():
            words = words[1:]
        return " ".join(words)

    def known(self, name: str) -> bool:
        """Does the article give ``name`` as a name? Any of two words or more; one word if it
        names someone in full elsewhere ("Brabin" after "Tracy Brabin") or capitalises the word
        where no sentence starts."""
        return " " in name or name in self._surnames or (
            name in self._mid_capitals and not self._nouns_capitalised)

    def may_name(self, name: str) -> bool:
        """May ``name``, which opens a sentence where the reading says a name stands ("Clinton:
        “…”", "Moore thanked …"), be one? If ``known``, or if the article never writes the word
        in lowercase and it is no function word ("Many", "According", "Example")."""
        return self.known(name) or (
            name.lower() not in self._lower and name.lower() not in _NEVER_SUBJECTS)

    def surname_mentions(self) -> list[tuple[int, int]]:
        """Where a person is named by surname alone, outside quotations: (offset of that
        mention, end offset of the article's first mention of them in full)."""
        return [(start, self._full[person][0][0]) for start, _end, person, _ in self._named
                if " " not in person and person in self._full]

    # -- cues ----------------------------------------------------------------------------------

    def cue(self, before: str, after: str, quote: str) -> str | None:
        """The speaker (name, pronoun or description) an explicit cue gives, if any."""
        if self.foreign:
            return cue_in_language(self._lang, before, after, quote)
        if not quote.rstrip().endswith("."):
            tail = split_paragraph(after.strip(" ,;:—–-"))
            found = self._after(tail[0] if tail else "")
            if found:
                return found
        return self._before(self._head(before))

    @staticmethod
    def _head(before: str) -> str:
        heads = split_paragraph(before) if before.strip() else []
        return heads[-1] if heads else ""

    def opener(self, before: str) -> str | None:
        """A weaker guess: the subject opening the sentence around a partial quote
        ("In July, Gingrich dismissed Estonia as being in the “suburbs of St. Petersburg”")."""
        if self.foreign:
            return opener_in_language(self._lang, before)
        head = self._head(before).strip()
        if not head or head[-1:] in ".!?":
            return None
        return self._opening_subject(head)

    def _opening_subject(self, head: str, verb_follows: bool = False) -> str | None:
        """The name opening the clause ``head`` as its subject, if any (a name of two words
        or more whatever follows it, unless ``verb_follows``)."""
        opening = _LEAD_PHRASE.sub("", head)
        first, comma, rest = opening.partition(",")
        if comma and rest.strip() and _framing(first):  # "Like Corker, Menendez also rejected"
            opening = rest.strip()
        match = _CAP_RUN.match(opening)
        if not match or len(opening.split()) <= len(match.group(0).split()):
            return None
        run = match.group(0)
        if run.lower() in PRONOUNS:
            return run.lower()
        first, _, rest = run.partition(" ")
        if rest and first not in self._mid_capitals and (
                first.lower() in self._lower or first in self._opening_common):
            run = rest  # "Ask Damien Chazelle, the director …": the name is Damien Chazelle
        person = person_from_run(run)
        if not person or (" " in person and not verb_follows):
            return person
        if " " in person:  # "Trump’s Virginia state director, Mike Rubino": no subject
            return person if _verb_follows(_WHEN.sub("", opening[match.end():])) else None
        # One word is a name when the article gives it as one and it is the subject of its
        # sentence: a verb follows ("Moore thanked him for “…”", "Rubio also bemoaned"), or an
        # appositive does ("Trump, who …"); not "Finally, saturation …", "Think about …".
        return person if self.may_name(person) and _verb_follows(opening[match.end():]) else None

    def _after(self, sentence: str) -> str | None:
        if not sentence:
            return None
        verb_first = _AFTER_VERB_FIRST.match(sentence)
        if verb_first:
            found = name_from_span(verb_first.group("who").rstrip(".!?;:"), self)
            if found:
                return found
        subject_first = _AFTER_SUBJECT_FIRST.match(sentence)
        if subject_first:
            inverted = _INVERTED.match(sentence, subject_first.end("who") - 1)
            if inverted:  # "“…” and Clevelanders get nervous, said Christine Link"
                found = name_from_span(inverted.group("who").rstrip(".!?;:"), self)
                if found:
                    return found
            found = name_from_span(subject_first.group("who"), self)
            if found:
                return found
        according = _ACCORDING.match(sentence)  # "“…,” according to the police."
        if according:
            return name_from_span(according.group("who"), self)
        unlisted = _AFTER_ANY_VERB_FIRST.match(sentence) or _AFTER_NAME_ANY_VERB.match(sentence)
        if unlisted and unlisted.group("verb") not in _AUXILIARIES:
            return name_from_span(unlisted.group("who").rstrip(".!?;:"), self)
        return None

    def _before(self, head: str, earlier: int = 2) -> str | None:
        """The speaker a cue before the quote gives (``head``: the sentence up to the quote);
        ``earlier``: how many cues further back a participle may send it ("Nefzi said,
        adding")."""
        if not head.strip():
            return None
        according = _ACCORDING.search(head)
        verbs = list(_VERB.finditer(head))
        if verbs:
            span = _last_clause(head[: verbs[-1].start()])
            if verbs[-1].group().endswith("ing") and span.rstrip().endswith(","):
                # ", saying …": the speaker is the subject of the clause, not the last name in
                # it ("Sanders compared himself to Clinton, saying"), or of an earlier cue's
                # verb ("Nefzi said, adding")
                clause = span.rstrip(" ,")
                if earlier and _ENDS_IN_VERB.search(clause):
                    return self._before(clause, earlier - 1)
                subject = self._opening_subject(
                    _QUOTATION.sub(" ", _BRACKETED.sub(" ", clause)), verb_follows=True)
                if subject:
                    return subject
            found = name_from_span(_LEAD_PHRASE.sub("", span), self)
            comma = head.rfind(",", 0, verbs[-1].start())
            inverted = _INVERTED_ASIDE.match(head, comma) if comma >= 0 and not head[
                comma + 1 : verbs[-1].start()].strip() else None
            if inverted and (not found or any(w.islower() for w in found.split())):
                # "The paradox of Nancy, says Carl Anthony, historian …, is that she was “…”"
                found = name_from_span(inverted.group("who"), self) or found
            if found:
                return found
        if according:
            return name_from_span(according.group("who"), self)
        words = _IN_WORDS.search(head)  # "In Dr. Shadlen's words, “…”"
        if words:
            return _POSSESSIVES.get(words.group("who").lower()) or person_from_run(
                words.group("who"))
        label = _LABEL.match(head.strip())  # "Trump: “…”" (interviews, tweets, transcripts)
        person = person_from_run(label.group("who"), org_ok=True) if label else None
        if person and self.may_name(person):
            return person
        # a full name closing the sentence before a colon: "… surprise pollster Daron Shaw:"
        named = _NAME_COLON.search(head.strip())
        return person_from_run(named.group("who"), single_ok=False) if named else None

    # -- resolution ----------------------------------------------------------------------------

    def resolve(self, who: str | None, offset: int,
                recent: tuple[str, int] | None = None) -> str | None:
        """A cue's speaker as a name where the article makes that clear. ``recent``: the
        speaker of a quote in the same or the paragraph before, and where that quote ended:
        in another language than English, whom a pronoun or a definite description after a
        quote stands for ("« … », a estimé François Hollande. / « … », a ajouté l'ancien chef
        de l'Etat") while nobody else is named between the two."""
        if not who:
            return None
        lower = who.lower()
        if lower in _FIRST_PERSON:
            return None  # the writer, or the narrator: no one the article names
        foreign = self.foreign
        # "a-t-elle ajouté", "a déclaré la ministre": whom they stand for is a woman
        gender = _GENDER_OF.get(lower) or (gender_of(self._lang, who) if foreign else None)
        previous = self._still_recent(recent, offset) if foreign else None
        if previous and not (self._agrees(previous, gender) and self._personal(previous, offset)):
            previous = None  # "Le Parisien", "LCP": no "il" nor "elle"
        if lower in PRONOUNS:
            return previous or self.last_person(offset, gender) or self._main_of(gender)
        role = role_of(self._lang, who) if foreign else None
        if role:  # "le médecin" -> the name the article gave the doctor, if it did
            if previous and is_definite(self._lang, who) and is_role(self._lang, role):
                return previous  # "l'ancien chef de l'Etat", not "le Monde"
            return self.holder_of(role, offset) or self.described(who, offset, gender) or who
        if lower.startswith(("the ", "a ", "an ")):
            head = who.split()[-1]
            if lower.startswith("the ") and _AGE.search(lower):
                # "the 56-year-old", "the 31-year-old filmmaker": someone named before
                return self.last_person(offset) or who
            return self.holder_of(head, offset) or who
        name = self.full_name(who, offset)
        if foreign and " " not in name and not self.known(name) and not (
                name.isupper() and len(name) <= 6):  # "l'APIB", "MSF": a body's acronym
            return None  # "Conséquence : « … »": a word capitalised only to open a sentence
        return name if not name[:1].isupper() or self.may_speak(name) else None

    def _still_recent(self, recent: tuple[str, int] | None, offset: int) -> str | None:
        """The name of ``recent`` (speaker, where their quote ended) unless someone else is
        the subject of a sentence between that quote and ``offset``."""
        if not recent or not recent[0][:1].isupper():
            return None
        name, since = recent
        for k in range(bisect_right(self._named_ends, offset) - 1, -1, -1):
            start, _end, person, grammar = self._named[k]
            if start < since:
                break
            if grammar == "subject" and person.split()[-1] not in name.split():
                return None
        return name

    def _agrees(self, name: str, gender: str | None) -> bool:
        """May ``name`` be whom a pronoun or description of ``gender`` stands for: the article
        gives them no other gender?"""
        return not gender or self._genders.get(name, gender) == gender

    def _main_of(self, gender: str | None) -> str | None:
        """Whom the article is about, where a pronoun or description of ``gender`` may stand
        for them."""
        return self.main if self.main and self._agrees(self.main, gender) else None

    def described(self, description: str, offset: int, gender: str | None = None
                  ) -> str | None:
        """The person a definite description in the article's language stands for, as a
        pronoun would: news names someone, then calls them "l'ancien chef de l'Etat", "la
        ministre", "l'écologiste" (of ``gender``, where its words tell one). An indefinite one
        ("une source", "un porte-parole") is someone new, and a body ("le ministère") no
        person: both stay as they are."""
        role = role_of(self._lang, description)
        if not is_definite(self._lang, description) or not role or not is_role(
                self._lang, role) or is_institution(role):
            return None  # "le Monde", "le Figaro": a newspaper's name, no person's role
        return self.last_person(offset, gender) or self._main_of(gender)

    def names_alone(self, word: str) -> bool:
        """Is one ``word`` a name by itself: the surname of someone the article names in full
        ("Brabin" after "Tracy Brabin"), or a word it never writes in lowercase ("Nippers", not
        "Review" or "Years")?"""
        return word in self._surnames or word.lower() not in self._lower

    def may_speak(self, name: str) -> bool:
        """May ``name`` be a speaker: no number ("Fifty-one percent"), and no place by what the
        article says of it ("in Iowa", never "Iowa said" or "Governor of Iowa X")?"""
        known = self._speaks.get(name)
        if known is None:
            known = self._speaks[name] = not is_number(name) and not self._evidence.is_place(name)
        return known

    def full_name(self, name: str, offset: int) -> str:
        """'Brabin' -> 'Tracy Brabin' when the article named her in full before ``offset``; a
        surname with its particle, 'De Souza', -> 'Ana de Souza'. Where it named two people of
        that surname before (Rupert and James Murdoch; not "Michael R. Bloomberg" and "Michael
        Bloomberg"), the surname alone could be either: it stays as it is."""
        words = name.split()
        if len(words) > 1 and words[0].lower() not in _PARTICLES:
            return name
        named = self._full.get(words[-1], [])
        index = bisect_right(named, offset, key=lambda item: item[0])
        if not index:
            return name
        found = named[index - 1][1]
        if len(words) == 1 and any(not _one_person(other, found) for end, other in
                                   self._first_full[words[-1]] if end <= offset):
            return name  # "Murdoch" after Rupert and James Murdoch: either
        return found if found.casefold().endswith(name.casefold()) else name

    def last_person(self, offset: int, gender: str | None = None) -> str | None:
        """The person a pronoun of ``gender`` ("m", "f"; any when None) at ``offset`` stands
        for, named before it (at most 1,500 characters before) outside quotations: the nearest
        name that is no preposition's object ("chats with Epstein", "around Central Park") nor
        a person the article gives the other gender; or, where that name's sentence opens with
        a subject or names someone the article treats as a person ("Swift accused Big Machine
        …", "Ask Damien Chazelle, the director behind … La La Land"), that one."""
        index = bisect_right(self._named_ends, offset)
        nearest: tuple[int, int, str, str] | None = None
        sentence = -1  # the nearest name's sentence
        for k in range(index - 1, -1, -1):
            mention = self._named[k]
            start, _end, person, grammar = mention
            if start < offset - _PRONOUN_REACH:
                break
            if grammar == "object" or not self.may_speak(person) or not self._agrees(
                    person, gender) or (self.foreign and not self._personal(person, offset)):
                continue
            if nearest is None:
                nearest, sentence = mention, self._sentence_of[k]
                if grammar == "subject":
                    break
                continue
            if self._sentence_of[k] != sentence:
                break
            if grammar == "subject" or (
                    grammar != "possessive" and self._evidence.is_someone(person)):
                nearest = mention
                break
        return self.full_name(nearest[2], offset) if nearest else None

    def inner_cue_span(self, quote: str) -> tuple[int, int] | None:
        """Where a cue inside ``quote``'s own marks runs, in the article's language; None in
        English, or where it holds none."""
        return inner_cue_span(self._lang, quote) if self.foreign else None

    def _personal(self, name: str, offset: int) -> bool:
        """May ``name`` be whom a pronoun stands for, in another language than English: no
        acronym or heading in capitals ("LCP", "MESURE DE RÉTORSION"), nor a title opened by
        an article ("Le Parisien", "Les Républicains"), unless it is a surname the article
        gives with a first name ("Le Pen" after "Marine Le Pen")?"""
        full = self.full_name(name, offset)
        return not full.isupper() and full.split()[0].lower() not in self._articles

    def holder_of(self, role: str, offset: int) -> str | None:
        """The name the article gave to ``role`` at most 3,000 characters before ``offset``:
        "Foreign Minister X" or "X, the minister". A bounded window per quote keeps the work
        linear in the article however many different roles its quotes name."""
        before = self._text[max(0, offset - _ROLE_REACH) : offset]
        found = [(m.start(), m.group("name"))
                 for pattern in _role_patterns(role.lower(), self.foreign)
                 for m in pattern.finditer(before)
                 if not m.group("name").isupper()]  # "la députée LREM": a party, no name
        if not found:
            return None
        name = " ".join(drops_role(self._lang, max(found)[1].split()))  # "Wien-Landes…führerin X"
        return person_from_run(name) or name


@lru_cache(maxsize=256)
def _role_patterns(role: str, foreign: bool = False) -> tuple[re.Pattern[str], ...]:
    """ "Minister X" and "X, the ... minister", for one role word; in another language than
    English also "ministre de la Santé X"."""
    role_re = f"(?i:{re.escape(role)})"
    # what may stand between a role and its holder's name: "ministre de l'Economie Bruno Le
    # Maire", "porte-parole du gouvernement, Sibeth Ndiaye" (a name of two words or more)
    complement = r"(?:\s+(?:de|du|des|d['’]|à|aux?)\s*(?:la\s+|l['’])?[\w'’-]+){1,3},?"
    patterns = (
        re.compile(rf"\b{role_re}\s+(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){{0,3}})"),
        re.compile(rf"(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){{1,3}}),\s+(?:the\s+|a\s+)?"
                   rf"[^,.]{{0,60}}\b{role_re}\b"),
    )
    if not foreign:
        return patterns
    # ... and a party's acronym: "la députée LREM du Nord, Anne-Laure Cattelot"
    return (*patterns, re.compile(rf"\b{role_re}(?:\s+[A-Z]{{2,}})?{complement}\s+"
                                  rf"(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){{1,3}})"))
