"""Every kind of input file, written for real, through `ingest`: one row each, never a crash."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.read.ingest import Ingested, ingest
from tests.fixtures_files import CASES, RELEASE, Case, pdf_bytes, sparse_file, write_case

FIELDS = set(Ingested.__dataclass_fields__)


def _run(tmp_path: Path, case: Case, **limits: int) -> Ingested:
    path = write_case(tmp_path, case)
    return ingest(path, case.name, **limits)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
def test_each_file_gets_its_status_and_message(tmp_path, case):
    row = _run(tmp_path, case)
    assert (row.status, row.source) == (case.status, case.name), row.message
    assert case.message.lower() in row.message.lower()
    assert len(row.doc_id) == 16 and int(row.doc_id, 16) >= 0
    if row.status == "ok":
        assert case.text in row.raw_text
        assert "\r" not in row.raw_text and "\x00" not in row.raw_text
    else:
        assert row.raw_text == ""
        assert row.message, "a failed file must say why"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("a.pdf", "pdf", id="pdf"),
        pytest.param("a.PDF", "pdf", id="upper-case-extension"),
        pytest.param("a.htm", "html", id="htm"),
        pytest.param("a.txt", "txt", id="txt"),
        pytest.param("a.docx", "other", id="docx"),
        pytest.param("Makefile", "other", id="no-extension"),
    ],
)
def test_format_follows_the_extension(tmp_path, name, expected):
    (tmp_path / name).write_bytes(b"x")
    assert ingest(tmp_path / name, name).format == expected


def test_doc_id_is_the_hash_of_the_bytes(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(RELEASE, encoding="utf-8")
    expected = hashlib.sha256(RELEASE.encode()).hexdigest()[:16]
    assert ingest(path, "a.txt").doc_id == expected
    assert ingest(path, "renamed/elsewhere.txt").doc_id == expected


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: None, id="missing-file"),
        pytest.param(lambda p: p.write_bytes(b""), id="empty-file"),
    ],
)
def test_doc_id_without_bytes_is_the_hash_of_the_path(tmp_path, make):
    path = tmp_path / "gone.txt"
    make(path)
    assert ingest(path, "gone.txt").doc_id == hashlib.sha256(str(path).encode()).hexdigest()[:16]


def test_file_that_vanished_after_listing_is_unreadable_with_the_os_error(tmp_path):
    row = ingest(tmp_path / "vanished.txt", "vanished.txt")
    assert (row.status, row.size_bytes) == ("unreadable", None)
    assert row.message == "cannot read file: No such file or directory"


def test_folder_given_as_a_file_is_unreadable(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    row = ingest(tmp_path / "folder.txt", "folder.txt")
    assert (row.status, row.message) == ("unreadable", "is a folder, not a file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_permission_denied_is_unreadable_with_the_os_error(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(RELEASE)
    path.chmod(0)
    row = ingest(path, "secret.txt")
    assert (row.status, row.message) == ("unreadable", "cannot read file: Permission denied")


@pytest.mark.parametrize(
    ("write", "limits", "message"),
    [
        pytest.param(sparse_file(5_000), {"max_bytes": 4_000}, "file is 0.0 MB, more than the "
                     "limit of 0.0 MB", id="txt-over-max-bytes"),
        pytest.param(lambda p: p.write_bytes(pdf_bytes(["CPTS"] * 4)), {"max_pages": 3},
                     "PDF has 4 pages, more than the limit of 3", id="pdf-over-max-pages"),
    ],
)
def test_limits_are_configurable(tmp_path, write, limits, message):
    path = tmp_path / ("a.pdf" if "max_pages" in limits else "a.txt")
    write(path)
    row = ingest(path, path.name, **limits)
    assert row.status == "too_large"
    assert message in row.message


def test_a_file_at_exactly_max_bytes_is_read(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(RELEASE.encode())
    assert ingest(path, "a.txt", max_bytes=path.stat().st_size).status == "ok"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        pytest.param(RELEASE.replace("\n", " ") * 1000, 5, id="one-1mb-line"),
        pytest.param(RELEASE.encode().decode("cp1252", "replace") * 300, 5, id="1mb-of-mojibake"),
    ],
)
def test_large_text_under_the_limit_is_read_in_reasonable_time(tmp_path, text, seconds):
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    row = ingest(path, "big.txt")
    assert row.status == "ok"
    assert "Drôme" in row.raw_text
    assert time.perf_counter() - started < seconds


def test_pdf_pages_are_joined_with_form_feeds_and_title_kept(tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf_bytes(["Page un", "Page deux", "Page trois"], title="Création CPTS"))
    row = ingest(path, "r.pdf")
    assert row.raw_text.split("\f") == ["Page un", "Page deux", "Page trois"]
    assert (row.n_pages, row.title) == (3, "Création CPTS")


def test_pdf_soft_hyphen_marker_is_kept_for_document_py(tmp_path):
    # pdfium reports a hyphen the layout added at a line end as U+FFFE; document.py drops it.
    words = "interprofes\u00adsionnelle " * 30
    path = tmp_path / "h.pdf"
    path.write_bytes(pdf_bytes([words]))
    assert "\ufffe" in ingest(path, "h.pdf").raw_text


def test_html_keeps_the_article_and_drops_the_boilerplate(tmp_path):
    case = next(c for c in CASES if c.name == "html/release.html")
    row = _run(tmp_path, case)
    assert row.title == "Création de la CPTS"  # trafilatura drops the " | site" suffix
    for noise in ("Accueil", "cookies", "Partager", "Mentions légales", "fantôme"):
        assert noise not in row.raw_text


def test_ingested_has_the_documented_fields():
    assert FIELDS == {"doc_id", "source", "format", "status", "message", "raw_text", "n_pages",
                      "title", "size_bytes", "url", "fetched_at", "published"}


@settings(max_examples=60, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=3000).map(lambda b: b"%PDF-1.4\n" + b),
        st.text(max_size=500).map(lambda t: f"<html><body><p>{t}</p>".encode("utf-8", "replace")),
    ),
    suffix=st.sampled_from([".txt", ".pdf", ".html", ".bin"]),
)
def test_any_bytes_give_one_row_and_never_raise(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"x{suffix}"
        path.write_bytes(data)
        row = ingest(path, path.name)
    assert row.status in {"ok", "empty", "unreadable", "unsupported"}
    assert row.message or row.status == "ok"
    assert not row.message.startswith("unexpected error"), row.message
