"""Who said a quotation, for articles in French, German, Spanish, Italian and Portuguese.

The cue of a quotation in these languages, nearest first:

* after it, the verb first and its subject inverted: ``« … », a déclaré Laurent Fabius`` /
  ``"…", explique Vanessa Crespo`` / ``« … », a-t-il ajouté`` / ``„…“, sagte Neubauer`` /
  ``„…“, so Kohlmann`` / ``"…", dijo el ministro`` / ``"…", ha detto Conte`` / ``"…", disse ela``;
  or ``selon X`` / ``laut X`` / ``según X`` / ``secondo X`` / ``segundo X``;
* before it, in its sentence: ``X a déclaré : « … »`` / ``X estime que « … »`` /
  ``Selon X, « … »`` / ``Pour X, « … »`` / ``X sagte: „…“`` / ``X : « … »``;
* failing both, for a quote inside its sentence, the inverted cue that ends the sentence:
  ``« … » si un Etat décide …, a souligné le Dr Fauci.``

``cue`` returns what ``speakers.Attributor.resolve`` reads: a name ("Laurent Fabius", "M.
Dupont"), an English pronoun ("he", "she", "they") that it resolves to the person named last, or
a description in lowercase ("le ministre des Affaires étrangères") that it leaves as it is. The
verbs are the usual speech verbs of news in each language, written down from the languages'
grammar, not from any article's errors. Every pattern reads a bounded stretch of text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from summariser.mentions import agreed, vote
from summariser.words import MONTHS_BY_LANGUAGE

_REACH = 300  # characters of the cue's sentence read on each side of a quote


@dataclass(frozen=True, slots=True, eq=False)
class Language:
    """The words a language uses to tell who spoke."""

    verbs: frozenset[str]  # speech verbs, every form news uses (present, past participle ...)
    auxiliaries: frozenset[str]  # "a", "avait", "ha", "hat"
    according: tuple[str, ...]  # "selon", "laut": the speaker follows
    pronouns: dict[str, str]  # subject pronoun -> "he" / "she" / "they"
    determiners: frozenset[str]  # a description opens with one: "le ministre", "der Sprecher"
    prepositions: frozenset[str]  # a capital after one names a place or a body, not the speaker
    adverbs: frozenset[str]  # words between the verb and its subject: "jeudi", "encore"
    clitics: frozenset[str]  # object pronouns before a verb: "lui répond-elle", "leur demande-t-il"
    titles: frozenset[str]  # "M", "Mme", "Herr" (no full stop): dropped before a name
    # pronouns after a preposition ("selon lui", "pour elle") -> "he" / "she" / "they"
    stressed: dict[str, str] = field(default_factory=dict)
    months: frozenset[str] = frozenset()  # a date between verb and subject: "samedi 3 juin"
    # phrases that stand, as an adverb does, between an auxiliary and its verb or between a
    # verb and its subject: "a de son côté déclaré", "dijo por su parte"
    phrases: tuple[str, ...] = ()
    # the gender ("m", "f") a determiner or a title gives the person it opens: "la ministre",
    # "le député", "Mme Buzyn", "dijo la ministra"
    genders: dict[str, str] = field(default_factory=dict)
    # Every noun is capitalised (German): a capital tells no name, and a determiner's noun
    # ("die Ministerin", "der Trendscout Landowski") is a role, never part of one.
    capitalised_nouns: bool = False


_FR_VERBS = """
déclaré déclare déclarait expliqué explique expliquait ajouté ajoute affirmé affirme affirmait
assuré assure indiqué indique estimé estime estimait souligné souligne précisé précise dit
confié confie raconté raconte racontait lancé lance insisté insiste martelé martèle reconnu
reconnaît réagi réagit tweeté commenté commente annoncé annonce dénoncé dénonce rappelé rappelle
observé observe noté note poursuivi poursuit répondu répond répondait déploré déplore regretté
regrette prévenu prévient jugé juge admis admet avoué avoue confirmé confirme écrit écrivait
fustigé fustige demandé demande conclu conclut témoigné témoigne résumé résume ironisé ironise
plaidé plaide avancé avance exclamé exclame félicité félicite inquiété inquiète indigné indigne
interrogé interroge analysé analyse détaillé détaille relevé relève rapporté rapporte
raillé raille tranché tranche glissé glisse lâché lâche soutenu soutient promis promet
protesté proteste clamé clame répété répète prévenu menacé menace averti avertit signalé
signale certifié certifie commenté revendiqué revendique rétorqué rétorque résumait explique
disant expliquant estimant affirmant ajoutant assurant soulignant précisant insistant
alarmé alarme désolé désole réclamé réclame tempéré tempère nuancé nuance envisagé envisage
évoqué évoque continué continue défendu défend réaffirmé réaffirme appelé appelle
""".split()
_DE_VERBS = """
sagte sagt sagten sagen erklärte erklärt erklärten betonte betont meinte meint schrieb schreibt
warnte warnt kritisierte kritisiert erläuterte erläutert ergänzte ergänzt berichtete berichtet
antwortete antwortet fügte fragte fragt forderte fordert versicherte versichert
bekräftigte bekräftigt räumte unterstrich unterstreicht mahnte mahnt bilanzierte resümierte
heißt hieß twitterte erzählte erzählt zitiert beklagte beklagt verspricht versprach
""".split()
_ES_VERBS = """
dijo dice decía afirmó afirma explicó explica señaló señala aseguró asegura declaró declara
indicó indica añadió añade agregó agrega sostuvo sostiene comentó comenta manifestó manifiesta
subrayó subraya apuntó apunta advirtió advierte insistió insiste reconoció reconoce destacó
destaca expresó expresa precisó precisa respondió responde escribió escribe admitió admite
concluyó recalcó recalca denunció denuncia lamentó lamenta anunció anuncia relató relata
""".split()
_IT_VERBS = """
detto dice diceva dichiarato dichiara spiegato spiega aggiunto aggiunge affermato afferma
sottolineato sottolinea osservato osserva precisato precisa ribadito ribadisce commentato
commenta scritto scrive assicurato assicura annunciato annuncia spiegava raccontato racconta
denunciato denuncia ammesso ammette risposto risponde avvertito avverte concluso conclude
""".split()
_PT_VERBS = """
disse diz dizia afirmou afirma explicou explica declarou declara acrescentou acrescenta
ressaltou ressalta destacou destaca garantiu garante observou observa comentou comenta
admitiu admite escreveu escreve contou conta sublinhou sublinha avisou alertou alerta
lamentou lamenta anunciou anuncia respondeu responde informou informa defendeu defende
""".split()

LANGUAGES: dict[str, Language] = {
    "fr": Language(
        verbs=frozenset(_FR_VERBS),
        auxiliaries=frozenset("a avait ont avaient aurait s'est s’est se s' s’ est".split()),
        according=("selon", "d'après", "d’après", "pour"),
        # ("explique celle dont le premier album …", "a répondu celui qui …")
        pronouns={"il": "he", "elle": "she", "ils": "they", "elles": "they", "on": "they",
                  "celle": "she", "celui": "he", "celle-ci": "she", "celui-ci": "he"},
        determiners=frozenset(
            "le la l' l’ les un une son sa ses leur leurs ce cette cet ces".split()),
        prepositions=frozenset("""de des du d' d’ d à au aux en sur pour par avec chez dans
            depuis devant derrière lors après avant entre contre vers sans sous dès auprès
            parmi""".split()),
        adverbs=frozenset("""jeudi lundi mardi mercredi vendredi samedi dimanche matin soir
            encore également aussi ensuite alors notamment enfin hier aujourd'hui aujourd’hui
            récemment plus tard même simplement toutefois néanmoins ainsi pourtant cependant donc
            d'ailleurs d’ailleurs""".split()),
        titles=frozenset("M Mme Mmes MM Mlle Me Dr Pr Mgr".split()),
        clitics=frozenset("lui leur nous vous me te se y en le la les".split()),
        stressed={"lui": "he", "elle": "she", "eux": "they", "elles": "they"},
        months=frozenset(MONTHS_BY_LANGUAGE["fr"]),
        genders={"le": "m", "un": "m", "ce": "m", "cet": "m", "du": "m", "au": "m", "M": "m",
                 "MM": "m", "la": "f", "une": "f", "cette": "f", "Mme": "f", "Mmes": "f",
                 "Mlle": "f"},
        phrases=("de son côté", "de leur côté", "pour sa part", "pour leur part", "à son tour",
                 "à leur tour", "quant à lui", "quant à elle", "quant à eux", "à nouveau",
                 "de nouveau", "une nouvelle fois", "par ailleurs", "en outre", "elle aussi",
                 "lui aussi"),
    ),
    "de": Language(
        verbs=frozenset(_DE_VERBS),
        auxiliaries=frozenset("hat hatte haben".split()),
        according=("laut", "nach angaben von", "zufolge", "so"),
        pronouns={"er": "he", "sie": "she"},
        determiners=frozenset(
            "der die das den dem des ein eine einer eines einem einen dessen deren".split() + [
                stem + ending for stem in ("mein", "dein", "sein", "ihr", "unser", "kein")
                for ending in ("", "e", "er", "em", "en", "es")]),
        prepositions=frozenset("von vom zur zum der des im in bei für mit aus am".split()),
        adverbs=frozenset("""am dann auch noch weiter nun jetzt damals zuletzt bereits
            gegenüber montag dienstag mittwoch donnerstag freitag samstag sonntag""".split()),
        titles=frozenset("Herr Frau Dr Prof".split()),
        clitics=frozenset(),
        stressed={"ihm": "he", "ihr": "she", "ihnen": "they"},
        months=frozenset(MONTHS_BY_LANGUAGE["de"]),
        genders={"Herr": "m", "Frau": "f"},  # "die" is plural too; the noun tells (-in)
        capitalised_nouns=True,
    ),
    "es": Language(
        verbs=frozenset(_ES_VERBS),
        auxiliaries=frozenset("ha había han".split()),
        according=("según", "de acuerdo con"),
        pronouns={"él": "he", "ella": "she", "ellos": "they", "ellas": "they"},
        determiners=frozenset("el la los las un una su sus".split()),
        prepositions=frozenset("de del a al en con por para".split()),
        adverbs=frozenset("""también además luego ayer hoy este lunes martes miércoles jueves
            viernes sábado domingo""".split()),
        titles=frozenset("Sr Sra Srta Dr Dra Don Doña".split()),
        clitics=frozenset("le les me nos se".split()),
        stressed={"él": "he", "ella": "she", "ellos": "they", "ellas": "they"},
        months=frozenset(MONTHS_BY_LANGUAGE["es"]),
        genders={"el": "m", "un": "m", "del": "m", "al": "m", "este": "m", "Sr": "m",
                 "Don": "m", "la": "f", "una": "f", "esta": "f", "Sra": "f", "Srta": "f",
                 "Doña": "f"},
        phrases=("por su parte", "a su vez", "por otra parte", "de nuevo", "una vez más"),
    ),
    "it": Language(
        verbs=frozenset(_IT_VERBS),
        auxiliaries=frozenset("ha aveva hanno".split()),
        according=("secondo",),
        pronouns={"lui": "he", "lei": "she", "loro": "they"},
        determiners=frozenset("il lo la l' l’ i gli le un uno una suo sua".split()),
        prepositions=frozenset("di del della dei a al alla in con per da dal dalla".split()),
        adverbs=frozenset("""anche poi ancora ieri oggi lunedì martedì mercoledì giovedì venerdì
            sabato domenica""".split()),
        titles=frozenset("Sig Dott Dr On".split()),
        clitics=frozenset("gli le mi ci ti si".split()),
        stressed={"lui": "he", "lei": "she", "loro": "they"},
        months=frozenset(MONTHS_BY_LANGUAGE["it"]),
        genders={"il": "m", "lo": "m", "un": "m", "uno": "m", "del": "m", "la": "f",
                 "una": "f", "della": "f"},
        phrases=("da parte sua", "a sua volta", "per parte sua", "di nuovo"),
    ),
    "pt": Language(
        verbs=frozenset(_PT_VERBS),
        auxiliaries=frozenset("tem tinha".split()),
        according=("segundo", "de acordo com", "conforme"),
        pronouns={"ele": "he", "ela": "she", "eles": "they", "elas": "they"},
        determiners=frozenset("o a os as um uma seu sua".split()),
        prepositions=frozenset("de do da dos das em no na com por para ao à".split()),
        adverbs=frozenset("""também ainda depois ontem hoje segunda terça quarta quinta sexta
            sábado domingo""".split()),
        titles=frozenset("Sr Sra Dr Dra Dom Dona".split()),
        clitics=frozenset("lhe lhes me nos se".split()),
        stressed={"ele": "he", "ela": "she", "eles": "they", "elas": "they"},
        months=frozenset(MONTHS_BY_LANGUAGE["pt"]),
        genders={"o": "m", "um": "m", "do": "m", "ao": "m", "Sr": "m", "Dom": "m", "a": "f",
                 "uma": "f", "da": "f", "Sra": "f", "Dona": "f"},
        phrases=("por sua vez", "por sua parte", "de novo"),
    ),
}

_WORD = re.compile(r"(?:[A-Z]\.)+|[^\W\d_][\w'’-]*|\d[\w.]*|[,;:.!?()]")
# "dit-il", "a-t-elle", "l'avertit-elle"
_INVERTED = re.compile(r"^(?:[lmtsn]['’])?(?P<verb>[^\W\d_]+)-t?-?(?P<pronoun>[^\W\d_]+)$")
_ELIDED = ("l'", "l’", "d'", "d’")
_ADVERB_ENDINGS = ("ment", "mente")  # "finalement", "finalmente"
# ("d": "d'État" as ``unelided`` leaves it)
_OF = frozenset("de des du d' d’ d di del della dei von vom der des do da dos das".split())
_GENITIVE = frozenset("des der eines einer von vom".split())  # German: "der Sprecher des Amts"
_CLAUSE_END = re.compile(r"[.;!?]\s|[.;!?]$|\n|[«»„“”\"]")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text)


def _capitalised(token: str) -> bool:
    return token[:1].isupper() and token[:1].isalpha()


def _past_dates(words: list[str], lang: Language) -> list[str]:
    """``words`` less the adverbs and dates that open them: "a déclaré samedi 3 juin le
    Français", "prédisait mardi matin la députée …", "a estimé ce 24 février X"."""
    def dated(k: int) -> bool:
        word = words[k].lower()
        return word in lang.adverbs or word in lang.months or word[:1].isdigit()

    k = 0
    while k < len(words) and (dated(k) or (
            words[k].lower() in _DEMONSTRATIVES and k + 1 < len(words) and dated(k + 1))):
        k += 1
    return words[k:]


# a demonstrative is skipped with the date or day it opens: "ce 24 février", "este lunes"
_DEMONSTRATIVES = frozenset("ce cet cette este esta questo questa diesen diesem".split())


# a name's particle between its capitalised words: "Ursula von der Leyen", "Richard von
# Weizsäcker", "Karl-Theodor zu Guttenberg", "Frans van den Berg" (not French "de": "Martine
# Aubry de Lille")
_JOINING_PARTICLES = frozenset("von van zu vom".split())
_PARTICLE_ARTICLES = frozenset("der den".split())


def _particle_at(words: list[str], at: int) -> bool:
    """Does a name's particle stand at ``at``, between two of its capitalised words?"""
    after = at + 1 + (at + 1 < len(words) and words[at + 1] in _PARTICLE_ARTICLES)
    return words[at] in _JOINING_PARTICLES and _capitalised(words[at - 1]) and (
        after < len(words) and _capitalised(words[after]))


def _name_from(tokens: list[str], lang: Language) -> str | None:
    """The speaker the words after a speech verb give (``tokens`` stop at the clause's first
    comma): a pronoun, a name ("M. Dupont" -> "Dupont", which the article may give in full), or
    a description in lowercase ("le ministre des Affaires étrangères")."""
    words = _past_dates([t for t in tokens if t not in ",;:"], lang)
    if not words:
        return None
    first = words[0].lower()
    first = first[2:] if first.startswith("t-") else first  # "martèle t-il"
    if first in lang.pronouns:
        return lang.pronouns[first]
    if first in lang.stressed and len(words) == 1:  # "selon lui", "pour elle"
        return lang.stressed[first]
    # A name: the first run of capitals that follows no preposition ("le ministre Jean Dupont",
    # not "ministre des Affaires étrangères", "de la Santé").
    words = [part for w in words for part in (
        (w[:2], w[2:]) if w.lower().startswith(("d'", "d’")) and _capitalised(w[2:])
        else (w[2:],) if w.lower().startswith(_ELIDED) and _capitalised(w[2:]) else (w,))]
    # "L'APIB", "l'Élysée": the body's name; "secrétaire d'État": a complement, no name
    k = 0
    while k < len(words):
        word = words[k]
        end = k + 1
        while end < len(words) and (_capitalised(words[end]) or _particle_at(words, end)):
            end += 1 if _capitalised(words[end]) else 2 + (words[end + 1] in _PARTICLE_ARTICLES)
        after_of = k and (words[k - 1].lower() in lang.prepositions or (
            k > 1 and words[k - 2].lower() in lang.prepositions
            and words[k - 1].lower() in lang.determiners) or (
                end - k == 1 and _names_complement(words, k, lang))
        ) and not (k == 1 and first in lang.determiners)  # "Der Sprecher …": no genitive
        if k and first in lang.determiners and word.lower() in lang.prepositions and (
                word.lower() not in _OF) and not _capitalised(words[k - 1]):
            break  # "le président américain | depuis une usine Honeywell": no name after it
            # ("la députée La République en marche Perrine Goulet": a party's own "en")
        if (not _capitalised(word) or word.lower() in _never_names(lang)
                or word.lower().startswith(_ELIDED)):
            k += 1
            continue
        run = words[k:end]
        if after_of:
            if len(run) >= 3 and not lang.capitalised_nouns:
                # "sur RTL Bettina Cervellin", "de Lille Martine Aubry", "de la République
                # Emmanuel Macron": a medium, a place or a body of one word, then a name
                return " ".join(run[1:5])
            k = end  # "de France Télévisions": a body's name, whole
            continue
        if lang.capitalised_nouns and first in lang.determiners:
            run = run[1:]  # "die Familien- und Frauenministerin", "der Trendscout Landowski"
            if not run:
                k = end
                continue
        elif len(run) == 1 and k and words[k - 1].lower() in lang.determiners:
            k = end  # "le Français", "le Premier ministre": a description, no name
            continue
        if lang.capitalised_nouns:
            run = _without_roles(run)
        while len(run) > 1 and (run[0].rstrip(".") in lang.titles or _acronym(run[0])
                                or (lang.capitalised_nouns and _role_noun(run[0]))):
            run = run[1:]  # "M. Veyrier"; "le groupe CRCE Eliane Assassi", "RN Nicolas Bay";
            # "Geschäftsführer Bernhard Mosbacher"
        if len(run) == 1 and _acronym(run[0]) and k and words[k - 1].islower() and any(
                _capitalised(w) and not _acronym(w) for w in words[end:]):
            k = end  # "le député LR des Alpes-Maritimes Eric Ciotti": the party, then the name
            continue
        if run[0].rstrip(".") not in lang.titles:
            return " ".join(run[:5])
        k = end
    if first in lang.prepositions and first not in _OF:
        # "sur RTL le porte-parole du gouvernement", "auprès du quotidien le député": the
        # definite subject after a phrase of one or two words ("sur un possible …" is none)
        for j in (2, 3):
            if j < len(words) and _definite(words[j]):
                return _name_from(words[j:], lang)
        return None
    if first in lang.determiners or first.startswith(_ELIDED):
        description = [first]
        for word in words[1:8]:
            if word.lower() in lang.prepositions and word.lower() not in _OF:
                break  # "la représentation diplomatique | dans un message"
            if lang.capitalised_nouns and any(map(_capitalised, description[1:])) and (
                    word.islower() and word not in _GENITIVE
                    and not description[-1].endswith("-")):  # "Familien- und …" goes on
                break  # "eine Bahn-Sprecherin | dem Zugreiseblog", "die Sprecherin | weiter"
            description.append(word)
        return " ".join(description)
    return None


def _names_complement(words: list[str], k: int, lang: Language) -> bool:
    """Does the capitalised ``words[k]``, one word, name the noun of a complement before it
    ("de la région Île-de-France", "du département Isère") or of the phrase that opens the
    words ("dijo a la red Erbol": whom it was said to), a place or a body, not the speaker
    (two words may be the person the role is: "le préfet de police Didier Lallement")? Not in
    a language that capitalises its nouns, where that noun is capitalised too."""
    if lang.capitalised_nouns or k < 2 or not words[k - 1].isalpha() or not (
            words[k - 1].islower()) or words[k - 1] in lang.determiners:
        return False
    return words[k - 2].lower() in _OF or (
        k > 2 and words[k - 2].lower() in lang.determiners and (
            words[k - 3].lower() in _OF  # "de la région Île-de-France"
            or (k == 3 and words[0].lower() in lang.prepositions)))  # "dijo a la red Erbol"


# The heads of German role nouns, which open a name run in the language's own style and are no
# part of the name: "Bundesministerin Susanne Raab", "SCR-Sportchef Zoran Barisic",
# "Vorstandsmitglied Axel Hellmann", "Virologe Christian Drosten", "Journalistin …".
_ROLE_HEADS = tuple("""
    minister ministerin präsident präsidentin chef chefin sprecher sprecherin leiter leiterin
    führer führerin vorsitzende vorsitzender experte expertin direktor direktorin trainer
    trainerin kanzler kanzlerin beauftragte beauftragter manager managerin berater beraterin
    forscher forscherin anwalt anwältin abgeordnete abgeordneter politiker politikerin
    bürgermeister bürgermeisterin sekretär sekretärin professor professorin gründer gründerin
    scout rat rätin mitglied coach kapitän kapitänin loge login iker ikerin ist istin
""".split())


def _role_noun(word: str) -> bool:
    """Is ``word`` a German role noun ("Bundesministerin", "Ex-Präsident", "Trendscout")?"""
    return word.lower().endswith(_ROLE_HEADS)


def drops_role(code: str | None, words: list[str]) -> list[str]:
    """``words`` of a name run less the role nouns that open it, in a language that writes
    them capitalised before a name ("Geschäftsführer Bernhard Mosbacher")."""
    return _without_roles(words) if capitalises_nouns(code) else words


def _without_roles(words: list[str]) -> list[str]:
    """``words`` less the capitalised role nouns that open them, and a genitive before a role
    when a full name follows ("Münsters Coach Jörg Riethues": not "Gerhards Mechaniker Frank",
    where one word would be left)."""
    if len(words) > 3 and words[0].endswith("s") and _role_noun(words[1]):
        words = words[1:]
    while len(words) > 1 and _role_noun(words[0]):
        words = words[1:]
    return words


def capitalises_nouns(code: str | None) -> bool:
    """Does language ``code`` capitalise every noun (German), so that a capital tells no name?"""
    lang = language(code)
    return lang is not None and lang.capitalised_nouns


def determiners(code: str | None) -> frozenset[str]:
    """The articles and determiners of language ``code`` ("le", "der", "einem")."""
    lang = language(code)
    return lang.determiners if lang is not None else frozenset()


def _acronym(word: str) -> bool:
    """Is ``word`` a body's or a party's acronym ("LR", "CRCE", "MSF")?"""
    return len(word) > 1 and word.isupper() and word.isalpha()


def is_function_word(code: str | None, word: str) -> bool:
    """Is ``word`` one of language ``code``'s words that open a sentence in capitals but never
    a name ("Alors", "Selon", "Le", "Mais")?"""
    lang = language(code)
    return lang is not None and (word.lower() in _never_names(lang)
                                 or word.lower() in _CONJUNCTIONS)  # "Mais Le Parisien"


_ADJECTIVES = frozenset("ancien ancienne nouveau nouvelle jeune premier première haut haute "
                        "ehemalige neue junge nuevo nueva antiguo antigua nuovo nuova novo "
                        "nova".split())


def role_of(code: str | None, description: str) -> str | None:
    """The role word of a description ("le ministre des Affaires étrangères" -> "ministre",
    "l'ancien animateur de TF1" -> "animateur"), for finding whom the article gave it to."""
    lang = language(code)
    if lang is None:
        return None
    words = description.split()
    if not words:
        return None
    first = words[0].lower()
    if first.startswith(_ELIDED):
        words = [first[2:], *words[1:]]
    elif first in lang.determiners:
        words = words[1:]
    else:
        return None
    if lang.capitalised_nouns:  # the first noun: "die Familien- und Frauenministerin"
        words = [w for w in words if _capitalised(w) and not w.endswith("-")][:1]
    while words and words[0].lower() in _ADJECTIVES:
        words = words[1:]
    return words[0] if words and words[0].replace("-", "").isalpha() and len(
        words[0]) > 2 else None  # "le porte-parole du gouvernement" -> "porte-parole"


def is_role(code: str | None, word: str) -> bool:
    """Is ``role_of``'s ``word`` a role, not a name ("le ministre", not "le Monde")? In a
    language that capitalises its nouns, any word it gives is."""
    return word[:1].islower() or capitalises_nouns(code)


# Heads of descriptions that name a body, never a person: "le ministère", "la police".
_INSTITUTIONS = frozenset("""
    ministère gouvernement parquet police gendarmerie préfecture mairie ong association
    syndicat entreprise société groupe commission conseil tribunal cour armée ambassade agence
    organisation office institut fédération parti chambre comité justice hôpital état ville
    région département direction administration banque université école journal quotidien
    magazine chaîne site agence compagnie club équipe assemblée sénat élysée présidence
    ministerium regierung polizei staatsanwaltschaft gericht behörde verband partei unternehmen
    ministerio gobierno policía fiscalía tribunal empresa partido ayuntamiento
    ministero governo polizia procura tribunale azienda partito comune
    ministério governo polícia empresa partido prefeitura
""".split())


# Endings of a French word after "l'" that make it feminine ("l'ancienne", "l'intéressée",
# "l'élue", "l'avocate"); one that ends in no "e" is masculine ("l'ancien", "l'élu"); others
# ("l'économiste") tell nothing.
_FEMININE_ENDINGS = ("ée", "ue", "enne", "euse", "rice", "ière", "ante", "ente", "inte", "ate",
                     "onne", "elle", "ette")


def gender_of(code: str | None, description: str) -> str | None:
    """The gender, "m" or "f", that a description in language ``code`` gives whom it stands
    for: "la ministre", "l'ancien candidat", "el portavoz", "die Sprecherin"; None where its
    words tell none ("l'économiste", "les élus")."""
    lang = language(code)
    words = description.split()
    if lang is None or not words:
        return None
    first = words[0].rstrip(".")
    if lang.capitalised_nouns:  # German: the role noun tells ("Sprecherin", "Sprecher")
        nouns = [w for w in words[1:] if _role_noun(w)]
        if first.lower() in lang.determiners and nouns:
            return "f" if nouns[0].lower().endswith(("in", "innen")) else "m"
        return lang.genders.get(first)
    if first.lower().startswith(("l'", "l’")) and len(first) > 3:
        word = first[2:].lower()
        if code == "it":
            return "f" if word.endswith("a") else "m" if word.endswith("o") else None
        return "f" if word.endswith(_FEMININE_ENDINGS) else None if word.endswith("e") else "m"
    return lang.genders.get(first) or lang.genders.get(first.lower())


_TIME_NOUNS = frozenset("""jour lendemain veille semaine mois an année week-end fois día semana
    mes año vez giorno settimana mese anno volta dia semana mês ano""".split())


def person_genders(code: str | None, text: str,
                   mentions: Sequence[tuple[int, int, str, str]]) -> dict[str, str]:
    """The gender, "m" or "f", of each person named in ``text`` (language ``code``), from
    what stands right before a mention ("Mme Buzyn", "la députée Perrine Goulet", "le député
    LR X", "Sprecherin Anna Berger") or right after it ("Valérie Pécresse, la présidente …");
    kept where two thirds of the mentions that tell one agree. Keyed by name and surname.
    ``mentions``: (start, end, name, grammar) in article order."""
    lang = language(code)
    votes: dict[str, Counter[str]] = {}
    if lang is None:
        return {}
    for start, end, name, _grammar in mentions:
        before = text[max(0, start - 60) : start]
        title = name.split()[0].rstrip(".")  # "Mme Levavasseur" as one mention
        gender = lang.genders.get(title) if title[:1].isupper() else None
        gender = gender or _gender_before(_tokens(before[before.rfind("\n") + 1 :]), code, lang)
        if gender is None:
            # an apposition set off by two commas: "Benoît Hamon, le leader de Génération.s,"
            # (not "José Bové, la raison de cet embargo n'est pas …")
            after = re.match(r"\s*,\s+(\S+)\s+([^\W\d_][\w-]*)[^,.;:!?\n]{0,60},",
                             text[end : end + 100])
            if after and after.group(2).lower() not in _TIME_NOUNS and (
                    after.group(1).lower() in lang.determiners) and (
                    after.group(2).islower() or lang.capitalised_nouns):
                gender = gender_of(code, f"{after.group(1)} {after.group(2)}")
        if gender:
            vote(votes, name, gender)
    return agreed(votes)


def _gender_before(tokens: list[str], code: str | None, lang: Language) -> str | None:
    """The gender a title or a role right before a name gives it (``tokens`` end there)."""
    if not tokens:
        return None
    if tokens[-1][:1].isupper() and tokens[-1].rstrip(".") in lang.genders:
        return lang.genders[tokens[-1].rstrip(".")]  # "Mme", "M.", "Frau", "Sra."
    k = len(tokens) - 1
    while k > 0 and _acronym(tokens[k]):
        k -= 1  # "le député LR Eric Ciotti"
    while k > 1 and tokens[k - 1].lower() in _OF and not lang.capitalised_nouns and (
            _capitalised(tokens[k]) or (tokens[k].lower().startswith(_ELIDED[:2])
                                       and _capitalised(tokens[k][2:]))):
        k -= 2  # "la maire PS de Lille Martine Aubry", "le ministre de l'Intérieur X"
        while k > 0 and _acronym(tokens[k]):
            k -= 1
    if lang.capitalised_nouns:  # "Sprecherin Anna Berger", "der Sprecher Hans Maier"
        return ("f" if tokens[k].lower().endswith("in") else "m") if _role_noun(
            tokens[k]) else None
    if not tokens[k].replace("-", "").isalpha() or not tokens[k].islower() or (
            tokens[k] in _never_names(lang) or tokens[k] in _CONJUNCTIONS):
        return None  # "une phrase de X", "cette liste et X": not what X is
    for j in (k - 1, k - 2):  # "la députée X", "l'ancienne ministre X", "la nouvelle députée X"
        if j >= 0 and (tokens[j].lower() in lang.determiners
                       or tokens[j].lower().startswith(_ELIDED[:2])):
            return gender_of(code, " ".join(tokens[j : k + 1]))
        if j >= 0 and not tokens[j].islower():
            return None
    return None


def is_institution(role: str) -> bool:
    """Is ``role`` (``role_of``'s word) the head of a body's description ("ministère",
    "Regierung"), which stands for no person?"""
    return role.lower() in _INSTITUTIONS


def is_definite(code: str | None, description: str) -> bool:
    """Does ``description`` open with a definite article of language ``code`` ("le
    ministre", "l'écologiste", "der Sprecher")?"""
    first = description.split()[0] if description.split() else ""
    return language(code) is not None and _definite(first)


def _definite(word: str) -> bool:
    """Is ``word`` a definite article ("le", "l'ancien", "der", "el")?"""
    return word.lower() in _DEFINITE or word.lower().startswith(("l'", "l’"))


_DEFINITE = frozenset("le la les der die das el los las il lo gli o os as".split())


def according_words(code: str | None) -> frozenset[str]:
    """The one-word "according to" of language ``code``: "selon", "pour", "laut"."""
    lang = language(code)
    return frozenset(p for p in lang.according if " " not in p) if lang else frozenset()


def prepositions(code: str | None) -> frozenset[str]:
    """The prepositions of language ``code`` (none for English, which ``mentions`` knows)."""
    lang = language(code)
    return lang.prepositions if lang is not None else frozenset()


def is_title(code: str | None, word: str) -> bool:
    """Is ``word`` ("M.", "Mme", "Herr") a title of language ``code``?"""
    lang = language(code)
    return lang is not None and word.rstrip(".") in lang.titles


@lru_cache(maxsize=8)
def _never_names(lang: Language) -> frozenset[str]:
    """Words that open a sentence in capitals but never a name: "Le", "Dans", "Selon"."""
    return lang.determiners | lang.prepositions | lang.adverbs | frozenset(
        lang.pronouns) | frozenset(lang.according) | lang.auxiliaries


_PRONOUNS = frozenset({"he", "she", "they"})


def _segments(tokens: list[str]) -> list[list[str]]:
    """Up to two comma-separated segments of a clause, which ends at . ; ! ? or :; what is
    in brackets is left out ("du Centre de contrôle des maladies (CDC), Wu Zunyou")."""
    segments: list[list[str]] = [[]]
    depth = 0
    for token in tokens:
        if token in "()":
            depth = max(0, depth + (1 if token == "(" else -1))
            continue
        if depth:
            continue
        if token in ";.!?:":
            break
        if token == ",":
            if len(segments) == 2:
                break
            segments.append([])
            continue
        segments[-1].append(token)
    return segments


def _after(text: str, lang: Language, incise: bool = False) -> str | None:
    """Verb first, subject inverted: ", a déclaré X" / ", a-t-il ajouté" / ", sagte X".

    ``incise``: the words open right after the quote, set off by a comma or a dash. There the
    inversion itself marks a cue, whatever the verb ("« … », sourit Christine Giegerich",
    "« … », s'insurge-t-il"): any verb before a name or an inverted pronoun counts."""
    text = _without_phrases(text.lstrip(" ,;—–-")[:_REACH], lang)
    tokens = _tokens(text)
    k = 0
    pronoun: str | None = None
    while k < len(tokens) and k < 4:
        inverted = _INVERTED.match(tokens[k])
        if inverted and inverted.group("pronoun").lower() in lang.pronouns:
            word = inverted.group("verb").lower()
            pronoun = lang.pronouns[inverted.group("pronoun").lower()]
            following = tokens[k + 1] if k + 1 < len(tokens) else ""
            if _speech_verb(word, lang) or ((word in lang.auxiliaries or word == "t") and (
                    following.isalpha() and following.islower())) or k == 0:
                return pronoun  # "a-t-il ajouté", and "a-t-il mis en garde" after a quote;
                # any inversion right after it, comma or none ("… du jour" minimise-t-elle)
            k += 1
            continue
        word = tokens[k].lower()
        if _speech_verb(word, lang):
            if pronoun:
                return pronoun
            segments = _segments(tokens[k + 1 :])
            found = _name_from(segments[0], lang) if segments else None
            if (found is None or found[:1].islower()) and found not in _PRONOUNS and (
                    len(segments) > 1):
                # "le ministre de la Santé, Olivier Véran": the name set off after the role
                named = _name_from(segments[1][:4], lang)
                if named and named[:1].isupper() and len(segments[1]) <= 4:
                    return named
            return found
        if incise and _may_be_verb(word, lang):  # after auxiliaries: "a renchérit X"
            segments = _segments(tokens[k + 1 :])
            rest = _past_dates(segments[0], lang) if segments else []  # "prédisait mardi …"
            found = _name_from(rest, lang) if rest and (
                _capitalised(rest[0]) or rest[0].lower() in lang.determiners
                or rest[0].lower().startswith(_ELIDED)  # "l'ancien directeur …"
                or (rest[0].lower() in lang.prepositions and rest[0].lower() not in _OF)
            ) else None  # "s'indigne auprès du quotidien le député … Alexis Corbière"
            if found and (found[:1].isupper() or (
                    k == 0 and _definite(found.split()[0]) and len(rest) <= 8)):
                return found  # "sourit Christine Giegerich": a name right after the verb;
                # "pense la professeure": a short definite description right after the quote
        if word in lang.auxiliaries or word in lang.adverbs or word in lang.clitics or (
                word.endswith(_ADVERB_ENDINGS) and word.islower() and len(word) > 6):
            k += 1
            continue
        break
    for phrase in lang.according:  # ", selon X" / ", so X" (not "pour X": "for X")
        if phrase != "pour" and text[: len(phrase) + 1].lower() == phrase + " ":
            return _according_to(text[len(phrase) : _REACH], lang)
    return None


def _according_to(text: str, lang: Language) -> str | None:
    """Whom the words after "selon" / "laut" name, up to the end of their clause; a name set
    off after a role: "selon la présidente de la région Île-de-France, Valérie Pécresse"."""
    tokens = _tokens(text[:_REACH])
    clause: list[str] = []
    for token in tokens:
        if token in ",;.!?:(":
            break
        clause.append(token)
    found = _name_from(clause, lang)
    rest = tokens[len(clause) + 1 :] if tokens[len(clause) : len(clause) + 1] == [","] else []
    if found and found[:1].islower() and rest:
        apposition = []
        for token in rest[:5]:
            if token in ",;.!?:(":
                break
            apposition.append(token)
        named = _name_from(apposition, lang) if len(apposition) <= 4 else None
        if named and named[:1].isupper():
            return named
    return found


@lru_cache(maxsize=8)
def _phrase_pattern(lang: Language) -> re.Pattern[str] | None:
    if not lang.phrases:
        return None
    return re.compile(r"(?i)(?<!\w)(?:" + "|".join(map(re.escape, lang.phrases)) + r")(?!\w)")


def _without_phrases(text: str, lang: Language) -> str:
    """``text`` with ``lang``'s adverbial phrases blanked out ("a de son côté déclaré")."""
    pattern = _phrase_pattern(lang)
    return pattern.sub(lambda m: " " * len(m.group(0)), text) if pattern else text


def _speech_verb(word: str, lang: Language) -> bool:
    """Is lowercase ``word`` one of ``lang``'s speech verbs, its past participle agreeing with
    a feminine or plural subject included ("s'est dite", "a expliquée", "se sont montrés")?"""
    if word in lang.verbs:
        return True
    for ending in ("es", "e", "s"):
        if word.endswith(ending) and word[: -len(ending)] in lang.verbs and (
                word[: -len(ending)].endswith(("é", "i", "it", "is"))):
            return True
    return False


# Words that join clauses: after a quote they open no cue ("« … », et Macron a répondu").
_CONJUNCTIONS = frozenset("""et mais ou car donc que qui dont où comme quand si puis puisque
    und aber oder denn dass wie als wenn weil y pero o que como cuando si porque e ma o che
    come quando se perché mas ou como quando porque""".split())


def _may_be_verb(word: str, lang: Language) -> bool:
    """May ``word``, right after a quote and its comma, be the verb of an inverted cue: a
    lowercase word that is none of the language's function words, adverbs or dates?"""
    word = re.sub(r"^[smnlt]['’]", "", word)  # "s'insurge", "l'assure"
    return word.isalpha() and word.islower() and len(word) > 2 and not (
        word in lang.determiners or word in lang.prepositions or word in lang.pronouns
        or word in lang.stressed or word in lang.adverbs or word in lang.auxiliaries
        or word in lang.clitics or word in lang.months or word in _CONJUNCTIONS
        or word in lang.according or word.endswith(_ADVERB_ENDINGS))


_SENTENCE_STOP = re.compile(r"[.!?](?=\s|$)|[«»„“”\"\n]")


def _abbreviated(text: str, lang: Language) -> bool:
    """Does ``text``, which a full stop follows, end with a title of ``lang`` ("M", "Dr") or an
    initial, so that the stop ends no sentence?"""
    word = text.rsplit(None, 1)[-1] if text.strip() else ""
    return word in lang.titles or (len(word) == 1 and word.isupper())


def _rest_of_sentence(after: str, lang: Language) -> str:
    """``after`` up to the end of its sentence (a full stop after a title, "M.", "Dr.", or an
    initial ends none) or the next quotation mark."""
    for stop in _SENTENCE_STOP.finditer(after, 0, _REACH):
        if stop.group(0) == "." and _abbreviated(after[: stop.start()], lang):
            continue
        return after[: stop.start()]
    return after[:_REACH]


def _closing_cue(after: str, lang: Language) -> str | None:
    """The cue that ends the sentence a partial quote sits in: ``« … » si un Etat décide …,
    a souligné le Dr Fauci.`` / ``« … » avec tonneaux, a déclaré samedi le Français.``"""
    rest = _rest_of_sentence(after, lang)
    for comma in reversed([m.start() for m in re.finditer(",", rest)]):
        found = _after(rest[comma:], lang)
        if found:
            return found
    return None


_SENTENCE_END = re.compile(r"[.;!?]\s|[.;!?]$|\n")


def _sentence_tail(before: str, lang: Language | None = None, quotes: bool = True) -> str:
    """The part of ``before`` in the quote's own sentence (from its last quotation mark on,
    unless ``quotes`` is False); a full stop after a title of ``lang`` ("M. Veyrier") or an
    initial ends no sentence."""
    tail = before[-_REACH:]
    for end in reversed(list((_CLAUSE_END if quotes else _SENTENCE_END).finditer(tail))):
        if end.group(0)[:1] == "." and lang is not None and _abbreviated(
                tail[: end.start()], lang):
            continue
        return tail[end.end() :]
    return tail


def _before(text: str, lang: Language) -> str | None:
    """``X a déclaré : « … »`` / ``Selon X, « … »`` / ``X : « … »``."""
    head = _sentence_tail(text, lang).strip()
    if not head:
        return None
    lower = head.lower()
    for phrase in lang.according:
        if phrase == "so":
            continue
        at = lower.find(phrase + " ")
        if at == 0 or (at > 0 and not lower[at - 1].isalpha() and phrase != "pour"):
            found = _according_to(head[at + len(phrase) :], lang)
            if found:
                return found
    tokens = _tokens(head)
    verbs = [k for k, t in enumerate(tokens) if _speech_verb(t.lower(), lang)]
    if verbs:
        subject = tokens[: verbs[-1]]
        while subject and subject[-1].lower() in lang.auxiliaries | lang.adverbs:
            subject.pop()
        segments: list[list[str]] = [[]]
        depth = 0  # what is in brackets is an aside: "… du Uruguay (Coendu), dijo"
        for token in subject:
            if token in "()":
                depth = max(0, depth + (1 if token == "(" else -1))
            elif token == "," and not depth:
                segments.append([])
            elif not depth:
                segments[-1].append(token)
        if len(segments) > 1 and [w.lower() for w in segments[-1]] in _RELATIVES:
            # "… a Yurramendi, quien señaló que « … »": the name the relative pronoun follows
            antecedent = _run_before(segments[-2])
            if antecedent:
                return antecedent
        for segment in reversed(segments):  # the subject stands nearest its verb
            if lang.capitalised_nouns and len(segment) > 1 and _capitalised(segment[0]) and (
                    not _capitalised(segment[1])):
                continue  # "…, Rüstungsexperte bei Amnesty, sagt:": an apposition's noun
            found = _name_from(segment, lang) if segment else None
            if found and (found in ("he", "she", "they") or found[:1].isupper()):
                return found
        return None
    if head.endswith(":"):  # "Laurent Fabius : « … »"
        found = _name_from(tokens[:-1], lang)
        if found and len(tokens) <= 6:
            return found
    return None


_CLITIC_JOIN = re.compile(r"['’][a-zà-ÿ]")
_QUOTED = re.compile(r"[«„“\"][^«»„“”\"]{0,200}[»“”\"]")
_NEGATION = frozenset("ne n' n’ se s' s’".split())
_THAT = frozenset("que qu' qu’ dass che".split())  # what opens reported speech after its verb


def _without_adverbs(words: list[str], lang: Language) -> list[str]:
    """``words`` less the adverbs that end them ("considère ainsi" -> "considère")."""
    while words and (words[-1].lower() in lang.adverbs or (
            words[-1].lower().endswith(_ADVERB_ENDINGS) and len(words[-1]) > 6)):
        words = words[:-1]
    return words


def opener(code: str | None, before: str) -> str | None:
    """The subject that opens the sentence around a partial quote, in language ``code``: a
    pronoun ("Il s'interroge aussi « … »"), a name, or a definite description ("Le numéro un
    de FO ne trouve « … »"), after any phrase set off by a comma ("Cependant, …")."""
    lang = language(code)
    if lang is None:
        return None
    head = _sentence_tail(before, lang, quotes=False)
    if not head.strip():
        return _subject_before(before, lang)
    if head.rstrip()[-1:] in ".!?":
        return None
    tokens = _tokens(_QUOTED.sub(" ", head))
    if "," in tokens[:8]:  # "Mercredi 7 février, …": an opening phrase
        opening = tokens[: tokens.index(",")]
        if opening and opening[0].lower() in lang.according:  # "Pour M. Martinez, …"
            found = _name_from(opening[1:], lang)
            if found:
                return found
        tokens = tokens[tokens.index(",") + 1 :]
    if len(tokens) < 2:
        return None
    first = tokens[0].lower()
    if first in lang.pronouns:
        return lang.pronouns[first]
    subject: list[str] = []
    verb_read = False
    for token in tokens[:9]:
        if token.lower() in _THAT or token.lower().startswith(("qu'", "qu’")):
            # "M. Veyrier aussi considère | que « … »", "X révèle qu'une « … »": the verb
            subject = _without_adverbs(_without_adverbs(subject, lang)[:-1], lang)
            verb_read = True  # ... before "que" is not the subject's
            break
        if token.lower() in lang.auxiliaries or token.lower() in _NEGATION or token in ",;:":
            verb_read = True
            break
        subject.append(token)
    if not subject or not verb_read:
        return None  # no verb follows: no subject read
    if first in lang.determiners or first.startswith(_ELIDED):
        return _name_from(subject, lang) if is_definite(code, subject[0]) else None
    if _capitalised(tokens[0]):
        words = list(subject)
        while len(words) > 1 and words[0].rstrip(".") in lang.titles:
            words = words[1:]  # "M. Veyrier aussi considère « … »"
        run: list[str] = []
        for word in words:
            if not _capitalised(word):
                break
            run.append(word)
        if 1 <= len(run) <= 4 and run[0].lower() not in _never_names(lang) and not (
                _CLITIC_JOIN.search(run[0])):  # "C'est", "N'a": no name
            return " ".join(run)  # "Philippe Martinez a fustigé « … »"
    return None


# relative pronouns of a subject, which a speech verb follows: "X, qui a déclaré que « … »"
_RELATIVES = [["qui"], ["quien"], ["quienes"], ["che"], ["quem"], ["who"]]


def _run_before(words: list[str]) -> str | None:
    """The name (up to four capitalised words) that ends ``words``, if one does."""
    run: list[str] = []
    for word in reversed(words):
        if not _capitalised(word) or _acronym(word):
            break
        run.insert(0, word)
    return " ".join(run[-4:]) if run else None


def _subject_before(before: str, lang: Language) -> str | None:
    """For a quote that opens its sentence with no cue, the person whose full name opens the
    sentence before it, in the same paragraph: "Rodolfo Hernández, candidato del movimiento
    …, manifestó que … “La diferencia la tiene que poner el Gobierno”"."""
    text = before.rstrip()
    if text[-1:] not in ".!?":
        return None
    sentence = _sentence_tail(text[:-1], lang, quotes=False)
    if _QUOTED.search(sentence) or sentence.count("«") or sentence.count("“"):
        return None  # a sentence with a quotation of its own: its cue is that quote's
    tokens = _tokens(sentence)
    while tokens and tokens[0].rstrip(".") in lang.titles:
        tokens = tokens[1:]
    run: list[str] = []
    for token in tokens[:5]:
        if not _capitalised(token) or _acronym(token) or token.lower() in _never_names(lang):
            break
        run.append(token)
    following = tokens[len(run)] if len(run) < len(tokens) else ""
    if 2 <= len(run) <= 4 and (following == "," or following.islower()) and not (
            _CLITIC_JOIN.search(run[0])):
        return " ".join(run)
    return None


_UNELIDE = re.compile(r"\b([dDsSnNjJcCmMtT]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu)['’](?=[A-ZÀ-ÖØ-Þ])")


def unelided(text: str) -> str:
    """``text`` with the apostrophe of an elided word before a capital made a space, its
    length kept: "d'Emmanuel Macron" -> "d Emmanuel Macron", so the name reads whole (not
    the article "l'": "l'Economie Bruno Le Maire" is a noun, then a name)."""
    return _UNELIDE.sub(lambda m: m.group(1) + " ", text)


@lru_cache(maxsize=8)
def language(code: str | None) -> Language | None:
    """The cue words of language ``code``, or None where only the English reading applies."""
    return LANGUAGES.get((code or "")[:2])


def cue(code: str | None, before: str, after: str, quote: str) -> str | None:
    """The speaker the cue of ``quote`` gives in language ``code``, if any: after the quote
    (unless it ends its own sentence with a full stop), else before it."""
    lang = language(code)
    if lang is None:
        return None
    closes = quote.rstrip().endswith((".", "!", "?"))
    incise = after.lstrip()[:1] in ",—–-" or quote.rstrip().endswith((",", "!", "?"))
    # "« … ! » explique X", "« … ? » demande-t-elle": the sentence goes on in lowercase
    exclaims = quote.rstrip().endswith(("!", "?")) and after.lstrip()[:1].islower()
    if not closes or exclaims or after.lstrip()[:1] in ",—–-":
        found = _after(after, lang, incise)
        if found:
            return found
    found = _before(before, lang)
    if found or closes or after.lstrip()[:1] in ".!?":
        return found or _inner_cue(quote, lang)
    return _closing_cue(after, lang) or _inner_cue(quote, lang)


def _inner_cue(quote: str, lang: Language) -> str | None:
    found = _inner_cue_at(quote, lang)
    return found[0] if found else None


@lru_cache(maxsize=64)  # read for a quote's speaker, then again to cut the quote around it
def _inner_cue_at(quote: str, lang: Language) -> tuple[str, int, int] | None:
    """A cue the quotation marks hold, as some papers set them: ``"C'est une question …, a
    assuré sur RTL le porte-parole du gouvernement. Nous n'avons pas …"``: a speech verb of
    the language right after a comma, or any verb before a full name ("…, s'insurge ce lundi
    Benoît Hamon, …"); any verb before a pronoun or description would read the quote's own
    words. With the cue, where it starts (its comma) and ends (its sentence's end)."""
    for comma in re.finditer(r",\s", quote[:_INNER_REACH]):
        found = _after(quote[comma.end() :], lang)
        if not found:
            # any verb, then a full name: "…, s'insurge ce lundi 11 février Benoît Hamon, …"
            found = _after(quote[comma.end() :], lang, incise=True)
            if not (found and len(found.split()) > 1 and found[:1].isupper()):
                continue
        rest = _rest_of_sentence(quote[comma.end() :], lang)
        return found, comma.start(), comma.end() + len(rest) + 1
    return None


def inner_cue_span(code: str | None, quote: str) -> tuple[int, int] | None:
    """Where the cue that ``quote`` itself holds runs (from its comma to its sentence's end),
    in language ``code``: the quote is two pieces of the speaker's words around it."""
    lang = language(code)
    found = _inner_cue_at(quote, lang) if lang is not None else None
    return (found[1], found[2]) if found else None


_INNER_REACH = 1_000  # characters of a quotation searched for a cue inside it
