from django.core.management.base import BaseCommand

from sasaran.demo import DEMO_PASSWORD, USERS, load_demo
from sasaran.demo_realisations import load_example_realisations
from sasaran.skm.demo import load_survey_demo
from sop.demo import load_sop_demo

LABELS = [
    ("unit", "unit"),
    ("position", "jabatan"),
    ("user", "pengguna"),
    ("section", "bagian"),
    ("objective", "sasaran"),
    ("indicator", "indikator"),
    ("target", "target"),
]


class Command(BaseCommand):
    help = (
        "Memuat data demo: Sasaran Mutu 2023 UP PMPTSP Kota Jakarta Timur (L2/MM-02), "
        "unit, jabatan dan pengguna demo. Aman dijalankan berulang kali."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-examples",
            action="store_true",
            help="Tanpa data contoh (realisasi 2023 TW 1-3, survei SKM; karangan).",
        )

    def handle(self, *args, **options):
        summary = load_demo()
        load_sop_demo(with_user=True)
        examples = 0
        if not options["without_examples"]:
            examples = load_example_realisations()
            load_survey_demo()  # invented respondents, marked as example data
        if options["verbosity"] < 1:
            return
        totals = ", ".join(f"{summary['totals'][key]} {label}" for key, label in LABELS)
        created = sum(summary["created"].values())
        updated = sum(summary["updated"].values())
        self.stdout.write(self.style.SUCCESS(f"Data demo dimuat: {totals}."))
        self.stdout.write(f"Baris baru: {created}, baris diperbarui: {updated}.")
        self.stdout.write(
            f"Contoh realisasi 2023 TW 1-3 (karangan, bukan dari dokumen) baru: {examples}."
        )
        self.stdout.write(f"Login demo (kata sandi untuk semua: {DEMO_PASSWORD}):")
        position_of = {}
        for spec in USERS:
            if spec["assignment"]:
                position_of[spec["username"]] = spec["assignment"][1]
        for spec in USERS:
            who = f"{spec['first_name']} {spec['last_name']}"
            role = position_of.get(spec["username"])
            if spec.get("is_superuser"):
                role = "superuser, termasuk /admin/"
            self.stdout.write(f"  {spec['username']:<10} {who} \u2014 {role}")
