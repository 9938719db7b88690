"""The result of a realisation against its target, from rows already loaded.

`evaluate()` takes an indicator with its targets and realisations (prefetched by the caller,
so a page of many indicators costs a fixed number of queries) and applies the plain
functions of `scoring`.
"""

from dataclasses import dataclass
from decimal import Decimal

from . import scoring
from .models import MONTHS, AchievementCategory, Indicator, Period, period_quarter

# The konversi value at which each nilai persepsi band starts (Permenpan 14/2017).
BAND_FLOOR = {1: Decimal("25"), 2: Decimal("65"), 3: Decimal("76.61"), 4: Decimal("88.31")}


@dataclass(frozen=True)
class Result:
    target: Decimal | None = None
    target_upper: Decimal | None = None
    realised: Decimal | None = (
        None  # the figure compared with the target (year to date if cumulative)
    )
    achievement: Decimal | None = None  # None: tidak berlaku
    band: scoring.Band | None = None
    met: bool | None = None
    category: AchievementCategory | None = None


def category_scale():
    return list(AchievementCategory.objects.order_by("-min_percent"))


def categorise(pct, scale):
    for category in scale:  # highest lower bound first
        if pct is not None and pct >= category.min_percent:
            return category
    return None


def _by_period(rows):
    return {row.period: row for row in rows}


def targets_of(indicator):
    """The indicator's targets: plain rows attached by a bulk loader, else the prefetch."""
    rows = getattr(indicator, "plain_targets", None)
    return indicator.targets.all() if rows is None else rows


def realisations_of(indicator):
    rows = getattr(indicator, "plain_realisations", None)
    return indicator.realisations.all() if rows is None else rows


def _months(quarter):
    first = (quarter - 1) * 3 + 1
    return [f"M{m:02d}" for m in range(first, first + 3)]


def _realised(indicator, period, values):
    """The figure to hold against the target of `period`."""
    how = indicator.aggregation
    monthly = indicator.frequency == Indicator.Frequency.MONTHLY
    if period.startswith("Q") and monthly:
        return scoring.combine([values.get(m) for m in _months(period_quarter(period))], how)
    if period.startswith("Q") and indicator.cumulative:
        if values.get(period) is None:
            return None  # nothing reported for this quarter yet
        quarter = period_quarter(period)
        by_quarter = {q: values.get(f"Q{q}") for q in range(1, quarter + 1)}
        return scoring.year_to_date(by_quarter, quarter, how)
    if period == Period.YEAR and indicator.frequency != Indicator.Frequency.YEARLY:
        parts = [m.value for m in MONTHS] if monthly else ["Q1", "Q2", "Q3", "Q4"]
        return scoring.combine([values.get(p) for p in parts], how)
    return values.get(period)


def evaluate(indicator, period, scale, value=None, use_value=False):
    """The result for one period. `value` replaces the stored figure of that period
    (the entry form's preview) when `use_value` is true."""
    targets = _by_period(targets_of(indicator))
    values = {row.period: row.value for row in realisations_of(indicator)}
    if use_value:
        values[period] = value

    target_row = targets.get(period)
    if period.startswith("M"):
        # A monthly figure is held against its quarter's target (a service level).
        target_row = targets.get(f"Q{period_quarter(period)}")
    target = target_row.value if target_row else None
    upper = target_row.upper if target_row else None

    realised = _realised(indicator, period, values)
    if realised is None or target is None:
        return Result(target=target, target_upper=upper, realised=realised)

    if indicator.kind == Indicator.Kind.INDEX:
        band = scoring.index_band(realised)
        nilai = int(target)
        if nilai not in BAND_FLOOR:
            return Result(target=target, realised=realised, band=band)
        pct = scoring.achievement(target=BAND_FLOOR[nilai], realisation=realised)
        return Result(
            target=target,
            realised=realised,
            achievement=pct,
            band=band,
            met=band.nilai >= nilai,
            category=categorise(pct, scale),
        )

    pct = scoring.achievement(
        target=target, realisation=realised, polarity=indicator.polarity, upper=upper
    )
    met = None if pct is None else pct >= 100
    return Result(
        target=target,
        target_upper=upper,
        realised=realised,
        achievement=pct,
        met=met,
        category=categorise(pct, scale),
    )
