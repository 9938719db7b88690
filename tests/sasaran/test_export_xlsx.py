"""The Excel exports, opened again with openpyxl: cells, types, number formats, merged cells,
print set-up, and text from users never becoming a formula."""

from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from sasaran.documents import export_xlsx, manual, reports
from sasaran.models import QualityManual, Realisation, Unit
from sasaran.xlsx import text_lines, workbook_bytes

UP = "up-pmptsp-jaktim"
DINAS = "dpmptsp-dki"
INVESTMENT = "Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten"
PERMITS = "Persentase Penerbitan Izin Tepat Waktu"


def reopen(book):
    return load_workbook(BytesIO(workbook_bytes(book)))


def manual_sheet():
    document = QualityManual.objects.get(unit__code=UP, year=2023)
    return reopen(export_xlsx.manual_workbook(manual.manual_document(document))).active


def find_row(ws, column, value):
    for row in range(1, ws.max_row + 1):
        if ws.cell(row=row, column=column).value == value:
            return row
    raise AssertionError(value)


def assert_print_setup(ws, title_rows, last_column):
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == title_rows
    assert ws.print_area.split("!")[1].startswith(f"$A$1:${last_column}$")
    assert ws.oddFooter.center.text == "Halaman &P dari &N"


# --------------------------------------------------------------------------- the manual


def test_manual_header_box_as_in_the_document(demo):
    """The official header box: the unit, MANUAL MUTU over the document's title, and on the
    right Dokumen No, Tanggal Berlaku and Revisi, each label and value in its own bordered
    cell; then the heading and the introduction above the table."""
    with translation.override("en"):  # the document is Indonesian whatever the UI language
        ws = manual_sheet()
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:B3", "C1:F2", "C3:F3", "G1:H1", "I1:L1", "G2:H2", "I2:L2", "G3:H3", "I3:L3"} <= (
        merged
    )
    assert ws["A1"].value == "UP PMPTSP Kota Jakarta Timur" and ws["A1"].font.b
    assert ws["C1"].value == "MANUAL MUTU" and ws["C1"].font.b and ws["C1"].font.sz == 14
    assert ws["C3"].value == "Sasaran Mutu"
    assert [(ws[f"G{r}"].value, ws[f"I{r}"].value) for r in (1, 2, 3)] == [
        ("Dokumen No", "L2/MM-02"),
        ("Tanggal Berlaku", "1 Juli 2023"),
        ("Revisi", 0),
    ]
    # Every part of the box is framed on all four sides (the edge cells of a merged range
    # carry its lines), so the lines print in any viewer.
    box = [r for r in ws.merged_cells.ranges if r.max_row <= 3]
    assert sum(r.size["rows"] * r.size["columns"] for r in box) == 3 * 12  # A1:L3, no gap
    for part in box:
        for side, cells in (
            ("top", part.top),
            ("bottom", part.bottom),
            ("left", part.left),
            ("right", part.right),
        ):
            for row, column in cells:
                border = ws.cell(row=row, column=column).border
                assert getattr(border, side).style == "thin", (str(part), side, row, column)
    assert ws["A4"].border.top.style is None  # the box ends at row 3
    assert ws["A5"].value == "SASARAN MUTU" and ws["A5"].font.b
    assert ws["A6"].value == (
        "Untuk menunjang Kebijakan Mutu, Manajemen UP PMPTSP Kota Jakarta Timur untuk tahun "
        "2023 menetapkan Sasaran Mutu sebagai berikut :"
    )
    assert {"A5:L5", "A6:L6"} <= merged
    # Pages after the first carry the short header instead of the box.
    assert ws.HeaderFooter.differentFirst
    assert "Tanggal Berlaku : 1 Juli 2023" in ws.oddHeader.right.text
    assert [ws.cell(row=8, column=c).value for c in range(1, 13)] == [
        "No",
        "SASARAN",
        "INDIKATOR KINERJA",
        "METODE PENGUKURAN",
        "FREKUENSI PENGUKURAN",
        "PENANGGUNG JAWAB",
        "TW 1",
        "TW 2",
        "TW 3",
        "TW 4",
        "TAHUNAN",
        "SATUAN",
    ]
    assert ws.cell(row=8, column=1).font.b
    assert ws.freeze_panes == "A9"
    assert_print_setup(ws, "$8:$8", "L")
    assert ws.column_dimensions["B"].width > 20
    assert ws.cell(row=10, column=4).alignment.wrap_text
    assert ws.cell(row=10, column=4).border.left.style == "thin"


def test_manual_sections_objectives_and_merges(demo):
    ws = manual_sheet()
    merged = {str(r) for r in ws.merged_cells.ranges}
    sections = [
        (row, ws.cell(row=row, column=1).value)
        for row in range(9, ws.max_row + 1)
        if f"A{row}:L{row}" in merged and row > 8
    ]
    titles = [title for _row, title in sections]
    assert titles == [
        "Kepala Unit",
        "Kepala Subbagian Tata Usaha Unit Pelaksanan PMPTSP Kota Jakarta Timur",
        "Staf Pelaksana",
    ]
    assert sections[0][0] == 9

    # Kasubbag objective 10 has five indicators: number and text merged over five rows.
    first = find_row(ws, 3, "Persentase pengiriman laporan retribusi tepat waktu ke DPMPSTP")
    assert ws.cell(row=first, column=1).value == 10
    assert isinstance(ws.cell(row=first, column=1).value, int)
    assert f"A{first}:A{first + 4}" in merged
    assert f"B{first}:B{first + 4}" in merged
    assert ws.cell(row=first + 1, column=1).value is None

    indicator_rows = [
        r for r in range(9, ws.max_row + 1) if ws.cell(row=r, column=13).value == "INDIKATOR"
    ]
    assert len(indicator_rows) == 31


def test_manual_targets_are_numbers_with_formats(demo):
    ws = manual_sheet()
    row = find_row(ws, 3, INVESTMENT)
    money = ws.cell(row=row, column=11)
    assert money.value == 18605000000000
    assert isinstance(money.value, int)
    assert money.number_format == "#,##0"
    assert ws.cell(row=row, column=7).value == 3721000000000
    assert ws.cell(row=row, column=12).value == "rupiah"

    row = find_row(ws, 3, PERMITS)
    assert [ws.cell(row=row, column=c).value for c in range(7, 12)] == [100] * 5
    assert ws.cell(row=row, column=7).number_format == "0.00"
    assert ws.cell(row=row, column=12).value == "%"

    # Staff volume: only an annual target; the quarters stay empty.
    row = find_row(
        ws, 3, "Menerima, meneliti dan memverifikasi berkas permohonan perizinan dan non perizinan"
    )
    assert [ws.cell(row=row, column=c).value for c in range(7, 12)] == [None] * 4 + [8000]
    # A target written with a sign is text, as the PDF prints it: the score of 83 is a
    # minimum (higher is better, below its maximum); everything else of the seed is a number.
    texts = set()
    for r in range(9, ws.max_row + 1):
        for c in range(7, 12):
            value = ws.cell(row=r, column=c).value
            if ws.cell(row=r, column=13).value == "INDIKATOR" and isinstance(value, str):
                texts.add((ws.cell(row=r, column=3).value[:30], value))
    assert texts == {
        ("Nilai pelayanan UP PMPTSP di L", "≥ 83"),
        # The staff's service levels: at most so many working days.
        ("(1) Menyusun jadwal pengukuran", "≤ 1"),
        ("(2) Mengolah data hasil ukur", "≤ 1"),
        ("Mengolah data hasil ukur hingg", "≤ 3"),
        ("Mengantar surat kepada pihak t", "≤ 1"),
    }


def test_manual_fractional_target_is_a_float(demo):
    from decimal import Decimal

    from sasaran.models import Target

    target = Target.objects.get(indicator__name=INVESTMENT, period="Q1")
    target.value = Decimal("3721000000000.5")
    target.save()
    ws = manual_sheet()
    cell = ws.cell(row=find_row(ws, 3, INVESTMENT), column=7)
    assert cell.value == 3721000000000.5
    assert cell.number_format == "#,##0"


def test_manual_data_columns_are_hidden_and_outside_the_print_area(demo):
    ws = manual_sheet()
    assert ws.cell(row=7, column=13).value == "DATA (jangan diubah kecuali paham)"
    for name, column in export_xlsx.DATA_COLUMNS.items():
        letter = ws.cell(row=8, column=column).column_letter
        assert ws.cell(row=8, column=column).value == name
        assert ws.column_dimensions[letter].hidden, letter
        assert column > 12
    row = find_row(ws, 3, INVESTMENT)
    values = {
        name: ws.cell(row=row, column=c).value for name, c in export_xlsx.DATA_COLUMNS.items()
    }
    assert values["jenis"] == "money"
    assert values["frekuensi"] == "quarterly"
    assert values["kumulatif"] == "YA"
    assert values["penggabungan"] == "sum"
    assert values["jabatan_penanggung_jawab"] == "Kepala Unit PMPTSP Kota Jakarta Timur"


def test_manual_signature_block(demo):
    ws = manual_sheet()
    row = find_row(ws, 9, "Kepala Unit PMPTSP Kota Jakarta Timur")
    assert row > find_row(ws, 3, "Mengantar surat kepada pihak terkait tepat waktu")
    # Place and date above it: the manual is signed on its effective date.
    assert ws.cell(row=row - 1, column=9).value == "Jakarta, 1 Juli 2023"
    assert ws.cell(row=row - 1, column=13).value == "TTD"  # where the reader finds it
    assert ws.cell(row=row + 4, column=9).value == "Hendra Wijaya"
    assert ws.cell(row=row + 4, column=9).font.u == "single"
    assert ws.cell(row=row + 5, column=9).value == "NIP. 197001011995031001"
    assert f"I{row}:L{row}" in {str(r) for r in ws.merged_cells.ranges}
    last = int(ws.print_area.split("$")[-1])
    assert last >= row + 5


def test_manual_text_never_becomes_a_formula(demo):
    from sasaran.models import Indicator

    indicator = Indicator.objects.get(name=PERMITS)
    indicator.name = "=1+1"
    indicator.measurement_method = "@SUM(A1)"
    indicator.note = "+62 21 000"
    indicator.save()
    ws = manual_sheet()
    row = find_row(ws, 3, "=1+1")
    for column in (3, 4, export_xlsx.DATA_COLUMNS["catatan"]):
        assert ws.cell(row=row, column=column).data_type == "s"
    assert ws.cell(row=row, column=4).value == "@SUM(A1)"


# --------------------------------------------------------------------------- quarterly report


def quarterly_sheet(quarter=2):
    unit = Unit.objects.get(code=UP)
    report = reports.quarterly_report(unit, 2023, quarter, charts=False)
    return report, reopen(export_xlsx.quarterly_workbook(report)).active


def test_quarterly_summary_and_table(demo_examples):
    report, ws = quarterly_sheet()
    assert ws.cell(row=1, column=1).value == "LAPORAN CAPAIAN SASARAN MUTU TRIWULAN 2 TAHUN 2023"
    summary = report["summary"]
    labels = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=3).value for r in range(6, 12)}
    assert labels["Tercapai"] == summary.met
    assert labels["Draf"] == summary.draft
    assert labels["Tidak tercapai"] == summary.missed
    assert labels["Belum ada data"] == summary.missing
    assert labels["Terlambat"] == summary.late

    header = find_row(ws, 1, "No")
    assert [ws.cell(row=header, column=c).value for c in range(1, 13)] == (
        export_xlsx.QUARTERLY_HEADERS
    )
    assert ws.freeze_panes == f"A{header + 1}"
    assert_print_setup(ws, f"${header}:${header}", "L")
    assert ws.cell(row=header + 1, column=1).value == "Kepala Unit"

    row = find_row(ws, 2, PERMITS)
    cell = next(
        c for c in report["sections"][next(iter(report["sections"]))] if c.indicator.name == PERMITS
    )
    assert ws.cell(row=row, column=3).value == "TW 2"
    assert ws.cell(row=row, column=4).value == 100
    assert ws.cell(row=row, column=4).number_format == "0.00"
    capaian = ws.cell(row=row, column=6)
    assert capaian.number_format == "0.00%"
    assert isinstance(capaian.value, int | float)
    assert capaian.value == pytest.approx(float(cell.result.achievement) / 100)
    assert ws.cell(row=row, column=8).value in ("Tercapai", "Tidak tercapai")

    row = find_row(ws, 2, INVESTMENT)
    assert ws.cell(row=row, column=4).value == 7442000000000
    assert ws.cell(row=row, column=4).number_format == "#,##0"


def test_quarterly_signature_with_place_and_print_date(demo_examples):
    from sasaran import periods
    from sasaran.periods import long_date

    _report, ws = quarterly_sheet()
    row = find_row(ws, 10, "Kepala Unit PMPTSP Kota Jakarta Timur")
    with translation.override("id"):
        assert ws.cell(row=row - 1, column=10).value == f"Jakarta, {long_date(periods.today())}"
    assert ws.cell(row=row + 4, column=10).value == "Hendra Wijaya"
    assert row > find_row(ws, 2, "Mengantar surat kepada pihak terkait tepat waktu")


def test_quarterly_user_text_never_becomes_a_formula(demo_examples):
    realisation = (
        Realisation.objects.filter(indicator__name=PERMITS, period="Q2").first()
        or Realisation.objects.filter(period="Q2").first()
    )
    realisation.note = "=1+1"
    realisation.cause_analysis = "@SUM(A1)"
    realisation.follow_up = "-2+3"
    realisation.save()
    _report, ws = quarterly_sheet()
    row = find_row(ws, 10, "=1+1")
    for column, text in ((10, "=1+1"), (11, "@SUM(A1)"), (12, "-2+3")):
        cell = ws.cell(row=row, column=column)
        assert cell.value == text
        assert cell.data_type == "s"


# --------------------------------------------------------------------------- comparison


def test_comparison_workbook(demo_examples):
    parent = Unit.objects.get(code=DINAS)
    report = reports.comparison_report(parent, 2023, 2)
    ws = reopen(export_xlsx.comparison_workbook(report)).active
    assert ws.cell(row=2, column=1).value == "DPMPTSP Provinsi DKI Jakarta"
    header = find_row(ws, 1, "PERINGKAT")
    headers = [ws.cell(row=header, column=c).value for c in range(1, 11)]
    assert headers == export_xlsx.COMPARISON_HEADERS
    column = {head: n for n, head in enumerate(headers, start=1)}
    row = header + 1
    item = report["rows"][0]
    assert ws.cell(row=row, column=1).value == 1
    assert ws.cell(row=row, column=2).value == "UP PMPTSP Kota Jakarta Timur"
    assert ws.cell(row=row, column=3).value == item["summary"].met
    assert ws.cell(row=row, column=column["DRAF"]).value == item["summary"].draft
    share = ws.cell(row=row, column=column["% TERCAPAI"])
    assert share.number_format == "0.00%"
    assert share.value == pytest.approx(float(item["met_share"]) / 100)
    assert ws.cell(row=row, column=column["DIAJUKAN"]).value == item["summary"].counted
    assert ws.cell(row=row, column=column["WAJIB DILAPORKAN"]).value == item["summary"].expected
    mean = ws.cell(row=row, column=column["RATA-RATA CAPAIAN"]).value
    assert mean == pytest.approx(float(item["mean_achievement"]) / 100)
    assert ws.freeze_panes == f"A{header + 1}"
    assert_print_setup(ws, f"${header}:${header}", "J")


def test_comparison_workbook_for_one_indicator(demo_examples):
    parent = Unit.objects.get(code=DINAS)
    report = reports.comparison_report(parent, 2023, 2, INVESTMENT)
    ws = reopen(export_xlsx.comparison_workbook(report)).active
    assert ws.cell(row=3, column=1).value == f"Indikator: {INVESTMENT}"
    header = find_row(ws, 1, "PERINGKAT")
    assert [ws.cell(row=header, column=c).value for c in range(11, 14)] == [
        "TARGET",
        "REALISASI",
        "CAPAIAN",
    ]
    assert ws.cell(row=header + 1, column=11).value == 7442000000000
    assert ws.cell(row=header + 1, column=11).number_format == "#,##0"
    assert ws.cell(row=header + 1, column=13).number_format == "0.00%"


def test_text_lines_counts_line_breaks_and_wrapping():
    """A row's height is estimated from its cells' lines: a short text with a line break
    takes two, a long one wraps at the column's width."""
    assert text_lines(None, 10) == text_lines("", 10) == text_lines("Ya", 10) == 1
    assert text_lines("Ya\nTidak", 10) == 2
    assert text_lines("x" * 30, 10) == 3  # 10 characters wide hold 10 letters a line
    assert text_lines("x" * 30 + "\nYa", 10) == 4
    assert text_lines(80.5, 10) == 1
