"""The provenance sidecar of a fetched file: `NAME.meta.json` beside `NAME.html` / `NAME.pdf`.

`cpts-facts fetch` writes one for each file it puts in the inbox; ingestion reads it so the
documents table can say where each release came from (url, fetched_at) and the extractors can
see the title and date the publisher gave. A file brought by hand has none, and a sidecar is
never an input of its own (flows/read/discover.py skips the suffix).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from flows.read.atomic import atomic_write

SUFFIX = ".meta.json"


@dataclass(frozen=True)
class Provenance:
    file: str  # the name of the file it describes, so a sidecar never speaks for another file
    url: str  # as listed by the publisher
    final_url: str  # after redirects
    fetched_at: str  # ISO 8601, UTC
    sha256: str
    feed: str | None = None  # the followed URL that listed it
    source_name: str | None = None
    title: str | None = None  # as the feed or the listing page gives it
    published: str | None = None  # ISO date the feed or sitemap gives
    linked_from: str | None = None  # the release page that links this PDF
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    version: int = 1  # 2, 3...: the publisher changed the page since the first fetch

    @property
    def published_date(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.published) if self.published else None
        except ValueError:
            return None

    @property
    def fetched_datetime(self) -> dt.datetime | None:
        try:
            when = dt.datetime.fromisoformat(self.fetched_at)
        except (TypeError, ValueError):
            return None
        return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def sidecar_path(path: Path) -> Path:
    path = Path(path)
    return path.with_name(path.stem + SUFFIX)


def is_sidecar(name: str) -> bool:
    return name.endswith(SUFFIX)


def read_sidecar(path: Path) -> Provenance | None:
    """The provenance of `path`, or None (no sidecar, unreadable, or about another file)."""
    try:
        data = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("file") != Path(path).name:
        return None
    known = set(Provenance.__dataclass_fields__)
    try:
        return Provenance(**{k: v for k, v in data.items() if k in known})
    except TypeError:
        return None


def write_sidecar(path: Path, provenance: Provenance) -> Path:
    """Write atomically, so a reader never sees half of it."""
    text = json.dumps(asdict(provenance), ensure_ascii=False, indent=2) + "\n"
    return atomic_write(sidecar_path(path), text)
