"""Tests of sasaran.periods: period codes, deadlines, lateness and the default year.

Most are plain functions without a database; the last ones check that Tugas saya and the
dashboard, which both ask `periods.is_late`, agree on the demo data.
"""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from sasaran import dashboard, periods, results
from sasaran.dashboard import PlainRealisation, PlainTarget
from sasaran.models import Indicator, Realisation
from sasaran.periods import MONTHS, QUARTERS, TARGET_PERIODS, Period

D = Decimal
Status = Realisation.Status


# --------------------------------------------------------------------------- codes


def test_quarter_codes_and_target_columns():
    assert [periods.quarter_code(q) for q in periods.QUARTER_NUMBERS] == ["Q1", "Q2", "Q3", "Q4"]
    assert periods.quarter_code(3) is Period.Q3
    assert TARGET_PERIODS == ["Q1", "Q2", "Q3", "Q4", "Y"]
    assert MONTHS == [f"M{m:02d}" for m in range(1, 13)]


@pytest.mark.parametrize("quarter", [0, 5, -1, "1", 2.0, True, None])
def test_quarter_code_rejects_what_is_not_a_quarter(quarter):
    with pytest.raises(ValueError):
        periods.quarter_code(quarter)


@pytest.mark.parametrize(
    ("quarter", "months"),
    [
        (1, ["M01", "M02", "M03"]),
        (2, ["M04", "M05", "M06"]),
        (3, ["M07", "M08", "M09"]),
        (4, ["M10", "M11", "M12"]),
    ],
)
def test_months_of_a_quarter(quarter, months):
    assert periods.months_of_quarter(quarter) == months
    assert all(periods.period_quarter(m) == quarter for m in months)


@pytest.mark.parametrize(
    ("period", "quarter"),
    [("Q1", 1), ("Q4", 4), ("M01", 1), ("M03", 1), ("M04", 2), ("M12", 4), ("Y", None)],
)
def test_period_quarter(period, quarter):
    assert periods.period_quarter(period) == quarter


@pytest.mark.parametrize(
    ("year", "period", "end"),
    [
        (2023, "Q1", datetime.date(2023, 3, 31)),
        (2023, "Q2", datetime.date(2023, 6, 30)),
        (2023, "Y", datetime.date(2023, 12, 31)),
        (2024, "M02", datetime.date(2024, 2, 29)),  # a leap year
        (2023, "M02", datetime.date(2023, 2, 28)),
    ],
)
def test_period_end_and_deadline(year, period, end):
    assert periods.period_end(year, period) == end
    assert periods.period_deadline(year, period, 10) == end + datetime.timedelta(days=10)
    assert periods.period_deadline(year, period, 0) == end


# --------------------------------------------------------------------------- lateness

DEADLINE = datetime.date(2023, 4, 10)  # TW 1 2023 with 10 days to report


def late(today, unfinished=True, target=5):
    return periods.is_late(deadline=DEADLINE, unfinished=unfinished, target=target, today=today)


def test_not_late_on_the_deadline_day_late_the_day_after():
    assert not late(DEADLINE - datetime.timedelta(days=1))
    assert not late(DEADLINE)
    assert late(DEADLINE + datetime.timedelta(days=1))


@pytest.mark.parametrize("target", [0, D(0), D("0.00")])
def test_zero_target_is_never_late(target):
    assert not late(DEADLINE + datetime.timedelta(days=365), target=target)


def test_missing_target_still_counts():
    assert late(DEADLINE + datetime.timedelta(days=1), target=None)


def test_submitted_or_approved_entry_is_never_late():
    assert not late(DEADLINE + datetime.timedelta(days=365), unfinished=False)


def test_due_once_the_period_is_over_unless_the_target_is_zero():
    end = datetime.date(2023, 3, 31)
    assert not periods.is_due(end=end, target=D(1), today=end)
    assert periods.is_due(end=end, target=D(1), today=end + datetime.timedelta(days=1))
    assert periods.is_due(end=end, target=None, today=end + datetime.timedelta(days=1))
    assert not periods.is_due(end=end, target=D(0), today=end + datetime.timedelta(days=1))


def test_today_is_the_offices_date():
    assert settings.TIME_ZONE == "Asia/Jakarta"
    jakarta = timezone.now().astimezone(zoneinfo.ZoneInfo("Asia/Jakarta")).date()
    assert periods.today() in (jakarta, timezone.localdate())  # equal unless midnight passes
    assert periods.today() == timezone.localdate()


def quarterly(status, value=1, target=2):
    """An unsaved quarterly indicator with a TW 1 target and (unless `status` is None) an
    entry, as the dashboard's plain rows carry them."""
    indicator = Indicator(
        kind=Indicator.Kind.COUNT, frequency=Indicator.Frequency.QUARTERLY, cumulative=False
    )
    indicator.plain_targets = [PlainTarget("Q1", target, None)]
    indicator.plain_realisations = (
        [] if status is None else [PlainRealisation("Q1", value, status, "")]
    )
    return indicator


@pytest.mark.parametrize(
    ("status", "on_deadline", "day_after"),
    [
        (None, False, True),  # nothing entered
        (Status.DRAFT, False, True),
        (Status.RETURNED, False, True),
        (Status.SUBMITTED, False, False),
        (Status.APPROVED, False, False),
    ],
)
def test_dashboard_cell_lateness(status, on_deadline, day_after):
    def cell(today):
        return dashboard.cell(quarterly(status), 1, [], today, 2023, 10)

    assert cell(DEADLINE).late is on_deadline
    assert cell(DEADLINE + datetime.timedelta(days=1)).late is day_after


def test_dashboard_cell_zero_target_is_neither_due_nor_late():
    c = dashboard.cell(quarterly(None, target=D(0)), 1, [], datetime.date(2024, 1, 1), 2023, 10)
    assert not c.due and not c.late and not c.missing


# --------------------------------------------------------------------------- default year

TODAY = datetime.date(2025, 5, 20)


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        ([2026, 2025, 2023], 2025),  # this year
        ([2026, 2024, 2023], 2024),  # else the latest year that has begun
        ([2027, 2026], 2027),  # else the latest
        ([2023], 2023),
        ([], None),
    ],
)
def test_default_year(years, expected):
    assert periods.default_year(years, TODAY) == expected


@pytest.fixture
def on_today(monkeypatch):
    monkeypatch.setattr(periods, "today", lambda: TODAY)


def get(**params):
    return RequestFactory().get("/", params)


@pytest.mark.parametrize(
    ("params", "years", "expected"),
    [
        ({}, [2026, 2025, 2023], 2025),
        ({"tahun": "2023"}, [2026, 2025, 2023], 2023),
        ({"tahun": "2026"}, [2026, 2025, 2023], 2026),
        ({"tahun": "1999"}, [2026, 2024], 2024),
        ({"tahun": "x"}, [2026, 2024], 2024),
        ({}, [], None),
    ],
)
def test_selected_year(on_today, params, years, expected):
    assert periods.selected_year(get(**params), years) == expected


@pytest.mark.parametrize(
    ("params", "years", "expected"),
    [
        ({}, [2026, 2025, 2023], (2025, 2)),  # this year, this quarter (May: TW 2)
        ({"tw": "3"}, [2025], (2025, 3)),
        ({"tahun": "2023", "tw": "9"}, [2025, 2023], (2023, 4)),  # TW 4 of another year
        ({}, [2026, 2024], (2024, 4)),
        ({}, [], (2025, 2)),  # no manual at all: this year's empty dashboard
    ],
)
def test_year_and_quarter(on_today, params, years, expected):
    assert periods.year_and_quarter(get(**params), years) == expected


def test_the_dashboard_and_tugas_saya_pick_the_same_year(on_today):
    years = [2026, 2024, 2023]
    year, _quarter = periods.year_and_quarter(get(), years)
    assert year == periods.selected_year(get(), years) == 2024


# --------------------------------------------------------------------------- the two pages agree


def test_tugas_saya_and_the_dashboard_agree_on_lateness(login_as):
    tasks = login_as("kasubbag").get(reverse("tasks")).context["tasks"]
    scale = results.category_scale()
    compared = 0
    for task in tasks:
        indicator, period = task["indicator"], task["period"]
        if period not in QUARTERS and period != Period.YEAR:
            continue  # a dashboard cell of a monthly indicator gathers three months
        manual = indicator.objective.section.manual
        quarter = periods.period_quarter(period) or 4
        days = manual.unit.report_deadline_days
        cell = dashboard.cell(indicator, quarter, scale, periods.today(), manual.year, days)
        assert cell.period == period
        assert cell.late == task["late"], (indicator.name, period)
        compared += 1
    assert compared > 0 and any(t["late"] for t in tasks)


# --------------------------------------------------------------------------- every kind of period


def test_every_period_is_a_run_of_months():
    assert list(periods.months("Y")) == list(range(1, 13))
    assert list(periods.months("S1")) == [1, 2, 3, 4, 5, 6]
    assert list(periods.months("S2")) == [7, 8, 9, 10, 11, 12]
    assert list(periods.months("Q3")) == [7, 8, 9]
    assert list(periods.months("M12")) == [12]
    assert Period.S2.label == "Semester II"


def test_periods_within_and_enclosing():
    assert periods.within("Q2", periods.MONTH) == ["M04", "M05", "M06"]
    assert periods.within("S2", periods.QUARTER) == ["Q3", "Q4"]
    assert periods.within("S1", periods.MONTH) == MONTHS[:6]
    assert periods.within("Y", periods.SEMESTER) == ["S1", "S2"]
    assert periods.within("Q2", periods.SEMESTER) == []  # a semester is longer
    assert periods.enclosing("M05", periods.QUARTER) == "Q2"
    assert periods.enclosing("M07", periods.SEMESTER) == "S2"
    assert periods.enclosing("Q2", periods.YEAR) == "Y"
    assert periods.enclosing("S1", periods.QUARTER) is None
    assert periods.period_quarter("S1") is None
    assert periods.period_quarter("M12") == 4


def test_up_to_is_the_year_to_date():
    assert periods.up_to("Q3", periods.QUARTER) == ["Q1", "Q2", "Q3"]
    assert periods.up_to("S2", periods.MONTH) == MONTHS
    assert periods.up_to("M02", periods.MONTH) == ["M01", "M02"]


def test_semester_ends_and_deadlines():
    assert periods.period_start(2024, "S2") == datetime.date(2024, 7, 1)
    assert periods.period_end(2024, "S1") == datetime.date(2024, 6, 30)
    assert periods.period_end(2024, "M02") == datetime.date(2024, 2, 29)
    assert periods.period_deadline(2023, "S2", 10) == datetime.date(2024, 1, 10)


def test_period_code_by_kind_and_number():
    assert periods.period_code(periods.SEMESTER, 2) == "S2"
    assert periods.period_code(periods.MONTH, 12) == "M12"
    assert periods.period_code(periods.SEMESTER, 3) is None
    assert periods.period_code(periods.QUARTER, True) is None


def test_indicator_due_periods_follow_its_frequency():
    assert Indicator(frequency="semester").due_periods() == ["S1", "S2"]
    assert Indicator(frequency="monthly").due_periods() == MONTHS
    assert Indicator(frequency="per_event").due_periods() == QUARTERS
    assert Indicator(frequency="yearly").due_periods() == ["Y"]


def test_zero_target_is_due_where_lower_is_better():
    """Zero tolerance ("0 keluhan") is due and can be late; a zero "at least" is not."""
    end, today = datetime.date(2023, 3, 31), datetime.date(2023, 5, 1)
    assert not periods.is_due(end=end, target=D(0), today=today)
    assert periods.is_due(end=end, target=D(0), today=today, polarity="lower")
    deadline = datetime.date(2023, 4, 10)
    assert not periods.is_late(deadline=deadline, unfinished=True, target=0, today=today)
    assert periods.is_late(
        deadline=deadline, unfinished=True, target=0, today=today, polarity="lower"
    )
    assert periods.recorded_days_late([3], target=0) == 0
    assert periods.recorded_days_late([3], target=0, polarity="lower") == 3


# --------------------------------------------------------------------------- results by kind


def plain(frequency, aggregation="sum", kind="count", polarity="higher", targets=(), values=()):
    indicator = Indicator(
        frequency=frequency, aggregation=aggregation, kind=kind, polarity=polarity
    )
    indicator.plain_targets = [PlainTarget(p, D(v), None) for p, v in targets]
    indicator.plain_realisations = [
        PlainRealisation(p, D(v), Status.SUBMITTED, "") for p, v in values
    ]
    return indicator


def test_semester_of_monthly_values_combined_by_the_rule():
    values = [(m, 10) for m in MONTHS[:6]]
    summed = plain("monthly", "sum", targets=[("S1", 60)], values=values)
    result = results.evaluate(summed, "S1", [])
    assert (result.realised, result.target, result.achievement, result.met) == (60, 60, 100, True)
    averaged = plain("monthly", "average", targets=[("S1", 12)], values=values)
    assert results.evaluate(averaged, "S1", []).realised == 10
    assert results.evaluate(averaged, "S1", []).met is False


def test_monthly_targets_make_up_a_quarter_target():
    months = periods.within("Q2", periods.MONTH)
    indicator = plain(
        "monthly", "sum", targets=[(m, 5) for m in months], values=[(m, 6) for m in months]
    )
    assert results.evaluate(indicator, "M05", []).target == 5
    quarter = results.evaluate(indicator, "Q2", [])
    assert (quarter.target, quarter.realised, quarter.met) == (15, 18, True)
    # Not every month has a target: the quarter has none (a sum is never held against a
    # longer period's total).
    partial = plain("monthly", "sum", targets=[("M04", 5), ("Y", 60)], values=[("M05", 6)])
    assert results.evaluate(partial, "Q2", []).target is None
    assert results.evaluate(partial, "M05", []).target is None


def test_a_level_is_held_against_the_period_that_holds_it():
    """An average (a service level) of a month is held against its quarter's, semester's or
    year's target when the month has none."""
    indicator = plain(
        "monthly", "average", polarity="lower", targets=[("S2", 3)], values=[("M08", 2)]
    )
    result = results.evaluate(indicator, "M08", [])
    assert (result.target, result.met) == (3, True)


def test_semester_indicator_year_combines_its_semesters():
    indicator = plain(
        "semester", "average", targets=[("S1", 80), ("Y", 80)], values=[("S1", 70), ("S2", 90)]
    )
    assert results.evaluate(indicator, "S1", []).met is False
    year = results.evaluate(indicator, "Y", [])
    assert (year.realised, year.met) == (80, True)


def test_zero_tolerance_result():
    indicator = plain(
        "monthly",
        "sum",
        polarity="lower",
        targets=[("M01", 0), ("M02", 0)],
        values=[("M01", 0), ("M02", "0.01")],
    )
    met = results.evaluate(indicator, "M01", [])
    assert (met.achievement, met.met) == (100, True)
    missed = results.evaluate(indicator, "M02", [])
    assert (missed.achievement, missed.met) == (0, False)


def test_index_target_on_the_konversi_scale():
    indicator = plain(
        "quarterly",
        "average",
        kind="index",
        targets=[("Q1", 84), ("Q2", 4)],
        values=[("Q1", "83.99"), ("Q2", "88.31")],
    )
    konversi = results.evaluate(indicator, "Q1", [])
    assert konversi.met is False and konversi.achievement == D("83.99") * 100 / 84
    assert konversi.band.mutu == "B"
    band = results.evaluate(indicator, "Q2", [])
    assert band.met is True and band.achievement == 100
