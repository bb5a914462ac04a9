"""Rule 2 of the house, over the whole corpus: every fact's text is its slice of the text."""

from __future__ import annotations

import pytest

from tests.conftest import SEEDS


@pytest.mark.parametrize("stem", [p.stem for p in SEEDS])
def test_every_fact_slices_back_to_its_text(corpus_results, stem):
    result = corpus_results[stem]
    assert result.document is not None, (result.status, result.message, result.ingested.message)
    text = result.document.text
    facts = [af.fact for af in result.assembly.facts]
    assert facts, f"{stem}: no fact at all"
    for fact in facts:
        assert text[fact.start : fact.end] == fact.text, fact


@pytest.mark.parametrize("stem", [p.stem for p in SEEDS])
def test_every_seed_names_at_least_one_cpts(corpus_results, stem):
    assert corpus_results[stem].assembly.cpts
