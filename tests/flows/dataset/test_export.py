"""flows.dataset.export: Parquet keeps real types, CSV is plain, files are written atomically."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows.dataset.export import read_dataset, write_dataset
from flows.errors import CptsFactsError
from flows.read.atomic import PARTIAL_SUFFIX
from schemas.columns import COLUMNS, TABLES, empty_frame, frame
from tests.schemas.test_schemas import DOC, GOOD, TEXT

RUN_INFO = {"started_at": "2025-05-31T10:00:00+00:00", "versions": {"pandas": "3.1"},
            "settings": {"batch_size": 25}}  # fmt: skip


@pytest.fixture(scope="module")
def tables():
    built = {t: frame(t, [GOOD[t]]) for t in TABLES}
    built["documents"] = frame(
        "documents",
        [GOOD["documents"], {**GOOD["documents"], "doc_id": "fedcba9876543210",
                             "status": "unreadable", "published_on": None,
                             "published_on_precision": None, "departments": [],
                             "n_chars": None, "n_cpts": None}],
    )  # fmt: skip
    return built


@pytest.fixture(scope="module")
def out(tables, tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("out") / "nested"
    write_dataset(tables, out_dir, texts={DOC: TEXT}, run_info=RUN_INFO)
    return out_dir


ARROW = [
    pytest.param("documents", "published_on", pa.date32(), id="date32"),
    pytest.param("documents", "departments", pa.list_(pa.string()), id="list-of-string"),
    pytest.param("documents", "n_chars", pa.int64(), id="nullable-int"),
    pytest.param("documents", "processed_at", pa.timestamp("us", tz="UTC"), id="timestamp"),
    pytest.param("cpts", "signed_on", pa.date32(), id="cpts-date32"),
    pytest.param("cpts", "population", pa.int64(), id="cpts-int"),
    pytest.param("amounts", "per_year", pa.bool_(), id="bool"),
    pytest.param("facts", "page", pa.int64(), id="all-null-int-keeps-type"),
    pytest.param("validation_errors", "row", pa.int64(), id="empty-table-keeps-type"),
]


@pytest.mark.parametrize(("table", "column", "arrow_type"), ARROW)
def test_parquet_keeps_real_types(out, table, column, arrow_type):
    assert pq.read_schema(out / f"{table}.parquet").field(column).type == arrow_type


@pytest.mark.parametrize("table", [pytest.param(t, id=t) for t in TABLES])
def test_read_dataset_round_trips(out, tables, table):
    pd.testing.assert_frame_equal(read_dataset(out)[table], tables[table])


CSV = [
    pytest.param("documents", "published_on", "2023-12-22", id="iso-date"),
    pytest.param("documents", "departments", "69|2A", id="list-joined"),
    pytest.param("documents", "processed_at", "2025-05-31T10:00:00+00:00", id="iso-timestamp"),
    pytest.param("cpts", "departments", "07|26", id="cpts-list-joined"),
    pytest.param("amounts", "text", "15 000 euros", id="text-with-spaces"),
    pytest.param("cpts", "name", "CPTS Sud Ard'Drôm", id="utf8-no-bom"),
]


@pytest.mark.parametrize(("table", "column", "expected"), CSV)
def test_csv_is_plain_with_iso_dates_and_joined_lists(out, table, column, expected):
    with open(out / f"{table}.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(COLUMNS[table])
    assert rows[0][column] == expected


def test_texts_and_run_manifest(out):
    assert (out / "text" / f"{DOC}.txt").read_text(encoding="utf-8") == TEXT
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["started"] == RUN_INFO["started_at"]
    assert dt.datetime.fromisoformat(run["finished"]).tzinfo is not None
    assert run["statuses"] == {"ok": 1, "unreadable": 1}
    assert run["tables"] == {"documents": 2, "cpts": 1, "amounts": 1, "missions": 1,
                             "places": 1, "facts": 1, "validation_errors": 1}  # fmt: skip
    assert run["versions"] == {"pandas": "3.1"}
    assert run["settings"] == {"batch_size": 25}


def test_no_temporary_file_is_left_behind(out):
    assert not [p for p in out.rglob("*") if p.name.endswith((".tmp", PARTIAL_SUFFIX))]


def test_the_writer_returns_what_run_json_counts(tables, tmp_path):
    written = write_dataset(tables, tmp_path, texts={}, run_info={})
    run = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert written.statuses == run["statuses"] == {"ok": 1, "unreadable": 1}
    assert written.rows == run["tables"]


def test_text_offsets_survive_carriage_returns(tmp_path):
    write_dataset({}, tmp_path, texts={DOC: "a\r\nb"}, run_info={})
    assert (tmp_path / "text" / f"{DOC}.txt").read_bytes() == b"a\r\nb"


def test_empty_dataset_is_written_with_every_table(tmp_path):
    write_dataset({}, tmp_path, texts={}, run_info={})
    back = read_dataset(tmp_path)
    for table in TABLES:
        assert back[table].dtypes.equals(empty_frame(table).dtypes), table


def test_rows_that_break_their_type_are_still_written(tmp_path):
    bad = frame("facts", [GOOD["facts"]]).astype({"page": object})
    bad.loc[0, "page"] = "two"
    write_dataset({"facts": bad}, tmp_path, texts={}, run_info={})
    assert pq.read_table(tmp_path / "facts.parquet").num_rows == 1


@pytest.mark.parametrize(
    "make_out",
    [
        pytest.param(lambda tmp: (tmp / "file").write_text("x") and tmp / "file", id="a-file"),
        pytest.param(lambda tmp: (tmp / "file").write_text("x") and tmp / "file" / "sub",
                     id="under-a-file"),
    ],
)
def test_unwritable_output_is_a_one_line_error(tmp_path, make_out):
    out_dir = make_out(tmp_path)
    with pytest.raises(CptsFactsError) as caught:
        write_dataset({}, out_dir, texts={}, run_info={})
    message = str(caught.value)
    assert message.startswith(f"output folder is not writable: {out_dir}")
    assert "\n" not in message


def test_read_dataset_without_a_dataset_is_a_one_line_error(tmp_path):
    with pytest.raises(CptsFactsError, match=r"^no dataset in .*documents\.parquet is missing$"):
        read_dataset(tmp_path)


def test_validated_tables_write_missing_dates_as_empty_cells(tmp_path, tables):
    from schemas.validate import validate_tables

    validated, _ = validate_tables(tables, {DOC: TEXT}, dt.date(2025, 6, 1))
    write_dataset(validated, tmp_path, texts={}, run_info={})
    with open(tmp_path / "documents.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["published_on"] for r in rows] == ["2023-12-22", ""]
    back = read_dataset(tmp_path)["documents"]
    pd.testing.assert_frame_equal(back, validated["documents"])


def test_a_column_missing_from_a_file_comes_back_null_on_every_row(out, tables):
    # restore builds column by column: a column absent from an older file still has a row
    # per row of the file, not none at all.
    from flows.dataset.export import restore

    raw = pq.read_table(out / "documents.parquet").to_pandas(date_as_object=True)
    back = restore("documents", raw.drop(columns=["n_cpts", "departments"]))
    assert len(back) == len(tables["documents"])
    assert back["n_cpts"].isna().all() and back["departments"].tolist() == [[], []]
    pd.testing.assert_frame_equal(back.drop(columns=["n_cpts", "departments"]),
                                  tables["documents"].drop(columns=["n_cpts", "departments"]))
