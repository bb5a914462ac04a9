"""flows.dataset.state: the incremental plan knows each file by the doc_id ingest will give it
(one rule, flows.read.ingest.doc_id_of), whatever the file."""

from __future__ import annotations

import pytest

from flows.dataset.state import fingerprint
from flows.read.discover import discover
from flows.read.ingest import ingest_entry
from tests.fixtures_files import CASES, Case, bytes_writer, write_case

# Files with no bytes to hash take their path's hash: an empty file of any kind among them
# (two empty .docx files are two documents, not one document and its duplicate).
EMPTY_CASES = [
    Case("other/empty.docx", bytes_writer(b""), "unsupported", "unsupported", "unsupported"),
    Case("other/empty-too.docx", bytes_writer(b""), "unsupported", "unsupported", "unsupported"),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in [*CASES, *EMPTY_CASES]])
def test_the_plan_and_ingest_give_the_same_doc_id(tmp_path, case):
    (entry,) = discover([write_case(tmp_path, case)])
    assert fingerprint(entry, {}).doc_id == ingest_entry(entry).doc_id


def test_empty_files_are_told_apart_by_their_path(tmp_path):
    paths = [write_case(tmp_path, case) for case in EMPTY_CASES]
    ids = {ingest_entry(entry).doc_id for entry in discover(paths)}
    assert len(ids) == 2


def test_a_known_file_is_not_read_again(tmp_path):
    path = write_case(tmp_path, CASES[0])
    (entry,) = discover([path])
    seen = fingerprint(entry, {})
    cache = {str(path.absolute()): {"sha256": "f" * 64, "size": seen.size,
                                    "mtime_ns": seen.mtime_ns}}
    assert fingerprint(entry, cache).doc_id == "f" * 16
