"""Pure extraction: a normalised `Document` in, typed `Fact`s with character spans out.

`EXTRACTORS` is the explicit, ordered registry: one pure module per fact kind. Contract tests
run every entry over the corpus and over fuzzed text.
"""

from __future__ import annotations

from collections.abc import Callable

from extractors.kinds import (
    amounts,
    communes,
    cpts_name,
    departments,
    missions,
    population,
    president,
    professionals,
    published_on,
    signed_on,
    size_class,
)
from extractors.types import Document, Fact

__version__ = "0.1.0"

Extractor = Callable[[Document], list[Fact]]

EXTRACTORS: tuple[tuple[str, Extractor], ...] = (
    ("published_on", published_on.extract),
    ("cpts_name", cpts_name.extract),
    ("signed_on", signed_on.extract),
    ("population", population.extract),
    ("communes", communes.extract),
    ("professionals", professionals.extract),
    ("departments", departments.extract),
    ("president", president.extract),
    ("size_class", size_class.extract),
    ("amounts", amounts.extract),
    ("missions", missions.extract),
)


def extract_all(doc: Document) -> list[Fact]:
    """Run every registered extractor, in order, and return their facts sorted by position."""
    facts: list[Fact] = []
    for _, extract in EXTRACTORS:
        facts.extend(extract(doc))
    return sorted(facts, key=lambda f: (f.start, f.end, f.kind))
