"""The result of a realisation against its target, from rows already loaded.

`evaluate()` takes an indicator with its targets and realisations (prefetched by the caller,
so a page of many indicators costs a fixed number of queries) and applies the plain
functions of `scoring`. Every page, report and export gets its figures from here.
"""

from dataclasses import dataclass
from decimal import Decimal

from . import scoring
from .models import AchievementCategory, Indicator, Target
from .periods import (
    MONTHS,
    QUARTER_NUMBERS,
    QUARTERS,
    Period,
    months_of_quarter,
    period_quarter,
    quarter_code,
)


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
    # The Target row when it was revised after its period was reported (its original and
    # the basis of the revision are on it), else None.
    revision: Target | None = None


def category_scale():
    return list(AchievementCategory.objects.order_by("-min_percent"))


def categorise(pct, scale):
    """The AchievementCategory of `scale` that `pct` falls in, by `scoring.categorise`."""
    label = scoring.categorise(pct, [(category.min_percent, category.label) for category in scale])
    return next((category for category in scale if category.label == label), None)


def _by_period(rows):
    return {row.period: row for row in rows}


def targets_of(indicator):
    """The indicator's targets: plain rows attached by a bulk loader, else the prefetch."""
    rows = getattr(indicator, "plain_targets", None)
    return indicator.targets.all() if rows is None else rows


def realisations_of(indicator):
    rows = getattr(indicator, "plain_realisations", None)
    return indicator.realisations.all() if rows is None else rows


def _realised(indicator, period, values):
    """The figure to hold against the target of `period`."""
    how = indicator.aggregation
    monthly = indicator.frequency == Indicator.Frequency.MONTHLY
    if period in QUARTERS and monthly:
        months = months_of_quarter(period_quarter(period))
        return scoring.combine([values.get(m) for m in months], how)
    if period in QUARTERS and indicator.cumulative:
        if values.get(period) is None:
            return None  # nothing reported for this quarter yet
        by_quarter = {q: values.get(quarter_code(q)) for q in QUARTER_NUMBERS}
        return scoring.year_to_date(by_quarter, period_quarter(period), how)
    if period == Period.YEAR and indicator.frequency != Indicator.Frequency.YEARLY:
        parts = MONTHS if monthly else QUARTERS
        return scoring.combine([values.get(p) for p in parts], how)
    return values.get(period)


def _target_row(targets, period):
    """The target (row) a period is held against, from targets keyed by period."""
    if period in MONTHS:
        # A monthly figure is held against its quarter's target (a service level).
        return targets.get(quarter_code(period_quarter(period)))
    return targets.get(period)


def target_of(indicator, period):
    """The target value a period is held against, or None (rows already loaded)."""
    row = _target_row(_by_period(targets_of(indicator)), period)
    return row.value if row else None


def evaluate(indicator, period, scale, value=None, use_value=False):
    """The result for one period. `value` replaces the stored figure of that period
    (the entry form's preview) when `use_value` is true."""
    targets = _by_period(targets_of(indicator))
    values = {row.period: row.value for row in realisations_of(indicator)}
    if use_value:
        values[period] = value

    target_row = _target_row(targets, period)
    target = target_row.value if target_row else None
    upper = target_row.upper if target_row else None
    # Plain rows (the comparison's) carry no revision.
    revision = target_row if getattr(target_row, "revised_at", None) else None

    realised = _realised(indicator, period, values)
    if realised is None or target is None:
        return Result(target=target, target_upper=upper, realised=realised, revision=revision)

    if indicator.kind == Indicator.Kind.INDEX:
        # The target is a band number: the capaian is measured against where that band starts.
        band = scoring.index_band(realised)
        nilai = int(target)
        floor = scoring.band_floor(nilai)
        if floor is None:
            return Result(target=target, realised=realised, band=band, revision=revision)
        pct = scoring.achievement(target=floor, realisation=realised)
        return Result(
            target=target,
            realised=realised,
            achievement=pct,
            band=band,
            met=scoring.index_target_met(realised_value=realised, target_nilai=nilai),
            category=categorise(pct, scale),
            revision=revision,
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
        revision=revision,
    )
