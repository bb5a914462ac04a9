"""Shared fixtures: the corpus processed once without Prefect, and one Prefect harness."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flows.settings import quiet_prefect

quiet_prefect()
# A CLI a test runs in a subprocess uses Prefect's temporary server, never leaving a background
# one running (tests/flows/run/test_api_server.py starts its own, in a private home, and stops it).
os.environ["CPTS_FACTS_PREFECT_SERVER"] = "temporary"

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLD = CORPUS / "gold"
SEEDS = sorted(CORPUS.glob("*.txt"))
TEST_DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def corpus_results():
    """Every seed release through ingest → document → extractors → assemble, in memory."""
    from flows.read.discover import Entry
    from flows.run.process import process_file

    return {path.stem: process_file(Entry(path, path.name)) for path in SEEDS}


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for the whole session (starting one costs ~9 s)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
