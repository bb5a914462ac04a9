"""Real bad input files, written to disk: one table shared by the ingestion tests and the
end-to-end "torture" test.

`CASES` holds one `Case` per file: how to write it, the status `ingest` gives it, the status the
whole pipeline should end with (English and off-topic releases are readable, so ingest says "ok",
and the pipeline says "no_cpts_found"), and words the message must contain.
"""

from __future__ import annotations

import codecs
import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypdf
from fpdf import FPDF
from PIL import Image

RELEASE = """COMMUNIQUÉ DE PRESSE

Valence, le 14 octobre 2024

Accès aux soins : création de la CPTS Porte de Drôme Ardèche

Ce lundi 14 octobre 2024, l’Agence régionale de santé Auvergne-Rhône-Alpes et la Caisse \
primaire d’assurance maladie de la Drôme ont signé l’accord conventionnel interprofessionnel \
de la CPTS Porte de Drôme Ardèche.

La CPTS Porte de Drôme Ardèche réunit près de 50 professionnels de santé et couvre \
47 000 habitants répartis sur 22 communes. Son président, le Dr Jean Martin, salue « une \
étape majeure pour le territoire ».

L’Assurance maladie versera jusqu’à 200 000 € par an pour ses missions : accès à un médecin \
traitant, soins non programmés, prévention et œuvre commune face aux crises sanitaires.
"""

# Latin-1 has no curly apostrophe, "œ" or "€": the same release as a Latin-1 editor saves it.
RELEASE_LATIN1 = RELEASE.replace("’", "'").replace("œ", "oe").replace("€", "euros")

ENGLISH = """PRESS RELEASE

London, 3 March 2024 — The regional health authority opened a new walk-in clinic in \
Camden today. The clinic will see 40 patients a day and employs twelve nurses.
"""

OFF_TOPIC = """COMMUNIQUÉ DE PRESSE

Lyon, le 2 mai 2024 — La campagne de vaccination contre la grippe saisonnière est prolongée \
jusqu’au 31 janvier. Les pharmacies et les médecins généralistes restent mobilisés.
"""

# Where fpdf2 finds a Unicode font; the Helvetica fallback only knows Latin-1.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)

MB = 1_000_000


# --- writers: each takes the target path and creates a real file there -----------------------


def text_writer(text: str, encoding: str = "utf-8", *, bom: bytes = b"") -> Callable:
    return lambda path: path.write_bytes(bom + text.encode(encoding))


def bytes_writer(data: bytes) -> Callable:
    return lambda path: path.write_bytes(data)


def pdf_bytes(pages: list[str | None], *, title: str | None = None) -> bytes:
    """A PDF with one page per item: text, or None for a page holding only an image."""
    pdf = FPDF()
    font = next((f for f in FONT_CANDIDATES if os.path.exists(f)), None)
    if font:
        pdf.add_font("Unicode", fname=font)
    if title:
        pdf.set_title(title)
    for page in pages:
        pdf.add_page()
        if page is None:
            pdf.image(_png(), x=10, y=10, w=150)
            continue
        pdf.set_font("Unicode" if font else "Helvetica", size=11)
        pdf.multi_cell(0, 6, page if font else page.encode("latin-1", "replace").decode("latin-1"))
    return bytes(pdf.output())


def pdf_writer(pages: list[str | None], **kwargs: str) -> Callable:
    return lambda path: path.write_bytes(pdf_bytes(pages, **kwargs))


def encrypted_pdf_writer(*, user_password: str) -> Callable:
    def write(path: Path) -> None:
        writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf_bytes([RELEASE])))
        # An empty user password opens without asking: only printing/copying are restricted.
        writer.encrypt(
            user_password=user_password, owner_password="owner", permissions_flag=0,
            algorithm="AES-128",
        )
        with open(path, "wb") as handle:
            writer.write(handle)

    return write


def drawing_only_pdf(path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.line(20, 100, 180, 250)
    pdf.output(str(path))


def truncated_pdf(path: Path) -> None:
    data = pdf_bytes([RELEASE, RELEASE])
    path.write_bytes(data[: len(data) // 2])


def sparse_file(size: int) -> Callable:
    """A file of `size` bytes that costs no disk blocks and no time to write."""

    def write(path: Path) -> None:
        with open(path, "wb") as handle:
            handle.write(RELEASE.encode())
            handle.truncate(size)

    return write


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", f"<w:document>{RELEASE}</w:document>")
    return buffer.getvalue()


def symlink(target: str) -> Callable:
    return lambda path: os.symlink(target, path)


def html_page(body: str, *, head: str = "", encoding: str = "utf-8") -> Callable:
    page = f"""<!DOCTYPE html><html><head>{head}<title>Création de la CPTS | ARS</title>
<script>var tracker = "CPTS fantôme";</script></head><body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/presse">Espace presse</a></li></ul></nav>
<div id="cookie-banner">Nous utilisons des cookies. <button>Accepter</button></div>
{body}
<div class="share">Partager sur Facebook | Partager sur X</div>
<footer>Mentions légales | Plan du site</footer></body></html>"""
    return text_writer(page, encoding)


def _article(text: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n")[1:])
    return f"<main><article><h1>Création de la CPTS</h1>{paragraphs}</article></main>"


def _png() -> Image.Image:
    # A grey page with no text layer: what a scanner produces.
    return Image.new("L", (400, 300), 200)


# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str  # relative path inside the torture folder (also the pytest id)
    write: Callable[[Path], object]
    status: str  # what ingest() returns
    final_status: str  # what the documents table says after the whole pipeline
    message: str = ""  # must appear in the message (case-insensitive)
    text: str = ""  # must appear in raw_text
    heavy: bool = False  # slow to write or to process: skipped unless asked for


def _ok(name: str, write: Callable, message: str = "", text: str = "Drôme", **kw) -> Case:
    return Case(name, write, "ok", kw.pop("final_status", "ok"), message, text, **kw)


CASES: tuple[Case, ...] = (
    # Text files in every encoding a French office produces.
    _ok("txt/utf8.txt", text_writer(RELEASE), "decoded as utf-8", "l’accord"),
    _ok("txt/utf8_bom.txt", text_writer(RELEASE, bom=codecs.BOM_UTF8), "utf-8 with BOM",
        "COMMUNIQUÉ"),
    _ok("txt/cp1252.txt", text_writer(RELEASE, "cp1252"), "decoded as cp1252", "200 000 €"),
    _ok("txt/latin1.txt", text_writer(RELEASE_LATIN1, "latin-1"), "decoded as", "Drôme"),
    _ok("txt/utf16le_bom.txt", text_writer(RELEASE, "utf-16"), "utf-16", "œuvre"),
    _ok("txt/utf16be_bom.txt", text_writer(RELEASE, "utf-16-be", bom=codecs.BOM_UTF16_BE),
        "utf-16", "œuvre"),
    _ok("txt/utf16le_no_bom.txt", text_writer(RELEASE, "utf-16-le"), "utf_16_le", "œuvre"),
    _ok("txt/mixed_line_endings.txt",
        bytes_writer(RELEASE.replace("\n\n", "\r\n\r\n", 2).replace("\n\n", "\r\r").encode()),
        text="2024\n\nAccès"),
    _ok("txt/nul_bytes.txt", bytes_writer(RELEASE.encode().replace(b"Ce lundi", b"Ce\0 lundi\0\0")),
        "dropped 3 NUL bytes", "Ce lundi"),
    _ok("txt/mojibake.txt", text_writer(RELEASE.encode().decode("cp1252", "replace")),
        "repaired mojibake", "Porte de Drôme Ardèche"),
    _ok("txt/one_line_100kb.txt", text_writer(RELEASE.replace("\n", " ") * 100)),
    _ok("txt/one_line_1mb.txt", text_writer(RELEASE.replace("\n", " ") * 1000), heavy=True),
    _ok("txt/english.txt", text_writer(ENGLISH), text="walk-in clinic",
        final_status="no_cpts_found"),
    _ok("txt/off_topic.txt", text_writer(OFF_TOPIC), text="grippe",
        final_status="no_cpts_found"),
    Case("txt/empty.txt", bytes_writer(b""), "empty", "empty", "empty file"),
    Case("txt/whitespace.txt", text_writer(" \n\t\r\n  \u00a0\n"), "empty", "empty", "white space"),
    Case("txt/binary.txt", bytes_writer(bytes(range(256)) * 64), "unreadable", "unreadable",
         "binary content, not text"),
    Case("txt/png_renamed.txt", lambda p: _png().save(p, format="PNG"), "unreadable",
         "unreadable", "looks like a PNG image"),
    Case("txt/too_large_50mb.txt", sparse_file(50 * MB), "too_large", "too_large",
         "more than the limit of 20.0 MB"),
    # PDF
    _ok("pdf/release.pdf", pdf_writer([RELEASE, OFF_TOPIC], title="Création de la CPTS"),
        "2 pages read with pypdfium2", "grippe"),
    _ok("pdf/UPPERCASE.PDF", pdf_writer([RELEASE]), "1 page read"),
    _ok("pdf/owner_password_only.pdf", encrypted_pdf_writer(user_password=""), "1 page read"),
    _ok("pdf/half_scanned.pdf", pdf_writer([RELEASE, None]), "page 2 has no text layer"),
    Case("pdf/user_password.pdf", encrypted_pdf_writer(user_password="secret"), "unreadable",
         "unreadable", "password-protected"),
    Case("pdf/truncated.pdf", truncated_pdf, "unreadable", "unreadable", "corrupt or truncated"),
    Case("pdf/garbage.pdf", bytes_writer(b"%PDF-1.7\n" + bytes(range(256)) * 8), "unreadable",
         "unreadable", "corrupt or truncated"),
    Case("pdf/text_named_pdf.pdf", text_writer("Brouillon\n" + RELEASE), "unreadable",
         "unreadable", "corrupt or truncated"),
    Case("pdf/zero_bytes.pdf", bytes_writer(b""), "unreadable", "unreadable", "0 bytes"),
    Case("pdf/scanned.pdf", pdf_writer([None, None]), "empty", "empty", "OCR"),
    Case("pdf/drawing_only.pdf", drawing_only_pdf, "empty", "empty", "no text layer"),
    Case("pdf/201_pages.pdf", pdf_writer(["CPTS"] * 201), "too_large", "too_large",
         "201 pages, more than the limit of 200"),
    # HTML
    _ok("html/release.html", html_page(_article(RELEASE)), "trafilatura", "47 000 habitants"),
    _ok("html/declared_cp1252.html",
        html_page(_article(RELEASE), head='<meta charset="windows-1252">', encoding="cp1252"),
        text="200 000 €"),
    _ok("html/http_equiv_latin1.htm",
        html_page(_article(RELEASE_LATIN1), encoding="latin-1",
                  head='<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'),
        text="Drôme"),
    _ok("html/undeclared_cp1252.html", html_page(_article(RELEASE), encoding="cp1252"),
        text="l’accord"),
    Case("html/no_main_text.html", html_page(""), "empty", "empty", "no main text"),
    Case("html/zero_bytes.htm", bytes_writer(b""), "empty", "empty", "empty file (0 bytes)"),
    # Not a release format at all.
    Case("other/release.docx", bytes_writer(docx_bytes()), "unsupported", "unsupported",
         "'.docx'"),
    Case("other/photo.jpg", lambda p: _png().save(p, format="JPEG"), "unsupported",
         "unsupported", "'.jpg'"),
    Case("other/README", text_writer("Lisez-moi\n" + RELEASE), "unsupported", "unsupported",
         "no extension"),
    # What the file system can do to a path.
    Case("links/dangling.txt", symlink("does_not_exist.txt"), "unreadable", "unreadable",
         "no such file"),
    Case("links/self_loop.txt", symlink("self_loop.txt"), "unreadable", "unreadable",
         "too many levels of symbolic links"),
    Case("special/named_pipe.txt", os.mkfifo, "unreadable", "unreadable", "not a regular file"),
    # Names a user's file system really holds: spaces, accents, 200 characters, a folder
    # named like a file (walked, gives no row of its own), and a second copy of a release.
    _ok("names/communiqué de presse (copie).txt", text_writer(RELEASE + "\nCopie.")),
    _ok("names/Créée à Valence — été 2024.txt", text_writer(RELEASE + "\nÉté.")),
    _ok("names/" + "très-long-nom-" * 14 + ".txt", text_writer(RELEASE + "\nLong.")),
    _ok("names/dossier.txt/dans un dossier.txt", text_writer(RELEASE + "\nDossier.")),
    _ok("zz_copies/copie de utf8.txt", text_writer(RELEASE), final_status="duplicate"),
)

# Written beside the cases but never listed: discovery must skip them without a row.
SILENT = {
    ".hidden.txt": text_writer(RELEASE),
    ".git/config.txt": text_writer(RELEASE),
    "links/loop_to_parent": symlink(".."),
}


def write_torture_files(folder: Path, *, heavy: bool = False) -> dict[str, str]:
    """Write every case under `folder`; return {relative name: final documents status}.

    The returned names are exactly the `source` values the documents table must hold: the
    SILENT files (hidden, a symlink loop) are written too but must produce no row.
    """
    folder = Path(folder)
    expected: dict[str, str] = {}
    for case in CASES:
        if case.heavy and not heavy:
            continue
        write_case(folder, case)
        expected[case.name] = case.final_status
    for name, write in SILENT.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path)
    return expected


def write_case(folder: Path, case: Case) -> Path:
    path = Path(folder) / case.name
    path.parent.mkdir(parents=True, exist_ok=True)
    case.write(path)
    return path
