"""The head of unit's dashboard, the indicator page, the parent unit's comparison and
the start of a new year."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, dashboard, periods, queries, results, services
from ..documents import reports
from ..forms import NewYearForm
from ..models import Indicator, QualityManual
from ..periods import Period
from .params import indicator_name_param


@login_required
def dashboard_page(request, code):
    unit, may_manage = access.get_unit(request.user, code)
    years = queries.manual_years([unit])
    year, quarter = periods.year_and_quarter(request, years)
    context = {
        "unit": unit,
        "years": years,
        "year": year,
        "quarter": quarter,
        "quarters": periods.QUARTER_NUMBERS,
        "has_children": unit.children.exists(),
        "can_manage": may_manage,
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
    unit, _may_manage = access.get_unit(request.user, code)
    units = unit.descendants()
    if not units:
        raise Http404
    years = queries.manual_years(units)
    year, quarter = periods.year_and_quarter(request, years)
    name = indicator_name_param(request)
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
        "quarters": periods.QUARTER_NUMBERS,
    }
    return render(request, "sasaran/comparison.html", context)


@login_required
def indicator_page(request, pk):
    indicator, _may_change = access.get_indicator(
        request.user,
        pk,
        queryset=dashboard.with_rows(Indicator.objects.all()).prefetch_related(
            "realisations__evidence"  # listed per entry below: one query, not one per entry
        ),
    )
    scale = results.category_scale()
    manual = indicator.objective.section.manual
    quarters = [
        {"period": p, "label": Period(p).label, "result": results.evaluate(indicator, p, scale)}
        for p in periods.TARGET_PERIODS
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
            "cells": [results.evaluate(ind, p, scale) for p in periods.TARGET_PERIODS],
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
    unit, may_manage = access.get_unit(request.user, code)
    if not may_manage:
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
