"""One input file → one `DocResult`: ingest, normalise, extract, assemble.

The only side effect is reading the file (inside `ingest`). Whatever goes wrong becomes the
document's status and message: a bad file never stops the batch it belongs to.
"""

from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import dataclass, replace
from pathlib import Path

import extractors
from extractors.assemble.assemble import assemble
from extractors.records import Assembly
from extractors.text.document import build_document
from extractors.types import Document
from flows.read.discover import Entry
from flows.read.ingest import Ingested, content_doc_id, failed, ingest_entry


@dataclass(frozen=True)
class DocResult:
    """Everything the tables need about one input file."""

    row: dict  # the documents row, before the extracted fields are filled in
    document: Document | None
    assembly: Assembly | None


def process_file(
    entry: Entry, *, max_bytes: int, max_pages: int, processed_at: dt.datetime
) -> DocResult:
    ingested = ingest_entry(entry, max_bytes=max_bytes, max_pages=max_pages)
    return process_ingested(ingested, processed_at=processed_at)


def failed_result(entry: Entry, status: str, message: str, processed_at: dt.datetime
                  ) -> DocResult:
    """The row of a file whose extraction was stopped (over budget, its worker died): its
    doc_id is the one ingest gives its bytes, so the next incremental run knows the file."""
    row = failed(entry.path, entry.source, message, status=status)
    doc_id = content_doc_id(entry.path)
    if doc_id is not None:
        row = replace(row, doc_id=doc_id)
    return process_ingested(row, processed_at=processed_at)


def process_ingested(ingested: Ingested, *, processed_at: dt.datetime) -> DocResult:
    row = {
        "doc_id": ingested.doc_id,
        "source": ingested.source,
        "format": ingested.format,
        "status": ingested.status,
        "message": ingested.message,
        "title": ingested.title,
        "n_chars": None,
        "n_pages": ingested.n_pages,
        "extractor_version": extractors.__version__,
        "processed_at": processed_at,
        "url": ingested.url,
        "fetched_at": ingested.fetched_at,
    }
    if ingested.status != "ok":
        return DocResult(row, None, None)
    try:
        document = build_document(
            ingested.doc_id,
            ingested.raw_text,
            title=ingested.title,
            paged=ingested.format == "pdf",
            published=ingested.published,
        )
        row["n_chars"] = len(document.text)
        if not document.text.strip():
            row.update(status="empty", message="no text left after normalisation")
            return DocResult(row, document, None)
        facts = extractors.extract_all(document)
        assembly = assemble(document, facts)
    except Exception as exc:  # an extractor bug must cost one file, not the run
        where = traceback.extract_tb(exc.__traceback__)[-1]
        row.update(
            status="invalid_facts",
            message=f"extraction failed: {type(exc).__name__}: {exc} "
            f"({Path(where.filename).name}:{where.lineno})",
        )
        return DocResult(row, None, None)
    return DocResult(row, document, assembly)

