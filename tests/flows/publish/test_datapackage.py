"""datapackage.json is generated from the pandera models and validates the files we write."""

from __future__ import annotations

import json

import pytest
from frictionless import Package

from flows.dataset.csv_dialects import write_csv
from flows.publish.datapackage import column_tables_markdown, describe_table, write_datapackage
from schemas.columns import COLUMNS, TABLES
from schemas.registry import MODELS
from tests.data import sample


def _write_tables(out_dir, tables):
    try:
        from flows.dataset.export import write_dataset
    except ImportError:  # the exporter is optional here: the CSV conventions are the contract
        write_dataset = None
    if write_dataset is not None:
        write_dataset(tables, out_dir, texts=sample.texts(), run_info={})
    else:
        for name, df in tables.items():
            write_csv(df, out_dir / f"{name}.csv")


def test_frictionless_validates_written_tables(tmp_path):
    _write_tables(tmp_path, sample.tables())
    path = write_datapackage(tmp_path, list(TABLES))
    report = Package(str(path)).validate()
    errors = [e.message for task in report.tasks for e in task.errors][:5]
    assert report.valid, errors


@pytest.mark.parametrize(
    ("table", "column", "bad", "error_type"),
    [
        pytest.param("cpts", "status", "approved", "constraint-error", id="enum"),
        pytest.param("cpts", "population", 12, "constraint-error", id="below-minimum"),
        pytest.param("facts", "doc_id", "not-a-doc-id", "constraint-error", id="pattern"),
        pytest.param("amounts", "doc_id", "ffffffffffffffff", "foreign-key", id="foreign-key"),
    ],
)
def test_frictionless_catches_broken_rows(tmp_path, table, column, bad, error_type):
    tables = sample.tables()
    if table == "amounts":
        tables["amounts"] = sample.frame("amounts", [
            {"doc_id": bad, "amount_eur": 15000, "kind": "ars_startup_aid", "funder": "ars",
             "per_year": False, "start": 0, "end": 3, "text": "15 000 €"},
        ])
    else:
        tables[table][column] = tables[table][column].astype(object)
        tables[table].loc[0, column] = bad
    for name, df in tables.items():
        write_csv(df, tmp_path / f"{name}.csv")
    report = Package(str(write_datapackage(tmp_path, list(TABLES)))).validate()
    assert not report.valid
    assert error_type in {e.type for task in report.tasks for e in task.errors}


@pytest.mark.parametrize("table", [pytest.param(t, id=t) for t in TABLES])
def test_every_model_column_is_described(table):
    fields = describe_table(table)["schema"]["fields"]
    assert [f["name"] for f in fields] == list(COLUMNS[table])
    assert list(MODELS[table].to_schema().columns) == list(COLUMNS[table])
    assert all(f.get("description") for f in fields)


@pytest.mark.parametrize(
    ("table", "column", "expected"),
    [
        pytest.param("cpts", "status", {"type": "string", "constraints": {
            "enum": ["signed", "created", "in_progress", "planned", "mentioned"],
            "required": True}}, id="enum"),
        pytest.param("cpts", "signed_on", {"type": "date",
                                           "constraints": {"minimum": "2016-01-01"}}, id="date"),
        pytest.param("amounts", "amount_eur", {"type": "integer", "unit": "EUR"}, id="unit"),
        pytest.param("documents", "departments", {"type": "list", "delimiter": "|"}, id="list"),
        pytest.param("documents", "processed_at", {"type": "datetime"}, id="timestamp"),
        pytest.param("amounts", "per_year", {"type": "boolean"}, id="bool"),
    ],
)
def test_field_descriptor(table, column, expected):
    field = next(f for f in describe_table(table)["schema"]["fields"] if f["name"] == column)
    assert {k: field[k] for k in expected} == expected


def test_keys(tmp_path):
    package = json.loads(write_datapackage(tmp_path, ["documents", "cpts"]).read_text())
    documents, cpts = package["resources"]
    assert documents["schema"]["primaryKey"] == ["doc_id", "source"]
    assert cpts["schema"]["primaryKey"] == ["doc_id", "cpts_key"]
    assert cpts["schema"]["foreignKeys"][0]["reference"]["resource"] == "documents"


def test_unknown_table_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="no schema for table"):
        write_datapackage(tmp_path, ["cpts", "gold"])


def test_markdown_tables():
    text = column_tables_markdown()
    for table in TABLES:
        assert f"### {table}\n" in text
    assert "| `population` | integer |  | 100 … 5000000 (inhabitants) |" in text
    assert "`at_least`" in text


def test_places_is_a_resource_and_the_geography_a_source(tmp_path):
    package = json.loads(write_datapackage(tmp_path).read_text())
    places = next(r for r in package["resources"] if r["name"] == "places")
    fields = {f["name"]: f for f in places["schema"]["fields"]}
    assert fields["status"]["constraints"]["enum"] == ["resolved", "ambiguous", "unknown"]
    assert fields["candidates"]["type"] == "list"
    assert places["schema"]["foreignKeys"][0]["reference"]["resource"] == "documents"
    (source,) = package["sources"]
    assert "decoupage-administratif" in source["title"] and "Licence Ouverte" in source["title"]
