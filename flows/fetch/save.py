"""A downloaded item → a file in the inbox, and its sidecar beside it.

Files go to INBOX/HOST/SLUG-HASH.EXT: the host says whose release it is, the slug is the end of
the URL's path (readable in a file list), and eight hex digits of the URL's SHA-256 keep two
URLs with the same slug apart. The extension follows the bytes, not the URL: ingestion picks
its reader by extension.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flows.fetch.relevance import fold
from flows.read.atomic import atomic_write
from flows.read.sidecar import Provenance, write_sidecar

HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|p|div)\b", re.I)
TEXT_TYPES = ("text/plain",)
HTML_TYPES = ("text/html", "application/xhtml+xml")
SLUG_MAX = 60


def content_extension(content: bytes, content_type: str) -> str | None:
    """".pdf", ".html" or ".txt" by what the bytes are; None when they are none of them."""
    if content.lstrip()[:5] == b"%PDF-":
        return ".pdf"
    if content_type == "application/pdf":
        return None  # says PDF, is not: the report names the mismatch
    head = content[:2048]
    if content_type in HTML_TYPES or (not content_type and HTML_START.search(head)):
        return ".html"
    if content_type in TEXT_TYPES and b"\x00" not in head:
        return ".txt"
    return None


def file_for(inbox: Path, url: str, extension: str) -> Path:
    parts = urlsplit(url)
    host = re.sub(r"[^0-9a-z.-]", "_", (parts.hostname or "unknown").lower())
    segments = [s for s in unquote(parts.path).split("/") if s]
    last = segments[-1] if segments else "index"
    last = re.sub(r"\.(pdf|html?|php|aspx?|txt)$", "", last, flags=re.I)
    slug = "-".join(fold(last).split())[:SLUG_MAX].strip("-") or "index"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:8]
    return inbox / host / f"{slug}-{digest}{extension}"


def save(path: Path, content: bytes, provenance: Provenance) -> None:
    """Sidecar first, then the file: a file in the inbox always has its provenance, and a
    sidecar whose file is missing only means the item is fetched again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_sidecar(path, provenance)
    atomic_write(path, content)
