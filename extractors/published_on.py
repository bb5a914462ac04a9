"""The release's own date (dateline, "Publié le" line, dated header): at most one fact.

The span covers the whole dateline ("Lyon, lundi 14 octobre 2024") so the evidence shows the
place too; attrs["place"] is the dateline city when there is one.
"""

from __future__ import annotations

from extractors.dateline import find_dateline
from extractors.types import Document, Fact, FactKind


def extract(doc: Document) -> list[Fact]:
    line = find_dateline(doc.text)
    if line is None:
        return []
    attrs = {"place": line.place} if line.place else {}
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
