"""The official documents as pages and downloads (PDF, Excel), and the background jobs
that render the large ones."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from .. import access, periods, queries
from ..documents import exports, jobs, manual
from ..downloads import download_response
from ..models import ExportJob, QualityManual
from .params import indicator_name_param


@login_required
def document_page(request, code, year):
    unit, _may_manage = access.get_unit(request.user, code)
    document = get_object_or_404(
        QualityManual.objects.select_related("unit", "signed_by"), unit=unit, year=year
    )
    return render(request, "sasaran/document.html", manual.manual_document(document))


@login_required
def document_download(request, code, year, fmt):
    unit, _may_manage = access.get_unit(request.user, code)
    get_object_or_404(QualityManual, unit=unit, year=year)
    if fmt not in exports.FORMATS:
        raise Http404
    content, name = exports.export(unit, year, fmt)
    return download_response(content, name)


@login_required
def report_download(request, code, fmt):
    unit, _may_manage = access.get_unit(request.user, code)
    year, quarter = periods.year_and_quarter(request, queries.manual_years([unit]))
    has_manual = QualityManual.objects.filter(unit=unit, year=year).exists()
    if fmt not in exports.FORMATS or not has_manual:
        raise Http404
    content, name = exports.export(unit, year, fmt, quarter)
    return download_response(content, name)


@login_required
def comparison_download(request, code, fmt):
    unit, _may_manage = access.get_unit(request.user, code)
    units = unit.descendants()
    if fmt not in exports.FORMATS or not units:
        raise Http404
    year, quarter = periods.year_and_quarter(request, queries.manual_years(units))
    if len(units) > settings.EXPORT_BACKGROUND_UNITS:
        return _start_job(request, unit, year, quarter, fmt)
    content, name = exports.export_comparison(
        unit, year, quarter, fmt, indicator_name_param(request)
    )
    return download_response(content, name)


def _start_job(request, unit, year, quarter, fmt):
    with transaction.atomic():
        job = ExportJob.objects.create(
            unit=unit,
            year=year,
            quarter=quarter,
            fmt=fmt,
            indicator_name=indicator_name_param(request) or "",
            requested_by=request.user,
        )
        jobs.enqueue(job)
    return redirect("export_job", pk=job.pk)


@login_required
def export_job(request, pk):
    job, _may_change = access.get_export_job(request.user, pk)
    template = "sasaran/_job_status.html" if request.htmx else "sasaran/job.html"
    return render(request, template, {"job": job})


@login_required
def export_job_file(request, pk):
    job, _may_change = access.get_export_job(request.user, pk)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name)
