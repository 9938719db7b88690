"""Benchmark: importing a permit log of 100,000 rows and computing its timeliness.

Generates a permit log of N permits of 2023 (10 permit types, dates dd/mm/yyyy, a title row
above the headings, semicolons as Excel in Indonesian writes them) as CSV and as xlsx, in a
throw-away test database with the holidays of 2022-2024 seeded, and times:

- the CSV import into an empty unit (every row created), the same file again (every row
  unchanged: nothing written) and a file with 10 % of the rows changed (bulk_update);
- the preview of the CSV (read and check, nothing written);
- the xlsx import into another empty unit (openpyxl's read-only mode);
- the timeliness of the year (all N permits: working days of each, per type, the late list)
  and of one quarter.

Then the peak Python memory (tracemalloc) of the CSV import and of the year's timeliness at
a tenth of N and at N: the reading is streamed and written in batches, so the import's peak
stays nearly flat (what grows is a fixed-size key per row to find a number given twice).

    .venv/bin/python bench/permits.py [--rows 100000]
"""

import argparse
import csv
import datetime
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("AXES_ENABLED", "false")

from common import throwaway_database  # noqa: E402  (bench/common.py)

TYPES = [
    (f"JENIS-{n}", f"Jenis izin {n}", standard)
    for n, standard in enumerate([1, 1, 3, 5, 5, 5, 7, 10, 14, 14], start=1)
]


def generate(path, rows, *, seed=2023, changed=0.0):
    rng = random.Random(seed)
    change = random.Random(seed + 1)
    start = datetime.date(2023, 1, 2)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["Rekap permohonan (data bangkitan untuk uji kinerja)"])
        writer.writerow(
            ["No Permohonan", "Jenis Izin", "Tanggal Berkas Lengkap", "Tanggal Terbit", "Status"]
        )
        for n in range(rows):
            code = rng.choice(TYPES)[0]
            complete = start + datetime.timedelta(days=rng.randrange(360))
            issued = complete + datetime.timedelta(days=rng.choice([0, 1, 2, 3, 5, 8, 13, 21]))
            if changed and change.random() < changed:
                issued += datetime.timedelta(days=1)
            writer.writerow(
                [f"BENCH-{n:07d}", code, f"{complete:%d/%m/%Y}", f"{issued:%d/%m/%Y}", "Terbit"]
            )


def to_xlsx(csv_path, xlsx_path):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    with open(csv_path, encoding="utf-8", newline="") as source:
        for row in csv.reader(source, delimiter=";"):
            sheet.append(row)
    book.save(xlsx_path)


def timed(function):
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def peak(function):
    tracemalloc.start()
    function()
    _current, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    # As in production: DEBUG keeps every query's text (here 100,000 rows of values).
    settings.DEBUG = False

    from sasaran.models import Unit
    from sasaran.perizinan import calendars, imports, services
    from sasaran.perizinan.models import Permit, PermitType

    with throwaway_database():
        for year in (2022, 2023, 2024):
            calendars.seed_year(year)
        counter = iter(range(1, 1000))

        def new_unit():
            unit = Unit.objects.create(code=f"bench-{next(counter)}", name="UP uji", kind="up")
            PermitType.objects.bulk_create(
                PermitType(unit=unit, code=code, name=name, standard_days=days)
                for code, name, days in TYPES
            )
            return unit

        folder = Path(tempfile.mkdtemp(prefix="bench-permits-"))
        n = args.rows
        log, changed, xlsx = folder / "log.csv", folder / "changed.csv", folder / "log.xlsx"
        generate(log, n)
        generate(changed, n, changed=0.10)
        to_xlsx(log, xlsx)
        sizes = {p.name: p.stat().st_size for p in (log, xlsx)}
        unit = new_unit()
        mapping = imports.guess_mapping("izin", imports.read_layout(log, "csv").headers)

        def save(path, ext, target):
            return imports.save(
                unit=target, log="izin", path=path, ext=ext, mapping=mapping, file_name=path.name
            )

        rows = []
        seconds, outcome = timed(lambda: save(log, "csv", unit))
        rows.append(("CSV import, empty unit", seconds, f"{outcome.created:,} created"))
        seconds, outcome = timed(lambda: save(log, "csv", unit))
        rows.append(("the same CSV again", seconds, f"{outcome.unchanged:,} unchanged"))
        seconds, outcome = timed(lambda: save(changed, "csv", unit))
        rows.append(
            (
                "CSV with 10 % changed",
                seconds,
                f"{outcome.updated:,} updated, {outcome.unchanged:,} unchanged",
            )
        )
        seconds, outcome = timed(
            lambda: imports.preview(unit=unit, log="izin", path=log, ext="csv", mapping=mapping)
        )
        rows.append(("CSV preview (nothing written)", seconds, f"{outcome.rows:,} rows read"))
        other = new_unit()
        seconds, outcome = timed(lambda: save(xlsx, "xlsx", other))
        rows.append(("xlsx import, empty unit", seconds, f"{outcome.created:,} created"))
        seconds, result = timed(lambda: services.timeliness(unit, 2023, "Y"))
        rows.append(
            (
                "timeliness of the year",
                seconds,
                f"{result.total.total:,} permits, {result.value} % on time, "
                f"{len(result.late):,} late",
            )
        )
        seconds, result = timed(lambda: services.timeliness(unit, 2023, "Q2"))
        rows.append(("timeliness of TW 2", seconds, f"{result.total.total:,} permits"))

        memory = []
        for size in (n // 10, n):
            small = folder / f"mem-{size}.csv"
            generate(small, size, seed=7)
            target = new_unit()
            memory.append(
                (
                    size,
                    "CSV import",
                    peak(lambda small=small, target=target: save(small, "csv", target)),
                )
            )
            memory.append(
                (
                    size,
                    "timeliness of the year",
                    peak(lambda target=target: services.timeliness(target, 2023, "Y")),
                )
            )
        print(
            f"{n:,} permits; CSV {sizes['log.csv'] / 1e6:.1f} MB, "
            f"xlsx {sizes['log.xlsx'] / 1e6:.1f} MB; "
            f"{connection.vendor}; {Permit.objects.count():,} rows in the table at the end"
        )
        print()
        print("| step | time | what |")
        print("|---|---|---|")
        for name, seconds, what in rows:
            print(f"| {name} | {seconds:.2f} s | {what} |")
        print()
        print("| rows | step | peak Python memory |")
        print("|---|---|---|")
        for size, name, top in memory:
            print(f"| {size:,} | {name} | {top / 1e6:.1f} MB |")


if __name__ == "__main__":
    main()
