"""flows.evaluate: hand-made predictions scored against the real gold files."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from flows.evaluate import FAMILIES, date_matches, evaluate, format_report, normalise_name
from schemas.columns import frame
from tests.conftest import GOLD as CORPUS_GOLD

GOLD_DIR = CORPUS_GOLD
GOLD = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD_DIR.glob("*.json"))}


def _doc_id(stem: str) -> str:
    return stem.split("_")[1]


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise_name(name)).strip("-")


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return dt.date(*parts[:3])


def perfect_rows() -> dict[str, list[dict]]:
    """What a flawless pipeline would publish for the gold corpus."""
    rows: dict[str, list[dict]] = {"documents": [], "cpts": [], "amounts": [], "missions": []}
    for stem, gold in GOLD.items():
        doc_id = _doc_id(stem)
        rows["documents"].append(
            {"doc_id": doc_id, "source": f"corpus/{stem}.txt", "status": "ok",
             "published_on": _date(gold["published_on"])}
        )  # fmt: skip
        for amount in gold["amounts"]:
            rows["amounts"].append({"doc_id": doc_id, "cpts_key": None,
                                    "amount_eur": amount["eur"], "kind": amount["kind"]})
        for cpts in gold["cpts"]:
            key = _key(cpts["name"])
            rows["cpts"].append(
                {"doc_id": doc_id, "cpts_key": key, "name": cpts["name"],
                 "population": cpts["population"], "communes": cpts["communes"],
                 "professionals": cpts["professionals"], "signed_on": _date(cpts["signed_on"]),
                 "departments": cpts["departments"]}
            )  # fmt: skip
            for amount in cpts["amounts"]:
                rows["amounts"].append({"doc_id": doc_id, "cpts_key": key,
                                        "amount_eur": amount["eur"], "kind": amount["kind"]})
            for mission in cpts["missions"]:
                rows["missions"].append({"doc_id": doc_id, "cpts_key": key, "mission": mission})
    return rows


def _tables(rows):
    return {table: frame(table, table_rows) for table, table_rows in rows.items()}


def _find(rows, table, **where):
    return next(r for r in rows[table] if all(r[k] == v for k, v in where.items()))


PERFECT = evaluate(GOLD_DIR, _tables(perfect_rows()))


def test_perfect_prediction_scores_one_everywhere():
    for family in FAMILIES:
        score = PERFECT.families[family]
        assert (score.fp, score.fn, score.f1) == (0, 0, 1.0), family
    assert PERFECT.overall.f1 == 1.0
    assert PERFECT.amount_kind_accuracy == 1.0
    assert PERFECT.families["cpts"].tp == 10
    assert PERFECT.families["published_on"].tp == 3
    assert len(PERFECT.scored) == 5 and not PERFECT.missing


def _drop_velay_sud(rows):
    rows["cpts"].remove(_find(rows, "cpts", name="CPTS Velay Sud"))


def _wrong_population(rows):
    _find(rows, "cpts", name="CPTS Sud Ard'Drôm")["population"] = 290


def _population_gold_null(rows):
    _find(rows, "cpts", name="CPTS de l'Ondaine")["population"] = 21000


def _population_not_found(rows):
    _find(rows, "cpts", name="CPTS Sud Ard'Drôm")["population"] = None


def _month_date_inside(rows):
    _find(rows, "cpts", name="CPTS Nord-Velay-Forez")["signed_on"] = dt.date(2020, 12, 15)


def _month_date_outside(rows):
    _find(rows, "cpts", name="CPTS Nord-Velay-Forez")["signed_on"] = dt.date(2021, 1, 1)


def _fuzzy_name(rows):
    _find(rows, "cpts", name="CPTS Croix-Rousse Presqu'île")["name"] = "Croix Rouse Presquile"


def _unrelated_name(rows):
    _find(rows, "cpts", name="CPTS Croix-Rousse Presqu'île")["name"] = "CPTS Monts du Lyonnais"


def _general_mission(rows):
    rows["missions"].append({"doc_id": _doc_id("002_50d2bab3bf767c5d"), "cpts_key": None,
                             "mission": "parcours"})  # fmt: skip


def _amount_to_wrong_cpts(rows):
    _find(rows, "amounts", amount_eur=457500)["cpts_key"] = _key("CPTS Soins Pluriprofessionnels "
                                                                 "de Vaulx-en-Velin")


def _amount_wrong_kind(rows):
    _find(rows, "amounts", amount_eur=457500)["kind"] = "aci_annual_min"


def _published_on_where_gold_has_none(rows):
    _find(rows, "documents", doc_id=_doc_id("001_69d9c9131c617f1b"))["published_on"] = dt.date(
        2023, 12, 7
    )


def _published_on_wrong_day(rows):
    _find(rows, "documents", doc_id=_doc_id("000_c1c9569514ed623f"))["published_on"] = dt.date(
        2024, 10, 15
    )


def _extra_department(rows):
    _find(rows, "cpts", name="CPTS du Brivadois")["departments"] = ["43", "15"]


# family → (Δtp, Δfp, Δfn) against the perfect score
CHANGES = [
    # A missed CPTS is no free pass: each of its gold facts is a false negative.
    pytest.param(_drop_velay_sud, {"cpts": (-1, 0, 1), "population": (-1, 0, 1),
                                   "signed_on": (-1, 0, 1), "departments": (-1, 0, 1)},
                 id="missing-cpts"),
    pytest.param(_wrong_population, {"population": (-1, 1, 0)}, id="wrong-value-is-fp"),
    pytest.param(_population_gold_null, {"population": (0, 1, 0)}, id="value-where-gold-null"),
    pytest.param(_population_not_found, {"population": (-1, 0, 1)}, id="value-not-found"),
    pytest.param(_month_date_inside, {}, id="month-precision-gold-matches-day-in-month"),
    pytest.param(_month_date_outside, {"signed_on": (-1, 1, 0)}, id="month-precision-miss"),
    pytest.param(_fuzzy_name, {}, id="fuzzy-name-croix-rouse-presquile"),
    pytest.param(_unrelated_name, {"cpts": (-1, 1, 1), "population": (-1, 0, 1),
                                   "professionals": (-1, 0, 1), "signed_on": (-1, 0, 1),
                                   "departments": (-1, 0, 1), "amount": (-2, 2, 2),
                                   "mission": (-5, 5, 5)}, id="unmatched-name"),
    pytest.param(_general_mission, {}, id="general-mission-not-scored"),
    pytest.param(_amount_to_wrong_cpts, {"amount": (-1, 1, 1)}, id="amount-wrong-owner"),
    pytest.param(_amount_wrong_kind, {}, id="amount-kind-is-not-the-amount-score"),
    pytest.param(_published_on_where_gold_has_none, {}, id="published-on-gold-null-unscored"),
    pytest.param(_published_on_wrong_day, {"published_on": (-1, 1, 0)}, id="published-on-wrong"),
    pytest.param(_extra_department, {"departments": (0, 1, 0)}, id="extra-department"),
]


@pytest.mark.parametrize(("change", "deltas"), CHANGES)
def test_each_error_costs_what_gold_format_says(change, deltas):
    rows = perfect_rows()
    change(rows)
    report = evaluate(GOLD_DIR, _tables(rows))
    for family in FAMILIES:
        got, base = report.families[family], PERFECT.families[family]
        delta = (got.tp - base.tp, got.fp - base.fp, got.fn - base.fn)
        assert delta == deltas.get(family, (0, 0, 0)), family


def test_amount_kind_accuracy_counts_matched_amounts():
    rows = perfect_rows()
    _amount_wrong_kind(rows)
    report = evaluate(GOLD_DIR, _tables(rows))
    assert report.amount_kind_correct == report.amount_kind_total - 1


def test_gold_without_document_is_all_false_negatives():
    rows = perfect_rows()
    gone = _doc_id("004_de4d97111982b108")
    rows = {t: [r for r in table_rows if r["doc_id"] != gone] for t, table_rows in rows.items()}
    report = evaluate(GOLD_DIR, _tables(rows))
    assert report.missing == ["004_de4d97111982b108"]
    assert report.families["cpts"].fn == 2
    assert report.families["mission"].fn == 11
    assert report.overall.fp == 0


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        pytest.param("2020-12", dt.date(2020, 12, 31), True, id="month-any-day"),
        pytest.param("2020-12", dt.date(2021, 12, 1), False, id="month-other-year"),
        pytest.param("2023-12-22", dt.date(2023, 12, 22), True, id="day-equal"),
        pytest.param("2023-12-22", dt.date(2023, 12, 1), False, id="day-differs"),
    ],
)
def test_date_matches(gold, predicted, expected):
    assert date_matches(gold, predicted) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("CPTS du Pays Châtelleraudais", "pays chatelleraudais", id="du-accents"),
        pytest.param("CPTS de l'Ondaine", "ondaine", id="de-l-apostrophe"),
        pytest.param("CPTS des Rives du Haut-Allier", "rives haut allier", id="des-du-hyphen"),
        pytest.param("cpts Sud Ard’ Drôm", "sud ard drom", id="curly-apostrophe"),
        pytest.param("CPTS La Sarre", "sarre", id="la"),
    ],
)
def test_normalise_name(name, expected):
    assert normalise_name(name) == expected


def test_format_report_is_a_plain_table():
    text = format_report(PERFECT)
    lines = text.splitlines()
    assert lines[0].split() == ["family", "tp", "fp", "fn", "precision", "recall", "F1"]
    assert any(line.startswith("overall (micro)") and line.endswith("1.000") for line in lines)
    assert "amount kind accuracy: 1.000" in text
    for family in FAMILIES:
        assert any(line.split()[0] == family for line in lines), family


def test_evaluate_reads_what_export_wrote(tmp_path):
    from flows.dataset.export import read_dataset, write_dataset

    write_dataset(_tables(perfect_rows()), tmp_path, texts={}, run_info={})
    assert evaluate(GOLD_DIR, read_dataset(tmp_path)).overall.f1 == 1.0
