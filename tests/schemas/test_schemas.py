"""Each schema: rows it must accept, and bad rows it must reject (with the check that fires)."""

from __future__ import annotations

import datetime as dt

import pandera.pandas as pa
import pytest

from schemas.columns import COLUMNS, TABLES, empty_frame, frame
from schemas.registry import MODELS, schema_for
from schemas.validate import validate_tables

RUN_DATE = dt.date(2025, 6, 1)
DOC = "0123456789abcdef"
TEXT = ("La CPTS Sud Ard'Drôm couvre 45 500 habitants et reçoit 15 000 euros. "
        "Elle couvre Aubenas et Privas.")

GOOD = {
    "documents": {
        "doc_id": DOC, "source": "a/release.txt", "format": "txt", "status": "ok",
        "message": None, "title": "Signature", "published_on": dt.date(2023, 12, 22),
        "published_on_precision": "day", "place": "Lyon", "departments": ["69", "2A"],
        "n_chars": len(TEXT), "n_pages": None, "n_cpts": 1, "extractor_version": "0.1.0",
        "processed_at": "2025-05-31T10:00:00+00:00",
    },
    "cpts": {
        "doc_id": DOC, "cpts_key": "sud-ard-drom", "name": "CPTS Sud Ard'Drôm",
        "name_source": "text", "status": "signed", "signed_on": dt.date(2023, 12, 1),
        "signed_on_precision": "day",
        "population": 45500, "population_qualifier": "at_least", "communes": 17,
        "professionals": 45, "president": "Sinot Khim", "size_class": 2,
        "departments": ["07", "26"], "departments_inferred": ["07", "26"],
        "population_reference": 48000, "communes_reference": 17,
    },
    "amounts": {
        "doc_id": DOC, "cpts_key": "sud-ard-drom", "amount_eur": 15000,
        "kind": "ars_startup_aid", "funder": "ars", "per_year": False,
        "start": 55, "end": 67, "text": TEXT[55:67],
    },
    "missions": {
        "doc_id": DOC, "cpts_key": None, "mission": "parcours", "start": 3, "end": 7,
        "text": TEXT[3:7],
    },
    "places": {
        "doc_id": DOC, "cpts_key": "sud-ard-drom", "insee_code": "07019", "level": "commune",
        "name": "Aubenas", "status": "resolved", "candidates": [], "start": 81, "end": 88,
        "text": TEXT[81:88], "sentence": TEXT[69:],
    },
    "facts": {
        "doc_id": DOC, "cpts_key": "sud-ard-drom", "kind": "population", "value": "45500",
        "qualifier": "at_least", "start": 28, "end": 34, "text": TEXT[28:34],
        "sentence": TEXT, "page": None, "extractor": "population",
    },
    "validation_errors": {
        "table": "cpts", "level": "error", "doc_id": DOC, "column": "population",
        "check": "in_range", "failure_case": "70000000", "row": 0,
    },
}


def _validate(table: str, **changes):
    return schema_for(table, RUN_DATE).validate(frame(table, [{**GOOD[table], **changes}]))


ACCEPT = [
    pytest.param("documents", {}, id="documents-full"),
    pytest.param("documents", {"status": "unreadable", "published_on": None,
                               "published_on_precision": None, "departments": [],
                               "n_chars": None, "n_cpts": None, "title": None},
                 id="documents-failed-file"),
    pytest.param("documents", {"status": "no_cpts_found", "n_cpts": 0}, id="documents-no-cpts"),
    pytest.param("documents", {"format": "pdf", "n_pages": 3}, id="documents-pdf"),
    pytest.param("documents", {"published_on": RUN_DATE}, id="documents-date-is-run-date"),
    pytest.param("documents", {"departments": ["971", "01", "95"]}, id="documents-overseas"),
    pytest.param("cpts", {}, id="cpts-full"),
    pytest.param("cpts", {"signed_on": None, "signed_on_precision": None, "population": None,
                          "population_qualifier": None, "communes": None,
                          "professionals": None, "president": None, "size_class": None,
                          "departments": []}, id="cpts-only-a-name"),
    pytest.param("cpts", {"signed_on": dt.date(2020, 12, 1), "signed_on_precision": "month"},
                 id="cpts-month-precision"),
    pytest.param("cpts", {"population": 100}, id="cpts-population-low-bound"),
    pytest.param("cpts", {"name": "CPTS du Pays de Lure", "name_source": "territory"},
                 id="cpts-name-from-territory"),
    pytest.param("cpts", {"population": 5_000_000}, id="cpts-population-high-bound"),
    pytest.param("amounts", {}, id="amounts-full"),
    pytest.param("amounts", {"cpts_key": None, "kind": "national_range_max",
                             "amount_eur": 580000}, id="amounts-generic"),
    pytest.param("missions", {}, id="missions-general"),
    pytest.param("missions", {"cpts_key": "sud-ard-drom", "mission": "autre"},
                 id="missions-attributed"),
    pytest.param("facts", {}, id="facts-population"),
    pytest.param("facts", {"kind": "signed_on", "value": "2020-12", "qualifier": "month"},
                 id="facts-month-date"),
    pytest.param("facts", {"kind": "department", "value": "2B", "qualifier": None},
                 id="facts-department"),
    pytest.param("facts", {"kind": "president", "value": "Sinot Khim", "page": 2},
                 id="facts-president-on-page-2"),
    pytest.param("cpts", {"departments_inferred": [], "population_reference": None,
                          "communes_reference": None}, id="cpts-no-place-resolved"),
    pytest.param("cpts", {"population_reference": None}, id="cpts-delegated-commune-listed"),
    pytest.param("places", {}, id="places-commune"),
    pytest.param("places", {"insee_code": "200067106", "level": "epci",
                            "name": "CA du Pays Basque"}, id="places-epci"),
    pytest.param("places", {"insee_code": "2A", "level": "department", "name": "Corse-du-Sud",
                            "cpts_key": None}, id="places-department-no-cpts"),
    pytest.param("places", {"insee_code": None, "status": "ambiguous", "name": "Valence",
                            "candidates": ["16392", "26362", "82186"]}, id="places-ambiguous"),
    pytest.param("places", {"insee_code": None, "status": "unknown", "name": None,
                            "level": None}, id="places-unknown"),
    pytest.param("places", {"insee_code": "2A004"}, id="places-corsican-commune"),
    pytest.param("validation_errors", {}, id="errors-row"),
    pytest.param("validation_errors", {"level": "warning", "check": "communes_match_listed"},
                 id="errors-warning"),
    pytest.param("validation_errors", {"doc_id": None, "row": None, "column": None},
                 id="errors-whole-table"),
]


@pytest.mark.parametrize(("table", "changes"), ACCEPT)
def test_accepts(table, changes):
    assert len(_validate(table, **changes)) == 1


REJECT = [
    pytest.param("documents", {"doc_id": "0123456789ABCDEF"}, "str_matches", id="doc-id-upper"),
    pytest.param("documents", {"doc_id": "0123"}, "str_matches", id="doc-id-short"),
    pytest.param("documents", {"format": "docx"}, "isin", id="format-docx"),
    pytest.param("documents", {"status": "done"}, "isin", id="status-unknown"),
    pytest.param("documents", {"published_on": dt.date(1850, 1, 1)}, "greater_than_or_equal_to",
                 id="published-1850"),
    pytest.param("documents", {"published_on": dt.date(2025, 6, 2)}, "not_after_run_date",
                 id="published-after-run"),
    pytest.param("documents", {"published_on_precision": "week"}, "isin", id="precision-week"),
    pytest.param("documents", {"published_on_precision": None}, "precision_iff_published_on",
                 id="date-without-precision"),
    pytest.param("documents", {"departments": ["69", "96"]}, "insee_department_codes",
                 id="department-96"),
    pytest.param("documents", {"departments": "69"}, "insee_department_codes",
                 id="departments-not-a-list"),
    pytest.param("documents", {"departments": ["2a"]}, "insee_department_codes",
                 id="department-lowercase-corsica"),
    pytest.param("documents", {"n_pages": 0}, "greater_than_or_equal_to", id="zero-pages"),
    pytest.param("documents", {"status": "no_cpts_found", "n_cpts": 2},
                 "no_cpts_found_means_zero_cpts", id="no-cpts-with-cpts"),
    pytest.param("cpts", {"cpts_key": "Sud Ard'Drôm"}, "str_matches", id="key-not-a-slug"),
    pytest.param("cpts", {"cpts_key": "sud--drom"}, "str_matches", id="key-double-dash"),
    pytest.param("cpts", {"name": "Sud Ard'Drôm"}, "str_startswith", id="name-without-cpts"),
    pytest.param("cpts", {"status": "active"}, "isin", id="cpts-status-unknown"),
    pytest.param("cpts", {"name_source": "guess"}, "isin", id="cpts-name-source-unknown"),
    pytest.param("cpts", {"population": 0}, "in_range", id="population-0"),
    pytest.param("cpts", {"population": 70_000_000}, "in_range", id="population-70-million"),
    pytest.param("cpts", {"communes": 0}, "in_range", id="communes-0"),
    pytest.param("cpts", {"communes": 1001}, "in_range", id="communes-1001"),
    pytest.param("cpts", {"professionals": 10_001}, "in_range", id="professionals-10001"),
    pytest.param("cpts", {"size_class": 5}, "in_range", id="size-class-5"),
    pytest.param("cpts", {"population_qualifier": "about"}, "isin", id="qualifier-unknown"),
    pytest.param("cpts", {"population_qualifier": None}, "qualifier_iff_population",
                 id="population-without-qualifier"),
    pytest.param("cpts", {"signed_on": dt.date(2015, 12, 31)}, "greater_than_or_equal_to",
                 id="signed-before-2016"),
    pytest.param("cpts", {"signed_on": dt.date(2030, 1, 1)}, "not_after_run_date",
                 id="signed-in-future"),
    pytest.param("cpts", {"departments": ["20"] if False else ["00"]}, "insee_department_codes",
                 id="department-00"),
    pytest.param("amounts", {"amount_eur": 3}, "in_range", id="amount-3-eur"),
    pytest.param("amounts", {"amount_eur": 60_000_000}, "in_range", id="amount-60-million"),
    pytest.param("amounts", {"kind": "grant"}, "isin", id="amount-kind-unknown"),
    pytest.param("amounts", {"funder": "cpam"}, "isin", id="funder-unknown"),
    pytest.param("amounts", {"start": -1}, "greater_than_or_equal_to", id="negative-start"),
    pytest.param("amounts", {"start": 68, "end": 56}, "end_after_start", id="end-before-start"),
    pytest.param("amounts", {"end": 55}, "end_after_start", id="empty-span"),
    pytest.param("missions", {"mission": "telesante"}, "isin", id="mission-unknown"),
    pytest.param("missions", {"cpts_key": "Sud_Drom"}, "str_matches", id="mission-key-bad"),
    pytest.param("facts", {"kind": "age"}, "isin", id="fact-kind-unknown"),
    pytest.param("facts", {"qualifier": "roughly"}, "isin", id="fact-qualifier-unknown"),
    pytest.param("facts", {"value": "70000000"}, "value_plausible_for_kind",
                 id="fact-population-70-million"),
    pytest.param("facts", {"kind": "amount", "value": "3"}, "value_plausible_for_kind",
                 id="fact-amount-3-eur"),
    pytest.param("facts", {"kind": "signed_on", "value": "1850-01-01"},
                 "value_plausible_for_kind", id="fact-date-1850"),
    pytest.param("facts", {"kind": "published_on", "value": "2030-01-01"},
                 "date_not_after_run_date", id="fact-date-future"),
    pytest.param("facts", {"kind": "mission", "value": "telesante"},
                 "value_plausible_for_kind", id="fact-mission-unknown"),
    pytest.param("facts", {"page": 0}, "greater_than_or_equal_to", id="fact-page-0"),
    pytest.param("cpts", {"departments_inferred": ["96"]}, "insee_department_codes",
                 id="inferred-department-96"),
    pytest.param("cpts", {"communes_reference": None}, "communes_reference_iff_population",
                 id="reference-population-without-communes"),
    pytest.param("cpts", {"population_reference": -1}, "greater_than_or_equal_to",
                 id="reference-population-negative"),
    pytest.param("places", {"status": "found"}, "isin", id="place-status-unknown"),
    pytest.param("places", {"level": "region"}, "isin", id="place-level-region"),
    pytest.param("places", {"insee_code": "7019"}, "str_matches", id="place-code-four-digits"),
    pytest.param("places", {"insee_code": None}, "code_iff_resolved", id="resolved-no-code"),
    pytest.param("places", {"status": "unknown"}, "code_iff_resolved", id="unknown-with-code"),
    pytest.param("places", {"level": "epci"}, "code_fits_level", id="commune-code-as-epci"),
    pytest.param("places", {"insee_code": "200067106"}, "code_fits_level",
                 id="epci-code-as-commune"),
    pytest.param("places", {"candidates": ["07019", "x"]}, "place_code_list",
                 id="candidate-not-a-code"),
    pytest.param("places", {"insee_code": None, "status": "ambiguous", "candidates": ["07019"]},
                 "candidates_iff_ambiguous", id="ambiguous-with-one-candidate"),
    pytest.param("places", {"candidates": ["07019", "26362"]}, "candidates_iff_ambiguous",
                 id="resolved-with-candidates"),
    pytest.param("places", {"start": 88, "end": 81}, "end_after_start", id="place-span-reversed"),
    pytest.param("validation_errors", {"table": "people"}, "isin", id="errors-unknown-table"),
    pytest.param("validation_errors", {"level": "info"}, "isin", id="errors-level-unknown"),
]


@pytest.mark.parametrize(("table", "changes", "check"), REJECT)
def test_rejects(table, changes, check):
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        schema_for(table, RUN_DATE).validate(
            frame(table, [{**GOOD[table], **changes}]), lazy=True
        )
    checks = caught.value.failure_cases["check"].astype(str)
    assert checks.str.startswith(check).any(), checks.tolist()


@pytest.mark.parametrize("table", [pytest.param(t, id=t) for t in TABLES])
def test_model_declares_the_contract_columns_in_order(table):
    assert list(MODELS[table].to_schema().columns) == list(COLUMNS[table])


@pytest.mark.parametrize("table", [pytest.param(t, id=t) for t in TABLES])
def test_empty_tables_validate(table):
    assert schema_for(table, RUN_DATE).validate(empty_frame(table)).empty


@pytest.mark.parametrize(
    ("table", "extra"),
    [
        pytest.param("cpts", {"score": 1}, id="extra-column"),
        pytest.param("amounts", {"currency": "EUR"}, id="extra-column-amounts"),
    ],
)
def test_strict_rejects_unknown_columns(table, extra):
    df = frame(table, [GOOD[table]]).assign(**extra)
    with pytest.raises(pa.errors.SchemaErrors):
        schema_for(table, RUN_DATE).validate(df, lazy=True)


def test_duplicate_doc_id_and_duplicate_cpts_are_rejected():
    docs = frame("documents", [GOOD["documents"], GOOD["documents"]])
    cpts = frame("cpts", [GOOD["cpts"], GOOD["cpts"]])
    for table, df in (("documents", docs), ("cpts", cpts)):
        with pytest.raises(pa.errors.SchemaErrors):
            schema_for(table, RUN_DATE).validate(df, lazy=True)


def _tables(**changes_by_table):
    return {t: frame(t, [{**GOOD[t], **changes_by_table.get(t, {})}]) for t in GOOD}


def test_validate_tables_passes_good_tables():
    tables, errors = validate_tables(_tables(), {DOC: TEXT}, RUN_DATE)
    assert errors.empty
    assert list(errors.columns) == list(COLUMNS["validation_errors"])
    assert tables["documents"].at[0, "status"] == "ok"


INVALID = [
    pytest.param({"cpts": {"population": 70_000_000}}, "cpts", "population", "in_range",
                 id="impossible-population"),
    pytest.param({"amounts": {"text": "15 000 EUR!!"}}, "amounts", "text",
                 "text_matches_offsets", id="amount-text-not-the-slice"),
    pytest.param({"facts": {"start": 27, "end": 33}}, "facts", "text", "text_matches_offsets",
                 id="fact-offsets-shifted"),
    pytest.param({"missions": {"cpts_key": "velay-sud"}}, "missions", "cpts_key",
                 "cpts_key_in_cpts", id="mission-of-unknown-cpts"),
    pytest.param({"places": {"cpts_key": "velay-sud"}}, "places", "cpts_key",
                 "cpts_key_in_cpts", id="place-of-unknown-cpts"),
    pytest.param({"places": {"start": 80, "end": 87}}, "places", "text",
                 "text_matches_offsets", id="place-offsets-shifted"),
    pytest.param({"amounts": {"start": 68, "end": 56}}, "amounts", "start|end",
                 "end_after_start", id="reversed-span"),
    pytest.param({"documents": {"published_on": dt.date(2030, 1, 1)}}, "documents",
                 "published_on", "not_after_run_date", id="published-in-future"),
]


@pytest.mark.parametrize(("changes", "table", "column", "check"), INVALID)
def test_validate_tables_turns_failures_into_rows(changes, table, column, check):
    given = _tables(**changes)
    tables, errors = validate_tables(given, {DOC: TEXT}, RUN_DATE)
    assert len(tables[table]) == 1, "rows are never dropped"
    hit = errors[(errors["table"] == table) & (errors["check"].str.startswith(check))]
    assert len(hit) == 1, errors.to_dict("records")
    assert hit.iloc[0]["column"] == column
    assert hit.iloc[0]["doc_id"] == DOC
    assert hit.iloc[0]["row"] == 0
    document = tables["documents"].iloc[0]
    assert document["status"] == "invalid_facts"
    assert f"{table}.{column} {check}" in document["message"]
    assert schema_for("validation_errors", RUN_DATE).validate(errors).equals(errors)


WARNINGS = [
    pytest.param({"population": 30000, "population_reference": 48000}, "population",
                 "population_near_reference", id="population-far-from-reference"),
    pytest.param({"communes": 16}, "communes", "communes_match_listed",
                 id="communes-count-not-listed"),
    pytest.param({"departments": ["26"], "departments_inferred": ["07"]}, "departments",
                 "department_holds_places", id="department-without-places"),
]


@pytest.mark.parametrize(("changes", "column", "check"), WARNINGS)
def test_geography_cross_checks_are_warnings(changes, column, check):
    """A text may round, quote an older census or list part of its territory: the rows stay,
    the document stays ok, a warning says what disagrees."""
    tables, errors = validate_tables(_tables(cpts=changes), {DOC: TEXT}, RUN_DATE)
    assert errors[["table", "level", "column", "check"]].values.tolist() == [
        ["cpts", "warning", column, check]
    ]
    assert errors.iloc[0]["row"] == 0 and errors.iloc[0]["doc_id"] == DOC
    assert tables["documents"].at[0, "status"] == "ok"
    assert schema_for("validation_errors", RUN_DATE).validate(errors).equals(errors)


NOT_WARNED = [
    pytest.param({"population": 45500, "population_reference": 56000}, id="within-a-quarter"),
    pytest.param({"population_reference": None, "communes_reference": None}, id="no-reference"),
    pytest.param({"departments_inferred": []}, id="no-place-resolved"),
    pytest.param({"departments": ["07", "26"], "departments_inferred": ["07", "26", "84"]},
                 id="places-beyond-stated-departments"),
]


@pytest.mark.parametrize("changes", NOT_WARNED)
def test_geography_cross_checks_stay_quiet(changes):
    changes = {"departments": ["07"], **changes}
    errors = validate_tables(_tables(cpts=changes), {DOC: TEXT}, RUN_DATE)[1]
    assert errors.empty, errors.to_dict("records")


def test_validate_tables_reports_missing_text_and_keeps_failed_file_status():
    given = _tables(documents={"status": "unreadable", "message": "pdf is encrypted"})
    tables, errors = validate_tables(given, {}, RUN_DATE)
    assert set(errors["check"]) == {"text_available"}
    document = tables["documents"].iloc[0]
    assert document["status"] == "unreadable"
    assert document["message"].startswith("pdf is encrypted; 4 failed check(s)")


def test_validate_tables_accepts_missing_tables_as_empty():
    tables, errors = validate_tables({}, {}, RUN_DATE)
    assert errors.empty
    assert set(tables) == set(TABLES)


def test_schemas_prepared_in_another_thread_leave_the_validating_thread_little_to_do():
    """What the flow does while its first batch is out: the imports and annotation parsing of
    every model's schema, once per process (pandera then caches each schema per thread)."""
    import threading

    from pandera.api.dataframe.model import MODEL_CACHE

    from schemas import registry

    registry.prepare.cache_clear()  # once per process: another test may have run a flow
    builder = threading.Thread(target=registry.prepare)
    builder.start()
    builder.join()
    assert {cls for cls, thread in MODEL_CACHE if thread == builder.ident} >= set(MODELS.values())
    assert all(isinstance(schema_for(t, dt.date(2026, 1, 1)), pa.DataFrameSchema)
               for t in MODELS)


def test_a_warmed_up_process_validates_its_first_tables_as_a_later_call_would():
    """validate.warm_up (the flow runs it while its first batch is out) leaves no first-call
    work to the first real validation: it runs on empty tables, in another thread."""
    import threading

    from schemas import validate

    validate.warm_up.cache_clear()
    warmer = threading.Thread(target=validate.warm_up)
    warmer.start()
    warmer.join()
    tables, errors = validate.validate_tables({}, {}, run_date=dt.date(2026, 1, 1))
    assert errors.empty and set(tables) >= {"documents", "cpts", "facts"}


def test_validating_imports_no_dask_dataframe_yet_leaves_it_importable():
    """pandera imported dask.dataframe (~0.8 s of CPU) at its first schema, only to learn
    whether a model may annotate Dask types; ours annotate pandas (schemas/registry.py)."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = ("import sys; from schemas.validate import warm_up; warm_up(); "
            "print('dask.dataframe' in sys.modules); "
            "import dask.dataframe; print(dask.dataframe.DataFrame.__name__)")
    shown = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                           text=True, check=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert shown.stdout.split() == ["False", "DataFrame"], shown.stderr[-2000:]
