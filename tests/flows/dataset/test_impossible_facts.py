"""Impossible facts are caught by the schemas, become validation_errors rows, drop nothing.

Table-driven: the tables of a real seed (flows.dataset.tables.build_tables on its DocumentResult)
with one value corrupted, through schemas.validate.validate_tables. The document's status becomes
invalid_facts and its message names the failed check; every row is still there.
"""

from __future__ import annotations

import datetime as dt

import pytest

from flows.dataset.tables import build_tables
from schemas.validate import validate_tables

RUN_DATE = dt.date(2026, 1, 1)
SEED = "000_c1c9569514ed623f"


def _kind_row(kind: str):
    return lambda t: t["facts"].index[t["facts"]["kind"] == kind][0]



# (table, column, new value, row chooser or None for row 0, check named in the message)
CORRUPTIONS = [
    pytest.param("cpts", "population", 0, None, "in_range", id="population-0"),
    pytest.param("cpts", "population", 70_000_000, None, "in_range", id="population-70M"),
    pytest.param("cpts", "communes", 50_000, None, "in_range", id="communes-50000"),
    pytest.param("cpts", "signed_on", dt.date(1850, 1, 1), None, "greater_than_or_equal_to",
                 id="signed-1850"),
    pytest.param("cpts", "signed_on", dt.date(2030, 6, 1), None, "not_after_run_date",
                 id="signed-in-future"),
    pytest.param("documents", "published_on", dt.date(1850, 3, 1), None,
                 "greater_than_or_equal_to", id="published-1850"),
    pytest.param("documents", "published_on", dt.date(2027, 1, 1), None, "not_after_run_date",
                 id="published-in-future"),
    pytest.param("amounts", "amount_eur", 3, None, "in_range", id="amount-3-eur"),
    pytest.param("facts", "value", "1850-05-02", _kind_row("published_on"),
                 "value_plausible_for_kind", id="fact-date-1850"),
    pytest.param("facts", "value", "2031-05-02", _kind_row("published_on"),
                 "date_not_after_run_date", id="fact-date-future"),
    pytest.param("facts", "value", "70000000", _kind_row("population"),
                 "value_plausible_for_kind", id="fact-population-70M"),
    pytest.param("facts", "value", "20", _kind_row("department"), "value_plausible_for_kind",
                 id="insee-20"),
    pytest.param("facts", "value", "99", _kind_row("department"), "value_plausible_for_kind",
                 id="insee-99"),
    pytest.param("cpts", "departments", ["20"], None, "insee_department_codes",
                 id="cpts-department-20"),
    pytest.param("documents", "departments", ["99"], None, "insee_department_codes",
                 id="document-department-99"),
    pytest.param("facts", "end", 10**9, None, "text_matches_offsets", id="offset-outside-text"),
    pytest.param("facts", "start", -5, None, "greater_than_or_equal_to", id="negative-start"),
    pytest.param("amounts", "end", None, None, "end_after_start", id="end-equals-start"),
    pytest.param("facts", "end", None, None, "end_after_start", id="end-before-start"),
]


@pytest.fixture
def seed_tables(corpus_results):
    result = corpus_results[SEED]
    tables = build_tables([result], processed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    return tables, {result.document.doc_id: result.document.text}


def test_the_uncorrupted_seed_validates(seed_tables):
    tables, texts = seed_tables
    validated, errors = validate_tables(tables, texts, RUN_DATE)
    assert errors.empty, errors.to_dict("records")
    assert validated["documents"].at[0, "status"] == "ok"


@pytest.mark.parametrize(("table", "column", "value", "choose", "check"), CORRUPTIONS)
def test_impossible_value_becomes_an_error_row(seed_tables, table, column, value, choose, check):
    tables, texts = seed_tables
    df = tables[table].copy()
    row = choose(tables) if choose else df.index[0]
    if value is None and column == "end":  # a span that is empty, or reversed
        value = df.at[row, "start"] - (0 if table == "amounts" else 3)
    df[column] = df[column].astype(object)
    df.at[row, column] = value
    tables = {**tables, table: df}
    sizes = {name: len(frame) for name, frame in tables.items()}

    validated, errors = validate_tables(tables, texts, RUN_DATE)

    assert {name: len(validated[name]) for name in sizes if name != "validation_errors"} == {
        name: n for name, n in sizes.items() if name != "validation_errors"
    }, "a row was dropped"
    mine = errors[(errors["table"] == table) & errors["check"].str.startswith(check)]
    assert not mine.empty, errors.to_dict("records")
    assert set(mine["doc_id"]) == set(texts)
    documents = validated["documents"]
    assert documents.at[0, "status"] == "invalid_facts"
    assert "failed check" in documents.at[0, "message"] and check in documents.at[0, "message"]
