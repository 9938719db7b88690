"""Benchmark: each PDF the app prints against WeasyPrint alone on the same HTML.

Loads the demo into a throw-away test database, then for each document times, best of
RUNS (the two alternated):

- the app: what the download does (reading the data, rendering the template, WeasyPrint
  with the app's static-only fetcher, and for an SOP with a long identity part the extra
  layout that measures the room left on its last page);
- the floor: `weasyprint.HTML(string=html).write_pdf()` with WeasyPrint's own fetcher, on the
  final HTML the app handed to WeasyPrint (captured during the app's run).

The ratio app / floor is the app's overhead over the PDF engine itself.

    .venv/bin/python bench/pdfs.py [--runs 5]
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("AXES_ENABLED", "false")

from common import best_alternated, throwaway_database  # noqa: E402  (bench/common.py)


def documents():
    """(name, function that makes the PDF) of every kind of PDF the demo has."""
    from sasaran.documents import export_pdf, reports
    from sasaran.documents.manual import manual_document
    from sasaran.models import QualityManual, Unit
    from sasaran.skm import report, services
    from sasaran.skm.models import Survey
    from sop.exports import sop_pdf
    from sop.models import Sop
    from tests.factories import build_long_sop

    unit = Unit.objects.get(code="up-pmptsp-jaktim")
    manual = QualityManual.objects.get(unit=unit, year=2023)
    long_sop = build_long_sop(Unit.objects.get(code="dpmptsp-jabar"))
    # A long identity part: the flowchart may start on its last page, measured by an extra
    # layout of the identity part.
    wordy_sop = build_long_sop(Unit.objects.get(code="dpmptsp-jabar"), number="LONG/ID")
    wordy_sop.legal_basis = "\n".join(
        f"Peraturan Menteri Pendayagunaan Aparatur Negara nomor {n} tahun 2012 tentang "
        "pedoman penyusunan standar operasional prosedur administrasi pemerintahan"
        for n in range(1, 16)
    )
    wordy_sop.save(update_fields=["legal_basis"])
    return [
        ("Sasaran Mutu (31 indicators)", lambda: export_pdf.manual_pdf(manual_document(manual))),
        (
            "quarterly report TW 3 with charts",
            lambda: export_pdf.quarterly_pdf(reports.quarterly_report(unit, 2023, 3)),
        ),
        (
            "comparison of the Dinas TW 2",
            lambda: export_pdf.comparison_pdf(
                reports.comparison_report(Unit.objects.get(code="dpmptsp-dki"), 2023, 2)
            ),
        ),
        (
            "SKM report TW 1",
            lambda: report.result_pdf(
                services.survey_result(Survey.objects.order_by("pk").first())
            ),
        ),
        ("seed SOP", lambda: sop_pdf(Sop.objects.order_by("pk").first())),
        ("SOP of 40 steps, 6 lanes", lambda: sop_pdf(long_sop)),
        ("the same with a long identity part", lambda: sop_pdf(wordy_sop)),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from sasaran import pdf

    with throwaway_database():
        call_command("load_demo", verbosity=0)
        weasyprint = pdf._weasyprint()
        captured = []
        app_render = pdf.render

        def capturing_render(html, resources=None):
            captured.append((html, resources))
            return app_render(html, resources)

        pdf.render = capturing_render
        print(f"{'document':38} {'app':>9} {'floor':>9} {'ratio':>6}")
        for name, make in documents():
            make()  # warm up (imports, fonts) and capture the final HTML
            html, _resources = captured[-1]
            app, floor = best_alternated(
                args.runs, make, lambda h=html: weasyprint.HTML(string=h).write_pdf()
            )
            print(f"{name:38} {app * 1000:7.0f}ms {floor * 1000:7.0f}ms {app / floor:6.2f}")
        pdf.render = app_render


if __name__ == "__main__":
    main()
