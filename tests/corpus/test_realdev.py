"""The real development set: real web pages, gold-annotated, read from `../shared/realdev/`.

The texts are never copied into the repository. CI has them beside the clone; a checkout
without them skips this module (CI=true makes their absence a failure).

The floors are a ratchet: each change that improves the score raises them to what it
measured (minus nothing for the overall figure, a fact or two for the small families), so no
later change silently loses what an earlier one won. Never lower a floor to make a change
pass: look at what broke.

Scored exactly as docs/GOLD_FORMAT.md says (a missed CPTS loses all its facts).
Measured after the layout move (2026-12-06), before any rule changed for real text:
  published_on 0.714  cpts 0.819  population 0.800  communes 0.720  professionals 0.500
  signed_on 0.743  departments 0.707  amount 0.741  mission 0.569  overall (micro) F1 0.709
After CPTS identity I (unnamed CPTS named from title/territory, name boundaries, cut variants):
  cpts 0.912  signed_on 0.778  departments 0.759  amount 0.769  mission 0.655  overall 0.765
After counts and amounts as real text writes them (owners through apposition chains, "le Pays
compte", towns as communes, figures in a CPTS's brackets, attendees, elliptic amounts):
  population 0.980  communes 0.889  professionals 0.870  amount 1.000  overall 0.940 (P 0.951)
After a yearless date takes the headline's one year (weekday checked) when no dateline gives one:
  signed_on 0.952  overall 0.942 (P 0.951)
After CPTS named together after "celles"/"ceux" form one group (a clause after them is theirs):
  signed_on 0.977  overall 0.944 (P 0.951)
After departments the territory is said to border are neighbours ("voisin de X, dans le Y"):
  departments 0.907  overall 0.946 (P 0.955)
After a CPTS name written in lower case is read as written ("la CPTS du bout du monde est née"):
  cpts 0.961  communes 0.929  professionals 0.917  departments 0.920  overall 0.953 (P 0.955)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.heldout_eval import evaluate_set

# Beside the clone; a git worktree sits one level deeper (wt/NAME), so look up every parent.
ROOT = Path(__file__).resolve().parents[2]
REALDEV = next(
    (d for d in (p / "shared" / "realdev" for p in ROOT.parents) if (d / "gold").is_dir()),
    ROOT.parent / "shared" / "realdev",
)

if not (REALDEV / "gold").is_dir():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI must have the real development set at {REALDEV}")
    pytest.skip(f"no real development set at {REALDEV}", allow_module_level=True)

OVERALL_F1_FLOOR = 0.953
OVERALL_PRECISION_FLOOR = 0.955
FAMILY_F1_FLOORS = {
    "published_on": 1.000,
    "cpts": 0.961,
    "population": 0.980,
    "communes": 0.929,
    "professionals": 0.917,
    "signed_on": 0.977,
    "departments": 0.920,
    "amount": 1.000,
    "mission": 0.947,
}
UNOWNED_MISSIONS_CEILING = 0
AMOUNT_KIND_ACCURACY_FLOOR = 1.00


@pytest.fixture(scope="module")
def realdev():
    return evaluate_set(REALDEV / "docs", REALDEV / "gold")


def test_every_gold_file_has_its_document(realdev):
    report, _ = realdev
    assert not report.missing
    assert len(report.scored) == len(list((REALDEV / "gold").glob("*.json")))


def test_realdev_scores_hold_the_ratchet(realdev):
    from flows.evaluate import format_report

    report, _ = realdev
    print("\nreal development set:\n" + format_report(report))
    overall = report.overall
    assert round(overall.f1, 3) >= OVERALL_F1_FLOOR, f"overall F1 fell to {overall.f1:.3f}"
    assert round(overall.precision, 3) >= OVERALL_PRECISION_FLOOR
    low = {
        family: round(score.f1 or 0.0, 3)
        for family, score in report.families.items()
        if round(score.f1 or 0.0, 3) < FAMILY_F1_FLOORS[family]
    }
    assert not low, f"families under their floor: {low}"
    assert report.unowned_missions <= UNOWNED_MISSIONS_CEILING
    assert (report.amount_kind_accuracy or 0.0) >= AMOUNT_KIND_ACCURACY_FLOOR
