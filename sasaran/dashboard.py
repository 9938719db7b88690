"""The figures of the head of unit's dashboard and the parent unit's comparison.

Everything is computed from rows loaded in a fixed number of queries (`with_rows`), so the
pages cost the same whatever the number of indicators or units. What is due and what is late
is decided by `periods`, the same rule as Tugas saya.
"""

import datetime
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field

from django.db.models import F, Prefetch

from . import periods, results
from .models import Assignment, Indicator, Realisation, Target
from .periods import Period

Status = Realisation.Status
# From least to most advanced in the workflow (see `services`).
STATUS_ORDER = [Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.APPROVED]


def with_rows(indicators):
    """Indicators with their structure, targets and realisations: three queries in all."""
    return indicators.with_structure().prefetch_related(
        Prefetch("targets", queryset=Target.objects.all()),
        Prefetch("realisations", queryset=Realisation.objects.select_related("entered_by")),
    )


def period_for(indicator, quarter):
    """The period a quarter's dashboard shows for this indicator."""
    if indicator.frequency == Indicator.Frequency.YEARLY:
        return Period.YEAR
    return periods.quarter_code(quarter)


def reported_periods(indicator, period):
    """The periods whose entries make up `period` (three months for a monthly indicator)."""
    if indicator.frequency == Indicator.Frequency.MONTHLY and period in periods.QUARTERS:
        return periods.months_of_quarter(periods.period_quarter(period))
    return [period]


@dataclass
class Cell:
    indicator: Indicator
    period: str
    result: results.Result
    entries: list  # the Realisation rows (or None) of the reported periods
    due: bool
    deadline: datetime.date
    late: bool

    @property
    def period_label(self):
        return Period(self.period).label

    @property
    def missing(self):
        return self.due and any(e is None or e.value is None for e in self.entries)

    @property
    def status(self):
        """The least advanced workflow status of the entries, or None when one is missing."""
        if any(e is None for e in self.entries):
            return None
        return min((e.status for e in self.entries), key=STATUS_ORDER.index)

    @property
    def missed_without_follow_up(self):
        return self.result.met is False and not any(e and e.follow_up.strip() for e in self.entries)

    def get_status_display(self):
        return Realisation.Status(self.status).label if self.status else None


def cell(indicator, quarter, scale, today, year, deadline_days):
    period = period_for(indicator, quarter)
    stored = {r.period: r for r in results.realisations_of(indicator)}
    entries = [stored.get(p) for p in reported_periods(indicator, period)]
    result = results.evaluate(indicator, period, scale)
    end = periods.period_end(year, period)
    deadline = periods.period_deadline(year, period, deadline_days)
    unfinished = any(e is None or e.status in Realisation.EDITABLE for e in entries)
    due = periods.is_due(end=end, target=result.target, today=today)
    late = periods.is_late(
        deadline=deadline, unfinished=unfinished, target=result.target, today=today
    )
    return Cell(indicator, period, result, entries, due, deadline, late)


@dataclass
class Summary:
    met: int = 0
    missed: int = 0
    missing: int = 0
    not_applicable: int = 0
    late: int = 0
    missed_without_follow_up: list = field(default_factory=list)


def summarise(cells):
    summary = Summary()
    for c in cells:
        if c.result.met is True:
            summary.met += 1
        elif c.result.met is False:
            summary.missed += 1
        elif c.missing:
            summary.missing += 1
        else:
            summary.not_applicable += 1
        summary.late += c.late
        if c.missed_without_follow_up:
            summary.missed_without_follow_up.append(c)
    return summary


def completeness(cells, unit):
    """Per responsible position: how many periods due are entered, and who holds it."""
    holders = {}
    for a in Assignment.objects.filter(position__unit=unit).select_related("user"):
        holders.setdefault(a.position_id, []).append(a.user)
    rows = {}
    for c in cells:
        position = c.indicator.responsible_position
        row = rows.setdefault(
            position.pk,
            {
                "position": position,
                "due": 0,
                "entered": 0,
                "late": 0,
                "holders": holders.get(position.pk, []),
            },
        )
        if c.due:
            row["due"] += 1
            row["entered"] += not c.missing and c.status in (Status.SUBMITTED, Status.APPROVED)
            row["late"] += c.late
    for row in rows.values():
        row["complete"] = row["entered"] == row["due"]
    return sorted(rows.values(), key=lambda r: (r["complete"], r["position"].name))


def unit_dashboard(unit, year, quarter, today=None):
    today = today or periods.today()
    scale = results.category_scale()
    indicators = with_rows(Indicator.objects.for_year(unit, year))
    cells = [
        cell(ind, quarter, scale, today, year, unit.report_deadline_days) for ind in indicators
    ]
    sections = {}
    for c in cells:
        sections.setdefault(c.indicator.objective.section, []).append(c)
    return {
        "sections": sections,
        "summary": summarise(cells),
        "completeness": completeness(cells, unit),
    }


PlainTarget = namedtuple("PlainTarget", "period value upper")
PlainRealisation = namedtuple("PlainRealisation", "period value status follow_up")


def with_plain_rows(indicators):
    """Indicators of many units at once, with targets and realisations as plain tuples.

    A province holds thousands of indicators: model instances for every target and
    realisation (and prefetch bookkeeping) cost ten times more than these tuples.
    Three queries whatever the size.
    """
    ids = indicators.values("pk")
    indicators = list(
        indicators.annotate(unit_pk=F("objective__section__manual__unit_id")).only(
            "pk",
            "name",
            "kind",
            "frequency",
            "polarity",
            "aggregation",
            "cumulative",
            "objective_id",
        )
    )
    targets, realisations = defaultdict(list), defaultdict(list)
    for pk, *row in Target.objects.filter(indicator__in=ids).values_list(
        "indicator_id", "period", "value", "upper"
    ):
        targets[pk].append(PlainTarget(*row))
    for pk, *row in Realisation.objects.filter(indicator__in=ids).values_list(
        "indicator_id", "period", "value", "status", "follow_up"
    ):
        realisations[pk].append(PlainRealisation(*row))
    for indicator in indicators:
        indicator.plain_targets = targets[indicator.pk]
        indicator.plain_realisations = realisations[indicator.pk]
    return indicators


def unit_comparison(units, year, quarter, indicator_name=None, today=None):
    """Each unit's figures for the quarter, ranked: share of targets met, then mean capaian."""
    today = today or periods.today()
    scale = results.category_scale()
    indicators = Indicator.objects.filter(
        objective__section__manual__unit__in=units, objective__section__manual__year=year
    )
    names = sorted(set(indicators.values_list("name", flat=True)))
    if indicator_name:
        indicators = indicators.filter(name=indicator_name)
    deadline_days = {u.pk: u.report_deadline_days for u in units}
    by_unit = {u.pk: {"unit": u, "cells": []} for u in units}
    for ind in with_plain_rows(indicators):
        by_unit[ind.unit_pk]["cells"].append(
            cell(ind, quarter, scale, today, year, deadline_days[ind.unit_pk])
        )
    rows = []
    for entry in by_unit.values():
        summary = summarise(entry["cells"])
        scored = [c.result.achievement for c in entry["cells"] if c.result.achievement is not None]
        applicable = summary.met + summary.missed
        rows.append(
            {
                **entry,
                "summary": summary,
                "met_share": (100 * summary.met / applicable) if applicable else None,
                "mean_achievement": (sum(scored) / len(scored)) if scored else None,
                "cell": entry["cells"][0] if indicator_name and entry["cells"] else None,
            }
        )
    rows.sort(
        key=lambda r: (-(r["met_share"] or -1), -(r["mean_achievement"] or -1), r["unit"].name)
    )
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows, names
