"""`cpts-facts`: the analyst's command line. Thin: parse, call a flow or a function, print.

Every error the user can cause is a `CptsFactsError` printed as one line on stderr (exit 2);
`run` exits 0 when the run completed, even if some files were bad, and 3 with `--strict`.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
from pathlib import Path

from flows.dataset.memory import bound_heap_growth
from flows.run import compiled_patterns
from flows.settings import (
    CSV_DIALECTS,
    DEFAULTS,
    SERVE_SETTLE_SECONDS,
    TASK_RUNNERS,
    RunSettings,
    quiet_prefect,
)

# One example per subcommand: each ends that subcommand's --help; all of them end the main --help.
EXAMPLES = {
    "run": [
        "cpts-facts run                          # corpus/ → output/",
        "cpts-facts run inbox/ extra/cp.pdf --out /tmp/ds --strict",
        "cpts-facts run inbox/ --incremental     # only files not processed before",
        "cpts-facts run corpus --task-runner dask --dask-address tcp://10.0.0.5:8786",
    ],
    "fetch": ["cpts-facts fetch --sources sources.toml --inbox inbox/"],
    "serve": [
        'cpts-facts serve --inbox inbox/ --out output --cron "0 * * * *"',
        'cpts-facts serve --sources sources.toml --inbox inbox/ --cron "0 6 * * *"',
    ],
    "evaluate": ["cpts-facts evaluate --gold corpus/gold --out output"],
    "show": ["cpts-facts show corpus/004_de4d97111982b108.txt"],
    "report": ["cpts-facts report --out output"],
}


def examples(*commands: str) -> str:
    lines = [line for name in commands or EXAMPLES for line in EXAMPLES[name]]
    return "examples:\n" + "".join(f"  {line}\n" for line in lines)


class VersionAction(argparse.Action):
    """`--version`: the package's and the extractors' versions, read only when asked."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import PackageNotFoundError, version

        import extractors

        try:
            package = version("cpts-facts")
        except PackageNotFoundError:
            package = "(not installed)"
        print(f"cpts-facts {package} (extractors {extractors.__version__})")
        parser.exit()


EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_STRICT = 0, 1, 2, 3


class Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line like every other user error (exit 2)."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def whole_number(least: int):
    """An argparse type: an integer of at least `least` (`--workers 0` is an error, not 0)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"must be {least} or more, not {value}")
        return value

    return parse


def seconds(text: str) -> float:
    value = seconds_or_zero(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def seconds_or_zero(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, not {text!r}") from None
    if not 0 <= value < float("inf"):  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="cpts-facts",
        description="Extract facts about French CPTS from press releases into a dataset.",
        epilog=examples(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=VersionAction,
                        help="print the package and extractor versions and exit")
    sub = parser.add_subparsers(dest="command", required=True)

    run = subcommand(sub, "run", "extract a dataset from files and folders")
    run.add_argument("inputs", nargs="*", default=list(DEFAULTS.inputs),
                     help="files or folders (corpus/)")
    run.add_argument("--strict", action="store_true", help="exit 3 if any file is not ok")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.add_argument("--incremental", action="store_true",
                     help="process only new or changed files; keep the rows of the others")
    run.add_argument("--prune", action="store_true",
                     help="with --incremental: drop the rows of files no longer in the inputs")
    run.add_argument("--wait", action="store_true",
                     help="if another run is writing to --out, wait for it instead of failing")
    add_run_options(run, settle=DEFAULTS.settle_seconds)

    fetch = subcommand(sub, "fetch", "download new releases about CPTS into an inbox")
    fetch.add_argument("--sources", required=True, help="TOML file of the publishers to follow")
    fetch.add_argument("--inbox", required=True, help="folder the releases are written to")
    fetch.add_argument("--strict", action="store_true", help="exit 3 if any source or item failed")

    serve = subcommand(sub, "serve", "process new files of an inbox on a schedule")
    serve.add_argument("--inbox", required=True, help="folder where new releases arrive")
    serve.add_argument("--sources", help="TOML file of publishers: fetch their new releases "
                       "into --inbox before each run")
    when = serve.add_mutually_exclusive_group()
    when.add_argument("--cron", default="0 * * * *", help='cron schedule ("0 * * * *": hourly)')
    when.add_argument("--interval", type=seconds, help="run every SECONDS instead of --cron")
    serve.add_argument("--prune", action="store_true",
                       help="drop the rows of files deleted from the inbox")
    add_run_options(serve, settle=SERVE_SETTLE_SECONDS)

    ev = subcommand(sub, "evaluate", "score a dataset against gold annotations")
    ev.add_argument("--gold", default="corpus/gold", help="folder of gold JSON (corpus/gold)")
    ev.add_argument("--out", default=DEFAULTS.out_dir, help="dataset folder to score (output/)")

    show = subcommand(sub, "show", "print one release's facts, grouped by CPTS")
    show.add_argument("file", help="a release file (extracted now), or a doc_id/source in --out")
    show.add_argument("--out", default=DEFAULTS.out_dir,
                      help="dataset to look in when FILE is no file")

    rep = subcommand(sub, "report", "(re)write report.html (and evidence/) in the current "
                     "snapshot of a dataset")
    rep.add_argument("--out", default=DEFAULTS.out_dir, help="dataset folder (output/)")
    rep.add_argument("--max-docs", type=whole_number(0), default=DEFAULTS.report_max_docs,
                     help="documents whose text the report shows (problems first)")
    return parser


def subcommand(sub, name: str, summary: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=summary, epilog=examples(name),
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def add_run_options(command: argparse.ArgumentParser, *, settle: float) -> None:
    """The options of a run, shared by `run` and `serve` (flows/settings.py RunSettings);
    `settle`: the command's default --settle-seconds."""
    command.add_argument("--out", default=DEFAULTS.out_dir, help="output folder (output/)")
    command.add_argument("--batch-size", type=whole_number(1), default=DEFAULTS.batch_size,
                         help="files per Prefect task")
    command.add_argument("--workers", type=whole_number(1), default=DEFAULTS.workers,
                         help="processes extracting in parallel (1: no pool; with "
                         "--task-runner dask: the local cluster's workers)")
    command.add_argument("--report-max-docs", type=whole_number(0),
                         default=DEFAULTS.report_max_docs,
                         help="documents whose text report.html shows (problems first)")
    command.add_argument("--max-bytes", type=whole_number(1), default=DEFAULTS.max_bytes,
                         help="largest file read")
    command.add_argument("--max-pages", type=whole_number(1), default=DEFAULTS.max_pages,
                         help="largest PDF read, in pages")
    command.add_argument("--file-seconds", type=seconds, default=DEFAULTS.file_seconds,
                         help="time one file may take to extract; past it, a timeout row")
    command.add_argument("--file-memory-mb", type=whole_number(1),
                         default=DEFAULTS.file_memory_mb, help="memory one file may take to "
                         "extract, in MB; past it, a too_large row")
    command.add_argument("--settle-seconds", type=seconds_or_zero, default=settle,
                         help="leave files changed less than SECONDS ago (still being "
                         "written) for a later run; 0: take every file")
    command.add_argument("--csv-dialect", choices=CSV_DIALECTS, default=DEFAULTS.csv_dialect,
                         help="excel-fr: ';' separated, decimal comma, UTF-8 with BOM")
    command.add_argument("--no-report", action="store_true", help="do not write report.html")
    command.add_argument("--task-runner", choices=TASK_RUNNERS, default=DEFAULTS.task_runner,
                         help="dask: run batches in parallel on a Dask cluster")
    command.add_argument("--dask-address", help="scheduler of an existing Dask cluster "
                         "(tcp://HOST:8786); default: a local cluster of --workers processes")


def run_settings(args: argparse.Namespace, **fixed) -> RunSettings:
    """The one `RunSettings` of a `run` or `serve` command line; `fixed`: what the command
    decides for itself."""
    options = dict(
        out_dir=args.out, batch_size=args.batch_size, workers=args.workers,
        report_max_docs=args.report_max_docs, max_bytes=args.max_bytes,
        max_pages=args.max_pages, file_seconds=args.file_seconds,
        file_memory_mb=args.file_memory_mb, settle_seconds=args.settle_seconds,
        csv_dialect=args.csv_dialect,
        report=not args.no_report,
        prune=args.prune, task_runner=args.task_runner, dask_address=args.dask_address,
    )
    return RunSettings(**{**options, **fixed})


def main(argv: list[str] | None = None) -> int:
    # Before any thread starts: the arenas of glibc's heap are per thread (memory.py).
    bound_heap_growth()
    quiet_prefect()
    compiled_patterns.install()  # `show` and a serial run compile the extractors' patterns here
    args = build_parser().parse_args(argv)
    from flows.errors import CptsFactsError

    commands = {"run": cmd_run, "evaluate": cmd_evaluate, "show": cmd_show,
                "report": cmd_report, "fetch": cmd_fetch, "serve": cmd_serve}
    stopping = contextlib.nullcontext()
    if args.command in ("run", "serve"):
        from flows.run import interrupt

        # One signal stops them at once, with one line and exit 130/143 (flows/run/interrupt.py).
        stopping = interrupt.installed()
    try:
        with stopping:
            return commands[args.command](args)
    except CptsFactsError as exc:
        print(f"cpts-facts: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        # A read-only or full disk, a folder where a file should be: the user's to fix, so one
        # line that names the path, not a traceback.
        where = f": {exc.filename}" if exc.filename else ""
        print(f"cpts-facts: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("cpts-facts: interrupted", file=sys.stderr)
        return 130


def cmd_run(args: argparse.Namespace) -> int:
    from flows.errors import CptsFactsError

    for item in args.inputs:
        if not Path(item).exists():
            raise CptsFactsError(f"input not found: {item}")
    settings = run_settings(args, inputs=args.inputs, incremental=args.incremental,
                            wait=args.wait)
    from flows.run import interrupt, progress

    interrupt.before_run(settings.out_path)
    from flows.run.api_server import prefect_api

    progress.start(progress.STARTING)
    # Before Prefect is imported: it reads PREFECT_API_URL once, at import. A background server
    # being started has its address already: the flow is imported while it boots.
    with _workers_now(settings), prefect_api(meanwhile=_import_the_flow) as ours:
        from flows.run.view import run_with_progress

        summary = run_with_progress(settings, quiet=args.quiet, heartbeats=not ours)
    if args.strict and summary["not_ok"]:
        return EXIT_STRICT
    return EXIT_OK


def _import_the_flow() -> None:
    """Prefect and the flow: seconds of imports."""
    import importlib

    for module in ("flows.run.pipeline", "flows.run.view"):
        importlib.import_module(module)


@contextlib.contextmanager
def _workers_now(settings):
    """The worker processes of a full run, started before Prefect is: their forkserver imports
    the pipeline (seconds) on the other core while this process imports Prefect and reaches its
    API, and the run's first batches are given to them at once (flows/run/ahead.py); the flow
    then finds them ready, or done. An incremental run may have nothing to extract: its flow
    starts them when it does."""
    if settings.task_runner != "default" or settings.incremental:
        yield
        return
    from flows.run.ahead import give_ahead
    from flows.run.runners import active_pool, local_pool

    with local_pool(settings.workers):
        pool = active_pool()
        if pool is not None:
            give_ahead(pool, settings)
        yield


def cmd_serve(args: argparse.Namespace) -> int:
    # Every tick processes only what is new, and waits for a run still writing.
    settings = run_settings(args, inputs=[str(Path(args.inbox).absolute())],
                            out_dir=str(Path(args.out).absolute()), incremental=True,
                            wait=True)
    from flows.run.serve import serve

    sources = Path(args.sources) if args.sources else None
    serve(settings, cron=args.cron, interval=args.interval, sources=sources)
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from flows.show import show

    show(args.file, Path(args.out))
    return EXIT_OK


def cmd_fetch(args: argparse.Namespace) -> int:
    from flows.fetch.follow import fetch_all
    from flows.fetch.sources import load_sources

    config = load_sources(Path(args.sources))
    print(f"cpts-facts: following {len(config.sources)} source(s) into {args.inbox}",
          file=sys.stderr, flush=True)

    def show(report) -> None:
        print(report.line(), flush=True)
        for item in report.failures:
            print(f"  failed {item.url}: {item.message}", flush=True)
        for item in report.items:
            if item.outcome in ("new", "updated"):
                print(f"  {item.outcome} {item.file}  ← {item.url}", flush=True)

    reports = fetch_all(config, Path(args.inbox), on_report=show)
    failed = any(r.status == "failed" or r.failures for r in reports)
    return EXIT_STRICT if args.strict and failed else EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from flows.dataset.export import read_dataset
    from flows.errors import CptsFactsError
    from flows.evaluate import evaluate, format_report

    gold = Path(args.gold)
    if not gold.is_dir():
        raise CptsFactsError(f"gold folder not found: {gold}")
    out = Path(args.out)
    if not (out / "documents.parquet").exists():
        raise CptsFactsError(f"no dataset in {out}: run `cpts-facts run --out {out}` first")
    report = evaluate(gold, read_dataset(out))
    print(format_report(report))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from flows.publish.extras import rewrite_report

    path = rewrite_report(Path(args.out), args.max_docs)
    print(f"report: {path}")
    return EXIT_OK


def console() -> int:
    """The `cpts-facts` command: `main`, then a quick end of the process."""
    code = main()
    # The interpreter's last garbage collection walks every object still alive (Prefect,
    # pandas, the parsed tables): ~0.5 s of a 10 s run here, for a process that is ending.
    # Frozen objects are left out of it. Nothing waits on it: every output file was closed
    # before `main` returned, and the atexit handlers (Prefect sends its last events there,
    # the worker pool's resources are released there) still run, before that collection.
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(console())
