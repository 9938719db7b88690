"""The audit pack of a unit and a year: one zip for the surveillance audit, built in the
background and streamed into the zip file on disk, one document at a time, so that memory
does not grow with the number of evidence files (each evidence file is copied in chunks).

Contents (folders in the zip):

- `01-sasaran-mutu/`: the Sasaran Mutu document (PDF and xlsx);
- `02-laporan-triwulan/`: the quarterly reports TW 1-4 (PDF);
- `03-realisasi/realisasi-dan-riwayat.xlsx`: every realisation and every change of it;
- `04-bukti/<indikator>-<periode>/`: the evidence files;
- `05-tindakan-korektif/`: the corrective actions (xlsx) and their evidence files;
- `06-skm/`: the survey reports (PDF) of the year;
- `07-sop/`: the SOPs in force (signed) of the unit (PDF).

Only the unit's head and admins (and a superuser) start and download it (`audit_views`).
"""

import logging
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.core.files import File
from django.utils import timezone
from django.utils.text import get_valid_filename, slugify
from openpyxl import Workbook

from sasaran import xlsx
from sasaran.documents import exports, jobs
from sasaran.models import Evidence, Realisation
from sasaran.siklus.models import CorrectiveAction
from sasaran.skm import report as survey_report
from sasaran.skm import services as survey_services
from sasaran.skm.models import Survey
from sop import exports as sop_exports
from sop.models import Sop

from .models import AuditPack

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024


def enqueue(pack):
    """Build the pack after the caller's transaction commits, as every background job."""
    jobs.run_later(run, pack.pk)


def _safe(name):
    return get_valid_filename(name.replace("/", "-").replace("\\", "-"))[:120] or "berkas"


def _copy_file(zf, field_file, arcname):
    """Stream a stored file into the zip in chunks."""
    with field_file.open("rb") as source, zf.open(arcname, "w", force_zip64=True) as target:
        shutil.copyfileobj(source, target, CHUNK)


def realisations_workbook(unit, year):
    """Every realisation of the unit's year and, on a second sheet, every change of it."""
    rows = (
        Realisation.objects.filter(
            indicator__objective__section__manual__unit=unit,
            indicator__objective__section__manual__year=year,
        )
        .select_related("indicator", "entered_by", "reviewed_by")
        .order_by("indicator__objective__section__order", "indicator_id", "period")
    )
    wb = Workbook()
    ws = wb.active
    ws.title = "Realisasi"
    head = ["Indikator", "Periode", "Realisasi", "Status", "Keterangan", "Analisis penyebab"]
    head += ["Tindak lanjut", "Diisi oleh", "Ditinjau oleh", "Versi"]
    for col, text in enumerate(head, 1):
        xlsx.write(ws, 1, col, text, bold=True, border=True)
    for r, row in enumerate(rows.iterator(), 2):
        values = [
            row.indicator.name,
            row.get_period_display(),
            row.value,
            row.get_status_display(),
            row.note,
            row.cause_analysis,
            row.follow_up,
            str(row.entered_by or ""),
            str(row.reviewed_by or ""),
            row.version,
        ]
        for col, value in enumerate(values, 1):
            xlsx.write(ws, r, col, value, border=True)
    xlsx.set_widths(ws, [50, 10, 14, 12, 30, 30, 30, 20, 20, 8])
    ws = wb.create_sheet("Riwayat")
    head = ["Waktu", "Indikator", "Periode", "Realisasi", "Status", "Alasan", "Oleh", "Versi"]
    for col, text in enumerate(head, 1):
        xlsx.write(ws, 1, col, text, bold=True, border=True)
    history = (
        Realisation.history.filter(indicator__in=rows.values("indicator"))
        .select_related("history_user", "indicator")
        .order_by("history_date", "history_id")
    )
    for r, record in enumerate(history.iterator(), 2):
        values = [
            timezone.localtime(record.history_date).replace(tzinfo=None),
            record.indicator.name,
            record.get_period_display(),
            record.value,
            record.get_status_display(),
            record.history_change_reason or "",
            str(record.history_user or ""),
            record.version,
        ]
        for col, value in enumerate(values, 1):
            xlsx.write(ws, r, col, value, border=True)
    xlsx.set_widths(ws, [18, 50, 10, 14, 12, 40, 20, 8])
    return xlsx.workbook_bytes(wb)


def actions_workbook(actions):
    wb = Workbook()
    ws = wb.active
    ws.title = "Tindakan korektif"
    head = ["Indikator", "Periode", "Analisis penyebab", "Tindakan", "Penanggung jawab"]
    head += ["Batas waktu", "Status", "Bukti (uraian)", "Bukti (tautan)", "Bukti (berkas)"]
    head += ["Catatan verifikasi"]
    for col, text in enumerate(head, 1):
        xlsx.write(ws, 1, col, text, bold=True, border=True)
    for r, action in enumerate(actions, 2):
        values = [
            action.indicator.name,
            action.get_period_display(),
            action.cause_analysis,
            action.action,
            str(action.owner),
            action.due_date,
            action.get_status_display(),
            action.evidence_text,
            action.evidence_link,
            action.evidence_name,
            action.verification_note,
        ]
        for col, value in enumerate(values, 1):
            xlsx.write(ws, r, col, value, border=True)
    xlsx.set_widths(ws, [45, 10, 35, 35, 20, 12, 20, 30, 30, 20, 30])
    return xlsx.workbook_bytes(wb)


def write_pack(zf, unit, year, progress=lambda value: None):
    """Write every document of the unit's year into the open zip `zf`."""
    for fmt in ("pdf", "xlsx"):
        content, name = exports.export(unit, year, fmt)
        zf.writestr(f"01-sasaran-mutu/{name}", content)
    progress(15)
    for quarter in (1, 2, 3, 4):
        content, name = exports.export(unit, year, "pdf", quarter=quarter)
        zf.writestr(f"02-laporan-triwulan/{name}", content)
        progress(15 + quarter * 8)
    zf.writestr("03-realisasi/realisasi-dan-riwayat.xlsx", realisations_workbook(unit, year))
    progress(55)
    evidence = Evidence.objects.filter(
        realisation__indicator__objective__section__manual__unit=unit,
        realisation__indicator__objective__section__manual__year=year,
    ).select_related("realisation")
    for item in evidence.iterator():
        folder = f"{item.realisation.indicator_id}-{item.realisation.period}"
        _copy_file(zf, item.file, f"04-bukti/{folder}/{item.pk}-{_safe(item.original_name)}")
    progress(70)
    actions = list(
        CorrectiveAction.objects.filter(
            indicator__objective__section__manual__unit=unit,
            indicator__objective__section__manual__year=year,
        )
        .select_related("indicator", "owner")
        .order_by("indicator_id", "period", "pk")
    )
    zf.writestr("05-tindakan-korektif/tindakan-korektif.xlsx", actions_workbook(actions))
    for action in actions:
        if action.evidence_file:
            name = f"{action.pk}-{_safe(action.evidence_name or 'bukti')}"
            _copy_file(zf, action.evidence_file, f"05-tindakan-korektif/bukti/{name}")
    progress(80)
    for survey in Survey.objects.filter(unit=unit, year=year).order_by("period_kind", "pk"):
        content = survey_report.result_pdf(survey_services.survey_result(survey))
        zf.writestr(f"06-skm/hasil-skm-{slugify(survey.period_label)}.pdf", content)
    progress(90)
    for sop in Sop.objects.filter(unit=unit, status=Sop.Status.SIGNED).order_by("pk"):
        zf.writestr(f"07-sop/{sop_exports.filename(sop, 'pdf')}", sop_exports.sop_pdf(sop))
    progress(98)


def _progress(pack, value):
    jobs.set_progress(pack, value, AuditPack.Status.RUNNING)


def run(pack_id):
    jobs.fresh_connection()
    pack = AuditPack.objects.select_related("unit").get(pk=pack_id)
    name = f"paket-audit-{slugify(pack.unit.code)}-{pack.year}.zip"
    try:
        _progress(pack, 5)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
                write_pack(zf, pack.unit, pack.year, lambda value: _progress(pack, value))
            with path.open("rb") as built:
                pack.file.save(name, File(built), save=False)
        pack.file_name, pack.progress, pack.status = name, 100, AuditPack.Status.DONE
    except Exception as exc:  # a failed job must say so, not stay "running" forever
        log.exception("audit pack %s failed", pack_id)
        pack.status, pack.error = AuditPack.Status.FAILED, str(exc)[:2000]
    pack.finished_at = timezone.now()
    pack.save(update_fields=["file", "file_name", "progress", "status", "error", "finished_at"])
    jobs.release_connection()
