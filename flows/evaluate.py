"""Score a dataset against the gold annotations, exactly as GOLD_FORMAT.md says.

Micro precision / recall / F1 per fact family and overall. Per compared value: equal = TP;
a predicted value that differs, or where gold is null, = FP; a gold value not predicted = FN
(so a wrong value counts once, as FP). A gold file with no matching document counts all its
facts as FN, and so does a gold CPTS that no predicted name matches: each of its non-null
values, departments, amounts and missions is a false negative. Missions with a null cpts_key
(statements of the ACI framework) are NOT scored, only counted beside the table.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import pandas as pd
from rapidfuzz import fuzz

from flows.errors import CptsFactsError

FAMILIES = (
    "published_on", "cpts", "population", "communes", "professionals", "signed_on",
    "departments", "amount", "mission",
)  # fmt: skip
COUNT_FIELDS = ("population", "communes", "professionals")
NAME_THRESHOLD = 85

# Leading "CPTS" and the articles du/de/des/l'/la carry no identity: "CPTS du Brivadois" is
# "Brivadois". Applied after accents and case are gone; punctuation then becomes spaces.
_LEADING_CPTS = re.compile(r"^\s*cpts\b")
_ARTICLES = re.compile(r"\b(?:du|de|des|la)\b|\bl['’]")
_PUNCTUATION = re.compile(r"[^\w\s]|_")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else None


@dataclass
class EvaluationReport:
    families: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FAMILIES})
    amount_kind_correct: int = 0
    amount_kind_total: int = 0
    scored: list[str] = field(default_factory=list)  # gold stems matched by a document
    missing: list[str] = field(default_factory=list)  # gold stems with no document
    unowned_missions: int = 0  # mission rows of no CPTS: the ACI framework, counted, not scored

    @property
    def overall(self) -> Score:
        total = Score()
        for score in self.families.values():
            total.add(score.tp, score.fp, score.fn)
        return total

    @property
    def amount_kind_accuracy(self) -> float | None:
        if not self.amount_kind_total:
            return None
        return self.amount_kind_correct / self.amount_kind_total


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _ARTICLES.sub(" ", _LEADING_CPTS.sub("", text))
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def name_scores(a: str, b: str) -> tuple[float, float]:
    """(score, plain ratio) of two names: the score decides, the plain ratio breaks ties."""
    a, b = normalise_name(a), normalise_name(b)
    ratio = fuzz.ratio(a, b)
    return max(ratio, fuzz.token_set_ratio(a, b)), ratio


def name_similarity(a: str, b: str) -> float:
    return name_scores(a, b)[0]


def match_names(predicted: list[str], gold: list[str]) -> dict[int, int]:
    """Predicted index → gold index, one-to-one, best pair first, above the threshold.

    Of two pairs with the same score the one with the higher plain ratio wins: a name that is
    a subset of another ("Sud" in "Sud Ouest") scores 100 by token_set_ratio with both.
    """
    pairs = sorted(
        (
            (*name_scores(p, g), i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
        ),
        key=lambda t: (-t[0], -t[1], t[2], t[3]),
    )
    matched: dict[int, int] = {}
    for score, _, i, j in pairs:
        if score >= NAME_THRESHOLD and i not in matched and j not in matched.values():
            matched[i] = j
    return matched


def _value(value: object) -> object:
    return None if value is None or (not isinstance(value, list) and pd.isna(value)) else value


def _as_date(value: object) -> dt.date | None:
    value = _value(value)
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    return dt.date.fromisoformat(str(value)[:10])


def date_matches(gold: str, predicted: dt.date) -> bool:
    """A gold date at month ("2020-12") or year precision matches any date inside it."""
    parts = [int(p) for p in str(gold).split("-")]
    return [predicted.year, predicted.month, predicted.day][: len(parts)] == parts


def _compare(score: Score, gold: object, predicted: object, same) -> None:
    if predicted is not None:
        right = gold is not None and same(gold, predicted)
        score.add(tp=int(right), fp=int(not right))
    elif gold is not None:
        score.add(fn=1)


def _rows(tables: dict[str, pd.DataFrame], table: str, doc_ids: list[str]) -> list[dict]:
    df = tables.get(table)
    if df is None or df.empty:
        return []
    return df[df["doc_id"].isin(doc_ids)].to_dict("records")


def _score_document(report: EvaluationReport, gold: dict, tables: dict, doc_ids: list) -> None:
    families = report.families
    if gold.get("published_on"):
        dates = [_as_date(r["published_on"]) for r in _rows(tables, "documents", doc_ids)]
        predicted = next((d for d in dates if d is not None), None)
        _compare(families["published_on"], gold["published_on"], predicted, date_matches)

    gold_cpts = gold.get("cpts") or []
    predicted_cpts = list({r["cpts_key"]: r for r in _rows(tables, "cpts", doc_ids)}.values())
    matched = match_names([str(r["name"]) for r in predicted_cpts], [g["name"] for g in gold_cpts])
    families["cpts"].add(
        tp=len(matched), fp=len(predicted_cpts) - len(matched), fn=len(gold_cpts) - len(matched)
    )
    owner = {}  # predicted cpts_key → gold CPTS index (or a key no gold CPTS can have)
    for i, row in enumerate(predicted_cpts):
        owner[row["cpts_key"]] = matched.get(i, f"unmatched:{row['cpts_key']}")
        if i not in matched:
            continue
        g = gold_cpts[matched[i]]
        for name in COUNT_FIELDS:
            _compare(families[name], g.get(name), _value(row[name]), lambda a, b: a == b)
        _compare(families["signed_on"], g.get("signed_on"), _as_date(row["signed_on"]),
                 date_matches)  # fmt: skip
        predicted_deps, gold_deps = set(row["departments"] or []), set(g.get("departments") or [])
        families["departments"].add(
            tp=len(predicted_deps & gold_deps),
            fp=len(predicted_deps - gold_deps),
            fn=len(gold_deps - predicted_deps),
        )
    for j in set(range(len(gold_cpts))) - set(matched.values()):
        _score_missed_cpts(families, gold_cpts[j])

    _score_amounts(report, gold, _rows(tables, "amounts", doc_ids), owner)
    gold_missions = {(j, m) for j, g in enumerate(gold_cpts) for m in g.get("missions") or []}
    predicted_missions = {
        (owner.get(r["cpts_key"], f"unknown:{r['cpts_key']}"), r["mission"])
        for r in _rows(tables, "missions", doc_ids)
        if _value(r["cpts_key"]) is not None
    }
    families["mission"].add(
        tp=len(predicted_missions & gold_missions),
        fp=len(predicted_missions - gold_missions),
        fn=len(gold_missions - predicted_missions),
    )
    report.unowned_missions += sum(
        _value(r["cpts_key"]) is None for r in _rows(tables, "missions", doc_ids)
    )


def _score_missed_cpts(families: dict[str, Score], gold_cpts: dict) -> None:
    """A gold CPTS that no prediction matches loses its facts: each is a false negative.

    Its amounts and missions are counted FN by their own scoring (no prediction has its owner).
    """
    for name in (*COUNT_FIELDS, "signed_on"):
        if gold_cpts.get(name) is not None:
            families[name].add(fn=1)
    families["departments"].add(fn=len(set(gold_cpts.get("departments") or [])))


def _score_amounts(report: EvaluationReport, gold: dict, rows: list[dict], owner: dict) -> None:
    gold_kinds: dict[tuple, Counter] = {}
    entries = [(None, a) for a in gold.get("amounts") or []] + [
        (j, a) for j, g in enumerate(gold.get("cpts") or []) for a in g.get("amounts") or []
    ]
    for j, amount in entries:
        gold_kinds.setdefault((int(amount["eur"]), j), Counter())[amount["kind"]] += 1
    predicted_kinds: dict[tuple, Counter] = {}
    for row in rows:
        key = _value(row["cpts_key"])
        who = None if key is None else owner.get(key, f"unknown:{key}")
        predicted_kinds.setdefault((int(row["amount_eur"]), who), Counter())[row["kind"]] += 1
    for pair in gold_kinds.keys() | predicted_kinds.keys():
        g, p = gold_kinds.get(pair, Counter()), predicted_kinds.get(pair, Counter())
        found = min(g.total(), p.total())
        report.families["amount"].add(tp=found, fp=p.total() - found, fn=g.total() - found)
        report.amount_kind_total += found
        report.amount_kind_correct += min(found, sum((g & p).values()))


def load_gold(gold_dir: Path) -> dict[str, dict]:
    """Gold annotations by file stem."""
    gold = {}
    for path in sorted(Path(gold_dir).glob("*.json")):
        try:
            gold[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CptsFactsError(f"bad gold file {path}: {exc}") from exc
    return gold


def evaluate(gold_dir: Path, tables: dict[str, pd.DataFrame]) -> EvaluationReport:
    """Score `tables` (as read_dataset returns them) against every gold file in `gold_dir`."""
    documents = tables["documents"]
    by_stem: dict[str, list[str]] = {}
    for source, doc_id in zip(documents["source"], documents["doc_id"], strict=True):
        by_stem.setdefault(PurePath(str(source)).stem, []).append(doc_id)
    report = EvaluationReport()
    for stem, gold in load_gold(gold_dir).items():
        doc_ids = by_stem.get(stem, [])
        (report.scored if doc_ids else report.missing).append(stem)
        _score_document(report, gold, tables, doc_ids)
    return report


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def format_report(report: EvaluationReport) -> str:
    """A plain-text table: one line per family, then overall micro and amount-kind accuracy."""
    header = f"{'family':<16}{'tp':>6}{'fp':>6}{'fn':>6}{'precision':>11}{'recall':>9}{'F1':>8}"
    lines = [header, "-" * len(header)]
    rows = [*report.families.items(), ("overall (micro)", report.overall)]
    for i, (name, s) in enumerate(rows):
        if i == len(rows) - 1:
            lines.append("-" * len(header))
        lines.append(
            f"{name:<16}{s.tp:>6}{s.fp:>6}{s.fn:>6}"
            f"{_fmt(s.precision):>11}{_fmt(s.recall):>9}{_fmt(s.f1):>8}"
        )
    kinds = f"{report.amount_kind_correct}/{report.amount_kind_total}"
    lines.append(f"amount kind accuracy: {_fmt(report.amount_kind_accuracy)} ({kinds})")
    lines.append(f"mission rows with no owning CPTS (not scored): {report.unowned_missions}")
    lines.append(f"documents scored: {len(report.scored)}")
    if report.missing:
        lines.append(f"gold files with no document (all FN): {', '.join(report.missing)}")
    return "\n".join(lines)
