"""Hostile workbooks sent to both imports (the targets in the admin, the survey recap):
a zip bomb, a sheet of 100,000 rows, a DTD with entities, a control character, an encrypted
archive. Each is refused with an Indonesian message and nothing saved; the size and row
checks happen before openpyxl parses anything (`sasaran.workbooks`)."""

import io
import re
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.reader.excel import ExcelReader

from sasaran import workbooks
from sasaran.models import QualityManual, Unit
from sasaran.skm import services as survey_services
from sasaran.skm.models import Response

SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def good_workbook():
    book = Workbook()
    book.active.append(["No", "U1"])
    book.active.append([1, "satu"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rebuilt(replacements):
    """A copy of `good_workbook()` whose parts in `replacements` (name: a list of byte
    chunks) are replaced; chunks are written one by one so a large part stays out of memory."""
    source = zipfile.ZipFile(io.BytesIO(good_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            chunks = replacements.get(info.filename, [source.read(info)])
            with target.open(info.filename, "w", force_zip64=True) as part:
                for chunk in chunks:
                    part.write(chunk)
    return buffer.getvalue()


def bomb():
    """A sheet of 60 MB of blanks: under the targets' 100 MB limit, a few dozen KB packed."""
    blanks = b" " * (1024 * 1024)
    return rebuilt(
        {SHEET: [SHEET_START, b"<sheetData>", *[blanks] * 60, b"</sheetData></worksheet>"]}
    )


def many_rows(count=100_000):
    def rows():
        yield SHEET_START + f'<dimension ref="A1:A{count}"/><sheetData>'.encode()
        for start in range(1, count + 1, 10_000):
            yield b"".join(
                b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n)
                for n in range(start, min(start + 10_000, count + 1))
            )
        yield b"</sheetData></worksheet>"

    return rebuilt({SHEET: rows()})


def with_dtd():
    entities = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    )
    sheet = zipfile.ZipFile(io.BytesIO(good_workbook())).read(SHEET)  # no XML declaration
    return rebuilt({SHEET: [entities + sheet.replace(b"satu", b"&b;")]})


def with_control_character():
    """A text with U+0001, which XML 1.0 does not allow (openpyxl writes texts inline)."""
    sheet = zipfile.ZipFile(io.BytesIO(good_workbook())).read(SHEET)
    return rebuilt({SHEET: [sheet.replace(b"satu", b"sa\x01tu")]})


def encrypted():
    """A workbook whose entries say they are encrypted (bit 0 of the flags)."""
    data = bytearray(good_workbook())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for found in re.finditer(re.escape(signature), bytes(data)):
            at = found.start() + offset
            (flags,) = struct.unpack_from("<H", data, at)
            struct.pack_into("<H", data, at, flags | 0x1)
    return bytes(data)


CASES = [
    ("bomb", bomb, "Isi berkas terlalu besar setelah dibuka", True),
    ("rows", many_rows, "Lembar kerja terlalu besar (lebih dari", True),
    ("dtd", with_dtd, "DTD atau ENTITY", True),
    ("encrypted", encrypted, "Berkas terenkripsi", True),
    ("control character", with_control_character, "bukan", False),
]


def forbid_parsing(monkeypatch):
    """openpyxl must not parse the workbook at all: the reader refuses it from the archive."""

    def refuse(*args, **kwargs):
        pytest.fail("openpyxl parsed a workbook that should have been refused before")

    monkeypatch.setattr(ExcelReader, "read", refuse)


def upload(content):
    return SimpleUploadedFile(
        "rekap.xlsx",
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@pytest.mark.parametrize("name,build,message,before_parsing", CASES, ids=[c[0] for c in CASES])
def test_targets_import_refuses_hostile_workbooks(
    db, superuser, monkeypatch, name, build, message, before_parsing
):
    if before_parsing:
        forbid_parsing(monkeypatch)
    unit = Unit.objects.get(code="up-pmptsp-jaktim")
    response = superuser.post(
        reverse("admin:sasaran_qualitymanual_import"),
        {"unit": unit.pk, "year": 2024, "file": upload(build())},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    if name == "control character":
        assert "Berkas bukan buku kerja Excel (.xlsx) yang dapat dibaca." in html
    assert not QualityManual.objects.filter(unit=unit, year=2024).exists()


@pytest.mark.parametrize("name,build,message,before_parsing", CASES, ids=[c[0] for c in CASES])
def test_survey_import_refuses_hostile_workbooks(
    db, kepala, monkeypatch, name, build, message, before_parsing
):
    if before_parsing:
        forbid_parsing(monkeypatch)
    survey = survey_services.survey_create(
        unit=Unit.objects.get(code="up-pmptsp-jaktim"),
        year=2023,
        services=["Perizinan"],
        population=100,
    )
    response = kepala.post(
        reverse("survey_import", args=[survey.pk]),
        {"file": upload(build()), "default_date": "2023-03-31"},
    )
    assert response.status_code == 400  # the import page shows its errors with 400
    html = response.content.decode()
    assert message in html
    if name == "control character":
        assert "Berkas bukan workbook Excel (.xlsx) yang sah." in html
    assert Response.objects.count() == 0


def test_rows_are_counted_once_across_chunks():
    """Counting rows a chunk at a time neither loses nor doubles a tag cut in two."""
    content = many_rows(count=20_000)  # about 900 KB of sheet XML: several chunks
    book = workbooks.open_workbook(
        io.BytesIO(content), max_uncompressed_bytes=10**8, max_rows=20_000, max_cells=20_000
    )
    assert book.active.max_row == 20_000
    with pytest.raises(workbooks.WorkbookRefused, match="lebih dari 19999 baris"):
        workbooks.open_workbook(
            io.BytesIO(content), max_uncompressed_bytes=10**8, max_rows=19_999, max_cells=10**6
        )
