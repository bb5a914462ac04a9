"""The CPTS a text speaks about: its mentions, its subjects, its secondary and main CPTS.

A CPTS is secondary when it is named only in passing ("après la CPTS Ouest", "celles du Pays
manceau"), or named in one sentence only and without a status cue while another CPTS is named
in several sentences ("Les CPTS du Grand Besançon et du Pays de Montbéliard ont partagé leur
expérience"). The main CPTS is the one subject named in several sentences when every other
subject is named in one sentence only: the release is about it, so an unnamed "la CPTS" far
from any name ("La première priorité de la CPTS est ...") is it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources

from extractors import cpts_status
from extractors.types import Document, Fact

LEXICON = json.loads(
    resources.files("extractors.lexicon").joinpath("cpts_names.json").read_text("utf-8")
)


HEADING_END = re.compile(
    r"""
    [.!?…;:,]\s*$         # a line ending like a sentence or a lead-in is body text
    """,
    re.VERBOSE,
)
MAX_HEADING = 160


def heading_starts(doc: Document) -> list[int]:
    """Starts of the heading lines: short, capitalised, not ending like a sentence."""
    starts = []
    for line in doc.lines:
        text = doc.slice(line)
        if (
            len(text) <= MAX_HEADING
            and not cpts_status.BULLET_LINE.match(text)
            and not HEADING_END.search(text)
            and text[:1].isupper()
        ):
            starts.append(line.start)
    return starts


@dataclass(frozen=True, slots=True)
class Mention:
    key: str
    start: int
    end: int
    group: str | None
    minor: bool = False  # a secondary CPTS (see the module docstring)


def key_of(fact: Fact) -> str:
    return str(fact.attrs.get("key") or fact.value)


def _sentences(doc: Document, names: list[Fact]) -> dict[str, set[int]]:
    seen: dict[str, set[int]] = {}
    for f in names:
        seen.setdefault(key_of(f), set()).add(doc.sentence_of(f.start).start)
    return seen


def secondary(doc: Document, names: list[Fact], status: dict[str, str]) -> set[str]:
    """Keys of the CPTS named only in passing, or in one sentence beside a subject."""
    sentences = _sentences(doc, names)
    passing: dict[str, bool] = {}
    for f in names:
        key = key_of(f)
        passing[key] = passing.get(key, True) and f.attrs.get("status") == "mentioned"
    minor = {k for k, only_passing in passing.items() if only_passing}
    main = {k for k, s in sentences.items() if len(s) >= 2 and k not in minor}
    if not main:
        return minor if len(minor) < len(sentences) else set()
    for key, seen in sentences.items():
        if key not in main and len(seen) == 1 and status[key] == "mentioned":
            minor.add(key)
    return minor


def main_subject(doc: Document, names: list[Fact], minor: set[str]) -> str | None:
    """The one subject named in several sentences while the others are named in one."""
    sentences = {k: s for k, s in _sentences(doc, names).items() if k not in minor}
    several = [k for k, s in sentences.items() if len(s) >= 2]
    return several[0] if len(several) == 1 else None


def phrases(words: list[str]) -> re.Pattern[str]:
    body = "|".join(
        re.escape(p).replace(r"\ ", r"\s+").replace("'", "[’']")
        for p in sorted(words, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


# "Ces deux CPTS", "Elles ont toutes": a sentence about every CPTS of the text.
PLURAL_ANAPHORA = re.compile(
    "|".join(
        r"(?<!\w)" + re.escape(p).replace(r"\ ", r"\s+") + r"(?!\w)"
        for p in LEXICON["plural_anaphora"]
    ),
    re.IGNORECASE,
)
TOTAL_CUES = phrases(LEXICON["total_cues"])
DISTRIBUTIVE_CUES = phrases(LEXICON["distributive_cues"])

# "les représentants de quatre communautés ...", "trois nouvelles CPTS": a count of CPTS that
# designates all of them when it equals the number of CPTS the text names.
COUNTED_CPTS = re.compile(
    r"""
    (?<!\w)(?P<n>deux|trois|quatre|cinq|six|sept|huit|neuf|dix|\d{1,2})\s+
    (?:nouvelles\s+)?(?:CPTS|communaut[ée]s)(?!\w)
    """,
    re.VERBOSE | re.IGNORECASE,
)
