"""Pages of the satisfaction survey (SKM): the list and result of a unit's surveys, the
entry grid for paper questionnaires, and the public questionnaire without login.

Staff pages fetch surveys through `access` (404 outside the user's units). The public
page knows only its service's token, shows nothing but the questions, keeps Django's CSRF
protection and limits submissions per device cookie and per address; both forms carry a
one-time token, so the same rendered form posted twice saves once (`limits`). Outside its
survey's period it sends the visitor to the unit's survey of today for the same service, or
says that the survey is closed. The public results page (`survey_public_result`) shows a
period's figures, without login and without any respondent's data.

The public pages speak Indonesian whatever the browser asks for (`indonesian_by_default`);
English only when the visitor chose it with the language switch.
"""

import functools
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import formset_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sasaran import numbers, periods, queries
from sasaran.downloads import download_response
from sasaran.models import Realisation
from sasaran.periods import Period

from . import access, charts, export_xlsx, import_xlsx, limits, reach_views, report, services
from .forms import EntryGridFormSet, EntryRowForm, ImportForm, PublicSurveyForm
from .models import Survey, SurveyService

ENTRY_ROWS = 10
MAX_ENTRY_ROWS = 100


@login_required
def survey_list(request):
    if not access.has_surveys(request.user):
        raise Http404
    surveys = access.visible_surveys(request.user).prefetch_related("services")
    return render(request, "skm/list.html", {"surveys": surveys})


def _feed_targets(user, survey, result):
    """Every indicator link of the survey with its period, the IKM it takes (pooled or its
    service's), the current realisation, and whether `user` may send the IKM to it."""
    targets = []
    links = survey.indicator_links.select_related(
        "indicator__objective__section__manual", "service"
    )
    for link in links:
        period = link.period
        ikm = services.link_ikm(link, result)
        row = queries.realisation_of(link.indicator, period) if period else None
        targets.append(
            {
                "link": link,
                "indicator": link.indicator,
                "period": period,
                "period_label": Period(period).label if period else "—",
                "has_ikm": ikm is not None,
                "ikm_text": services.id_number(ikm.ikm if ikm else None),
                "row": row,
                # A submitted or approved realisation takes no value until reopened.
                "locked": row is not None and row.status not in Realisation.EDITABLE,
                "may_feed": period is not None and access.may_feed_link(user, link),
            }
        )
    return targets


@login_required
def survey_detail(request, pk):
    survey, _may_change = access.get_survey(request.user, pk)
    result = services.survey_result(survey)
    # The recap per respondent a page at a time: a survey may have thousands.
    recap_page = Paginator(services.recap_queryset(survey), services.RECAP_PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    context = {
        "survey": survey,
        "result": result,
        "recap_page": recap_page,
        "recap": services.recap_rows(survey, result.unsur, recap_page.object_list),
        "charts": charts.result_charts(result),
        "feeds": _feed_targets(request.user, survey, result),
        "may_close": access.may_close(request.user, survey),
        # Suggestions to follow up, QR posters and this browser as a kiosk (reach_views).
        **reach_views.detail_context(request, survey),
    }
    return render(request, "skm/detail.html", context)


@login_required
@require_POST
def survey_close(request, pk):
    """Tutup survei: no more answers; its result (and the IKM it gives) frozen."""
    survey, _may_change = access.get_survey(request.user, pk)
    if not access.may_close(request.user, survey):
        raise Http404
    try:
        survey = services.survey_close(survey=survey, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, services.survey_result(survey).frozen_text)
    return redirect("survey_detail", pk=survey.pk)


@login_required
@require_POST
def survey_reopen(request, pk):
    """Buka kembali: a closed survey takes answers within its period again, and its result
    follows its rows; the survey's note keeps the figures it had when closed."""
    survey, _may_change = access.get_survey(request.user, pk)
    if not access.may_close(request.user, survey):
        raise Http404
    try:
        services.survey_reopen(survey=survey, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Survei dibuka kembali; hasilnya dihitung ulang dari isian."))
    return redirect("survey_detail", pk=survey.pk)


@login_required
@require_POST
def survey_feed(request, pk):
    """Kirim IKM ke indikator: the survey's IKM (pooled, or a service's) becomes the
    realisation of the linked indicator chosen (`link`), or of every linked indicator the
    user may feed."""
    survey, _may_change = access.get_survey(request.user, pk)
    link = None
    if request.POST.get("link"):
        link = get_object_or_404(
            survey.indicator_links.select_related("indicator", "service"),
            pk=request.POST["link"] if request.POST["link"].isdigit() else None,
        )
        if not access.may_feed_link(request.user, link):
            raise Http404
    elif not access.may_feed(request.user, survey):
        raise Http404
    try:
        outcome = services.survey_feed_indicator(survey=survey, user=request.user, link=link)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        for indicator, message in outcome.refused:
            messages.error(request, f"{indicator}: {message}")
        for row in outcome.rows:
            messages.success(
                request,
                _("IKM %(value)s dikirim ke %(indicator)s, %(period)s (draf).")
                % {
                    "value": numbers.format_id_number(row.value, 2),
                    "indicator": row.indicator,
                    "period": row.get_period_display(),
                },
            )
    return redirect("survey_detail", pk=survey.pk)


def _file_stem(survey):
    """The survey's part of its files' names: 2023-quarter-1."""
    return f"{survey.year}-{survey.period_kind}-{survey.period_number}"


@login_required
def survey_pdf(request, pk):
    survey, _may_change = access.get_survey(request.user, pk)
    content = report.result_pdf(services.survey_result(survey))
    return download_response(content, f"hasil-skm-{_file_stem(survey)}.pdf")


@login_required
def survey_excel(request, pk):
    survey, _may_change = access.get_survey(request.user, pk)
    content = export_xlsx.result_workbook(services.survey_result(survey))
    return download_response(content, f"hasil-skm-{_file_stem(survey)}.xlsx")


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
        EntryRowForm,
        formset=EntryGridFormSet,
        extra=_row_count(request),
        max_num=MAX_ENTRY_ROWS,
        absolute_max=MAX_ENTRY_ROWS,
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
    if not survey.takes_answers:
        messages.error(request, services.closed_message(survey))
        return redirect("survey_detail", pk=survey.pk)
    service_list = list(survey.services.all())
    unsur = list(survey.unsur.all())
    if not service_list:
        messages.error(request, _("Tambahkan jenis layanan survei ini terlebih dahulu (admin)."))
        return redirect("survey_detail", pk=survey.pk)
    formset = _entry_formset(request, survey, service_list, unsur)
    errors = []
    if request.method == "POST":
        nonce = limits.posted_nonce(request, limits.ENTRY_FORM)
        if nonce is None:
            errors = [limits.refused_token_message()]
        elif formset.is_valid():
            rows = [
                form.row(number)
                for number, form in enumerate(formset.forms, start=1)
                if form.has_changed()
            ]
            if not rows:
                errors = [_("Belum ada baris yang diisi.")]
            elif not limits.claim(nonce):  # the same grid sent twice (a double click)
                messages.info(request, _("Isian ini sudah dikirim; tidak disimpan dua kali."))
                return redirect("survey_entry", pk=survey.pk)
            else:
                try:
                    saved = services.responses_create(survey=survey, rows=rows)
                except ValidationError as error:
                    limits.release(nonce)
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
        "once": limits.new_once_token(limits.ENTRY_FORM),
    }
    return render(request, "skm/entry.html", context, status=400 if errors else 200)


# --------------------------------------------------------------------------- workbook import


# The rows of an uploaded recap wait in the user's session between the preview and the
# confirmation (`import_xlsx.pending_import`): no uploaded file is kept on the server, the
# session is stored in the database, tied to the login and gone when it expires, and a
# recap is at most `import_xlsx.MAX_ROWS` small rows. A new upload replaces the last one.
PENDING_IMPORT = "skm_import_pending"
PREVIEW_SKIPPED_SHOWN = 200


def _confirm_import(request, survey):
    """Save the rows of the preview this user confirmed; the saved responses, or
    ValidationError. The preview's random token is claimed once, so a double click or a
    second tab saves nothing twice."""
    pending = request.session.get(PENDING_IMPORT) or {}
    token = request.POST.get("token", "")
    expected = str(pending.get("token", ""))
    if not token or not secrets.compare_digest(token.encode(), expected.encode()):
        raise import_xlsx.preview_gone()
    rows = import_xlsx.rows_from_pending(survey, pending)
    if not limits.claim(f"skm-import:{token}"):
        raise import_xlsx.preview_gone()
    try:
        saved = import_xlsx.save_rows(survey=survey, rows=rows)
    except ValidationError:
        limits.release(f"skm-import:{token}")
        raise
    request.session.pop(PENDING_IMPORT, None)
    return saved


@login_required
def survey_import_view(request, pk):
    """Upload a recap workbook, see what it would import, then confirm; nothing is saved
    before the confirmation."""
    survey, may_change = access.get_survey(request.user, pk)
    if not may_change:
        raise Http404
    form = ImportForm(initial={"default_date": survey.period_dates()[1]})
    errors, preview, token = [], None, ""
    if request.method == "POST" and "token" in request.POST:
        try:
            saved = _confirm_import(request, survey)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("%(count)d responden diimpor.") % {"count": len(saved)})
            return redirect("survey_detail", pk=survey.pk)
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                preview = import_xlsx.preview_workbook(
                    survey=survey,
                    upload=form.cleaned_data["file"],
                    default_date=form.cleaned_data["default_date"],
                )
            except ValidationError as error:
                if getattr(error, "code", None) == "file":  # the file as a whole: at its field
                    form.add_error("file", error)
                else:
                    errors = error.messages
            else:
                token = secrets.token_urlsafe(16)
                pending = import_xlsx.pending_import(survey, preview, token)
                request.session[PENDING_IMPORT] = pending
    context = {
        "survey": survey,
        "form": form,
        "errors": errors,
        "preview": preview,
        "token": token,
    }
    if preview:
        context["skipped_shown"] = preview.skipped[:PREVIEW_SKIPPED_SHOWN]
        context["skipped_more"] = max(0, len(preview.skipped) - PREVIEW_SKIPPED_SHOWN)
        context["skipped_rows"] = sum(last - first + 1 for first, last, *_r in preview.skipped)
        context["preview_ikm"] = services.id_number(preview.ikm.ikm) if preview.ikm else None
    refused = request.method == "POST" and preview is None
    return render(request, "skm/import.html", context, status=400 if refused else 200)


@login_required
def survey_import_template(request, pk):
    survey, _may_change = access.get_survey(request.user, pk)
    name = f"format-rekap-skm-{_file_stem(survey)}.xlsx"
    return download_response(import_xlsx.template_workbook(survey), name)


def indonesian_by_default(view):
    """The public pages speak Indonesian, whatever language the browser prefers
    (LocaleMiddleware would follow its Accept-Language): only a language the visitor chose
    with the switch (Django's set_language, remembered in its cookie) replaces it. The page
    varies with that cookie, so caches keep one copy per choice."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapped


def _public_service(token):
    return get_object_or_404(
        SurveyService.objects.select_related("survey__unit"), public_token=token
    )


def _closed_page(request, service, today):
    """The survey takes no answers today (before or after its period, or closed) and the
    unit has no open survey of today for this service: say so plainly (200, no form)."""
    survey = service.survey
    first, last = survey.period_dates()
    context = {
        "service": service,
        "survey": survey,
        "first_day": first,
        "last_day": last,
        "not_yet": survey.takes_answers and today < first,
        "has_result": services.has_public_result(survey),
    }
    return render(request, "skm/public_closed.html", context)


@indonesian_by_default
def public_survey(request, token):
    service = _public_service(token)
    today = periods.today()
    target = services.current_service(service, today)
    if target is None:
        return _closed_page(request, service, today)
    if target != service:  # a link of an earlier period: to the unit's survey of today
        return redirect("public_survey", token=target.public_token)
    survey = service.survey
    context = {
        "service": service,
        "survey": survey,
        "has_result": services.has_public_result(survey),
    }
    unsur = list(survey.unsur.all())
    form = PublicSurveyForm(request.POST or None, unsur=unsur)
    status = 200
    if request.method == "POST":
        nonce = limits.posted_nonce(request, limits.PUBLIC_FORM)
        if nonce is None:
            context["refused"] = limits.refused_token_message()
            status = 400
        elif form.is_valid():
            if not limits.claim(nonce):  # this rendered form was already sent
                return redirect("public_survey_thanks", token=token)
            # A kiosk device of the unit is counted by itself, not by the office's address.
            if not limits.within_limits(request, unit=survey.unit):
                limits.release(nonce)
                context["limited"] = True
                status = 429
            else:
                try:
                    services.public_response_create(
                        service=service,
                        profile=form.profile(),
                        answers=form.answers(),
                        feedback=form.feedback(),
                    )
                except ValidationError as error:
                    limits.release(nonce)
                    if getattr(error, "code", None) != services.CLOSED:
                        raise
                    # Closed, or its period ended, since the page was opened.
                    return _closed_page(request, service, periods.today())
                except Exception:
                    limits.release(nonce)
                    raise
                return redirect("public_survey_thanks", token=token)
        else:
            status = 400
    context["form"] = form
    context["once"] = limits.new_once_token(limits.PUBLIC_FORM)
    response = render(request, "skm/public.html", context, status=status)
    limits.give_device_cookie(request, response)
    return response


@indonesian_by_default
def public_survey_thanks(request, token):
    service = _public_service(token)
    survey = service.survey
    context = {
        "service": service,
        "survey": survey,
        "has_result": services.has_public_result(survey),
    }
    return render(request, "skm/public_thanks.html", context)


@indonesian_by_default
def survey_public_result(request, unit, year, kind, number):
    """The result of one unit's survey of one period, as Permenpan RB 14/2017 asks it to be
    published: IKM, mutu and kinerja, IKM per service, respondents, NRR per unsur and the
    follow-up plan. No login; nothing about any respondent. Unknown surveys, and those
    without respondents yet, are 404."""
    survey = get_object_or_404(
        Survey.objects.select_related("unit"),
        unit__code=unit,
        year=year,
        period_kind=kind,
        period_number=number,
    )
    result = services.survey_result(survey)
    if not result.respondents:
        raise Http404
    first, last = survey.period_dates()
    context = {
        "survey": survey,
        "result": result,
        "nrr_chart": charts.nrr_chart(result) if result.unsur_rows else None,
        "first_day": first,
        "last_day": last,
        # Still counting: the period has not ended and nobody closed the survey.
        "provisional": not survey.is_closed and periods.today() <= last,
    }
    return render(request, "skm/public_result.html", context)
