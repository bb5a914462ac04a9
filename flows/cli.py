"""`cpts-facts`: the analyst's command line. Thin: parse, call a flow or a function, print.

Every error the user can cause is a `CptsFactsError` printed as one line on stderr (exit 2);
`run` exits 0 when the run completed, even if some files were bad, and 3 with `--strict`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows.settings import quiet_prefect

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cpts-facts",
        description="Extract facts about French CPTS from press releases into a dataset.",
        epilog=examples(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=VersionAction,
                        help="print the package and extractor versions and exit")
    sub = parser.add_subparsers(dest="command", required=True)

    run = subcommand(sub, "run", "extract a dataset from files and folders")
    run.add_argument("inputs", nargs="*", default=["corpus"], help="files or folders (corpus/)")
    run.add_argument("--out", default="output", help="output folder (output/)")
    run.add_argument("--strict", action="store_true", help="exit 3 if any file is not ok")
    run.add_argument("--batch-size", type=int, default=100, help="files per Prefect task")
    run.add_argument("--workers", type=int, default=2,
                     help="processes extracting in parallel (default runner; 1: no pool)")
    run.add_argument("--report-max-docs", type=int, default=300,
                     help="documents whose text report.html shows (problems first)")
    run.add_argument("--max-bytes", type=int, default=20_000_000, help="largest file read")
    run.add_argument("--max-pages", type=int, default=200, help="largest PDF read, in pages")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.add_argument("--csv-dialect", choices=["standard", "excel-fr"], default="standard",
                     help="excel-fr: ';' separated, decimal comma, UTF-8 with BOM")
    run.add_argument("--no-report", action="store_true", help="do not write report.html")
    add_update_options(run)
    run.add_argument("--task-runner", choices=["default", "dask"], default="default",
                     help="dask: run batches in parallel on a Dask cluster")
    run.add_argument("--dask-address", help="scheduler of an existing Dask cluster "
                     "(tcp://HOST:8786); default: a local cluster of 2 worker processes")

    fetch = subcommand(sub, "fetch", "download new releases about CPTS into an inbox")
    fetch.add_argument("--sources", required=True, help="TOML file of the publishers to follow")
    fetch.add_argument("--inbox", required=True, help="folder the releases are written to")
    fetch.add_argument("--strict", action="store_true", help="exit 3 if any source or item failed")

    serve = subcommand(sub, "serve", "process new files of an inbox on a schedule")
    serve.add_argument("--inbox", required=True, help="folder where new releases arrive")
    serve.add_argument("--sources", help="TOML file of publishers: fetch their new releases "
                       "into --inbox before each run")
    serve.add_argument("--out", default="output", help="output folder (output/)")
    when = serve.add_mutually_exclusive_group()
    when.add_argument("--cron", default="0 * * * *", help='cron schedule ("0 * * * *": hourly)')
    when.add_argument("--interval", type=float, help="run every SECONDS instead of --cron")
    serve.add_argument("--batch-size", type=int, default=25, help="files per Prefect task")
    serve.add_argument("--prune", action="store_true",
                       help="drop the rows of files deleted from the inbox")

    ev = subcommand(sub, "evaluate", "score a dataset against gold annotations")
    ev.add_argument("--gold", default="corpus/gold", help="folder of gold JSON (corpus/gold)")
    ev.add_argument("--out", default="output", help="dataset folder to score (output/)")

    show = subcommand(sub, "show", "print one release's facts, grouped by CPTS")
    show.add_argument("file", help="a release file (extracted now), or a doc_id/source in --out")
    show.add_argument("--out", default="output", help="dataset to look in when FILE is no file")

    rep = subcommand(sub, "report", "(re)write report.html (and evidence/) in the current "
                     "snapshot of a dataset")
    rep.add_argument("--out", default="output", help="dataset folder (output/)")
    rep.add_argument("--max-docs", type=int, default=300,
                     help="documents whose text the report shows (problems first)")
    return parser


def subcommand(sub, name: str, summary: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=summary, epilog=examples(name),
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def add_update_options(run: argparse.ArgumentParser) -> None:
    run.add_argument("--incremental", action="store_true",
                     help="process only new or changed files; keep the rows of the others")
    run.add_argument("--prune", action="store_true",
                     help="with --incremental: drop the rows of files no longer in the inputs")
    run.add_argument("--wait", action="store_true",
                     help="if another run is writing to --out, wait for it instead of failing")


def main(argv: list[str] | None = None) -> int:
    quiet_prefect()
    args = build_parser().parse_args(argv)
    from flows.errors import CptsFactsError

    try:
        if args.command == "run":
            return cmd_run(args)
        if args.command == "evaluate":
            return cmd_evaluate(args)
        if args.command == "show":
            from flows.show_cmd import cmd_show

            return cmd_show(args)
        if args.command == "report":
            return cmd_report(args)
        if args.command == "fetch":
            return cmd_fetch(args)
        if args.command == "serve":
            from flows.run.serve import cmd_serve

            return cmd_serve(args)
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
    return EXIT_ERROR


def cmd_run(args: argparse.Namespace) -> int:
    from flows.errors import CptsFactsError

    for item in args.inputs:
        if not Path(item).exists():
            raise CptsFactsError(f"input not found: {item}")
    from flows.run import progress
    from flows.run.api_server import use_background_server

    progress.start(progress.STARTING)
    # Before Prefect is imported: it reads PREFECT_API_URL once, at import.
    use_background_server()
    from flows.run.view import run_with_progress

    summary = run_with_progress(args)
    if args.strict and summary["not_ok"]:
        return EXIT_STRICT
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


if __name__ == "__main__":
    sys.exit(main())
