"""Shared by the incremental/serve/output-error tests: is a dataset whole and self-consistent,
and how to run the real CLI in a subprocess against the session's Prefect API."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from flows.dataset.export import read_dataset
from tests.conftest import ROOT


def assert_consistent(out: Path) -> dict:
    """Tables, run.json, state.json, runs.jsonl and texts all describe the same dataset."""
    tables = read_dataset(out)
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["tables"] == {name: len(df) for name, df in tables.items()}
    state = json.loads((out / "state.json").read_text(encoding="utf-8"))
    docs = tables["documents"]
    primary = set(docs.loc[docs["status"] != "duplicate", "doc_id"])
    assert set(state["documents"]) == primary
    last = json.loads((out / "runs.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert last["tables"] == run["tables"]
    for doc_id in tables["facts"]["doc_id"].unique():
        assert (out / "text" / f"{doc_id}.txt").is_file(), doc_id
    return tables


def cli_env() -> dict[str, str]:
    """The environment of a CLI subprocess: this session's Prefect API (no second server)."""
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ)
    url = PREFECT_API_URL.value()
    if url:
        env["PREFECT_API_URL"] = url
    env["PYTHONPATH"] = str(ROOT)
    return env


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", *args]
