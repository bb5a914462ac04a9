"""Refresh the geographic reference in extractors/lexicon/geo/ from the INSEE COG, as shipped by
the npm package @etalab/decoupage-administratif (`make geo-reference`).

The package is fetched with `npm pack` at the pinned VERSION (npm checks its integrity hash),
read, and written as a few compact files that are committed: neither a run nor the tests need
npm or a network. Bump VERSION when a new millésime is out (each January: communes merge,
EPCIs change) and review the diff of manifest.json (row counts) like code.

Only what the resolver uses is kept: communes (current, delegated, associated, municipal
arrondissements) of the departments, with their legal population; EPCI and EPT with their
member communes; departments and regions. Overseas collectivities (975, 977, 978, 98x) are
not departments and have no CPTS: left out.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

from extractors.lexicon import GEO_FILES
from extractors.text.place_names import epci_core, epci_key, name_tokens, place_key

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
OUT = Path(__file__).resolve().parent.parent / "extractors" / "lexicon" / "geo"

TYPES = {
    "commune-actuelle": "current",
    "commune-deleguee": "delegated",
    "commune-associee": "associated",
    "arrondissement-municipal": "arrondissement",
}
DEPARTMENT_ZONES = {"metro", "drom"}
# The folded keys (extractors.text.place_names) are computed here, once, so that a run only
# reads them: folding 37,000 names costs more than the 0.3 s a run may spend on the reference.
COMMUNE_COLUMNS = GEO_FILES["communes"][1]
EPCI_COLUMNS = GEO_FILES["epci"][1]


def fetch(version: str, workdir: Path) -> tuple[Path, dict]:
    """`npm pack` the package into `workdir`: (its data folder, what npm says of the tarball)."""
    done = subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{version}", "--json", "--pack-destination", str(workdir)],
        check=True, capture_output=True, text=True, timeout=600,
    )
    packed = json.loads(done.stdout)[0]
    with tarfile.open(workdir / packed["filename"]) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package" / "data", packed


def _gzip_csv(path: Path, header: list[str], rows: list[list]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    # mtime 0 and no file name: the same data gives the same bytes, so a refresh with no
    # change leaves git clean.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                               filename="") as out:
        out.write(buffer.getvalue().encode("utf-8"))


def _plain_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build(data: Path, out: Path) -> dict[str, int]:
    """Write the reference files from the package's `data` folder; rows written per file."""
    read = lambda name: json.loads((data / name).read_text(encoding="utf-8"))  # noqa: E731
    departments = [d for d in read("departements.json") if d["zone"] in DEPARTMENT_ZONES]
    kept = {d["code"] for d in departments}
    communes = []
    for c in read("communes.json"):
        if c["type"] not in TYPES or c.get("departement") not in kept:
            continue
        parent = c.get("chefLieu") or c.get("commune") or ""
        key, article = place_key(c["nom"])
        communes.append([c["code"], c["nom"], key, article or "", c["departement"],
                         TYPES[c["type"]], "" if parent == c["code"] else parent,
                         c.get("population", "")])
    communes.sort(key=lambda r: (r[0], r[5]))
    groups = []
    for name in ("epci.json", "ept.json"):
        for g in read(name):
            members = [m["code"] for m in g["membres"]]
            core = " ".join(epci_core(name_tokens(g["nom"])))
            groups.append([g["code"], g["nom"], epci_key(g["nom"]), core, g["type"],
                           g.get("populationMunicipale", ""), " ".join(sorted(members))])
    groups.sort()
    out.mkdir(parents=True, exist_ok=True)
    _gzip_csv(out / "communes.csv.gz",
              list(COMMUNE_COLUMNS), communes)
    _gzip_csv(out / "epci.csv.gz", list(EPCI_COLUMNS), groups)
    _plain_csv(out / "departments.csv", ["code", "name", "region"],
               [[d["code"], d["nom"], d["region"]] for d in departments])
    _plain_csv(out / "regions.csv", ["code", "name"],
               [[r["code"], r["nom"]] for r in read("regions.json")])
    return {"communes.csv.gz": len(communes), "epci.csv.gz": len(groups),
            "departments.csv": len(departments), "regions.csv": len(read("regions.json"))}


def write_manifest(out: Path, version: str, packed: dict, published: str,
                   rows: dict[str, int]) -> None:
    files = {
        name: {"rows": n, "sha256": hashlib.sha256((out / name).read_bytes()).hexdigest()}
        for name, n in sorted(rows.items())
    }
    manifest = {
        "_about": "Where extractors/lexicon/geo/ comes from; written by scripts/geo_reference.py"
                  " (make geo-reference). Do not edit by hand.",
        "package": PACKAGE,
        "version": version,
        "published": published,
        "integrity": packed.get("integrity"),
        "licence": {"package": "MIT",
                    "data": "Licence Ouverte / Open Licence 2.0 (Etalab), per the package's "
                            "README"},
        "source": "INSEE Code officiel géographique, populations légales; DGCL list of EPCI à "
                  "fiscalité propre; INSEE list of EPT (via the package's build)",
        "url": f"https://www.npmjs.com/package/{PACKAGE}/v/{version}",
        "files": files,
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def published_on(version: str) -> str:
    """The day npm published `version` (the data's date, stable across refreshes)."""
    done = subprocess.run(["npm", "view", PACKAGE, "time", "--json"], check=True,
                          capture_output=True, text=True, timeout=120)
    return json.loads(done.stdout)[version][:10]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=VERSION, help=f"package version (default {VERSION})")
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data, packed = fetch(args.version, Path(tmp))
        rows = build(data, args.out)
    write_manifest(args.out, args.version, packed, published_on(args.version), rows)
    print(f"{PACKAGE}@{args.version} → {args.out}: "
          + ", ".join(f"{name} {n} rows" for name, n in rows.items()))


if __name__ == "__main__":
    main()
