"""The head of unit's dashboard, the indicator page and the parent unit's comparison."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, dashboard, exports, jobs, reports, results, services
from .forms import NewYearForm
from .models import ExportJob, Indicator, Period, QualityManual


def _year_and_quarter(request, years):
    today = datetime.date.today()
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        year = None
    if year not in years:
        year = today.year if today.year in years else (years[0] if years else today.year)
    try:
        quarter = int(request.GET.get("tw", ""))
    except ValueError:
        quarter = None
    if quarter not in (1, 2, 3, 4):
        quarter = (today.month - 1) // 3 + 1 if year == today.year else 4
    return year, quarter


def _years(units):
    return list(
        QualityManual.objects.filter(unit__in=units)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


@login_required
def dashboard_page(request, code):
    unit = access.get_dashboard_unit(request.user, code)
    years = _years([unit])
    year, quarter = _year_and_quarter(request, years)
    context = {
        "unit": unit,
        "years": years,
        "year": year,
        "quarter": quarter,
        "quarters": [1, 2, 3, 4],
        "has_children": unit.children.exists(),
        "can_manage": access.manages_unit(request.user, unit),
        **dashboard.unit_dashboard(unit, year, quarter),
    }
    return render(request, "sasaran/dashboard.html", context)


SORTS = {
    "peringkat": lambda r: r["rank"],
    "unit": lambda r: r["unit"].name,
    "capaian": lambda r: -(r["cell"].result.achievement or -1) if r["cell"] else 1,
}


@login_required
def comparison_page(request, code):
    unit = access.get_dashboard_unit(request.user, code)
    units = unit.descendants()
    if not units:
        raise Http404
    years = _years(units)
    year, quarter = _year_and_quarter(request, years)
    name = request.GET.get("indikator") or None
    rows, names = dashboard.unit_comparison(units, year, quarter, name)
    sort = request.GET.get("urut", "peringkat")
    rows.sort(key=SORTS.get(sort, SORTS["peringkat"]))
    context = {
        "unit": unit,
        "rows": rows,
        "names": names,
        "name": name,
        "sort": sort,
        "years": years,
        "year": year,
        "quarter": quarter,
        "quarters": [1, 2, 3, 4],
    }
    return render(request, "sasaran/comparison.html", context)


@login_required
def indicator_page(request, pk):
    indicator = get_object_or_404(
        dashboard.with_rows(access.visible_indicators(request.user).filter(pk=pk)).prefetch_related(
            "realisations__evidence"  # listed per entry below: one query, not one per entry
        ),
        pk=pk,
    )
    scale = results.category_scale()
    manual = indicator.objective.section.manual
    quarters = [
        {"period": p, "label": Period(p).label, "result": results.evaluate(indicator, p, scale)}
        for p in ("Q1", "Q2", "Q3", "Q4", "Y")
    ]
    earlier = dashboard.with_rows(
        Indicator.objects.filter(
            name=indicator.name,
            objective__section__manual__unit=manual.unit,
            objective__section__manual__year__lt=manual.year,
        )
    ).order_by("-objective__section__manual__year")
    years_before = [
        {
            "indicator": ind,
            "year": ind.objective.section.manual.year,
            "cells": [results.evaluate(ind, p, scale) for p in ("Q1", "Q2", "Q3", "Q4", "Y")],
        }
        for ind in earlier
    ]
    entries = sorted(indicator.realisations.all(), key=lambda r: r.period)
    context = {
        "indicator": indicator,
        "manual": manual,
        "quarters": quarters,
        "years_before": years_before,
        "entries": entries,
        "chart": reports.indicator_chart(indicator, scale),
        "history": indicator.realisations.model.history.filter(indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by("-history_date")[:20],
        "targets": {t.period: t for t in indicator.targets.all()},
    }
    return render(request, "sasaran/indicator.html", context)


@login_required
@require_POST
def new_year(request, code):
    unit = access.get_dashboard_unit(request.user, code)
    if not access.manages_unit(request.user, unit):
        raise Http404
    form = NewYearForm(request.POST)
    if not form.is_valid():
        raise Http404  # the dashboard's form always sends both; anything else is forged
    source = get_object_or_404(QualityManual, unit=unit, year=form.cleaned_data["dari"])
    try:
        manual = services.manual_copy_to_year(
            manual=source,
            year=source.year + 1,
            carry_targets=form.cleaned_data["target"] == "salin",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dashboard", code=unit.code)
    messages.success(
        request,
        _("Sasaran Mutu %(year)s dibuat dari %(source)s.")
        % {"year": manual.year, "source": source.year},
    )
    return redirect(f"{reverse('dashboard', args=[unit.code])}?tahun={manual.year}")


FORMATS = ("pdf", "xlsx")


def _download(content, name, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def document_page(request, code, year):
    unit = access.get_dashboard_unit(request.user, code)
    manual = get_object_or_404(
        QualityManual.objects.select_related("unit", "signed_by"), unit=unit, year=year
    )
    return render(request, "sasaran/document.html", reports.manual_document(manual))


@login_required
def document_download(request, code, year, fmt):
    unit = access.get_dashboard_unit(request.user, code)
    get_object_or_404(QualityManual, unit=unit, year=year)
    if fmt not in FORMATS:
        raise Http404
    return _download(*exports.export(unit, year, fmt))


@login_required
def report_download(request, code, fmt):
    unit = access.get_dashboard_unit(request.user, code)
    year, quarter = _year_and_quarter(request, _years([unit]))
    if fmt not in FORMATS or not QualityManual.objects.filter(unit=unit, year=year).exists():
        raise Http404
    return _download(*exports.export(unit, year, fmt, quarter))


@login_required
def comparison_download(request, code, fmt):
    unit = access.get_dashboard_unit(request.user, code)
    units = unit.descendants()
    if fmt not in FORMATS or not units:
        raise Http404
    year, quarter = _year_and_quarter(request, _years(units))
    if len(units) > settings.EXPORT_BACKGROUND_UNITS:
        return _start_job(request, unit, year, quarter, fmt)
    return _download(
        *exports.export_comparison(unit, year, quarter, fmt, request.GET.get("indikator") or None)
    )


def _get_job(user, pk):
    jobs = ExportJob.objects.select_related("unit")
    if not user.is_superuser:
        jobs = jobs.filter(requested_by=user)
    return get_object_or_404(jobs, pk=pk)


def _start_job(request, unit, year, quarter, fmt):
    with transaction.atomic():
        job = ExportJob.objects.create(
            unit=unit,
            year=year,
            quarter=quarter,
            fmt=fmt,
            indicator_name=request.GET.get("indikator") or "",
            requested_by=request.user,
        )
        jobs.enqueue(job)
    return redirect("export_job", pk=job.pk)


@login_required
def export_job(request, pk):
    job = _get_job(request.user, pk)
    template = "sasaran/_job_status.html" if request.htmx else "sasaran/job.html"
    return render(request, template, {"job": job})


@login_required
def export_job_file(request, pk):
    job = _get_job(request.user, pk)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name)
