"""Members of a CPTS: "regroupe 78 professionnels de santé adhérents", "réunit près de 50
professionnels de santé", "compte une vingtaine d'adhérents".

A count of professionals is a membership only when the text says so: a member word
("adhérents", "membres"), a verb of gathering just before it ("réunit", "regroupe"), or a
member cue just after it ("ont adhéré"). So "120 professionnels de santé libéraux exercent sur
le territoire" and "sur les 290 professionnels de santé" give nothing, nor do people at an
event ("200 participants", "la soirée a réuni 150 professionnels").
The noun may be left out after "dont": "trois cents professionnels exercent, dont une centaine
ont déjà adhéré à l'association" gives 100 members (the count is followed by a member cue, and
its sentence names professionals before it); "dont 9 médecins" stays a detail.
In the brackets of figures after a CPTS name ("les CPTS de A (361 professionnels de santé,
612 km², 74 000 habitants) et de B (…)") a bare count is that CPTS's (attrs in_brackets; assemble
gives it to the CPTS the bracket follows, else to none). A pronoun continuing an event subject
("Première réunion publique à Carpentras. Elle rassemble 90 professionnels.") counts attendees.
Choices: "huit membres fondateurs" and counts by profession ("dont 13 médecins généralistes")
give attrs scope "detail" (evidence, not the total); members of the bureau give nothing; a
total over several CPTS gives scope "generic"; ranges give nothing.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from extractors.kinds import counts as ctx
from extractors.lexicon import load_lexicon
from extractors.text.document import bullet_lead_in, line_index
from extractors.text.numbers import COUNT, alternation, parse_count
from extractors.text.prefilter import GatedPattern
from extractors.types import Document, Fact, FactKind, Span

_LEX = load_lexicon("counts_professionals.json")


def _words(key: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W\d_])(?:{alternation(_LEX[key])})(?![^\W\d_])", re.IGNORECASE)


NOUN = rf"""
    (?:{alternation(_LEX["base_nouns"])})
    (?:\s+(?:{alternation(_LEX["adjectives"])}))*     # professionnels de santé libéraux
    (?:\s+(?:{alternation(_LEX["member_marks"])}))?   # ... adhérents
"""
PROFESSIONALS = ctx.noun_pattern(NOUN, required=_LEX["base_nouns"])
BY_PROFESSION = ctx.noun_pattern(
    rf"(?:{alternation(_LEX['detail_nouns'])})", required=_LEX["detail_nouns"]
)

MEMBER_WORD = _words("member_marks")
MEMBERSHIP_VERB = _words("membership_verbs")
SIGNATORY_LEAD_IN = _words("signatory_lead_ins")
RIGHT_MEMBER_CUE = re.compile(
    rf"^[\s,]*(?:\w+\s+)?(?:{alternation(_LEX['right_member_cues'])})(?![^\W\d_])",
    re.IGNORECASE,
)
DENOMINATOR = re.compile(
    rf"(?<![^\W\d_])(?:{alternation(_LEX['denominators'])})\s*$", re.IGNORECASE
)
NON_MEMBER = _words("non_member_cues")
EVENT = _words("event_words")
# "les 10 membres du Bureau", "9 membres du Conseil d'administration": any case, but "CA" only
# in capitals.
OTHER_ORGANISATION = _words("other_organisations")
GOVERNANCE = re.compile(
    rf"(?<![^\W\d_])(?:(?i:{alternation([w for w in _LEX['governance_words'] if w != 'CA'])})"
    r"|CA)(?![^\W\d_])"
)
FOUNDERS = re.compile(rf"^\s*(?:{alternation(_LEX['founder_words'])})", re.IGNORECASE)
DONT = re.compile(r"(?<![^\W\d_])dont(?![^\W\d_])", re.IGNORECASE)

WINDOW = int(_LEX["verb_window"])
ENUMERATION_WINDOW = 160
# Items of an enumeration after the verb: "41 communes, 58 000 habitants et ".
ENUMERATED = re.compile(
    r"\s*(?:près\s+de\s+|plus\s+de\s+|environ\s+)?\d[\d\s\u00a0\u202f.]*\s+[^\W\d_][\w'’-]*"
    r"(?:\s+(?:de|d['’])\s*[^\W\d_][\w'’-]*)?\s*(?:,|\bet\b)\s*",
    re.IGNORECASE,
)

# "64 ont d'ores et déjà réglé leur adhésion", "45 ont aujourd'hui adhéré": joining the
# association, an adverb allowed after the auxiliary.
ADHESION = rf"""
    ont\s+(?:(?:{alternation(_LEX["adhesion_adverbs"])})\s+)?
    (?:{alternation(_LEX["adhesion_verbs"])}
      |(?:{alternation(_LEX["fee_verbs"])})\s+(?:leur|son|sa)\s+(?:{alternation(_LEX["fee_nouns"])}))
    (?![^\W\d_])
"""
# "..., dont une centaine ont déjà adhéré", "Sur les 290 professionnels du territoire, 45 ont
# adhéré", "Sur les 80 participants, 64 ont réglé leur adhésion": a count without its noun,
# then a member cue.
ELLIPTIC_MEMBERS = GatedPattern(re.compile(
    rf"""
    (?:(?<![^\W\d_])dont|,|(?<![^\W\d_])et(?:\s+déjà)?)\s+  # "dont une centaine", ", 45"
    (?P<count>{COUNT})
    (?P<partitive>\s+d['’]entre\s+(?:eux|elles))?  # "et déjà 107 d'entre eux ont adhéré"
    \s+(?:
        (?P<adhesion>{ADHESION})          # joining: needs no noun in the sentence
      | (?:{alternation(_LEX["right_member_cues"])})(?![^\W\d_])
    )
    """,
    re.VERBOSE | re.IGNORECASE,
    # Every match holds a member cue, or joins by "adhéré" or a fee's noun: a sentence without
    # one is not scanned.
), [*_LEX["right_member_cues"], *_LEX["adhesion_verbs"], *_LEX["fee_nouns"]])
PROFESSIONALS_NOUN = re.compile(rf"(?:{NOUN})", re.VERBOSE | re.IGNORECASE)


# "Elle rassemble 90 professionnels": a pronoun subject, continuing the sentence before.
CONTINUING_PRONOUN = re.compile(
    rf"^\s*(?:{alternation(_LEX['continuing_pronouns'])})(?![^\W\d_])", re.IGNORECASE
)
SUBJECT_WORDS = int(_LEX["subject_words"])
# "les CPTS de A (361 professionnels de santé, 612 km², 74 000 habitants)": the figures of a
# CPTS in the brackets after its name; the bracket may open with other figures.
BRACKET_CONTENT = re.compile(r"\(([^()]*)$")


def extract(doc: Document) -> list[Fact]:
    facts = []
    for c in ctx.candidates(doc, PROFESSIONALS):
        if _continues_an_event(doc, c):
            continue
        scope = _members_scope(c)
        lead_in = _gathering_lead_in(doc, c) if scope is None else None
        if lead_in is not None:
            scope = _members_scope(replace(c, left=lead_in), listed=True)
        if scope is not None:
            facts.append(_fact(doc, c, scope))
        elif _in_profile_brackets(c):
            facts.append(_fact(doc, c, "", in_brackets="true"))
    for c in ctx.candidates(doc, BY_PROFESSION):
        if _is_member_detail(c):
            facts.append(_fact(doc, c, "detail"))
    facts.extend(_elliptic(doc))
    return sorted(facts, key=lambda f: f.start)


def _elliptic(doc: Document) -> list[Fact]:
    facts = []
    # Its count is a `COUNT`: a sentence without a number cannot hold one.
    for sentence, m in ctx.numbered_matches(doc, ELLIPTIC_MEMBERS):
        parsed = parse_count(m.group("count"))
        if parsed is None or parsed[0] <= 0:
            continue
        if (
            m.group("partitive") is None
            and not m.group("adhesion")
            and not PROFESSIONALS_NOUN.search(doc.text, sentence.start, m.start())
        ):
            continue
        span = Span(m.start("count"), m.end("count"))
        facts.append(
            Fact(
                kind=FactKind.PROFESSIONALS,
                value=parsed[0],
                start=span.start,
                end=span.end,
                text=doc.text[span.start : span.end],
                extractor="professionals",
                qualifier=parsed[1].value,
            )
        )
    return facts


def _members_scope(c: ctx.Candidate, listed: bool = False) -> str | None:
    """ "" for the CPTS-level count, "detail"/"generic" for evidence only, None to drop.
    `listed`: the count opens a bullet under a lead-in that gathers members."""
    if ctx.is_range(c) or ctx.is_threshold(c) or ctx.is_projection(c):
        return None
    strong = bool(MEMBER_WORD.search(c.noun))
    if EVENT.search(c.left) or EVENT.search(c.right[:40]):
        if not strong:
            return None
    if strong and (GOVERNANCE.search(c.left[-60:]) or GOVERNANCE.search(c.right[:30])):
        return None
    if _other_organisation(c.left[-60:]):
        return None
    if not strong and (DENOMINATOR.search(c.left) or _non_member(c)):
        return None
    member = strong or listed or _verb_just_before(c.left) or RIGHT_MEMBER_CUE.match(c.right)
    if not member:
        return None
    if FOUNDERS.match(c.right) or ctx.is_detail(c):
        return "detail"
    return "generic" if ctx.concerns_several_cpts(c) else ""


def _continues_an_event(doc: Document, c: ctx.Candidate) -> bool:
    """ "Première réunion publique à Carpentras. Elle rassemble 90 professionnels de santé.":
    the pronoun continues the subject of the sentence before, an event, so these are
    attendees. "La CPTS a organisé une soirée. Elle réunit 90 adhérents." stays a membership."""
    sentence_text = doc.text[c.sentence.start : c.start]
    if MEMBER_WORD.search(c.noun) or not CONTINUING_PRONOUN.match(sentence_text):
        return False
    i = bisect.bisect_left(doc.sentences, c.sentence.start, key=lambda s: s.start)
    if i == 0 or i >= len(doc.sentences) or doc.sentences[i] != c.sentence:
        return False
    before = doc.sentences[i - 1]
    if "\n\n" in doc.text[before.end : c.sentence.start]:
        return False  # another paragraph: the pronoun follows no subject there
    # Bounded: the opening words only, so a huge sentence before costs nothing per count.
    head = doc.text[before.start : min(before.end, before.start + 200)]
    opening = " ".join(head.split()[:SUBJECT_WORDS])
    return bool(EVENT.search(opening))


def _in_profile_brackets(c: ctx.Candidate) -> bool:
    """A bare count opening a bracket of figures, with no cue that it is not the CPTS's:
    assemble keeps it only for the CPTS whose name the bracket follows."""
    if ctx.is_range(c) or ctx.is_threshold(c) or ctx.is_projection(c) or ctx.is_detail(c):
        return False
    if EVENT.search(c.left[-60:]) or EVENT.search(c.right[:40]) or _non_member(c):
        return False
    m = BRACKET_CONTENT.search(c.left)
    return m is not None and not ENUMERATED.sub("", m.group(1)).strip()


def _verb_just_before(left: str) -> bool:
    """ "regroupe à date plus de 45": a gathering verb, and no other number since it."""
    window = left[-ENUMERATION_WINDOW:]
    verbs = list(MEMBERSHIP_VERB.finditer(window))
    if not verbs:
        return False
    between = window[verbs[-1].end() :]
    # "réunit plusieurs professions autour d'un projet commun : 87 professionnels": the colon
    # opens the verb's enumeration.
    if len(between) > WINDOW and not (
        ENUMERATED.fullmatch(between) or re.search(r":\s*$", between)
    ):
        return False
    # "La CPTS rassemble 41 communes, 58 000 habitants et 212 professionnels": the verb's
    # enumeration; any other number in between is another count.
    return not re.search(r"\d", ENUMERATED.sub(" ", between))


def _gathering_lead_in(doc: Document, c: ctx.Candidate) -> str | None:
    """ "La CPTS réunit :" / "Ont signé le contrat :" then "• 63 professionnels de santé": the
    lead-in of the bullet the count opens, when it gathers members or names signatories."""
    if c.left.strip(" \u00a0•·▪◦*-–"):
        return None  # the count does not open its bullet
    index = line_index(doc, c.start)
    line = bullet_lead_in(doc, index) if index is not None else None
    lead_in = doc.slice(line) if line else ""
    if MEMBERSHIP_VERB.search(lead_in) or SIGNATORY_LEAD_IN.search(lead_in):
        return lead_in
    return None


def _other_organisation(left: str) -> bool:
    """ "Le conseil de l'ordre départemental compte 95 membres": the last organisation named
    before the count, with no CPTS word after it, owns the members."""
    found = list(OTHER_ORGANISATION.finditer(left))
    return bool(found) and not ctx.CPTS_CUE.search(left, found[-1].end())


def _non_member(c: ctx.Candidate) -> bool:
    return bool(NON_MEMBER.search(c.right[:40]) or NON_MEMBER.search(c.left[-30:]))


def _is_member_detail(c: ctx.Candidate) -> bool:
    if ctx.is_range(c) or ctx.is_threshold(c) or DENOMINATOR.search(c.left):
        return False
    if _non_member(c) or ctx.concerns_other_area(c):
        return False
    context = MEMBER_WORD.search(c.left) or MEMBERSHIP_VERB.search(c.left) or DONT.search(c.left)
    return bool(context) and not EVENT.search(c.left)


def _fact(doc: Document, c: ctx.Candidate, scope: str, **attrs: str) -> Fact:
    return Fact(
        kind=FactKind.PROFESSIONALS,
        value=c.value,
        start=c.start,
        end=c.end,
        text=doc.text[c.start : c.end],
        extractor="professionals",
        qualifier=c.qualifier.value,
        attrs={"scope": scope, **attrs} if scope else attrs,
    )
