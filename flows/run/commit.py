"""Finish a run's snapshot, then switch the output folder to it.

The flow streamed the tables, texts and run.json into the snapshot; here come the registry,
the data package and the report (read back from the written tables), state.json and
runs.jsonl. They all live in the snapshot, so they agree with each other whatever moment a run
is killed at: before the switch the previous snapshot is the dataset, after it the new one.
Any OSError (disk full, folder gone) leaves the previous dataset as it was and becomes one
CptsFactsError line.
"""

from __future__ import annotations

import json
from pathlib import Path

from flows.dataset import store
from flows.dataset.state import STATE_FILE
from flows.errors import CptsFactsError
from flows.publish.extras import write_extras
from flows.run import interrupt

RUNS_FILE = "runs.jsonl"


def _dump(data: object, path: Path) -> None:
    """`data` as indented JSON, written as it is encoded: the state of 10,000 documents encoded
    whole took 26 MB at once (its pieces, then the 5 MB text)."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False, default=str)
        handle.write("\n")


def commit(
    out_dir: Path,
    snapshot: Path,
    *,
    state: dict,
    run_line: dict,
    previous: Path | None,
    csv_dialect: str,
    report: bool,
    report_max_docs: int | None = None,
) -> None:
    with store.writing(snapshot, out_dir):
        _dump(state, snapshot / STATE_FILE)
        # The caller holds no other reference: the state of 10,000 documents (~20 MB) is not
        # kept while the registry and the report read the tables back.
        del state
        write_extras(snapshot, report=report, report_max_docs=report_max_docs,
                     csv_dialect=csv_dialect)
        old_runs = previous / RUNS_FILE if previous is not None else None
        history = old_runs.read_text(encoding="utf-8") if old_runs and old_runs.is_file() else ""
        line = json.dumps(run_line, ensure_ascii=False, default=str)
        (snapshot / RUNS_FILE).write_text(history + line + "\n", encoding="utf-8")
    # A signal waits for the switch (milliseconds), so that its line says which dataset is in.
    with interrupt.switching():
        try:
            store.switch(out_dir, snapshot)
        except OSError as exc:
            # Before the `current` link moved, the previous dataset is still whole; after it,
            # the new one is, and only a public link is missing: the next run recreates it.
            raise CptsFactsError(f"cannot switch {out_dir} to the new dataset: {exc}") from exc
        interrupt.now(f"the run's new dataset is already in place in {out_dir}")
    store.prune(out_dir, {snapshot, previous})
