"""Writing Excel workbooks with openpyxl without letting text become a formula.

openpyxl stores a string that starts with "=" as a live formula, and Excel treats leading
"+", "-", "@", a tab or a carriage return the same way on import. Text from users is always
stored as a string cell here, verbatim (so "- Komputer" stays "- Komputer").
"""

from copy import copy
from io import BytesIO

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.borders import DEFAULT_BORDER
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

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
    text = str(value)
    if len(text) <= usable and "\n" not in text:
        return 1  # most cells: one short line
    lines = 0
    for part in text.split("\n"):
        lines += max(1, -(-len(part) // usable))
    return lines


def lines_height(lines, *, line_height=15, max_lines=60):
    """The height of a row of `lines` lines of text (at most `max_lines`)."""
    return min(lines, max_lines) * line_height


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
    ws.row_dimensions[row].height = lines_height(
        lines, line_height=line_height, max_lines=max_lines
    )
    return ws.row_dimensions[row].height


def print_setup(ws, *, area, title_rows=None, landscape=True, footer=None, header=None):
    """A4 print set-up fitted to the page width, with repeated title rows.

    `area` is a range such as "A1:L40" (a streamed sheet sets it once its last row is known:
    `area=None`); `title_rows` such as "8:8". `footer` and `header`
    are dicts of left/center/right texts in Excel's header codes (&P page, &N pages).
    """
    if area:
        ws.print_area = area
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
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


# --------------------------------------------------------------------------- streamed sheets
#
# A big workbook is written with openpyxl's write-only mode (`Workbook(write_only=True)`):
# each row goes to the file as soon as it is complete, so memory stays flat whatever the
# number of rows. Rows must come top to bottom, each cell once, and what openpyxl writes
# before the rows (column widths, hidden columns, frozen panes, fit to page) must be set
# before the first one. `SheetWriter` does that bookkeeping; the cells look exactly as
# `write`, `merge` and `fit_row_height` make them on an ordinary sheet.


class Style:
    """How a cell looks: font, border, fill, alignment, number format. Made once (at module
    level) and shared by every cell that looks so: `SheetWriter` turns a Style into
    openpyxl's style ids once per workbook. Setting openpyxl's font, border, ... on each
    cell instead hashes the whole style object every time, most of a big export's time."""

    def __init__(self, *, font=None, border=None, fill=None, alignment=None, number_format=None):
        self.font = font
        self.border = border
        self.fill = fill
        self.alignment = alignment
        self.number_format = number_format
        self._edges = {}

    def edge(self, sides):
        """The style of a cell on the edge of a range merged in this style: only the sides
        of the border on that edge (`sides`, such as ("top", "right")), added to the default
        border as openpyxl's MergedCellRange.format does (the other sides written empty)."""
        if sides not in self._edges:
            border = DEFAULT_BORDER
            for side in sides:
                border += Border(**{side: getattr(self.border, side)})
            self._edges[sides] = Style(border=border)
        return self._edges[sides]


class SheetWriter:
    """A worksheet of a write-only workbook written top to bottom, a row at a time."""

    def __init__(self, book, title, widths, *, hidden=()):
        """`widths` in characters from column A on; the columns in `hidden` are hidden."""
        self.ws = book.create_sheet(title)
        set_widths(self.ws, widths)
        for column in hidden:
            self.ws.column_dimensions[get_column_letter(column)].hidden = True
        self.widths = list(widths)
        self.last_row = 0  # the last row written
        self._style_arrays = {}  # Style -> openpyxl's style ids in this workbook
        self._span_widths = {}  # (first column, last column) -> their width

    def cell(self, value=None, style=None):
        """A cell holding `value` in `style` (a Style); a string is always a string, never a
        formula (as `write`)."""
        cell = WriteOnlyCell(self.ws, value)
        if isinstance(value, str) and value.startswith(FORMULA_START):
            cell.data_type = "s"
        if style is not None:
            cell._style = copy(self._style_array(style))
        return cell

    def plain(self, value):
        """An unstyled cell's content for `row`: the value itself (openpyxl makes its cell
        as it writes the row, cheaper than a cell of its own), or a string cell for text
        that would read as a formula."""
        if isinstance(value, str) and value.startswith(FORMULA_START):
            return self.cell(value)
        return value

    def _style_array(self, style):
        array = self._style_arrays.get(style)
        if array is None:
            # openpyxl's own setters register the style's parts in the workbook once.
            probe = WriteOnlyCell(self.ws)
            for name in ("font", "border", "fill", "alignment", "number_format"):
                value = getattr(style, name)
                if value is not None:
                    setattr(probe, name, value)
            array = self._style_arrays[style] = probe._style
        return array

    def width(self, first_column, last_column):
        """The width of columns `first_column` to `last_column` together, in characters."""
        span = (first_column, last_column)
        if span not in self._span_widths:  # asked for every cell of every row
            self._span_widths[span] = sum(
                self.widths[c - 1] if c <= len(self.widths) else 8.43
                for c in range(first_column, last_column + 1)
            )
        return self._span_widths[span]

    def fitted_height(self, cells, spans=None):
        """The row height `fit_row_height` gives a row of `cells` ({column: cell}), from
        their text and the column widths, computed before the row is written; `spans` maps
        the first column of a range merged within the row to its last column."""
        spans = spans or {}
        lines = 1
        for column, cell in cells.items():
            width = self.width(column, spans.get(column, column))
            lines = max(lines, text_lines(cell.value, width))
        return lines_height(lines)

    def merged_cells(self, span, row, value=None, style=None):
        """The cells in `row` of the range `span` (first row, first column, last row, last
        column), which is merged: `value` in `style` top left; on the other cells the sides
        of the style's border that lie on the range's edge, so that the merged block is boxed
        in every viewer (as `merge` and openpyxl do). The merge is recorded with its first
        row."""
        first_row, first_column, last_row, last_column = span
        cells = {}
        if row == first_row:
            cells[first_column] = self.cell(value, style)
        if row == first_row and (first_row, first_column) != (last_row, last_column):
            # Straight into the set: `merged_cells.add` compares with every range so far.
            self.ws.merged_cells.ranges.add(
                CellRange(
                    min_row=first_row,
                    min_col=first_column,
                    max_row=last_row,
                    max_col=last_column,
                )
            )
        if style is None or style.border is None:
            return cells
        for column in range(first_column, last_column + 1):
            if (row, column) == (first_row, first_column):
                continue
            edges = (
                ("top", row == first_row),
                ("left", column == first_column),
                ("right", column == last_column),
                ("bottom", row == last_row),
            )
            sides = tuple(s for s, on_edge in edges if on_edge and getattr(style.border, s).style)
            if sides:
                cells[column] = self.cell(None, style.edge(sides))
        return cells

    def row(self, number, cells, height=None):
        """Write row `number` with `cells` ({column: a cell of `cell` or a value of `plain`})
        and `height` (points; None: the default). Rows skipped since the last one written
        are written empty."""
        if number <= self.last_row:
            raise ValueError(f"row {number} cannot follow row {self.last_row}: rows go down")
        while self.last_row < number - 1:
            self.ws.append([])
            self.last_row += 1
        if height is not None:
            self.ws.row_dimensions[number].height = height
        values = [None] * max(cells, default=0)
        for column, cell in cells.items():
            values[column - 1] = cell
        self.ws.append(values)
        self.last_row = number
        if height is not None:
            del self.ws.row_dimensions[number]  # written: memory stays flat
