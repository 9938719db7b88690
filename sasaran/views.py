"""Pages of the quarterly work: Tugas saya, the entry form, the review queue, history.

Every view fetches its object through `access`, which answers 404 outside the user's scope.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, results, services, sources
from .dashboard import with_rows
from .forms import RealisationForm, ReasonForm
from .models import (
    Evidence,
    Indicator,
    Period,
    QualityManual,
    Realisation,
    Target,
    period_deadline,
)


def _deadline(indicator, period):
    manual = indicator.objective.section.manual
    return period_deadline(manual.year, period, manual.unit.report_deadline_days)


def _years(user):
    units = access.visible_indicators(user).values("objective__section__manual__unit")
    return list(
        QualityManual.objects.filter(unit__in=units)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def _selected_year(request, years):
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        year = None
    return year if year in years else (years[0] if years else None)


@login_required
def home(request):
    """Heads land on their unit's dashboard, everyone else on Tugas saya."""
    unit = access.home_unit(request.user)
    if unit is not None:
        return redirect("dashboard", code=unit.code)
    return redirect("tasks")


@login_required
def tasks(request):
    """Tugas saya: every period due of the indicators of the user's positions."""
    years = _years(request.user)
    year = _selected_year(request, years)
    indicators = with_rows(
        Indicator.objects.filter(
            responsible_position__in=access.position_ids(request.user),
            objective__section__manual__year=year,
        )
    )
    scale = results.category_scale()
    today = timezone.localdate()
    tasks = []
    for indicator in indicators:
        stored = {r.period: r for r in indicator.realisations.all()}
        for period in indicator.due_periods():
            row = stored.get(period)
            deadline = _deadline(indicator, period)
            result = results.evaluate(indicator, period, scale)
            nothing_due = result.target is not None and result.target == 0
            unfinished = row is None or row.status in services.EDITABLE
            tasks.append(
                {
                    "indicator": indicator,
                    "period": period,
                    "period_label": Period(period).label,
                    "row": row,
                    "result": result,
                    "deadline": deadline,
                    "late": deadline < today and unfinished and not nothing_due,
                    "editable": unfinished,
                }
            )
    context = {
        "tasks": tasks,
        "years": years,
        "year": year,
        "is_reviewer": access.is_reviewer(request.user),
        "waiting": _review_queryset(request.user).count(),
    }
    return render(request, "sasaran/home.html", context)


def _entry_context(request, indicator, period, form, row):
    scale = results.category_scale()
    own = indicator.responsible_position_id in access.position_ids(request.user)
    reviewer = Indicator.objects.filter(
        access.reviewer_scope(request.user), pk=indicator.pk
    ).exists()
    stored = {r.period: r for r in indicator.realisations.all()}
    return {
        "indicator": indicator,
        "manual": indicator.objective.section.manual,
        "period": period,
        "period_label": Period(period).label,
        "row": row,
        "form": form,
        "result": results.evaluate(indicator, period, scale),
        "history": [
            {
                "period": p,
                "label": Period(p).label,
                "result": results.evaluate(indicator, p, scale),
                "row": stored.get(p),
            }
            for p in indicator.due_periods()
        ],
        "year_result": results.evaluate(indicator, Period.YEAR, scale),
        "targets": {t.period: t for t in indicator.targets.all()},
        "can_edit": own and (row is None or row.status in services.EDITABLE),
        "can_review": reviewer,
        "deadline": _deadline(indicator, period),
        "evidence": row.evidence.all() if row else [],
        "reason_form": ReasonForm(),
        "linked": form.linked,
    }


def _get_entry(request, pk, period):
    if period not in Period.values:
        raise Http404
    indicator = get_object_or_404(
        with_rows(access.visible_indicators(request.user).filter(pk=pk)), pk=pk
    )
    if period not in indicator.due_periods():
        raise Http404
    row = next((r for r in indicator.realisations.all() if r.period == period), None)
    return indicator, row


def _initial(row):
    if row is None:
        return {}
    return {field: getattr(row, field) for field in services.FIELDS} | {"version": row.version}


@login_required
def entry(request, pk, period):
    indicator, row = _get_entry(request, pk, period)
    linked = sources.linked_value(indicator, period)
    form = RealisationForm(initial=_initial(row), indicator=indicator, linked=linked)
    if request.method == "POST":
        form = RealisationForm(request.POST, request.FILES, indicator=indicator, linked=linked)
        own = access.get_own_indicator(request.user, pk)
        if form.is_valid():
            try:
                row = services.realisation_save(
                    indicator=own,
                    period=period,
                    user=request.user,
                    data=form.cleaned_data,
                    version=form.cleaned_data["version"],
                    submit="submit" in request.POST,
                    evidence_file=form.cleaned_data.get("evidence"),
                )
            except services.ConflictError as conflict:
                form.add_error(None, _conflict_message(conflict.current))
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Realisasi %(status)s.") % {"status": row.get_status_display().lower()},
                )
                return redirect("entry", pk=pk, period=period)
    return render(
        request, "sasaran/entry.html", _entry_context(request, indicator, period, form, row)
    )


def _conflict_message(current):
    if current is None:
        return _(
            "Realisasi ini baru saja diisi oleh pengguna lain. Muat ulang halaman untuk melihatnya."
        )
    shown = "—" if current.value is None else results.scoring.format_id_number(current.value)
    return _(
        "Realisasi ini sudah diubah oleh %(user)s pada %(when)s "
        "(nilai terbaru: %(value)s, status %(status)s). "
        "Perubahan Anda belum disimpan: muat ulang halaman, lalu isi kembali bila perlu."
    ) % {
        "user": current.entered_by,
        "when": timezone.localtime(current.entered_at).strftime("%d-%m-%Y %H:%M"),
        "value": shown,
        "status": current.get_status_display(),
    }


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_POST
def preview(request, pk, period):
    """The computed result of what is typed, before saving (htmx)."""
    indicator, _row = _get_entry(request, pk, period)
    linked = sources.linked_value(indicator, period)
    form = RealisationForm(request.POST, indicator=indicator, linked=linked)
    form.is_valid()
    value = form.cleaned_data.get("value")
    result = results.evaluate(indicator, period, results.category_scale(), value, use_value=True)
    return render(
        request, "sasaran/_result.html", {"result": result, "indicator": indicator, "preview": True}
    )


def _review_queryset(user):
    return Realisation.objects.filter(
        status=Realisation.Status.SUBMITTED,
        indicator__in=Indicator.objects.filter(access.reviewer_scope(user)),
    )


@login_required
def review_queue(request):
    if not access.is_reviewer(request.user):
        raise Http404
    indicators = with_rows(
        Indicator.objects.filter(
            access.reviewer_scope(request.user), realisations__status=Realisation.Status.SUBMITTED
        ).distinct()
    )
    scale = results.category_scale()
    sections = {}
    for indicator in indicators:
        for row in indicator.realisations.all():
            if row.status == Realisation.Status.SUBMITTED:
                section = indicator.objective.section
                sections.setdefault(section, []).append(
                    {
                        "indicator": indicator,
                        "row": row,
                        "result": results.evaluate(indicator, row.period, scale),
                    }
                )
    return render(
        request, "sasaran/review.html", {"sections": sections, "reason_form": ReasonForm()}
    )


@login_required
@require_POST
def approve(request, pk):
    row = access.get_reviewable_realisation(request.user, pk)
    try:
        services.realisation_approve(realisation=row, user=request.user)
        messages.success(request, _("Realisasi disetujui dan dikunci."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(request.POST.get("next") or "review")


def _with_reason(request, pk, service, done):
    row = access.get_reviewable_realisation(request.user, pk)
    try:
        service(realisation=row, user=request.user, reason=request.POST.get("reason"))
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(request.POST.get("next") or "review")


@login_required
@require_POST
def send_back(request, pk):
    return _with_reason(
        request, pk, services.realisation_return, _("Realisasi dikembalikan kepada petugas.")
    )


@login_required
@require_POST
def reopen(request, pk):
    return _with_reason(request, pk, services.realisation_reopen, _("Realisasi dibuka kembali."))


@login_required
@require_POST
def approve_section(request, pk):
    indicators = Indicator.objects.filter(
        access.reviewer_scope(request.user), objective__section_id=pk
    )
    rows = Realisation.objects.filter(indicator__in=indicators)
    count = services.realisation_bulk_approve(realisations=rows, user=request.user)
    if not count:
        raise Http404
    messages.success(request, _("%(count)d realisasi disetujui.") % {"count": count})
    return redirect("review")


@login_required
def history(request, pk):
    indicator = get_object_or_404(access.visible_indicators(request.user).with_structure(), pk=pk)
    records = (
        Realisation.history.filter(indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by("-history_date")
    )
    target_records = (
        Target.history.filter(indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by("-history_date")
    )
    return render(
        request,
        "sasaran/history.html",
        {"indicator": indicator, "records": records, "target_records": target_records},
    )


@login_required
def evidence_file(request, pk):
    evidence = get_object_or_404(
        Evidence.objects.select_related("realisation"),
        pk=pk,
        realisation__indicator__in=access.visible_indicators(request.user),
    )
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )
