"""Raw text → `Document`: the normalised text every offset points into, its lines and sentences.

Normalisation happens once, before any offset exists, so it may change lengths freely:
NFC, one newline convention, control characters dropped, end-of-line hyphenation joined and,
for PDF only, the lines its layout wrapped. Page breaks of a PDF are kept as a form feed so
pages stay countable.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata

from extractors.text.dateline import (
    DATELINE_MAX_LINES,
    headline_year,
    is_dateline_line,
    reference_date,
)
from extractors.text.headings import reads_as_heading
from extractors.text.per_document import per_document
from extractors.text.prefilter import occurrences
from extractors.types import Document, Precision, Span

PAGE_BREAK = "\f"

# Control characters other than tab, newline and form feed are noise left by converters.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufeff\u200b]")

# pypdfium2 marks a soft hyphen at the end of a line with U+FFFE (or U+00AD elsewhere):
# the word was cut by the layout, so the hyphen goes away entirely.
SOFT_HYPHEN_BREAK = re.compile(r"[\ufffe\u00ad][ \t]*\n[ \t]*")

# A line that ends with a hyphen glued to a letter, followed (possibly after blank lines) by a
# line starting with a letter: the layout cut a compound ("Auvergne-\nRhône-Alpes",
# "bi-\n\ndépartementale"). The hyphen is kept (the match starts with it, so that the
# engine skips from hyphen to hyphen: a look-behind first is tried at every character, 30
# times slower), the break removed.
HARD_HYPHEN_BREAK = re.compile(r"-(?<=\w-)[ \t]*\n(?:[ \t]*\n)*[ \t]*(?=\w)")

BULLET = r"(?:[-–—•●▪◦*·\uf0a7\uf0b7\uf0d8\uf076]|\d{1,2}[.)]\s)"
LINE_START_BULLET = re.compile(rf"^\s*{BULLET}")
ENDS_SENTENCE = re.compile(r"[.!?…:;»\"”)]\s*$")
SENTENCE_MARKS = ".!?…:;»\"”)"


def ends_sentence(line: str) -> bool:
    """`ENDS_SENTENCE.search(line) is not None`, read from the line's last visible character
    (str.rstrip drops what `\\s` matches): the engine tried the pattern at each character
    of each line of a PDF."""
    stripped = line.rstrip()
    return stripped[-1:] in SENTENCE_MARKS if stripped else False

# Lines at least this long that end mid-sentence were wrapped by a fixed-width layout.
WRAPPED_LINE_MIN = 60

# Words after which a full stop does not end a sentence ("Dr. Martin", "M. Dupont").
ABBREVIATIONS = frozenset(
    "dr pr m mm mme mmes mlle st ste me mgr cf ex etc n no p pp art av bd vol tél tel env".split()
)

# The boundary is right after the mark. The match starts with the mark, not with a
# look-behind for it: the engine then skips to the marks instead of trying every character.
SENTENCE_END = re.compile(
    r"""
    [.!?…]               # a terminal punctuation mark
    [»"”)\]]*            # possibly closed by a quote or a bracket
    \s+                  # then white space
    (?=[«"“(\[]?\s*[A-ZÀ-ÖØ-Þ0-9•\-–])   # and something that can start a sentence
    """,
    re.VERBOSE,
)


def normalise(raw: str, *, wrapped: bool = False) -> str:
    """Return the canonical text of a release (idempotent).

    Only a `wrapped` source (PDF) or a text cut at a fixed width (a PDF saved as text) has its
    lines joined back into sentences; in web and text input a line is a line, so a title is
    never glued to the paragraph under it ("Naissance de la CPTS du Val de Sioule" ⏎ "Le 14").
    """
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL_CHARS.sub("", text)
    wrapped = wrapped or _fixed_width(text)  # measured before any join lengthens a line
    # Each pass below only when what it changes is there: `in` skips through the text at C
    # speed, where a regex that opens with a class or a repeat tries every position.
    if "\u00ad" in text or "\ufffe" in text:
        text = SOFT_HYPHEN_BREAK.sub("", text)
        # pdfium also leaves its soft-hyphen marker where no line break follows it.
        text = text.replace("\ufffe", "")
    text = HARD_HYPHEN_BREAK.sub("-", text)
    if wrapped:
        text = _join_wrapped_lines(text)
    if " \n" in text or "\t\n" in text or text.endswith((" ", "\t")):
        # Per line, not r"[ \t]+\n": that regex rescans a long run of spaces from every start.
        text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    if "\n\n\n" in text:
        text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n ")


# A web page writes a paragraph on one line; a layout never makes a line this long.
LAYOUT_WIDTH_MAX = 180
# Lines cut mid-sentence, and their share of the long lines, that show a fixed-width layout.
MIN_CUT_LINES = 5
MIN_CUT_SHARE = 0.6


def _fixed_width(text: str) -> bool:
    """Was this text cut into lines by a layout (a PDF converted to text), not by its author?"""
    raw = text.split("\n")
    # Most texts have a line too long for a layout (a paragraph of a web page): found from
    # the lengths at C speed, before each line is stripped and searched.
    if max(map(len, raw)) > LAYOUT_WIDTH_MAX and any(
        len(line.rstrip()) > LAYOUT_WIDTH_MAX for line in raw if len(line) > LAYOUT_WIDTH_MAX
    ):
        return False
    lines = [line.rstrip() for line in raw if line.strip()]
    if not lines:
        return False
    long_lines = [line for line in lines if len(line) >= WRAPPED_LINE_MIN]
    cut = [line for line in long_lines if not ends_sentence(line)]
    return len(cut) >= MIN_CUT_LINES and len(cut) >= MIN_CUT_SHARE * len(long_lines)


def _join_wrapped_lines(text: str) -> str:
    pages = text.split(PAGE_BREAK)
    return PAGE_BREAK.join(_join_page(page, first=i == 0) for i, page in enumerate(pages))


def _join_page(page: str, *, first: bool = False) -> str:
    lines = page.split("\n")
    out: list[str] = []
    pending_blank = 0
    alone = False  # the last line kept is a dateline: nothing joins it
    seen = 0
    width = _column_width(lines)
    for line in lines:
        if not line.strip():
            pending_blank += 1
            continue
        seen += 1
        # "Bordeaux, le 24 juin 2021" between a title and the first paragraph of a PDF is a
        # line of its own: joined, the release would lose its date.
        dateline = first and seen <= DATELINE_MAX_LINES and is_dateline_line(line)
        if (
            out
            and not alone
            and not dateline
            and _continues(out[-1], line, blank_before=pending_blank > 0, width=width)
        ):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            if out:
                out.append("\n" * min(pending_blank, 1))
            out.append(line.rstrip())
        pending_blank = 0
        alone = dateline
    return "\n".join(_squash(out))


def _squash(parts: list[str]) -> list[str]:
    # Blank-line markers were appended as "\n" items; "\n".join turns them into one empty line.
    return [("" if p == "\n" else p) for p in parts if p != ""]


# A line the layout wrapped fills most of its column; a shorter one ended there (a title, a
# caption, "La CPTS" above "La CPTS et ses caractéristiques").
FULL_LINE_SHARE = 0.8


def _column_width(lines: list[str]) -> int:
    """The page's column width: the length most of its longest lines reach."""
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def _continues(previous: str, line: str, *, blank_before: bool, width: int = 0) -> bool:
    prev = previous.rstrip()
    if not prev or ends_sentence(prev) or LINE_START_BULLET.match(line):
        return False
    first = line.lstrip()[:1]
    starts_lower = first.islower()
    full = len(prev) >= max(WRAPPED_LINE_MIN, FULL_LINE_SHARE * width)
    if blank_before:
        return starts_lower and full
    return starts_lower or full


# A line without the blanks around it: from its first visible character to its last (a
# line break or a page break is a blank, so a match never crosses one).
LINE = re.compile(r"\S(?:[^\n\f]*\S)?")


def line_spans(text: str) -> tuple[Span, ...]:
    """The spans of `LINE.finditer(text)`: each piece between line and page breaks, stripped
    (str.strip drops what `\\s` matches), by str methods where the engine tried `\\S` at each
    character."""
    spans = []
    at = 0
    for piece in text.replace("\f", "\n").split("\n"):
        end = len(piece.rstrip())
        if end:
            spans.append(Span(at + len(piece) - len(piece.lstrip()), at + end))
        at += len(piece) + 1
    return tuple(spans)


# A bullet sign inside a line: a list flattened onto one line (HTML without <li>, many PDFs).
INLINE_BULLET_SIGNS = "•●▪◦\uf0b7\uf0a7"
INLINE_BULLET = re.compile(rf"[ \t\u00a0]+(?=[{INLINE_BULLET_SIGNS}][ \t\u00a0])")
# The sign of an INLINE_BULLET match: found first (the engine skips to the signs), where the
# blanks the match opens with would be tried from every blank of the line.
_INLINE_BULLET_SIGN = re.compile(rf"[{INLINE_BULLET_SIGNS}](?=[ \t\u00a0])")
_INLINE_BLANKS = " \t\u00a0"


def inline_bullets(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of `INLINE_BULLET.finditer(text, start, end)`: the blanks before each sign
    that one follows, found from the sign."""
    spans = []
    for m in _INLINE_BULLET_SIGN.finditer(text, start, end):
        sign = blanks = m.start()
        while blanks > start and text[blanks - 1] in _INLINE_BLANKS:
            blanks -= 1
        if blanks < sign:
            spans.append((blanks, sign))
    return spans


def sentence_spans(text: str, lines: tuple[Span, ...]) -> tuple[Span, ...]:
    """Split each line into sentences; a line break always ends a sentence, and so does a
    bullet sign inside a line ("• CPTS A, 36 000 habitants • CPTS B, …": one item each)."""
    sentences: list[Span] = []
    # Most texts have no bullet sign: one look at the text, not a search per line.
    bullets = any(sign in text for sign in INLINE_BULLET_SIGNS)
    for line in lines:
        # Searched in place (pos, endpos: as in a slice of the line, no copy of it).
        ends = [(m.start() + 1, m.end()) for m in SENTENCE_END.finditer(text, line.start, line.end)
                if not _is_abbreviation(text, line.start, m.start() + 1)]
        if bullets:
            ends += [(blanks, sign) for blanks, sign in inline_bullets(text, line.start, line.end)
                     if blanks > line.start]
            ends.sort()
        cut = line.start
        for start, end in ends:
            if start < cut:
                continue
            sentences.append(Span(cut, start))
            cut = end
        sentences.append(Span(cut, line.end))
    return tuple(s for s in sentences if s.end > s.start)


# Characters before a sentence boundary read for the word it ends: longer than any
# abbreviation, so a longer word reads as no abbreviation either way.
WORD_LOOK_BACK = 40
WORD_BEFORE_DOT = re.compile(r"(\w+)\.$")


def _is_abbreviation(text: str, line_start: int, boundary: int) -> bool:
    # The head is not sliced off whole: per boundary of a long line that was quadratic.
    end = boundary
    while end > line_start and text[end - 1] in "»\"”)] ":
        end -= 1
    if end == line_start or text[end - 1] != ".":
        return False
    word = WORD_BEFORE_DOT.search(text[max(line_start, end - WORD_LOOK_BACK) : end])
    if not word:
        return False
    token = word.group(1)
    # A single capital ("J. Martin") is an initial, not the end of a sentence.
    return token.lower() in ABBREVIATIONS or (len(token) == 1 and token.isupper())


def build_document(
    doc_id: str, raw_text: str, *, title: str | None = None, paged: bool = False,
    published: dt.date | None = None,
) -> Document:
    """Normalise `raw_text` and index its structure.

    `paged` sources (PDF) separate their pages with form feeds; `page_starts` then holds the
    offset of each page so a fact can say which page it came from. `published` is the date the
    publisher gave outside the text (a feed's date): when the text states no date of its own,
    yearless dates are read against it, as a reader of the feed would.
    """
    text = normalise(raw_text, wrapped=paged)
    lines = line_spans(text)
    sentences = sentence_spans(text, lines)
    page_starts: tuple[int, ...] = ()
    if paged:
        page_starts = (0, *(i + 1 for i in occurrences(text, PAGE_BREAK)))
    ref = reference_date(text)
    if ref is None and published is not None:
        ref = (published, Precision.DAY)
    return Document(
        doc_id=doc_id,
        text=text,
        sentences=sentences,
        lines=lines,
        page_starts=page_starts,
        reference_date=ref[0] if ref else None,
        reference_precision=ref[1] if ref else None,
        title=title,
        headline_year=None if ref else headline_year(text, title),
    )


LIST_MARKER = re.compile(rf"^\s*{BULLET}\s*")


def without_list_marker(sentence: str) -> str:
    """`sentence` as a reader quotes it: the bullet or item number that opens a list line is
    layout, not words of the sentence.

    >>> without_list_marker("- 12 communes du Vexin"), without_list_marker("2) Les soins")
    ('12 communes du Vexin', 'Les soins')
    >>> without_list_marker("-5 % de passages"), without_list_marker("2024. Année")
    ('-5 % de passages', '2024. Année')
    >>> without_list_marker("•Prévention")
    'Prévention'

    """
    marker = LIST_MARKER.match(sentence)
    if marker is None:
        return sentence
    # "-5 %" is a number, not an item: a dash or a star opens an item only before a space.
    if marker.group().strip() in "-–—*" and marker.group() == marker.group().rstrip():
        return sentence
    return sentence[marker.end():]


def is_bullet(doc: Document, line: Span) -> bool:
    """A list item: the line starts with a bullet sign or "1. " / "2) "."""
    return bool(LINE_START_BULLET.match(doc.slice(line)))


# (document, its line starts) for line_index; one slot, replaced whole.
_LINE_STARTS: list[tuple[object, list[int]]] = [(None, [])]


def line_index(doc: Document, offset: int) -> int | None:
    """Index of the line holding `offset`, or None between lines (lines are sorted and
    disjoint, so a bisection finds it)."""
    # Asked dozens of times per document by the extractors: a bisection (in C) of the line
    # starts, kept for the last document asked about, not a key function called per probe.
    known, starts = _LINE_STARTS[0]
    if known is not doc:
        starts = [ln.start for ln in doc.lines]
        _LINE_STARTS[0] = (doc, starts)
    i = bisect.bisect_right(starts, offset) - 1
    return i if i >= 0 and offset < doc.lines[i].end else None


def bullet_lead_in(doc: Document, index: int) -> Span | None:
    """The non-bullet line ending with ":" that introduces the bullet list holding line `index`."""
    if not is_bullet(doc, doc.lines[index]):
        return None
    for line in reversed(doc.lines[:index]):
        if not is_bullet(doc, line):
            return line if doc.slice(line).rstrip(" \u00a0*").endswith(":") else None
    return None


def heading_starts(doc: Document) -> list[int]:
    """Starts of the heading lines: short, capitalised, not ending like a sentence."""
    # Asked by five modules per document (names, missions, genericity, attribution,
    # subjects): found once; each caller gets its own list.
    return list(per_document(doc, "heading_starts", lambda: _heading_starts(doc)))


def _heading_starts(doc: Document) -> tuple[int, ...]:
    starts = []
    for line in doc.lines:
        text = doc.slice(line)
        if reads_as_heading(text) and not LINE_START_BULLET.match(text):
            starts.append(line.start)
    return tuple(starts)
