"""The one way extractor tests run an extractor: on a fresh Document, evidence checked."""

from __future__ import annotations

from extractors.text.document import build_document


def checked_facts(extract, text: str):
    """`extract` on `text`, asserting every fact slices back to its own text (house rule 2)."""
    doc = build_document("t", text)
    facts = extract(doc)
    assert all(doc.text[f.start : f.end] == f.text for f in facts)
    return facts
