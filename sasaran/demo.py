"""Demo data: the Sasaran Mutu 2023 of UP PMPTSP Kota Jakarta Timur (Manual Mutu L2/MM-02).

The seed document is transcribed below as plain Python data, its texts verbatim (typos
included: "Ivestasi", "Priv", "bendaharan", "Persentasi", "Pelaksanan"). HTML in the seed is
stripped: italics lose their tags, bullet lists become lines joined by "\\n" that keep the
bullet character. Cells split by a page break are joined again.

``load_demo()`` creates or updates everything on natural keys and saves a row only when
something differs, so a second run changes nothing (no duplicates, no new history rows).
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction

from .models import (
    Assignment,
    Indicator,
    Objective,
    Position,
    QualityManual,
    Section,
    Target,
    Unit,
)

DEMO_PASSWORD = "sasaranmutu"

# ---------------------------------------------------------------------------------------------
# Organisation
# ---------------------------------------------------------------------------------------------

DINAS = "dpmptsp-dki"
UP = "up-pmptsp-jaktim"

UNITS = [
    # (code, name, kind, parent code)
    (DINAS, "DPMPTSP Provinsi DKI Jakarta", Unit.Kind.DINAS, None),
    (UP, "UP PMPTSP Kota Jakarta Timur", Unit.Kind.UNIT_PELAKSANA, DINAS),
]

KADIS = "Kepala Dinas PMPTSP Provinsi DKI Jakarta"
KEPALA_UNIT = "Kepala Unit PMPTSP Kota Jakarta Timur"
KASUBBAG = "Kepala Subbagian Tata Usaha"
ANALIS = "Analisis dan Pemrosesan Perizinan dan Non Perizinan"
CRO = "CRO"
JURU_UKUR = "Juru Ukur"
PENGOLAH = "Pengolah Data"
CARAKA = "Caraka"

POSITIONS = [
    # (unit code, name, level)
    (DINAS, KADIS, Position.Level.HEAD),
    (UP, KEPALA_UNIT, Position.Level.HEAD),
    (UP, KASUBBAG, Position.Level.ADMIN_HEAD),
    (UP, ANALIS, Position.Level.STAFF),
    (UP, CRO, Position.Level.STAFF),
    (UP, JURU_UKUR, Position.Level.STAFF),
    (UP, PENGOLAH, Position.Level.STAFF),
    (UP, CARAKA, Position.Level.STAFF),
]

HEAD = Assignment.Role.HEAD
STAFF = Assignment.Role.STAFF

# Fictional people. NIPs follow the 18-digit pattern (birth date, appointment month, sex,
# serial) and all start with 19700101 so nobody mistakes them for real ones.
USERS = [
    {
        "username": "admin",
        "first_name": "Andi",
        "last_name": "Pratama",
        "nip": "",
        "is_staff": True,
        "is_superuser": True,
        "assignment": None,
    },
    {
        "username": "kepala",
        "first_name": "Hendra",
        "last_name": "Wijaya",
        "nip": "197001011995031001",
        "assignment": (UP, KEPALA_UNIT, HEAD),
    },
    {
        "username": "kasubbag",
        "first_name": "Sri",
        "last_name": "Wahyuni",
        "nip": "197001012000122002",
        "assignment": (UP, KASUBBAG, STAFF),
    },
    {
        "username": "analis",
        "first_name": "Rizky",
        "last_name": "Ramadhan",
        "nip": "",
        "assignment": (UP, ANALIS, STAFF),
    },
    {
        "username": "cro",
        "first_name": "Nur",
        "last_name": "Aisyah",
        "nip": "",
        "assignment": (UP, CRO, STAFF),
    },
    {
        "username": "juruukur",
        "first_name": "Agus",
        "last_name": "Setiawan",
        "nip": "",
        "assignment": (UP, JURU_UKUR, STAFF),
    },
    {
        "username": "pengolah",
        "first_name": "Fitri",
        "last_name": "Handayani",
        "nip": "",
        "assignment": (UP, PENGOLAH, STAFF),
    },
    {
        "username": "caraka",
        "first_name": "Joko",
        "last_name": "Susilo",
        "nip": "",
        "assignment": (UP, CARAKA, STAFF),
    },
    {
        "username": "kadis",
        "first_name": "Ratna",
        "last_name": "Kusumawati",
        "nip": "197001011992032003",
        "assignment": (DINAS, KADIS, HEAD),
    },
]

# ---------------------------------------------------------------------------------------------
# Readings chosen where the document leaves something open. Each indicator's note is built
# from these sentences; ASSUMPTIONS (English) and ASSUMPTIONS_ID (Indonesian) list them once
# each for the README.
# ---------------------------------------------------------------------------------------------

N_MANUAL_DATE = (
    "Dokumen hanya menyebut bulan dan tahun berlaku (Juli 2023); tanggal 1 Juli 2023 dipilih."
)
N_INDEX = "Target TW adalah nilai persepsi (pita 1-4) Permenpan 14/2017, bukan nilai IKM 25-100."
N_ANNUAL_UNWRITTEN = (
    "Target tahunan tidak tertulis di dokumen; diambil sama dengan target triwulan."
)
N_PER_QUARTER_AVERAGE = "Target TW berlaku per triwulan (tidak kumulatif); tahunan dirata-rata."
N_PAGE_BREAK_METHOD = "Teks metode pengukuran terpotong pergantian halaman dan disambung kembali."
N_PAGE_BREAK_NAME = "Nama indikator terpotong pergantian halaman dan disambung dengan satu spasi."
N_CUMULATIVE = "Target TW dibaca kumulatif (s.d. triwulan); triwulan dijumlahkan."
N_ANNUAL_FROM_TW4 = "Target tahunan tidak tertulis; diambil dari TW 4."
N_MONEY = (
    "\u201c18,605 T\u201d dibaca Rp 18,605 triliun (Rp 18.605.000.000.000); "
    "demikian pula target TW (3,721 T = Rp 3.721.000.000.000)."
)
N_ANNUAL_IS_TW4 = "Target tahunan sama dengan TW 4."
N_SCORE = "Nilai pelayanan berskala 0-100."
N_ZERO_TW1 = "Target TW 1 = 0: belum ada yang wajib pada TW 1; capaian TW 1 tidak berlaku."
N_ANNUAL_FROM_QUARTERS = "Target tahunan 100% tidak tertulis; diambil dari target TW 2-4."
N_S2_CUMULATIVE = (
    "Aturan pembacaan: target TW naik dan TW 4 sama dengan target tahunan, maka target TW "
    "dibaca kumulatif (s.d. triwulan); triwulan dijumlahkan."
)
N_S2_LAST = (
    "Aturan pembacaan: setiap TW sama dengan target tahunan, maka target berlaku per "
    "triwulan (tidak kumulatif); nilai tahunan adalah nilai triwulan terakhir."
)
N_S2_AVERAGE = (
    "Aturan pembacaan: setiap TW sama dengan target tahunan (100%), maka target berlaku per "
    "triwulan (tidak kumulatif); nilai tahunan dirata-rata."
)
N_ZERO_QUARTERS = "Target 0 pada suatu TW: belum ada yang wajib; capaian TW itu tidak berlaku."
N_TARGET_AFTER_BREAK = "Target tertulis sesudah pergantian halaman; dianggap milik indikator ini."
N_UNIT_CAPITALISED = "Satuan tertulis \u201cLaporan\u201d; dicatat sebagai \u201claporan\u201d."
N_YEARLY_VOLUME = (
    "Dokumen hanya menyebut 8.000 berkas per tahun dan pengukuran setiap tahun: "
    "hanya target tahunan yang dicatat, tanpa target triwulan."
)
N_SERVICE_LEVEL = (
    "Target adalah batas layanan (maksimum hari kerja), dicatat sebagai target TW 1-4 dan "
    "tahunan; realisasi adalah rata-rata durasi; makin kecil makin baik."
)
N_MERGED_CELLS = (
    "Sel Frekuensi Pengukuran dan Penanggung Jawab digabung untuk indikator (1) dan (2): "
    "keduanya memakai teks frekuensi yang sama dan Juru Ukur."
)
N_MERGED_SLA = (
    "Batas 1 hari kerja tertulis untuk durasi pengukuran lapangan; diterapkan juga pada "
    "indikator ini karena selnya digabung."
)
N_SLA_FROM_FREQUENCY = "Batas hari kerja diambil dari teks Frekuensi Pengukuran."

ASSUMPTIONS_ID = [
    N_MANUAL_DATE,
    N_INDEX,
    N_ANNUAL_UNWRITTEN,
    N_MONEY,
    N_ZERO_QUARTERS,
    N_S2_CUMULATIVE,
    N_S2_LAST,
    N_S2_AVERAGE,
    N_TARGET_AFTER_BREAK,
    N_YEARLY_VOLUME,
    N_SERVICE_LEVEL,
    N_MERGED_CELLS + " " + N_MERGED_SLA,
    N_PAGE_BREAK_NAME,
]

ASSUMPTIONS = [
    "The document gives only the month and year it takes effect (Juli 2023); the effective "
    "date is recorded as 1 July 2023.",
    "Survey targets of 4 (Kepala Unit objectives 1, 3, 4, 5, 6) are the perception band 1-4 "
    "of Permenpan 14/2017, not an IKM value 25-100; quarters are averaged.",
    "Where the document writes quarterly targets but no annual one (Kepala Unit objectives "
    "1-6, 9 and 10), the annual target is the quarterly value (100 % for objective 10, whose "
    "TW 1 is 0); for objective 7 (1, 2, 3, 4 reports) the targets are cumulative and the "
    "annual target is TW 4.",
    "\u201c18,605 T\u201d is Rp 18.605 trillion (18,605,000,000,000); the investment targets "
    "are cumulative year to date and summed.",
    "A target of 0 in a quarter means nothing is due then: achievement for that quarter is "
    "not applicable.",
    "Kasubbag TU targets (\u201cTarget tahunan: N, TW 1: a ... TW 4: d\u201d): where the quarters "
    "rise and TW 4 equals the annual target, they are cumulative year to date and summed; "
    "where every quarter equals the annual target, the target applies to each quarter and "
    "the year takes the last value (counts) or the average (percentages).",
    "A target written after a page break belongs to the indicator above it.",
    "Staff objectives 1 and 2 (8.000 berkas per tahun, measured yearly) have only an annual "
    "target of 8000 files, no quarterly targets.",
    "Staff service levels (at most 1 or 3 working days) are lower-is-better targets, recorded "
    "for TW 1-4 and the year; the realisation is the average duration.",
    "Juru Ukur's two indicators share merged Frekuensi Pengukuran and Penanggung Jawab cells: "
    "both get the same frequency text, Juru Ukur as responsible position, and the 1 working "
    "day limit.",
    "Text split by a page break is joined with a single space (none after a range hyphen, so "
    "\u201c3,0644-3,532\u201d reads as in objective 6).",
]


def _note(*parts):
    return " ".join(parts)


def _targets(q1, q2, q3, q4, year):
    return {"Q1": q1, "Q2": q2, "Q3": q3, "Q4": q4, "Y": year}


# ---------------------------------------------------------------------------------------------
# The seed's texts
# ---------------------------------------------------------------------------------------------

MANUAL = {
    "unit": UP,
    "year": 2023,
    "title": "Sasaran Mutu",
    "document_number": "L2/MM-02",
    "effective_date": date(2023, 7, 1),
    "revision": 0,
    "introduction": (
        "Untuk menunjang Kebijakan Mutu, Manajemen UP PMPTSP Kota Jakarta Timur untuk tahun "
        "2023 menetapkan Sasaran Mutu sebagai berikut :"
    ),
    "signed_by": (UP, KEPALA_UNIT),
    "note": N_MANUAL_DATE,
}

SURVEY_METHOD = (
    "Survei Kepuasan Terhadap Pelayanan Penunjang Urusan Pemerintahan Daerah dengan nilai "
    "persepsi sesuai Permenpan 14 Tahun 2017 : Nilai 1 = 25,00 \u2013 64,99 (tidak baik) "
    "Nilai 2 = 65,00 \u2013 76,60 (kurang baik) Nilai 3 = 76,61 \u2013 88,30 (baik) "
    "Nilai 4 = 88,31 \u2013 100,00 (sangat baik)"
)

# Kepala Unit objective 4: the cell breaks after "3,0644-" and goes on on the next page.
# The two pieces are joined without a space because the break falls inside the range
# "3,0644-3,532" (objective 6 prints the same sentence unbroken).
ADMIN_SURVEY_METHOD_PAGE_1 = (
    "Hasil Survei Kepuasan Administrasi Umum Perangkat Daerah yang dilakukan kepada Penerima "
    "Layanan dengan mengisi kuesioner dan Survei dapat digabung dengan beberapa survei "
    "lainnya dengan memedomani Permenpan No 14 Tahun 2017 : Nilai 4 : Sangat Baik, dengan "
    "nilai interval hasil survei 3,5324-4,00 atau nilai interval konversi 88,31-100,00 "
    "Nilai 3 : Baik, dengan nilai interval hasil survei 3,0644-"
)
ADMIN_SURVEY_METHOD_PAGE_2 = (
    "3,532 atau nilai interval konversi 76,61-88,30 Nilai 2 : Kurang baik, dengan nilai "
    "interval hasil survei 2,60-3,064 atau nilai interval konversi 65,00-76,60 Nilai 1 : "
    "Tidak baik, dengan nilai interval hasil survey 1,00-2,5996 atau nilai interval konversi "
    "25,00-64,99"
)

MAINTENANCE_SURVEY_METHOD = (
    "Hasil Survei Kepuasan Pengadaan Barang Milik Daerah Penunjang Urusan Pemerintah Daerah "
    "yang dilakukan kepada Penerima Layanan dengan mengisi kuesioner dan Survei dapat "
    "digabung dengan beberapa survei lainnya dengan mempedomani Permenpan No 14 Tahun 2017 : "
    "Nilai 4 : Sangat Baik, dengan nilai interval hasil survei 3,5324-4,00 atau nilai "
    "interval konversi 88,31-100,00 Nilai 3 : Baik, dengan nilai interval hasil survei "
    "3,0644-3,532 atau nilai interval konversi 76,61-88,30 Nilai 2 : Kurang baik, dengan "
    "nilai interval hasil survei 2,60-3,064 atau nilai interval konversi 65,00-76,60 "
    "Nilai 1 : Tidak baik, dengan nilai interval hasil survey 1,00-2,5996 atau nilai "
    "interval konversi 25,00-64,99."
)

KU = "Kepala Unit PMPTSP Kota Jakarta Timur"
KU_PENGELOLA = "Kepala Unit Pengelola PMPTSP Kota Jakarta Timur"
KASUBBAG_TEXT = "Kepala Subbagian Tata Usaha Unit Pengelola PMPTSP Kota Jakarta Timur"

Q = Indicator.Frequency.QUARTERLY
K = Indicator.Kind
A = Indicator.Aggregation
LOWER = Indicator.Polarity.LOWER

D0, D1, D2, D3, D4 = (Decimal(n) for n in range(5))
D100 = Decimal(100)


def _index(name, method, frequency_text, *extra_notes):
    """A Kepala Unit survey indicator: band 4 every quarter."""
    return {
        "name": name,
        "measurement_method": method,
        "frequency": Q,
        "frequency_text": frequency_text,
        "responsible_text": KU,
        "kind": K.INDEX,
        "unit_of_measure": "nilai persepsi",
        "aggregation": A.AVERAGE,
        "targets": _targets(D4, D4, D4, D4, D4),
        "note": _note(N_INDEX, N_ANNUAL_UNWRITTEN, N_PER_QUARTER_AVERAGE, *extra_notes),
    }


SECTION_1 = {
    "order": 1,
    "level": Position.Level.HEAD,
    "title": "Kepala Unit",
    "responsible": (UP, KEPALA_UNIT),
    "objectives": [
        (
            1,
            "Tercapainya Kepuasan Layanan Penunjang Urusan Pemerintahan Daerah",
            [
                _index(
                    "Indeks Kepuasan Layanan Penunjang Urusan Pemerintahan Daerah",
                    SURVEY_METHOD,
                    "Laporan survei tiap triwulan",
                )
            ],
        ),
        (
            2,
            "Terwujudnya Penerbitan Izin Tepat Waktu",
            [
                {
                    "name": "Persentase Penerbitan Izin Tepat Waktu",
                    "measurement_method": (
                        "(Jumlah izin yang terbit tepat waktu dibagi dengan seluruh izin yang "
                        "diterbitkan) \u00d7 100%"
                    ),
                    "frequency": Q,
                    "frequency_text": "Laporan rekapitulasi data Jakevo tiap triwulan",
                    "responsible_text": KU,
                    "kind": K.PERCENTAGE,
                    "unit_of_measure": "%",
                    "numerator_label": "Jumlah izin yang terbit tepat waktu",
                    "denominator_label": "seluruh izin yang diterbitkan",
                    "max_value": D100,
                    "aggregation": A.AVERAGE,
                    "targets": _targets(D100, D100, D100, D100, D100),
                    "note": _note(N_ANNUAL_UNWRITTEN, N_PER_QUARTER_AVERAGE),
                }
            ],
        ),
        (
            3,
            "Terlaksananya Kepuasan Layanan Administrasi Keuangan",
            [
                _index(
                    "Indeks Kepuasan Layanan Administrasi Keuangan",
                    SURVEY_METHOD,
                    "Laporan tiap triwulan",
                )
            ],
        ),
        (
            4,
            "Terlaksananya Kepuasan Pelayanan Administrasi Umum",
            [
                _index(
                    "Indeks Kepuasan Pelayanan Administrasi Umum",
                    ADMIN_SURVEY_METHOD_PAGE_1 + ADMIN_SURVEY_METHOD_PAGE_2,
                    "Laporan tiap triwulan",
                    N_PAGE_BREAK_METHOD,
                )
            ],
        ),
        (
            5,
            "Tersedianya Jasa Penunjang Urusan Pemerintahan Daerah",
            [
                _index(
                    "Indeks Kepuasan Terhadap Kinerja Layanan Penunjang Urusan Pemerintahan Daerah",
                    SURVEY_METHOD,
                    "Laporan tiap triwulan",
                )
            ],
        ),
        (
            6,
            "Terlaksananya Kepuasan Pemeliharaan Barang Milik Daerah Penunjang Urusan "
            "Pemerintahan Daerah",
            [
                _index(
                    "Indeks Kepuasan Pemeliharaan Barang Milik Daerah Penunjang Urusan "
                    "Pemerintahan Daerah",
                    MAINTENANCE_SURVEY_METHOD,
                    "Laporan tiap triwulan",
                )
            ],
        ),
        (
            7,
            "Meningkatnya Pertumbuhan Investasi",
            [
                {
                    # "Laporan Pengumpulan Bahan Pengembangan" | page break | "Potensi ..."
                    "name": "Laporan Pengumpulan Bahan Pengembangan Potensi Penanaman Modal",
                    "measurement_method": (
                        "Jumlah Laporan Pengumpulan bahan Pengembangan Potensi Penanaman Modal"
                    ),
                    "frequency": Q,
                    "frequency_text": "Tiap triwulan",
                    "responsible_text": KU,
                    "kind": K.COUNT,
                    "unit_of_measure": "laporan",
                    "aggregation": A.SUM,
                    "cumulative": True,
                    "targets": _targets(D1, D2, D3, D4, D4),
                    "note": _note(N_CUMULATIVE, N_ANNUAL_FROM_TW4, N_PAGE_BREAK_NAME),
                }
            ],
        ),
        (
            8,
            "Meningkatnya Pertumbuhan Investasi",
            [
                {
                    "name": "Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten",
                    "measurement_method": (
                        "Jumlah nilai penanaman modal asing (PMA) ditambah penanaman modal "
                        "dalam negeri (PMDN) di Kota Administrasi Jakarta Timur"
                    ),
                    "frequency": Q,
                    "frequency_text": "Tiap triwulan",
                    "responsible_text": KU,
                    "kind": K.MONEY,
                    "unit_of_measure": "rupiah",
                    "aggregation": A.SUM,
                    "cumulative": True,
                    "targets": _targets(
                        Decimal("3721000000000"),
                        Decimal("7442000000000"),
                        Decimal("12093000000000"),
                        Decimal("18605000000000"),
                        Decimal("18605000000000"),
                    ),
                    "note": _note(N_MONEY, N_CUMULATIVE, N_ANNUAL_IS_TW4),
                }
            ],
        ),
        (
            9,
            "Meningkatnya Kepuasan Masyarakat terhadap layanan perizinan dan non perizinan "
            "melalui penyelenggaraan perizinan dan non perizinan secara online",
            [
                {
                    "name": "Nilai pelayanan UP PMPTSP di Lingkungan DPMPSTSP Priv DKI Jakarta",
                    "measurement_method": (
                        "Nilai pelayanan UP PMPTSP di Lingkungan DPMPSTSP Prov DKI Jakarta "
                        "memperhitungkan antara lain nilai Indeks Kepuasan Masyarakat, "
                        "Penyelesaian Pengaduan, Inovasi serta poin lainnya."
                    ),
                    "frequency": Q,
                    "frequency_text": "Tiap triwulan",
                    "responsible_text": KU_PENGELOLA,
                    "kind": K.SCORE,
                    "unit_of_measure": "nilai",
                    "max_value": D100,
                    "aggregation": A.AVERAGE,
                    "targets": _targets(*(Decimal(83),) * 5),
                    "note": _note(N_SCORE, N_ANNUAL_UNWRITTEN, N_PER_QUARTER_AVERAGE),
                }
            ],
        ),
        (
            10,
            "Terlaksananya Fungsi Koordinasi Pengawasan Perizinan",
            [
                {
                    "name": "Persentasi Pelaksanaan Pengawasan Perizinan",
                    "measurement_method": (
                        "(Jumlah pelaksanaan pengawasan perizinan / total seluruh pelaksanaan "
                        "pengawasan perizinan yang harus dilakukan) * 100%"
                    ),
                    "frequency": Q,
                    "frequency_text": "Tiap triwulan",
                    "responsible_text": KU_PENGELOLA,
                    "kind": K.PERCENTAGE,
                    "unit_of_measure": "%",
                    "numerator_label": "Jumlah pelaksanaan pengawasan perizinan",
                    "denominator_label": (
                        "total seluruh pelaksanaan pengawasan perizinan yang harus dilakukan"
                    ),
                    "max_value": D100,
                    "aggregation": A.AVERAGE,
                    "targets": _targets(D0, D100, D100, D100, D100),
                    "note": _note(N_ZERO_TW1, N_ANNUAL_FROM_QUARTERS, N_PER_QUARTER_AVERAGE),
                }
            ],
        ),
    ],
}


def _s2_count(name, method, unit_of_measure, annual, quarters, *extra_notes):
    """A Kasubbag TU count read from "Target tahunan: N <satuan> TW 1: a ... TW 4: d"."""
    annual = Decimal(annual)
    quarters = [Decimal(q) for q in quarters]
    per_quarter = all(q == annual for q in quarters)
    if per_quarter:
        reading = {"cumulative": False, "aggregation": A.LAST, "note": N_S2_LAST}
    else:
        # Every cumulative reading in the seed rises and ends at the annual target.
        assert quarters == sorted(quarters) and quarters[-1] == annual, name
        reading = {"cumulative": True, "aggregation": A.SUM, "note": N_S2_CUMULATIVE}
    notes = [reading.pop("note")]
    if D0 in quarters:
        notes.append(N_ZERO_QUARTERS)
    return {
        "name": name,
        "measurement_method": method,
        "frequency": Q,
        "frequency_text": "Tiap triwulan",
        "responsible_text": KASUBBAG_TEXT,
        "kind": K.COUNT,
        "unit_of_measure": unit_of_measure,
        **reading,
        "targets": _targets(*quarters, annual),
        "note": _note(*notes, *extra_notes),
    }


def _s2_percentage(name, method, *extra_notes):
    """A Kasubbag TU percentage: "Target tahunan: 100% TW 1: 100 ... TW 4: 100"."""
    return {
        "name": name,
        "measurement_method": method,
        "frequency": Q,
        "frequency_text": "Tiap triwulan",
        "responsible_text": KASUBBAG_TEXT,
        "kind": K.PERCENTAGE,
        "unit_of_measure": "%",
        "max_value": D100,
        "aggregation": A.AVERAGE,
        "targets": _targets(D100, D100, D100, D100, D100),
        "note": _note(N_S2_AVERAGE, *extra_notes),
    }


LAPORAN = "Menyusun Laporan"
REKAP = "Menyusun Laporan Rekapitulasi"
KIRIM = "Menyusun dan mengirimkan Laporan"

SECTION_2 = {
    "order": 2,
    "level": Position.Level.ADMIN_HEAD,
    "title": "Kepala Subbagian Tata Usaha Unit Pelaksanan PMPTSP Kota Jakarta Timur",
    "responsible": (UP, KASUBBAG),
    "objectives": [
        (
            1,
            "Terlaksananya penatausahaan dan pengujian/verifikasi keuangan SKPD",
            [
                _s2_count(
                    "Jumlah dokumen penatausahaan dan pengujian/verifikasi keuangan SKPD",
                    LAPORAN,
                    "dokumen",
                    1,
                    [1, 1, 1, 1],
                )
            ],
        ),
        (
            2,
            "Terlaksananya penyediaan paket peralatan dan perlengkapan kantor yang disediakan",
            [
                _s2_count(
                    "Jumlah paket peralatan dan perlengkapan kantor yang disediakan",
                    REKAP,
                    "paket",
                    2,
                    [0, 0, 0, 2],
                    N_TARGET_AFTER_BREAK,
                )
            ],
        ),
        (
            3,
            "Terlaksananya penyediaan bahan logistik kantor",
            [
                _s2_count(
                    "Jumlah paket bahan logistik kantor yang disediakan",
                    REKAP,
                    "paket",
                    1,
                    [1, 1, 1, 1],
                )
            ],
        ),
        (
            4,
            "Terlaksananya penyediaan paket barang cetakan dan penggandaan yang disediakan",
            [
                _s2_count(
                    "Jumlah paket barang cetakan dan penggandaan yang disediakan",
                    REKAP,
                    "paket",
                    1,
                    [0, 0, 0, 1],
                )
            ],
        ),
        (
            5,
            "Terlaksananya fasilitasi kunjungan tamu",
            [
                _s2_count(
                    "Jumlah laporan fasilitasi kunjungan tamu",
                    LAPORAN,
                    "laporan",
                    1,
                    [1, 1, 1, 1],
                )
            ],
        ),
        (
            6,
            "Terlaksananya penyelenggaraan rapat koordinasi dan konsultasi SKPD",
            [
                _s2_count(
                    "Jumlah laporan penyelenggaraan rapat koordinasi dan konsultasi SKPD",
                    LAPORAN,
                    "laporan",
                    1,
                    [0, 0, 1, 1],
                )
            ],
        ),
        (
            7,
            "Terlaksananya penyediaan jasa pelayanan umum kantor yang disediakan",
            [
                _s2_count(
                    "Jumlah laporan penyediaan jasa pelayanan umum kantor yang disediakan",
                    LAPORAN,
                    "laporan",
                    4,
                    [1, 2, 3, 4],
                )
            ],
        ),
        (
            8,
            "Tersedianya kendaraan dinas operasional atau lapangan yang dipelihara dan "
            "dibayarkan pajak dan perizinannya",
            [
                _s2_count(
                    "Jumlah kendaraan dinas operasional atau lapangan yang dipelihara dan "
                    "dibayarkan pajak dan perizinannya",
                    REKAP,
                    "unit",
                    60,
                    [0, 0, 30, 60],
                )
            ],
        ),
        (
            9,
            "Terpeliharanya peralatan dan mesin lainnya",
            [
                _s2_count(
                    "Jumlah peralatan dan mesin lainnya yang dipelihara",
                    REKAP,
                    "unit",
                    250,
                    [0, 10, 110, 250],
                )
            ],
        ),
        (
            10,
            "Meningkatnya kepuasan masyarakat terhadap layanan perizinan dan non perizinan "
            "melalui penyelenggaraan perizinan dan non perizinan secara online",
            [
                _s2_percentage(
                    "Persentase pengiriman laporan retribusi tepat waktu ke DPMPSTP", KIRIM
                ),
                _s2_percentage(
                    "Persentase penyampaian laporan perizinan dan non perizinan pada sistem "
                    "aplikasi pelaporan secara tepat waktu",
                    KIRIM,
                    N_TARGET_AFTER_BREAK,
                ),
                # "Persentase <i>updating data</i> kepegawaian": italics stripped.
                _s2_percentage("Persentase updating data kepegawaian", LAPORAN),
                _s2_count(
                    "Laporan fungsional bendaharan pengeluaran SKPD sesuai SKP secara tepat waktu",
                    LAPORAN,
                    "laporan",
                    4,
                    [1, 2, 3, 4],
                    N_UNIT_CAPITALISED,
                ),
                _s2_percentage("Persentase updating data aset", LAPORAN),
            ],
        ),
        (
            11,
            "Terlaksananya fungsi koordinator pengawasan perizinan",
            [
                _s2_count(
                    "Laporan pelaksanaan pengawasan perizinan",
                    LAPORAN,
                    "laporan",
                    2,
                    [0, 1, 2, 2],
                )
            ],
        ),
    ],
}

S3_OBJECTIVE = (
    "Terwujudnya tata kelola pemerintahan dan keuangan Daerah yang transparan dan akuntabel"
)
# '<ul style="list-style-type: none"> • Logbook • Laporan bulanan' as lines.
REKAP_LOGBOOK = "Rekapitulasi\n\u2022 Logbook\n\u2022 Laporan bulanan"
JURU_UKUR_FREQUENCY = (
    "\u2022 Durasi setiap pengukuran lapangan maksimum 1 hari kerja\n"
    "\u2022 Setiap Bulan (Laporan bulanan e-Kinerja)"
)


def _s3_volume(name, position):
    return {
        "name": name,
        "measurement_method": REKAP_LOGBOOK,
        "frequency": Indicator.Frequency.YEARLY,
        "frequency_text": "Setiap tahun (8.000 berkas per tahun)",
        "responsible": (UP, position),
        "responsible_text": position,
        "kind": K.COUNT,
        "unit_of_measure": "berkas",
        "aggregation": A.SUM,
        "targets": {"Y": Decimal(8000)},
        "note": N_YEARLY_VOLUME,
    }


def _s3_service_level(name, method, frequency, frequency_text, position, days, *notes):
    days = Decimal(days)
    return {
        "name": name,
        "measurement_method": method,
        "frequency": frequency,
        "frequency_text": frequency_text,
        "responsible": (UP, position),
        "responsible_text": position,
        "kind": K.WORKING_DAYS,
        "unit_of_measure": "hari kerja",
        "polarity": LOWER,
        "aggregation": A.AVERAGE,
        "targets": _targets(days, days, days, days, days),
        "note": _note(*notes, N_SERVICE_LEVEL),
    }


SECTION_3 = {
    "order": 3,
    "level": Position.Level.STAFF,
    "title": "Staf Pelaksana",
    "responsible": None,  # each row names its own position
    "objectives": [
        (
            1,
            S3_OBJECTIVE,
            [
                _s3_volume(
                    "Menerima, meneliti dan memverifikasi berkas permohonan perizinan dan non "
                    "perizinan",
                    ANALIS,
                )
            ],
        ),
        (
            2,
            S3_OBJECTIVE,
            [
                _s3_volume(
                    "(1) menerima berkas perizinan sesuai persyaratan, (2) memverifikasi "
                    "kelengkapan administrasi berkas",
                    CRO,
                )
            ],
        ),
        (
            3,
            S3_OBJECTIVE,
            [
                _s3_service_level(
                    "(1) Menyusun jadwal pengukuran",
                    "Rekapitulasi durasi pengukuran tepat waktu",
                    Indicator.Frequency.MONTHLY,
                    JURU_UKUR_FREQUENCY,
                    JURU_UKUR,
                    1,
                    N_MERGED_CELLS,
                ),
                _s3_service_level(
                    "(2) Mengolah data hasil ukur",
                    "Rekapitulasi olahan data hasil ukur hingga menjadi gambar tepat waktu",
                    Indicator.Frequency.MONTHLY,
                    JURU_UKUR_FREQUENCY,
                    JURU_UKUR,
                    1,
                    N_MERGED_CELLS,
                    N_MERGED_SLA,
                ),
            ],
        ),
        (
            4,
            S3_OBJECTIVE,
            [
                _s3_service_level(
                    "Mengolah data hasil ukur hingga jadi gambar tepat waktu",
                    "Tracking Jakevo",  # "<i>Tracking Jakevo</i>"
                    Indicator.Frequency.PER_EVENT,
                    "Setiap proses data (3 Hari Kerja)",
                    PENGOLAH,
                    3,
                    N_SLA_FROM_FREQUENCY,
                )
            ],
        ),
        (
            5,
            S3_OBJECTIVE,
            [
                _s3_service_level(
                    "Mengantar surat kepada pihak terkait tepat waktu",
                    "Mengumpulkan tanda terima",
                    Indicator.Frequency.PER_EVENT,
                    "Setiap antar surat (1 Hari Kerja)",
                    CARAKA,
                    1,
                    N_SLA_FROM_FREQUENCY,
                )
            ],
        ),
    ],
}

SECTIONS = [SECTION_1, SECTION_2, SECTION_3]

# Indicator fields that take the model default when a row does not name them.
INDICATOR_DEFAULTS = {
    "polarity": Indicator.Polarity.HIGHER,
    "cumulative": False,
    "numerator_label": "",
    "denominator_label": "",
    "max_value": None,
}

# ---------------------------------------------------------------------------------------------
# Loader
# ---------------------------------------------------------------------------------------------


class _Counter:
    """Counts created and updated rows per model, for the summary."""

    def __init__(self):
        self.created = {}
        self.updated = {}

    def upsert(self, model, lookup, values):
        """get_or_create on the natural key; save only the fields that differ."""
        obj, created = model.objects.get_or_create(**lookup, defaults=values)
        name = model._meta.model_name
        self.created.setdefault(name, 0)
        self.updated.setdefault(name, 0)
        if created:
            self.created[name] += 1
            return obj
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                setattr(obj, field, values[field])
            obj.save(update_fields=changed)
            self.updated[name] += 1
        return obj


def _load_users(counter, positions):
    User = get_user_model()
    encoded = None  # one hash per run: every demo user has the same password
    verified = set()
    for spec in USERS:
        values = {
            "first_name": spec["first_name"],
            "last_name": spec["last_name"],
            "nip": spec["nip"],
            "is_staff": spec.get("is_staff", False),
            "is_superuser": spec.get("is_superuser", False),
            "is_active": True,
        }
        user = User.objects.filter(username=spec["username"]).first()
        password_ok = user is not None and (
            user.password in verified or check_password(DEMO_PASSWORD, user.password)
        )
        if password_ok:
            verified.add(user.password)
        else:
            encoded = encoded or make_password(DEMO_PASSWORD)
            values["password"] = encoded
        user = counter.upsert(User, {"username": spec["username"]}, values)
        if spec["assignment"]:
            unit_code, position_name, role = spec["assignment"]
            counter.upsert(
                Assignment,
                {"user": user, "position": positions[unit_code, position_name]},
                {"role": role},
            )


def _load_manual(counter, units, positions):
    manual = counter.upsert(
        QualityManual,
        {"unit": units[MANUAL["unit"]], "year": MANUAL["year"]},
        {
            "title": MANUAL["title"],
            "document_number": MANUAL["document_number"],
            "effective_date": MANUAL["effective_date"],
            "revision": MANUAL["revision"],
            "introduction": MANUAL["introduction"],
            "signed_by": positions[MANUAL["signed_by"]],
            "note": MANUAL["note"],
        },
    )
    for spec in SECTIONS:
        section = counter.upsert(
            Section,
            {"manual": manual, "order": spec["order"]},
            {"level": spec["level"], "title": spec["title"]},
        )
        for number, text, indicators in spec["objectives"]:
            objective = counter.upsert(
                Objective, {"section": section, "number": number}, {"text": text}
            )
            for order, row in enumerate(indicators, start=1):
                row = {**INDICATOR_DEFAULTS, **row}
                responsible = row.pop("responsible", None) or spec["responsible"]
                targets = row.pop("targets")
                row["responsible_position"] = positions[responsible]
                indicator = counter.upsert(Indicator, {"objective": objective, "order": order}, row)
                for period, value in targets.items():
                    counter.upsert(
                        Target, {"indicator": indicator, "period": period}, {"value": value}
                    )


@transaction.atomic
def load_demo():
    """Create or update the demo data; return {"created": {...}, "updated": {...},
    "totals": {...}} keyed by model name."""
    counter = _Counter()
    units = {}
    for code, name, kind, parent in UNITS:
        units[code] = counter.upsert(
            Unit,
            {"code": code},
            {"name": name, "kind": kind, "parent": units[parent] if parent else None},
        )
    positions = {}
    for unit_code, name, level in POSITIONS:
        positions[unit_code, name] = counter.upsert(
            Position, {"unit": units[unit_code], "name": name}, {"level": level}
        )
    _load_users(counter, positions)
    _load_manual(counter, units, positions)

    manual = QualityManual.objects.get(unit=units[MANUAL["unit"]], year=MANUAL["year"])
    totals = {
        "unit": len(UNITS),
        "position": len(POSITIONS),
        "user": len(USERS),
        "section": manual.sections.count(),
        "objective": Objective.objects.filter(section__manual=manual).count(),
        "indicator": Indicator.objects.filter(objective__section__manual=manual).count(),
        "target": Target.objects.filter(indicator__objective__section__manual=manual).count(),
    }
    return {"created": counter.created, "updated": counter.updated, "totals": totals}
