"""flows.dataset.tables: per-document results → the tables, shaped as the contract says."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from extractors.records import (
    AmountRecord,
    Assembly,
    AttributedFact,
    CptsGeography,
    CptsRecord,
    MissionRecord,
    PlaceRecord,
)
from extractors.types import Document, Fact, FactKind, Span
from flows.dataset.tables import FACT_COLUMNS, DocumentResult, build_tables
from flows.read.ingest import READ_FAILED, Ingested
from schemas.columns import COLUMNS, PANDAS_DTYPES, TABLES
from schemas.validate import validate_tables

DOC = "0123456789abcdef"
FAILED = "fedcba9876543210"
PAGE1 = "Lyon, le 22 décembre 2023. La CPTS Croix-Rousse signe.\f"
# (the places test below reads "Lyon" in the dateline as a place of the CPTS)
PAGE2 = "Elle couvre 97 000 habitants. Elle reçoit 15 000 euros."
TEXT = PAGE1 + PAGE2
P2 = len(PAGE1)


def _span(sub: str, after: int = 0) -> Span:
    start = TEXT.index(sub, after)
    return Span(start, start + len(sub))


DOCUMENT = Document(
    doc_id=DOC,
    text=TEXT,
    sentences=(Span(0, 26), Span(27, P2 - 1), Span(P2, P2 + 29), Span(P2 + 30, len(TEXT))),
    lines=(Span(0, P2 - 1), Span(P2, len(TEXT))),
    page_starts=(0, P2),
    title="Signature",
)


def _fact(kind: FactKind, value, sub: str, qualifier=None) -> Fact:
    span = _span(sub)
    return Fact(kind, value, span.start, span.end, sub, kind.value, qualifier)


KEY = "croix-rousse"
AMOUNT = _span("15 000 euros")
MISSION = _span("signe")
ASSEMBLY = Assembly(
    published_on=dt.date(2023, 12, 22),
    published_on_precision="day",
    place="Lyon",
    departments=("69",),
    cpts=(
        CptsRecord(KEY, "CPTS Croix-Rousse", "signed", population=97000,
                   population_qualifier="exact", departments=("69",)),
    ),
    amounts=(
        AmountRecord(KEY, 15000, "ars_startup_aid", "ars", False, AMOUNT.start, AMOUNT.end,
                     "15 000 euros"),
    ),
    missions=(MissionRecord(None, "autre", MISSION.start, MISSION.end, "signe"),),
    places=(
        PlaceRecord(KEY, "69123", "commune", "Lyon", "resolved", 0, 4, "Lyon"),
        PlaceRecord(KEY, None, "commune", "Croix-Rousse", "unknown", _span("Croix-Rousse").start,
                    _span("Croix-Rousse").end, "Croix-Rousse"),
    ),
    geography={KEY: CptsGeography(("69",), 98000, 1)},
    facts=(
        AttributedFact(_fact(FactKind.PUBLISHED_ON, "2023-12-22", "22 décembre 2023", "day"),
                       None),
        AttributedFact(_fact(FactKind.POPULATION, 97000, "97 000", "exact"), KEY),
    ),
)


WHEN = dt.datetime(2025, 5, 31, 10, tzinfo=dt.UTC)


def _read(doc_id: str, status: str = "ok", message: str = "", n_pages: int | None = 2,
          title: str | None = None) -> Ingested:
    return Ingested(doc_id, f"{doc_id}.pdf", "pdf", status, message, "", n_pages, title, 10)


def _build(results: list[DocumentResult], **options) -> dict[str, pd.DataFrame]:
    return build_tables(results, processed_at=WHEN, extractor_version="0.1.0", **options)


@pytest.fixture(scope="module")
def tables():
    return _build([
        DocumentResult(_read(DOC), DOCUMENT, ASSEMBLY),
        DocumentResult(_read(FAILED, "unreadable", "encrypted PDF", n_pages=None)),
    ])


@pytest.mark.parametrize("results", [pytest.param([], id="no-input"), pytest.param(
    [DocumentResult(_read(FAILED, "unreadable"))], id="only-failed-files")])
def test_tables_always_have_every_column_and_dtype(results):
    built = _build(results)
    assert set(built) == set(TABLES)
    for table, df in built.items():
        assert list(df.columns) == list(COLUMNS[table])
        for column, kind in COLUMNS[table].items():
            assert str(df[column].dtype) == PANDAS_DTYPES[kind], (table, column)


@pytest.mark.parametrize(
    ("doc_id", "column", "expected"),
    [
        pytest.param(DOC, "published_on", dt.date(2023, 12, 22), id="published-on"),
        pytest.param(DOC, "place", "Lyon", id="place"),
        pytest.param(DOC, "departments", ["69"], id="departments-as-list"),
        pytest.param(DOC, "n_cpts", 1, id="n-cpts"),
        pytest.param(DOC, "n_chars", len(TEXT), id="n-chars-from-text"),
        pytest.param(DOC, "title", "Signature", id="title-from-document"),
        pytest.param(DOC, "status", "ok", id="status-ok"),
        pytest.param(DOC, "extractor_version", "0.1.0", id="the-flow-s-version"),
        pytest.param(DOC, "processed_at", WHEN, id="the-run-s-time"),
        pytest.param(FAILED, "status", "unreadable", id="failed-status-kept"),
        pytest.param(FAILED, "message", "encrypted PDF", id="failed-message-kept"),
        pytest.param(FAILED, "departments", [], id="failed-departments-empty"),
    ],
)
def test_documents_row(tables, doc_id, column, expected):
    docs = tables["documents"].set_index("doc_id")
    assert docs.at[doc_id, column] == expected


def test_failed_file_has_null_counts(tables):
    failed = tables["documents"].set_index("doc_id").loc[FAILED]
    assert pd.isna(failed["n_cpts"])
    assert len(tables["documents"]) == 2


@pytest.mark.parametrize(
    ("kind", "sentence", "page"),
    [
        pytest.param("published_on", "Lyon, le 22 décembre 2023.", 1, id="page-1"),
        pytest.param("population", "Elle couvre 97 000 habitants.", 2, id="page-2"),
    ],
)
def test_facts_get_sentence_and_page(tables, kind, sentence, page):
    fact = tables["facts"].set_index("kind").loc[kind]
    assert fact["sentence"] == sentence
    assert fact["page"] == page


def test_facts_rows_hold_every_column_of_the_facts_table():
    # The rows are tuples in FACT_COLUMNS order: a column left out would come out null.
    assert sorted(FACT_COLUMNS) == sorted(COLUMNS["facts"])


def test_facts_values_are_text(tables):
    assert tables["facts"]["value"].tolist() == ["2023-12-22", "97000"]


def test_records_become_rows(tables):
    assert tables["cpts"].iloc[0]["departments"] == ["69"]
    assert tables["amounts"].iloc[0]["amount_eur"] == 15000
    assert not tables["amounts"].iloc[0]["per_year"]
    assert tables["missions"].iloc[0]["mission"] == "autre"


def test_places_become_rows_with_their_sentence(tables):
    places = tables["places"]
    assert places["status"].tolist() == ["resolved", "unknown"]
    assert places["insee_code"].iloc[0] == "69123" and pd.isna(places["insee_code"].iloc[1])
    assert places.iloc[0]["sentence"] == "Lyon, le 22 décembre 2023."
    assert places.iloc[0]["candidates"] == []


def test_cpts_rows_carry_what_their_places_imply(tables):
    row = tables["cpts"].iloc[0]
    assert row["departments"] == ["69"] and row["departments_inferred"] == ["69"]
    assert (row["population_reference"], row["communes_reference"]) == (98000, 1)
    alone = _build([DocumentResult(_read(DOC), DOCUMENT, Assembly(cpts=ASSEMBLY.cpts))])
    alone = alone["cpts"].iloc[0]
    assert alone["departments_inferred"] == [] and pd.isna(alone["population_reference"])


# (what reading gave, extraction's verdict, options) → (status, message) of the documents row
ROW_CASES = [
    pytest.param(DocumentResult(_read(DOC, message="decoded as utf-8"), DOCUMENT, Assembly()),
                 {}, ("no_cpts_found", "decoded as utf-8; no CPTS named in the text"),
                 id="ok-without-cpts-is-no-cpts-found"),
    pytest.param(DocumentResult(_read(DOC, message="decoded as utf-8"), DOCUMENT, ASSEMBLY),
                 {}, ("ok", None), id="no-message-on-an-ok-row"),
    pytest.param(DocumentResult(_read(DOC), DOCUMENT, status="empty",
                                message="no text left after normalisation"),
                 {}, ("empty", "no text left after normalisation"),
                 id="extraction-overrides-reading"),
    pytest.param(DocumentResult(_read(FAILED, "unreadable", f"{READ_FAILED} Input/output error")),
                 {"read_attempts": 3},
                 ("unreadable", f"{READ_FAILED} Input/output error (after 3 attempts)"),
                 id="read-failed-on-every-attempt"),
    pytest.param(DocumentResult(_read(FAILED, "unreadable", "encrypted PDF")),
                 {"read_attempts": 3}, ("unreadable", "encrypted PDF"),
                 id="a-bad-file-is-not-retried"),
]


@pytest.mark.parametrize(("result", "options", "expected"), ROW_CASES)
def test_status_and_message_of_the_row(result, options, expected):
    row = _build([result], **options)["documents"].iloc[0]
    message = None if pd.isna(row["message"]) else row["message"]
    assert (row["status"], message) == expected


def test_title_comes_from_reading_first():
    row = _build([DocumentResult(_read(DOC, title="From the sidecar"), DOCUMENT, ASSEMBLY)])
    assert row["documents"].iloc[0]["title"] == "From the sidecar"


def test_built_tables_pass_validation(tables):
    _, errors = validate_tables(tables, {DOC: TEXT}, dt.date(2025, 6, 1))
    assert errors.empty, errors.to_dict("records")
