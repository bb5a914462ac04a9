"""`run --incremental`: only new or changed documents are processed, every other row is kept."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

import extractors
from flows.dataset.export import DatasetWriter, read_dataset, write_dataset
from flows.dataset.upsert import StreamingMerge
from flows.read.ingest import content_doc_id
from flows.settings import RunSettings
from schemas.columns import empty_frame, frame
from tests.conftest import SEEDS
from tests.dataset_checks import assert_consistent


def run(inbox, out, **options):
    from flows.run.pipeline import extract_flow

    return extract_flow(RunSettings(inputs=[str(inbox)], out_dir=str(out), batch_size=2,
                                    report=False, incremental=True, **options))["run"]


@pytest.fixture()
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for seed in SEEDS[:3]:
        shutil.copy(seed, folder / seed.name)
    return folder


def test_new_files_renames_and_deletions(prefect_harness, inbox, tmp_path):
    out = tmp_path / "out"
    assert run(inbox, out)["new"] == 3
    before = assert_consistent(out)

    for seed in SEEDS[3:5]:
        shutil.copy(seed, inbox / seed.name)
    line = run(inbox, out)
    assert (line["new"], line["skipped"]) == (2, 3)
    after = assert_consistent(out)
    assert len(after["documents"]) == 5
    old_facts = before["facts"].drop(columns=[]).reset_index(drop=True)
    kept = after["facts"][after["facts"]["doc_id"].isin(before["documents"]["doc_id"])]
    pd.testing.assert_frame_equal(kept.reset_index(drop=True), old_facts)

    (inbox / SEEDS[0].name).rename(inbox / "renamed.txt")
    (inbox / "sub").mkdir()
    (inbox / SEEDS[1].name).rename(inbox / "sub" / "moved.txt")
    line = run(inbox, out)
    assert (line["new"], line["skipped"]) == (0, 5)
    sources = set(assert_consistent(out)["documents"]["source"])
    assert {"renamed.txt", "sub/moved.txt"} <= sources

    (inbox / "renamed.txt").unlink()
    assert run(inbox, out)["new"] == 0
    assert len(assert_consistent(out)["documents"]) == 5, "a deleted file keeps its rows"
    run(inbox, out, prune=True)
    assert len(assert_consistent(out)["documents"]) == 4
    lines = (out / "runs.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and json.loads(lines[1])["new"] == 2


def test_changed_content_and_copies(prefect_harness, inbox, tmp_path):
    out = tmp_path / "out"
    target = inbox / SEEDS[0].name
    full = target.read_text(encoding="utf-8")
    target.write_text(full[: len(full) // 2], encoding="utf-8")  # a download read half-way
    run(inbox, out)
    old_id = content_doc_id(target)
    target.write_text(full + "\nFin du communiqué.\n", encoding="utf-8")
    shutil.copy(inbox / SEEDS[1].name, inbox / "copie.txt")
    line = run(inbox, out)
    assert (line["new"], line["duplicates"]) == (1, 1)
    tables = assert_consistent(out)
    docs = tables["documents"]
    assert len(docs) == 4  # 3 releases (the changed one in its new version) and the copy
    copy = docs[docs["source"] == "copie.txt"].iloc[0]
    assert copy["status"] == "duplicate" and SEEDS[1].name in copy["message"]
    changed = docs[docs["source"] == target.name]
    assert list(changed["doc_id"]) == [content_doc_id(target)]
    for name, table in tables.items():  # the old version left every table
        assert old_id not in set(table["doc_id"]), name
    assert not (out / "text" / f"{old_id}.txt").exists()
    assert "Fin du communiqué." in (out / "text" / f"{content_doc_id(target)}.txt").read_text(
        encoding="utf-8")


def test_new_extractor_version_reprocesses_everything(prefect_harness, inbox, tmp_path,
                                                      monkeypatch):
    out = tmp_path / "out"
    run(inbox, out)
    assert run(inbox, out)["new"] == 0
    monkeypatch.setattr(extractors, "__version__", "9.9.9-test")
    assert run(inbox, out)["new"] == 3
    docs = assert_consistent(out)["documents"]
    assert set(docs["extractor_version"]) == {"9.9.9-test"}


def test_plain_run_replaces_the_dataset(prefect_harness, inbox, tmp_path):
    out = tmp_path / "out"
    run(inbox, out)
    from flows.run.pipeline import extract_flow

    extract_flow(RunSettings(inputs=[str(SEEDS[4])], out_dir=str(out), report=False))
    docs = assert_consistent(out)["documents"]
    assert list(docs["source"]) == [SEEDS[4].name]
    assert len(list((out / ".snapshots").iterdir())) == 2  # current and previous only


def test_upsert_renumbers_validation_error_rows(tmp_path):
    def facts(*doc_ids):
        return frame("facts", [{"doc_id": d, "kind": "x", "start": 0, "end": 1} for d in doc_ids])

    def errors(*rows):
        return frame("validation_errors", [
            {"table": "facts", "level": "error", "doc_id": d, "column": "kind", "check": "c",
             "row": r}
            for d, r in rows
        ])

    def tables(fact_frame, error_frame):
        found = {t: empty_frame(t) for t in ("documents", "cpts", "amounts", "missions", "places")}
        return {**found, "facts": fact_frame, "validation_errors": error_frame}

    old = tables(facts("a", "b", "c"), errors(("a", 0), ("c", 2), ("b", 1)))
    new = tables(facts("b", "d"), errors(("d", 1)))
    write_dataset(old, tmp_path / "old", texts={}, run_info={})
    with DatasetWriter(tmp_path / "new") as writer:
        merge = StreamingMerge(writer, {}, [])
        merge.add_old(tmp_path / "old", drop={"b"})
        merge.add(new)
        merge.finish()
        writer.close({})
    merged = read_dataset(tmp_path / "new")
    assert list(merged["facts"]["doc_id"]) == ["a", "c", "b", "d"]
    got = merged["validation_errors"][["doc_id", "row"]].values.tolist()
    assert got == [["a", 0], ["c", 1], ["d", 3]]
    for doc_id, row in got:
        assert merged["facts"].at[row, "doc_id"] == doc_id
