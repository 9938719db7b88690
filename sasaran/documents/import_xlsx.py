"""Import a year's Sasaran Mutu from a workbook in the layout of `export_xlsx.manual_workbook`.

`import_manual_workbook(file=..., unit=..., year=...)` reads the whole workbook first and
collects every problem (row, column letter and an Indonesian message); if there is any, it
raises `WorkbookRejected` and nothing is saved. Otherwise it creates or updates the manual,
its sections, objectives, indicators and targets in one transaction, saving only the rows
that differ. What the workbook no longer holds is deleted, except indicators that already
have realisations: those are reported as a problem instead, and the workbook is refused.
The saving half, `save_parsed_manual`, is also how the demo loader (`mutu.demo`) saves the
seed's manual.

Rows are identified by their natural keys: a section by its order, an objective by its
section and number, an indicator by its objective and order, a target by its indicator and
period. The hidden DATA columns carry the fields the printed document does not show; a row
typed by hand without them gets the defaults (order by position, higher is better, summed,
not cumulative) but must name its kind and frequency.
"""

import datetime
import re
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
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from sasaran import numbers, periods, services, workbooks
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

from . import export_xlsx as layout

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # a zip bomb stops here
MAX_ROWS = 20_000  # all sheets together, counted before openpyxl reads them
MAX_CELLS = MAX_ROWS * 40
MAX_INTEGER_DIGITS = AMOUNT["max_digits"] - AMOUNT["decimal_places"]
QUANTUM = Decimal(1).scaleb(-AMOUNT["decimal_places"])

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "january", "jan"),
            ("februari", "february", "feb", "pebruari"),
            ("maret", "march", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("agustus", "august", "agu", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov", "nopember"),
            ("desember", "december", "des", "dec"),
        ],
        start=1,
    )
    for name in names
}


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


@dataclass
class ImportResult:
    manual: QualityManual
    manual_created: bool = False
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    deleted: dict = field(default_factory=dict)
    totals: dict = field(default_factory=dict)

    def count(self, bucket, name, n=1):
        getattr(self, bucket)[name] = getattr(self, bucket).get(name, 0) + n


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
    position_name: str
    position_column: int | None
    targets: dict  # period -> (value, upper)


@dataclass
class ParsedObjective:
    row: int | None
    number: int
    text: str
    indicators: list = field(default_factory=list)


@dataclass
class ParsedSection:
    row: int | None
    order: int
    level: str
    title: str
    objectives: dict = field(default_factory=dict)  # number -> ParsedObjective


@dataclass
class ParsedManual:
    fields: dict
    sections: list
    signer: tuple | None  # (row, column, position name)


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
        if name in layout.DATA_FIELDS:
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
            section = _section_row(reader, row, hidden, sequence["section"], sections)
            objective = None
            continue
        if section is None:
            reader.problem(row, layout.COL_NO, "Baris indikator sebelum baris judul bagian.")
            continue
        objective = _objective_for(reader, row, section, objective)
        indicator = _indicator_row(reader, row, hidden, unit)
        objective.indicators.append(indicator)

    for section in sections:
        for objective in section.objectives.values():
            _number_indicators(reader, objective)
    if not sections and not problems:
        reader.problem(
            layout.HEADER_ROW + 1, 1, "Tidak ada bagian maupun indikator di bawah judul tabel."
        )
    return ParsedManual(manual_fields, sections, signer), problems


def _section_row(reader, row, hidden, position, sections):
    title = reader.text(row, layout.COL_NO, required="Judul bagian", max_length=200)
    order = reader.whole(row, hidden("bagian_urutan"), "Urutan bagian") or position
    level_column = hidden("bagian_tingkat")
    level_text = reader.text(row, level_column) if level_column else ""
    level = None
    if level_text:
        level = reader.choice(row, level_column, Position.Level.choices, "Kode tingkat bagian")
    else:
        for value, label in Position.Level.choices:
            if title.lower().startswith(str(label).lower()):
                level = value
        if level is None:
            reader.problem(
                row,
                level_column or layout.COL_NO,
                "Tingkat bagian tidak diketahui; isi kolom bagian_tingkat "
                "(kepala, kasubbag atau staf).",
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


def _indicator_row(reader, row, hidden, unit):
    fields = {
        "name": reader.text(row, layout.COL_NAME, required="Indikator kinerja"),
        "measurement_method": reader.text(row, layout.COL_METHOD, required="Metode pengukuran"),
    }
    for name, key, choices, what in (
        ("frekuensi", "frequency", Indicator.Frequency.choices, "Kode frekuensi"),
        ("jenis", "kind", Indicator.Kind.choices, "Kode jenis ukuran"),
    ):
        if hidden(name):
            fields[key] = reader.choice(row, hidden(name), choices, what)
        else:
            fields[key] = None
            reader.problem(row, layout.COL_NAME, f"Kolom data '{name}' tidak ada; {what} kosong.")
    frequency = fields["frequency"]
    fields["polarity"] = reader.choice(
        row,
        hidden("polaritas"),
        Indicator.Polarity.choices,
        "Kode polaritas",
        default=Indicator.Polarity.HIGHER,
    )
    fields["aggregation"] = reader.choice(
        row,
        hidden("penggabungan"),
        Indicator.Aggregation.choices,
        "Kode penggabungan",
        default=Indicator.Aggregation.SUM,
    )
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
    fields["frequency_text"] = _displayed(
        reader.text(row, layout.COL_FREQUENCY), raw("frekuensi_teks"), frequency_label
    )
    position_column = hidden("jabatan_penanggung_jawab")
    position_name = reader.text(row, position_column) if position_column else ""
    visible_responsible = reader.text(row, layout.COL_RESPONSIBLE)
    if not position_name:
        position_name, position_column = visible_responsible, layout.COL_RESPONSIBLE
    if not position_name:
        reader.problem(row, layout.COL_RESPONSIBLE, "Penanggung jawab kosong.")
    fields["responsible_text"] = _displayed(
        visible_responsible, raw("penanggung_jawab_teks"), position_name
    )
    if len(fields["responsible_text"]) > 200:
        reader.problem(
            row,
            layout.COL_RESPONSIBLE,
            "Teks penanggung jawab terlalu panjang (paling banyak 200).",
        )
    fields["unit_of_measure"] = _displayed(
        reader.text(row, layout.COL_UNIT),
        raw("satuan"),
        "%" if fields["kind"] == Indicator.Kind.PERCENTAGE else None,
    )
    if len(fields["unit_of_measure"]) > 40:
        reader.problem(row, layout.COL_UNIT, "Satuan terlalu panjang (paling banyak 40).")

    targets = {}
    for period, column in layout.TARGET_COLUMNS.items():
        label = layout.HEADERS[column - 1]
        value = reader.number(row, column, f"Target {label}")
        upper_column = hidden(layout.UPPER_FIELDS[period])
        upper = reader.number(row, upper_column, f"Batas atas {label}")
        if upper is not None and value is None:
            if reader.raw(row, column) is None:
                reader.problem(row, upper_column, f"Batas atas {label} tanpa target.")
        elif upper is not None and upper < value:
            reader.problem(
                row,
                upper_column,
                f"Batas atas {label} ({upper}) lebih kecil dari targetnya ({value}).",
            )
        if value is not None:
            targets[period] = (value, upper)

    return ParsedIndicator(
        row=row,
        order=reader.whole(row, hidden("indikator_urutan"), "Urutan indikator"),
        order_column=hidden("indikator_urutan"),
        fields=fields,
        position_name=position_name,
        position_column=position_column,
        targets=targets,
    )


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


def _resolve_positions(parsed, unit, problems):
    positions = {p.name: p for p in Position.objects.filter(unit=unit)}
    for section in parsed.sections:
        for objective in section.objectives.values():
            for item in objective.indicators:
                if not item.position_name:
                    continue
                position = positions.get(item.position_name)
                if position is None:
                    problems.append(
                        Problem(
                            item.row,
                            _letter(item.position_column),
                            f"Jabatan '{item.position_name}' tidak ada di unit {unit.name}.",
                        )
                    )
                item.fields["responsible_position"] = position
    signed_by = None
    if parsed.signer and parsed.signer[2]:
        row, column, name = parsed.signer
        signed_by = positions.get(name)
        if signed_by is None:
            problems.append(
                Problem(
                    row,
                    _letter(column),
                    f"Jabatan penandatangan '{name}' tidak ada di unit {unit.name}.",
                )
            )
    return signed_by


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
                    label = layout.HEADERS[layout.TARGET_COLUMNS[target.period] - 1]
                    problems.append(
                        Problem(
                            item.row,
                            _letter(layout.TARGET_COLUMNS[target.period]),
                            f"Target {label} sudah dilaporkan (ada realisasi yang diajukan atau "
                            f"disetujui) dan tidak diubah lewat impor: tersimpan "
                            f"{_shown(target.value, target.upper)}, di berkas "
                            f"{_shown(value, upper)}. Revisi target memerlukan alasan dan dasar "
                            "revisi (nomor dan tanggal SK): ubah di halaman admin Indikator, "
                            "lalu impor ulang.",
                        )
                    )


# --------------------------------------------------------------------------- saving


def _upsert(result, name, model, lookup, values):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        result.count("created", name)
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.save(update_fields=changed)
        result.count("updated", name)
    return obj


def _delete(result, name, queryset):
    for obj in queryset:  # one by one, so that history records the deletion
        obj.delete()
        result.count("deleted", name)


def _save(parsed, unit, year, signed_by, manual):
    values = dict(parsed.fields)
    if signed_by is not None:
        values["signed_by"] = signed_by
    result = ImportResult(manual=None, manual_created=manual is None)
    manual = _upsert(result, "dokumen", QualityManual, {"unit": unit, "year": year}, values)
    result.manual = manual

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
    )
    _delete(
        result,
        "sasaran",
        [
            o
            for o in Objective.objects.filter(section__manual=manual).select_related("section")
            if (o.section.order, o.number) not in kept_objectives
        ],
    )
    _delete(
        result, "bagian", Section.objects.filter(manual=manual).exclude(order__in=kept_sections)
    )

    for spec in parsed.sections:
        section = _upsert(
            result,
            "bagian",
            Section,
            {"manual": manual, "order": spec.order},
            {"level": spec.level, "title": spec.title},
        )
        for objective_spec in spec.objectives.values():
            objective = _upsert(
                result,
                "sasaran",
                Objective,
                {"section": section, "number": objective_spec.number},
                {"text": objective_spec.text},
            )
            for item in objective_spec.indicators:
                indicator = _upsert(
                    result,
                    "indikator",
                    Indicator,
                    {"objective": objective, "order": item.order},
                    item.fields,
                )
                _delete(
                    result,
                    "target",
                    indicator.targets.exclude(period__in=list(item.targets)),
                )
                for period, (value, upper) in item.targets.items():
                    _upsert(
                        result,
                        "target",
                        Target,
                        {"indicator": indicator, "period": period},
                        {"value": value, "upper": upper},
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


def import_manual_workbook(*, file, unit, year):
    """Create or update the Sasaran Mutu of `unit` and `year` from a workbook (a path or a
    file object) in the `manual_workbook` layout. Returns an ImportResult; raises
    WorkbookRejected with every problem found, saving nothing."""
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
    return save_parsed_manual(parsed=parsed, unit=unit, year=year, problems=problems)


def save_parsed_manual(*, parsed, unit, year, problems=()):
    """Create or update the Sasaran Mutu of `unit` and `year` from a ParsedManual, in one
    transaction, as the workbook import does: position names are looked up in `unit`, rows
    are saved only where they differ, what `parsed` no longer holds is deleted (refused for
    indicators with realisations). `problems` are those found while parsing; with any of
    them, or any found here, raises WorkbookRejected and saves nothing. Returns an
    ImportResult."""
    problems = list(problems)
    try:
        with transaction.atomic():
            manual = QualityManual.objects.select_for_update().filter(unit=unit, year=year).first()
            signed_by = _resolve_positions(parsed, unit, problems)
            _check_deletions(manual, parsed, problems)
            _check_reported_targets(manual, parsed, problems)
            if problems:
                raise WorkbookRejected(problems)
            return _save(parsed, unit, year, signed_by, manual)
    except DatabaseError as error:  # a rule of the database the checks above missed
        raise WorkbookRejected(
            [*problems, Problem(None, None, f"Data ditolak basis data: {error}")]
        ) from error


# --------------------------------------------------------------------------- admin page


class ImportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.order_by("name"))
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    file = forms.FileField(
        label=_("Berkas Excel (.xlsx)"),
        help_text=_("Tata letak sama dengan unduhan Excel Sasaran Mutu; paling besar 5 MB."),
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


def admin_import_view(model_admin, request):
    """The "Impor dari Excel" page of the QualityManual admin."""
    if not request.user.has_perm("sasaran.change_qualitymanual"):
        raise PermissionDenied
    problems = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = import_manual_workbook(
                    file=data["file"], unit=data["unit"], year=data["year"]
                )
            except WorkbookRejected as rejected:
                problems = rejected.problems
            else:
                messages.success(request, success_message(result))
                return redirect(
                    reverse("admin:sasaran_qualitymanual_change", args=[result.manual.pk])
                )
    else:
        form = ImportForm(initial={"year": periods.today().year})
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Impor Sasaran Mutu dari Excel"),
        "form": form,
        "problems": problems,
        "has_view_permission": model_admin.has_view_permission(request),
    }
    return TemplateResponse(request, "admin/sasaran/qualitymanual/import.html", context)


def success_message(result):
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
    manual = result.manual
    return (
        f"Impor {manual.document_number} {manual.year} — {manual.unit.name}: "
        + "; ".join(parts)
        + "."
    )
