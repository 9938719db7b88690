"""Writes that span models or move a realisation through its workflow.

draft ──submit──▶ submitted ──approve──▶ approved (locked)
  ▲                   │                      │
  └──── returned ◀──return (reason)     reopen (reason) ──▶ returned

Each function is atomic, checks the transition, records who and why in the history
(django-simple-history's change reason) and saves with `update_fields` on existing rows.
"""

import copy as copy_module
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import periods, results
from .models import Evidence, QualityManual, Realisation, Target

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
def realisation_set_value(
    *,
    indicator,
    period,
    user,
    value,
    note_line,
    note_prefix,
    reason,
    numerator=None,
    denominator=None,
    locked_message=None,
):
    """Write a value computed elsewhere (a survey's IKM, the share of permits issued on
    time with its `numerator` and `denominator`) as the realisation of `period`.

    The realisation is created or updated as an editable row: a new one is a draft, an
    existing draft stays a draft and a returned one stays returned. A submitted or approved
    (locked) realisation is refused (`locked_message` says so for an approved one, with
    %(period)s; the survey's wording when not given). `note_line` replaces the note's
    earlier line that starts with `note_prefix` and goes first; what the officer wrote
    stays. The write bumps the version and is recorded in the history with `reason`.
    """
    row = _locked_row(indicator, period)
    if row is not None and row.status not in Realisation.EDITABLE:
        if row.status == Realisation.Status.APPROVED:
            message = locked_message or _(
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
    row.numerator, row.denominator = numerator, denominator
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


def _not_own(row, user, message):
    """Nobody approves their own figures: the last line of defence behind the review
    scope (`access.may_review`), for a superuser too."""
    if row.entered_by_id == user.pk:
        raise ValidationError(message)


@transaction.atomic
def realisation_approve(*, realisation, user):
    row = Realisation.objects.select_for_update().get(pk=realisation.pk)
    _not_own(row, user, _("Realisasi yang Anda isi sendiri tidak dapat Anda setujui."))
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
    # Returning or reopening is a review too: the one who entered the figure does not
    # unlock it or take it back as its reviewer.
    _not_own(row, user, _("Realisasi yang Anda isi sendiri tidak dapat Anda tinjau."))
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
    """Approve every submitted realisation of the given queryset but those `user` entered
    (nobody approves their own figures); returns how many."""
    submitted = realisations.filter(status=Realisation.Status.SUBMITTED).exclude(entered_by=user)
    rows = list(submitted.select_for_update())
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


# The texts of a manual, its sections, objectives and indicators that may name its year
# ("... untuk tahun 2023 menetapkan ..."): a year copy offers to update them.
YEAR_TEXTS = {
    "manual": ["title", "introduction", "note"],
    "section": ["title"],
    "objective": ["text"],
    "indicator": [
        "name",
        "measurement_method",
        "frequency_text",
        "responsible_text",
        "numerator_label",
        "denominator_label",
        "note",
    ],
}


def _year_pattern(year):
    return re.compile(rf"(?<![0-9]){year}(?![0-9])")


@dataclass(frozen=True)
class YearTextChange:
    """One text of a manual that names its year, as it is and as the copy would have it."""

    key: str  # "indicator-12.name": what the confirmation form's checkbox is called
    where: str  # the object, for the reader: "Indikator: Persentase ..."
    field: str  # the field's verbose name
    before: str
    after: str


def manual_year_texts(manual, year):
    """The texts of `manual` (and everything in it) that name its year, with that year
    replaced by `year`, in document order."""
    pattern = _year_pattern(manual.year)
    new = str(year)
    changes = []

    def look(kind, obj, where):
        for name in YEAR_TEXTS[kind]:
            before = getattr(obj, name)
            if before and pattern.search(before):
                changes.append(
                    YearTextChange(
                        key=f"{kind}-{obj.pk}.{name}",
                        where=where,
                        field=str(obj._meta.get_field(name).verbose_name),
                        before=before,
                        after=pattern.sub(new, before),
                    )
                )

    look("manual", manual, _("Dokumen"))
    sections = manual.sections.prefetch_related("objectives__indicators")
    for section in sections:
        look("section", section, _("Bagian: %(title)s") % {"title": section.title})
        for objective in section.objectives.all():
            look("objective", objective, _("Sasaran %(number)s") % {"number": objective.number})
            for indicator in objective.indicators.all():
                look("indicator", indicator, _("Indikator: %(name)s") % {"name": indicator.name})
    return changes


# ---------------------------------------------------------------------- target revisions

REPORTED = [Realisation.Status.SUBMITTED, Realisation.Status.APPROVED]
# A reason is a paragraph, not a document: the form and the service hold it to this.
REVISION_REASON_MAX = 1000
# Control characters (other than tab and line breaks) cannot be printed in the reports, and
# the Excel writer refuses them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable_text(value):
    """Validator: text that the documents can print (no control characters)."""
    if value and _CONTROL.search(value):
        raise ValidationError(_("Teks berisi karakter kontrol yang tidak dapat dicetak."))


def governed_periods(indicator, period):
    """The realisation periods whose capaian the target of `period` decides.

    A target of one of the indicator's own periods decides that period. A target of a
    longer period decides it and every own period within it: the longer period's figure is
    made of them, and a month without a target of its own is held against its quarter's
    (a monthly indicator's TW 2: April-June; the year: every period). A target of a shorter
    period than the indicator's (refused on entry, `admin.TargetForm`) decides the own
    period that holds it.
    """
    own = indicator.period_kind
    if periods.longer(own, periods.kind(period)):
        return [periods.enclosing(period, own)]
    return list(dict.fromkeys([period, *periods.within(period, own)]))


def target_needs_basis(target):
    """Whether changing `target` (as it is stored) needs a reason and a legal basis: a
    realisation whose capaian it decides is already submitted or approved. A new target,
    or one whose periods nobody has reported yet, changes freely."""
    if target.pk is None:
        return False
    indicator = target.indicator
    return Realisation.objects.filter(
        indicator=indicator,
        period__in=governed_periods(indicator, target.period),
        status__in=REPORTED,
    ).exists()


@transaction.atomic
def target_revise(*, target, value, upper, reason, reference, reference_date, user):
    """Change a target whose period is already reported, with the reason and its legal
    basis: the nomor (`reference`) and tanggal (`reference_date`) of the SK or revised
    document. The target as first set is kept in `original_value`/`original_upper`,
    written at the first revision only; the basis fields hold the latest revision, and the
    history records every one with who, when and why."""
    reason, reference = (reason or "").strip(), (reference or "").strip()
    errors = {}
    if not reason:
        errors["revision_reason"] = _("Isi alasan revisi.")
    elif len(reason) > REVISION_REASON_MAX:
        errors["revision_reason"] = _("Alasan revisi paling banyak %(max)s karakter.") % {
            "max": REVISION_REASON_MAX
        }
    if not reference:
        errors["revision_reference"] = _("Isi nomor SK atau dokumen dasar revisi.")
    for name, text in (("revision_reason", reason), ("revision_reference", reference)):
        try:
            printable_text(text)
        except ValidationError as error:
            errors.setdefault(name, error.messages[0])
    if reference_date is None:
        errors["revision_date"] = _("Isi tanggal SK atau dokumen dasar revisi.")
    if errors:
        raise ValidationError(errors)
    row = Target.objects.select_for_update().get(pk=target.pk)
    if row.revised_at is None:  # the target as first set, kept once
        row.original_value, row.original_upper = row.value, row.upper
    row.value, row.upper = value, upper
    row.revision_reason = reason
    row.revision_reference = reference
    row.revision_date = reference_date
    row.revised_at = timezone.now()
    if user is not None:  # else the history takes the request's user (its middleware)
        row._history_user = user
    row._change_reason = _("Target direvisi: %(reason)s (%(reference)s, %(date)s)") % {
        "reason": reason,
        "reference": reference,
        "date": formats.date_format(reference_date, "j F Y"),
    }
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def manual_copy_to_year(
    *,
    manual,
    year,
    carry_targets,
    document_number=None,
    effective_date=None,
    revision=None,
    replace_year_in=(),
):
    """Start a new year from `manual`: its sections, objectives and indicators, with the
    targets carried over or left to fill in. Last year's rows are not touched.

    The new manual takes `document_number`, `effective_date` and `revision` when given (the
    confirmation form asks for them), else last year's, with the effective date moved into
    `year`. `replace_year_in` names the texts (keys of `manual_year_texts`) in which the old
    year is replaced by the new one. A carried target starts afresh: a revision of last
    year's target is last year's.
    """
    exists = _("Sasaran Mutu %(year)s untuk unit ini sudah ada.") % {"year": year}
    if QualityManual.objects.filter(unit=manual.unit, year=year).exists():
        raise ValidationError(exists)
    sections = manual.sections.prefetch_related("objectives__indicators__targets")
    if effective_date is None:
        effective_date = periods.same_date_in(manual.effective_date, year)
    pattern, replace = _year_pattern(manual.year), set(replace_year_in)

    def texts(kind, obj):
        return {
            name: pattern.sub(str(year), getattr(obj, name))
            for name in YEAR_TEXTS[kind]
            if f"{kind}-{obj.pk}.{name}" in replace
        }

    try:
        with transaction.atomic():
            copy = _clone(
                manual,
                year=year,
                effective_date=effective_date,
                document_number=manual.document_number
                if document_number is None
                else document_number,
                revision=manual.revision if revision is None else revision,
                **texts("manual", manual),
            )
    except (IntegrityError, ValidationError) as error:
        # Another request (a double click) made the same year in the meantime.
        if QualityManual.objects.filter(unit=manual.unit, year=year).exists():
            raise ValidationError(exists) from error
        raise
    for section in sections:
        new_section = _clone(section, manual=copy, **texts("section", section))
        for objective in section.objectives.all():
            new_objective = _clone(objective, section=new_section, **texts("objective", objective))
            for indicator in objective.indicators.all():
                new_indicator = _clone(
                    indicator, objective=new_objective, **texts("indicator", indicator)
                )
                if carry_targets:
                    for target in indicator.targets.all():
                        _clone(target, indicator=new_indicator, **FRESH_TARGET)
    return copy


# A carried target is the target as it now stands, without last year's revision record.
FRESH_TARGET = {
    "original_value": None,
    "original_upper": None,
    "revision_reason": "",
    "revision_reference": "",
    "revision_date": None,
    "revised_at": None,
}


def _clone(obj, **changes):
    obj = copy_module.copy(obj)
    obj.pk = obj.id = None
    obj._state.adding = True
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj
