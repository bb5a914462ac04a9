"""The Prefect flow end to end in a temp folder: inputs in, the tables ×2 formats out."""

from __future__ import annotations

import json
import shutil
import stat

import pandas as pd
import pytest

from flows.settings import RunSettings
from tests.conftest import SEEDS

TABLES = ["documents", "cpts", "amounts", "missions", "places", "facts", "validation_errors"]


@pytest.fixture(scope="module")
def flow_run(prefect_harness, tmp_path_factory):
    from flows.run.pipeline import extract_flow

    inbox = tmp_path_factory.mktemp("inbox")
    for seed in SEEDS:
        shutil.copy(seed, inbox / seed.name)
    (inbox / "notes.docx").write_bytes(b"PK\x03\x04 not a release")
    (inbox / "vide.txt").write_text("   \n", encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    summary = extract_flow(RunSettings(inputs=[str(inbox)], out_dir=str(out), batch_size=3))
    return summary, out


def test_all_tables_in_both_formats_and_run_json(flow_run):
    _, out = flow_run
    for table in TABLES:
        assert (out / f"{table}.parquet").is_file(), table
        assert (out / f"{table}.csv").is_file(), table
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["versions"]["extractor_version"]
    assert run["settings"] == RunSettings(batch_size=3).recorded()
    assert run["task_runner"] == "ThreadPoolTaskRunner"


def test_every_file_written_has_one_mode(flow_run):
    # The registry and datapackage.json were 0600 while the tables were 0644.
    _, out = flow_run
    snapshot = (out / "current").resolve()
    modes = {p.relative_to(snapshot).as_posix(): stat.S_IMODE(p.stat().st_mode)
             for p in snapshot.rglob("*") if p.is_file()}
    assert {"cpts_registry.csv", "datapackage.json", "report.html"} <= set(modes)
    assert len(set(modes.values())) == 1, modes


def test_one_documents_row_per_input_file(flow_run):
    summary, out = flow_run
    docs = pd.read_parquet(out / "documents.parquet")
    assert len(docs) == len(SEEDS) + 2 == summary["files"]
    by_source = dict(zip(docs["source"], docs["status"], strict=True))
    assert by_source["notes.docx"] == "unsupported"
    assert by_source["vide.txt"] == "empty"
    assert all(by_source[p.name] == "ok" for p in SEEDS)


def test_places_are_written_and_validated(flow_run):
    _, out = flow_run
    places = pd.read_parquet(out / "places.parquet")
    assert len(places) and set(places["status"]) <= {"resolved", "ambiguous", "unknown"}
    resolved = places[places["status"] == "resolved"]
    assert resolved["insee_code"].notna().all() and resolved["name"].notna().all()
    errors = pd.read_parquet(out / "validation_errors.parquet")
    assert errors[(errors["table"] == "places") | (errors["level"] == "error")].empty
    cpts = pd.read_parquet(out / "cpts.parquet")
    assert cpts["departments_inferred"].map(len).sum() > 0
    for row in places.itertuples():
        text = (out / "text" / f"{row.doc_id}.txt").read_text(encoding="utf-8")
        assert text[row.start : row.end] == row.text


def test_saved_texts_back_every_offset(flow_run):
    _, out = flow_run
    facts = pd.read_parquet(out / "facts.parquet")
    texts = {}
    for row in facts.itertuples():
        if row.doc_id not in texts:
            texts[row.doc_id] = (out / "text" / f"{row.doc_id}.txt").read_text(encoding="utf-8")
        assert texts[row.doc_id][row.start : row.end] == row.text


def test_parquet_keeps_real_types(flow_run):
    import pyarrow.parquet as pq

    _, out = flow_run
    cpts = pq.read_schema(out / "cpts.parquet")
    assert str(cpts.field("signed_on").type) == "date32[day]"
    assert str(cpts.field("population").type) == "int64"
    assert str(cpts.field("departments").type).startswith("list<")
    amounts = pq.read_schema(out / "amounts.parquet")
    assert str(amounts.field("per_year").type) == "bool"


@pytest.mark.parametrize("n, window", [(0, 4), (3, 4), (4, 4), (25, 4), (25, 1), (7, 6)])
def test_batches_are_submitted_a_window_ahead_of_their_consumer(n, window):
    # Every batch was submitted at once: on a 10,000-file run the finished ones waited in
    # the flow's memory for their turn, and its peak grew with the run.
    from flows.run.pipeline import _submitted

    submitted, taken = [], []

    def submit(batch):
        submitted.append(batch)
        return f"future of {batch}"

    for future in _submitted(submit, iter(range(n)), window):
        taken.append(future)
        assert len(submitted) - len(taken) < window  # the one being consumed is taken
        assert len(submitted) >= min(n, len(taken) + window - 1)  # the workers stay fed
    assert taken == [f"future of {i}" for i in range(n)]
