"""The official documents as Excel workbooks (openpyxl).

- `manual_workbook(doc)`: the Sasaran Mutu document (L2/MM-02) as the office prints it, with
  hidden machine columns to the right of the printed area so that `import_xlsx` can read it
  back without losing anything. Targets are written as `sasaran.targets` writes them (a
  bare number as a number, "≥ 80", "Jan 5; Feb 6; Mar 5" as text; semester targets in
  merged TW 1-2 / TW 3-4 cells); the hidden column "target" keeps every target exactly.
- `quarterly_workbook(report)`: the laporan capaian triwulan of a unit.
- `comparison_workbook(report)`: a parent unit's units side by side for a quarter.

Numbers are stored as numbers (a whole Decimal as an int, else a float) with Excel number
formats, so Excel shows them in the reader's locale (an Indonesian Excel prints
18.605.000.000.000). Text is always written through `sasaran.xlsx.write`, so nothing a user typed
can become a formula.
"""

from decimal import Decimal

from django.utils import translation
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from sasaran import targets as written
from sasaran import xlsx
from sasaran.models import Indicator
from sasaran.periods import TARGET_PERIODS, long_date

SHEET_TITLE = "Sasaran Mutu"
TITLE = "MANUAL MUTU"
HEADING = "SASARAN MUTU"
DOCUMENT_PREFIX = "Dokumen No"
DATE_PREFIX = "Tanggal Berlaku"
REVISION_LABEL = "Revisi"

# The manual's header box (rows 1-3), as on the printed document: the unit on the left, the
# title in the middle, and on the right a label and a value per line. Cells are (row, column).
BOX_ROWS = 3
UNIT_CELL = (1, 1)  # A1:B3
TITLE_CELL = (1, 3)  # C1:F2
SUBTITLE_CELL = (3, 3)  # C3:F3
BOX_LABEL_COLUMN, BOX_VALUE_COLUMN = 7, 9  # G:H the label, I:L the value
NUMBER_ROW, DATE_ROW, REVISION_ROW = 1, 2, 3
NUMBER_CELL, DATE_CELL, REVISION_CELL = (
    (row, BOX_VALUE_COLUMN) for row in (NUMBER_ROW, DATE_ROW, REVISION_ROW)
)
# Below the box: the document's heading and introduction, then the table.
HEADING_ROW, INTRO_ROW = 5, 6
DATA_LABEL_ROW = 7
HEADER_ROW = 8

HEADERS = [
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
WIDTHS = [5, 28, 32, 40, 20, 24, 12, 12, 13, 13, 13, 11]
(COL_NO, COL_OBJECTIVE, COL_NAME, COL_METHOD, COL_FREQUENCY, COL_RESPONSIBLE) = range(1, 7)
TARGET_COLUMNS = dict(zip(TARGET_PERIODS, range(7, 12), strict=True))  # TW 1 .. TAHUNAN
COL_UNIT = 12
LAST_PRINTED = COL_UNIT

DATA_LABEL = "DATA (jangan diubah kecuali paham)"
# The machine fields, one hidden column each, right of the printed area.
DATA_FIELDS = [
    "jenis_baris",  # BAGIAN / SASARAN (without an indicator) / INDIKATOR / TTD
    "bagian_urutan",
    "bagian_tingkat",
    "bagian_judul",
    "indikator_urutan",
    "frekuensi",
    "jenis",
    "polaritas",
    "penggabungan",
    "kumulatif",
    "pembilang",
    "penyebut",
    "nilai_maksimum",
    "catatan",
    "frekuensi_teks",
    "jabatan_penanggung_jawab",
    "penanggung_jawab_teks",
    "satuan",
    "target",  # every target exactly: "Q1=100; M01=5; Y=80..90" (`targets.machine_text`)
]
FIRST_DATA_COLUMN = LAST_PRINTED + 1
DATA_COLUMNS = {name: FIRST_DATA_COLUMN + i for i, name in enumerate(DATA_FIELDS)}
# Workbooks exported before the "target" column kept a range's upper bound per printed
# column; the import still reads them.
UPPER_FIELDS = dict(
    zip(
        TARGET_PERIODS,
        [
            "batas_atas_TW1",
            "batas_atas_TW2",
            "batas_atas_TW3",
            "batas_atas_TW4",
            "batas_atas_TAHUNAN",
        ],
        strict=True,
    )
)
# The manual's own machine fields: key in the first data column, value in the next.
MANUAL_FIELDS = {"revisi": 2, "tanggal_berlaku": 3, "catatan_dokumen": 4}

ROW_SECTION, ROW_OBJECTIVE, ROW_INDICATOR, ROW_SIGNATURE = "BAGIAN", "SASARAN", "INDIKATOR", "TTD"
# What the INDIKATOR KINERJA cell of an objective without an indicator holds.
NO_INDICATOR = "–"
YES, NO = "YA", "TIDAK"

PERCENT_FORMAT = "0.00"
MONEY_FORMAT = "#,##0"
WHOLE_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00##"
CAPAIAN_FORMAT = "0.00%"  # capaian is stored as a fraction: 1.0714 shows 107,14%

GROUP_FILL = xlsx.PatternFill("solid", fgColor="F8F9FA")
CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)
TARGET_TEXT = Alignment(horizontal="right", vertical="top", wrap_text=True)
SEMESTER_TARGET = CENTER  # a semester's target, merged over two TW columns
FOOTER = {"center": "Halaman &P dari &N"}


def number(value):
    """A Decimal as an Excel number: int when whole, else float; None stays None."""
    if value is None or isinstance(value, int | float):
        return value
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _fraction(percent):
    """A percentage (107.14) as the fraction Excel's "0.00%" format shows (1.0714)."""
    if percent is None:
        return None
    return float(Decimal(str(percent)) / 100)


def number_format(indicator, value):
    if indicator.kind == Indicator.Kind.PERCENTAGE:
        return PERCENT_FORMAT
    if indicator.kind == Indicator.Kind.MONEY:
        return MONEY_FORMAT
    if value is not None and Decimal(value) != Decimal(value).to_integral_value():
        return DECIMAL_FORMAT
    return WHOLE_FORMAT


def document_date(date):
    """A date as the documents print it, in Indonesian whatever the active language:
    1 Juli 2023 (`periods.long_date`)."""
    with translation.override("id"):
        return long_date(date)


def figure_text(indicator, value, upper=None):
    """A target as the documents write it, in Indonesian whatever the active language:
    ≥ 90 %, ≤ 3 hari kerja, 80–90 % (`targets.target_text`)."""
    with translation.override("id"):
        return written.target_text(indicator, value, upper)


def revision_note(indicator, target):
    """The note of a revised target (`Target.revised_at`), as the PDF prints it."""
    date = document_date(target.revision_date)
    original = figure_text(indicator, target.original_value, target.original_upper)
    revised = figure_text(indicator, target.value, target.upper)
    return (
        f"Target direvisi dari {original} menjadi {revised} berdasarkan "
        f"{target.revision_reference}, {date}."
    )


def _revision_comment(cell, indicator, target):
    """An Excel note on a revised target's cell: the document's layout stays as it is."""
    if target is not None and target.revised_at:
        cell.comment = Comment(revision_note(indicator, target), "Sasaran Mutu", 80, 320)


def _revision_comments(cell, indicator, revised):
    """The notes of every revised target a document cell holds (a quarter's months)."""
    if revised:
        text = "\n".join(revision_note(indicator, target) for target in revised)
        cell.comment = Comment(text, "Sasaran Mutu", 80 * len(revised), 320)


def unit_of_measure(indicator):
    if indicator.kind == Indicator.Kind.PERCENTAGE and not indicator.unit_of_measure:
        return "%"
    return indicator.unit_of_measure


def frequency_text(indicator):
    return indicator.frequency_text or str(indicator.get_frequency_display())


def responsible_text(indicator):
    return indicator.responsible_text or indicator.responsible_position.name


def _number_cell(ws, row, column, value, fmt):
    cell = xlsx.write(ws, row, column, number(value), border=True, wrap=False)
    cell.number_format = fmt
    cell.alignment = Alignment(horizontal="right", vertical="top")
    return cell


def _title_block(ws, lines, last_column):
    """Centered title rows merged over the printed width; the first one large."""
    for row, (text, size) in enumerate(lines, start=1):
        cell = xlsx.merge(ws, row, 1, row, last_column, text, bold=size > 11)
        cell.font = Font(bold=size > 11, size=size)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def signature_place_date(signatory):
    """The line above the signature: "Jakarta, 1 Juli 2023" ("" without a date)."""
    if signatory.date is None:
        return ""
    return f"{signatory.place}, {document_date(signatory.date)}"


def _signature(ws, row, signatory, first_column, last_column, marker_column=None):
    """The signature block: place and date, position, room to sign, name, NIP. Returns the
    last row used."""
    if signatory is None:
        return row - 1
    lines = [(signature_place_date(signatory), False)] if signatory.date else []
    lines += [(signatory.position, False), ("", False), ("", False), ("", False)]
    lines.append((signatory.name, True))
    lines.append((f"NIP. {signatory.nip}" if signatory.nip else "", False))
    for offset, (text, bold) in enumerate(lines):
        cell = xlsx.merge(ws, row + offset, first_column, row + offset, last_column, text)
        cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
        if bold:
            cell.font = Font(bold=True, underline="single")
    if marker_column:
        xlsx.write(ws, row, marker_column, ROW_SIGNATURE, wrap=False)
    return row + len(lines) - 1


# --------------------------------------------------------------------------- the manual


def manual_workbook(doc):
    """The Sasaran Mutu document of `doc` (from `manual.manual_document`), written in
    Indonesian whatever the active language."""
    with translation.override("id"):
        return _manual_workbook(doc)


def _manual_workbook(doc):
    manual = doc["manual"]
    book = Workbook()
    ws = book.active
    ws.title = SHEET_TITLE
    xlsx.set_widths(ws, WIDTHS)

    _manual_box(ws, manual, doc["unit"])
    cell = xlsx.merge(ws, HEADING_ROW, 1, HEADING_ROW, LAST_PRINTED, HEADING)
    cell.font = Font(bold=True, size=12)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[HEADING_ROW].height = 20
    cell = xlsx.merge(ws, INTRO_ROW, 1, INTRO_ROW, LAST_PRINTED, manual.introduction)
    cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    xlsx.fit_row_height(ws, INTRO_ROW)

    for column, head in enumerate(HEADERS, start=1):
        cell = xlsx.write(ws, HEADER_ROW, column, head, bold=True, border=True, fill=xlsx.HEAD_FILL)
        cell.alignment = CENTER
    ws.row_dimensions[HEADER_ROW].height = 32

    # The machine columns: the manual's own fields at the top, a label, one header each.
    data = FIRST_DATA_COLUMN
    xlsx.write(ws, 1, data, DATA_LABEL, bold=True, wrap=False)
    manual_values = {
        "revisi": manual.revision,
        "tanggal_berlaku": manual.effective_date.isoformat(),
        "catatan_dokumen": manual.note,
    }
    for key, row in MANUAL_FIELDS.items():
        xlsx.write(ws, row, data, key, wrap=False)
        xlsx.write(ws, row, data + 1, manual_values[key], wrap=False)
    xlsx.write(ws, DATA_LABEL_ROW, data, DATA_LABEL, bold=True, wrap=False)
    for name, column in DATA_COLUMNS.items():
        xlsx.write(ws, HEADER_ROW, column, name, bold=True, fill=xlsx.HEAD_FILL, wrap=False)

    row = HEADER_ROW
    for block in doc["sections"]:
        section = block.section
        row += 1
        cell = xlsx.merge(
            ws, row, 1, row, LAST_PRINTED, section.title, bold=True, border=True, fill=GROUP_FILL
        )
        _data(
            ws,
            row,
            {
                "jenis_baris": ROW_SECTION,
                "bagian_urutan": section.order,
                "bagian_tingkat": section.level,
                "bagian_judul": section.title,
            },
        )
        for group in block.objectives:
            objective = group.objective
            first = row + 1
            if group.commitment:
                row += 1
                _commitment_row(ws, row)
            for item in group.indicators:
                row += 1
                _indicator_row(ws, row, item)
            xlsx.merge(ws, first, COL_NO, row, COL_NO, objective.number, border=True)
            ws.cell(row=first, column=COL_NO).alignment = CENTER
            xlsx.merge(ws, first, COL_OBJECTIVE, row, COL_OBJECTIVE, objective.text, border=True)
            for r in range(first, row + 1):
                xlsx.fit_row_height(ws, r, columns=range(COL_NAME, LAST_PRINTED + 1))
            span_lines = xlsx.text_lines(objective.text, WIDTHS[COL_OBJECTIVE - 1])
            rows_height = sum(ws.row_dimensions[r].height for r in range(first, row + 1))
            if span_lines * 15 > rows_height:
                ws.row_dimensions[row].height += span_lines * 15 - rows_height
    last_table_row = row

    row = _signature(ws, row + 2, doc["signatory"], 9, LAST_PRINTED, DATA_COLUMNS["jenis_baris"])

    for column in DATA_COLUMNS.values():
        letter = get_column_letter(column)
        ws.column_dimensions[letter].width = 16
        ws.column_dimensions[letter].hidden = True

    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    xlsx.print_setup(
        ws,
        area=f"A1:{get_column_letter(LAST_PRINTED)}{max(row, last_table_row)}",
        title_rows=f"{HEADER_ROW}:{HEADER_ROW}",
        footer=FOOTER,
        header={
            "left": xlsx.header_text(f"{TITLE} — {manual.title}"),
            "right": xlsx.header_text(
                f"{DOCUMENT_PREFIX} : {manual.document_number}   "
                f"{DATE_PREFIX} : {document_date(manual.effective_date)}"
            ),
        },
    )
    # The big title block is on the first page; the others get the short header.
    ws.HeaderFooter.differentFirst = True
    ws.firstFooter.center.text = FOOTER["center"]
    return book


def _manual_box(ws, manual, unit):
    """The header box of the document (rows 1-3), every cell bordered:

    | unit name | MANUAL MUTU  | Dokumen No      | L2/MM-02    |
    |           |              | Tanggal Berlaku | 1 Juli 2023 |
    |           | Sasaran Mutu | Revisi          | 0           |
    """
    box = dict(border=True)
    cell = xlsx.merge(ws, *UNIT_CELL, BOX_ROWS, 2, unit.name, bold=True, **box)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell = xlsx.merge(ws, *TITLE_CELL, 2, 6, TITLE, **box)
    cell.font = Font(bold=True, size=14)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    cell = xlsx.merge(ws, *SUBTITLE_CELL, BOX_ROWS, 6, manual.title, **box)
    cell.font = Font(size=12)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    lines = [
        (NUMBER_ROW, DOCUMENT_PREFIX, manual.document_number),
        (DATE_ROW, DATE_PREFIX, document_date(manual.effective_date)),
        (REVISION_ROW, REVISION_LABEL, manual.revision),
    ]
    value_alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    for row, label, value in lines:
        cell = xlsx.merge(ws, row, BOX_LABEL_COLUMN, row, BOX_VALUE_COLUMN - 1, label, **box)
        cell.alignment = Alignment(vertical="center")
        cell = xlsx.merge(ws, row, BOX_VALUE_COLUMN, row, LAST_PRINTED, value, **box)
        cell.alignment = value_alignment
        ws.row_dimensions[row].height = 22
    ws.cell(*REVISION_CELL).number_format = "0"


def _data(ws, row, values):
    for name, value in values.items():
        if isinstance(value, Decimal):
            value = number(value)
        xlsx.write(ws, row, DATA_COLUMNS[name], value, wrap=False)


def _commitment_row(ws, row):
    """An objective without an indicator: its number and text (written by the caller), a
    dash for the indicator and empty cells."""
    xlsx.write(ws, row, COL_NAME, NO_INDICATOR, border=True)
    for column in range(COL_METHOD, LAST_PRINTED + 1):
        xlsx.write(ws, row, column, None, border=True)
    _data(ws, row, {"jenis_baris": ROW_OBJECTIVE})


def _target_cells(ws, row, item):
    """The target cells of an indicator's row (`targets.document_cells`): a bare number as a
    number with its format, anything else as the text the PDF prints; a semester's cell
    merged over TW 1-2 or TW 3-4."""
    indicator = item.indicator
    for target in item.cells:
        column = TARGET_COLUMNS[target.column]
        if target.plain is not None:
            value, fmt = target.plain, number_format(indicator, target.plain)
            cell = _number_cell(ws, row, column, value, fmt)
        else:
            cell = xlsx.write(ws, row, column, target.text or None, border=True, wrap=False)
            cell.alignment = TARGET_TEXT
        if target.span > 1:
            xlsx.merge(ws, row, column, row, column + target.span - 1, cell.value, border=True)
            cell.alignment = SEMESTER_TARGET
            if target.plain is not None:
                cell.number_format = number_format(indicator, target.plain)
        _revision_comments(cell, indicator, target.revised)


def _indicator_row(ws, row, item):
    indicator = item.indicator
    texts = {
        COL_NAME: indicator.name,
        COL_METHOD: indicator.measurement_method,
        COL_FREQUENCY: frequency_text(indicator),
        COL_RESPONSIBLE: responsible_text(indicator),
    }
    for column, text in texts.items():
        xlsx.write(ws, row, column, text, border=True)
    _target_cells(ws, row, item)
    cell = xlsx.write(ws, row, COL_UNIT, unit_of_measure(indicator), border=True)
    cell.alignment = CENTER

    values = {
        "jenis_baris": ROW_INDICATOR,
        "indikator_urutan": indicator.order,
        "frekuensi": indicator.frequency,
        "jenis": indicator.kind,
        "polaritas": indicator.polarity,
        "penggabungan": indicator.aggregation,
        "kumulatif": YES if indicator.cumulative else NO,
        "pembilang": indicator.numerator_label,
        "penyebut": indicator.denominator_label,
        "nilai_maksimum": indicator.max_value,
        "catatan": indicator.note,
        "frekuensi_teks": indicator.frequency_text,
        "jabatan_penanggung_jawab": indicator.responsible_position.name,
        "penanggung_jawab_teks": indicator.responsible_text,
        "satuan": indicator.unit_of_measure,
        "target": item.machine_text,
    }
    _data(ws, row, values)


# --------------------------------------------------------------------------- quarterly report

QUARTERLY_HEADERS = [
    "No",
    "INDIKATOR KINERJA",
    "PERIODE",
    "TARGET",
    "REALISASI",
    "CAPAIAN",
    "KATEGORI CAPAIAN / PITA",
    "HASIL",
    "STATUS",
    "KETERANGAN",
    "ANALISIS PENYEBAB",
    "TINDAK LANJUT",
]
QUARTERLY_WIDTHS = [5, 40, 10, 14, 14, 11, 18, 15, 16, 28, 28, 28]
QUARTERLY_SUMMARY_ROW = 5


def outcome(cell):
    """What the cell counts as (`dashboard.count_of`): Tercapai, Tidak tercapai, Draf, ..."""
    with translation.override("id"):
        return str(cell.get_count_display())


def category_text(cell):
    parts = []
    if cell.result.band is not None:
        band = cell.result.band
        parts.append(f"Nilai {band.nilai} ({band.mutu}, {band.kinerja})")
    if cell.result.category is not None:
        parts.append(cell.result.category.label)
    return "; ".join(parts)


def status_text(cell):
    status = cell.get_status_display()
    text = str(status) if status else "Belum diisi"
    if cell.days_late:
        text += f" (terlambat {cell.days_late:,} hari)".replace(",", ".")
    elif cell.overdue:
        text += " (terlambat)"
    return text


def _entry_text(cell, field):
    texts = [getattr(e, field).strip() for e in cell.entries if e and getattr(e, field).strip()]
    return "\n".join(texts)


def quarterly_workbook(report):
    """The laporan capaian triwulan (`reports.quarterly_report(..., charts=False)`)."""
    book = Workbook()
    ws = book.active
    ws.title = f"TW {report['quarter']} {report['year']}"
    xlsx.set_widths(ws, QUARTERLY_WIDTHS)
    last = len(QUARTERLY_HEADERS)
    manual = report["manual"]
    _title_block(
        ws,
        [
            (
                f"LAPORAN CAPAIAN SASARAN MUTU TRIWULAN {report['quarter']} TAHUN {report['year']}",
                14,
            ),
            (report["unit"].name, 12),
            (f"{DOCUMENT_PREFIX} : {manual.document_number}", 11),
        ],
        last,
    )

    summary = report["summary"]
    row = QUARTERLY_SUMMARY_ROW
    xlsx.write(ws, row, 2, "Ringkasan", bold=True, wrap=False)
    # Each count with what it means (the legend of the dashboard, `dashboard.count_of`).
    for label, value, meaning in [
        ("Tercapai", summary.met, "hanya realisasi yang sudah diajukan atau disetujui"),
        ("Tidak tercapai", summary.missed, "hanya realisasi yang sudah diajukan atau disetujui"),
        ("Draf", summary.draft, "sudah diisi tetapi belum diajukan (draf atau dikembalikan)"),
        ("Belum ada data", summary.missing, "periode sudah berakhir tetapi realisasi belum diisi"),
        (
            "Tidak berlaku",
            summary.not_applicable,
            "tanpa target, target 0, atau periode belum berakhir",
        ),
        (
            "Terlambat",
            summary.late,
            "lewat batas waktu dan belum diajukan, atau diajukan setelah batas waktu",
        ),
    ]:
        row += 1
        xlsx.write(ws, row, 2, label, border=True, wrap=False)
        cell = xlsx.write(ws, row, 3, value, border=True, wrap=False)
        cell.number_format = "0"
        xlsx.write(ws, row, 4, meaning, wrap=False)

    header_row = row + 2
    for column, head in enumerate(QUARTERLY_HEADERS, start=1):
        cell = xlsx.write(ws, header_row, column, head, bold=True, border=True, fill=xlsx.HEAD_FILL)
        cell.alignment = CENTER
    ws.row_dimensions[header_row].height = 30

    row = header_row
    for section, cells in report["sections"].items():
        row += 1
        xlsx.merge(ws, row, 1, row, last, section.title, bold=True, border=True, fill=GROUP_FILL)
        previous = None
        for c in cells:
            row += 1
            indicator = c.indicator
            objective = indicator.objective
            number_cell = xlsx.write(
                ws, row, 1, objective.number if objective != previous else None, border=True
            )
            number_cell.alignment = CENTER
            previous = objective
            xlsx.write(ws, row, 2, indicator.name, border=True)
            xlsx.write(ws, row, 3, str(c.period_label), border=True)
            target, realised = c.result.target, c.result.realised
            cell = _number_cell(ws, row, 4, target, number_format(indicator, target))
            _revision_comment(cell, indicator, c.result.revision)
            realised_format = (
                PERCENT_FORMAT
                if indicator.kind in (Indicator.Kind.PERCENTAGE, Indicator.Kind.INDEX)
                else number_format(indicator, realised)
            )
            _number_cell(ws, row, 5, realised, realised_format)
            achievement = c.result.achievement
            _number_cell(ws, row, 6, _fraction(achievement), CAPAIAN_FORMAT)
            xlsx.write(ws, row, 7, category_text(c), border=True)
            xlsx.write(ws, row, 8, outcome(c), border=True)
            xlsx.write(ws, row, 9, status_text(c), border=True)
            notes = [_entry_text(c, "note")]
            if c.result.revision:
                notes.insert(0, revision_note(indicator, c.result.revision))
            xlsx.write(ws, row, 10, "\n".join(n for n in notes if n), border=True)
            xlsx.write(ws, row, 11, _entry_text(c, "cause_analysis"), border=True)
            xlsx.write(ws, row, 12, _entry_text(c, "follow_up"), border=True)
            xlsx.fit_row_height(ws, row)
    last_row = _signature(ws, row + 2, report["signatory"], 10, last)

    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    xlsx.print_setup(
        ws,
        area=f"A1:{get_column_letter(last)}{max(row, last_row)}",
        title_rows=f"{header_row}:{header_row}",
        footer=FOOTER,
    )
    return book


# --------------------------------------------------------------------------- comparison

COMPARISON_HEADERS = [
    "PERINGKAT",
    "UNIT",
    "TERCAPAI",
    "TIDAK TERCAPAI",
    "DRAF",
    "BELUM ADA DATA",
    "% TERCAPAI",
    "DIAJUKAN",
    "WAJIB DILAPORKAN",
    "RATA-RATA CAPAIAN",
]
INDICATOR_HEADERS = ["TARGET", "REALISASI", "CAPAIAN"]


def comparison_workbook(report):
    """A parent unit's units for a quarter (`reports.comparison_report`), best first."""
    book = Workbook()
    ws = book.active
    ws.title = f"Perbandingan TW {report['quarter']}"
    single = bool(report["name"])
    headers = COMPARISON_HEADERS + (INDICATOR_HEADERS if single else [])
    last = len(headers)
    xlsx.set_widths(ws, [11, 40, 11, 11, 11, 11, 12, 11, 11, 13] + ([16, 16, 12] if single else []))
    lines = [
        (
            f"PERBANDINGAN CAPAIAN SASARAN MUTU TRIWULAN {report['quarter']} "
            f"TAHUN {report['year']}",
            14,
        ),
        (report["unit"].name, 12),
    ]
    if single:
        lines.append((f"Indikator: {report['name']}", 11))
    _title_block(ws, lines, last)

    header_row = len(lines) + 2
    for column, head in enumerate(headers, start=1):
        cell = xlsx.write(ws, header_row, column, head, bold=True, border=True, fill=xlsx.HEAD_FILL)
        cell.alignment = CENTER
    ws.row_dimensions[header_row].height = 30

    row = header_row
    for item in report["rows"]:
        row += 1
        summary = item["summary"]
        _number_cell(ws, row, 1, item["rank"], "0")
        xlsx.write(ws, row, 2, item["unit"].name, border=True)
        for column, value in (
            (3, summary.met),
            (4, summary.missed),
            (5, summary.draft),
            (6, summary.missing),
        ):
            _number_cell(ws, row, column, value, "0")
        share = item["met_share"]
        mean = item["mean_achievement"]
        _number_cell(ws, row, 7, _fraction(share), CAPAIAN_FORMAT)
        # % tercapai is over the submitted figures only: how many of those due they are.
        _number_cell(ws, row, 8, summary.counted, "0")
        _number_cell(ws, row, 9, summary.expected, "0")
        _number_cell(ws, row, 10, _fraction(mean), CAPAIAN_FORMAT)
        if single:
            c = item["cell"]
            result = c.result if c else None
            indicator = c.indicator if c else None
            target = result.target if result else None
            realised = result.realised if result else None
            first = len(COMPARISON_HEADERS) + 1  # TARGET, REALISASI, CAPAIAN
            _number_cell(
                ws,
                row,
                first,
                target,
                number_format(indicator, target) if indicator else WHOLE_FORMAT,
            )
            _number_cell(
                ws,
                row,
                first + 1,
                realised,
                number_format(indicator, realised) if indicator else WHOLE_FORMAT,
            )
            achievement = result.achievement if result else None
            _number_cell(ws, row, first + 2, _fraction(achievement), CAPAIAN_FORMAT)
        xlsx.fit_row_height(ws, row)

    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    xlsx.print_setup(
        ws,
        area=f"A1:{get_column_letter(last)}{row}",
        title_rows=f"{header_row}:{header_row}",
        footer=FOOTER,
    )
    return book


def manual_xlsx(doc):
    return xlsx.workbook_bytes(manual_workbook(doc))


def quarterly_xlsx(report):
    return xlsx.workbook_bytes(quarterly_workbook(report))


def comparison_xlsx(report):
    return xlsx.workbook_bytes(comparison_workbook(report))
