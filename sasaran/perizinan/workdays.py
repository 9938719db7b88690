"""Working days as the Indonesian government counts them. No Django, no database.

A working day (hari kerja) is Monday to Friday, unless it is a non-working date: a national
holiday and, where the office says so, a cuti bersama day. Which dates those are is the
caller's business (the holiday table, `calendars.non_working_dates`): the functions here take
them as a collection of dates.

The counting convention (`working_days_between`)
-----------------------------------------------
A service standard reads "selesai dalam N hari kerja sejak berkas diterima lengkap dan benar".
The law counts a period *from* an event without the day of the event itself (dies a quo non
computatur: UU 30/2014 on government administration sets its limits "sejak diterimanya
permohonan secara lengkap", and time limits in Indonesian procedure begin on the following
day), and counts the last day in full. So:

- the day the file became complete does not count; the day of issue counts;
- a permit issued on the day its file became complete took 0 working days, one issued on the
  next working day took 1: "selesai dalam 1 hari kerja" is met by the next working day at the
  latest, as a day's deadline is the end of that day;
- a file completed on a day that is not a working day (a Saturday upload, a holiday) is taken
  as received on the next working day, which then is the uncounted first day: completed on
  Saturday and issued on Monday is 0 working days, issued on Tuesday 1;
- weekends, holidays and (by the office's setting) cuti bersama between the two dates do not
  count, nor does an issue on such a day add one.

The same count gives a staff task's duration (started .. finished) and the deadline of a
standard (`add_working_days`): the N-th working day after the start.
"""

from __future__ import annotations

import bisect
import datetime

SATURDAY = 5  # date.weekday(): Monday is 0


def is_weekend(day):
    return day.weekday() >= SATURDAY


def is_working_day(day, holidays):
    """Whether `day` is a working day: Monday to Friday and not in `holidays`."""
    return not is_weekend(day) and day not in holidays


def next_working_day(day, holidays):
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, holidays):
        day += datetime.timedelta(days=1)
    return day


def _weekdays_up_to(day):
    """How many Mondays to Fridays there are from 1 January of year 1 up to `day` (itself
    included); that day was a Monday, so every full week holds five."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def _check(start, end):
    for value in (start, end):
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            raise TypeError(f"a date is needed, got {value!r}")
    if end < start:
        raise ValueError(f"end {end} before start {start}")


def working_days_between(start, end, holidays):
    """The working days from `start` (the day the file became complete, a task began) to
    `end` (the day of issue, the task's end), counted as the module docstring says: `start`
    (moved to the next working day when it is none) does not count, `end` does. 0 when both
    fall on the same working day. ValueError when `end` is before `start`."""
    _check(start, end)
    first = next_working_day(start, holidays)
    if end <= first:
        return 0
    days = _weekdays_up_to(end) - _weekdays_up_to(first)
    return days - sum(1 for day in holidays if first < day <= end and not is_weekend(day))


def add_working_days(start, days, holidays):
    """The last day on which something started on `start` is still within `days` working
    days: the `days`-th working day after `start` (by the same convention; `start` itself,
    or the next working day, for 0)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    day = next_working_day(start, holidays)
    while days:
        day = next_working_day(day + datetime.timedelta(days=1), holidays)
        days -= 1
    return day


class WorkCalendar:
    """`working_days_between` for many pairs of dates at once (a log of 100,000 permits):
    the holidays that fall on weekdays are kept sorted, so that each count is two bisections
    instead of a walk over the holidays. Gives the same answers as the function."""

    def __init__(self, holidays):
        self.holidays = frozenset(holidays)
        self._weekday_holidays = sorted(d.toordinal() for d in self.holidays if not is_weekend(d))

    def is_working_day(self, day):
        return is_working_day(day, self.holidays)

    def _up_to(self, day):
        """Working days from year 1 up to `day`, itself included."""
        return _weekdays_up_to(day) - bisect.bisect_right(self._weekday_holidays, day.toordinal())

    def between(self, start, end):
        _check(start, end)
        first = next_working_day(start, self.holidays)
        if end <= first:
            return 0
        return self._up_to(end) - self._up_to(first)

    def deadline(self, start, days):
        return add_working_days(start, days, self.holidays)
