from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sop import exports
from sop.models import Sop

WRITERS = {"pdf": exports.sop_pdf, "xlsx": exports.sop_workbook}


class Command(BaseCommand):
    help = "Mengekspor satu SOP ke PDF (A4) atau Excel."

    def add_arguments(self, parser):
        parser.add_argument("--sop", type=int, required=True, help="ID SOP")
        parser.add_argument("--format", choices=sorted(WRITERS), required=True)
        parser.add_argument("--output", required=True, help="berkas tujuan")

    def handle(self, *args, **options):
        sop = Sop.objects.filter(pk=options["sop"]).first()
        if sop is None:
            raise CommandError(f"SOP dengan ID {options['sop']} tidak ada.")
        content = WRITERS[options["format"]](sop)
        output = Path(options["output"])
        output.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"{sop} ditulis ke {output} ({len(content)} bita)."))
