"""PDF file → text with pages joined by a form feed, read page by page so memory stays bounded.

pypdfium2 first (~1,300 pages/s); pdfplumber (pdfminer, ~22 pages/s) only when pdfium cannot
open the file, since pdfminer tolerates some malformed files that pdfium rejects. pdfium marks a
soft hyphen at the end of a line with U+FFFE: it is kept, extractors/text/document.py removes it.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from flows.errors import BadInputError, TooLargeError

PAGE_BREAK = "\f"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfText:
    text: str  # pages joined with "\f", so page numbers survive normalisation
    n_pages: int
    title: str | None
    blank_pages: tuple[int, ...]  # 1-based pages without a text layer (scanned, or images only)
    failed_pages: tuple[int, ...]  # 1-based pages pdfium could not load; kept as empty pages
    extractor: str  # "pypdfium2" or "pdfplumber"


def pdf_text(data: bytes, *, max_pages: int) -> PdfText:
    """Extract the text layer of every page; raises `BadInputError` with a readable message.

    Takes the bytes already read (and hashed into the doc_id) rather than the path, so the text
    always belongs to the doc_id even if the file changes meanwhile.
    """
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise BadInputError(
                "PDF is password-protected (a password is needed to open it)"
            ) from exc
        log.info("pypdfium2 cannot open the PDF (%s); trying pdfplumber", exc)
        return _with_pdfplumber(data, max_pages, pdfium_reason=str(exc))
    try:
        n_pages = len(document)
        _check_pages(n_pages, max_pages)
        pages = [_pdfium_page(document, index) for index in range(n_pages)]
        title = (document.get_metadata_value("Title") or "").strip() or None
    finally:
        document.close()
    return _assemble(pages, title, "pypdfium2")


def _pdfium_page(document: pdfium.PdfDocument, index: int) -> str | None:
    try:
        page = document[index]
        try:
            textpage = page.get_textpage()
            try:
                return textpage.get_text_range()
            finally:
                textpage.close()
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        log.warning("page %d cannot be read: %s", index + 1, exc)
        return None  # one broken page should not cost the others


def _with_pdfplumber(data: bytes, max_pages: int, pdfium_reason: str) -> PdfText:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            n_pages = len(pdf.pages)
            _check_pages(n_pages, max_pages)
            pages: list[str | None] = []
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
                page.close()  # drops the page's parsed layout, which pdfplumber caches
            title = pdf.metadata.get("Title")
    except BadInputError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on a damaged file
        reason = pdfium_reason.removeprefix("Failed to load document ").strip("().")
        raise BadInputError(
            f"corrupt or truncated PDF, cannot be opened ({reason}; pdfplumber: {_describe(exc)})"
        ) from exc
    title = title.strip() if isinstance(title, str) and title.strip() else None
    return _assemble(pages, title, "pdfplumber")


def _assemble(pages: list[str | None], title: str | None, extractor: str) -> PdfText:
    failed = tuple(i for i, page in enumerate(pages, start=1) if page is None)
    # A form feed inside a page would shift every later page number.
    texts = [(p or "").replace("\r\n", "\n").replace("\r", "\n").replace(PAGE_BREAK, "\n")
             for p in pages]
    blank = tuple(
        i for i, text in enumerate(texts, start=1) if not text.strip() and i not in failed
    )
    return PdfText(PAGE_BREAK.join(texts), len(texts), title, blank, failed, extractor)


def _check_pages(n_pages: int, max_pages: int) -> None:
    if n_pages == 0:
        raise BadInputError("PDF has no pages")
    if n_pages > max_pages:
        raise TooLargeError(
            f"PDF has {n_pages} pages, more than the limit of {max_pages} "
            "(a press release is a few pages; raise max_pages to read it anyway)"
        )


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    return text if text else exc.__class__.__name__
