"""`manage.py load_demo`: the demo data of fixtures/ (see mutu/demo.py), into an empty
database only; `--reset` deletes the demo's own rows first and loads it afresh."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from mutu import demo

LABELS = [
    ("unit", "unit"),
    ("position", "jabatan"),
    ("user", "pengguna"),
    ("section", "bagian"),
    ("objective", "sasaran"),
    ("indicator", "indikator"),
    ("target", "target"),
]

NOTHING_CHANGED = (
    "Basis data sudah berisi data (unit atau pengguna demo), jadi data demo tidak dimuat dan "
    "tidak ada yang diubah. Untuk menghapus data demo beserta perubahannya lalu memuatnya "
    "dari awal: python manage.py load_demo --reset"
)


class Command(BaseCommand):
    help = (
        "Memuat data demo: Sasaran Mutu 2023 UP PMPTSP Kota Jakarta Timur (L2/MM-02), "
        "unit, jabatan dan pengguna demo. Hanya ke basis data yang masih kosong: bila sudah "
        "ada data, tidak ada yang diubah; aman dijalankan berulang kali."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-examples",
            action="store_true",
            help="Tanpa data contoh (realisasi 2023 TW 1-3, survei SKM; karangan).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=(
                "Hapus data demo (unit demo beserta seluruh isinya, pengguna demo, SOP contoh) "
                "termasuk perubahan pengguna, lalu muat ulang dari awal."
            ),
        )

    def handle(self, *args, **options):
        examples = not options["without_examples"]
        if options["reset"]:
            try:
                with transaction.atomic():
                    demo.reset_demo()
                    totals = demo.load_demo(examples=examples)
            except (ProtectedError, RestrictedError) as error:
                blocking = sorted(str(obj) for obj in error.args[1])[:3]  # the rows in the way
                raise CommandError(
                    "Data demo tidak dapat dihapus karena masih dipakai data lain "
                    f"({'; '.join(blocking)}). Tidak ada yang diubah."
                ) from error
            if options["verbosity"] >= 1:
                self.stdout.write("Data demo lama dihapus.")
        elif demo.has_data():
            if options["verbosity"] >= 1:
                self.stdout.write(self.style.WARNING(NOTHING_CHANGED))
            return
        else:
            totals = demo.load_demo(examples=examples)
        if options["verbosity"] < 1:
            return
        summary = ", ".join(f"{totals[key]} {label}" for key, label in LABELS)
        self.stdout.write(self.style.SUCCESS(f"Data demo dimuat: {summary}."))
        self.stdout.write(
            "Contoh realisasi 2023 TW 1-3 dan kantor contoh UP PMPTSP Kota Jakarta Barat "
            "(karangan, bukan dari dokumen) baru: "
            f"{totals['realisation']}."
        )
        organisation = demo.read_fixture(demo.ORGANISATION)
        users = organisation["users"]
        if examples:  # the example office's people too
            users = users + demo.read_fixture(demo.EXAMPLE_MANUAL)["organisation"]["users"]
        self.stdout.write(f"Login demo (kata sandi untuk semua: {organisation['password']}):")
        for spec in users:
            who = f"{spec['first_name']} {spec['last_name']}"
            role = spec["assignment"]["position"] if spec["assignment"] else None
            if spec["is_superuser"]:
                role = "superuser, termasuk /admin/"
            self.stdout.write(f"  {spec['username']:<12} {who} \u2014 {role}")
