"""Pages of corrective actions (ISO 9001 clause 10.2) and of the reminder preference.

A missed period (its value submitted or approved, the target not met) is offered a
corrective action on the indicator page and on the unit's list: its officer, its reviewers
(the head) and a superuser open it with a button and a form prefilled from the
realisation's free-text cause analysis and follow-up. Every page fetches through `access`
(404 outside the user's scope).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sasaran import access as core_access
from sasaran import periods, queries
from sasaran.downloads import download_response
from sasaran.periods import Period

from . import access, review, services
from .forms import ActionForm, DoneForm, ReviewForm, ReviewNewForm, VerifyForm
from .models import CorrectiveAction, ReminderPreference


def _errors_of(exc):
    return exc.messages if hasattr(exc, "messages") else [str(exc)]


@login_required
def action_list(request, code):
    """The unit's corrective actions: open and overdue first, and the closed ones."""
    unit, _manages = core_access.get_unit(request.user, code)
    today = periods.today()
    rows = list(
        access.visible_actions(request.user).filter(
            indicator__objective__section__manual__unit=unit
        )
    )
    live = [a for a in rows if a.status not in CorrectiveAction.CLOSED]
    closed = [a for a in rows if a.status in CorrectiveAction.CLOSED]
    for action in rows:
        action.overdue = action.is_overdue(today)
    live.sort(key=lambda a: (not a.overdue, a.due_date, a.pk))
    closed.sort(key=lambda a: a.verified_at or a.opened_at, reverse=True)
    context = {
        "unit": unit,
        "live": live,
        "closed": closed,
        "overdue_count": sum(1 for a in live if a.overdue),
        "today": today,
    }
    return render(request, "siklus/list.html", context)


@login_required
def action_new(request, pk, period):
    """Open a corrective action for a missed period of an indicator."""
    indicator, may_change = core_access.get_indicator(request.user, pk)
    if period not in Period.values:
        raise Http404
    if not may_change:
        raise Http404
    realisation = services.missed_realisation(indicator, period)
    live = services.live_action(indicator, period)
    if live is not None:
        return redirect("siklus:action_detail", pk=live.pk)
    owners = services.owner_choices(indicator)
    errors = []
    if realisation is None:
        return render(
            request,
            "siklus/new.html",
            {"indicator": indicator, "period": period, "not_missed": True},
            status=200,
        )
    if request.method == "POST":
        form = ActionForm(request.POST, owners=owners)
        if form.is_valid():
            try:
                action = services.action_open(
                    indicator=indicator,
                    period=period,
                    user=request.user,
                    cause_analysis=form.cleaned_data["cause_analysis"],
                    action=form.cleaned_data["action"],
                    owner=form.cleaned_data["owner"],
                    due_date=form.cleaned_data["due_date"],
                )
            except ValidationError as exc:
                errors = _errors_of(exc)
            else:
                messages.success(request, _("Tindakan korektif dibuka."))
                return redirect("siklus:action_detail", pk=action.pk)
    else:
        owner = services.default_owner(indicator)
        form = ActionForm(
            owners=owners,
            initial={
                "cause_analysis": realisation.cause_analysis,
                "action": realisation.follow_up,
                "owner": owner.pk if owner and owners.filter(pk=owner.pk).exists() else None,
            },
        )
    context = {
        "indicator": indicator,
        "period": period,
        "period_label": Period(period).label,
        "realisation": realisation,
        "form": form,
        "errors": errors,
    }
    return render(request, "siklus/new.html", context)


def _detail(request, action, may_work, **forms):
    today = periods.today()
    following = services.next_result(action) if action.status != "open" else None
    context = {
        "action": action,
        "indicator": action.indicator,
        "may_work": may_work,
        "may_verify": access.may_verify(request.user, action),
        "overdue": action.is_overdue(today),
        "following": following,
        "history": action.history.select_related("history_user").order_by("-history_date"),
        "edit_form": forms.get("edit_form")
        or ActionForm(
            owners=services.owner_choices(action.indicator),
            initial={
                "cause_analysis": action.cause_analysis,
                "action": action.action,
                "owner": action.owner_id,
                "due_date": action.due_date,
            },
        ),
        "done_form": forms.get("done_form") or DoneForm(),
        "verify_form": forms.get("verify_form") or VerifyForm(),
        "errors": forms.get("errors", []),
    }
    status = (
        400
        if context["errors"] or any(f.errors for f in forms.values() if hasattr(f, "errors"))
        else 200
    )
    return render(request, "siklus/detail.html", context, status=status)


@login_required
def action_detail(request, pk):
    """An action with its history; while open, its owner, officer or reviewers edit it."""
    action, may_work = access.get_action(request.user, pk)
    if request.method == "POST":
        if not may_work:
            raise Http404
        form = ActionForm(request.POST, owners=services.owner_choices(action.indicator))
        if form.is_valid():
            try:
                services.action_update(
                    action=action,
                    user=request.user,
                    cause_analysis=form.cleaned_data["cause_analysis"],
                    action_text=form.cleaned_data["action"],
                    owner=form.cleaned_data["owner"],
                    due_date=form.cleaned_data["due_date"],
                )
            except ValidationError as exc:
                return _detail(request, action, may_work, edit_form=form, errors=_errors_of(exc))
            messages.success(request, _("Tindakan korektif disimpan."))
            return redirect("siklus:action_detail", pk=action.pk)
        return _detail(request, action, may_work, edit_form=form)
    return _detail(request, action, may_work)


@login_required
@require_POST
def action_done(request, pk):
    action, may_work = access.get_action(request.user, pk)
    if not may_work:
        raise Http404
    form = DoneForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.action_done(
                action=action,
                user=request.user,
                evidence_file=form.cleaned_data["evidence_file"],
                evidence_link=form.cleaned_data["evidence_link"],
                evidence_text=form.cleaned_data["evidence_text"],
            )
        except ValidationError as exc:
            return _detail(request, action, may_work, done_form=form, errors=_errors_of(exc))
        messages.success(request, _("Tindakan korektif ditandai selesai."))
        return redirect("siklus:action_detail", pk=action.pk)
    return _detail(request, action, may_work, done_form=form)


@login_required
@require_POST
def action_verify(request, pk):
    action, may_work = access.get_action(request.user, pk)
    if not access.may_verify(request.user, action):
        raise Http404
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            services.action_verify(
                action=action,
                user=request.user,
                effective=form.cleaned_data["verdict"] == "effective",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            return _detail(request, action, may_work, verify_form=form, errors=_errors_of(exc))
        messages.success(request, _("Hasil verifikasi disimpan."))
        return redirect("siklus:action_detail", pk=action.pk)
    return _detail(request, action, may_work, verify_form=form)


@login_required
def action_evidence(request, pk):
    action, _may_work = access.get_action(request.user, pk)
    if not action.evidence_file:
        raise Http404
    return FileResponse(
        action.evidence_file.open("rb"),
        as_attachment=True,
        filename=action.evidence_name or "bukti",
    )


@login_required
def reminder_preferences(request):
    """Switch the reminder emails of the signed-in user on or off."""
    preference, _created = ReminderPreference.objects.get_or_create(user=request.user)
    if request.method == "POST":
        preference.enabled = request.POST.get("enabled") == "on"
        preference.full_clean()
        preference.save()
        messages.success(
            request,
            _("Pengingat lewat surel diaktifkan.")
            if preference.enabled
            else _("Pengingat lewat surel dimatikan."),
        )
        return redirect("siklus:reminders")
    return render(
        request,
        "siklus/reminders.html",
        {"preference": preference, "has_email": bool(request.user.email)},
    )


# --------------------------------------------------------------------------- management review


@login_required
def review_list(request, code):
    """A unit's management reviews; its head or admin starts the one of a semester or year."""
    unit, manages = core_access.get_unit(request.user, code)
    years = queries.manual_years([unit]) or [periods.today().year]
    if request.method == "POST":
        if not manages:
            raise Http404
        form = ReviewNewForm(request.POST, years=years)
        if form.is_valid():
            row = services.review_create(
                unit=unit,
                year=form.cleaned_data["year"],
                period=form.cleaned_data["period"],
                user=request.user,
            )
            return redirect("siklus:review_detail", pk=row.pk)
        status = 400
    else:
        form = ReviewNewForm(years=years)
        status = 200
    reviews = access.visible_reviews(request.user).filter(unit=unit)
    context = {"unit": unit, "manages": manages, "form": form, "reviews": reviews}
    return render(request, "siklus/review_list.html", context, status=status)


@login_required
def review_detail(request, pk):
    """The pack on screen, with the head's conclusions and decisions to type in."""
    row, may_change = access.get_review(request.user, pk)
    status = 200
    if request.method == "POST":
        if not may_change:
            raise Http404
        form = ReviewForm(request.POST)
        if form.is_valid():
            services.review_complete(review=row, user=request.user, **form.cleaned_data)
            messages.success(request, _("Tinjauan manajemen disimpan."))
            return redirect("siklus:review_detail", pk=row.pk)
        status = 400
    else:
        form = ReviewForm(
            initial={
                "meeting_date": row.meeting_date,
                "conclusions": row.conclusions,
                "decisions": row.decisions,
            }
        )
    context = {
        "review": row,
        "unit": row.unit,
        "may_change": may_change,
        "form": form,
        "pack": review.review_pack(row),
    }
    return render(request, "siklus/review.html", context, status=status)


def _review_stem(row):
    return f"tinjauan-manajemen-{row.unit.code}-{row.year}-{row.period.lower()}"


@login_required
def review_pdf(request, pk):
    row, _may_change = access.get_review(request.user, pk)
    content = review.review_pdf(review.review_pack(row))
    return download_response(content, f"{_review_stem(row)}.pdf")


@login_required
def review_xlsx(request, pk):
    row, _may_change = access.get_review(request.user, pk)
    content = review.review_workbook(review.review_pack(row))
    return download_response(content, f"{_review_stem(row)}.xlsx")
