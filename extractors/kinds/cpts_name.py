"""CPTS names: one fact per mention, variants of one CPTS merged under its canonical name.

value = the fullest written form starting with "CPTS" ("CPTS Soins Pluriprofessionnels de
Vaulx-en-Velin" rather than "... à Vaulx-en-Velin" or "(SPVV)"); attrs["key"] = its slug;
attrs["status"] = the status cued around that mention, if any; attrs["group"] ties the names of
one plural phrase ("les CPTS A et B") so attribution can give their shared facts to both.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from rapidfuzz import fuzz, process

from extractors.kinds import cpts_status, cpts_unnamed
from extractors.kinds.cpts_grammar import LEXICON
from extractors.kinds.cpts_mentions import LIST_SEPARATOR, RawMention, find_mentions
from extractors.text.document import heading_starts
from extractors.text.phrases import literal_pattern
from extractors.text.slug import CUT_WORD_MIN, SAME_RATIO, fold, same_cpts, slug, starts, tokens
from extractors.types import Document, Fact, FactKind

# Mentions that name a CPTS outright; the others only join a CPTS the text names.
NAMING = frozenset({"cpts", "full", "quoted"})

# "après la CPTS Ouest", "Elles rejoignent la CPTS Paris 13": a CPTS named in passing, whatever
# the status cues of the sentence say (they speak of its subject).
PASSING_BEFORE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        literal_pattern(p) for p in sorted(LEXICON["passing_before"], key=len, reverse=True)
    )
    + r""")\s+(?:(?:la|le|les|de\s+la|du|des|l[’'])\s*)?[«"“]?\s*$""",
    re.IGNORECASE,
)

# What may join two CPTS of one list: ", et la ", " et de la ", ", " (then the next "CPTS").
LIST_ARTICLE = re.compile(r"\s*(?:la|le|les|de\s+la|du|des|l[’'])?\s*$", re.IGNORECASE)


def _passing(text: str, mentions: list[RawMention]) -> set[int]:
    """Indexes of the mentions named in passing: after a cue, or listed right after one."""
    passing: set[int] = set()
    for k, mention in enumerate(mentions):
        if mention.via == "passing":
            passing.add(k)
            continue
        head = text[max(0, mention.start - 40) : mention.start]
        if PASSING_BEFORE.search(head):
            passing.add(k)
        elif k - 1 in passing and mentions[k - 1].end <= mention.start:
            between = text[mentions[k - 1].end : mention.start]
            sep = LIST_SEPARATOR.match(between)
            if sep and LIST_ARTICLE.fullmatch(between[sep.end() :]):
                passing.add(k)
    return passing


def _display(mention: RawMention) -> str:
    connector = mention.connector
    if mention.via in {"territory", "passing", "weak"} and connector.lower() in {"de", "d’", "d'"}:
        connector = ""  # "sur le territoire de Porte de Drôme" → "CPTS Porte de Drôme"
    words = (
        f"{connector} {mention.core}"
        if connector and not connector.endswith(("’", "'"))
        else connector + mention.core
    )
    return " ".join(f"CPTS {words}".replace("’", "'").split())


def _cluster(mentions: list[RawMention]) -> list[list[RawMention]]:
    """Each mention joins the first cluster holding a written form of the same CPTS.

    A long release repeats a few names many times, and a report may name thousands of CPTS:
    each distinct form is compared once with the forms like it (`_Similar`), not each
    mention with every form of every cluster (forms × clusters `same_cpts` calls)."""
    clusters: list[list[RawMention]] = []
    forms: list[dict[str, None]] = []  # each cluster's distinct written forms
    similar = _Similar()
    first_home: dict[str, int] = {}  # a form → the first cluster holding it
    best: dict[str, int] = {}  # a form → the first cluster holding a form of the same CPTS
    by_acronym: dict[str, list[RawMention]] = {}
    for mention in mentions:
        if mention.via == "acronym":
            home = by_acronym.get(mention.acronym or "")
            if home is not None:
                home.append(mention)
            continue
        written = _display(mention)
        if written not in similar:
            near = similar.add(written)
            homes = [first_home[u] for u in near if u in first_home]
            if homes:
                best[written] = min(homes)
        at = best.get(written)
        if at is None:
            at = len(clusters)
            clusters.append([])
            forms.append({})
        home = clusters[at]
        home.append(mention)
        if written not in forms[at]:
            forms[at][written] = None
            first_home[written] = min(first_home.get(written, at), at)
            for u in similar.near(written):
                if best.get(u, at + 1) > at:
                    best[u] = at
        if mention.acronym:
            by_acronym.setdefault(mention.acronym, home)
    return clusters


class _Similar:
    """The distinct written forms seen so far, each with those that name the same CPTS.

    `same_cpts` holds only for a fuzzy ratio of the tokens >= SAME_RATIO, or for names that
    share their first token and the start of the second (one the other plus words, its last
    word possibly cut). Those two are looked up (rapidfuzz over all forms in C; a dict for
    the second), and `same_cpts` decides on what they find, so the relation is the same. It
    is symmetric: a form's list is kept up to date as new forms arrive."""

    def __init__(self) -> None:
        self._forms: list[str] = []
        self._joined: list[str] = []
        self._near: dict[str, list[str]] = {}
        self._by_start: dict[tuple[str, str], list[str]] = {}

    def __contains__(self, form: str) -> bool:
        return form in self._near

    def near(self, form: str) -> list[str]:
        """The forms seen that name the same CPTS as `form` (itself included when it names one)."""
        return self._near[form]

    def add(self, form: str) -> list[str]:
        toks = tokens(form)
        joined = " ".join(toks)
        candidates: dict[str, None] = {}
        if toks:
            # 1 below the threshold: rapidfuzz's batch score and fuzz.ratio may round apart.
            for _, _, i in process.extract(
                joined, self._joined, scorer=fuzz.ratio, score_cutoff=SAME_RATIO - 1, limit=None
            ):
                candidates[self._forms[i]] = None
        key = (toks[0], toks[1][:CUT_WORD_MIN]) if len(toks) >= 2 else None
        for other in self._by_start.get(key, []) if key else []:
            candidates[other] = None
        near = [u for u in candidates if _same(u, form)]
        for u in near:
            self._near[u].append(form)
        if _same(form, form):
            near.append(form)
        self._near[form] = near
        self._forms.append(form)
        self._joined.append(joined)
        if key:
            self._by_start.setdefault(key, []).append(form)
        return near


@functools.lru_cache(maxsize=65_536)
def _same(a: str, b: str) -> bool:
    return same_cpts(a, b)


BLANKS = re.compile(r"[ \t\u00a0\u202f]*")


def _cut(text: str, mention: RawMention) -> bool:
    """Does the name run to the end of its line or of the text (a cut excerpt, a wrapped
    line: "la CPTS Centre" ⏎ "Saône et Loire", "… selon la CPTS des Tro")?"""
    # The next character read in place: slicing the rest of the text per name was quadratic.
    after = BLANKS.match(text, mention.end).end()
    return not text[after : after + 1].strip()


def _join_cut(text: str, clusters: list[list[RawMention]]) -> list[list[RawMention]]:
    """A CPTS only ever written cut short is the CPTS of the text whose name it begins."""
    kept = list(clusters)
    for cluster in clusters:
        if not all(_cut(text, m) for m in cluster if m.via != "acronym"):
            continue
        short = tokens(_canonical(cluster))
        home = next(
            (
                c
                for c in kept
                if c is not cluster
                and len(tokens(_canonical(c))) > len(short)
                and starts(tokens(_canonical(c)), short)
            ),
            None,
        )
        if home is not None:
            home.extend(cluster)
            kept.remove(cluster)
    return kept


def _canonical(cluster: list[RawMention]) -> str:
    # Each mention's form once: a form asked "is it written after CPTS?" of every mention of
    # its cluster cost forms x mentions `_display` calls.
    shown = [(_display(m), m.via) for m in cluster if m.via != "acronym"]
    written = Counter(form for form, _ in shown)
    named = {form for form, via in shown if via in NAMING}

    # Prefer what the text writes after "CPTS", then the longest, then the most frequent form.
    def rank(name: str) -> tuple[bool, int, int]:
        return (name in named, len(fold(name).replace(" ", "")), written[name])

    return max(written, key=rank)


def extract(doc: Document) -> list[Fact]:
    try:
        mentions = find_mentions(doc.text)
    except (ValueError, IndexError):
        return []
    clusters = _join_cut(doc.text, _cluster(mentions))
    unnamed = None
    if any(m.via in NAMING for c in clusters for m in c):
        clusters = [c for c in clusters if any(m.via in NAMING | {"passing"} for m in c)]
    else:
        # No CPTS named: "une CPTS sur le territoire du Haut-Jura" is named after its territory;
        # CPTS named in passing ("après celles de Lens-Hénin") are still named.
        territory = [c for c in clusters if any(m.via == "territory" for m in c)][:1]
        passing = [c for c in clusters if all(m.via == "passing" for m in c)]
        clusters = territory + [c for c in passing if c not in territory]
        if not territory:
            unnamed = cpts_unnamed.find(doc, _title_name(doc))
    facts: list[Fact] = []
    ordered = sorted((m for c in clusters for m in c), key=lambda m: (m.start, m.end))
    passing = {id(ordered[k]) for k in _passing(doc.text, ordered)}
    for cluster in clusters:
        name = _canonical(cluster)
        key, source = slug(name), _source(cluster)  # the cluster's, not each mention's
        for mention in cluster:
            attrs = {"key": key, "via": mention.via, "name_source": source}
            status = (
                "mentioned"
                if id(mention) in passing
                else cpts_status.status_cue(doc, mention.start)
            )
            if status:
                attrs["status"] = status
            if mention.group is not None:
                attrs["group"] = str(mention.group)
            facts.append(
                Fact(
                    FactKind.CPTS_NAME,
                    name,
                    mention.start,
                    mention.end,
                    doc.text[mention.start : mention.end],
                    "cpts_name",
                    attrs=attrs,
                )
            )
    if unnamed is not None:
        facts += _unnamed_facts(doc, unnamed)
    facts += _heading_mentions(doc, {str(f.attrs["key"]): str(f.value) for f in facts})
    return sorted(facts, key=lambda f: (f.start, f.end))


def _source(cluster: list[RawMention]) -> str:
    """ "territory" for a CPTS the text only places ("une CPTS sur le territoire de X")."""
    return "text" if any(m.via in NAMING | {"passing"} for m in cluster) else "territory"


def _title_name(doc: Document) -> str | None:
    """The CPTS a page title kept outside the text names ("CPTS Val de Sèvre : ...")."""
    if not doc.title or doc.title.strip() in doc.text:
        return None
    try:
        named = [m for m in find_mentions(doc.title) if m.via in NAMING]
    except (ValueError, IndexError):
        return None
    return _display(named[0]) if named else None


def _unnamed_facts(doc: Document, unnamed: cpts_unnamed.Unnamed) -> list[Fact]:
    """One CPTS, named from the title or its territory, referred to as "la CPTS"."""
    facts = []
    for anchor in unnamed.anchors:
        attrs = {"key": slug(unnamed.name), "via": "unnamed", "name_source": unnamed.source}
        status = cpts_status.status_cue(doc, anchor.start)
        if status:
            attrs["status"] = status
        text = doc.slice(anchor)
        facts.append(
            Fact(
                FactKind.CPTS_NAME,
                unnamed.name,
                anchor.start,
                anchor.end,
                text,
                "cpts_name",
                attrs=attrs,
            )
        )
    return facts


# A heading of a few words ("Saulnois" above its paragraph) names a CPTS the text names
# elsewhere with the word CPTS ("la CPTS du Saulnois") when their slugs are equal.
MAX_HEADING_WORDS = 6


def _heading_mentions(doc: Document, names: dict[str, str]) -> list[Fact]:
    found = []
    heads = set(heading_starts(doc)) if names else set()
    for span in (ln for ln in doc.lines if ln.start in heads):
        start, line = span.start, doc.slice(span)
        text = line.strip()
        if "CPTS" in text or len(text.split()) > MAX_HEADING_WORDS:
            continue
        key = slug(text)  # the costly test, for the few short headings left
        if key not in names:
            continue
        lo = start + line.index(text)
        attrs = {"key": key, "via": "heading"}
        found.append(
            Fact(FactKind.CPTS_NAME, names[key], lo, lo + len(text), text, "cpts_name", attrs=attrs)
        )
    return found
