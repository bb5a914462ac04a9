"""Which departments a CPTS covers, and which the document speaks of.

A CPTS's departments are the "territory" department facts attributed to it; without any, the
document's dominant departments: every department whose context mentions (any role but
"territory") are at least half as many as those of the most mentioned one, so a single "MSA
Ardèche Drôme Loire" does not add Ardèche to a Drôme release. A department written right next
to a CPTS name is that CPTS's territory too, whatever role its extractor gave it ("la CPTS du
Centre Corse, en Haute-Corse (2B), et la CPTS de l'Extrême-Sud, en Corse-du-Sud (2A)"; "Dans
le Calvados, la CPTS « Bessin »"). The document row lists the dominant departments plus every
CPTS territory department.
"""

from __future__ import annotations

import re
from collections import Counter

from extractors.types import Document, Fact, FactKind

# Between a CPTS name and the department after it: ", en ", " (", ", dans la ".
AFTER_NAME = re.compile(
    r"""
    [\s\u00a0\u202f»"”]*[,(–—]?[\s\u00a0\u202f]*          # a comma, bracket or dash
    (?:(?:en|dans\s+(?:le|la|les|l[’'])|dans\s+l[’'])[\s\u00a0\u202f]*)?  # "en", "dans le"
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Before a CPTS name: "Dans le Calvados, la CPTS ..." (a place phrase opening the clause).
BEFORE_NAME = re.compile(r"[\s\u00a0\u202f]*,[\s\u00a0\u202f]*(?:la|le|l[’'])?[\s\u00a0\u202f]*")
PLACE_BEFORE = re.compile(r"(?:\bdans\s+(?:le|la|les)\s+|\bdans\s+l[’']|\ben\s+)$", re.IGNORECASE)


def dominant_departments(facts: list[Fact]) -> tuple[str, ...]:
    departments = [f for f in facts if f.kind == FactKind.DEPARTMENT]
    # An institution's list of its departments ("MSA ... dans l'Allier, le Cantal, la
    # Haute-Loire et le Puy-de-Dôme") speaks only when nothing else does.
    departments = [f for f in departments if f.attrs.get("list") != "true"] or departments
    # Territory facts already speak for their own CPTS; the context decides for the others.
    context = [f for f in departments if f.attrs.get("role") != "territory"] or departments
    counts = Counter(str(f.value) for f in context)
    if not counts:
        return ()
    top = max(counts.values())
    return tuple(sorted(code for code, n in counts.items() if 2 * n >= top))


def adjacent_departments(doc: Document, facts: list[Fact]) -> dict[str, set[str]]:
    """CPTS key → departments written right next to one of its names."""
    names = [f for f in facts if f.kind == FactKind.CPTS_NAME]
    found: dict[str, set[str]] = {}
    for dep in (f for f in facts if f.kind == FactKind.DEPARTMENT):
        for name in names:
            key = str(name.attrs.get("key") or name.value)
            after = name.end <= dep.start and AFTER_NAME.fullmatch(doc.text, name.end, dep.start)
            before = (
                dep.end <= name.start
                and BEFORE_NAME.fullmatch(doc.text, dep.end, name.start)
                and PLACE_BEFORE.search(doc.text, max(0, dep.start - 12), dep.start)
            )
            if after or before:
                found.setdefault(key, set()).add(str(dep.value))
    return found
