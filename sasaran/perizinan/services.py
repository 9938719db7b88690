"""What the logs give, per period: permit timeliness and staff service levels, and their
feed into the linked indicators.

- `timeliness(unit, year, period)`: the permits issued in the period (any period of
  `sasaran.periods`: a month, a quarter, a semester, the year), per permit type and in
  total: on time (working days from the file complete to issue at most the type's standard),
  total, % on time, and the late ones with their working days. A permit whose status says it
  was refused, cancelled or revoked (`REFUSED_WORDS`) is not an issued permit: it counts in
  neither.
- `service_levels(unit, year, period)`: the staff tasks finished in the period, per kind and
  in total: how many, the average duration in working days, how many within the kind's limit
  and their share, and those over it. A task not finished yet counts when it is.
- `feed_permit_indicator` / `feed_task_indicator` write the figures of a linked indicator's
  period through the core's realisation service, as the survey feeds its index indicators:
  a draft the officer checks and submits; the note and the history say where the figures
  came from. `linked_value` is the core's `sources` finder (`AppConfig.ready`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Min
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from sasaran import access as core_access
from sasaran import numbers, periods, sources
from sasaran import services as realisation_services
from sasaran.models import Indicator
from sasaran.periods import Period

from . import calendars
from .models import ImportRun, Permit, PermitIndicator, PermitType, Task, TaskIndicator, TaskKind

FOUR_PLACES = Decimal("0.0001")
# A status holding one of these (Ditolak, Dibatalkan, Dicabut) is no issued permit.
REFUSED_WORDS = ("tolak", "batal", "cabut")
PERMIT_NOTE_PREFIX = "Dari data perizinan "
TASK_NOTE_PREFIX = "Dari log tugas staf "


def percent(part, whole):
    """part / whole × 100 with four decimals, as the entry form computes a share; None for
    nothing."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole) * 100).quantize(FOUR_PLACES)


def is_refused(status):
    text = (status or "").lower()
    return any(word in text for word in REFUSED_WORDS)


def period_dates(year, period):
    return periods.period_start(year, period), periods.period_end(year, period)


def period_label(year, period):
    label = Period(period).label
    return f"{label} {year}" if period != Period.YEAR else f"{_('Tahun')} {year}"


def missing_holiday_years(first, last):
    """The years from `first` to `last` whose holidays were never seeded (the count would
    take their holidays as working days)."""
    if first is None or last is None:
        return []
    seeded = calendars.seeded_years()
    return [year for year in range(first.year, last.year + 1) if year not in seeded]


# --------------------------------------------------------------------------- permits


@dataclass
class TimelinessRow:
    """One permit type's figures (or the total's, `permit_type` None)."""

    permit_type: PermitType | None
    total: int = 0
    on_time: int = 0

    @property
    def late(self):
        return self.total - self.on_time

    @property
    def percent(self):
        return percent(self.on_time, self.total)


@dataclass
class LatePermit:
    number: str
    permit_type: PermitType
    complete_on: datetime.date
    issued_on: datetime.date
    days: int
    deadline: datetime.date
    status: str

    @property
    def over(self):
        return self.days - self.permit_type.standard_days


@dataclass
class Timeliness:
    unit: object
    year: int
    period: str
    first: datetime.date
    last: datetime.date
    rows: list = field(default_factory=list)
    total: TimelinessRow = field(default_factory=lambda: TimelinessRow(None))
    late: list = field(default_factory=list)
    refused: int = 0
    missing_years: list = field(default_factory=list)

    @property
    def label(self):
        return period_label(self.year, self.period)

    @property
    def value(self):
        return self.total.percent


def timeliness(unit, year, period, *, permit_types=None, with_late=True):
    """The permits of `unit` issued in `period` of `year` (of `permit_types` only, when
    given), measured against their types' standards."""
    first, last = period_dates(year, period)
    permits = Permit.objects.filter(unit=unit, issued_on__gte=first, issued_on__lte=last)
    if permit_types is not None:
        permits = permits.filter(permit_type__in=permit_types)
    result = Timeliness(unit=unit, year=year, period=period, first=first, last=last)
    earliest = permits.aggregate(first=Min("complete_on"))["first"]
    result.missing_years = missing_holiday_years(earliest or first, last)
    calendar = calendars.calendar_for(unit, earliest or first, last)
    types = {item.pk: item for item in PermitType.objects.filter(unit=unit)}
    rows = {}
    total, counted = result.total, {}  # (complete, issued) -> working days: pairs repeat
    columns = ("number", "permit_type_id", "complete_on", "issued_on", "status")
    rows_read = permits.order_by().values_list(*columns).iterator(chunk_size=5000)
    for number, type_id, complete, issued, status in rows_read:
        if status and is_refused(status):
            result.refused += 1
            continue
        permit_type = types[type_id]
        row = rows.get(type_id)
        if row is None:
            row = rows[type_id] = TimelinessRow(permit_type)
        days = counted.get((complete, issued))
        if days is None:
            days = counted[complete, issued] = calendar.between(complete, issued)
        row.total += 1
        total.total += 1
        if days <= permit_type.standard_days:
            row.on_time += 1
            total.on_time += 1
        elif with_late:
            result.late.append(
                LatePermit(
                    number,
                    permit_type,
                    complete,
                    issued,
                    days,
                    calendar.deadline(complete, permit_type.standard_days),
                    status,
                )
            )
    result.rows = sorted(rows.values(), key=lambda r: (r.permit_type.name, r.permit_type.pk))
    result.late.sort(key=lambda p: (-p.over, p.issued_on, p.number))
    return result


# --------------------------------------------------------------------------- staff tasks


@dataclass
class ServiceRow:
    """One task kind's figures (or the total's, `kind` None)."""

    kind: TaskKind | None
    count: int = 0
    within: int = 0
    days: int = 0  # working days, all tasks together

    @property
    def average(self):
        if not self.count:
            return None
        return (Decimal(self.days) / Decimal(self.count)).quantize(FOUR_PLACES)

    @property
    def share(self):
        return percent(self.within, self.count)

    @property
    def over(self):
        return self.count - self.within


@dataclass
class TaskOver:
    reference: str
    kind: TaskKind
    started_on: datetime.date
    ended_on: datetime.date
    days: int
    officer: str

    @property
    def over(self):
        return self.days - self.kind.limit_days


@dataclass
class ServiceLevels:
    unit: object
    year: int
    period: str
    first: datetime.date
    last: datetime.date
    rows: list = field(default_factory=list)
    total: ServiceRow = field(default_factory=lambda: ServiceRow(None))
    over: list = field(default_factory=list)
    unfinished: int = 0
    missing_years: list = field(default_factory=list)

    @property
    def label(self):
        return period_label(self.year, self.period)

    @property
    def value(self):
        return self.total.average


def service_levels(unit, year, period, *, kinds=None, with_over=True):
    """The staff tasks of `unit` finished in `period` of `year` (of `kinds` only, when
    given), measured against their kinds' limits."""
    first, last = period_dates(year, period)
    tasks = Task.objects.filter(unit=unit, ended_on__gte=first, ended_on__lte=last)
    open_tasks = Task.objects.filter(unit=unit, ended_on__isnull=True, started_on__lte=last)
    if kinds is not None:
        tasks = tasks.filter(kind__in=kinds)
        open_tasks = open_tasks.filter(kind__in=kinds)
    result = ServiceLevels(unit=unit, year=year, period=period, first=first, last=last)
    result.unfinished = open_tasks.count()
    earliest = tasks.aggregate(first=Min("started_on"))["first"]
    result.missing_years = missing_holiday_years(earliest or first, last)
    calendar = calendars.calendar_for(unit, earliest or first, last)
    kinds_by_id = {item.pk: item for item in TaskKind.objects.filter(unit=unit)}
    rows = {}
    columns = ("reference", "kind_id", "started_on", "ended_on", "officer")
    rows_read = tasks.order_by().values_list(*columns).iterator(chunk_size=5000)
    for reference, kind_id, started, ended, officer in rows_read:
        kind = kinds_by_id[kind_id]
        row = rows.get(kind_id)
        if row is None:
            row = rows[kind_id] = ServiceRow(kind)
        days = calendar.between(started, ended)
        for item in (row, result.total):
            item.count += 1
            item.days += days
        if days <= kind.limit_days:
            row.within += 1
            result.total.within += 1
        elif with_over:
            result.over.append(TaskOver(reference, kind, started, ended, days, officer))
    result.rows = sorted(rows.values(), key=lambda r: (r.kind.name, r.kind.pk))
    result.over.sort(key=lambda t: (-t.over, t.ended_on, t.reference))
    return result


# --------------------------------------------------------------------------- indicator links


def _year(indicator):
    return indicator.objective.section.manual.year


def link_periods(indicator, period):
    """The indicator's own periods a page of `period` can send: the period itself when it
    is of the indicator's kind, else those within it ([] for a shorter one)."""
    own = indicator.period_kind
    if periods.kind(period) == own:
        return [period]
    return periods.within(period, own)


def permit_links(unit):
    return (
        PermitIndicator.objects.filter(unit=unit)
        .select_related("indicator__objective__section__manual", "indicator__responsible_position")
        .prefetch_related("permit_types")
    )


def task_links(unit):
    return (
        TaskIndicator.objects.filter(unit=unit)
        .select_related("indicator__objective__section__manual", "indicator__responsible_position")
        .prefetch_related("task_kinds")
    )


def permit_link_result(link, period, *, with_late=False):
    types = list(link.permit_types.all()) or None
    return timeliness(
        link.unit, _year(link.indicator), period, permit_types=types, with_late=with_late
    )


def task_link_result(link, period, *, with_over=False):
    kinds = list(link.task_kinds.all())
    return service_levels(
        link.unit, _year(link.indicator), period, kinds=kinds, with_over=with_over
    )


def page_url(name, unit, year, period):
    return f"{reverse(name, args=[unit.code])}?tahun={year}&periode={period}"


def _permit_linked(link, period):
    result = permit_link_result(link, period)
    total = result.total
    return sources.LinkedValue(
        source=_("data perizinan %(period)s") % {"period": result.label},
        url=page_url("permit_unit", link.unit, result.year, period),
        value=result.value,
        numerator=Decimal(total.on_time) if total.total else None,
        denominator=Decimal(total.total) if total.total else None,
        origin=_("data perizinan"),
        value_name=_("persentase tepat waktu"),
        empty_text=_("belum ada izin terbit"),
        resend_hint=_("kirim ulang dari halaman Perizinan"),
    )


def _task_linked(link, period):
    result = task_link_result(link, period)
    return sources.LinkedValue(
        source=_("log tugas staf %(period)s") % {"period": result.label},
        url=page_url("permit_tasks", link.unit, result.year, period),
        value=result.value,
        origin=_("log tugas staf"),
        value_name=_("rata-rata hari kerja"),
        empty_text=_("belum ada tugas selesai"),
        resend_hint=_("kirim ulang dari halaman Layanan staf"),
    )


def linked_value(indicator, period):
    """The core's `sources` finder: the permit log's share on time, or the task log's
    average duration, of the linked indicator's period; None for any other indicator."""
    if indicator.kind == Indicator.Kind.PERCENTAGE:
        link = PermitIndicator.objects.filter(indicator=indicator).select_related("unit").first()
        if link is not None and period in indicator.due_periods():
            return _permit_linked(link, period)
    elif indicator.kind == Indicator.Kind.WORKING_DAYS:
        link = TaskIndicator.objects.filter(indicator=indicator).select_related("unit").first()
        if link is not None and period in indicator.due_periods():
            return _task_linked(link, period)
    return None


def register_value_source():
    sources.register(linked_value)


def last_import(unit, log):
    return ImportRun.objects.filter(unit=unit, log=log).select_related("imported_by").first()


def _import_text(run):
    if run is None:
        return ""
    return _("; log diimpor %(date)s oleh %(user)s (%(file)s)") % {
        "date": periods.long_date(timezone.localdate(run.imported_at)),
        "user": run.imported_by or "—",
        "file": run.file_name,
    }


def _check_period(indicator, period):
    if period not in indicator.due_periods():
        raise ValidationError(
            _("Indikator ini tidak dilaporkan per %(period)s.") % {"period": Period(period).label}
        )


def _locked_message():
    return _(
        "Realisasi %(period)s indikator ini sudah disetujui dan dikunci; minta peninjaunya "
        "membukanya kembali sebelum mengirim nilai dari log."
    )


def feed_permit_indicator(*, link, period, user):
    """Write the share of permits issued on time in `period` (the indicator's own period)
    as its realisation: numerator the permits on time, denominator all issued, value the
    percentage. A draft (or a returned one stays returned); a submitted or approved one is
    refused, as is a period without permits issued."""
    indicator = link.indicator
    _check_period(indicator, period)
    result = permit_link_result(link, period)
    total = result.total
    if not total.total:
        raise ValidationError(
            _("Belum ada izin terbit pada %(period)s: tidak ada yang dikirim.")
            % {"period": result.label}
        )
    with translation.override("id"):  # a record of the realisation: the office's language
        figures = _("%(on_time)s dari %(total)s izin terbit tepat waktu") % {
            "on_time": numbers.format_id_number(total.on_time, 0),
            "total": numbers.format_id_number(total.total, 0),
        }
        note = f"{PERMIT_NOTE_PREFIX}{result.label}: {figures}"
        reason = _(
            "Persentase tepat waktu %(value)s %% (%(figures)s) dikirim dari data perizinan "
            "%(period)s%(run)s"
        ) % {
            "value": numbers.format_id_number(result.value, 2),
            "figures": figures,
            "period": result.label,
            "run": _import_text(last_import(link.unit, ImportRun.Log.PERMITS)),
        }
        locked = _locked_message()
    return realisation_services.realisation_set_value(
        indicator=indicator,
        period=period,
        user=user,
        value=result.value,
        numerator=Decimal(total.on_time),
        denominator=Decimal(total.total),
        note_line=note,
        note_prefix=PERMIT_NOTE_PREFIX,
        reason=reason,
        locked_message=locked,
    )


def feed_task_indicator(*, link, period, user):
    """Write the average duration in working days of the linked kinds' tasks finished in
    `period` as the indicator's realisation (a draft); the note gives the share within the
    limit too."""
    indicator = link.indicator
    _check_period(indicator, period)
    result = task_link_result(link, period)
    total = result.total
    if not total.count:
        raise ValidationError(
            _("Belum ada tugas selesai pada %(period)s: tidak ada yang dikirim.")
            % {"period": result.label}
        )
    value = total.average
    with translation.override("id"):
        figures = _(
            "%(count)s tugas, rata-rata %(average)s hari kerja, %(share)s %% dalam batas"
        ) % {
            "count": numbers.format_id_number(total.count, 0),
            "average": numbers.format_id_number(value, 2),
            "share": numbers.format_id_number(total.share, 2),
        }
        note = f"{TASK_NOTE_PREFIX}{result.label}: {figures}"
        reason = _(
            "Rata-rata %(value)s hari kerja (%(figures)s) dikirim dari log tugas staf "
            "%(period)s%(run)s"
        ) % {
            "value": numbers.format_id_number(value, 2),
            "figures": figures,
            "period": result.label,
            "run": _import_text(last_import(link.unit, ImportRun.Log.TASKS)),
        }
        locked = _locked_message()
    return realisation_services.realisation_set_value(
        indicator=indicator,
        period=period,
        user=user,
        value=value,
        note_line=note,
        note_prefix=TASK_NOTE_PREFIX,
        reason=reason,
        locked_message=locked,
    )


def link_rows(user, unit, period, links, kind):
    """Each link with the indicator's periods of the page's `period`, the figures of each,
    the stored realisation and whether `user` may send them."""
    rows = []
    for link in links:
        indicator = link.indicator
        may_feed = core_access.may_edit_indicator(user, indicator)
        for own in link_periods(indicator, period):
            result = (
                permit_link_result(link, own) if kind == "izin" else task_link_result(link, own)
            )
            row = indicator.realisations.filter(period=own).first()
            rows.append(
                {
                    "link": link,
                    "kind": kind,
                    "indicator": indicator,
                    "period": own,
                    "period_label": Period(own).label,
                    "year": _year(indicator),
                    "value": result.value,
                    "result": result,
                    "row": row,
                    "locked": row is not None and row.status not in row.EDITABLE,
                    "may_feed": may_feed,
                }
            )
    return rows


def short_date(value):
    return formats.date_format(value, "j M Y") if value else "—"
