"""The demo data loader: faithful to the seed document L2/MM-02, loaded into an empty
database only (a second run changes nothing), restored explicitly with `--reset`.

The expected texts below are typed from the seed (shared/seeds/000_ca897c180eaf19d2.txt),
independently of the fixtures (fixtures/seed/, fixtures/demo/).
"""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from sasaran import services
from sasaran.models import (
    Assignment,
    Evidence,
    Indicator,
    Objective,
    Position,
    QualityManual,
    Realisation,
    Section,
    Target,
    Unit,
)
from sasaran.skm import services as survey_services
from sasaran.skm.models import Response, Survey
from sop import services as sop_services
from sop.models import Sop, SopStep

pytestmark = pytest.mark.django_db

PASSWORD = "sasaranmutu"
KU = "Kepala Unit PMPTSP Kota Jakarta Timur"
KU_PENGELOLA = "Kepala Unit Pengelola PMPTSP Kota Jakarta Timur"
KASUBBAG_TEXT = "Kepala Subbagian Tata Usaha Unit Pengelola PMPTSP Kota Jakarta Timur"
S3_OBJECTIVE = (
    "Terwujudnya tata kelola pemerintahan dan keuangan Daerah yang transparan dan akuntabel"
)

NAMES = {
    1: [
        "Indeks Kepuasan Layanan Penunjang Urusan Pemerintahan Daerah",
        "Persentase Penerbitan Izin Tepat Waktu",
        "Indeks Kepuasan Layanan Administrasi Keuangan",
        "Indeks Kepuasan Pelayanan Administrasi Umum",
        "Indeks Kepuasan Terhadap Kinerja Layanan Penunjang Urusan Pemerintahan Daerah",
        "Indeks Kepuasan Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah",
        "Laporan Pengumpulan Bahan Pengembangan Potensi Penanaman Modal",
        "Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten",
        "Nilai pelayanan UP PMPTSP di Lingkungan DPMPSTSP Priv DKI Jakarta",
        "Persentasi Pelaksanaan Pengawasan Perizinan",
    ],
    2: [
        "Jumlah dokumen penatausahaan dan pengujian/verifikasi keuangan SKPD",
        "Jumlah paket peralatan dan perlengkapan kantor yang disediakan",
        "Jumlah paket bahan logistik kantor yang disediakan",
        "Jumlah paket barang cetakan dan penggandaan yang disediakan",
        "Jumlah laporan fasilitasi kunjungan tamu",
        "Jumlah laporan penyelenggaraan rapat koordinasi dan konsultasi SKPD",
        "Jumlah laporan penyediaan jasa pelayanan umum kantor yang disediakan",
        "Jumlah kendaraan dinas operasional atau lapangan yang dipelihara dan dibayarkan pajak "
        "dan perizinannya",
        "Jumlah peralatan dan mesin lainnya yang dipelihara",
        "Persentase pengiriman laporan retribusi tepat waktu ke DPMPSTP",
        "Persentase penyampaian laporan perizinan dan non perizinan pada sistem aplikasi "
        "pelaporan secara tepat waktu",
        "Persentase updating data kepegawaian",
        "Laporan fungsional bendaharan pengeluaran SKPD sesuai SKP secara tepat waktu",
        "Persentase updating data aset",
        "Laporan pelaksanaan pengawasan perizinan",
    ],
    3: [
        "Menerima, meneliti dan memverifikasi berkas permohonan perizinan dan non perizinan",
        "(1) menerima berkas perizinan sesuai persyaratan, (2) memverifikasi kelengkapan "
        "administrasi berkas",
        "(1) Menyusun jadwal pengukuran",
        "(2) Mengolah data hasil ukur",
        "Mengolah data hasil ukur hingga jadi gambar tepat waktu",
        "Mengantar surat kepada pihak terkait tepat waktu",
    ],
}


@pytest.fixture
def loaded():
    """The seed's demo (the example office comes with the examples: see
    test_demo_example_office.py)."""
    call_command("load_demo", "--without-examples", verbosity=0)


def indicator(section, number, order=1):
    return Indicator.objects.get(
        objective__section__manual__unit__code="up-pmptsp-jaktim",
        objective__section__manual__year=2023,
        objective__section__order=section,
        objective__number=number,
        order=order,
    )


def targets(ind):
    return {t.period: t.value for t in ind.targets.all()}


def test_unit_hierarchy(loaded):
    dinas = Unit.objects.get(code="dpmptsp-dki")
    up = Unit.objects.get(code="up-pmptsp-jaktim")
    assert (dinas.name, dinas.kind, dinas.parent) == (
        "DPMPTSP Provinsi DKI Jakarta",
        Unit.Kind.DINAS,
        None,
    )
    assert up.name == "UP PMPTSP Kota Jakarta Timur"
    assert up.kind == Unit.Kind.UNIT_PELAKSANA
    assert up.parent == dinas


def test_positions(loaded):
    up_positions = dict(
        Position.objects.filter(unit__code="up-pmptsp-jaktim").values_list("name", "level")
    )
    assert up_positions == {
        "Kepala Unit PMPTSP Kota Jakarta Timur": "kepala",
        "Kepala Subbagian Tata Usaha": "kasubbag",
        "Analisis dan Pemrosesan Perizinan dan Non Perizinan": "staf",
        "CRO": "staf",
        "Juru Ukur": "staf",
        "Pengolah Data": "staf",
        "Caraka": "staf",
    }
    kadis = Position.objects.get(unit__code="dpmptsp-dki")
    assert kadis.name == "Kepala Dinas PMPTSP Provinsi DKI Jakarta"
    assert kadis.level == Position.Level.HEAD


def test_manual(loaded):
    manual = QualityManual.objects.get(unit__code="up-pmptsp-jaktim", year=2023)
    assert manual.title == "Sasaran Mutu"
    assert manual.document_number == "L2/MM-02"
    assert manual.effective_date == date(2023, 7, 1)
    assert manual.revision == 0
    assert manual.introduction == (
        "Untuk menunjang Kebijakan Mutu, Manajemen UP PMPTSP Kota Jakarta Timur untuk tahun "
        "2023 menetapkan Sasaran Mutu sebagai berikut :"
    )
    assert manual.signed_by.name == KU
    assert "Juli 2023" in manual.note
    sections = list(manual.sections.order_by("order").values_list("order", "level", "title"))
    assert sections == [
        (1, "kepala", "Kepala Unit"),
        (2, "kasubbag", "Kepala Subbagian Tata Usaha Unit Pelaksanan PMPTSP Kota Jakarta Timur"),
        (3, "staf", "Staf Pelaksana"),
    ]


def test_counts_per_section(loaded):
    for order, objectives, indicators in [(1, 10, 10), (2, 11, 15), (3, 5, 6)]:
        section = Section.objects.get(manual__year=2023, order=order)
        assert section.objectives.count() == objectives
        assert Indicator.objects.filter(objective__section=section).count() == indicators
        numbers = list(section.objectives.order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, objectives + 1))
    assert Objective.objects.count() == 26
    assert Indicator.objects.count() == 31
    # Objective 10 of the Kasubbag section has five indicators, Juru Ukur's objective two.
    assert list(
        Indicator.objects.filter(objective__section__order=2, objective__number=10)
        .order_by("order")
        .values_list("order", flat=True)
    ) == [1, 2, 3, 4, 5]
    assert Indicator.objects.filter(objective__section__order=3, objective__number=3).count() == 2


def test_indicator_names_verbatim(loaded):
    for order, names in NAMES.items():
        stored = list(
            Indicator.objects.with_structure()
            .filter(objective__section__order=order)
            .values_list("name", flat=True)
        )
        assert stored == names


def test_objective_texts_without_targets(loaded):
    texts = dict(Objective.objects.filter(section__order=1).values_list("number", "text"))
    assert texts[1] == "Tercapainya Kepuasan Layanan Penunjang Urusan Pemerintahan Daerah"
    assert texts[2] == "Terwujudnya Penerbitan Izin Tepat Waktu"
    assert texts[7] == "Meningkatnya Pertumbuhan Investasi"
    assert texts[8] == "Meningkatnya Pertumbuhan Investasi"
    assert texts[10] == "Terlaksananya Fungsi Koordinasi Pengawasan Perizinan"
    for text in Objective.objects.values_list("text", flat=True):
        assert "TW" not in text and "Target tahunan" not in text
    s2 = dict(Objective.objects.filter(section__order=2).values_list("number", "text"))
    assert s2[8] == (
        "Tersedianya kendaraan dinas operasional atau lapangan yang dipelihara dan dibayarkan "
        "pajak dan perizinannya"
    )
    assert s2[11] == "Terlaksananya fungsi koordinator pengawasan perizinan"
    assert set(Objective.objects.filter(section__order=3).values_list("text", flat=True)) == {
        S3_OBJECTIVE
    }


def test_measurement_methods_verbatim(loaded):
    assert indicator(1, 1).measurement_method == (
        "Survei Kepuasan Terhadap Pelayanan Penunjang Urusan Pemerintahan Daerah dengan nilai "
        "persepsi sesuai Permenpan 14 Tahun 2017 : Nilai 1 = 25,00 – 64,99 (tidak baik) "
        "Nilai 2 = 65,00 – 76,60 (kurang baik) Nilai 3 = 76,61 – 88,30 (baik) "
        "Nilai 4 = 88,31 – 100,00 (sangat baik)"
    )
    assert indicator(1, 2).measurement_method == (
        "(Jumlah izin yang terbit tepat waktu dibagi dengan seluruh izin yang diterbitkan) × 100%"
    )
    # Continues across a page break in the seed.
    method_4 = indicator(1, 4).measurement_method
    assert method_4.startswith(
        "Hasil Survei Kepuasan Administrasi Umum Perangkat Daerah yang dilakukan kepada "
        "Penerima Layanan dengan mengisi kuesioner"
    )
    assert "memedomani Permenpan No 14 Tahun 2017" in method_4
    assert "nilai interval hasil survei 3,0644-3,532 atau nilai interval konversi 76,61-88,30" in (
        method_4
    )
    assert method_4.endswith(
        "Nilai 1 : Tidak baik, dengan nilai interval hasil survey 1,00-2,5996 atau nilai "
        "interval konversi 25,00-64,99"
    )
    assert "  " not in method_4 and "\n" not in method_4
    assert indicator(1, 6).measurement_method.endswith("konversi 25,00-64,99.")
    assert "mempedomani" in indicator(1, 6).measurement_method
    assert indicator(1, 7).measurement_method == (
        "Jumlah Laporan Pengumpulan bahan Pengembangan Potensi Penanaman Modal"
    )
    assert indicator(1, 9).measurement_method == (
        "Nilai pelayanan UP PMPTSP di Lingkungan DPMPSTSP Prov DKI Jakarta memperhitungkan "
        "antara lain nilai Indeks Kepuasan Masyarakat, Penyelesaian Pengaduan, Inovasi serta "
        "poin lainnya."
    )
    assert indicator(1, 10).measurement_method == (
        "(Jumlah pelaksanaan pengawasan perizinan / total seluruh pelaksanaan pengawasan "
        "perizinan yang harus dilakukan) * 100%"
    )
    assert indicator(2, 1).measurement_method == "Menyusun Laporan"
    assert indicator(2, 2).measurement_method == "Menyusun Laporan Rekapitulasi"
    assert indicator(2, 10, 1).measurement_method == "Menyusun dan mengirimkan Laporan"
    assert indicator(3, 1).measurement_method == "Rekapitulasi\n• Logbook\n• Laporan bulanan"
    assert indicator(3, 2).measurement_method == "Rekapitulasi\n• Logbook\n• Laporan bulanan"
    assert indicator(3, 3, 2).measurement_method == (
        "Rekapitulasi olahan data hasil ukur hingga menjadi gambar tepat waktu"
    )
    assert indicator(3, 4).measurement_method == "Tracking Jakevo"
    for text in Indicator.objects.values_list("name", "measurement_method", "frequency_text"):
        assert "<" not in "".join(text)


def test_frequencies(loaded):
    assert indicator(1, 1).frequency_text == "Laporan survei tiap triwulan"
    assert indicator(1, 2).frequency_text == "Laporan rekapitulasi data Jakevo tiap triwulan"
    assert indicator(1, 3).frequency_text == "Laporan tiap triwulan"
    assert indicator(1, 8).frequency_text == "Tiap triwulan"
    assert indicator(2, 5).frequency_text == "Tiap triwulan"
    quarterly = Indicator.objects.filter(objective__section__order__in=[1, 2])
    assert set(quarterly.values_list("frequency", flat=True)) == {"quarterly"}
    for number in (1, 2):
        ind = indicator(3, number)
        assert ind.frequency_text == "Setiap tahun (8.000 berkas per tahun)"
        assert ind.frequency == Indicator.Frequency.YEARLY
    juru_ukur_text = (
        "• Durasi setiap pengukuran lapangan maksimum 1 hari kerja\n"
        "• Setiap Bulan (Laporan bulanan e-Kinerja)"
    )
    for order in (1, 2):
        ind = indicator(3, 3, order)
        assert ind.frequency_text == juru_ukur_text
        assert ind.frequency == Indicator.Frequency.MONTHLY
    assert indicator(3, 4).frequency_text == "Setiap proses data (3 Hari Kerja)"
    assert indicator(3, 4).frequency == Indicator.Frequency.PER_EVENT
    assert indicator(3, 5).frequency_text == "Setiap antar surat (1 Hari Kerja)"
    assert indicator(3, 5).frequency == Indicator.Frequency.PER_EVENT


def test_responsible(loaded):
    for number in range(1, 11):
        ind = indicator(1, number)
        assert ind.responsible_position.name == KU
        assert ind.responsible_text == (KU_PENGELOLA if number in (9, 10) else KU)
    section_2 = Indicator.objects.filter(objective__section__order=2)
    assert {i.responsible_position.name for i in section_2} == {"Kepala Subbagian Tata Usaha"}
    assert set(section_2.values_list("responsible_text", flat=True)) == {KASUBBAG_TEXT}
    expected = [
        (1, 1, "Analisis dan Pemrosesan Perizinan dan Non Perizinan"),
        (2, 1, "CRO"),
        (3, 1, "Juru Ukur"),
        (3, 2, "Juru Ukur"),
        (4, 1, "Pengolah Data"),
        (5, 1, "Caraka"),
    ]
    for number, order, name in expected:
        ind = indicator(3, number, order)
        assert ind.responsible_position.name == name
        assert ind.responsible_position.unit.code == "up-pmptsp-jaktim"
        assert ind.responsible_text == name


def test_section_1_kinds_and_targets(loaded):
    for number in (1, 3, 4, 5, 6):
        ind = indicator(1, number)
        assert (ind.kind, ind.unit_of_measure, ind.aggregation) == (
            "index",
            "nilai persepsi",
            "average",
        )
        assert not ind.cumulative and ind.max_value is None
        assert targets(ind) == {p: Decimal(4) for p in ("Q1", "Q2", "Q3", "Q4", "Y")}

    izin = indicator(1, 2)
    assert (izin.kind, izin.unit_of_measure, izin.max_value) == ("percentage", "%", 100)
    assert izin.numerator_label == "Jumlah izin yang terbit tepat waktu"
    assert izin.denominator_label == "seluruh izin yang diterbitkan"
    assert targets(izin) == {p: Decimal(100) for p in ("Q1", "Q2", "Q3", "Q4", "Y")}

    reports = indicator(1, 7)
    assert (reports.kind, reports.cumulative, reports.aggregation) == ("count", True, "sum")
    assert targets(reports) == {"Q1": 1, "Q2": 2, "Q3": 3, "Q4": 4, "Y": 4}

    money = indicator(1, 8)
    assert (money.kind, money.unit_of_measure, money.cumulative) == ("money", "rupiah", True)
    money_targets = targets(money)
    assert money_targets["Q1"] == Decimal("3721000000000")
    assert money_targets["Q2"] == Decimal("7442000000000")
    assert money_targets["Q3"] == Decimal("12093000000000")
    assert money_targets["Q4"] == Decimal("18605000000000")
    assert money_targets["Y"] == Decimal("18605000000000")

    score = indicator(1, 9)
    assert (score.kind, score.unit_of_measure, score.max_value) == ("score", "nilai", 100)
    assert targets(score) == {p: Decimal(83) for p in ("Q1", "Q2", "Q3", "Q4", "Y")}

    supervision = indicator(1, 10)
    assert supervision.kind == "percentage"
    assert supervision.denominator_label == (
        "total seluruh pelaksanaan pengawasan perizinan yang harus dilakukan"
    )
    # A zero target is a real row, not a missing one.
    assert Target.objects.filter(indicator=supervision, period="Q1", value=0).exists()
    assert targets(supervision) == {"Q1": 0, "Q2": 100, "Q3": 100, "Q4": 100, "Y": 100}


def test_section_2_readings(loaded):
    packages = indicator(2, 2)
    assert (packages.kind, packages.unit_of_measure, packages.cumulative) == (
        "count",
        "paket",
        True,
    )
    assert targets(packages) == {"Q1": 0, "Q2": 0, "Q3": 0, "Q4": 2, "Y": 2}
    assert Target.objects.filter(indicator=packages, period__in=["Q1", "Q2", "Q3"]).count() == 3

    machines = indicator(2, 9)
    assert (machines.unit_of_measure, machines.cumulative, machines.aggregation) == (
        "unit",
        True,
        "sum",
    )
    assert targets(machines) == {"Q1": 0, "Q2": 10, "Q3": 110, "Q4": 250, "Y": 250}

    documents = indicator(2, 1)
    assert (documents.unit_of_measure, documents.cumulative, documents.aggregation) == (
        "dokumen",
        False,
        "last",
    )
    assert targets(documents) == {p: 1 for p in ("Q1", "Q2", "Q3", "Q4", "Y")}

    assert targets(indicator(2, 8)) == {"Q1": 0, "Q2": 0, "Q3": 30, "Q4": 60, "Y": 60}
    assert targets(indicator(2, 11)) == {"Q1": 0, "Q2": 1, "Q3": 2, "Q4": 2, "Y": 2}

    for order in (1, 2, 3, 5):
        pct = indicator(2, 10, order)
        assert (pct.kind, pct.unit_of_measure, pct.max_value) == ("percentage", "%", 100)
        assert (pct.cumulative, pct.aggregation) == (False, "average")
        assert targets(pct) == {p: 100 for p in ("Q1", "Q2", "Q3", "Q4", "Y")}
    treasurer = indicator(2, 10, 4)
    assert (treasurer.kind, treasurer.cumulative, treasurer.aggregation) == ("count", True, "sum")
    assert treasurer.unit_of_measure.lower() == "laporan"
    assert targets(treasurer) == {"Q1": 1, "Q2": 2, "Q3": 3, "Q4": 4, "Y": 4}


def test_section_3_volumes_and_service_levels(loaded):
    for number in (1, 2):
        ind = indicator(3, number)
        assert (ind.kind, ind.unit_of_measure, ind.aggregation) == ("count", "berkas", "sum")
        assert targets(ind) == {"Y": Decimal(8000)}

    for number, order, days in [(3, 1, 1), (3, 2, 1), (4, 1, 3), (5, 1, 1)]:
        ind = indicator(3, number, order)
        assert ind.kind == Indicator.Kind.WORKING_DAYS
        assert ind.polarity == Indicator.Polarity.LOWER
        assert ind.aggregation == Indicator.Aggregation.AVERAGE
        assert ind.unit_of_measure == "hari kerja"
        assert targets(ind) == {p: Decimal(days) for p in ("Q1", "Q2", "Q3", "Q4", "Y")}
    assert "digabung" in indicator(3, 3, 1).note and "digabung" in indicator(3, 3, 2).note
    # Everything else is higher-is-better.
    assert Indicator.objects.filter(polarity="lower").count() == 4


def test_every_indicator_explains_its_reading(loaded):
    for ind in Indicator.objects.all():
        assert ind.note.strip(), ind.name
    assert "kumulatif" in indicator(2, 9).note
    assert "tidak tertulis" in indicator(1, 1).note
    assert "triliun" in indicator(1, 8).note


def test_users_log_in_with_demo_password(loaded):
    for username in [
        "admin",
        "kepala",
        "kasubbag",
        "analis",
        "cro",
        "juruukur",
        "pengolah",
        "caraka",
        "kadis",
    ]:
        user = authenticate(username=username, password=PASSWORD)
        assert user is not None, username
        assert user.get_full_name().strip(), username
    assert authenticate(username="kepala", password="salah") is None

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    for username in ("kepala", "kasubbag", "kadis"):
        nip = get_user_model().objects.get(username=username).nip
        assert len(nip) == 18 and nip.isdigit() and nip.startswith("19700101")
    assert not get_user_model().objects.get(username="kepala").is_superuser


def test_assignments(loaded):
    roles = {
        (a.user.username, a.position.name, a.role)
        for a in Assignment.objects.select_related("user", "position")
    }
    assert roles == {
        ("kepala", KU, "head"),
        ("datin", "Tim Urusan Datin", "staff"),
        ("kasubbag", "Kepala Subbagian Tata Usaha", "staff"),
        ("kadis", "Kepala Dinas PMPTSP Provinsi DKI Jakarta", "head"),
        ("analis", "Analisis dan Pemrosesan Perizinan dan Non Perizinan", "staff"),
        ("cro", "CRO", "staff"),
        ("juruukur", "Juru Ukur", "staff"),
        ("pengolah", "Pengolah Data", "staff"),
        ("caraka", "Caraka", "staff"),
    }


def _all_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed  # django-rq's dashboard model has no table
    }


def test_second_run_changes_nothing():
    before_first = _all_counts()
    call_command("load_demo", verbosity=0)
    after_first = _all_counts()
    password_hash = get_user_model().objects.get(username="kepala").password
    call_command("load_demo", verbosity=0)
    assert _all_counts() == after_first
    assert after_first != before_first
    # History rows too: nothing was saved again.
    # The seed's 31 indicators and 147 targets, and the example office's 5 and 37.
    assert after_first["sasaran.HistoricalIndicator"] == 31 + 5
    assert after_first["sasaran.HistoricalTarget"] == 147 + 37
    assert get_user_model().objects.get(username="kepala").password == password_hash
    assert get_user_model().objects.filter(username="kepala").count() == 1
    assert authenticate(username="kepala", password=PASSWORD) is not None


def _data_counts():
    """Row counts of every table but the history tables (a reset records its deletions)."""
    return {
        label: count
        for label, count in _all_counts().items()
        if not label.split(".")[1].startswith("Historical")
    }


def test_rerun_keeps_edited_demo_data_and_reset_restores_it():
    call_command("load_demo", verbosity=0)
    fresh = _data_counts()
    # The example survey feeds the seed's five "Indeks Kepuasan ..." indicators (pooled IKM).
    assert fresh["skm.SurveyIndicator"] == 5
    ind = indicator(2, 9)
    ind.name = "diubah"
    ind.save()
    Target.objects.filter(indicator=ind, period="Q2").update(value=99)
    user = get_user_model().objects.get(username="cro")
    user.set_password("lain")
    user.save()
    counts = _all_counts()

    call_command("load_demo", verbosity=0)  # a second `make run`: the user's edits stay
    assert indicator(2, 9).name == "diubah"
    assert targets(indicator(2, 9))["Q2"] == 99
    assert authenticate(username="cro", password="lain") is not None
    assert _all_counts() == counts

    call_command("load_demo", "--reset", verbosity=0)
    assert indicator(2, 9).name == "Jumlah peralatan dan mesin lainnya yang dipelihara"
    assert targets(indicator(2, 9))["Q2"] == 10
    assert authenticate(username="cro", password=PASSWORD) is not None
    assert _data_counts() == fresh


def test_load_into_an_empty_database_creates_the_demo():
    assert not Unit.objects.exists() and not get_user_model().objects.exists()
    out = StringIO()
    call_command("load_demo", "--without-examples", stdout=out)
    assert "Data demo dimuat" in out.getvalue()
    assert set(Unit.objects.values_list("code", flat=True)) == {
        "dpmptsp-dki",
        "up-pmptsp-jaktim",
        "dpmptsp-jabar",
    }
    assert QualityManual.objects.get().document_number == "L2/MM-02"
    assert Indicator.objects.count() == 31 and Target.objects.count() == 147
    assert Sop.objects.get().number == "62/ 1687 / DATIN /2023"
    assert get_user_model().objects.count() == 10
    assert not Realisation.objects.exists() and not Survey.objects.exists()


def test_second_run_says_nothing_was_changed():
    call_command("load_demo", verbosity=0)
    out = StringIO()
    call_command("load_demo", stdout=out)  # returns normally: exit status 0
    assert "tidak ada yang diubah" in out.getvalue()
    assert "load_demo --reset" in out.getvalue()
    assert "Data demo dimuat" not in out.getvalue()


def test_any_unit_counts_as_data_and_stops_the_load():
    Unit.objects.create(code="kantor-lain", name="Kantor lain", kind=Unit.Kind.DINAS)
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "tidak ada yang diubah" in out.getvalue()
    assert list(Unit.objects.values_list("code", flat=True)) == ["kantor-lain"]
    assert not get_user_model().objects.exists()


def _seed_sop():
    return Sop.objects.get(number="62/ 1687 / DATIN /2023", revision=0)


def _make_decision(step):
    """Step 4 becomes a decision: Ya to 5, Tidak back to 3."""
    SopStep.objects.filter(pk=step.pk).update(kind="decision")
    step.flows.create(label="Ya", target=5, order=0)
    step.flows.create(label="Tidak", target=3, order=1)


def _branches(step):
    return step.kind, [(f.label, f.target) for f in step.flows.all()]


def test_second_run_after_an_sop_step_became_a_decision_keeps_the_edit():
    call_command("load_demo", "--without-examples", verbosity=0)
    _make_decision(_seed_sop().steps.get(number=4))

    call_command("load_demo", "--without-examples", verbosity=0)  # no IntegrityError
    step = _seed_sop().steps.get(number=4)
    assert _branches(step) == ("decision", [("Ya", 5), ("Tidak", 3)])

    call_command("load_demo", "--without-examples", "--reset", verbosity=0)
    step = _seed_sop().steps.get(number=4)
    assert _branches(step) == ("process", [])


def test_reset_after_realisations_evidence_and_history_restores_the_demo(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    fresh = _data_counts()
    users = get_user_model().objects
    # A realisation with evidence, submitted and approved through the services (history rows
    # and PROTECTed users), an approved example reopened, an SOP revision with a decision,
    # a unit added under the demo Dinas and an SKM respondent more.
    ind = Indicator.objects.get(name="Persentase updating data kepegawaian")
    row = services.realisation_save(
        indicator=ind,
        period="Q4",
        user=users.get(username="kasubbag"),
        data={"value": Decimal(100)},
        version=None,
        submit=True,
        evidence_file=SimpleUploadedFile("rekap tw4.pdf", b"%PDF-1.4 contoh"),
    )
    services.realisation_approve(realisation=row, user=users.get(username="kepala"))
    evidence = Evidence.objects.get(realisation=row)
    assert (tmp_path / evidence.file.name).exists()
    approved = Realisation.objects.filter(status="approved").exclude(entered_by__username="kepala")
    services.realisation_reopen(
        realisation=approved.first(), user=users.get(username="kepala"), reason="x"
    )
    revised = sop_services.revise(_seed_sop())
    _make_decision(revised.steps.get(number=4))
    Unit.objects.create(
        code="up-baru",
        name="UP baru",
        kind=Unit.Kind.UNIT_PELAKSANA,
        parent=Unit.objects.get(code="dpmptsp-dki"),
    )
    survey = Survey.objects.get()
    survey_services.responses_create(
        survey=survey,
        rows=[
            {
                "service": survey.services.first(),
                "date": date(2023, 2, 1),
                "answers": {u.pk: 4 for u in survey.unsur.all()},
            }
        ],
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--reset", verbosity=0)

    assert _data_counts() == fresh
    assert not Unit.objects.filter(code="up-baru").exists()
    assert not Evidence.objects.exists() and not (tmp_path / evidence.file.name).exists()
    assert not Realisation.objects.filter(indicator__name=ind.name, period="Q4").exists()
    assert Realisation.objects.get(status="returned").indicator.name == (
        "Persentasi Pelaksanaan Pengawasan Perizinan"
    )
    assert Sop.objects.get() == _seed_sop()
    assert [s.kind for s in _seed_sop().steps.all()] == ["start"] + ["process"] * 5 + ["end"]
    assert Response.objects.count() == 30
    assert authenticate(username="kepala", password=PASSWORD) is not None


def test_reset_refused_when_data_outside_the_demo_needs_a_demo_user():
    call_command("load_demo", "--without-examples", verbosity=0)
    other = Unit.objects.create(code="kantor-lain", name="Kantor lain", kind=Unit.Kind.DINAS)
    position = Position.objects.create(unit=other, name="Kepala", level=Position.Level.HEAD)
    manual = QualityManual.objects.create(
        unit=other, year=2023, document_number="X", effective_date=date(2023, 1, 1)
    )
    section = Section.objects.create(manual=manual, order=1, level="kepala", title="Kepala")
    objective = Objective.objects.create(section=section, number=1, text="Sasaran")
    ind = Indicator.objects.create(
        objective=objective,
        order=1,
        name="Indikator",
        measurement_method="Hitung",
        frequency="quarterly",
        kind="count",
        responsible_position=position,
    )
    Realisation.objects.create(
        indicator=ind,
        period="Q1",
        value=1,
        entered_by=get_user_model().objects.get(username="kepala"),
    )
    counts = _all_counts()

    with pytest.raises(CommandError, match="tidak dapat dihapus"):
        call_command("load_demo", "--reset", verbosity=0)
    assert _all_counts() == counts


def test_command_prints_summary_and_logins():
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "32 sasaran" in text and "36 indikator" in text  # the seed's 26/31 + the example's
    assert "sasaranmutu" in text
    for username in ("admin", "kepala", "kasubbag", "kadis", "juruukur", "caraka", "kepalabarat"):
        assert username in text
