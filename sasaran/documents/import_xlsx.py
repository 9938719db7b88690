"""Import a year's Sasaran Mutu from a workbook in the layout of `export_xlsx.manual_workbook`:
the application's own download, or a real office's document typed in the same columns.

Nothing is saved without a look first. `preview_manual_workbook(file=..., unit=..., year=...)`
reads the whole workbook, collects every problem (row, column letter and an Indonesian
message) and, when there is none, runs the import in a transaction that is rolled back: its
`ImportResult` lists what would be created, changed and removed, the positions that would be
created and the guesses made for what the workbook leaves out. The admin page shows it and
keeps the parsed workbook in the user's session (`pending_import`) until the admin confirms;
`save_parsed_manual(..., expected=digest)` then saves, and refuses (`PreviewOutdated`) when
the data changed since the preview so that it would no longer do what was shown.
`import_manual_workbook` parses and saves at once (tests, scripts). The saving half,
`save_parsed_manual`, is also how the demo loader (`mutu.demo`) saves its manuals.

What is saved: the manual, its sections (free title and order, a level of responsibility or
none), objectives (also those without an indicator: a row with the objective and a dash for
the indicator), indicators and targets of any period, in one transaction, only the rows that
differ. What the workbook no longer holds is deleted, except indicators that already have
realisations and targets already reported: those are problems and the workbook is refused.
Positions named as Penanggung Jawab (or as the signer) that the unit does not have yet are
created; an empty Penanggung Jawab falls to the signer's position (else the unit's head).

Targets are read as `sasaran.targets` writes them (≥ 80, ≤ 3 hari, 80–90, Jan 5; Feb 6,
5 / bulan, semester cells merged over TW 1-2 / TW 3-4); the hidden column "target" keeps
them exactly, and is used for every printed cell that still reads as it was exported. A
count takes whole numbers only; an index target is a band 1-4 or a value 25-100.

Rows are identified by their natural keys: a section by its order, an objective by its
section and number, an indicator by its objective and order, a target by its indicator and
period. The hidden DATA columns carry the fields the printed document does not show; a row
typed by hand without them gets its order by position, its frequency from the FREKUENSI
PENGUKURAN text, its kind from the SATUAN, its polarity from the targets' signs (≤: lower is
better), sums for counts and money and averages otherwise, not cumulative; the preview lists
each such guess.
"""

import datetime
import hashlib
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from sasaran import numbers, periods, services, workbooks
from sasaran import targets as written
from sasaran.models import (
    AMOUNT,
    Indicator,
    Objective,
    Position,
    QualityManual,
    Realisation,
    Section,
    Target,
    Unit,
)
from sasaran.periods import Period

from . import export_xlsx as layout

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # a zip bomb stops here
MAX_ROWS = 20_000  # all sheets together, counted before openpyxl reads them
MAX_CELLS = MAX_ROWS * 40
MAX_INTEGER_DIGITS = AMOUNT["max_digits"] - AMOUNT["decimal_places"]
QUANTUM = Decimal(1).scaleb(-AMOUNT["decimal_places"])
MAX_POSITION_NAME = Position._meta.get_field("name").max_length

MONTHS = written.MONTH_NAMES  # month names as typed -> 1-12 (the effective date)


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(f"baris {self.row}")
        if self.column is not None:
            where.append(f"kolom {self.column}")
        if not where:
            return self.message
        text = ", ".join(where)
        return f"{text[0].upper()}{text[1:]}: {self.message}"


class WorkbookRejected(Exception):
    """The workbook was refused as a whole; `problems` lists every reason found."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class PreviewOutdated(Exception):
    """The confirmation would no longer do what the preview showed (the data changed in
    between); `result` is what it would do now, and nothing was saved."""

    def __init__(self, result):
        self.result = result
        super().__init__("preview outdated")


@dataclass(frozen=True)
class Change:
    """One line of what an import does: `action` created/updated/deleted, `kind` the row's
    kind (jabatan, dokumen, bagian, sasaran, indikator, target), `text` what it is. `listed`
    is False for the targets of an indicator the import creates (counted, not listed)."""

    action: str
    kind: str
    text: str
    listed: bool = True


@dataclass
class ImportResult:
    manual: QualityManual
    manual_created: bool = False
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    deleted: dict = field(default_factory=dict)
    totals: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)  # Change, in the order made
    notes: list = field(default_factory=list)  # guesses made for what the workbook left out

    def count(self, bucket, name, n=1):
        getattr(self, bucket)[name] = getattr(self, bucket).get(name, 0) + n

    def record(self, action, kind, text, listed=True):
        self.count(action, kind)
        self.changes.append(Change(action, kind, text, listed))

    @property
    def digest(self):
        """A fingerprint of every change, to tell whether a confirmation still does what
        its preview showed."""
        lines = "\n".join(f"{c.action}|{c.kind}|{c.text}" for c in self.changes)
        return hashlib.sha256(lines.encode()).hexdigest()

    def listed(self, action):
        return [c for c in self.changes if c.action == action and c.listed]

    @property
    def unchanged(self):
        return not self.changes


# --------------------------------------------------------------------------- reading cells


def _letter(column):
    return get_column_letter(column)


class _Reader:
    """Cell access that turns every bad value into a Problem instead of an exception."""

    def __init__(self, ws, problems):
        self.ws = ws
        self.problems = problems

    def problem(self, row, column, message):
        self.problems.append(Problem(row, _letter(column) if column else None, message))

    def raw(self, row, column):
        if column is None:
            return None
        return self.ws.cell(row=row, column=column).value

    def is_formula(self, row, column):
        return column is not None and self.ws.cell(row=row, column=column).data_type == "f"

    def text(self, row, column, *, required=None, max_length=None):
        """The stripped text of a cell ("" when empty); `required` is the field's name."""
        if self.is_formula(row, column):
            self.problem(row, column, "Sel berisi rumus; isi dengan teks biasa.")
            return ""
        value = self.raw(row, column)
        if value is None:
            text = ""
        elif isinstance(value, bool):
            text = "YA" if value else "TIDAK"
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        elif isinstance(value, datetime.datetime | datetime.date):
            text = value.isoformat()
        else:
            text = str(value)
        text = text.strip()
        if required and not text:
            self.problem(row, column, f"{required} kosong.")
        if max_length and len(text) > max_length:
            self.problem(
                row,
                column,
                f"Teks terlalu panjang ({len(text)} huruf, paling banyak {max_length}).",
            )
        return text

    def number(self, row, column, what, *, positive=False):
        """A non-negative Decimal (None when empty); any other content is a problem."""
        if column is None:
            return None
        if self.is_formula(row, column):
            self.problem(row, column, f"{what} berisi rumus; isi dengan angka.")
            return None
        value = self.raw(row, column)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.problem(row, column, f"{what} bukan angka: {value!r}.")
            return None
        try:
            if isinstance(value, str):
                result = numbers.parse_id_number(value)
            else:
                result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except (ValueError, InvalidOperation):
            self.problem(row, column, f"{what} bukan angka: {str(value).strip()!r}.")
            return None
        if not result.is_finite():
            self.problem(row, column, f"{what} bukan angka: {value!r}.")
            return None
        if result < 0:
            self.problem(row, column, f"{what} tidak boleh negatif ({value}).")
            return None
        if positive and result == 0:
            self.problem(row, column, f"{what} harus lebih dari 0.")
            return None
        if result.adjusted() >= MAX_INTEGER_DIGITS:
            self.problem(row, column, f"{what} terlalu besar ({value}).")
            return None
        result = result.quantize(QUANTUM)
        return result.quantize(Decimal(1)) if result == result.to_integral_value() else result

    def whole(self, row, column, what, *, required=False):
        """A positive whole number (objective number, order); None when empty."""
        value = self.number(row, column, what)
        if value is None:
            if required and not self._had_problem(row, column):
                self.problem(row, column, f"{what} kosong.")
            return None
        if value != value.to_integral_value() or not 1 <= value <= 32767:
            self.problem(row, column, f"{what} harus bilangan bulat 1-32767 ({value}).")
            return None
        return int(value)

    def _had_problem(self, row, column):
        letter = _letter(column) if column else None
        return any(p.row == row and p.column == letter for p in self.problems)

    def choice(self, row, column, choices, what, *, default=None):
        """A code of `choices` (the code or its label, any case); `default` when empty."""
        text = self.text(row, column)
        if not text:
            if default is None:
                self.problem(row, column, f"{what} kosong.")
            return default
        for value, label in choices:
            if text.lower() in (value.lower(), str(label).lower()):
                return value
        codes = ", ".join(value for value, _label in choices)
        self.problem(row, column, f"{what} '{text}' tidak dikenal; pilihan: {codes}.")
        return default


# --------------------------------------------------------------------------- parsing

# The parsed manual: what `_parse` reads from a workbook and `save_parsed_manual` saves. A
# loader holding the same data elsewhere (the demo's fixtures) builds these itself; `row` and
# the columns then stay None (they only say where a problem is in a workbook).


@dataclass
class ParsedIndicator:
    row: int | None
    order: int | None
    order_column: int | None
    fields: dict
    position_name: str  # "" when the workbook names nobody (the signer's position holds it)
    position_column: int | None
    targets: dict  # period -> (value, upper)
    target_columns: dict = field(default_factory=dict)  # period -> column (for problems)
    section_level: str = ""  # the level a position created for it gets
    position_key: str | None = None  # the position that holds it (`_resolve_positions`)


@dataclass
class ParsedObjective:
    row: int | None
    number: int
    text: str
    indicators: list = field(default_factory=list)  # empty: a commitment without indicator


@dataclass
class ParsedSection:
    row: int | None
    order: int
    level: str  # "" for a section without a level of responsibility
    title: str
    objectives: dict = field(default_factory=dict)  # number -> ParsedObjective


@dataclass
class ParsedManual:
    fields: dict
    sections: list
    signer: tuple | None  # (row, column, position name)
    notes: list = field(default_factory=list)  # guesses made while reading, for the preview


def _prefixed(reader, row, prefix):
    text = reader.text(row, 1)
    match = re.fullmatch(rf"{re.escape(prefix)}\s*:?\s*(.*)", text, flags=re.IGNORECASE | re.S)
    if not match:
        reader.problem(row, 1, f"Baris ini harus berbunyi '{prefix} : ...'.")
        return None
    return match.group(1).strip()


@dataclass(frozen=True)
class _TitleBlock:
    """Where the document's own fields are above the table: (row, column) of each value."""

    title: tuple
    subtitle: tuple
    number: tuple
    date: tuple
    revision: tuple | None
    prefixed: bool  # each value after its label in one cell ("Dokumen No : L2/MM-02")


# Today's export: the header box, values in their own cells.
BOX = _TitleBlock(
    title=layout.TITLE_CELL,
    subtitle=layout.SUBTITLE_CELL,
    number=layout.NUMBER_CELL,
    date=layout.DATE_CELL,
    revision=layout.REVISION_CELL,
    prefixed=False,
)
# Workbooks exported before the box had one line each in column A; an office may still be
# editing one, so they stay readable.
LINES = _TitleBlock(
    title=(1, 1), subtitle=(2, 1), number=(3, 1), date=(4, 1), revision=None, prefixed=True
)

# The line above the signature ("Jakarta, 1 Juli 2023"), not the signer's position.
PLACE_DATE = re.compile(r".+,\s*\d{1,2}\s+[A-Za-z]+\s+\d{4}")


def _title_block(reader):
    first = reader.raw(1, 1)
    return LINES if isinstance(first, str) and first.strip().upper() == layout.TITLE else BOX


def _block_value(reader, block, cell, prefix):
    """The text of one field of the title block; None (and a problem) when unreadable."""
    if block.prefixed:
        return _prefixed(reader, cell[0], prefix)
    return reader.text(*cell).removeprefix(":").strip()


def _effective_date(reader, block, hidden):
    cell = block.date
    text = _block_value(reader, block, cell, layout.DATE_PREFIX)
    if text is None:
        return None
    # 1 Juli 2023 as printed, Juli 2023 (older workbooks), or a date Excel made of it.
    day, month, year = None, None, None
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:T00:00:00)?", text):
        year, month, day = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(?:(\d{1,2})\s+)?([A-Za-z]+)\.?\s+(\d{4})", text):
        day = int(match.group(1)) if match.group(1) else None
        month, year = MONTHS.get(match.group(2).lower()), int(match.group(3))
    try:
        if not month or not 2000 <= year <= 2100:
            raise ValueError(text)
        date = datetime.date(year, month, day or 1)
    except ValueError:
        reader.problem(*cell, f"Tanggal berlaku '{text}' harus berupa tanggal, mis. 1 Juli 2023.")
        return None
    if day:
        return date
    # Only month and year: the hidden exact date keeps the day, as long as it agrees.
    try:
        exact = datetime.date.fromisoformat(hidden) if hidden else None
    except ValueError:
        exact = None
    if exact and (exact.year, exact.month) == (date.year, date.month):
        return exact
    return date


def _header(reader):
    """Check the printed header row; return ({data field: column} of the DATA columns,
    whether the printed headers are all there)."""
    row = layout.HEADER_ROW
    complete = True
    for column, expected in enumerate(layout.HEADERS, start=1):
        found = reader.text(row, column)
        if found.upper() != expected.upper():
            complete = False
            reader.problem(
                row, column, f"Judul kolom harus '{expected}', tertulis '{found or '(kosong)'}'."
            )
    columns = {}
    for column in range(layout.LAST_PRINTED + 1, reader.ws.max_column + 1):
        name = reader.text(row, column)
        if name in layout.DATA_FIELDS or name in layout.UPPER_FIELDS.values():
            if name in columns:
                reader.problem(row, column, f"Kolom data '{name}' ada dua kali.")
            columns[name] = column
    return columns, complete


def _manual_fields(reader):
    hidden = {}
    for column in range(layout.LAST_PRINTED + 1, reader.ws.max_column):
        for key, row in layout.MANUAL_FIELDS.items():
            if reader.text(row, column) == key:
                hidden[key] = (row, column + 1)
    block = _title_block(reader)
    fields = {}
    if reader.text(*block.title).upper() != layout.TITLE:
        reader.problem(*block.title, f"Judul dokumen harus '{layout.TITLE}'.")
    fields["title"] = reader.text(*block.subtitle, required="Judul dokumen", max_length=200)
    number = _block_value(reader, block, block.number, layout.DOCUMENT_PREFIX)
    if number is not None:
        if not number:
            reader.problem(*block.number, "Nomor dokumen kosong.")
        elif len(number) > 50:
            reader.problem(*block.number, "Nomor dokumen terlalu panjang (paling banyak 50).")
        fields["document_number"] = number
    date_cell = hidden.get("tanggal_berlaku")
    fields["effective_date"] = _effective_date(
        reader, block, reader.text(*date_cell) if date_cell else ""
    )
    fields["introduction"] = reader.text(layout.INTRO_ROW, 1)
    # The printed revision, else (an older workbook) the hidden one.
    printed = reader.raw(*block.revision) if block.revision else None
    has_printed = printed is not None and str(printed).strip() != ""
    revision_cell = block.revision if has_printed else hidden.get("revisi")
    if revision_cell:
        revision = reader.number(*revision_cell, "Revisi")
        if revision is not None:
            if revision != revision.to_integral_value() or revision > 32767:
                reader.problem(*revision_cell, "Revisi harus bilangan bulat.")
            else:
                fields["revision"] = int(revision)
    if "catatan_dokumen" in hidden:
        fields["note"] = reader.text(*hidden["catatan_dokumen"])
    return fields


def _displayed(visible, raw, fallback):
    """A document text printed with a fallback: an empty raw value printed as the fallback
    stays empty; anything else is the printed text."""
    if raw is not None and raw == "" and visible == fallback:
        return ""
    return visible


def _target_spans(ws):
    """{row: [(first column, last column)]} of the cells merged within one row among the
    printed target columns (a semester's TW 1-2 or TW 3-4)."""
    first, last = min(layout.TARGET_COLUMNS.values()), max(layout.TARGET_COLUMNS.values())
    spans = {}
    for merged in ws.merged_cells.ranges:
        if merged.min_row == merged.max_row and first <= merged.min_col <= last:
            spans.setdefault(merged.min_row, []).append((merged.min_col, merged.max_col))
    return spans


def _is_dash(text):
    return text.strip() in ("", "-", "–", "—")


def _is_commitment(reader, row, marker):
    """A row that holds an objective without an indicator: marked so, or (typed by hand)
    a dash or nothing for the indicator and every other cell of the row empty."""
    if not _is_dash(reader.text(row, layout.COL_NAME)):
        return False
    if marker == layout.ROW_OBJECTIVE:
        return True
    rest = [reader.raw(row, c) for c in range(layout.COL_METHOD, layout.LAST_PRINTED + 1)]
    return all(v is None or _is_dash(str(v)) for v in rest)


def _parse(ws, unit):
    problems = []
    reader = _Reader(ws, problems)
    if ws.max_row > MAX_ROWS:
        reader.problem(None, None, f"Lembar kerja terlalu besar (lebih dari {MAX_ROWS} baris).")
        return None, problems
    manual_fields = _manual_fields(reader)
    data, complete = _header(reader)
    if not complete:
        return None, problems  # without the header nothing below can be read reliably

    def hidden(name):
        return data.get(name)

    spans = _target_spans(ws)
    notes = []
    sections, section, objective = [], None, None
    signer = None
    sequence = {"section": 0}
    for row in range(layout.HEADER_ROW + 1, ws.max_row + 1):
        printed = [reader.raw(row, c) for c in range(1, layout.LAST_PRINTED + 1)]
        marker = reader.text(row, hidden("jenis_baris")).upper() if hidden("jenis_baris") else ""
        filled = [v is not None and str(v).strip() != "" for v in printed]
        texts_only_right = (
            not any(filled[:6])
            and any(filled[6:])
            and not any(isinstance(v, int | float) for v in printed[6:])
        )
        if marker == layout.ROW_SIGNATURE or (not marker and texts_only_right):
            # The signature block ends the table: its first line names the position, or
            # gives the place and date with the position on the next line.
            column = next((c for c in range(1, len(filled) + 1) if filled[c - 1]), 1)
            text = reader.text(row, column)
            if PLACE_DATE.fullmatch(text):  # the position is on the next line
                row += 1
                text = reader.text(row, column)
            signer = (row, column, text)
            break
        if not any(filled):
            continue
        no = reader.raw(row, layout.COL_NO)
        is_section = marker == layout.ROW_SECTION or (
            not marker and isinstance(no, str) and not no.strip().isdigit() and not any(filled[1:])
        )
        if is_section:
            sequence["section"] += 1
            section = _section_row(reader, row, hidden, sequence["section"], sections, notes)
            objective = None
            continue
        if section is None:
            reader.problem(row, layout.COL_NO, "Baris indikator sebelum baris judul bagian.")
            continue
        objective = _objective_for(reader, row, section, objective)
        if _is_commitment(reader, row, marker):
            continue  # the objective is all there is
        indicator = _indicator_row(reader, row, hidden, spans.get(row, []), notes)
        indicator.section_level = section.level
        objective.indicators.append(indicator)

    for section in sections:
        for objective in section.objectives.values():
            _number_indicators(reader, objective)
    if not sections and not problems:
        reader.problem(
            layout.HEADER_ROW + 1, 1, "Tidak ada bagian maupun indikator di bawah judul tabel."
        )
    return ParsedManual(manual_fields, sections, signer, notes), problems


def _section_row(reader, row, hidden, position, sections, notes):
    """A section: its own title and order; its level from the DATA column (empty there: a
    section without a level), or, typed by hand, from a title that names one."""
    title = reader.text(row, layout.COL_NO, required="Judul bagian", max_length=200)
    order = reader.whole(row, hidden("bagian_urutan"), "Urutan bagian") or position
    level_column = hidden("bagian_tingkat")
    level_text = reader.text(row, level_column) if level_column else ""
    level = ""
    if level_text:
        level = reader.choice(
            row, level_column, Position.Level.choices, "Kode tingkat bagian", default=""
        )
    elif level_column is None:
        for value, label in Position.Level.choices:
            if title.lower().startswith(str(label).lower()):
                level = value
                notes.append(
                    f"Baris {row}: bagian '{title}' diberi tingkat {label} karena judulnya."
                )
    for other in sections:
        if other.order == order:
            reader.problem(
                row,
                hidden("bagian_urutan") or layout.COL_NO,
                f"Urutan bagian {order} sudah dipakai di baris {other.row}.",
            )
    section = ParsedSection(row, order, level, title)
    sections.append(section)
    return section


def _objective_for(reader, row, section, current):
    """The objective a row belongs to: a new one, or the one above (merged cells)."""
    number = reader.whole(row, layout.COL_NO, "Nomor sasaran")
    text = reader.text(row, layout.COL_OBJECTIVE)
    # A row that cannot be placed still has its own cells checked, under a stand-in
    # objective that is never saved.
    stand_in = ParsedObjective(row, 0, "")
    if number is None and not text:
        if current is None:
            reader.problem(row, layout.COL_NO, "Nomor sasaran kosong.")
            return stand_in
        return current
    if number is None:
        if not reader._had_problem(row, layout.COL_NO):
            reader.problem(row, layout.COL_NO, "Nomor sasaran kosong.")
        return stand_in
    existing = section.objectives.get(number)
    if existing is not None:
        if text and text != existing.text:
            reader.problem(
                row,
                layout.COL_OBJECTIVE,
                f"Sasaran nomor {number} sudah ditulis dengan teks lain di baris {existing.row}.",
            )
            return stand_in
        return existing
    if not text:
        reader.problem(row, layout.COL_OBJECTIVE, "Teks sasaran kosong.")
        return stand_in
    objective = ParsedObjective(row, number, text)
    section.objectives[number] = objective
    return objective


# What a FREKUENSI PENGUKURAN text says, tried in this order ("6 bulan" before "bulan").
FREQUENCY_WORDS = [
    (re.compile(r"semester|6 bulan|enam bulan", re.I), Indicator.Frequency.SEMESTERLY),
    (
        re.compile(r"triwulan|\btw\b|kuartal|3 bulan|tiga bulan", re.I),
        Indicator.Frequency.QUARTERLY,
    ),
    (re.compile(r"bulan", re.I), Indicator.Frequency.MONTHLY),
    (re.compile(r"kejadian|\bevent\b|setiap kali|per kegiatan|per layanan", re.I), "per_event"),
    (re.compile(r"tahun", re.I), Indicator.Frequency.YEARLY),
]
# What a SATUAN says about the kind of measure, tried in this order.
KIND_WORDS = [
    (re.compile(r"%|persen", re.I), Indicator.Kind.PERCENTAGE),
    (re.compile(r"\brp\b|rupiah", re.I), Indicator.Kind.MONEY),
    (re.compile(r"\bhari\b", re.I), Indicator.Kind.WORKING_DAYS),
    (re.compile(r"indeks|\bikm\b|\bskm\b|\bpita\b", re.I), Indicator.Kind.INDEX),
    (re.compile(r"nilai|skor|\bpoin\b", re.I), Indicator.Kind.SCORE),
]


def guess_frequency(text):
    """The frequency code a document's FREKUENSI PENGUKURAN text names, or None."""
    return next((code for pattern, code in FREQUENCY_WORDS if pattern.search(text)), None)


def guess_kind(unit_text):
    """The kind of measure a SATUAN suggests: a rate, money, working days, an index, a
    score, else a count of things ("laporan", "berkas"); None when there is no unit."""
    if not unit_text.strip():
        return None
    return next(
        (kind for pattern, kind in KIND_WORDS if pattern.search(unit_text)), Indicator.Kind.COUNT
    )


def _coded(reader, row, column, choices, what):
    """A code from a DATA column; None when the column is missing or the cell empty."""
    if column is None or not reader.text(row, column):
        return None
    return reader.choice(row, column, choices, what)


def _indicator_row(reader, row, hidden, spans, notes):
    name = reader.text(row, layout.COL_NAME, required="Indikator kinerja")
    fields = {
        "name": name,
        "measurement_method": reader.text(row, layout.COL_METHOD),
    }
    where = f"Baris {row} ({name[:60]})"
    printed_frequency = reader.text(row, layout.COL_FREQUENCY)
    printed_unit = reader.text(row, layout.COL_UNIT)

    code_column = hidden("frekuensi")
    frequency = _coded(reader, row, code_column, Indicator.Frequency.choices, "Kode frekuensi")
    if frequency is None and not (code_column and reader._had_problem(row, code_column)):
        frequency = guess_frequency(printed_frequency)
        if frequency is None:
            reader.problem(
                row,
                layout.COL_FREQUENCY,
                f"Frekuensi pengukuran '{printed_frequency or '(kosong)'}' tidak dikenali; "
                "tulis mis. 'setiap bulan', 'tiap triwulan', 'setiap semester', 'setiap "
                "tahun' atau isi kolom data frekuensi (monthly, quarterly, semester, yearly, "
                "per_event).",
            )
        else:
            label = Indicator.Frequency(frequency).label
            notes.append(f"{where}: frekuensi {label} dibaca dari '{printed_frequency}'.")
    fields["frequency"] = frequency

    code_column = hidden("jenis")
    kind = _coded(reader, row, code_column, Indicator.Kind.choices, "Kode jenis ukuran")
    if kind is None and not (code_column and reader._had_problem(row, code_column)):
        kind = guess_kind(printed_unit)
        if kind is None:
            reader.problem(
                row,
                layout.COL_UNIT,
                "Jenis ukuran tidak dapat ditentukan: isi SATUAN (mis. %, laporan, hari "
                "kerja, rupiah, nilai IKM) atau kolom data jenis (index, percentage, count, "
                "money, score, working_days).",
            )
        else:
            label = Indicator.Kind(kind).label
            notes.append(f"{where}: jenis ukuran {label} dibaca dari satuan '{printed_unit}'.")
    fields["kind"] = kind

    polarity = _coded(
        reader, row, hidden("polaritas"), Indicator.Polarity.choices, "Kode polaritas"
    )
    aggregation = _coded(
        reader, row, hidden("penggabungan"), Indicator.Aggregation.choices, "Kode penggabungan"
    )
    if aggregation is None:
        volume = kind in (Indicator.Kind.COUNT, Indicator.Kind.MONEY)
        aggregation = Indicator.Aggregation.SUM if volume else Indicator.Aggregation.AVERAGE
        if hidden("penggabungan") is None and kind:
            label = Indicator.Aggregation(aggregation).label
            notes.append(f"{where}: periode digabung '{label}' (bawaan jenis ukurannya).")
    fields["aggregation"] = aggregation
    cumulative = reader.text(row, hidden("kumulatif")).upper()
    if cumulative not in ("", layout.YES, layout.NO):
        reader.problem(
            row, hidden("kumulatif"), f"Kumulatif harus YA atau TIDAK, tertulis '{cumulative}'."
        )
    fields["cumulative"] = cumulative == layout.YES
    fields["numerator_label"] = reader.text(row, hidden("pembilang"), max_length=300)
    fields["denominator_label"] = reader.text(row, hidden("penyebut"), max_length=300)
    fields["max_value"] = reader.number(
        row, hidden("nilai_maksimum"), "Nilai maksimum", positive=True
    )
    fields["note"] = reader.text(row, hidden("catatan"))

    def raw(name):
        return reader.text(row, hidden(name)) if hidden(name) else None

    frequency_label = (
        str(Indicator.Frequency(frequency).label)
        if frequency in Indicator.Frequency.values
        else None
    )
    fields["frequency_text"] = _displayed(printed_frequency, raw("frekuensi_teks"), frequency_label)
    position_column = hidden("jabatan_penanggung_jawab")
    position_name = reader.text(row, position_column) if position_column else ""
    visible_responsible = reader.text(row, layout.COL_RESPONSIBLE)
    if not position_name:
        position_name, position_column = visible_responsible, layout.COL_RESPONSIBLE
    fields["responsible_text"] = _displayed(
        visible_responsible, raw("penanggung_jawab_teks"), position_name
    )
    if len(fields["responsible_text"]) > 200:
        reader.problem(
            row,
            layout.COL_RESPONSIBLE,
            "Teks penanggung jawab terlalu panjang (paling banyak 200).",
        )
    if len(position_name) > MAX_POSITION_NAME:
        reader.problem(
            row,
            position_column,
            f"Nama jabatan terlalu panjang (paling banyak {MAX_POSITION_NAME} huruf).",
        )
    fields["unit_of_measure"] = _displayed(
        printed_unit,
        raw("satuan"),
        "%" if fields["kind"] == Indicator.Kind.PERCENTAGE else None,
    )
    if len(fields["unit_of_measure"]) > 40:
        reader.problem(row, layout.COL_UNIT, "Satuan terlalu panjang (paling banyak 40).")

    found = _targets_of_row(reader, row, hidden, spans, fields, polarity)
    if polarity is None:
        signs = {item.sign for item, _column in found.values() if item.sign}
        polarity = (
            Indicator.Polarity.LOWER if written.AT_MOST in signs else Indicator.Polarity.HIGHER
        )
        if written.AT_MOST in signs:
            notes.append(f"{where}: makin rendah makin baik, karena targetnya ditulis '≤'.")
        elif found and all(item.value == 0 and item.upper is None for item, _c in found.values()):
            # "0 kasus pungli" in every period: zero tolerance, not "nothing is ever due".
            polarity = Indicator.Polarity.LOWER
            notes.append(
                f"{where}: semua targetnya 0, dibaca nol toleransi (makin rendah makin baik)."
            )
        if len(signs) > 1:
            reader.problem(
                row,
                found[next(iter(found))][1],
                "Target baris ini ditulis dengan ≥ dan ≤ sekaligus; satu indikator hanya "
                "punya satu arah (makin tinggi atau makin rendah makin baik).",
            )
    fields["polarity"] = polarity
    _check_signs(reader, row, found, fields)

    return ParsedIndicator(
        row=row,
        order=reader.whole(row, hidden("indikator_urutan"), "Urutan indikator"),
        order_column=hidden("indikator_urutan"),
        fields=fields,
        position_name=position_name,
        position_column=position_column,
        targets={p: (item.value, item.upper) for p, (item, _c) in found.items()},
        target_columns={p: column for p, (_item, column) in found.items()},
    )


def _amount(value):
    """A target value as the database keeps it (four decimals); None when too large."""
    if value.adjusted() >= MAX_INTEGER_DIGITS:
        return None
    value = value.quantize(QUANTUM)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _column_label(group):
    first = layout.HEADERS[layout.TARGET_COLUMNS[group[0]] - 1]
    if len(group) == 1:
        return first
    return f"{first}–{layout.HEADERS[layout.TARGET_COLUMNS[group[-1]] - 1]}"


def _same_cell(expected, value):
    """Whether a printed cell still reads as the export wrote it from the hidden targets."""
    if (
        expected.plain is not None
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        return Decimal(repr(value)) == expected.plain
    if value is None:
        return expected.text == ""
    if not isinstance(value, str):
        return False
    return " ".join(value.split()) == " ".join(expected.text.split())


def _merged_layout(reader, row, spans):
    """Whether the row's semester cells are merged (TW 1-2, TW 3-4); a problem for any other
    merge among the target columns."""
    tw = layout.TARGET_COLUMNS
    semester_spans = {(tw[Period.Q1], tw[Period.Q2]), (tw[Period.Q3], tw[Period.Q4])}
    for span in spans:
        if span not in semester_spans:
            reader.problem(
                row,
                span[0],
                "Sel target digabung tidak lazim: gabungkan hanya TW 1-TW 2 (Semester I) atau "
                "TW 3-TW 4 (Semester II).",
            )
            return None
    if spans and len(spans) != 2:
        reader.problem(
            row,
            spans[0][0],
            "Jika target semester ditulis di sel gabungan, gabungkan TW 1-TW 2 dan TW 3-TW 4.",
        )
        return None
    return bool(spans)


def _targets_of_row(reader, row, hidden, spans, fields, polarity):
    """{period: (Written, column)} of an indicator's row: from the hidden "target" column for
    each printed cell that still reads as exported, else from the printed text."""
    merged = _merged_layout(reader, row, spans)
    if merged is None:
        return {}
    frequency = fields["frequency"]
    exact, expected = None, {}
    machine_column = hidden("target")
    if machine_column and reader.text(row, machine_column):
        try:
            exact = written.read_machine_text(reader.text(row, machine_column))
        except ValueError:
            exact = None  # edited by hand: the printed cells say what the targets are
    if exact is not None and frequency and fields["kind"]:
        like = Indicator(
            kind=fields["kind"],
            polarity=polarity or Indicator.Polarity.HIGHER,
            frequency=frequency,
            max_value=fields["max_value"],
        )
        if written.merged_semesters(frequency, exact) == merged:
            with translation.override("id"):
                expected = {c.column: c for c in written.document_cells(like, exact)}

    found = {}
    for group in written.groups(merged):
        column = layout.TARGET_COLUMNS[group[0]]
        label = _column_label(group)
        if reader.is_formula(row, column):
            reader.problem(row, column, f"Target {label} berisi rumus; isi dengan angka.")
            continue
        value = reader.raw(row, column)
        cell = expected.get(group[0])
        if cell is not None and _same_cell(cell, value):
            items = [
                written.Written(p, exact[p][0], exact[p][1], written.sign_of(like, *exact[p]))
                for p in cell.periods
            ]
        else:
            try:
                items = written.read_cell(value, group, frequency=frequency or "", merged=merged)
            except written.TargetTextError as error:
                reader.problem(row, column, f"Target {label}: {error}")
                continue
            items = _legacy_upper(reader, row, hidden, group, value, items)
        for item in items:
            value_amount, upper_amount = _amount(item.value), None
            if item.upper is not None:
                upper_amount = _amount(item.upper)
            if value_amount is None or (item.upper is not None and upper_amount is None):
                reader.problem(row, column, f"Target {label} terlalu besar.")
                continue
            if item.period in found:
                reader.problem(row, column, f"Target {Period(item.period).label} ditulis dua kali.")
                continue
            item = written.Written(item.period, value_amount, upper_amount, item.sign, item.letter)
            found[item.period] = (item, column)
    return found


def _legacy_upper(reader, row, hidden, group, value, items):
    """A range's upper bound in the DATA column of a workbook exported before the "target"
    column (batas_atas_TW1 ...), for a printed number."""
    upper_column = hidden(layout.UPPER_FIELDS.get(group[0], ""))
    if upper_column is None or len(group) > 1:
        return items
    label = _column_label(group)
    upper = reader.number(row, upper_column, f"Batas atas {label}")
    if upper is None:
        return items
    if not items:
        if value is None:
            reader.problem(row, upper_column, f"Batas atas {label} tanpa target.")
        return items
    if len(items) == 1 and items[0].upper is None:
        return [written.Written(items[0].period, items[0].value, upper)]
    return items


def _check_signs(reader, row, found, fields):
    """Each target against the indicator: its sign agrees with the polarity, an index target
    is a band or a 25-100 value, a count is whole, nothing is over the maximum."""
    polarity, kind = fields["polarity"], fields["kind"]
    for period, (item, column) in found.items():
        label = Period(period).label
        if item.sign == written.AT_MOST and polarity == Indicator.Polarity.HIGHER:
            reader.problem(
                row,
                column,
                f"Target {label} ditulis '≤' (makin rendah makin baik) tetapi indikator ini "
                "makin tinggi makin baik (kolom data polaritas: higher).",
            )
        elif item.sign == written.AT_LEAST and polarity == Indicator.Polarity.LOWER:
            reader.problem(
                row,
                column,
                f"Target {label} ditulis '≥' (makin tinggi makin baik) tetapi indikator ini "
                "makin rendah makin baik (kolom data polaritas: lower).",
            )
        if kind is None:
            continue
        for message in written.problems_of(
            kind=kind,
            value=item.value,
            upper=item.upper,
            letter=item.letter,
        ):
            reader.problem(row, column, f"Target {label}: {message}")


def _number_indicators(reader, objective):
    """Fill in missing orders (by position) and refuse duplicates within an objective."""
    used = {}
    for item in objective.indicators:
        if item.order is None:
            item.order = max([*used, 0]) + 1
        if item.order in used:
            reader.problem(
                item.row,
                item.order_column,
                f"Urutan indikator {item.order} di sasaran {objective.number} sudah dipakai "
                f"di baris {used[item.order]}.",
            )
        used[item.order] = item.row


# --------------------------------------------------------------------------- checking


def position_key(name):
    """Position names compared as people read them: case and spacing do not matter."""
    return " ".join(str(name).split()).casefold()


@dataclass
class _Positions:
    """The positions an import uses: those the unit has, by `position_key`, and those it
    will create [(name, level)]."""

    existing: dict
    new: dict = field(default_factory=dict)  # key -> (name, level)
    signer: str | None = None  # key of the signing position

    def use(self, name, level):
        key = position_key(name)
        if key not in self.existing and key not in self.new:
            self.new[key] = (" ".join(name.split()), level or Position.Level.STAFF)
        return key


def _resolve_positions(parsed, unit, problems):
    """Which position holds each indicator and signs: the unit's own, matched by name, or
    new ones (created on saving). An indicator without a Penanggung Jawab is held by the
    signer's position, else by the unit's head."""
    plan = _Positions({position_key(p.name): p for p in Position.objects.filter(unit=unit)})
    if parsed.signer and parsed.signer[2]:
        row, column, name = parsed.signer
        if len(name) > MAX_POSITION_NAME:
            problems.append(
                Problem(row, _letter(column) if column else None, "Nama jabatan terlalu panjang.")
            )
        else:
            plan.signer = plan.use(name, Position.Level.HEAD)
    fallback = plan.signer
    if fallback is None:
        head = (
            Position.objects.filter(unit=unit, level=Position.Level.HEAD).order_by("name").first()
        )
        fallback = position_key(head.name) if head else None
    for section in parsed.sections:
        for objective in section.objectives.values():
            for item in objective.indicators:
                if item.position_name:
                    item.position_key = plan.use(item.position_name, item.section_level)
                elif fallback is None:
                    problems.append(
                        Problem(
                            item.row,
                            _letter(item.position_column) if item.position_column else None,
                            "Penanggung jawab kosong dan unit belum punya jabatan Kepala "
                            "maupun penandatangan; isi kolom PENANGGUNG JAWAB.",
                        )
                    )
                    item.position_key = None
                else:
                    item.position_key = fallback
                    if item.row is not None:
                        parsed.notes.append(
                            f"Baris {item.row}: penanggung jawab kosong; dipegang "
                            f"{_position_name(plan, fallback)}."
                        )
    return plan


def _position_name(plan, key):
    position = plan.existing.get(key)
    return position.name if position else plan.new[key][0]


def _kept_keys(parsed):
    keys = set()
    for section in parsed.sections:
        for objective in section.objectives.values():
            for item in objective.indicators:
                keys.add((section.order, objective.number, item.order))
    return keys


def _check_deletions(manual, parsed, problems):
    """Indicators the workbook drops must have no realisation."""
    if manual is None:
        return
    kept = _kept_keys(parsed)
    with_data = set(
        Realisation.objects.filter(indicator__objective__section__manual=manual).values_list(
            "indicator_id", flat=True
        )
    )
    for indicator in Indicator.objects.filter(objective__section__manual=manual).select_related(
        "objective__section"
    ):
        key = (indicator.objective.section.order, indicator.objective.number, indicator.order)
        if key not in kept and indicator.pk in with_data:
            problems.append(
                Problem(
                    None,
                    None,
                    f"Indikator '{indicator.name}' (bagian {key[0]}, sasaran {key[1]}, urutan "
                    f"{key[2]}) tidak ada di buku kerja tetapi sudah punya realisasi, sehingga "
                    "tidak dihapus. Kembalikan barisnya ke buku kerja.",
                )
            )


def _shown(value, upper):
    if value is None:
        return "kosong"
    text = numbers.format_id_exact(value.normalize())
    return text if upper is None else f"{text}–{numbers.format_id_exact(upper.normalize())}"


def _check_reported_targets(manual, parsed, problems):
    """A target whose period is already reported is neither changed nor dropped by an
    import. Its revision needs a reason and a legal basis (nomor and tanggal of the SK),
    which a workbook has no place for; the admin's Indicator page asks for them target by
    target (`services.target_revise`). A workbook that keeps such targets as they are, such
    as the manual's own download, imports as before."""
    if manual is None:
        return
    stored = {}
    targets = Target.objects.filter(indicator__objective__section__manual=manual)
    for target in targets.select_related("indicator__objective__section"):
        indicator = target.indicator
        key = (indicator.objective.section.order, indicator.objective.number, indicator.order)
        stored.setdefault(key, []).append(target)
    for section in parsed.sections:
        for objective in section.objectives.values():
            for item in objective.indicators:
                for target in stored.get((section.order, objective.number, item.order), []):
                    value, upper = item.targets.get(target.period, (None, None))
                    if (value, upper) == (target.value, target.upper):
                        continue
                    if not services.target_needs_basis(target):
                        continue
                    label = Period(target.period).label
                    column = (
                        item.target_columns.get(target.period)
                        or layout.TARGET_COLUMNS[written.column_of(target.period)]
                    )
                    problems.append(
                        Problem(
                            item.row,
                            _letter(column),
                            f"Target {label} sudah dilaporkan (ada realisasi yang diajukan atau "
                            f"disetujui) dan tidak diubah lewat impor: tersimpan "
                            f"{_shown(target.value, target.upper)}, di berkas "
                            f"{_shown(value, upper)}. Revisi target memerlukan alasan dan dasar "
                            "revisi (nomor dan tanggal SK): ubah di halaman admin Indikator, "
                            "lalu impor ulang.",
                        )
                    )


# --------------------------------------------------------------------------- saving


def _short(text, length=80):
    text = " ".join(str(text).split())
    return text if len(text) <= length else f"{text[: length - 1]}…"


def _field_names(model, names):
    return ", ".join(str(model._meta.get_field(n).verbose_name) for n in names)


def _upsert(result, name, model, lookup, values, describe, listed=True):
    """Create or update one row by its natural key, recording the change as `describe(obj)`
    says it."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        obj.created_by_import = True
        result.record("created", name, describe(obj, None), listed)
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        before = {k: getattr(obj, k) for k in changed}
        for key in changed:
            setattr(obj, key, values[key])
        obj.save(update_fields=changed)
        result.record("updated", name, describe(obj, before))
    return obj


def _delete(result, name, queryset, describe, listed=True):
    for obj in queryset:  # one by one, so that history records the deletion
        text = describe(obj, None)
        obj.delete()
        result.record("deleted", name, text, listed)


def _target_words(indicator, value, upper):
    with translation.override("id"):
        return written.target_text(indicator, value, upper)


def _describe_target(indicator):
    def describe(target, before):
        where = f"{_short(indicator.name, 60)} — {Period(target.period).label}"
        now = _target_words(indicator, target.value, target.upper)
        if before is None:
            return f"{where}: {now}"
        old = _target_words(
            indicator, before.get("value", target.value), before.get("upper", target.upper)
        )
        return f"{where}: {old} → {now}"

    return describe


def _describe(text_of, model=None):
    def describe(obj, before):
        text = text_of(obj)
        if before:
            return f"{text}: {_field_names(model, before)}"
        return text

    return describe


def _save(parsed, unit, year, plan, manual):
    values = dict(parsed.fields)
    result = ImportResult(manual=None, manual_created=manual is None)
    result.notes = list(parsed.notes)

    positions = dict(plan.existing)
    for key, (name, level) in plan.new.items():
        positions[key] = Position.objects.create(unit=unit, name=name, level=level)
        result.record("created", "jabatan", f"{name} (tingkat {Position.Level(level).label})")
    if plan.signer is not None:
        values["signed_by"] = positions[plan.signer]
    for section in parsed.sections:
        for objective in section.objectives.values():
            for item in objective.indicators:
                item.fields["responsible_position"] = positions.get(item.position_key)

    manual = _upsert(
        result,
        "dokumen",
        QualityManual,
        {"unit": unit, "year": year},
        values,
        _describe(lambda m: f"{m.document_number} {m.title} {m.year}", QualityManual),
    )
    result.manual = manual

    def section_text(s):
        return f"'{_short(s.title, 60)}' (urutan {s.order})"

    def objective_text(o):
        return f"{o.section.order}.{o.number} '{_short(o.text, 70)}'"

    def indicator_text(i):
        section = i.objective.section
        return f"'{_short(i.name, 70)}' (sasaran {section.order}.{i.objective.number})"

    kept_sections = {s.order for s in parsed.sections}
    kept_objectives = {(s.order, o.number) for s in parsed.sections for o in s.objectives.values()}
    kept_indicators = _kept_keys(parsed)
    _delete(
        result,
        "indikator",
        [
            i
            for i in Indicator.objects.filter(objective__section__manual=manual).select_related(
                "objective__section"
            )
            if (i.objective.section.order, i.objective.number, i.order) not in kept_indicators
        ],
        _describe(indicator_text),
    )
    _delete(
        result,
        "sasaran",
        [
            o
            for o in Objective.objects.filter(section__manual=manual).select_related("section")
            if (o.section.order, o.number) not in kept_objectives
        ],
        _describe(objective_text),
    )
    _delete(
        result,
        "bagian",
        Section.objects.filter(manual=manual).exclude(order__in=kept_sections),
        _describe(section_text),
    )

    for spec in parsed.sections:
        section = _upsert(
            result,
            "bagian",
            Section,
            {"manual": manual, "order": spec.order},
            {"level": spec.level, "title": spec.title},
            _describe(section_text, Section),
        )
        for objective_spec in spec.objectives.values():
            objective = _upsert(
                result,
                "sasaran",
                Objective,
                {"section": section, "number": objective_spec.number},
                {"text": objective_spec.text},
                _describe(objective_text, Objective),
            )
            for item in objective_spec.indicators:
                indicator = _upsert(
                    result,
                    "indikator",
                    Indicator,
                    {"objective": objective, "order": item.order},
                    item.fields,
                    _describe(indicator_text, Indicator),
                )
                describe = _describe_target(indicator)
                _delete(
                    result,
                    "target",
                    indicator.targets.exclude(period__in=list(item.targets)),
                    describe,
                )
                for period, (value, upper) in item.targets.items():
                    _upsert(
                        result,
                        "target",
                        Target,
                        {"indicator": indicator, "period": period},
                        {"value": value, "upper": upper},
                        describe,
                        # The targets of a new indicator are counted, not listed.
                        listed=not getattr(indicator, "created_by_import", False),
                    )
    result.totals = {
        "bagian": len(parsed.sections),
        "sasaran": len(kept_objectives),
        "indikator": len(kept_indicators),
        "target": sum(
            len(i.targets)
            for s in parsed.sections
            for o in s.objectives.values()
            for i in o.indicators
        ),
    }
    return result


# --------------------------------------------------------------------------- entry point


def _open(file):
    """The workbook, once `workbooks.open_workbook` found it safe to load; else rejected."""
    try:
        return workbooks.open_workbook(
            file,
            max_uncompressed_bytes=MAX_UNCOMPRESSED_BYTES,
            max_rows=MAX_ROWS,
            max_cells=MAX_CELLS,
        )
    except workbooks.WorkbookRefused as refused:
        raise WorkbookRejected([Problem(None, None, refused.message)]) from None
    except workbooks.WorkbookUnreadable:
        raise WorkbookRejected(
            [Problem(None, None, "Berkas bukan buku kerja Excel (.xlsx) yang dapat dibaca.")]
        ) from None


def parse_manual_workbook(*, file, unit):
    """The ParsedManual of a workbook (a path or a file object) in the `manual_workbook`
    layout, and the problems found reading it; raises WorkbookRejected when it cannot be
    read at all."""
    book = _open(file)
    if layout.SHEET_TITLE not in book.sheetnames:
        raise WorkbookRejected(
            [
                Problem(
                    None,
                    None,
                    f"Lembar '{layout.SHEET_TITLE}' tidak ditemukan (ada: "
                    f"{', '.join(book.sheetnames)}).",
                )
            ]
        )
    parsed, problems = _parse(book[layout.SHEET_TITLE], unit)
    if parsed is None:
        raise WorkbookRejected(problems)
    return parsed, problems


def import_manual_workbook(*, file, unit, year):
    """Create or update the Sasaran Mutu of `unit` and `year` from a workbook at once,
    without a preview (tests and scripts; the admin page previews first). Returns an
    ImportResult; raises WorkbookRejected with every problem found, saving nothing."""
    parsed, problems = parse_manual_workbook(file=file, unit=unit)
    return save_parsed_manual(parsed=parsed, unit=unit, year=year, problems=problems)


def preview_manual_workbook(*, file, unit, year):
    """(ParsedManual, ImportResult) of what importing the workbook would do, saving nothing;
    raises WorkbookRejected with every problem found."""
    parsed, problems = parse_manual_workbook(file=file, unit=unit)
    return parsed, preview_parsed_manual(parsed=parsed, unit=unit, year=year, problems=problems)


class _DryRun(Exception):
    def __init__(self, result):
        self.result = result


def _apply(parsed, unit, year, problems):
    """Check and save, inside the caller's transaction; WorkbookRejected on any problem."""
    manual = QualityManual.objects.select_for_update().filter(unit=unit, year=year).first()
    plan = _resolve_positions(parsed, unit, problems)
    _check_deletions(manual, parsed, problems)
    _check_reported_targets(manual, parsed, problems)
    if problems:
        raise WorkbookRejected(problems)
    return _save(parsed, unit, year, plan, manual)


def _database_refused(problems, error):
    return WorkbookRejected([*problems, Problem(None, None, f"Data ditolak basis data: {error}")])


def preview_parsed_manual(*, parsed, unit, year, problems=()):
    """What `save_parsed_manual` would do, as an ImportResult, with nothing saved (the
    import runs in a transaction that is rolled back)."""
    problems = list(problems)
    try:
        with transaction.atomic():
            raise _DryRun(_apply(parsed, unit, year, problems))
    except _DryRun as dry_run:
        return dry_run.result
    except DatabaseError as error:  # a rule of the database the checks above missed
        raise _database_refused(problems, error) from error


def save_parsed_manual(*, parsed, unit, year, problems=(), expected=None):
    """Create or update the Sasaran Mutu of `unit` and `year` from a ParsedManual, in one
    transaction, as the workbook import does: position names are looked up in `unit` (and
    those it lacks created), rows are saved only where they differ, what `parsed` no longer
    holds is deleted (refused for indicators with realisations). `problems` are those found
    while parsing; with any of them, or any found here, raises WorkbookRejected and saves
    nothing. With `expected` (the digest of a preview), raises PreviewOutdated and saves
    nothing when the import would now do anything else. Returns an ImportResult."""
    problems = list(problems)
    try:
        with transaction.atomic():
            result = _apply(parsed, unit, year, problems)
            if expected is not None and result.digest != expected:
                raise PreviewOutdated(result)
            return result
    except DatabaseError as error:  # a rule of the database the checks above missed
        raise _database_refused(problems, error) from error


# --------------------------------------------------------------------------- the pending import

# Between the preview and the confirmation the parsed workbook waits in the admin's session
# (stored in the database, never sent to the browser) as plain values; no uploaded file is
# kept. A confirmation saves only when the import would still do what the preview showed.

PENDING_IMPORT = "sasaran_manual_import_pending"


def _decimal_text(value):
    return None if value is None else str(value)


def _decimal(text):
    return None if text is None else Decimal(text)


def pending_import(parsed, *, unit, year, result, token):
    """The session's copy of a previewed import (JSON-safe)."""
    manual_fields = dict(parsed.fields)
    if manual_fields.get("effective_date"):
        manual_fields["effective_date"] = manual_fields["effective_date"].isoformat()
    sections = []
    for section in parsed.sections:
        objectives = []
        for objective in section.objectives.values():
            indicators = []
            for item in objective.indicators:
                fields = {k: v for k, v in item.fields.items() if k != "responsible_position"}
                fields["max_value"] = _decimal_text(fields.get("max_value"))
                indicators.append(
                    {
                        "row": item.row,
                        "order": item.order,
                        "fields": fields,
                        "position": item.position_name,
                        "level": item.section_level,
                        "targets": {
                            p: [_decimal_text(v), _decimal_text(u)]
                            for p, (v, u) in item.targets.items()
                        },
                    }
                )
            objectives.append(
                {"number": objective.number, "text": objective.text, "indicators": indicators}
            )
        sections.append(
            {
                "order": section.order,
                "level": section.level,
                "title": section.title,
                "objectives": objectives,
            }
        )
    return {
        "token": token,
        "unit": unit.pk,
        "year": year,
        "digest": result.digest,
        "manual": manual_fields,
        "sections": sections,
        "signer": parsed.signer[2] if parsed.signer else None,
    }


def parsed_from_pending(pending):
    """The ParsedManual a `pending_import` keeps."""
    manual_fields = dict(pending["manual"])
    if manual_fields.get("effective_date"):
        manual_fields["effective_date"] = datetime.date.fromisoformat(
            manual_fields["effective_date"]
        )
    sections = []
    for spec in pending["sections"]:
        section = ParsedSection(None, spec["order"], spec["level"], spec["title"])
        for objective_spec in spec["objectives"]:
            objective = ParsedObjective(None, objective_spec["number"], objective_spec["text"])
            for item in objective_spec["indicators"]:
                fields = dict(item["fields"])
                fields["max_value"] = _decimal(fields.get("max_value"))
                objective.indicators.append(
                    ParsedIndicator(
                        row=item["row"],
                        order=item["order"],
                        order_column=None,
                        fields=fields,
                        position_name=item["position"],
                        position_column=None,
                        targets={
                            p: (_decimal(v), _decimal(u)) for p, (v, u) in item["targets"].items()
                        },
                        section_level=item["level"],
                    )
                )
            section.objectives[objective.number] = objective
        sections.append(section)
    signer = (None, None, pending["signer"]) if pending.get("signer") else None
    return ParsedManual(manual_fields, sections, signer)


# --------------------------------------------------------------------------- admin page


class ImportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.order_by("name"))
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    file = forms.FileField(
        label=_("Berkas Excel (.xlsx)"),
        help_text=_(
            "Tata letak sama dengan unduhan Excel Sasaran Mutu (atau dokumen kantor dengan "
            "kolom yang sama); paling besar 5 MB. Sebelum disimpan, pratinjau perubahan "
            "ditampilkan untuk dikonfirmasi."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Hanya berkas .xlsx yang diterima."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Berkas lebih dari 5 MB."))
        upload.seek(0)
        ok = zipfile.is_zipfile(upload)
        if ok:
            upload.seek(0)
            try:
                with zipfile.ZipFile(upload) as archive:
                    names = set(archive.namelist())
                ok = "[Content_Types].xml" in names and "xl/workbook.xml" in names
            except zipfile.BadZipFile:
                ok = False
        upload.seek(0)
        if not ok:
            raise forms.ValidationError(_("Berkas bukan buku kerja Excel (.xlsx) yang sah."))
        return upload


PREVIEW_GONE = _("Pratinjau impor ini tidak ada lagi atau sudah dipakai; unggah berkasnya lagi.")
PREVIEW_OUTDATED = _(
    "Data berubah sejak pratinjau dibuat, sehingga impor tidak disimpan. Periksa pratinjau "
    "yang baru di bawah ini, lalu konfirmasi lagi."
)
PREVIEW_LINES = 200  # lines shown per list of the preview
KIND_LABELS = {
    "jabatan": _("Jabatan"),
    "dokumen": _("Dokumen"),
    "bagian": _("Bagian"),
    "sasaran": _("Sasaran"),
    "indikator": _("Indikator"),
    "target": _("Target"),
}


def _remember(request, parsed, unit, year, result):
    token = secrets.token_urlsafe(16)
    request.session[PENDING_IMPORT] = pending_import(
        parsed, unit=unit, year=year, result=result, token=token
    )
    return token


def _confirm(request):
    """Save the import this admin previewed. Returns (saved result, None, None), or
    (None, preview, problems) to show again; the preview's token is used once."""
    pending = request.session.get(PENDING_IMPORT) or {}
    token = request.POST.get("token", "")
    expected = str(pending.get("token", ""))
    if not token or not expected or not secrets.compare_digest(token.encode(), expected.encode()):
        return None, None, [Problem(None, None, str(PREVIEW_GONE))]
    request.session.pop(PENDING_IMPORT, None)
    unit = Unit.objects.filter(pk=pending.get("unit")).first()
    try:
        parsed = parsed_from_pending(pending)
    except (KeyError, TypeError, ValueError, InvalidOperation):
        parsed = None
    if unit is None or parsed is None:
        return None, None, [Problem(None, None, str(PREVIEW_GONE))]
    year = pending["year"]
    try:
        result = save_parsed_manual(
            parsed=parsed, unit=unit, year=year, expected=pending.get("digest")
        )
    except PreviewOutdated as outdated:
        preview = {"unit": unit, "year": year, "result": outdated.result}
        preview["token"] = _remember(
            request, parsed_from_pending(pending), unit, year, outdated.result
        )
        return None, preview, [Problem(None, None, str(PREVIEW_OUTDATED))]
    except WorkbookRejected as rejected:
        return None, None, rejected.problems
    return result, None, None


def admin_import_view(model_admin, request):
    """The "Impor dari Excel" page of the QualityManual admin: upload, see what would be
    created, changed and removed, then confirm; nothing is saved before the confirmation."""
    if not request.user.has_perm("sasaran.change_qualitymanual"):
        raise PermissionDenied
    problems, preview = [], None
    form = ImportForm(initial={"year": periods.today().year})
    if request.method == "POST" and "token" in request.POST:
        result, preview, problems = _confirm(request)
        if result is not None:
            messages.success(request, success_message(result))
            return redirect(reverse("admin:sasaran_qualitymanual_change", args=[result.manual.pk]))
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            unit, year = data["unit"], data["year"]
            try:
                parsed, result = preview_manual_workbook(file=data["file"], unit=unit, year=year)
            except WorkbookRejected as rejected:
                problems = rejected.problems
            else:
                token = _remember(request, parsed, unit, year, result)
                preview = {"unit": unit, "year": year, "result": result, "token": token}
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Impor Sasaran Mutu dari Excel"),
        "form": form,
        "problems": problems,
        "preview": preview,
        "has_view_permission": model_admin.has_view_permission(request),
    }
    if preview:
        result = preview["result"]
        context["sections"] = []
        for action, label in (
            ("created", _("Akan dibuat")),
            ("updated", _("Akan diubah")),
            ("deleted", _("Akan dihapus")),
        ):
            lines = result.listed(action)
            context["sections"].append(
                {
                    "action": action,
                    "label": label,
                    "lines": [(KIND_LABELS[c.kind], c.text) for c in lines[:PREVIEW_LINES]],
                    "total": len(lines),
                    "more": max(0, len(lines) - PREVIEW_LINES),
                }
            )
        context["summary"] = _counts(result)
    return TemplateResponse(request, "admin/sasaran/qualitymanual/import.html", context)


def _counts(result):
    """The counts of an import as one sentence: "3 bagian, ..., 147 target; dibuat: ..."."""
    totals = result.totals
    parts = [
        f"{totals['bagian']} bagian, {totals['sasaran']} sasaran, {totals['indikator']} "
        f"indikator, {totals['target']} target"
    ]
    for bucket, label in (("created", "dibuat"), ("updated", "diubah"), ("deleted", "dihapus")):
        counts = getattr(result, bucket)
        if counts:
            parts.append(
                f"{label}: " + ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
            )
    if not result.created and not result.updated and not result.deleted:
        parts.append("tidak ada yang berubah")
    return "; ".join(parts)


def success_message(result):
    manual = result.manual
    return f"Impor {manual.document_number} {manual.year} — {manual.unit.name}: {_counts(result)}."
