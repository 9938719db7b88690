"""Importing the Sasaran Mutu workbook: the round trip, every kind of bad workbook (row and
column reported, nothing saved) and the admin page."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

from sasaran.documents import export_xlsx, manual
from sasaran.documents.import_xlsx import (
    WorkbookRejected,
    import_manual_workbook,
    preview_manual_workbook,
)
from sasaran.models import (
    Indicator,
    Objective,
    Position,
    QualityManual,
    Realisation,
    Section,
    Target,
    Unit,
    User,
)
from sasaran.xlsx import workbook_bytes
from tests.conftest import logged_in

UP = "up-pmptsp-jaktim"
INVESTMENT = "Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten"
PERMITS = "Persentase Penerbitan Izin Tepat Waktu"


def snapshot(unit, year):
    """Every field of the manual's sections, objectives, indicators and targets, keyed
    naturally (no primary keys), so two years or two imports can be compared."""
    manual = QualityManual.objects.get(unit=unit, year=year)
    head = {
        f: getattr(manual, f)
        for f in [
            "title",
            "document_number",
            "effective_date",
            "revision",
            "introduction",
            "signed_by_id",
            "note",
        ]
    }
    sections = {s.order: (s.level, s.title) for s in Section.objects.filter(manual=manual)}
    objectives = {
        (o.section.order, o.number): o.text
        for o in Objective.objects.filter(section__manual=manual).select_related("section")
    }
    skip = {"id", "objective"}
    indicators = {}
    for i in Indicator.objects.filter(objective__section__manual=manual).select_related(
        "objective__section"
    ):
        key = (i.objective.section.order, i.objective.number, i.order)
        indicators[key] = {
            f.attname: getattr(i, f.attname)
            for f in Indicator._meta.concrete_fields
            if f.name not in skip
        }
    targets = {
        (
            t.indicator.objective.section.order,
            t.indicator.objective.number,
            t.indicator.order,
            t.period,
        ): (t.value, t.upper)
        for t in Target.objects.filter(indicator__objective__section__manual=manual).select_related(
            "indicator__objective__section"
        )
    }
    return {
        "manual": head,
        "sections": sections,
        "objectives": objectives,
        "indicators": indicators,
        "targets": targets,
    }


def whole_database():
    return (
        [snapshot(m.unit, m.year) for m in QualityManual.objects.order_by("pk")],
        Target.objects.count(),
        Indicator.history.count(),
        Target.history.count(),
    )


@pytest.fixture
def unit(demo):
    return Unit.objects.get(code=UP)


def exported(unit, year=2023):
    doc = manual.manual_document(QualityManual.objects.get(unit=unit, year=year))
    return export_xlsx.manual_workbook(doc)


def as_file(book):
    return BytesIO(workbook_bytes(book))


def row_of(ws, name):
    for row in range(export_xlsx.HEADER_ROW + 1, ws.max_row + 1):
        if ws.cell(row=row, column=export_xlsx.COL_NAME).value == name:
            return row
    raise AssertionError(name)


def clear_row(ws, row):
    """Empty a row as a user deleting its contents would (merged cells stay merged)."""
    for cell in ws[row]:
        if not isinstance(cell, MergedCell):
            cell.value = None


def data_column(name):
    return export_xlsx.DATA_COLUMNS[name]


def reject(book, unit, year=2023):
    """Import `book`, expect it refused with the database unchanged; return the problems
    as (row, column, message)."""
    before = whole_database()
    with pytest.raises(WorkbookRejected) as caught:
        import_manual_workbook(file=as_file(book), unit=unit, year=year)
    assert whole_database() == before
    return [(p.row, p.column, p.message) for p in caught.value.problems]


# --------------------------------------------------------------------------- round trip


def test_export_then_import_into_the_same_year_changes_nothing(unit):
    before = whole_database()
    result = import_manual_workbook(file=as_file(exported(unit)), unit=unit, year=2023)
    assert whole_database() == before  # same data, and no history rows: nothing was saved
    assert not result.created and not result.updated and not result.deleted
    assert result.totals == {"bagian": 3, "sasaran": 26, "indikator": 31, "target": 147}
    assert Target.objects.filter(indicator__objective__section__manual__unit=unit).count() == 147


def test_export_then_import_into_an_empty_year_gives_identical_data(unit):
    original = snapshot(unit, 2023)
    result = import_manual_workbook(file=as_file(exported(unit)), unit=unit, year=2024)
    assert result.manual_created
    assert result.created["indikator"] == 31
    assert snapshot(unit, 2024) == original
    assert snapshot(unit, 2023) == original


def test_round_trip_keeps_upper_bounds_max_values_blank_texts_and_formula_like_text(unit):
    indicator = Indicator.objects.get(name=PERMITS)
    indicator.name = "=1+1 bukan rumus"
    indicator.frequency_text = ""
    indicator.responsible_text = ""
    indicator.unit_of_measure = ""
    indicator.note = "@SUM(A1)"
    indicator.save()
    target = indicator.targets.get(period="Q2")
    target.value, target.upper = Decimal("95.5"), Decimal("100.25")
    target.save()
    manual = QualityManual.objects.get(unit=unit, year=2023)
    manual.effective_date = manual.effective_date.replace(day=17)
    manual.revision = 2
    manual.save()
    original = snapshot(unit, 2023)

    import_manual_workbook(file=as_file(exported(unit)), unit=unit, year=2025)
    assert snapshot(unit, 2025) == original


def test_import_keeps_indicators_with_realisations_when_unchanged(demo_examples):
    unit = Unit.objects.get(code=UP)
    assert Realisation.objects.exists()
    before = whole_database()
    import_manual_workbook(file=as_file(exported(unit)), unit=unit, year=2023)
    assert whole_database() == before


def test_edited_workbook_updates_creates_and_deletes(unit):
    book = exported(unit)
    ws = book.active
    row = row_of(ws, PERMITS)
    ws.cell(row=row, column=export_xlsx.TARGET_COLUMNS["Q1"]).value = 95
    ws.cell(row=row, column=export_xlsx.TARGET_COLUMNS["Y"]).value = None  # target removed
    ws.cell(row=row, column=export_xlsx.COL_OBJECTIVE).value = "Terwujudnya Izin Tepat Waktu"
    # Delete the last indicator of Kasubbag objective 10 (no realisations in `demo`).
    clear_row(ws, row_of(ws, "Persentase updating data aset"))
    ws.cell(*export_xlsx.NUMBER_CELL).value = "L2/MM-02/R1"
    ws.cell(*export_xlsx.DATE_CELL).value = "Januari 2024"  # month and year only
    ws.cell(*export_xlsx.REVISION_CELL).value = 1

    result = import_manual_workbook(file=as_file(book), unit=unit, year=2023)

    indicator = Indicator.objects.get(name=PERMITS)
    assert indicator.targets.get(period="Q1").value == 95
    assert not indicator.targets.filter(period="Y").exists()
    assert indicator.objective.text == "Terwujudnya Izin Tepat Waktu"
    assert not Indicator.objects.filter(name="Persentase updating data aset").exists()
    manual = QualityManual.objects.get(unit=unit, year=2023)
    assert manual.document_number == "L2/MM-02/R1"
    assert str(manual.effective_date) == "2024-01-01"  # the hidden exact day no longer agrees
    assert manual.revision == 1  # the printed revision, not the hidden copy
    assert result.deleted == {"indikator": 1, "target": 1}
    assert result.updated == {"dokumen": 1, "sasaran": 1, "target": 1}


def test_a_row_without_kind_and_frequency_codes_reads_them_from_its_texts(unit):
    """Without the codes the printed FREKUENSI PENGUKURAN and SATUAN say them ("Laporan
    rekapitulasi data Jakevo tiap triwulan", "%"); the preview lists the guesses."""
    book = exported(unit)
    ws = book.active
    row = row_of(ws, PERMITS)
    ws.cell(row=row, column=data_column("jenis")).value = None
    ws.cell(row=row, column=data_column("frekuensi")).value = None
    _parsed, result = preview_manual_workbook(file=as_file(book), unit=unit, year=2023)
    assert result.unchanged
    assert f"Baris {row} ({PERMITS}): frekuensi Triwulanan dibaca dari " in " ".join(result.notes)
    assert any("jenis ukuran Persentase" in note for note in result.notes)

    ws.cell(row=row, column=export_xlsx.COL_FREQUENCY).value = "Sesuai kebutuhan"
    ws.cell(row=row, column=export_xlsx.COL_UNIT).value = None
    problems = reject(book, unit)
    assert [(r, c) for r, c, _m in problems] == [(row, "E"), (row, "L")]
    assert problems[0][2].startswith("Frekuensi pengukuran 'Sesuai kebutuhan' tidak dikenali")
    assert problems[1][2].startswith("Jenis ukuran tidak dapat ditentukan")


# --------------------------------------------------------------------------- bad workbooks


def test_target_that_is_not_a_number(unit):
    book = exported(unit)
    ws = book.active
    row = row_of(ws, PERMITS)
    ws.cell(row=row, column=export_xlsx.TARGET_COLUMNS["Q3"]).value = "seratus"
    assert reject(book, unit) == [
        (
            row,
            "I",
            "Target TW 3: 'seratus' tidak dapat dibaca. Contoh: 80; ≥ 80 %; ≤ 3 hari; 80–90; "
            "0; Jan 5; Feb 6; 5 / bulan; Smt I: ≥ 84.",
        )
    ]


def test_indonesian_number_text_is_accepted(unit):
    book = exported(unit)
    ws = book.active
    row = row_of(ws, INVESTMENT)
    ws.cell(row=row, column=export_xlsx.TARGET_COLUMNS["Q1"]).value = "3.800.000.000.000"
    import_manual_workbook(file=as_file(book), unit=unit, year=2023)
    target = Target.objects.get(indicator__name=INVESTMENT, period="Q1")
    assert target.value == Decimal("3800000000000")


def test_negative_target_and_formula_target(unit):
    book = exported(unit)
    ws = book.active
    row = row_of(ws, INVESTMENT)
    ws.cell(row=row, column=export_xlsx.TARGET_COLUMNS["Q1"]).value = -5
    ws.cell(row=row, column=export_xlsx.TARGET_COLUMNS["Q2"]).value = "=G20*2"
    assert reject(book, unit) == [
        (row, "G", "Target TW 1: Nilai tidak boleh negatif (-5)."),
        (row, "H", "Target TW 2 berisi rumus; isi dengan angka."),
    ]


def test_unknown_kind_and_frequency_codes(unit):
    book = exported(unit)
    ws = book.active
    row = row_of(ws, PERMITS)
    ws.cell(row=row, column=data_column("jenis")).value = "persen"
    ws.cell(row=row, column=data_column("frekuensi")).value = "mingguan"
    problems = reject(book, unit)
    assert problems == [
        (
            row,
            "R",
            "Kode frekuensi 'mingguan' tidak dikenal; pilihan: monthly, quarterly, semester, "
            "yearly, per_event.",
        ),
        (
            row,
            "S",
            "Kode jenis ukuran 'persen' tidak dikenal; pilihan: index, percentage, count, "
            "money, score, working_days.",
        ),
    ]


def test_a_position_the_unit_lacks_is_created(unit):
    book = exported(unit)
    ws = book.active
    row = row_of(ws, PERMITS)
    ws.cell(row=row, column=data_column("jabatan_penanggung_jawab")).value = "Sekretaris"
    _parsed, result = preview_manual_workbook(file=as_file(book), unit=unit, year=2023)
    assert not Position.objects.filter(unit=unit, name="Sekretaris").exists()  # a preview
    assert [c.text for c in result.listed("created")] == ["Sekretaris (tingkat Kepala Unit)"]

    import_manual_workbook(file=as_file(book), unit=unit, year=2023)
    position = Position.objects.get(unit=unit, name="Sekretaris")
    assert position.level == "kepala"  # the level of its section
    assert Indicator.objects.get(name=PERMITS).responsible_position == position


def test_objective_number_repeated_with_different_text(unit):
    book = exported(unit)
    ws = book.active
    first = row_of(ws, PERMITS)  # Kepala Unit objective 2
    row = row_of(ws, "Indeks Kepuasan Layanan Administrasi Keuangan")  # objective 3
    ws.cell(row=row, column=export_xlsx.COL_NO).value = 2
    assert reject(book, unit) == [
        (row, "B", f"Sasaran nomor 2 sudah ditulis dengan teks lain di baris {first}.")
    ]


def test_missing_header_stops_reading(unit):
    book = exported(unit)
    ws = book.active
    ws.cell(row=export_xlsx.HEADER_ROW, column=5).value = "FREKUENSI"
    ws.cell(row=export_xlsx.HEADER_ROW, column=12).value = None
    assert reject(book, unit) == [
        (8, "E", "Judul kolom harus 'FREKUENSI PENGUKURAN', tertulis 'FREKUENSI'."),
        (8, "L", "Judul kolom harus 'SATUAN', tertulis '(kosong)'."),
    ]


def test_missing_sheet(unit):
    book = exported(unit)
    book.active.title = "Lembar1"
    assert reject(book, unit) == [
        (None, None, "Lembar 'Sasaran Mutu' tidak ditemukan (ada: Lembar1).")
    ]


def test_not_a_workbook(unit):
    before = whole_database()
    with pytest.raises(WorkbookRejected) as caught:
        import_manual_workbook(file=BytesIO(b"%PDF-1.4 not a zip"), unit=unit, year=2023)
    assert "bukan buku kerja Excel" in str(caught.value)
    assert whole_database() == before


def test_bad_title_block(unit):
    book = exported(unit)
    ws = book.active
    ws.cell(*export_xlsx.TITLE_CELL).value = "MANUAL"
    ws.cell(*export_xlsx.NUMBER_CELL).value = None
    ws.cell(*export_xlsx.DATE_CELL).value = "Juli"
    ws.cell(*export_xlsx.REVISION_CELL).value = "satu"
    assert reject(book, unit) == [
        (1, "C", "Judul dokumen harus 'MANUAL MUTU'."),
        (1, "I", "Nomor dokumen kosong."),
        (2, "I", "Tanggal berlaku 'Juli' harus berupa tanggal, mis. 1 Juli 2023."),
        (3, "I", "Revisi bukan angka: 'satu'."),
    ]
    ws.cell(*export_xlsx.DATE_CELL).value = "31 Februari 2024"
    message = "Tanggal berlaku '31 Februari 2024' harus berupa tanggal, mis. 1 Juli 2023."
    assert (2, "I", message) in reject(book, unit)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("17 Agustus 2024", "2024-08-17"),  # as printed
        (": 2 Januari 2024", "2024-01-02"),  # with the colon of the paper form
        ("Juli 2023", "2023-07-01"),  # month and year: the hidden exact day agrees
        (datetime.datetime(2024, 3, 5), "2024-03-05"),  # Excel made a date of what was typed
    ],
)
def test_effective_date_as_typed(unit, typed, expected):
    book = exported(unit)
    book.active.cell(*export_xlsx.DATE_CELL).value = typed
    import_manual_workbook(file=as_file(book), unit=unit, year=2023)
    assert str(QualityManual.objects.get(unit=unit, year=2023).effective_date) == expected


def test_workbook_exported_before_the_header_box_still_imports(unit):
    """Older exports had the title block as lines in column A; one still being edited
    imports the same."""
    before = snapshot(unit, 2023)
    book = exported(unit)
    ws = book.active
    for cells in list(ws.merged_cells.ranges):
        if cells.max_row <= export_xlsx.HEADING_ROW:
            ws.unmerge_cells(str(cells))
    for row in ws.iter_rows(min_row=1, max_row=export_xlsx.HEADING_ROW, max_col=12):
        for cell in row:
            cell.value = None
    for row, text in enumerate(
        ["MANUAL MUTU", "Sasaran Mutu", "Dokumen No : L2/MM-02", "Tanggal Berlaku : Juli 2023"],
        start=1,
    ):
        ws.cell(row=row, column=1).value = text
    ws.cell(row=5, column=1).value = "UP PMPTSP Kota Jakarta Timur"

    result = import_manual_workbook(file=as_file(book), unit=unit, year=2023)

    assert snapshot(unit, 2023) == before
    assert not result.created and not result.deleted


def test_upper_bound_below_target(unit):
    book = exported(unit)
    ws = book.active
    row = row_of(ws, PERMITS)
    ws.cell(row=row, column=export_xlsx.TARGET_COLUMNS["Q1"]).value = "100–90"
    assert reject(book, unit) == [
        (row, "G", "Target TW 1: Batas atas (90) lebih kecil dari targetnya (100).")
    ]


def test_a_workbook_with_the_old_upper_bound_columns_still_imports(unit):
    """Workbooks exported before the "target" column kept a range's upper bound in a
    column of its own per printed column (batas_atas_TW1 ...)."""
    book = exported(unit)
    ws = book.active
    row = row_of(ws, PERMITS)
    ws.cell(row=row, column=data_column("target")).value = None
    legacy = ws.max_column + 1
    ws.cell(row=export_xlsx.HEADER_ROW, column=legacy).value = "batas_atas_TW2"
    ws.cell(row=row, column=legacy).value = 100
    ws.cell(row=row, column=export_xlsx.TARGET_COLUMNS["Q2"]).value = 90
    import_manual_workbook(file=as_file(book), unit=unit, year=2023)
    target = Target.objects.get(indicator__name=PERMITS, period="Q2")
    assert (target.value, target.upper) == (90, 100)
    ws.cell(row=row, column=legacy).value = 80
    problems = reject(book, unit)
    assert problems == [(row, "H", "Target TW 2: Batas atas (80) lebih kecil dari targetnya (90).")]


def test_every_problem_is_collected_before_refusing(unit):
    book = exported(unit)
    ws = book.active
    a = row_of(ws, PERMITS)
    b = row_of(ws, INVESTMENT)
    ws.cell(row=a, column=export_xlsx.TARGET_COLUMNS["Q1"]).value = "x"
    ws.cell(row=b, column=data_column("kumulatif")).value = "mungkin"
    ws.cell(row=b, column=export_xlsx.COL_NAME).value = None
    ws.cell(row=b + 1, column=data_column("nilai_maksimum")).value = 0
    problems = reject(book, unit)
    assert [(r, c) for r, c, _m in problems] == [(a, "G"), (b, "C"), (b, "V"), (b + 1, "Y")]
    assert problems[1][2] == "Indikator kinerja kosong."
    assert problems[3][2] == "Nilai maksimum harus lebih dari 0."


def test_dropping_an_indicator_with_realisations_is_refused(demo_examples):
    unit = Unit.objects.get(code=UP)
    book = exported(unit)
    ws = book.active
    clear_row(ws, row_of(ws, PERMITS))
    problems = reject(book, unit)
    assert problems == [
        (
            None,
            None,
            f"Indikator '{PERMITS}' (bagian 1, sasaran 2, urutan 1) tidak ada di buku kerja "
            "tetapi sudah punya realisasi, sehingga tidak dihapus. Kembalikan barisnya ke "
            "buku kerja.",
        )
    ]


def test_duplicate_indicator_order_and_indicator_before_any_section(unit):
    book = exported(unit)
    ws = book.active
    ws.cell(row=export_xlsx.HEADER_ROW + 1, column=data_column("jenis_baris")).value = None
    ws.cell(row=export_xlsx.HEADER_ROW + 1, column=1).value = None  # the first section row
    row = row_of(ws, "Persentase updating data aset")
    ws.cell(row=row, column=data_column("indikator_urutan")).value = 1
    problems = reject(book, unit)
    assert (10, "A", "Baris indikator sebelum baris judul bagian.") in problems
    first = row_of(ws, "Persentase pengiriman laporan retribusi tepat waktu ke DPMPSTP")
    assert (
        row,
        "Q",
        f"Urutan indikator 1 di sasaran 10 sudah dipakai di baris {first}.",
    ) in problems


# --------------------------------------------------------------------------- admin page


def upload(book, name="sasaran.xlsx"):
    return SimpleUploadedFile(
        name,
        workbook_bytes(book),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_admin_import_page_for_a_superuser(client, unit):
    logged_in(client, "admin")
    changelist = client.get(reverse("admin:sasaran_qualitymanual_changelist"))
    url = reverse("admin:sasaran_qualitymanual_import")
    assert url in changelist.content.decode()
    assert "Impor dari Excel" in changelist.content.decode()
    assert client.get(url).status_code == 200

    # Every import shows first what it would do, and saves nothing.
    response = client.post(url, {"unit": unit.pk, "year": 2024, "file": upload(exported(unit))})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pratinjau impor: UP PMPTSP Kota Jakarta Timur, tahun 2024" in html
    assert "3 bagian, 26 sasaran, 31 indikator, 147 target" in html
    assert "Akan dibuat" in html and "Persentase Penerbitan Izin Tepat Waktu" in html
    assert not QualityManual.objects.filter(unit=unit, year=2024).exists()
    token = response.context["preview"]["token"]

    response = client.post(url, {"token": token}, follow=True)
    assert response.status_code == 200
    assert "3 bagian, 26 sasaran, 31 indikator, 147 target" in response.content.decode()
    assert QualityManual.objects.filter(unit=unit, year=2024).exists()
    assert snapshot(unit, 2024) == snapshot(unit, 2023)

    # The token is used once: sending it again saves nothing twice.
    response = client.post(url, {"token": token})
    assert "Pratinjau impor ini tidak ada lagi atau sudah dipakai" in response.content.decode()


def test_admin_import_page_lists_every_problem(client, unit):
    logged_in(client, "admin")
    book = exported(unit)
    ws = book.active
    row = row_of(ws, PERMITS)
    ws.cell(row=row, column=export_xlsx.TARGET_COLUMNS["Q3"]).value = "seratus"
    ws.cell(row=row, column=data_column("jenis")).value = "persen"
    before = whole_database()
    response = client.post(
        reverse("admin:sasaran_qualitymanual_import"),
        {"unit": unit.pk, "year": 2023, "file": upload(book)},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 masalah" in html
    assert (
        f"<td>{row}</td><td>I</td><td>Target TW 3: &#x27;seratus&#x27; tidak dapat dibaca." in html
    )
    assert f"<td>{row}</td><td>S</td>" in html
    assert whole_database() == before


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("data.csv", b"a,b", "Hanya berkas .xlsx yang diterima."),
        ("data.xlsx", b"not a zip at all", "Berkas bukan buku kerja Excel (.xlsx) yang sah."),
        ("big.xlsx", b"0" * (5 * 1024 * 1024 + 1), "Berkas lebih dari 5 MB."),
    ],
)
def test_admin_import_refuses_files_that_are_not_xlsx(client, unit, name, content, message):
    logged_in(client, "admin")
    response = client.post(
        reverse("admin:sasaran_qualitymanual_import"),
        {"unit": unit.pk, "year": 2023, "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_admin_import_refused_for_non_staff(client, unit):
    logged_in(client, "cro")
    url = reverse("admin:sasaran_qualitymanual_import")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    response = client.post(url, {"unit": unit.pk, "year": 2024, "file": upload(exported(unit))})
    assert response.status_code == 302
    assert not QualityManual.objects.filter(year=2024).exists()


def test_admin_import_needs_the_change_permission(client, unit):
    user = User.objects.get(username="cro")
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = client.get(reverse("admin:sasaran_qualitymanual_import"))
    assert response.status_code == 403


def test_exported_workbook_reads_back_with_the_data_columns_hidden(unit):
    ws = load_workbook(as_file(exported(unit))).active
    assert ws.cell(row=export_xlsx.HEADER_ROW, column=data_column("jenis")).value == "jenis"
