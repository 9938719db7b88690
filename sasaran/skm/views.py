"""Pages of the satisfaction survey (SKM): the list and result of a unit's surveys, the
entry grid for paper questionnaires, and the public questionnaire without login.

Staff pages fetch surveys through `access` (404 outside the user's units). The public
page knows only its service's token, shows nothing but the questions, keeps Django's CSRF
protection and limits submissions per device cookie and per address with the cache. Both
forms carry a one-time token, so the same rendered form posted twice saves once.
"""

import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sasaran import numbers, queries
from sasaran.client_address import client_address
from sasaran.downloads import download_response
from sasaran.periods import Period

from . import access, charts, export_xlsx, import_xlsx, report, services
from .forms import EntryRowForm, ImportForm, PublicSurveyForm
from .models import SurveyService

ENTRY_ROWS = 10
MAX_ENTRY_ROWS = 100
RATE_WINDOW_SECONDS = 10 * 60


@login_required
def survey_list(request):
    if not access.has_surveys(request.user):
        raise Http404
    surveys = access.visible_surveys(request.user).prefetch_related("services")
    return render(request, "skm/list.html", {"surveys": surveys})


def _feed_target(user, survey):
    """The linked indicator, its period and current realisation, if `user` may feed it."""
    if not access.may_feed(user, survey):
        return None
    indicator = survey.indicator
    period = survey.feeds_period(indicator)
    return {
        "indicator": indicator,
        "period": period,
        "period_label": Period(period).label,
        "row": queries.realisation_of(indicator, period),
    }


@login_required
def survey_detail(request, pk):
    survey, _may_change = access.get_survey(request.user, pk)
    result = services.survey_result(survey)
    context = {
        "survey": survey,
        "result": result,
        "charts": charts.result_charts(result),
        "feed": _feed_target(request.user, survey),
    }
    return render(request, "skm/detail.html", context)


@login_required
@require_POST
def survey_feed(request, pk):
    """Kirim IKM ke indikator: the pooled IKM becomes the linked indicator's realisation."""
    survey, _may_change = access.get_survey(request.user, pk)
    if not access.may_feed(request.user, survey):
        raise Http404
    try:
        row = services.survey_feed_indicator(survey=survey, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("IKM %(value)s dikirim ke %(indicator)s, %(period)s (draf).")
            % {
                "value": numbers.format_id_number(row.value, 2),
                "indicator": survey.indicator,
                "period": row.get_period_display(),
            },
        )
    return redirect("survey_detail", pk=survey.pk)


@login_required
def survey_pdf(request, pk):
    survey, _may_change = access.get_survey(request.user, pk)
    content = report.result_pdf(services.survey_result(survey))
    name = f"hasil-skm-{survey.year}-{survey.period_kind}-{survey.period_number}.pdf"
    return download_response(content, name)


@login_required
def survey_excel(request, pk):
    survey, _may_change = access.get_survey(request.user, pk)
    content = export_xlsx.result_workbook(services.survey_result(survey))
    name = f"hasil-skm-{survey.year}-{survey.period_kind}-{survey.period_number}.xlsx"
    return download_response(content, name)


# --------------------------------------------------------------------------- entry grid


def _row_count(request):
    try:
        rows = int(request.GET.get("baris", ENTRY_ROWS))
    except ValueError:
        rows = ENTRY_ROWS
    return max(1, min(rows, MAX_ENTRY_ROWS))


def _default_date(survey):
    first, last = survey.period_dates()
    return min(max(timezone.localdate(), first), last)


def _entry_formset(request, survey, service_list, unsur):
    factory = formset_factory(
        EntryRowForm, extra=_row_count(request), max_num=MAX_ENTRY_ROWS, absolute_max=MAX_ENTRY_ROWS
    )
    initial = {"date": _default_date(survey)}
    if len(service_list) == 1:
        initial["service"] = service_list[0]
    kwargs = {"services": survey.services.all(), "unsur": unsur, "initial": initial}
    data = request.POST if request.method == "POST" else None
    return factory(data, prefix="r", form_kwargs=kwargs)


def _formset_messages(formset):
    """Every error of the grid as "Baris n: ..." in Indonesian."""
    lines = []
    for number, form in enumerate(formset.forms, start=1):
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                if name != "__all__" and not error.startswith(f"{label}:"):
                    error = f"{label}: {error}"
                lines.append(_("Baris %(row)s: %(error)s") % {"row": number, "error": error})
    lines += list(formset.non_form_errors())
    return lines


@login_required
def survey_entry(request, pk):
    survey, may_change = access.get_survey(request.user, pk)
    if not may_change:
        raise Http404
    service_list = list(survey.services.all())
    unsur = list(survey.unsur.all())
    if not service_list:
        messages.error(request, _("Tambahkan jenis layanan survei ini terlebih dahulu (admin)."))
        return redirect("survey_detail", pk=survey.pk)
    formset = _entry_formset(request, survey, service_list, unsur)
    errors = []
    if request.method == "POST":
        nonce = _posted_nonce(request, ENTRY_FORM)
        if nonce is None:
            errors = [_refused_token_message()]
        elif formset.is_valid():
            rows = [
                form.row(number)
                for number, form in enumerate(formset.forms, start=1)
                if form.has_changed()
            ]
            if not rows:
                errors = [_("Belum ada baris yang diisi.")]
            elif not _claim(nonce):  # the same grid sent twice (a double click)
                messages.info(request, _("Isian ini sudah dikirim; tidak disimpan dua kali."))
                return redirect("survey_entry", pk=survey.pk)
            else:
                try:
                    saved = services.responses_create(survey=survey, rows=rows)
                except ValidationError as error:
                    _release(nonce)
                    errors = error.messages
                else:
                    messages.success(
                        request, _("%(count)d responden disimpan.") % {"count": len(saved)}
                    )
                    return redirect("survey_entry", pk=survey.pk)
        else:
            errors = _formset_messages(formset)
    context = {
        "survey": survey,
        "formset": formset,
        "unsur": unsur,
        "errors": errors,
        "once": new_once_token(ENTRY_FORM),
    }
    return render(request, "skm/entry.html", context, status=400 if errors else 200)


# --------------------------------------------------------------------------- workbook import


@login_required
def survey_import_view(request, pk):
    survey, may_change = access.get_survey(request.user, pk)
    if not may_change:
        raise Http404
    form = ImportForm(initial={"default_date": survey.period_dates()[1]})
    errors = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                saved = import_xlsx.import_workbook(
                    survey=survey,
                    upload=form.cleaned_data["file"],
                    default_date=form.cleaned_data["default_date"],
                )
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("%(count)d responden diimpor.") % {"count": len(saved)})
                return redirect("survey_detail", pk=survey.pk)
    context = {"survey": survey, "form": form, "errors": errors}
    return render(request, "skm/import.html", context, status=400 if errors else 200)


@login_required
def survey_import_template(request, pk):
    survey, _may_change = access.get_survey(request.user, pk)
    name = f"format-rekap-skm-{survey.year}-{survey.period_kind}-{survey.period_number}.xlsx"
    response = download_response(import_xlsx.template_workbook(survey), name)
    return response


# --------------------------------------------------------------------------- one-time form tokens
# Every rendered public questionnaire and entry grid carries a random nonce, signed so it
# cannot be made up, in the hidden field `once`. Saving claims the nonce in the cache with
# add(), which only one request can win: posting the same rendered form again (a double
# click, back and resubmit) finds it claimed and saves nothing a second time.

ONCE_FIELD = "once"
ONCE_SECONDS = 24 * 60 * 60
PUBLIC_FORM = "skm-public-form"
ENTRY_FORM = "skm-entry-form"


def new_once_token(purpose):
    return signing.dumps(secrets.token_urlsafe(16), salt=purpose)


def _posted_nonce(request, purpose):
    """The nonce of the posted form, or None when the token is missing, forged or expired."""
    try:
        return signing.loads(
            request.POST.get(ONCE_FIELD, ""), salt=purpose, max_age=ONCE_SECONDS
        )
    except signing.BadSignature:
        return None


def _claim(nonce):
    """True for the first request that saves this rendered form, False for every repeat."""
    return cache.add(f"skm-once:{nonce}", 1, ONCE_SECONDS)


def _release(nonce):
    """The save did not happen: the same form may be sent again."""
    cache.delete(f"skm-once:{nonce}")


def _refused_token_message():
    return _(
        "Formulir ini sudah kedaluwarsa atau tidak sah, jadi belum disimpan. Isian Anda masih "
        "ada; silakan kirim ulang."
    )


# --------------------------------------------------------------------------- public page


DEVICE_COOKIE = "skm_device"
DEVICE_COOKIE_SECONDS = 365 * 24 * 60 * 60


def _device(request):
    """The browser's own random key from its signed cookie, or None without a valid one."""
    return request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_COOKIE)


def _give_device_cookie(request, response):
    if _device(request) is None:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(16),
            salt=DEVICE_COOKIE,
            max_age=DEVICE_COOKIE_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )


def _take_slot(counter, limit):
    """Claim one of the `limit` answers `counter` may send in the current 10-minute window.

    Each answer is a numbered slot claimed with cache.add(), which is atomic on every cache
    backend (Redis, the database, local memory), so a burst of parallel posts cannot pass
    more than `limit`; a hint remembers where the free slots start."""
    window = int(time.time() // RATE_WINDOW_SECONDS)
    prefix = f"skm-rate:{counter}:{window}"
    for number in range(cache.get(f"{prefix}:next", 0), limit):
        if cache.add(f"{prefix}:{number}", 1, RATE_WINDOW_SECONDS):
            cache.set(f"{prefix}:next", number + 1, RATE_WINDOW_SECONDS)
            return True
    return False


def _within_limits(request):
    """Count one answer. A browser with the survey's device cookie is counted by its cookie,
    and all devices behind one address together under a higher ceiling, so one office behind
    one address is not locked out; a browser without the cookie is counted by its address."""
    address = client_address(request)  # behind the office's proxy: the visitor's own
    device = _device(request)
    if device is None:
        return _take_slot(f"address:{address}", settings.SKM_PUBLIC_RATE_LIMIT)
    return _take_slot(f"device:{device}", settings.SKM_PUBLIC_DEVICE_LIMIT) and _take_slot(
        f"devices-at:{address}", settings.SKM_PUBLIC_ADDRESS_LIMIT
    )


def _public_service(token):
    return get_object_or_404(
        SurveyService.objects.select_related("survey__unit"), public_token=token
    )


def public_survey(request, token):
    service = _public_service(token)
    survey = service.survey
    context = {"service": service, "survey": survey}
    if not survey.is_open:
        return render(request, "skm/public_closed.html", context)
    unsur = list(survey.unsur.all())
    form = PublicSurveyForm(request.POST or None, unsur=unsur)
    status = 200
    if request.method == "POST":
        nonce = _posted_nonce(request, PUBLIC_FORM)
        if nonce is None:
            context["refused"] = _refused_token_message()
            status = 400
        elif form.is_valid():
            if not _claim(nonce):  # this rendered form was already sent
                return redirect("public_survey_thanks", token=token)
            if not _within_limits(request):
                _release(nonce)
                context["limited"] = True
                status = 429
            else:
                try:
                    services.public_response_create(
                        service=service, profile=form.profile(), answers=form.answers()
                    )
                except Exception:
                    _release(nonce)
                    raise
                return redirect("public_survey_thanks", token=token)
        else:
            status = 400
    context["form"] = form
    context["once"] = new_once_token(PUBLIC_FORM)
    response = render(request, "skm/public.html", context, status=status)
    _give_device_cookie(request, response)
    return response


def public_survey_thanks(request, token):
    service = _public_service(token)
    return render(
        request, "skm/public_thanks.html", {"service": service, "survey": service.survey}
    )
