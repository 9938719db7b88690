"""Who may see and change what. Every view fetches its object through one of these helpers,
which answer 404 (not 403) so that nobody learns what exists outside their scope.

- An officer works on the indicators of the positions they hold.
- A head of unit (an assignment with role "head" in the unit) reviews the unit's
  realisations; when the unit says so, the Kasubbag TU reviews the Staf Pelaksana level.
- A unit admin (role "admin") and a superuser may review and reopen too.
"""

from django.db.models import F, Q
from django.shortcuts import get_object_or_404

from .models import Assignment, Indicator, Position, Realisation, Unit


def position_ids(user):
    return set(user.assignments.values_list("position_id", flat=True))


def reviewer_scope(user):
    """A Q over indicators whose realisations this user may approve, return or reopen."""
    if user.is_superuser:
        return Q()
    rows = user.assignments.select_related("position__unit").filter(
        Q(role__in=[Assignment.Role.HEAD, Assignment.Role.ADMIN])
        | Q(position__level=Position.Level.ADMIN_HEAD)
    )
    scope = Q(pk__in=[])
    for row in rows:
        unit = row.position.unit
        in_unit = Q(objective__section__manual__unit=unit)
        if row.role in (Assignment.Role.HEAD, Assignment.Role.ADMIN):
            staff_level_elsewhere = unit.staff_reviewer_is_kasubbag and row.role == "head"
            if staff_level_elsewhere:
                scope |= in_unit & ~Q(objective__section__level=Position.Level.STAFF)
            else:
                scope |= in_unit
        if row.position.level == Position.Level.ADMIN_HEAD and unit.staff_reviewer_is_kasubbag:
            scope |= in_unit & Q(objective__section__level=Position.Level.STAFF)
    return scope


def is_reviewer(user):
    if user.is_superuser:
        return True
    return user.assignments.filter(
        Q(role__in=[Assignment.Role.HEAD, Assignment.Role.ADMIN])
        | Q(
            position__level=Position.Level.ADMIN_HEAD,
            position__unit__staff_reviewer_is_kasubbag=True,
        )
    ).exists()


def units_below_headed(user):
    """Units under a unit this user heads: a parent-unit head reads them, read only."""
    rows = user.assignments.filter(
        role__in=[Assignment.Role.HEAD, Assignment.Role.ADMIN]
    ).select_related("position__unit")
    return [u.pk for row in rows for u in row.position.unit.descendants()]


def visible_indicators(user):
    """Indicators this user may open: their own positions', those they review, and (read
    only) those of the units below a unit they head."""
    if user.is_superuser:
        # reviewer_scope() is an empty Q for a superuser, and `Q(...) | Q()` is just the
        # left side: without this the admin would see only their own positions.
        return Indicator.objects.all()
    return Indicator.objects.filter(
        Q(responsible_position__assignments__user=user)
        | reviewer_scope(user)
        | Q(objective__section__manual__unit__in=units_below_headed(user))
    ).distinct()


def may_edit_indicator(user, indicator):
    """The officer of the indicator's responsible position, or one of its reviewers."""
    if indicator.responsible_position_id in position_ids(user):
        return True
    return Indicator.objects.filter(reviewer_scope(user), pk=indicator.pk).exists()


def get_own_indicator(user, pk):
    """An indicator of one of the user's positions (the officer who enters it), or 404."""
    return get_object_or_404(
        Indicator.objects.with_structure(), pk=pk, responsible_position__in=position_ids(user)
    )


def get_visible_indicator(user, pk):
    return get_object_or_404(
        Indicator.objects.with_structure(), pk__in=visible_indicators(user), pk=pk
    )


def get_reviewable_realisation(user, pk):
    indicators = Indicator.objects.filter(reviewer_scope(user))
    return get_object_or_404(
        Realisation.objects.select_related("indicator__objective__section__manual__unit"),
        pk=pk,
        indicator__in=indicators,
    )


def dashboard_units(user):
    """Units whose dashboard the user may open: those where they hold a position, and
    every unit below one they head."""
    if user.is_superuser:
        return Unit.objects.all()
    own = user.assignments.values("position__unit")
    return Unit.objects.filter(Q(pk__in=own) | Q(pk__in=units_below_headed(user)))


def get_dashboard_unit(user, code):
    return get_object_or_404(dashboard_units(user), code=code)


def manages_unit(user, unit):
    """Head or admin of the unit itself (may start a new year, for instance)."""
    return (
        user.is_superuser
        or user.assignments.filter(
            position__unit=unit, role__in=[Assignment.Role.HEAD, Assignment.Role.ADMIN]
        ).exists()
    )


def home_unit(user):
    """The unit a head lands on: the highest one they head."""
    row = (
        user.assignments.filter(role__in=[Assignment.Role.HEAD, Assignment.Role.ADMIN])
        .select_related("position__unit")
        .order_by(F("position__unit__parent_id").asc(nulls_first=True))
        .first()
    )
    return row.position.unit if row else None
