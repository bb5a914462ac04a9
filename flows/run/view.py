"""What `cpts-facts run` shows: a progress bar over files, then a summary of the run."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from flows.read.discover import discover
from flows.run import progress

# Below this many files a bar only flickers; the summary says all there is to say.
PROGRESS_MIN_FILES = 20


class _ExpectedErrorFilter(logging.Filter):
    """Prefect logs a failed flow with its traceback; for an error the user caused (disk full,
    folder locked) the CLI prints one line instead, so those records are dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        from flows.errors import CptsFactsError

        error = record.exc_info[1] if record.exc_info else None
        return not (isinstance(error, CptsFactsError) or "CptsFactsError" in record.getMessage()
                    or "TransientReadError" in record.getMessage())


def quiet_expected_errors() -> None:
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _ExpectedErrorFilter) for f in logger.filters):
            logger.addFilter(_ExpectedErrorFilter())


def run_with_progress(args: argparse.Namespace) -> dict:
    from flows.dataset.lock import output_lock
    from flows.run.runners import make_task_runner

    quiet_expected_errors()
    runner = make_task_runner(args.task_runner, args.dask_address)
    # Taken here too (the flow takes it again, reentrantly): "locked" is then a one-line
    # error before any flow run exists.
    with output_lock(Path(args.out), wait=args.wait):
        return _run(args, runner)


def _run(args: argparse.Namespace, runner) -> dict:
    from flows.run.pipeline import extract_flow

    flow = extract_flow if runner is None else extract_flow.with_options(task_runner=runner)
    console = Console(stderr=True)
    total = len(discover([Path(p) for p in args.inputs]))
    show_bar = not args.quiet and total >= PROGRESS_MIN_FILES and sys.stderr.isatty()
    kwargs = dict(
        inputs=list(args.inputs),
        out_dir=args.out,
        batch_size=args.batch_size,
        workers=args.workers,
        report_max_docs=args.report_max_docs,
        max_bytes=args.max_bytes,
        max_pages=args.max_pages,
        csv_dialect=args.csv_dialect,
        report=not args.no_report,
        incremental=args.incremental,
        prune=args.prune,
        wait=args.wait,
    )
    if show_bar:
        columns = ("[progress.description]{task.description}", BarColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as bar:
            task_id = bar.add_task("extracting", total=total)
            progress.set_listener(lambda n: bar.advance(task_id, n))
            try:
                summary = flow(**kwargs)
            finally:
                progress.set_listener(None)
    else:
        summary = flow(**kwargs)
    print_summary(summary, Console())
    return summary


def print_summary(summary: dict, console: Console) -> None:
    statuses = ", ".join(f"{k} {v}" for k, v in summary["statuses"].items()) or "none"
    run = summary.get("run") or {}
    if run.get("incremental"):
        console.print(f"this run: {run['files_seen']} files seen, {run['new']} processed, "
                      f"{run['skipped']} unchanged, {run['failed']} failed")
    console.print(f"files: {summary['files']} ({statuses})")
    console.print(
        f"found: {summary['cpts']} CPTS, {summary['facts']} facts, "
        f"{summary['validation_errors']} validation errors"
    )
    out = Path(summary["out_dir"])
    console.print(f"tables: {out}/*.parquet and {out}/*.csv; run summary: {out}/run.json")
