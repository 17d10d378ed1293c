"""The reply's own words in the server's language: English, French, German and Spanish.

``language_of`` turns a Discord locale (``Guild.preferred_locale``, an interaction's
``guild_locale``: "fr", "de", "es-ES", "es-419", "en-GB" …) into one of ``LANGUAGES``, English
where Discord gives none or one we have no words for. ``words(language)`` is that language's
``Wording``: the embed's headings and footer, and the failure lines. The article's own text
(its summary, quotes and headlines) is never translated. A ``DigestError``'s reason is said
in the server's language where the summariser gives it by key (``summariser.errors.REASONS``,
``reason``), with its numbers written as the language writes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from summariser.errors import DigestError, Value

DEFAULT = "en"


@dataclass(frozen=True, slots=True)
class Wording:
    """Every word the bot itself writes in a digest reply, in one language."""

    digest: str  # the embed's title when the article has none
    generated: str  # over an abstractive summary
    key_quotes: str
    related: str
    earlier: str
    words: str  # "{before} words → {after} words"
    shorter: str  # "{percent}% shorter"
    couldnt_digest: str  # "Couldn't digest {label}: {why}"
    left_out: str  # "I digested the first {taken} links; {left_out} more were left out."
    failures: dict[str, str]  # DigestError kind -> line, with {reason}
    reasons: dict[str, str]  # REASONS key -> its words here, the same values (English: none)
    busy: str
    restarting: str
    unavailable: str
    internal: str
    nothing: str
    pasted: str  # how a reply names pasted text ("pasted text")
    # an expired interaction's answer in its channel, a digest or why there is none:
    # "{user}, here is …"
    asked_for: str


_EN = Wording(
    digest="Article digest",
    generated="AI-written summary",
    key_quotes="Key quotes",
    related="Related headlines",
    earlier="Earlier in this server",
    words="{before} words → {after} words",
    shorter="{percent}% shorter",
    couldnt_digest="Couldn't digest {label}: {why}",
    left_out="I digested the first {taken} links; {left_out} more were left out.",
    failures={
        "empty": "there's nothing to summarise there",
        "unsupported": "{reason}; I can read links, pasted text and .txt files",
        "bad_url": "{reason}",
        "blocked": "that link points to a private or local network address, so I won't open it",
        "unreachable": "I couldn't reach the site: {reason}",
        "refused": "the site refused us: {reason}",
        "content_type": "{reason}",
        "too_large": "too large to read: {reason}",
        "not_article": "I couldn't find an article there (a login wall, paywall or video page?)",
        "too_short": "that's too short to summarise: it's already brief",
        "too_long": "that's too long for me to summarise: {reason}",
        "model": "the summariser isn't available right now; the admins have been told",
        "not_feed": "{reason}",
    },
    reasons={},
    busy="I'm busy right now; please try again in a minute.",
    restarting="I'm restarting; please try again in a minute.",
    unavailable="I'm temporarily unavailable; please try again in a minute.",
    internal="something went wrong on my side; it's been logged.",
    nothing="There's nothing to summarise here: no article link, pasted article or .txt file.",
    pasted="pasted text",
    asked_for="{user}, here is the answer to what you asked for.",
)

_FR = Wording(
    digest="Résumé de l’article",
    generated="Résumé rédigé par une IA",
    key_quotes="Citations clés",
    related="Articles liés",
    earlier="Déjà sur ce serveur",
    words="{before} mots → {after} mots",
    shorter="{percent} % plus court",
    couldnt_digest="Impossible de résumer {label} : {why}",
    left_out="J’ai résumé les {taken} premiers liens ; {left_out} de plus ont été laissés de "
             "côté.",
    failures={
        "empty": "il n’y a rien à résumer",
        "unsupported": "{reason} ; je lis les liens, le texte collé et les fichiers .txt",
        "bad_url": "{reason}",
        "blocked": "ce lien mène à une adresse de réseau privé ou local : je ne l’ouvre pas",
        "unreachable": "je n’ai pas pu joindre le site : {reason}",
        "refused": "le site a refusé : {reason}",
        "content_type": "{reason}",
        "too_large": "trop volumineux pour être lu : {reason}",
        "not_article": "je n’y trouve pas d’article (page de connexion, paywall ou vidéo ?)",
        "too_short": "c’est trop court pour être résumé : c’est déjà bref",
        "too_long": "c’est trop long pour que je le résume : {reason}",
        "model": "le résumeur est indisponible pour le moment ; les admins sont prévenus",
        "not_feed": "{reason}",
    },
    reasons={
        "unsupported.no_file": "fichier introuvable : {path}",
        "unsupported.binary_file": "ce fichier n’est pas du texte (données binaires)",
        "unsupported.not_utf8": "ce fichier n’est pas du texte UTF-8",
        "unsupported.binary_text": "ce n’est pas du texte (il contient des données binaires)",
        "unsupported.binary_page": "cette page n’est pas du texte (elle contient des données "
                                   "binaires)",
        "unsupported.charset": "la page utilise un jeu de caractères que je ne sais pas lire "
                               "({charset})",
        "bad_url.malformed": "cela ne ressemble pas à une adresse web",
        "bad_url.scheme": "je ne lis que les liens http et https (reçu : {scheme})",
        "bad_url.no_host": "cette adresse web n’a pas de nom de site",
        "bad_url.no_scheme": "cela ressemble à une adresse web : donnez-la avec https:// devant",
        "bad_url.credentials": "je ne lis pas un lien avec un identifiant ou un mot de passe",
        "unreachable.no_site": "site introuvable : « {host} »",
        "unreachable.slow_lookup": "la recherche de « {host} » a pris trop de temps",
        "unreachable.timeout": "le site a mis trop de temps à répondre",
        "unreachable.broken": "le site a envoyé une réponse cassée ou incomplète",
        "unreachable.overlong": "le site a envoyé une réponse cassée (plus de données "
                                "qu’annoncé)",
        "unreachable.corrupt": "le site a envoyé une page compressée corrompue",
        "unreachable.connect": "impossible de joindre {host}",
        "unreachable.attachment": "impossible de télécharger le fichier ; réessayez",
        "refused.redirects": "le lien redirige trop de fois",
        "refused.login": "le site demande une connexion",
        "refused.forbidden": "le site ne nous laisse pas le lire",
        "refused.not_found": "la page est introuvable (404)",
        "refused.gone": "la page n’existe plus (410)",
        "refused.rate_limited": "le site limite nos requêtes ; réessayez plus tard",
        "refused.status": "le site a répondu par une erreur ({status})",
        "content_type.not_page": "ce lien n’est pas une page web ({media})",
        "content_type.not_feed": "ce lien n’est pas un flux ({media})",
        "content_type.compression": "le site a envoyé la page dans une compression que je ne sais "
                                    "pas lire ({coding})",
        "too_large.page": "la page dépasse {limit} Mo",
        "too_large.file": "le fichier dépasse {limit} Mo",
        "too_large.feed": "le flux dépasse {limit} Mo",
        "too_large.markup": "cette page a {size} Mo de balisage hors scripts et styles ; la "
                            "limite est de {limit} Mo",
        "too_long.characters": "cela fait {count} caractères ; la limite est de {limit}",
        "too_long.words": "cela fait {count} mots ; la limite est de {limit}",
        "too_long.generated": "le résumeur {model} n’a pas pu le raccourcir en {passes} passes",
        "not_feed.not_feed": "ce lien n’est pas un flux RSS ou Atom",
    },
    busy="Je suis occupé ; réessayez dans une minute.",
    restarting="Je redémarre ; réessayez dans une minute.",
    unavailable="Je suis momentanément indisponible ; réessayez dans une minute.",
    internal="un problème est survenu de mon côté ; il a été consigné.",
    nothing="Rien à résumer ici : ni lien vers un article, ni article collé, ni fichier .txt.",
    pasted="le texte collé",
    asked_for="{user}, voici la réponse à votre demande.",
)

_DE = Wording(
    digest="Artikelzusammenfassung",
    generated="KI-geschriebene Zusammenfassung",
    key_quotes="Wichtige Zitate",
    related="Verwandte Schlagzeilen",
    earlier="Früher auf diesem Server",
    words="{before} Wörter → {after} Wörter",
    shorter="{percent} % kürzer",
    couldnt_digest="{label} konnte nicht zusammengefasst werden: {why}",
    left_out="Ich habe die ersten {taken} Links zusammengefasst; {left_out} weitere habe ich "
             "ausgelassen.",
    failures={
        "empty": "dort gibt es nichts zusammenzufassen",
        "unsupported": "{reason}; ich lese Links, eingefügten Text und .txt-Dateien",
        "bad_url": "{reason}",
        "blocked": "dieser Link führt zu einer privaten oder lokalen Netzwerkadresse; ich öffne "
                   "ihn nicht",
        "unreachable": "ich konnte die Seite nicht erreichen: {reason}",
        "refused": "die Seite hat abgelehnt: {reason}",
        "content_type": "{reason}",
        "too_large": "zu groß zum Lesen: {reason}",
        "not_article": "dort finde ich keinen Artikel (Anmeldung, Paywall oder Videoseite?)",
        "too_short": "das ist zu kurz zum Zusammenfassen: es ist schon knapp",
        "too_long": "das ist zu lang zum Zusammenfassen: {reason}",
        "model": "die Zusammenfassung ist gerade nicht verfügbar; die Admins wissen Bescheid",
        "not_feed": "{reason}",
    },
    reasons={
        "unsupported.no_file": "Datei nicht gefunden: {path}",
        "unsupported.binary_file": "diese Datei ist kein Text (Binärdaten)",
        "unsupported.not_utf8": "diese Datei ist kein UTF-8-Text",
        "unsupported.binary_text": "das ist kein Text (es enthält Binärdaten)",
        "unsupported.binary_page": "diese Seite ist kein Text (sie enthält Binärdaten)",
        "unsupported.charset": "die Seite nutzt einen Zeichensatz, den ich nicht lesen kann "
                               "({charset})",
        "bad_url.malformed": "das sieht nicht wie eine Webadresse aus",
        "bad_url.scheme": "ich lese nur http- und https-Links (erhalten: {scheme})",
        "bad_url.no_host": "diese Webadresse hat keinen Seitennamen",
        "bad_url.no_scheme": "das sieht nach einer Webadresse aus: bitte mit https:// davor",
        "bad_url.credentials": "ein Link mit Benutzername oder Passwort wird nicht gelesen",
        "unreachable.no_site": "die Seite „{host}“ wurde nicht gefunden",
        "unreachable.slow_lookup": "die Suche nach „{host}“ hat zu lange gedauert",
        "unreachable.timeout": "die Seite hat zu lange nicht geantwortet",
        "unreachable.broken": "die Seite hat eine fehlerhafte oder unvollständige Antwort "
                              "geschickt",
        "unreachable.overlong": "die Seite hat eine fehlerhafte Antwort geschickt (mehr Daten "
                                "als angekündigt)",
        "unreachable.corrupt": "die Seite hat eine beschädigte komprimierte Seite geschickt",
        "unreachable.connect": "{host} ist nicht erreichbar",
        "unreachable.attachment": "die Datei ließ sich nicht herunterladen; bitte noch einmal",
        "refused.redirects": "der Link leitet zu oft weiter",
        "refused.login": "die Seite verlangt eine Anmeldung",
        "refused.forbidden": "die Seite lässt uns sie nicht lesen",
        "refused.not_found": "die Seite wurde nicht gefunden (404)",
        "refused.gone": "die Seite gibt es nicht mehr (410)",
        "refused.rate_limited": "die Seite drosselt unsere Anfragen; versuche es später",
        "refused.status": "die Seite hat mit einem Fehler geantwortet ({status})",
        "content_type.not_page": "dieser Link ist keine Webseite ({media})",
        "content_type.not_feed": "dieser Link ist kein Feed ({media})",
        "content_type.compression": "die Seite kam in einer Kompression, die ich nicht lesen "
                                    "kann ({coding})",
        "too_large.page": "die Seite ist größer als {limit} MB",
        "too_large.file": "die Datei ist größer als {limit} MB",
        "too_large.feed": "der Feed ist größer als {limit} MB",
        "too_large.markup": "diese Seite hat {size} MB Markup ohne Skripte und Styles; die "
                            "Grenze ist {limit} MB",
        "too_long.characters": "das sind {count} Zeichen; die Grenze ist {limit}",
        "too_long.words": "das sind {count} Wörter; die Grenze ist {limit}",
        "too_long.generated": "der {model}-Zusammenfasser konnte es in {passes} Durchgängen "
                              "nicht kürzen",
        "not_feed.not_feed": "dieser Link ist kein RSS- oder Atom-Feed",
    },
    busy="Ich bin gerade beschäftigt; bitte versuch es in einer Minute noch einmal.",
    restarting="Ich starte neu; bitte versuch es in einer Minute noch einmal.",
    unavailable="Ich bin vorübergehend nicht verfügbar; bitte versuch es in einer Minute noch "
                "einmal.",
    internal="bei mir ist etwas schiefgegangen; es wurde protokolliert.",
    nothing="Hier gibt es nichts zusammenzufassen: kein Artikellink, kein eingefügter Artikel, "
            "keine .txt-Datei.",
    pasted="Der eingefügte Text",
    asked_for="{user}, hier ist die Antwort auf deine Anfrage.",
)

_ES = Wording(
    digest="Resumen del artículo",
    generated="Resumen escrito por IA",
    key_quotes="Citas clave",
    related="Titulares relacionados",
    earlier="Antes en este servidor",
    words="{before} palabras → {after} palabras",
    shorter="{percent} % más corto",
    couldnt_digest="No pude resumir {label}: {why}",
    left_out="Resumí los primeros {taken} enlaces; dejé fuera {left_out} más.",
    failures={
        "empty": "no hay nada que resumir",
        "unsupported": "{reason}; leo enlaces, texto pegado y archivos .txt",
        "bad_url": "{reason}",
        "blocked": "ese enlace apunta a una dirección de red privada o local, así que no lo abro",
        "unreachable": "no pude conectar con el sitio: {reason}",
        "refused": "el sitio nos rechazó: {reason}",
        "content_type": "{reason}",
        "too_large": "demasiado grande para leerlo: {reason}",
        "not_article": "no encontré un artículo ahí (¿inicio de sesión, muro de pago o vídeo?)",
        "too_short": "es demasiado corto para resumirlo: ya es breve",
        "too_long": "es demasiado largo para resumirlo: {reason}",
        "model": "el resumidor no está disponible ahora; ya se avisó a los administradores",
        "not_feed": "{reason}",
    },
    reasons={
        "unsupported.no_file": "no existe el archivo: {path}",
        "unsupported.binary_file": "ese archivo no es texto (datos binarios)",
        "unsupported.not_utf8": "ese archivo no es texto UTF-8",
        "unsupported.binary_text": "eso no es texto (contiene datos binarios)",
        "unsupported.binary_page": "esa página no es texto (contiene datos binarios)",
        "unsupported.charset": "la página usa un juego de caracteres que no sé leer ({charset})",
        "bad_url.malformed": "eso no parece una dirección web",
        "bad_url.scheme": "solo leo enlaces http y https (recibido: {scheme})",
        "bad_url.no_host": "esa dirección web no tiene nombre de sitio",
        "bad_url.no_scheme": "parece una dirección web: escríbela con https:// delante",
        "bad_url.credentials": "no leo enlaces con un usuario o una contraseña",
        "unreachable.no_site": "no encontré el sitio «{host}»",
        "unreachable.slow_lookup": "buscar «{host}» tardó demasiado",
        "unreachable.timeout": "el sitio tardó demasiado en responder",
        "unreachable.broken": "el sitio envió una respuesta rota o incompleta",
        "unreachable.overlong": "el sitio envió una respuesta rota (más datos de los anunciados)",
        "unreachable.corrupt": "el sitio envió una página comprimida dañada",
        "unreachable.connect": "no pude conectar con {host}",
        "unreachable.attachment": "no pude descargar el archivo; inténtalo de nuevo",
        "refused.redirects": "el enlace redirige demasiadas veces",
        "refused.login": "el sitio pide iniciar sesión",
        "refused.forbidden": "el sitio no nos deja leerlo",
        "refused.not_found": "no se encontró la página (404)",
        "refused.gone": "la página ya no existe (410)",
        "refused.rate_limited": "el sitio está limitando nuestras peticiones; inténtalo más tarde",
        "refused.status": "el sitio respondió con un error ({status})",
        "content_type.not_page": "ese enlace no es una página web ({media})",
        "content_type.not_feed": "ese enlace no es un feed ({media})",
        "content_type.compression": "el sitio envió la página con una compresión que no sé leer "
                                    "({coding})",
        "too_large.page": "la página ocupa más de {limit} MB",
        "too_large.file": "el archivo ocupa más de {limit} MB",
        "too_large.feed": "el feed ocupa más de {limit} MB",
        "too_large.markup": "esa página tiene {size} MB de marcado sin contar scripts ni "
                            "estilos; el límite es {limit} MB",
        "too_long.characters": "son {count} caracteres; el límite es {limit}",
        "too_long.words": "son {count} palabras; el límite es {limit}",
        "too_long.generated": "el resumidor {model} no pudo acortarlo en {passes} pasadas",
        "not_feed.not_feed": "ese enlace no es un feed RSS ni Atom",
    },
    busy="Estoy ocupado; inténtalo de nuevo en un minuto.",
    restarting="Me estoy reiniciando; inténtalo de nuevo en un minuto.",
    unavailable="No estoy disponible por el momento; inténtalo de nuevo en un minuto.",
    internal="algo falló por mi parte; quedó registrado.",
    nothing="No hay nada que resumir aquí: ni enlace a un artículo, ni artículo pegado, ni "
            "archivo .txt.",
    pasted="el texto pegado",
    asked_for="{user}, aquí está la respuesta a lo que pediste.",
)

LANGUAGES: dict[str, Wording] = {"en": _EN, "fr": _FR, "de": _DE, "es": _ES}


@dataclass(frozen=True, slots=True)
class CommandWording:
    """The answers of ``/autodigest`` and ``/feeds`` and ``/summarise``'s option errors, in
    one language. A feed's title and address stay as they are; why a fetch failed is said by
    ``reason`` (``stored_reason_in`` for a feed's last failure)."""

    manage_server: str  # the user lacks the Manage Server permission
    unsaved: str  # the database was busy
    auto_now: str  # "Automatic digests are now **{state}** in {channel}."
    auto_is: str  # "Automatic digests are **{state}** in {channel}."
    on: str
    off: str
    feed_address: str  # the url is no http(s) address
    already: str  # "Already following <{url}>."
    couldnt_follow: str  # "I couldn't follow <{url}>: {why}."
    following: str  # "Following {name}<{url}>: {so_far}. …"
    so_far: str  # "{headlines} so far"
    arriving: str  # scaled mode: the headlines come later
    headlines: tuple[str, str]  # "{count} headline", "{count} headlines"
    stopped: str  # "Stopped following <{url}>."
    not_followed: str  # "This server doesn't follow <{url}>."
    unreadable: str  # the feeds could not be read
    none_followed: str
    untitled: str
    failing: str  # " (failing: {error})"
    full: str  # "This server already follows {count} feeds, the most it can …"
    one_option: str  # /summarise: not exactly one of url, text, file
    not_a_link: str  # /summarise url: no article link
    attach_txt: str  # /summarise file: not a .txt file


_EN_COMMANDS = CommandWording(
    manage_server="You need the Manage Server permission to change this.",
    unsaved="I couldn't save that just now (the database is busy); nothing changed. Please try "
            "again in a minute.",
    auto_now="Automatic digests are now **{state}** in {channel}.",
    auto_is="Automatic digests are **{state}** in {channel}.",
    on="on", off="off",
    feed_address="Give the feed's http or https address.",
    already="Already following <{url}>.",
    couldnt_follow="I couldn't follow <{url}>: {why}.",
    following="Following {name}<{url}>: {so_far}. Digests in this server will suggest the ones "
              "about the same story.",
    so_far="{headlines} so far",
    arriving="its headlines arrive within a minute",
    headlines=("{count} headline", "{count} headlines"),
    stopped="Stopped following <{url}>.",
    not_followed="This server doesn't follow <{url}>.",
    unreadable="I couldn't read the feeds just now; try again in a minute.",
    none_followed="This server follows no feeds. Add one with `/feeds add url:`.",
    untitled="(untitled)",
    failing=" (failing: {error})",
    full="This server already follows {count} feeds, the most it can; remove one first.",
    one_option="Give exactly one of `url`, `text` or `file`.",
    not_a_link="That doesn't look like an article link (http or https, not an image or video).",
    attach_txt="Attach a `.txt` file with the article's text.",
)

_FR_COMMANDS = CommandWording(
    manage_server="Il faut la permission Gérer le serveur pour changer cela.",
    unsaved="Je n’ai pas pu l’enregistrer (la base de données est occupée) ; rien n’a changé. "
            "Réessayez dans une minute.",
    auto_now="Les résumés automatiques sont maintenant **{state}** dans {channel}.",
    auto_is="Les résumés automatiques sont **{state}** dans {channel}.",
    on="activés", off="désactivés",
    feed_address="Donnez l’adresse http ou https du flux.",
    already="Ce serveur suit déjà <{url}>.",
    couldnt_follow="Je n’ai pas pu suivre <{url}> : {why}.",
    following="Ce serveur suit {name}<{url}> : {so_far}. Ses résumés proposeront les titres sur "
              "le même sujet.",
    so_far="{headlines} pour l’instant",
    arriving="ses titres arrivent d’ici une minute",
    headlines=("{count} titre", "{count} titres"),
    stopped="Ce serveur ne suit plus <{url}>.",
    not_followed="Ce serveur ne suit pas <{url}>.",
    unreadable="Je n’ai pas pu lire les flux ; réessayez dans une minute.",
    none_followed="Ce serveur ne suit aucun flux. Ajoutez-en un avec `/feeds add url:`.",
    untitled="(sans titre)",
    failing=" (en échec : {error})",
    full="Ce serveur suit déjà {count} flux, le maximum ; retirez-en un d’abord.",
    one_option="Donnez une seule option parmi `url`, `text` et `file`.",
    not_a_link="Ce n’est pas un lien vers un article (http ou https, ni image ni vidéo).",
    attach_txt="Joignez un fichier `.txt` avec le texte de l’article.",
)

_DE_COMMANDS = CommandWording(
    manage_server="Dafür brauchst du die Berechtigung „Server verwalten“.",
    unsaved="Das konnte ich gerade nicht speichern (die Datenbank ist ausgelastet); nichts "
            "wurde geändert. Bitte versuch es in einer Minute noch einmal.",
    auto_now="Automatische Zusammenfassungen sind jetzt **{state}** in {channel}.",
    auto_is="Automatische Zusammenfassungen sind **{state}** in {channel}.",
    on="an", off="aus",
    feed_address="Gib die http- oder https-Adresse des Feeds an.",
    already="Dieser Server folgt <{url}> schon.",
    couldnt_follow="Ich konnte <{url}> nicht folgen: {why}.",
    following="Dieser Server folgt jetzt {name}<{url}>: {so_far}. Zusammenfassungen hier "
              "schlagen die Schlagzeilen zur selben Geschichte vor.",
    so_far="bisher {headlines}",
    arriving="die Schlagzeilen kommen innerhalb einer Minute",
    headlines=("{count} Schlagzeile", "{count} Schlagzeilen"),
    stopped="Dieser Server folgt <{url}> nicht mehr.",
    not_followed="Dieser Server folgt <{url}> nicht.",
    unreadable="Ich konnte die Feeds gerade nicht lesen; versuch es in einer Minute noch einmal.",
    none_followed="Dieser Server folgt keinem Feed. Füge einen mit `/feeds add url:` hinzu.",
    untitled="(ohne Titel)",
    failing=" (fehlerhaft: {error})",
    full="Dieser Server folgt schon {count} Feeds, dem Maximum; entferne zuerst einen.",
    one_option="Gib genau eine der Optionen `url`, `text` oder `file` an.",
    not_a_link="Das sieht nicht nach einem Artikellink aus (http oder https, kein Bild, kein "
               "Video).",
    attach_txt="Hänge eine `.txt`-Datei mit dem Text des Artikels an.",
)

_ES_COMMANDS = CommandWording(
    manage_server="Necesitas el permiso Gestionar servidor para cambiar esto.",
    unsaved="No pude guardarlo ahora (la base de datos está ocupada); no cambió nada. "
            "Inténtalo de nuevo en un minuto.",
    auto_now="Los resúmenes automáticos ahora están **{state}** en {channel}.",
    auto_is="Los resúmenes automáticos están **{state}** en {channel}.",
    on="activados", off="desactivados",
    feed_address="Indica la dirección http o https del feed.",
    already="Este servidor ya sigue <{url}>.",
    couldnt_follow="No pude seguir <{url}>: {why}.",
    following="Este servidor sigue {name}<{url}>: {so_far}. Los resúmenes de aquí sugerirán "
              "los titulares sobre la misma noticia.",
    so_far="{headlines} por ahora",
    arriving="sus titulares llegan en un minuto",
    headlines=("{count} titular", "{count} titulares"),
    stopped="Este servidor ya no sigue <{url}>.",
    not_followed="Este servidor no sigue <{url}>.",
    unreadable="No pude leer los feeds ahora; inténtalo de nuevo en un minuto.",
    none_followed="Este servidor no sigue ningún feed. Añade uno con `/feeds add url:`.",
    untitled="(sin título)",
    failing=" (con fallos: {error})",
    full="Este servidor ya sigue {count} feeds, el máximo; quita uno primero.",
    one_option="Indica exactamente una opción: `url`, `text` o `file`.",
    not_a_link="Eso no parece un enlace a un artículo (http o https, ni imagen ni vídeo).",
    attach_txt="Adjunta un archivo `.txt` con el texto del artículo.",
)

COMMANDS: dict[str, CommandWording] = {
    "en": _EN_COMMANDS, "fr": _FR_COMMANDS, "de": _DE_COMMANDS, "es": _ES_COMMANDS}


def command_words(language: str = DEFAULT) -> CommandWording:
    """The ``/autodigest`` and ``/feeds`` answers of ``language``, English if unknown."""
    return COMMANDS.get(language, _EN_COMMANDS)


def headlines(count: int, language: str = DEFAULT) -> str:
    """"1 headline", "3 titres": ``count`` headlines in ``language``."""
    one, many = command_words(language).headlines
    return (one if count == 1 else many).format(count=number(count, language))


def interaction_language(interaction: object) -> str:
    """The language of an interaction's server (its ``guild_locale``), else of its user."""
    return language_of(getattr(interaction, "guild_locale", None)
                       or getattr(interaction, "locale", None))


def language_of(locale: object) -> str:
    """One of ``LANGUAGES`` for a Discord locale ("fr", "es-419", ``discord.Locale.german``),
    English for None or a language we have no words for."""
    value = str(getattr(locale, "value", locale) or "")
    code = value.split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT


def words(language: str = DEFAULT) -> Wording:
    """The wording of ``language`` (a code from ``language_of``), English if unknown."""
    return LANGUAGES.get(language, _EN)


def reason(error: DigestError, language: str = DEFAULT) -> str:
    """The reason ``error`` gives, in ``language`` where it is one of ``REASONS`` we have words
    for ("cela fait 70 000 mots ; la limite est de 60 000"), else as the summariser words it."""
    template = words(language).reasons.get(error.key)
    if template is None:
        return error.reason
    return template.format(**{name: _shown(value, language)
                              for name, value in error.values.items()})


def stored_reason(error: DigestError) -> str:
    """``error``'s reason as storage keeps it (a feed's last failure): its English words with
    its key and values, so that ``stored_reason_in`` can say it in any server's language."""
    return json.dumps({"reason": error.reason, "key": error.key, "values": error.values},
                      ensure_ascii=False)


def stored_reason_in(stored: str, language: str = DEFAULT) -> str:
    """A reason ``stored_reason`` kept, in ``language``; one stored as plain words (before
    reasons were kept with their key) as it is."""
    try:
        kept = json.loads(stored)
        error = DigestError(str(kept["reason"]), key=str(kept.get("key") or ""),
                            values=dict(kept.get("values") or {}))
    except (ValueError, TypeError, KeyError, AttributeError):
        return stored
    return reason(error, language)


def _shown(value: Value, language: str) -> str:
    """A reason's value as ``language`` writes it: 12 345 / 12.345, 3,2."""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return number(value, language)
    shown = f"{value:.1f}"
    return shown if language == DEFAULT else shown.replace(".", ",")


def number(value: int, language: str = DEFAULT) -> str:
    """``value`` grouped by thousands as ``language`` writes it: 12,345 / 12 345 / 12.345."""
    grouped = f"{value:,}"
    if language == "fr":
        return grouped.replace(",", "\u202f")
    if language in ("de", "es"):
        return grouped.replace(",", ".")
    return grouped
