"""What in a message asks for a digest: links, pasted text, .txt attachments. No Discord types.

The cogs turn discord.py objects into the plain values of ``bot.models`` and back; this module
decides.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

import courlan

from bot.models import AttachmentInfo, FileRequest, Request, TextRequest, UrlRequest

_URL = re.compile(r"<?(https?://[^\s<>]+)>?", re.IGNORECASE)
_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|@everyone|@here")
_CODE_BLOCK = re.compile(r"```.*?```", re.DOTALL)
_TRAILING = ".,;:!?'\"”’)]}>"
_MEDIA_EXTENSIONS = (
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".mp4", ".mov", ".webm", ".mkv",
    ".avi", ".mp3", ".wav", ".ogg", ".flac", ".m4a", ".zip", ".exe", ".dmg", ".apk",
)
_MEDIA_HOSTS = (
    "youtube.com", "youtu.be", "vimeo.com", "tiktok.com", "twitch.tv", "giphy.com", "tenor.com",
    "imgur.com", "i.redd.it", "v.redd.it", "cdn.discordapp.com", "media.discordapp.net",
    "discord.com", "discord.gg", "instagram.com", "open.spotify.com", "soundcloud.com",
    "dailymotion.com", "streamable.com", "gfycat.com",
)
EXPLICIT_MIN_WORDS = 25  # a mention or DM with fewer words is chat, not an article


def normalise_url(url: str) -> str:
    """Canonical form for caching: lower-case host, default port dropped, no fragment, no
    tracking parameters (``courlan``, which trafilatura already uses). A URL courlan cannot
    parse is kept as it is: the fetcher refuses it with a clear reason."""
    try:
        return urldefrag(courlan.normalize_url(url.strip())).url
    except ValueError:
        return url.strip()


def is_media_link(url: str) -> bool:
    """Is ``url`` an image, video, audio or app link rather than an article?"""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if any(host == h or host.endswith("." + h) for h in _MEDIA_HOSTS):
        return True
    return parts.path.lower().endswith(_MEDIA_EXTENSIONS)


def find_links(content: str) -> list[str]:
    """Article links in message text, in order, de-duplicated, media and code blocks skipped."""
    text = _CODE_BLOCK.sub(" ", content)
    links: list[str] = []
    for match in _URL.finditer(text):
        url = match.group(1).rstrip(_TRAILING)
        if not url or is_media_link(url):
            continue
        normal = normalise_url(url)
        if normal not in links:
            links.append(normal)
    return links


def strip_mentions(content: str) -> str:
    """``content`` without user, role and channel mentions or @everyone/@here."""
    return _MENTION.sub(" ", content).strip()


_TERMINATOR = re.compile(r"[.!?]")
READ_LIKE_CHARS = 20_000  # judging a paste needs its opening, not all of it


def reads_like_article(text: str, min_words: int) -> bool:
    """Long enough, mostly running prose in sentences: not a code dump, a list or a chat rant.

    Looks at the first ``READ_LIKE_CHARS`` characters only, in one linear pass: it runs on the
    event loop for every message in an auto-digest channel.
    """
    text = text[:READ_LIKE_CHARS]
    words = text.split()
    if len(words) < min_words or "```" in text:
        return False
    # Sentences: runs of text that end in a terminator (the piece after the last one does not).
    lengths = [len(piece.split()) for piece in _TERMINATOR.split(text)[:-1] if piece]
    if len(lengths) < 4:
        return False
    mean = sum(lengths) / len(lengths)
    letters = sum(c.isalpha() for c in text) / max(1, len(text))
    return 8 <= mean <= 60 and letters > 0.6


def requests_from_message(
    content: str,
    attachments: list[AttachmentInfo],
    *,
    explicit: bool,
    min_paste_words: int = 150,
    max_links: int = 3,
) -> tuple[list[Request], int]:
    """The digests a message asks for, and how many links were left out over ``max_links``.

    ``explicit``: the user asked (mention, DM, context menu), so any text of a few sentences
    counts and the summariser judges it; otherwise (an auto-digest channel) pasted text must
    read like an article.
    """
    requests: list[Request] = [UrlRequest(url) for url in find_links(content)]
    requests += [FileRequest(a) for a in attachments if a.readable]
    if not requests:
        text = strip_mentions(_CODE_BLOCK.sub(" ", content) if not explicit else content)
        wanted = len(text.split()) >= EXPLICIT_MIN_WORDS if explicit else reads_like_article(
            text, min_paste_words)
        if wanted:
            requests.append(TextRequest(text))
    left_out = max(0, len(requests) - max_links)
    return requests[:max_links], left_out
