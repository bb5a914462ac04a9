"""A fetched file's sidecar reaches the dataset: url and fetched_at in documents, the title and
the feed's date for the extractors, a link to the original in the report. Files brought by
hand are unchanged."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from flows.read.discover import Entry, discover
from flows.read.ingest import ingest_entry
from flows.read.sidecar import Provenance, read_sidecar, sidecar_path, write_sidecar
from flows.run.process import extract_files, process_file
from tests.flows.fetch.server import pdf

BODY = ("Le 12 mars, la communauté a signé son accord conventionnel interprofessionnel. "
        "Elle couvre 40 000 habitants.")


def fetched(tmp_path, name, data, **extra):
    path = tmp_path / name
    path.write_bytes(data)
    write_sidecar(path, Provenance(
        file=name, url="https://www.example.org/actu/cpts-val", final_url="https://www.example.org/actu/cpts-val",
        fetched_at="2026-01-02T06:00:00+00:00", sha256="0" * 64, **extra))
    return path


def test_sidecars_are_not_inputs(tmp_path):
    path = fetched(tmp_path, "release.txt", BODY.encode())
    assert sidecar_path(path).name == "release.meta.json"
    assert [e.source for e in discover([tmp_path])] == ["release.txt"]


def test_a_sidecar_speaks_only_for_its_own_file(tmp_path):
    path = fetched(tmp_path, "release.txt", BODY.encode())
    other = tmp_path / "release.html"
    other.write_text("<p>x</p>", encoding="utf-8")
    assert read_sidecar(path).url.endswith("/cpts-val")
    assert read_sidecar(other) is None
    sidecar_path(path).write_text("{not json", encoding="utf-8")
    assert read_sidecar(path) is None


def test_provenance_reaches_the_documents_row(tmp_path):
    path = fetched(tmp_path, "release.txt", BODY.encode(),
                   title="Signature de l'ACI de la CPTS du Val Test", published="2024-03-20")
    row = extract_files([Entry(path, path.name)]).tables["documents"].iloc[0]
    assert row["url"] == "https://www.example.org/actu/cpts-val"
    assert row["fetched_at"] == dt.datetime(2026, 1, 2, 6, tzinfo=dt.UTC)
    result = process_file(Entry(path, path.name))
    # The CPTS is named only in the feed's title: it reaches the extractors.
    assert result.document.text.startswith("Signature de l'ACI de la CPTS du Val Test")
    assert [c.name for c in result.assembly.cpts] == ["CPTS du Val Test"]
    # The text has no date of its own: "le 12 mars" is read in the feed's year.
    assert result.document.reference_date == dt.date(2024, 3, 20)
    signed = [f for f in result.assembly.facts if f.fact.kind == "signed_on"]
    assert [f.fact.value for f in signed] == ["2024-03-12"]


def test_a_pdf_gets_the_title_of_the_release_page_once(tmp_path):
    title = "La CPTS du Lac signe son ACI"
    path = fetched(tmp_path, "cp.pdf", pdf(f"{title}\n{BODY}"), title=title)
    ingested = ingest_entry(Entry(path, path.name))
    assert ingested.status == "ok" and ingested.raw_text.count(title) == 1
    assert ingested.title == title


def test_files_brought_by_hand_have_no_provenance(tmp_path):
    path = tmp_path / "release.txt"
    path.write_text(BODY, encoding="utf-8")
    row = extract_files([Entry(path, path.name)]).tables["documents"].iloc[0]
    assert pd.isna(row["url"]) and pd.isna(row["fetched_at"])
    result = process_file(Entry(path, path.name))
    assert result.document.reference_date is None


def test_report_links_each_fetched_document_to_its_original():
    import pandas as pd

    from flows.publish.report import document_html, original_link

    assert "href='https://www.example.org/a?x=1&amp;y=2'" in original_link(
        "https://www.example.org/a?x=1&y=2")
    assert original_link(None) == "" and original_link("javascript:alert(1)") == ""
    empty = {t: pd.DataFrame({"doc_id": []}) for t in ("facts", "validation_errors", "cpts")}
    doc = {"doc_id": "0123456789abcdef", "source": "x.html", "status": "ok", "message": None,
           "url": "https://www.example.org/actu/cpts-val"}
    groups = {"facts": pd.DataFrame(columns=["doc_id", "cpts_key", "kind", "value", "start",
                                             "end"]),
              "validation_errors": pd.DataFrame(columns=["table", "column", "check",
                                                         "failure_case", "row"]),
              "cpts": pd.DataFrame(columns=["name", "cpts_key", "status"])}
    html = document_html(doc, empty, "texte", groups)
    assert "href='https://www.example.org/actu/cpts-val'" in html
