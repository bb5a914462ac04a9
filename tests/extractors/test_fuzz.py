"""Property tests: every registered extractor, and assemble, are total on any text.

Rule 1 of the house: odd text gives `[]`, never an exception. Rule 2: every fact carries its
evidence, `doc.text[start:end] == fact.text`. Hypothesis feeds random unicode, huge numbers,
long runs of digits and spaces, nested brackets and French-looking fragments assembled from
the extractors' own lexicons (so the generated text actually reaches the deep code paths).

The budget is bounded and deterministic (derandomize=True): the same examples run in CI.
"""

from __future__ import annotations

import datetime as dt
import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import extractors
from extractors.assemble.assemble import assemble
from extractors.lexicon import lexicon_files, load_lexicon
from extractors.records import Assembly
from extractors.text.document import build_document
from extractors.types import Document, Fact, FactKind

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module", autouse=True)
def _no_prefect_websocket_meanwhile():
    """Hypothesis warns when the global `random` changes during a draw: a fresh clone's suite
    showed it in 2 runs of 3. Not our strategies: Prefect's events client, left connected by an
    earlier in-process flow in the same test worker, pings its websocket from a background
    thread (keep-alive, checkpoints), and websockets takes each ping's payload from the global
    `random`. Its services are stopped before these tests; the next flow starts them again."""
    if "prefect.events.worker" in sys.modules:
        from prefect.events.worker import EventsWorker

        EventsWorker.drain_all(timeout=10)
    yield


def _lexicon_words() -> list[str]:
    """Every string (keys and values) of the JSON lexicons, minus the prose comments."""
    words: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if not key.startswith("_"):
                    words.add(key)
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str) and len(node) < 80:
            words.add(node)

    for name in lexicon_files():
        if name.endswith(".json"):
            walk(load_lexicon(name))
    return sorted(words)


FRENCH = [
    "CPTS", "CPTS ", "Communauté professionnelle territoriale de santé", "la CPTS du Val",
    "habitants", "communes", "professionnels de santé", "€", " €", "euros", "M€", "k€",
    "millions", "par an", "présidée par", "président", "Dr", "le Dr Jean Martin",
    "janvier", "février", "1er", "14 octobre 2024", "signé le", "Ce lundi", "Valence, le",
    "Drôme", "Ardèche", "(26)", "2A", "département", "ARS", "Assurance maladie", "ACI",
    "près de", "plus de", "environ", "soit", "%", "taille 2", "catégorie", "’", "'", "\u00a0",
    "\u202f", " ", "\n", "\n\n", "\f", ".", ",", ";", ":", "«", "»", "-", "–", "•", "(", ")",
    "[", "]", "0", "1", "9", "000", " 000", ".000", "2016", "1850", "2099",
]
FRAGMENTS = st.sampled_from(sorted(set(FRENCH) | set(_lexicon_words())))


def _digits_and_spaces() -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789 .,\u00a0\u202f", min_size=1, max_size=400)


def _nested_brackets() -> st.SearchStrategy[str]:
    return st.integers(1, 200).flatmap(
        lambda n: st.sampled_from(["(" * n + ")" * n, "[" * n, "« " * n + "CPTS", "(CPTS " * n])
    )


def _huge_numbers() -> st.SearchStrategy[str]:
    return st.integers(-(10**40), 10**40).map(str).flatmap(
        lambda n: st.sampled_from([f"{n} habitants", f"{n} €", f"{n} communes",
                                   f"le {n} octobre {n}", f"{n} professionnels", n])
    )


MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre", "decembre", "13e mois"]
SLOTS = {
    "name": st.sampled_from(["Porte de Drôme Ardèche", "du Val", "", "Croix-Rousse (Lyon 4e)",
                             "CPTS", "de la de la de", "Sud-Ouest 2A", "« Grand Sud »"]),
    "num": st.one_of(st.integers(0, 10**12).map(str),
                     st.integers(0, 10**9).map(lambda n: f"{n:,}".replace(",", "\u00a0")),
                     st.integers(0, 10**9).map(lambda n: f"{n:,}".replace(",", ".")),
                     st.sampled_from(["", "un", "une centaine", "deux", "0", "-3", "1,5"])),
    "month": st.sampled_from(MONTHS),
    "day": st.sampled_from(["1er", "0", "14", "31", "32", "99", "lundi 14", ""]),
    "year": st.sampled_from(["2016", "2024", "1850", "2099", "24", "99999", ""]),
    "noise": st.one_of(FRAGMENTS, st.text(max_size=5)),
}
TEMPLATES = [
    "Valence, le {day} {month} {year}\n\nCOMMUNIQUÉ DE PRESSE {noise}",
    "{noise}, le {day} {month} {year} — La CPTS {name} réunit {num} professionnels de santé.",
    "La CPTS {name} couvre {num} habitants répartis sur {num} communes {noise}.",
    "Son président, le Dr {name}, {noise} présidée par {name}.",
    "L’ARS versera jusqu’à {num} € par an {noise} ; l’Assurance maladie {num} euros.",
    "Ce {day} {month} {year}, l’accord de la CPTS {name} a été signé {noise}.",
    "CPTS de taille {num} ({num} à {num} habitants) dans le département de la {name} ({num}).",
    "Missions : accès à un médecin traitant, soins non programmés, prévention {noise}.",
]


def _release() -> st.SearchStrategy[str]:
    """French-looking releases: real sentence shapes with random numbers, names and noise."""

    def fill(template: str) -> st.SearchStrategy[str]:
        fields = re.findall(r"{(\w+)}", template)
        def render(values: tuple[str, ...]) -> str:
            it = iter(values)
            return re.sub(r"{\w+}", lambda _: next(it), template)

        return st.tuples(*(SLOTS[f] for f in fields)).map(render)

    sentence = st.sampled_from(TEMPLATES).flatmap(fill)
    return st.lists(sentence, min_size=1, max_size=8).flatmap(
        lambda parts: st.sampled_from(["\n", " ", "\n\n", "\f"]).map(lambda sep: sep.join(parts))
    )


TEXTS = st.one_of(
    _release(),
    _release(),
    st.text(max_size=300),  # random unicode, surrogates excluded by hypothesis
    st.lists(FRAGMENTS, max_size=60).map(" ".join),
    st.lists(FRAGMENTS, max_size=60).map("".join),
    st.lists(st.one_of(FRAGMENTS, st.text(max_size=8), _huge_numbers()), max_size=40).map(
        " ".join
    ),
    _digits_and_spaces(),
    _nested_brackets(),
    _huge_numbers(),
)

INT_KINDS = {FactKind.POPULATION, FactKind.COMMUNES, FactKind.PROFESSIONALS, FactKind.AMOUNT,
             FactKind.SIZE_CLASS}
DATE_KINDS = {FactKind.PUBLISHED_ON, FactKind.SIGNED_ON}


def _check_fact(doc: Document, fact: Fact) -> None:
    assert isinstance(fact, Fact)
    assert 0 <= fact.start < fact.end <= len(doc.text), fact
    assert doc.text[fact.start : fact.end] == fact.text, fact
    if fact.kind in INT_KINDS:
        assert type(fact.value) is int, fact
    elif fact.kind in DATE_KINDS:
        assert isinstance(fact.value, str), fact
        dt.date.fromisoformat(fact.value + {4: "-01-01", 7: "-01", 10: ""}[len(fact.value)])
    else:
        assert isinstance(fact.value, str) and fact.value, fact


@pytest.mark.parametrize("name,extract", extractors.EXTRACTORS, ids=[n for n, _ in
                                                                    extractors.EXTRACTORS])
@FUZZ
@given(raw=TEXTS)
def test_extractor_is_total_and_keeps_its_evidence(name, extract, raw):
    doc = build_document("0123456789abcdef", raw)
    facts = extract(doc)
    assert isinstance(facts, list)
    for fact in facts:
        _check_fact(doc, fact)


# Money-like noise (digits, separators, "€", "k", "M", "euros", brackets): the amounts and the
# missions read figures and their units closely.
MONEY_LIKE = st.text(
    alphabet=st.sampled_from(list("0123456789 ,.:;-•\n\u00a0\u202f€kKMéeuros’'(<>)?CPTSàa"))
)


MONEY_READERS = [(n, e) for n, e in extractors.EXTRACTORS if n in {"amounts", "missions"}]


@pytest.mark.parametrize("name,extract", MONEY_READERS, ids=[n for n, _ in MONEY_READERS])
@settings(max_examples=150, deadline=None, derandomize=True)
@given(raw=MONEY_LIKE)
def test_money_like_text_gives_exact_evidence_or_nothing(name, extract, raw):
    doc = build_document("0123456789abcdef", raw)
    for fact in extract(doc):
        _check_fact(doc, fact)


@FUZZ
@given(raw=TEXTS, paged=st.booleans())
def test_build_document_spans_stay_inside_the_text(raw, paged):
    doc = build_document("0123456789abcdef", raw, paged=paged)
    for span in (*doc.sentences, *doc.lines):
        assert 0 <= span.start <= span.end <= len(doc.text)
    assert all(0 <= s <= len(doc.text) for s in doc.page_starts)


@FUZZ
@given(raw=TEXTS)
def test_assemble_is_total_and_records_keep_their_evidence(raw):
    doc = build_document("0123456789abcdef", raw)
    facts = extractors.extract_all(doc)
    assembly = assemble(doc, facts)
    assert isinstance(assembly, Assembly)
    for item in assembly.facts:
        _check_fact(doc, item.fact)
    keys = {r.cpts_key for r in assembly.cpts}
    for record in (*assembly.amounts, *assembly.missions):
        assert 0 <= record.start < record.end <= len(doc.text)
        assert doc.text[record.start : record.end] == record.text
        assert record.cpts_key is None or record.cpts_key in keys
    for record in assembly.amounts:
        assert type(record.amount_eur) is int and isinstance(record.per_year, bool)
    for record in assembly.cpts:
        assert record.name.startswith("CPTS") and record.cpts_key
        for count in (record.population, record.communes, record.professionals,
                      record.size_class):
            assert count is None or type(count) is int
        assert record.signed_on is None or isinstance(record.signed_on, dt.date)
