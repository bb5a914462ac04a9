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

from flows.dataset.memory import leave_out_long_lived
from flows.dataset.tables import build_tables
from flows.errors import CptsFactsError
from flows.read.discover import Entry
from flows.read.ingest import READ_FAILED
from flows.run.budget import VERDICTS_ENV, Budget
from flows.run.runners import WorkerCrashed, file_done, in_worker
from flows.settings import RunSettings


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
    batch: list[Entry], settings: RunSettings, processed_at: dt.datetime,
    version: str | None = None,
) -> dict:
    """The batch task's body: where the batch runs is `in_worker`'s business."""
    attempt, allowed = _attempt()
    try:
        return in_worker(run_batch, batch, settings, processed_at, version, attempt, allowed)
    except WorkerCrashed:
        pass
    # Only now: importing extraction's modules compiles their patterns, which the flow's own
    # process (whose batches run in worker processes) otherwise never needs (see run_batch).
    from flows.run.process import failed_result

    parts = []
    for entry in batch:  # the pool is new: find the file that kills a worker, keep the others
        try:
            parts.append(in_worker(run_batch, [entry], settings, processed_at, version,
                                   attempt, allowed))
        except WorkerCrashed as crash:
            said = crash.verdicts.get(entry.source, {})
            result = failed_result(entry, said.get("status", "worker_crashed"),
                                   said.get("message", crash.reason))
            tables = build_tables([result], processed_at=processed_at,
                                  extractor_version=version)
            parts.append({"tables": tables, "texts": {}})
    return _joined(parts)


# A worker's first batch may cost it seconds of fixed work (the language model's load, when a
# document needs the parse) against ~10-50 ms per file: a small run split across every worker
# pays that load once per worker for a few files each. Below this many files a batch is not
# split further (never above `batch_size`, which stays the most a batch holds).
MIN_SPLIT_FILES = 10


def batch_bounds(n: int, batch_size: int, workers: int) -> list[tuple[int, int]]:
    """[start, end) of each batch: at most `batch_size` files, and at least two batches per
    worker when there are enough files (MIN_SPLIT_FILES), so that no worker idles while
    another has a backlog. The last batches shrink, each at most a (2 × workers)-th of the
    files left (down to MIN_SPLIT_FILES): the workers take the batches as they finish, and a
    last batch as long as the others kept one core busy alone for its whole length (1,100
    files in batches of 100 on two workers: six batches on one, five on the other)."""
    workers = max(workers, 1)
    bounds, start = [], 0
    while start < n:
        left = n - start
        if workers == 1:  # no other worker to finish with: only the two batches to split
            step = max(MIN_SPLIT_FILES, -(-n // 2))
        elif left >= 2 * MIN_SPLIT_FILES:
            step = max(MIN_SPLIT_FILES, -(-left // (2 * workers)))
        else:  # the last files: two halves, or one batch when they are few
            step = left if left <= MIN_SPLIT_FILES else -(-left // 2)
        end = start + max(1, min(batch_size, step, left))
        bounds.append((start, end))
        start = end
    return bounds


def _joined(parts: list[dict]) -> dict:
    tables = {
        name: pd.concat([p["tables"][name] for p in parts], ignore_index=True)
        for name in parts[0]["tables"]
    }
    return {"tables": tables, "texts": {k: v for p in parts for k, v in p["texts"].items()}}


# Batches this process ran (a pool worker runs many, one after the other).
_batches_run = 0


def _leave_out_what_the_first_batch_set_up() -> None:
    """In a pool worker, from its second batch on: what its first batch set up and kept (the
    INSEE reference and its lookups, the lexicons, the compiled patterns, the name caches, the
    model when a document needed it) is left out of its later garbage collections.

    Each full collection walks every object alive: ~0.15 s each in a worker, twice per 400
    documents, 0.7 ms of the ~15-20 ms a text document costs, to find that none of that setup
    is garbage. The first batch's own tables were sent back and dropped by now; `gc.collect`
    frees the cycles among them before the freeze. A worker ends with the pool, so nothing is
    unfrozen; elsewhere (Dask's workers, the flow's own process, a test) nothing is frozen."""
    global _batches_run
    _batches_run += 1
    if _batches_run == 2 and os.environ.get(VERDICTS_ENV):  # set in pool workers only
        leave_out_long_lived()


def run_batch(
    batch: list[Entry], settings: RunSettings, processed_at: dt.datetime,
    version: str | None = None, attempt: int = 1, allowed: int = 1,
) -> dict:
    """{"tables": the batch's tables (not validated), "texts": doc_id → text}, each file
    within the per-file budget of `settings`.

    `version`: the flow's extractors.__version__, recorded on every row (a worker process
    imported its own copy of the package)."""
    # Imported here: the flow's own process, whose batches run in worker processes, never
    # compiles the extractors' patterns (the forkserver imports this module for its workers).
    from flows.run.process import extract_files

    _leave_out_what_the_first_batch_set_up()

    # In a pool worker the watchdog may end the process when a C library ignores the stop.
    extracted = extract_files(batch, settings, processed_at=processed_at,
                              extractor_version=version, read_attempts=allowed,
                              budget=Budget.of(settings),
                              hard_stop=bool(os.environ.get(VERDICTS_ENV)), on_file=file_done)
    documents = extracted.tables["documents"]
    failed = documents["source"][documents["message"].fillna("").str.startswith(READ_FAILED)]
    if len(failed) and attempt < allowed:
        names = ", ".join(failed.head(3))
        raise TransientReadError(f"attempt {attempt}/{allowed}: cannot read {names}")
    return {"tables": extracted.tables, "texts": extracted.texts}
