"""department_policy: which departments each CPTS of a release covers."""

from __future__ import annotations

import pytest

from extractors.assemble.assemble import assemble
from extractors.kinds import cpts_name, departments
from extractors.text.document import build_document

# (text, {CPTS name: departments}) — invented sentences, one rule each.
CASES = [
    pytest.param(
        "La CPTS du Val Vert et la CPTS du Pays Bleu signent leur contrat. Le Pays de Quimperlé "
        "est voisin de Lorient, dans le Morbihan. Les deux CPTS se trouvent dans le Finistère.",
        {"CPTS du Val Vert": ("29",), "CPTS du Pays Bleu": ("29",)},
        id="a-neighbour-counts-for-no-cpts-of-several",
    ),
    pytest.param(
        "La CPTS du Val Vert signe son contrat. Le Pays de Quimperlé est voisin de Lorient, dans "
        "le Morbihan. La CPTS se trouve dans le Finistère.",
        {"CPTS du Val Vert": ("29",)},
        id="a-neighbour-counts-for-the-only-cpts",
    ),
    pytest.param(
        "Les CPTS partenaires de l'hôpital :\nDépartement du Cantal (15) :\n"
        "- CPTS Pays de Salers, regroupant 30 communes et 21 000 habitants.\n"
        "Département de la Lozère (48) :\n"
        "- CPTS Margeride Est, regroupant 20 communes et 12 000 habitants.",
        {"CPTS Pays de Salers": ("15",), "CPTS Margeride Est": ("48",)},
        id="department-heading-lines",
    ),
    pytest.param(
        "La CPTS Sud Eure-et-Loir a signé son contrat avec l'Assurance maladie.",
        {"CPTS Sud Eure-et-Loir": ("28",)},
        id="compound-department-in-the-name",
    ),
    pytest.param(
        "La CPTS Centre Saône et Loire tient son assemblée.",
        {"CPTS Centre Saône et Loire": ("71",)},
        id="compound-name-written-with-spaces",
    ),
    pytest.param(
        "La CPTS Val de Sorne a signé son contrat.\n\nAilleurs, comme en Sarthe où la CPTS "
        "de la Couronne Verte a ouvert une cellule d'orientation, les patients sont réorientés.",
        {"CPTS Val de Sorne": (), "CPTS de la Couronne Verte": ("72",)},
        id="department-of-the-other-cpts-sentence",
    ),
    pytest.param(
        "La CPTS Val de Sorne a signé son contrat.\n\nLe 16 mai, rencontre inter-CPTS du "
        "Loiret avec nos voisins de la CPTS Forêt Nord.",
        {"CPTS Val de Sorne": ("45",), "CPTS Forêt Nord": ("45",)},
        id="neighbours-share-the-department",
    ),
]

NEGATIVE_CASES = [
    pytest.param("La CPTS Rhône Centre réunit 90 soignants.", id="one-word-name-also-a-river"),
    pytest.param("La CPTS Gers Est réunit 90 soignants.", id="one-word-name-gers"),
    pytest.param("La CPTS 38-73 Chartreuse réunit 90 soignants.", id="codes-in-a-name"),
    pytest.param(
        "La CPTS Étang Ouest fédère les villes d'Istres, Fos-sur-Mer et Port-Saint-Louis du "
        "Rhône, soit 67 000 habitants.",
        id="town-named-after-a-river",
    ),
]


def _departments(text: str) -> dict[str, tuple[str, ...]]:
    doc = build_document("t", text)
    assembly = assemble(doc, cpts_name.extract(doc) + departments.extract(doc))
    return {r.name: r.departments for r in assembly.cpts}


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_department_policy(text: str, expected: dict) -> None:
    assert _departments(text) == expected


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_no_department(text: str) -> None:
    assert all(codes == () for codes in _departments(text).values())
