"""What `cpts-facts run` shows: a progress bar over the run's phases and files, then a summary
of the run with the time of each phase (flows/run/progress.py names them).

The bar's spinner and clock move every tenth of a second whatever the phase; the N/M count
moves when a batch of files comes back from the workers."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TimeElapsedColumn,
)

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


class _Bar:
    """The progress listener the CLI draws: the phase as the description, files as the count."""

    def __init__(self, bar: Progress, total: int) -> None:
        self.bar = bar
        self.task = bar.add_task(progress.STARTING, total=total)

    def phase(self, name: str) -> None:
        self.bar.update(self.task, description=name)

    def advance(self, n: int) -> None:
        self.bar.advance(self.task, n)


def _run(args: argparse.Namespace, runner) -> dict:
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
        columns = (SpinnerColumn(), "[progress.description]{task.description}", BarColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as bar:
            progress.set_listener(_Bar(bar, total))
            try:
                summary = _flow(runner)(**kwargs)
            finally:
                progress.set_listener(None)
    else:
        summary = _flow(runner)(**kwargs)
    summary["phases"] = {k: round(v, 3) for k, v in progress.phase_seconds().items()}
    print_summary(summary, Console())
    return summary


def _flow(runner):
    # Imported here, under the bar: importing Prefect is part of "starting Prefect".
    from flows.run.pipeline import extract_flow

    return extract_flow if runner is None else extract_flow.with_options(task_runner=runner)


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
    phases = summary.get("phases") or {}
    if phases:
        times = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items())
        console.print(f"time: {times} (total {sum(phases.values()):.1f} s)", soft_wrap=True)
