"""Digest -> Discord embeds, within every Discord limit. Pure: no I/O, no network.

Limits (Discord's documentation, "Embed Limits"): title 256, description 4096, field name 256,
field value 1024, footer 2048, author name 256, 25 fields, 6000 characters across all embeds of
a message, 10 embeds per message. Text is trimmed at sentence or word boundaries, never mid-word.
"""

from __future__ import annotations

import re

import discord

from bot.locale import DEFAULT, number, words
from summariser.models import Digest, Headline

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_MAX = 256
MESSAGE_TOTAL_MAX = 6000
EMBEDS_MAX = 10
CONTENT_MAX = 2000
# Links longer than these are not shown as links: a headline's link inside a field (1,024
# characters) would be cut mid-link, and the field's other headlines dropped with it; Discord
# is reported to refuse an embed whose link passes 2,048 characters (and with it the digest).
HEADLINE_LINK_MAX = 512
EMBED_URL_MAX = 2048
COLOUR = discord.Colour(0x2B6CB0)
ABSTRACTIVE_COLOUR = discord.Colour(0x9F7AEA)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+")


def trim(text: str, limit: int, ellipsis: str = "…") -> str:
    """``text`` cut to ``limit`` characters at a sentence end, else a word end, marked with …"""
    text = text.strip()
    if len(text) <= limit:
        return text
    room = limit - len(ellipsis)
    window = text[: room + 1]
    ends = [m.start() for m in _SENTENCE_END.finditer(window) if m.start() <= room]
    if ends and ends[-1] > room // 2:
        return window[: ends[-1]].rstrip() + " " + ellipsis
    cut = window.rfind(" ")
    if cut <= 0:
        return text[:room] + ellipsis
    return window[:cut].rstrip(" ,;:") + ellipsis


def _escape(text: str) -> str:
    return discord.utils.escape_markdown(text, as_needed=True)


def _lines_within(lines: list[str], limit: int, separator: str = "\n") -> str:
    """As many whole lines as fit in ``limit``; a first line that alone is too long is trimmed."""
    out: list[str] = []
    used = 0
    for line in lines:
        extra = len(line) + (len(separator) if out else 0)
        if used + extra > limit:
            if not out:
                out.append(trim(line, limit))
            break
        out.append(line)
        used += extra
    return separator.join(out)


def _headline_line(headline: Headline) -> str:
    title = _escape(trim(headline.title, 200)).replace("[", "(").replace("]", ")")
    linked = headline.url and len(headline.url) <= HEADLINE_LINK_MAX
    line = f"• [{title}]({headline.url})" if linked else f"• {title}"
    if headline.origin == "feed" and headline.site:
        line += f" — {_escape(trim(headline.site, 60))}"
    return line


def footer_text(digest: Digest, language: str = DEFAULT) -> str:
    """An embed's footer: words before and after, reduction, method and time, in
    ``language`` (``bot.locale``)."""
    wording = words(language)
    parts = [
        wording.words.format(before=number(digest.words, language),
                             after=number(digest.summary_words, language)),
        wording.shorter.format(percent=digest.reduction),
        digest.method,
        f"{digest.elapsed_ms / 1000:.1f} s",
    ]
    return " · ".join(parts)


def header_line(digest: Digest) -> str:
    """The embed's header: the site, the author and the date the page gives ("News · Jane
    Doe · 2026-11-20"); empty when it gives none."""
    return " · ".join(part for part in (digest.site, digest.author, digest.date) if part)


def digest_embed(digest: Digest, budget: int = MESSAGE_TOTAL_MAX,
                 language: str = DEFAULT) -> discord.Embed:
    """One embed for one digest, using at most ``budget`` characters in all; the bot's own
    words in ``language`` (the server's, ``bot.locale``), the article's as written."""
    wording = words(language)
    title = trim(digest.title or wording.digest, TITLE_MAX)
    footer = trim(footer_text(digest, language), FOOTER_MAX)
    author = trim(header_line(digest), AUTHOR_MAX) or None
    heading = f"{wording.generated}\n" if digest.abstractive else ""
    fixed = len(title) + len(footer) + len(author or "") + len(heading)

    quotes = [
        f"> “{_escape(q.text)}”" + (f" — {_escape(q.speaker)}" if q.speaker else "")
        for q in digest.quotes
    ]
    page = [_headline_line(h) for h in digest.related if h.origin != "earlier"]
    earlier = [_headline_line(h) for h in digest.related if h.origin == "earlier"]
    fields = [
        (wording.key_quotes, quotes),
        (wording.related, page),
        (wording.earlier, earlier),
    ]
    # The summary gets what the budget leaves after the fields, and at least half of it.
    field_room = max(0, budget - fixed) // 2
    field_values: list[tuple[str, str]] = []
    for name, lines in fields:
        if not lines:
            continue
        value = _lines_within(lines, min(FIELD_MAX, field_room))
        if value:
            field_values.append((name, value))
            field_room -= len(name) + len(value)
    used = fixed + sum(len(n) + len(v) for n, v in field_values)
    bullets = [f"• {_escape(s)}" for s in digest.summary]
    notes = "".join(f"\n-# {_escape(note)}" for note in digest.notes)  # small grey text
    room = min(DESCRIPTION_MAX, budget - used) - len(heading)
    if len(notes) > room // 3:
        notes = ""
    description = heading + _lines_within(bullets, room - len(notes)) + notes

    embed = discord.Embed(
        title=title,
        url=digest.url if digest.url and len(digest.url) <= EMBED_URL_MAX else None,
        description=description,
        colour=ABSTRACTIVE_COLOUR if digest.abstractive else COLOUR,
    )
    if author:
        embed.set_author(name=author)
    for name, value in field_values:
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text=footer)
    return embed


def digest_embeds(digests: list[Digest], language: str = DEFAULT) -> list[discord.Embed]:
    """Embeds for up to 10 digests that fit together in one message."""
    digests = digests[:EMBEDS_MAX]
    if not digests:
        return []
    budget = MESSAGE_TOTAL_MAX // len(digests)
    return [digest_embed(d, budget, language) for d in digests]


def embeds_length(embeds: list[discord.Embed]) -> int:
    """Characters the embeds count against Discord's 6,000 per message."""
    return sum(len(e) for e in embeds)
