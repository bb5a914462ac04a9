"""One batch of files → its compact tables and its normalised texts, nothing bigger.

The batch is not validated here: the flow validates large chunks of batches at once
(flows.run.chunks), because a pandera call costs a fixed ~0.1 s whatever its size. `Document`
objects die with the batch.

With the default task runner the batch runs in a worker process (flows.run.runners.in_worker);
with Dask, in the Dask worker that runs the task.

A file that could not be read is often a transient failure (still being copied, locked): the
batch raises `TransientReadError` so that Prefect retries the task, and on its last attempt
records the files as unreadable, with the number of attempts in the message.

Each file is extracted under a time and memory budget (flows/run/budget.py): past it, the
file becomes a `timeout` or `too_large` row and the batch goes on. When the worker process
dies (killed by hand or by the kernel for memory, or ended by its budget watchdog), the batch is
run again one file per call on the replaced pool, so only the file that kills a worker
becomes a row of its own (`worker_crashed`, or the watchdog's verdict); the others lose nothing.
"""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd

from flows.dataset.tables import build_tables
from flows.errors import CptsFactsError
from flows.read.discover import Entry
from flows.run.budget import VERDICTS_ENV, Budget, OverBudget, enforced
from flows.run.process import failed_result, process_file
from flows.run.runners import WorkerCrashed, in_worker

# Messages of flows.read.ingest for a read that failed at the OS level (not a bad file).
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
    version: str | None = None, budget: Budget | None = None,
) -> dict:
    """The batch task's body: where the batch runs is `in_worker`'s business."""
    attempt, allowed = _attempt()
    budget = budget or Budget()
    try:
        return in_worker(run_batch, batch, max_bytes, max_pages, processed_at, version, attempt,
                         allowed, budget)
    except WorkerCrashed:
        pass
    parts = []
    for entry in batch:  # the pool is new: find the file that kills a worker, keep the others
        try:
            parts.append(in_worker(run_batch, [entry], max_bytes, max_pages, processed_at,
                                   version, attempt, allowed, budget))
        except WorkerCrashed as crash:
            said = crash.verdicts.get(entry.source, {})
            result = failed_result(entry, said.get("status", "worker_crashed"),
                                   said.get("message", crash.reason), processed_at)
            if version is not None:
                result.row["extractor_version"] = version
            parts.append({"tables": build_tables([result]), "texts": {}})
    return _joined(parts)


def _joined(parts: list[dict]) -> dict:
    tables = {
        name: pd.concat([p["tables"][name] for p in parts], ignore_index=True)
        for name in parts[0]["tables"]
    }
    return {"tables": tables, "texts": {k: v for p in parts for k, v in p["texts"].items()}}


def run_batch(
    batch: list[Entry], max_bytes: int, max_pages: int, processed_at: dt.datetime,
    version: str | None = None, attempt: int = 1, allowed: int = 1,
    budget: Budget | None = None,
) -> dict:
    """{"tables": the batch's tables (not validated), "texts": doc_id → text}.

    `version`: the flow's extractors.__version__, recorded on every row (a worker process
    imported its own copy of the package)."""
    budget = budget or Budget()
    # In a pool worker the watchdog may end the process when a C library ignores the stop.
    hard = bool(os.environ.get(VERDICTS_ENV))
    results = []
    for e in batch:
        try:
            with enforced(budget, e.source, hard=hard):
                result = process_file(e, max_bytes=max_bytes, max_pages=max_pages,
                                      processed_at=processed_at)
        except OverBudget as stop:
            result = failed_result(e, stop.status, stop.message, processed_at)
        results.append(result)
    transient = [r for r in results if str(r.row.get("message", "")).startswith(TRANSIENT_PREFIX)]
    if transient and attempt < allowed:
        names = ", ".join(r.row["source"] for r in transient[:3])
        raise TransientReadError(f"attempt {attempt}/{allowed}: cannot read {names}")
    if transient and allowed > 1:
        for r in transient:
            r.row["message"] += f" (after {allowed} attempts)"
    for r in results:
        if version is not None:
            r.row["extractor_version"] = version
    texts = {r.document.doc_id: r.document.text for r in results if r.document is not None}
    tables = build_tables(results)
    del results  # the Documents are the heavy part: gone before the tables travel back
    return {"tables": tables, "texts": texts}
