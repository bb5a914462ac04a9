"""The fetch as Prefect flows: `cpts-facts-fetch` (one task per source) and `cpts-facts-follow`
(fetch, then extract the inbox incrementally), which `serve --sources` deploys.

Each source is a task run with its own logs and a Markdown artifact listing what became of its
items, so the Prefect UI shows which publisher failed and why. A source that fails is reported
and the others go on: `follow_source` turns every problem into its report, and a bug in one
source fails that task only. The sources share one client, so the per-host delay and the
robots.txt cache hold across sources, and run one after the other.
"""

from __future__ import annotations

from pathlib import Path

from flows.settings import quiet_prefect

quiet_prefect()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from flows.errors import CptsFactsError  # noqa: E402
from flows.fetch import outcomes  # noqa: E402
from flows.fetch.follow import follow_guarded, inbox_lock  # noqa: E402
from flows.fetch.http import PoliteClient  # noqa: E402
from flows.fetch.sources import Source, load_sources  # noqa: E402
from flows.fetch.state import FetchState, load_state  # noqa: E402
from flows.settings import RunSettings  # noqa: E402

ARTIFACT_ITEMS = 50  # rows of an artifact; the counts cover the rest


class TransientSourceError(CptsFactsError):
    """A source whose server or network failed: Prefect retries its task after a delay."""


@task(name="fetch-source", cache_policy=NO_CACHE, persist_result=False,
      task_run_name="fetch {source.url}", retries=1, retry_delay_seconds=300)
def fetch_source_task(source: Source, client: PoliteClient, state: FetchState) -> dict:
    attempt, allowed = _attempt()
    if attempt > 1:
        client.robots.forget_problems()
    report = follow_guarded(source, client, state)
    logger = get_run_logger()
    if report.status == "failed" and report.transient and attempt < allowed:
        # The client already retried within seconds; a server that is down for maintenance
        # gets another chance minutes later, as its own task run in the UI.
        logger.warning("%s (attempt %d of %d, retried later)", report.line(), attempt, allowed)
        raise TransientSourceError(report.message)
    (logger.warning if report.status == "failed" else logger.info)(report.line())
    for item in report.failures:
        logger.warning("%s: %s", item.url, item.message)
    create_markdown_artifact(markdown=source_markdown(report), description=report.label)
    return report.as_dict()


@flow(name="cpts-facts-fetch", validate_parameters=False)
def fetch_flow(sources_file: str, inbox: str, retry_delay_seconds: float = 300) -> dict:
    """Download the new releases about CPTS of every source in `sources_file` into `inbox`.
    A source whose server or network failed is tried again after `retry_delay_seconds`."""
    config = load_sources(Path(sources_file))
    runner = fetch_source_task.with_options(retry_delay_seconds=retry_delay_seconds)
    folder = Path(inbox)
    folder.mkdir(parents=True, exist_ok=True)
    reports = []
    with PoliteClient(config.settings) as client, inbox_lock(folder, timeout=600):
        state = load_state(folder)
        for source in config.sources:
            future = runner.submit(source, client, state)
            reports.append(future.result(raise_on_failure=False))
            if not isinstance(reports[-1], dict):  # the task itself failed (a bug)
                reports[-1] = {"url": source.url, "status": "failed",
                               "message": str(reports[-1]), "items": [], "counts": {}}
    return summary(reports)


@flow(name="cpts-facts-follow", validate_parameters=False)
def follow_flow(sources_file: str, settings: RunSettings,
                retry_delay_seconds: float = 300) -> dict:
    """What `serve --sources` runs on each tick: fetch into the inbox `settings.inputs[0]`,
    then extract what arrived (`serve` makes the settings incremental).

    A fetch that fails as a whole (the sources file was edited into something unreadable, the
    inbox is locked) does not keep the files already in the inbox from being extracted; the
    run then fails after extracting, so the UI shows it."""
    from flows.run.pipeline import extract_flow, served_run

    served_run()  # ends with `serve`, fetching included
    settings = RunSettings.of(settings)
    inbox = settings.inputs[0]
    Path(inbox).mkdir(parents=True, exist_ok=True)
    fetched = fetch_flow(sources_file, inbox, retry_delay_seconds, return_state=True)
    extracted = extract_flow(settings)
    if fetched.is_failed():
        raise CptsFactsError(f"fetch failed: {fetched.message}")
    return {"fetch": fetched.result(), "extract": extracted}


def _attempt() -> tuple[int, int]:
    """(this attempt, attempts allowed) of the running task."""
    from prefect.context import TaskRunContext

    context = TaskRunContext.get()
    if context is None:
        return 1, 1
    return context.task_run.run_count, context.task.retries + 1


def summary(reports: list[dict]) -> dict:
    totals: dict[str, int] = {}
    for report in reports:
        for key, n in report.get("counts", {}).items():
            totals[key] = totals.get(key, 0) + n
    failed = [r["url"] for r in reports if r.get("status") == "failed"]
    return {"sources": len(reports), "failed_sources": failed, "items": totals,
            "reports": reports}


def source_markdown(report: outcomes.SourceReport) -> str:
    counts = ", ".join(f"{n} {k}" for k, n in report.counts().items()) or "no item"
    lines = [f"# {report.label}", "", f"**{report.status}** ({report.kind or 'kind unknown'})"
             f" — {report.message or counts}", ""]
    shown = [i for i in report.items if i.outcome not in (outcomes.NOT_RELEVANT, outcomes.KNOWN)]
    if shown:
        lines += ["| outcome | item | file or reason |", "|---|---|---|"]
        for item in shown[:ARTIFACT_ITEMS]:
            detail = (item.message or item.file or "").replace("|", "\\|")
            lines.append(f"| {item.outcome} | {item.url} | {detail} |")
        if len(shown) > ARTIFACT_ITEMS:
            lines.append(f"\n… and {len(shown) - ARTIFACT_ITEMS} more")
    return "\n".join(lines)
