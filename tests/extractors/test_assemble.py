"""Attribution of facts to CPTS and record building, with hand-made facts on real-style text.

Each case is a release text and a list of facts written as (kind, needle, value, attrs); the
cpts_name facts come from the real extractor so names, keys and groups are realistic.
"""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.assemble.assemble import assemble, parse_iso
from extractors.kinds import cpts_name
from extractors.text.document import build_document
from extractors.types import Document, Fact, FactKind

K = FactKind


def make(doc: Document, kind: FactKind, needle: str, value: int | str, /, **attrs: str) -> Fact:
    nth = int(attrs.pop("nth", "0"))
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(needle, start + 1)
    qualifier = attrs.pop("qualifier", None)
    return Fact(kind, value, start, start + len(needle), needle, "test", qualifier, attrs)


def run(text: str, specs: list[tuple]) -> tuple[Document, object]:
    doc = build_document("t", text)
    facts = cpts_name.extract(doc)
    facts += [
        make(doc, kind, needle, value, **attrs)
        for kind, needle, value, *rest in specs
        for attrs in [rest[0] if rest else {}]
    ]
    return doc, assemble(doc, facts)


def owners(assembly, kind: FactKind | None = None) -> dict[str, list[str | None]]:
    """Fact text → the CPTS keys it went to: facts of `kind`, or of every kind but the names."""
    found: dict[str, list[str | None]] = {}
    for a in assembly.facts:
        if a.fact.kind == kind or (kind is None and a.fact.kind != FactKind.CPTS_NAME):
            found.setdefault(a.fact.text, []).append(a.cpts_key)
    return found


ALTERNATING = (
    "La CPTS Croix-Rousse Presqu'île couvre une population de 97 000 habitants. Elle regroupe "
    "78 professionnels de santé adhérents dont notamment 16 masseurs-kinésithérapeutes.\n\n"
    "La CPTS Soins Pluriprofessionnels de Vaulx-en-Velin couvre une population de 51 800 "
    "habitants. Elle regroupe 56 professionnels de santé adhérents."
)

BULLETS = (
    "Elles peuvent bénéficier d'un financement annuel de la CPAM allant jusqu'à :\n\n"
    "- 457 500 € pour la CPTS Croix-Rousse Presqu'île,\n"
    "- 382 500 € pour la CPTS Soins Pluriprofessionnels Vaulx-en-Velin."
)

HAUTE_LOIRE = (
    "Les CPTS peuvent bénéficier d’un financement allant de 287 500 € à 580 000 € par an.\n\n"
    "En Haute-Loire, deux CPTS bénéficient d’une convention de financement ACI :\n\n"
    "• CPTS Nord-Velay-Forez, créée en décembre 2020 dont le périmètre couvre 36 000 habitants\n"
    "• CPTS Velay Sud, créée en septembre 2022, dont le périmètre couvre 66 500 habitants\n\n"
    "D’autres projets sont en cours :\n\n"
    "• CPTS de l’Ondaine, territoire couvrant des communes de la Loire et de la Haute-Loire"
)

CASES = [
    pytest.param(
        ALTERNATING,
        [
            (K.POPULATION, "97 000", 97000),
            (K.PROFESSIONALS, "78", 78),
            (K.PROFESSIONALS, "16", 16, {"scope": "detail"}),
            (K.POPULATION, "51 800", 51800),
            (K.PROFESSIONALS, "56", 56),
        ],
        {
            "97 000": ["croix-rousse-presqu-ile"],
            "78": ["croix-rousse-presqu-ile"],
            "16": ["croix-rousse-presqu-ile"],
            "51 800": ["soins-pluriprofessionnels-vaulx-velin"],
            "56": ["soins-pluriprofessionnels-vaulx-velin"],
        },
        id="elle-follows-last-named-cpts",
    ),
    pytest.param(
        BULLETS,
        [(K.AMOUNT, "457 500 €", 457500), (K.AMOUNT, "382 500 €", 382500)],
        {
            "457 500 €": ["croix-rousse-presqu-ile"],
            "382 500 €": ["soins-pluriprofessionnels-vaulx-velin"],
        },
        id="bullets-under-lead-in-follow-own-name",
    ),
    pytest.param(
        "Chacune de ces CPTS a obtenu 15 000 € de l'ARS. Les CPTS Croix-Rousse et Val de Saône "
        "ont signé.",
        [(K.AMOUNT, "15 000 €", 15000, {"scope": "all"})],
        {"15 000 €": ["croix-rousse", "val-saone"]},
        id="scope-all-duplicated",
    ),
    pytest.param(
        HAUTE_LOIRE,
        [
            (K.AMOUNT, "287 500 €", 287500, {"scope": "generic"}),
            (K.POPULATION, "36 000", 36000),
            (K.POPULATION, "66 500", 66500),
            (K.SIGNED_ON, "décembre 2020", "2020-12", {"priority": "2", "qualifier": "month"}),
        ],
        {
            "287 500 €": [None],
            "36 000": ["nord-velay-forez"],
            "66 500": ["velay-sud"],
            "décembre 2020": ["nord-velay-forez"],
        },
        id="bullets-each-own-cpts-generic-to-none",
    ),
    pytest.param(
        "Ce vendredi 22 décembre, la CPAM a signé un contrat avec les CPTS Croix-Rousse "
        "Presqu'île et Soins Pluriprofessionnels à Vaulx-en-Velin.",
        [(K.SIGNED_ON, "vendredi 22 décembre", "2023-12-22", {"priority": "0"})],
        {
            "vendredi 22 décembre": [
                "croix-rousse-presqu-ile",
                "soins-pluriprofessionnels-vaulx-velin",
            ]
        },
        id="plural-phrase-gives-to-both",
    ),
    pytest.param(
        "La CPTS Pays de Gex couvre 40 000 habitants, la CPTS du Chablais 60 000 habitants.",
        [(K.POPULATION, "40 000", 40000), (K.POPULATION, "60 000", 60000)],
        {"40 000": ["pays-gex"], "60 000": ["chablais"]},
        id="two-cpts-one-sentence-by-clause",
    ),
    pytest.param(
        "Création de la CPTS des Monts du Lyonnais\n\nLes CPTS sont des organisations. "
        "Elle réunit 80 professionnels sur 32 communes.",
        [(K.PROFESSIONALS, "80", 80), (K.COMMUNES, "32", 32)],
        {"80": ["monts-lyonnais"], "32": ["monts-lyonnais"]},
        id="single-cpts-doc-gets-unnamed-facts",
    ),
    pytest.param(
        "Les CPTS Croix-Rousse et Val de Saône ont signé.\n\nUn enjeu majeur\n\n"
        "Ces deux CPTS ont pour ambition de réduire le nombre de patients sans médecin traitant.",
        [(K.MISSION, "médecin traitant", "acces_medecin_traitant")],
        {"médecin traitant": ["croix-rousse", "val-saone"]},
        id="plural-anaphora-all",
    ),
    pytest.param(
        "La CPTS du Médoc, après celles de Sud Gironde et des Graves, couvre 50 000 habitants.",
        [(K.POPULATION, "50 000", 50000)],
        {"50 000": ["medoc"]},
        id="passing-mentions-own-nothing",
    ),
    pytest.param(
        "La CPTS Porte de Drôme Ardèche réunit 50 professionnels.",
        [(K.DEPARTMENT, "Drôme", "26", {"role": "context"}), (K.PROFESSIONALS, "50", 50)],
        {"50": ["porte-drome-ardeche"]},
        id="department-inside-name-dropped",
    ),
    # One CPTS named: every rule after the generic scope gives it, whatever the fact's attrs
    # say; a territorial unit's figure still needs a CPTS named after the unit.
    pytest.param(
        "La CPTS du Médoc est née.\n\nLes deux CPTS du département réunissent 90 médecins. "
        "Elle a signé en 2021. Le Pays compte 12 communes.",
        [
            (K.PROFESSIONALS, "90", 90, {"scope": "all"}),
            (K.SIGNED_ON, "2021", "2021", {"event": "signature", "cpts": "CPTS Sud Gironde"}),
            (K.COMMUNES, "12", 12, {"territory_unit": "Pays"}),
        ],
        {"90": ["medoc"], "2021": ["medoc"], "12": [None]},
        id="one-cpts-gets-every-scoped-fact",
    ),
]


@pytest.mark.parametrize(("text", "specs", "expected"), CASES)
def test_attribution(text: str, specs: list[tuple], expected: dict) -> None:
    doc, assembly = run(text, specs)
    assert all(doc.text[a.fact.start : a.fact.end] == a.fact.text for a in assembly.facts)
    assert owners(assembly) == expected


NEGATIVE_CASES = [
    pytest.param(
        "Les CPTS Croix-Rousse et Val de Saône ont signé.\n\nUn soutien financier\n\n"
        "L'ARS verse 15 000 € d'aide au démarrage.",
        [(K.AMOUNT, "15 000 €", 15000)],
        id="two-cpts-no-context-none",
    ),
    pytest.param(
        "La CPTS Velay Sud est signée. Les CPTS peuvent recevoir 580 000 € par an.",
        [(K.AMOUNT, "580 000 €", 580000, {"scope": "generic"})],
        id="generic-even-in-single-cpts-doc",
    ),
    pytest.param(
        "Lyon, le 22 décembre 2023\n\nLa CPTS Lyon 8 a signé son contrat.",
        [(K.PUBLISHED_ON, "22 décembre 2023", "2023-12-22", {"place": "Lyon"})],
        id="published-on-is-document-level",
    ),
]


@pytest.mark.parametrize(("text", "specs"), NEGATIVE_CASES)
def test_attributed_to_no_cpts(text: str, specs: list[tuple]) -> None:
    _, assembly = run(text, specs)
    assert [a.cpts_key for a in assembly.facts if a.fact.kind != K.CPTS_NAME] == [None]


XFAIL_CASES = [
    pytest.param(
        "La CPTS Croix-Rousse a signé. La CPTS Val de Saône aussi.\n\n"
        "Cela leur permettra de répondre aux demandes de soins non programmés.",
        [(K.MISSION, "soins non programmés", "soins_non_programmes")],
        {"soins non programmés": ["croix-rousse", "val-saone"]},
        marks=pytest.mark.xfail(
            reason="a plural pronoun across paragraphs needs the missions extractor to set "
            "scope all; 'leur' alone is too common to be an anaphora cue",
            strict=False,
        ),
        id="leur-across-paragraph",
    ),
]


@pytest.mark.parametrize(("text", "specs", "expected"), XFAIL_CASES)
def test_attribution_gaps(text: str, specs: list[tuple], expected: dict) -> None:
    _, assembly = run(text, specs)
    assert owners(assembly, K.MISSION) == expected


DEPARTMENT_TEXT = (
    "Accès aux soins dans la Drôme : la CPAM de la Drôme et la MSA Ardèche Drôme Loire "
    "accompagnent la CPTS Porte de Drôme Ardèche. 96 % des Drômois sont couverts.\n\n"
    "La CPTS Sud Ard’Drôm couvre 17 communes du sud de l’Ardèche et du sud de la Drôme."
)


def test_department_policy() -> None:
    specs = [
        (K.DEPARTMENT, "Drôme", "26", {"role": "context"}),
        (K.DEPARTMENT, "Drôme", "26", {"role": "context", "nth": "1"}),
        (K.DEPARTMENT, "Ardèche", "07", {"role": "context"}),
        (K.DEPARTMENT, "Drômois", "26", {"role": "context"}),
        (K.DEPARTMENT, "Ardèche", "07", {"role": "territory", "nth": "2"}),
        (K.DEPARTMENT, "Drôme", "26", {"role": "territory", "nth": "4"}),
    ]
    _, assembly = run(DEPARTMENT_TEXT, specs)
    by_key = {r.cpts_key: r.departments for r in assembly.cpts}
    # Ardèche once against Drôme three times in context: not a dominant department.
    assert by_key == {"porte-drome-ardeche": ("26",), "sud-ard-drom": ("07", "26")}
    assert assembly.departments == ("07", "26")


def test_signed_on_lowest_priority_wins_then_first() -> None:
    text = (
        "Ce jeudi 7 décembre 2023, l'ARS a officialisé la signature de l'ACI de la CPTS Sud "
        "Ard’Drôm. Le contrat a été signé le 1er décembre 2023. La CPTS a été créée en 2021."
    )
    specs = [
        (K.SIGNED_ON, "7 décembre 2023", "2023-12-07", {"priority": "1"}),
        (K.SIGNED_ON, "1er décembre 2023", "2023-12-01", {"priority": "0"}),
        (K.SIGNED_ON, "2021", "2021", {"priority": "2", "qualifier": "year"}),
    ]
    _, assembly = run(text, specs)
    (record,) = assembly.cpts
    assert (record.signed_on, record.signed_on_precision) == (dt.date(2023, 12, 1), "day")
    assert record.status == "signed"


def test_records_amounts_missions_and_published_on() -> None:
    text = (
        "Bordeaux, le 24 juin 2021\n\n"
        "La CPTS du Pays Châtelleraudais regroupe 49 communes pour environ 90.000 habitants.\n\n"
        "Elle souhaite faciliter l'accès à un médecin traitant et améliorer l'accès à un "
        "médecin traitant pour chaque patient.\n\n"
        "Chacune de ces CPTS a reçu 15 000 € de l'ARS."
    )
    specs = [
        (K.PUBLISHED_ON, "24 juin 2021", "2021-06-24", {"place": "Bordeaux", "qualifier": "day"}),
        (K.COMMUNES, "49", 49),
        (K.POPULATION, "90.000", 90000, {"qualifier": "approx"}),
        (K.MISSION, "médecin traitant", "acces_medecin_traitant"),
        (K.MISSION, "médecin traitant", "acces_medecin_traitant", {"nth": "1"}),
        (
            K.AMOUNT,
            "15 000 €",
            15000,
            {"scope": "all", "kind": "ars_startup_aid", "funder": "ars", "per_year": "false"},
        ),
    ]
    _, assembly = run(text, specs)
    assert (assembly.published_on, assembly.published_on_precision, assembly.place) == (
        dt.date(2021, 6, 24),
        "day",
        "Bordeaux",
    )
    (record,) = assembly.cpts
    assert (record.name, record.communes, record.population, record.population_qualifier) == (
        "CPTS du Pays Châtelleraudais",
        49,
        90000,
        "approx",
    )
    assert [(m.cpts_key, m.mission) for m in assembly.missions] == [
        ("pays-chatelleraudais", "acces_medecin_traitant")
    ]
    (amount,) = assembly.amounts
    assert (amount.cpts_key, amount.kind, amount.funder, amount.per_year) == (
        "pays-chatelleraudais",
        "ars_startup_aid",
        "ars",
        False,
    )


def test_mentioned_cpts_status_and_not_in_scope_all() -> None:
    text = (
        "La CPTS du Médoc a signé son contrat, après celles de Sud Gironde et des Graves. "
        "Chacune de ces CPTS reçoit 15 000 €."
    )
    _, assembly = run(text, [(K.AMOUNT, "15 000 €", 15000, {"scope": "all"})])
    assert {r.cpts_key: r.status for r in assembly.cpts} == {
        "medoc": "signed",
        "sud-gironde": "mentioned",
        "graves": "mentioned",
    }
    assert [a.cpts_key for a in assembly.amounts] == ["medoc"]


BUGS_CAUGHT = [
    pytest.param(
        "La CPTS Velay Sud couvre 66 500 habitants. La CPTS Velay Sud regroupe 40 membres.",
        [(K.POPULATION, "66 500", 66500)],
        {"66 500": ["velay-sud"]},
        id="facts-are-unhashable-dedupe-by-identity",
    ),
]

# Held-out failures, fixed generally; each sentence is new (other regions than the held-out set).
ATTRIBUTION_BUGS = [
    pytest.param(
        "La CPTS du Pays de Redon signe son ACI. Elle devient la quatrième du département, après "
        "la CPTS Vilaine et la CPTS de Brocéliande.\n\nFinancement\n\n"
        "L’ARS a versé à la CPTS une aide de 30 000 €.",
        [(K.AMOUNT, "30 000 €", 30000)],
        {"30 000 €": ["pays-redon"]},
        id="cpts-after-apres-is-passing-la-cpts-goes-to-subject",
    ),
    pytest.param(
        "La CPTS du Haut-Jura signe son accord. La CPTS du Haut-Jura couvre 30 communes.\n\n"
        "Un réseau\n\nLes CPTS du Grand Dole et du Revermont, signataires depuis 2019, "
        "ont partagé leurs outils.\n\nMissions\n\nLa CPTS développera la prévention.",
        [(K.MISSION, "prévention", "prevention"), (K.SIGNED_ON, "2019", "2019")],
        {"2019": ["grand-dole", "revermont"], "prévention": ["haut-jura"]},
        id="one-sentence-cpts-own-only-their-apposition",
    ),
    pytest.param(
        "La CPTS du Lauragais signe son ACI, après la CPTS Tolosane, créée en 2020.",
        [(K.SIGNED_ON, "2020", "2020", {"event": "creation"})],
        {"2020": ["tolosane"]},
        id="apposition-after-a-passing-name",
    ),
    pytest.param(
        "La CPTS du Lauragais signe son ACI, après la CPTS Tolosane, née en 2019, installée "
        "au nord de Toulouse, signataire depuis 2021.",
        [(K.SIGNED_ON, "2021", "2021", {"event": "signature"})],
        {"2021": ["tolosane"]},
        id="apposition-chain-after-a-passing-name",
    ),
    # The chain of appositions after a passing name ends at a clause with its own subject:
    # the figures after it are the release's CPTS's, not the passing one's.
    pytest.param(
        "La CPTS du Haut-Léon signe son ACI. Après celle de l'Aulne, créée en 2020, cette "
        "nouvelle communauté couvre 35 000 habitants, répartis sur quinze communes du Haut-Léon.",
        [(K.POPULATION, "35 000 habitants", 35000), (K.COMMUNES, "quinze communes", 15)],
        {"35 000 habitants": ["haut-leon"], "quinze communes": ["haut-leon"]},
        id="apposition-chain-broken-by-a-clause-with-its-own-subject",
    ),
    # "Le Pays compte ...": the figure of a territorial unit, the CPTS's only when the CPTS is
    # named after that unit.
    pytest.param(
        "La CPTS du Pays de Lure signe son ACI. Le Pays compte 40 communes et 31 000 habitants.",
        [(K.COMMUNES, "40 communes", 40, {"territory_unit": "Pays"}),
         (K.POPULATION, "31 000 habitants", 31000, {"territory_unit": "Pays"})],
        {"40 communes": ["pays-lure"], "31 000 habitants": ["pays-lure"]},
        id="pays-of-the-cpts-name",
    ),
    pytest.param(
        "La CPTS de l'Agglomération Paloise signe son ACI. L'agglomération regroupe 31 communes.",
        [(K.COMMUNES, "31 communes", 31, {"territory_unit": "agglomération"})],
        {"31 communes": ["agglomeration-paloise"]},
        id="agglomeration-of-the-cpts-name",
    ),
    pytest.param(
        "La CPTS du Val de Saône signe son ACI. Le Pays graylois voisin compte 55 communes.",
        [(K.COMMUNES, "55 communes", 55, {"territory_unit": "Pays"})],
        {"55 communes": [None]},
        id="another-pays-is-not-the-cpts",
    ),
    # A bare count of professionals in brackets is the figure of the CPTS named right before.
    pytest.param(
        "Trois contrats ont été signés : ceux des CPTS de Lure (120 professionnels de santé, "
        "30 000 habitants) et de Vesoul (95 professionnels de santé).",
        [(K.PROFESSIONALS, "120 professionnels", 120, {"in_brackets": "true"}),
         (K.PROFESSIONALS, "95 professionnels", 95, {"in_brackets": "true"})],
        {"120 professionnels": ["lure"], "95 professionnels": ["vesoul"]},
        id="bracket-count-of-each-cpts",
    ),
    pytest.param(
        "La CPTS du Pays de Lure signe son ACI avec le centre hospitalier de Lure (1 200 "
        "professionnels de santé).",
        [(K.PROFESSIONALS, "1 200 professionnels", 1200, {"in_brackets": "true"})],
        {"1 200 professionnels": [None]},
        id="bracket-count-of-a-hospital-is-no-cpts-s",
    ),
    pytest.param(
        "Les ACI des CPTS du Pays de Gex, du Chablais et du Genevois ont été signés. "
        "Elles pourront percevoir ensemble 1,2 million d’euros par an, soit 400 000 € pour "
        "le Pays de Gex, 450 000 € pour le Chablais et 350 000 € pour le Genevois.",
        [
            (K.AMOUNT, "1,2 million d’euros", 1200000),
            (K.AMOUNT, "400 000 €", 400000),
            (K.AMOUNT, "450 000 €", 450000),
            (K.AMOUNT, "350 000 €", 350000),
        ],
        {
            "1,2 million d’euros": [None],
            "400 000 €": ["pays-gex"],
            "450 000 €": ["chablais"],
            "350 000 €": ["genevois"],
        },
        id="per-cpts-enumeration-and-total",
    ),
    pytest.param(
        "Les CPTS du Vexin et du Mantois signent leur ACI. Ces deux CPTS recevront 700 000 € "
        "par an, dont 380 000 € pour la CPTS du Vexin et 320 000 € pour le Mantois.",
        [
            (K.AMOUNT, "700 000 €", 700000, {"scope": "all"}),
            (K.AMOUNT, "380 000 €", 380000, {"scope": "all"}),
            (K.AMOUNT, "320 000 €", 320000, {"scope": "all"}),
        ],
        {"700 000 €": [None], "380 000 €": ["vexin"], "320 000 €": ["mantois"]},
        id="sum-of-named-parts-is-a-total-without-cue",
    ),
    pytest.param(
        "Les CPTS du Val d’Oise Nord et de Cergy signent leur ACI.\n\n"
        "Au total, c’est 900 000 € par an que la CPAM pourra verser à ces deux CPTS.",
        [(K.AMOUNT, "900 000 €", 900000, {"scope": "all"})],
        {"900 000 €": [None]},
        id="au-total-over-these-cpts-is-generic",
    ),
    pytest.param(
        "Les CPTS du Val d’Oise Nord et de Cergy signent leur ACI.\n\n"
        "Chacune de ces CPTS a reçu au total 20 000 € de l’ARS.",
        [(K.AMOUNT, "20 000 €", 20000, {"scope": "all"})],
        {"20 000 €": ["val-oise-nord", "cergy"]},
        id="chacune-wins-over-au-total",
    ),
    pytest.param(
        "Le 5 mai 2022, la CPAM et les représentants de trois communautés professionnelles "
        "territoriales de santé ont signé leur ACI.\n\nLa CPTS du Tonnerrois couvre 20 "
        "communes. La CPTS du Sénonais regroupe 90 adhérents. La CPTS de Puisaye couvre "
        "30 000 habitants.",
        [(K.SIGNED_ON, "5 mai 2022", "2022-05-05", {"event": "signature"})],
        {"5 mai 2022": ["tonnerrois", "senonais", "puisaye"]},
        id="counted-communautes-equal-to-named-is-all",
    ),
    pytest.param(
        "Le 2 juin 2023, l’ARS a signé avec deux CPTS : la CPTS du Grand Cahors, dans le Lot, "
        "et la CPTS du Ségala, dans l’Aveyron.",
        [(K.SIGNED_ON, "2 juin 2023", "2023-06-02", {"event": "signature"})],
        {"2 juin 2023": ["grand-cahors", "segala"]},
        id="signature-date-to-each-cpts-of-its-sentence",
    ),
    pytest.param(
        "La CPTS Lille 2 et la CPTS Lille 5 ont signé. La CPTS Lille 2 couvre 40 000 habitants.",
        [(K.POPULATION, "40 000", 40000)],
        {"40 000": ["lille-2"]},
        id="names-differing-by-a-number-stay-apart",
    ),
    # Blind held-out failures, fixed generally (new sentences from other regions and styles).
    pytest.param(
        "La CPTS du Pays de Gex signe son contrat avec l'Assurance maladie. La CPTS du Pays de "
        "Gex couvre 27 communes.\n\nLes priorités\n\nLa première priorité de la CPTS est "
        "l'accès à un médecin traitant. L'ARS a versé une aide de 40 000 €.\n\nDans l'Ain, la "
        "CPTS Bresse Revermont et la CPTS Dombes Saône ont signé leur contrat en 2022.",
        [(K.MISSION, "médecin traitant", "acces_medecin_traitant"), (K.AMOUNT, "40 000 €", 40000)],
        {"médecin traitant": ["pays-gex"], "40 000 €": ["pays-gex"]},
        id="unnamed-la-cpts-goes-to-the-main-cpts-of-the-release",
    ),
    pytest.param(
        "La CPTS Bresse Revermont et la CPTS Dombes Saône ont signé leur contrat.\n\nLes "
        "priorités\n\nL'ARS a versé une aide de 40 000 €.",
        [(K.AMOUNT, "40 000 €", 40000)],
        {"40 000 €": [None]},
        id="no-main-cpts-when-each-is-named-once",
    ),
]


# Whose fact is it (ERROR-PATTERNS.md, category G)? Sentences invented for the test.
ATTRIBUTION_BUGS += [
    pytest.param(
        "Ce mois-ci ont été signés les contrats des CPTS de Vierzon (210 professionnels, "
        "48 000 habitants du Cher), Sancerrois (95 professionnels, 21 000 habitants) et Val "
        "de Loire (130 professionnels, près de 52 000 habitants).",
        [
            (K.POPULATION, "48 000 habitants", 48000),
            (K.POPULATION, "21 000 habitants", 21000),
            (K.POPULATION, "52 000 habitants", 52000),
            (K.DEPARTMENT, "Cher", "18", {"role": "context"}),
        ],
        {
            "48 000 habitants": ["vierzon"],
            "21 000 habitants": ["sancerrois"],
            "52 000 habitants": ["val-loire"],
            "Cher": ["vierzon"],
        },
        id="figures-in-brackets-after-each-name-of-a-list",
    ),
]


@pytest.mark.parametrize(("text", "specs", "expected"), ATTRIBUTION_BUGS)
def test_attribution_bugs_caught(text: str, specs: list[tuple], expected: dict) -> None:
    _, assembly = run(text, specs)
    assert owners(assembly) == expected


def test_department_next_to_each_name_is_its_territory() -> None:
    text = (
        "L’ARS a signé avec deux CPTS : la CPTS du Grand Cahors, dans le Lot (46), et la CPTS "
        "du Ségala, dans l’Aveyron (12). Dans le Tarn, la CPTS du Carmausin prépare son projet."
    )
    specs = [
        (K.DEPARTMENT, "Lot", "46", {"role": "context"}),
        (K.DEPARTMENT, "Aveyron", "12", {"role": "context"}),
        (K.DEPARTMENT, "Tarn", "81", {"role": "context"}),
    ]
    _, assembly = run(text, specs)
    by_key = {r.cpts_key: r.departments for r in assembly.cpts}
    assert by_key == {"grand-cahors": ("46",), "segala": ("12",), "carmausin": ("81",)}


def test_department_in_brackets_after_a_name_is_its_territory() -> None:
    text = (
        "Trois CPTS ont signé : les CPTS de Vierzon (48 000 habitants du Cher), du Giennois "
        "(à cheval sur le Loiret et le Cher) et la CPTS Sud Eure (28 000 habitants)."
    )
    specs = [
        (K.DEPARTMENT, "Cher", "18", {"role": "context"}),
        (K.DEPARTMENT, "Loiret", "45", {"role": "context"}),
        (K.DEPARTMENT, "Cher", "18", {"role": "context", "nth": "1"}),
    ]
    _, assembly = run(text, specs)
    by_key = {r.cpts_key: r.departments for r in assembly.cpts}
    assert by_key["vierzon"] == ("18",)
    assert by_key["giennois"] == ("18", "45")


@pytest.mark.parametrize(("text", "specs", "expected"), BUGS_CAUGHT)
def test_bugs_caught(text: str, specs: list[tuple], expected: dict) -> None:
    _, assembly = run(text, specs)
    assert owners(assembly, K.POPULATION) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("2020-12", (dt.date(2020, 12, 1), "month"), id="month"),
        pytest.param("2021", (dt.date(2021, 1, 1), "year"), id="year"),
        pytest.param("2023-12-22", (dt.date(2023, 12, 22), "day"), id="day"),
        pytest.param("2023-02-30", None, id="impossible-day"),
        pytest.param("décembre", None, id="not-iso"),
    ],
)
def test_parse_iso(value: str, expected: object) -> None:
    assert parse_iso(value) == expected


def test_empty_document() -> None:
    doc = build_document("t", "")
    assembly = assemble(doc, [])
    assert assembly.cpts == () and assembly.facts == () and assembly.departments == ()


# Blind set 2 failures, fixed generally: sections headed by a CPTS name, a newsletter's
# masthead, and the member count of the CPTS among other counts (new texts, other regions).
SECTION_BUGS = [
    pytest.param(
        "Bilan 2024 des CPTS de l'Aude\n\nCPTS du Narbonnais\nLa plus peuplée du département "
        "couvre 31 communes, soit 90 000 habitants, et réunit 250 adhérents.\n\n"
        "CPTS Carcassonne Agglo\nLa CPTS Carcassonne Agglo couvre 100 000 habitants. Elle "
        "réunit 120 adhérents. La CPTS Carcassonne Agglo a signé en 2022.",
        [
            (K.COMMUNES, "31 communes", 31),
            (K.POPULATION, "90 000 habitants", 90000),
            (K.PROFESSIONALS, "250 adhérents", 250),
        ],
        {
            "31 communes": ["narbonnais"],
            "90 000 habitants": ["narbonnais"],
            "250 adhérents": ["narbonnais"],
        },
        id="heading-name-owns-its-section",
    ),
    pytest.param(
        "Tour d'horizon\n\nLimouxin\nTerritoire de montagne, le Limouxin compte 79 communes "
        "pour 28 000 habitants. La CPTS du Limouxin a signé en 2023.\n\nCPTS Lauragais\n"
        "La CPTS Lauragais couvre 40 000 habitants. La CPTS Lauragais réunit 80 membres.",
        [(K.COMMUNES, "79 communes", 79), (K.POPULATION, "28 000 habitants", 28000)],
        {"79 communes": ["limouxin"], "28 000 habitants": ["limouxin"]},
        id="heading-without-cpts-word-owns-its-section",
    ),
    pytest.param(
        "CPTS Cœur de Béarn – Bulletin n° 4 – Mars 2025\n\nÉDITO\n\nChers adhérents,\n\n"
        "Nous sommes désormais 150 membres !\n\nAGENDA\n\n• 12 mai : rencontre inter-CPTS des "
        "Pyrénées-Atlantiques avec nos voisins de la CPTS Pau Agglo.",
        [(K.PROFESSIONALS, "150 membres", 150)],
        {"150 membres": ["coeur-bearn"]},
        id="newsletter-masthead-cpts-owns-unattributed-facts",
    ),
]


@pytest.mark.parametrize(("text", "specs", "expected"), SECTION_BUGS)
def test_section_bugs_caught(text: str, specs: list[tuple], expected: dict) -> None:
    _, assembly = run(text, specs)
    assert owners(assembly) == expected


MEMBER_CASES = [
    pytest.param(
        "La maison de santé de Pleyben ouvre lundi. Le bâtiment réunit douze professionnels.\n\n"
        "Ses soignants font partie de la CPTS de l'Aulne, qui regroupe près de 180 professionnels "
        "de santé.",
        [
            (K.PROFESSIONALS, "douze professionnels", 12),
            (K.PROFESSIONALS, "près de 180 professionnels", 180, {"qualifier": "approx"}),
        ],
        180,
        id="count-of-the-cpts-sentence-over-a-health-centre",
    ),
    pytest.param(
        "La CPTS Pays de Morlaix revendique plus de 90 adhérents.\n\nTrois ans plus tard, 94 "
        "libéraux ont rejoint l'aventure.",
        [
            (K.PROFESSIONALS, "plus de 90 adhérents", 90, {"qualifier": "at_least"}),
            (K.PROFESSIONALS, "94 libéraux", 94),
        ],
        94,
        id="exact-figure-over-its-lower-bound",
    ),
    pytest.param(
        "La CPTS Pays de Morlaix revendique plus de 90 adhérents. Elle en comptait 40 au départ, "
        "et 300 libéraux exercent sur le territoire.",
        [
            (K.PROFESSIONALS, "plus de 90 adhérents", 90, {"qualifier": "at_least"}),
            (K.PROFESSIONALS, "300 libéraux", 300),
        ],
        90,
        id="far-exact-figure-is-another-count",
    ),
]


@pytest.mark.parametrize(("text", "specs", "expected"), MEMBER_CASES)
def test_member_count_of_the_cpts_wins(text: str, specs: list[tuple], expected: int) -> None:
    _, assembly = run(text, specs)
    assert [r.professionals for r in assembly.cpts] == [expected]


def test_institution_department_list_is_not_a_territory() -> None:
    from extractors.kinds import departments

    text = (
        "La CPTS du Ségala a signé son contrat avec la CPAM de l'Aveyron.\n\n"
        "À propos de la MSA\nLa MSA Midi-Pyrénées Nord protège 250 000 personnes dans l'Aveyron, "
        "le Lot, le Tarn et le Tarn-et-Garonne."
    )
    doc = build_document("t", text)
    assembly = assemble(doc, cpts_name.extract(doc) + departments.extract(doc))
    assert [r.departments for r in assembly.cpts] == [("12",)]


POPULATION_CASES = [
    pytest.param(
        "La CPTS du Morvan couvre plus de 33.000 habitants.\n\nElle couvre un territoire de 158 "
        "communes totalisant 33.340 habitants.",
        33340,
        id="exact-figure-of-a-bound-wins",
    ),
    pytest.param(
        "La CPTS de l'Ouest couvre près de 98.000 habitants.\n\nLe territoire compte 30 "
        "médecins pour 100 000 habitants.",
        98000,
        id="an-approximation-is-no-bound",
    ),
]


@pytest.mark.parametrize(("text", "expected"), POPULATION_CASES)
def test_population_told_precisely(text: str, expected: int) -> None:
    from extractors.kinds import population

    doc = build_document("t", text)
    assembly = assemble(doc, cpts_name.extract(doc) + population.extract(doc))
    assert [r.population for r in assembly.cpts] == [expected]
