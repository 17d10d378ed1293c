"""Small URL helpers shared by the pipeline's stages (no network code here)."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit


def site_name(url: str | None) -> str | None:
    """The host of ``url`` without a leading www., for display."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def for_log(url: str) -> str:
    """``url`` as a log line may show it: scheme, host and path; no credentials, and "?…" for
    a query (a feed's address may carry an API key there)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(an address that cannot be read)"
    return f"{parts.scheme}://{host}{port}{parts.path}" + ("?…" if parts.query else "")


def joined(base: str, href: str) -> str | None:
    """``href`` resolved against ``base``; None when it names no address at all. A bracketed
    host that is no IP address (``http://[ccpa-preferences]``, a consent link on a real page)
    makes ``urljoin`` raise, and one such link must not cost the page or the feed."""
    try:
        return urljoin(base, href)
    except ValueError:
        return None
