"""Benchmark: a long SOP (40 steps, 6 lanes) as its page, its PDF and its workbook.

Creates a throw-away test database with one unit, a superuser and the SOP of
`tests.factories.build_long_sop` (40 steps over 6 lanes, a decision every seventh step whose
Tidak branch goes three steps back), and the complaints procedure of
`tests.factories.build_complex_sop` (19 rows: forks, merges, a three-way decision, joint
activities, a note and a connector row). Times, best of three in the same run:

- the flowchart alone, drawn as one page (`flowchart.drawings`: layout and arrow routing);
- the SOP page through Django's test client (GET /sop/<pk>/, templates included);
- the PDF (`exports.sop_pdf`: the flowchart split into A4 pages, then WeasyPrint);
- the workbook (`exports.sop_workbook`: the table and one PNG per flowchart page).

    .venv/bin/python bench/sop.py [--steps 40] [--lanes 6]
"""

import argparse
import io
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("AXES_ENABLED", "false")

from common import best_of, throwaway_database  # noqa: E402  (bench/common.py)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--lanes", type=int, default=6)
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client

    with throwaway_database():
        from django.contrib.auth import get_user_model
        from pypdf import PdfReader

        from sasaran.models import Unit
        from sop import exports, flowchart
        from tests.factories import build_complex_sop, build_long_sop

        unit = Unit.objects.create(code="bench", name="Unit Bench", kind=Unit.Kind.DINAS)
        user = get_user_model().objects.create_superuser("bench", password="x")
        client = Client()
        client.force_login(user)
        sops = {
            f"{args.steps} steps, {args.lanes} lanes": build_long_sop(
                unit, count=args.steps, lanes=args.lanes
            ),
            "complaints procedure (19 rows)": build_complex_sop(unit),
        }
        print(f"{'SOP':<32} {'drawing':>9} {'page':>9} {'PDF':>9} {'pages':>6} {'xlsx':>9}")
        for name, sop in sops.items():

            def drawing(sop=sop):
                actors, steps = exports.parts(sop)
                return flowchart.drawings(steps, actors)

            def page(sop=sop):
                response = client.get(f"/sop/{sop.pk}/")
                assert response.status_code == 200, response.status_code
                return response

            draw_time, _ = best_of(3, drawing)
            page_time, _ = best_of(3, page)
            pdf_time, content = best_of(3, lambda sop=sop: exports.sop_pdf(sop))
            xlsx_time, _ = best_of(3, lambda sop=sop: exports.sop_workbook(sop))
            pages = len(PdfReader(io.BytesIO(content)).pages)
            print(
                f"{name:<32} {draw_time * 1000:>7.0f}ms {page_time * 1000:>7.0f}ms "
                f"{pdf_time * 1000:>7.0f}ms {pages:>6} {xlsx_time * 1000:>7.0f}ms"
            )


if __name__ == "__main__":
    main()
