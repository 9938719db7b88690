"""The SOP pages: the list of SOPs a user may see, one SOP with its flowchart, its workflow
(submit, sign, return, revise), its revisions and what changed between them, its exports;
and the pages where its authors write a draft: identity, lanes, steps (with a live preview).

Every view fetches its SOP through `access`, which answers 404 outside the user's scope:
readers get the page and the exports, authors the edit pages and their actions, signers the
signing. Every write goes through `services`.
"""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sasaran.downloads import download_response
from sasaran.forms import ReasonForm  # the same rules as returning a realisation

from . import access, changes, editor, exports, flowchart, services
from .forms import SopIdentityForm
from .models import Sop
from .validation import sop_problems, step_facts, stored_sop_problems

HISTORY_SHOWN = 20


@login_required
def sop_list(request):
    sops = access.visible_sops(request.user).order_by("unit__name", "number", "-revision")
    return render(
        request,
        "sop/list.html",
        {"sops": sops, "may_create": access.authored_units(request.user).exists()},
    )


# --------------------------------------------------------------------------- the SOP page


def _chain(sop):
    """Every revision of the SOP, newest first."""
    newest = sop
    while True:
        later = Sop.objects.filter(previous=newest).first()
        if later is None:
            break
        newest = later
    return [newest, *newest.earlier_revisions()]


def _compared_with(request, sop, chain):
    """The revision the page compares `sop` with: `?banding=<pk>` among its revisions, else
    the one before it."""
    wanted = request.GET.get("banding", "")
    if wanted.isdigit():
        for other in chain:
            if other.pk == int(wanted) and other.pk != sop.pk:
                return other
    return sop.previous


def _detail_context(request, sop, reason_form=None):
    writes = access.may_write(request.user, sop)
    signs = access.may_sign(request.user, sop)
    actors, steps = exports.parts(sop)
    visible = access.visible_sops(request.user)
    context = exports.context(sop, flowchart.draw(steps, actors), visible)
    chain = _chain(sop)
    other = _compared_with(request, sop, chain)
    status = sop.status
    context.update(
        {
            "problems": stored_sop_problems(sop),
            "earlier": sop.earlier_revisions(),
            "later": visible.filter(previous=sop).first(),
            "revisions": chain,
            "compared": other,
            "changes": changes.revision_changes(other, sop) if other is not None else None,
            "history": sop.history.select_related("history_user").order_by("-history_date")[
                :HISTORY_SHOWN
            ],
            "signers": [a.user for a in access.signers(sop)],
            "may_edit": writes and status == Sop.Status.DRAFT,
            "may_submit": writes and status == Sop.Status.DRAFT,
            "may_sign": signs and status == Sop.Status.SUBMITTED,
            "may_return": (signs or writes) and status == Sop.Status.SUBMITTED,
            "may_revise": writes and status == Sop.Status.SIGNED and chain[0].pk == sop.pk,
            "reason_form": reason_form or ReasonForm(),
        }
    )
    return context


@login_required
def detail(request, pk):
    sop, _writes = access.get_sop(request.user, pk)
    return render(request, "sop/detail.html", _detail_context(request, sop))


@login_required
def pdf(request, pk):
    sop, _writes = access.get_sop(request.user, pk)
    return download_response(exports.sop_pdf(sop), exports.filename(sop, "pdf"))


@login_required
def xlsx(request, pk):
    sop, _writes = access.get_sop(request.user, pk)
    return download_response(exports.sop_workbook(sop), exports.filename(sop, "xlsx"))


@login_required
def logo(request, pk):
    """The unit logo of an SOP, for whoever reads the SOP (uploads are not public)."""
    sop, _writes = access.get_sop(request.user, pk)
    if not sop.logo:
        raise Http404
    # A raster image as its name says (the app stores PNG or JPEG; the admin any image Pillow
    # reads), never served as something a browser would run.
    kind, _encoding = mimetypes.guess_type(sop.logo.name)
    if not kind or not kind.startswith("image/") or "svg" in kind:
        kind = "application/octet-stream"
    try:
        handle = sop.logo.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, content_type=kind)


# --------------------------------------------------------------------------- the workflow


def _refused(request, error):
    messages.error(request, " ".join(error.messages))


def _workflow(request, pk, helper, service, done):
    sop, _may = helper(request.user, pk)
    try:
        service(sop=sop, user=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, done)
    return redirect("sop:detail", pk=sop.pk)


@login_required
@require_POST
def submit(request, pk):
    return _workflow(
        request, pk, access.get_sop_to_write, services.sop_submit, _("SOP diajukan untuk disahkan.")
    )


@login_required
@require_POST
def sign(request, pk):
    return _workflow(
        request, pk, access.get_sop_to_sign, services.sop_sign, _("SOP disahkan dan dikunci.")
    )


@login_required
@require_POST
def send_back(request, pk):
    sop, _writes = access.get_sop(request.user, pk)
    if not (access.may_sign(request.user, sop) or access.may_write(request.user, sop)):
        raise Http404
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.sop_return(sop=sop, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error("reason", error.error_dict.get("reason", error.messages))
            else:
                _refused(request, error)
                return redirect("sop:detail", pk=sop.pk)
        else:
            messages.success(request, _("SOP dikembalikan ke draf."))
            return redirect("sop:detail", pk=sop.pk)
    # The reason is shown again where it was typed, with its message.
    return render(request, "sop/detail.html", _detail_context(request, sop, form), status=200)


@login_required
@require_POST
def revise(request, pk):
    sop, _writes = access.get_sop_to_write(request.user, pk)
    try:
        revision = services.sop_revise(sop=sop, user=request.user)
    except ValidationError as error:
        _refused(request, error)
        return redirect("sop:detail", pk=sop.pk)
    messages.success(
        request,
        _("Revisi %(n)s dibuat sebagai draf; revisi yang sah tetap seperti semula.")
        % {"n": revision.revision},
    )
    return redirect("sop:edit", pk=revision.pk)


# --------------------------------------------------------------------------- writing


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _draft_to_write(request, pk):
    """(SOP, None) for an author of a draft; (SOP, redirect to its page with the reason)
    when it is not a draft; 404 for everyone else."""
    sop, _writes = access.get_sop_to_write(request.user, pk)
    if sop.status != Sop.Status.DRAFT:
        if sop.status == Sop.Status.SIGNED:
            messages.warning(
                request,
                _("SOP ini sudah sah dan tidak dapat diubah. Buat revisi baru untuk mengubahnya."),
            )
        else:
            messages.warning(
                request,
                _(
                    "SOP ini sedang diajukan untuk disahkan dan tidak dapat diubah; tarik "
                    "kembali ke draf untuk mengubahnya."
                ),
            )
        return sop, redirect("sop:detail", pk=sop.pk)
    return sop, None


def _related_choices(request, sop=None):
    rows = access.visible_sops(request.user).order_by("unit__name", "number", "-revision")
    return rows.exclude(pk=sop.pk) if sop is not None else rows


def _positions_for(unit):
    """Position names for the approver field's suggestions: the unit's and those above."""
    names, seen = [], set()
    while unit is not None and unit.pk not in seen:
        seen.add(unit.pk)
        names += [p.name for p in unit.positions.order_by("level", "name")]
        unit = unit.parent
    return names


@login_required
def create(request):
    units = access.authored_units(request.user).order_by("name")
    if not units.exists():
        raise Http404
    related = _related_choices(request)
    form = SopIdentityForm(units=units, related=related)
    if request.method == "POST":
        form = SopIdentityForm(request.POST, request.FILES, units=units, related=related)
        if form.is_valid():
            try:
                sop = services.sop_create(
                    unit=form.cleaned_data["unit"],
                    user=request.user,
                    values=form.values(),
                    related=form.cleaned_data["related"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request, _("Draf SOP dibuat. Lanjutkan dengan pelaksana dan langkahnya.")
                )
                return redirect("sop:lanes", pk=sop.pk)
    positions = sorted({name for unit in units for name in _positions_for(unit)})
    return render(
        request, "sop/edit.html", {"form": form, "sop": None, "position_names": positions}
    )


@login_required
def edit(request, pk):
    sop, refused = _draft_to_write(request, pk)
    if refused:
        return refused
    related = _related_choices(request, sop)
    form = SopIdentityForm(instance=sop, related=related)
    if request.method == "POST":
        form = SopIdentityForm(request.POST, request.FILES, instance=sop, related=related)
        if form.is_valid():
            try:
                # SOPs of units the author does not see stay related (set in the admin).
                unseen = sop.related.exclude(pk__in=related.values("pk"))
                services.sop_edit(
                    sop=sop,
                    user=request.user,
                    values=form.values(),
                    related=[*form.cleaned_data["related"], *unseen],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Identitas SOP disimpan."))
                return redirect("sop:edit", pk=sop.pk)
    return render(
        request,
        "sop/edit.html",
        {"form": form, "sop": sop, "position_names": _positions_for(sop.unit)},
    )


def _rows_errors(rows, error):
    """A service's refusal shown above the table (it concerns the rows together)."""
    rows._non_form_errors = rows.non_form_errors() + error.messages


@login_required
def lanes(request, pk):
    sop, refused = _draft_to_write(request, pk)
    if refused:
        return refused
    rows = editor.lane_rows(sop)
    if request.method == "POST":
        rows = editor.lane_rows(sop, request.POST)
        if rows.is_valid():
            try:
                services.sop_save_lanes(
                    sop=sop,
                    user=request.user,
                    lanes=[form.cleaned_data for form in rows.filled()],
                )
            except ValidationError as error:
                _rows_errors(rows, error)
            else:
                messages.success(request, _("Pelaksana disimpan."))
                return redirect("sop:lanes", pk=sop.pk)
    return render(request, "sop/edit_lanes.html", {"sop": sop, "rows": rows})


def _step_context(sop, rows):
    """The page of the step table: the rows with the problems of the procedure at the row
    they concern (stored steps, or what was sent once it reads as a table)."""
    if rows.is_bound:
        valid = rows.is_valid()
        facts = editor.facts(rows.rows()) if valid else None
    else:
        facts = [step_facts(s) for s in sop.steps.prefetch_related("flows", "also_actors")]
    at_rows, general = {}, []
    if facts is not None:
        problems = sop_problems(facts, {a.pk for a in sop.actors.all()}) if facts else []
        at_rows, general = editor.problems_at_rows(problems, facts)
    filled = rows.filled() if rows.is_bound and facts is not None else list(rows.forms)
    for number, form in enumerate(filled, start=1):
        form.problems = at_rows.get(number, [])
    shown = 0  # the No column (the page's script keeps it after rows move)
    for form in rows.forms:
        numbered = form["kind"].value() not in editor.UNNUMBERED
        shown += numbered
        form.shown_number = shown if numbered else "–"
    return {"sop": sop, "rows": rows, "general_problems": general, "checked": facts is not None}


@login_required
def steps(request, pk):
    sop, refused = _draft_to_write(request, pk)
    if refused:
        return refused
    if not sop.actors.exists():
        messages.info(request, _("Isi pelaksana (kolom bagan) dulu, lalu langkahnya."))
        return redirect("sop:lanes", pk=sop.pk)
    rows = editor.step_rows(sop)
    if request.method == "POST":
        rows = editor.step_rows(sop, request.POST)
        if rows.is_valid():
            try:
                services.sop_save_steps(sop=sop, user=request.user, rows=rows.rows())
            except ValidationError as error:
                _rows_errors(rows, error)
            else:
                if stored_sop_problems(sop):
                    messages.warning(
                        request,
                        _(
                            "Langkah disimpan, tetapi prosedurnya belum utuh: lihat pesan di "
                            "baris yang bersangkutan. SOP dapat diajukan setelah utuh."
                        ),
                    )
                else:
                    messages.success(request, _("Langkah disimpan."))
                return redirect("sop:steps", pk=sop.pk)
    context = _step_context(sop, rows)
    if not rows.is_bound:
        actors, stored = exports.parts(sop)
        context["pages"] = flowchart.draw(stored, actors)
    else:
        context["pages"] = editor.preview_pages(sop, rows) if context["checked"] else []
    return render(request, "sop/edit_steps.html", context)


@login_required
@require_POST
def steps_preview(request, pk):
    """The flowchart of what the step table holds now, unsaved (htmx), with each row's
    messages swapped into their places in the table."""
    sop, _writes = access.get_sop_to_write(request.user, pk)
    if sop.status != Sop.Status.DRAFT:
        # Signed or submitted in another tab meanwhile: the preview says so.
        return render(request, "sop/_preview.html", {"refused": True, "sop": sop})
    rows = editor.step_rows(sop, request.POST)
    context = _step_context(sop, rows)
    context["pages"] = editor.preview_pages(sop, rows) if context["checked"] else []
    return render(request, "sop/_preview.html", context)
