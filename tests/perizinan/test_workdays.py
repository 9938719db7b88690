"""Working days as the government counts them (sasaran/perizinan/workdays.py): pure
functions, over the real Indonesian holidays and cuti bersama of 2023 and 2024 as the
`holidays` package gives them (public and government categories)."""

import datetime

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sasaran.perizinan.workdays import (
    WorkCalendar,
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)

D = datetime.date


def indonesia(years, categories=("public", "government")):
    return set(holidays.country_holidays("ID", years=years, categories=categories).keys())


ALL = indonesia([2022, 2023, 2024, 2025])  # national holidays and cuti bersama: days off
NATIONAL = indonesia([2022, 2023, 2024, 2025], categories=("public",))  # cuti bersama worked


def test_the_package_knows_idul_fitri_2023_and_its_cuti_bersama():
    national = indonesia([2023], ("public",))
    cuti = indonesia([2023], ("government",))
    assert {D(2023, 4, 22), D(2023, 4, 23)} <= national  # Idul Fitri (a weekend)
    assert {D(2023, 4, 19), D(2023, 4, 20), D(2023, 4, 21), D(2023, 4, 24), D(2023, 4, 25)} <= cuti
    assert D(2023, 8, 17) in national and D(2023, 12, 26) in cuti


def test_same_day_issuance_is_zero_working_days():
    assert working_days_between(D(2023, 8, 16), D(2023, 8, 16), ALL) == 0


def test_the_complete_day_does_not_count_the_issue_day_does():
    # Monday complete, Tuesday issued: one working day; Friday: four.
    assert working_days_between(D(2023, 3, 6), D(2023, 3, 7), ALL) == 1
    assert working_days_between(D(2023, 3, 6), D(2023, 3, 10), ALL) == 4


def test_weekends_do_not_count():
    # Friday complete, next Monday issued: 1; the Friday after: 5.
    assert working_days_between(D(2023, 3, 10), D(2023, 3, 13), ALL) == 1
    assert working_days_between(D(2023, 3, 10), D(2023, 3, 17), ALL) == 5
    # Issued on a Saturday: the weekend adds nothing.
    assert working_days_between(D(2023, 3, 10), D(2023, 3, 11), ALL) == 0


def test_a_file_completed_on_a_day_off_counts_from_the_next_working_day():
    # Completed on Saturday 11 March 2023: Monday is the (uncounted) first day.
    assert working_days_between(D(2023, 3, 11), D(2023, 3, 13), ALL) == 0
    assert working_days_between(D(2023, 3, 11), D(2023, 3, 14), ALL) == 1


def test_idul_fitri_2023_with_cuti_bersama_as_days_off():
    # Complete Tuesday 18 April, issued Wednesday 26 April 2023: 19-21 and 24-25 are cuti
    # bersama, 22-23 Idul Fitri on the weekend: only the 26th counts.
    assert working_days_between(D(2023, 4, 18), D(2023, 4, 26), ALL) == 1
    # An office open on cuti bersama counts them: 19, 20, 21, 24, 25, 26.
    assert working_days_between(D(2023, 4, 18), D(2023, 4, 26), NATIONAL) == 6
    # Completed during the cuti bersama: counted from the next working day, 26 April.
    assert working_days_between(D(2023, 4, 20), D(2023, 4, 26), ALL) == 0
    assert working_days_between(D(2023, 4, 20), D(2023, 4, 27), ALL) == 1


def test_a_holiday_only_week_counts_nothing():
    # Idul Fitri 2024: Monday 8 to Friday 12 April are all holidays or cuti bersama.
    week = [D(2024, 4, 8) + datetime.timedelta(days=n) for n in range(5)]
    assert not any(is_working_day(day, ALL) for day in week)
    assert working_days_between(D(2024, 4, 5), D(2024, 4, 14), ALL) == 0
    assert working_days_between(D(2024, 4, 5), D(2024, 4, 15), ALL) == 0  # 15 April: cuti bersama
    assert working_days_between(D(2024, 4, 5), D(2024, 4, 16), ALL) == 1
    # With cuti bersama worked: 8, 9 and 12 April (10-11 are Idul Fitri), 15, 16.
    assert working_days_between(D(2024, 4, 5), D(2024, 4, 16), NATIONAL) == 5


def test_holidays_of_2024_election_day_and_christmas():
    # Pemilu, Wednesday 14 February 2024: a national holiday.
    assert working_days_between(D(2024, 2, 13), D(2024, 2, 15), ALL) == 1
    # Christmas 25 December and cuti bersama 26 December 2024.
    assert working_days_between(D(2024, 12, 24), D(2024, 12, 27), ALL) == 1


def test_across_the_year_end():
    # Complete Friday 22 December 2023, issued Tuesday 2 January 2024: 25 (Natal) and 26
    # (cuti bersama) December and 1 January are off: 27, 28, 29 Dec and 2 Jan count.
    assert working_days_between(D(2023, 12, 22), D(2024, 1, 2), ALL) == 4


def test_end_before_start_is_refused():
    with pytest.raises(ValueError):
        working_days_between(D(2023, 3, 10), D(2023, 3, 9), ALL)
    with pytest.raises(TypeError):
        working_days_between(datetime.datetime(2023, 3, 9, 8), D(2023, 3, 10), ALL)


def test_deadline_of_a_standard():
    # 14 working days after 4 January 2023 skip the cuti bersama of 23 January (Imlek).
    assert add_working_days(D(2023, 1, 4), 14, ALL) == D(2023, 1, 25)
    assert add_working_days(D(2023, 4, 18), 1, ALL) == D(2023, 4, 26)
    assert add_working_days(D(2023, 3, 11), 0, ALL) == D(2023, 3, 13)
    assert next_working_day(D(2024, 4, 6), ALL) == D(2024, 4, 16)


dates = st.dates(min_value=D(2022, 1, 1), max_value=D(2025, 12, 31))


@given(dates, st.integers(min_value=0, max_value=400))
def test_the_calendar_counts_as_the_function_and_as_a_walk(start, length):
    end = start + datetime.timedelta(days=length)
    end = min(end, D(2025, 12, 31))
    expected = working_days_between(start, end, ALL)
    assert WorkCalendar(ALL).between(start, end) == expected
    # A plain walk over the days: the working days after the first working day.
    first = next_working_day(start, ALL)
    walked = sum(
        1
        for n in range(1, (end - first).days + 1)
        if is_working_day(first + datetime.timedelta(days=n), ALL)
    )
    assert expected == walked


@given(dates, st.integers(min_value=0, max_value=30))
def test_the_deadline_is_the_last_day_within_the_standard(start, days):
    deadline = add_working_days(start, days, ALL)
    assert working_days_between(start, deadline, ALL) == days
    after = next_working_day(deadline + datetime.timedelta(days=1), ALL)
    assert working_days_between(start, after, ALL) == days + 1
