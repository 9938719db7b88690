"""Pure scoring rules: IKM bands, achievement (capaian), quarter aggregation, categories,
and Indonesian number notation.

No Django and no database here: every function takes plain values and returns plain values,
so the rules can be tested on their own and reused by views, exports and management commands.

Numbers are ``Decimal`` throughout. Inputs may be ``int``, ``str`` (Python notation, e.g.
``"87.28"``), ``Decimal`` or ``fractions.Fraction``; they are converted with
``Decimal(str(x))`` (a ``Fraction`` is divided out to 28 significant digits, exactly when it
terminates, so 8831/100 stays 88.31). Text typed by users in Indonesian
notation (``"87,28"``, ``"3,721 T"``) must go through :func:`parse_id_number` first.

Nothing is rounded inside the rules; :func:`round_pct` and :func:`format_id_number` round
half up for display only.

Messages of errors a user can cause (an out-of-range index value, an unparsable number) are
in Indonesian, since forms show them; errors that only a programming mistake can cause
(an unknown polarity or scale name) are in English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

__all__ = [
    "DEFAULT_CATEGORY_SCALE",
    "Aggregation",
    "Band",
    "Category",
    "IndexScale",
    "Polarity",
    "achievement",
    "categorise",
    "combine",
    "format_id_number",
    "index_band",
    "index_target_met",
    "parse_id_number",
    "quarter_achievement",
    "round_pct",
    "to_konversi",
    "year_to_date",
]

HUNDRED = Decimal(100)
ZERO = Decimal(0)

# Working precision for divisions (significant digits), fixed here so that a caller's decimal
# context cannot change results; 28 keeps the cents of money in the trillions many times over.
_PRECISION = 28

QUARTERS = (1, 2, 3, 4)


# --------------------------------------------------------------------------- helpers


def _to_decimal(value, what: str = "nilai") -> Decimal:
    """Convert int/str/Decimal/Fraction (or float, via its str) to a finite Decimal.

    ``None`` and ``bool`` are rejected with TypeError: they are programming mistakes, not data.
    """
    if value is None or isinstance(value, bool):
        raise TypeError(f"{what}: expected a number, got {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, Fraction):
        with localcontext(prec=_PRECISION):
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


def _id_plain(value: Decimal) -> str:
    """A Decimal for an error message, with a decimal comma and no rounding."""
    return format(value, "f").replace(".", ",")


def round_pct(d, places: int = 2) -> Decimal | None:
    """Round a percentage (or any number) half up for display; ``None`` passes through."""
    if d is None:
        return None
    value = _to_decimal(d)
    if places < 0:
        raise ValueError("places must be >= 0")
    with localcontext(prec=max(_PRECISION, value.adjusted() + 2) + places):
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- IKM bands


class IndexScale(StrEnum):
    KONVERSI = "konversi"  # 25-100 (NIK)
    INTERVAL = "interval"  # 1-4 (NI)


@dataclass(frozen=True)
class Band:
    """A band of the Permenpan RB 14/2017 table: nilai persepsi, mutu and kinerja."""

    nilai: int
    mutu: str
    kinerja: str


BAND_A = Band(4, "A", "Sangat Baik")
BAND_B = Band(3, "B", "Baik")
BAND_C = Band(2, "C", "Kurang Baik")
BAND_D = Band(1, "D", "Tidak Baik")

# Lower bounds on the konversi value, highest first. The published table leaves gaps
# (76,60 | 76,61 and 88,30 | 88,31); classifying by lower bounds closes them downwards.
_BAND_LOWER_BOUNDS: tuple[tuple[Decimal, Band], ...] = (
    (Decimal("88.31"), BAND_A),
    (Decimal("76.61"), BAND_B),
    (Decimal("65.00"), BAND_C),
)

_SCALE_RANGES = {
    IndexScale.KONVERSI: (Decimal(25), Decimal(100)),
    IndexScale.INTERVAL: (Decimal(1), Decimal(4)),
}
_INTERVAL_TO_KONVERSI = Decimal(25)


def to_konversi(value, scale: str = IndexScale.KONVERSI) -> Decimal:
    """Return the 25-100 (konversi) value of an IKM given on ``scale``.

    ``scale="konversi"``: ``value`` is already 25-100 and is returned as a Decimal.
    ``scale="interval"``: ``value`` is 1-4 and is multiplied by 25 (exactly).
    Values outside the scale's range raise ValueError.
    """
    scale = IndexScale(scale)
    number = _to_decimal(value, "nilai IKM")
    low, high = _SCALE_RANGES[scale]
    if not low <= number <= high:
        raise ValueError(
            f"Nilai IKM skala {scale.value} harus antara {_id_plain(low)} dan "
            f"{_id_plain(high)}; diterima {_id_plain(number)}."
        )
    if scale is IndexScale.INTERVAL:
        return number * _INTERVAL_TO_KONVERSI
    return number


def index_band(value, scale: str = IndexScale.KONVERSI) -> Band:
    """Classify an IKM value into its band (nilai 1-4, mutu A-D, kinerja).

    Classification is on the exact konversi value (an interval value is multiplied by 25)
    by the table's lower bounds: >= 88,31 A; >= 76,61 B; >= 65,00 C; otherwise D.
    So 88,31 is A, and 76,605 (in the published gap) is C. The value is not rounded first:
    a caller that prints 76,605 rounded as "76,61" still gets C for it.
    """
    konversi = to_konversi(value, scale)
    for lower_bound, band in _BAND_LOWER_BOUNDS:
        if konversi >= lower_bound:
            return band
    return BAND_D


def index_target_met(*, realised_value, target_nilai, scale: str = IndexScale.KONVERSI) -> bool:
    """True when the realised IKM's band (nilai 1-4) reaches ``target_nilai``.

    ``target_nilai`` is the band number written as the target ("TW 1 : 4" means band 4) and
    must be a whole number 1-4. A missing realisation (``None``) has not met the target.
    """
    target = _to_decimal(target_nilai, "target nilai persepsi")
    if target != target.to_integral_value() or not 1 <= target <= 4:
        raise ValueError(
            f"Target nilai persepsi harus bilangan bulat 1-4; diterima {_id_plain(target)}."
        )
    if realised_value is None:
        return False
    return index_band(realised_value, scale).nilai >= int(target)


# --------------------------------------------------------------------------- achievement


class Polarity(StrEnum):
    HIGHER = "higher"  # makin tinggi makin baik
    LOWER = "lower"  # makin rendah makin baik


class Aggregation(StrEnum):
    SUM = "sum"
    AVERAGE = "average"
    LAST = "last"


def _ratio(realisation: Decimal, reference: Decimal, polarity: Polarity) -> Decimal:
    with localcontext(prec=_PRECISION):
        if polarity is Polarity.HIGHER:
            return realisation * HUNDRED / reference
        pct = (2 * reference - realisation) * HUNDRED / reference
        return max(ZERO, pct)


def achievement(*, target, realisation, polarity: str = Polarity.HIGHER, upper=None):
    """Capaian in percent (unrounded Decimal), or ``None`` when not applicable.

    - higher is better: R / T x 100;
    - lower is better: (2T - R) / T x 100, clamped at 0 (never negative);
    - a range target (``target`` = lower bound, ``upper`` = upper bound): inside the range
      (bounds included) the capaian is 100; above it the formula of the polarity uses the
      upper bound as T, below it the lower bound.

    Not applicable (``None``): a missing target or realisation; a zero target (nothing is due
    that quarter, never a division error). For a range, only the bound actually used as the
    divisor matters: the range 0..2 is a real target (inside it scores 100, above it is
    measured against 2); only a realisation outside the range beside a zero bound gives None.

    A negative target or an upper bound below the lower bound raises ValueError.
    Higher-is-better capaian is not clamped (a negative realisation gives a negative %).
    """
    polarity = Polarity(polarity)
    if target is None or realisation is None:
        return None
    t = _to_decimal(target, "target")
    r = _to_decimal(realisation, "realisasi")
    if t < 0:
        raise ValueError(f"Target tidak boleh negatif; diterima {_id_plain(t)}.")
    if upper is None:
        if t == 0:
            return None
        return _ratio(r, t, polarity)

    u = _to_decimal(upper, "batas atas target")
    if u < t:
        raise ValueError(
            f"Batas atas target ({_id_plain(u)}) lebih kecil dari batas bawah ({_id_plain(t)})."
        )
    if t <= r <= u:
        return HUNDRED
    reference = u if r > u else t
    if reference == 0:
        return None
    return _ratio(r, reference, polarity)


# --------------------------------------------------------------------------- quarters


def combine(values: Iterable, how: str = Aggregation.SUM) -> Decimal | None:
    """Combine period values: "sum", "average" or "last" (the last non-None value).

    ``None`` entries (missing quarters) are skipped; nothing left gives ``None``.
    """
    how = Aggregation(how)
    present = [_to_decimal(v) for v in values if v is not None]
    if not present:
        return None
    if how is Aggregation.LAST:
        return present[-1]
    with localcontext(prec=_PRECISION):
        total = sum(present, ZERO)
        if how is Aggregation.SUM:
            return total
        return total / len(present)


def _check_quarter(quarter) -> int:
    if isinstance(quarter, bool) or not isinstance(quarter, int) or quarter not in QUARTERS:
        raise ValueError(f"Triwulan harus 1-4; diterima {quarter!r}.")
    return quarter


def year_to_date(values_by_quarter: Mapping | None, quarter: int, how: str = Aggregation.SUM):
    """Combine the values of quarters 1..``quarter`` (missing keys and ``None`` are skipped)."""
    quarter = _check_quarter(quarter)
    values_by_quarter = values_by_quarter or {}
    return combine((values_by_quarter.get(q) for q in range(1, quarter + 1)), how)


def quarter_achievement(
    *,
    quarter: int,
    targets: Mapping | None,
    realisations: Mapping | None,
    polarity: str = Polarity.HIGHER,
    cumulative: bool = False,
    aggregation: str = Aggregation.SUM,
    upper=None,
):
    """Capaian of TW ``quarter`` (unrounded Decimal percent) or ``None`` if not applicable.

    ``targets`` and ``realisations`` map quarter numbers 1-4 to values (missing or ``None``).

    - per-quarter indicator: the quarter's realisation against the quarter's target;
    - cumulative indicator: the TW targets are already year to date, so the target of TW n is
      compared with the realisation to date, i.e. ``year_to_date(realisations, n,
      aggregation)`` (quarters without a realisation are skipped).

    ``upper`` (range targets) is either one value for every quarter or a mapping per quarter,
    read like ``targets``.
    """
    quarter = _check_quarter(quarter)
    targets = targets or {}
    realisations = realisations or {}
    target = targets.get(quarter)
    if cumulative:
        realised = year_to_date(realisations, quarter, aggregation)
    else:
        Aggregation(aggregation)  # validate even when unused
        realised = realisations.get(quarter)
    upper_bound = upper.get(quarter) if isinstance(upper, Mapping) else upper
    return achievement(target=target, realisation=realised, polarity=polarity, upper=upper_bound)


# --------------------------------------------------------------------------- categories


class Category(NamedTuple):
    """One step of an achievement category scale: from ``min_percent`` (inclusive) up."""

    min_percent: Decimal
    label: str


DEFAULT_CATEGORY_SCALE: tuple[Category, ...] = (
    Category(Decimal(91), "Sangat Baik"),
    Category(Decimal(76), "Baik"),
    Category(Decimal(66), "Cukup"),
    Category(Decimal(51), "Kurang"),
    Category(Decimal(0), "Sangat Kurang"),
)


def categorise(pct, scale: Sequence = DEFAULT_CATEGORY_SCALE) -> str | None:
    """Label of the highest ``min_percent`` that is <= ``pct``.

    ``scale`` is data: any sequence of ``(min_percent, label)`` pairs in any order (regions use
    different scales). Classification is by lower bounds only, so values between the
    published whole-number ranges go down: with the default scale (>= 91 Sangat Baik, 76-90
    Baik, 66-75 Cukup, 51-65 Kurang, <= 50 Sangat Kurang) 90,5 is "Baik" and 50,5 is
    "Sangat Kurang". ``None`` (not applicable) or a value below every bound gives ``None``.
    Two steps with the same bound raise ValueError.
    """
    if pct is None:
        return None
    value = _to_decimal(pct, "capaian")
    steps = sorted(
        (Category(_to_decimal(bound, "batas kategori"), str(label)) for bound, label in scale),
        key=lambda step: step.min_percent,
        reverse=True,
    )
    bounds = [step.min_percent for step in steps]
    if len(set(bounds)) != len(bounds):
        raise ValueError("Skala kategori memuat batas bawah yang sama lebih dari sekali.")
    for step in steps:
        if value >= step.min_percent:
            return step.label
    return None


# --------------------------------------------------------------------------- Indonesian notation

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

    with localcontext(prec=_PRECISION * 4):
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


def format_id_number(d, places: int = 2) -> str:
    """Format a number in Indonesian notation, rounded half up: 1234.5 -> "1.234,50".

    ``places=0`` gives no decimal comma. A value that rounds to zero shows no minus sign.
    """
    value = round_pct(_to_decimal(d), places)
    if value == 0:
        value = abs(value)
    english = format(value, f",.{places}f")
    return english.translate(str.maketrans({",": ".", ".": ","}))
