"""Reading the dates of an exported log as Indonesian offices and their systems write them.
No Django, no database.

`parse_moment` reads a cell into (date, time or None); `parse_date` keeps the date. A cell may
hold:

- a date or datetime (an xlsx cell formatted as a date);
- an Excel serial number (45155, or "45155,5" with a time) from an unformatted cell or a CSV;
- day first with slashes, dashes or dots: 17/08/2023, 17-08-2023, 17.8.23 (a two-digit year
  is 20yy); never month first, which Indonesia does not write;
- the ISO form 2023-08-17, as databases export it;
- the month by name, Indonesian or English, full or short, with or without the weekday:
  "17 Agustus 2023", "17 Agt 2023", "17-Aug-2023", "Kamis, 17 Agustus 2023";
- any of these followed by a time: 17/08/2023 14:30, 2023-08-17T14:30:00, "17 Agustus 2023
  pukul 14.30".

A blank cell is None. Anything else raises `DateError` (a ValueError) holding what was
found, which the import names in its message at the row and column.
"""

from __future__ import annotations

import datetime
import functools
import re

EXCEL_FIRST = 20_000  # 1954-10-03: a smaller number is no date of a permit log
EXCEL_LAST = 80_000  # 2119-01-10

MONTHS = {
    "januari": 1,
    "january": 1,
    "jan": 1,
    "februari": 2,
    "pebruari": 2,
    "february": 2,
    "feb": 2,
    "peb": 2,
    "maret": 3,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "agustus": 8,
    "august": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agst": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "october": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nopember": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "december": 12,
    "des": 12,
    "dec": 12,
}
WEEKDAYS = (
    "senin",
    "selasa",
    "rabu",
    "kamis",
    "jumat",
    "jum'at",
    "sabtu",
    "minggu",
    "ahad",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)

_TIME = (
    r"(?:[ t]+(?:pukul|jam|pkl\.?)?\s*(?P<h>\d{1,2})[:.](?P<mi>\d{2})"
    r"(?:[:.](?P<s>\d{2})(?:\.\d+)?)?(?:\s*(?:wib|wita|wit))?)?"
)
_NUMERIC = re.compile(
    r"(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{2}|\d{4})" + _TIME, re.ASCII
)
_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME, re.ASCII)
_NAMED = re.compile(
    r"(?P<d>\d{1,2})[\s./-]*(?P<name>[a-z']+)\.?[\s./-]*(?P<y>\d{4}|\d{2})" + _TIME, re.ASCII
)
_SERIAL = re.compile(r"(?P<days>\d{5})(?:[.,](?P<fraction>\d+))?", re.ASCII)
_WEEKDAY_PREFIX = re.compile(r"^(?:" + "|".join(re.escape(w) for w in WEEKDAYS) + r")\s*,?\s*")


def _shown(value, limit=40):
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class DateError(ValueError):
    """A cell that is no date; `shown` is its text, cut to 40 characters, for the message
    the import writes at its row and column (in the page's language)."""

    def __init__(self, value):
        self.shown = _shown(value)
        super().__init__(f"not a date: {self.shown!r}")


def _error(value):
    return DateError(value)


def _year(text):
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _time(match):
    if match.group("h") is None:
        return None
    return datetime.time(int(match.group("h")), int(match.group("mi")), int(match.group("s") or 0))


def _excel(days, fraction=0.0):
    """An Excel serial date (1900 date system, as every Indonesian office's Excel uses)."""
    if not EXCEL_FIRST <= days <= EXCEL_LAST:
        raise ValueError
    # Serial 60 is the 29 February 1900 that never was: every serial above it is one day
    # ahead, hence 30 December 1899 as day 0.
    moment = datetime.datetime(1899, 12, 30) + datetime.timedelta(days=days + fraction)
    moment = moment.replace(microsecond=0)
    time = moment.time() if fraction else None
    return moment.date(), time


def parse_moment(value):
    """(date, time or None) of a cell; None for a blank cell; ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        time = value.time() if value.time() != datetime.time(0) else None
        return value.date(), time
    if isinstance(value, datetime.date):
        return value, None
    if isinstance(value, bool):
        raise _error(value)
    if isinstance(value, int | float):
        try:
            whole = int(value)
            return _excel(whole, float(value) - whole)
        except (ValueError, OverflowError):
            raise _error(value) from None
    return _parse_text(str(value))


@functools.lru_cache(maxsize=8192)
def _parse_text(value):
    """`parse_moment` of a text; a log repeats its dates thousands of times, so the answers
    are remembered."""
    text = " ".join(value.split()).lower()
    if not text:
        return None
    text = _WEEKDAY_PREFIX.sub("", text)
    try:
        if match := _SERIAL.fullmatch(text):
            fraction = float("0." + match.group("fraction")) if match.group("fraction") else 0.0
            return _excel(int(match.group("days")), fraction)
        if match := _ISO.fullmatch(text):
            day = datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
            return day, _time(match)
        if match := _NUMERIC.fullmatch(text):
            day = datetime.date(_year(match["y"]), int(match["m"]), int(match["d"]))
            return day, _time(match)
        if (match := _NAMED.fullmatch(text)) and match["name"] in MONTHS:
            day = datetime.date(_year(match["y"]), MONTHS[match["name"]], int(match["d"]))
            return day, _time(match)
    except ValueError:  # 31/02/2023, 25:00
        raise _error(value) from None
    raise _error(value)


def parse_date(value):
    """The date of a cell (any time in it dropped); None for a blank cell; ValueError
    otherwise."""
    moment = parse_moment(value)
    return None if moment is None else moment[0]
