"""`manage.py import_permit_log --unit CODE --log izin|tugas FILE`: import a permit log or a
staff task log from disk, for scheduled jobs and for exports larger than the upload limit.
Uses the unit's saved column mapping, else the one guessed from the headings; all rows or
(any bad row) none, as the page does."""

from django.core.management.base import BaseCommand, CommandError

from sasaran.models import Unit
from sasaran.perizinan import imports


class Command(BaseCommand):
    help = "Mengimpor log izin atau log tugas staf (CSV atau xlsx) untuk satu unit."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True)
        parser.add_argument(
            "--log", choices=[imports.PERMITS, imports.TASKS], default=imports.PERMITS
        )

    def handle(self, *args, file, unit, log, **options):
        row = Unit.objects.filter(code=unit).first()
        if row is None:
            raise CommandError(f"Unit {unit!r} tidak ada.")
        try:
            outcome = imports.save_file(unit=row, log=log, file=file)
        except imports.LogUnreadable as error:
            raise CommandError(error.message) from None
        except imports.ImportRefused as refused:
            lines = "\n".join(refused.outcome.errors)
            raise CommandError(
                f"Tidak ada yang diimpor: {refused.outcome.error_count} baris bermasalah.\n{lines}"
            ) from None
        except OSError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{outcome.rows} baris: {outcome.created} baru, {outcome.updated} berubah, "
            f"{outcome.unchanged} tetap ({outcome.seconds:.1f} s)."
        )
