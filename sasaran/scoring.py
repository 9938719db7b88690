"""Pure scoring rules, one of each: IKM bands, achievement (capaian), combining period
values, achievement categories.

No Django and no database here: every function takes plain values and returns plain values,
so the rules can be tested on their own. `results` applies them to an indicator's rows for
every page, report and export.

Numbers are ``Decimal`` throughout. Inputs may be ``int``, ``str`` (Python notation, e.g.
``"87.28"``), ``Decimal`` or ``fractions.Fraction``; they are converted by
:func:`sasaran.numbers.to_decimal`. Text typed by users in Indonesian notation
(``"87,28"``, ``"3,721 T"``) must go through :func:`sasaran.numbers.parse_id_number` first.

Nothing is rounded inside the rules; :func:`sasaran.numbers.round_half_up` and
:func:`sasaran.numbers.format_id_number` round half up for display only.

Messages of errors a user can cause (an out-of-range index value) are in Indonesian, since
forms show them; errors that only a programming mistake can cause (an unknown polarity or
scale name) are in English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum
from typing import NamedTuple

from .numbers import PRECISION, format_id_exact, to_decimal

__all__ = [
    "DEFAULT_CATEGORY_SCALE",
    "Aggregation",
    "Band",
    "Category",
    "IndexScale",
    "Polarity",
    "achievement",
    "band_floor",
    "categorise",
    "combine",
    "index_band",
    "index_target",
    "index_target_met",
    "IndexTarget",
    "check_whole",
    "to_konversi",
    "year_to_date",
]

HUNDRED = Decimal(100)
ZERO = Decimal(0)


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

# Where each band starts on the konversi scale (the only copy of these floors), highest
# first. The published table leaves gaps (76,60 | 76,61 and 88,30 | 88,31); classifying by
# lower bounds closes them downwards. Band D starts at the bottom of the scale.
_BAND_FLOORS: tuple[tuple[Decimal, Band], ...] = (
    (Decimal("88.31"), BAND_A),
    (Decimal("76.61"), BAND_B),
    (Decimal("65"), BAND_C),
    (Decimal("25"), BAND_D),
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
    number = to_decimal(value, "nilai IKM")
    low, high = _SCALE_RANGES[scale]
    if not low <= number <= high:
        raise ValueError(
            f"Nilai IKM skala {scale.value} harus antara {format_id_exact(low)} dan "
            f"{format_id_exact(high)}; diterima {format_id_exact(number)}."
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
    return next(band for floor, band in _BAND_FLOORS if konversi >= floor)


def band_floor(nilai: int) -> Decimal | None:
    """The konversi value where band ``nilai`` (1-4) starts; ``None`` for any other number.

    An index target is written as a band number ("TW 1 : 4"); its capaian is the realised
    value against the start of that band (realised 90 against band 4: 90 / 88,31 x 100).
    """
    return next((floor for floor, band in _BAND_FLOORS if band.nilai == nilai), None)


def index_target_met(*, realised_value, target_nilai, scale: str = IndexScale.KONVERSI) -> bool:
    """True when the realised IKM's band (nilai 1-4) reaches ``target_nilai``.

    ``target_nilai`` is the band number written as the target ("TW 1 : 4" means band 4) and
    must be a whole number 1-4. A missing realisation (``None``) has not met the target.
    """
    target = to_decimal(target_nilai, "target nilai persepsi")
    if target != target.to_integral_value() or not 1 <= target <= 4:
        raise ValueError(
            f"Target nilai persepsi harus bilangan bulat 1-4; diterima {format_id_exact(target)}."
        )
    if realised_value is None:
        return False
    return index_band(realised_value, scale).nilai >= int(target)


class IndexTarget(NamedTuple):
    """An index target as the document writes it: a band (``scale="interval"``, ``value``
    1-4: "4" means band A) or a value on the 25-100 scale (``scale="konversi"``: "IKM ≥ 84")."""

    scale: IndexScale
    value: Decimal

    @property
    def floor(self) -> Decimal:
        """The konversi value a realised IKM must reach to meet this target."""
        return band_floor(int(self.value)) if self.scale is IndexScale.INTERVAL else self.value


def index_target(value) -> IndexTarget:
    """Read an index target: a whole number 1-4 is a band, a value 25-100 is on the konversi
    scale. The two never overlap, so the written number says which it is; anything else
    raises ValueError (the form shows the message)."""
    number = to_decimal(value, "target indeks")
    if number == number.to_integral_value() and 1 <= number <= 4:
        return IndexTarget(IndexScale.INTERVAL, number)
    if 25 <= number <= 100:
        return IndexTarget(IndexScale.KONVERSI, number)
    raise ValueError(
        "Target indeks ditulis sebagai pita 1-4 (mis. 4 = A) atau nilai 25-100 (mis. 84); "
        f"diterima {format_id_exact(number)}."
    )


def index_result(*, realised_value, target) -> tuple[Decimal, bool]:
    """Capaian (unrounded %) and met of a realised IKM (konversi 25-100) against an index
    target written either way (`index_target`): the capaian is the realised value against the
    target's floor (a band's start, or the value itself); met when it reaches the floor, so
    88,30 misses both "4" and "88,31" and 88,31 meets both."""
    written = index_target(target)
    realised = to_konversi(realised_value)
    with localcontext(prec=PRECISION):
        pct = realised * HUNDRED / written.floor
    return pct, realised >= written.floor


# --------------------------------------------------------------------------- whole numbers


def check_whole(value) -> Decimal:
    """``value`` as a Decimal if it is a whole number, else ValueError: a count of things
    (vehicles, complaints) has no fractions, so 1.234,5 is a typing mistake."""
    number = to_decimal(value, "nilai")
    if number != number.to_integral_value():
        raise ValueError(
            f"Satuan indikator ini berupa jumlah: isikan bilangan bulat, bukan "
            f"{format_id_exact(number)}."
        )
    return number


# --------------------------------------------------------------------------- achievement


class Polarity(StrEnum):
    HIGHER = "higher"  # makin tinggi makin baik
    LOWER = "lower"  # makin rendah makin baik


class Aggregation(StrEnum):
    SUM = "sum"
    AVERAGE = "average"
    LAST = "last"


def _ratio(realisation: Decimal, reference: Decimal, polarity: Polarity) -> Decimal:
    with localcontext(prec=PRECISION):
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

    Not applicable (``None``): a missing target or realisation; a zero target where higher is
    better (nothing is due that quarter, never a division error).

    Zero tolerance: a zero target where lower is better ("0 % pungutan liar") is met by 0
    only: a realisation of 0 (or less) scores 100, anything above 0 scores 0.

    For a range, only the bound actually used as the
    divisor matters: the range 0..2 is a real target (inside it scores 100, above it is
    measured against 2); only a realisation outside the range beside a zero bound gives None.

    A negative target or an upper bound below the lower bound raises ValueError.
    Higher-is-better capaian is not clamped (a negative realisation gives a negative %).
    """
    polarity = Polarity(polarity)
    if target is None or realisation is None:
        return None
    t = to_decimal(target, "target")
    r = to_decimal(realisation, "realisasi")
    if t < 0:
        raise ValueError(f"Target tidak boleh negatif; diterima {format_id_exact(t)}.")
    if upper is None:
        if t == 0:
            if polarity is Polarity.LOWER:
                return HUNDRED if r <= 0 else ZERO
            return None
        return _ratio(r, t, polarity)

    u = to_decimal(upper, "batas atas target")
    if u < t:
        raise ValueError(
            f"Batas atas target ({format_id_exact(u)}) lebih kecil dari batas bawah "
            f"({format_id_exact(t)})."
        )
    if t <= r <= u:
        return HUNDRED
    reference = u if r > u else t
    if reference == 0:
        return None
    return _ratio(r, reference, polarity)


# --------------------------------------------------------------------------- combining periods


def combine(values: Iterable, how: str = Aggregation.SUM) -> Decimal | None:
    """Combine period values: "sum", "average" or "last" (the last non-None value).

    ``None`` entries (missing quarters) are skipped; nothing left gives ``None``.
    """
    how = Aggregation(how)
    present = [to_decimal(v) for v in values if v is not None]
    if not present:
        return None
    if how is Aggregation.LAST:
        return present[-1]
    with localcontext(prec=PRECISION):
        total = sum(present, ZERO)
        if how is Aggregation.SUM:
            return total
        return total / len(present)


def _check_quarter(quarter) -> int:
    if isinstance(quarter, bool) or not isinstance(quarter, int) or not 1 <= quarter <= 4:
        raise ValueError(f"Triwulan harus 1-4; diterima {quarter!r}.")
    return quarter


def year_to_date(values_by_quarter: Mapping | None, quarter: int, how: str = Aggregation.SUM):
    """Combine the values of quarters 1..``quarter`` (missing keys and ``None`` are skipped)."""
    quarter = _check_quarter(quarter)
    values_by_quarter = values_by_quarter or {}
    return combine((values_by_quarter.get(q) for q in range(1, quarter + 1)), how)


# --------------------------------------------------------------------------- categories


class Category(NamedTuple):
    """One step of an achievement category scale: from ``min_percent`` (inclusive) up."""

    min_percent: Decimal
    label: str


# The usual scale (the one the database starts with; the pages use the scale an admin keeps
# in AchievementCategory).
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
    value = to_decimal(pct, "capaian")
    steps = sorted(
        (Category(to_decimal(bound, "batas kategori"), str(label)) for bound, label in scale),
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
