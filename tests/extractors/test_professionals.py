"""Members / adherents of a CPTS, on sentences in the style of releases and the local press."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.kinds import professionals
from tests.extractors.spans import checked_facts

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def _facts(text: str):
    return checked_facts(professionals.extract, text)


def _main(text: str) -> list[tuple]:
    return [(f.value, f.qualifier, f.text) for f in _facts(text) if "scope" not in f.attrs]


CASES = [
    pytest.param(
        "Ont signé le contrat :\n• 63 professionnels de santé libéraux ;\n• le centre hospitalier.",
        [(63, "exact", "63 professionnels de santé libéraux")],
        id="signatories-listed-under-a-lead-in",
    ),
    pytest.param(
        "La CPTS réunit :\n• 63 professionnels de santé libéraux ;\n• 2 EHPAD.",
        [(63, "exact", "63 professionnels de santé libéraux")],
        id="gathering-verb-then-bullets",
    ),
    pytest.param(
        "La CPTS, présidée par le Dr Philippe Mondon, réunit près de 50 professionnels de santé.",
        [(50, "approx", "près de 50 professionnels de santé")],
        id="reunit-pres-de",
    ),
    pytest.param(
        "Elle regroupe 78 professionnels de santé adhérents dont notamment 16 "
        "masseurs-kinésithérapeutes et 10 orthophonistes.",
        [(78, "exact", "78 professionnels de santé adhérents")],
        id="regroupe-adherents",
    ),
    pytest.param(
        "Elle regroupe à date plus de 45 professionnels de santé adhérents (sur les 290 "
        "professionnels de santé libéraux sur le territoire) dont des médecins.",
        [(45, "at_least", "plus de 45 professionnels de santé adhérents")],
        id="denominator-290-dropped",
    ),
    pytest.param(
        "L’association compte une vingtaine d’adhérents, surtout des infirmiers.",
        [(20, "approx", "une vingtaine d’adhérents")],
        id="vingtaine-adherents",
    ),
    pytest.param(
        "La CPTS du Grand Cognac fédère aujourd'hui 130 professionnels libéraux.",
        [(130, "exact", "130 professionnels libéraux")],
        id="federe-aujourd-hui",
    ),
    pytest.param(
        "Quelque 65 soignants ont déjà adhéré à la CPTS des Coteaux.",
        [(65, "approx", "Quelque 65 soignants")],
        id="right-cue-ont-adhere",
    ),
    pytest.param(
        "Forte de 210 membres, la CPTS Bordeaux Rive Droite veut peser.",
        [(210, "exact", "210 membres")],
        id="forte-de-membres",
    ),
    pytest.param(
        "La CPTS compte désormais cent vingt adhérents issus de quinze professions.",
        [(120, "exact", "cent vingt adhérents")],
        id="words",
    ),
    pytest.param(
        "La CPTS Porte de Drôme Ardèche : près de 50 professionnels de santé réunis",
        [(50, "approx", "près de 50 professionnels de santé réunis")],
        id="title-reunis",
    ),
    pytest.param(
        "Parmi les 85 adhérents de la CPTS, on trouve 30 infirmiers.",
        [(85, "exact", "85 adhérents")],
        id="parmi-les-adherents-is-total",
    ),
    pytest.param(
        "La CPTS, c'est 95 professionnels de santé engagés pour le territoire.",
        [(95, "exact", "95 professionnels de santé engagés")],
        id="member-mark-engages",
    ),
    pytest.param(
        "La CPTS rassemble 41 communes, 58 000 habitants et 212 professionnels de santé.",
        [(212, "exact", "212 professionnels de santé")],
        id="verb-enumeration-after-other-counts",
    ),
    pytest.param(
        "La CPTS du Val de Cher réunit plusieurs professions autour d'un projet commun : 87 "
        "professionnels libéraux et 2 EHPAD.",
        [(87, "exact", "87 professionnels libéraux")],
        id="colon-opens-the-verb-enumeration",
    ),
    pytest.param(
        "Sur le secteur, 540 soignants exercent et déjà 96 d'entre eux ont adhéré à la CPTS.",
        [(96, "exact", "96")],
        id="partitive-d-entre-eux-ont-adhere",
    ),
    # The figures of a CPTS in the brackets after its name (assemble keeps them only for a
    # CPTS named right before the bracket: tests/extractors/test_assemble.py).
    pytest.param(
        "Les CPTS de Lure (120 professionnels de santé, 30 000 habitants) et de Vesoul "
        "(800 km², 95 professionnels de santé) signent leur contrat.",
        [
            (120, "exact", "120 professionnels de santé"),
            (95, "exact", "95 professionnels de santé"),
        ],
        id="bare-count-in-the-brackets-of-figures",
    ),
    # A pronoun continues the subject of the sentence before: here the CPTS.
    pytest.param(
        "La CPTS du Comtat a vu le jour en mai. Elle rassemble 90 professionnels de santé.",
        [(90, "exact", "90 professionnels de santé")],
        id="pronoun-continues-the-cpts",
    ),
]

NEGATIVE_CASES = [
    pytest.param(
        "Le territoire en chiffres :\n• 320 professionnels de santé ;\n• 40 000 habitants.",
        id="bullets-under-a-lead-in-that-gathers-nobody",
    ),
    pytest.param("Le conseil de l'ordre départemental compte 95 membres.",
                 id="members-of-the-ordre"),
    pytest.param("De son côté, le syndicat des infirmiers réunit 40 adhérents.",
                 id="members-of-a-union"),
    pytest.param(
        "Sur les 80 participants de la soirée, 60 ont réglé leur repas.", id="paid-not-membership"
    ),
    pytest.param(
        "120 professionnels de santé libéraux exercent sur le territoire de la CPTS.",
        id="exercent-not-members",
    ),
    pytest.param(
        "Le territoire compte 120 professionnels de santé libéraux.",
        id="territory-counts",
    ),
    pytest.param(
        "Plus de 200 participants à la soirée de lancement de la CPTS.",
        id="event-participants",
    ),
    pytest.param(
        "La soirée de lancement a réuni 150 professionnels de santé à Privas.",
        id="event-reuni",
    ),
    pytest.param(
        "Une soirée réunissant 80 professionnels de santé a lancé la démarche à Mende.",
        id="event-reunissant",
    ),
    pytest.param(
        "Quelque 85 professionnels ont participé à la réunion de lancement.",
        id="event-ont-participe",
    ),
    pytest.param("Le forum a réuni plus de 100 soignants du bassin.", id="event-forum"),
    # Attendees: the pronoun continues an event subject of the sentence before.
    pytest.param(
        "Première réunion publique à Carpentras. Elle rassemble 90 professionnels de santé.",
        id="pronoun-continues-a-meeting",
    ),
    pytest.param(
        "La soirée d'information s'est tenue à Apt. Elle a réuni 75 soignants.",
        id="pronoun-continues-an-evening",
    ),
    pytest.param(
        "La CPTS du Lodévois (entre 300 et 400 professionnels) signe son contrat.",
        id="range-in-brackets",
    ),
    pytest.param(
        "La CPTS du Lodévois (320 professionnels de santé installés sur le territoire) signe.",
        id="territory-count-in-brackets",
    ),
    pytest.param(
        "Le colloque (300 participants, 40 professionnels de santé) a eu lieu à Sète.",
        id="event-figures-in-brackets",
    ),
    pytest.param(
        "La CPTS réunit entre 300 et 400 professionnels selon les saisons.",
        id="range",
    ),
    pytest.param("Le bureau est composé de huit membres élus.", id="bureau-members"),
    pytest.param("Le département compte 96 médecins généralistes.", id="profession-no-member-cue"),
    pytest.param("La 7^e CPTS du département réunit ses professionnels.", id="ordinal"),
    pytest.param(
        "À terme, la CPTS devrait réunir plus de 300 professionnels de santé.",
        id="projection",
    ),
    pytest.param(
        "Le bassin compte 300 professionnels de santé, dont 40 exercent en maison de santé.",
        id="dont-count-without-member-cue",
    ),
    pytest.param(
        "Sur les 80 communes du territoire, 12 ont rejoint le contrat local de santé.",
        id="elliptic-count-without-professionals",
    ),
    pytest.param(
        "Les 12 membres du Bureau ont présenté la CPTS aux soignants présents.",
        id="bureau-capitalised",
    ),
    pytest.param(
        "La rencontre a rassemblé 9 membres du Conseil d'administration de la CPTS.",
        id="conseil-d-administration-capitalised",
    ),
]

# Evidence only: (text, value, scope)
SCOPED_CASES = [
    pytest.param(
        "Elle regroupe 56 professionnels de santé adhérents dont notamment 13 médecins "
        "généralistes et 10 infirmières diplômées d'Etat.",
        [(13, "detail"), (10, "detail")],
        id="dont-by-profession",
    ),
    pytest.param(
        "Née de l'initiative de huit membres fondateurs, la CPTS compte aujourd'hui 60 adhérents.",
        [(8, "detail")],
        id="founders",
    ),
    pytest.param(
        "Ces deux CPTS regroupent 150 professionnels de santé adhérents.",
        [(150, "generic")],
        id="several-cpts",
    ),
]

XFAIL_CASES: list = []

BUGS_CAUGHT = [
    pytest.param(
        "Elle regroupe 78 professionnels de santé adhérents dont 16 kinés.",
        [(78, "exact", "78 professionnels de santé adhérents")],
        id="detail-not-main",
    ),
    pytest.param(
        "Sur les 290 professionnels du territoire, 45 ont adhéré à la CPTS.",
        [(45, "exact", "45")],
        id="bare-number-ont-adhere",
    ),
    pytest.param(
        "Dans le Lunévillois, quatre cents soignants libéraux exercent, dont une centaine ont "
        "déjà adhéré à l’association.",
        [(100, "approx", "une centaine")],
        id="dont-une-centaine-ont-adhere",
    ),
    pytest.param(
        "Sur le secteur, 260 professionnels de santé exercent, dont 85 sont adhérents de la "
        "CPTS du Val de Sèvre.",
        [(85, "exact", "85")],
        id="dont-count-sont-adherents",
    ),
    pytest.param(
        "Sur les 120 inscrits à la réunion de Guéret, 95 ont d'ores et déjà réglé leur cotisation.",
        [(95, "exact", "95")],
        id="paid-membership-fee-without-noun",
    ),
    pytest.param(
        "Sur les 70 présents, 52 ont aujourd'hui adhéré à l'association.",
        [(52, "exact", "52")],
        id="adverb-after-auxiliary",
    ),
    # Blind set 2: an adverb between "sont" and "membres" (new sentences, other regions).
    pytest.param(
        "Une cinquantaine de soignants sont désormais membres de la CPTS du Haut-Jura.",
        [(50, "approx", "Une cinquantaine de soignants")],
        id="sont-desormais-membres",
    ),
    pytest.param(
        "Près de 70 professionnels de santé sont aujourd'hui adhérents de la communauté.",
        [(70, "approx", "Près de 70 professionnels de santé")],
        id="sont-aujourdhui-adherents",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES + BUGS_CAUGHT)
def test_professionals(text: str, expected: list[tuple]) -> None:
    assert _main(text) == expected


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_no_professionals(text: str) -> None:
    assert _facts(text) == []


@pytest.mark.parametrize(("text", "expected"), SCOPED_CASES)
def test_scoped(text: str, expected: list[tuple]) -> None:
    scoped = [(f.value, f.attrs["scope"]) for f in _facts(text) if "scope" in f.attrs]
    assert scoped == expected


@pytest.mark.parametrize(("text", "expected"), XFAIL_CASES)
def test_professionals_xfail(text: str, expected: list[tuple]) -> None:
    assert [(v, q) for v, q, _ in _main(text)] == expected


GOLD_PROFESSIONALS = {
    "000_c1c9569514ed623f": [50],
    "001_69d9c9131c617f1b": [45],
    "002_50d2bab3bf767c5d": [],
    "003_af397daad21d5121": [],
    "004_de4d97111982b108": [78, 56],
}


@pytest.mark.parametrize("stem", sorted(GOLD_PROFESSIONALS))
def test_seed_corpus(stem: str) -> None:
    gold = json.loads((CORPUS / "gold" / f"{stem}.json").read_text("utf-8"))
    expected = [c["professionals"] for c in gold["cpts"] if c["professionals"]]
    assert expected == GOLD_PROFESSIONALS[stem]
    found = sorted(set(v for v, _, _ in _main((CORPUS / f"{stem}.txt").read_text("utf-8"))))
    assert found == sorted(expected)
