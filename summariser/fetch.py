"""Safe HTTP fetching of article pages.

Guards, all enforced here and nowhere else:

* only ``http`` and ``https`` URLs with a host, on any port;
* every TCP connection, for the first request and for each redirect, goes to an address that was
  checked when it was resolved, and the connected peer is checked again: loopback, private,
  link-local, multicast, reserved, shared and unspecified addresses are refused, IPv4 and IPv6,
  IPv4-mapped included. DNS rebinding gains nothing because the address we check is the address
  we connect to. ``allow_networks`` (``FETCH_ALLOW_NETWORKS``) opens named networks and nothing
  else;
* at most ``max_redirects`` redirects; connect and read timeouts plus a deadline for the whole
  fetch;
* the body is streamed and cut off at ``max_bytes``; only HTML and plain-text content types.

Proxies from the environment are ignored on purpose: a proxy would hide the real peer address.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from summariser.config import Network, SummariserSettings
from summariser.errors import (
    BadURL,
    BlockedAddress,
    FetchFailed,
    SiteRefused,
    TooLarge,
    UnsupportedContent,
)

log = logging.getLogger(__name__)

Resolver = Callable[[str, int], list[str]]

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched document: the final URL after redirects, its decoded text and content type."""

    url: str
    text: str
    content_type: str
    status: int = 200

    @property
    def is_html(self) -> bool:
        return self.content_type in HTML_TYPES


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to, in the order the system gives them."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchFailed(f"could not find the site {host!r}") from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def address_allowed(address: str, allow_networks: Iterable[Network] = ()) -> bool:
    """Is ``address`` a public unicast address, or inside one of ``allow_networks``?"""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    forms = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        for embedded in (ip.ipv4_mapped, ip.sixtofour, ip.teredo and ip.teredo[1]):
            if embedded:
                forms.append(embedded)
    allow = tuple(allow_networks)
    if any(form.version == net.version and form in net for form in forms for net in allow):
        return True
    return all(
        form.is_global
        and not (
            form.is_private
            or form.is_loopback
            or form.is_link_local
            or form.is_multicast
            or form.is_reserved
            or form.is_unspecified
        )
        for form in forms
    )


def check_url(url: str) -> httpx.URL:
    """Refuse anything but an absolute http(s) URL with a host."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise BadURL("that does not look like a web address") from exc
    if parsed.scheme not in ("http", "https"):
        scheme = parsed.scheme or "no scheme"
        raise BadURL(f"only http and https links can be read (got {scheme})")
    if not parsed.host:
        raise BadURL("that web address has no site name")
    return parsed


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore network backend that connects only to addresses the guard allows."""

    def __init__(self, allow_networks: Iterable[Network] = (), resolver: Resolver | None = None):
        self._allow = tuple(allow_networks)
        self._resolve = resolver or system_resolver
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._resolve(host.strip("[]"), port)
        allowed = [a for a in addresses if address_allowed(a, self._allow)]
        if not allowed:
            log.info("refused %s: resolves only to blocked addresses %s", host, addresses)
            raise BlockedAddress("that link points to a private or local network address")
        last_error: Exception | None = None
        for address in allowed:
            try:
                stream = self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
                continue
            sock = stream.get_extra_info("socket")
            peer = sock.getpeername()[0] if sock is not None else address
            if not address_allowed(peer, self._allow):
                stream.close()
                raise BlockedAddress("that link points to a private or local network address")
            return stream
        assert last_error is not None
        raise last_error

    def connect_unix_socket(self, *args, **kwargs):  # pragma: no cover - never used
        raise BlockedAddress("unix sockets are not allowed")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, backend: GuardedBackend) -> None:
        super().__init__(retries=0)
        # httpx has no public hook for the network backend; the pool is its documented seam.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            network_backend=backend,
            max_connections=4,
        )


def _media_type(header: str) -> str:
    return header.split(";", 1)[0].strip().lower()


def _decode(body: bytes, content_type_header: str) -> str:
    charset = None
    for part in content_type_header.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    if charset:
        try:
            return body.decode(charset, errors="replace")
        except LookupError:
            pass
    from trafilatura.utils import decode_file

    return decode_file(body)


class Fetcher:
    """Fetch one page at a time under the guards above. Thread-safe: one client per call."""

    def __init__(self, settings: SummariserSettings, resolver: Resolver | None = None) -> None:
        self._settings = settings
        self._resolver = resolver

    def _client(self) -> httpx.Client:
        s = self._settings
        backend = GuardedBackend(s.allow_networks, self._resolver)
        return httpx.Client(
            transport=_GuardedTransport(backend),
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(s.fetch_timeout),
            headers={
                "User-Agent": s.user_agent,
                "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
                "Accept-Language": "en-GB,en;q=0.9",
            },
        )

    def fetch(self, url: str) -> Page:
        s = self._settings
        current = check_url(url)
        deadline = time.monotonic() + s.fetch_total_timeout
        with self._client() as client:
            for _hop in range(s.max_redirects + 1):
                try:
                    with client.stream("GET", current) as response:
                        if response.status_code in _REDIRECTS and "location" in response.headers:
                            target = urljoin(str(current), response.headers["location"])
                            current = check_url(target)
                            continue
                        return self._read(response, str(current), deadline)
                except httpx.TimeoutException as exc:
                    raise FetchFailed("the site took too long to answer") from exc
                except httpx.TransportError as exc:
                    raise FetchFailed(f"could not reach {current.host}") from exc
            raise SiteRefused("the link redirects too many times")

    def _read(self, response: httpx.Response, url: str, deadline: float) -> Page:
        s = self._settings
        status = response.status_code
        if status >= 400:
            reason = {
                401: "the site wants a login",
                403: "the site refused to let us read it",
                404: "the page was not found (404)",
                410: "the page is gone (410)",
                429: "the site is rate-limiting us; try later",
            }.get(status, f"the site answered with an error ({status})")
            raise SiteRefused(reason, status)
        header = response.headers.get("content-type", "")
        media = _media_type(header) or "text/html"
        if media not in HTML_TYPES + TEXT_TYPES:
            raise UnsupportedContent(f"that link is not a web page ({media})")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > s.max_bytes:
            raise TooLarge(f"the page is larger than {s.max_bytes // 1_000_000} MB")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > s.max_bytes:
                raise TooLarge(f"the page is larger than {s.max_bytes // 1_000_000} MB")
            if time.monotonic() > deadline:
                raise FetchFailed("the site took too long to send the page")
            chunks.append(chunk)
        body = b"".join(chunks)
        return Page(url=url, text=_decode(body, header), content_type=media, status=status)


def site_name(url: str | None) -> str | None:
    """The host of ``url`` without a leading www., for display."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None
