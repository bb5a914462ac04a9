"""A small hand-made dataset: seed release 001, a later release about the same CPTS spelled
differently, and a PDF that could not be read.

Facts are placed by searching their words in the real texts, so every offset is true evidence
(`text[start:end] == fact text`), including nested and crossing spans the report must draw.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from schemas.columns import frame

HERE = Path(__file__).resolve().parent
SEED = HERE.parent.parent / "corpus" / "001_69d9c9131c617f1b.txt"
LATER = HERE / "release_sud_arddrome_2024.txt"

DOC_A = "69d9c9131c617f1b"
DOC_B = "b2c3d4e5f6a70819"
DOC_C = "0badf00d0badf00d"
KEY_A = "sud-ard-drom"
KEY_B = "sud-arddrome"


def _find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    # Press releases wrap lines anywhere: any run of spaces in the needle matches any whitespace.
    pattern = r"\s+".join(re.escape(word) for word in needle.split())
    matches = list(re.finditer(pattern, text))
    match = matches[nth]
    return match.start(), match.end()


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start) + 2, text.rfind("\n\n", 0, start) + 2, 0)
    right = text.find(".", end)
    return text[left : right + 1 if right != -1 else len(text)].strip()


def _fact(doc_id, text, key, kind, value, needle, qualifier=None, nth=0, extractor=None):
    start, end = _find(text, needle, nth)
    return {
        "doc_id": doc_id, "cpts_key": key, "kind": kind, "value": str(value),
        "qualifier": qualifier, "start": start, "end": end, "text": text[start:end],
        "sentence": _sentence(text, start, end), "page": None,
        "extractor": extractor or f"extractors.{kind}",
    }


def texts() -> dict[str, str]:
    return {DOC_A: SEED.read_text("utf-8"), DOC_B: LATER.read_text("utf-8")}


def _facts(text_a: str, text_b: str) -> list[dict]:
    a, b = DOC_A, DOC_B
    return [
        _fact(a, text_a, KEY_A, "signed_on", "2023-12-01", "signé le 1er décembre 2023", "day"),
        _fact(a, text_a, KEY_A, "cpts_name", "CPTS Sud Ard'Drôm", "CPTS Sud Ard’ Drôm"),
        _fact(a, text_a, KEY_A, "communes", 17, "17 communes", "exact"),
        # Nested: the size class rests on the population figure inside the population phrase.
        _fact(a, text_a, KEY_A, "population", 45500, "plus de 45 500 habitants", "at_least"),
        _fact(a, text_a, KEY_A, "size_class", 2, "45 500 habitants"),
        _fact(a, text_a, KEY_A, "professionals", 45, "plus de 45 professionnels", "at_least"),
        _fact(a, text_a, KEY_A, "president", "Sinot Khim", "Dr Sinot KHIM"),
        # Crossing: two missions share "médecin traitant".
        _fact(a, text_a, KEY_A, "mission", "acces_medecin_traitant",
              "Faciliter l’accès à un médecin traitant"),
        _fact(a, text_a, KEY_A, "mission", "soins_non_programmes",
              "médecin traitant et au recours aux soins non programmés"),
        _fact(a, text_a, KEY_A, "amount", 15000, "15 000 €"),
        _fact(a, text_a, None, "amount", 382500, "382 500 euros au maximum par an"),
        _fact(a, text_a, KEY_A, "department", "07", "Ardèche", nth=0),
        _fact(b, text_b, None, "published_on", "2024-05-02", "2 mai 2024", "day"),
        _fact(b, text_b, KEY_B, "cpts_name", "CPTS Sud Ard’Drôme", "CPTS Sud Ard’Drôme"),
        _fact(b, text_b, KEY_B, "communes", 19, "19 communes", "exact"),
        _fact(b, text_b, KEY_B, "population", 47000, "près de 47 000 habitants", "approx"),
        _fact(b, text_b, KEY_B, "professionals", 62, "62 professionnels", "exact"),
        _fact(b, text_b, KEY_B, "president", "Sinot Khim", "Dr Sinot KHIM"),
        _fact(b, text_b, KEY_B, "amount", 45000, "45 000 euros"),
    ]


def tables() -> dict[str, pd.DataFrame]:
    all_texts = texts()
    when = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
    documents = frame("documents", [
        {"doc_id": DOC_A, "source": "corpus/001_69d9c9131c617f1b.txt", "format": "txt",
         "status": "ok", "title": "ACCÈS AUX SOINS EN DRÔME-ARDÉCHE", "departments": ["07", "26"],
         "n_chars": len(all_texts[DOC_A]), "n_cpts": 1, "extractor_version": "0.1.0",
         "processed_at": when},
        {"doc_id": DOC_B, "source": "inbox/2024/sud-arddrome.txt", "format": "txt",
         "status": "ok", "title": "La CPTS Sud Ard’Drôme fête ses premiers résultats",
         "published_on": dt.date(2024, 5, 2), "published_on_precision": "day",
         "place": "Privas", "departments": ["07"], "n_chars": len(all_texts[DOC_B]),
         "n_cpts": 1, "extractor_version": "0.1.0", "processed_at": when},
        {"doc_id": DOC_C, "source": "inbox/scan <2023> & co.pdf", "format": "pdf",
         "status": "unreadable", "message": "no text layer <script>alert(1)</script> & scanned",
         "departments": [], "n_pages": 3, "extractor_version": "0.1.0", "processed_at": when},
    ])
    cpts = frame("cpts", [
        {"doc_id": DOC_A, "cpts_key": KEY_A, "name": "CPTS Sud Ard'Drôm", "name_source": "text",
         "status": "signed",
         "signed_on": dt.date(2023, 12, 1), "signed_on_precision": "day", "population": 45500,
         "population_qualifier": "at_least", "communes": 17, "professionals": 45,
         "president": "Sinot Khim", "size_class": 2, "departments": ["07", "26"],
         "departments_inferred": ["07"]},
        {"doc_id": DOC_B, "cpts_key": KEY_B, "name": "CPTS Sud Ard’Drôme", "name_source": "text",
         "status": "mentioned",
         "population": 47000, "population_qualifier": "approx", "communes": 19,
         "professionals": 62, "president": "Sinot Khim", "departments": ["07", "26"],
         "departments_inferred": []},
    ])
    facts = frame("facts", _facts(all_texts[DOC_A], all_texts[DOC_B]))
    errors = frame("validation_errors", [
        {"table": "facts", "level": "error", "doc_id": DOC_B, "column": "value",
         "check": "value_plausible_for_kind",
         "failure_case": "45000 < 100?", "row": 18},
    ])
    return {
        "documents": documents, "cpts": cpts, "amounts": frame("amounts", []),
        "missions": frame("missions", []), "places": frame("places", []), "facts": facts,
        "validation_errors": errors,
    }
