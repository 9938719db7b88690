"""Staff pages that bring the survey to its public and answer it: the suggestions and
complaints respondents left (with their follow-up), the printable QR poster of each
service, and the counter tablets registered as kiosk devices of the unit.

Every page fetches its survey through `access.get_survey` (404 outside the user's units);
the kiosk devices are the unit head's or admin's (`access.may_manage_kiosks`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sasaran.downloads import download_response

from . import access, kiosk, poster, services
from .forms import KioskForm, SuggestionFilterForm, SuggestionResponseForm
from .models import KioskDevice, Response

SUGGESTIONS_PAGE_SIZE = 20


def detail_context(request, survey):
    """What the survey page shows of this module: how many suggestions wait for a first
    look, and (to the unit's head or admin) this browser as a kiosk device."""
    manages = access.may_manage_kiosks(request.user, survey)
    return {
        "new_suggestions": services.suggestions(survey)
        .filter(suggestion_status=Response.SuggestionStatus.NEW)
        .count(),
        "poster_sizes": list(poster.SIZES),
        "may_manage_kiosks": manages,
        "this_kiosk": kiosk.current_device(request, survey.unit) if manages else None,
        "kiosk_form": KioskForm() if manages else None,
    }


# --------------------------------------------------------------------------- suggestions


def _status_filter(request):
    """The status the list is narrowed to ("" for all): from ?status=, ignored if unknown."""
    form = SuggestionFilterForm(request.GET)
    return form, (form.cleaned_data["status"] if form.is_valid() else "")


def _suggestions_url(survey, status, page=None):
    query = {key: value for key, value in (("status", status), ("halaman", page)) if value}
    url = reverse("survey_suggestions", args=[survey.pk])
    return f"{url}?{urlencode(query)}" if query else url


def _suggestions_page(request, survey, *, bound=None, errors=(), status=200):
    """The list page; `bound` is (suggestion pk, its posted form), shown with `errors`."""
    filter_form, chosen = _status_filter(request)
    items = services.suggestions(survey)
    counts = {value: 0 for value in Response.SuggestionStatus.values}
    grouped = items.order_by().values_list("suggestion_status").annotate(n=Count("pk"))
    for value, count in grouped:
        counts[value] = counts.get(value, 0) + count
    if chosen:
        items = items.filter(suggestion_status=chosen)
    page = Paginator(items, SUGGESTIONS_PAGE_SIZE).get_page(request.GET.get("halaman"))
    rows = []
    for item in page.object_list:
        form = bound[1] if bound is not None and bound[0] == item.pk else None
        rows.append(
            {
                "item": item,
                "form": form or SuggestionResponseForm(item=item),
                "errors": errors if form else (),
            }
        )
    context = {
        "survey": survey,
        "filter_form": filter_form,
        "chosen": chosen,
        "counts": [
            (value, label, counts[value]) for value, label in Response.SuggestionStatus.choices
        ],
        "total": sum(counts.values()),
        "page": page,
        "rows": rows,
    }
    return render(request, "skm/suggestions.html", context, status=status)


@login_required
def survey_suggestions(request, pk):
    survey, _may_change = access.get_survey(request.user, pk)
    return _suggestions_page(request, survey)


@login_required
@require_POST
def survey_suggestion_respond(request, pk, item):
    """Save one suggestion's status and response, then back to the list as it was
    (the status filter and page ride in the form's address)."""
    survey, may_change = access.get_survey(request.user, pk)
    if not may_change:
        raise Http404
    response = get_object_or_404(services.suggestions(survey), pk=item)
    form = SuggestionResponseForm(request.POST, item=response)
    errors = []
    if form.is_valid():
        try:
            services.suggestion_respond(
                response=response,
                status=form.cleaned_data["status"],
                text=form.cleaned_data["text"],
                user=request.user,
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Tindak lanjut saran disimpan."))
            _form, chosen = _status_filter(request)
            url = _suggestions_url(survey, chosen, request.GET.get("halaman"))
            return redirect(f"{url}#saran-{response.pk}")
    return _suggestions_page(request, survey, bound=(response.pk, form), errors=errors, status=400)


# --------------------------------------------------------------------------- QR poster


@login_required
def survey_poster(request, pk, service, size):
    """The printable poster of one service's public link (A4 or A5 PDF)."""
    survey, _may_change = access.get_survey(request.user, pk)
    service = get_object_or_404(survey.services, pk=service)
    if size not in poster.SIZES:
        raise Http404
    url = request.build_absolute_uri(reverse("public_survey", args=[service.public_token]))
    content = poster.poster_pdf(service=service, url=url, size=size)
    name = f"poster-skm-{survey.unit.code}-{service.public_token}-{size}.pdf"
    return download_response(content, name, inline=True)


# --------------------------------------------------------------------------- kiosk devices


def _kiosk_survey(request, pk):
    survey, _may_change = access.get_survey(request.user, pk)
    if not access.may_manage_kiosks(request.user, survey):
        raise Http404
    return survey


def _kiosks_page(request, survey, form=None, status=200):
    devices = (
        KioskDevice.objects.filter(unit=survey.unit)
        .select_related("registered_by")
        .order_by("revoked_at", "-registered_at", "-pk")  # the active ones first
    )
    context = {
        "survey": survey,
        "devices": devices,
        "this_device": kiosk.current_device(request, survey.unit),
        "form": form or KioskForm(),
    }
    return render(request, "skm/kiosks.html", context, status=status)


@login_required
def survey_kiosks(request, pk):
    return _kiosks_page(request, _kiosk_survey(request, pk))


@login_required
@require_POST
def survey_kiosk_register(request, pk):
    """Make this browser a kiosk device of the survey's unit: a new device row, and the
    signed cookie that names it from now on."""
    survey = _kiosk_survey(request, pk)
    current = kiosk.current_device(request, survey.unit)
    if current is not None:
        messages.info(
            request,
            _("Perangkat ini sudah terdaftar sebagai kios %(name)s.") % {"name": current.name},
        )
        return redirect("survey_kiosks", pk=survey.pk)
    form = KioskForm(request.POST)
    if not form.is_valid():
        return _kiosks_page(request, survey, form, status=400)
    device = kiosk.kiosk_register(
        unit=survey.unit, name=form.cleaned_data["name"], user=request.user
    )
    messages.success(
        request,
        _(
            "Perangkat ini kini kios %(name)s: isian survei dari perangkat ini tidak dibatasi "
            "sebagai isian anonim dari alamat kantor."
        )
        % {"name": device.name},
    )
    response = redirect("survey_kiosks", pk=survey.pk)
    kiosk.give_cookie(request, response, device)
    return response


@login_required
@require_POST
def survey_kiosk_revoke(request, pk, device):
    survey = _kiosk_survey(request, pk)
    device = get_object_or_404(KioskDevice, pk=device, unit=survey.unit)
    was_here = device == kiosk.current_device(request, survey.unit)
    device = kiosk.kiosk_revoke(device=device)
    messages.success(request, _("Perangkat kios %(name)s dicabut.") % {"name": device.name})
    response = redirect("survey_kiosks", pk=survey.pk)
    if was_here:  # this browser is an ordinary one again
        response.delete_cookie(kiosk.COOKIE, samesite="Lax")
    return response
