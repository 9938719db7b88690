"""Reads that more than one page uses, named so that a page says what it asks for."""

from . import access
from .models import QualityManual, Realisation


def user_years(user):
    """The years of the manuals whose indicators `user` may open, latest first."""
    units = access.visible_indicators(user).values("objective__section__manual__unit")
    return list(
        QualityManual.objects.filter(unit__in=units)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def manual_years(units):
    """The years for which `units` have a Sasaran Mutu, latest first."""
    return list(
        QualityManual.objects.filter(unit__in=units)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def waiting_for_review(user):
    """Submitted realisations that `user` may approve or return."""
    return Realisation.objects.filter(
        status=Realisation.Status.SUBMITTED,
        indicator__in=access.reviewable_indicators(user),
    )
