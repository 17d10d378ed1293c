"""'Earlier in this server': earlier digests of the same story, from the server's history.

What a digest is about is its story text (its title and first three summary sentences) and
that text's vector. The bot stores both with the digest's headline (``Store.remember``) and, for
the next digest in the same server, adds up to two earlier headlines whose stories match
(``summariser.headlines.same_story``: the same-story judge at its "earlier" threshold). Runs
where the digest is made (a worker process), on the summariser's plain ``encode()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from bot.models import StoryPrint
from summariser.digest import Digester
from summariser.headlines import same_story
from summariser.models import Digest, Headline
from summariser.story import digest_story

EARLIER_LIMIT = 2


def with_earlier(
    digester: Digester,
    digest: Digest,
    earlier: Sequence[tuple[Headline, StoryPrint]],
    limit: int = EARLIER_LIMIT,
) -> tuple[Digest, StoryPrint]:
    """``digest`` plus up to ``limit`` earlier headlines about the same story, and the print
    to store for it."""
    text = digest_story(digest.title, digest.summary)
    vector = digester.encode([text])[0]
    seen = {h.title.lower() for h in digest.related} | {(digest.title or "").lower()}
    seen_urls = {h.url for h in digest.related if h.url} | {digest.url}
    pool = [
        (replace(h, origin="earlier"), np.frombuffer(p.vector, dtype=np.float32), p.text)
        for h, p in earlier
        if h.title.lower() not in seen and (h.url is None or h.url not in seen_urls)
    ]
    matches = same_story(vector, text, pool, limit=limit)
    if matches:
        digest = replace(digest, related=digest.related + tuple(matches))
    return digest, StoryPrint(vector.tobytes(), text)
