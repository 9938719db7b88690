"""The head of unit's dashboard, the indicator page, the parent unit's comparison and
the start of a new year."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    has_children = unit.children.exists()
    if not years and has_children:
        # A unit above others without a Sasaran Mutu of its own (a Dinas): its head's work
        # is the overview of the units below, never an empty page.
        query = request.GET.urlencode()
        return redirect(reverse("comparison", args=[unit.code]) + (f"?{query}" if query else ""))
    year, period = periods.year_and_period(
        request, years, lambda year: queries.latest_quarter_with_data([unit], year)
    )
    context = {
        "unit": unit,
        "years": years,
        "year": year,
        "next_year": year + 1,
        **_period_context(period),
        "has_children": has_children,
        "can_manage": may_manage,
        **dashboard.unit_dashboard(unit, year, period),
    }
    return render(request, "sasaran/dashboard.html", context)


def _period_context(period):
    """What the period selector and the page's links need: the period shown, its quarter
    (None for a semester or the year), the choices, and the quarter whose report the
    download buttons give (the quarter that closes a semester or the year)."""
    return {
        "period": period,
        "period_label": Period(period).label,
        "quarter": periods.period_quarter(period),
        "report_quarter": periods.closing_quarter(period),
        # The selector's buttons in groups: the quarters, the semesters, the year.
        "view_groups": [
            (label, [(p, Period(p).label) for p in periods.VIEW_PERIODS if periods.kind(p) == k])
            for k, label in VIEW_GROUPS
        ],
    }


VIEW_GROUPS = [
    (periods.QUARTER, gettext_lazy("Triwulan")),
    (periods.SEMESTER, gettext_lazy("Semester")),
    (periods.YEAR, gettext_lazy("Tahun")),
]


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
    year, period = periods.year_and_period(
        request, years, lambda year: queries.latest_quarter_with_data(units, year)
    )
    name = indicator_name_param(request)
    rows, names = dashboard.unit_comparison(units, year, period, name)
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
        **_period_context(period),
    }
    return render(request, "sasaran/comparison.html", context)


def page_periods(indicator, written=True):
    """The periods of an indicator's page, in calendar order per kind: its own (Januari ..
    Desember, TW 1-4, Semester I-II), then the longer periods a target is written for
    (`written`: a monthly indicator's quarter targets), then the year."""
    own = indicator.period_kind
    shown = list(indicator.due_periods())
    if written:
        targeted = {t.period for t in results.targets_of(indicator)}
        for kind in periods.KINDS:
            if kind != periods.YEAR and periods.longer(kind, own):
                shown += [p for p in periods.PERIODS_OF_KIND[kind] if p in targeted]
    if own != periods.YEAR:
        shown.append(Period.YEAR)
    return shown


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
    today = periods.today()

    def cell(period):
        return dashboard.period_cell(
            indicator, period, scale, today, manual.year, manual.unit.report_deadline_days
        )

    rows = []
    for p in page_periods(indicator):
        c = cell(p)
        own = p in indicator.due_periods()
        rows.append(
            {
                "period": p,
                "label": Period(p).label,
                "own": own,  # a period entered as such (else its own periods combined)
                "result": c.result,
                "days_late": c.days_late if own else None,
            }
        )
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
            "cells": [
                {"label": Period(p).label, "result": results.evaluate(ind, p, scale)}
                for p in page_periods(ind, written=False)
            ],
        }
        for ind in earlier
    ]
    entries = sorted(indicator.realisations.all(), key=lambda r: r.period)
    for entry in entries:
        entry.lateness = cell(entry.period).days_late  # the dashboard's reading of days_late
    context = {
        "indicator": indicator,
        "manual": manual,
        "quarters": rows,
        "years_before": years_before,
        "entries": entries,
        "chart": reports.indicator_chart(indicator, scale),
        "history": indicator.realisations.model.history.filter(indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by("-history_date")[:20],
        "targets": {t.period: t for t in indicator.targets.all()},
        "target_revisions": queries.target_revisions(indicator),
    }
    return render(request, "sasaran/indicator.html", context)


def _source_manual(request, unit):
    """The manual a year copy starts from: `dari` (the year) of the form or the address."""
    try:
        year = int(request.POST.get("dari") or request.GET.get("dari") or "")
    except ValueError:
        raise Http404 from None
    return get_object_or_404(QualityManual, unit=unit, year=year)


@login_required
def new_year(request, code):
    """Start next year's Sasaran Mutu from this year's: a confirmation form with a preview
    of what will be made; nothing is created until it is sent."""
    unit, may_manage = access.get_unit(request.user, code)
    if not may_manage:
        raise Http404
    source = _source_manual(request, unit)
    year = source.year + 1
    changes = services.manual_year_texts(source, year)
    form = NewYearForm(request.POST or None, source=source, changes=changes)
    exists = QualityManual.objects.filter(unit=unit, year=year).exists()
    if request.method == "POST" and not exists and form.is_valid():
        try:
            manual = services.manual_copy_to_year(
                manual=source,
                year=year,
                carry_targets=form.cleaned_data["target"] == "salin",
                document_number=form.cleaned_data["document_number"],
                effective_date=form.cleaned_data["effective_date"],
                revision=form.cleaned_data["revision"],
                replace_year_in=form.replace_year_in(),
            )
        except ValidationError as error:
            form.add_error(None, error)
            exists = True
        else:
            messages.success(
                request,
                _("Sasaran Mutu %(year)s dibuat dari %(source)s.")
                % {"year": manual.year, "source": source.year},
            )
            return redirect(f"{reverse('dashboard', args=[unit.code])}?tahun={manual.year}")
    context = {
        "unit": unit,
        "source": source,
        "year": year,
        "form": form,
        "exists": exists,
        "counts": queries.manual_counts(source),
    }
    return render(request, "sasaran/new_year.html", context)
