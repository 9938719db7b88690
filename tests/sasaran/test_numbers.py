"""Tests of sasaran.numbers: Indonesian number notation, pure functions, no database."""

from decimal import Decimal

import pytest

from sasaran.numbers import format_id_number, parse_id_number, round_half_up

D = Decimal


# --------------------------------------------------------------------------- rounding


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (D("107.142857"), 2, D("107.14")),
        (D("66.665"), 2, D("66.67")),  # half up, not banker's rounding
        (D("66.675"), 2, D("66.68")),
        (D("87.5"), 2, D("87.50")),
        (D("87.5"), 0, D("88")),
        (D("86.5"), 0, D("87")),
        (D("-0.005"), 2, D("-0.01")),
        ("12.3456", 3, D("12.346")),
        (5, 2, D("5.00")),
    ],
)
def test_round_half_up(value, places, expected):
    result = round_half_up(value, places)
    assert result == expected
    assert str(result) == str(expected)


def test_round_half_up_default_places_and_none():
    assert str(round_half_up(D(200) / D(3))) == "66.67"
    assert round_half_up(None) is None


# --------------------------------------------------------------------------- Indonesian notation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("87,28", D("87.28")),
        ("1.234,5", D("1234.5")),
        ("8.000", D(8000)),
        ("8.000 ", D(8000)),
        ("3,721 T", D(3721000000000)),
        ("3,721T", D(3721000000000)),
        ("3,721 t", D(3721000000000)),
        ("18,605 T", D(18605000000000)),
        ("18.605.000.000.000", D(18605000000000)),
        ("100", D(100)),
        ("0", D(0)),
        ("007", D(7)),
        ("12.5", D("12.5")),
        ("12.50", D("12.5")),
        ("3.5324", D("3.5324")),
        ("0.5", D("0.5")),
        ("3,5324", D("3.5324")),
        ("  87,28\t", D("87.28")),
        ("-3", D(-3)),
        ("+3", D(3)),
        ("-1.234,5", D("-1234.5")),
        ("Rp 5.000", D(5000)),
        ("Rp. 5.000", D(5000)),
        ("Rp5.000", D(5000)),
        ("rp.5.000", D(5000)),
        ("RP 1.500.000,00", D(1500000)),
        ("Rp 5.000,-", D(5000)),
        ("-Rp 5.000", D(-5000)),
        ("Rp -5.000", D(-5000)),
        ("2 M", D(2000000000)),
        ("1,5 m", D(1500000000)),
        ("2 miliar", D(2000000000)),
        ("2 Milyar", D(2000000000)),
        ("1 triliun", D(10**12)),
        ("Rp 1,5 jt", D(1500000)),
        ("1,5 JT", D(1500000)),
        ("250 juta", D(250000000)),
        ("1.000 jt", D(10**9)),
        ("1,2345678 jt", D("1234567.8")),
        ("-3,5 M", D(-3500000000)),
        ("1.000.000", D(1000000)),
        ("999", D(999)),
        ("1234,5", D("1234.5")),
    ],
)
def test_parse_id_number(text, expected):
    result = parse_id_number(text)
    assert isinstance(result, Decimal)
    assert result == expected


def test_parse_id_number_keeps_typed_decimals_and_plain_exponent():
    assert str(parse_id_number("87,20")) == "87.20"
    assert str(parse_id_number("3,721 T")) == "3721000000000"
    assert str(parse_id_number("1,2345678 jt")) == "1234567.8"
    assert str(parse_id_number("-0")) == "0"


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "1,2,3",
        "1.23.4",
        "",
        "   ",
        "12 X",
        "1,234.5",  # English notation
        "1.234.5",
        "1234.567",  # a three-digit group after a four-digit head: ambiguous
        "0.500",  # a three-digit group after 0: ambiguous
        "12.",
        ".5",
        ",5",
        "5,",
        "1..000",
        "1.0000.000",
        "--3",
        "-Rp -3",
        "Rp",
        "T",
        "3 T T",
        "3 K",
        "87,28 %",
        "1e5",
        "NaN",
        "١٢",  # non-ASCII digits
        "1 000",
        "1" * 101,
    ],
)
def test_parse_id_number_rejects(text):
    with pytest.raises(ValueError) as excinfo:
        parse_id_number(text)
    message = str(excinfo.value)
    assert message.startswith("Bukan angka yang sah: ")
    assert "Contoh: 87,28 atau 1.234,5 atau 3,721 T." in message


def test_parse_id_number_message_quotes_input():
    with pytest.raises(ValueError) as excinfo:
        parse_id_number("abc")
    assert str(excinfo.value) == (
        "Bukan angka yang sah: 'abc'. Contoh: 87,28 atau 1.234,5 atau 3,721 T."
    )


@pytest.mark.parametrize("value", [None, 5, D(5)])
def test_parse_id_number_needs_text(value):
    with pytest.raises(TypeError):
        parse_id_number(value)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (D("1234.5"), 2, "1.234,50"),
        (D("107.142857"), 2, "107,14"),
        (D("66.665"), 2, "66,67"),
        (D("0.005"), 2, "0,01"),
        (D("-0.004"), 2, "0,00"),
        (D("-1234.5"), 2, "-1.234,50"),
        (D("18605000000000"), 2, "18.605.000.000.000,00"),
        (D("18605000000000"), 0, "18.605.000.000.000"),
        (D("999.995"), 2, "1.000,00"),
        (D("87.28"), 2, "87,28"),
        (D("3.5324"), 4, "3,5324"),
        (D("2.5"), 0, "3"),
        (8000, 0, "8.000"),
        ("1234567.891", 1, "1.234.567,9"),
        (0, 2, "0,00"),
        (D(100), 2, "100,00"),
        (D("1E+3"), 2, "1.000,00"),
        (D("123456789012345678901234567890.125"), 2, "123.456.789.012.345.678.901.234.567.890,13"),
    ],
)
def test_format_id_number(value, places, expected):
    assert format_id_number(value, places) == expected


def test_format_id_number_default_places():
    assert format_id_number(D("1234.5")) == "1.234,50"


@pytest.mark.parametrize(
    "value", [D("87.28"), D("1234.5"), D("18605000000000"), D("-3.5"), D("0.25")]
)
def test_format_then_parse_round_trip(value):
    assert parse_id_number(format_id_number(value, 2)) == value


def test_format_id_number_none_rejected():
    with pytest.raises(TypeError):
        format_id_number(None)
