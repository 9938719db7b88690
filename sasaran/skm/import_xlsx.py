"""Import of paper questionnaires from the recap workbook an office already keeps.

Offices head their columns their own way and put summary rows under the respondents, so
the import reads a recap as a person would:

- the sheet: the first one whose first 15 rows hold a header naming unsur columns;
- the header: the row among those 15 that names the most unsur columns ("U1", "U 1",
  "Unsur 1", "P1", "Q1", the unsur's code or its name). The other columns ("No Resp",
  "Jenis Kelamin", "JK", "L/P", "Usia", "Umur", "Pendidikan", "Pekerjaan", "Tanggal",
  "Jenis Layanan") are looked up in that row and, for a header over two rows (a merged
  "UNSUR PELAYANAN" over U1..U9, "No Resp" merged down), in the row above. Case, spaces,
  dots and line breaks do not count: "NO. RESP" is "No Resp".
- a row below the header is a respondent when its answers are whole numbers 1-4 (blank
  allowed), at least one of them given. Every other row is skipped with its reason, shown
  in the preview: summary rows ("Jumlah", "Σ Nilai", "NRR", "NRR tertimbang", "IKM",
  "Rata-rata", "Kategori", "Mutu" ...) and notes ("*) ..."), recognised by the number cell
  or the first text cell, rows with an answer outside 1-4, rows without answers. Empty
  rows pass unmentioned.

Profile cells take the code or the label ("L" or "Laki-laki", "S1" or "D4/S1"); an age in
years ("34", "34 tahun") is put in its age group; a missing date takes the default date of
the form. A respondent row with a bad profile cell, service or date is an error
("Baris n, kolom X"), and nothing is imported until the file is fixed.

`preview_workbook` reads and checks the file and saves nothing; `pending_import` and
`rows_from_pending` carry its rows to the confirmation, and `save_rows` saves them, all or
none (`services.responses_create` is atomic).
"""

from __future__ import annotations

import datetime
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from sasaran import workbooks

from . import ikm as ikm_rules
from . import services as survey_services
from .models import Response

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
HEADER_SCAN_ROWS = 15
# Checked before openpyxl reads the file (see sasaran.workbooks); all sheets together.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_SHEET_ROWS = 2 * (MAX_ROWS + HEADER_SCAN_ROWS)
MAX_COLUMNS = 50
MAX_ERRORS = 100  # a file wrong everywhere is not listed cell by cell
LABEL_LENGTH = 40  # of a summary label or a cell quoted in a reason

# Header names (as `_header_key` gives them) of the respondent's number column.
NUMBER_HEADERS = {
    "no",
    "nomor",
    "nourut",
    "nomorurut",
    "noresp",
    "nores",
    "noresponden",
    "nomorresponden",
    "responden",
}
# Header names of the profile columns; a header may also start with one of four letters
# or more ("Usia (tahun)", "Jenis Kelamin (L/P)").
PROFILE_HEADERS = {
    "service": ["jenislayanan", "jenispelayanan", "layanan", "pelayanan"],
    "sex": ["jeniskelamin", "kelamin", "jk", "lp", "gender"],
    "age_group": ["usia", "umur"],
    "education": ["pendidikan"],
    "occupation": ["pekerjaan", "profesi"],
    "date": ["tanggal", "tgl", "waktu"],
}
# "U3", "U 3", "Unsur 3", "UNSUR\n3", "P3", "Q3", "U03", "U3 Biaya": the third unsur.
UNSUR_HEADER = re.compile(r"(?:unsur|u|p|q)0*([1-9][0-9]?)(?![0-9])")
# The first word of a summary row's label, or of a note under the table.
SUMMARY_WORDS = {
    "jumlah",
    "jml",
    "total",
    "sum",
    "nrr",
    "ikm",
    "rata",
    "ratarata",
    "kategori",
    "mutu",
    "nilai",
    "kinerja",
    "persentase",
    "bobot",
}
SUMMARY_SIGNS = ("σ", "∑")  # "Σ", "Σ Nilai" (Greek capital sigma, or the n-ary sum sign)
NOTE_WORDS = {"keterangan", "ket", "catatan", "sumber"}

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
AGE_IN_YEARS = re.compile(r"([0-9]{1,3})\s*(?:th|thn|tahun)?\.?")
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0"  # an .xls of Excel 97-2003, or an encrypted .xlsx
PROFILE_TITLES = [
    ("sex", "Jenis Kelamin"),
    ("age_group", "Usia"),
    ("education", "Pendidikan"),
    ("occupation", "Pekerjaan"),
]


def _norm(value):
    return " ".join(str(value).strip().lower().split()) if value is not None else ""


def _header_key(value):
    """A header cell as compared: lower-case letters and digits only ("NO. RESP" → "noresp")."""
    return "".join(ch for ch in str(value).lower() if ch.isalnum()) if value is not None else ""


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value):
    """A cell as a reason quotes it: numbers with a decimal comma, text cut short."""
    if isinstance(value, float):
        return format(value, "g").replace(".", ",")
    text = " ".join(str(value).split())
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def _file_error(message):
    """An error about the file as a whole, shown at the form's file field."""
    return ValidationError(message, code="file")


# --------------------------------------------------------------------------- reading


@dataclass
class _Layout:
    """Where the header is and which column holds what (0-based column indexes)."""

    header_row: int  # 1-based; the row of the unsur columns
    unsur: list  # [(Unsur, column)] in the survey's order
    number: int | None = None
    columns: dict = field(default_factory=dict)  # profile name -> column

    @property
    def width(self):
        used = [column for _unsur, column in self.unsur] + list(self.columns.values())
        return max(used + [self.number or 0]) + 1


def _unsur_columns(cells, unsur):
    """{unsur index: column} of the unsur a header row names; the leftmost column wins."""
    by_code = {_header_key(item.code): index for index, item in enumerate(unsur)}
    by_name = {_header_key(item.name): index for index, item in enumerate(unsur)}
    found = {}
    for column, cell in enumerate(cells):
        key = _header_key(cell)
        if not key:
            continue
        index = by_code.get(key, by_name.get(key))
        if index is None and (match := UNSUR_HEADER.match(key)):
            index = int(match.group(1)) - 1  # "Unsur 3" is the survey's third unsur
        if index is not None and index < len(unsur) and index not in found:
            found[index] = column
    return found


def _best_header(rows, unsur):
    """(row number, {unsur index: column}) of the header among the first rows, or None."""
    best = None
    for number, cells in enumerate(rows[:HEADER_SCAN_ROWS], start=1):
        found = _unsur_columns(cells, unsur)
        if found and (best is None or len(found) > len(best[1])):
            best = (number, found)
    return best


def _rows_of(sheet, limit=None):
    """The rows of a read-only sheet as lists, from A1 whatever size the file declares
    (some programs write a wrong one, and openpyxl would trust it)."""
    sheet.reset_dimensions()
    rows = []
    reader = sheet.iter_rows(values_only=True)
    try:
        for row in reader:
            rows.append(list(row))
            if limit is not None and len(rows) >= limit:
                break
    finally:
        reader.close()  # closes the sheet's part in the archive when stopped early
    return rows


def _is_empty(rows):
    return all(_blank(cell) for row in rows for cell in row)


def _open(upload):
    if upload.size > MAX_BYTES:
        raise _file_error(_("Berkas terlalu besar; batasnya 5 MB."))
    try:
        return workbooks.open_workbook(
            upload,
            max_uncompressed_bytes=MAX_UNCOMPRESSED_BYTES,
            max_rows=MAX_SHEET_ROWS,
            max_cells=MAX_SHEET_ROWS * MAX_COLUMNS,
            read_only=True,
            data_only=True,
        )
    except workbooks.WorkbookRefused as refused:
        raise _file_error(refused.message) from None
    except workbooks.WorkbookUnreadable:
        upload.seek(0)
        if upload.read(len(OLE2_SIGNATURE)) == OLE2_SIGNATURE:
            raise _file_error(
                _(
                    "Berkas ini format Excel lama (.xls) atau dilindungi kata sandi: buka di "
                    "Excel, lalu simpan ulang sebagai .xlsx (Excel Workbook) tanpa kata sandi."
                )
            ) from None
        raise _not_a_workbook() from None


def _not_a_workbook():
    return _file_error(_("Berkas bukan workbook Excel (.xlsx) yang sah."))


def _read_recap(upload, unsur):
    """(sheet title, its rows, its header) of the first sheet with an unsur header."""
    workbook = _open(upload)
    try:  # a read-only workbook parses a sheet only while its rows are read
        empty = True
        for sheet in workbook.worksheets:
            head = _rows_of(sheet, HEADER_SCAN_ROWS)
            header = _best_header(head, unsur)
            if header is None:
                empty = empty and _is_empty(_rows_of(sheet))
                continue
            rows = _rows_of(sheet)
            while rows and all(_blank(cell) for cell in rows[-1]):
                rows.pop()  # formatted but empty rows under the table
            if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise _file_error(_("Terlalu banyak baris; batasnya %(n)s.") % {"n": MAX_ROWS})
            return sheet.title, rows, header
    except workbooks.PARSE_ERRORS:
        raise _not_a_workbook() from None
    finally:
        workbook.close()
    if empty:
        raise _file_error(_("Workbook ini kosong: tidak ada isian di lembar mana pun."))
    raise _file_error(
        _(
            "Baris judul tidak ditemukan: di %(n)s baris pertama harus ada kolom jawaban "
            "bernama U1, U2, ... (atau “Unsur 1”, “P1”, atau nama unsurnya)."
        )
        % {"n": HEADER_SCAN_ROWS}
    )


def _layout(rows, header, survey, unsur):
    header_row, found = header
    missing = [item.code for index, item in enumerate(unsur) if index not in found]
    if missing:
        raise _file_error(
            _("Kolom %(codes)s tidak ditemukan di baris judul (baris %(row)s).")
            % {"codes": ", ".join(missing), "row": header_row}
        )
    layout = _Layout(header_row, [(item, found[index]) for index, item in enumerate(unsur)])
    # A column's name is in the header row, or above it when the header takes two rows
    # (a row of one cell above is a title, not part of the header).
    cells = rows[header_row - 1]
    above = rows[header_row - 2] if header_row > 1 else []
    if sum(not _blank(cell) for cell in above) < 2:
        above = []
    taken = set(found.values())
    keys = {}
    for column in range(max(len(cells), len(above))):
        if column in taken:
            continue
        key = _header_key(cells[column] if column < len(cells) else None)
        if not key and column < len(above):
            key = _header_key(above[column])
        if key:
            keys[column] = key
    layout.number = next((c for c, key in keys.items() if key in NUMBER_HEADERS), None)
    for name, aliases in PROFILE_HEADERS.items():
        free = {c: key for c, key in keys.items() if c != layout.number}
        free = {c: key for c, key in free.items() if c not in layout.columns.values()}
        column = next((c for c, key in free.items() if key in aliases), None)
        if column is None:  # "Usia (tahun)", "Jenis Kelamin (L/P)"
            long_aliases = [alias for alias in aliases if len(alias) >= 4]
            column = next(
                (c for c, key in free.items() if key.startswith(tuple(long_aliases))), None
            )
        if column is not None:
            layout.columns[name] = column
    if "service" not in layout.columns and survey.services.count() != 1:
        raise _file_error(
            _("Kolom “Jenis Layanan” wajib ada karena survei ini memiliki beberapa layanan.")
        )
    return layout


# --------------------------------------------------------------------------- rows


def _label(layout, cells, service_keys):
    """The text that names a row: its number cell when that is text, else (the number
    cell empty) its first text cell that is not one of the survey's services."""
    if layout.number is not None:
        number = cells[layout.number]
        if isinstance(number, str) and number.strip():
            return number.strip()
        if not _blank(number):
            return None  # a numbered row: its answers decide
    for cell in cells:
        if isinstance(cell, str) and cell.strip() and _header_key(cell) not in service_keys:
            return cell.strip()
    return None


def _label_reason(label):
    """The reason a row with this label is skipped, or None when it names no summary."""
    text = _norm(label)
    first_word = re.match(r"[^\W_]*", text).group()
    if text.startswith(SUMMARY_SIGNS) or first_word in SUMMARY_WORDS:
        return _("ringkasan (%(label)s)") % {"label": _shown(label)}
    if text.startswith("*") or first_word in NOTE_WORDS:
        return _("catatan (%(label)s)") % {"label": _shown(label)}
    return None


def _answer(value):
    """1-4, or None for a blank cell; ValueError for anything else."""
    if _blank(value):
        return None
    if isinstance(value, str) and value.strip() in {"1", "2", "3", "4"}:
        return int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value in (1, 2, 3, 4):
        return value
    raise ValueError(value)


def _answers(layout, cells):
    """({unsur id: answer}, reason): the reason is None for a respondent's answers."""
    answers, problems = {}, []
    for item, column in layout.unsur:
        value = cells[column]
        try:
            answers[item.pk] = _answer(value)
        except ValueError:
            if isinstance(value, int | float) and not isinstance(value, bool):
                text = _("jawaban %(value)s di %(code)s di luar 1-4")
            else:
                text = _("jawaban “%(value)s” di %(code)s bukan angka 1-4")
            problems.append(text % {"value": _shown(value), "code": item.code})
    if problems:
        reason = problems[0]
        if len(problems) > 1:
            reason += _(" (dan %(n)s sel lain)") % {"n": len(problems) - 1}
        return answers, reason
    if all(value is None for value in answers.values()):
        return answers, _("tanpa jawaban")
    return answers, None


def _cell_name(row_number, index, title):
    return _("Baris %(row)s, kolom %(col)s (%(title)s)") % {
        "row": row_number,
        "col": get_column_letter(index + 1),
        "title": title,
    }


def _profile_lookups():
    """Per profile field: accepted spellings (lower case) of a value, to its stored code."""
    lookups = {}
    for name, _title in PROFILE_TITLES:
        lookup = {}
        for code, label in Response._meta.get_field(name).choices:
            lookup[_norm(code)] = code
            lookup[_norm(label)] = code
        lookup.update(EXTRA_ALIASES.get(name, {}))
        lookups[name] = lookup
    return lookups


def _age_group(years):
    bounds = [(20, "<20"), (30, "20-29"), (40, "30-39"), (50, "40-49"), (60, "50-59")]
    for limit, group in bounds:
        if years < limit:
            return group
    return "60+"


def _profile(name, value, where, lookups, errors):
    if _blank(value):
        return ""
    if name == "age_group":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _age_group(value)
        if match := AGE_IN_YEARS.fullmatch(_norm(value)):
            return _age_group(int(match.group(1)))
    code = lookups[name].get(_norm(value))
    if code is None:
        errors.append(
            _("%(where)s: isian “%(value)s” tidak dikenal.")
            % {"where": where, "value": _shown(value)}
        )
        return ""
    return code


def _date(value, default, where, errors):
    if _blank(value):
        return default
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return from_excel(value).date()  # a date typed into a cell formatted as a number
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
    errors.append(
        _("%(where)s: tanggal “%(value)s” tidak sah (contoh: 31-03-2023).")
        % {"where": where, "value": _shown(value)}
    )
    return default


def _service(value, where, services, errors):
    if len(services) == 1 and _blank(value):
        return next(iter(services.values()))
    service = services.get(_norm(value))
    if service is None:
        errors.append(
            _("%(where)s: jenis layanan “%(value)s” tidak ada di survei ini.")
            % {"where": where, "value": _shown(value) if value is not None else ""}
        )
    return service


def _respondent(layout, number, cells, answers, context, errors):
    services, lookups, default_date = context

    def cell(key, title):
        column = layout.columns.get(key)
        if column is None:
            return None, ""
        return cells[column], _cell_name(number, column, title)

    row = {"number": number, "answers": answers}
    row["service"] = _service(*cell("service", "Jenis Layanan"), services, errors)
    for name, title in PROFILE_TITLES:
        row[name] = _profile(name, *cell(name, title), lookups, errors)
    value, where = cell("date", "Tanggal")
    row["date"] = _date(value, default_date, where, errors)
    return row


def _skipped_ranges(skipped):
    """[(first row, last row, reason, doubtful)]: consecutive rows skipped for one reason
    together."""
    ranges = []
    for number, reason, doubtful in skipped:
        if ranges and ranges[-1][1] == number - 1 and ranges[-1][2] == reason:
            ranges[-1] = (ranges[-1][0], number, reason, doubtful)
        else:
            ranges.append((number, number, reason, doubtful))
    return ranges


# --------------------------------------------------------------------------- preview and save


@dataclass
class Preview:
    """What an upload would import: the respondent rows and the rows skipped, with why."""

    sheet: str
    header_row: int
    rows: list  # the rows of `services.responses_create`
    skipped: list  # [(first row, last row, reason, doubtful: maybe a respondent)]
    ikm: ikm_rules.IkmResult | None  # of the respondent rows alone
    per_service: list  # [(service name, respondents)]

    @property
    def respondents(self):
        return len(self.rows)


class _DryRun(Exception):
    pass


def _check_saveable(survey, rows):
    """Raise what saving the rows would raise, and save nothing: the preview promises only
    what the confirmation can do (the survey's period, and whatever the service checks)."""
    try:
        with transaction.atomic():
            save_rows(survey=survey, rows=rows)
            raise _DryRun
    except _DryRun:
        pass


def _preview_ikm(rows, unsur):
    answers = [[row["answers"].get(item.pk) for item in unsur] for row in rows]
    try:
        return ikm_rules.compute_ikm(answers, weights=[item.weight for item in unsur])
    except ValueError:  # an unsur nobody answered: the result page says so after saving
        return None


def preview_workbook(*, survey, upload, default_date):
    """The `Preview` of an uploaded recap, saving nothing; or ValidationError (code "file"
    for a file that cannot be read as a recap at all, else a list of bad cells)."""
    unsur = list(survey.unsur.all())
    if not unsur:
        raise _file_error(_("Survei belum memiliki unsur."))
    title, rows, header = _read_recap(upload, unsur)
    layout = _layout(rows, header, survey, unsur)
    services = {_norm(s.name): s for s in survey.services.all()}
    service_keys = {_header_key(name) for name in services}
    context = (services, _profile_lookups(), default_date)
    errors, parsed, skipped = [], [], []
    for number, cells in enumerate(rows[layout.header_row :], start=layout.header_row + 1):
        if all(_blank(cell) for cell in cells):
            continue
        cells = cells + [None] * (layout.width - len(cells))
        label = _label(layout, cells, service_keys)
        reason = _label_reason(label) if label else None
        if reason is not None:
            skipped.append((number, reason, False))
            continue
        answers, reason = _answers(layout, cells)
        if reason is not None:
            # Some answers 1-4 and one that is not: more likely a respondent with a typo
            # than a summary row, and the preview says so.
            doubtful = any(value is not None for value in answers.values())
            skipped.append((number, reason, doubtful))
            continue
        parsed.append(_respondent(layout, number, cells, answers, context, errors))
    if errors:
        if len(errors) > MAX_ERRORS:
            more = len(errors) - MAX_ERRORS
            errors = errors[:MAX_ERRORS] + [_("... dan %(n)s kesalahan lain.") % {"n": more}]
        raise ValidationError(errors)
    if not parsed:
        raise _file_error(
            _("Tidak ada baris responden (jawaban 1-4) di bawah baris judul (baris %(row)s).")
            % {"row": layout.header_row}
        )
    _check_saveable(survey, parsed)
    per_service = Counter(row["service"].name for row in parsed)
    return Preview(
        sheet=title,
        header_row=layout.header_row,
        rows=parsed,
        skipped=_skipped_ranges(skipped),
        ikm=_preview_ikm(parsed, unsur),
        per_service=[
            (s.name, per_service[s.name]) for s in services.values() if per_service[s.name]
        ],
    )


def save_rows(*, survey, rows):
    """Save the rows of a preview; all or none. Returns the saved responses."""
    return survey_services.responses_create(survey=survey, rows=rows, source=Response.Source.IMPORT)


# The rows between the preview and the confirmation: kept in the user's session (stored in
# the database, never sent to the browser) as plain values, at most MAX_ROWS rows of a few
# dozen bytes. The survey's services and unsur are looked up again on confirmation, and
# `responses_create` checks every row again before saving.


def pending_import(survey, preview, token):
    unsur_ids = list(survey.unsur.values_list("pk", flat=True))
    return {
        "survey": survey.pk,
        "token": token,
        "unsur": unsur_ids,
        "rows": [
            [
                row["number"],
                row["service"].pk,
                *(row[name] for name, _title in PROFILE_TITLES),
                row["date"].isoformat(),
                [row["answers"].get(pk) for pk in unsur_ids],
            ]
            for row in preview.rows
        ],
    }


def preview_gone():
    return ValidationError(
        _("Pratinjau impor ini tidak ada lagi atau sudah dipakai; unggah berkasnya lagi.")
    )


def rows_from_pending(survey, pending):
    """The rows a `pending_import` of this survey keeps; ValidationError when it has none
    or the survey's questionnaire changed since the preview."""
    expired = preview_gone()
    unsur_ids = list(survey.unsur.values_list("pk", flat=True))
    if not pending or pending.get("survey") != survey.pk or pending.get("unsur") != unsur_ids:
        raise expired
    services = {s.pk: s for s in survey.services.all()}
    rows = []
    for number, service_id, *profile, date, answers in pending["rows"]:
        if service_id not in services:
            raise expired
        row = {"number": number, "service": services[service_id]}
        row.update(zip([name for name, _title in PROFILE_TITLES], profile, strict=True))
        row["date"] = datetime.date.fromisoformat(date)
        row["answers"] = dict(zip(unsur_ids, answers, strict=True))
        rows.append(row)
    return rows


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
