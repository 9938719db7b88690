"""Hostile text typed into the free-text fields of indicators, surveys and SOPs comes out
inert: escaped in HTML pages, printed as text in PDFs, stored as text in Excel."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sasaran.models import Indicator
from sasaran.skm.models import Survey
from sop.models import Sop, SopStep

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://x","klik")'

pytestmark = pytest.mark.usefixtures("demo_examples")


def inert_html(html):
    assert SCRIPT not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def pdf_text(content):
    """The PDF's text without any whitespace (a narrow cell wraps text anywhere)."""
    pages = PdfReader(io.BytesIO(content)).pages
    return "".join("".join(p.extract_text().split()) for p in pages)


def formula_cells(content):
    cells = []
    for ws in load_workbook(io.BytesIO(content)).worksheets:
        cells += [c for row in ws.iter_rows() for c in row if c.value == FORMULA]
    return cells


def test_indicator_texts(superuser):
    indicator = Indicator.objects.get(name="Persentase Penerbitan Izin Tepat Waktu")
    indicator.name = f"Persentase {SCRIPT}"
    indicator.measurement_method = IMG
    indicator.note = FORMULA
    indicator.save()
    objective = indicator.objective
    objective.text = FORMULA
    objective.save()
    unit = "up-pmptsp-jaktim"
    inert_html(superuser.get(reverse("document", args=[unit, 2023])).content.decode())
    inert_html(superuser.get(reverse("indicator", args=[indicator.pk])).content.decode())
    inert_html(superuser.get(reverse("dashboard", args=[unit])).content.decode())
    pdf = superuser.get(reverse("document_download", args=[unit, 2023, "pdf"])).content
    assert SCRIPT in pdf_text(pdf)
    xlsx = superuser.get(reverse("document_download", args=[unit, 2023, "xlsx"])).content
    cells = formula_cells(xlsx)
    assert cells and all(c.data_type == "s" for c in cells)


def test_survey_follow_up_plan(superuser):
    survey = Survey.objects.get(unit__code="up-pmptsp-jaktim")
    survey.follow_up_plan = f"{SCRIPT} {IMG}"
    survey.note = FORMULA
    survey.save()
    inert_html(superuser.get(reverse("survey_detail", args=[survey.pk])).content.decode())
    assert SCRIPT in pdf_text(superuser.get(reverse("survey_pdf", args=[survey.pk])).content)
    survey.follow_up_plan = FORMULA
    survey.save()
    xlsx = superuser.get(reverse("survey_excel", args=[survey.pk])).content
    cells = formula_cells(xlsx)
    assert cells and all(c.data_type == "s" for c in cells)


def test_sop_texts(superuser):
    sop = Sop.objects.get()
    sop.warning = f"{SCRIPT} {IMG}"
    sop.records = FORMULA
    sop.save()
    step = SopStep.objects.filter(sop=sop).order_by("number").first()
    step.activity = SCRIPT
    step.save()
    inert_html(superuser.get(reverse("sop:detail", args=[sop.pk])).content.decode())
    assert SCRIPT in pdf_text(superuser.get(reverse("sop:pdf", args=[sop.pk])).content)
    cells = formula_cells(superuser.get(reverse("sop:xlsx", args=[sop.pk])).content)
    assert cells and all(c.data_type == "s" for c in cells)
