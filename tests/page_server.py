"""A real HTTP/1.1 server on 127.0.0.1 serving pages the tests (and benchmarks) register."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunks: int = 1  # send the body in this many pieces (with ``delay`` before each)
    # A whole raw HTTP response, sent as it is (for malformed responses), ``trickle`` seconds
    # between its bytes when set (a server that dribbles its headers).
    raw: bytes | None = None
    trickle: float = 0.0
    etag: str | None = None  # sent as ETag; a request with If-None-Match equal to it gets 304


class PageServer:
    """A real HTTP/1.1 server on 127.0.0.1 serving routes the tests register."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server.hits.append(self.path)
                route = server.routes.get(self.path)
                if route is None:
                    route = Route(b"<html><body>Not found</body></html>", status=404)
                if route.raw is not None:
                    self._send_raw(route)
                    return
                if route.etag is not None and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.etag is not None:
                    route = replace(route, headers={**route.headers, "ETag": route.etag})
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                size = max(1, len(route.body) // route.chunks)
                for start in range(0, len(route.body), size):
                    if route.delay:
                        time.sleep(route.delay)
                    try:
                        self.wfile.write(route.body[start : start + size])
                        self.wfile.flush()
                    except (BrokenPipeError, ConnectionResetError):
                        return

            def _send_raw(self, route: Route) -> None:
                self.close_connection = True
                step = 1 if route.trickle else len(route.raw)
                deadline = time.monotonic() + 120  # the test's server never dribbles for ever
                for start in range(0, len(route.raw), step):
                    if route.trickle:
                        time.sleep(route.trickle)
                    if time.monotonic() > deadline:
                        return
                    try:
                        self.wfile.write(route.raw[start : start + step])
                        self.wfile.flush()
                    except (BrokenPipeError, ConnectionResetError):
                        return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: str | bytes = b"", **kwargs) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, **kwargs)
        return self.url(path)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
