"""Example realisations for 2023 TW 1 to TW 3, so that a newcomer sees a living dashboard.

These figures are invented: they are NOT from the seed document, and each one says so in
its note. Some targets are met, some missed, some periods are missing, one realisation is
returned. Existing realisations are never touched, so a second run changes nothing.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .models import Assignment, Indicator, Realisation, Unit, User

MARK = "[Contoh data demo, bukan dari dokumen]"
T = Decimal(10) ** 12

APPROVED, SUBMITTED, DRAFT, RETURNED = "approved", "submitted", "draft", "returned"
MISSED = {
    "cause_analysis": "Contoh: sebagian data terlambat diterima dari bidang terkait.",
    "follow_up": "Contoh: rekonsiliasi data setiap bulan dan pengingat kepada bidang terkait.",
}

# (indicator name, period, value or (numerator, denominator), status, extra fields)
EXAMPLES = [
    ("Indeks Kepuasan Layanan Penunjang Urusan Pemerintahan Daerah", "Q1", 90.12, APPROVED, {}),
    ("Indeks Kepuasan Layanan Penunjang Urusan Pemerintahan Daerah", "Q2", 87.5, APPROVED, MISSED),
    ("Indeks Kepuasan Layanan Penunjang Urusan Pemerintahan Daerah", "Q3", 89.4, SUBMITTED, {}),
    ("Persentase Penerbitan Izin Tepat Waktu", "Q1", (1180, 1200), APPROVED, MISSED),
    ("Persentase Penerbitan Izin Tepat Waktu", "Q2", (1230, 1230), APPROVED, {}),
    ("Indeks Kepuasan Layanan Administrasi Keuangan", "Q1", 91, APPROVED, {}),
    ("Indeks Kepuasan Layanan Administrasi Keuangan", "Q2", 92.3, APPROVED, {}),
    ("Indeks Kepuasan Layanan Administrasi Keuangan", "Q3", 88.9, DRAFT, {}),
    ("Indeks Kepuasan Pelayanan Administrasi Umum", "Q1", 89, APPROVED, {}),
    ("Indeks Kepuasan Pelayanan Administrasi Umum", "Q2", 90.5, SUBMITTED, {}),
    ("Laporan Pengumpulan Bahan Pengembangan Potensi Penanaman Modal", "Q1", 1, APPROVED, {}),
    ("Laporan Pengumpulan Bahan Pengembangan Potensi Penanaman Modal", "Q2", 1, APPROVED, {}),
    ("Laporan Pengumpulan Bahan Pengembangan Potensi Penanaman Modal", "Q3", 1, SUBMITTED, {}),
    ("Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten", "Q1", Decimal("3.902") * T, APPROVED, {}),
    (
        "Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten",
        "Q2",
        Decimal("3.118") * T,
        APPROVED,
        MISSED,
    ),
    # A draft that misses its target and has no follow-up yet: the dashboard lists it.
    ("Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten", "Q3", Decimal("4.5") * T, DRAFT, {}),
    ("Nilai pelayanan UP PMPTSP di Lingkungan DPMPSTSP Priv DKI Jakarta", "Q1", 85.2, APPROVED, {}),
    ("Nilai pelayanan UP PMPTSP di Lingkungan DPMPSTSP Priv DKI Jakarta", "Q2", 84.1, APPROVED, {}),
    (
        "Persentasi Pelaksanaan Pengawasan Perizinan",
        "Q2",
        (8, 10),
        RETURNED,
        {**MISSED, "return_reason": "Contoh: lampirkan berita acara pengawasan."},
    ),
    ("Persentase updating data kepegawaian", "Q1", 100, APPROVED, {}),
    ("Persentase updating data kepegawaian", "Q2", 100, APPROVED, {}),
    ("Persentase updating data kepegawaian", "Q3", 100, SUBMITTED, {}),
    ("Persentase updating data aset", "Q1", 100, APPROVED, {}),
    ("Persentase updating data aset", "Q2", 95, SUBMITTED, MISSED),
    (
        "Jumlah kendaraan dinas operasional atau lapangan yang dipelihara dan dibayarkan pajak "
        "dan perizinannya",
        "Q3",
        28,
        SUBMITTED,
        MISSED,
    ),
    ("Jumlah peralatan dan mesin lainnya yang dipelihara", "Q2", 12, APPROVED, {}),
    ("Jumlah peralatan dan mesin lainnya yang dipelihara", "Q3", 98, APPROVED, {}),
    ("Persentase pengiriman laporan retribusi tepat waktu ke DPMPSTP", "Q1", 100, APPROVED, {}),
    ("Persentase pengiriman laporan retribusi tepat waktu ke DPMPSTP", "Q2", 100, APPROVED, {}),
    ("Mengantar surat kepada pihak terkait tepat waktu", "Q1", 0.9, APPROVED, {}),
    ("Mengantar surat kepada pihak terkait tepat waktu", "Q2", 1.2, APPROVED, MISSED),
    ("Mengolah data hasil ukur hingga jadi gambar tepat waktu", "Q1", 2.5, APPROVED, {}),
    ("Mengolah data hasil ukur hingga jadi gambar tepat waktu", "Q2", 2.8, SUBMITTED, {}),
] + [
    ("(1) Menyusun jadwal pengukuran", f"M{m:02d}", value, APPROVED if m <= 6 else SUBMITTED, {})
    for m, value in enumerate([0.8, 1.0, 0.9, 1.0, 0.7, 1.0, 0.9, 0.8, 1.0], start=1)
]


@transaction.atomic
def load_example_realisations(year=2023, unit_code="up-pmptsp-jaktim"):
    """Create the example realisations that do not exist yet; return how many were made."""
    indicators = {
        ind.name: ind for ind in Indicator.objects.for_year(Unit.objects.get(code=unit_code), year)
    }
    officers = {a.position_id: a.user for a in Assignment.objects.select_related("user")}
    head = User.objects.get(username="kepala")
    created = 0
    for name, period, figure, status, extra in EXAMPLES:
        indicator = indicators[name]
        if Realisation.objects.filter(indicator=indicator, period=period).exists():
            continue
        fields = {"value": figure}
        if isinstance(figure, tuple):
            numerator, denominator = (Decimal(x) for x in figure)
            fields = {
                "numerator": numerator,
                "denominator": denominator,
                "value": (numerator / denominator * 100).quantize(Decimal("0.0001")),
            }
        reviewed = status in (APPROVED, RETURNED)
        row = Realisation(
            indicator=indicator,
            period=period,
            status=status,
            note=f"{MARK} Angka contoh untuk demonstrasi.",
            entered_by=officers[indicator.responsible_position_id],
            reviewed_by=head if reviewed else None,
            reviewed_at=timezone.now() if reviewed else None,
            **{k: Decimal(str(v)) for k, v in fields.items()},
            **extra,
        )
        row._change_reason = MARK
        row.full_clean()
        row.save()
        created += 1
    return created
