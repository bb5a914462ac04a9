"""The real flow over a folder of every bad input we know, beside the five seeds.

The promise under test: bad input never crashes a run and never loses data. The run completes;
`documents` has exactly one row per input file with the expected status, and a message for
every row that is not ok; the seeds' facts are exactly those of a clean run of the seeds
alone; a file placed in the output folder beforehand survives; a file deleted between listing
and reading becomes an `unreadable` row instead of an exception.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from flows.settings import RunSettings
from tests.conftest import SEEDS
from tests.fixtures_files import write_torture_files

VANISHING = "vanishing/deleted after listing.txt"
KEEP = "notes de l'analyste.txt"


@pytest.fixture(scope="module")
def torture_run(prefect_harness, tmp_path_factory, monkeypatch_module):
    import flows.run.pipeline as pipeline

    folder = tmp_path_factory.mktemp("torture")
    expected = write_torture_files(folder)
    for seed in SEEDS:
        (folder / "seeds").mkdir(exist_ok=True)
        shutil.copy(seed, folder / "seeds" / seed.name)
        expected[f"seeds/{seed.name}"] = "ok"
    vanishing = folder / VANISHING
    vanishing.parent.mkdir()
    vanishing.write_text("CPTS qui disparaît avant d'être lue.", encoding="utf-8")
    expected[VANISHING] = "unreadable"

    real_discover = pipeline.discover

    def discover_then_delete(inputs):
        entries = real_discover(inputs)
        vanishing.unlink()  # listed, then gone before anyone reads it
        return entries

    monkeypatch_module.setattr(pipeline, "discover", discover_then_delete)
    out = tmp_path_factory.mktemp("out")
    (out / KEEP).write_text("écrit avant le run", encoding="utf-8")
    summary = pipeline.extract_flow(RunSettings(inputs=[str(folder)], out_dir=str(out),
                                                batch_size=10))
    monkeypatch_module.setattr(pipeline, "discover", real_discover)

    clean_in = tmp_path_factory.mktemp("seeds_only")
    for seed in SEEDS:
        shutil.copy(seed, clean_in / seed.name)
    clean_out = tmp_path_factory.mktemp("clean_out")
    pipeline.extract_flow(RunSettings(inputs=[str(clean_in)], out_dir=str(clean_out)))
    return summary, out, clean_out, expected


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _documents(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "documents.parquet")


def test_every_input_file_has_exactly_one_row_with_its_status(torture_run):
    summary, out, _, expected = torture_run
    docs = _documents(out)
    assert summary["files"] == len(docs) == len(expected)
    assert sorted(docs["source"]) == sorted(expected), "a file has no row, or one too many"
    actual = dict(zip(docs["source"], docs["status"], strict=True))
    wrong = {s: (actual[s], expected[s]) for s in expected if actual[s] != expected[s]}
    assert not wrong, wrong


def test_every_row_that_is_not_ok_says_why(torture_run):
    _, out, _, _ = torture_run
    docs = _documents(out)
    not_ok = docs[docs["status"] != "ok"]
    silent = not_ok[not_ok["message"].isna() | (not_ok["message"].str.strip() == "")]
    assert silent.empty, silent[["source", "status"]].to_dict("records")
    messages = dict(zip(docs["source"], docs["message"], strict=True))
    assert "no such file" in messages[VANISHING].lower()
    assert "same content as txt/utf8.txt" in messages["zz_copies/copie de utf8.txt"]


def test_seed_facts_are_those_of_a_clean_run(torture_run):
    _, out, clean_out, _ = torture_run
    docs = _documents(out)
    seed_ids = set(docs.loc[docs["source"].str.startswith("seeds/"), "doc_id"])
    assert len(seed_ids) == len(SEEDS)
    for table in ("facts", "cpts", "amounts", "missions", "places"):
        mixed = pd.read_parquet(out / f"{table}.parquet")
        clean = pd.read_parquet(clean_out / f"{table}.parquet")
        mixed = mixed[mixed["doc_id"].isin(seed_ids)]
        assert set(clean["doc_id"]) <= seed_ids and len(clean) == len(mixed), table
        lists = ("departments", "departments_inferred", "candidates")
        key = [c for c in clean.columns if c not in lists]
        pd.testing.assert_frame_equal(
            mixed.sort_values(key).reset_index(drop=True),
            clean.sort_values(key).reset_index(drop=True),
            obj=table,
        )


def test_seeds_are_ok_in_the_torture_run(torture_run):
    _, out, _, _ = torture_run
    docs = _documents(out)
    seeds = docs[docs["source"].str.startswith("seeds/")]
    assert (seeds["status"] == "ok").all(), seeds[["source", "status", "message"]]


def test_a_file_written_before_the_run_survives(torture_run):
    _, out, _, _ = torture_run
    assert (out / KEEP).read_text(encoding="utf-8") == "écrit avant le run"


def test_validation_errors_point_at_documents_that_say_so(torture_run):
    _, out, _, _ = torture_run
    errors = pd.read_parquet(out / "validation_errors.parquet")
    docs = _documents(out).set_index("doc_id")
    for doc_id in set(errors["doc_id"].dropna()):
        assert "failed check" in docs.loc[[doc_id], "message"].iloc[0]
