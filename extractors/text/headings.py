"""What reads as a heading line: short, capitalised, not ending like a sentence or a lead-in.

Shared by `document.py` (heading lines of a document) and `dateline.py` (a headline's year).
"""

from __future__ import annotations

import re

HEADING_END = re.compile(
    r"""
    [.!?…;:,]\s*$         # a line ending like a sentence or a lead-in is body text
    """,
    re.VERBOSE,
)
MAX_HEADING = 160
BODY_MARKS = ".!?…;:,"


def reads_as_heading(line: str) -> bool:
    """Whether a line of a release reads as a heading.

    >>> reads_as_heading("Signature du contrat de la CPTS du Pilat 2025")
    True
    >>> reads_as_heading("En 2024, la CPTS a signé son contrat.")
    False
    """
    if len(line) > MAX_HEADING or not line[:1].isupper():
        return False
    # HEADING_END, read from the last visible character (str.rstrip drops what `\\s`
    # matches): the engine tried it at each character of each line.
    return line.rstrip()[-1:] not in BODY_MARKS
