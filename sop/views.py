"""The SOP pages: the list of SOPs a user may see, one SOP with its flowchart, its exports.

Every view fetches its SOP through `access`, which answers 404 outside the user's scope.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from sasaran.downloads import download_response

from . import access, exports, flowchart
from .validation import stored_sop_problems


@login_required
def sop_list(request):
    sops = access.visible_sops(request.user).order_by("unit__name", "number", "-revision")
    return render(request, "sop/list.html", {"sops": sops})


@login_required
def detail(request, pk):
    sop, _may_change = access.get_sop(request.user, pk)
    actors, steps = exports.parts(sop)
    context = exports.context(sop, flowchart.draw(steps, actors))
    context["problems"] = stored_sop_problems(sop)
    context["earlier"] = sop.earlier_revisions()
    visible = access.visible_sops(request.user)
    context["later"] = visible.filter(previous=sop).first()
    context["linkable"] = set(visible.filter(related_from=sop).values_list("pk", flat=True))
    return render(request, "sop/detail.html", context)


@login_required
def pdf(request, pk):
    sop, _may_change = access.get_sop(request.user, pk)
    return download_response(exports.sop_pdf(sop), exports.filename(sop, "pdf"))


@login_required
def xlsx(request, pk):
    sop, _may_change = access.get_sop(request.user, pk)
    return download_response(exports.sop_workbook(sop), exports.filename(sop, "xlsx"))
