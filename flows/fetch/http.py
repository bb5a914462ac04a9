"""A polite HTTP client: what a crawler that runs every day owes the sites it reads.

- a User-Agent that says who we are (and a contact when the sources file gives one);
- timeouts on connect and read, and a deadline on the whole response, so that a server
  trickling bytes cannot hold a run;
- retries with exponential backoff on 5xx, 429 and connection errors (Retry-After honoured up
  to a bound), never on 4xx;
- robots.txt (flows/fetch/robots.py) and a delay between two requests to one host;
- conditional GET: ETag / Last-Modified of the previous fetch, so an unchanged item costs a 304;
- a size cap: the body is streamed and dropped as soon as it passes the cap;
- http(s) only, redirects followed by hand (each hop checked) up to a bound.

Every failure is a `FetchError` whose message a person can read; nothing else escapes `get`.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from flows.fetch.robots import RobotsCache, site_of
from flows.fetch.sources import FetchSettings

MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0  # a Retry-After of one hour would stall the whole run


def user_agent(contact: str | None = None) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        own = version("cpts-facts")
    except PackageNotFoundError:
        own = "dev"
    who = f"; contact: {contact}" if contact else ""
    return f"cpts-facts/{own} (follows press releases about CPTS{who})"


class FetchError(Exception):
    """A request that did not give a usable response; `str()` says why, for the report.
    `transient`: the server or the network failed (5xx, timeout, no connection), so the same
    request may work later; a 404 or a redirect loop will not."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class ForbiddenError(FetchError):
    """robots.txt forbids the URL: the site's choice, not a failure of ours."""


@dataclass(frozen=True)
class Response:
    url: str  # as asked
    final_url: str  # after redirects
    status: int
    content: bytes
    content_type: str  # media type only, lower case ("" when absent)
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None  # of a redirect
    retry_after: str | None = None  # of a 429 or 5xx

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class PoliteClient:
    settings: FetchSettings = field(default_factory=FetchSettings)
    transport: httpx.BaseTransport | None = None  # tests may plug one in
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        s = self.settings
        self.agent = user_agent(s.contact)
        self._client = httpx.Client(
            headers={"User-Agent": self.agent, "Accept-Language": "fr"},
            timeout=httpx.Timeout(s.timeout_seconds, connect=min(10.0, s.timeout_seconds)),
            follow_redirects=False,
            transport=self.transport,
        )
        self._last_request: dict[str, float] = {}
        self.robots = RobotsCache(self._raw_get, self.agent)
        self.requests = 0  # every request sent, robots.txt included

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, etag: str | None = None,
            last_modified: str | None = None) -> Response:
        """GET `url` (conditionally when `etag`/`last_modified` are given). Raises FetchError."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current, visited = url, []
        for _ in range(MAX_REDIRECTS + 1):
            _check_scheme(current)
            if not self.robots.allowed(current):
                why = self.robots.problems.get(site_of(current))
                if why:
                    raise FetchError(f"{why}; {current} not fetched", transient=True)
                raise ForbiddenError(f"forbidden by robots.txt: {current}")
            visited.append(current)
            response = self._with_retries(current, headers)
            if response.status in (301, 302, 303, 307, 308):
                target = response.location
                if not target:
                    raise FetchError(f"HTTP {response.status} without a Location header")
                nxt = urljoin(current, target)
                if nxt in visited:
                    raise FetchError(f"redirect loop: {' → '.join([*visited, nxt])}")
                current = nxt
                continue
            if response.status == 304:
                return Response(url, current, 304, b"", "", etag, last_modified)
            if response.status >= 400:
                raise FetchError(f"HTTP {response.status} for {current}")
            return Response(url, current, response.status, response.content,
                            response.content_type, response.etag, response.last_modified)
        raise FetchError(f"more than {MAX_REDIRECTS} redirects from {url}")

    def _with_retries(self, url: str, headers: dict) -> Response:
        s = self.settings
        for attempt in range(s.retries + 1):
            last = attempt == s.retries
            try:
                response = self._polite_get(url, headers)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if last:
                    raise FetchError(_transport_reason(exc, url, s), transient=True) from None
                self.sleep(s.backoff_seconds * 2**attempt)
                continue
            if response.status in RETRY_STATUSES and not last:
                self.sleep(_retry_delay(response.retry_after, s.backoff_seconds * 2**attempt))
                continue
            if response.status in RETRY_STATUSES:
                raise FetchError(f"HTTP {response.status} for {url} "
                                 f"(after {s.retries + 1} attempts)", transient=True)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _polite_get(self, url: str, headers: dict) -> Response:
        host = urlsplit(url).netloc.lower()
        delay = max(self.settings.delay_seconds, self.robots.crawl_delay(url))
        previous = self._last_request.get(host)
        if previous is not None:
            wait = previous + delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        try:
            return self._stream(url, headers)
        finally:
            self._last_request[host] = self.clock()

    def _raw_get(self, url: str) -> tuple[int, bytes]:
        """robots.txt itself: delay, retries and size cap, but no robots check."""
        _check_scheme(url)
        response = self._with_retries(url, {})
        return response.status, response.content

    def _stream(self, url: str, headers: dict) -> Response:
        s = self.settings
        deadline = self.clock() + s.timeout_seconds * 3
        self.requests += 1
        with self._client.stream("GET", url, headers=headers) as r:
            ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
            if r.status_code in (301, 302, 303, 307, 308):
                return Response(url, url, r.status_code, b"", ctype,
                                location=r.headers.get("location"))
            if r.status_code in RETRY_STATUSES:
                return Response(url, url, r.status_code, b"", ctype,
                                retry_after=r.headers.get("retry-after"))
            if r.status_code >= 300:
                return Response(url, url, r.status_code, b"", ctype)
            declared = r.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > s.max_bytes:
                raise FetchError(f"{url} is {_mb(int(declared))}, more than the limit of "
                                 f"{_mb(s.max_bytes)}")
            body = bytearray()
            # No chunk_size: httpx would wait to fill it, and a trickling server would then
            # hold the run far past the deadline before the check below ever ran.
            for chunk in r.iter_bytes():
                body += chunk
                if len(body) > s.max_bytes:
                    raise FetchError(f"{url} is larger than the limit of {_mb(s.max_bytes)}")
                if self.clock() > deadline:
                    raise FetchError(f"{url} took longer than {s.timeout_seconds * 3:g} s",
                                     transient=True)
            return Response(url, url, r.status_code, bytes(body), ctype,
                            r.headers.get("etag"), r.headers.get("last-modified"))


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"not an http(s) address: {url}")


def _retry_delay(header: str | None, default: float) -> float:
    if not header:
        return default
    if header.strip().isdigit():
        return min(float(header), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return default
    return min(max(when.timestamp() - time.time(), 0.0), MAX_RETRY_AFTER)


def _transport_reason(exc: Exception, url: str, s: FetchSettings) -> str:
    attempts = f"after {s.retries + 1} attempts"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({s.timeout_seconds:g} s) on {url}, {attempts}"
    reason = str(exc) or exc.__class__.__name__
    return f"cannot connect to {url}: {reason} ({attempts})"


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
