"""The release's own date (dateline, "Publié le" line, dated header): at most one fact.

The span covers the whole dateline ("Lyon, lundi 14 octobre 2024") so the evidence shows the
place too; attrs["place"] is the dateline city when there is one, attrs["kind"] the kind of
document written before it ("COMMUNIQUÉ DE PRESSE"), attrs["update"] marks a "Mis à jour le"
line taken because the first lines hold no other date (extractors/text/dateline.py).
"""

from __future__ import annotations

from extractors.text.dateline import find_dateline
from extractors.types import Document, Fact, FactKind


def extract(doc: Document) -> list[Fact]:
    line = find_dateline(doc.text)
    if line is None:
        return []
    attrs = {"place": line.place} if line.place else {}
    if line.kind:
        attrs["kind"] = line.kind  # "COMMUNIQUÉ DE PRESSE – Toulouse, le 2 décembre 2024"
    if line.update:
        attrs["update"] = "true"  # "Mis à jour le ...", the only date the first lines give
    return [
        Fact(
            kind=FactKind.PUBLISHED_ON,
            value=line.date.iso,
            start=line.start,
            end=line.end,
            text=doc.text[line.start : line.end],
            extractor="published_on",
            qualifier=str(line.date.precision),
            attrs=attrs,
        )
    ]
