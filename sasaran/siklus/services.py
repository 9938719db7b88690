"""Writes and reads of corrective actions (ISO 9001 clause 10.2).

- `missed_realisation` says whether a period of an indicator missed its target, with the
  dashboard's meaning of "missed" (`sasaran.dashboard.count_of`): its value is submitted or
  approved and `results.evaluate` says the target is not met;
- `action_open`, `action_update`, `action_done`, `action_verify` move an action through
  open -> done -> effective / not effective, each atomic, checked with `full_clean` and
  recorded in the history with a reason;
- `next_result` is the result the effectiveness is judged against: the indicator's next
  own period (the first of the next year's indicator of the same name after the last one).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaran import periods, results
from sasaran.models import Assignment, Indicator, Realisation, Target, User
from sasaran.periods import Period

from .models import CorrectiveAction

COUNTED = (Realisation.Status.SUBMITTED, Realisation.Status.APPROVED)


def _loaded(indicator):
    """The indicator with its targets and realisations as plain lists for `evaluate`."""
    indicator.plain_targets = list(Target.objects.filter(indicator=indicator))
    indicator.plain_realisations = list(Realisation.objects.filter(indicator=indicator))
    return indicator


def missed_realisation(indicator, period, scale=None):
    """The realisation of `indicator` in its own `period` when it missed its target (handed
    over, submitted or approved, and not met), else None."""
    if period not in indicator.due_periods():
        return None
    if getattr(indicator, "plain_realisations", None) is None:
        _loaded(indicator)
    row = next((r for r in indicator.plain_realisations if r.period == period), None)
    if row is None or row.status not in COUNTED or row.value is None:
        return None
    scale = results.category_scale() if scale is None else scale
    result = results.evaluate(indicator, period, scale)
    return row if result.met is False else None


def owner_choices(indicator):
    """Who may own an action: the users holding a position in the indicator's unit."""
    unit = indicator.objective.section.manual.unit
    return (
        User.objects.filter(assignments__position__unit=unit, is_active=True)
        .distinct()
        .order_by("first_name", "username")
    )


def default_owner(indicator):
    """The officer of the indicator (the first holder of its responsible position)."""
    row = (
        Assignment.objects.filter(position=indicator.responsible_position)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return row.user if row else None


def live_action(indicator, period):
    """The action of the period that is not judged "not effective", or None."""
    return (
        CorrectiveAction.objects.filter(indicator=indicator, period=period)
        .exclude(status=CorrectiveAction.Status.NOT_EFFECTIVE)
        .first()
    )


def _save(action, reason, user):
    action.full_clean()
    action._change_reason = reason
    action._history_user = user
    action.save()
    return action


@transaction.atomic
def action_open(*, indicator, period, user, cause_analysis, action, owner, due_date):
    """Open a corrective action for a period whose target was missed."""
    row = missed_realisation(indicator, period)
    if row is None:
        raise ValidationError(
            _("Tindakan korektif hanya dibuka untuk periode yang targetnya tidak tercapai.")
        )
    if live_action(indicator, period) is not None:
        raise ValidationError(
            _("Periode ini sudah memiliki tindakan korektif yang masih berjalan.")
        )
    new = CorrectiveAction(
        indicator=indicator,
        period=period,
        realisation=row,
        cause_analysis=cause_analysis,
        action=action,
        owner=owner,
        due_date=due_date,
        opened_by=user,
    )
    return _save(new, _("Dibuka"), user)


@transaction.atomic
def action_update(*, action, user, cause_analysis, action_text, owner, due_date):
    """Change an open action's analysis, action, owner or due date."""
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    if action.status != CorrectiveAction.Status.OPEN:
        raise ValidationError(_("Hanya tindakan korektif yang masih terbuka yang dapat diubah."))
    action.cause_analysis = cause_analysis
    action.action = action_text
    action.owner = owner
    action.due_date = due_date
    return _save(action, _("Diubah"), user)


@transaction.atomic
def action_done(*, action, user, evidence_file=None, evidence_link="", evidence_text=""):
    """Mark an open action done, with its evidence: a file, a link or a text (one at least)."""
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    if action.status != CorrectiveAction.Status.OPEN:
        raise ValidationError(_("Tindakan korektif ini tidak lagi terbuka."))
    if not (evidence_file or evidence_link.strip() or evidence_text.strip()):
        raise ValidationError(_("Lampirkan bukti penyelesaian: berkas, tautan, atau uraian."))
    if evidence_file:
        name = evidence_file.name.replace("\\", "/").rsplit("/", 1)[-1]
        action.evidence_file = evidence_file
        action.evidence_name = name[:255]
        action.evidence_size = evidence_file.size
    action.evidence_link = evidence_link.strip()
    action.evidence_text = evidence_text.strip()
    action.status = CorrectiveAction.Status.DONE
    action.done_by = user
    action.done_at = timezone.now()
    return _save(action, _("Diselesaikan"), user)


@transaction.atomic
def action_verify(*, action, user, effective, note):
    """Judge a done action effective or not, against the next period's result."""
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    if action.status != CorrectiveAction.Status.DONE:
        raise ValidationError(
            _("Hanya tindakan korektif yang sudah selesai yang dapat diverifikasi.")
        )
    if action.owner_id == user.pk and not user.is_superuser:
        raise ValidationError(_("Penanggung jawab tidak memverifikasi tindakannya sendiri."))
    following = next_result(action)
    action.status = (
        CorrectiveAction.Status.EFFECTIVE if effective else CorrectiveAction.Status.NOT_EFFECTIVE
    )
    action.verified_by = user
    action.verified_at = timezone.now()
    action.verification_period = following.period if following and following.same_year else ""
    action.verification_note = note.strip()
    return _save(
        action,
        _("Diverifikasi efektif") if effective else _("Diverifikasi tidak efektif"),
        user,
    )


@dataclass
class NextResult:
    indicator: Indicator
    year: int
    period: str
    same_year: bool
    realisation: Realisation | None
    result: results.Result

    @property
    def label(self):
        return f"{Period(self.period).label} {self.year}"

    @property
    def counted(self):
        """Whether the value is handed over (submitted or approved): only then does it say
        anything about the action's effect."""
        return self.realisation is not None and self.realisation.status in COUNTED

    @property
    def met(self):
        return self.result.met if self.counted else None


def next_result(action):
    """The indicator's period after the action's, with its realisation and result: the next
    own period of the year, or the first of the next year's indicator of the same name in
    the same unit; None when there is none."""
    indicator = action.indicator
    manual = indicator.objective.section.manual
    own = indicator.due_periods()
    later = own[own.index(action.period) + 1 :] if action.period in own else []
    if later:
        target_indicator, period, same_year, year = indicator, later[0], True, manual.year
    else:
        target_indicator = (
            Indicator.objects.with_structure()
            .filter(
                name=indicator.name,
                objective__section__manual__unit=manual.unit,
                objective__section__manual__year=manual.year + 1,
            )
            .first()
        )
        if target_indicator is None or not target_indicator.due_periods():
            return None
        period, same_year, year = target_indicator.due_periods()[0], False, manual.year + 1
    _loaded(target_indicator)
    row = next((r for r in target_indicator.plain_realisations if r.period == period), None)
    result = results.evaluate(target_indicator, period, results.category_scale())
    return NextResult(target_indicator, year, period, same_year, row, result)


def unit_actions(unit, *, today=None, include_closed=False):
    """The unit's corrective actions (open and done first, by due date)."""
    rows = CorrectiveAction.objects.filter(
        indicator__objective__section__manual__unit=unit
    ).select_related("indicator__objective__section__manual", "owner")
    if not include_closed:
        rows = rows.exclude(status__in=CorrectiveAction.CLOSED)
    return rows.order_by("due_date", "pk")


def missed_without_action(indicator):
    """The indicator's own periods that missed their target and have no live action."""
    _loaded(indicator)
    scale = results.category_scale()
    live = set(
        CorrectiveAction.objects.filter(indicator=indicator)
        .exclude(status=CorrectiveAction.Status.NOT_EFFECTIVE)
        .values_list("period", flat=True)
    )
    return [
        p
        for p in indicator.due_periods()
        if p not in live and missed_realisation(indicator, p, scale) is not None
    ]


def overdue(action, today=None):
    return action.is_overdue(today or periods.today())


@transaction.atomic
def review_create(*, unit, year, period, user):
    """The management review of a unit's semester or year (or the one already there)."""
    from .models import ManagementReview

    existing = ManagementReview.objects.filter(unit=unit, year=year, period=period).first()
    if existing is not None:
        return existing
    review = ManagementReview(unit=unit, year=year, period=period, created_by=user)
    review.full_clean()
    review._history_user = user
    review._change_reason = _("Dibuat")
    review.save()
    return review


@transaction.atomic
def review_complete(*, review, user, meeting_date, conclusions, decisions):
    """Keep the head's meeting date, conclusions and decisions."""
    review.meeting_date = meeting_date
    review.conclusions = conclusions.strip()
    review.decisions = decisions.strip()
    review.full_clean()
    review._history_user = user
    review._change_reason = _("Kesimpulan dan keputusan disimpan")
    review.save()
    return review
