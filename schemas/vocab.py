"""The closed vocabularies and bounds of the published tables (DESIGN.md section 2).

Kept apart from the models so that the flows, the tests and the evaluation read the same
values the schemas enforce.
"""

from __future__ import annotations

import datetime as dt

from extractors.types import FactKind, Precision, Qualifier

FORMATS = ("pdf", "txt", "html", "other")
# "duplicate": the same bytes as an earlier file of the run (same doc_id); its facts are the
# earlier file's, so it keeps its own row but adds none.
# "too_large": over --max-bytes/--max-pages, or over the per-file memory budget; "timeout": over
# the per-file time budget; "worker_crashed": the process extracting it died (flows/run/batch.py).
DOCUMENT_STATUSES = (
    "ok", "empty", "unreadable", "unsupported", "no_cpts_found", "invalid_facts", "duplicate",
    "too_large", "timeout", "worker_crashed",
)
CPTS_STATUSES = ("signed", "created", "in_progress", "planned", "mentioned")
# Where a CPTS name comes from: written in the text, or built from the page title or from the
# territory the text gives when the release never names its CPTS ("la CPTS", "la communauté").
NAME_SOURCES = ("text", "title", "territory")
PRECISIONS = tuple(p.value for p in Precision)
QUALIFIERS = tuple(q.value for q in Qualifier)
# A fact's qualifier bounds a count or, for a date, states its precision.
FACT_QUALIFIERS = QUALIFIERS + PRECISIONS
FACT_KINDS = tuple(k.value for k in FactKind)
AMOUNT_KINDS = (
    "ars_startup_aid",
    "aci_annual_max",
    "aci_annual_min",
    "aci_first_payment",
    "aci_full_year",
    "national_range_min",
    "national_range_max",
    "other",
)
FUNDERS = ("ars", "assurance_maladie", "other")
MISSIONS = (
    "acces_medecin_traitant",
    "soins_non_programmes",
    "parcours",
    "prevention",
    "crises_sanitaires",
    "qualite_pertinence",
    "accompagnement_professionnels",
    "autre",
)

DOC_ID_PATTERN = r"^[0-9a-f]{16}$"
CPTS_KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Metropolitan departments 01-95 (Corsica as 2A/2B, no 20) and the overseas 971-976.
DEPARTMENT_PATTERN = r"^(0[1-9]|1\d|2[1-9]|[3-8]\d|9[0-5]|2A|2B|97[1-6])$"

# The places table: what a place is, and how sure the resolver is of its code.
PLACE_LEVELS = ("commune", "epci", "department")
PLACE_STATUSES = ("resolved", "ambiguous", "unknown")
# INSEE codes: a commune (Corsica 2A/2B; overseas 97x), an EPCI's SIREN, a department.
COMMUNE_CODE_PATTERN = r"^(\d{5}|2[AB]\d{3})$"
EPCI_CODE_PATTERN = r"^\d{9}$"
PLACE_CODE_PATTERN = "^(?:{})$".format(
    "|".join(p.removeprefix("^").removesuffix("$")
             for p in (COMMUNE_CODE_PATTERN, EPCI_CODE_PATTERN, DEPARTMENT_PATTERN))
)
# A stated population this far from the reference sum (as a share of it) earns a warning:
# releases round, and quote older censuses than the reference's legal populations.
POPULATION_TOLERANCE = 0.25

# CPTS exist since the 2016 health law: an earlier date is a misread, not history.
EARLIEST_DATE = dt.date(2016, 1, 1)

# Ranges outside of which a value is a misread ("3 €", "70 millions d'habitants").
POPULATION = (100, 5_000_000)
COMMUNES = (1, 1_000)
PROFESSIONALS = (1, 10_000)
AMOUNT_EUR = (100, 50_000_000)
SIZE_CLASS = (1, 4)
