"""What the place resolver costs and what it finds.

    .venv/bin/python -m benchmarks.places [FOLDER ...]      # default: corpus/

Prints, for the issue's two speed targets: the time to load the INSEE reference and build its
lookups (once per process: measured in fresh processes, median of 5; target < 0.3 s), and the
mean time to find, attribute and resolve the places of one document (target < 1 ms), over
every .txt release of the folders, twice: "warm", best of 5 passes, the per-process caches of
names (words, runs, lookups) full of the folder's names, as a long run has them for the names
that come back; "cold", best of 5 passes each started with those caches emptied, what a run
sees of text it never met (each document once, the caches filling as the documents go). The
reference and the lookups built from it are loaded once, before either (the figure above).
Times are CPU times of the process (`time.process_time`): on a machine shared by other jobs,
wall time measures the others too. Then, per folder, the places named and how many are
resolved, ambiguous or unknown, by level.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script, not only with -m
    sys.path.insert(0, str(ROOT))

REPEAT = 5
# Timed in a process that has imported the extractors but never touched the reference.
LOAD = """
import time
import extractors.kinds.places as places  # the code, not the data
t = time.process_time()
from extractors.text.place_names import gazetteer
geo = gazetteer()
geo.first_words, geo.lookup_keys, geo.name_words  # the lookups a first document builds
places.reference_lookups()
print(time.process_time() - t)
"""


def load_seconds() -> float:
    """Median over fresh processes of loading the reference and building its lookups."""
    times = []
    for _ in range(REPEAT):
        done = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True,
                              check=True, cwd=ROOT)
        times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def read_folder(folder: Path):
    """(document, facts, records) of every .txt release, ready for the timing."""
    from extractors import extract_all
    from extractors.assemble.assemble import assemble
    from extractors.text.document import build_document

    prepared = []
    for path in sorted(folder.glob("*.txt")):
        doc = build_document(path.stem, path.read_text(encoding="utf-8"))
        facts = extract_all(doc)
        records = assemble(doc, facts).cpts
        prepared.append((doc, facts, records))
    return prepared


def clear_text_caches() -> None:
    """Empty the resolver's caches of what texts held (words, runs, name lookups): a pass
    after this one sees every name for the first time. The reference's own lookups stay."""
    from extractors.kinds import places

    places.clear_text_caches()


def resolve_ms(prepared, cold: bool = False) -> tuple[float, list]:
    """Mean milliseconds per document of `place_records`, best of 5 passes, and its output;
    `cold`: each pass starts with the caches of names emptied."""
    from extractors.assemble.attribution import Attributor
    from extractors.assemble.geography import place_records
    from extractors.text.document import heading_starts
    from extractors.text.prefilter import folded

    best, found = float("inf"), []
    for _ in range(REPEAT):
        if cold:
            clear_text_caches()
        spent, found = 0.0, []
        for doc, facts, records in prepared:
            # In a run the extractors have folded the text and found its headings already
            # (kept per document for the last few: a folder of hundreds has evicted them).
            folded(doc.text)
            heading_starts(doc)
            # A new attributor each pass, as a run has one per document: what it keeps for a
            # sentence is not carried from one pass to the next.
            attributor = Attributor(doc, facts)
            start = time.process_time()
            found.append(place_records(doc, facts, attributor, records))
            spent += time.process_time() - start
        best = min(best, spent)
    return 1000 * best / max(len(prepared), 1), found


def figures(found) -> dict[str, dict[str, int]]:
    """status → level → places named (a place named for two CPTS counts twice)."""
    table: dict[str, dict[str, int]] = {}
    for places, _geography in found:
        for place in places:
            row = table.setdefault(place.status, {})
            row[place.level or "?"] = row.get(place.level or "?", 0) + 1
    return table


def calibration_seconds() -> float:
    """A fixed piece of pure Python, to read the figures against the machine and its load."""
    start = time.process_time()
    sum(range(10_000_000))
    return time.process_time() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[ROOT / "corpus"])
    args = parser.parse_args(argv)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: sum(range(10**7)) in {calibration_seconds():.2f} s CPU, load average "
          f"{load:.1f} on {os.cpu_count()} cores")
    print(f"reference load + lookups: {load_seconds():.3f} s (median of {REPEAT} fresh "
          "processes; target < 0.3 s)")
    from extractors.kinds.places import reference_lookups
    from extractors.text.place_names import gazetteer

    geo = gazetteer()  # loaded once, as in a run: the timing below is per document
    assert geo.first_words and geo.lookup_keys and geo.name_words
    reference_lookups()
    for folder in args.folders:
        prepared = read_folder(folder)
        cold, _ = resolve_ms(prepared, cold=True)
        ms, found = resolve_ms(prepared)
        table = figures(found)
        total = sum(sum(row.values()) for row in table.values())
        print(f"\n{folder}: {len(prepared)} documents, {ms:.3f} ms per document warm, "
              f"{cold:.3f} cold (target < 1 ms)")
        print(f"  places named: {total}")
        for status in ("resolved", "ambiguous", "unknown"):
            row = table.get(status, {})
            detail = ", ".join(f"{level} {n}" for level, n in sorted(row.items()))
            print(f"  {status:9} {sum(row.values()):5}  {detail}")


if __name__ == "__main__":
    main()
