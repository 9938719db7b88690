"""The figures of the head of unit's dashboard and the parent unit's comparison.

Everything is computed from rows loaded in a fixed number of queries (`with_rows`), so the
pages cost the same whatever the number of indicators or units. What is due and what is late
is decided by `periods`, the same rule as Tugas saya (which shows the same `Cell`s).

What each count means is decided once, by `count_of`: the dashboard, the comparison and
every report count with it, and `templates/sasaran/_count_legend.html` says it in words.
"""

import datetime
import functools
import hashlib
import uuid
from collections import defaultdict, namedtuple
from dataclasses import astuple, dataclass, field, replace
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils.translation import gettext_lazy as _

from . import periods, results
from .models import Assignment, Indicator, Realisation, Target
from .periods import Period

Status = Realisation.Status
# From least to most advanced in the workflow (see `services`).
STATUS_ORDER = [Status.DRAFT, Status.RETURNED, Status.SUBMITTED, Status.APPROVED]
# Only figures the officer has handed over count as met or missed.
COUNTED_STATUSES = (Status.SUBMITTED, Status.APPROVED)

# The counts: what `count_of` answers for a cell.
MET, MISSED, DRAFT, MISSING, NOT_APPLICABLE = "met", "missed", "draft", "missing", "not_applicable"
COUNT_LABELS = {
    MET: _("Tercapai"),
    MISSED: _("Tidak tercapai"),
    DRAFT: _("Draf"),
    MISSING: _("Belum ada data"),
    NOT_APPLICABLE: _("Tidak berlaku"),
}


def with_rows(indicators):
    """Indicators with their structure, targets and realisations: three queries in all."""
    return indicators.with_structure().prefetch_related(
        Prefetch("targets", queryset=Target.objects.all()),
        Prefetch("realisations", queryset=Realisation.objects.select_related("entered_by")),
    )


def view_period(view):
    """A dashboard's period as a code: a quarter number (1-4) becomes its TW."""
    return periods.quarter_code(view) if isinstance(view, int) else view


def period_for(indicator, view):
    """The period a dashboard of period `view` (a quarter, a semester or the year; a quarter
    number 1-4 is taken too) shows for this indicator: `view` itself when the indicator is
    measured in periods as short or shorter (a monthly indicator's quarter is its three
    months combined), else the indicator's own period that holds it (a semester indicator's
    semester in a quarter, a yearly indicator's year)."""
    view = view_period(view)
    own = indicator.period_kind
    if periods.longer(own, periods.kind(view)):
        return periods.enclosing(view, own)
    return view


def reported_periods(indicator, period):
    """The periods whose entries make up `period`: the indicator's own periods within it
    (three months of a monthly indicator's quarter, two quarters of a quarterly indicator's
    semester), or `period` itself."""
    own = indicator.period_kind
    if periods.longer(periods.kind(period), own):
        return periods.within(period, own)
    return [period]


@dataclass
class Cell:
    indicator: Indicator
    period: str
    result: results.Result
    entries: list  # the Realisation rows (or None) of the reported periods
    due: bool
    deadline: datetime.date
    overdue: bool  # past the deadline and still not submitted (`periods.is_late`)
    days_late: int | None  # as recorded at the first submission (None: not known)

    @property
    def period_label(self):
        return Period(self.period).label

    @property
    def late(self):
        """Late either way: overdue now, or submitted after the deadline (for good)."""
        return self.overdue or bool(self.days_late)

    @property
    def count_as(self):
        return count_of(self)

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
        return self.count_as == MISSED and not any(e and e.follow_up.strip() for e in self.entries)

    def get_status_display(self):
        return Realisation.Status(self.status).label if self.status else None

    def get_count_display(self):
        return COUNT_LABELS[self.count_as]


def count_of(cell):
    """What a cell counts as: MET, MISSED, DRAFT, MISSING or NOT_APPLICABLE.

    - MISSING: the period is over (and its target is not 0) and an entry has no value;
    - NOT_APPLICABLE: no capaian can be computed (no target, a target of 0, no value yet
      while the period is not over), or a monthly quarter not over whose months are partly
      entered and none of them is a draft;
    - MET / MISSED: only when every entry (three for a monthly indicator's quarter) is
      submitted or approved;
    - DRAFT: a value is there but an entry is still with the officer (draft or returned).
    """
    if cell.missing:
        return MISSING
    if cell.result.met is None:
        return NOT_APPLICABLE
    if all(e is not None and e.status in COUNTED_STATUSES for e in cell.entries):
        return MET if cell.result.met else MISSED
    if any(e is not None and e.status in Realisation.EDITABLE for e in cell.entries):
        return DRAFT
    return NOT_APPLICABLE


def period_cell(indicator, period, scale, today, year, deadline_days):
    """The cell of one period of an indicator (for Tugas saya, one row)."""
    stored = {r.period: r for r in results.realisations_of(indicator)}
    entries = [stored.get(p) for p in reported_periods(indicator, period)]
    result = results.evaluate(indicator, period, scale)
    end = periods.period_end(year, period)
    deadline = periods.period_deadline(year, period, deadline_days)
    unfinished = any(e is None or e.status in Realisation.EDITABLE for e in entries)
    # Zero tolerance ("0 keluhan", lower is better) is due like any other target.
    polarity = indicator.polarity
    due = periods.is_due(end=end, target=result.target, today=today, polarity=polarity)
    overdue = periods.is_late(
        deadline=deadline,
        unfinished=unfinished,
        target=result.target,
        today=today,
        polarity=polarity,
    )
    days_late = periods.recorded_days_late(
        [e.days_late for e in entries if e is not None], target=result.target, polarity=polarity
    )
    return Cell(indicator, period, result, entries, due, deadline, overdue, days_late)


def cell(indicator, view, scale, today, year, deadline_days):
    """The cell a dashboard of period `view` (`period_for`) shows for this indicator."""
    period = period_for(indicator, view)
    return period_cell(indicator, period, scale, today, year, deadline_days)


@dataclass
class Summary:
    met: int = 0
    missed: int = 0
    draft: int = 0
    missing: int = 0
    not_applicable: int = 0
    late: int = 0
    missed_without_follow_up: list = field(default_factory=list)

    @property
    def counted(self):
        """The cells counted as met or missed: submitted or approved."""
        return self.met + self.missed

    @property
    def expected(self):
        """The cells that should have a submitted figure: all but the not applicable."""
        return self.met + self.missed + self.draft + self.missing

    @property
    def met_share(self):
        """Met, in % of the counted cells (None when none is counted)."""
        return Decimal(100 * self.met) / self.counted if self.counted else None


def summarise(cells):
    summary = Summary()
    for c in cells:
        count = c.count_as
        setattr(summary, count, getattr(summary, count) + 1)
        summary.late += c.late
        if c.missed_without_follow_up:
            summary.missed_without_follow_up.append(c)
    return summary


@dataclass
class OnTime:
    """An officer's submissions of a year: on time, late, and of unknown lateness."""

    officer: object
    on_time: int = 0
    late: int = 0
    unknown: int = 0  # recorded from earlier records: when they were submitted is not known

    @property
    def known(self):
        return self.on_time + self.late

    @property
    def share(self):
        return Decimal(100 * self.on_time) / self.known if self.known else None


def on_time_by_officer(indicators):
    """Each officer's on-time rate over the periods of `indicators` (rows already loaded).

    Every realisation that was ever submitted counts for whoever entered it last, as on time
    or late by the days late recorded at its first submission (a period with nothing due, a
    target of 0, is never late); one whose lateness is not known is counted apart, never
    as on time. Officers with the most late first.
    """
    by_officer = {}
    for indicator in indicators:
        for row in results.realisations_of(indicator):
            if row.submitted_at is None and row.status == Status.DRAFT:
                continue  # never submitted
            target = results.target_of(indicator, row.period)
            days = periods.recorded_days_late(
                [row.days_late], target=target, polarity=indicator.polarity
            )
            officer = by_officer.setdefault(row.entered_by_id, OnTime(row.entered_by))
            if days is None:
                officer.unknown += 1
            elif days:
                officer.late += 1
            else:
                officer.on_time += 1
    return sorted(by_officer.values(), key=lambda o: (-o.late, str(o.officer)))


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


def unit_dashboard(unit, year, view, today=None):
    """The dashboard of `unit` for period `view` of `year`: a quarter (or its number 1-4),
    a semester or the year (`periods.VIEW_PERIODS`)."""
    today = today or periods.today()
    scale = results.category_scale()
    indicators = with_rows(Indicator.objects.for_year(unit, year))
    cells = [cell(ind, view, scale, today, year, unit.report_deadline_days) for ind in indicators]
    sections = {}
    for c in cells:
        sections.setdefault(c.indicator.objective.section, []).append(c)
    return {
        "sections": sections,
        "summary": summarise(cells),
        "completeness": completeness(cells, unit),
        "on_time": on_time_by_officer(indicators),
    }


PlainTarget = namedtuple("PlainTarget", "period value upper")
PlainRealisation = namedtuple(
    "PlainRealisation", "period value status follow_up days_late", defaults=(None,)
)


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
            # what a target or a figure is written with (`targets`): a query per unit else
            "unit_of_measure",
            "max_value",
        )
    )
    targets, realisations = defaultdict(list), defaultdict(list)
    # (no ORDER BY: the rows are grouped per indicator here, a sort would only cost)
    for pk, *row in (
        Target.objects.filter(indicator__in=ids)
        .order_by()
        .values_list("indicator_id", "period", "value", "upper")
    ):
        targets[pk].append(PlainTarget(*row))
    for pk, *row in (
        Realisation.objects.filter(indicator__in=ids)
        .order_by()
        .values_list("indicator_id", "period", "value", "status", "follow_up", "days_late")
    ):
        realisations[pk].append(PlainRealisation(*row))
    for indicator in indicators:
        indicator.plain_targets = targets[indicator.pk]
        indicator.plain_realisations = realisations[indicator.pk]
    return indicators


def unit_comparison(units, year, view, indicator_name=None, today=None):
    """Each unit's figures for period `view` (as `unit_dashboard`), ranked: share of
    targets met, then mean capaian.

    Each row holds the unit, its `summary` (the counts; the cells themselves are not kept,
    so its `missed_without_follow_up` stays empty), `met_share`, `mean_achievement`, `rank`,
    and with `indicator_name` the `cell` of that indicator (None when the unit has none).
    The figures of all indicators are read from the cache (`cached_figures`)."""
    today = today or periods.today()
    indicators = Indicator.objects.filter(
        objective__section__manual__unit__in=units, objective__section__manual__year=year
    )
    # (the distinct names from the database: 31, not one per indicator of every unit)
    names = sorted(indicators.order_by().values_list("name", flat=True).distinct())
    if indicator_name:
        cells = unit_cells(units, year, view, today, indicator_name)
        rows = [
            {**_row(unit, _figures(cells[unit.pk])), "cell": (cells[unit.pk] or [None])[0]}
            for unit in units
        ]
    else:
        figures = cached_figures(units, year, view, today)
        rows = [{**_row(unit, figures[unit.pk]), "cell": None} for unit in units]
    rows.sort(
        key=lambda r: (-(r["met_share"] or -1), -(r["mean_achievement"] or -1), r["unit"].name)
    )
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows, names


def unit_cells(units, year, view, today, indicator_name=None):
    """{unit pk: the cells of its indicators of `year` for period `view`} (only those named
    `indicator_name` when given), in a fixed number of queries for any number of units."""
    scale = results.category_scale()
    indicators = Indicator.objects.filter(
        objective__section__manual__unit__in=units, objective__section__manual__year=year
    )
    if indicator_name:
        indicators = indicators.filter(name=indicator_name)
    deadline_days = {u.pk: u.report_deadline_days for u in units}
    cells = {u.pk: [] for u in units}
    for ind in with_plain_rows(indicators):
        cells[ind.unit_pk].append(cell(ind, view, scale, today, year, deadline_days[ind.unit_pk]))
    return cells


# A unit's figures in the comparison: its counts (a `Summary` without the cells it lists:
# the cells are not kept) and the mean capaian of what is counted.
Figures = namedtuple("Figures", "summary mean_achievement")


def _figures(cells):
    summary = replace(summarise(cells), missed_without_follow_up=[])
    # The mean of what is counted: a draft's capaian is not a figure of the unit yet.
    scored = [c.result.achievement for c in cells if c.count_as in (MET, MISSED)]
    return Figures(summary, (sum(scored) / len(scored)) if scored else None)


def _row(unit, figures):
    return {
        "unit": unit,
        "summary": figures.summary,
        "met_share": figures.summary.met_share,
        "mean_achievement": figures.mean_achievement,
    }


def _plain(figures):
    """`figures` as the cache keeps them: plain values, nothing of the code's classes."""
    return astuple(figures.summary)[:-1], figures.mean_achievement  # (without the cells)


def _from_plain(values):
    counts, mean_achievement = values
    return Figures(Summary(*counts), mean_achievement)


# --------------------------------------------------------------------------- the cache
# A province compares hundreds of units (9,300 cells for 300 units of 31 indicators: half a
# second), while a unit's figures change only when one of its rows does. So the figures of
# all indicators of each unit are kept in the cache (the settings' default: the database's
# cache table, or Redis), with the unit's version: a random token per unit, replaced
# whenever a row that decides its figures is saved or deleted (`unit_figures_changed`,
# called by the receivers in `signals`). Figures kept under an older version are never
# read again. The same pattern as the survey's result (`skm.services.result_changed`).
#
# The figures of the units of one comparison are kept together, under one key of the units
# compared, the year and the period: one read and one write, however many units. What is
# due and what is late depends on the date, but only on which of the year's period ends and
# deadlines have passed (`date_step`): figures are kept with that step and read on any day
# of the same step, so a new day is computed only when a period ends or a deadline passes.
# One key per unit would be written with `set_many`, which Django's database cache does key
# by key, each with a count of the whole cache table and a commit of its own: 3 to 4 s for
# 300 units on PostgreSQL, eight times what it saves.

# Raise when what `Figures` holds or how it is computed changes: the keys of the old code
# are then never read.
FIGURES_FORMAT = 3
FIGURES_TIMEOUT = 7 * 24 * 3600  # unread for a week: let go


@functools.lru_cache(maxsize=256)  # asked per unit; units mostly share their deadline
def date_step(year, deadline_days, today):
    """How many of the ends and deadlines of `year`'s periods have passed on `today`, for a
    unit whose deadline is `deadline_days` after a period's end. A cell depends on the date
    only through `periods.is_due` (its period's end) and `periods.is_late` (its deadline),
    and every cell's period is one of the year's: two days with the same step give every
    cell the same answers."""
    return sum(
        (periods.period_end(year, p) < today)
        + (periods.period_deadline(year, p, deadline_days) < today)
        for p in Period
    )


def _version_key(unit_id):
    return f"dashboard:figures-version:{unit_id}"


def unit_figures_changed(unit_id):
    """A row that decides the unit's figures changed: its cached figures are not read
    again. Now (with the database cache the token is written in the same transaction as
    the rows) and once more after the commit (so that a reader between the two, with a
    cache outside the database, cannot keep figures without the new rows)."""

    def bump():
        cache.set(_version_key(unit_id), uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


def _versions(unit_ids):
    """{unit pk: its version token}: one read for all, one write for the units without one
    yet. (Writing over a token a change has just replaced is harmless: the new token is
    fresh, and the figures kept with it are computed from rows read after it was written,
    so after that change; a change committed later replaces the token once more.)"""
    keys = {_version_key(pk): pk for pk in unit_ids}
    versions = {keys[key]: version for key, version in cache.get_many(list(keys)).items()}
    new = {pk: uuid.uuid4().hex for pk in unit_ids if pk not in versions}
    if new:
        # (in one transaction: the database cache would commit each key apart)
        with transaction.atomic():
            cache.set_many({_version_key(pk): version for pk, version in new.items()}, None)
        versions.update(new)
    return versions


def _figures_key(units, year, view):
    # The units compared, as a digest: a key stays short (the database cache's column).
    unit_ids = ",".join(str(pk) for pk in sorted(u.pk for u in units))
    digest = hashlib.sha256(unit_ids.encode()).hexdigest()[:32]
    period = view_period(view)
    return f"dashboard:figures:{FIGURES_FORMAT}:{digest}:{year}:{period}"


def cached_figures(units, year, view, today):
    """{unit pk: its `Figures` of all indicators for period `view` of `year` on `today`}:
    read from the cache (the versions, then the figures: two reads), computed only for the
    units whose figures are not there under their present version (and kept)."""
    # The versions are read before the rows: a change committed after this read replaces
    # the version again, so figures computed from older rows are kept with a dead version.
    versions = _versions([u.pk for u in units])
    # (the deadline too: a unit's setting, changed in the admin or by a bulk update; and
    # the date's step, see `date_step`)
    version_of = {
        u.pk: (
            versions[u.pk],
            u.report_deadline_days,
            date_step(year, u.report_deadline_days, today),
        )
        for u in units
    }
    key = _figures_key(units, year, view)
    kept = cache.get(key) or {}  # {unit pk: (version, `_plain` figures)}
    figures = {
        pk: _from_plain(kept[pk][1])
        for pk, version in version_of.items()
        if pk in kept and kept[pk][0] == version
    }
    missing = [u for u in units if u.pk not in figures]
    if missing:
        figures.update(
            (pk, _figures(cells)) for pk, cells in unit_cells(missing, year, view, today).items()
        )
        kept = {pk: (version, _plain(figures[pk])) for pk, version in version_of.items()}
        cache.set(key, kept, FIGURES_TIMEOUT)
    return figures
