"""The holiday table and a unit's working-day calendar.

The table is seeded per year from the `holidays` package: Indonesia, category "public" for
the national holidays and "government" for cuti bersama (asked for explicitly; the package
gives only the public ones by default), with the Indonesian names. A year is seeded once
(`HolidayYear`); later changes are the admin's (a decree that moves or cancels a day). A unit
counts cuti bersama as days off unless its `UnitCalendar` says otherwise.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from .models import Holiday, HolidayYear, UnitCalendar
from .workdays import WorkCalendar

COUNTRY = "ID"
CATEGORIES = {"public": Holiday.Kind.NATIONAL, "government": Holiday.Kind.CUTI_BERSAMA}


def package_holidays(year):
    """[(date, name, kind)] of `year` as the `holidays` package knows them, national ones
    first where a date has both."""
    import holidays

    found = {}
    for category, kind in CATEGORIES.items():
        table = holidays.country_holidays(
            COUNTRY, years=year, categories=(category,), language="id"
        )
        for day, name in sorted(table.items()):
            found.setdefault(day, (day, name[:200], kind))
    return [found[day] for day in sorted(found)]


def package_version():
    import holidays

    return f"holidays {holidays.__version__}"


@transaction.atomic
def seed_year(year, *, again=False):
    """Add the package's holidays of `year` to the table: once per year, or with `again`
    the dates still missing (none of the rows there is changed). Returns how many were
    added."""
    marker = HolidayYear.objects.select_for_update().filter(year=year).first()
    if marker is not None and not again:
        return 0
    rows = package_holidays(year)
    present = set(Holiday.objects.filter(date__year=year).values_list("date", flat=True))
    new = [
        Holiday(date=day, name=name, kind=kind, source=Holiday.Source.SEEDED)
        for day, name, kind in rows
        if day not in present
    ]
    Holiday.objects.bulk_create(new)
    if marker is None:
        HolidayYear.objects.create(year=year, source=package_version())
    return len(new)


def ensure_years(years):
    """Seed every year of `years` that was never seeded (an import that reaches a new year);
    returns the years seeded now."""
    done = set(HolidayYear.objects.filter(year__in=years).values_list("year", flat=True))
    seeded = []
    for year in sorted(set(years) - done):
        if 2000 <= year <= 2100:
            seed_year(year)
            seeded.append(year)
    return seeded


def seeded_years():
    return set(HolidayYear.objects.values_list("year", flat=True))


def cuti_bersama_off(unit):
    """Whether `unit` counts cuti bersama as days off (the default, without a setting)."""
    setting = UnitCalendar.objects.filter(unit=unit).values_list("cuti_bersama_off", flat=True)
    return next(iter(setting), True)


def non_working_dates(unit, first, last):
    """The dates from `first` to `last` that are not working days for `unit` although they
    are weekdays or not: its holidays and, by its setting, cuti bersama."""
    rows = Holiday.objects.filter(date__gte=first, date__lte=last)
    if not cuti_bersama_off(unit):
        rows = rows.filter(kind=Holiday.Kind.NATIONAL)
    return set(rows.values_list("date", flat=True))


# A week beyond the last date: a start on the eve of a long holiday looks ahead for its
# first working day.
MARGIN = datetime.timedelta(days=14)


def calendar_for(unit, first, last):
    """The `WorkCalendar` of `unit` for counting between dates from `first` to `last` (the
    earliest start and the latest end asked about)."""
    return WorkCalendar(non_working_dates(unit, first, last + MARGIN))


def holidays_of_year(unit, year):
    """The holiday rows of `year`, each with whether `unit` counts it as a day off."""
    off = cuti_bersama_off(unit)
    rows = Holiday.objects.filter(date__year=year).order_by("date")
    return [
        {
            "holiday": row,
            "off": off or row.kind == Holiday.Kind.NATIONAL,
            "weekend": row.date.weekday() >= 5,
        }
        for row in rows
    ]
