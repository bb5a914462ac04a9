"""Run settings and the environment Prefect must see before it is imported.

Prefect reads its settings from the environment at import time, so `quiet_prefect()` runs
first in every entry point. Values are only defaults: a user's own environment wins, which is
how `PREFECT_API_URL` selects a real server instead of the temporary local one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

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


def quiet_prefect() -> None:
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)


@dataclass(frozen=True)
class RunSettings:
    """What a run was asked to do; written to run.json so a dataset says how it was made."""

    inputs: tuple[str, ...] = ("corpus",)
    out_dir: str = "output"
    batch_size: int = 25
    max_bytes: int = 20_000_000
    max_pages: int = 200
    strict: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def out_path(self) -> Path:
        return Path(self.out_dir)
