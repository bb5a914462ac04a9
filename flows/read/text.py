"""Bytes of a text file of unknown encoding → str, or a reason why they are not text.

Order matters: a byte-order mark is proof, strict UTF-8 is nearly proof (random bytes almost
never form valid UTF-8), and only then is charset-normalizer asked to guess.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer
import ftfy

from flows.errors import BadInputError

# Longest BOMs first: the UTF-32-LE mark starts with the UTF-16-LE one.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# charset-normalizer reads this many bytes; its verdict does not improve beyond that and
# guessing on a 20 MB file would otherwise cost seconds.
GUESS_SAMPLE_BYTES = 256 * 1024

# More than this share of control characters (NUL included) is a binary file, not text with a
# few stray bytes.
MAX_CONTROL_SHARE = 0.05
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# Signatures of binary formats that people rename to .txt, to name them in the message.
MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (docx, odt, xlsx…)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (doc, xls)"),
)

# UTF-8 read as cp1252/latin-1 leaves "Ã©" for "é", "Â " for NBSP and "â€™" for "’". Cheap to
# search; ftfy only runs when it hits, so clean files do not pay for ftfy.
MOJIBAKE_HINT = re.compile(r"[ÃÂ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                           r"\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]|â€")

# Only the encoding repair: ftfy's other fixes (uncurling quotes, NFC, ligatures) would rewrite
# text that document.py normalises on its own terms.
FTFY_ENCODING_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

# Western single-byte code pages: the ones a French release is written in.
WESTERN = "cp1252"


class NotText(BadInputError):
    """The bytes are not text in any encoding we can recognise."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    notes: tuple[str, ...]  # what was repaired, in words, for the documents.message column


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """Decode `data`; `declared` is an encoding the file names itself (HTML meta charset).

    Raises `NotText` for binary content. NUL bytes are dropped, line endings become "\\n",
    and UTF-8 mojibake ("Ã©") is repaired with ftfy.
    """
    text, encoding = _decode(data, declared)
    notes = [f"decoded as {encoding.replace('-sig', ' with BOM')}"]
    controls = len(CONTROL.findall(text))
    if text and controls > MAX_CONTROL_SHARE * len(text):
        raise NotText(_binary_message(data))
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")
        notes.append(f"dropped {nuls} NUL byte{'s' if nuls > 1 else ''}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if MOJIBAKE_HINT.search(text):
        fixed = ftfy.fix_text(text, FTFY_ENCODING_ONLY)
        if fixed != text:
            text = fixed
            notes.append("repaired mojibake (UTF-8 read as Latin-1, e.g. 'Ã©' → 'é') with ftfy")
    return Decoded(text, encoding, tuple(notes))


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    if declared:
        try:
            # As browsers do (WHATWG encoding standard): a page labelled Latin-1 or ASCII is
            # read as cp1252, so its curly quotes and "œ" are not lost to C1 controls.
            name = codecs.lookup(declared).name
            name = WESTERN if name in ("iso8859-1", "ascii") else name
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration is common; fall back to guessing
    if data.count(b"\x00") > MAX_CONTROL_SHARE * len(data):
        # UTF-16 without a BOM looks like text with a NUL every other byte.
        guess = charset_normalizer.from_bytes(data[:GUESS_SAMPLE_BYTES]).best()
        if guess is not None and guess.encoding.startswith("utf_16"):
            return data.decode(guess.encoding, errors="replace"), guess.encoding
        raise NotText(_binary_message(data))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    guess = charset_normalizer.from_bytes(data[:GUESS_SAMPLE_BYTES]).best()
    if guess is None:
        raise NotText(_binary_message(data))
    if guess.encoding.startswith("utf"):
        return data.decode(guess.encoding, errors="replace"), guess.encoding
    # On short French texts charset-normalizer often prefers cp1250 or cp1257 ("ŕ" for "à");
    # cp1252 is the code page these releases are really written in, and a superset of Latin-1
    # for every printable character, so it wins whenever the bytes allow it.
    try:
        return data.decode(WESTERN), WESTERN
    except UnicodeDecodeError:
        return data.decode(guess.encoding, errors="replace"), guess.encoding


def _binary_message(data: bytes) -> str:
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return f"binary content, not text (looks like {kind})"
    return "binary content, not text"
