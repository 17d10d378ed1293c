"""Shared fixtures: test data, a real local HTTP server on 127.0.0.1, one Digester per session."""

from __future__ import annotations

import ipaddress
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from summariser.config import SummariserSettings  # noqa: E402
from summariser.digest import Digester  # noqa: E402

DATA = Path(__file__).parent / "data"
LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunks: int = 1  # send the body in this many pieces (with ``delay`` before each)


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


@pytest.fixture(scope="session")
def page_server() -> Iterator[PageServer]:
    server = PageServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def settings() -> SummariserSettings:
    return SummariserSettings(allow_networks=LOOPBACK, fetch_timeout=2.0, fetch_total_timeout=4.0)


@pytest.fixture(scope="session")
def digester(settings: SummariserSettings) -> Digester:
    """One Digester (and so one loaded model) for the whole session."""
    return Digester(settings)


@pytest.fixture(scope="session")
def make_article() -> Callable[[int], str]:
    """A plain article of about ``words`` words made of varied, real-looking news sentences."""
    base = read("bbc-style-paste.txt")

    def build(words: int) -> str:
        from summariser.paste import parse_paste

        paragraphs = list(parse_paste(base).paragraphs)
        out: list[str] = []
        total = 0
        round_no = 0
        while total < words:
            for paragraph in paragraphs:
                text = paragraph if round_no == 0 else f"In update {round_no}, {paragraph[0].lower()}{paragraph[1:]}"
                out.append(text)
                total += len(text.split())
                if total >= words:
                    break
            round_no += 1
        return "\n\n".join(out)

    return build
