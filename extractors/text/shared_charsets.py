"""Compile each character class of a regex once, however often the regex repeats it.

Loading the French model costs ~9 s here, two thirds of it in one regex: the tokenizer's
TOKEN_MATCH (spacy/lang/fr/tokenizer_exceptions.py), 1.45 MB of ~800 alternatives, each with the
same few Unicode letter classes under IGNORECASE. Python's compiler optimises every occurrence of
a class anew (`re._compiler._optimize_charset`: case folding of every letter of the class), so
that regex costs 800 times one class. While the model loads, the optimiser remembers what it
returned for a class it has seen: the compiled code is the same (Pattern objects compare their
code, tests/extractors/test_shared_charsets.py), and the load takes ~4 s less.

The optimiser is a module function of the standard library, replaced only inside the block by
a function that returns what the original returned; other threads compiling meanwhile get the
same results. Where that function is not there (another Python), the block changes nothing.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

try:
    from re import _compiler as _re_compiler
except ImportError:  # Python < 3.11 names it sre_compile; we require 3.11
    _re_compiler = None

_lock = threading.RLock()


@contextlib.contextmanager
def each_charset_compiled_once() -> Iterator[None]:
    """Within the block, a character class met again is not optimised again."""
    original = getattr(_re_compiler, "_optimize_charset", None)
    if original is None:
        yield
        return
    seen: dict[tuple, tuple[list, bool]] = {}

    def optimize_charset(charset, iscased=None, fixup=None, fixes=None):
        try:  # a class parses to (op, int) and (op, (lo, hi)) pairs: hashable as they are
            key = (tuple(charset), iscased, fixup, id(fixes))
            found = seen.get(key)
        except TypeError:  # not a class this memo knows: optimised as usual
            return original(charset, iscased, fixup, fixes)
        if found is None:
            found = seen[key] = original(charset, iscased, fixup, fixes)
        optimised, hascased = found
        return list(optimised), hascased  # a copy: the caller owns its list

    with _lock:
        _re_compiler._optimize_charset = optimize_charset
        try:
            yield
        finally:
            _re_compiler._optimize_charset = original
