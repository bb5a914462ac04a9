"""The speed shortcuts of extractors/text/prefilter.py must never change what is found.

The gates assume that a lexicon letter, as the phrase patterns write it, only matches
characters with the same `fold`; the first-letter grouping assumes the same. Checked here
over every Unicode character for every letter the lexicons use.
"""

from __future__ import annotations

import itertools
import random
import re
import sys
import unicodedata
from importlib import resources

import pytest

from extractors.lexicon import lexicon_files
from extractors.text.money import MONEY, _matches
from extractors.text.phrases import _ACCENTS, phrase_pattern
from extractors.text.prefilter import GatedAlternation, PhraseGate, first_letter_alternation, fold

ALL_CHARS = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)


def _lexicon_letters() -> set[str]:
    # The raw text of every data file: keys and prose included, a superset of the phrases.
    letters: set[str] = set()
    folder = resources.files("extractors.lexicon")
    for name in lexicon_files():
        if name.endswith((".json", ".csv")):
            text = folder.joinpath(*name.split("/")).read_text("utf-8")
            letters |= {ch for ch in text if ch.isalnum()}
    return letters


def _elements(ch: str) -> list[str]:
    base = unicodedata.normalize("NFD", ch)[0].lower()
    out = [re.escape(ch)]
    if base in _ACCENTS:
        out += [f"[{_ACCENTS[base]}]", f"[{_ACCENTS[base]}{_ACCENTS[base].upper()}]"]
    return out


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_a_lexicon_letter_only_matches_its_own_fold(flags):
    wrong = [
        (ch, m.group())
        for ch in sorted(_lexicon_letters())
        for element in _elements(ch)
        for m in re.finditer(element, ALL_CHARS, flags)
        if fold(m.group()) != fold(ch)
    ]
    assert wrong == []


def test_fold_keeps_length():
    sample = "".join(chr(i) for i in range(0x2500)) + "ſKİı"
    assert len(fold(sample)) == len(sample)


# Every character of the Basic Multilingual Plane (the fold table's) and a sample of the others.
SOME_CHARS = ALL_CHARS[:0xF800] + ALL_CHARS[0xF800::97]


def test_fold_of_latin_1_as_bytes_is_the_fold_of_each_character():
    from extractors.text.prefilter import _FOLD_BMP

    def one_by_one(text: str) -> str:
        return text.lower() if text.isascii() else text.translate(_FOLD_BMP)

    # Each character beside Latin-1 and a "?" (what the bytes hold past Latin-1), in texts
    # mostly Latin-1 (folded as bytes); then texts of all sorts (past Latin-1: one by one).
    pad = "ÀÉèçÿ " + "".join(chr(i) for i in range(0x20, 0x100, 5) if i != 0x3F)
    for i in range(0, len(SOME_CHARS), 2048):
        text = "".join(f"{ch}?é{ch}{pad}" for ch in SOME_CHARS[i : i + 2048])
        assert fold(text) == one_by_one(text)
    rng = random.Random(3)
    pieces = [chr(i) for i in range(0x20, 0x250)] + list("’–€œŒıſKİ?α\U0001f600")
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert fold(text) == one_by_one(text)


def test_number_starts_are_where_runs_of_digits_start():
    from extractors.text.prefilter import number_starts

    digits = re.compile(r"\d+")
    # Decimal digits past Latin-1 ("٣", "３") are digits too.
    for i in range(0, len(SOME_CHARS), 2048):
        text = "".join(f"1{ch}{ch}2?{ch}é " for ch in SOME_CHARS[i : i + 2048])
        assert number_starts(text) == [m.start() for m in digits.finditer(text)]
    rng = random.Random(4)
    pieces = [*"0123456789 ?é’٣３²a", "\U0001d7ce"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert number_starts(text) == [m.start() for m in digits.finditer(text)]


PHRASES = [
    "soins non programmé",
    "accès au médecin traitant",
    "vaccin*",
    "(SAS)",
    "SAS",
    "qualité ... pertinence",
    "prévention",
    "médecin traitant",
]
TEXTS = [
    "La CPTS entend développer la PRÉVENTION et la vaccination ; accès au médecin-traitant.",
    "Soins non-programmés, (SAS) et qualité et la pertinence des soins",
    "Rien à voir ici.",
    "",
    # Keywords inside longer tokens, glued to punctuation, after an apostrophe: the keyword
    # index looks for them among the substrings of white-space separated tokens.
    "Les soinsnon-programmés, l’accèsaumédecin traitant (vaccinations) ; «PRÉVENTION»",
    "médecintraitant médecin traitant, médecin  traitant soins non programmé",
]


# Sentences of one text besides, for the alternation asked about all of them at once
# (finditer_each): phrases that share a first word ("soin", "soins"), start with a sign
# ("(SAS)"), overlap or straddle two sentences.
TEXTS += [
    "Soins non programmés ; soins non-programmés. Le soin non programmé, (SAS) et SAS.",
    "Médecin traitant. Accès au médecin traitant : accès au médecin-traitant.",
    "Qualité. Et pertinence ; qualité et la pertinence des soins, vaccinations",
]


@pytest.mark.parametrize(
    ("starts_with_phrase", "word_start"), [(False, False), (True, False), (True, True)])
@pytest.mark.parametrize("text", TEXTS)
def test_gated_alternation_finds_what_the_full_alternation_finds(
    text, starts_with_phrase, word_start,
):
    from extractors.text.prefilter import KEYWORDS  # the index every gate registers with
    phrases = [*PHRASES, "soin non programmé", "soins"]
    branches = [(p, f"(?:{phrase_pattern(p)})") for p in phrases]
    full = re.compile("|".join(s for _, s in branches), re.IGNORECASE)
    gated = GatedAlternation(branches, re.IGNORECASE, starts_with_phrase=starts_with_phrase,
                             word_start=word_start)
    windows = [(0, len(text)), (5, len(text) - 3), (0, 10), (-4, 10**6)]
    for pos, endpos in windows:
        expected = [m.span() for m in full.finditer(text, pos, endpos)]
        assert [m.span() for m in gated.finditer(text, pos, endpos)] == expected
        assert bool(gated.search(text, pos, endpos)) == bool(expected)
        assert gated.may_match(text, pos, endpos) or not expected
        assert PhraseGate(phrases).may_match(fold(text), pos, endpos) or not expected
    # Every sentence at once, and the windows above.
    cuts = [0, *(m.end() for m in re.finditer(r"[.;:,]\s*", text)), len(text)]
    spans = [(a, b) for a, b in itertools.pairwise(cuts) if b > a] + windows
    presents = [KEYWORDS.present(fold(text[max(a, 0) : b])) for a, b in spans]
    assert [[m.span() for m in ms] for ms in gated.finditer_each(text, spans, presents)] == [
        [m.span() for m in full.finditer(text, a, b)] for a, b in spans
    ]


def test_first_letter_alternation_matches_like_the_plain_one():
    words = [
        "Loire",
        "Haute-Loire",
        "loir",
        "Ain",
        "Aisne",
        "Hautes-Alpes",
        "Lot",
        "Lot-et-Garonne",
    ]
    words.sort(key=len, reverse=True)
    text = "la Haute-Loire, le Lot-et-Garonne, l'Aisne, LOIRE, loir, Ainsi, Hautes Alpes"
    for flags in (0, re.IGNORECASE):
        plain = re.compile("|".join(map(re.escape, words)), flags)
        grouped = re.compile(first_letter_alternation(words, re.escape), flags)
        assert [m.span() for m in grouped.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ]



# Pieces of which amounts, near-amounts and their surroundings are made: numbers in digits
# and in words, separators, scales, units, and what stops an amount (capitals, brackets).
MONEY_PIECES = [
    "1", "15", "457", "000", "500", ",", ".", ",5", " ", "  ", "\u00a0", "\u202f", "\n", "-",
    "quinze", "mille", "cent", "cinquante", "et", "un", "une", "deux", "vingts", "d'", "d’",
    "million", "millions", "milliard", "milliards", "k", "K", "M", "Md", "€", "euros", "euro",
    "Euros", "EUR", "EUROS", "La", "aide", "de", "(", ")", ":", "é", "x", "2nd", "%", "_",
]


def test_money_found_before_units_only_as_a_full_scan_finds_it():
    rng = random.Random(20261207)
    texts = [
        "".join(rng.choice(MONEY_PIECES) for _ in range(rng.randint(1, 40)))
        for _ in range(20_000)
    ]
    texts += [
        "La CPTS reçoit 50 000 € par an, puis 1,2 million d'euros et cent cinquante mille euros.",
        "Aide : 15 k€ (ARS), 2 M€ ; 3 Md€ ; 300.000 EUR ; 12 €€ 12 euros12 € 1 000 000 000 €",
        "quinze mille - deux cents\n euros et un million d’ euros, un million€",
    ]
    for text in texts:
        assert [m.span() for m in _matches(text)] == [m.span() for m in MONEY.finditer(text)]


def _department_pieces() -> list[str]:
    from extractors.kinds import departments

    context = departments._CONTEXT
    names = [*departments.CODE_BY_NAME, *(d["demonym"] for d in departments._DEMONYMS)]
    phrases = context["traps"] + context["geo_nouns"] + context["bank_phrases"]
    return [
        *names, *(n.upper() for n in names[::7]), *(fold(n) for n in names[::5]), *phrases,
        "Port-Saint", "Louis", "Saint-Martin", "l'", "d’", "du", "de la", "sur", "à", "le", "la",
        " ", " ", " ", "\u00a0", "-", "--", "'", "’", "(", ")", ".", ",", "@", "Haut-", "Basse-",
        "s", "es", "ne", "x", "2", "é", "ǅ", "\n", "CPAM", "(26)", *context["code_prefixes"],
        "38", "2A", "(2B)", "_", "et", "ou", ":",
    ]


@pytest.mark.parametrize("which", ["name", "trap", "demonym", "code"])
def test_department_patterns_tried_at_their_first_words_find_what_a_full_scan_finds(which):
    from extractors.kinds import departments

    pattern = {"name": departments.NAME, "trap": departments.TRAP,
               "demonym": departments.DEMONYM, "code": departments.CODE}[which]
    gated = getattr(departments, f"{which}_matches")
    pieces = _department_pieces()
    rng = random.Random(which)
    for _ in range(4_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 24)))
        assert [m.span() for m in gated(text)] == [m.span() for m in pattern.finditer(text)]


def test_geo_lists_looked_for_from_their_nouns_are_found_as_a_full_scan_finds_them():
    from extractors.kinds import departments

    nouns = departments._CONTEXT["geo_nouns"]
    pieces = [*(f"{n} " for n in nouns), *(f"{n.upper()} " for n in nouns[::4]), "a", "x", "é",
              "2", "_", "-", " ", "\u00a0", "\n", "du Doubs", "de la Loue", "de l'Ognon",
              "d’Aigues", ", ", " et ", " ou ", ", de la ", " et du ", " ou de l'", "."]
    rng = random.Random(21)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 120))) for _ in range(300)]
    # A list of 200 characters after an "x": the window before "Ain" starts at "val", a noun
    # that is a word of its own only there.
    word = "A" + "a" * 30
    texts.append(f"xval du Doubs {word} {word} {word}, du Jura {'B' * 24} {'B' * 24} {'B' * 25}"
                 " et du Ain")
    found = 0
    for text in texts:
        for start in range(len(text) + 1):
            window = text[max(0, start - departments.GEO_LIST_REACH) : start]
            expected = departments.GEO_LIST_BEFORE.search(window) is not None
            assert departments._geo_list_before(text, start) == expected
            found += expected
    assert found  # the lists were there to find


def test_cpts_mention_heads_found_as_a_full_scan_finds_them():
    from extractors.kinds import cpts_mentions as cm

    pieces = ["CPTS", "cpts", "Cpts", " ", "\u00a0", ")", "(", "sur le territoire", "pour le",
              "territoire", "territoriale", "extraterritoriales", "de santé", "de sante", "Celles",
              "celle", "ceux", "CEUX", "Communauté", "communautés", "professionnelle",
              "professionnelles et", "territoriale", "nouvelle", "x", "é", ",", "\n"]
    rng = random.Random(16)
    for _ in range(4_000):
        text = "".join(
            rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 16))
        )
        for pattern, gated in [(cm.FULL_FORM, cm.full_forms),
                               (cm.TERRITORY, cm.territory_phrases),
                               (cm.PASSING, cm.passing_phrases)]:
            assert [m.span() for m in gated(text)] == [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize("text", [
    "Les CPTS.", "la CPTS, qui", "des CPTS (communautés)", "les CPTS : un collectif",
    "la CPTS ) et", "la CPTS - Pays", "la CPTS\n« Sud »", "la CPTS_x", "la CPTS… Nord",
    "la CPTS « Sud Loire »", "la CPTS \"Ouest\"", "la CPTS – Pays", "la CPTS 13", "la CPTS é",
])
def test_cpts_word_followed_by_no_name_is_skipped_only_where_nothing_follows(text):
    from extractors.kinds import cpts_mentions as cm

    pos = text.index("CPTS") + len("CPTS")
    if cm.NAME_OPENS.match(text, pos) is None:
        for via in ("cpts", "weak"):
            for plural in (False, True):
                assert cm._after_head(text, 0, pos, via, plural) == []
    else:
        assert text[pos:].lstrip(" \t\u00a0\u202f")[:1] not in ".,():\n-_…"


@pytest.mark.parametrize("left", [
    "CPTS de taille 1 : < à ", "une population inférieure à ", "INFÉRIEURE A\u00a0", "le seuil de ",
    "au-dessus de ", ">= ", "≤", "en deçà DE  ", "La CPTS couvre ", "compte environ ", "", " ",
    "passée de 52.000 à ", "supérieurs à 80 000 et ", "au-dessous de\n",
])
def test_threshold_searched_only_after_a_threshold_ending_finds_what_the_search_finds(left):
    from extractors.kinds import counts

    c = counts.Candidate(0, 0, 0, 1, None, "habitants", left, "", None)
    assert counts.is_threshold(c) == bool(counts.THRESHOLD_LEFT.search(left))


@pytest.mark.parametrize("head", [
    "oncernant les ", "et des\u00a0", "Les deux ", "  LES ", "leſ ", "ous Dix  ", "grâce à la ",
    "sur une ", "fin des\n", "", " ", "huitaines ", "s", "(sept)",
])
def test_plural_before_a_cpts_word_read_from_its_last_letter_as_the_search_reads_it(head):
    from extractors.kinds import cpts_mentions as cm

    assert cm._plural_before(head) == (cm.PLURAL_BEFORE.search(head) is not None)


@pytest.mark.parametrize("text, endowed", [
    ("Après le Queyras, doté d'une CPTS depuis 2020, le Champsaur", True),
    ("le Pays, DÉJÀ ÉQUIPÉ D’UNE CPTS", False),
    ("les vallées, équipées d’une\u00a0CPTS, et la Bresse", True),
    ("le Sud, pourvus d'une CPTS", True),
    ("une équipe dotée d'une CPTSE", False),
    ("l'équipe d'une CPTS et sa dotation", False),
    ("Le Val, Doté d'une CPTS", False),
])
def test_endowed_tail_tried_at_its_participles_is_found_as_a_search_finds_it(text, endowed):
    from extractors.kinds import cpts_mentions as cm

    assert cm.has_endowed_tail(text) is endowed
    assert (cm.ENDOWED_TAIL_RE.search(text) is not None) is endowed


def test_agent_phrases_tried_at_their_verbs_find_what_a_full_scan_finds():
    from extractors.kinds import mission_vetoes as vetoes

    pieces = [*vetoes._LEX["agent_verbs"], *(v.upper() for v in vetoes._LEX["agent_verbs"]),
              "organisée", "menés", "réorganisé", "par", "la", "le", "les", "l'", "l’", "Ligue",
              "ARS", "CPTS", " ", "  ", "\n", "-", ",", "é", "x", "2"]
    rng = random.Random(17)
    for _ in range(4_000):
        text = "".join(
            rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 16))
        )
        found = vetoes.agent_in(text)
        expected = vetoes.AGENT_PATTERN.search(text)
        assert (found and found.span()) == (expected and expected.span())


def test_dates_tried_at_their_first_words_find_what_a_full_scan_finds():
    from extractors.text import dates

    pieces = [*dates.MONTHS, *dates.WEEKDAYS, "Décembre", "JUIN", "Lundi", "1er", "1ᵉʳ", "14",
              "2024", "1999", "3", "/", ".", "-", " ", " ", "\u00a0", "\n", "le", "en", "x", "é",
              "au mois de", "_", "*", "24/06/2021", "2022-04-05", "2022-04", "^{er}^", "décembreX",
              "20", "19", "2", "0", "\u0662\u0660"]
    rng = random.Random(18)
    for _ in range(6_000):
        text = "".join(
            rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 14))
        )
        for start, end in [(0, len(text)), (rng.randint(0, len(text)), rng.randint(0, len(text)))]:
            found = [m.span() for m in dates.date_matches(text, start, end)]
            assert found == [m.span() for m in dates.DATE.finditer(text, start, end)]
            has_month = any(m.group("month") or m.group("mmonth")
                            for m in dates.DATE.finditer(text, start, end))
            assert dates._has_month(text, start, end) or not has_month
            yearless = next(dates.YEARLESS_MONTH.finditer(text, start, end), None)
            assert dates._has_month(text, start, end) or yearless is None
            has_year = dates.YEAR_DIGITS.search(text, start, end) is not None
            assert dates._has_year(text, start, end) == has_year


def test_spans_with_dates_are_those_whose_gates_let_a_date_through():
    from extractors.text import dates
    from extractors.types import Span

    pieces = [*dates.MONTHS, "Décembre", "JUIN", "2024", "1999", "20", "19", "2", "0", "14",
              "\u0662\u0660", " ", ". ", "\n", "x", "é", "-", "marsupial"]
    rng = random.Random(28)
    for _ in range(4_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        cuts = sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, rng.randint(0, 6))))
        spans = [Span(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
        expected = [s for s in spans if dates._has_year(text, s.start, s.end)
                    or dates._has_month(text, s.start, s.end)]
        assert dates.spans_with_dates(text, spans) == expected


def test_counts_tried_where_a_count_starts_find_what_a_full_scan_finds():
    from extractors.kinds import communes, population, professionals
    from extractors.text import numbers
    from extractors.text.prefilter import matches_from

    patterns = [population.POPULATION_NOUN, communes.COMMUNES, communes.TOWNS,
                professionals.PROFESSIONALS, professionals.BY_PROFESSION]
    qualifiers = [p for ps in numbers._QUALIFIERS.values() for p in ps]
    pieces = [*qualifiers, *(q.upper() for q in qualifiers[::3]), *numbers._WORDS, "Vingt",
              "une", "un", "Une", "bonne", "centaine", "millier", "1", "47", "000", "1,2",
              "millions", "(1)", "[2]", "%", "°", "/", ".", ",", "-", "d'", " ", "\u00a0", "\n",
              "habitants", "communes", "professionnels de santé", "adhérents", "médecins",
              "villes", "x", "é", "L", "ème"]
    rng = random.Random(19)
    for _ in range(3_000):
        text = "".join(
            rng.choice(pieces) + rng.choice(["", " ", " "]) for _ in range(rng.randint(1, 14))
        )
        starts = numbers.count_starts(text)
        for start, end in [(0, len(text)), (rng.randint(0, len(text)), rng.randint(0, len(text)))]:
            for pattern in patterns:
                found = [m.span() for m in matches_from(pattern, text, starts, start, end)]
                assert found == [m.span() for m in pattern.finditer(text, start, end)]


def test_elliptic_members_skip_only_texts_without_a_member_cue():
    from extractors.kinds import professionals

    lex = professionals._LEX
    cues = [*lex["right_member_cues"], *lex["adhesion_verbs"], *lex["fee_verbs"],
            *lex["fee_nouns"], *lex["adhesion_adverbs"]]
    pieces = [*cues, *(c.upper() for c in cues[::3]), "dont", "Dont", ",", "et", "et déjà", "ont",
              "leur", "sa", "d'entre eux", "une centaine", "45", "1 200", "trois", " ", " ",
              "\u00a0", "\n", "x", "é", "adhérents", "professionnels"]
    rng = random.Random(22)
    found = 0
    for _ in range(4_000):
        text = "".join(
            rng.choice(pieces) + rng.choice(["", " ", " "]) for _ in range(rng.randint(1, 14))
        )
        expected = [m.span() for m in professionals.ELLIPTIC_MEMBERS.pattern.finditer(text)]
        assert [m.span() for m in professionals.ELLIPTIC_MEMBERS.finditer(text)] == expected
        found += len(expected)
    assert found  # the cues were there to find


def test_elliptic_amounts_skip_only_sentences_without_a_group_of_digits(monkeypatch):
    from extractors.kinds import amount_elliptic
    from extractors.text.document import build_document
    from extractors.text.money import find_money

    lex = amount_elliptic._LEX
    pieces = [*lex["financing_nouns"], *lex["annual_words"], *lex["ceiling_words"],
              *lex["words_after"], "et", "ou", "75 000", "225.000", "1 000 000", "12", "2024",
              "000", " ", " ", "\u00a0", ". ", ".", ",", "\n", "€", "La", "x", "(", ")"]
    rng = random.Random(20)
    texts = [
        "".join(rng.choice(pieces) + rng.choice(["", " ", " "]) for _ in range(rng.randint(1, 30)))
        for _ in range(1_500)
    ]
    docs = [build_document("t", text) for text in texts]

    def spans():
        return [[(m.start, m.end) for m in amount_elliptic.find(d, find_money(d.text))]
                for d in docs]

    gated = spans()
    monkeypatch.setattr(amount_elliptic, "A_GROUP", re.compile(r"[\s\S]"))  # every sentence
    assert gated == spans()
    assert any(gated)


def _count_documents(seed: int, extra: list[str]) -> list:
    from extractors.text import numbers
    from extractors.text.document import build_document

    pieces = [*extra, *numbers._WORDS[::3], "une centaine", "près de", "47 000", "12", "2024",
              "habitants", "communes", "Communes", "COMMUNES", "commune", "de", "d'", "et", ",",
              ":", " ", " ", ". ", "\n", "La CPTS", "Saint-Jean", "Aubagne", "x", "("]
    rng = random.Random(seed)
    texts = [
        "La CPTS couvre les communes de Aubagne, Gémenos et Cassis. Elle regroupe 12 communes.",
        "Elle englobe les COMMUNES de Roquevaire et Auriol.\nUne population d'environ 90.000.",
        "Le territoire regroupant les Communes suivantes : Cuges, Belcodène et La Bouilladisse",
    ]
    texts += [
        "".join(rng.choice(pieces) + rng.choice(["", " ", " "]) for _ in range(rng.randint(1, 30)))
        for _ in range(1_500)
    ]
    return [build_document("t", text) for text in texts]


def _facts(extract, docs) -> list:
    out = []
    for d in docs:
        try:
            out.append([(f.start, f.end, f.value, dict(f.attrs)) for f in extract(d)])
        except ValueError as error:  # "les COMMUNES de A et B" gives a span of -1 (a bug)
            out.append(repr(error))
    return out


def test_enumerated_communes_skip_only_sentences_without_the_word(monkeypatch):
    from extractors.kinds import communes

    verbs = communes._LEX["enumeration_verbs"]
    docs = _count_documents(21, [*verbs, *(v.capitalize() for v in verbs), "les", "suivantes"])
    gated = _facts(communes.extract, docs)
    monkeypatch.setattr(communes, "ENUMERATED_WORD", "")  # every sentence is scanned
    assert gated == _facts(communes.extract, docs)
    assert any(f[3].get("derived") == "enumeration"
               for facts in gated if isinstance(facts, list) for f in facts)


def test_population_of_skips_only_sentences_without_a_number_or_its_phrase(monkeypatch):
    from extractors.kinds import counts, population

    phrases = population._LEX["population_of"]
    docs = _count_documents(22, [*phrases, *(p.capitalize() for p in phrases), "environ"])
    gated = _facts(population.extract, docs)
    monkeypatch.setattr(counts, "numbered_matches", _every_sentence)
    assert gated == _facts(population.extract, docs)
    assert any(gated)


def _every_sentence(doc, gated):
    """`counts.numbered_matches` without its gates: the pattern over every sentence."""
    for s in doc.sentences:
        for m in gated.pattern.finditer(doc.text, s.start, s.end):
            yield s, m


def test_elliptic_members_in_numbered_sentences_are_those_of_every_sentence(monkeypatch):
    from extractors.kinds import counts, professionals

    lex = professionals._LEX
    cues = [*lex["right_member_cues"][::2], *lex["adhesion_verbs"], *lex["fee_nouns"]]
    docs = _count_documents(27, [*cues, "dont", "Dont", "ont", "d'entre eux", "une centaine",
                                 "professionnels", "adhérents"])
    gated = _facts(professionals.extract, docs)
    monkeypatch.setattr(counts, "numbered_matches", _every_sentence)
    assert gated == _facts(professionals.extract, docs)
    assert any(gated)


def test_count_candidates_from_numbered_sentences_are_those_of_every_sentence(monkeypatch):
    from extractors.kinds import communes, counts, population, professionals

    docs = _count_documents(28, ["médecins", "adhérents", "professionnels de santé", "villes",
                                 "personnes", "Habitants", "dont", "regroupe", "environ"])
    patterns = [population.POPULATION_NOUN, communes.COMMUNES, communes.TOWNS,
                professionals.PROFESSIONALS, professionals.BY_PROFESSION]

    def found():
        return [[(c.start, c.end, c.value) for p in patterns for c in counts.candidates(d, p)]
                for d in docs]

    gated = found()
    monkeypatch.setattr(counts, "_NOUN_GATES", {})  # every sentence, every start in it
    assert gated == found()
    assert any(gated)


def test_explicit_size_classes_skip_only_sentences_without_a_size_word(monkeypatch):
    from extractors.kinds import size_class

    words = size_class._LEX["size_words"]
    docs = _count_documents(23, [*words, *(w.upper() for w in words), "Taille", "II", "IV",
                                 "3", "n°", ":", "tailles", "détaillé"])
    gated = _facts(size_class.extract, docs)
    monkeypatch.setattr(size_class, "SHARED_WORDS", [])  # every sentence is scanned
    assert gated == _facts(size_class.extract, docs)
    assert any(gated)


def test_count_gates_read_from_a_sentence_keywords_answer_as_its_text_does():
    from extractors.kinds import counts, size_class
    from extractors.text.numbers import NUMBER_WORDS_GATE
    from extractors.text.prefilter import folded, window_keywords

    gates = [*counts._NOUN_GATES.values(), *size_class.BUCKET_GATES, NUMBER_WORDS_GATE]
    docs = _count_documents(24, [*size_class._LEX["this_cpts_cues"],
                                 *size_class._LEX["population_nouns"], "médecins", "Infirmiers"])
    for doc in docs:
        for s in doc.sentences:
            present = window_keywords(doc.text, s.start, s.end)
            for gate in gates:
                expected = gate.may_match(folded(doc.text), s.start, s.end)
                assert gate.may_match_in(present) == expected


def test_inline_bullets_found_from_their_signs_are_those_of_the_full_scan():
    from extractors.text.document import INLINE_BULLET, inline_bullets

    rng = random.Random(25)
    pieces = [*" \t\u00a0•●▪◦\uf0b7\uf0a7ab\n.", "  ", " • ", "x", "é"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        start, end = rng.randint(0, len(text)), rng.randint(0, len(text) + 2)
        expected = [m.span() for m in INLINE_BULLET.finditer(text, start, end)]
        assert inline_bullets(text, start, end) == expected


def test_line_spans_by_str_methods_are_those_of_the_line_pattern():
    from extractors.text.document import LINE, line_spans

    rng = random.Random(26)
    # Every kind of white space `\s` and str.strip agree on, breaks and page breaks included.
    pieces = [*" \t\n\f\r\x0b\x1c\x1f\x85\u00a0\u2028\u3000", "ab", "é.", "\n\n", "x"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert [(s.start, s.end) for s in line_spans(text)] == [
            m.span() for m in LINE.finditer(text)
        ]


def test_place_counts_read_off_the_territory_needles_are_those_of_a_full_scan():
    from extractors.kinds import places

    count = re.compile(r"\d(?=[ \u00a0]+(?:communes|villes))")
    rng = random.Random(27)
    pieces = ["12", "3", "٣", "communes", "villes", "ville", "commune", "intercommunes", " ",
              "\u00a0", "x", "é", ". ", "territoire", "Villes"]
    found = 0
    for _ in range(5_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        plain = fold(text)
        stems = places._territory_sentences(plain, [0], [len(plain)])
        expected = [m.start() for m in count.finditer(plain)]
        assert places._count_starts(plain, stems.count_hits) == expected, text
        found += len(expected)
    assert found > 100  # the counts were there to find


@pytest.mark.parametrize("word", ["CPTS", "ARS", "A", "Al", "ÉCOLE", "Ébène", "ŒIL", "Œuvre",
                                  "AÏ", "DÉPARTEMENT", "St", "X2", "AB12", "ÀB", "ÞÖ", "ŸA"])
def test_place_words_are_acronyms_as_the_pattern_says(word):
    from extractors.kinds import places

    assert places._word(word).acronym == (places.ACRONYM.fullmatch(word) is not None)


def test_a_line_ends_a_sentence_as_the_pattern_says():
    from extractors.text.document import ENDS_SENTENCE, ends_sentence

    rng = random.Random(27)
    pieces = [*".!?…:;»\"”)", *" \t\n\f\r\x0b\x1c\x85\u00a0\u2028\u3000", "ab", "é", "(", "«"]
    for _ in range(20_000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert ends_sentence(line) == (ENDS_SENTENCE.search(line) is not None), repr(line)


def test_a_line_reads_as_a_heading_as_the_pattern_says():
    from extractors.text.headings import HEADING_END, MAX_HEADING, reads_as_heading

    rng = random.Random(29)
    pieces = [*".!?…;:,»)", *" \t\n\f\r\x0b\x1c\x85\u00a0\u2028", "Ab", "é", "É", "CPTS", "2024"]
    for _ in range(20_000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        expected = (len(line) <= MAX_HEADING and line[:1].isupper()
                    and not HEADING_END.search(line))
        assert reads_as_heading(line) == expected, repr(line)


@pytest.mark.parametrize("text", ["Avignon", "Saint-Genis-Laval et Irigny", "Lyon 5e",
                                  "St Hippolyte du Fort", "Port\u00a0Vendres", "Ard’Drôm",
                                  "Val d'Ozon", "Lyon 13ème", "Pont-à-Mousson", "L’Isle-d’Abeau",
                                  "CPTS Croix-Rousse Presqu", "Œuvre"])
def test_place_run_tokens_split_at_joins_are_those_of_the_token_pattern(text):
    from extractors.kinds import places

    run = places.RUN.fullmatch(text).group()
    tokens = [(m.start(), m.end(), m.group()) for m in places.TOKEN.finditer(run)]
    texts = places._tokens(run)
    assert texts == [t for _, _, t in tokens]
    assert list(places._offsets(run, texts)) == tokens


@pytest.mark.parametrize(
    "text",
    [
        "La CPTS a coordonné les centres de dépistage.",
        "Elle S’EST mobilisée dès mars ; les soignants ſe ſont mobiliſés.",
        "Les médecins qui a priori ont été consultés, l'a organisé, À organisé.",
        "AVAIENT déjà réalisé — Ont été organisés, avions aussi proposé",
        "Rien au passé ici.",
    ],
)
def test_past_verb_looked_for_at_its_auxiliaries_finds_what_a_full_scan_finds(text):
    from extractors.kinds import mission_vetoes as vetoes
    # The look-ahead on the auxiliaries' first letters only spares positions.
    full = re.compile(vetoes.PAST_VERB.pattern.replace("(?=[aos])", "", 1), vetoes.PAST_VERB.flags)
    assert full.pattern != vetoes.PAST_VERB.pattern
    assert [m.span() for m in full.finditer(text)] == [
        m.span() for m in vetoes.PAST_VERB.finditer(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Soins non programmés ; prévention (dépistage), « coordination » : fin.",
        "Un parcours – du domicile à l'hôpital — sans rupture\n– et un suivi",
        "Sans tiret ni signe de ponctuation",
        "Tiret–collé et—collé, puis un tiret – seul.",
    ],
)
def test_clause_breaks_without_a_dash_are_those_of_the_full_pattern(text):
    from extractors.kinds import mission_concepts, mission_vetoes
    for breaks in (mission_concepts.CLAUSE_BREAK, mission_vetoes.CLAUSE_BREAK):
        for start, end in [(0, len(text)), (3, len(text) - 2)]:
            assert [m.span() for m in breaks.finditer(text, start, end)] == [
                m.span() for m in breaks.pattern.finditer(text, start, end)]
