"""signed_on: the ACI/contract signature or official creation date, with event and priority."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.kinds import signed_on
from tests.extractors.spans import checked_facts

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
HEADER = "Offre de soins 15 mars 2024\n\n"  # gives yearless dates their year

CASES = [
    pytest.param(
        "Le 2 juin 2023, la CPTS a signé son ACI ; ses partenaires étaient présents.",
        "2023-06-02",
        "signature",
        "1",
        id="partners-in-another-clause-veto-nothing",
    ),
    pytest.param(
        "Signature du contrat de la CPTS Val de Loue 2025\n\nLe contrat a été signé le 3 février "
        "à Ornans par la CPTS et l'ARS.",
        "2025-02-03",
        "signature",
        "0",
        id="yearless-date-takes-the-headline-year",
    ),
    pytest.param(
        "La CPTS des Monts du Verdon signe son contrat 2024\n\nCe lundi 9 septembre a eu lieu la "
        "signature du contrat de la CPTS avec la CPAM.",
        "2024-09-09",
        "signature",
        "1",
        id="headline-year-and-the-weekday-agree",
    ),
    pytest.param(
        "La CPTS du Pays de Gex a signé le 12 avril 2023 l'accord conventionnel "
        "interprofessionnel.",
        "2023-04-12",
        "signature",
        "0",
        id="a-signe-le",
    ),
    pytest.param(
        "Le contrat, signé le 1er décembre 2023, engage la CPTS pour cinq ans.",
        "2023-12-01",
        "signature",
        "0",
        id="signe-le-premier",
    ),
    pytest.param(
        "Le Dr Martin, président de la CPTS, ont signé le **jeudi 24 juin 2021** "
        "la création de la CPTS du Loudunais.",
        "2021-06-24",
        "signature",
        "0",
        id="markdown-bold-date",
    ),
    pytest.param(
        "L'ACI a été signé officiellement le 3\u00a0mai\u00a02022 à Dieppe.",
        "2022-05-03",
        "signature",
        "0",
        id="gap-adverb-nbsp",
    ),
    pytest.param(
        "Ce lundi 14 octobre 2024, l'ARS et la CPAM de l'Isère ont officialisé la création "
        "de la CPTS du Voironnais.",
        "2024-10-14",
        "officialisation",
        "1",
        id="ce-weekday-officialise",
    ),
    pytest.param(
        HEADER + "Ce mardi 12 mars, la CPAM du Finistère et l'ARS ont signé un contrat avec "
        "la CPTS de Quimper.",
        "2024-03-12",
        "signature",
        "1",
        id="yearless-from-header",
    ),
    pytest.param(
        "CPTS Nord-Velay-Forez, créée en décembre 2020 dont le périmètre couvre 36 000 habitants",
        "2020-12",
        "creation",
        "2",
        id="creee-en-month",
    ),
    pytest.param(
        "La CPTS du Bocage, constituée le 2 février 2021, regroupe 80 professionnels.",
        "2021-02-02",
        "creation",
        "2",
        id="constituee-le",
    ),
    pytest.param(
        "La CPTS Lens-Hénin, créée en 2019, couvre 120 000 habitants.",
        "2019",
        "creation",
        "2",
        id="creee-en-year",
    ),
    pytest.param(
        "La CPTS du Ségala a vu le jour en mars 2024, après plusieurs années de travail.",
        "2024-03",
        "creation",
        "2",
        id="voir-le-jour-direct",
    ),
    pytest.param(
        "La CPTS « Les Coteaux » est labellisée, elle a signé l'ACI (accord conventionnel "
        "interprofessionnel) avec la CPAM en mai 2023.",
        "2023-05",
        "signature",
        "1",
        id="signature-across-a-parenthesis",
    ),
    pytest.param(
        "Dans l'Yonne, la CPTS Puisaye est officiellement lancée ce mardi 8 mars 2022 à Toucy.",
        "2022-03-08",
        "officialisation",
        "1",
        id="official-launch",
    ),
]

NEGATIVE_CASES = [
    pytest.param(
        "Avec cette signature, 24 CPTS sont désormais sous contrat en Gironde.",
        id="sous-contrat-without-date",
    ),
    pytest.param(
        "Cinq CPTS sous contrat en 2023 ont perçu 6,4 M€ au titre de l'ACI.",
        id="sous-contrat-en-year",
    ),
    pytest.param(
        "Le partenariat conclu en 2019 avec le département de l'Orne se poursuit.",
        id="conclu-without-an-accord",
    ),
    pytest.param(
        "Publié le 02/05/2024\n\nLe 30 avril, la CPTS du Lodévois a signé un avenant à son "
        "accord conventionnel interprofessionnel.",
        id="avenant-only",
    ),
    pytest.param(
        "La CPTS de Gascogne, créée en sept ans de travail, couvre 30 communes.",
        id="sept-is-not-september",
    ),
    pytest.param(
        "Le 3 mai 2023\n\nLa CPTS Val d'Oise Nord a tenu mardi 2 mai son assemblée générale.",
        id="general-assembly-is-not-creation",
    ),
    pytest.param(
        "Dès 2019, l'ARS, la CPAM de la Vienne et les URPS ont soutenu le projet en validant "
        "la lettre d'intention.",
        id="letter-of-intent-year",
    ),
    pytest.param(
        "La lettre d'intention, signée le 4 mars 2020, a lancé la démarche.",
        id="letter-of-intent-signed",
    ),
    pytest.param("Lyon, lundi 14 octobre 2024", id="dateline"),
    pytest.param("DÉPARTEMENT RÉGULATION - 28/06/2024", id="map-date"),
    pytest.param(
        "L'ARS ambitionne de couvrir l'ensemble du département d'ici fin 2023.", id="fin-2023"
    ),
    pytest.param(
        "D'autres projets devraient pouvoir aboutir au 1er semestre 2023 : CPTS du Brivadois.",
        id="semester",
    ),
    pytest.param(
        "Les professionnels ont cultivé, depuis 2005, des liens confraternels.", id="depuis-2005"
    ),
    pytest.param("D'autres projets de contrats de CPTS verront le jour en 2024.", id="en-2024"),
    pytest.param(
        "Le 5 juin 2023, la CPTS a organisé une soirée de lancement à Niort.", id="launch-evening"
    ),
    pytest.param(
        "Le 8 avril 2022, le projet de santé validé par l'ARS a été présenté aux élus.",
        id="health-project",
    ),
    pytest.param(
        "La signature de l'ACI aura lieu le 12 juin 2024 à la CPAM de la Sarthe.",
        id="future-signature",
    ),
    pytest.param(
        "Ce vendredi 22 décembre, la CPAM a signé un contrat avec la CPTS.",
        id="yearless-no-reference",
    ),
    pytest.param(
        "La CPTS des Monts du Verdon signe son contrat 2024\n\nCe mardi 9 septembre a eu lieu la "
        "signature du contrat de la CPTS avec la CPAM.",
        id="weekday-of-another-year-than-the-headline",
    ),
    pytest.param(
        "CPTS Val de Loue : bilan 2023-2024\n\nLe contrat a été signé le 3 février à Ornans par la "
        "CPTS et l'ARS.",
        id="headline-with-two-years-gives-none",
    ),
    pytest.param(
        "En 2024, la CPTS du Val de Loue comptait 80 soignants et 12 communes.\n"
        "Le contrat a été signé le 3 février à Ornans par la CPTS et l'ARS.",
        id="a-year-in-a-body-sentence-is-no-headline",
    ),
    pytest.param("Le 2 mars 2023, la CPTS a inauguré ses locaux à Laval.", id="inauguration"),
    pytest.param(
        "Le 2 juin 2023, la CPTS du Val Vert a signé une convention de partenariat avec la Ligue "
        "contre le cancer.",
        id="partnership-with-another-body-after-an-opening-date",
    ),
    pytest.param(
        HEADER + "Ils se sont réunis, mardi 5 mars, à la mairie pour un premier échange.",
        id="weekday-between-commas-without-signing",
    ),
    pytest.param(
        "Il est fondé entre les adhérents une association régie par la loi du 1er juillet 1901.",
        id="law-date-in-founding-statutes",
    ),
    pytest.param(
        "Le mardi 4 avril 2023, une convention a été conclue entre la CPTS et le centre "
        "communal d'action sociale (CCAS).",
        id="convention-with-a-ccas",
    ),
]


def test_signature_of_counted_unnamed_communities_is_for_all() -> None:
    text = HEADER + (
        "Le lundi 11 mars 2024, l'ARS Hauts-de-France et la CPAM de l'Oise ont signé avec les "
        "représentants de trois communautés professionnelles territoriales de santé leur ACI."
    )
    (fact,) = _facts(text)
    assert (fact.value, fact.attrs.get("scope")) == ("2024-03-11", "all")


def test_relative_clause_after_a_name_dates_that_cpts() -> None:
    facts = _facts(
        "Épinal, le 4 avril 2024\n\nCe mardi 2 avril, la CPTS de la Déodatie a signé son ACI. "
        "Elle est la troisième des Vosges, après la CPTS de la Plaine des Vosges, qui avait "
        "signé le sien en mars 2022."
    )
    owners = {f.value: f.attrs.get("cpts") for f in facts}
    assert owners == {"2024-04-02": None, "2022-03": "CPTS de la Plaine des Vosges"}


# A clause right after a CPTS name dates that CPTS: (text, date, the name in attrs["cpts"]).
OWNER_CASES = [
    pytest.param(
        "Après la CPTS du Val Vert, qui a été créée en 2021, la CPTS du Pays Bleu voit le jour.",
        "2021", "CPTS du Val Vert", id="passive-relative",
    ),
    pytest.param(
        "Après la CPTS du Val Vert, qui s'est constituée en 2021, la CPTS du Pays Bleu voit le "
        "jour.",
        "2021", "CPTS du Val Vert", id="reflexive-relative",
    ),
    pytest.param(
        "Après la CPTS du Val Vert, créée en 2021, c'est au tour de la CPTS du Pays Bleu de voir "
        "le jour.",
        "2021", "CPTS du Val Vert", id="participle-set-off-by-commas",
    ),
    pytest.param(
        "Les CPTS du Val Vert et du Pays Bleu, signataires depuis 2020, ont partagé leur "
        "expérience.",
        "2020", None, id="plural-list-is-left-to-attribution",
    ),
]


@pytest.mark.parametrize(("text", "value", "owner"), OWNER_CASES)
def test_a_clause_after_a_name_dates_that_cpts(text: str, value: str, owner: str | None) -> None:
    (fact,) = _facts(text)
    assert (fact.value, fact.attrs.get("cpts")) == (value, owner)


def test_signature_naming_its_cpts_is_left_to_attribution() -> None:
    text = HEADER + (
        "Le lundi 11 mars 2024, l'ARS a signé avec deux nouvelles CPTS leur accord : la CPTS "
        "du Clermontois et la CPTS du Noyonnais."
    )
    (fact,) = _facts(text)
    assert "scope" not in fact.attrs


XFAIL_CASES = [
    pytest.param(
        "La CPTS a vu le jour à l'automne 2021 sous l'impulsion des infirmiers.",
        "2021",
        id="season",
        marks=pytest.mark.xfail(reason="seasons are not dates", strict=False),
    ),
    pytest.param(
        "La CPTS, dont l'ACI date du 3 mai 2022, couvre 30 communes.",
        "2022-05-03",
        id="aci-date-du",
        marks=pytest.mark.xfail(reason="'date du' is not a cue", strict=False),
    ),
]

BUGS_CAUGHT = [
    pytest.param(
        "Le mardi 14 mars 2023, l'ARS et les CPAM de l'Aude et de l'Hérault ont signé les "
        "accords conventionnels interprofessionnels de trois communautés. La CPTS du "
        "Minervois, créée en mars 2020, en pleine crise sanitaire, réunit 60 adhérents.",
        "2023-03-14",
        id="signature-beats-creation-of-same-text",
    ),
    pytest.param(
        HEADER
        + "Elles étaient une quarantaine, jeudi 9 mars, salle Jean-Moulin, pour la signature "
        "officielle. Les soignants ont signé avec la CPAM l'accord conventionnel de leur CPTS.",
        "2023-03-09",
        id="weekday-date-between-commas-subject-in-next-sentence",
    ),
    pytest.param(
        "Les CPTS du Pays de Lorient et de Quimperlé, signataires depuis 2021, ont témoigné.",
        "2021",
        id="signataires-depuis-year",
    ),
    pytest.param(
        "Ce jeudi 7 décembre 2023, la directrice de la CPAM a officialisé la signature de "
        "l'accord. Ce contrat tripartite a été signé le 1er décembre 2023.",
        "2023-12-01",
        id="signed-beats-officialised",
    ),
    # Yearless dates of a local daily, resolved against its "Publié le" line.
    pytest.param(
        "Publié le 14/10/2022 à 18h05\n\nMercredi 12 octobre, à la mairie de Vitré, la CPTS "
        "du Pays de Vitré a signé son contrat avec la CPAM d'Ille-et-Vilaine.",
        "2022-10-12",
        id="sentence-opens-on-weekday-date",
    ),
    pytest.param(
        "Publié le 03/02/2023\n\nL'accord a été paraphé mardi 31 janvier à la préfecture de "
        "Mende par la CPTS Lozère Nord et l'Assurance maladie.",
        "2023-01-31",
        id="paraphe-weekday-no-article",
    ),
    pytest.param(
        "Le Petit Bleu – Mars 2023\n\nLe 6 février, la CPTS Cœur de Garonne a signé son "
        "accord conventionnel interprofessionnel.",
        "2023-02-06",
        id="month-header-gives-the-year",
    ),
    pytest.param(
        "Publié le 9 novembre 2022\n\nLa CPTS du Bocage Bressuirais, qui a signé son accord "
        "avec la CPAM des Deux-Sèvres et l'ARS Nouvelle-Aquitaine en mai 2021, recrute.",
        "2021-05",
        id="long-object-between-verb-and-month",
    ),
    pytest.param(
        "Le 2 mars 2024\n\nLa CPTS Sud Morbihan a été créée en novembre. Elle réunit déjà "
        "60 adhérents.",
        "2023-11",
        id="yearless-month-takes-the-year-before",
    ),
    pytest.param(
        "Vesoul, le 8 juin 2023\n\nCe lundi 5 juin, la CPAM de la Haute-Saône et la CPTS "
        "des Mille Étangs ont signé un avenant à leur contrat, conclu le 2 juillet 2021.",
        "2021-07-02",
        id="avenant-date-is-not-the-aci-date",
    ),
    pytest.param(
        "Publié le 30/09/2021\n\nMardi 28 septembre, l'assemblée constitutive a donné "
        "naissance à la CPTS du Haut-Jura, qui réunit 45 soignants.",
        "2021-09-28",
        id="founding-meeting-is-a-creation",
    ),
    pytest.param(
        "Metz, le 23 janvier 2024\n\nSous contrat depuis mai 2021, elle réunit plus de 410 "
        "professionnels de santé adhérents.",
        "2021-05",
        id="sous-contrat-depuis-month",
    ),
    pytest.param(
        "La CPTS du Val de Lorraine, sous ACI depuis le 1er mars 2022, couvre 31 communes.",
        "2022-03-01",
        id="sous-aci-depuis-day",
    ),
    pytest.param(
        "URPS Infirmiers Grand Est\n\nCOMMUNIQUÉ DE PRESSE – Nancy, le 2 décembre 2024\n\n"
        "L'URPS se félicite de la signature, le 28 novembre, de l'accord conventionnel "
        "interprofessionnel de la CPTS du Grand Nancy.",
        "2024-11-28",
        id="yearless-signature-anchored-by-kind-dateline",
    ),
    pytest.param(
        "Publié le 6 février 2024\n\nLa CPTS du Pays de Morlaix a signé son accord "
        "conventionnel interprofessionnel le 30 janvier dernier.",
        "2024-01-30",
        id="yearless-dernier-anchored-by-publie-le",
    ),
    pytest.param(
        "Née en juin 2023, la CPTS a attendu mars 2024 pour signer son ACI.",
        "2024-03",
        id="signature-beats-creation-in-one-sentence",
    ),
    pytest.param(
        "Après une réunion publique le 5 mai 2022, la CPTS a signé son contrat le 19 septembre "
        "2022.",
        "2022-09-19",
        id="first-date-of-the-sentence-is-another-event",
    ),
]


def _facts(text: str):
    return checked_facts(signed_on.extract, text)


def _best(facts):
    return min(facts, key=lambda f: int(f.attrs["priority"])).value if facts else None


@pytest.mark.parametrize(("text", "value", "event", "priority"), CASES)
def test_signed_on(text: str, value: str, event: str, priority: str) -> None:
    (fact,) = _facts(text)
    assert (fact.value, fact.attrs["event"], fact.attrs["priority"]) == (value, event, priority)


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_no_signed_on(text: str) -> None:
    assert _facts(text) == []


@pytest.mark.parametrize(("text", "value"), XFAIL_CASES + BUGS_CAUGHT)
def test_known_limits_and_bugs(text: str, value: str) -> None:
    assert _best(_facts(text)) == value


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_corpus_matches_gold(path: Path) -> None:
    gold = json.loads((CORPUS / "gold" / f"{path.stem}.json").read_text("utf-8"))
    facts = _facts(path.read_text("utf-8"))
    expected = {c["signed_on"] for c in gold["cpts"] if c["signed_on"]}
    assert expected <= {f.value for f in facts}
    if len(expected) == 1:  # one date for the whole release: the best-priority fact is it
        assert _best(facts) in expected
