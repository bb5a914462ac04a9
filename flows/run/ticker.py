"""The clock of `cpts-facts serve`: create a run of the deployment at each cron/interval tick.

Prefect's server-side scheduler would do this, but here it cannot: the temporary server runs
no services, and with SQLAlchemy 2.1 the scheduler service of Prefect 3.8.8 fails on every
loop ("Can't evaluate bulk DML statement"). Ticking in the serve process works with any API.
A tick is skipped while the previous run is still going: it would only wait for the lock.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator

from cronsim import CronSim

log = logging.getLogger(__name__)


def ticks(cron: str | None, interval: float | None, start: dt.datetime) -> Iterator[dt.datetime]:
    if interval:
        n = 1
        while True:
            yield start + dt.timedelta(seconds=interval * n)
            n += 1
    yield from CronSim(cron or "0 * * * *", start)


class Ticker(threading.Thread):
    def __init__(self, deployment: str, cron: str | None, interval: float | None) -> None:
        super().__init__(name="cpts-facts-ticker", daemon=True)
        self.deployment, self.cron, self.interval = deployment, cron, interval
        self.stopped = threading.Event()
        self.last_run_id = None

    def stop(self) -> None:
        self.stopped.set()

    def run(self) -> None:
        for when in ticks(self.cron, self.interval, dt.datetime.now(dt.UTC)):
            delay = (when - dt.datetime.now(dt.UTC)).total_seconds()
            if self.stopped.wait(max(delay, 0)):
                return
            try:
                self._tick()
            except Exception as exc:  # a failed tick (API down) must not end serving
                log.warning("cpts-facts: tick skipped: %s", exc)

    def _tick(self) -> None:
        from prefect.client.orchestration import get_client
        from prefect.deployments import run_deployment

        if self.last_run_id is not None:
            with get_client(sync_client=True) as client:
                state = client.read_flow_run(self.last_run_id).state
            if state is not None and not state.is_final():
                log.info("cpts-facts: previous run still going; tick skipped")
                return
        run = run_deployment(self.deployment, timeout=0)
        self.last_run_id = run.id
