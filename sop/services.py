"""Every write of an SOP, whoever causes it (the app's pages, the admin's revision action):
creating and editing a draft, the workflow draft -> submitted -> signed (sah) and back, and
revising a signed SOP; and its standard time in total.

The workflow: an author of the unit (`access.may_write`) writes a draft and submits it; a
signer (`access.may_sign`) signs it, or returns it to draft with a reason (the author may
take a submission back the same way). Only a draft is edited; a signed SOP is read-only for
good, and revising it makes a new draft revision beside it. Every service is keyword-only,
runs in one transaction on the locked row, checks the row (`full_clean`) and leaves one
history record that says what happened.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from sasaran import periods
from sasaran.forms import REASON_MAX_LENGTH  # one limit for every reason
from sasaran.numbers import format_id_number, round_half_up

from . import access
from .models import HOURS_PER_WORKING_DAY, Sop, SopActor, SopFlow, SopStep
from .validation import stored_sop_problems

# Set by the workflow, never typed: a new SOP is a draft nobody has submitted or signed.
WORKFLOW = {
    "status": Sop.Status.DRAFT,
    "submitted_at": None,
    "submitted_by": None,
    "signed_at": None,
    "signed_by": None,
}
# A new revision starts without the dates of its signing, too (set when it is signed, or
# typed in the draft).
UNSIGNED = {**WORKFLOW, "effective_on": None, "revised_on": None}


@transaction.atomic
def revise(sop):
    """A new draft revision of `sop` with the same identity, actors and steps, neither
    submitted nor signed; the old one stays as it is. (`sop_revise` checks who and when.)"""
    related = list(sop.related.all())
    actors = list(sop.actors.all())
    steps = list(sop.steps.select_related("actor").prefetch_related("flows", "also_actors"))
    revision = Sop.objects.get(pk=sop.pk)
    revision.pk = None
    revision.id = None
    revision.revision = (
        Sop.objects.filter(unit=sop.unit, number=sop.number).order_by("-revision").first().revision
        + 1
    )
    revision.previous = sop
    for field, value in UNSIGNED.items():
        setattr(revision, field, value)
    revision.save()
    revision.related.set(related)
    copies = {}
    for actor in actors:
        copies[actor.pk] = revision.actors.create(
            order=actor.order, name=actor.name, kind=actor.kind, position=actor.position
        )
    for step in steps:
        flows = [(f.target, f.label, f.order) for f in step.flows.all()]
        joint = [copies[a.pk] for a in step.also_actors.all()]
        step.pk = None
        step.id = None
        step.sop = revision
        step.actor = copies.get(step.actor_id)
        step.save()
        step.also_actors.set(joint)
        SopFlow.objects.bulk_create(
            SopFlow(step=step, target=target, label=label, order=order)
            for target, label, order in flows
        )
    return revision


# --------------------------------------------------------------------------- the workflow


def _locked(sop):
    return Sop.objects.select_for_update().select_related("unit").get(pk=sop.pk)


def _require(row, allowed, message):
    if row.status not in allowed:
        raise ValidationError(message % {"status": row.get_status_display().lower()})


def _require_draft(row):
    _require(
        row,
        [Sop.Status.DRAFT],
        _("SOP ini berstatus %(status)s dan tidak dapat diubah; hanya draf yang dapat diubah."),
    )


def _require_author(user, row):
    if not access.may_write(user, row):
        raise ValidationError(_("Anda bukan penyusun SOP unit ini."))


def _save(row, reason):
    row._change_reason = reason
    row.full_clean()
    row.save()
    return row


def _problems_error(intro, problems):
    return ValidationError([intro, *problems])


@transaction.atomic
def sop_create(*, unit, user, values, related=()):
    """A new SOP of `unit` as a draft (revision 0) with the identity `values`."""
    if not access.authored_units(user).filter(pk=unit.pk).exists():
        raise ValidationError(_("Anda bukan penyusun SOP unit ini."))
    row = Sop(unit=unit, **{**values, **WORKFLOW, "revision": 0, "previous": None})
    _save(row, _("Draf dibuat"))
    row.related.set(related)
    return row


@transaction.atomic
def sop_edit(*, sop, user, values, related=None):
    """Change the identity of a draft: `values` {field: value}, `related` the SOPs it names
    (None: unchanged)."""
    row = _locked(sop)
    _require_author(user, row)
    _require_draft(row)
    for field, value in values.items():
        if field in WORKFLOW or field in ("unit", "revision", "previous", "id"):
            continue  # set by the workflow, never typed
        setattr(row, field, value)
    _save(row, _("Identitas diubah"))
    if related is not None:
        row.related.set([other for other in related if other.pk != row.pk])
    return row


@transaction.atomic
def sop_submit(*, sop, user):
    """An author submits a draft that holds together to be signed."""
    row = _locked(sop)
    _require_author(user, row)
    _require(
        row, [Sop.Status.DRAFT], _("Hanya draf yang dapat diajukan; SOP ini berstatus %(status)s.")
    )
    problems = stored_sop_problems(row)
    if problems:
        raise _problems_error(_("SOP belum dapat diajukan karena belum utuh:"), problems)
    row.status = Sop.Status.SUBMITTED
    row.submitted_at = timezone.now()
    row.submitted_by = user
    return _save(row, _("Diajukan untuk disahkan"))


@transaction.atomic
def sop_sign(*, sop, user):
    """A signer signs a submitted SOP: it becomes sah and read-only.

    The signer's name and NIP go under "Disahkan oleh" (and their position, when the SOP
    named none) unless they sign only as a superuser, who keeps the name typed in the draft.
    The date printed: "Tanggal Pengesahan" is the day of signing; a "Tanggal Efektif" is too,
    unless the draft names a later day the SOP takes effect. A revision gets its Tanggal
    Revisi (the day of signing) when the draft left it empty.
    """
    row = _locked(sop)
    if not access.may_sign(user, row):
        raise ValidationError(_("Anda tidak berwenang mengesahkan SOP ini."))
    _require(
        row,
        [Sop.Status.SUBMITTED],
        _("Hanya SOP yang sudah diajukan yang dapat disahkan; SOP ini berstatus %(status)s."),
    )
    problems = stored_sop_problems(row)
    if problems:
        raise _problems_error(_("SOP tidak dapat disahkan karena belum utuh:"), problems)
    assignment = access.signing_assignment(user, row)
    if assignment is not None:
        row.approver_position = row.approver_position or assignment.position.name
        row.approver_name = user.get_full_name() or user.username
        if user.nip:
            row.approver_nip = user.nip
    if not row.approver_position.strip() or not row.approver_name.strip():
        raise ValidationError(
            _("Isi jabatan dan nama yang mengesahkan (Disahkan oleh) sebelum SOP disahkan.")
        )
    today = periods.today()
    later = row.effective_on is not None and row.effective_on > today
    if row.date_label == Sop.DateLabel.APPROVED or not later:
        row.effective_on = today
    if row.revision and row.revised_on is None:
        row.revised_on = today
    row.status = Sop.Status.SIGNED
    row.signed_at = timezone.now()
    row.signed_by = user
    return _save(row, _("Disahkan"))


@transaction.atomic
def sop_return(*, sop, user, reason):
    """A submitted SOP goes back to draft with the reason: returned by a signer, or taken
    back by an author."""
    reason = (reason or "").replace("\x00", "").strip()
    if not reason:
        raise ValidationError({"reason": _("Alasan wajib diisi.")})
    if len(reason) > REASON_MAX_LENGTH:
        message = _("Alasan terlalu panjang: paling banyak %(n)d karakter.")
        raise ValidationError({"reason": message % {"n": REASON_MAX_LENGTH}})
    row = _locked(sop)
    if not (access.may_sign(user, row) or access.may_write(user, row)):
        raise ValidationError(_("Anda tidak berwenang mengembalikan SOP ini."))
    _require(
        row,
        [Sop.Status.SUBMITTED],
        _("Hanya SOP yang sedang diajukan yang dapat dikembalikan; SOP ini berstatus %(status)s."),
    )
    row.status = Sop.Status.DRAFT
    row.submitted_at = None
    row.submitted_by = None
    return _save(row, _("Dikembalikan ke draf: %(reason)s") % {"reason": reason})


@transaction.atomic
def sop_revise(*, sop, user):
    """An author starts a new revision of the latest signed revision: a draft copy with the
    same identity, lanes and steps. The signed one stays as it was."""
    row = _locked(sop)
    _require_author(user, row)
    _require(
        row,
        [Sop.Status.SIGNED],
        _("Hanya SOP yang sudah sah yang dapat direvisi; SOP ini berstatus %(status)s."),
    )
    later = Sop.objects.filter(previous=row).first()
    if later is not None:
        raise ValidationError(
            _("SOP ini sudah mempunyai revisi berikutnya (%(sop)s).") % {"sop": later}
        )
    revision = revise(row)
    update_change_reason(revision, _("Revisi baru dari revisi %(n)s") % {"n": row.revision})
    return revision


@transaction.atomic
def sop_save_lanes(*, sop, user, lanes):
    """Replace the lanes (Pelaksana columns) of a draft with `lanes`, in column order: dicts
    with the "id" of the stored lane they keep (None for a new one) and its fields. A stored
    lane left out is deleted, unless a step still stands in it."""
    row = _locked(sop)
    _require_author(user, row)
    _require_draft(row)
    stored = {actor.pk: actor for actor in row.actors.all()}
    kept = [lane["id"] for lane in lanes if lane.get("id")]
    if set(kept) - set(stored) or len(set(kept)) != len(kept):
        raise ValidationError(_("Daftar pelaksana berubah di tempat lain; muat ulang halaman."))
    for pk, actor in stored.items():
        if pk not in kept:
            try:
                actor.delete()
            except (ProtectedError, RestrictedError) as used:
                blocking = getattr(used, "restricted_objects", None) or used.protected_objects
                numbers = sorted({str(getattr(o, "number", "") or "") for o in blocking} - {""})
                raise ValidationError(
                    _(
                        "Pelaksana %(name)s masih dipakai langkah %(steps)s; pindahkan "
                        "langkahnya ke pelaksana lain dulu."
                    )
                    % {"name": actor.name, "steps": ", ".join(numbers) or "?"}
                ) from used
    # Out of the way first, so that swapping two names or places breaks no unique rule.
    for index, pk in enumerate(kept):
        SopActor.objects.filter(pk=pk).update(order=10_000 + index, name=f"~{pk}~")
    for order, lane in enumerate(lanes, start=1):
        actor = SopActor.objects.get(pk=lane["id"]) if lane.get("id") else SopActor(sop=row)
        for field, value in lane.items():
            if field not in ("id", "sop", "order"):
                setattr(actor, field, value)
        actor.order = order
        actor._change_reason = _("Pelaksana diubah")
        actor.full_clean()
        actor.save()
    return row


@transaction.atomic
def sop_save_steps(*, sop, user, rows):
    """Replace the steps of a draft with `rows`, in table order (a row's place is its number):
    dicts with the "id" of the stored step they keep (None for a new one), the step's fields,
    "also_actors" (lanes of a joint activity) and "flows" [(label, row number)] (none: the
    row below). A stored step left out is deleted. The procedure need not hold together yet
    (a draft is work in progress): `sop_submit` refuses one that does not."""
    row = _locked(sop)
    _require_author(user, row)
    _require_draft(row)
    stored = {step.pk: step for step in row.steps.all()}
    kept = [r["id"] for r in rows if r.get("id")]
    if set(kept) - set(stored) or len(set(kept)) != len(kept):
        raise ValidationError(_("Daftar langkah berubah di tempat lain; muat ulang halaman."))
    lanes = {actor.pk for actor in row.actors.all()}
    for r in rows:
        chosen = [r.get("actor"), *r.get("also_actors", [])]
        if any(a is not None and a.pk not in lanes for a in chosen):
            raise ValidationError(_("Pelaksana langkah bukan pelaksana SOP ini."))
    for pk, step in stored.items():
        if pk not in kept:
            step._change_reason = _("Langkah dihapus")
            step.delete()
    SopFlow.objects.filter(step__sop=row).delete()
    # Out of the way first, so that moving rows breaks no unique number.
    for index, pk in enumerate(kept):
        SopStep.objects.filter(pk=pk).update(number=10_000 + index)
    for number, r in enumerate(rows, start=1):
        step = stored[r["id"]] if r.get("id") else SopStep(sop=row)
        for field, value in r.items():
            if field not in ("id", "sop", "number", "also_actors", "flows"):
                setattr(step, field, value)
        step.number = number
        step._change_reason = _("Langkah diubah")
        step.full_clean()
        step.save()
        step.also_actors.set(r.get("also_actors", []))
        for order, (label, target) in enumerate(r.get("flows", [])):
            flow = SopFlow(step=step, target=target, label=label, order=order)
            flow.full_clean()
            flow.save()
    return row


def total_hours(steps):
    """The standard time of all steps in hours (steps without a time count as nothing)."""
    return sum((s.hours for s in steps if s.hours is not None), Decimal(0))


def _short(value):
    """1 decimal place unless whole: 238.5 -> "238,5", 6 -> "6"."""
    value = round_half_up(value, 1)
    places = 0 if value == value.to_integral_value() else 1
    return format_id_number(value, places)


def total_time_text(steps):
    """The total standard time in working days and hours, Indonesian notation."""
    hours = total_hours(steps)
    days = hours / HOURS_PER_WORKING_DAY
    return _("%(days)s hari kerja (%(hours)s jam; 1 hari kerja = %(per_day)s jam)") % {
        "days": _short(days),
        "hours": _short(hours),
        "per_day": _short(HOURS_PER_WORKING_DAY),
    }


def time_text(step):
    """A step's Waktu as the document writes it: "180 Menit", "1,5 Jam"."""
    if step.time_amount is None:
        return ""
    amount = step.time_amount.normalize()
    places = max(0, -amount.as_tuple().exponent)
    return f"{format_id_number(amount, places)} {step.get_time_unit_display()}"
