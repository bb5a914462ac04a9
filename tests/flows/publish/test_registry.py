"""The registry merges releases about one CPTS, keeps the latest values and shows conflicts."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow.parquet as pq
import pytest

from flows.dataset.export import arrow_schema
from flows.publish.registry import build_registry, cluster_keys, normalise_name, write_registry
from schemas.columns import frame
from schemas.registry import MODELS
from tests.data import sample


def test_two_releases_of_sud_arddrom_merge_into_one_row():
    registry = build_registry(sample.tables())
    assert len(registry) == 1
    row = registry.iloc[0]
    assert row["cpts_key"] == sample.KEY_A  # the first spelling seen stays the key
    assert row["merged_keys"] == [sample.KEY_A, sample.KEY_B]
    assert row["names"] == ["CPTS Sud Ard'Drôm", "CPTS Sud Ard’Drôme"]
    assert row["doc_ids"] == [sample.DOC_A, sample.DOC_B]
    # The later release (2 May 2024) wins over the undated seed...
    assert (row["population"], row["population_qualifier"]) == (47000, "approx")
    assert row["population_as_of"] == dt.date(2024, 5, 2)
    assert row["population_doc_ids"] == [sample.DOC_B]
    assert row["communes"] == 19
    # ...but a fact only the seed states is kept, and "mentioned" does not undo "signed".
    assert row["signed_on"] == dt.date(2023, 12, 1)
    assert row["signed_on_doc_ids"] == [sample.DOC_A]
    assert row["status"] == "signed"
    assert row["size_class"] == 2
    assert row["president_doc_ids"] == [sample.DOC_A, sample.DOC_B]
    assert row["conflicts"] == [
        f"population: 45500 at_least (doc {sample.DOC_A}, undated) "
        f"vs 47000 approx (doc {sample.DOC_B}, 2024-05-02)",
        f"communes: 17 (doc {sample.DOC_A}, undated) vs 19 (doc {sample.DOC_B}, 2024-05-02)",
        f"professionals: 45 (doc {sample.DOC_A}, undated) vs 62 (doc {sample.DOC_B}, 2024-05-02)",
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("CPTS Sud Ard’ Drôm", "sudarddrom", id="curly-apostrophe-space"),
        pytest.param("CPTS Sud Ard'Drôme", "sudarddrome", id="straight-apostrophe"),
        pytest.param("CPTS du Grand Annecy", "grandannecy", id="small-word"),
        pytest.param("CPTS Marseille 12e", "marseille12e", id="digits-kept"),
    ],
)
def test_normalise_name(name, expected):
    assert normalise_name(name) == expected


def _cpts(*rows):
    return frame("cpts", [
        {"doc_id": f"{i:016x}", "cpts_key": key, "name": name, "status": "mentioned",
         "departments": depts}
        for i, (key, name, depts) in enumerate(rows)
    ])


@pytest.mark.parametrize(
    ("rows", "merged"),
    [
        pytest.param([("sud-ard-drom", "CPTS Sud Ard'Drôm", ["07"]),
                      ("sud-arddrome", "CPTS Sud Ard’Drôme", ["07", "26"])], True, id="spelling"),
        pytest.param([("grand-annecy", "CPTS du Grand Annecy", []),
                      ("grand-annecy-2", "CPTS Grand Annecy", ["74"])], True, id="small-word"),
        pytest.param([("nord-drome", "CPTS Nord Drôme", ["26"]),
                      ("sud-drome", "CPTS Sud Drôme", ["26"])], False, id="north-vs-south"),
        pytest.param([("marseille-12", "CPTS Marseille 12", ["13"]),
                      ("marseille-13", "CPTS Marseille 13", ["13"])], False, id="digits-differ"),
        pytest.param([("du-val", "CPTS du Val", ["83"]),
                      ("val", "CPTS Val", ["38"])], False, id="other-department"),
        pytest.param([("lyon-est", "CPTS Lyon Est", ["69"]),
                      ("lyon-ouest", "CPTS Lyon Ouest", ["69"])], False, id="east-vs-west"),
    ],
)
def test_cluster_keys(rows, merged):
    clusters = cluster_keys(_cpts(*rows))
    assert (len(set(clusters.values())) == 1) is merged


def _places(*rows):
    """(doc index, cpts_key, INSEE code, level) → resolved rows of the places table."""
    return frame("places", [
        {"doc_id": f"{i:016x}", "cpts_key": key, "insee_code": code, "level": level,
         "name": code, "status": "resolved", "candidates": [], "start": 0, "end": 1, "text": "x"}
        for i, key, code, level in rows
    ])


PLACES_CASES = [
    pytest.param(
        [("saint-paul", "CPTS Saint-Paul", [], ["974"]),
         ("saint-paul-2", "CPTS de Saint-Paul", [], ["40"])], [], False,
        id="same-name-other-island-apart",
    ),
    pytest.param(
        [("saint-paul", "CPTS Saint-Paul", [], ["974"]),
         ("saint-paul-2", "CPTS de Saint-Paul", ["974"], ["974"])], [], True,
        id="same-name-same-department-merge",
    ),
    pytest.param(
        [("aprosalys", "CPTS Aprosalys", ["69"], ["69"]),
         ("sud-ouest-lyonnais", "CPTS du Sud-Ouest lyonnais", [], ["69"])],
        [(0, "aprosalys", "69100", "commune"), (0, "aprosalys", "69149", "commune"),
         (1, "sud-ouest-lyonnais", "69149", "commune"),
         (1, "sud-ouest-lyonnais", "69100", "commune")], True,
        id="other-names-same-communes-merge",
    ),
    pytest.param(
        [("fayence-nord", "CPTS Fayence Nord", [], ["83"]),
         ("fayence-sud", "CPTS Fayence Sud", [], ["83"])],
        [(0, "fayence-nord", "200004802", "epci"),
         *[(1, "fayence-sud", code, "commune") for code in
           ("83008", "83029", "83055", "83080", "83081", "83117", "83124", "83133", "83138")]],
        False, id="a-cardinal-point-keeps-them-apart",
    ),
    pytest.param(
        [("pays-fayence", "CPTS du Pays de Fayence", [], ["83"]),
         ("fayence-var", "CPTS Fayence Var", [], ["83"])],
        [(0, "pays-fayence", "200004802", "epci"),
         *[(1, "fayence-var", code, "commune") for code in
           ("83008", "83029", "83055", "83080", "83081", "83117", "83124", "83133", "83138")]],
        True, id="an-epci-is-its-communes",
    ),
    pytest.param(
        [("val-ozon", "CPTS du Val d'Ozon", [], ["69"]),
         ("ozon-rhone", "CPTS Ozon Rhône", [], ["69"])],
        [(0, "val-ozon", "69100", "commune")], False, id="one-commune-is-not-enough",
    ),
]


@pytest.mark.parametrize(("rows", "places", "merged"), PLACES_CASES)
def test_cluster_keys_with_places(rows, places, merged):
    cpts = frame("cpts", [
        {"doc_id": f"{i:016x}", "cpts_key": key, "name": name, "status": "mentioned",
         "departments": depts, "departments_inferred": inferred}
        for i, (key, name, depts, inferred) in enumerate(rows)
    ])
    clusters = cluster_keys(cpts, _places(*places))
    assert (len(set(clusters.values())) == 1) is merged


def test_two_cpts_of_one_release_never_merge_by_places():
    cpts = frame("cpts", [
        {"doc_id": "0" * 16, "cpts_key": key, "name": name, "status": "mentioned",
         "departments": ["26"], "departments_inferred": ["26"]}
        for key, name in (("valence", "CPTS de Valence"), ("romans", "CPTS de Romans"))
    ])
    places = _places(*[(0, key, code, "commune") for key in ("valence", "romans")
                       for code in ("26362", "26281")])
    assert len(set(cluster_keys(cpts, places).values())) == 2


def test_distinct_cpts_stay_apart_and_unknown_values_stay_null():
    tables = sample.tables()
    extra = frame("cpts", [{"doc_id": sample.DOC_B, "cpts_key": "privas-centre-ardeche",
                            "name": "CPTS Privas Centre Ardèche", "status": "planned",
                            "departments": ["07"]}])
    tables["cpts"] = pd.concat([tables["cpts"], extra], ignore_index=True)
    registry = build_registry(tables).set_index("cpts_key")
    assert list(registry.index) == ["privas-centre-ardeche", "sud-ard-drom"]
    privas = registry.loc["privas-centre-ardeche"]
    assert privas["status"] == "planned"
    assert pd.isna(privas["population"])
    assert privas["conflicts"] == []


def test_write_registry_round_trips(tmp_path):
    registry = build_registry(sample.tables())
    parquet, csv = write_registry(registry, tmp_path)
    back = pd.read_parquet(parquet)
    assert back["population"].tolist() == [47000]
    assert list(back["merged_keys"][0]) == [sample.KEY_A, sample.KEY_B]
    assert back["population_as_of"][0] == dt.date(2024, 5, 2)
    text = csv.read_text("utf-8")
    assert "sud-ard-drom|sud-arddrome" in text
    assert "2024-05-02" in text


@pytest.mark.parametrize(
    "keep",
    [pytest.param("both", id="conflicts"), pytest.param("one", id="no-conflict"),
     pytest.param("none", id="empty")],
)
def test_registry_types_never_depend_on_the_data(tmp_path, keep):
    # No conflict found used to give conflicts list<null>, and strings were large_string here
    # and string in the other tables.
    tables = sample.tables()
    if keep != "both":
        wanted = [sample.DOC_A] if keep == "one" else []
        tables["cpts"] = tables["cpts"][tables["cpts"]["doc_id"].isin(wanted)]
    registry = build_registry(tables)
    parquet, _ = write_registry(registry, tmp_path)
    assert pq.read_schema(parquet).remove_metadata() == arrow_schema("cpts_registry")
    validated = MODELS["cpts_registry"].validate(registry, lazy=True)
    assert len(validated) == {"both": 1, "one": 1, "none": 0}[keep]
