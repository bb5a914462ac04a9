"""A fresh local publisher per test, and a client tuned to fail fast against it."""

from __future__ import annotations

import pytest

from flows.fetch.http import PoliteClient
from flows.fetch.sources import FetchSettings
from tests.flows.fetch.server import Route, Site

FAST = FetchSettings(delay_seconds=0.0, timeout_seconds=1.0, max_bytes=2_000_000, retries=2,
                     backoff_seconds=0.01)


@pytest.fixture
def site():
    with Site() as running:
        running.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /prive/\n",
                                              "text/plain")
        yield running


@pytest.fixture
def client():
    with PoliteClient(FAST) as polite:
        yield polite
