from django.core.management.base import BaseCommand, CommandError

from sasaran.siklus import reminders


class Command(BaseCommand):
    help = (
        "Kirim ringkasan pengingat harian lewat surel (paling banyak satu per orang per hari; "
        "aman dijalankan berulang kali)."
    )

    def handle(self, *args, **options):
        outcome = reminders.send_reminders()
        self.stdout.write(
            f"terkirim {outcome.sent}, dilewati {outcome.skipped}, gagal {outcome.failed}"
        )
        if outcome.failed:
            # A non-zero exit for cron or the systemd timer's log; the next run retries.
            raise CommandError(f"{outcome.failed} surel gagal dikirim; dicoba lagi nanti.")
