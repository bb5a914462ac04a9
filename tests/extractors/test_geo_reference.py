"""The geographic reference (extractors/lexicon/geo/): complete, consistent, and what the
resolver's folding makes of the names; the script's transform, on a package made here."""

from __future__ import annotations

import gzip
import hashlib
import json
from importlib import resources

import pytest

from extractors.lexicon import GEO_FILES, geo_manifest, load_geo
from extractors.text.place_names import epci_core, epci_key, name_tokens, place_key
from scripts import geo_reference

GEO = resources.files("extractors.lexicon").joinpath("geo")


def test_manifest_describes_every_file():
    manifest = geo_manifest()
    assert manifest["package"] == "@etalab/decoupage-administratif"
    assert manifest["version"] == geo_reference.VERSION
    assert manifest["licence"]["package"] == "MIT"
    tables = load_geo()
    for table, (name, _columns) in GEO_FILES.items():
        described = manifest["files"][name]
        assert hashlib.sha256(GEO.joinpath(name).read_bytes()).hexdigest() == described["sha256"]
        assert len(tables[table]) == described["rows"]


def test_reference_is_small_and_complete():
    size = sum(GEO.joinpath(name).stat().st_size for name, _ in GEO_FILES.values())
    assert size < 3_000_000
    tables = load_geo()
    assert len(tables["departments"]) == 101  # 96 in metropolitan France, 5 overseas
    current = [r for r in tables["communes"] if r[5] == "current"]
    assert 34_000 < len(current) < 36_000
    assert sum(r[5] == "arrondissement" for r in tables["communes"]) == 45  # 20 + 9 + 16


def test_rows_agree_with_each_other():
    tables = load_geo()
    departments = {row[0] for row in tables["departments"]}
    codes = {row[0] for row in tables["communes"] if row[5] in ("current", "arrondissement")}
    assert {row[4] for row in tables["communes"]} <= departments
    for _code, name, _key, _core, _kind, _population, members in tables["epci"]:
        assert set(members.split()) <= codes, name
    for row in tables["communes"]:
        if row[6]:
            assert row[6] in codes, row


def test_stored_keys_are_what_the_resolver_folds():
    """The keys are computed once by the script: a change of the folding rules must come with
    `make geo-reference`, or names would silently stop matching."""
    tables = load_geo()
    for code, name, key, article, *_ in tables["communes"]:
        assert (key, article or None) == place_key(name), code
    for code, name, key, core, *_ in tables["epci"]:
        assert key == epci_key(name) and core == " ".join(epci_core(name_tokens(name))), code


@pytest.mark.parametrize(
    ("code", "name", "department", "kind"),
    [
        pytest.param("38544", "Vienne", "38", "current", id="vienne-the-town"),
        pytest.param("69385", "Lyon 5e Arrondissement", "69", "arrondissement", id="lyon-5e"),
        pytest.param("2A004", "Ajaccio", "2A", "current", id="corsica"),
        pytest.param("97415", "Saint-Paul", "974", "current", id="reunion"),
        pytest.param("85194", "Les Sables-d'Olonne", "85", "current", id="article"),
    ],
)
def test_known_communes(code, name, department, kind):
    rows = {(r[0], r[5]): r for r in load_geo()["communes"]}
    row = rows[(code, kind)]
    assert (row[1], row[4]) == (name, department)


def _package(tmp_path):
    """A tiny copy of the npm package's data folder, in its own JSON shapes."""
    data = tmp_path / "package" / "data"
    data.mkdir(parents=True, exist_ok=True)
    communes = [
        {"code": "26362", "nom": "Valence", "departement": "26", "type": "commune-actuelle",
         "population": 64458, "zone": "metro"},
        {"code": "69123", "nom": "Lyon", "departement": "69", "type": "commune-actuelle",
         "population": 519127, "zone": "metro"},
        {"code": "69385", "nom": "Lyon 5e Arrondissement", "departement": "69",
         "type": "arrondissement-municipal", "commune": "69123", "population": 47777},
        {"code": "26001", "nom": "Ancienne", "departement": "26", "type": "commune-deleguee",
         "chefLieu": "26362"},
        {"code": "97701", "nom": "Saint-Barthélemy", "departement": "977",
         "type": "commune-actuelle", "population": 10000, "zone": "com"},
    ]
    groups = [{"code": "200068781", "nom": "CA Valence Romans Agglo", "type": "CA",
               "populationMunicipale": 225000, "membres": [{"code": "26362"}]}]
    files = {
        "communes.json": communes,
        "epci.json": groups,
        "ept.json": [],
        "departements.json": [
            {"code": "26", "nom": "Drôme", "region": "84", "zone": "metro"},
            {"code": "69", "nom": "Rhône", "region": "84", "zone": "metro"},
            {"code": "977", "nom": "Saint-Barthélemy", "region": "977", "zone": "com"},
        ],
        "regions.json": [{"code": "84", "nom": "Auvergne-Rhône-Alpes"}],
    }
    for name, rows in files.items():
        (data / name).write_text(json.dumps(rows), encoding="utf-8")
    return data


def test_script_transform_writes_compact_files(tmp_path):
    out = tmp_path / "geo"
    rows = geo_reference.build(_package(tmp_path), out)
    # Overseas collectivities are not departments: Saint-Barthélemy is left out.
    assert rows == {"communes.csv.gz": 4, "epci.csv.gz": 1, "departments.csv": 2,
                    "regions.csv": 1}
    communes = gzip.decompress((out / "communes.csv.gz").read_bytes()).decode().splitlines()
    assert communes[0] == ",".join(GEO_FILES["communes"][1])
    assert "69385,Lyon 5e Arrondissement,lyon 5e arrondissement,,69,arrondissement,69123,47777" \
        in communes
    assert "26001,Ancienne,ancienne,,26,delegated,26362," in communes
    epci = gzip.decompress((out / "epci.csv.gz").read_bytes()).decode().splitlines()
    assert epci[1] == "200068781,CA Valence Romans Agglo,valence romans agglo,valence romans,CA," \
        "225000,26362"
    again = tmp_path / "again"
    geo_reference.build(_package(tmp_path), again)
    # The same data gives the same bytes (no timestamp in the gzip header): a refresh with no
    # change leaves git clean.
    assert (again / "communes.csv.gz").read_bytes() == (out / "communes.csv.gz").read_bytes()
