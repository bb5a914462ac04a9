"""Pure extraction: a normalised `Document` in, typed `Fact`s with character spans out.

`EXTRACTORS` is the explicit, ordered registry: one pure module per fact kind. Contract tests
run every entry over the corpus and over fuzzed text.

The registry is built on first use, not when the package is imported: importing the kinds
compiles their patterns (~1.5 s here), and the flow's own process, which only validates and
writes what its worker processes extracted, reads `extractors.types` and the lexicon but never
extracts.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extractors.types import Document, Fact

__version__ = "0.1.0"

Extractor = Callable[["Document"], list["Fact"]]

# (name, module under extractors.kinds): the order facts are extracted in.
REGISTERED = ("published_on", "cpts_name", "signed_on", "population", "communes",
              "professionals", "departments", "president", "size_class", "amounts", "missions")


def __getattr__(name: str) -> Any:
    if name == "EXTRACTORS":
        registry = tuple((kind, importlib.import_module(f"extractors.kinds.{kind}").extract)
                         for kind in REGISTERED)
        globals()["EXTRACTORS"] = registry  # replaced by a benchmark that times each one
        return registry
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def extract_all(doc: Document) -> list[Fact]:
    """Run every registered extractor, in order, and return their facts sorted by position."""
    facts: list[Fact] = []
    for _, extract in globals().get("EXTRACTORS") or __getattr__("EXTRACTORS"):
        facts.extend(extract(doc))
    return sorted(facts, key=lambda f: (f.start, f.end, f.kind))
