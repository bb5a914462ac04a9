"""What `cpts-facts run` shows: a progress bar over files, then a summary of the run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from flows import progress
from flows.discover import discover

# Below this many files a bar only flickers; the summary says all there is to say.
PROGRESS_MIN_FILES = 20


def run_with_progress(args: argparse.Namespace) -> dict:
    from flows.pipeline import extract_flow

    console = Console(stderr=True)
    total = len(discover([Path(p) for p in args.inputs]))
    show_bar = not args.quiet and total >= PROGRESS_MIN_FILES and sys.stderr.isatty()
    kwargs = dict(
        inputs=list(args.inputs),
        out_dir=args.out,
        batch_size=args.batch_size,
        max_bytes=args.max_bytes,
        max_pages=args.max_pages,
        csv_dialect=args.csv_dialect,
        report=not args.no_report,
    )
    if show_bar:
        columns = ("[progress.description]{task.description}", BarColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as bar:
            task_id = bar.add_task("extracting", total=total)
            progress.set_listener(lambda n: bar.advance(task_id, n))
            try:
                summary = extract_flow(**kwargs)
            finally:
                progress.set_listener(None)
    else:
        summary = extract_flow(**kwargs)
    print_summary(summary, Console())
    return summary


def print_summary(summary: dict, console: Console) -> None:
    statuses = ", ".join(f"{k} {v}" for k, v in summary["statuses"].items()) or "none"
    console.print(f"files: {summary['files']} ({statuses})")
    console.print(
        f"found: {summary['cpts']} CPTS, {summary['facts']} facts, "
        f"{summary['validation_errors']} validation errors"
    )
    out = Path(summary["out_dir"])
    console.print(f"tables: {out}/*.parquet and {out}/*.csv; run summary: {out}/run.json")
