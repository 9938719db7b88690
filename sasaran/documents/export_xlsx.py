"""The official documents as Excel workbooks (openpyxl).

- `manual_xlsx(doc)`: the Sasaran Mutu document (L2/MM-02) as the office prints it, with
  hidden machine columns to the right of the printed area so that `import_xlsx` can read it
  back without losing anything. Targets are written as `sasaran.targets` writes them (a
  bare number as a number, "≥ 80", "Jan 5; Feb 6; Mar 5" as text; semester targets in
  merged TW 1-2 / TW 3-4 cells); the hidden column "target" keeps every target exactly.
  Written streamed, a row at a time (`xlsx.SheetWriter`): a manual of thousands of
  indicators costs flat memory and time in proportion. `manual_workbook(doc)` is the same
  file read back as an openpyxl workbook, for tests and scripts that change it.
- `quarterly_xlsx(report)`: the laporan capaian triwulan of a unit, written the same way
  (`quarterly_workbook(report)` read back).
- `comparison_workbook(report)`: a parent unit's units side by side for a quarter.

Numbers are stored as numbers (a whole Decimal as an int, else a float) with Excel number
formats, so Excel shows them in the reader's locale (an Indonesian Excel prints
18.605.000.000.000). Text is always written through `sasaran.xlsx.write` or
`xlsx.SheetWriter.cell`, so nothing a user typed can become a formula.
"""

from decimal import Decimal
from io import BytesIO

from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from sasaran import targets as written
from sasaran import xlsx
from sasaran.models import Indicator, choice_label
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
    # (not `get_frequency_display()`, which translates every choice on each call: a tenth
    # of the time of a manual of thousands of indicators)
    if indicator.frequency_text:
        return indicator.frequency_text
    return choice_label(Indicator.Frequency, indicator.frequency)


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


# --------------------------------------------------------------------------- the manual
#
# The manual is written streamed (`xlsx.SheetWriter`, openpyxl's write-only mode): a row at
# a time, top to bottom, each cell once in one of the styles below, made once here. Memory
# stays flat and the time linear however many indicators the manual has.

BOLD = Font(bold=True)
TEXT_CELL = xlsx.Style(border=xlsx.BORDER, alignment=xlsx.WRAP)  # a cell of the table
CENTER_CELL = xlsx.Style(border=xlsx.BORDER, alignment=CENTER)
HEADER_CELL = xlsx.Style(font=BOLD, border=xlsx.BORDER, fill=xlsx.HEAD_FILL, alignment=CENTER)
SECTION_CELL = xlsx.Style(font=BOLD, border=xlsx.BORDER, fill=GROUP_FILL, alignment=xlsx.WRAP)
TARGET_TEXT_CELL = xlsx.Style(border=xlsx.BORDER, alignment=TARGET_TEXT)
NUMBER_ALIGNMENT = Alignment(horizontal="right", vertical="top")
NUMBER_FORMATS = (PERCENT_FORMAT, MONEY_FORMAT, WHOLE_FORMAT, DECIMAL_FORMAT, CAPAIAN_FORMAT, "0")
# A number in a bordered cell, by its format (`_number_cell`); a semester's number, centered.
NUMBER_CELLS = {
    fmt: xlsx.Style(border=xlsx.BORDER, alignment=NUMBER_ALIGNMENT, number_format=fmt)
    for fmt in NUMBER_FORMATS
}
SEMESTER_CELLS = {
    fmt: xlsx.Style(border=xlsx.BORDER, alignment=SEMESTER_TARGET, number_format=fmt)
    for fmt in (None, *NUMBER_FORMATS)
}
# The header box, the heading and the introduction.
UNIT_BOX = xlsx.Style(
    font=BOLD,
    border=xlsx.BORDER,
    alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
)
TITLE_BOX = xlsx.Style(
    font=Font(bold=True, size=14),
    border=xlsx.BORDER,
    alignment=Alignment(horizontal="center", vertical="center"),
)
SUBTITLE_BOX = xlsx.Style(
    font=Font(size=12),
    border=xlsx.BORDER,
    alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
)
LABEL_BOX = xlsx.Style(border=xlsx.BORDER, alignment=Alignment(vertical="center"))
VALUE_ALIGNMENT = Alignment(horizontal="left", vertical="center", wrap_text=True)
VALUE_BOX = xlsx.Style(border=xlsx.BORDER, alignment=VALUE_ALIGNMENT)
REVISION_BOX = xlsx.Style(border=xlsx.BORDER, alignment=VALUE_ALIGNMENT, number_format="0")
HEADING_STYLE = xlsx.Style(
    font=Font(bold=True, size=12), alignment=Alignment(horizontal="center", vertical="center")
)
INTRO_STYLE = xlsx.Style(alignment=Alignment(horizontal="left", vertical="top", wrap_text=True))
# The machine columns' labels.
DATA_LABEL_STYLE = xlsx.Style(font=BOLD)
DATA_HEADER = xlsx.Style(font=BOLD, fill=xlsx.HEAD_FILL)
# The signature block.
SIGNATURE_ALIGNMENT = Alignment(horizontal="center", vertical="top", wrap_text=True)
SIGNATURE_LINE = xlsx.Style(alignment=SIGNATURE_ALIGNMENT)
SIGNATURE_NAME = xlsx.Style(font=Font(bold=True, underline="single"), alignment=SIGNATURE_ALIGNMENT)


def manual_xlsx(doc):
    """The .xlsx file of the Sasaran Mutu document of `doc` (from
    `manual.manual_document`), written in Indonesian whatever the active language."""
    with translation.override("id"):
        return xlsx.workbook_bytes(_manual_workbook(doc))


def manual_workbook(doc):
    """The document of `manual_xlsx` as an openpyxl workbook to read or change (tests,
    scripts): read back from the file, as a user's Excel opens it. A streamed workbook
    cannot be changed once written."""
    return load_workbook(BytesIO(manual_xlsx(doc)))


def _manual_workbook(doc):
    manual = doc["manual"]
    book = Workbook(write_only=True)
    data_columns = list(DATA_COLUMNS.values())
    sheet = xlsx.SheetWriter(
        book, SHEET_TITLE, WIDTHS + [16] * len(data_columns), hidden=data_columns
    )
    ws = sheet.ws
    # What openpyxl writes before the rows: the frozen panes and the print set-up (fit to
    # page); the print area once the last row is known.
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    xlsx.print_setup(
        ws,
        area=None,
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

    for row, (cells, height) in enumerate(_manual_top(sheet, manual, doc["unit"]), start=1):
        sheet.row(row, cells, height)

    row = HEADER_ROW
    for block in doc["sections"]:
        row += 1
        _section_row(sheet, row, block.section)
        for group in block.objectives:
            row = _objective_rows(sheet, row + 1, group)
    last_table_row = row

    row = _signature_rows(
        sheet, row + 2, doc["signatory"], 9, LAST_PRINTED, DATA_COLUMNS["jenis_baris"]
    )
    ws.print_area = f"A1:{get_column_letter(LAST_PRINTED)}{max(row, last_table_row)}"
    return book


def _manual_top(sheet, manual, unit):
    """Rows 1 to HEADER_ROW as (cells, height) pairs: the header box, the heading, the
    introduction, the table's headers, and the manual's own machine fields."""
    rows = {row: {} for row in range(1, HEADER_ROW + 1)}
    heights = {row: None for row in rows}

    def merged(span, value, style):
        for row in range(span[0], span[2] + 1):
            rows[row].update(sheet.merged_cells(span, row, value, style))

    _manual_box(merged, heights, manual, unit)
    merged((HEADING_ROW, 1, HEADING_ROW, LAST_PRINTED), HEADING, HEADING_STYLE)
    heights[HEADING_ROW] = 20
    merged((INTRO_ROW, 1, INTRO_ROW, LAST_PRINTED), manual.introduction, INTRO_STYLE)
    heights[INTRO_ROW] = sheet.fitted_height({1: rows[INTRO_ROW][1]}, spans={1: LAST_PRINTED})
    for column, head in enumerate(HEADERS, start=1):
        rows[HEADER_ROW][column] = sheet.cell(head, HEADER_CELL)
    heights[HEADER_ROW] = 32

    # The machine columns: the manual's own fields at the top, a label, one header each.
    data = FIRST_DATA_COLUMN
    rows[1][data] = sheet.cell(DATA_LABEL, DATA_LABEL_STYLE)
    manual_values = {
        "revisi": manual.revision,
        "tanggal_berlaku": manual.effective_date.isoformat(),
        "catatan_dokumen": manual.note,
    }
    for key, row in MANUAL_FIELDS.items():
        rows[row][data] = sheet.plain(key)
        rows[row][data + 1] = sheet.plain(manual_values[key])
    rows[DATA_LABEL_ROW][data] = sheet.cell(DATA_LABEL, DATA_LABEL_STYLE)
    for name, column in DATA_COLUMNS.items():
        rows[HEADER_ROW][column] = sheet.cell(name, DATA_HEADER)
    return [(rows[row], heights[row]) for row in rows]


def _manual_box(merged, heights, manual, unit):
    """The header box of the document (rows 1-3), every cell bordered:

    | unit name | MANUAL MUTU  | Dokumen No      | L2/MM-02    |
    |           |              | Tanggal Berlaku | 1 Juli 2023 |
    |           | Sasaran Mutu | Revisi          | 0           |
    """
    merged((*UNIT_CELL, BOX_ROWS, 2), unit.name, UNIT_BOX)
    merged((*TITLE_CELL, 2, 6), TITLE, TITLE_BOX)
    merged((*SUBTITLE_CELL, BOX_ROWS, 6), manual.title, SUBTITLE_BOX)
    lines = [
        (NUMBER_ROW, DOCUMENT_PREFIX, manual.document_number, VALUE_BOX),
        (DATE_ROW, DATE_PREFIX, document_date(manual.effective_date), VALUE_BOX),
        (REVISION_ROW, REVISION_LABEL, manual.revision, REVISION_BOX),
    ]
    for row, label, value, style in lines:
        merged((row, BOX_LABEL_COLUMN, row, BOX_VALUE_COLUMN - 1), label, LABEL_BOX)
        merged((row, BOX_VALUE_COLUMN, row, LAST_PRINTED), value, style)
        heights[row] = 22


def _data_cells(sheet, values):
    """The hidden machine cells of a row ({column: cell}) from {field name: value}."""
    cells = {}
    for name, value in values.items():
        if isinstance(value, Decimal):
            value = number(value)
        cells[DATA_COLUMNS[name]] = sheet.plain(value)
    return cells


def _section_row(sheet, row, section):
    span = (row, 1, row, LAST_PRINTED)
    cells = sheet.merged_cells(span, row, section.title, SECTION_CELL)
    values = {
        "jenis_baris": ROW_SECTION,
        "bagian_urutan": section.order,
        "bagian_tingkat": section.level,
        "bagian_judul": section.title,
    }
    cells.update(_data_cells(sheet, values))
    sheet.row(row, cells)


def _objective_rows(sheet, first, group):
    """The rows of an objective from row `first`: its number and text merged down its rows
    beside its indicators (or the dash of a commitment). Returns the last row written.

    Each row's height fits its text (`xlsx.fit_row_height`); the last row also grows when
    the objective's text needs more than all its rows together."""
    objective = group.objective
    last = first + max(len(group.indicators), 1) - 1
    number_span = (first, COL_NO, last, COL_NO)
    text_span = (first, COL_OBJECTIVE, last, COL_OBJECTIVE)
    objective_lines = xlsx.text_lines(objective.text, WIDTHS[COL_OBJECTIVE - 1])
    items = group.indicators or [None]
    total = 0
    for row, item in enumerate(items, start=first):
        if item is None:
            cells, spans = _commitment_cells(sheet), {}
        else:
            cells, spans = _indicator_cells(sheet, row, item)
        printed = {c: cell for c, cell in cells.items() if COL_NAME <= c <= LAST_PRINTED}
        height = sheet.fitted_height(printed, spans)
        total += height
        if row == last and objective_lines * 15 > total:
            height += objective_lines * 15 - total
        cells.update(sheet.merged_cells(number_span, row, objective.number, CENTER_CELL))
        cells.update(sheet.merged_cells(text_span, row, objective.text, TEXT_CELL))
        sheet.row(row, cells, height)
    return last


def _commitment_cells(sheet):
    """An objective without an indicator: a dash for the indicator and empty cells (its
    number and text are the objective's)."""
    cells = {COL_NAME: sheet.cell(NO_INDICATOR, TEXT_CELL)}
    for column in range(COL_METHOD, LAST_PRINTED + 1):
        cells[column] = sheet.cell(None, TEXT_CELL)
    cells.update(_data_cells(sheet, {"jenis_baris": ROW_OBJECTIVE}))
    return cells


def _target_cells(sheet, row, item):
    """The target cells of an indicator's row (`targets.document_cells`) and the ranges
    merged in the row ({first column: last column}): a bare number as a number with its
    format, anything else as the text the PDF prints; a semester's cell merged over TW 1-2
    or TW 3-4, its content centered."""
    indicator = item.indicator
    cells, spans = {}, {}
    for target in item.cells:
        column = TARGET_COLUMNS[target.column]
        if target.plain is not None:
            value = number(target.plain)
            fmt = number_format(indicator, target.plain)
        else:
            value, fmt = target.text or None, None
        if target.span > 1:
            style = SEMESTER_CELLS[fmt]
        else:
            style = NUMBER_CELLS[fmt] if fmt else TARGET_TEXT_CELL
        last = column + target.span - 1
        if last > column:
            row_cells = sheet.merged_cells((row, column, row, last), row, value, style)
            spans[column] = last
        else:
            row_cells = {column: sheet.cell(value, style)}
        _revision_comments(row_cells[column], indicator, target.revised)
        cells.update(row_cells)
    return cells, spans


def _indicator_cells(sheet, row, item):
    indicator = item.indicator
    texts = {
        COL_NAME: indicator.name,
        COL_METHOD: indicator.measurement_method,
        COL_FREQUENCY: frequency_text(indicator),
        COL_RESPONSIBLE: responsible_text(indicator),
    }
    cells = {column: sheet.cell(text, TEXT_CELL) for column, text in texts.items()}
    targets, spans = _target_cells(sheet, row, item)
    cells.update(targets)
    cells[COL_UNIT] = sheet.cell(unit_of_measure(indicator), CENTER_CELL)
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
    cells.update(_data_cells(sheet, values))
    return cells, spans


def _signature_rows(sheet, row, signatory, first_column, last_column, marker_column=None):
    """The signature block from `row`, written: place and date, position, room to sign,
    name, NIP, each merged over `first_column` to `last_column`; the machine marker TTD in
    `marker_column`. Returns the last row used."""
    if signatory is None:
        return row - 1
    lines = [(signature_place_date(signatory), False)] if signatory.date else []
    lines += [(signatory.position, False), ("", False), ("", False), ("", False)]
    lines.append((signatory.name, True))
    lines.append((f"NIP. {signatory.nip}" if signatory.nip else "", False))
    for offset, (text, bold) in enumerate(lines):
        span = (row + offset, first_column, row + offset, last_column)
        style = SIGNATURE_NAME if bold else SIGNATURE_LINE
        cells = sheet.merged_cells(span, row + offset, text, style)
        if marker_column and offset == 0:
            cells[marker_column] = sheet.plain(ROW_SIGNATURE)
        sheet.row(row + offset, cells)
    return row + len(lines) - 1


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


def quarterly_xlsx(report):
    """The .xlsx file of the laporan capaian triwulan (`reports.quarterly_report(...,
    charts=False)`), written streamed as the manual is."""
    return xlsx.workbook_bytes(_quarterly_workbook(report))


def quarterly_workbook(report):
    """The file of `quarterly_xlsx` read back as an openpyxl workbook (tests, scripts)."""
    return load_workbook(BytesIO(quarterly_xlsx(report)))


# The quarterly report's own styles (`xlsx.Style`): its title lines, its summary.
TITLE_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_LINES = {
    size: xlsx.Style(font=Font(bold=size > 11, size=size), alignment=TITLE_ALIGNMENT)
    for size in (14, 12, 11)
}
SUMMARY_LABEL = xlsx.Style(border=xlsx.BORDER)
SUMMARY_COUNT = xlsx.Style(border=xlsx.BORDER, number_format="0")


def _quarterly_workbook(report):
    book = Workbook(write_only=True)
    sheet = xlsx.SheetWriter(book, f"TW {report['quarter']} {report['year']}", QUARTERLY_WIDTHS)
    last = len(QUARTERLY_HEADERS)
    manual = report["manual"]
    summary = report["summary"]
    # Each count with what it means (the legend of the dashboard, `dashboard.count_of`).
    counts = [
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
    ]
    header_row = QUARTERLY_SUMMARY_ROW + len(counts) + 2
    # What openpyxl writes before the rows; the print area once the last row is known.
    sheet.ws.freeze_panes = f"A{header_row + 1}"
    xlsx.print_setup(sheet.ws, area=None, title_rows=f"{header_row}:{header_row}", footer=FOOTER)

    titles = [
        (f"LAPORAN CAPAIAN SASARAN MUTU TRIWULAN {report['quarter']} TAHUN {report['year']}", 14),
        (report["unit"].name, 12),
        (f"{DOCUMENT_PREFIX} : {manual.document_number}", 11),
    ]
    for row, (text, size) in enumerate(titles, start=1):
        sheet.row(row, sheet.merged_cells((row, 1, row, last), row, text, TITLE_LINES[size]))

    row = QUARTERLY_SUMMARY_ROW
    sheet.row(row, {2: sheet.cell("Ringkasan", DATA_LABEL_STYLE)})
    for label, value, meaning in counts:
        row += 1
        cells = {
            2: sheet.cell(label, SUMMARY_LABEL),
            3: sheet.cell(value, SUMMARY_COUNT),
            4: sheet.plain(meaning),
        }
        sheet.row(row, cells)

    headers = {c: sheet.cell(head, HEADER_CELL) for c, head in enumerate(QUARTERLY_HEADERS, 1)}
    sheet.row(header_row, headers, 30)

    row = header_row
    for section, cells in report["sections"].items():
        row += 1
        span = (row, 1, row, last)
        sheet.row(row, sheet.merged_cells(span, row, section.title, SECTION_CELL))
        previous = None
        for c in cells:
            row += 1
            objective = c.indicator.objective
            row_cells = _quarterly_cells(sheet, c, objective if objective != previous else None)
            previous = objective
            sheet.row(row, row_cells, sheet.fitted_height(row_cells))
    last_row = _signature_rows(sheet, row + 2, report["signatory"], 10, last)
    sheet.ws.print_area = f"A1:{get_column_letter(last)}{max(row, last_row)}"
    return book


def _quarterly_cells(sheet, c, objective):
    """The cells of an indicator's row of the quarterly report; `objective` None when the
    row above has the same objective (its number is written once)."""
    indicator = c.indicator
    target, realised = c.result.target, c.result.realised
    target_cell = sheet.cell(number(target), NUMBER_CELLS[number_format(indicator, target)])
    _revision_comment(target_cell, indicator, c.result.revision)
    realised_format = (
        PERCENT_FORMAT
        if indicator.kind in (Indicator.Kind.PERCENTAGE, Indicator.Kind.INDEX)
        else number_format(indicator, realised)
    )
    notes = [_entry_text(c, "note")]
    if c.result.revision:
        notes.insert(0, revision_note(indicator, c.result.revision))
    return {
        1: sheet.cell(objective.number if objective else None, CENTER_CELL),
        2: sheet.cell(indicator.name, TEXT_CELL),
        3: sheet.cell(str(c.period_label), TEXT_CELL),
        4: target_cell,
        5: sheet.cell(number(realised), NUMBER_CELLS[realised_format]),
        6: sheet.cell(_fraction(c.result.achievement), NUMBER_CELLS[CAPAIAN_FORMAT]),
        7: sheet.cell(category_text(c), TEXT_CELL),
        8: sheet.cell(outcome(c), TEXT_CELL),
        9: sheet.cell(status_text(c), TEXT_CELL),
        10: sheet.cell("\n".join(n for n in notes if n), TEXT_CELL),
        11: sheet.cell(_entry_text(c, "cause_analysis"), TEXT_CELL),
        12: sheet.cell(_entry_text(c, "follow_up"), TEXT_CELL),
    }


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


def comparison_xlsx(report):
    return xlsx.workbook_bytes(comparison_workbook(report))
