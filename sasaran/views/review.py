"""The review queue of a head of unit: approve (one or a whole section), return with a
reason, reopen an approved realisation."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, queries, results, services
from ..dashboard import with_rows
from ..forms import ReasonForm
from ..models import Indicator, Realisation


@login_required
def review_queue(request):
    if not access.is_reviewer(request.user):
        raise Http404
    waiting = queries.waiting_for_review(request.user)
    indicators = with_rows(Indicator.objects.filter(pk__in=waiting.values("indicator")))
    scale = results.category_scale()
    sections = {}
    for indicator in indicators:
        for row in indicator.realisations.all():
            # (the indicator is the user's to review, but not a row they entered)
            allowed = access.may_review(request.user, row, reviews_indicator=True)
            if row.status == Realisation.Status.SUBMITTED and allowed:
                section = indicator.objective.section
                sections.setdefault(section, []).append(
                    {
                        "indicator": indicator,
                        "row": row,
                        "result": results.evaluate(indicator, row.period, scale),
                    }
                )
    context = {
        "sections": sections,
        "reason_form": ReasonForm(),
        # A section of a unit the user is not in (a parent head's, a verifier's) names it.
        "own_units": access.member_unit_ids(request.user),
    }
    return render(request, "sasaran/review.html", context)


@login_required
@require_POST
def approve(request, pk):
    row, may_review = access.get_realisation(request.user, pk)
    if not may_review:
        raise Http404
    try:
        services.realisation_approve(realisation=row, user=request.user)
        messages.success(request, _("Realisasi disetujui dan dikunci."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request)


# The pages a review action comes from are plain paths of this site (`request.path`).
SITE_PATH = re.compile(r"/[A-Za-z0-9_\-./]*\Z")


def _back(request):
    """Where to go after a review action: the page it was taken on (`next`), if that is a
    plain path of this site, else the review queue."""
    target = request.POST.get("next", "")
    if SITE_PATH.match(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("review")


def _with_reason(request, pk, service, done):
    row, may_review = access.get_realisation(request.user, pk)
    if not may_review:
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        ReasonForm.keep_refused(request, row, form)
        return _back(request)
    try:
        service(realisation=row, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request)


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
    # Not the realisations the reviewer entered: those stay for their own reviewer.
    rows = access.reviewable_realisations(request.user).filter(indicator__objective__section_id=pk)
    count = services.realisation_bulk_approve(realisations=rows, user=request.user)
    if not count:
        raise Http404
    messages.success(request, _("%(count)d realisasi disetujui.") % {"count": count})
    return redirect("review")
