"""Safe HTTP fetching of article pages.

Guards, all enforced here and nowhere else:

* only ``http`` and ``https`` URLs with a host, on any port;
* every TCP connection, for the first request and for each redirect, goes to an address that was
  checked when it was resolved, and the connected peer is checked again: loopback, private,
  link-local, multicast, reserved, shared and unspecified addresses are refused, IPv4 and IPv6,
  IPv4-mapped included. DNS rebinding gains nothing because the address we check is the address
  we connect to. ``allow_networks`` (``FETCH_ALLOW_NETWORKS``) opens named networks and nothing
  else;
* at most ``max_redirects`` redirects; connect and read timeouts, and one deadline for the whole
  fetch (DNS, connect, TLS, headers, redirects and body): every socket operation waits at most
  until it, so a server that trickles its headers a byte at a time cannot hold a worker;
* the body is streamed and cut off at ``max_bytes``, decompressed by us (gzip or deflate) with
  the output bounded while it inflates, so a compression bomb never takes more than the cap;
* a body longer or shorter than its ``Content-Length`` is an error, not a silently cut page;
* only HTML and plain-text content types, in a character set browsers use; NUL bytes anywhere
  mean binary data.

Proxies from the environment are ignored on purpose: a proxy would hide the real peer address.
"""

from __future__ import annotations

import codecs
import ipaddress
import logging
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

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
    UnsupportedInput,
    megabytes,
)
from summariser.models import HTML_TYPES, Page

log = logging.getLogger(__name__)

Resolver = Callable[[str, int], list[str]]

TEXT_TYPES = ("text/plain",)
_REDIRECTS = (301, 302, 303, 307, 308)


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to, in the order the system gives them."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:  # UnicodeError: a label over 63 letters
        raise FetchFailed.because("no_site", host=host) from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_allowed(address: str, allow_networks: Iterable[Network] = ()) -> bool:
    """Is ``address`` a public unicast address, or inside one of ``allow_networks``?"""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    forms = [ip]  # the address, and the IPv4 address an IPv6 one maps to or tunnels towards
    mapped = None
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped
        forms += [form for form in (mapped, ip.sixtofour, ip.teredo and ip.teredo[1]) if form]
    # An allowed network admits the address or the IPv4 one it maps to (the same host), not
    # one a tunnel's address names (6to4's 2002:7f00:1:: is no way to reach 127.0.0.1)
    allow = tuple(allow_networks)
    if any(form.version == net.version and form in net
           for form in (ip, mapped) if form is not None for net in allow):
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
            or getattr(form, "is_site_local", False)  # fec0::/10, deprecated but routable
        )
        for form in forms
    )


def check_url(url: str) -> httpx.URL:
    """Refuse anything but an absolute http(s) URL with a host, and without a user name or
    password."""
    try:
        parsed = httpx.URL(url)
        host = parsed.host  # decoded here: "xn--" is no host (idna's error, a ValueError)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise BadURL.because("malformed") from exc
    if parsed.scheme not in ("http", "https"):
        scheme = parsed.scheme or "no scheme"
        raise BadURL.because("scheme", scheme=scheme)
    if not host:
        raise BadURL.because("no_host")
    if parsed.userinfo:  # sent as a login, and kept in the page's address shown everywhere
        raise BadURL.because("credentials")
    port = parsed.port
    if "%" in host or (port is not None and not 0 < port < 65536):
        raise BadURL.because("malformed")  # "exa mple.com" (encoded), "example.com:99999"
    return parsed


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else deadline - time.monotonic()


def _bounded(timeout: float | None, deadline: float | None) -> float | None:
    """``timeout`` shortened to what is left before ``deadline``; 0 or less means it passed."""
    left = _remaining(deadline)
    if left is None:
        return timeout
    return left if timeout is None else min(timeout, left)


def _resolve_within(resolve: Resolver, host: str, port: int, timeout: float | None) -> list[str]:
    """``resolve(host, port)`` within ``timeout`` seconds: getaddrinfo has no timeout of its own,
    so it runs in a daemon thread that is abandoned if it is too slow."""
    if timeout is None:
        return resolve(host, port)
    result: dict[str, object] = {}

    def run() -> None:
        try:
            result["addresses"] = resolve(host, port)
        except BaseException as exc:  # handed to the caller's thread below
            result["error"] = exc

    thread = threading.Thread(target=run, name="resolve", daemon=True)
    thread.start()
    thread.join(max(0.0, timeout))
    if thread.is_alive():
        raise FetchFailed.because("slow_lookup", host=host)
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["addresses"]  # type: ignore[return-value]


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits at most until the fetch's deadline. It also
    counts the bytes received, so the fetcher can tell a body longer than its Content-Length."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float | None) -> None:
        self._inner = inner
        self._deadline = deadline
        self.received = 0
        # Bytes up to the blank line that ends the headers, once it has been seen.
        self.header_end: int | None = None
        self._head = bytearray()  # the bytes before it, until then (at most 64 KB)

    def _timeout(self, timeout: float | None, error: type[Exception]) -> float | None:
        bounded = _bounded(timeout, self._deadline)
        if bounded is not None and bounded <= 0:
            raise error("the fetch deadline passed")
        return bounded

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = self._inner.read(max_bytes, self._timeout(timeout, httpcore.ReadTimeout))
        if self.header_end is None and len(self._head) < 65536:
            # Search only where the new bytes can complete the blank line: a server that sends
            # its headers a byte at a time costs a constant per read, not a rescan.
            searched_from = max(0, len(self._head) - 3)
            self._head += data
            end = self._head.find(b"\r\n\r\n", searched_from)
            if end >= 0:
                self.header_end = end + 4  # the buffer holds the stream from its start
                self._head = bytearray()
        self.received += len(data)
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._timeout(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        self._inner = self._inner.start_tls(
            ssl_context, server_hostname, self._timeout(timeout, httpcore.ConnectTimeout)
        )
        return self

    def get_extra_info(self, info: str) -> object:
        return self._inner.get_extra_info(info)

    def pending(self) -> bool:
        """Has the peer sent bytes that nobody has read yet? (Plain HTTP only: under TLS the
        socket also carries the closing alert, which is no part of the body.)"""
        sock = self._inner.get_extra_info("socket")
        if sock is None or self._inner.get_extra_info("ssl_object") is not None:
            return False
        try:
            return bool(sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT))
        except (BlockingIOError, InterruptedError, OSError, ValueError):
            return False


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore network backend that connects only to addresses the guard allows, and never
    waits past ``deadline`` (a ``time.monotonic()`` value) on anything, DNS included."""

    def __init__(
        self,
        allow_networks: Iterable[Network] = (),
        resolver: Resolver | None = None,
        deadline: float | None = None,
    ):
        self._allow = tuple(allow_networks)
        self._resolve = resolver or system_resolver
        self._inner = httpcore.SyncBackend()
        self._deadline = deadline
        self.streams: list[_DeadlineStream] = []

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Resolve ``host`` (within the deadline), refuse disallowed addresses, and
        connect to the first allowed one that answers."""
        addresses = _resolve_within(
            self._resolve, host.strip("[]"), port, _bounded(timeout, self._deadline)
        )
        allowed = [a for a in addresses if address_allowed(a, self._allow)]
        if not allowed:
            log.info("refused %s: resolves only to blocked addresses %s", host, addresses)
            raise BlockedAddress("that link points to a private or local network address")
        last_error: Exception | None = None
        for address in allowed:
            left = _bounded(timeout, self._deadline)
            if left is not None and left <= 0:
                raise httpcore.ConnectTimeout("the fetch deadline passed")
            try:
                stream = self._inner.connect_tcp(
                    address, port, left, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
                continue
            sock = stream.get_extra_info("socket")
            peer = sock.getpeername()[0] if sock is not None else address
            if not address_allowed(peer, self._allow):
                stream.close()
                raise BlockedAddress("that link points to a private or local network address")
            guarded = _DeadlineStream(stream, self._deadline)
            self.streams.append(guarded)
            return guarded
        assert last_error is not None
        raise last_error

    def connect_unix_socket(  # pragma: no cover - never used
            self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        """Never: the fetcher only speaks TCP."""
        raise BlockedAddress("unix sockets are not allowed")

    def sleep(self, seconds: float) -> None:
        """Sleep as the wrapped backend does."""
        self._inner.sleep(seconds)


# httpcore's errors as the httpx errors callers catch, most specific first.
_HTTPX_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for core, mapped in _HTTPX_ERRORS:
            if isinstance(exc, core):
                raise mapped(str(exc)) from exc
        raise


class _Body(httpx.SyncByteStream):
    """A response body from httpcore, read through the same error mapping."""

    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport whose every connection goes through a ``GuardedBackend``: the
    address check runs on each connection the client opens, redirects included. Built on
    httpcore's public ``ConnectionPool(network_backend=...)``."""

    def __init__(self, backend: GuardedBackend, max_connections: int = 4) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            network_backend=backend,
            max_connections=max_connections,
            retries=0,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` over the pool; the response's body is read as it is iterated."""
        assert isinstance(request.stream, httpx.SyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                             port=request.url.port, target=request.url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            response = self._pool.handle_request(core_request)
        assert isinstance(response.stream, Iterable)
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_Body(response.stream), extensions=response.extensions)

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()


def _media_type(header: str) -> str:
    return header.split(";", 1)[0].strip().lower()


# Python codecs for the character sets browsers read (the WHATWG Encoding Standard's list).
# Anything else a page names (idna, punycode, undefined, utf-7, rot13 ...) is refused: those are
# not text encodings of web pages, and some raise or smuggle markup when used to decode one.
_WEB_CODECS = frozenset(
    """
    utf-8 utf-8-sig utf-16 utf-16-le utf-16-be ascii latin-1 iso8859-2 iso8859-3 iso8859-4
    iso8859-5 iso8859-6 iso8859-7 iso8859-8 iso8859-10 iso8859-13 iso8859-14 iso8859-15
    iso8859-16 cp1250 cp1251 cp1252 cp1253 cp1254 cp1255 cp1256 cp1257 cp1258 cp874 cp866
    koi8-r koi8-u mac-cyrillic mac-roman gbk gb2312 gb18030 big5 big5hkscs euc-jp euc-kr
    iso2022-jp shift-jis cp932 cp949 cp950 tis-620
    """.split()
)


def web_codec(label: str) -> str:
    """The Python codec for a page's ``charset`` label; UnsupportedInput if browsers have none."""
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError, TypeError):
        raise UnsupportedInput.because("charset", charset=label[:40]) from None
    if name.replace("_", "-") not in _WEB_CODECS:
        raise UnsupportedInput.because("charset", charset=label[:40])
    return name


# A page whose first characters hold a control character no text has is a binary file served as
# a page, as browsers sniff it (the WHATWG MIME Sniffing Standard: a "binary data byte" among the
# first 1,445 bytes). Further on, a stray NUL is skipped, as a browser's HTML parser skips it.
_SNIFF_CHARS = 1445
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def decode_page(body: bytes, content_type_header: str = "", limit: int | None = None) -> str:
    """A page's text: by the charset its Content-Type names, else the one the page declares
    (``<meta charset>``) or, failing that, detects as (trafilatura's ``decode_file``, which
    also inflates a body compressed without saying so: to ``limit`` bytes at most, past which
    it stays as sent and reads as binary; trafilatura's own cap, 20 MB, where None)."""
    charset = None
    for part in content_type_header.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    if charset:
        text = body.decode(web_codec(charset), errors="replace")
    else:
        from trafilatura.utils import decode_file

        text = decode_file(body, limit)
    if _BINARY.search(text, 0, _SNIFF_CHARS):
        raise UnsupportedInput.because("binary_page")
    return text.replace("\x00", "")  # a stray NUL further on, which a browser skips


def _decompressors(header: str) -> list[Any]:
    """zlib decompressors for a Content-Encoding header, in the order to apply them: one at
    most. Servers do not stack codings, and a stacked one escapes the cap: what follows the
    end of an inner stream piles up in zlib, uncounted ("gzip, gzip" inflated 256 MB past a
    5 MB cap)."""
    out = []
    codings = [c.strip().lower() for c in header.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > 1:
        raise UnsupportedContent.because("compression", coding=", ".join(codings)[:40])
    for coding in codings:
        if coding in ("gzip", "x-gzip"):
            out.append(zlib.decompressobj(16 + zlib.MAX_WBITS))
        elif coding == "deflate":
            out.append(zlib.decompressobj())
        else:
            raise UnsupportedContent.because("compression", coding=coding[:20])
    return out


def _inflate(chunks: Iterator[bytes], header: str, limit: int) -> Iterator[bytes]:
    """The decoded body, chunk by chunk, never producing more than ``limit`` + 1 bytes in all,
    however far a chunk would inflate (a compression bomb stops at the cap, not after it)."""
    decoders = _decompressors(header)
    produced = 0

    def through(data: bytes, stage: int) -> Iterator[bytes]:
        nonlocal produced
        if stage == len(decoders):
            produced += len(data)
            yield data
            return
        decoder = decoders[stage]
        while data:
            try:
                out = decoder.decompress(data, max(1, limit + 1 - produced))
            except zlib.error as exc:
                raise FetchFailed.because("corrupt") from exc
            data = decoder.unconsumed_tail
            yield from through(out, stage + 1)
            if produced > limit:
                return

    for chunk in chunks:
        yield from through(chunk, 0)
        if produced > limit:
            return


# Feeds: the types servers give RSS and Atom (text/html too: some serve feeds as that, and the
# parser refuses what is not a feed), and a cap of their own.
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
              "application/xml", "text/xml", "application/x-rss+xml", "text/html", "text/plain")
MAX_FEED_BYTES = 2_000_000
_FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, "
                "text/xml;q=0.9, */*;q=0.1")
_KIND = {HTML_TYPES + TEXT_TYPES: "not_page", FEED_TYPES: "not_feed"}  # UnsupportedContent's


@dataclass(frozen=True, slots=True)
class FeedResponse:
    """A feed as fetched: its final URL, the status (304: unchanged since the validators
    sent), the body, and the validators to send next time."""

    url: str
    status: int
    body: bytes
    etag: str | None
    last_modified: str | None


class Fetcher:
    """Fetch one page at a time under the guards above. Thread-safe: one client per call."""

    def __init__(self, settings: SummariserSettings, resolver: Resolver | None = None) -> None:
        self._settings = settings
        self._resolver = resolver

    def _client(self, backend: GuardedBackend) -> httpx.Client:
        s = self._settings
        return httpx.Client(
            transport=GuardedTransport(backend),
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(s.fetch_timeout),
            headers={
                "User-Agent": s.user_agent,
                "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
                "Accept-Language": "en-GB,en;q=0.9",
                # Only codings we inflate ourselves, under the size cap.
                "Accept-Encoding": "gzip, deflate",
                # One response per connection: the bytes a connection received are that
                # response's, which is how a body longer than its Content-Length shows.
                "Connection": "close",
            },
        )

    def fetch(self, url: str) -> Page:
        """The page at ``url``, following redirects (each one checked); a DigestError
        says why when it cannot be read."""
        status, final, headers, body = self._get(url, HTML_TYPES + TEXT_TYPES, {},
                                                 self._settings.max_bytes)
        header = headers.get("content-type", "")
        media = _media_type(header) or "text/html"
        return Page(url=final, text=decode_page(body, header, self._settings.max_bytes),
                    content_type=media, status=status)

    def fetch_feed(self, url: str, etag: str | None = None,
                   modified: str | None = None) -> FeedResponse:
        """An RSS or Atom feed's bytes under the same guards, asked for conditionally: a feed
        unchanged since ``etag`` / ``modified`` answers 304 and no body."""
        conditions = {}
        if etag:
            conditions["If-None-Match"] = etag
        if modified:
            conditions["If-Modified-Since"] = modified
        status, final, headers, body = self._get(url, FEED_TYPES, conditions, MAX_FEED_BYTES,
                                                 accept=_FEED_ACCEPT)
        return FeedResponse(final, status, body, headers.get("etag"),
                            headers.get("last-modified"))

    def _get(self, url: str, types: tuple[str, ...], extra: dict[str, str], max_bytes: int,
             accept: str | None = None) -> tuple[int, str, httpx.Headers, bytes]:
        """(status, final URL, headers, body) of a GET of ``url`` whose type is one of
        ``types``; 304 gives an empty body. Every hop is checked, the whole is bounded."""
        s = self._settings
        current = check_url(url)
        deadline = time.monotonic() + s.fetch_total_timeout
        backend = GuardedBackend(s.allow_networks, self._resolver, deadline)
        headers = {**extra, **({"Accept": accept} if accept else {})}
        with self._client(backend) as client:
            for _hop in range(s.max_redirects + 1):
                try:
                    with client.stream("GET", current, headers=headers) as response:
                        if response.status_code in _REDIRECTS and "location" in response.headers:
                            try:
                                target = urljoin(str(current), response.headers["location"])
                            except ValueError as exc:  # "http://[/"
                                raise FetchFailed.because("broken") from exc
                            current = check_url(target)
                            continue
                        if response.status_code == 304:
                            return 304, str(current), response.headers, b""
                        body = self._read(response, types, max_bytes, backend)
                        return response.status_code, str(current), response.headers, body
                except httpx.TimeoutException as exc:
                    raise FetchFailed.because("timeout") from exc
                except httpx.RemoteProtocolError as exc:
                    raise FetchFailed.because("broken") from exc
                except httpx.TransportError as exc:
                    raise FetchFailed.because("connect", host=current.host) from exc
                except (httpx.InvalidURL, UnicodeError) as exc:
                    # httpx builds the next request of a redirect itself, and a Location no
                    # request can be built for ("mailto:…", "http://xn--/") fails there
                    raise FetchFailed.because("broken") from exc
            raise SiteRefused.because("redirects")

    def _read(self, response: httpx.Response, types: tuple[str, ...], max_bytes: int,
              backend: GuardedBackend) -> bytes:
        status = response.status_code
        if status >= 400:
            detail = {401: "login", 403: "forbidden", 404: "not_found", 410: "gone",
                      429: "rate_limited"}.get(status, "status")
            raise SiteRefused.because(detail, status=status)
        header = response.headers.get("content-type", "")
        media = _media_type(header) or "text/html"
        if media not in types:
            raise UnsupportedContent.because(_KIND[types], media=media)
        kind = "feed" if types is FEED_TYPES else "page"
        too_large = TooLarge.because(kind, limit=megabytes(max_bytes))
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > max_bytes:
            raise too_large
        raw = 0

        def raw_chunks() -> Iterator[bytes]:
            nonlocal raw
            for chunk in response.iter_raw():
                raw += len(chunk)
                if raw > max_bytes:
                    raise too_large
                yield chunk

        chunks: list[bytes] = []
        size = 0
        encoding = response.headers.get("content-encoding", "")
        for chunk in _inflate(raw_chunks(), encoding, max_bytes):
            size += len(chunk)
            if size > max_bytes:
                raise too_large
            chunks.append(chunk)
        if declared.isdigit() and self._longer_than_declared(backend, int(declared)):
            raise FetchFailed.because("overlong")
        return b"".join(chunks)

    @staticmethod
    def _longer_than_declared(backend: GuardedBackend, declared: int) -> bool:
        """Did the connection carry more than the headers and ``declared`` body bytes?"""
        stream = backend.streams[-1] if backend.streams else None
        if stream is None or stream.header_end is None:
            return False
        return stream.received - stream.header_end > declared or stream.pending()
