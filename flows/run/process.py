"""Files → tables: `extract_files`, the one way from input files to the published tables and their
texts, shared by the batch task (flows/run/batch.py), `cpts-facts show` and the tests.

`process_file` takes one file through ingest, normalisation, the extractors and assembly.
The only side effect is reading the file (inside `ingest`). Whatever goes wrong becomes the
document's status and message: a bad file never stops the batch it belongs to. Under a
`Budget` (flows/run/budget.py), a file past its time or memory budget becomes a row too.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

import extractors
from extractors.assemble.assemble import assemble
from extractors.text.document import build_document
from flows.dataset.tables import DocumentResult, build_tables
from flows.read.discover import Entry
from flows.read.ingest import Ingested, content_doc_id, failed, ingest_entry
from flows.run.budget import Budget, OverBudget, enforced
from flows.settings import DEFAULTS, RunSettings


@dataclass(frozen=True)
class Extracted:
    tables: dict[str, pd.DataFrame]  # the tables (validation_errors empty unless validated)
    texts: dict[str, str]  # doc_id → normalised text, the text the facts' offsets point into


def extract_files(
    entries: Iterable[Entry], settings: RunSettings = DEFAULTS, *,
    processed_at: dt.datetime | None = None, extractor_version: str | None = None,
    read_attempts: int = 1, validate: bool = False, budget: Budget | None = None,
    hard_stop: bool = False, on_file: Callable[[], None] | None = None,
) -> Extracted:
    """The tables and texts of `entries`, read within `settings`' limits. `processed_at`
    defaults to now; `validate` fills validation_errors (the flow validates whole chunks of
    batches instead, flows/run/chunks.py); `budget`: each file within it (`hard_stop`: in a
    pool worker, whose watchdog may end the process); `on_file()` after each file. The
    `Document`s die here: only tables and texts leave."""
    processed_at = processed_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
    results = []
    for entry in entries:
        results.append(_within(budget, hard_stop, entry, settings))
        if on_file is not None:
            on_file()
    texts = {r.document.doc_id: r.document.text for r in results if r.document is not None}
    tables = build_tables(results, processed_at=processed_at,
                          extractor_version=extractor_version, read_attempts=read_attempts)
    del results
    if validate:
        # pandera (~0.4 s to import) only here: a pool worker never validates.
        from schemas.validate import validate_tables

        tables, errors = validate_tables(tables, texts, run_date=processed_at.date())
        tables["validation_errors"] = errors
    return Extracted(tables, texts)


def _within(budget: Budget | None, hard_stop: bool, entry: Entry,
            settings: RunSettings) -> DocumentResult:
    if budget is None:
        return process_file(entry, max_bytes=settings.max_bytes, max_pages=settings.max_pages)
    try:
        with enforced(budget, entry.source, hard=hard_stop):
            return process_file(entry, max_bytes=settings.max_bytes,
                                max_pages=settings.max_pages)
    except OverBudget as stop:
        return failed_result(entry, stop.status, stop.message)


def failed_result(entry: Entry, status: str, message: str) -> DocumentResult:
    """A file whose extraction was stopped (over budget, its worker died): its doc_id is the
    one ingest gives its bytes, so the next incremental run knows the file."""
    ingested = failed(entry.path, entry.source, message, status=status)
    doc_id = content_doc_id(entry.path)
    return DocumentResult(ingested if doc_id is None else replace(ingested, doc_id=doc_id))


def process_file(entry: Entry, *, max_bytes: int = DEFAULTS.max_bytes,
                 max_pages: int = DEFAULTS.max_pages) -> DocumentResult:
    return process_ingested(ingest_entry(entry, max_bytes=max_bytes, max_pages=max_pages))


def process_ingested(ingested: Ingested) -> DocumentResult:
    if ingested.status != "ok":
        return DocumentResult(ingested)
    document = None
    try:
        document = build_document(
            ingested.doc_id,
            ingested.raw_text,
            title=ingested.title,
            paged=ingested.format == "pdf",
            published=ingested.published,
        )
        if not document.text.strip():
            return DocumentResult(ingested, document, status="empty",
                                  message="no text left after normalisation")
        facts = extractors.extract_all(document)
        assembly = assemble(document, facts)
    except Exception as exc:  # an extractor bug must cost one file, not the run
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = (f"extraction failed: {type(exc).__name__}: {exc} "
                   f"({Path(where.filename).name}:{where.lineno})")
        return DocumentResult(ingested, document, status="invalid_facts", message=message)
    return DocumentResult(ingested, document, assembly)
