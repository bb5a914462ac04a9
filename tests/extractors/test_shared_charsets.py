"""Compiling under `each_charset_compiled_once` gives the same compiled code, only sooner."""

from __future__ import annotations

import re

import pytest

from extractors.text.shared_charsets import each_charset_compiled_once

LETTERS = "a-zàâäçéèêëîïôöùûüÿœæ\u0100-\u017f\u0400-\u04ff"
CASES = [
    # (pattern, flags): classes repeated, as spaCy's French TOKEN_MATCH repeats its own
    pytest.param("(?iu)" + "|".join(f"(?:^{w}[-‐][{LETTERS}]+$)" for w in
                                     ("porte", "garde", "arrière", "contre", "demi")),
                 0, id="ignorecase-unicode-alternatives"),
    pytest.param("|".join(f"[{LETTERS}]{{2}}{w}[{LETTERS}]*" for w in ("ab", "cd")), 0,
                 id="cased"),
    pytest.param(rb"[a-z\d]+|[a-z\d]*x", re.IGNORECASE, id="bytes"),
    pytest.param(r"[^\W\d_]+[-'’][^\W\d_]+|[^\W\d_]+", re.IGNORECASE, id="negated-categories"),
]


@pytest.mark.parametrize(("pattern", "flags"), CASES)
def test_the_compiled_code_is_the_same(pattern, flags):
    re.purge()
    plain = re.compile(pattern, flags)
    re.purge()
    with each_charset_compiled_once():
        shared = re.compile(pattern, flags)
    assert shared is not plain
    assert shared == plain  # Pattern equality compares flags, pattern and compiled code


def test_the_standard_optimiser_is_back_after_the_block():
    from re import _compiler

    before = _compiler._optimize_charset
    with each_charset_compiled_once():
        assert _compiler._optimize_charset is not before
    assert _compiler._optimize_charset is before


def test_spacys_french_token_match_compiles_to_the_same_code():
    # the regex the block is for (1.45 MB): ~6 s to compile plainly, ~1.5 s within the block
    exceptions = pytest.importorskip("spacy.lang.fr.tokenizer_exceptions")
    pattern = exceptions.TOKEN_MATCH.__self__.pattern
    re.purge()
    plain = re.compile(pattern)
    re.purge()
    with each_charset_compiled_once():
        shared = re.compile(pattern)
    assert shared == plain
