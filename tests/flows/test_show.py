"""`cpts-facts show`: one release's facts grouped by CPTS, each beside its evidence."""

from __future__ import annotations

import pandas as pd
import pytest
from rich.console import Console

from flows.errors import CptsFactsError
from flows.show import evidence, find_document, render_document_facts
from tests.data import sample


def _show(wanted: str) -> tuple[int, str]:
    console = Console(record=True, width=160, color_system=None)
    n = render_document_facts(sample.tables(), sample.texts(), wanted, console)
    return n, console.export_text()


@pytest.mark.parametrize(
    "wanted",
    [
        pytest.param(sample.DOC_A, id="doc-id"),
        pytest.param(sample.DOC_A[:6], id="doc-id-prefix"),
        pytest.param("corpus/001_69d9c9131c617f1b.txt", id="source"),
        pytest.param("/elsewhere/001_69d9c9131c617f1b.txt", id="file-name"),
    ],
)
def test_find_document(wanted):
    assert find_document(sample.tables()["documents"], wanted)["doc_id"] == sample.DOC_A


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        pytest.param("nope.pdf", "no document matches 'nope.pdf'", id="unknown"),
        pytest.param("inbox", "no document matches 'inbox'", id="folder-is-not-a-file"),
    ],
)
def test_find_document_errors(wanted, message):
    with pytest.raises(CptsFactsError, match=message):
        find_document(sample.tables()["documents"], wanted)


def test_ambiguous_file_name():
    docs = sample.tables()["documents"]
    docs.loc[2, "source"] = "other/sud-arddrome.txt"
    with pytest.raises(CptsFactsError, match=r"'sud-arddrome\.txt' matches 2 documents"):
        find_document(docs, "sud-arddrome.txt")


def test_facts_grouped_by_cpts_with_their_sentences():
    n, out = _show("001_69d9c9131c617f1b.txt")
    assert n == 12
    cpts_at = out.index("CPTS Sud Ard'Drôm (sud-ard-drom, signed)")
    document_at = out.index("Document (no single CPTS)")
    assert cpts_at < out.index("45500") < document_at < out.index("382500")
    assert "tripartite signé le 1er décembre 2023." in out  # the sentence, spacing kept
    assert "status: ok" in out and "departments: 07, 26" in out


def test_unreadable_document_shows_its_message_verbatim():
    n, out = _show(sample.DOC_C)
    assert n == 0
    assert "no text layer <script>alert(1)</script> & scanned" in out
    assert "No facts extracted from this document." in out


def test_validation_errors_are_shown():
    _, out = _show("inbox/2024/sud-arddrome.txt")
    assert "validation: facts.value value_plausible_for_kind failed on 45000 < 100?" in out


@pytest.mark.parametrize(
    ("fact", "plain", "highlighted"),
    [
        pytest.param({"sentence": "couvre 17\ncommunes du sud.", "text": "17\ncommunes",
                      "start": 7, "end": 18}, "couvre 17 communes du sud.", "17 communes",
                     id="sentence"),
        pytest.param({"sentence": None, "text": "Privas", "start": 22, "end": 28},
                     "Communiqué de presse Privas, le 2 mai 2024", "Privas", id="context"),
    ],
)
def test_evidence_highlights_the_fact(fact, plain, highlighted):
    text = sample.texts()[sample.DOC_B]
    rendered = evidence(pd.Series(fact), text)
    assert rendered.plain.startswith(plain)
    (span,) = rendered.spans
    assert rendered.plain[span.start : span.end] == highlighted


# What `show` says when nothing matches, with a dataset beside it: a path first says "no file".
MISSING_CASES = [
    pytest.param("corpus/nope.txt", "file not found: corpus/nope.txt (and no document of the "
                 "dataset in", id="missing-path"),
    pytest.param("nope.pdf", "file not found: nope.pdf", id="missing-file-name"),
    pytest.param("0123abcd", "no document matches '0123abcd'", id="unknown-doc-id"),
]


@pytest.mark.parametrize(("wanted", "message"), MISSING_CASES)
def test_show_says_what_is_missing(tmp_path, wanted, message):
    from flows.dataset.export import write_dataset
    from flows.show import show

    write_dataset(sample.tables(), tmp_path / "out", texts=sample.texts(), run_info={})
    with pytest.raises(CptsFactsError) as raised:
        show(wanted, tmp_path / "out", Console(record=True))
    assert str(raised.value).startswith(message)
