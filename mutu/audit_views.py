"""The audit pack pages: a unit's packs and the start button, a pack's progress (polled by
htmx) and its download. Only the unit's head or admin and a superuser: anyone else gets 404
(`sasaran.access.manages_unit`)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sasaran import access, queries

from . import audit
from .models import AuditPack


def _managed_unit(user, code):
    unit, manages = access.get_unit(user, code)
    if not manages:
        raise Http404
    return unit


def get_pack(user, pk):
    """(audit pack, True) for the head or admin of its unit and a superuser, else 404."""
    pack = get_object_or_404(AuditPack.objects.select_related("unit"), pk=pk)
    if not access.manages_unit(user, pack.unit):
        raise Http404
    return pack, True


@login_required
def audit_list(request, code):
    unit = _managed_unit(request.user, code)
    years = queries.manual_years([unit])
    packs = AuditPack.objects.filter(unit=unit)[:20]
    return render(
        request,
        "mutu/audit.html",
        {"unit": unit, "years": years, "packs": packs},
    )


@login_required
@require_POST
def audit_start(request, code):
    unit = _managed_unit(request.user, code)
    years = queries.manual_years([unit])
    try:
        year = int(request.POST.get("year", ""))
        if year not in years:
            raise ValidationError(_("Pilih tahun dari daftar."))
    except (ValueError, ValidationError):
        packs = AuditPack.objects.filter(unit=unit)[:20]
        context = {
            "unit": unit,
            "years": years,
            "packs": packs,
            "error": _("Pilih tahun dari daftar."),
        }
        return render(request, "mutu/audit.html", context, status=400)
    pack = AuditPack.objects.create(unit=unit, year=year, requested_by=request.user)
    audit.enqueue(pack)
    return redirect("audit_pack", pk=pack.pk)


@login_required
def audit_pack(request, pk):
    pack, _may = get_pack(request.user, pk)
    template = "mutu/_audit_status.html" if request.htmx else "mutu/audit_pack.html"
    return render(request, template, {"pack": pack})


@login_required
def audit_file(request, pk):
    pack, _may = get_pack(request.user, pk)
    if pack.status != AuditPack.Status.DONE:
        raise Http404
    return FileResponse(pack.file.open("rb"), as_attachment=True, filename=pack.file_name)
