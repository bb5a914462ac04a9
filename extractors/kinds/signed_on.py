"""When the ACI / contract was signed or the CPTS officially created: one fact per date mention.

Priority (attrs["priority"], "0" strongest) lets assemble keep the best date per CPTS:
0 = the date follows a signing word ("contrat tripartite signé le 1er décembre 2023"),
1 = the sentence reports a signing or officialisation and opens on its date
    ("Ce lundi 14 octobre 2024, l'ARS et la CPAM ont officialisé la création..."),
2 = a creation date ("CPTS Velay Sud, créée en septembre 2022").
A signing sentence may open on its date ("Le vendredi 18 juin 2021, ...") or set a weekday date
off by commas ("Ils sont venus nombreux, vendredi 10 septembre, pour la signature"), and may
leave its subject (CPTS, ACI...) to the next sentence. "signataires depuis 2020" is a year.
"Sous contrat depuis mai 2021" dates the contract ("sous contrat en 2023" does not).
When such a sentence counts the signing communities without naming one ("les représentants de
quatre communautés professionnelles ... ont signé"), attrs["scope"] = "all".
A sentence may also open on the date itself ("Lundi 18 septembre, dans les locaux ..., la CPTS
a signé"), and a weekday date may follow the verb directly ("paraphé jeudi 19 mai").
An amendment ("ont signé un avenant", "l'avenant signé le") dates nothing: the ACI's own date
("l'accord ... conclu le 14 octobre 2021") is the one kept. A founding meeting ("l'assemblée
générale constitutive") is a creation. A relative clause right after a CPTS name ("après la
CPTS Nord Caraïbe, qui a signé le sien en juin 2022") dates that CPTS: attrs["cpts"].
Yearless months ("Créée en février") take the year of the reference date, or the year before.
Dates without a cue (datelines, a map date "28/06/2024", "fin 2023", "dès 2019") yield nothing.
Yearless dates are resolved against `doc.reference_date`, else the headline's one year
(see extractors/text/dates.py).
"""

from __future__ import annotations

import bisect
import functools
import re

from extractors.kinds.event_clauses import THIRD_PARTY, clause_event, opens_other_event
from extractors.lexicon import load_lexicon
from extractors.text.dates import DateMatch, find_dates, spans_with_dates
from extractors.text.phrases import literal_pattern
from extractors.types import Document, Fact, FactKind, Precision

_CUES = load_lexicon("signed_on_cues.json")


def _words(key: str) -> str:
    words = sorted(_CUES[key], key=len, reverse=True)
    return "|".join(literal_pattern(w) for w in words)


# Cue, then a short gap without punctuation, then the word introducing the date, at the very
# end of the text before the date.
DIRECT_BEFORE = re.compile(
    rf"""
    (?<!\w)
    (?:
        (?P<signature>{_words("direct_signature")})   # "signé le", "ont signé le **jeudi"
      |
        (?P<creation>{_words("direct_creation")})     # "créée en", "constituée le"
    )
    # "officiellement", "à Privas", "son contrat avec l'Assurance maladie et l'ARS Provence-
    # Alpes-Côte d'Azur": no punctuation, and no relative clause of another verb
    (?P<gap>(?:(?!(?<!\w)(?:qui|que|dont|où|puis)(?!\w))[^,.;:()\n]){{0,90}}?)
    (?P<intro>\s+(?:le|en|ce|depuis(?:\s+le)?|au\s+cours\s+du\s+mois\s+de|au\s+mois\s+de|dès\s+le))?
    [\s*_]*$                                          # no intro word: a weekday date only
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A date opening its clause: "Ce vendredi 22 décembre, ...", "le 3 mars dernier, ...".
OPENING = re.compile(
    r"""
    (?:
        (?:^|[,;:(]\s*|\s)          # the clause starts here
        (?:ce|le|ce\s+jour,?\s+le)  # "Ce lundi 14 octobre 2024", "le 3 mars"
      |
        ^                           # "Lundi 18 septembre, dans les locaux...": the sentence
    )                               # opens on the date itself
    [\s*_«"“]*$
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A weekday date set off by commas inside the clause: "Ils sont venus, vendredi 10 septembre, ..."
COMMA_BEFORE = re.compile(r",[\s*_]*$")

# "quatre communautés professionnelles", "deux nouvelles CPTS": the signers, counted.
SIGNERS = re.compile(
    rf"""
    (?<!\w)(?:{_words("signers")}|[2-9]|1\d)
    \s+(?:nouvelles\s+)?
    (?:CPTS|communautés\s+professionnelles)
    """,
    re.VERBOSE | re.IGNORECASE,
)
# A CPTS named in the sentence ("la CPTS du Centre Corse", "CPTS « Bessin »"): attribution's job.
NAMED_CPTS = re.compile(r"CPTS\s+(?:du\s+|de\s+la\s+|des\s+|de\s+|d['’]\s?)?[«“\"A-ZÀ-Ý0-9]")

SENTENCE_SIGNATURE = re.compile(rf"(?<!\w)(?:{_words('sentence_signature')})", re.IGNORECASE)
SENTENCE_OFFICIAL = re.compile(rf"(?<!\w)(?:{_words('sentence_officialisation')})", re.IGNORECASE)
SENTENCE_CREATION = re.compile(rf"(?<!\w)(?:{_words('sentence_creation')})", re.IGNORECASE)
SUBJECT = re.compile(rf"(?<!\w)(?:{_words('sentence_subject')})", re.IGNORECASE)
VETO = re.compile(rf"(?<!\w)(?:{_words('veto')})", re.IGNORECASE)
CREATION_MEETING = re.compile(rf"(?<!\w)(?:{_words('creation_meeting')})", re.IGNORECASE)
AMENDMENT = re.compile(rf"(?<!\w)(?:{_words('amendment')})(?!\w)", re.IGNORECASE)
AMENDMENT_WINDOW = 25  # "l'avenant signé le": the amendment is the object of the cue

# "après la CPTS Nord Caraïbe, qui a signé le sien en juin 2022": a relative clause right after
# a CPTS name dates that CPTS, not the subject of the sentence (attrs["cpts"]); so does one in
# the passive or reflexive ("qui a été créée en 2021", "qui s'est constituée en 2021") and a
# participle set off by a comma ("Après la CPTS du Val Vert, créée en 2021, c'est au tour …").
CAPITALISED = r"[«“\"]?[A-ZÀ-Ý][\w'’-]*[»”\"]?"
RELATIVE_OWNER = re.compile(
    rf"""
    (?P<name>CPTS
        (?:\s+(?:du|de\s+la|des|de|d['’]|l['’]))?\s*{CAPITALISED}   # "CPTS du Grand Bastia"
        (?:\s+(?:(?:et\s+)?(?:du|de|des|de\s+la|d['’]|l['’])\s*)?{CAPITALISED}){{0,5}}
    )
    (?:
        \s*,?\s+(?:qui|laquelle)                                     # ", qui", ", laquelle"
        (?:\s+(?:l['’])?(?:a|avait)(?:\s+été)?                       # "a", "l'a", "a été"
           |\s+(?:est|était|s['’]est|s['’]était))?                    # "est", "s'est"
      | \s*,                                                         # ", créée en 2021"
    )
    \s*$
    """,
    re.VERBOSE,
)

PLURAL_ARTICLE = re.compile(r"(?<!\w)(?:les|des|aux|ces)\s+$", re.IGNORECASE)

THIRD_PARTY_REACH = 80  # characters after the signing verb where what it signs is named

LOOK_BACK = 300  # characters before a date where its cue may sit (cue + gap <= ~100)
VETO_WINDOW = 60  # characters before a direct cue that may say "lettre d'intention signée"
OBJECT_NEEDED = frozenset(w.lower() for w in _CUES["object_needed"])
# "sous contrat depuis mai 2021": a state, which dates the signing only through "depuis"
SINCE_ONLY = frozenset(" ".join(w.lower().split()) for w in _CUES["since_only"])


def extract(doc: Document) -> list[Fact]:
    facts: list[Fact] = []
    for sentence in spans_with_dates(doc.text, doc.sentences):
        for date in find_dates(
            doc.text,
            sentence.start,
            sentence.end,
            reference=doc.reference_date,
            years=True,
            months=True,
            headline_year=doc.headline_year,
        ):
            found = _classify(doc.text, sentence.start, sentence.end, date, _next(doc, sentence))
            if not found:
                # The verb of the date's own clause, on either side, in any form.
                event = clause_event(
                    doc.text,
                    sentence.start,
                    sentence.end,
                    date.start,
                    date.end,
                    year_only=date.precision is Precision.YEAR,
                )
                found = (event.event, event.priority, None) if event else None
            if found:
                event, priority, owner = found
                every = event != "creation" and _all_signers(doc.text, sentence.start, sentence.end)
                facts.append(
                    _fact(doc, date, event, priority, scope="all" if every else None, owner=owner)
                )
    return facts


def _next(doc: Document, sentence) -> str:
    """The sentence after `sentence` in the same paragraph ("" at a paragraph end)."""
    # Bisection, not a scan: a release with thousands of dated sentences stays linear.
    i = bisect.bisect_left(doc.sentences, sentence.end, key=lambda s: s.start)
    if i == len(doc.sentences) or "\n\n" in doc.text[sentence.end : doc.sentences[i].start]:
        return ""
    return doc.slice(doc.sentences[i])


# The sentence-wide checks are cached per sentence (text is the document's own string, so its
# hash is computed once): a sentence holding thousands of dates costs O(sentence), not O(n²).
@functools.lru_cache(maxsize=64)
def _all_signers(text: str, start: int, end: int) -> bool:
    sentence = text[start:end]
    return bool(SIGNERS.search(sentence)) and not NAMED_CPTS.search(sentence)


def _classify(
    text: str, start: int, end: int, date: DateMatch, following: str = ""
) -> tuple[str, int, str | None] | None:
    # The cues sit right before the date: a bounded look-back keeps long sentences linear.
    before = text[max(start, date.start - LOOK_BACK) : date.start]
    if date.start - start > LOOK_BACK:
        before = "\x00" + before  # not a clause start: "^" must not match at the cut
    direct = DIRECT_BEFORE.search(before)
    if direct and (direct.group("intro") or date.weekday is not None):
        window = before[max(0, direct.start() - VETO_WINDOW) : direct.end()]
        if VETO.search(window) or _amends(before, direct):
            return None
        cue = " ".join((direct.group("signature") or "").lower().split())
        if cue in SINCE_ONLY and not (direct.group("intro") or "").lower().strip().startswith(
            "depuis"
        ):
            return None  # "Cinq CPTS sous contrat en 2023"
        if cue in OBJECT_NEEDED and not SUBJECT.search(window + direct.group("gap")):
            return None  # "un partenariat conclu en 2019"
        owner = RELATIVE_OWNER.search(before, max(0, direct.start() - 120), direct.start())
        if owner and PLURAL_ARTICLE.search(before, max(0, owner.start() - 8), owner.start()):
            owner = None  # "les CPTS de A et de B, signataires depuis 2020": both, not one name
        name = owner.group("name") if owner else None
        return ("signature", 0, name) if direct.group("signature") else ("creation", 2, name)
    if date.precision is Precision.YEAR:
        return None
    set_off = date.weekday is not None and COMMA_BEFORE.search(before)
    if not OPENING.search(before) and not set_off:
        return None
    if opens_other_event(text, start, end, date.start):
        return None  # "Après une réunion publique le 5 mai 2022, la CPTS a signé ..."
    found = _sentence_event(text, start, end, following)
    return (*found, None) if found else None


def _amends(before: str, direct: re.Match[str]) -> bool:
    """ "signé un avenant le 28 mars", "l'avenant signé le 28 mars": an amendment's date."""
    if AMENDMENT.search(direct.group("gap")):
        return True
    window = before[max(0, direct.start() - AMENDMENT_WINDOW) : direct.start()]
    found = list(AMENDMENT.finditer(window))
    return bool(found) and not SUBJECT.search(window, found[-1].end())


@functools.lru_cache(maxsize=64)
def _sentence_event(text: str, start: int, end: int, following: str) -> tuple[str, int] | None:
    sentence = text[start:end]
    meeting = CREATION_MEETING.search(sentence)
    if meeting:  # "l'assemblée générale constitutive": not the veto "assemblée générale"
        sentence = CREATION_MEETING.sub(" ", sentence)
    if VETO.search(sentence) or AMENDMENT.search(sentence):
        return None
    if not (SUBJECT.search(sentence) or SUBJECT.search(following)):
        return None
    if meeting:
        return "creation", 2
    if SENTENCE_OFFICIAL.search(sentence):
        return "officialisation", 1
    signed = SENTENCE_SIGNATURE.search(sentence)
    if signed:
        # "a signé une convention de partenariat avec la Ligue": what was signed, up to the end
        # of its clause, is another body's agreement, not the ACI.
        signed_what = sentence[signed.end() : signed.end() + THIRD_PARTY_REACH].split(";")[0]
        return None if THIRD_PARTY.search(signed_what) else ("signature", 1)
    if SENTENCE_CREATION.search(sentence):
        return "creation", 2
    return None


def _fact(
    doc: Document,
    date: DateMatch,
    event: str,
    priority: int,
    scope: str | None = None,
    owner: str | None = None,
) -> Fact:
    return Fact(
        kind=FactKind.SIGNED_ON,
        value=date.iso,
        start=date.start,
        end=date.end,
        text=doc.text[date.start : date.end],
        extractor="signed_on",
        qualifier=str(date.precision),
        attrs={
            "event": event,
            "priority": str(priority),
            **({"scope": scope} if scope else {}),
            **({"cpts": owner} if owner else {}),
        },
    )
