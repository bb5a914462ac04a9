"""Place names as releases write them → the reference: folding and lookups (text/place_names)."""

from __future__ import annotations

import pytest

from extractors.text.place_names import gazetteer, name_tokens, place_key

KEY_CASES = [
    pytest.param("Saint-Genis-Laval", ("saint genis laval", None), id="hyphens"),
    pytest.param("St Hippolyte du Fort", ("saint hippolyte du fort", None), id="st-spaces"),
    pytest.param("Ste-Foy-lès-Lyon", ("sainte foy les lyon", None), id="ste-accent"),
    pytest.param("Les Sables-d’Olonne", ("sables d olonne", "les"), id="article-apostrophe"),
    pytest.param("L'Haÿ-les-Roses", ("hay les roses", "l"), id="elided-article"),
    pytest.param("Le Puy-en-Velay", ("puy en velay", "le"), id="le"),
    pytest.param("CHÂTILLON", ("chatillon", None), id="capitals-accents"),
    pytest.param("Cœur de Meurthe-et-Moselle", ("coeur de meurthe et moselle", None),
                 id="ligature"),
    pytest.param("Le", ("le", None), id="an-article-alone-stays"),
]


@pytest.mark.parametrize(("text", "expected"), KEY_CASES)
def test_place_key(text, expected):
    assert place_key(text) == expected


COMMUNE_CASES = [
    # (folded name, codes of the communes it may be)
    pytest.param("vienne", {"38544"}, id="vienne-the-town-only"),
    pytest.param("valence", {"16392", "26362", "82186"}, id="homonyms-kept"),
    pytest.param("sables d olonne", {"85194"}, id="article-set-apart"),
    pytest.param("saint hippolyte du fort", {"30263"}, id="saint"),
    pytest.param("penne sur huveaune", {"13070"}, id="la-penne"),
]


@pytest.mark.parametrize(("key", "codes"), COMMUNE_CASES)
def test_communes_by_folded_name(key, codes):
    assert {p.code for p in gazetteer().commune(key)} == codes


def test_delegated_commune_that_kept_its_name_is_the_commune_nouvelle():
    # Annecy (74010) merged with its neighbours in 2017 and kept its name: one answer.
    assert [p.code for p in gazetteer().commune("annecy")] == ["74010"]


def test_delegated_commune_under_its_old_name():
    found = gazetteer().commune(place_key("Bellegarde-sur-Valserine")[0])
    assert [(p.code, p.kind, p.parent) for p in found] == [("01033", "delegated", "01033")]


@pytest.mark.parametrize(
    ("city", "number", "code"),
    [
        pytest.param("paris", 15, "75115", id="paris-15e"),
        pytest.param("lyon", 5, "69385", id="lyon-5e"),
        pytest.param("marseille", 13, "13213", id="marseille-13e"),
        pytest.param("lyon", 10, None, id="lyon-has-nine"),
    ],
)
def test_arrondissements(city, number, code):
    place = gazetteer().arrondissement(city, number)
    assert (place.code if place else None) == code


EPCI_CASES = [
    pytest.param("Communauté de communes Béarn des Gaves", False, "CC du Béarn des Gaves",
                 id="cc-long-form"),
    pytest.param("CC Cœur de Sologne", False, "CC Coeur de Sologne", id="cc-ligature"),
    pytest.param("Communauté d’Agglomération du Pays Basque", False, "CA du Pays Basque",
                 id="ca-typographic-apostrophe"),
    pytest.param("Alès Agglomération", False, "CA Alès Agglomération", id="name-with-type"),
    pytest.param("Eurométropole de Strasbourg", False, "Eurométropole de Strasbourg",
                 id="eurometropole"),
    pytest.param("Mulhouse Agglomération", True, "CA Mulhouse Alsace Agglomération",
                 id="loose-short-form"),
    pytest.param("Mulhouse Agglomération", False, None, id="short-form-needs-loose"),
    pytest.param("Pays de Retz", False, None, id="a-pays-is-no-epci"),
]


@pytest.mark.parametrize(("text", "loose", "name"), EPCI_CASES)
def test_epci_by_name(text, loose, name):
    found = gazetteer().epci_named(name_tokens(text), loose=loose)
    assert [p.name for p in found] == ([name] if name else [])


def test_epci_carries_members_and_departments():
    place = gazetteer().place("200067106")  # CA du Pays Basque
    assert place.level == "epci" and place.departments == ("64",)
    assert len(place.members) > 100 and "64102" in place.members  # Bayonne


def test_departments_and_regions():
    geo = gazetteer()
    assert geo.department("deux sevres").code == "79"
    assert geo.department("reunion").code == "974"  # "La Réunion": the article set apart
    assert "86" in geo.strict_departments  # Vienne needs an article to be the department
    assert geo.is_region("grand est") and not geo.is_region("vienne")
    assert geo.place("75").name == "Paris" and geo.place("75056").name == "Paris"
    assert "75" in geo.one_commune_departments
