"""Who may see and change what. Every view of every app fetches its object through one of
the `get_*` helpers below, which return the object and whether the user may change it, or
answer 404 (not 403) when it lies outside the user's scope, so that nobody learns what
exists there. Pages that list objects ask the `visible_*` querysets.

- The units a user is in (`member_units`) are those where they hold a position, whatever
  its role. The survey app and the SOP app scope their objects by them too.
- An officer works on the indicators of the positions they hold.
- A head of unit (an assignment with role "head" in the unit) reviews the unit's
  realisations; when the unit says so, the Kasubbag TU reviews the Staf Pelaksana level.
- A unit admin (role "admin") may review and reopen too.
- Nobody reviews their own figures. The indicators of the unit's Kepala Unit position (the
  head's own) are reviewed by the holders of the unit's verifier position or, while the
  unit names none, by the head of the parent unit; never by the unit's head or admin. And
  nobody approves, returns or reopens a realisation they entered themselves (`may_review`).
- A head or admin reads (only) the indicators and dashboards of the units below theirs.
- A background export belongs to the user who asked for it.
- A superuser sees and may change everything.
"""

import contextvars

from django.db.models import Exists, F, OuterRef, Q
from django.shortcuts import get_object_or_404

from .models import (
    Assignment,
    Evidence,
    ExportJob,
    Indicator,
    Position,
    QualityManual,
    Realisation,
    Unit,
)

# --------------------------------------------------------------------------- one request's memo
# A page and its menu (`context_processors.navigation`) ask the same questions about the
# user (their assignments, whether they review, the units below theirs). Within one request
# the answers are kept here, so that each is asked of the database once. Outside a request
# (a command, a test calling a helper directly) nothing is kept: every call asks afresh.

_request_memo = contextvars.ContextVar("sasaran_access_memo", default=None)


def request_memo_middleware(get_response):
    """Keep the access helpers' answers for the length of one request (see above)."""

    def middleware(request):
        token = _request_memo.set({})
        try:
            return get_response(request)
        finally:
            _request_memo.reset(token)

    return middleware


def _remembered(user, key, compute):
    memo = _request_memo.get()
    if memo is None or user.pk is None:
        return compute()
    key = (user.pk, *key) if isinstance(key, tuple) else (user.pk, key)
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _assignments(user):
    """The user's assignments with their position and unit, whether the position is a
    unit's verifier position (`verifies`) and whether its unit has a Sasaran Mutu
    (`unit_has_manual`): one query per request."""

    def compute():
        return list(
            user.assignments.select_related("position__unit")
            .annotate(
                verifies=Exists(Unit.objects.filter(verifier_position=OuterRef("position_id"))),
                unit_has_manual=Exists(
                    QualityManual.objects.filter(unit_id=OuterRef("position__unit_id"))
                ),
            )
            .order_by("pk")
        )

    return _remembered(user, "assignments", compute)


HEADS = (Assignment.Role.HEAD, Assignment.Role.ADMIN)

# --------------------------------------------------------------------------- the user's place


def member_units(user):
    """The units where `user` holds a position (any role): the one answer to "which units
    is this user in"."""
    return Unit.objects.filter(positions__assignments__user=user).distinct()


def member_unit_ids(user):
    """The pks of `member_units`, from the request's memo."""
    return {row.position.unit_id for row in _assignments(user)}


def position_ids(user):
    return {row.position_id for row in _assignments(user)}


def _units_below(user):
    """The units under a unit this user heads or administers (with `has_manual`), one
    query per level of the hierarchy below them, once per request."""

    def compute():
        found, seen = [], set()
        level = list({row.position.unit_id for row in _assignments(user) if row.role in HEADS})
        while level:
            children = list(
                Unit.objects.filter(parent__in=level)
                .annotate(has_manual=Exists(QualityManual.objects.filter(unit=OuterRef("pk"))))
                .order_by("name")
            )
            children = [u for u in children if u.pk not in seen]
            seen.update(u.pk for u in children)
            found += children
            level = [u.pk for u in children]
        return found

    return _remembered(user, "units_below", compute)


def units_below_headed(user):
    """Units under a unit this user heads: a parent-unit head reads them, read only."""
    return [u.pk for u in _units_below(user)]


# The head's own indicators: those of the unit's Kepala Unit position. Decided by the
# position's level, not by who holds it today, so that a change of assignment does not move
# the review of figures already entered.
HEAD_OWN = Q(responsible_position__level=Position.Level.HEAD)


def reviewer_scope(user):
    """A Q over indicators whose realisations this user may approve, return or reopen."""
    if user.is_superuser:
        return Q()
    rows = [
        row
        for row in _assignments(user)
        if row.role in HEADS or row.position.level == Position.Level.ADMIN_HEAD
    ]
    scope = Q(pk__in=[])
    for row in rows:
        unit = row.position.unit
        in_unit = Q(objective__section__manual__unit=unit)
        if row.role in (Assignment.Role.HEAD, Assignment.Role.ADMIN):
            in_unit &= ~HEAD_OWN  # not the head's own: reviewed above him (below)
            staff_level_elsewhere = unit.staff_reviewer_is_kasubbag and row.role == "head"
            if staff_level_elsewhere:
                scope |= in_unit & ~Q(objective__section__level=Position.Level.STAFF)
            else:
                scope |= in_unit
        if row.position.level == Position.Level.ADMIN_HEAD and unit.staff_reviewer_is_kasubbag:
            scope |= in_unit & Q(objective__section__level=Position.Level.STAFF)
    # The head's own indicators of the units whose verifier position the user holds, or, in
    # a unit that names no verifier, of the units below one the user heads. A subquery: no
    # query more for whoever asks.
    verified_units = Unit.objects.filter(
        Q(verifier_position__assignments__user=user)
        | Q(
            verifier_position__isnull=True,
            parent__positions__assignments__user=user,
            parent__positions__assignments__role=Assignment.Role.HEAD,
        )
    )
    return scope | (HEAD_OWN & Q(objective__section__manual__unit__in=verified_units))


def is_reviewer(user):
    """Whether the user reviews anything at all (the review queue and its menu entry)."""
    if user.is_superuser:
        return True
    return any(
        row.role in HEADS
        or (
            row.position.level == Position.Level.ADMIN_HEAD
            and row.position.unit.staff_reviewer_is_kasubbag
        )
        or row.verifies
        for row in _assignments(user)
    )


MENU_UNITS = 10


def menu_units(user):
    """The first ten units (by name) with a Sasaran Mutu whose dashboard the user may
    open: the menu's Dasbor (a list when more than one; a parent's other units are reached
    from its dashboard's comparison). From the request's memo, no query more, except for a
    superuser (who sees every unit)."""
    if user.is_superuser:
        return _remembered(
            user,
            "menu_units",
            lambda: list(
                Unit.objects.filter(manuals__isnull=False).distinct().order_by("name")[:MENU_UNITS]
            ),
        )
    units = {row.position.unit_id: row.position.unit for row in _assignments(user)}
    with_manual = {pk for pk in units if _row_unit_has_manual(user, pk)}
    for unit in _units_below(user):
        units.setdefault(unit.pk, unit)
        if unit.has_manual:
            with_manual.add(unit.pk)
    return sorted((units[pk] for pk in with_manual), key=lambda u: u.name)[:MENU_UNITS]


def _row_unit_has_manual(user, unit_pk):
    return any(r.unit_has_manual for r in _assignments(user) if r.position.unit_id == unit_pk)


def home_unit(user):
    """The unit a head lands on: the highest one they head."""
    row = (
        user.assignments.filter(role__in=[Assignment.Role.HEAD, Assignment.Role.ADMIN])
        .select_related("position__unit")
        .order_by(F("position__unit__parent_id").asc(nulls_first=True))
        .first()
    )
    return row.position.unit if row else None


# --------------------------------------------------------------------------- indicators


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


def own_indicators(user):
    """The indicators of the positions the user holds: the ones they enter (Tugas saya)."""
    return Indicator.objects.filter(responsible_position__assignments__user=user)


def reviewable_indicators(user):
    """The indicators whose realisations the user may approve, return or reopen."""
    return Indicator.objects.filter(reviewer_scope(user))


def is_officer_of(user, indicator):
    """The officer of the indicator's responsible position: the one who types its values."""
    return indicator.responsible_position_id in position_ids(user)


def is_reviewer_of(user, indicator):
    return _remembered(
        user,
        ("reviewer_of", indicator.pk),
        lambda: reviewable_indicators(user).filter(pk=indicator.pk).exists(),
    )


def is_head_own(indicator):
    """Whether the indicator is one of the head's own (`HEAD_OWN`), reviewed above him."""
    return indicator.responsible_position.level == Position.Level.HEAD


def head_own_reviewer(indicator):
    """The position whose holders review a head's own indicator (for the page to name):
    the unit's verifier position, else the head's position of the parent unit; None for
    another indicator, or when neither exists (then only the superuser reviews it)."""
    if not is_head_own(indicator):
        return None
    unit = indicator.objective.section.manual.unit
    if unit.verifier_position_id is not None:
        return Position.objects.get(pk=unit.verifier_position_id)
    return Position.objects.filter(
        unit_id=unit.parent_id, assignments__role=Assignment.Role.HEAD
    ).first()


def may_edit_indicator(user, indicator):
    """The officer of the indicator's responsible position, or one of its reviewers.
    Asked in one query, whichever of the two the user is."""
    if user.is_superuser:
        return True  # (`Q(...) | reviewer_scope()` would drop the superuser's empty Q)
    # The officer from the request's assignments; a reviewer asked once (`is_reviewer_of`,
    # which the entry form asks again).
    return is_officer_of(user, indicator) or is_reviewer_of(user, indicator)


def get_indicator(user, pk, *, queryset=None):
    """(indicator, may change its realisations), or 404 outside `visible_indicators`.

    `queryset` shapes the rows a page needs (prefetches); it is narrowed to the user's
    scope here."""
    rows = Indicator.objects.with_structure() if queryset is None else queryset
    indicator = get_object_or_404(rows.filter(pk__in=visible_indicators(user)), pk=pk)
    return indicator, may_edit_indicator(user, indicator)


# --------------------------------------------------------------------------- realisations


def may_review(user, realisation, *, reviews_indicator):
    """Whether a reviewer of the realisation's indicator (`reviews_indicator`, from
    `is_reviewer_of`) may approve, return or reopen this realisation: never one they
    entered themselves, whoever they are."""
    return reviews_indicator and realisation.entered_by_id != user.pk


def reviewable_realisations(user):
    """The realisations the user may approve, return or reopen (whatever their status):
    `may_review` as a queryset."""
    return Realisation.objects.filter(indicator__in=reviewable_indicators(user)).exclude(
        entered_by=user
    )


def get_realisation(user, pk):
    """(realisation, may approve, return or reopen it), or 404 unless its indicator is
    visible to the user."""
    row = get_object_or_404(
        Realisation.objects.select_related("indicator__objective__section__manual__unit"),
        pk=pk,
        indicator__in=visible_indicators(user),
    )
    return row, may_review(user, row, reviews_indicator=is_reviewer_of(user, row.indicator))


def get_evidence(user, pk):
    """(evidence file, may change its realisation's indicator), or 404 unless that
    indicator is visible to the user."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("realisation__indicator"),
        pk=pk,
        realisation__indicator__in=visible_indicators(user),
    )
    return evidence, may_edit_indicator(user, evidence.realisation.indicator)


# --------------------------------------------------------------------------- units


def visible_units(user):
    """Units whose dashboard the user may open: those they are in, and every unit below
    one they head."""
    if user.is_superuser:
        return Unit.objects.all()
    # The ids from the request's assignments (`member_units`, without asking again).
    ids = member_unit_ids(user) | set(units_below_headed(user))
    return Unit.objects.filter(pk__in=ids)


def manages_unit(user, unit):
    """Head or admin of the unit itself (may start a new year, for instance)."""
    return user.is_superuser or any(
        row.position.unit_id == unit.pk and row.role in HEADS for row in _assignments(user)
    )


def get_unit(user, code):
    """(unit, manages it), or 404 outside `visible_units`."""
    unit = get_object_or_404(visible_units(user), code=code)
    return unit, manages_unit(user, unit)


# --------------------------------------------------------------------------- export jobs


def get_export_job(user, pk):
    """(export job, may change it), or 404 unless the user asked for it. Whoever sees a
    job may change it: its owner, and the superuser who sees every job."""
    jobs = ExportJob.objects.select_related("unit")
    if not user.is_superuser:
        jobs = jobs.filter(requested_by=user)
    return get_object_or_404(jobs, pk=pk), True
