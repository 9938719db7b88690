"""Reads that more than one page uses, named so that a page says what it asks for."""

from . import access
from .models import QualityManual, Realisation


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
    return manual_years(access.visible_indicators(user).values("objective__section__manual__unit"))


def manual_of(unit, year):
    """The Sasaran Mutu of `unit` for `year` with its signatory's position, or None."""
    return QualityManual.objects.select_related("signed_by").filter(unit=unit, year=year).first()


def realisation_of(indicator, period):
    """The realisation of `indicator` in `period`, or None while nothing is entered."""
    return Realisation.objects.filter(indicator=indicator, period=period).first()


def waiting_for_review(user):
    """Submitted realisations that `user` may approve or return."""
    return Realisation.objects.filter(
        status=Realisation.Status.SUBMITTED,
        indicator__in=access.reviewable_indicators(user),
    )
