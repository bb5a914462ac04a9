"""Known vulnerabilities in every locked package (`make audit`), or one line saying why none
were checked.

pip-audit reads the pinned, hashed requirements of the test lock (a superset of the runtime
lock) without installing anything, and asks its advisory source about each pin. Left alone it
prints "No known vulnerabilities found" and exits 0 even when the source answered for no
package at all (a machine that reaches the package index but not its advisory API): a reader
of the last line believes the stack was checked. Here the verdict counts what was checked:

- every package checked, none vulnerable: one line, exit 0;
- a known vulnerability: one line per package (id, fixed versions), exit 1;
- any package not checked: one line saying how many and why, exit 2 — "nothing found" is
  never printed for what was not looked at.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements-test.lock"


@dataclass
class Verdict:
    checked: int = 0
    skipped: dict[str, str] = field(default_factory=dict)  # name → why it was not checked
    vulnerable: dict[str, list[str]] = field(default_factory=dict)  # "name version" → advisories

    @property
    def exit_code(self) -> int:
        return 2 if self.skipped else 1 if self.vulnerable else 0

    def lines(self, lock: str) -> list[str]:
        total = self.checked + len(self.skipped)
        found = [f"{package}: {', '.join(ids)}" for package, ids in sorted(self.vulnerable.items())]
        if self.skipped:
            why = next(iter(self.skipped.values()))
            return [*found, f"cpts-facts audit: {len(self.skipped)} of {total} packages of {lock} "
                    f"were not checked (the advisory source did not answer for them; first: "
                    f"{why}); no verdict on those"]
        if self.vulnerable:
            return [*found, f"cpts-facts audit: {len(self.vulnerable)} of {total} packages of "
                    f"{lock} have known vulnerabilities"]
        return [f"cpts-facts audit: {total} packages of {lock} checked, no known vulnerability"]


def verdict(report: dict) -> Verdict:
    """The counts of a pip-audit JSON report (`--format json`)."""
    result = Verdict()
    for dependency in report.get("dependencies", []):
        name = dependency["name"]
        if dependency.get("skip_reason"):
            result.skipped[name] = dependency["skip_reason"]
            continue
        result.checked += 1
        advisories = [
            f"{v['id']} (fixed in {', '.join(v.get('fix_versions') or []) or 'no release yet'})"
            for v in dependency.get("vulns", [])
        ]
        if advisories:
            result.vulnerable[f"{name} {dependency.get('version', '?')}"] = advisories
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=LOCK)
    args = parser.parse_args(argv)
    run = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--requirement", str(args.lock), "--require-hashes",
         "--disable-pip", "--progress-spinner", "off", "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        last = (run.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"cpts-facts audit: pip-audit gave no report (exit {run.returncode}): {last}",
              file=sys.stderr)
        return 2
    result = verdict(report)
    for line in result.lines(args.lock.name):
        print(line, file=sys.stderr if result.exit_code else sys.stdout)
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
