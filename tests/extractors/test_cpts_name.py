"""CPTS names: tables of real-style sentences from releases of several regions."""

from __future__ import annotations

import pytest

from extractors.kinds import cpts_name
from extractors.text.document import build_document
from extractors.text.slug import same_cpts, slug
from extractors.types import FactKind


def names(text: str) -> list[str]:
    doc = build_document("t", text)
    facts = cpts_name.extract(doc)
    for f in facts:
        assert f.kind == FactKind.CPTS_NAME
        assert doc.text[f.start : f.end] == f.text
        assert f.attrs["key"] == slug(str(f.value))
    return list(dict.fromkeys(str(f.value) for f in facts))


def statuses(text: str) -> dict[str, set[str]]:
    doc = build_document("t", text)
    found: dict[str, set[str]] = {}
    for f in cpts_name.extract(doc):
        found.setdefault(str(f.value), set()).add(f.attrs.get("status", ""))
    return found


CASES = [
    pytest.param(
        "L'ARS et la CPAM ont officialisé la création de la CPTS Porte de Drôme Ardèche par la "
        "signature de l'Accord conventionnel interprofessionnel.",
        ["CPTS Porte de Drôme Ardèche"],
        id="name-ends-before-par",
    ),
    pytest.param(
        "La CPTS du Pays Mellois, présidée par le Dr Anne Roux, réunit 60 professionnels.",
        ["CPTS du Pays Mellois"],
        id="article-kept-comma-ends",
    ),
    pytest.param(
        "Le territoire de la CPTS de l’Ondaine s’étend sur deux départements.",
        ["CPTS de l'Ondaine"],
        id="elided-article-curly-apostrophe",
    ),
    pytest.param(
        "• CPTS des Rives du Haut-Allier, territoire couvrant 16 000 habitants,",
        ["CPTS des Rives du Haut-Allier"],
        id="bullet-des-with-inner-du",
    ),
    pytest.param(
        "La Communauté professionnelle territoriale de santé du pays Mellois s’est constituée "
        "en 2019.",
        ["CPTS du pays Mellois"],
        id="full-form-lowercase-pays",
    ),
    pytest.param(
        "Signature de l’ACI de la Communauté Professionnelle Territoriale de Santé (CPTS) du Grand "
        "Briançonnais, jeudi à Briançon.",
        ["CPTS du Grand Briançonnais"],
        id="full-form-with-acronym",
    ),
    pytest.param(
        "La CPTS Lyon 8 couvre 85 000 habitants du 8e arrondissement.",
        ["CPTS Lyon 8"],
        id="name-with-number",
    ),
    pytest.param(
        "La CPTS 18-36 regroupe des professionnels du Cher et de l’Indre.",
        ["CPTS 18-36"],
        id="name-is-two-department-codes",
    ),
    pytest.param(
        "Le contrat de la CPTS « Sud Gironde » a été signé à Langon.",
        ["CPTS Sud Gironde"],
        id="guillemets-with-nbsp",
    ),
    pytest.param(
        'Le contrat de la CPTS "Cœur de Lorraine" a été signé jeudi.',
        ["CPTS Cœur de Lorraine"],
        id="straight-quotes",
    ),
    pytest.param(
        "Signature de l’ACI de la Communauté professionnelle territoriale de santé "
        "bi-départementale Sud Ard’Drôm avec sa présidente.",
        ["CPTS Sud Ard'Drôm"],
        id="bi-departmental-adjective-dropped",
    ),
    pytest.param(
        "L'Assurance Maladie a signé un contrat avec les CPTS Croix-Rousse Presqu'île et Soins "
        "Pluriprofessionnels à Vaulx-en-Velin.",
        ["CPTS Croix-Rousse Presqu'île", "CPTS Soins Pluriprofessionnels à Vaulx-en-Velin"],
        id="plural-coordination-two-names",
    ),
    pytest.param(
        "Trois contrats ont été signés avec les CPTS Val de Saône, Dombes et Côtière.",
        ["CPTS Val de Saône", "CPTS Dombes", "CPTS Côtière"],
        id="plural-list-with-commas",
    ),
    pytest.param(
        "En Haute-Loire, deux CPTS bénéficient d’une convention :\n"
        "  • CPTS Nord-Velay-Forez, créée en décembre 2020\n"
        "  • CPTS Velay Sud, créée en septembre 2022",
        ["CPTS Nord-Velay-Forez", "CPTS Velay Sud"],
        id="bullets-with-nbsp-indent",
    ),
    pytest.param(
        "- **La CPTS Soins pluriprofessionnels de Vaulx-en-Velin** entend développer des "
        "partenariats.",
        ["CPTS Soins pluriprofessionnels de Vaulx-en-Velin"],
        id="markdown-bold-kept-out",
    ),
    pytest.param(
        "La CPTS Croix-Rousse Presqu'île couvre 97 000 habitants. La CPTS Croix Rouse Presqu'île "
        "s'engage à développer des protocoles.",
        ["CPTS Croix-Rousse Presqu'île"],
        id="typo-variant-merged",
    ),
    pytest.param(
        "La CPTS Sud Ard’ Drôm couvre 17 communes. La CPTS Sud Ard’Drôm a pour ambition de "
        "réduire le nombre de patients sans médecin traitant. Le projet de la CPTS Sud Ard’Drôm "
        "est validé.",
        ["CPTS Sud Ard'Drôm"],
        id="stray-space-variant-merged-most-frequent-wins",
    ),
    pytest.param(
        "La CPTS Soins Pluriprofessionnels à Vaulx-en-Velin a signé. La CPTS Soins "
        "Pluriprofessionnels de Vaulx-en-Velin (SPVV) est heureuse. La SPVV remercie l'ARS.",
        ["CPTS Soins Pluriprofessionnels de Vaulx-en-Velin"],
        id="connector-variants-and-acronym-merged",
    ),
    pytest.param(
        "La CPTS Porte de Drôme Ardèche est de taille 2. La CPTS Porte Drome Ardèche réunit 50 "
        "professionnels.",
        ["CPTS Porte de Drôme Ardèche"],
        id="missing-de-and-accent-merged",
    ),
    pytest.param(
        "L'ARS annonce la création d'une CPTS sur le territoire du Haut-Jura. Elle couvrira "
        "30 000 habitants.",
        ["CPTS du Haut-Jura"],
        id="unnamed-cpts-named-after-territory",
    ),
    pytest.param(
        "La CPTS du Médoc est la troisième du département, après celles de Sud Gironde et des "
        "Graves.",
        ["CPTS du Médoc", "CPTS Sud Gironde", "CPTS des Graves"],
        id="named-in-passing",
    ),
    pytest.param(
        "La CPTS\u00a0Nord\u00a059 regroupe 120 adhérents.",
        ["CPTS Nord 59"],
        id="nbsp-between-tokens",
    ),
    pytest.param(
        "La convention a été signée avec la CPTS Velay Sud en présence du maire.",
        ["CPTS Velay Sud"],
        id="en-is-a-stop-word-ok",
    ),
    pytest.param(
        "La CPTS Val de Saône et Dombes regroupe 90 professionnels.",
        ["CPTS Val de Saône et Dombes"],
        id="singular-name-with-et-kept",
    ),
    pytest.param(
        "la CPTS Orsay, Bures et Gometz a signé son ACI.",
        ["CPTS Orsay, Bures et Gometz"],
        id="list-form-name-of-towns",
    ),
    pytest.param(
        "La CPTS Sud Vendée, l'ARS et la CPAM ont signé le contrat.",
        ["CPTS Sud Vendée"],
        id="list-of-bodies-after-a-name-is-no-name",
    ),
    pytest.param(
        "La CPTS Orsay, ARS et CPAM ont signé.",
        ["CPTS Orsay"],
        id="acronyms-after-a-name-are-no-name",
    ),
]

NEGATIVE_CASES = [
    pytest.param(
        "CPTS : un collectif de professionnels de santé au service des patients", id="cpts-colon"
    ),
    pytest.param(
        "Les CPTS sont des organisations portées par des professionnels.", id="les-cpts-sont"
    ),
    pytest.param("Chaque CPTS s’organise autour d’un projet de santé.", id="chaque-cpts"),
    pytest.param("La création d’une CPTS est à l’initiative des professionnels.", id="une-cpts"),
    pytest.param(
        "Avec cette 7^e CPTS créée dans le département, 96 % des Drômois sont couverts.",
        id="ordinal",
    ),
    pytest.param("Il y a désormais 23 CPTS conventionnées dans le Rhône.", id="count-before"),
    pytest.param("Cartographie MSP et CPTS 43", id="department-code-caption"),
    pytest.param("Des outils pour les porteurs de projet de CPTS Bretagne.", id="projet-de-cpts"),
    pytest.param(
        "51,2 % de la population est couverte par une CPTS ayant signé un Accord.", id="ayant-signe"
    ),
    pytest.param(
        "Les communautés professionnelles territoriales de santé (CPTS) sont des organisations.",
        id="generic-full-form",
    ),
    pytest.param(
        "Création d’une nouvelle Communauté professionnelle territoriale de santé (CPTS) "
        "bi-départementale au service des patients",
        id="full-form-adjective-no-name",
    ),
    pytest.param("L’ARS accompagne les CPTS du Rhône dans leur projet.", id="cpts-of-a-department"),
    pytest.param("Les CPTS en Auvergne – Rhône-Alpes en vidéo", id="en-region"),
    pytest.param(
        "Elle couvre 250 000 habitants, ce qui en fait l’une des plus grandes CPTS de Bretagne.",
        id="superlative-region-is-not-a-name",
    ),
    pytest.param(
        "Plusieurs CPTS d’Occitanie ont déjà signé l’accord.", id="plusieurs-cpts-of-a-region"
    ),
    pytest.param(
        "Un projet de CPTS est à l'étude dans le Sancerrois.", id="un-projet-de-cpts-generic"
    ),
    pytest.param(
        "Un projet de CPTS Val de Sioule pourrait voir le jour.", id="un-projet-de-cpts-weak"
    ),
    pytest.param("", id="empty"),
    pytest.param("CPTS", id="acronym-alone"),
    pytest.param("«\u202f»\u00a0CPTS «", id="odd-punctuation"),
]

XFAIL_CASES = [
    pytest.param(
        "Le contrat a été signé avec la CPTS Velay Sud à Yssingeaux, en présence du préfet.",
        ["CPTS Velay Sud"],
        marks=pytest.mark.xfail(reason="'à' + capital is read as part of the name", strict=False),
        id="a-place-after-name",
    ),
    pytest.param(
        "Les CPTS de l'Ondaine sont réunies.",
        ["CPTS de l'Ondaine"],
        marks=pytest.mark.xfail(
            reason="'les CPTS de X' reads as the CPTS of a place", strict=False
        ),
        id="plural-with-articles",
    ),
]

BUGS_CAUGHT = [
    pytest.param(
        "Dans la Nièvre, le projet de CPTS du Haut Nivernais a reçu l'avis favorable de l'ARS.",
        ["CPTS du Haut Nivernais"],
        id="le-projet-de-cpts-named",
    ),
    pytest.param(
        "La CPTS de la Vallée de l'Ouche et du Morvan couvre 25 communes.",
        ["CPTS de la Vallée de l'Ouche et du Morvan"],
        id="et-du-place-continues-the-name",
    ),
    pytest.param(
        "Les présidents de la CPTS Lunévillois et de la CPTS Terres de Lorraine ont signé.",
        ["CPTS Lunévillois", "CPTS Terres de Lorraine"],
        id="et-de-la-cpts-is-another-name",
    ),
    pytest.param(
        "La CPTS Nord Isère et des professionnels du secteur ont signé.",
        ["CPTS Nord Isère"],
        id="et-des-lower-case-ends-the-name",
    ),
    pytest.param(
        "La CPTS Pays de Gex couvre 40 000 habitants, la CPTS du Chablais 60 000 habitants.",
        ["CPTS Pays de Gex", "CPTS du Chablais"],
        id="count-after-name-is-not-part-of-it",
    ),
    pytest.param(
        "Quels avantages pour les patients de disposer d'une CPTS du Pays Châtelleraudais ? "
        "La CPTS du Pays Châtelleraudais souhaite engager ses actions.",
        ["CPTS du Pays Châtelleraudais"],
        id="une-cpts-named-elsewhere-still-a-mention",
    ),
    pytest.param(
        "La CPTS Porte de Drôme Ardèche prévoit différentes actions de coordination et "
        "d'organisation.",
        ["CPTS Porte de Drôme Ardèche"],
        id="lowercase-tail-trimmed",
    ),
    # Held-out failures, fixed generally (new sentences from other regions).
    pytest.param(
        "Marseille : les CPTS Marseille 4 et Marseille 5 signent leur accord. Elles rejoignent "
        "la CPTS Marseille 8, signataire depuis 2022.",
        ["CPTS Marseille 4", "CPTS Marseille 5", "CPTS Marseille 8"],
        id="numbers-belong-to-names-and-keep-them-apart",
    ),
    pytest.param(
        "La CPTS Toulouse 3 et la CPTS Toulouse 6 pourront percevoir jusqu’à 400 000 €.",
        ["CPTS Toulouse 3", "CPTS Toulouse 6"],
        id="number-before-et-is-part-of-name",
    ),
    pytest.param(
        "La CPTS Lyon 7 compte 120 adhérents, la CPTS Villeurbanne 2 000 membres et la CPTS "
        "Bron 14 communes.",
        ["CPTS Lyon 7", "CPTS Villeurbanne", "CPTS Bron"],
        id="number-then-count-noun-is-a-count",
    ),
    pytest.param(
        "Un territoire rural. C’est la deuxième CPTS de l’Aisne, après celles du Saint-Quentinois "
        "et de la Thiérache.",
        ["CPTS du Saint-Quentinois", "CPTS de la Thiérache"],
        id="passing-names-kept-when-the-subject-is-unnamed",
    ),
    pytest.param(
        "La CPTS Loire Layon est la cinquième, après celles du Pays saumurois, des Mauges ou "
        "encore du Bocage angevin.",
        [
            "CPTS Loire Layon",
            "CPTS du Pays saumurois",
            "CPTS des Mauges",
            "CPTS du Bocage angevin",
        ],
        id="place-adjective-after-pays-and-ou-encore",
    ),
    pytest.param(
        "Le Dr Anne Morel préside la CPTS Vallée de la Bresle – Pays de Bray depuis mars.",
        ["CPTS Vallée de la Bresle – Pays de Bray"],
        id="en-dash-joins-two-parts-of-a-name",
    ),
    pytest.param(
        "CPTS Rennes Nord – Une communauté née pendant l’épidémie",
        ["CPTS Rennes Nord"],
        id="en-dash-before-a-new-phrase-ends-the-name",
    ),
    # Blind set 2 failures, fixed generally (new sentences from other regions).
    pytest.param(
        "CPTS Cœur de Béarn – Bulletin n° 4 – Mars 2025",
        ["CPTS Cœur de Béarn"],
        id="masthead-dash-bulletin-ends-the-name",
    ),
    pytest.param(
        "LA LETTRE\nCPTS Grand Poitiers – Lettre aux adhérents – Juin 2024",
        ["CPTS Grand Poitiers"],
        id="masthead-dash-lettre-ends-the-name",
    ),
    pytest.param(
        "Le 3 juin : rencontre inter-CPTS de la Somme avec la CPTS Amiens Métropole.",
        ["CPTS Amiens Métropole"],
        id="inter-cpts-is-no-name",
    ),
    pytest.param(
        "La CPTS Rennes Nord et la CPTS Rennes Nord-Est ont signé. La CPTS Rennes Nord-Est "
        "couvre 12 communes.",
        ["CPTS Rennes Nord", "CPTS Rennes Nord-Est"],
        id="cardinal-point-keeps-look-alikes-apart",
    ),
    pytest.param(
        "Bilan 2024\n\nLimouxin\nLa CPTS du Limouxin a réuni 45 professionnels.",
        ["CPTS du Limouxin"],
        id="heading-without-cpts-word-names-a-cpts-of-the-text",
    ),
    # Names on real web text (ERROR-PATTERNS.md, category E); sentences invented for the test.
    pytest.param(
        "Naissance de la CPTS du Val de Sioule\nLe 14 mai 2024, l'ARS et la CPAM ont signé "
        "le contrat de la communauté.",
        ["CPTS du Val de Sioule"],
        id="title-line-never-glued-to-the-body",
    ),
    pytest.param(
        "Signature du contrat de la CPTS Haut Léon 2025\n\nLa CPTS Haut Léon a signé mardi.",
        ["CPTS Haut Léon"],
        id="year-in-headline-is-not-in-the-name",
    ),
    pytest.param(
        "Le territoire compte 82 000 habitants, ce qui la classe en CPTS de Taille 3. La CPTS "
        "Cœur de Béarn s'en félicite.",
        ["CPTS Cœur de Béarn"],
        id="size-class-is-no-name",
    ),
    pytest.param(
        "« On a appris à se connaître grâce à notre CPTS\", explique Marie Dubois. La CPTS "
        "des Coteaux a signé.",
        ["CPTS des Coteaux"],
        id="closing-quote-after-cpts-opens-no-name",
    ),
    pytest.param(
        "Elle a mené le \"Tour de France des CPTS\" en 2023. L'occasion de rencontrer la "
        "CPTS Val d'Yerres.",
        ["CPTS Val d'Yerres"],
        id="quotation-holding-a-sentence-is-no-name",
    ),
    pytest.param(
        "Lors de la Journée des CPTS Ardéchoises, la présidente de la CPTS Centre Ardèche a "
        "pris la parole.",
        ["CPTS Centre Ardèche"],
        id="plural-place-adjective-after-les-cpts",
    ),
    pytest.param(
        "En présence de la présidente de la CPTS Centre 18 et de Paul MARTIN, directeur de "
        "la CPAM.",
        ["CPTS Centre 18"],
        id="et-de-a-person-is-not-a-place",
    ),
    pytest.param(
        "PROJET DE SANTÉ\nCPTS Ouest Vosges PROJET DE SANTÉ\nLa CPTS Ouest Vosges réunit "
        "80 professionnels.",
        ["CPTS Ouest Vosges"],
        id="capitals-after-a-name-are-a-heading",
    ),
    pytest.param(
        "La CPTS (communauté professionnelle territoriale de santé) Étangs et Marais a été "
        "inaugurée.",
        ["CPTS Étangs et Marais"],
        id="name-after-the-expansion-of-the-acronym",
    ),
    pytest.param(
        "La CPTS Rives de Saône Agglomération couvre 40 communes.\n\nPhoto : CPTS Rives de "
        "Saône Agglo",
        ["CPTS Rives de Saône Agglomération"],
        id="cut-word-is-the-same-cpts",
    ),
    pytest.param(
        "Cette association a pour objet la gestion de la CPTS Centre\nSaône et Loire. La CPTS "
        "Centre Saône et Loire compte 50 adhérents.",
        ["CPTS Centre Saône et Loire"],
        id="name-cut-by-a-line-end-joins-its-full-form",
    ),
    pytest.param(
        "La CPTS des Trois Rivières a signé son contrat. Un article à lire, selon la CPTS des Tro",
        ["CPTS des Trois Rivières"],
        id="excerpt-cut-mid-name",
    ),
    pytest.param(
        "Ont signé les CPTS de Vierzon (210 professionnels, 48 000 habitants), Sancerrois "
        "(95 professionnels) et Val de Loire (130 professionnels).",
        ["CPTS de Vierzon", "CPTS Sancerrois", "CPTS Val de Loire"],
        id="plural-list-with-figures-in-brackets",
    ),
    pytest.param(
        "• CPTS Sud Val-de-Marne, regroupant 5 communes dont celle de l'hôpital Henri-Mondor.",
        ["CPTS Sud Val-de-Marne"],
        id="celle-de-a-common-noun-is-no-passing-cpts",
    ),
    # CPTS named in passing or in plural lists (ERROR-PATTERNS.md, category F).
    pytest.param(
        "La CPTS du Pays d'Apt signe son contrat. Elle succède à celle du Pays Cavaillonnais, "
        "celle de Val en Luberon et celle du Haut Vaucluse.",
        ["CPTS du Pays d'Apt", "CPTS du Pays Cavaillonnais", "CPTS Val en Luberon",
         "CPTS du Haut Vaucluse"],
        id="enumeration-of-celle-with-en-inside-a-name",
    ),
    pytest.param(
        "Les communautés professionnelles et territoriales de santé du Boulonnais, de la Liane "
        "et des Deux Caps ont signé leur contrat.",
        ["CPTS du Boulonnais", "CPTS de la Liane", "CPTS des Deux Caps"],
        id="long-form-with-et-names-three",
    ),
    pytest.param(
        "Après le Dévoluy, doté d'une CPTS depuis 2021, c'est au tour du Buëch. La CPTS du "
        "Buëch a signé son contrat.",
        ["CPTS du Dévoluy", "CPTS du Buëch"],
        id="aside-area-endowed-with-a-cpts",
    ),
    pytest.param(
        "La CPTS Roches en Vercors a signé. La CPTS Sud Gironde en Nouvelle-Aquitaine couvre "
        "30 communes.",
        ["CPTS Roches en Vercors", "CPTS Sud Gironde"],
        id="en-inside-a-one-word-name-only",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES + BUGS_CAUGHT)
def test_names(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_not_names(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "expected"), XFAIL_CASES)
def test_known_gaps(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_mention_span_keeps_markdown_out() -> None:
    doc = build_document("t", "- **La CPTS Croix-Rousse Presqu'île** a pour ambition de renforcer.")
    (fact,) = cpts_name.extract(doc)
    assert fact.text == "CPTS Croix-Rousse Presqu'île"


def test_one_fact_per_mention_grouped_in_plural_phrase() -> None:
    doc = build_document("t", "Contrat signé avec les CPTS Croix-Rousse et Val de Saône.")
    facts = cpts_name.extract(doc)
    assert [f.text for f in facts] == ["CPTS Croix-Rousse", "Val de Saône"]
    assert facts[0].attrs["group"] == facts[1].attrs["group"]


# Names after "celles"/"ceux" (CPTS named in passing): (text, [group shared?]).
PASSING_GROUP_CASES = [
    pytest.param(
        "La CPTS du Sud Vert voit le jour. Après celles du Val Vert et du Pays Bleu, créées en "
        "2021, c'est la troisième CPTS du département.",
        ["CPTS du Val Vert", "CPTS du Pays Bleu"], True, id="celles-de-a-et-de-b",
    ),
    pytest.param(
        "La CPTS du Sud Vert voit le jour. Elle succède à celles du Pays Salonais, de Val en "
        "Durance et du Haut Var.",
        ["CPTS du Pays Salonais", "CPTS Val en Durance", "CPTS du Haut Var"], True,
        id="celles-three-names",
    ),
    pytest.param(
        "La CPTS du Sud Vert voit le jour, comme celle du Val Vert l'an passé.",
        ["CPTS du Val Vert"], False, id="celle-one-name-no-group",
    ),
]


@pytest.mark.parametrize(("text", "names", "grouped"), PASSING_GROUP_CASES)
def test_cpts_named_in_passing_together_form_one_group(text, names, grouped) -> None:
    doc = build_document("t", text)
    passing = [f for f in cpts_name.extract(doc) if str(f.value) in names]
    assert sorted({str(f.value) for f in passing}) == sorted(names)
    groups = {f.attrs.get("group") for f in passing}
    assert (len(groups) == 1 and None not in groups) == grouped


STATUS_CASES = [
    pytest.param(
        "En Haute-Marne, le projet de CPTS du Pays de Langres, dont la lettre d'intention a été "
        "retenue en juin, couvrira 45 000 habitants.",
        {"CPTS du Pays de Langres": {"in_progress"}},
        id="named-project-letter-of-intent",
    ),
    pytest.param(
        "En Haute-Loire, deux CPTS bénéficient d’une convention de financement ACI :\n"
        "• CPTS Velay Sud, créée en septembre 2022",
        {"CPTS Velay Sud": {"signed"}},
        id="lead-in-convention-beats-creee",
    ),
    pytest.param(
        "D’autres projets sont en cours et devraient pouvoir aboutir au 1er semestre 2023 :\n"
        "• CPTS du Brivadois, territoire couvrant près de 24 000 habitants",
        {"CPTS du Brivadois": {"in_progress"}},
        id="projects-in-progress-lead-in",
    ),
    pytest.param(
        "La CPTS des Monts du Lyonnais, créée en mars 2021, regroupe 80 adhérents.",
        {"CPTS des Monts du Lyonnais": {"created"}},
        id="created",
    ),
    pytest.param(
        "La CPTS Vallée de l’Arve, en cours de création, fédère déjà 40 professionnels.",
        {"CPTS Vallée de l'Arve": {"in_progress"}},
        id="en-cours-de-creation-not-created",
    ),
    pytest.param(
        "Une nouvelle structure, la CPTS Pays de Gex, devrait voir le jour en 2025.",
        {"CPTS Pays de Gex": {"planned"}},
        id="planned",
    ),
    pytest.param(
        "La CPTS du Médoc est la troisième du département, après celles de Sud Gironde et des "
        "Graves.",
        {
            "CPTS du Médoc": {""},
            "CPTS Sud Gironde": {"mentioned"},
            "CPTS des Graves": {"mentioned"},
        },
        id="passing-is-mentioned",
    ),
    pytest.param(
        "La CPTS Nord Artois est la deuxième à signer l’ACI, après la CPTS Douaisis et la CPTS "
        "Cambrésis, créée en 2020.",
        {
            "CPTS Nord Artois": {"signed"},
            "CPTS Douaisis": {"mentioned"},
            "CPTS Cambrésis": {"mentioned"},
        },
        id="cpts-after-apres-is-mentioned",
    ),
    pytest.param(
        "Elles rejoignent la CPTS Grand Nancy, qui a signé en 2021.",
        {"CPTS Grand Nancy": {"mentioned"}},
        id="rejoignent-la-cpts-is-mentioned",
    ),
]


def test_passing_cpts_are_mentioned() -> None:
    found = statuses(
        "Après le Dévoluy, doté d'une CPTS depuis 2021, c'est au tour du Buëch. La CPTS du "
        "Buëch a signé son contrat. Elle succède à celles du Champsaur et de Val en Durance."
    )
    assert found["CPTS du Dévoluy"] == {"mentioned"}
    assert found["CPTS Val en Durance"] == {"mentioned"}
    assert "mentioned" not in found["CPTS du Buëch"]


@pytest.mark.parametrize(("text", "expected"), STATUS_CASES)
def test_status_cues(text: str, expected: dict[str, set[str]]) -> None:
    assert statuses(text) == expected


SAME_CASES = [
    pytest.param("CPTS Croix-Rousse Presqu'île", "CPTS Croix Rouse Presqu'île", True, id="typo"),
    pytest.param("CPTS Sud Ard’ Drôm", "CPTS Sud Ard'Drôm", True, id="apostrophe-space"),
    pytest.param("CPTS Nord-Velay-Forez", "CPTS Velay Sud", False, id="shared-word-only"),
    pytest.param("CPTS Sud Gironde", "CPTS Gironde", False, id="suffix-is-not-same"),
    pytest.param("CPTS Toulouse Nord", "CPTS Toulouse Nord-Ouest", False, id="extra-direction"),
    pytest.param("CPTS Grenoble Sud", "CPTS Grenoble Centre", False, id="other-direction"),
    pytest.param("CPTS Velay Sud", "CPTS Velay Sud à Yssingeaux", True, id="run-on-same-direction"),
    pytest.param("CPTS Paris 13", "CPTS Paris 15", False, id="different-numbers-never-same"),
    pytest.param("CPTS Lyon 8", "CPTS de Lyon 8", True, id="same-number-article"),
    pytest.param("CPTS Mulhouse Agglomération", "CPTS Mulhouse Agglo", True, id="cut-last-word"),
    pytest.param("CPTS Mulhouse Agglo", "CPTS Mulhouse Agglomération", True, id="cut-either-order"),
    pytest.param("CPTS Pays Ba", "CPTS Pays Basque", False, id="cut-too-short"),
]


@pytest.mark.parametrize(("a", "b", "same"), SAME_CASES)
def test_same_cpts(a: str, b: str, same: bool) -> None:
    assert same_cpts(a, b) is same


def test_heading_without_cpts_word_is_a_mention() -> None:
    doc = build_document("t", "Bilan 2024\n\nLimouxin\nLa CPTS du Limouxin a réuni 45 adhérents.")
    found = [(f.text, f.attrs["via"]) for f in cpts_name.extract(doc)]
    assert found == [("Limouxin", "heading"), ("CPTS du Limouxin", "cpts")]
