"""French date parsing shared by the date extractors (placeholder until the dates work lands)."""

from __future__ import annotations

import datetime as dt

from extractors.types import Precision


def reference_date(text: str) -> tuple[dt.date, Precision] | None:
    return None
