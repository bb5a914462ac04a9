"""The CPTS a text speaks about: its mentions, its subjects, its secondary and main CPTS.

A CPTS is secondary when it is named only in passing ("après la CPTS Ouest", "celles du Pays
manceau"), or named in one sentence only and without a status cue while another CPTS is named
in several sentences ("Les CPTS du Grand Besançon et du Pays de Montbéliard ont partagé leur
expérience"). The main CPTS is the one subject named in several sentences when every other
subject is named in one sentence only: the release is about it, so an unnamed "la CPTS" far
from any name ("La première priorité de la CPTS est ...") is it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from extractors.lexicon import load_lexicon
from extractors.text.document import heading_starts
from extractors.text.phrases import literal_pattern
from extractors.types import Document, Fact

LEXICON = load_lexicon("cpts_names.json")


def _heading_lines(doc: Document) -> list[tuple[int, int, str]]:
    starts = set(heading_starts(doc))
    return [(ln.start, ln.end, doc.slice(ln)) for ln in doc.lines if ln.start in starts]


def heading_owners(names: list[Fact], heads: list[tuple[int, int, str]], masthead: set[str]
                   ) -> set[str]:
    """Keys of the CPTS that open a section: a heading line (of `heads`) that is one CPTS
    name and nothing else ("CPTS du Pays Messin" above its paragraph in an annual review of
    several CPTS), or the one CPTS of the `masthead` (the heading lines before the first
    paragraph: "CPTS Val d'Orléans Sud – Lettre d'information n° 9"). Such a CPTS is a
    subject, never secondary."""
    owners: set[str] = set()
    ordered = sorted(names, key=lambda f: f.start)
    starts = [f.start for f in ordered]
    for lo, hi, line in heads:
        window = ordered[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]
        inside = [f for f in window if f.end <= hi]
        if len({key_of(f) for f in inside}) != 1:
            continue
        rest = line[: inside[0].start - lo] + line[inside[-1].end - lo :]
        if not re.search(r"[^\W\d_]", rest):
            owners.add(key_of(inside[0]))
    return owners | (masthead if len(masthead) == 1 else set())


def masthead_keys(doc: Document, names: list[Fact], heads: list[tuple[int, int, str]]
                  ) -> set[str]:
    """Keys of the CPTS named in the heading lines (`heads`) that open the document."""
    starts = {lo for lo, _, _ in heads}
    end = 0
    for line in doc.lines:
        if doc.slice(line).strip() and line.start not in starts:
            break
        end = line.end
    return {key_of(f) for f in names if f.end <= end}


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


def subjects(doc: Document, names: list[Fact], status: dict[str, str]
             ) -> tuple[set[str], str | None]:
    """The keys of the secondary CPTS and the main CPTS (None when there is none). The
    sentences naming each CPTS and the heading lines are read once for both."""
    sentences = _sentences(doc, names)
    heads = _heading_lines(doc)
    masthead = masthead_keys(doc, names, heads)
    minor = secondary(names, status, sentences, heading_owners(names, heads, masthead))
    return minor, main_subject(minor, sentences, masthead)


def secondary(names: list[Fact], status: dict[str, str], sentences: dict[str, set[int]],
              owners: set[str]) -> set[str]:
    """Keys of the CPTS named only in passing, or in one sentence beside a subject
    (`sentences`: the sentences naming each; `owners`: `heading_owners`)."""
    passing: dict[str, bool] = {}
    for f in names:
        key = key_of(f)
        passing[key] = passing.get(key, True) and f.attrs.get("status") == "mentioned"
    minor = {k for k, only_passing in passing.items() if only_passing} - owners
    main = {k for k, s in sentences.items() if (len(s) >= 2 or k in owners) and k not in minor}
    if not main:
        return minor if len(minor) < len(sentences) else set()
    for key, seen in sentences.items():
        if key not in main and len(seen) == 1 and status[key] == "mentioned":
            minor.add(key)
    return minor


def main_subject(minor: set[str], sentences: dict[str, set[int]], masthead: set[str]
                 ) -> str | None:
    """The one subject named in several sentences while the others are named in one."""
    sentences = {k: s for k, s in sentences.items() if k not in minor}
    masthead = masthead - minor
    if len(masthead) == 1:
        return next(iter(masthead))  # a newsletter or release headed by one CPTS is about it
    several = [k for k, s in sentences.items() if len(s) >= 2]
    return several[0] if len(several) == 1 else None


def phrases(words: list[str]) -> re.Pattern[str]:
    body = "|".join(literal_pattern(p) for p in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def _anaphora(phrases: list[str]) -> re.Pattern[str]:
    """Any of `phrases` as a word sequence. One look-behind for them all and the phrases
    grouped by first letter: a position tries one group, not each phrase behind its own
    look-behind (a search only says whether one is there, so the order does not matter)."""
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        tail = re.escape(phrase[1:]).replace(r"\ ", r"\s+") + r"(?!\w)"
        groups.setdefault(phrase[0].lower(), []).append(tail)
    body = "|".join(f"{re.escape(head)}(?:{'|'.join(tails)})" for head, tails in groups.items())
    return re.compile(rf"(?<!\w)(?:{body})", re.IGNORECASE)


# "Ces deux CPTS", "Elles ont toutes": a sentence about every CPTS of the text.
PLURAL_ANAPHORA = _anaphora(LEXICON["plural_anaphora"])
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
