"""CSV lines of a whole chunk built by Arrow's compute kernels: the bytes Python's csv writer
writes for the same cells (QUOTE_MINIMAL, doubled quotes), without its work per character.

The caller gives one column of text per table column (null for an empty cell): what each cell
reads as is the caller's business (flows/dataset/csv_dialects.py); here is only quoting and
joining. At 10,000 documents the csv writer was most of the tables' export.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

TEXT = pa.large_string()
_QUOTE = pa.scalar('"', TEXT)
_NOTHING = pa.scalar("", TEXT)


def csv_lines(columns: list[pa.Array], sep: str, line_end: str) -> str:
    """The rows of `columns` (text arrays of one length, at least two of them), each field
    quoted as the csv module quotes it with `sep`: when it holds `sep`, a quote, "\\r" or
    "\\n", its quotes doubled; a null is an empty field; each row ends with `line_end`. Byte
    for byte the csv module's with the dataset's "\\r\\n"; with a line end of "\\n" alone, a lone
    "\\r" is still quoted here, where the csv module writes it bare."""
    if len(columns) < 2:
        # The csv module quotes the one empty field of a one-column row: not done here.
        raise ValueError("csv_lines joins two columns or more")
    # The characters the csv module quotes a field for: the separator, the quote, and those of
    # the line end ("\r\n").
    special = f"[{sep}\"\r\n]"
    fields = []
    for column in columns:
        text = column.cast(TEXT)
        quote = pc.fill_null(pc.match_substring_regex(text, special), False)
        if pc.any(quote).as_py():
            quoted = pc.binary_join_element_wise(
                _QUOTE, pc.replace_substring(text, '"', '""'), _QUOTE, _NOTHING)
            text = pc.if_else(quote, quoted, text)
        fields.append(pc.fill_null(text, _NOTHING))
    rows = pc.binary_join_element_wise(*fields, pa.scalar(sep, TEXT))
    lines = pc.binary_join_element_wise(rows, _NOTHING, pa.scalar(line_end, TEXT))
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    return _joined(lines)


def _joined(lines: pa.Array) -> str:
    """Every string of `lines` (no null) one after the other: the span of its data buffer."""
    if not len(lines):
        return ""
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
    start, end = offsets[lines.offset], offsets[lines.offset + len(lines)]
    return str(memoryview(lines.buffers()[2])[start:end], "utf-8")
