"""Reads that more than one page uses, named so that a page says what it asks for."""

from django.db.models import Q

from . import access, periods
from .models import Indicator, Objective, QualityManual, Realisation, Section, Target, Unit


def manual_years(units):
    """The years for which `units` have a Sasaran Mutu, latest first."""
    return list(
        QualityManual.objects.filter(unit__in=units)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def user_years(user):
    """The years of the manuals whose indicators `user` may open, latest first."""
    if user.is_superuser:
        return manual_years(Unit.objects.all())
    # `visible_indicators` in three parts, each an index-friendly subquery (one query with
    # the three ORed over joins reads every indicator): the user's own, those they review,
    # and the units below theirs.
    unit = "objective__section__manual__unit"
    own = Indicator.objects.filter(responsible_position__in=access.position_ids(user))
    reviewed = access.reviewable_indicators(user)
    return list(
        QualityManual.objects.filter(
            Q(unit__in=own.values(unit))
            | Q(unit__in=reviewed.values(unit))
            | Q(unit__in=access.units_below_headed(user))
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def manual_of(unit, year):
    """The Sasaran Mutu of `unit` for `year` with its signatory's position, or None."""
    return QualityManual.objects.select_related("signed_by").filter(unit=unit, year=year).first()


def realisation_of(indicator, period):
    """The realisation of `indicator` in `period`, or None while nothing is entered."""
    return Realisation.objects.filter(indicator=indicator, period=period).first()


def waiting_for_review(user):
    """Submitted realisations that `user` may approve or return (not their own)."""
    return access.reviewable_realisations(user).filter(status=Realisation.Status.SUBMITTED)


def manual_counts(manual):
    """How many sections, objectives, indicators and targets `manual` holds."""
    return {
        "sections": Section.objects.filter(manual=manual).count(),
        "objectives": Objective.objects.filter(section__manual=manual).count(),
        "indicators": Indicator.objects.filter(objective__section__manual=manual).count(),
        "targets": Target.objects.filter(indicator__objective__section__manual=manual).count(),
    }


def target_revisions(indicator):
    """Every revision of `indicator`'s targets (`services.target_revise`), latest first:
    its history record (who, when, the basis) and the target just before it."""
    records = (
        indicator.targets.model.history.filter(indicator_id=indicator.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    before, revisions = {}, []
    for record in records:
        previous = before.get(record.id)
        # A revision is the record that sets a new revision time; a plain edit keeps it.
        if record.revised_at and (previous is None or previous.revised_at != record.revised_at):
            revisions.append({"record": record, "before": previous})
        before[record.id] = record
    return revisions[::-1]


def latest_quarter_with_data(units, year):
    """The last quarter (1-4) of `year` in which an indicator of `units` has a submitted or
    approved realisation, or None: where a look back at a past year starts."""
    reported = Realisation.objects.filter(
        indicator__objective__section__manual__unit__in=units,
        indicator__objective__section__manual__year=year,
        status__in=[Realisation.Status.SUBMITTED, Realisation.Status.APPROVED],
    ).values_list("period", flat=True)
    # A month or a semester counts for the quarter it ends in (June and Semester I: TW 2);
    # a year's figure says nothing about how far the year went.
    quarters = {periods.closing_quarter(p) for p in reported.distinct() if p != periods.Period.YEAR}
    return max(quarters, default=None)
