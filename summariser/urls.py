"""Small URL helpers shared by the pipeline's stages (no network code here)."""

from __future__ import annotations

from urllib.parse import urlsplit


def site_name(url: str | None) -> str | None:
    """The host of ``url`` without a leading www., for display."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None
