"""The result of a realisation against its target, from rows already loaded.

`evaluate()` takes an indicator with its targets and realisations (prefetched by the caller,
so a page of many indicators costs a fixed number of queries) and applies the plain
functions of `scoring`. Every page, report and export gets its figures from here.
"""

from dataclasses import dataclass
from decimal import Decimal

from . import periods, scoring
from .models import AchievementCategory, Indicator, Target


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


class Scale(list):
    """The achievement categories (highest first), with the category of each capaian kept
    once found: a page of thousands of cells has a handful of distinct capaian."""

    def __init__(self, categories):
        super().__init__(categories)
        self.found = {}


def category_scale():
    return Scale(AchievementCategory.objects.order_by("-min_percent"))


def categorise(pct, scale):
    """The AchievementCategory of `scale` that `pct` falls in, by `scoring.categorise`."""
    found = getattr(scale, "found", None)
    if found is not None and pct in found:
        return found[pct]
    label = scoring.categorise(pct, [(category.min_percent, category.label) for category in scale])
    category = next((category for category in scale if category.label == label), None)
    if found is not None:
        found[pct] = category
    return category


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
    """The figure to hold against the target of `period`: the stored value of one of the
    indicator's own periods (year to date when its target is cumulative), or its periods
    within a longer `period` combined by its aggregation rule (a monthly indicator's TW 2 is
    April-June; a quarterly indicator's year is TW 1-4)."""
    how = indicator.aggregation
    own = indicator.period_kind
    if periods.kind(period) == own:
        if indicator.cumulative and own != periods.YEAR:
            if values.get(period) is None:
                return None  # nothing reported for this period yet
            return scoring.combine([values.get(p) for p in periods.up_to(period, own)], how)
        return values.get(period)
    return scoring.combine([values.get(p) for p in periods.within(period, own)], how)


class _Combined:
    """A target made of the targets of the periods within a longer one (a quarter of a
    monthly indicator with a target per month)."""

    revised_at = None

    def __init__(self, value, upper):
        self.value, self.upper = value, upper


def _target_row(indicator, targets, period):
    """The target (row) a period is held against, from targets keyed by period:

    1. the target written for that very period;
    2. for a period longer than the indicator's own (a monthly indicator's quarter): its
       own periods' targets within it, combined by the aggregation rule, when all are there;
    3. for a figure that is a level rather than a total (aggregation average or last, or a
       per-event service level): the target of the shortest written period that holds it,
       so a month is held against its quarter's "≤ 3 hari" (a total over a month is never
       held against a quarter's or a year's total).
    """
    row = targets.get(period)
    if row is not None:
        return row
    own = indicator.period_kind
    if periods.longer(periods.kind(period), own):
        parts = [targets.get(p) for p in periods.within(period, own)]
        if parts and all(parts):
            upper = [p.upper for p in parts]
            return _Combined(
                scoring.combine([p.value for p in parts], indicator.aggregation),
                None if None in upper else scoring.combine(upper, indicator.aggregation),
            )
    if indicator.aggregation != scoring.Aggregation.SUM or indicator.frequency == "per_event":
        for longer_kind in periods.KINDS:
            if periods.longer(longer_kind, periods.kind(period)):
                row = targets.get(periods.enclosing(period, longer_kind))
                if row is not None:
                    return row
    return None


def target_of(indicator, period):
    """The target value a period is held against, or None (rows already loaded)."""
    row = _target_row(indicator, _by_period(targets_of(indicator)), period)
    return row.value if row else None


def evaluate(indicator, period, scale, value=None, use_value=False):
    """The result for one period. `value` replaces the stored figure of that period
    (the entry form's preview) when `use_value` is true."""
    targets = _by_period(targets_of(indicator))
    values = {row.period: row.value for row in realisations_of(indicator)}
    if use_value:
        values[period] = value

    target_row = _target_row(indicator, targets, period)
    target = target_row.value if target_row else None
    upper = target_row.upper if target_row else None
    # Plain rows (the comparison's) carry no revision.
    revision = target_row if getattr(target_row, "revised_at", None) else None

    realised = _realised(indicator, period, values)
    if realised is None or target is None:
        return Result(target=target, target_upper=upper, realised=realised, revision=revision)

    if indicator.kind == Indicator.Kind.INDEX:
        # A band 1-4 or a value 25-100: the capaian is measured against the band's start or
        # the value (`scoring.index_result`).
        try:
            band = scoring.index_band(realised)
            pct, met = scoring.index_result(realised_value=realised, target=target)
        except ValueError:  # a target neither a band nor on the scale (refused on entry)
            return Result(target=target, realised=realised, revision=revision)
        return Result(
            target=target,
            realised=realised,
            achievement=pct,
            band=band,
            met=met,
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
