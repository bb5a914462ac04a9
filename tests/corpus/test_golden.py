"""Golden snapshots: did anything change? (`cpts-facts evaluate` answers "is it right?").

Each seed's attributed facts are compared with tests/corpus/golden/<stem>.json. After an
intended change, rewrite the snapshots with `UPDATE_GOLDEN=1 pytest tests/corpus/test_golden.py`
and review the diff like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

GOLDEN = ROOT / "tests" / "corpus" / "golden"


def snapshot(result) -> dict:
    assembly = result.assembly
    return {
        "published_on": str(assembly.published_on) if assembly.published_on else None,
        "cpts": [
            {k: (list(v) if isinstance(v, tuple) else v) for k, v in _fields(c).items()}
            for c in assembly.cpts
        ],
        "facts": [
            [af.fact.kind.value, str(af.fact.value), af.fact.qualifier, af.fact.start,
             af.fact.end, af.cpts_key, af.fact.extractor]
            for af in assembly.facts
        ],
    }


def _fields(record) -> dict:
    values = {name: getattr(record, name) for name in record.__slots__}
    return {k: (str(v) if k == "signed_on" and v is not None else v) for k, v in values.items()}


@pytest.mark.parametrize("stem", [p.stem for p in SEEDS])
def test_seed_facts_match_their_snapshot(corpus_results, stem):
    got = snapshot(corpus_results[stem])
    path = GOLDEN / f"{stem}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if not path.exists():
        pytest.fail(f"no snapshot {path.name}: run UPDATE_GOLDEN=1 pytest {Path(__file__)}")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got == expected
