"""Import of paper questionnaires from a workbook in the usual recap layout:

    No | Jenis Layanan | Jenis Kelamin | Usia | Pendidikan | Pekerjaan | Tanggal | U1 ... U9

Title rows above the header are skipped (the header is the first row with a cell "U1").
Only the unsur columns are required; "Jenis Layanan" too when the survey has several
services. Profile cells take the code or the label ("L" or "Laki-laki", "S1" or "D4/S1"),
and an age in years is put in its age group. A missing date takes the default date of the
import form. Every bad cell is reported as "Baris n, kolom X" and nothing is saved unless
every row is good (`survey_services.responses_create` is atomic).
"""

from __future__ import annotations

import datetime
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from sasaran import workbooks

from . import services as survey_services
from .models import Response

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
HEADER_SCAN_ROWS = 15
# Checked before openpyxl reads the file (see sasaran.workbooks); all sheets together.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_SHEET_ROWS = 2 * (MAX_ROWS + HEADER_SCAN_ROWS)
MAX_COLUMNS = 50

PROFILE_HEADERS = {
    "service": ["jenis layanan", "layanan", "jenis pelayanan"],
    "sex": ["jenis kelamin", "jk", "kelamin"],
    "age_group": ["usia", "umur"],
    "education": ["pendidikan", "pendidikan terakhir"],
    "occupation": ["pekerjaan", "pekerjaan utama"],
    "date": ["tanggal", "tgl", "tanggal survei"],
    "number": ["no", "no.", "nomor"],
}
EXTRA_ALIASES = {
    "sex": {"laki": "L", "pria": "L", "wanita": "P"},
    "education": {
        "smk": "SMA",
        "sma": "SMA",
        "d1": "D1-D3",
        "d2": "D1-D3",
        "d3": "D1-D3",
        "d4": "S1",
        "s1": "S1",
        "sd": "SD",
    },
    "occupation": {
        "asn": "pns",
        "pns": "pns",
        "tni": "tni-polri",
        "polri": "tni-polri",
        "swasta": "swasta",
        "wiraswasta": "wirausaha",
        "pelajar": "pelajar",
        "mahasiswa": "pelajar",
    },
}


def _norm(value):
    return " ".join(str(value).strip().lower().split()) if value is not None else ""


def _profile_lookup(name):
    """Accepted spellings (lower case) of a profile field's values, to its stored code."""
    lookup = {}
    for code, label in Response._meta.get_field(name).choices:
        lookup[_norm(code)] = code
        lookup[_norm(label)] = code
    lookup.update(EXTRA_ALIASES.get(name, {}))
    return lookup


def _age_group(years):
    bounds = [(20, "<20"), (30, "20-29"), (40, "30-39"), (50, "40-49"), (60, "50-59")]
    for limit, group in bounds:
        if years < limit:
            return group
    return "60+"


class _Sheet:
    """The header of a recap sheet and where each column is."""

    def __init__(self, rows, survey, unsur):
        self.header_row, header = self._find_header(rows)
        self.columns = {}
        names = {_norm(cell): index for index, cell in enumerate(header) if cell is not None}
        for key, aliases in PROFILE_HEADERS.items():
            for alias in aliases:
                if alias in names:
                    self.columns[key] = names[alias]
                    break
        self.unsur_columns = {}
        missing = []
        for item in unsur:
            index = names.get(_norm(item.code))
            if index is None:
                missing.append(item.code)
            else:
                self.unsur_columns[item.pk] = (item.code, index)
        if missing:
            raise ValidationError(
                _("Kolom %(codes)s tidak ditemukan di baris judul (baris %(row)s).")
                % {"codes": ", ".join(missing), "row": self.header_row}
            )
        if "service" not in self.columns and survey.services.count() != 1:
            raise ValidationError(
                _("Kolom “Jenis Layanan” wajib ada karena survei ini memiliki beberapa layanan.")
            )

    @staticmethod
    def _find_header(rows):
        for number, row in enumerate(rows[:HEADER_SCAN_ROWS], start=1):
            if any(_norm(cell) == "u1" for cell in row):
                return number, row
        raise ValidationError(
            _("Baris judul tidak ditemukan: harus ada kolom U1, U2, ... di %(n)s baris pertama.")
            % {"n": HEADER_SCAN_ROWS}
        )


def _cell_name(row_number, index, title):
    return _("Baris %(row)s, kolom %(col)s (%(title)s)") % {
        "row": row_number,
        "col": get_column_letter(index + 1),
        "title": title,
    }


def _answer(value, where, errors):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip() in {"1", "2", "3", "4"}:
        value = int(value.strip())
    if isinstance(value, bool) or value not in (1, 2, 3, 4):
        errors.append(
            _("%(where)s: jawaban harus 1, 2, 3 atau 4; tertulis “%(value)s”.")
            % {"where": where, "value": value}
        )
        return None
    return value


def _profile(name, value, where, errors):
    if value is None or not str(value).strip():
        return ""
    if name == "age_group" and isinstance(value, int | float) and not isinstance(value, bool):
        return _age_group(value)
    code = _profile_lookup(name).get(_norm(value))
    if code is None:
        errors.append(
            _("%(where)s: isian “%(value)s” tidak dikenal.") % {"where": where, "value": value}
        )
        return ""
    return code


def _date(value, default, where, errors):
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
    errors.append(
        _("%(where)s: tanggal “%(value)s” tidak sah (contoh: 31-03-2023).")
        % {"where": where, "value": value}
    )
    return default


def _service(value, where, services, errors):
    if len(services) == 1 and (value is None or not str(value).strip()):
        return next(iter(services.values()))
    service = services.get(_norm(value))
    if service is None:
        errors.append(
            _("%(where)s: jenis layanan “%(value)s” tidak ada di survei ini.")
            % {"where": where, "value": value or ""}
        )
    return service


def _read_rows(upload):
    """The rows of the first sheet, once `workbooks.open_workbook` found the file safe."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("Berkas terlalu besar; batasnya 5 MB."))
    not_a_workbook = ValidationError(_("Berkas bukan workbook Excel (.xlsx) yang sah."))
    try:
        workbook = workbooks.open_workbook(
            upload,
            max_uncompressed_bytes=MAX_UNCOMPRESSED_BYTES,
            max_rows=MAX_SHEET_ROWS,
            max_cells=MAX_SHEET_ROWS * MAX_COLUMNS,
            read_only=True,
            data_only=True,
        )
    except workbooks.WorkbookRefused as refused:
        raise ValidationError(refused.message) from None
    except workbooks.WorkbookUnreadable:
        raise not_a_workbook from None
    rows = []
    try:  # a read-only workbook parses its sheet only while the rows are read
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise ValidationError(_("Terlalu banyak baris; batasnya %(n)s.") % {"n": MAX_ROWS})
    except workbooks.PARSE_ERRORS:
        raise not_a_workbook from None
    finally:
        workbook.close()
    return rows


PROFILE_TITLES = [
    ("sex", "Jenis Kelamin"),
    ("age_group", "Usia"),
    ("education", "Pendidikan"),
    ("occupation", "Pekerjaan"),
]


def _parse_row(sheet, number, cells, services, default_date, errors):
    def cell(key, title):
        index = sheet.columns.get(key)
        if index is None:
            return None, ""
        return cells[index], _cell_name(number, index, title)

    row = {"number": number, "answers": {}}
    for unsur_id, (code, index) in sheet.unsur_columns.items():
        where = _cell_name(number, index, code)
        row["answers"][unsur_id] = _answer(cells[index], where, errors)
    row["service"] = _service(*cell("service", "Jenis Layanan"), services, errors)
    for name, title in PROFILE_TITLES:
        row[name] = _profile(name, *cell(name, title), errors)
    value, where = cell("date", "Tanggal")
    row["date"] = _date(value, default_date, where, errors)
    return row


def _is_summary(sheet, cells):
    index = sheet.columns.get("number")
    label = cells[index] if index is not None else None
    return isinstance(label, str) and any(ch.isalpha() for ch in label)


def parse_workbook(survey, upload, default_date):
    """The rows of `responses_create` from an uploaded recap workbook, or ValidationError."""
    rows = _read_rows(upload)
    sheet = _Sheet(rows, survey, list(survey.unsur.all()))
    services = {_norm(s.name): s for s in survey.services.all()}
    width = len(rows[sheet.header_row - 1])
    errors, parsed = [], []
    for number, cells in enumerate(rows[sheet.header_row :], start=sheet.header_row + 1):
        cells = cells + [None] * (width - len(cells))
        if all(cells[i] in (None, "") for _code, i in sheet.unsur_columns.values()):
            continue  # an empty line or a note below the table
        if _is_summary(sheet, cells):
            continue  # "Jumlah", "NRR", "IKM" ... rows under the recap
        parsed.append(_parse_row(sheet, number, cells, services, default_date, errors))
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("Tidak ada baris jawaban di bawah baris judul."))
    return parsed


def import_workbook(*, survey, upload, default_date):
    """Parse and save; all rows or none. Returns the saved responses."""
    rows = parse_workbook(survey, upload, default_date)
    return survey_services.responses_create(survey=survey, rows=rows, source=Response.Source.IMPORT)


def template_workbook(survey):
    """An empty recap workbook with the header this import reads."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Rekap SKM"
    sheet.append([f"Rekap SKM {survey.period_label} — {survey.unit.name}"])
    sheet.append(
        ["No", "Jenis Layanan", "Jenis Kelamin", "Usia", "Pendidikan", "Pekerjaan", "Tanggal"]
        + [u.code for u in survey.unsur.all()]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
