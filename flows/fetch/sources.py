"""The sources file: which publishers to follow, as TOML a person writes once.

    [fetch]                       # optional: how to behave towards the sites
    contact = "veille@example.org"

    [[source]]
    url = "https://www.example.org/actualites/rss.xml"
    kind = "feed"                 # feed | sitemap | page; guessed from the content when absent

Unknown keys are errors: a typo ("patern") must not silently follow every link of a page.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from flows.errors import CptsFactsError
from flows.settings import DEFAULTS

KINDS = ("feed", "sitemap", "page")
# A first run on a big sitemap could otherwise download thousands of pages in one go; the
# rest waits for the next run (newest first when the source dates its items).
DEFAULT_MAX_ITEMS = 30


class SourcesError(CptsFactsError):
    """The sources file cannot be used as written."""


@dataclass(frozen=True)
class Source:
    url: str
    kind: str | None = None  # None: guessed from what the URL serves
    name: str | None = None
    pattern: str | None = None  # regex a link (page) or URL (sitemap) must match
    all_items: bool = False  # every item is about a CPTS (a CPTS's own site): no relevance rule
    follow_pdfs: bool = True  # a release page linking its PDF: download the PDF too
    max_items: int = DEFAULT_MAX_ITEMS

    @property
    def label(self) -> str:
        return self.name or self.url


@dataclass(frozen=True)
class FetchSettings:
    """How the client behaves towards every site (the `[fetch]` table)."""

    contact: str | None = None  # an e-mail or URL, added to the User-Agent
    delay_seconds: float = 2.0  # between two requests to one host
    timeout_seconds: float = 20.0
    max_bytes: int = DEFAULTS.max_bytes  # a bigger file would be downloaded to stay unread
    retries: int = 2
    backoff_seconds: float = 2.0


@dataclass(frozen=True)
class SourcesFile:
    sources: tuple[Source, ...]
    settings: FetchSettings = field(default_factory=FetchSettings)


SOURCE_KEYS = {
    "url": str, "kind": str, "name": str, "pattern": str, "all_items": bool,
    "follow_pdfs": bool, "max_items": int,
}  # fmt: skip
SETTING_KEYS = {
    "contact": str, "delay_seconds": (int, float), "timeout_seconds": (int, float),
    "max_bytes": int, "retries": int, "backoff_seconds": (int, float),
}  # fmt: skip


def load_sources(path: Path) -> SourcesFile:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"sources file not found: {path}") from None
    except OSError as exc:
        raise SourcesError(f"cannot read sources file {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    return parse_sources(data, where=str(path))


def parse_sources(data: dict, where: str = "sources") -> SourcesFile:
    unknown = set(data) - {"source", "fetch"}
    if unknown:
        raise SourcesError(f"{where}: unknown table {sorted(unknown)[0]!r} "
                           "(expected [[source]] and [fetch])")
    tables = data.get("source", [])
    if not isinstance(tables, list) or not tables:
        raise SourcesError(f"{where}: no [[source]] table: name at least one url to follow")
    settings = FetchSettings(**_checked(data.get("fetch", {}), SETTING_KEYS, f"{where} [fetch]"))
    if settings.delay_seconds < 0 or settings.timeout_seconds <= 0 or settings.max_bytes <= 0:
        raise SourcesError(f"{where} [fetch]: delays, timeouts and sizes must be positive")
    sources, seen = [], set()
    for n, table in enumerate(tables, 1):
        label = f"{where} source #{n}"
        if not isinstance(table, dict):
            raise SourcesError(f"{label}: not a table")
        values = _checked(table, SOURCE_KEYS, label)
        if "url" not in values:
            raise SourcesError(f"{label}: missing url")
        source = Source(**values)
        _validate(source, label)
        if source.url in seen:
            raise SourcesError(f"{label}: {source.url} is listed twice")
        seen.add(source.url)
        sources.append(source)
    return SourcesFile(tuple(sources), settings)


def _checked(table: dict, keys: dict, label: str) -> dict:
    for key, value in table.items():
        if key not in keys:
            raise SourcesError(f"{label}: unknown key {key!r} (known: {', '.join(keys)})")
        if not isinstance(value, keys[key]) or (keys[key] is int and isinstance(value, bool)):
            raise SourcesError(f"{label}: {key} = {value!r} has the wrong type")
    return dict(table)


def _validate(source: Source, label: str) -> None:
    parts = urlsplit(source.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourcesError(f"{label}: url must be an http(s) address, not {source.url!r}")
    if source.kind is not None and source.kind not in KINDS:
        raise SourcesError(f"{label}: kind must be one of {', '.join(KINDS)}")
    if source.pattern is not None:
        try:
            re.compile(source.pattern)
        except re.error as exc:
            raise SourcesError(f"{label}: pattern is not a regular expression: {exc}") from None
    if source.max_items < 1:
        raise SourcesError(f"{label}: max_items must be at least 1")
