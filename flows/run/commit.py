"""Write a run's complete dataset into its snapshot, then switch the output folder to it.

Tables, texts, run.json, state.json and runs.jsonl all live in the snapshot, so they agree
with each other whatever moment a run is killed at: before the switch the previous snapshot
is the dataset, after it the new one. Any OSError (disk full, folder gone) leaves the previous
dataset as it was and becomes one CptsFactsError line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from flows.dataset import store
from flows.dataset.export import write_dataset
from flows.dataset.state import STATE_FILE
from flows.errors import CptsFactsError
from flows.publish.extras import write_extras

RUNS_FILE = "runs.jsonl"


def write_texts(snapshot: Path, texts: dict[str, str]) -> None:
    # Inside a snapshot nobody reads yet: a plain write is enough, the switch is the commit.
    for doc_id, text in texts.items():
        with open(snapshot / "text" / f"{doc_id}.txt", "w", encoding="utf-8", newline="") as f:
            f.write(text)


def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def commit(
    out_dir: Path,
    snapshot: Path,
    tables: dict[str, pd.DataFrame] | None,
    *,
    run_info: dict,
    state: dict,
    run_line: dict,
    previous: Path | None,
    csv_dialect: str,
    report: bool,
    report_max_docs: int | None = None,
) -> None:
    """`tables` None: the flow already streamed the tables and run.json into `snapshot`
    (flows.dataset.export.DatasetWriter); the registry and the report read them back from there."""
    with store.writing(snapshot, out_dir):
        if tables is not None:
            write_dataset(tables, snapshot, texts={}, run_info=run_info,
                          csv_dialect=csv_dialect)
        write_extras(tables, None, snapshot, report=report, report_max_docs=report_max_docs)
        (snapshot / STATE_FILE).write_text(_json(state), encoding="utf-8")
        old_runs = previous / RUNS_FILE if previous is not None else None
        history = old_runs.read_text(encoding="utf-8") if old_runs and old_runs.is_file() else ""
        line = json.dumps(run_line, ensure_ascii=False, default=str)
        (snapshot / RUNS_FILE).write_text(history + line + "\n", encoding="utf-8")
    try:
        store.switch(out_dir, snapshot)
    except OSError as exc:
        # Before the `current` link moved, the previous dataset is still whole; after it, the
        # new one is, and only a public link is missing: the next run recreates it.
        raise CptsFactsError(f"cannot switch {out_dir} to the new dataset: {exc}") from exc
    store.prune(out_dir, {snapshot, previous})
