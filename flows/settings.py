"""Run settings, and the environment Prefect must see before it is imported.

`RunSettings` is what a run was asked to do. The command line builds it once, for `run` and
`serve` alike (flows/cli.py); the flow takes it whole (flows/run/pipeline.py) and writes it into
run.json, so a dataset says how it was made. Its field defaults are the project's defaults,
written here only: every other module that needs one reads it from here.

Prefect reads its settings from the environment at import time, so `quiet_prefect()` runs
first in every entry point. Values are only defaults: a user's own environment wins, which is
how `PREFECT_API_URL` selects a real server instead of the temporary local one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from flows.errors import CptsFactsError

PREFECT_DEFAULTS = {
    # Nothing phones home: Prefect's server analytics and anonymous usage events are off.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS": "false",
    # The temporary local server takes 7–13 s to start on two cores; 20 s is too tight in CI.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_UI_ENABLED": "false",
}

CSV_DIALECTS = ("standard", "excel-fr")
# A file an inbox receives is complete once unchanged this long (a download, a copy): what
# `serve` waits for by default. Ticks are minutes apart, so waiting costs nothing.
SERVE_SETTLE_SECONDS = 5.0
TASK_RUNNERS = ("default", "dask")


def quiet_prefect() -> None:
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)


@dataclass(frozen=True)
class RunSettings:
    """What a run was asked to do (see the module docstring); invalid values raise at once."""

    inputs: tuple[str, ...] = ("corpus",)
    out_dir: str = "output"
    # A text release costs ~10 ms: a batch of 100 is ~1 s of work per task run, so Prefect's
    # few ms per task are noise (the flow makes batches smaller to keep every worker busy).
    batch_size: int = 100
    # spaCy holds the GIL: only processes use both cores of the machine this was tuned on.
    workers: int = 2
    max_bytes: int = 20_000_000  # decimal MB, as messages print them
    max_pages: int = 200
    # Per-file budgets while a file is extracted (flows/run/budget.py): one file must never
    # hold the run. None: no limit (not offered on the command line).
    file_seconds: float | None = 300.0
    file_memory_mb: int | None = 4096
    # A report inlining 10 000 highlighted texts weighs ~150 MB: no browser opens it.
    # None: every text (not offered on the command line).
    report_max_docs: int | None = 300
    csv_dialect: str = "standard"
    report: bool = True
    incremental: bool = False
    # Files changed less than this long ago are left for a later run (they may still be being
    # written); `serve` asks for SERVE_SETTLE_SECONDS.
    settle_seconds: float = 0.0
    prune: bool = False
    wait: bool = False  # wait for another run on out_dir instead of failing
    task_runner: str = "default"
    dask_address: str | None = None
    retries: int = 2  # of a batch whose files could not be read (often transient)
    retry_delay_seconds: float = 1.0

    def __post_init__(self) -> None:
        # A list from a caller or from a deployment's JSON parameters: the same inputs.
        object.__setattr__(self, "inputs", tuple(str(p) for p in self.inputs))
        for name, least in (("batch_size", 1), ("workers", 1), ("max_bytes", 1),
                            ("max_pages", 1), ("retries", 0)):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < least:
                raise CptsFactsError(f"{name} must be a whole number of {least} or more, "
                                     f"not {value!r}")
        if self.file_memory_mb is not None and (not isinstance(self.file_memory_mb, int)
                                                or self.file_memory_mb < 1):
            raise CptsFactsError(f"file_memory_mb must be a whole number of 1 or more, "
                                 f"not {self.file_memory_mb!r}")
        if self.file_seconds is not None and not self.file_seconds > 0:
            raise CptsFactsError(f"file_seconds must be more than 0, not {self.file_seconds!r}")
        if not isinstance(self.settle_seconds, int | float) or not self.settle_seconds >= 0:
            raise CptsFactsError(f"settle_seconds must be 0 or more, not {self.settle_seconds!r}")
        if self.report_max_docs is not None and self.report_max_docs < 0:
            raise CptsFactsError(f"report_max_docs must be 0 or more, not {self.report_max_docs}")
        if self.csv_dialect not in CSV_DIALECTS:
            raise CptsFactsError(f"unknown CSV dialect {self.csv_dialect!r} "
                                 f"(choose from {', '.join(CSV_DIALECTS)})")
        if self.task_runner not in TASK_RUNNERS:
            raise CptsFactsError(f"unknown task runner: {self.task_runner} "
                                 f"(choose from {', '.join(TASK_RUNNERS)})")
        if self.dask_address and self.task_runner != "dask":
            raise CptsFactsError("a Dask address needs the dask task runner (--task-runner dask)")

    @classmethod
    def of(cls, value: RunSettings | Mapping) -> RunSettings:
        """`value` itself, or the settings a mapping spells (a deployment's parameters come
        back from the Prefect API as JSON)."""
        if isinstance(value, RunSettings):
            return value
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(value) - known)
        if unknown:
            raise CptsFactsError(f"unknown run setting: {', '.join(unknown)}")
        return cls(**value)

    @property
    def out_path(self) -> Path:
        return Path(self.out_dir)

    def as_dict(self) -> dict:
        """JSON-ready: what `of` reads back."""
        data = asdict(self)
        data["inputs"] = list(self.inputs)
        return data

    def recorded(self) -> dict:
        """run.json's "settings": how the dataset was made (where from and to are recorded
        beside it, as "inputs", and by the folder itself)."""
        data = self.as_dict()
        del data["inputs"], data["out_dir"]
        return data


DEFAULTS = RunSettings()
