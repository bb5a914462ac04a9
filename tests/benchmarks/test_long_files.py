"""benchmarks/long_files.py: it makes documents of the size asked and times the batch's path."""

from __future__ import annotations

import pytest

from benchmarks import long_files


@pytest.mark.parametrize("fmt", ["txt", "html"])
def test_a_long_document_has_the_size_asked_and_is_extracted(tmp_path, fmt):
    path = long_files.write(tmp_path, fmt, 0.03)
    assert 0.027 <= path.stat().st_size / 1e6 <= 0.036
    seconds, cpu, status, cpts = long_files.measure(path)
    assert seconds > 0 and cpu > 0
    assert status == "ok"
    assert cpts >= 5  # the seed releases repeated: their CPTS, merged across copies
