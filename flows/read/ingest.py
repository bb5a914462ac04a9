"""One input file → `Ingested`: its doc_id, format, raw text and a status a person understands.

`ingest` never raises: every failure becomes a status (empty | unreadable | unsupported) and a
message, so each file ends as exactly one row of the `documents` table. Whether the text is
about a CPTS at all (no_cpts_found) is decided later; a readable English release is "ok" here.

doc_id is the first 16 hex digits of the SHA-256 of the file's bytes, so the same release keeps
its id wherever it is stored. A file whose bytes cannot be read at all (missing, permission
denied, a folder, a pipe) gets the SHA-256 of its path string instead, and so does an empty
file, since all empty files share the same bytes. `doc_id_of` is that rule, for this module
and for the incremental plan (flows/dataset/state.py), which must find the same ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from flows.errors import BadInputError, TooLargeError
from flows.read.discover import Entry
from flows.read.sidecar import Provenance, read_sidecar
from flows.read.text import decode_text
from flows.settings import DEFAULTS

FORMATS = {".pdf": "pdf", ".txt": "txt", ".html": "html", ".htm": "html"}
HASH_CHUNK = 1024 * 1024
# How the message of a read that failed at the OS level starts (not a bad file: often a file
# still being copied); the run retries the batch of such a file (flows/run/batch.py).
READ_FAILED = "cannot read file:"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ingested:
    doc_id: str
    source: str
    format: str  # pdf | txt | html | other
    status: str  # ok | empty | unreadable | unsupported
    message: str
    raw_text: str  # "" unless status is ok; PDF pages are joined with "\f"
    n_pages: int | None  # PDF only
    title: str | None  # PDF metadata or HTML <title>; the publisher's title for a fetched file
    size_bytes: int | None  # None when the file could not even be looked at
    url: str | None = None  # where `cpts-facts fetch` found it (flows/read/sidecar.py)
    fetched_at: dt.datetime | None = None
    published: dt.date | None = None  # the date the feed or sitemap gives


def ingest(
    path: Path,
    source: str,
    *,
    max_bytes: int = DEFAULTS.max_bytes,
    max_pages: int = DEFAULTS.max_pages,
) -> Ingested:
    """Read `path` into an `Ingested` row; `source` is the name shown to users. Never raises."""
    fmt = FORMATS.get(Path(path).suffix.lower(), "other")
    try:
        return _ingest(Path(path), source, fmt, max_bytes, max_pages)
    except Exception as exc:  # the promise is one row per file, whatever the file does
        log.exception("unexpected error while ingesting %s", path)
        return failed(path, source, f"unexpected error while reading: {_describe(exc)}", fmt=fmt)


def ingest_entry(entry: Entry, **limits: int) -> Ingested:
    """`ingest` for a discovered entry; an entry discovery could not list becomes unreadable."""
    if entry.error:
        return failed(entry.path, entry.source, entry.error)
    ingested = ingest(entry.path, entry.source, **limits)
    provenance = read_sidecar(entry.path)
    return ingested if provenance is None else with_provenance(ingested, provenance)


def with_provenance(ingested: Ingested, provenance: Provenance) -> Ingested:
    """A fetched file: its URL and fetch time for the dataset, and the publisher's title and
    date for the extractors. A release often names its CPTS only in its headline, which a PDF
    linked from the release page does not repeat: the title goes on top of the text when the
    text lacks it, as its own line, the way html.py puts back a page's own title."""
    title = provenance.title or ingested.title
    raw_text = ingested.raw_text
    if ingested.status == "ok" and provenance.title and not _contains(raw_text, provenance.title):
        raw_text = f"{provenance.title}\n\n{raw_text}"
    return _replace(ingested, url=provenance.url, fetched_at=provenance.fetched_datetime,
                    published=provenance.published_date, title=title, raw_text=raw_text)


def _contains(text: str, line: str) -> bool:
    def squeeze(s: str) -> str:
        return " ".join(s.split()).casefold()

    return squeeze(line) in squeeze(text)


def failed(
    path: Path, source: str, message: str, *, status: str = "unreadable", fmt: str | None = None
) -> Ingested:
    """The row for a file whose bytes could not be read: doc_id from the path string."""
    fmt = fmt or FORMATS.get(Path(path).suffix.lower(), "other")
    return Ingested(doc_id_of(None, path), source, fmt, status, message, "", None, None, None)


def _ingest(path: Path, source: str, fmt: str, max_bytes: int, max_pages: int) -> Ingested:
    try:
        info = os.stat(path)
    except OSError as exc:
        return failed(path, source, f"{READ_FAILED} {_os_reason(exc)}", fmt=fmt)
    if stat.S_ISDIR(info.st_mode):
        return failed(path, source, "is a folder, not a file", fmt=fmt)
    if not stat.S_ISREG(info.st_mode):
        # Opening a named pipe would block the run forever.
        return failed(path, source, "not a regular file (pipe, socket or device)", fmt=fmt)
    try:
        if fmt == "other" or info.st_size > max_bytes:
            return _reject(path, source=source, fmt=fmt, max_bytes=max_bytes)
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)  # +1: a file that grew since stat() still shows
        if len(data) > max_bytes:
            return _reject(path, source=source, fmt=fmt, max_bytes=max_bytes)
    except OSError as exc:
        return failed(path, source, f"{READ_FAILED} {_os_reason(exc)}", fmt=fmt)
    doc_id = doc_id_of(hashlib.sha256(data).hexdigest() if data else None, path)
    row = Ingested(doc_id, source, fmt, "ok", "", "", None, None, len(data))
    if not data:
        return _replace(row, status="unreadable" if fmt == "pdf" else "empty",
                        message="empty file (0 bytes)" + (", not a PDF" if fmt == "pdf" else ""))
    try:
        return _extract(row, data, max_pages)
    except BadInputError as exc:
        return _replace(row, status=exc.status, message=str(exc), raw_text="")


def _extract(row: Ingested, data: bytes, max_pages: int) -> Ingested:
    if row.format == "pdf":
        from flows.read.pdf import pdf_text  # pdfplumber, pdfium: only for a PDF

        pdf = pdf_text(data, max_pages=max_pages)
        notes = [f"{pdf.n_pages} page{'s' if pdf.n_pages > 1 else ''} read with {pdf.extractor}"]
        if pdf.failed_pages:
            notes.append(f"{_pages(pdf.failed_pages)} could not be read and were left empty")
        if len(pdf.blank_pages) + len(pdf.failed_pages) == pdf.n_pages:
            where = "its only page" if pdf.n_pages == 1 else f"any of its {pdf.n_pages} pages"
            status, message = "empty", (
                f"no text layer on {where}: a scanned PDF? "
                "Run OCR first (e.g. ocrmypdf) and give the OCRed file"
            )
            return _replace(row, status=status, message=message, n_pages=pdf.n_pages)
        if pdf.blank_pages:
            plural = len(pdf.blank_pages) > 1
            notes.append(f"{_pages(pdf.blank_pages)} {'have' if plural else 'has'} no text layer"
                         f" (scanned?) and {'were' if plural else 'was'} read as empty")
        return _replace(row, raw_text=pdf.text, n_pages=pdf.n_pages, title=pdf.title,
                        message="; ".join(notes))
    if row.format == "html":
        from flows.read.html import html_text  # trafilatura, lxml: only for a page

        page = html_text(data)
        if not page.text:
            return _replace(row, status="empty", title=page.title, message=(
                "no main text in the HTML page (only navigation, scripts or boilerplate)"))
        notes = ["main text extracted with trafilatura", *page.notes]
        return _replace(row, raw_text=page.text, title=page.title, message="; ".join(notes))
    decoded = decode_text(data)
    if not decoded.text.strip():
        return _replace(row, status="empty", message="file contains only white space")
    return _replace(row, raw_text=decoded.text, message="; ".join(decoded.notes))


def _reject(path: Path, *, source: str, fmt: str, max_bytes: int) -> Ingested:
    # Hashed without holding the bytes: memory stays bounded whatever the size.
    sha256, size = file_sha256(path)
    doc_id = doc_id_of(sha256 if size else None, path)
    if fmt == "other":
        supported = ", ".join(FORMATS)
        suffix = Path(source).suffix
        kind = f"'{suffix}'" if suffix else "(no extension)"
        status, message = "unsupported", f"unsupported file type {kind}; supported: {supported}"
    else:
        error = TooLargeError(
            f"file is {_megabytes(size)}, more than the limit of {_megabytes(max_bytes)} "
            "(raise max_bytes to read it anyway)"
        )
        status, message = error.status, str(error)
    return Ingested(doc_id, source, fmt, status, message, "", None, None, size)


def _replace(row: Ingested, **changes: object) -> Ingested:
    return Ingested(**{**row.__dict__, **changes})


def doc_id_of(sha256: str | None, path: Path) -> str:
    """The doc_id rule: the SHA-256 of the file's bytes (hex, as `file_sha256` gives it), or,
    when there are none to hash (`sha256` None: unreadable or empty), of its path string,
    since every empty file has the same bytes; 16 hex digits either way."""
    return (sha256 or hashlib.sha256(os.fsencode(path)).hexdigest())[:16]


def content_doc_id(path: Path) -> str | None:
    """The doc_id ingest gives the bytes of `path`; None when they cannot be read."""
    try:
        sha256, size = file_sha256(path)
    except OSError:
        return None
    return doc_id_of(sha256 if size else None, path)


def file_sha256(path: Path) -> tuple[str, int]:
    """(hex SHA-256, size) of the file's bytes, read a chunk at a time."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _pages(numbers: tuple[int, ...]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10]) + (", …" if len(numbers) > 10 else "")
    return f"page{'s' if len(numbers) > 1 else ''} {shown}"


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _os_reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def _describe(exc: Exception) -> str:
    return f"{exc.__class__.__name__}: {exc}" if str(exc) else exc.__class__.__name__
