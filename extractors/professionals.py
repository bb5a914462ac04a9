"""Extractor for professionals (to be written)."""

from __future__ import annotations

from extractors.types import Document, Fact


def extract(doc: Document) -> list[Fact]:
    return []
