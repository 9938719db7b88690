"""Reporting periods: the only place that knows period codes, their dates and lateness.

A period is a code within the manual's year: "Y" (Tahunan), "S1".."S2" (Semester I-II),
"Q1".."Q4" (TW 1-4) and "M01".."M12" (Januari..Desember). Each is a run of months (`months`:
S2 is Juli..Desember); codes of one kind sort in calendar order. An indicator is measured in
periods of one kind (its frequency: `KIND_OF_FREQUENCY`) and may have targets in periods of
any kind. A bigger period holds the indicator's periods that lie within it (`within`): the
dashboard's quarter shows a monthly indicator's three months combined, its semester view two
quarters. Nothing outside this module builds or takes apart a code: use `quarter_code(3)`,
`period_quarter("M05")`, `months_of_quarter(2)`, `within("S1", MONTH)`, `enclosing("M05", QUARTER)`.

A period's realisation is due `Unit.report_deadline_days` days after the period ends. It is
late once that day has passed while the entry is missing or still in the officer's hands
(draft or returned: `Realisation.EDITABLE`, the workflow's rule), unless nothing is due (a
zero target). "Today" is the office's date (`TIME_ZONE`, Asia/Jakarta), the same on every
page: Tugas saya and the dashboards ask `is_late` with `today()`. A period submitted after
its deadline stays late for good: the days are recorded at the first submission
(`days_late`) and read back with `recorded_days_late`.

Pages that show one year pick it from `?tahun=`; without one they show this year if the user
has a Sasaran Mutu for it, else the latest year that has begun, else the latest. The
dashboards show one of `VIEW_PERIODS` (a quarter, a semester or the year) from `?periode=`
(`Q2`, `S1`, `Y`), or the quarter of an older `?tw=2` address (`year_and_period`).
"""

import calendar
import datetime
import functools

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    """A reporting period within the manual's year; codes sort in calendar order per kind."""

    YEAR = "Y", _("Tahunan")
    Q1 = "Q1", _("TW 1")
    Q2 = "Q2", _("TW 2")
    Q3 = "Q3", _("TW 3")
    Q4 = "Q4", _("TW 4")
    S1 = "S1", _("Semester I")
    S2 = "S2", _("Semester II")
    M01 = "M01", _("Januari")
    M02 = "M02", _("Februari")
    M03 = "M03", _("Maret")
    M04 = "M04", _("April")
    M05 = "M05", _("Mei")
    M06 = "M06", _("Juni")
    M07 = "M07", _("Juli")
    M08 = "M08", _("Agustus")
    M09 = "M09", _("September")
    M10 = "M10", _("Oktober")
    M11 = "M11", _("November")
    M12 = "M12", _("Desember")


# The columns of a manual's targets as the seed document prints them: TW 1-4, then the year.
TARGET_PERIODS = [Period.Q1, Period.Q2, Period.Q3, Period.Q4, Period.YEAR]
QUARTERS = [Period.Q1, Period.Q2, Period.Q3, Period.Q4]
SEMESTERS = [Period.S1, Period.S2]
MONTHS = [p for p in Period if p.value.startswith("M")]
QUARTER_NUMBERS = (1, 2, 3, 4)

# The kinds of period, from the shortest; the periods of each kind in calendar order.
MONTH, QUARTER, SEMESTER, YEAR = "month", "quarter", "semester", "year"
KINDS = (MONTH, QUARTER, SEMESTER, YEAR)
PERIODS_OF_KIND = {MONTH: MONTHS, QUARTER: QUARTERS, SEMESTER: SEMESTERS, YEAR: [Period.YEAR]}
_MONTHS_PER_PERIOD = {MONTH: 1, QUARTER: 3, SEMESTER: 6, YEAR: 12}
# The kind of period an indicator is measured in, by `Indicator.frequency`. Per-event
# indicators (service levels) are reported as a quarterly recap of the quarter's events.
KIND_OF_FREQUENCY = {
    "monthly": MONTH,
    "quarterly": QUARTER,
    "per_event": QUARTER,
    "semester": SEMESTER,
    "yearly": YEAR,
}


# The period arithmetic below is asked thousands of times by a page of many indicators (the
# comparison of a province: 9,300 cells); its answers depend on nothing but the arguments, so
# each is worked out once per process (`functools.cache`). Lists are copied on the way out:
# a caller may change what it gets.
_KIND_OF_LETTER = {"M": MONTH, "Q": QUARTER, "S": SEMESTER, "Y": YEAR}


def kind(period):
    """The kind of a period code: MONTH, QUARTER, SEMESTER or YEAR."""
    return _KIND_OF_LETTER[period[0]]


@functools.cache
def months(period):
    """The months (1-12) of a period: "S2" gives 7..12, "M05" gives 5..5."""
    length = _MONTHS_PER_PERIOD[kind(period)]
    index = PERIODS_OF_KIND[kind(period)].index(period)
    return range(index * length + 1, (index + 1) * length + 1)


@functools.cache
def _within(period, of_kind):
    span = months(period)
    return tuple(
        p for p in PERIODS_OF_KIND[of_kind] if months(p)[0] in span and months(p)[-1] in span
    )


def within(period, of_kind):
    """The periods of kind `of_kind` that lie within `period`, in calendar order ([] when
    `of_kind` is longer than `period`): within("Q2", MONTH) gives M04, M05, M06."""
    return list(_within(period, of_kind))


@functools.cache
def enclosing(period, of_kind):
    """The period of kind `of_kind` that holds `period`, or None when `of_kind` is shorter:
    enclosing("M05", QUARTER) gives Q2."""
    first, last = months(period)[0], months(period)[-1]
    return next(
        (p for p in PERIODS_OF_KIND[of_kind] if first in months(p) and last in months(p)), None
    )


_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


def longer(a, b):
    """Whether period kind `a` is longer than kind `b`."""
    return _KIND_ORDER[a] > _KIND_ORDER[b]


@functools.cache
def _up_to(period, of_kind):
    end = months(period)[-1]
    return tuple(p for p in PERIODS_OF_KIND[of_kind] if months(p)[-1] <= end)


def up_to(period, of_kind):
    """The periods of kind `of_kind` from the start of the year to the end of `period`
    (a cumulative target's year to date)."""
    return list(_up_to(period, of_kind))


def ends_together(a, b):
    """Whether two periods end in the same month (a semester survey and TW 2)."""
    return months(a)[-1] == months(b)[-1]


def period_code(of_kind, number):
    """The code of the `number`-th (1-based) period of a kind; None when out of range."""
    choices = PERIODS_OF_KIND[of_kind]
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= len(choices):
        return None
    return choices[number - 1]


def today():
    """The office's date today (Asia/Jakarta), for deadlines and default years."""
    return timezone.localdate()


# How every printed document and export writes a date: 27 Juni 2023 (day without a leading
# zero, the month's full name, the year), in the active language; the official documents
# are rendered in Indonesian.
DOCUMENT_DATE_FORMAT = "j F Y"


def long_date(value):
    """A date as the documents print it ("27 Juni 2023"); "" for no date."""
    if not value:
        return ""
    return formats.date_format(value, DOCUMENT_DATE_FORMAT)


def quarter_code(quarter):
    """The period of TW `quarter` (1-4): 3 gives Period.Q3."""
    if isinstance(quarter, bool) or not isinstance(quarter, int) or quarter not in QUARTER_NUMBERS:
        raise ValueError(f"a quarter is 1-4, got {quarter!r}")
    return QUARTERS[quarter - 1]


def months_of_quarter(quarter):
    """The three month periods of TW `quarter` (1-4): 2 gives M04, M05, M06."""
    first = (quarter - 1) * 3
    return MONTHS[first : first + 3]


def period_quarter(period):
    """The quarter (1-4) a quarter or month period lies in; None for a semester or the year."""
    quarter = enclosing(period, QUARTER)
    return QUARTERS.index(quarter) + 1 if quarter else None


def same_date_in(date, year):
    """`date` moved into `year`; 29 February becomes 28 February in a common year."""
    last_day = calendar.monthrange(year, date.month)[1]
    return date.replace(year=year, day=min(date.day, last_day))


def period_deadline(year, period, days_after):
    """When the realisation of a period is due: `days_after` days after the period ends."""
    return period_end(year, period) + datetime.timedelta(days=days_after)


def period_start(year, period):
    """The first day of a period of the given year."""
    return datetime.date(year, months(period)[0], 1)


@functools.cache
def period_end(year, period):
    """The last day of a period of the given year."""
    month = months(period)[-1]
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def deadline(indicator, period):
    """When `indicator`'s realisation of `period` is due (its manual's year and unit)."""
    manual = indicator.objective.section.manual
    return period_deadline(manual.year, period, manual.unit.report_deadline_days)


def nothing_due(target, polarity="higher"):
    """A target of zero where higher is better: nothing is due that period (never missing,
    never late). Where lower is better a zero target is zero tolerance ("0 keluhan"): due."""
    return target is not None and target == 0 and polarity != "lower"


def is_due(*, end, target, today, polarity="higher"):
    """Whether a period's entry is expected by `today`: the period (last day `end`) is over
    and something is due (`nothing_due`)."""
    return end < today and not nothing_due(target, polarity)


def days_late(*, deadline, submitted_at):
    """Whole days between the deadline and a submission (0: on time, also on the deadline
    day itself), counted in the office's dates."""
    return max(0, (timezone.localdate(submitted_at) - deadline).days)


def recorded_days_late(recorded, *, target, polarity="higher"):
    """How late a period was submitted, from the `days_late` recorded at the first submission
    of each of its entries (three months for a monthly indicator's quarter): the most of
    them, 0 when nothing was due (a zero target), None when none is known (not submitted
    yet, or recorded from earlier records)."""
    known = [days for days in recorded if days is not None]
    if not known:
        return None
    return 0 if nothing_due(target, polarity) else max(known)


def is_late(*, deadline, unfinished, target, today, polarity="higher"):
    """Whether a period's entry is late on `today`.

    Late: the deadline has passed (on the deadline day itself it is not late yet), the entry
    is `unfinished` (missing, or draft or returned: not yet submitted) and the target is not
    zero where higher is better (`nothing_due`). Tugas saya and the dashboards both ask this.
    """
    return deadline < today and unfinished and not nothing_due(target, polarity)


def default_year(years, today):
    """The year a page shows when none is asked for: this year if it is among `years`, else
    the latest year that has begun, else the latest; None when `years` is empty."""
    if today.year in years:
        return today.year
    begun = [year for year in years if year <= today.year]
    return max(begun or years, default=None)


def _int_param(request, name):
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


def selected_year(request, years):
    """The year asked for in `?tahun=`, if it is one of `years`; else `default_year`."""
    year = _int_param(request, "tahun")
    return year if year in years else default_year(years, today())


# The periods a dashboard, the parent unit's comparison and their period selector show: a
# quarter, a semester or the whole year (`?periode=Q2`, `?periode=S1`, `?periode=Y`).
VIEW_PERIODS = [*QUARTERS, *SEMESTERS, Period.YEAR]


def closing_quarter(period):
    """The quarter (1-4) in which `period` ends: S1 gives 2, the year 4, M05 gives 2."""
    return period_quarter(MONTHS[months(period)[-1] - 1])


def year_and_period(request, years, latest_quarter=None):
    """The year and the period of a dashboard (one of `VIEW_PERIODS`): `?periode=` when it
    names one (the last one given wins: a pressed button comes after the hidden field),
    else the quarter of `?tw=` or the default quarter, as `year_and_quarter` picks it."""
    period = request.GET.get("periode", "")
    if period in VIEW_PERIODS:
        return selected_year(request, years) or today().year, Period(period)
    year, quarter = year_and_quarter(request, years, latest_quarter)
    return year, quarter_code(quarter)


def year_and_quarter(request, years, latest_quarter=None):
    """The year and quarter (1-4) of a dashboard: `?tahun=` and `?tw=` if valid, else the
    default year (this year when there is none at all) and this quarter; for another year,
    the last quarter that has data (`latest_quarter(year)`, when given and not None), else
    TW 4."""
    now = today()
    year = selected_year(request, years) or now.year
    quarter = _int_param(request, "tw")
    if quarter not in QUARTER_NUMBERS:
        if year == now.year:
            quarter = period_quarter(MONTHS[now.month - 1])
        else:
            quarter = (latest_quarter(year) if latest_quarter else None) or 4
    return year, quarter
