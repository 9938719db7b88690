"""Benchmark: the Sasaran Mutu workbook as the manual grows, against openpyxl write_only.

For each size, generates one unit's manual of N indicators (the generator of
bench/dashboard.py) in a throw-away test database and times, best of nine:

- the floor: openpyxl in write_only mode writing the same cell values (read back from the
  app's workbook), no styles, no merges: the least any .xlsx of that content costs;
- the styled floor: openpyxl in write_only mode writing the same cells with their styles,
  the same merges, row heights and column widths (read back from the app's workbook; each
  distinct style given to openpyxl once and copied to its cells, the cheapest way openpyxl
  offers): the least the same document costs, gathering and wording it aside;
- the app's workbook (`documents.exports.export(..., "xlsx")`, what the download sends).

Also the peak Python memory of each (tracemalloc, one separate run), and that of the
writing alone (`export_xlsx.manual_xlsx` of the document already gathered: the app's
figure less the rows read from the database, which are held whole). A cost that grows
faster than N shows as a ratio that grows with N.

    .venv/bin/python bench/exports.py [--sizes 250 500 1000 2000]
"""

import argparse
import io
import os
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("AXES_ENABLED", "false")

from common import best_of, throwaway_database  # noqa: E402  (bench/common.py)


def peak(function):
    tracemalloc.start()
    function()
    _current, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def floor_writer(rows):
    from openpyxl import Workbook

    def write():
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    return write


def styled_floor_writer(sheet):
    """A write_only workbook of the cells of `sheet` (a read-back worksheet) with their
    styles, merges, row heights and column widths."""
    from copy import copy

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    styles = {}  # the source's style ids -> its font, border, fill, alignment, format
    rows = []
    for row in sheet.iter_rows():
        rows.append([])
        for cell in row:
            if not cell.has_style:
                rows[-1].append((cell.value,))
                continue
            key = tuple(cell._style)
            if key not in styles:
                parts = (cell.font, cell.border, cell.fill, cell.alignment)
                styles[key] = (*(copy(part) for part in parts), cell.number_format)
            rows[-1].append((cell.value, key))
    heights = {n: d.height for n, d in sheet.row_dimensions.items() if d.height}
    widths = {k: d.width for k, d in sheet.column_dimensions.items()}
    merges = [str(r) for r in sheet.merged_cells.ranges]

    def write():
        workbook = Workbook(write_only=True)
        ws = workbook.create_sheet()
        for letter, width in widths.items():
            ws.column_dimensions[letter].width = width
        arrays = {}
        for number, row in enumerate(rows, start=1):
            if number in heights:
                ws.row_dimensions[number].height = heights[number]
            cells = []
            for parts in row:
                if len(parts) == 1:
                    cells.append(parts[0])
                    continue
                cell = WriteOnlyCell(ws, parts[0])
                key = parts[1]
                if key not in arrays:
                    probe = WriteOnlyCell(ws)
                    probe.font, probe.border, probe.fill, probe.alignment = styles[key][:4]
                    probe.number_format = styles[key][4]
                    arrays[key] = probe._style
                cell._style = copy(arrays[key])
                cells.append(cell)
            ws.append(cells)
        for merged in merges:
            ws.merged_cells.add(merged)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    return write


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000])
    args = parser.parse_args()

    import django

    django.setup()

    import openpyxl
    from dashboard import generate

    print(
        f"{'indicators':>10} {'floor ms':>9} {'styled ms':>9} {'app ms':>8} {'ratio':>6} "
        f"{'styled':>6} {'floor MB':>9} {'app MB':>7} {'write MB':>9}"
    )
    for size in args.sizes:
        with throwaway_database():
            from sasaran.documents import export_xlsx, exports, manual, reports
            from sasaran.models import Unit

            generate(1, size, 1)
            unit = Unit.objects.get(code="up-0")

            def app(unit=unit):
                return exports.export(unit, 2024, "xlsx")[0]

            app_time, content = best_of(9, app)
            sheet = openpyxl.load_workbook(io.BytesIO(content)).active
            rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
            floor = floor_writer(rows)
            floor_time, _ = best_of(9, floor)
            styled_time, _ = best_of(9, styled_floor_writer(sheet))
            app_peak, floor_peak = peak(app), peak(floor)
            doc = manual.manual_document(reports.manual_for(unit, 2024))
            write_peak = peak(lambda doc=doc: export_xlsx.manual_xlsx(doc))
            print(
                f"{size:>10} {floor_time * 1000:>9.0f} {styled_time * 1000:>9.0f} "
                f"{app_time * 1000:>8.0f} {app_time / floor_time:>6.2f} "
                f"{app_time / styled_time:>6.2f} {floor_peak / 2**20:>9.1f} "
                f"{app_peak / 2**20:>7.1f} {write_peak / 2**20:>9.1f}"
            )


if __name__ == "__main__":
    main()
