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
Choices: "huit membres fondateurs" and counts by profession ("dont 13 médecins généralistes")
give attrs scope "detail" (evidence, not the total); members of the bureau give nothing; a
total over several CPTS gives scope "generic"; ranges give nothing.
"""

from __future__ import annotations

import re

from extractors.kinds import counts as ctx
from extractors.lexicon import load_lexicon
from extractors.text.numbers import COUNT, alternation, parse_count
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
ELLIPTIC_MEMBERS = re.compile(
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
)
PROFESSIONALS_NOUN = re.compile(rf"(?:{NOUN})", re.VERBOSE | re.IGNORECASE)


def extract(doc: Document) -> list[Fact]:
    facts = []
    for c in ctx.candidates(doc, PROFESSIONALS):
        scope = _members_scope(c)
        if scope is not None:
            facts.append(_fact(doc, c, scope))
    for c in ctx.candidates(doc, BY_PROFESSION):
        if _is_member_detail(c):
            facts.append(_fact(doc, c, "detail"))
    facts.extend(_elliptic(doc))
    return sorted(facts, key=lambda f: f.start)


def _elliptic(doc: Document) -> list[Fact]:
    facts = []
    for sentence in doc.sentences:
        for m in ELLIPTIC_MEMBERS.finditer(doc.text, sentence.start, sentence.end):
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


def _members_scope(c: ctx.Candidate) -> str | None:
    """ "" for the CPTS-level count, "detail"/"generic" for evidence only, None to drop."""
    if ctx.is_range(c) or ctx.is_threshold(c) or ctx.is_projection(c):
        return None
    strong = bool(MEMBER_WORD.search(c.noun))
    if EVENT.search(c.left) or EVENT.search(c.right[:40]):
        if not strong:
            return None
    if strong and (GOVERNANCE.search(c.left[-60:]) or GOVERNANCE.search(c.right[:30])):
        return None
    if not strong and (DENOMINATOR.search(c.left) or _non_member(c)):
        return None
    member = strong or _verb_just_before(c.left) or RIGHT_MEMBER_CUE.match(c.right)
    if not member:
        return None
    if FOUNDERS.match(c.right) or ctx.is_detail(c):
        return "detail"
    return "generic" if ctx.concerns_several_cpts(c) else ""


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


def _non_member(c: ctx.Candidate) -> bool:
    return bool(NON_MEMBER.search(c.right[:40]) or NON_MEMBER.search(c.left[-30:]))


def _is_member_detail(c: ctx.Candidate) -> bool:
    if ctx.is_range(c) or ctx.is_threshold(c) or DENOMINATOR.search(c.left):
        return False
    if _non_member(c) or ctx.concerns_other_area(c):
        return False
    context = MEMBER_WORD.search(c.left) or MEMBERSHIP_VERB.search(c.left) or DONT.search(c.left)
    return bool(context) and not EVENT.search(c.left)


def _fact(doc: Document, c: ctx.Candidate, scope: str) -> Fact:
    return Fact(
        kind=FactKind.PROFESSIONALS,
        value=c.value,
        start=c.start,
        end=c.end,
        text=doc.text[c.start : c.end],
        extractor="professionals",
        qualifier=c.qualifier.value,
        attrs={"scope": scope} if scope else {},
    )
