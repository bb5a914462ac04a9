"""Missions said in other words, per code, and the vetoes that keep a mention from counting.

Sentences written for these tests (none is quoted from a release)."""

from __future__ import annotations

import pytest

from extractors.kinds import missions
from extractors.text.document import build_document


def codes(text: str) -> set[str]:
    doc = build_document("test", text)
    facts = missions.extract(doc)
    for f in facts:
        assert doc.text[f.start : f.end] == f.text
    return {f.value for f in facts}


# One table of paraphrases per code: how a release says the mission without its label.
PARAPHRASES = {
    "acces_medecin_traitant": [
        "Premier défi : trouver un médecin traitant pour chacun.",
        "La CPTS aide les patients de Brive à retrouver un médecin traitant.",
        "Une liste d'attente permettra d'attribuer un médecin traitant aux patients en ALD.",
    ],
    "soins_non_programmes": [
        "Autre volet : la réponse aux demandes de soins non programmés.",
        "La CPTS apporte des réponses rapides aux patients sans rendez-vous.",
        "Objectif : désengorger les urgences du centre hospitalier le week-end.",
    ],
    "parcours": [
        "Elle veut renforcer les liens avec le centre hospitalier de Millau.",
        "Une coordination pluri-professionnelle autour des personnes âgées fragiles.",
        "Il s'agit d'organiser la sortie hospitalière des patients âgés.",
        "Éviter les ruptures de soins et favoriser le maintien à domicile.",
    ],
    "prevention": [
        "La prévention des chutes en est un autre.",
        "Prévenir les chutes chez les personnes de plus de soixante ans.",
        "Des stands de sensibilisation au diabète pour le grand public.",
    ],
    "crises_sanitaires": [
        "La CPTS veut préparer la gestion des prochaines épidémies.",
        "Préparer le territoire aux urgences sanitaires.",
        "Elle a distribué du matériel de protection aux infirmiers libéraux.",
    ],
    "qualite_pertinence": [
        "Organiser des formations communes aux infirmiers et aux pharmaciens.",
        "La CPTS veut favoriser les échanges entre professions.",
        "Des soirées thématiques sur la douleur chronique ont lieu chaque trimestre.",
        "D'abord se connaître pour mieux travailler ensemble.",
    ],
    "accompagnement_professionnels": [
        "La CPTS veut soutenir les jeunes soignants qui s'installent.",
        "Rendre le territoire attractif pour les internes.",
        "Améliorer les conditions de travail des libéraux du canton.",
        "Elle entend accueillir les étudiants et soutenir l'exercice libéral.",
    ],
    "autre": [
        "La CPTS compte développer l'usage d'outils numériques partagés.",
        "Elle veut ouvrir l'accès direct aux kinésithérapeutes.",
        "Un médiateur en santé ira au-devant des habitants éloignés du soin.",
    ],
}

CASES = [
    pytest.param(text, {code}, id=f"{code}-{i}")
    for code, texts in PARAPHRASES.items()
    for i, text in enumerate(texts)
] + [
    pytest.param(
        "Le dépistage du cancer colorectal figure aussi sur la liste des engagements de la "
        "communauté.",
        {"prevention"},
        id="no-intent-word",
    ),
    pytest.param(
        "Des actions sont prévues pour les soins non programmés et pour déployer la "
        "téléconsultation.",
        {"soins_non_programmes", "autre"},
        id="autre-per-clause",
    ),
    pytest.param(
        "Premier défi : trouver un médecin traitant pour chacun. La prévention des chutes en "
        "est un autre.",
        {"acces_medecin_traitant", "prevention"},
        id="two-sentences-two-codes",
    ),
    pytest.param(
        "Comme toute CPTS, celle du Pays de Lauragais s'engage d'abord sur l'accès à un "
        "médecin traitant.",
        {"acces_medecin_traitant"},
        id="comme-toute-cpts-stays-attributed",
    ),
    pytest.param(
        "La CPTS des Trois Vallées déploie les missions socles de l'accord : la prévention.",
        {"prevention"},
        id="named-cpts-deploys-missions-socles",
    ),
]

NEGATIVE_CASES = [
    pytest.param("14 % des habitants n'ont pas de médecin traitant.", id="statistic"),
    pytest.param("Des familles entières étaient sans médecin traitant.", id="lack-as-a-state"),
    pytest.param("En 2021, la CPTS a coordonné les centres de dépistage.", id="dated-past-event"),
    pytest.param(
        "La SAS Médiconseil, chargée de rédiger le projet, a remis son rapport.", id="sas-company"
    ),
    pytest.param(
        "Gratuit et ouvert à tous, le bus se rend dans les quartiers qui en font la demande.",
        id="no-cue",
    ),
    pytest.param(
        "Les contacts noués se sont révélés précieux pour la gestion de l'épidémie.",
        id="past-action-of-something-else",
    ),
    pytest.param(
        "Au cours de son parcours, le docteur Martin a exercé à Lyon puis à Vienne.",
        id="career-is-not-parcours",
    ),
    pytest.param(
        "Des libéraux se sont mobilisés, accompagnés par l'association départementale.",
        id="being-accompanied-is-not-accompanying",
    ),
]

XFAIL_CASES: list = []

BUGS_CAUGHT = [
    # a numbered heading names the code; the named CPTS's action under it is that mission
    pytest.param(
        "Le rôle des CPTS se distingue sur plusieurs axes :\n"
        "1. Faciliter l'accès à un médecin traitant et aux soins de premier recours\n"
        "Face à la pénurie, les CPTS expérimentent :\n"
        "- des actions, comme en Sarthe où la CPTS de la Couronne Mancelle a organisé une "
        "cellule de recensement.",
        {"acces_medecin_traitant"},
        id="heading-lends-its-code-to-a-named-cpts",
    ),
    pytest.param(
        "« Trois mille Lorientais n'ont pas de médecin traitant. C'est notre priorité », dit "
        "la présidente.",
        {"acces_medecin_traitant"},
        id="lack-adopted-by-the-next-sentence",
    ),
    pytest.param(
        "La plateforme de soins non programmés a traité 2 300 demandes, et 1 200 patients ont "
        "retrouvé un médecin traitant grâce à la cellule d'orientation.",
        {"soins_non_programmes", "acces_medecin_traitant"},
        id="service-figures-are-not-a-statistic",
    ),
    pytest.param(
        "Elle a organisé en janvier un exercice de simulation de crise avec les hôpitaux.",
        {"crises_sanitaires"},
        id="dated-crisis-exercise-is-a-mission",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES + XFAIL_CASES + BUGS_CAUGHT)
def test_mission_concepts(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_not_a_mission(text):
    assert codes(text) == set()


# The agent veto reads "par" between any white space and in any case (its quick test, a scan
# for "\spar\s", must let all of these through).
@pytest.mark.parametrize(
    ("between", "expected"),
    [
        (" par ", set()),
        (" PAR ", set()),
        ("\u00a0par\u00a0", set()),
        ("\tPar ", set()),
        (" pour ", {"prevention"}),
    ],
)
def test_agent_of_another_actor_whatever_its_spacing(between, expected):
    assert codes(f"Réunion à la mairie sur le dépistage organisé{between}la Ligue.") == expected
