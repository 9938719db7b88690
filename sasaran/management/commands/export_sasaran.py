from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sasaran.documents import exports
from sasaran.models import QualityManual, Unit
from sasaran.periods import QUARTER_NUMBERS


class Command(BaseCommand):
    help = (
        "Ekspor dokumen Sasaran Mutu (tanpa --quarter) atau laporan capaian triwulan "
        "(dengan --quarter) sebagai PDF atau Excel, untuk tugas terjadwal."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="kode unit, mis. up-pmptsp-jaktim")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--quarter", type=int, choices=QUARTER_NUMBERS)
        parser.add_argument("--format", required=True, choices=["pdf", "xlsx"])
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, **options):
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Unit tidak dikenal: {options['unit']}")
        if not QualityManual.objects.filter(unit=unit, year=options["year"]).exists():
            raise CommandError(f"Belum ada Sasaran Mutu {options['year']} untuk {unit.name}.")
        content, _name = exports.export(
            unit, options["year"], options["format"], options["quarter"]
        )
        options["output"].write_bytes(content)
        self.stdout.write(f"{options['output']} ({len(content)} bita)")
