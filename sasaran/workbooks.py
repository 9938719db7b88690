"""Opening an uploaded Excel workbook (.xlsx) without trusting it.

Two imports read workbooks that officers upload: the targets of a year's Sasaran Mutu
(`documents.import_xlsx`) and the recap of paper survey questionnaires
(`skm.import_xlsx`). An .xlsx file is a zip archive of XML parts, so a small upload can
hold gigabytes once unpacked (a "zip bomb"), a sheet can hold far more rows than an import
ever needs, and an XML part can carry a DTD whose entities expand without end. openpyxl
parses whatever it is given, so `open_workbook` looks at the archive first:

1. it must be a zip archive, not encrypted, with only stored or deflated entries;
2. the sizes the archive's directory declares must stay under the limit, and no entry may
   be packed absurdly tightly (real workbooks shrink about ten times, bombs a thousand);
3. every part is then unpacked in small chunks (never more than its declared size):
   a `<!DOCTYPE` or `<!ENTITY` anywhere refuses the file, and the `<row>` and `<c>`
   (cell) elements of all worksheets together are counted against the limits.

Only then does openpyxl load it. Any error openpyxl or the XML parser still raises (a
control character in a text, a missing part) becomes `WorkbookUnreadable`. Each import
turns the two exceptions below into its own "rejected" error, so an upload never ends in a
server error.
"""

import re
import zipfile
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

MAX_ENTRIES = 1000
MAX_RATIO = 200  # uncompressed / compressed size of one entry
RATIO_FROM_BYTES = 1024 * 1024  # small entries may shrink as much as they like
CHUNK_BYTES = 256 * 1024
FORBIDDEN_MARKUP = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
TAG_OVERLAP = 64  # bytes kept between chunks so that a tag cut in two is still seen
MEDIA_FOLDER = "xl/media/"  # pictures (an SVG may carry a DOCTYPE); openpyxl parses no XML there

# What openpyxl and the XML parsers raise on a malformed workbook.
PARSE_ERRORS = (
    InvalidFileException,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    ParseError,
    SyntaxError,
    DefusedXmlException,
    KeyError,
    IndexError,
    AttributeError,
    OSError,
    ValueError,
    TypeError,
    EOFError,
)


class WorkbookUnreadable(Exception):
    """The upload is not an .xlsx workbook that can be read; each import says so its own way."""


class WorkbookRefused(Exception):
    """The upload is a workbook but too big or unsafe to read; `message` says why."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


def _megabytes(size):
    return f"{size / (1024 * 1024):g} MB"


def _check_directory(archive, max_uncompressed_bytes):
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise WorkbookRefused(f"Berkas berisi terlalu banyak bagian (lebih dari {MAX_ENTRIES}).")
    total = 0
    for info in entries:
        if info.flag_bits & 0x1:
            raise WorkbookRefused(
                "Berkas terenkripsi atau dilindungi kata sandi; simpan tanpa kata sandi."
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise WorkbookUnreadable(f"unsupported compression {info.compress_type}")
        total += info.file_size
        tight = info.file_size > max(RATIO_FROM_BYTES, MAX_RATIO * info.compress_size)
        if tight or total > max_uncompressed_bytes:
            raise WorkbookRefused(
                "Isi berkas terlalu besar setelah dibuka (batasnya "
                f"{_megabytes(max_uncompressed_bytes)})."
            )


def _scan_part(archive, info, counted, limits):
    """Refuse a DTD or entity; add the rows and cells of the part to `counted` and refuse
    them past `limits`. The part is unpacked a chunk at a time, up to its declared size.
    Every part is counted, not only xl/worksheets/, since a workbook may name its sheets
    as it likes; other parts of a workbook have no <row> or <c> element."""
    is_media = info.filename.startswith(MEDIA_FOLDER)
    tail = b""
    with archive.open(info) as part:  # stops at the declared size, checks the CRC
        while chunk := part.read(CHUNK_BYTES):
            window = tail + chunk
            if not is_media and FORBIDDEN_MARKUP.search(window):
                raise WorkbookRefused(
                    "Berkas berisi XML dengan DTD atau ENTITY yang tidak diizinkan "
                    f"(bagian {info.filename})."
                )
            # A tag ending inside `tail` was counted with the previous chunk.
            start = len(tail)
            counted["baris"] += sum(1 for m in ROW_TAG.finditer(window) if m.end() > start)
            counted["sel"] += sum(1 for m in CELL_TAG.finditer(window) if m.end() > start)
            for what, limit in limits.items():
                if counted[what] > limit:
                    raise WorkbookRefused(
                        f"Lembar kerja terlalu besar (lebih dari {limit} {what})."
                    )
            tail = window[-TAG_OVERLAP:]


def open_workbook(
    file, *, max_uncompressed_bytes, max_rows, max_cells, read_only=False, data_only=False
):
    """The openpyxl workbook of an uploaded file (a path or a file object), loaded with
    `read_only` and `data_only` as given once the checks in the module docstring pass.

    `max_rows` and `max_cells` count every worksheet together. Raises WorkbookRefused
    (too big, encrypted, DTD) or WorkbookUnreadable (not an .xlsx, or malformed inside).
    """
    try:
        if hasattr(file, "seek"):
            file.seek(0)
        with zipfile.ZipFile(file) as archive:
            _check_directory(archive, max_uncompressed_bytes)
            counted = {"baris": 0, "sel": 0}
            limits = {"baris": max_rows, "sel": max_cells}
            for info in archive.infolist():
                _scan_part(archive, info, counted, limits)
        if hasattr(file, "seek"):
            file.seek(0)
        return load_workbook(file, read_only=read_only, data_only=data_only)
    except WorkbookRefused:
        raise
    except PARSE_ERRORS as error:
        raise WorkbookUnreadable(str(error)) from error
