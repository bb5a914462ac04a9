"""Build a benchmark corpus of N distinct releases by varying the real seeds in corpus/.

Half .txt, a quarter .pdf (3–4 pages), a quarter .html. Document i depends only on
(seed, i), so a corpus is reproducible and cheap to rebuild; a finished corpus is cached in
its folder and reused when its manifest matches.

    .venv/bin/python -m benchmarks.make_corpus 100 --out benchmarks/out/corpus-100
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script, not only with -m
    sys.path.insert(0, str(ROOT))

from benchmarks import render  # noqa: E402
from benchmarks.seeds import SLOTS  # noqa: E402
from benchmarks.variation import vary  # noqa: E402

# Bump when the generator's output changes, so cached corpora are rebuilt.
GENERATOR_VERSION = 1
SEED_DIR = ROOT / "corpus"
# i % 4 → format: two txt, one pdf, one html in every four documents.
FORMATS = ("txt", "pdf", "txt", "html")


def load_seeds(seed_dir: Path = SEED_DIR) -> list[tuple[str, str]]:
    seeds = [(p.stem[:3], p.read_text(encoding="utf-8")) for p in sorted(seed_dir.glob("*.txt"))]
    if not seeds:
        raise FileNotFoundError(f"no seed releases (*.txt) in {seed_dir}")
    return seeds


def make_document(i: int, seeds: list[tuple[str, str]], seed: int, attempt: int = 0):
    """Document i of the corpus → (file name, bytes, n_pages or None)."""
    rng = random.Random(f"{seed}:{i}:{attempt}")
    key, text = seeds[i % len(seeds)]
    text = vary(text, SLOTS.get(key, {}), rng)
    fmt = FORMATS[i % len(FORMATS)]
    pages = None
    if fmt == "pdf":
        pages = rng.choice((3, 4))
        data = render.to_pdf(text, pages)
    elif fmt == "html":
        data = render.to_html(text, rng)
    else:
        data = render.to_txt(text)
    return f"{i:05d}_seed{key}.{fmt}", data, pages


def build_corpus(n: int, out_dir: Path, seed: int = 0, seed_dir: Path = SEED_DIR) -> dict:
    """Write the corpus (or reuse a cached one) and return its manifest."""
    manifest_path = out_dir / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if (manifest.get("n"), manifest.get("seed"), manifest.get("version")) == (
            n, seed, GENERATOR_VERSION,
        ):
            manifest["cached"] = True
            return manifest
    if out_dir.exists():
        shutil.rmtree(out_dir)
    files_dir = out_dir / "files"
    files_dir.mkdir(parents=True)
    seeds = load_seeds(seed_dir)
    t0 = time.perf_counter()
    seen: set[str] = set()
    counts = {"txt": 0, "pdf": 0, "html": 0}
    pdf_pages = 0
    for i in range(n):
        attempt = 0
        while True:
            name, data, pages = make_document(i, seeds, seed, attempt)
            digest = hashlib.sha256(data).hexdigest()
            if digest not in seen:  # identical content would be one document, not two
                break
            attempt += 1
        seen.add(digest)
        (files_dir / name).write_bytes(data)
        counts[name.rsplit(".", 1)[1]] += 1
        pdf_pages += pages or 0
    manifest = {
        "n": n, "seed": seed, "version": GENERATOR_VERSION, "files_dir": str(files_dir),
        "formats": counts, "pdf_pages": pdf_pages, "build_seconds": time.perf_counter() - t0,
    }
    # Written last: a corpus interrupted half-way has no manifest and is rebuilt.
    manifest_path.write_text(json.dumps(manifest, indent=2))
    manifest["cached"] = False
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("--out", type=Path, help="corpus folder (benchmarks/out/corpus-N)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    out = args.out or ROOT / "benchmarks" / "out" / f"corpus-{args.n}"
    manifest = build_corpus(args.n, out, seed=args.seed)
    state = "cached" if manifest["cached"] else f"built in {manifest['build_seconds']:.1f} s"
    print(f"{args.n} documents in {manifest['files_dir']} ({state}): {manifest['formats']}, "
          f"{manifest['pdf_pages']} PDF pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
