"""Dates in one format throughout the documents and exports: 27 Juni 2023, written by one
helper (`periods.long_date`, the `tanggal` filter in templates)."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from mutu.demo import load_example_survey
from sasaran import periods, xlsx
from sasaran.periods import long_date
from sop import exports as sop_exports
from sop.models import Sop
from tests.conftest import logged_in

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PRINT_TEMPLATES = [
    *sorted((TEMPLATES / "sasaran" / "pdf").glob("*.html")),
    TEMPLATES / "skm" / "pdf.html",
    TEMPLATES / "sop" / "pdf.html",
    TEMPLATES / "sasaran" / "_target_revision.html",  # printed under both PDFs' tables
]


def test_long_date():
    with translation.override("id"):
        assert long_date(datetime.date(2023, 6, 27)) == "27 Juni 2023"
        assert long_date(datetime.date(2023, 7, 1)) == "1 Juli 2023"  # no leading zero
        assert long_date(None) == ""
        html = Template("{% load mutu %}{{ d|tanggal }}").render(
            Context({"d": datetime.date(2023, 12, 31)})
        )
        assert html == "31 Desember 2023"


def test_print_templates_write_dates_only_through_the_helper():
    for path in PRINT_TEMPLATES:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\|date\b|\{% now", text), path.name


def test_sop_identity_dates(demo):
    sop = Sop.objects.get(number__startswith="62/")
    with translation.override("id"):
        rows = dict(sop_exports.identity_rows(sop))
    assert rows["Tanggal Pembuatan"] == "27 Juni 2023"
    assert rows["Tanggal Efektif"] == "27 Juni 2023"


@pytest.fixture
def survey(demo):
    return load_example_survey()  # TW 1 2023, 30 respondents


def test_survey_pdf_dates(client, survey):
    logged_in(client, "kepala")
    content = client.get(reverse("survey_pdf", args=[survey.pk])).content
    texts = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages]
    whole = " ".join(texts)
    assert "Periode : 1 Januari 2023 – 31 Maret 2023" in whole
    with translation.override("id"):
        today = long_date(periods.today())
    assert f"Dicetak : {today}" in whole
    assert f"Jakarta, {today}" in whole  # above the signature
    recap = texts[-1]
    assert re.search(r"\b\d{1,2} (Januari|Februari|Maret) 2023\b", recap)
    assert not re.search(r"\b\d{2}-\d{2}-\d{4}\b", whole)


def test_survey_workbook_dates_are_dates_shown_in_indonesian(client, survey):
    logged_in(client, "kepala")
    content = client.get(reverse("survey_excel", args=[survey.pk])).content
    ws = load_workbook(io.BytesIO(content))["Rekap"]
    column = next(c.column for c in ws[1] if c.value == "Tanggal")
    cell = ws.cell(row=2, column=column)
    assert cell.is_date and cell.value.year == 2023
    assert cell.number_format == xlsx.DATE_FORMAT == "[$-421]d mmmm yyyy"
