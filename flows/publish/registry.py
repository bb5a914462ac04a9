"""The CPTS registry: one row per CPTS across every release, with its latest known facts.

A CPTS is announced, signed, then celebrated in later releases that round its population
differently or spell its name another way ("Sud Ard'Drôm", "Sud Ard’Drôme"). Keys whose names
are near-identical after normalisation are merged, unless their departments (stated, or
implied by their places) part them; keys whose places cover the same communes are merged
whatever their names (see `cluster_keys`); each fact takes the value of the latest
release stating it, and disagreeing values stay visible in `conflicts` rather than being
silently overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from extractors.text.place_names import gazetteer
from extractors.text.slug import DIRECTIONS
from flows.dataset.csv_dialects import is_empty_cell, split_list, write_csv
from flows.dataset.export import arrow_schema
from flows.read.atomic import atomic_write
from schemas.columns import COLUMNS, REGISTRY_COMPANIONS, REGISTRY_FIELDS, frame, row_dicts

# Facts carried per CPTS; the companion column travels with its fact from the same row.
FIELDS = tuple(REGISTRY_FIELDS)
COMPANIONS = REGISTRY_COMPANIONS
INT_FIELDS = tuple(f for f, kind in REGISTRY_FIELDS.items() if kind == "int")
# Names this similar (rapidfuzz ratio on normalised names) are spellings of one CPTS.
MERGE_SCORE = 90
BLOCK = 1024
_STOPWORDS = {"cpts", "de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "sur"}


def normalise_name(name: str) -> str:
    """ "CPTS Sud Ard’ Drôme" → "sudarddrome": no accents, case, apostrophes or small words."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(w for w in re.split(r"[^a-z0-9]+", plain) if w and w not in _STOPWORDS)


def _date(value: object) -> dt.date | None:
    if is_empty_cell(value):
        return None
    return value.date() if isinstance(value, dt.datetime | pd.Timestamp) else value


class _Clusters:
    """Union-find over cpts keys."""

    def __init__(self, keys: list[str]) -> None:
        self.parent = {k: k for k in keys}

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


# The columns of places that `_territories` reads: the registry needs no more of that table.
TERRITORY_COLUMNS = ["cpts_key", "insee_code", "level", "status"]


def _territories(places: pd.DataFrame | None) -> dict[str, frozenset[str]]:
    """cpts_key → the communes its resolved places cover (an EPCI by its member communes)."""
    if places is None or places.empty or "status" not in places.columns:
        return {}
    resolved = places[(places["status"] == "resolved") & places["cpts_key"].notna()
                      & places["level"].isin(["commune", "epci"])]
    geo = gazetteer()
    found: dict[str, set[str]] = {}
    for key, code in zip(resolved["cpts_key"], resolved["insee_code"], strict=True):
        place = geo.place(code)
        members = place.members if place is not None and place.level == "epci" else (code,)
        found.setdefault(key, set()).update(members)
    return {key: frozenset(codes) for key, codes in found.items()}


def cluster_keys(cpts: pd.DataFrame, places: pd.DataFrame | None = None) -> dict[str, str]:
    """cpts_key → a representative key of the CPTS it names (itself when nothing matches).

    Besides a close name, a merge needs the same digits ("Marseille 12" is not "Marseille 13")
    and overlapping departments when both are known (two "CPTS du Val" in different places),
    stated or implied by their resolved places ("CPTS Saint-Paul" at La Réunion is not the one
    in the Landes). Names that differ are one CPTS when their resolved places cover the same
    communes (two or more), with the same digits and no other cardinal point, named in different
    releases ("CPTS Aprosalys" and "CPTS du Sud-Ouest lyonnais", both listing Irigny, Oullins,
    Pierre-Bénite and Saint-Genis-Laval).
    """
    keys = sorted(set(cpts["cpts_key"]))
    names, digits, depts, inferred, docs = {}, {}, {}, {}, {}
    has_inferred = "departments_inferred" in cpts.columns
    # One pass over the columns as lists, not one scan per key (nor a pandas group per key,
    # which cost more than what is read from it).
    columns = ["name", "departments", "doc_id"] + (["departments_inferred"] if has_inferred
                                                   else [])
    grouped: dict[str, list[tuple]] = {}
    for key, *row in zip(cpts["cpts_key"].tolist(), *(cpts[c].tolist() for c in columns),
                         strict=True):
        if not pd.isna(key):  # as groupby, which leaves out null keys
            grouped.setdefault(key, []).append(row)
    for key in sorted(grouped):
        rows = grouped[key]
        names[key] = (normalise_name(max((r[0] for r in rows), key=len))
                      or key.replace("-", ""))
        digits[key] = re.findall(r"\d+", names[key])
        depts[key] = {d for r in rows for d in split_list(r[1])}
        inferred[key] = {d for r in rows for d in split_list(r[3])} if has_inferred else set()
        docs[key] = {r[2] for r in rows}
    clusters = _Clusters(keys)
    choices = [names[k] for k in keys]

    def apart(a: str, b: str) -> bool:
        return any(x[a] and x[b] and not x[a] & x[b] for x in (depts, inferred))

    # Blocks of rows bound the score matrix to BLOCK × keys bytes, whatever the number of keys.
    for first in range(0, len(keys), BLOCK):
        scores = cdist(choices[first : first + BLOCK], choices, scorer=fuzz.ratio,
                       score_cutoff=MERGE_SCORE, dtype=np.uint8)
        for i, j in zip(*np.nonzero(scores), strict=True):
            a, b = keys[first + i], keys[j]
            if first + i < j and digits[a] == digits[b] and not apart(a, b):
                clusters.union(a, b)
    by_territory: dict[frozenset[str], list[str]] = {}
    for key, communes in _territories(places).items():
        if len(communes) >= 2 and key in names:
            by_territory.setdefault(communes, []).append(key)
    for same in by_territory.values():
        for other in same[1:]:
            a = same[0]
            # Two CPTS of one release are two CPTS, whatever places they share ("Ces deux
            # CPTS couvrent Valence et Romans").
            ways = (_directions(a), _directions(other))
            if (digits[a] == digits[other] and (not all(ways) or ways[0] == ways[1])
                    and not docs[a] & docs[other]):
                clusters.union(a, other)
    return {k: clusters.find(k) for k in keys}


def _directions(key: str) -> list[str]:
    return [t for t in key.split("-") if t in DIRECTIONS]


def _doc_order(documents: pd.DataFrame, cpts: pd.DataFrame) -> pd.DataFrame:
    """Documents oldest first: by publication date, else the latest date they report, else
    processing order; undated releases sort before dated ones."""
    docs = documents[["doc_id", "published_on", "processed_at"]].copy()
    docs["published_on"] = docs["published_on"].map(_date)
    # The latest signature date per document, in one pass over lists: a pandas groupby max
    # of date objects runs a Series reduction per document (a sixth of the registry's time).
    latest_signed: dict[str, dt.date] = {}
    for doc_id, signed in zip(cpts["doc_id"].tolist(), cpts["signed_on"].map(_date).tolist(),
                              strict=True):
        if not (pd.isna(doc_id) or pd.isna(signed)):
            known = latest_signed.get(doc_id)
            latest_signed[doc_id] = signed if known is None else max(known, signed)
    docs["effective"] = [
        p or latest_signed.get(d) or dt.date.min
        for d, p in zip(docs["doc_id"], docs["published_on"], strict=True)
    ]
    docs["position"] = range(len(docs))
    return docs.sort_values(["effective", "processed_at", "position"]).reset_index(drop=True)


def _comparable(field: str, value: object) -> object:
    if field == "departments":
        return tuple(sorted(split_list(value)))
    if field == "president":
        return normalise_name(str(value))
    return int(value) if field in INT_FIELDS else value


def _shown(field: str, row: dict) -> str:
    value = row[field]
    text = "|".join(split_list(value)) if field == "departments" else str(_date(value) or value)
    companion = COMPANIONS.get(field)
    if field == "population" and not is_empty_cell(qualifier := row.get(companion)):
        text = text if qualifier == "exact" else f"{text} {qualifier}"
    return text


def _field(field: str, rows: list[dict]) -> tuple[dict, str | None]:
    """The latest value of `field` among `rows` (oldest first), its provenance, any conflict.

    Rows are plain dicts: a pandas filter per (CPTS, field) costs ~1 ms, ten times the work."""
    stated = [r for r in rows if not is_empty_cell(r[field])]
    if field == "status" and any(r["status"] != "mentioned" for r in stated):
        # "mentioned" says nothing about the stage: it must not undo a signature.
        stated = [r for r in stated if r["status"] != "mentioned"]
    out = {field: None, f"{field}_as_of": None, f"{field}_doc_ids": []}
    if field in COMPANIONS:
        out[COMPANIONS[field]] = None
    if not stated:
        return out, None
    latest = stated[-1]
    wanted = _comparable(field, latest[field])
    out[field] = split_list(latest[field]) if field == "departments" else latest[field]
    out[f"{field}_as_of"] = latest["published_on"]
    out[f"{field}_doc_ids"] = list(dict.fromkeys(
        r["doc_id"] for r in stated if _comparable(field, r[field]) == wanted))
    if field in COMPANIONS:
        out[COMPANIONS[field]] = latest[COMPANIONS[field]]
    groups: dict[object, list[str]] = {}
    for row in stated:
        when = row["published_on"].isoformat() if row["published_on"] else "undated"
        groups.setdefault(_comparable(field, row[field]), [_shown(field, row)]).append(
            f"doc {row['doc_id']}, {when}"
        )
    if len(groups) < 2:
        return out, None
    return out, f"{field}: " + " vs ".join(
        f"{shown} ({'; '.join(where)})" for shown, *where in groups.values()
    )


def build_registry(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per distinct CPTS across all documents (see the module docstring)."""
    cpts = tables["cpts"]
    order = _doc_order(tables["documents"], cpts)
    rank = {d: i for i, d in enumerate(order["doc_id"])}
    rows = cpts.merge(order[["doc_id", "published_on"]], on="doc_id", how="left")
    rows["published_on"] = rows["published_on"].map(_date)
    rows["_rank"] = rows["doc_id"].map(lambda d: rank.get(d, len(rank)))
    rows = rows.sort_values("_rank", kind="stable")
    clusters = cluster_keys(cpts, tables.get("places")) if len(cpts) else {}
    rows["_cluster"] = rows["cpts_key"].map(clusters)
    # Plain dicts grouped in Python: a pandas group per cluster, and its columns read one by
    # one, cost more than the registry's own work.
    groups: dict[object, list[dict]] = {}
    for row in row_dicts(rows):
        if not pd.isna(row["_cluster"]):
            groups.setdefault(row["_cluster"], []).append(row)
    records = []
    for group_rows in groups.values():
        documents: dict[str, set] = {}
        for row in group_rows:
            documents.setdefault(row["cpts_key"], set()).add(row["doc_id"])
        # most documents; ties go to the earliest seen, for stability
        key = max(documents, key=lambda k: len(documents[k]))
        dates = [r["published_on"] for r in group_rows if r["published_on"]]
        record = {
            "cpts_key": key,
            "name": [r["name"] for r in group_rows if r["cpts_key"] == key][-1],
            "merged_keys": sorted({r["cpts_key"] for r in group_rows}),
            "names": list(dict.fromkeys(r["name"] for r in group_rows)),
            "doc_ids": list(dict.fromkeys(r["doc_id"] for r in group_rows)),
            "first_seen_on": min(dates, default=None),
            "last_seen_on": max(dates, default=None),
        }
        conflicts = []
        for field in FIELDS:
            values, conflict = _field(field, group_rows)
            record.update(values)
            conflicts += [conflict] if conflict else []
        record["conflicts"] = conflicts
        records.append(record)
    # The contract's dtypes (schemas.columns), so no column type depends on what was found.
    registry = frame("cpts_registry", records)
    return registry.sort_values("cpts_key", ignore_index=True)


def write_registry(registry: pd.DataFrame, out_dir: Path,
                   csv_dialect: str = "standard") -> list[Path]:
    """Write `out_dir`/cpts_registry.parquet and .csv (each atomically), with the column
    types of schemas.cpts_registry: list<string>, string, date32 and int64 whatever the data."""
    out_dir = Path(out_dir)
    parquet = out_dir / "cpts_registry.parquet"
    arrow = pa.Table.from_pandas(registry[list(COLUMNS["cpts_registry"])],
                                 schema=arrow_schema("cpts_registry"), preserve_index=False)
    atomic_write(parquet, lambda tmp: pq.write_table(arrow, tmp))
    return [parquet, write_csv(registry, out_dir / "cpts_registry.csv", csv_dialect)]
