"""Writing Excel workbooks with openpyxl without letting text become a formula.

openpyxl stores a string that starts with "=" as a live formula, and Excel treats leading
"+", "-", "@", a tab or a carriage return the same way on import. Text from users is always
stored as a string cell here, verbatim (so "- Komputer" stays "- Komputer").
"""

from io import BytesIO

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E9ECEF")
WRAP = Alignment(wrap_text=True, vertical="top")
# A date cell stays a date and reads as the documents print one, 27 Juni 2023, in any
# Excel or LibreOffice (421: the Indonesian locale, for the month's name).
DATE_FORMAT = "[$-421]d mmmm yyyy"


def write(ws, row, column, value, *, bold=False, border=False, fill=None, wrap=True):
    """Put `value` in a cell; a string is always a string, never a formula."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    if border:
        cell.border = BORDER
    if fill:
        cell.fill = fill
    if wrap:
        cell.alignment = WRAP
    return cell


def set_widths(ws, widths):
    """Column widths in characters, from column A on."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def workbook_bytes(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- layout helpers


def merge(ws, first_row, first_column, last_row, last_column, value=None, **style):
    """Write `value` (safely, as `write` does) in the top-left cell and merge the range.

    With `border=True` every cell of the range gets the border, so the merged block is
    boxed in every viewer.
    """
    cell = write(ws, first_row, first_column, value, **style)
    if style.get("border"):
        for row in range(first_row, last_row + 1):
            for column in range(first_column, last_column + 1):
                ws.cell(row=row, column=column).border = BORDER
    if (first_row, first_column) != (last_row, last_column):
        ws.merge_cells(
            start_row=first_row,
            start_column=first_column,
            end_row=last_row,
            end_column=last_column,
        )
        index = _merged_index(ws)
        span = (first_row, first_column, last_row, last_column)
        for row in range(first_row, last_row + 1):
            index["rows"].setdefault(row, []).append(span)
        index["count"] += 1
    return cell


def _merged_index(ws):
    """The merged ranges of `ws` by row, kept up to date by `merge`, so that fitting each of
    N rows does not scan all N rows' merges again (which made big workbooks quadratic).
    Rebuilt from the sheet when a merge was made some other way (the counts differ)."""
    index = getattr(ws, "_sasaran_merged_by_row", None)
    if index is None or index["count"] != len(ws.merged_cells.ranges):
        index = {"count": 0, "rows": {}}
        for merged in ws.merged_cells.ranges:
            span = (merged.min_row, merged.min_col, merged.max_row, merged.max_col)
            for row in range(merged.min_row, merged.max_row + 1):
                index["rows"].setdefault(row, []).append(span)
            index["count"] += 1
        ws._sasaran_merged_by_row = index
    return index


def text_lines(value, width):
    """How many lines `value` takes in a wrapped cell `width` characters wide (an estimate)."""
    if value is None or value == "":
        return 1
    usable = max(int(width * 1.1) - 1, 1)  # a column width holds slightly more narrow letters
    lines = 0
    for part in str(value).split("\n"):
        lines += max(1, -(-len(part) // usable))
    return lines


def fit_row_height(ws, row, columns=None, *, line_height=15, min_lines=1, max_lines=60):
    """Set a row's height from the wrapped text of its cells.

    Excel does not grow rows holding merged or wrapped cells on its own, so the height is
    estimated from the text length and the column widths. Merged cells spanning several
    columns count with the width of the whole span; cells merged over several rows are left
    out (their text has the span's rows).
    """
    spans = {}
    for min_row, min_col, max_row, max_col in _merged_index(ws)["rows"].get(row, ()):
        if min_row == row and max_row == row:
            spans[min_col] = max_col
        else:
            for column in range(min_col, max_col + 1):
                spans[column] = None
    lines = min_lines
    # `ws[row]` would first find the sheet's last column by scanning every cell: with the
    # columns named, only those cells are read.
    cells = ws[row] if columns is None else [ws.cell(row=row, column=c) for c in columns]
    for cell in cells:
        column = cell.column
        if columns is not None and column not in columns:
            continue
        if column in spans and spans[column] is None:
            continue
        last = spans.get(column, column)
        width = sum(
            ws.column_dimensions[get_column_letter(c)].width or 8.43
            for c in range(column, last + 1)
        )
        lines = max(lines, text_lines(cell.value, width))
    ws.row_dimensions[row].height = min(lines, max_lines) * line_height
    return ws.row_dimensions[row].height


def print_setup(ws, *, area, title_rows=None, landscape=True, footer=None, header=None):
    """A4 print set-up fitted to the page width, with repeated title rows.

    `area` is a range such as "A1:L40"; `title_rows` such as "8:8". `footer` and `header`
    are dicts of left/center/right texts in Excel's header codes (&P page, &N pages).
    """
    ws.print_area = area
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    for part, texts in (("oddFooter", footer), ("oddHeader", header)):
        for position, text in (texts or {}).items():
            getattr(getattr(ws, part), position).text = text


def header_text(value):
    """Text for a print header/footer: a literal "&" must be doubled there."""
    return str(value).replace("&", "&&")
