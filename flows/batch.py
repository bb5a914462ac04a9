"""One batch of files → its six validated tables and its normalised texts, nothing bigger.

Validation runs per batch: every check is per document (doc_id uniqueness across batches
holds because the flow sends each document to exactly one batch), so the result is the same
as validating the whole dataset, while `Document` objects die with the batch.

A file that could not be read is often a transient failure (still being copied, locked): the
batch raises `TransientReadError` so that Prefect retries the task, and on its last attempt
records the files as unreadable, with the number of attempts in the message.
"""

from __future__ import annotations

import datetime as dt

from flows.discover import Entry
from flows.errors import CptsFactsError
from flows.process import process_file
from flows.tables import build_tables
from schemas.validate import validate_tables

# Messages of flows.ingest for a read that failed at the OS level (not a bad file).
TRANSIENT_PREFIX = "cannot read file:"


class TransientReadError(CptsFactsError):
    pass


def _attempt() -> tuple[int, int]:
    """(this attempt, attempts allowed) inside a Prefect task run; (1, 1) outside one."""
    try:
        from prefect.context import TaskRunContext

        context = TaskRunContext.get()
    except ImportError:  # pragma: no cover - prefect is a dependency
        context = None
    if context is None:
        return 1, 1
    return context.task_run.run_count, context.task.retries + 1


def process_entries(
    batch: list[Entry], max_bytes: int, max_pages: int, processed_at: dt.datetime,
    run_date: dt.date,
) -> dict:
    results = [
        process_file(e, max_bytes=max_bytes, max_pages=max_pages, processed_at=processed_at)
        for e in batch
    ]
    transient = [r for r in results if str(r.row.get("message", "")).startswith(TRANSIENT_PREFIX)]
    attempt, allowed = _attempt()
    if transient and attempt < allowed:
        names = ", ".join(r.row["source"] for r in transient[:3])
        raise TransientReadError(f"attempt {attempt}/{allowed}: cannot read {names}")
    if transient and allowed > 1:
        for r in transient:
            r.row["message"] += f" (after {allowed} attempts)"
    texts = {r.document.doc_id: r.document.text for r in results if r.document is not None}
    tables = build_tables(results)
    del results  # the Documents (spaCy docs included) are the heavy part: gone before validation
    tables, errors = validate_tables(tables, texts, run_date=run_date)
    tables["validation_errors"] = errors
    return {"tables": tables, "texts": texts}
