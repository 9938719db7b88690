"""The targets import with a real office's workbook: typed in the document's columns with no
hidden DATA columns, empty Metode Pengukuran and Penanggung Jawab, positions the unit does
not have yet, targets written as offices write them; every import previewed before anything
is saved; bad cells reported by row and column, never a server error."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from sasaran.documents import export_xlsx, manual
from sasaran.documents.import_xlsx import (
    WorkbookRejected,
    import_manual_workbook,
    preview_manual_workbook,
)
from sasaran.models import Indicator, Objective, Position, QualityManual, Section, Target, Unit
from sasaran.xlsx import workbook_bytes
from tests.sasaran.test_import_xlsx import snapshot

YEAR = 2024
SEMESTER_IKM = "Indeks Kepuasan Masyarakat"
PUNGLI = "Jumlah pungutan liar"
LETTERS = "Waktu penyelesaian surat"
REPORTS = "Jumlah laporan kegiatan"
COMPLETE = "Persentase berkas lengkap"


@pytest.fixture
def office(demo):
    """An office the demo does not know, with no positions at all."""
    dinas = Unit.objects.get(code="dpmptsp-dki")
    return Unit.objects.create(code="balai-contoh", name="Balai Contoh", kind="up", parent=dinas)


def office_workbook(rows, *, merges=(), signer="Kepala Balai"):
    """A workbook typed by an office in the document's columns: the header box, the table
    header, `rows` (lists of up to 12 cells from column A) and the signer's position."""
    book = Workbook()
    ws = book.active
    ws.title = export_xlsx.SHEET_TITLE
    ws["A1"] = "Balai Contoh"
    ws["C1"] = "MANUAL MUTU"
    ws["C3"] = "Sasaran Mutu"
    ws["G1"], ws["I1"] = "Dokumen No", "SM/BC/01"
    ws["G2"], ws["I2"] = "Tanggal Berlaku", "2 Januari 2024"
    ws["G3"], ws["I3"] = "Revisi", 0
    for column, head in enumerate(export_xlsx.HEADERS, start=1):
        ws.cell(row=export_xlsx.HEADER_ROW, column=column).value = head
    row = export_xlsx.HEADER_ROW
    for row, cells in enumerate(rows, start=export_xlsx.HEADER_ROW + 1):
        for column, value in enumerate(cells, start=1):
            ws.cell(row=row, column=column).value = value
    for cells in merges:
        ws.merge_cells(cells)
    if signer:
        ws.cell(row=row + 2, column=9).value = "Jakarta, 2 Januari 2024"
        ws.cell(row=row + 3, column=9).value = signer
    return book


# The rows of the office's table (from row 9): a free section, a section named as a level.
ROWS = [
    ["Produk Layanan"],
    [
        1,
        "Masyarakat puas",
        SEMESTER_IKM,
        "Survei SKM",
        "Setiap semester",
        "Kepala Balai",
        "≥ 84",
        None,
        "≥ 84",
        None,
        "IKM ≥ 84",
        "nilai IKM",
    ],
    [
        2,
        "Bebas pungutan liar",
        PUNGLI,
        None,
        "Setiap bulan",
        None,
        "0 / bulan",
        "0 / bulan",
        "0 / bulan",
        "0 / bulan",
        "nihil",
        "kasus",
    ],
    [3, "Terjaganya kerahasiaan data pemohon", "-"],
    ["Kepala Subbagian Tata Usaha"],
    [
        1,
        "Surat cepat selesai",
        LETTERS,
        "Rekap agenda surat",
        "Tiap triwulan",
        "Kepala Subbagian Umum",
        "maks. 3 hari kerja",
        "maks. 3 hari kerja",
        "≤ 3",
        "≤ 3",
        None,
        "hari kerja",
    ],
    [
        2,
        "Laporan rutin",
        REPORTS,
        "Rekap",
        "Setiap bulan",
        "Pengadministrasi Umum",
        "Jan 5; Feb 6; Mar 5",
        "5 / bulan",
        "5/bulan",
        "5 per bulan",
        61,
        "laporan",
    ],
    [
        None,
        None,
        COMPLETE,
        "(lengkap / seluruh berkas) × 100 %",
        "Tiap triwulan",
        "Kepala Subbagian Umum",
        "80 - 90 %",
        "80 s.d. 90",
        "80–90",
        "80–90",
        "80–90 %",
        "%",
    ],
]
MERGES = ["G10:H10", "I10:J10", "A15:A16", "B15:B16"]


def rows_with(**cells):
    """ROWS with some cells replaced: {"r3c7": value} is row 3 of ROWS, column G."""
    rows = [list(r) + [None] * (12 - len(r)) for r in ROWS]
    for key, value in cells.items():
        r, c = key[1:].split("c")
        rows[int(r)][int(c) - 1] = value
    return rows


def as_file(book):
    return io.BytesIO(workbook_bytes(book))


def targets_of(name):
    indicator = Indicator.objects.get(name=name)
    return {t.period: (t.value, t.upper) for t in indicator.targets.all()}


def problems_of(book, unit):
    with pytest.raises(WorkbookRejected) as caught:
        import_manual_workbook(file=as_file(book), unit=unit, year=YEAR)
    assert not QualityManual.objects.filter(unit=unit).exists()
    assert not Position.objects.filter(unit=unit).exists()
    return [(p.row, p.column, p.message) for p in caught.value.problems]


# --------------------------------------------------------------------------- a real office


def test_a_real_offices_workbook_is_previewed_then_imported(office):
    book = office_workbook(ROWS, merges=MERGES)
    _parsed, preview = preview_manual_workbook(file=as_file(book), unit=office, year=YEAR)

    # The preview: nothing saved, the positions to create, the guesses made.
    assert not QualityManual.objects.filter(unit=office).exists()
    assert not Position.objects.filter(unit=office).exists()
    created = [c.text for c in preview.listed("created") if c.kind == "jabatan"]
    assert created == [
        "Kepala Balai (tingkat Kepala Unit)",
        "Kepala Subbagian Umum (tingkat Kepala Subbagian Tata Usaha)",
        "Pengadministrasi Umum (tingkat Kepala Subbagian Tata Usaha)",
    ]
    notes = " ".join(preview.notes)
    assert "bagian 'Kepala Subbagian Tata Usaha' diberi tingkat Kepala Subbagian" in notes
    assert f"Baris 11 ({PUNGLI}): semua targetnya 0, dibaca nol toleransi" in notes
    assert "Baris 11: penanggung jawab kosong; dipegang Kepala Balai." in notes
    assert f"Baris 14 ({LETTERS}): makin rendah makin baik" in notes
    assert f"Baris 10 ({SEMESTER_IKM}): jenis ukuran Indeks" in notes
    assert preview.totals == {"bagian": 2, "sasaran": 5, "indikator": 5, "target": 38}

    result = import_manual_workbook(file=as_file(book), unit=office, year=YEAR)
    assert result.digest == preview.digest  # the import did what the preview showed

    document = QualityManual.objects.get(unit=office, year=YEAR)
    assert document.signed_by.name == "Kepala Balai"
    sections = list(Section.objects.filter(manual=document).order_by("order"))
    assert [(s.title, s.level) for s in sections] == [
        ("Produk Layanan", ""),
        ("Kepala Subbagian Tata Usaha", "kasubbag"),
    ]
    commitment = Objective.objects.get(section=sections[0], number=3)
    assert commitment.text == "Terjaganya kerahasiaan data pemohon"
    assert not commitment.indicators.exists()

    ikm = Indicator.objects.get(name=SEMESTER_IKM)
    assert (ikm.kind, ikm.frequency, ikm.polarity, ikm.aggregation) == (
        "index",
        "semester",
        "higher",
        "average",
    )
    assert targets_of(SEMESTER_IKM) == {p: (84, None) for p in ("S1", "S2", "Y")}
    pungli = Indicator.objects.get(name=PUNGLI)
    assert (pungli.kind, pungli.polarity, pungli.measurement_method) == ("count", "lower", "")
    assert pungli.responsible_position.name == "Kepala Balai"
    assert targets_of(PUNGLI) == {
        **{f"M{m:02d}": (0, None) for m in range(1, 13)},
        "Y": (0, None),
    }
    letters = Indicator.objects.get(name=LETTERS)
    assert (letters.kind, letters.polarity) == ("working_days", "lower")
    assert targets_of(LETTERS) == {q: (3, None) for q in ("Q1", "Q2", "Q3", "Q4")}
    reports = targets_of(REPORTS)
    assert (
        reports["M02"] == (6, None) and reports["M12"] == (5, None) and reports["Y"] == (61, None)
    )
    complete = Indicator.objects.get(name=COMPLETE)
    assert complete.kind == "percentage" and complete.objective.number == 2
    assert targets_of(COMPLETE) == {p: (80, 90) for p in ("Q1", "Q2", "Q3", "Q4", "Y")}

    # Exported again it reads as a document, and comes back unchanged.
    book = export_xlsx.manual_workbook(manual.manual_document(document))
    ws = book.active
    row = next(r for r in range(9, ws.max_row + 1) if ws.cell(row=r, column=3).value == REPORTS)
    assert ws.cell(row=row, column=7).value == "Jan 5; Feb 6; Mar 5"
    before = snapshot(office, YEAR)
    again = import_manual_workbook(file=as_file(book), unit=office, year=YEAR)
    assert again.unchanged and snapshot(office, YEAR) == before


def test_bad_targets_are_listed_by_row_and_column(office):
    book = office_workbook(
        rows_with(
            r1c7="5",  # an index target neither a band 1-4 nor 25-100
            r1c11="4 (B)",  # band 4 is A
            r6c9="2,5 / bulan",  # a count of reports in halves
            r6c10="Jan 5",  # January in TW 4
            r7c7="> 80",
            r5c11="≥ 3",  # at least where the row says at most
        ),
        merges=MERGES,
    )
    problems = problems_of(book, office)
    assert (
        10,
        "G",
        "Target Semester I: Target indeks ditulis sebagai pita 1-4 (mis. 4 = A) atau nilai "
        "25-100 (mis. 84); diterima 5.",
    ) in problems
    assert (10, "K", "Target Tahunan: Huruf mutu 'B' tidak sesuai dengan target 4.") in problems
    assert (
        15,
        "I",
        "Target Juli: Satuan indikator ini berupa jumlah: isikan bilangan bulat, bukan 2,5.",
    ) in problems
    assert (15, "J", "Target TW 4: Januari ditulis di kolom yang salah; tulis di kolom TW 1.") in (
        problems
    )
    assert (
        16,
        "G",
        "Target TW 1: Tanda < atau > tidak dipakai: tulis ≥ (paling sedikit) atau ≤ (paling "
        "banyak).",
    ) in problems
    assert any(p[:2] == (14, "G") and "dengan ≥ dan ≤ sekaligus" in p[2] for p in problems), (
        problems
    )


def test_unusual_merges_and_hostile_text_give_messages(office):
    rows = rows_with(
        r1c2="<script>alert(1)</script>",
        r6c7='=HYPERLINK("http://contoh.invalid")',
        r5c6="x" * 300,
    )
    book = office_workbook(rows, merges=["G10:H10", "I10:J10", "H11:I11"])
    problems = problems_of(book, office)
    assert (
        11,
        "H",
        "Sel target digabung tidak lazim: gabungkan hanya TW 1-TW 2 (Semester I) atau TW 3-TW 4 "
        "(Semester II).",
    ) in problems
    assert (15, "G", "Target TW 1 berisi rumus; isi dengan angka.") in problems
    assert (14, "F", "Nama jabatan terlalu panjang (paling banyak 200 huruf).") in problems


def test_semester_targets_typed_in_tw2_and_tw4(office):
    """Unmerged, a semester indicator's TW 2 and TW 4 are its semesters."""
    book = office_workbook(rows_with(r1c7=None, r1c8="≥ 80", r1c9=None, r1c10="≥ 82"))
    import_manual_workbook(file=as_file(book), unit=office, year=YEAR)
    assert targets_of(SEMESTER_IKM) == {"S1": (80, None), "S2": (82, None), "Y": (84, None)}


def test_a_frequency_code_of_semester_is_accepted(demo):
    from tests.sasaran.test_document_any_office import IKM, build_manual, workbook

    document = build_manual()
    book = workbook(document)
    ws = book.active
    row = next(r for r in range(9, ws.max_row + 1) if ws.cell(row=r, column=3).value == IKM)
    ws.cell(row=row, column=export_xlsx.DATA_COLUMNS["frekuensi"]).value = "Semesteran"
    ws.cell(row=row, column=export_xlsx.DATA_COLUMNS["target"]).value = "rusak=?"
    result = import_manual_workbook(file=as_file(book), unit=document.unit, year=2031)
    assert result.unchanged  # the label reads as the code; the printed cells as the targets


# --------------------------------------------------------------------------- the admin's preview


def upload(book):
    return SimpleUploadedFile(
        "sasaran.xlsx",
        workbook_bytes(book),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_admin_previews_every_import_and_saves_on_confirmation(superuser, office):
    url = reverse("admin:sasaran_qualitymanual_import")
    book = office_workbook(ROWS, merges=MERGES)
    response = superuser.post(url, {"unit": office.pk, "year": YEAR, "file": upload(book)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pratinjau impor: Balai Contoh, tahun 2024" in html
    assert "Kepala Subbagian Umum (tingkat Kepala Subbagian Tata Usaha)" in html
    assert "Dibaca dari teks dokumen (periksa)" in html
    assert "penanggung jawab kosong; dipegang Kepala Balai" in html
    assert not QualityManual.objects.filter(unit=office).exists()

    response = superuser.post(url, {"token": response.context["preview"]["token"]}, follow=True)
    assert "2 bagian, 5 sasaran, 5 indikator, 38 target" in response.content.decode()
    assert Position.objects.filter(unit=office).count() == 3
    assert QualityManual.objects.filter(unit=office, year=YEAR).exists()


def test_the_preview_lists_changes_and_removals_of_an_existing_manual(superuser, office):
    import_manual_workbook(
        file=as_file(office_workbook(ROWS, merges=MERGES)), unit=office, year=YEAR
    )
    rows = rows_with(r5c7="maks. 2 hari kerja")[:-1]  # the last indicator dropped
    book = office_workbook(rows, merges=MERGES[:2])
    url = reverse("admin:sasaran_qualitymanual_import")
    response = superuser.post(url, {"unit": office.pk, "year": YEAR, "file": upload(book)})
    html = response.content.decode()
    assert "Akan diubah (1)" in html
    assert f"{LETTERS} — TW 1: ≤ 3 hari kerja → ≤ 2 hari kerja" in html
    assert "Akan dihapus (1)" in html  # the indicator (its targets go with it)
    assert f"<strong>Indikator</strong>: &#x27;{COMPLETE}&#x27; (sasaran 2.2)" in html
    assert targets_of(LETTERS)["Q1"] == (3, None)  # nothing saved yet


def test_a_confirmation_after_the_data_changed_shows_the_new_preview(superuser, office):
    import_manual_workbook(
        file=as_file(office_workbook(ROWS, merges=MERGES)), unit=office, year=YEAR
    )
    book = office_workbook(rows_with(r5c7="maks. 2 hari kerja"), merges=MERGES)
    url = reverse("admin:sasaran_qualitymanual_import")
    response = superuser.post(url, {"unit": office.pk, "year": YEAR, "file": upload(book)})
    token = response.context["preview"]["token"]
    # Meanwhile someone changes another target.
    Target.objects.filter(indicator__name=LETTERS, period="Q2").update(value=Decimal(4))

    response = superuser.post(url, {"token": token})
    html = response.content.decode()
    assert "Data berubah sejak pratinjau dibuat, sehingga impor tidak disimpan." in html
    assert f"{LETTERS} — TW 2: ≤ 4 hari kerja → ≤ 3 hari kerja" in html
    assert targets_of(LETTERS)["Q1"] == (3, None)

    response = superuser.post(url, {"token": response.context["preview"]["token"]}, follow=True)
    assert response.status_code == 200
    assert targets_of(LETTERS)["Q1"] == (2, None) and targets_of(LETTERS)["Q2"] == (3, None)


@pytest.mark.parametrize("token", ["", "x", "a\x00b", "9" * 400, "<script>"])
def test_a_bad_or_stale_token_is_a_message(superuser, office, token):
    url = reverse("admin:sasaran_qualitymanual_import")
    response = superuser.post(url, {"token": token})
    assert response.status_code == 200
    assert "Pratinjau impor ini tidak ada lagi atau sudah dipakai" in response.content.decode()
    assert not QualityManual.objects.filter(unit=office).exists()


def test_a_malformed_workbook_is_a_message(superuser, office):
    book = Workbook()
    book.active.title = export_xlsx.SHEET_TITLE
    book.active["A1"] = "bukan dokumen"
    url = reverse("admin:sasaran_qualitymanual_import")
    response = superuser.post(url, {"unit": office.pk, "year": YEAR, "file": upload(book)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Buku kerja ditolak" in html and "Judul kolom harus &#x27;No&#x27;" in html
