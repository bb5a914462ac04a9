"""Place names as French releases write them → entries of the INSEE reference (COG).

A release writes "St Hippolyte du Fort", "les Sables-d'Olonne", "Chatillon" or "Lyon 5ème";
the reference says "Saint-Hippolyte-du-Fort", "Les Sables-d'Olonne", "Châtillon" and "Lyon 5e
Arrondissement". Both sides are folded the same way (`place_key`): no accents, case, hyphens
or apostrophes, "St"/"Ste" spelt out, and a leading article set apart, because the text's own
article ("la Vienne", "à Vienne") is what tells a department from a town.

`gazetteer()` builds the lookup tables once per process, on first use, from
`extractors.lexicon.load_geo()`; nothing here reads a file itself.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cache, cached_property

from extractors.lexicon import load_geo, load_table
from extractors.text.slug import fold

ARTICLES = frozenset({"le", "la", "les", "l"})
SAINTS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
# Words of an EPCI's name that say what it is, not which one it is.
EPCI_WORDS = frozenset(
    "cc ca cu communaute communautes communes agglomeration agglo metropole eurometropole "
    "urbaine".split()
)
SMALL_WORDS = frozenset("de des du d la le les l et en sur sous".split())
# What `epci_core` leaves out of a name.
CORE_DROPPED = EPCI_WORDS | SMALL_WORDS
ARRONDISSEMENT_CITIES = ("paris", "lyon", "marseille")


@dataclass(frozen=True, slots=True)
class Place:
    """One entry of the reference: a commune (or municipal arrondissement), an EPCI or EPT, or
    a department. `departments` holds the department codes it lies in (an EPCI may straddle
    two); `members` the commune codes of an EPCI; `parent` the current commune a delegated or
    associated commune belongs to, or the city of an arrondissement."""

    code: str
    level: str  # commune | epci | department
    name: str
    kind: str  # current | delegated | associated | arrondissement | CC | CA | ... | department
    departments: tuple[str, ...]
    population: int | None = None
    article: str | None = None
    parent: str | None = None
    members: tuple[str, ...] = ()


# Typographic apostrophes would vanish with the accents ("d’Agglomération" → "dagglomeration").
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})


def name_tokens(text: str) -> list[str]:
    """ "St-Jean-d’Angély" → ["saint", "jean", "d", "angely"]."""
    return [SAINTS.get(t, t) for t in fold(text.translate(APOSTROPHES)).split()]


def place_key(text: str) -> tuple[str, str | None]:
    """(key, article): "Les Sables-d'Olonne" → ("sables d olonne", "les")."""
    tokens = name_tokens(text)
    if len(tokens) > 1 and tokens[0] in ARTICLES:
        return " ".join(tokens[1:]), tokens[0]
    return " ".join(tokens), None


def epci_core(tokens: list[str]) -> tuple[str, ...]:
    """What names one EPCI among the others: its words without the type words and the small
    words ("CC du Pays de Fayence" and "Communauté de communes Pays de Fayence" → pays
    fayence)."""
    return tuple(t for t in tokens if t not in CORE_DROPPED)


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def epci_key(name: str) -> str:
    """The folded name of an EPCI without its leading type ("CA Alès Agglomération" → "ales
    agglomeration"), as a text that names it in full writes it."""
    tokens = name_tokens(name)
    return " ".join(tokens[1:] if tokens[:1] in (["cc"], ["ca"], ["cu"]) else tokens)


class Gazetteer:
    """Lookups over the reference: communes and departments by folded name, arrondissements by
    city and number, EPCI by their names or the core of their names.

    Built from the reference's rows with one pass per table and no folding (the keys are in the
    files); a `Place` is made only for the rows a lookup returns."""

    def __init__(self, geo: dict[str, tuple[tuple[str, ...], ...]]) -> None:
        self._communes = geo["communes"]
        self._epci = geo["epci"]
        lexicon = {row["code"]: row for row in load_table("departments.csv")}
        self.departments: dict[str, Place] = {}
        self.department_keys: dict[str, Place] = {}
        for code, name, _region in geo["departments"]:
            article = (lexicon.get(code, {}).get("article") or "").rstrip("'’") or None
            place = Place(code, "department", name, "department", (code,), article=article)
            self.departments[code] = place
            self.department_keys[place_key(name)[0]] = place
        # A department name that is also a river, a town or a common word ("la Vienne", "le
        # Nord") names the department only after an article or a preposition.
        self.strict_departments = frozenset(
            code for code, row in lexicon.items() if row.get("strict") == "1"
        )
        self.regions = frozenset(place_key(name)[0] for _code, name in geo["regions"])
        # One pass, nothing folded, no Place made: a run pays for what it looks up only.
        self._by_key: dict[str, list[int]] = {}
        self.arrondissements: dict[tuple[str, int], int] = {}
        for i, row in enumerate(self._communes):
            if row[5] == "arrondissement":
                city, number = row[2].split()[:2]
                self.arrondissements[(city, int(number.rstrip("er")))] = i
            else:
                self._by_key.setdefault(row[2], []).append(i)
        self._codes = [row[0] for row in self._communes]  # sorted by code: bisect finds one
        self._epci_key: dict[str, list[int]] = {}
        self._epci_core: dict[str, list[int]] = {}
        self._epci_code: dict[str, int] = {}
        for i, (code, _name, key, core, *_rest) in enumerate(self._epci):
            self._epci_code[code] = i
            self._epci_key.setdefault(key, []).append(i)
            self._epci_core.setdefault(core, []).append(i)

    @cached_property
    def first_words(self) -> dict[str, int]:
        """First word of every name the reference knows (commune, department, region, EPCI
        name or core) → the most words such a name has: a capitalised word that starts no
        name ("Santé", "Professionnels") is passed over without a lookup."""
        longest: dict[str, int] = {}
        keys = [*self._by_key, *self.department_keys, *self.regions, *self._epci_key,
                *self._epci_core, *(f"{city} {n}e" for city, n in self.arrondissements)]
        for key in keys:
            first, _, rest = key.partition(" ")
            words = rest.count(" ") + 2 if rest else 1
            if words > longest.get(first, 0):
                longest[first] = words
        return longest

    @cached_property
    def name_words(self) -> frozenset[str]:
        """Every word of a name the lookups know (commune, department, region, EPCI name or
        core, city of arrondissements)."""
        keys = (*self._by_key, *self.department_keys, *self.regions, *self._epci_key,
                *self._epci_core, *ARRONDISSEMENT_CITIES)
        return frozenset(word for key in keys for word in key.split())

    @cached_property
    def lookup_keys(self) -> frozenset[str]:
        """Every folded name `knows`, `is_region` or `knows_core` says yes to: a key outside
        it needs no lookup."""
        return frozenset((*self._by_key, *self.department_keys, *self.regions, *self._epci_core))

    @cached_property
    def one_commune_departments(self) -> frozenset[str]:
        """Paris: a department that is one commune, named alike."""
        counts: dict[str, int] = {}
        for row in self._communes:
            if row[5] == "current":
                counts[row[4]] = counts.get(row[4], 0) + 1
        return frozenset(d for d, n in counts.items() if n == 1)

    @cached_property
    def _cores_with(self) -> dict[str, list[int]]:
        """word → the ranks (in `_epci_core` order) of the EPCI cores that hold it."""
        ranks: dict[str, list[int]] = {}
        for rank, core in enumerate(self._epci_core):
            for word in set(core.split()):
                ranks.setdefault(word, []).append(rank)
        return ranks

    def _rows_of_cores_holding(self, words: set[str]) -> list[int]:
        """Rows of the EPCI whose core holds all `words`, in `_epci_core` order: the cores of
        its rarest word first, not all of them."""
        found = [self._cores_with.get(w, []) for w in words]
        rarest = min(found, key=len)
        others = [set(ranks) for ranks in found if ranks is not rarest]
        rows = self._core_rows
        return [i for rank in rarest if all(rank in o for o in others) for i in rows[rank]]

    @cached_property
    def _core_rows(self) -> list[list[int]]:
        return list(self._epci_core.values())

    def _row_of(self, code: str) -> int | None:
        """The row of a commune code: the current commune, else the arrondissement, else the
        delegated or associated commune that kept its own code."""
        lo = bisect.bisect_left(self._codes, code)
        hi = bisect.bisect_right(self._codes, code, lo)
        rank = {"current": 0, "arrondissement": 1}
        return min(range(lo, hi), key=lambda i: rank.get(self._communes[i][5], 2), default=None)

    @cache  # noqa: B019 - one Gazetteer per process (gazetteer() below), never collected
    def _commune(self, i: int) -> Place:
        code, name, _key, article, department, kind, parent, population = self._communes[i]
        return Place(code, "commune", name, kind, (department,), _int(population),
                     article or None, parent or (None if kind == "current" else code))

    @cache  # noqa: B019 - as above
    def _group(self, i: int) -> Place:
        code, name, _key, _core, kind, population, members = self._epci[i]
        codes = tuple(members.split())
        departments = sorted({self._communes[i][4] for m in codes
                              if (i := self._row_of(m)) is not None})
        return Place(code, "epci", name, kind, tuple(departments), _int(population),
                     members=codes)

    def knows(self, key: str) -> bool:
        """Is `key` the folded name of a commune or a department?"""
        return key in self._by_key or key in self.department_keys

    def knows_core(self, core: tuple[str, ...]) -> bool:
        """Is `core` (see `epci_core`) the core of an EPCI's name?"""
        return " ".join(core) in self._epci_core

    def commune(self, key: str) -> list[Place]:
        """Communes (current, delegated or associated) whose folded name is `key`. A delegated
        commune that kept the name of the commune nouvelle it joined is that commune: only the
        current one answers for the name."""
        places = [self._commune(i) for i in self._by_key.get(key, ())]
        current = {p.code for p in places if p.kind == "current"}
        return [p for p in places if p.kind == "current" or p.parent not in current]

    def department(self, key: str) -> Place | None:
        return self.department_keys.get(key)

    def arrondissement(self, city: str, number: int) -> Place | None:
        i = self.arrondissements.get((city, number))
        return None if i is None else self._commune(i)

    def epci_named(self, tokens: list[str], loose: bool = False) -> list[Place]:
        """EPCI whose name is `tokens` (type words included, "Alès Agglomération"), else whose
        core is exactly the core of `tokens`; with `loose` (the text said "Agglomération",
        "CC"...), else the one whose core contains it ("Mulhouse Agglomération" for "CA
        Mulhouse Alsace Agglomération") when only one does."""
        rows = self._epci_key.get(" ".join(tokens)) or []
        if not rows:
            core = epci_core(tokens)
            if not core:
                return []
            rows = self._epci_core.get(" ".join(core)) or []
            if not rows and loose:
                rows = self._rows_of_cores_holding(set(core))
                rows = rows if len(rows) == 1 else []
        return [self._group(i) for i in rows]

    def is_region(self, key: str) -> bool:
        return key in self.regions

    def place(self, code: str) -> Place | None:
        """The commune (current or arrondissement), EPCI or department of that code."""
        if len(code) <= 3:  # "2A", "69", "974"; communes have five characters, EPCI nine
            return self.departments.get(code)
        if len(code) == 9:
            i = self._epci_code.get(code)
            return None if i is None else self._group(i)
        i = self._row_of(code)
        return None if i is None else self._commune(i)


@cache
def gazetteer() -> Gazetteer:
    """The reference's lookups, built on first use and kept for the process."""
    return Gazetteer(load_geo())
