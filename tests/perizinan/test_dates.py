"""Dates of exported logs as Indonesian offices write them (sasaran/perizinan/dates.py)."""

import datetime

import pytest

from sasaran.perizinan.dates import DateError, parse_date, parse_moment

D = datetime.date
T = datetime.time


@pytest.mark.parametrize(
    "text",
    [
        "17/08/2023",
        "17-08-2023",
        "17.08.2023",
        "17/8/23",
        "2023-08-17",
        "17 Agustus 2023",
        "17 agustus 2023",
        "Kamis, 17 Agustus 2023",
        "17 Agt 2023",
        "17-Agu-2023",
        "17 Aug 2023",
        "17-Aug-2023",
        "17 August 2023",
        "45155",  # an Excel serial number from an unformatted cell
        " 17/08/2023 ",
    ],
)
def test_a_date_written_any_usual_way(text):
    assert parse_date(text) == D(2023, 8, 17)


def test_times_are_kept_when_given():
    assert parse_moment("17/08/2023 14:30") == (D(2023, 8, 17), T(14, 30))
    assert parse_moment("2023-08-17T14:30:05") == (D(2023, 8, 17), T(14, 30, 5))
    assert parse_moment("17 Agustus 2023 pukul 14.30 WIB") == (D(2023, 8, 17), T(14, 30))
    assert parse_moment("45155,5") == (D(2023, 8, 17), T(12, 0))
    assert parse_moment(45155.75) == (D(2023, 8, 17), T(18, 0))
    assert parse_moment(datetime.datetime(2023, 8, 17, 9, 5)) == (D(2023, 8, 17), T(9, 5))
    assert parse_moment(datetime.datetime(2023, 8, 17)) == (D(2023, 8, 17), None)
    assert parse_moment(D(2023, 8, 17)) == (D(2023, 8, 17), None)


def test_day_first_never_month_first():
    assert parse_date("03/04/2023") == D(2023, 4, 3)
    with pytest.raises(DateError):
        parse_date("04/13/2023")  # no 13th month


@pytest.mark.parametrize("value", [None, "", "   "])
def test_a_blank_cell_is_no_date(value):
    assert parse_moment(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "31/02/2023",
        "abc",
        "2023",
        "17 Agustusan 2023",
        "17/08/2023 25:00",
        "1e309",
        True,
        12,
        "١٢/٠٨/٢٠٢٣",
        "a\x00b",
    ],
)
def test_anything_else_is_a_date_error(value):
    with pytest.raises(DateError) as error:
        parse_moment(value)
    assert len(error.value.shown) <= 40
