"""The official documents as PDF (WeasyPrint, A4 landscape; the header block on every
page, table headers repeated, "Halaman x dari y", no row cut in half)."""

from django.template.loader import render_to_string
from django.utils import translation

from sasaran.pdf import html_to_pdf


def _render(template, context):
    # Official documents are Indonesian whatever the reader's interface language.
    with translation.override("id"):
        return html_to_pdf(render_to_string(template, context))


def manual_pdf(doc):
    return _render("sasaran/pdf/manual.html", doc)


def quarterly_pdf(report):
    return _render("sasaran/pdf/quarterly.html", {**report, "charts": True})


def comparison_pdf(report):
    return _render("sasaran/pdf/comparison.html", report)
