"""Genericity from the clause: CPTS in general or a CPTS of the release (sentences written here)."""

from __future__ import annotations

import pytest

from extractors.kinds.genericity import is_generic
from extractors.text.document import build_document
from extractors.types import Span


def generic(text: str, cue: str) -> bool:
    doc = build_document("test", text)
    at = doc.text.index(cue)
    return is_generic(doc, Span(at, at + len(cue)), {})


CASES = [
    pytest.param(
        "À quoi sert une CPTS ?\nUne CPTS aide les soignants d'un territoire à organiser le "
        "parcours des patients et à développer la prévention.",
        "prévention",
        id="question-heading-and-indefinite-subject",
    ),
    pytest.param(
        "Pendant l'épidémie, les CPTS se sont illustrées en ouvrant des centres de vaccination.",
        "vaccination",
        id="plural-without-name",
    ),
    pytest.param(
        "Les communautés professionnelles territoriales de santé rassemblent des libéraux. "
        "Elles reçoivent des financements pour organiser les soins non programmés.",
        "soins non programmés",
        id="elles-continues-a-generic-subject",
    ),
    pytest.param(
        "Née de la loi de 2016, la CPTS est un dispositif souple autour de missions comme la "
        "prévention.",
        "prévention",
        id="definitional-copula",
    ),
    pytest.param(
        "Selon l'accord conventionnel, la CPTS constitue le cadre adapté pour accompagner les "
        "jeunes installés.",
        "accompagner",
        id="framework",
    ),
    pytest.param(
        "Aux missions facultatives des CPTS que sont « la qualité des soins » s'en ajoute une.",
        "qualité des soins",
        id="missions-des-cpts",
    ),
    pytest.param(
        "Les CPTS sont des regroupements de soignants.\nL'idée, c'est d'en finir avec la "
        "fragmentation des parcours.",
        "parcours",
        id="no-cpts-of-its-own-continues-the-last-one",
    ),
]

NEGATIVE_CASES = [
    pytest.param(
        "Comme toute CPTS, celle du Pays de Lauragais s'engage d'abord sur l'accès à un "
        "médecin traitant.",
        "accès",
        id="comme-toute-cpts",
    ),
    pytest.param(
        "La CPTS des Trois Vallées déploie les missions socles de l'accord.",
        "missions socles",
        id="named-cpts",
    ),
    pytest.param(
        "Quels avantages de disposer d'une CPTS du Pays Châtelleraudais ?\nLa CPTS souhaite "
        "développer la prévention.",
        "prévention",
        id="question-about-a-named-cpts",
    ),
    pytest.param(
        "Les CPTS sont nées en 2016.\nLa CPTS du Ternois veut développer la prévention.",
        "prévention",
        id="named-cpts-after-a-generic-paragraph",
    ),
]


@pytest.mark.parametrize(("text", "cue"), CASES)
def test_generic(text, cue):
    assert generic(text, cue)


@pytest.mark.parametrize(("text", "cue"), NEGATIVE_CASES)
def test_not_generic(text, cue):
    assert not generic(text, cue)


@pytest.mark.parametrize(
    "text",
    [
        "Selon l'accord conventionnel interprofessionnel, une CPTS organise la prévention.",
        "Les CPTS développent la prévention.",
        "La CPTS du Bessin développe la prévention.",
        "Comme toute CPTS, celle du Pays de Lauragais s'engage pour la prévention.",
        "Elles reçoivent des financements pour la prévention.",
        "La prévention des chutes.",
    ],
)
def test_a_sentence_is_read_from_its_kept_verdict_as_from_its_own_searches(text):
    from extractors.kinds import genericity as g
    doc = build_document("test", text)
    sentence = g.units(doc)[0]
    # The reading as it searched FRAMEWORK and GENERIC_NP itself before asking the verdict.
    verdict = g.sentence_verdict(text)
    if g._question_section(doc, 0) or g.FRAMEWORK.search(text):
        full: object = True
    elif verdict in {"parse", "continue"} or (verdict == g.SPECIFIC and g.GENERIC_NP.search(text)):
        full = g._BY_CLAUSE
    else:
        full = verdict
    assert g._sentence_reading(doc, sentence) == full
