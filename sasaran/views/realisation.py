"""The entry form of a realisation (with its live preview), its history and its evidence
files. Every view fetches its indicator through `access` (404 outside the user's scope)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, numbers, periods, results, services, sources
from ..dashboard import with_rows
from ..forms import RealisationForm, ReasonForm
from ..models import Indicator, Realisation, Target
from ..periods import Period


def _entry_context(request, indicator, period, form, row):
    scale = results.category_scale()
    own = access.is_officer_of(request.user, indicator)
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
        "can_edit": own and (row is None or row.status in Realisation.EDITABLE),
        # (whether the user reviews the indicator is asked only when it matters: never of
        # the officer's own figures)
        "can_review": row is not None
        and row.entered_by_id != request.user.pk
        and access.may_review(
            request.user, row, reviews_indicator=access.is_reviewer_of(request.user, indicator)
        ),
        # The head's own indicator is submitted to, and waits for, someone above him.
        "head_own": access.is_head_own(indicator),
        "head_own_reviewer": access.head_own_reviewer(indicator),
        "deadline": periods.deadline(indicator, period),
        "evidence": row.evidence.all() if row else [],
        "reason_form": ReasonForm.again(request, row),
        "linked": form.linked,
    }


def _get_entry(request, pk, period):
    if period not in Period.values:
        raise Http404
    indicator, _may_change = access.get_indicator(
        request.user, pk, queryset=with_rows(Indicator.objects.all())
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
        if not access.is_officer_of(request.user, indicator):
            raise Http404  # reviewers and parent heads read the form; the officer types
        if form.is_valid():
            try:
                row = services.realisation_save(
                    indicator=indicator,
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
    shown = "—" if current.value is None else numbers.format_id_number(current.value)
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


@login_required
def history(request, pk):
    indicator, _may_change = access.get_indicator(request.user, pk)
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
    evidence, _may_change = access.get_evidence(request.user, pk)
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )
