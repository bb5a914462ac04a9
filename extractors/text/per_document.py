"""Values derived from one document once, whatever how many facts ask for them.

A rule that walks back from each fact to "the last heading before it" costs facts × lines on
a long text; deriving the answer for every line in one pass, and keeping it while the same
document is being extracted, makes that linear. `Document` is frozen (and slotted), so the
values live here, keyed by the document's identity; only the last few documents are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from extractors.types import Document

T = TypeVar("T")
KEPT = 32

_VALUES: dict[tuple[int, str], tuple[Document, object]] = {}


def per_document(doc: Document, name: str, build: Callable[[], T]) -> T:
    """`build()` for `doc`, computed on the first call for this document and `name`.

    >>> from extractors.types import Span
    >>> doc = Document("d", "Titre", (Span(0, 5),), (Span(0, 5),))
    >>> calls = []
    >>> per_document(doc, "n", lambda: calls.append(1) or len(calls))
    1
    >>> per_document(doc, "n", lambda: calls.append(1) or len(calls))
    1
    """
    key = (id(doc), name)
    entry = _VALUES.get(key)
    if entry is None or entry[0] is not doc:  # an id can be reused once a document is gone
        if len(_VALUES) >= KEPT:
            _VALUES.clear()
        entry = _VALUES[key] = (doc, build())
    return entry[1]  # type: ignore[return-value]


def per_key(doc: Document, name: str, key: Hashable, build: Callable[[], T]) -> T:
    """`build()` for `key` of `doc` (a line's index, say), computed on the first call for this
    document, `name` and `key`: for values that depend on part of a document only, asked by
    each of its sentences."""
    known: dict = per_document(doc, name, dict)
    if key not in known:
        known[key] = build()
    return known[key]
