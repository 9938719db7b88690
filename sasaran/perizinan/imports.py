"""Import of the permit log and the staff task log: CSV or xlsx as the permit system (Jakevo,
OSS-RBA, any other) or the office exports it.

- The file is read a row at a time (CSV through the csv module, xlsx through openpyxl's
  read-only mode after `sasaran.workbooks` has checked it), so that 100,000 rows take a few
  seconds and memory does not grow with the file: valid rows are written in batches of
  `BATCH` with bulk_create and bulk_update, and only a fixed-size key per row is remembered
  (to find a number given twice).
- The header row is the first of the first `HEADER_SCAN_ROWS` rows with two cells or more
  filled; the rows above it (a title) are skipped. Which column holds what is the unit's
  `ColumnMapping`, saved at the first import (`guess_mapping` proposes one from the headings).
- A row is bad when a mapped cell cannot be read: a missing number, an unknown permit type, a
  date that is none, an issue before the file was complete, a number given twice. Each bad
  row is listed with its row and column (the first `MAX_ERRORS`), and nothing is saved while
  there is one: the save runs in one transaction, rolled back on any error.
- Importing the same log again changes nothing: permits are matched by number (tasks by
  their reference) and a row is written only when it differs. A permit missing from the file
  stays: a log of one quarter does not delete the others.
- The years the log reaches are seeded into the holiday table on saving.

`preview` reads and checks without writing; `save` writes. Both return an `Outcome`.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree
from openpyxl.utils import get_column_letter

from sasaran import workbooks

from . import calendars
from .dates import DateError, parse_moment
from .models import ColumnMapping, ImportRun, Permit, PermitType, Task, TaskKind

BATCH = 1000
MAX_ERRORS = 100
MAX_ROWS = 200_000
MAX_COLUMNS = 60
HEADER_SCAN_ROWS = 20
# An uploaded log is at most the app's upload limit (FILE_UPLOAD_MAX_BYTES); the command
# `import_permit_log` reads larger files from disk. Checked before openpyxl parses a workbook.
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
EXTENSIONS = ("csv", "xlsx")
PENDING_MAX_AGE = 24 * 3600  # seconds an uploaded log waits for its confirmation
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_KEY = re.compile(r"[^0-9a-z]+")

PERMITS, TASKS = ImportRun.Log.PERMITS, ImportRun.Log.TASKS


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    required: bool  # must be mapped to a column
    exact: tuple = ()  # headings (as `heading_key` gives them) that name it
    words: tuple = ()  # words a heading that names it contains


FIELDS = {
    PERMITS: [
        Field(
            "number",
            gettext_lazy("Nomor izin / permohonan"),
            True,
            (
                "no",
                "nomor",
                "noizin",
                "nomorizin",
                "nopermohonan",
                "nomorpermohonan",
                "noregistrasi",
                "nomorregistrasi",
                "noberkas",
                "nomorberkas",
                "idpermohonan",
            ),
            ("permohonan", "registrasi", "nomor"),
        ),
        Field(
            "permit_type",
            gettext_lazy("Jenis izin"),
            True,
            ("jenisizin", "jenisperizinan", "namaizin", "jenislayanan", "layanan", "izin"),
            ("jenis", "layanan"),
        ),
        Field(
            "complete_on",
            gettext_lazy("Tanggal berkas lengkap dan benar"),
            True,
            ("tanggallengkap", "tgllengkap", "berkaslengkap", "tanggalberkaslengkap"),
            ("lengkap", "diterima", "masuk"),
        ),
        Field(
            "issued_on",
            gettext_lazy("Tanggal terbit"),
            True,
            ("tanggalterbit", "tglterbit", "terbit", "tanggalizinterbit", "tanggalpenerbitan"),
            ("terbit", "penerbitan", "selesai"),
        ),
        Field("status", gettext_lazy("Status"), False, ("status",), ("status",)),
    ],
    TASKS: [
        Field(
            "kind",
            gettext_lazy("Jenis tugas"),
            True,
            ("jenistugas", "jenis", "tugas", "kegiatan", "jeniskegiatan"),
            ("jenis", "tugas", "kegiatan"),
        ),
        Field(
            "start",
            gettext_lazy("Mulai"),
            True,
            ("mulai", "tanggalmulai", "waktumulai", "tglmulai", "tanggalterima"),
            ("mulai", "terima"),
        ),
        Field(
            "end",
            gettext_lazy("Selesai"),
            True,
            ("selesai", "tanggalselesai", "waktuselesai", "tglselesai"),
            ("selesai",),
        ),
        Field(
            "officer",
            gettext_lazy("Petugas"),
            False,
            ("petugas", "pelaksana", "nama", "namapetugas", "pegawai"),
            ("petugas", "pelaksana"),
        ),
        Field(
            "reference",
            gettext_lazy("Nomor (berkas, surat, agenda)"),
            False,
            ("no", "nomor", "nomorberkas", "nomorsurat", "noagenda", "nomoragenda", "noberkas"),
            ("nomor",),
        ),
    ],
}


class LogUnreadable(Exception):
    """The file cannot be read as a log at all; `message` says why (Indonesian)."""

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


def heading_key(value):
    """A heading or a type name as compared: lower case, letters and digits only."""
    return _KEY.sub("", str(value).lower())


def _name_key(value):
    """A permit type or task kind as matched: lower case, spaces collapsed."""
    return " ".join(str(value).split()).lower()


# --------------------------------------------------------------------------- pending files


def pending_dir():
    return Path(settings.MEDIA_ROOT) / "perizinan-impor"


def pending_path(token, ext):
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token or "") or ext not in EXTENSIONS:
        return None
    return pending_dir() / f"{token}.{ext}"


def store_upload(upload):
    """Keep an uploaded log until its import is confirmed; (token, extension). Files older
    than `PENDING_MAX_AGE` are removed on the way."""
    ext = Path(upload.name or "").suffix.lower().lstrip(".")
    if ext not in EXTENSIONS:
        raise LogUnreadable(_("Unggah berkas .csv atau .xlsx."))
    folder = pending_dir()
    folder.mkdir(parents=True, exist_ok=True)
    purge_pending()
    token = secrets.token_urlsafe(24)
    path = pending_path(token, ext)
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token, ext


def discard_pending(token, ext):
    path = pending_path(token, ext)
    if path is not None:
        path.unlink(missing_ok=True)


def purge_pending(now=None):
    folder = pending_dir()
    if not folder.exists():
        return
    limit = (now or time.time()) - PENDING_MAX_AGE
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


# --------------------------------------------------------------------------- reading


def _encoding(path):
    """utf-8 (with or without its byte-order mark) when the whole file decodes as such, else
    Windows-1252 (what Excel writes a CSV in on Windows)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as raw:
        try:
            while chunk := raw.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _delimiter(sample):
    """The delimiter of a CSV from its first lines: ; (Excel in Indonesian), ",", tab or |."""
    lines = [line for line in sample.splitlines() if line.strip()][: HEADER_SCAN_ROWS + 2]
    pairs = list(zip(lines, lines[1:], strict=False)) or [(line, line) for line in lines]
    if not pairs:
        return ","
    # The header and the row below it hold the same number of delimiters (a title above
    # them may hold none).
    return max(";,\t|", key=lambda sep: max(min(a.count(sep), b.count(sep)) for a, b in pairs))


def _csv_rows(path):
    encoding = _encoding(path)
    with open(path, encoding=encoding, errors="replace", newline="") as text:
        sample = text.read(64 * 1024)
        text.seek(0)
        reader = csv.reader(text, delimiter=_delimiter(sample))
        try:
            for number, row in enumerate(reader, start=1):
                if number > MAX_ROWS + HEADER_SCAN_ROWS:
                    raise LogUnreadable(
                        _("Terlalu banyak baris; batasnya %(n)s.")
                        % {"n": f"{MAX_ROWS:,}".replace(",", ".")}
                    )
                yield number, row[:MAX_COLUMNS]
        except csv.Error as error:
            message = _("Berkas CSV tidak dapat dibaca: %(error)s") % {"error": error}
            raise LogUnreadable(message) from None


SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_REF = re.compile(r"([A-Z]{1,3})")


def _column_index(ref):
    match = _CELL_REF.match(ref or "")
    if not match:
        return None
    index = 0
    for letter in match.group(1):
        index = index * 26 + ord(letter) - 64
    return index - 1


def _cell_value(cell, shared):
    """A sheet cell's value as the checker reads it: text, a number (an Excel serial in a
    date column), or None."""
    kind = cell.get("t")
    if kind == "inlineStr":
        return "".join(cell.itertext())
    value = cell.find(f"{SHEET_NS}v")
    text = value.text if value is not None else None
    if text is None:
        return None
    if kind == "s":
        return shared[int(text)]
    if kind in ("str", "e", "d"):
        return text
    if kind == "b":
        return text == "1"
    try:
        return int(text) if text.lstrip("-").isdigit() else float(text)
    except ValueError:
        return text


def _xlsx_rows(path):
    """The rows of the first sheet. `sasaran.workbooks` checks the archive and openpyxl
    (read-only) finds the first sheet and reads the shared strings; the sheet's XML is then
    read here with lxml's iterparse, each row dropped once read: openpyxl's own reader took
    three times as long for the same cells (it builds a cell object per value)."""
    try:
        workbook = workbooks.open_workbook(
            str(path),
            max_uncompressed_bytes=MAX_UNCOMPRESSED_BYTES,
            max_rows=MAX_ROWS + HEADER_SCAN_ROWS,
            max_cells=(MAX_ROWS + HEADER_SCAN_ROWS) * 30,
            read_only=True,
            data_only=True,
        )
    except workbooks.WorkbookRefused as refused:
        raise LogUnreadable(refused.message) from None
    except workbooks.WorkbookUnreadable:
        raise LogUnreadable(_("Berkas bukan workbook Excel (.xlsx) yang sah.")) from None
    try:
        sheet = workbook.worksheets[0]
        shared = sheet._shared_strings
        source = sheet._get_source()
        try:
            parser = etree.iterparse(
                source,
                events=("end",),
                tag=f"{SHEET_NS}row",
                resolve_entities=False,
                no_network=True,
            )
            previous = 0
            for _event, row in parser:
                number = int(row.get("r") or previous + 1)
                previous = number
                cells = []
                for cell in row.iterchildren(f"{SHEET_NS}c"):
                    index = _column_index(cell.get("r"))
                    index = len(cells) if index is None else index
                    if index >= MAX_COLUMNS:
                        continue
                    cells.extend([None] * (index - len(cells)))
                    cells.append(_cell_value(cell, shared))
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]
                yield number, cells
        finally:
            source.close()
    except (*workbooks.PARSE_ERRORS, etree.XMLSyntaxError):
        raise LogUnreadable(_("Berkas bukan workbook Excel (.xlsx) yang sah.")) from None
    finally:
        workbook.close()


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _rows(path, ext):
    return _csv_rows(path) if ext == "csv" else _xlsx_rows(path)


@dataclass
class Layout:
    headers: list  # the column headings, unique ("Tanggal", "Tanggal (2)", "Kolom C")
    header_row: int


def _headers(cells):
    headers, seen = [], Counter()
    for index, cell in enumerate(cells):
        text = " ".join(str(cell).split()) if not _blank(cell) else ""
        text = text[:100] or _("Kolom %(letter)s") % {"letter": get_column_letter(index + 1)}
        seen[text] += 1
        headers.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    while headers and headers[-1].startswith(_("Kolom ")) and _blank(cells[len(headers) - 1]):
        headers.pop()
    return headers


def _find_header(rows):
    """(Layout, the rows after it) of a log: the first row among the first ones with two
    filled cells or more is the header."""
    for number, cells in rows:
        if sum(not _blank(cell) for cell in cells) >= 2:
            return Layout(_headers(cells), number), rows
        if number >= HEADER_SCAN_ROWS:
            break
    raise LogUnreadable(
        _("Baris judul kolom tidak ditemukan di %(n)s baris pertama berkas.")
        % {"n": HEADER_SCAN_ROWS}
    )


def read_layout(path, ext):
    """The headings of a stored log (to map its columns)."""
    rows = _rows(path, ext)
    try:
        layout, _rest = _find_header(rows)
    finally:
        rows.close()
    return layout


def guess_mapping(log, headers):
    """{field: heading} proposed for a new file: a heading that is one of the field's usual
    names, else one that contains one of its words; each heading at most once."""
    keys = {heading: heading_key(heading) for heading in headers}
    mapping, used = {}, set()
    for exact in (True, False):
        for item in FIELDS[log]:
            if item.name in mapping:
                continue
            for heading, key in keys.items():
                if heading in used:
                    continue
                hit = key in item.exact if exact else any(word in key for word in item.words)
                if hit:
                    mapping[item.name] = heading
                    used.add(heading)
                    break
    return mapping


def mapping_fits(log, mapping, headers):
    """Whether a saved mapping names every required field and only headings of the file."""
    names = {item.name for item in FIELDS[log]}
    required = {item.name for item in FIELDS[log] if item.required}
    chosen = {name: heading for name, heading in (mapping or {}).items() if heading}
    return (
        required <= set(chosen)
        and set(chosen) <= names
        and all(heading in headers for heading in chosen.values())
    )


def saved_mapping(unit, log):
    row = ColumnMapping.objects.filter(unit=unit, log=log).first()
    return row.columns if row else {}


def save_mapping(unit, log, mapping):
    columns = {name: heading for name, heading in mapping.items() if heading}
    ColumnMapping.objects.update_or_create(unit=unit, log=log, defaults={"columns": columns})


# --------------------------------------------------------------------------- checking rows


@dataclass
class Outcome:
    """What an import read and did (or, previewed, would do)."""

    log: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list = field(default_factory=list)  # messages, the first MAX_ERRORS
    unknown: Counter = field(default_factory=Counter)  # unknown type or kind -> rows
    first: datetime.date | None = None  # the earliest and latest date of issue or end
    last: datetime.date | None = None
    sample: list = field(default_factory=list)  # the first rows as read, for the preview
    years: set = field(default_factory=set)
    seconds: float = 0.0
    run: ImportRun | None = None

    @property
    def ok(self):
        return self.error_count == 0 and self.rows > 0

    def error(self, row, heading, column, message):
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            if heading is None:
                where = _("Baris %(row)s") % {"row": row}
            else:
                where = _("Baris %(row)s, kolom “%(heading)s” (%(letter)s)") % {
                    "row": row,
                    "heading": heading,
                    "letter": get_column_letter(column + 1),
                }
            self.errors.append(f"{where}: {message}")

    def reach(self, day):
        if day is None:
            return
        self.years.add(day.year)
        if self.first is None or day < self.first:
            self.first = day
        if self.last is None or day > self.last:
            self.last = day


class _Row:
    """One valid row: its key (permit number, task reference) and its model's values."""

    __slots__ = ("key", "values", "number")

    def __init__(self, number, key, values):
        self.number, self.key, self.values = number, key, values


class _Checker:
    """Reads a row's cells into a `_Row`, or records its errors in the outcome."""

    def __init__(self, unit, log, layout, mapping, outcome):
        self.log, self.outcome = log, outcome
        self.columns = {}
        for name, heading in mapping.items():
            if heading in layout.headers:
                self.columns[name] = (layout.headers.index(heading), heading)
        model = PermitType if log == PERMITS else TaskKind
        self.lookup = {}
        for item in model.objects.filter(unit=unit):
            self.lookup.setdefault(_name_key(item.code), item)
            self.lookup.setdefault(_name_key(item.name), item)
        self.names = {item.pk: item.name for item in self.lookup.values()}
        self.label = _("Jenis izin") if log == PERMITS else _("Jenis tugas")
        self.seen = set()  # hash(key): a fixed size per row, not the row
        self.occurrences = Counter()  # derived task references (no number column)

    def cell(self, cells, name):
        if name not in self.columns:
            return None
        index = self.columns[name][0]
        return cells[index] if index < len(cells) else None

    def bad(self, number, name, message):
        index, heading = self.columns.get(name, (0, None))
        self.outcome.error(number, heading, index, message)

    def text(self, number, cells, name, limit, required):
        value = self.cell(cells, name)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number typed in an xlsx cell: 12345, not 12345.0
        if isinstance(value, datetime.datetime | datetime.date):
            value = value.isoformat()
        text = "" if value is None else " ".join(str(value).split())
        if not text and required:
            self.bad(number, name, _("wajib diisi."))
            return None
        if len(text) > limit:
            self.bad(number, name, _("paling banyak %(n)s karakter.") % {"n": limit})
            return None
        if _CONTROL.search(text):
            self.bad(number, name, _("berisi karakter kontrol."))
            return None
        return text

    def moment(self, number, cells, name, required):
        value = self.cell(cells, name)
        try:
            moment = parse_moment(value)
        except DateError as error:
            self.bad(
                number,
                name,
                _(
                    "“%(value)s” bukan tanggal yang dikenali (tulis 17/08/2023, 17 Agustus 2023 "
                    "atau 2023-08-17)."
                )
                % {"value": error.shown},
            )
            return False
        if moment is None:
            if required:
                self.bad(number, name, _("tanggal wajib diisi."))
                return False
            return None
        if not 2000 <= moment[0].year <= 2100:
            self.bad(
                number, name, _("tahun %(year)s di luar 2000-2100.") % {"year": moment[0].year}
            )
            return False
        return moment

    def kind(self, number, cells, name, label):
        text = self.text(number, cells, name, 200, True)
        if text is None:
            return None
        item = self.lookup.get(_name_key(text))
        if item is None:
            self.outcome.unknown[text] += 1
            self.bad(
                number,
                name,
                _("%(what)s “%(value)s” belum terdaftar di unit ini (Pengaturan).")
                % {"what": label, "value": text[:60]},
            )
        return item

    def unique(self, number, name, key):
        digest = hash(key)
        if digest in self.seen:
            self.bad(
                number,
                name,
                _("nomor “%(key)s” muncul lebih dari sekali di berkas.") % {"key": key[:60]},
            )
            return False
        self.seen.add(digest)
        return True

    def permit(self, number, cells):
        errors = self.outcome.error_count
        key = self.text(number, cells, "number", 100, True)
        permit_type = self.kind(number, cells, "permit_type", self.label)
        complete = self.moment(number, cells, "complete_on", True)
        issued = self.moment(number, cells, "issued_on", False)
        status = self.text(number, cells, "status", 100, False)
        if complete and issued and issued[0] < complete[0]:
            self.bad(
                number,
                "issued_on",
                _("tanggal terbit %(issued)s sebelum berkas lengkap %(complete)s.")
                % {
                    "issued": issued[0].strftime("%d/%m/%Y"),
                    "complete": complete[0].strftime("%d/%m/%Y"),
                },
            )
        if key and self.outcome.error_count == errors and not self.unique(number, "number", key):
            return None
        if self.outcome.error_count != errors:
            return None
        issued_on = issued[0] if issued else None
        self.outcome.reach(complete[0])
        self.outcome.reach(issued_on)
        return _Row(number, key, (permit_type.pk, complete[0], issued_on, status or ""))

    def task(self, number, cells):
        errors = self.outcome.error_count
        kind = self.kind(number, cells, "kind", self.label)
        start = self.moment(number, cells, "start", True)
        end = self.moment(number, cells, "end", False)
        officer = self.text(number, cells, "officer", 200, False)
        reference = self.text(number, cells, "reference", 200, False)
        if (
            start
            and end
            and (end[0], end[1] or datetime.time.max) < (start[0], start[1] or datetime.time.min)
        ):
            self.bad(
                number,
                "end",
                _("selesai %(end)s sebelum mulai %(start)s.")
                % {"end": end[0].strftime("%d/%m/%Y"), "start": start[0].strftime("%d/%m/%Y")},
            )
        if self.outcome.error_count != errors:
            return None
        if reference:
            if not self.unique(number, "reference", reference):
                return None
            key = reference
        else:
            # No number in the log: the task is known by its kind, start and officer (the
            # n-th such task in the file), which an end filled in later does not change.
            when = start[0].isoformat() + (f" {start[1]:%H:%M}" if start[1] else "")
            base = f"{kind.code}|{when}|{officer or ''}"[:190]
            self.occurrences[base] += 1
            count = self.occurrences[base]
            key = base if count == 1 else f"{base}#{count}"
        self.outcome.reach(end[0] if end else None)
        self.outcome.reach(start[0])
        return _Row(
            number,
            key,
            (
                kind.pk,
                start[0],
                start[1],
                end[0] if end else None,
                end[1] if end else None,
                officer or "",
            ),
        )


SAMPLE_ROWS = 10


def _valid_rows(rest, checker, outcome):
    check = checker.permit if checker.log == PERMITS else checker.task
    for number, cells in rest:
        if all(_blank(cell) for cell in cells):
            continue
        outcome.rows += 1
        row = check(number, cells)
        if row is not None:
            if len(outcome.sample) < SAMPLE_ROWS:
                values = dict(zip(COLUMNS[checker.log], row.values, strict=True))
                values[COLUMNS[checker.log][0]] = checker.names[row.values[0]]
                outcome.sample.append((number, row.key, values))
            yield row


MODEL = {PERMITS: (Permit, "number"), TASKS: (Task, "reference")}
# The columns of a row's values, in order (`_Row.values`).
COLUMNS = {
    PERMITS: ("permit_type_id", "complete_on", "issued_on", "status"),
    TASKS: ("kind_id", "started_on", "started_time", "ended_on", "ended_time", "officer"),
}


def _batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _db(value):
    """A value as the bulk SQL passes it: dates and times in ISO form (SQLite and PostgreSQL
    both read them so)."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


def _insert(model, columns, rows):
    """INSERT the rows (tuples in `columns` order), many to a statement. Plain SQL: the ORM
    builds a model and compiles every value of every row, which was most of an import's
    time (18 s of 100,000 rows); the values here were checked row by row already."""
    quote = connection.ops.quote_name
    size = max(1, connection.ops.bulk_batch_size(columns, rows))
    names = ", ".join(quote(column) for column in columns)
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES "
            sql += ", ".join([marks] * len(chunk))
            cursor.execute(sql, [_db(value) for row in chunk for value in row])


def _update(model, columns, rows):
    """UPDATE each row (values in `columns` order, then its id)."""
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(column)} = %s" for column in columns)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE id = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[_db(value) for value in row] for row in rows])


def _run(*, unit, log, path, ext, mapping, write):
    rows = _rows(path, ext)  # the file is read once, as it goes
    try:
        return _run_rows(rows, unit=unit, log=log, mapping=mapping, write=write)
    finally:
        rows.close()


def _run_rows(rows, *, unit, log, mapping, write):
    started = time.perf_counter()
    outcome = Outcome(log=log)
    layout, rest = _find_header(rows)
    if not mapping_fits(log, mapping, layout.headers):
        raise LogUnreadable(_("Pemetaan kolom tidak cocok dengan judul kolom berkas ini."))
    checker = _Checker(unit, log, layout, mapping, outcome)
    model, key_field = MODEL[log]
    columns = COLUMNS[log]
    for batch in _batched(_valid_rows(rest, checker, outcome), BATCH):
        existing = {
            row[1]: (row[0], row[2:])
            for row in model.objects.filter(
                unit=unit, **{f"{key_field}__in": [row.key for row in batch]}
            )
            .order_by()  # no join for the model's ordering, no sort
            .values_list("pk", key_field, *columns)
        }
        new, changed = [], []
        for row in batch:
            found = existing.get(row.key)
            if found is None:
                new.append((unit.pk, row.key, *row.values))
            elif found[1] != row.values:
                changed.append((*row.values, found[0]))
            else:
                outcome.unchanged += 1
        outcome.created += len(new)
        outcome.updated += len(changed)
        if write and outcome.error_count == 0:
            if new:
                _insert(model, ("unit_id", key_field, *columns), new)
            if changed:
                _update(model, columns, changed)
    outcome.seconds = time.perf_counter() - started
    return outcome


def preview(*, unit, log, path, ext, mapping):
    """Read and check the log; count what saving would create, change or leave. Writes
    nothing."""
    return _run(unit=unit, log=log, path=path, ext=ext, mapping=mapping, write=False)


class ImportRefused(Exception):
    """A save stopped by bad rows; nothing was saved. `outcome` lists them."""

    def __init__(self, outcome):
        self.outcome = outcome
        super().__init__(f"{outcome.error_count} bad rows")


def save(*, unit, log, path, ext, mapping, user=None, file_name=""):
    """Import the log: every row, or (any bad row: ImportRefused) none. Seeds the holiday
    table for the years the log reaches, records the run and returns the outcome."""
    with transaction.atomic():
        outcome = _run(unit=unit, log=log, path=path, ext=ext, mapping=mapping, write=True)
        if not outcome.ok:
            transaction.set_rollback(True)
            raise ImportRefused(outcome)
        outcome.run = ImportRun.objects.create(
            unit=unit,
            log=log,
            file_name=(file_name or Path(path).name)[-255:],
            imported_by=user,
            rows=outcome.rows,
            created=outcome.created,
            updated=outcome.updated,
            unchanged=outcome.unchanged,
        )
        calendars.ensure_years(outcome.years)
    return outcome


def save_file(*, unit, log, file, mapping=None, user=None):
    """Import a log from a file on disk (the management command, the demo, the bench):
    with the unit's saved mapping, else the guessed one (saved when it fits)."""
    path = Path(file)
    ext = path.suffix.lower().lstrip(".")
    if ext not in EXTENSIONS:
        raise LogUnreadable(_("Unggah berkas .csv atau .xlsx."))
    layout = read_layout(path, ext)
    if mapping is None:
        mapping = saved_mapping(unit, log)
        if not mapping_fits(log, mapping, layout.headers):
            mapping = guess_mapping(log, layout.headers)
            if mapping_fits(log, mapping, layout.headers):
                save_mapping(unit, log, mapping)
    return save(
        unit=unit, log=log, path=path, ext=ext, mapping=mapping, user=user, file_name=path.name
    )


def template_csv(log):
    """An empty log with the usual headings, for an office that keeps its own."""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerow([str(item.label) for item in FIELDS[log]])
    return out.getvalue().encode("utf-8-sig")
