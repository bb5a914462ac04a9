"""A publisher on 127.0.0.1 for the fetch tests: feeds, a sitemap, pages, PDFs, and misbehaviour.

`Site` runs a stdlib ThreadingHTTPServer on an ephemeral port in a daemon thread. Each path
maps to a `Route`; tests add, change and count routes while the server runs. Every request is
logged with its headers, so a test can check what was sent (User-Agent, conditional GET) and
how often.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHUNK = 64 * 1024


@dataclass
class Route:
    body: bytes | Callable[[], bytes] = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answered with 304 when the client sends it back
    fail_first: int = 0  # answer 500 this many times, then the route
    delay: float = 0.0  # seconds before answering (a slow server)
    stream_bytes: int = 0  # a body of this many bytes, written chunk by chunk, never held
    trickle: float = 0.0  # with stream_bytes: seconds between chunks of one byte


@dataclass
class Hit:
    path: str
    headers: dict[str, str]


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.sent_bytes: dict[str, int] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep pytest output clean
                pass

            def do_GET(self) -> None:
                site.hits.append(Hit(self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = site.routes.get(self.path)
                if route is None:
                    return self._send(404, b"not found", "text/plain")
                if route.delay:
                    time.sleep(route.delay)
                if route.fail_first > 0:
                    route.fail_first -= 1
                    return self._send(500, b"try again", "text/plain")
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    return self._send(304, b"", None, {"ETag": route.etag})
                if route.stream_bytes:
                    return self._stream(route)
                body = route.body() if callable(route.body) else route.body
                extra = dict(route.headers)
                if route.etag:
                    extra["ETag"] = route.etag
                self._send(route.status, body, route.content_type, extra)

            def _send(self, status: int, body: bytes, ctype: str | None,
                      headers: dict | None = None) -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    if body:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing to report

            def _stream(self, route: Route) -> None:
                # No Content-Length: the client must find out the size by reading.
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Connection", "close")
                self.end_headers()
                chunk, sent = (b"x" if route.trickle else b"x" * CHUNK), 0
                try:
                    while sent < route.stream_bytes:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                        sent += len(chunk)
                        time.sleep(route.trickle)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                site.sent_bytes[self.path] = sent
                self.close_connection = True

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:
                pass  # a client that hung up (timeout tests, a killed process) is expected

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def count(self, path: str) -> int:
        return sum(1 for h in self.hits if h.path == path)


def http_date(when: float) -> str:
    return email.utils.formatdate(when, usegmt=True)


def rss(items: list[tuple[str, str, str]], title: str = "Actualités") -> bytes:
    """RSS 2.0 of (title, link, RFC 822 date)."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate>"
        f"<description>{t}</description></item>" for t, link, d in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{title}</title><link>http://x/</link><description>d</description>"
            f"{entries}</channel></rss>").encode()


def atom(items: list[tuple[str, str, str]]) -> bytes:
    """Atom 1.0 of (title, link, ISO date)."""
    entries = "".join(
        f'<entry><title>{t}</title><link href="{link}"/><id>{link}</id>'
        f"<updated>{d}</updated><summary>{t}</summary></entry>" for t, link, d in items
    )
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Presse</title><id>urn:x</id><updated>2026-01-01T00:00:00Z</updated>"
            f"{entries}</feed>").encode()


def sitemap(urls: list[tuple[str, str]]) -> bytes:
    entries = "".join(f"<url><loc>{u}</loc><lastmod>{d}</lastmod></url>" for u, d in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
            ).encode()


def page(title: str, body: str, links: str = "") -> bytes:
    return (f"<!doctype html><html lang=fr><head><meta charset=utf-8><title>{title}</title>"
            f"</head><body><nav><a href='/'>Accueil</a></nav><main><article><h1>{title}</h1>"
            f"{body}{links}</article></main></body></html>").encode()


def release(title: str, sentences: list[str]) -> bytes:
    return page(title, "".join(f"<p>{s}</p>" for s in sentences))


def pdf(text: str) -> bytes:
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    doc.set_font("Helvetica", size=11)
    doc.multi_cell(0, 6, text)
    return bytes(doc.output())
