"""What is done with an SOP beyond editing it: revising it, totalling its standard time."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from sasaran.numbers import format_id_number, round_half_up

from .models import HOURS_PER_WORKING_DAY, Sop


@transaction.atomic
def revise(sop):
    """A new revision of `sop` with the same identity, actors and steps; the old one stays."""
    related = list(sop.related.all())
    actors = list(sop.actors.all())
    steps = list(sop.steps.select_related("actor"))
    revision = Sop.objects.get(pk=sop.pk)
    revision.pk = None
    revision.id = None
    revision.revision = (
        Sop.objects.filter(unit=sop.unit, number=sop.number).order_by("-revision").first().revision
        + 1
    )
    revision.previous = sop
    revision.revised_on = None
    revision.save()
    revision.related.set(related)
    copies = {}
    for actor in actors:
        copies[actor.pk] = revision.actors.create(
            order=actor.order, name=actor.name, position=actor.position
        )
    for step in steps:
        step.pk = None
        step.id = None
        step.sop = revision
        step.actor = copies[step.actor_id]
        step.save()
    return revision


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
