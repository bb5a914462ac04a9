"""What `cpts-facts run` shows: a progress bar over the run's phases and files, then a summary
of the run with the time of each phase (flows/run/progress.py names them).

The bar's spinner and clock move every tenth of a second whatever the phase; the N/M count
moves when a batch of files comes back from the workers."""

from __future__ import annotations

import contextlib
import logging
import sys
from functools import partial
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
from flows.settings import RunSettings

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


def run_with_progress(settings: RunSettings, *, quiet: bool = False,
                      heartbeats: bool = True) -> dict:
    """Run the flow as `settings` ask, with a progress bar on a terminal unless `quiet`.

    Without `heartbeats` (the CLI on an API of its own), the flow run sends Prefect none:
    only a server's automations read them, to mark a silent run crashed, and ours has none.
    Prefect joins its heartbeat thread at the flow's end, which sleeps in 1 s steps: up to a
    second of every run, half on average."""
    from flows.dataset.lock import output_lock

    quiet_expected_errors()
    # Taken here too (the flow takes it again, reentrantly): "locked" is then a one-line
    # error before any flow run exists.
    with output_lock(settings.out_path, wait=settings.wait):
        total = len(discover([Path(p) for p in settings.inputs]))
        with _heartbeats_off() if not heartbeats else contextlib.nullcontext():
            if quiet or total < PROGRESS_MIN_FILES or not sys.stderr.isatty():
                summary = _flow(settings)(settings)
            else:
                summary = _with_bar(settings, total)
    summary["phases"] = {k: round(v, 3) for k, v in progress.phase_seconds().items()}
    print_summary(summary, Console())
    return summary


class _Bar:
    """The progress listener the CLI draws: the phase as the description, files as the count."""

    def __init__(self, bar: Progress, total: int) -> None:
        self.bar = bar
        self.task = bar.add_task(progress.STARTING, total=total)

    def phase(self, name: str) -> None:
        self.bar.update(self.task, description=name)

    def advance(self, n: int) -> None:
        self.bar.advance(self.task, n)


def _with_bar(settings: RunSettings, total: int) -> dict:
    columns = (SpinnerColumn(), "[progress.description]{task.description}", BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True)) as bar:
        progress.set_listener(_Bar(bar, total))
        try:
            return _flow(settings)(settings)
        finally:
            progress.set_listener(None)


@contextlib.contextmanager
def _heartbeats_off():
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def _flow(settings: RunSettings):
    # Imported here, under the bar: importing Prefect is part of "starting Prefect".
    from flows.run.pipeline import extract_flow
    from flows.run.runners import make_task_runner

    return extract_flow.with_options(task_runner=make_task_runner(settings))


def print_summary(summary: dict, console: Console) -> None:
    # A summary line is never folded: its paths are copied and grepped whole.
    say = partial(console.print, soft_wrap=True)
    statuses = ", ".join(f"{k} {v}" for k, v in summary["statuses"].items()) or "none"
    run = summary.get("run") or {}
    if run.get("incremental"):
        waiting = (f", {run['unsettled']} still changing (left for the next run)"
                   if run.get("unsettled") else "")
        say(f"this run: {run['files_seen']} files seen, {run['new']} processed, "
            f"{run['skipped']} unchanged, {run['failed']} failed{waiting}")
    say(f"files: {summary['files']} ({statuses})")
    say(
        f"found: {summary['cpts']} CPTS, {summary['facts']} facts, "
        f"{summary['validation_errors']} validation errors"
    )
    out = Path(summary["out_dir"])
    say(f"tables: {out}/*.parquet and {out}/*.csv; run summary: {out}/run.json")
    phases = summary.get("phases") or {}
    if phases:
        times = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items())
        say(f"time: {times} (total {sum(phases.values()):.1f} s)")
