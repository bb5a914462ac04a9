"""Hostile inputs for the fault suite, made on the spot (nothing big is committed)."""

from __future__ import annotations

import zlib
from pathlib import Path

from tests.conftest import SEEDS


def inflating_pdf(path: Path, inflated_mb: int) -> Path:
    """A valid one-page PDF of a few kB whose content stream inflates to `inflated_mb` MB of
    text-showing operators: pdfium spends seconds and gigabytes inside C on it."""
    deflate = zlib.compressobj(9)
    chunk = b"(A) Tj " * (1024 * 1024 // 7)
    stream = deflate.compress(b"BT /F1 12 Tf 72 712 Td ")
    stream += b"".join(deflate.compress(chunk) for _ in range(inflated_mb))
    stream += deflate.compress(b" ET") + deflate.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def long_release(path: Path, megabytes: float) -> Path:
    """A text of `megabytes` MB made of the seed releases, one after another."""
    seeds = "\n\n".join(seed.read_text(encoding="utf-8") for seed in SEEDS)
    copies = int(megabytes * 1e6 // len(seeds.encode())) + 1
    path.write_text("\n\n".join([seeds] * copies), encoding="utf-8")
    return path
