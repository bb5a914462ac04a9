"""datapackage.json and the README's column tables, both generated from the pandera models.

The models in schemas/ are what validation enforces; describing the files from them (types,
enums, bounds, patterns, keys) means the published description cannot drift from the checks.
Descriptions come from `Field(description=...)` when a model states one, else from
`DESCRIPTIONS` below, which restates DESIGN.md section 2.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import re
from pathlib import Path

import pandera.pandas as pa

from extractors.lexicon import geo_manifest
from flows.dataset.csv_dialects import DIALECTS, LINE_END, LIST_SEPARATOR
from flows.read.atomic import atomic_write
from schemas.columns import COLUMNS, PUBLISHED, REGISTRY_FIELDS
from schemas.registry import MODELS

# Abstract column kinds of schemas.columns → Frictionless field types.
FIELD_TYPES = {"str": "string", "int": "integer", "date": "date", "timestamp": "datetime",
               "bool": "boolean", "list": "list", "float": "number"}

_DOC = "Joins to documents.doc_id."
_SPAN = "Character offset into output/text/<doc_id>.txt"
DESCRIPTIONS: dict[str, str] = {
    "doc_id": "First 16 hex digits of the SHA-256 of the input file's bytes. " + _DOC,
    "source": "Path of the input file as given, relative to the input folder.",
    "format": "Format of the input file.",
    "documents.status": "What happened to the file; only `ok` documents carry facts.",
    "message": "Why the status is not ok, in one line.",
    "title": "Title of the release (the publisher's own title for a fetched file).",
    "published_on": "Date of the release (dateline, \"Publié le\").",
    "published_on_precision": "How much of published_on the text states.",
    "place": "City of the dateline.",
    "departments": "INSEE department codes, joined with \"|\" in CSV.",
    "n_chars": "Length of the normalised text.",
    "n_pages": "Pages of a PDF source.",
    "n_cpts": "Number of CPTS named in the document.",
    "extractor_version": "Version of the extractors that produced the rows.",
    "processed_at": "When the file was processed (UTC).",
    "url": "Address the release was downloaded from by `cpts-facts fetch`; empty for files "
           "brought by hand.",
    "fetched_at": "When `cpts-facts fetch` downloaded the file (UTC); empty for files brought "
                  "by hand.",
    "cpts_key": "Slug of the CPTS's canonical name, stable across documents.",
    "name": "Fullest form of the CPTS's name in the text, starting with \"CPTS\".",
    "name_source": (
        "Where the name comes from: `text` (written in the release), `title` (built from the"
        " page title) or `territory` (built from the territory the text gives, \"CPTS du Pays"
        " de Lure\")."
    ),
    "cpts.status": "Stage of the CPTS the release reports.",
    "signed_on": "Date the CPTS signed its Accord conventionnel interprofessionnel (ACI).",
    "signed_on_precision": "How much of signed_on the text states.",
    "population": "Inhabitants of the CPTS's territory.",
    "population_qualifier": "How the text bounds the population (\"près de\", \"plus de\").",
    "communes": "Communes in the CPTS's territory.",
    "professionals": "Health professionals who are members of the CPTS.",
    "president": "President of the CPTS.",
    "size_class": "ACI size class of the territory (1: < 40 000 inhabitants ... 4).",
    "amount_eur": "Amount in euros.",
    "amounts.kind": "What the amount pays for.",
    "funder": "Who pays.",
    "per_year": "Whether the amount is yearly.",
    "start": _SPAN + " where the evidence starts.",
    "end": _SPAN + " where the evidence ends (exclusive).",
    "text": "The evidence: the normalised text between start and end.",
    "mission": "Mission of the CPTS (ACI mission code).",
    "facts.kind": "Kind of fact.",
    "value": "Normalised value as text (digits, ISO date, INSEE code, code or name).",
    "qualifier": "Bound of a count, or precision of a date.",
    "sentence": "The sentence holding the evidence.",
    "page": "1-based page of a PDF source.",
    "extractor": "Module that produced the fact.",
    "table": "Table whose check failed.",
    "column": "Column whose check failed (empty for a whole-row check).",
    "check": "Name of the failed check.",
    "failure_case": "The offending value.",
    "row": "Index of the offending row in its table.",
    "validation_errors.level": (
        "`error`: the row breaks the contract (its document is marked invalid_facts); "
        "`warning`: a cross-check against the official geography disagrees with the text "
        "(the document keeps its status)."
    ),
    "departments_inferred": (
        "INSEE codes of the departments the CPTS's resolved places lie in (table places); "
        "`departments` stays what the text states."
    ),
    "population_reference": (
        "Sum of the legal populations (INSEE) of the communes the text lists as the whole "
        "territory (an EPCI counts by its member communes); empty unless every listed place "
        "is resolved."
    ),
    "communes_reference": "Number of communes in that listed territory.",
    "places.cpts_key": "The CPTS whose territory names the place (empty: no single CPTS).",
    "insee_code": (
        "INSEE code of the resolved place: commune (5 characters), EPCI (its 9-digit SIREN) "
        "or department."
    ),
    "places.level": "What the place is; empty when the candidates are of several levels.",
    "places.name": "Official name (INSEE COG); empty when the candidates differ in name.",
    "places.status": (
        "`resolved`: one code; `ambiguous`: homonyms the text does not decide between (see "
        "candidates); `unknown`: not in the reference."
    ),
    "candidates": "INSEE codes an ambiguous place may be, joined with \"|\" in CSV.",
}
# The registry states each cpts fact as its latest release does, with when and where.
for _field in REGISTRY_FIELDS:
    _what = DESCRIPTIONS.get(f"cpts.{_field}") or DESCRIPTIONS[_field]
    DESCRIPTIONS[f"cpts_registry.{_field}"] = f"Latest stated value. {_what}"
    DESCRIPTIONS[f"cpts_registry.{_field}_as_of"] = (
        f"Publication date of the latest release stating {_field} (empty if undated).")
    DESCRIPTIONS[f"cpts_registry.{_field}_doc_ids"] = (
        f"Documents stating the current value of {_field}, oldest first.")
DESCRIPTIONS["cpts_registry.cpts_key"] = (
    "Key of the CPTS: the cpts_key the most documents use among the merged spellings.")
DESCRIPTIONS["cpts_registry.name"] = "Name as the latest release using cpts_key spells it."
TABLE_DESCRIPTIONS = {
    "validation_errors": "One row per failed check of any other table (warnings included).",
}
UNITS = {"amount_eur": "EUR", "population": "inhabitants", "start": "characters",
         "end": "characters", "n_chars": "characters"}


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def _pattern(regex: str) -> str:
    # Frictionless anchors patterns itself.
    return regex.removeprefix("^").removesuffix("$")


def _constraints(column: pa.Column, kind: str) -> tuple[dict, list[str]]:
    found: dict = {}
    custom: list[str] = []
    for check in column.checks:
        stats = check.statistics or {}
        if check.name == "isin":
            found["enum"] = [_plain(v) for v in stats["allowed_values"]]
        elif check.name == "in_range":
            found["minimum"], found["maximum"] = stats["min_value"], stats["max_value"]
        elif check.name in ("greater_than_or_equal_to", "greater_than"):
            found["minimum"] = _plain(stats["min_value"])
        elif check.name in ("less_than_or_equal_to", "less_than"):
            found["maximum"] = _plain(stats["max_value"])
        elif check.name == "str_matches" and kind == "str":
            found["pattern"] = _pattern(stats["pattern"])
        elif check.name == "str_startswith" and kind == "str":
            found.setdefault("pattern", re.escape(stats["string"]) + ".*")
        elif check.name == "str_length" and stats.get("min_value"):
            found["minLength"] = stats["min_value"]
        elif check.name:
            custom.append(check.name)
    # An empty list is a legal value and reads as an empty CSV cell.
    if not column.nullable and kind != "list":
        found["required"] = True
    if column.unique:
        found["unique"] = True
    return found, custom


def describe_field(table: str, name: str, column: pa.Column) -> dict:
    kind = COLUMNS[table].get(name, "str")
    field: dict = {"name": name, "type": FIELD_TYPES[kind]}
    if kind == "list":
        field.update(delimiter=LIST_SEPARATOR, itemType="string")
    text = column.description or DESCRIPTIONS.get(f"{table}.{name}") or DESCRIPTIONS.get(name)
    constraints, custom = _constraints(column, kind)
    if custom:
        text = f"{text or ''} Also checked: {', '.join(custom)}.".strip()
    if text:
        field["description"] = text
    unit = (column.metadata or {}).get("unit") or UNITS.get(name)
    if unit:
        field["unit"] = unit
    if constraints:
        field["constraints"] = constraints
    return field


def table_description(table: str) -> str:
    model = MODELS[table]
    doc = model.__doc__ or inspect.getmodule(model).__doc__ or ""
    first = doc.strip().split("\n\n")[0].replace("\n", " ")
    first = TABLE_DESCRIPTIONS.get(table) or first.split(": ", 1)[-1]
    return first[:1].upper() + first[1:]


def _in_dialect(field: dict, dialect: str) -> dict:
    """The field as the CSV of `dialect` writes it (booleans in words, decimal mark)."""
    options = DIALECTS[dialect]
    if field["type"] == "boolean":
        field.update(trueValues=[options["true"]], falseValues=[options["false"]])
    elif field["type"] == "number" and options["decimal"] != ".":
        field["decimalChar"] = options["decimal"]
    return field


def describe_table(table: str, csv_dialect: str = "standard") -> dict:
    schema = MODELS[table].to_schema()
    fields = [_in_dialect(describe_field(table, name, column), csv_dialect)
              for name, column in schema.columns.items()]
    options = DIALECTS[csv_dialect]
    resource: dict = {
        "name": table, "path": f"{table}.csv", "profile": "tabular-data-resource",
        "format": "csv", "mediatype": "text/csv", "encoding": options["encoding"],
        "dialect": {"delimiter": options["sep"], "lineTerminator": LINE_END,
                    "quoteChar": '"', "doubleQuote": True, "header": True},
        "description": table_description(table),
        "schema": {"fields": fields, "missingValues": [""]},
    }
    unique = [n for n, c in schema.columns.items() if c.unique and not c.nullable]
    key = list(schema.unique or ()) or unique[:1]
    if key and all(not schema.columns[n].nullable for n in key):
        resource["schema"]["primaryKey"] = key
    if table not in ("documents", "validation_errors") and "doc_id" in schema.columns:
        resource["schema"]["foreignKeys"] = [
            {"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}}
        ]
    return resource


def datapackage(tables: list[str], csv_dialect: str = "standard") -> dict:
    unknown = [t for t in tables if t not in MODELS]
    if unknown:
        raise ValueError(f"no schema for table(s): {', '.join(unknown)}")
    return {
        "profile": "tabular-data-package",
        "name": "cpts-facts",
        "title": "Facts about French CPTS extracted from press releases",
        "description": "Each fact carries its evidence: character offsets into "
        "text/<doc_id>.txt. See docs/DESIGN.md, section 2.",
        "licenses": [{"name": "MIT"}],
        "sources": [_geography_source()],
        "resources": [describe_table(t, csv_dialect) for t in tables],
    }


def _geography_source() -> dict:
    """Where the codes, official names and legal populations of `places` come from."""
    manifest = geo_manifest()
    return {
        "title": f"INSEE Code officiel géographique via {manifest['package']} "
                 f"{manifest['version']} ({manifest['published']}), "
                 f"{manifest['licence']['data']}",
        "path": manifest["url"],
    }


def write_datapackage(out_dir: Path, tables: list[str] | None = None,
                      csv_dialect: str = "standard") -> Path:
    """Write `out_dir`/datapackage.json describing the CSV files of `tables` (default: every
    published one) as written in `csv_dialect` (atomically)."""
    out_dir = Path(out_dir)
    package = datapackage(list(tables or PUBLISHED), csv_dialect)
    return atomic_write(out_dir / "datapackage.json",
                        json.dumps(package, ensure_ascii=False, indent=2) + "\n")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def column_tables_markdown(tables: list[str] | None = None) -> str:
    """One Markdown table per published table: column, type, required, values, description."""
    parts = []
    for table in tables or list(PUBLISHED):
        resource = describe_table(table)
        parts.append(f"### {table}\n\n{resource['description']}\n")
        parts.append("| column | type | required | values | description |")
        parts.append("| --- | --- | --- | --- | --- |")
        for field in resource["schema"]["fields"]:
            cons = field.get("constraints", {})
            values = ", ".join(f"`{v}`" for v in cons.get("enum", []))
            if "minimum" in cons or "maximum" in cons:
                values = f"{cons.get('minimum', '')} … {cons.get('maximum', '')}".strip()
            if "unit" in field:
                values = f"{values} ({field['unit']})".strip()
            kind = field["type"] + (" of string" if field["type"] == "list" else "")
            required = "yes" if cons.get("required") else ""
            parts.append(f"| `{field['name']}` | {kind} | {required} | {_cell(values)} | "
                         f"{_cell(field.get('description', ''))} |")
        parts.append("")
    return "\n".join(parts)
