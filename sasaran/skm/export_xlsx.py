"""The survey result as an Excel workbook: sheet "Hasil" (IKM, mutu, kinerja, NRR per unsur,
IKM per service, sample check, follow-up plan) and sheet "Rekap" (one row per respondent).

Numbers are numeric cells with a number format (Excel shows the decimal comma of an
Indonesian locale); they are rounded only here, for display. Text from users is always a
string cell, never a formula.
"""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from sasaran import xlsx

from .models import Response
from .services import PROFILE_FIELDS, period_suggestions, survey_recap, with_status_label

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _decimal(value, places):
    return round(Decimal(value.numerator) / Decimal(value.denominator), places)


def _put(ws, row, column, value, *, bold=False, places=None):
    cell = ws.cell(row=row, column=column)
    if places is not None and value is not None:
        cell.value = _decimal(value, places)
        cell.number_format = "0." + "0" * places
    else:
        cell.value = value
        if isinstance(value, str) and value.startswith(FORMULA_START):
            cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _summary(ws, result):
    survey = result.survey
    ikm = result.ikm
    rows = [
        (_("Jumlah responden"), result.respondents, None),
        (_("Populasi"), survey.population, None),
        (_("Minimal sampel (Krejcie-Morgan)"), result.sample_minimum, None),
        (_("IKM (nilai interval 1-4)"), ikm.ikm_interval if ikm else None, 3),
        (_("IKM (konversi 25-100)"), ikm.ikm if ikm else None, 2),
        (_("Mutu pelayanan"), ikm.mutu if ikm else "", None),
        (_("Kinerja unit pelayanan"), ikm.kinerja if ikm else "", None),
        (_("Unsur terendah"), result.weakest_text, None),
        (_("Unsur tertinggi"), result.strongest_text, None),
    ]
    line = 4
    for label, value, places in rows:
        _put(ws, line, 1, label, bold=True)
        _put(ws, line, 2, value, places=places)
        line += 1
    if result.sample_short:
        _put(ws, line, 1, _("Jumlah responden kurang dari minimal sampel."), bold=True)
        line += 1
    if result.error:
        _put(ws, line, 1, result.error)
        line += 1
    return line + 1


def _unsur_table(ws, result, line):
    heads = [_("Kode"), _("Unsur"), _("Menjawab"), "NRR", _("Bobot"), _("NRR tertimbang")]
    for column, head in enumerate(heads, start=1):
        _put(ws, line, column, head, bold=True)
    for row in result.unsur_rows:
        line += 1
        _put(ws, line, 1, row.unsur.code)
        _put(ws, line, 2, row.unsur.name)
        _put(ws, line, 3, row.answered)
        _put(ws, line, 4, row.nrr, places=2)
        _put(ws, line, 5, row.unsur.weight, places=3)
        _put(ws, line, 6, row.weighted_nrr, places=3)
    return line + 2


def _service_table(ws, result, line):
    for column, head in enumerate([_("Jenis layanan"), _("Responden"), "IKM", _("Mutu")], 1):
        _put(ws, line, column, head, bold=True)
    for row in result.service_rows:
        line += 1
        _put(ws, line, 1, row.service.name)
        _put(ws, line, 2, row.respondents)
        _put(ws, line, 3, row.ikm.ikm if row.ikm else None, places=2)
        _put(ws, line, 4, row.ikm.mutu if row.ikm else "")
    line += 1
    _put(ws, line, 1, _("Unit (seluruh responden)"), bold=True)
    _put(ws, line, 2, result.respondents)
    _put(ws, line, 3, result.ikm.ikm if result.ikm else None, places=2)
    _put(ws, line, 4, result.ikm.mutu if result.ikm else "")
    return line + 2


def _recap(ws, result):
    labels = {
        name: {value: str(label) for value, label in Response._meta.get_field(name).choices}
        for name in PROFILE_FIELDS
    }
    services = {s.pk: s.name for s in result.services}
    heads = [pgettext("number", "No"), _("Jenis layanan"), _("Jenis kelamin"), _("Usia")]
    heads += [_("Pendidikan"), _("Pekerjaan"), _("Tanggal")] + [u.code for u in result.unsur]
    for column, head in enumerate(heads, start=1):
        _put(ws, 1, column, head, bold=True)
    recap = survey_recap(result.survey, result.unsur)
    for number, (response, answers) in enumerate(recap, start=1):
        values = [number, services.get(response["service_id"], "")]
        values += [labels[name].get(response[name], "") for name in PROFILE_FIELDS]
        values += [response["date"], *answers]
        for column, value in enumerate(values, start=1):
            cell = _put(ws, number + 1, column, value)
            if column == 7:
                cell.number_format = xlsx.DATE_FORMAT
    for index, width in enumerate([5, 22, 14, 18, 16, 20, 12], start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _suggestions(ws, result, line):
    """The respondents' suggestions with their follow-up, under the follow-up plan; never
    the respondent's name or contact (personal data stays on the staff page)."""
    _put(ws, line, 1, _("Saran dan pengaduan responden"), bold=True)
    heads = [
        _("Saran atau pengaduan"),
        _("Tanggapan"),
        _("Status"),
        _("Tanggal"),
        _("Jenis layanan"),
    ]
    for column, head in enumerate(heads, start=1):
        _put(ws, line + 1, column, head, bold=True)
    line += 1
    rows = period_suggestions(result.survey).iterator(chunk_size=2000)
    for row in with_status_label(rows):
        line += 1
        values = [
            row["suggestion"],
            row["suggestion_response"],
            row["status"],
            row["date"],
            row["service__name"],
        ]
        for column, value in enumerate(values, start=1):
            cell = _put(ws, line, column, value)
            if column <= 2:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif column == 4:
                cell.number_format = xlsx.DATE_FORMAT
    return line + 2


def _print_setup(workbook, survey):
    """A4, fitted to the page width, like the other reports: "Hasil" upright, "Rekap"
    (16 columns) sideways with its header row on every page; page numbers in the footer."""
    header = {"left": xlsx.header_text(f"SKM {survey.period_label} — {survey.unit.name}")}
    footer = {"center": _("Halaman &P dari &N")}
    for ws in workbook.worksheets:
        recap = ws.title == "Rekap"
        xlsx.print_setup(
            ws,
            area=f"A1:{get_column_letter(ws.max_column)}{ws.max_row}",
            title_rows="1:1" if recap else None,
            landscape=recap,
            footer=footer,
            header=header,
        )


def result_workbook(result):
    """The .xlsx bytes of a `services.SurveyResult`."""
    survey = result.survey
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Hasil"
    title = _("Hasil Survei Kepuasan Masyarakat %(period)s") % {"period": survey.period_label}
    _put(ws, 1, 1, title, bold=True)
    _put(ws, 2, 1, survey.unit.name)
    if result.frozen_text:
        _put(ws, 3, 1, result.frozen_text)
    line = _summary(ws, result)
    line = _unsur_table(ws, result, line)
    line = _service_table(ws, result, line)
    _put(ws, line, 1, _("Rencana tindak lanjut"), bold=True)
    _put(ws, line + 1, 1, survey.follow_up_plan or _("Belum diisi."))
    if survey.note:
        _put(ws, line + 3, 1, survey.note)
    _suggestions(ws, result, line + (5 if survey.note else 3))
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 40
    _recap(workbook.create_sheet("Rekap"), result)
    _print_setup(workbook, survey)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
