"""The one-line record of a run: runs.jsonl in the output folder, and a Prefect table artifact."""

from __future__ import annotations

import pandas as pd

from flows.dataset.export import WrittenCounts

# Statuses that mean "this file could not be turned into facts", as opposed to "nothing to find".
FAILED_STATUSES = ("unreadable", "invalid_facts")
ARTIFACT_KEY = "cpts-facts-run"


def run_line(
    *, run_id: str, started_at: str, finished_at: str, seconds: float, incremental: bool,
    counts: dict[str, int], processed: pd.DataFrame, rows: dict[str, int],
) -> dict:
    failed = int(processed["status"].isin(FAILED_STATUSES).sum()) if len(processed) else 0
    return {
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": finished_at,
        "seconds": round(seconds, 3),
        "incremental": incremental,
        **counts,
        "failed": failed,
        "tables": dict(rows),
    }


def publish_artifact(line: dict) -> None:
    """The same summary as a table in the Prefect UI (only inside a flow run)."""
    from prefect.artifacts import create_table_artifact

    rows = [{"measure": k, "value": v} for k, v in line.items() if k != "tables"]
    rows += [{"measure": f"rows in {k}", "value": v} for k, v in line["tables"].items()]
    create_table_artifact(
        table=[{k: str(v) for k, v in row.items()} for row in rows],
        key=ARTIFACT_KEY,
        description=f"cpts-facts run {line['run_id']}: {line['new']} new, "
        f"{line['skipped']} skipped, {line['failed']} failed",
    )


def summarise(written: WrittenCounts, out_dir: str, line: dict) -> dict:
    statuses, rows = written.statuses, written.rows
    return {
        "files": rows["documents"],
        "statuses": dict(statuses),
        "not_ok": sum(v for k, v in statuses.items() if k != "ok"),
        "cpts": rows["cpts"],
        "facts": rows["facts"],
        "validation_errors": rows["validation_errors"],
        "out_dir": str(out_dir),
        "run": line,
    }
