"""Fixtures of the permit log tests: the demo's unit with permit types and task kinds, the
holidays of 2022-2024 seeded, and helpers that write a log file."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from sasaran.models import Unit
from sasaran.perizinan import calendars
from sasaran.perizinan.models import PermitType, TaskKind

UP = "up-pmptsp-jaktim"
PERMIT_HEADER = [
    "No Permohonan",
    "Jenis Izin",
    "Tanggal Berkas Lengkap",
    "Tanggal Terbit",
    "Status",
]
TASK_HEADER = ["No Agenda", "Jenis Tugas", "Mulai", "Selesai", "Petugas"]


@pytest.fixture
def unit(demo):
    return Unit.objects.get(code=UP)


@pytest.fixture
def holidays_seeded(db):
    for year in (2022, 2023, 2024):
        calendars.seed_year(year)


@pytest.fixture
def types(unit, holidays_seeded):
    """Two permit types: IUMK (1 working day) and PBG (14)."""
    return {
        "IUMK": PermitType.objects.create(
            unit=unit, code="IUMK", name="Izin Usaha Mikro dan Kecil", standard_days=1
        ),
        "PBG": PermitType.objects.create(
            unit=unit, code="PBG", name="Persetujuan Bangunan Gedung", standard_days=14
        ),
    }


@pytest.fixture
def kinds(unit, holidays_seeded):
    return {
        "antar": TaskKind.objects.create(
            unit=unit, code="antar-surat", name="Pengantaran surat", limit_days=1
        ),
        "gambar": TaskKind.objects.create(
            unit=unit, code="gambar", name="Pengolahan data hingga jadi gambar", limit_days=3
        ),
    }


def csv_bytes(rows, header=PERMIT_HEADER, delimiter=";", encoding="utf-8"):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=PERMIT_HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def upload(name, content):
    return SimpleUploadedFile(name, content)
