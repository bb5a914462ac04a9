"""The lexicon data: every file loads through the one loader, says what it is for, agrees with
the schema's closed vocabularies, and is listed in extractors/lexicon/README.md with the modules
it feeds — that table is rebuilt here from the code's own calls and imports, so it cannot drift.

`python -m tests.extractors.test_lexicon` prints the table to paste into the README.
"""

from __future__ import annotations

import ast
import csv
import gzip
import importlib
import io
import re
from functools import cache
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from extractors.lexicon import GEO_FILES, lexicon_files, load_lexicon, load_table
from schemas import vocab

ROOT = Path(__file__).resolve().parents[2]
LEXICON = ROOT / "extractors" / "lexicon"
README = LEXICON / "README.md"
CODE = ("extractors", "flows", "schemas", "benchmarks", "scripts")
LOADERS = ("load_lexicon", "load_table")
# Loaders that take no name, and the files they read.
WHOLE_LOADERS = {"load_geo": tuple(f"geo/{name}" for name, _ in GEO_FILES.values())}
TABLE_START = "<!-- lexicon-table: begin -->"
TABLE_END = "<!-- lexicon-table: end -->"


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _constants(tree: ast.Module) -> dict[str, str]:
    # Module-level NAME = "file.json", for a loader called with a name (flows/fetch/relevance.py).
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _loaded(node: ast.AST, constants: dict[str, str]) -> tuple[str, ...]:
    """The files a loader call reads, if `node` is one (`load_lexicon("x.json")`, `load_geo()`)."""
    if not isinstance(node, ast.Call):
        return ()
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if name in WHOLE_LOADERS:
        return WHOLE_LOADERS[name]
    if name not in LOADERS or not node.args:
        return ()
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return (arg.value,)
    named = constants.get(arg.id) if isinstance(arg, ast.Name) else None
    return (named,) if named else ()


@cache
def usage() -> dict[str, set[str]]:
    """file → modules that read it: by calling a loader, or by importing a module-level name
    bound to a loaded file (`from extractors.kinds.cpts_grammar import LEXICON`)."""
    trees = {
        _module(path): ast.parse(path.read_text(encoding="utf-8"))
        for root in CODE if (ROOT / root).is_dir()
        for path in sorted((ROOT / root).rglob("*.py"))
    }
    readers: dict[str, set[str]] = {}
    exported: dict[tuple[str, str], str] = {}  # (module, name) → file
    for module, tree in trees.items():
        constants = _constants(tree)
        for node in ast.walk(tree):
            for loaded in _loaded(node, constants):
                readers.setdefault(loaded, set()).add(module)
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(loaded := _loaded(node.value, constants)) == 1:
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        exported[(module, target.id)] = loaded[0]
    changed = True
    while changed:  # a re-exported name feeds its importers too
        changed = False
        for module, tree in trees.items():
            for node in tree.body:
                if not isinstance(node, ast.ImportFrom) or not node.module:
                    continue
                for alias in node.names:
                    loaded = exported.get((node.module, alias.name))
                    if loaded and module not in readers[loaded]:
                        readers[loaded].add(module)
                        exported[(module, alias.asname or alias.name)] = loaded
                        changed = True
    return readers


def _readers_cell(modules: set[str]) -> str:
    return ", ".join(f"`{m}`" for m in sorted(modules))


def usage_table() -> str:
    """The README table as this checkout's code makes it."""
    found = usage()
    lines = ["| file | read by |", "| --- | --- |"]
    for name in lexicon_files():
        lines.append(f"| `{name}` | {_readers_cell(found.get(name, set())) or '(none)'} |")
    return "\n".join(lines)


def readme_rows() -> dict[str, set[str]]:
    """file → the modules the README's table names for it."""
    text = README.read_text(encoding="utf-8")
    assert TABLE_START in text and TABLE_END in text, "README.md lost the table markers"
    block = text.split(TABLE_START, 1)[1].split(TABLE_END, 1)[0]
    rows: dict[str, set[str]] = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = set(re.findall(r"`([\w.]+)`", cells[1]))
    return rows


FILES = lexicon_files()
JSON_FILES = [f for f in FILES if f.endswith(".json")]


def test_the_lexicon_has_files():
    # Guards the parametrised tests below against an empty listing (a packaging slip).
    assert len(JSON_FILES) >= 15
    assert "departments.csv" in FILES


def _csv_rows(name: str) -> tuple[dict[str, str], ...]:
    if name.endswith(".csv"):
        return load_table(name)
    # Compressed tables are read whole by their own loader (load_geo); read them as it does.
    text = gzip.decompress((LEXICON / name).read_bytes()).decode("utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("name", FILES)
def test_every_file_loads(name):
    if name.endswith(".json"):
        assert isinstance(load_lexicon(name), dict)
    elif name.endswith((".csv", ".csv.gz")):
        rows = _csv_rows(name)
        assert rows, f"{name} has no rows"
        header = list(rows[0])
        assert all(h and h.strip() == h for h in header), f"{name}: blank or padded header"
        assert all(None not in row and list(row) == header for row in rows), "ragged row"
    elif name.endswith(".parquet"):
        assert pq.read_table(LEXICON / name).num_rows > 0
    else:
        assert (LEXICON / name).read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("name", JSON_FILES)
def test_every_json_file_says_what_it_is_for(name):
    data = load_lexicon(name)
    assert isinstance(data.get("_about"), str) and len(data["_about"]) > 20
    # One spelling for prose: "_about" or "_about_<topic>", at any depth.
    odd = [key for key in _private_keys(data) if key != "_about" and not key.startswith("_about_")]
    assert odd == []


def _private_keys(node: object) -> list[str]:
    if isinstance(node, dict):
        return [k for k in node if k.startswith("_")] + [
            k for v in node.values() for k in _private_keys(v)
        ]
    if isinstance(node, list):
        return [k for v in node for k in _private_keys(v)]
    return []


@pytest.mark.parametrize("name", JSON_FILES)
def test_about_texts_name_files_that_exist(name):
    # An _about that points to a module or another lexicon file must not outlive a move.
    prose = " ".join(_about_texts(load_lexicon(name)))
    for ref in re.findall(r"[\w/]+\.(?:py|json|csv)\b", prose):
        candidates = [ROOT / ref, ROOT / "extractors" / ref, LEXICON / ref]
        assert any(p.is_file() for p in candidates), f"{name} names {ref}, which is gone"


def _about_texts(node: object) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k.startswith("_about") and isinstance(v, str)] + [
            t for k, v in node.items() if not k.startswith("_") for t in _about_texts(v)
        ]
    if isinstance(node, list):
        return [t for v in node for t in _about_texts(v)]
    return []


# ---------------------------------------------------------------- closed vocabularies


def test_mission_codes_are_the_schemas():
    assert tuple(load_lexicon("missions.json")["codes"]) == vocab.MISSIONS


def test_statuses_are_the_schemas():
    status = load_lexicon("status.json")
    assert set(status["rank"]) == set(vocab.CPTS_STATUSES)
    # Every status but the default 'mentioned' has cues, tried in a stated order.
    cued = set(vocab.CPTS_STATUSES) - {"mentioned"}
    assert set(status["order"]) == set(status["cues"]) == cued
    assert len(status["order"]) == len(cued)


def test_amount_kinds_and_funders_are_the_schemas():
    amounts = load_lexicon("amounts.json")
    # 'other' is what no cue names; every other kind has its default funder.
    assert set(amounts["default_funder"]) | {"other"} == set(vocab.AMOUNT_KINDS)
    assert set(amounts["default_funder"].values()) <= set(vocab.FUNDERS)
    assert set(amounts["funders"]) == set(vocab.FUNDERS)
    for rule in amounts["kinds"]:
        assert rule["kind"] in vocab.AMOUNT_KINDS
        assert set(rule.get("funders", ())) <= set(vocab.FUNDERS)


def test_department_codes_are_the_schemas():
    pattern = re.compile(vocab.DEPARTMENT_PATTERN)
    for name in ("departments.csv", "department_demonyms.csv"):
        assert all(pattern.match(row["code"]) for row in load_table(name)), name


# ---------------------------------------------------------------- the README's table


def test_the_scan_finds_the_readers():
    # The scan itself must see the three ways in: a call, a call with a named constant, and
    # an import of a module-level name bound to a loaded file.
    found = usage()
    assert "extractors.kinds.missions" not in found["missions.json"]
    assert "extractors.kinds.mission_concepts" in found["missions.json"]
    assert "flows.fetch.relevance" in found["fetch_relevance.json"]
    assert "extractors.kinds.cpts_name" in found["cpts_names.json"]


def test_every_data_file_is_in_the_readme():
    assert sorted(readme_rows()) == FILES, "regenerate: python -m tests.extractors.test_lexicon"


@pytest.mark.parametrize("name", FILES)
def test_the_readme_names_who_reads_each_file(name):
    listed = readme_rows().get(name, set())
    found = usage().get(name)
    if found:
        assert listed == found, "regenerate: python -m tests.extractors.test_lexicon"
    else:
        # Read some other way (a flow opening a data folder): the row says by whom, by hand.
        for dotted in listed:
            assert _exists(dotted), dotted
        assert listed, f"{name} is read by nothing the scan sees: name its reader in README.md"


# A reading (README.md, "How a phrase is written") → where its functions live.
READINGS = {
    "phrase": ("extractors.text.phrases", {"phrase_pattern", "compile_phrases", "alternatives"}),
    "literal": ("extractors.text.phrases", {"literal_pattern"}),
    "count": ("extractors.text.numbers", {"alternation", "phrase_pattern"}),
}


def _applies(module: str, home: str, functions: set[str]) -> bool:
    if module == home:
        return True
    path = ROOT / Path(*module.split("."))
    path = path.with_suffix(".py") if path.with_suffix(".py").is_file() else path / "__init__.py"
    return any(
        isinstance(node, ast.ImportFrom) and node.module == home
        and functions & {alias.name for alias in node.names}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
    )


@pytest.mark.parametrize("reading", sorted(READINGS))
def test_the_readme_names_who_applies_each_reading(reading):
    text = README.read_text(encoding="utf-8")
    row = re.search(rf"^\| {reading} \|(.*)\|$", text, re.MULTILINE)
    assert row, f"README.md has no row for the {reading} reading"
    home, functions = READINGS[reading]
    readers = {m for modules in usage().values() for m in modules}
    assert set(re.findall(r"`([\w.]+)`", row.group(1))) == {
        m for m in readers if _applies(m, home, functions)
    }


def _exists(dotted: str) -> bool:
    """A module of the repository, or a name in one ("extractors.text.phrases.literal_pattern")."""
    path = ROOT / Path(*dotted.split("."))
    if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
        return True
    module, _, attribute = dotted.rpartition(".")
    try:
        return hasattr(importlib.import_module(module), attribute)
    except ModuleNotFoundError:
        return False


def test_every_name_the_readme_gives_exists():
    text = README.read_text("utf-8")
    for dotted in set(re.findall(r"`((?:extractors|flows|scripts)(?:\.\w+)+)`", text)):
        assert _exists(dotted), dotted


if __name__ == "__main__":
    print(usage_table())
