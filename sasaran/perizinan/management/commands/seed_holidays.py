"""`manage.py seed_holidays 2023 2024`: fill the holiday table of those years from the
`holidays` package (national holidays and cuti bersama of Indonesia); `--again` adds the
package's dates still missing from a year seeded before."""

from django.core.management.base import BaseCommand, CommandError

from sasaran.perizinan import calendars


class Command(BaseCommand):
    help = "Mengisi tabel hari libur (libur nasional dan cuti bersama) dari paket holidays."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", type=int)
        parser.add_argument("--again", action="store_true", help="tambahkan tanggal yang belum ada")

    def handle(self, *args, years, again, **options):
        for year in years:
            if not 2000 <= year <= 2100:
                raise CommandError(f"Tahun {year} di luar 2000-2100.")
            added = calendars.seed_year(year, again=again)
            self.stdout.write(f"{year}: {added} hari libur ditambahkan.")
