"""Indonesian number notation: reading what office staff type and writing figures as their
documents do.

Indonesian writes a decimal comma and groups thousands with dots: 1.234,5 is one thousand two
hundred thirty-four and a half; 87,28 is a percentage. Big sums take a scale word: 18,605 T
(triliun, 10^12), 250 M (miliar, 10^9), 1,5 jt (juta, 10^6).

- :func:`parse_id_number` reads such text into a ``Decimal`` (forms, imported workbooks);
- :func:`format_id_number` writes a number that way, rounded half up;
- :func:`scaled` picks the scale word for a big sum (chart axes, the money filter);
- :func:`nice_ticks` gives a chart axis its ticks at round values (0, 5 T, 10 T, ...);
- :func:`to_decimal` turns the numbers code passes around (``int``, ``str`` in Python
  notation, ``Decimal``, ``Fraction``) into a ``Decimal``; :func:`round_half_up` rounds for
  display only.

No Django and no database here. Messages of errors a user can cause (an unparsable number)
are in Indonesian, since forms show them.
"""

from __future__ import annotations

import re
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Decimal,
    InvalidOperation,
    localcontext,
)
from fractions import Fraction

# Working precision for divisions (significant digits), fixed here so that a caller's decimal
# context cannot change results; 28 keeps the cents of money in the trillions many times over.
PRECISION = 28


def to_decimal(value, what: str = "nilai") -> Decimal:
    """Convert int/str/Decimal/Fraction (or float, via its str) to a finite Decimal.

    A ``str`` is Python notation ("87.28"); text typed by users in Indonesian notation must go
    through :func:`parse_id_number`. A ``Fraction`` is divided out to 28 significant digits,
    exactly when it terminates, so 8831/100 stays 88.31. ``None`` and ``bool`` are rejected
    with TypeError: they are programming mistakes, not data.
    """
    if value is None or isinstance(value, bool):
        raise TypeError(f"{what}: expected a number, got {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, Fraction):
        with localcontext(prec=PRECISION):
            result = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        try:
            result = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(
                f"{what}: {value!r} bukan angka (gunakan parse_id_number untuk notasi Indonesia)"
            ) from None
    if not result.is_finite():
        raise ValueError(f"{what}: {value!r} bukan angka yang terhingga")
    return result


def round_half_up(d, places: int = 2) -> Decimal | None:
    """Round a number half up for display (66,665 -> 66,67); ``None`` passes through."""
    if d is None:
        return None
    value = to_decimal(d)
    if places < 0:
        raise ValueError("places must be >= 0")
    with localcontext(prec=max(PRECISION, value.adjusted() + 2) + places):
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_id_number(d, places: int = 2) -> str:
    """Format a number in Indonesian notation, rounded half up: 1234.5 -> "1.234,50".

    ``places=0`` gives no decimal comma. A value that rounds to zero shows no minus sign.
    """
    value = round_half_up(to_decimal(d), places)
    if value == 0:
        value = abs(value)
    english = format(value, f",.{places}f")
    return english.translate(str.maketrans({",": ".", ".": ","}))


def format_id_exact(value: Decimal) -> str:
    """Every digit of a Decimal with a decimal comma, no grouping, no rounding (for messages)."""
    return format(value, "f").replace(".", ",")


# --------------------------------------------------------------------------- scale words

# How the office writes big sums: 18,605 T (triliun), 250 M (miliar), 1,5 jt (juta).
SCALE_SUFFIXES = ((12, "T"), (9, "M"), (6, "jt"))


def scaled(value, smallest="jt"):
    """(value / 10^n, suffix) for the largest scale word that fits, down to `smallest`;
    None when the value is smaller than that."""
    value = Decimal(value)
    for exponent, suffix in SCALE_SUFFIXES:
        if abs(value) >= Decimal(10) ** exponent:
            return value.scaleb(-exponent), suffix
        if suffix == smallest:
            break
    return None


# --------------------------------------------------------------------------- chart axes

# The round steps of an axis: 1, 2, 2,5 or 5 times a power of ten.
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


def nice_ticks(low, high, count=5) -> list[Decimal]:
    """Axis ticks at round values from `low` or below to `high` or above, about `count` of
    them: nice_ticks(0, 18.605e12) gives 0, 5, 10, 15 and 20 T; nice_ticks(0, 4) 0 to 4.

    The step is the smallest of 1, 2, 2,5 or 5 × 10^k that spreads the range over `count - 1`
    intervals, so there may be a tick or two fewer (never a gap in the data). A single value
    gets an axis from 0 to it, and nothing at all (0) the axis 0 to 1. Whole ticks are whole
    Decimals (20, not 2.0E+1); others have their own digits (0.25).
    """
    low, high = to_decimal(low), to_decimal(high)
    low, high = min(low, high), max(low, high)
    if low == high:  # one value: the axis runs from 0 to it (0 to 1 for nothing at all)
        low, high = min(low, 0), max(high, 0) if high else Decimal(1)
    with localcontext(prec=PRECISION):
        raw = (high - low) / max(count - 1, 1)
        magnitude = Decimal(1).scaleb(raw.adjusted())
        step = next(m * magnitude for m in NICE_STEPS if m * magnitude >= raw)
        first = (low / step).to_integral_value(rounding=ROUND_FLOOR)
        last = (high / step).to_integral_value(rounding=ROUND_CEILING)
        if last == first:
            last += 1
        ticks = [(first + i) * step for i in range(int(last - first) + 1)]
    return [t.quantize(Decimal(1)) if t == t.to_integral_value() else t.normalize() for t in ticks]


# --------------------------------------------------------------------------- parsing

# The scale words a user may type, with their power of ten.
_MULTIPLIERS = {
    "t": 12,
    "triliun": 12,
    "m": 9,
    "miliar": 9,
    "milyar": 9,
    "jt": 6,
    "juta": 6,
}

# A dot followed by exactly three digits groups thousands (the first group 1-3 digits, not
# starting with 0); a plain integer may instead take a dot followed by 1-2 or 4+ digits as a
# decimal point ("12.5"). A decimal comma may follow either form; ",-" is the money style
# "Rp 5.000,-" (no decimals).
_NUMBER_RE = re.compile(
    r"""
    (?P<sign1>[+-])?\s*
    (?:rp\.?\s*)?
    (?P<sign2>[+-])?
    (?:
        (?P<grouped>[1-9][0-9]{0,2}(?:\.[0-9]{3})+)
        (?:,(?P<gfrac>[0-9]+)|,-)?
      |
        (?P<plain>[0-9]+)
        (?:,(?P<pfrac>[0-9]+)|,-|\.(?P<dotfrac>[0-9]{1,2}|[0-9]{4,}))?
    )
    (?:\s*(?P<suffix>triliun|t|miliar|milyar|m|juta|jt))?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_MAX_INPUT_LENGTH = 100


def _invalid_number(text) -> ValueError:
    return ValueError(f"Bukan angka yang sah: {text!r}. Contoh: 87,28 atau 1.234,5 atau 3,721 T.")


def parse_id_number(text: str) -> Decimal:
    """Parse a number in Indonesian notation, as office staff type it.

    Accepted: decimal comma ("87,28"), thousands dots ("8.000", "18.605.000.000.000",
    "1.234,5"), a dot that is not followed by exactly three digits as a decimal point
    ("12.5"), a sign ("-3"), an optional "Rp"/"Rp." prefix, the money style ",-"
    ("Rp 5.000,-") and a scale word, case-insensitive, with or without a space: T/triliun
    (10^12), M/miliar/milyar (10^9), jt/juta (10^6), so "3,721 T" is 3721000000000.

    Ambiguous or malformed text raises ValueError with an Indonesian message, e.g. "1,2,3",
    "1.23.4", "1234.567", "0.500" (a three-digit group after a dot must group thousands),
    English "1,234.5", "", "12 X".
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_id_number expects text, got {type(text).__name__}")
    stripped = text.strip()
    if len(stripped) > _MAX_INPUT_LENGTH:
        raise _invalid_number(text)
    match = _NUMBER_RE.fullmatch(stripped)
    if match is None or (match["sign1"] and match["sign2"]):
        raise _invalid_number(text)

    if match["grouped"] is not None:
        integer = match["grouped"].replace(".", "")
        fraction = match["gfrac"]
    else:
        integer = match["plain"]
        fraction = match["pfrac"] or match["dotfrac"]
    digits = integer + ("." + fraction if fraction else "")
    negative = (match["sign1"] or match["sign2"]) == "-"

    with localcontext(prec=PRECISION * 4):
        value = Decimal(digits)
        suffix = match["suffix"]
        if suffix:
            value = value * Decimal(10) ** _MULTIPLIERS[suffix.lower()]
            value = (
                value.quantize(Decimal(1))
                if value == value.to_integral_value()
                else value.normalize()
            )
        if negative and value != 0:
            value = -value
    return value
