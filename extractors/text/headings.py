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


def reads_as_heading(line: str) -> bool:
    """Whether a line of a release reads as a heading.

    >>> reads_as_heading("Signature du contrat de la CPTS du Pilat 2025")
    True
    >>> reads_as_heading("En 2024, la CPTS a signé son contrat.")
    False
    """
    return len(line) <= MAX_HEADING and line[:1].isupper() and not HEADING_END.search(line)
