"""Writes that span models or move a realisation through its workflow.

draft ──submit──▶ submitted ──approve──▶ approved (locked)
  ▲                   │                      │
  └──── returned ◀──return (reason)     reopen (reason) ──▶ returned

Each function is atomic, checks the transition, records who and why in the history
(django-simple-history's change reason) and saves with `update_fields` on existing rows.
"""

import calendar
import copy as copy_module

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import periods, results
from .models import Evidence, QualityManual, Realisation

FIELDS = ["value", "numerator", "denominator", "note", "cause_analysis", "follow_up"]


class ConflictError(Exception):
    """Someone else saved the same realisation since this user opened it."""

    def __init__(self, current):
        super().__init__("stale version")
        self.current = current


def _locked_row(indicator, period):
    return (
        Realisation.objects.select_for_update().filter(indicator=indicator, period=period).first()
    )


def _check_missed_target(indicator, period, value, data):
    result = results.evaluate(indicator, period, results.category_scale(), value, use_value=True)
    if result.met is False:
        errors = {}
        message = _("Target tidak tercapai: wajib diisi (tindakan korektif ISO 9001).")
        for field in ("cause_analysis", "follow_up"):
            if not data.get(field, "").strip():
                errors[field] = message
        if errors:
            raise ValidationError(errors)


@transaction.atomic
def realisation_save(*, indicator, period, user, data, version, submit, evidence_file=None):
    """Create or update the realisation of `indicator` in `period` from the entry form.

    `version` is the version the user's form was loaded from (None for a new one); a
    different current version means someone else saved in between: ConflictError.
    """
    row = _locked_row(indicator, period)
    if row is None and version is not None:
        raise ConflictError(None)
    if row is not None:
        if row.version != version:
            raise ConflictError(row)
        if row.status not in Realisation.EDITABLE:
            raise ValidationError(
                _("Realisasi ini berstatus %(status)s dan tidak dapat diubah.")
                % {"status": row.get_status_display()}
            )
    else:
        row = Realisation(indicator=indicator, period=period, version=0)

    if submit:
        if data.get("value") is None:
            raise ValidationError({"value": _("Isi realisasi sebelum mengajukan.")})
        _check_missed_target(indicator, period, data.get("value"), data)

    for field in FIELDS:
        setattr(row, field, data.get(field, getattr(row, field)))
    row.status = Realisation.Status.SUBMITTED if submit else Realisation.Status.DRAFT
    if submit and row.submitted_at is None:  # recorded once: see Realisation.submitted_at
        row.submitted_at = timezone.now()
        row.days_late = periods.days_late(
            deadline=periods.deadline(indicator, period), submitted_at=row.submitted_at
        )
    row.entered_by = user
    row.version += 1
    row._change_reason = _("Diajukan") if submit else _("Disimpan sebagai draf")
    row.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # a concurrent first save of the same period
        raise ConflictError(_locked_row(indicator, period)) from exc

    if evidence_file is not None:
        Evidence.objects.create(
            realisation=row,
            file=evidence_file,
            original_name=evidence_file.name[-255:],
            size=evidence_file.size,
            uploaded_by=user,
        )
    return row


@transaction.atomic
def realisation_set_value(*, indicator, period, user, value, note_line, note_prefix, reason):
    """Write a value computed elsewhere (a survey's IKM) as the realisation of `period`.

    The realisation is created or updated as an editable row: a new one is a draft, an
    existing draft stays a draft and a returned one stays returned. A submitted or approved
    (locked) realisation is refused. `note_line` replaces the note's earlier line that
    starts with `note_prefix` and goes first; what the officer wrote stays. The write bumps
    the version and is recorded in the history with `reason`.
    """
    row = _locked_row(indicator, period)
    if row is not None and row.status not in Realisation.EDITABLE:
        if row.status == Realisation.Status.APPROVED:
            message = _(
                "Realisasi %(period)s indikator ini sudah disetujui dan dikunci; minta Kepala "
                "Unit membukanya kembali sebelum mengirim IKM."
            )
        else:
            message = _(
                "Realisasi %(period)s indikator ini sedang diajukan untuk ditinjau dan tidak "
                "dapat diubah."
            )
        raise ValidationError(message % {"period": row.get_period_display()})
    if row is None:
        row = Realisation(indicator=indicator, period=period, version=0)
    row.value = value
    row.numerator = row.denominator = None
    rest = [part for part in row.note.splitlines() if not part.startswith(note_prefix)]
    row.note = "\n".join([note_line, *rest]).strip()
    row.entered_by = user
    row.version += 1
    row._change_reason = reason
    row.full_clean(validate_unique=False)
    row.save()
    return row


@transaction.atomic
def realisation_record(*, indicator, period, user, data, status, reviewed_by=None, reason):
    """Record a finished realisation taken from an earlier record (the demo's examples, the
    figures of a year kept before this application): one new row in the given status with
    one history record that says where it came from. The workflow's own steps (submit,
    approve) are not replayed: that history is not ours to invent.
    """
    if Realisation.objects.filter(indicator=indicator, period=period).exists():
        raise ValidationError(_("Realisasi periode ini sudah ada."))
    row = Realisation(indicator=indicator, period=period, status=status, entered_by=user)
    for field in FIELDS:
        setattr(row, field, data.get(field, getattr(row, field)))
    row.return_reason = data.get("return_reason", "")
    if reviewed_by is not None:
        row.reviewed_by = reviewed_by
        row.reviewed_at = timezone.now()
    row._change_reason = reason
    row.full_clean()
    row.save()
    return row


def _transition(row, *, user, status, reason, allowed_from):
    if row.status not in allowed_from:
        raise ValidationError(
            _("Tidak dapat diproses: status realisasi saat ini %(status)s.")
            % {"status": row.get_status_display()}
        )
    row.status = status
    row.reviewed_by = user
    row.reviewed_at = timezone.now()
    row.version += 1
    row._change_reason = reason
    row.save(update_fields=["status", "reviewed_by", "reviewed_at", "return_reason", "version"])
    return row


@transaction.atomic
def realisation_approve(*, realisation, user):
    row = Realisation.objects.select_for_update().get(pk=realisation.pk)
    return _transition(
        row,
        user=user,
        status=Realisation.Status.APPROVED,
        reason=_("Disetujui"),
        allowed_from=[Realisation.Status.SUBMITTED],
    )


def _back_to_officer(realisation, *, user, reason, history_text, allowed_from):
    """Give a realisation back to its officer with the reviewer's reason (required)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Alasan wajib diisi.")})
    row = Realisation.objects.select_for_update().get(pk=realisation.pk)
    row.return_reason = reason
    return _transition(
        row,
        user=user,
        status=Realisation.Status.RETURNED,
        reason=history_text % {"reason": reason},
        allowed_from=allowed_from,
    )


@transaction.atomic
def realisation_return(*, realisation, user, reason):
    """A submitted realisation goes back to its officer, with the reason."""
    return _back_to_officer(
        realisation,
        user=user,
        reason=reason,
        history_text=_("Dikembalikan: %(reason)s"),
        allowed_from=[Realisation.Status.SUBMITTED],
    )


@transaction.atomic
def realisation_reopen(*, realisation, user, reason):
    """An approved (locked) realisation is opened again for its officer, with the reason."""
    return _back_to_officer(
        realisation,
        user=user,
        reason=reason,
        history_text=_("Dibuka kembali: %(reason)s"),
        allowed_from=[Realisation.Status.APPROVED],
    )


@transaction.atomic
def realisation_bulk_approve(*, realisations, user):
    """Approve every submitted realisation of the given queryset; returns how many."""
    rows = list(realisations.select_for_update().filter(status=Realisation.Status.SUBMITTED))
    for row in rows:
        # Saved one by one so that each approval lands in the history.
        _transition(
            row,
            user=user,
            status=Realisation.Status.APPROVED,
            reason=_("Disetujui (sekaligus per bagian)"),
            allowed_from=[Realisation.Status.SUBMITTED],
        )
    return len(rows)


@transaction.atomic
def manual_copy_to_year(*, manual, year, carry_targets):
    """Start a new year from `manual`: its sections, objectives and indicators, with the
    targets carried over or left to fill in. Last year's rows are not touched."""
    exists = _("Sasaran Mutu %(year)s untuk unit ini sudah ada.") % {"year": year}
    if QualityManual.objects.filter(unit=manual.unit, year=year).exists():
        raise ValidationError(exists)
    sections = manual.sections.prefetch_related("objectives__indicators__targets")
    effective = manual.effective_date
    last_day = calendar.monthrange(year, effective.month)[1]  # 29 February -> 28 February
    effective = effective.replace(year=year, day=min(effective.day, last_day))
    try:
        with transaction.atomic():
            copy = _clone(manual, year=year, effective_date=effective)
    except (IntegrityError, ValidationError) as error:
        # Another request (a double click) made the same year in the meantime.
        if QualityManual.objects.filter(unit=manual.unit, year=year).exists():
            raise ValidationError(exists) from error
        raise
    for section in sections:
        new_section = _clone(section, manual=copy)
        for objective in section.objectives.all():
            new_objective = _clone(objective, section=new_section)
            for indicator in objective.indicators.all():
                new_indicator = _clone(indicator, objective=new_objective)
                if carry_targets:
                    for target in indicator.targets.all():
                        _clone(target, indicator=new_indicator)
    return copy


def _clone(obj, **changes):
    obj = copy_module.copy(obj)
    obj.pk = obj.id = None
    obj._state.adding = True
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj
