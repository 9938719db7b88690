"""An office whose Sasaran Mutu measures by month, quarter, semester and year, for the tests
of pages that must know every kind of period (independent of the demo's second office).

Unit "UP Uji Periode" under the demo's Dinas, its head `uji_kepala` and officer
`uji_petugas` (password DEMO_PASSWORD), one free section "Produk Layanan" (no level: the
head reviews it) with:

- KENDARAAN: monthly count, a target of 100 kendaraan each month and 1.200 for the year;
  January-June entered (approved), July a draft;
- TEPAT_WAKTU: monthly percentage averaged, targets written per quarter (90 %) and year;
  January-March approved;
- IKM: semester index with a konversi target ("IKM ≥ 84") per semester and year; Semester I
  approved at 85,5;
- PUNGLI: quarterly count, lower is better, zero tolerance (0 every quarter and the year);
  TW 1 approved at 0, TW 2 submitted at 1 (missed);
- SOSIALISASI: semester count summed, 2 per semester, 4 a year; Semester I approved at 2;
- LAPORAN: yearly count, 1 report a year.
"""

from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth import get_user_model

from sasaran import services
from sasaran.models import (
    Assignment,
    Indicator,
    Objective,
    Position,
    QualityManual,
    Realisation,
    Section,
    Target,
    Unit,
)
from tests.conftest import DEMO_PASSWORD

CODE = "up-uji-periode"
KENDARAAN = "Jumlah kendaraan yang diperiksa"
TEPAT_WAKTU = "Persentase layanan selesai tepat waktu"
IKM = "Indeks Kepuasan Masyarakat (skala 25-100)"
PUNGLI = "Jumlah pungutan liar"
SOSIALISASI = "Jumlah sosialisasi layanan"
LAPORAN = "Laporan kinerja tahunan"

APPROVED = Realisation.Status.APPROVED
SUBMITTED = Realisation.Status.SUBMITTED
DRAFT = Realisation.Status.DRAFT
MONTHS = [f"M{n:02d}" for n in range(1, 13)]


def make_office(year=2023, parent_code="dpmptsp-dki"):
    """Create the office (see the module's docstring) and return its rows by name."""
    User = get_user_model()
    unit = Unit.objects.create(
        code=CODE,
        name="UP Uji Periode",
        kind=Unit.Kind.UNIT_PELAKSANA,
        parent=Unit.objects.get(code=parent_code),
    )
    head_position = Position.objects.create(unit=unit, name="Kepala UP Uji", level="kepala")
    officer_position = Position.objects.create(unit=unit, name="Petugas Layanan", level="staf")
    head = User.objects.create_user("uji_kepala", password=DEMO_PASSWORD, first_name="Kepala")
    officer = User.objects.create_user("uji_petugas", password=DEMO_PASSWORD, first_name="Petugas")
    Assignment.objects.create(user=head, position=head_position, role=Assignment.Role.HEAD)
    Assignment.objects.create(user=officer, position=officer_position, role=Assignment.Role.STAFF)
    manual = QualityManual.objects.create(
        unit=unit,
        year=year,
        document_number="MM-UJI",
        effective_date=f"{year}-01-02",
        signed_by=head_position,
    )
    section = Section.objects.create(manual=manual, order=1, title="Produk Layanan")
    objective = Objective.objects.create(section=section, number=1, text="Layanan prima")

    def indicator(order, name, frequency, kind, targets, **fields):
        row = Indicator.objects.create(
            objective=objective,
            order=order,
            name=name,
            measurement_method="Rekap",
            frequency=frequency,
            responsible_position=officer_position,
            kind=kind,
            **fields,
        )
        Target.objects.bulk_create(
            Target(indicator=row, period=p, value=Decimal(str(v))) for p, v in targets.items()
        )
        return row

    rows = SimpleNamespace(unit=unit, manual=manual, section=section, head=head, officer=officer)
    rows.kendaraan = indicator(
        1,
        KENDARAAN,
        "monthly",
        "count",
        {**dict.fromkeys(MONTHS, 100), "Y": 1200},
        unit_of_measure="kendaraan",
    )
    rows.tepat_waktu = indicator(
        2,
        TEPAT_WAKTU,
        "monthly",
        "percentage",
        {"Q1": 90, "Q2": 90, "Q3": 90, "Q4": 90, "Y": 90},
        aggregation="average",
        max_value=100,
    )
    rows.ikm = indicator(3, IKM, "semester", "index", {"S1": 84, "S2": 84, "Y": 84})
    rows.pungli = indicator(
        4,
        PUNGLI,
        "quarterly",
        "count",
        {"Q1": 0, "Q2": 0, "Q3": 0, "Q4": 0, "Y": 0},
        polarity="lower",
        unit_of_measure="kasus",
    )
    rows.sosialisasi = indicator(
        5, SOSIALISASI, "semester", "count", {"S1": 2, "S2": 2, "Y": 4}, unit_of_measure="kali"
    )
    rows.laporan = indicator(6, LAPORAN, "yearly", "count", {"Y": 1}, unit_of_measure="laporan")

    def record(ind, period, value, status=APPROVED, **data):
        services.realisation_record(
            indicator=ind,
            period=period,
            user=officer,
            data={"value": Decimal(str(value)), **data},
            status=status,
            reviewed_by=head if status == APPROVED else None,
            reason="Data uji",
        )

    for month, value in zip(MONTHS[:6], [100, 90, 110, 100, 100, 120], strict=True):
        record(rows.kendaraan, month, value)
    record(rows.kendaraan, "M07", 95, DRAFT)
    for month, value in zip(MONTHS[:3], [80, 100, 90], strict=True):
        record(rows.tepat_waktu, month, value)
    record(rows.ikm, "S1", "85.5")
    record(rows.pungli, "Q1", 0)
    record(
        rows.pungli,
        "Q2",
        1,
        SUBMITTED,
        cause_analysis="Satu petugas meminta imbalan.",
        follow_up="Petugas diberi sanksi.",
    )
    record(rows.sosialisasi, "S1", 2)
    return rows
