"""Time per MB of one long document, text and HTML, from 0.1 MB up: is extraction linear?

    .venv/bin/python -m benchmarks.long_files --sizes 0.1 0.5 2 --formats txt html

Each document is the seed releases repeated to the size asked (HTML: one <p> per paragraph),
read and extracted in this process through `flows.run.process.process_file` (the code path of
a batch), with no per-file budget. The language model and the first-use costs are paid first,
on the seed releases themselves, one file each: that pass is printed as the "seeds" row, the
rate the same text reaches in short documents (its second pass, warm). A flat "s/MB" column,
close to the seeds' row, is linear work; a quadratic rule shows as a column that grows with the
size. The sizes default to 0.1 → 20 MB (20 MB takes minutes here).
"""

from __future__ import annotations

import argparse
import html
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from flows.read.discover import Entry  # noqa: E402
from flows.run.process import process_file  # noqa: E402

SEEDS = sorted((ROOT / "corpus").glob("*.txt"))


def _text(megabytes: float) -> str:
    seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in SEEDS)
    copies = int(megabytes * 1e6 // len(seeds.encode())) + 1
    return "\n\n".join([seeds] * copies)[: int(megabytes * 1e6)]


def write(folder: Path, fmt: str, megabytes: float) -> Path:
    text = _text(megabytes)
    path = folder / f"long_{megabytes:g}mb.{fmt}"
    if fmt == "html":
        paragraphs = "".join(f"<p>{html.escape(p)}</p>\n" for p in text.split("\n\n"))
        text = f"<html><head><meta charset='utf-8'><title>Long</title></head><body><article>" \
               f"{paragraphs}</article></body></html>"
    path.write_text(text, encoding="utf-8")
    return path


def measure(path: Path) -> tuple[float, float, str, int]:
    """Wall and CPU seconds of `path`, its status and its number of CPTS."""
    started, cpu = time.perf_counter(), time.process_time()
    result = process_file(Entry(path, path.name), max_bytes=10**9, max_pages=10**6)
    cpts = len(result.assembly.cpts) if result.assembly else 0
    return (time.perf_counter() - started, time.process_time() - cpu,
            result.status or result.ingested.status, cpts)


def seeds_once() -> tuple[float, float, int]:
    """Wall and CPU seconds for the seed releases, one file each, and their bytes."""
    started, cpu = time.perf_counter(), time.process_time()
    for path in SEEDS:
        process_file(Entry(path, path.name), max_bytes=10**9, max_pages=10**6)
    return (time.perf_counter() - started, time.process_time() - cpu,
            sum(p.stat().st_size for p in SEEDS))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.1, 0.5, 2, 5, 20])
    parser.add_argument("--formats", nargs="+", choices=["txt", "html"], default=["txt", "html"])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cpts-long-") as tmp:
        folder = Path(tmp)
        seeds_once()  # model load and first-use costs (0.01 MB of text never reached spaCy)
        seconds, cpu, size = seeds_once()
        # CPU seconds as well: on a shared machine the wall clock also counts other jobs.
        print(f"{'format':6} {'MB':>6} {'seconds':>8} {'s/MB':>6} {'CPU s/MB':>8}  status  CPTS")
        print(f"{'seeds':6} {size / 1e6:6.3f} {seconds:8.2f} {seconds / size * 1e6:6.2f} "
              f"{cpu / size * 1e6:8.2f}  {len(SEEDS)} files, one document each", flush=True)
        for fmt in args.formats:
            for size in args.sizes:
                path = write(folder, fmt, size)
                megabytes = path.stat().st_size / 1e6
                seconds, cpu, status, cpts = measure(path)
                print(f"{fmt:6} {megabytes:6.3f} {seconds:8.2f} {seconds / megabytes:6.2f} "
                      f"{cpu / megabytes:8.2f}  {status:6}  {cpts}", flush=True)
                path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
