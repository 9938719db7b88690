"""Tests of sasaran.scoring: pure functions, no database.

The quarter achievement tests go through `results.evaluate`, the rule every page uses, on an
unsaved indicator holding plain rows (still no database)."""

from dataclasses import FrozenInstanceError
from decimal import Decimal
from fractions import Fraction

import pytest

from sasaran import results
from sasaran.dashboard import PlainRealisation, PlainTarget
from sasaran.models import Indicator
from sasaran.numbers import format_id_number, parse_id_number, round_half_up
from sasaran.periods import QUARTER_NUMBERS, quarter_code
from sasaran.scoring import (
    DEFAULT_CATEGORY_SCALE,
    Aggregation,
    Band,
    Category,
    Polarity,
    achievement,
    band_floor,
    categorise,
    combine,
    index_band,
    index_target_met,
    to_konversi,
    year_to_date,
)

D = Decimal

A = Band(4, "A", "Sangat Baik")
B = Band(3, "B", "Baik")
C = Band(2, "C", "Kurang Baik")
BAND_D = Band(1, "D", "Tidak Baik")


# --------------------------------------------------------------------------- bands


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("25.00", BAND_D),
        ("64.99", BAND_D),
        ("64.999", BAND_D),
        ("65.00", C),
        ("76.60", C),
        ("76.605", C),  # in the published gap: below 76.61, so C
        ("76.6099", C),
        ("76.61", B),
        ("88.30", B),
        ("88.309", B),
        ("88.31", A),  # 88.31 itself is A
        ("100.00", A),
        (25, BAND_D),
        (65, C),
        (100, A),
        (D("88.31"), A),
        (D("76.61"), B),
    ],
)
def test_index_band_konversi_boundaries(value, expected):
    assert index_band(value) == expected
    assert index_band(value, scale="konversi") == expected


@pytest.mark.parametrize(
    ("value", "konversi", "expected"),
    [
        ("1.00", D("25.00"), BAND_D),
        ("2.5996", D("64.99"), BAND_D),
        ("2.60", D("65.00"), C),
        ("3.064", D("76.60"), C),
        ("3.0644", D("76.61"), B),
        ("3.532", D("88.30"), B),
        ("3.5324", D("88.31"), A),
        ("4.00", D("100.00"), A),
        (4, D(100), A),
        (1, D(25), BAND_D),
    ],
)
def test_index_band_interval_boundaries(value, konversi, expected):
    assert to_konversi(value, "interval") == konversi
    assert index_band(value, scale="interval") == expected


def test_index_band_fields_and_frozen():
    band = index_band("88.31")
    assert (band.nilai, band.mutu, band.kinerja) == (4, "A", "Sangat Baik")
    with pytest.raises(FrozenInstanceError):
        band.nilai = 3  # type: ignore[misc]


def test_perfect_survey_from_exact_fraction_is_a():
    # Nine unsur answered 4 with weight 1/9 each: exactly 4 on the interval scale.
    interval = sum((Fraction(4) * Fraction(1, 9) for _ in range(9)), Fraction(0))
    assert to_konversi(interval, "interval") == D(100)
    assert index_band(interval, "interval") == A


def test_fraction_input_exact_at_boundary():
    # 8831/100 is exactly the A bound; a Fraction converts without losing it.
    assert index_band(Fraction(8831, 100)) == A
    assert index_band(Fraction(88309, 1000)) == B


def test_to_konversi_returns_decimal_unchanged_for_konversi():
    assert to_konversi("87.28", "konversi") == D("87.28")
    assert isinstance(to_konversi(80, "konversi"), Decimal)


@pytest.mark.parametrize(
    ("value", "scale"),
    [
        ("24.99", "konversi"),
        ("100.01", "konversi"),
        (0, "konversi"),
        (-1, "konversi"),
        (4, "konversi"),  # an interval value given as konversi is out of range
        ("0.99", "interval"),
        ("4.01", "interval"),
        (25, "interval"),  # a konversi value given as interval is out of range
        (0, "interval"),
    ],
)
def test_index_band_out_of_range(value, scale):
    with pytest.raises(ValueError, match="harus antara"):
        index_band(value, scale=scale)
    with pytest.raises(ValueError, match="harus antara"):
        to_konversi(value, scale)


def test_index_band_range_message_names_the_scale_and_value():
    with pytest.raises(ValueError) as excinfo:
        index_band("101.5")
    message = str(excinfo.value)
    assert "konversi" in message
    assert "25" in message and "100" in message
    assert "101,5" in message


def test_index_band_unknown_scale():
    with pytest.raises(ValueError):
        index_band(80, scale="persen")


@pytest.mark.parametrize("value", ["abc", "87,28", "NaN", "Infinity"])
def test_index_band_rejects_non_numbers(value):
    with pytest.raises(ValueError):
        index_band(value)


@pytest.mark.parametrize("value", [None, True])
def test_index_band_rejects_none_and_bool(value):
    with pytest.raises(TypeError):
        index_band(value)


@pytest.mark.parametrize(
    ("realised", "scale", "target", "expected"),
    [
        ("88.31", "konversi", 4, True),
        ("88.30", "konversi", 4, False),
        ("88.30", "konversi", 3, True),
        ("76.605", "konversi", 3, False),
        ("100", "konversi", 4, True),
        ("3.5324", "interval", 4, True),
        ("3.532", "interval", 4, False),
        ("2.60", "interval", 2, True),
        ("2.5996", "interval", 2, False),
        ("25", "konversi", 1, True),
        ("95", "konversi", "4", True),
        ("95", "konversi", D(3), True),
    ],
)
def test_index_target_met(realised, scale, target, expected):
    assert index_target_met(realised_value=realised, target_nilai=target, scale=scale) is expected


def test_index_target_met_missing_realisation_is_not_met():
    assert index_target_met(realised_value=None, target_nilai=4) is False


@pytest.mark.parametrize("target", [0, 5, "3.5", -1])
def test_index_target_met_bad_target(target):
    with pytest.raises(ValueError, match="1-4"):
        index_target_met(realised_value=90, target_nilai=target)


def test_index_target_met_out_of_range_realisation():
    with pytest.raises(ValueError):
        index_target_met(realised_value=101, target_nilai=4)


# --------------------------------------------------------------------------- achievement


@pytest.mark.parametrize(
    ("target", "realisation", "polarity", "expected", "rounded"),
    [
        (7, "6.5", "lower", D(750) / D(7), D("107.14")),
        (8, 9, "lower", D("87.5"), D("87.50")),
        (8, 8, "lower", D(100), D("100.00")),
        (8, 0, "lower", D(200), D("200.00")),
        (8, 16, "lower", D(0), D("0.00")),  # exactly 0, not clamped yet
        (8, 20, "lower", D(0), D("0.00")),  # clamped
        (1, 3, "lower", D(0), D("0.00")),
        (100, "87.28", "higher", D("87.28"), D("87.28")),
        (4, 4, "higher", D(100), D("100.00")),
        (3, 2, "higher", D(200) / D(3), D("66.67")),
        (8000, 9000, "higher", D("112.5"), D("112.50")),
        (2, 0, "higher", D(0), D("0.00")),
        ("3721000000000", "3000000000000", "higher", D(300000) / D(3721), D("80.62")),
    ],
)
def test_achievement_polarities(target, realisation, polarity, expected, rounded):
    result = achievement(target=target, realisation=realisation, polarity=polarity)
    assert isinstance(result, Decimal)
    assert round_half_up(result, 20) == round_half_up(expected, 20)
    if rounded is not None:
        assert round_half_up(result) == rounded


def test_achievement_lower_example_exact_digits():
    result = achievement(target=7, realisation=D("6.5"), polarity="lower")
    assert str(result).startswith("107.142857142857")
    assert round_half_up(result) == D("107.14")
    assert format_id_number(result) == "107,14"


def test_achievement_default_polarity_is_higher():
    assert achievement(target=100, realisation="87.28") == D("87.28")


def test_achievement_accepts_enum_polarity():
    assert achievement(target=8, realisation=9, polarity=Polarity.LOWER) == D("87.5")


def test_achievement_never_negative_for_lower():
    for realisation in (17, 100, 10**9):
        assert achievement(target=8, realisation=realisation, polarity="lower") == 0


@pytest.mark.parametrize("target", [0, "0", D("0.00"), None])
def test_achievement_zero_or_missing_target_is_not_applicable_where_higher_is_better(target):
    assert achievement(target=target, realisation=5, polarity="higher") is None
    assert achievement(target=target, realisation=0, polarity="higher") is None


def test_achievement_missing_target_is_not_applicable_where_lower_is_better():
    assert achievement(target=None, realisation=0, polarity="lower") is None


@pytest.mark.parametrize("target", [0, "0", D("0.00")])
def test_zero_tolerance_target_where_lower_is_better(target):
    """ "0 % pungutan liar": 0 is met at 100 %, anything above 0 is missed at 0 %."""
    assert achievement(target=target, realisation=0, polarity="lower") == 100
    assert achievement(target=target, realisation=D("0.00"), polarity="lower") == 100
    assert achievement(target=target, realisation=D("0.01"), polarity="lower") == 0
    assert achievement(target=target, realisation=10**9, polarity="lower") == 0


def test_zero_tolerance_range_keeps_the_range_rule():
    assert achievement(target=0, upper=2, realisation=1, polarity="lower") == 100
    assert achievement(target=0, upper=2, realisation=3, polarity="lower") == 50


@pytest.mark.parametrize("polarity", ["higher", "lower"])
def test_achievement_missing_realisation_is_not_applicable(polarity):
    assert achievement(target=8, realisation=None, polarity=polarity) is None


def test_achievement_negative_target_rejected():
    with pytest.raises(ValueError, match="negatif"):
        achievement(target=-5, realisation=3)


def test_achievement_unknown_polarity():
    with pytest.raises(ValueError):
        achievement(target=5, realisation=3, polarity="both")


@pytest.mark.parametrize(
    ("lower", "upper", "realisation", "polarity", "expected"),
    [
        # higher is better, range 80-90
        (80, 90, 80, "higher", D(100)),
        (80, 90, 85, "higher", D(100)),
        (80, 90, 90, "higher", D(100)),
        (80, 90, 99, "higher", D(110)),  # above: R / upper
        (80, 90, 60, "higher", D(75)),  # below: R / lower
        # lower is better, range 2-4 (e.g. working days)
        (2, 4, 3, "lower", D(100)),
        (2, 4, 2, "lower", D(100)),
        (2, 4, 4, "lower", D(100)),
        (2, 4, 5, "lower", D(75)),  # above: (2*4 - 5) / 4
        (2, 4, 10, "lower", D(0)),  # above, clamped: (8 - 10) / 4 < 0
        (2, 4, 1, "lower", D(150)),  # below: (2*2 - 1) / 2
        # a range starting at 0 is a real target
        (0, 2, 0, "lower", D(100)),
        (0, 2, 1, "lower", D(100)),
        (0, 2, 3, "lower", D(50)),  # (2*2 - 3) / 2
        (0, 2, 3, "higher", D(150)),
        # a degenerate range behaves like a single target
        (5, 5, 5, "higher", D(100)),
        (5, 5, 4, "higher", D(80)),
    ],
)
def test_achievement_range(lower, upper, realisation, polarity, expected):
    result = achievement(target=lower, upper=upper, realisation=realisation, polarity=polarity)
    assert result == expected


def test_achievement_range_zero_divisor_is_not_applicable():
    # realisation below a lower bound of 0 (or above a 0..0 range) has nothing to divide by
    assert achievement(target=0, upper=2, realisation=-1) is None
    assert achievement(target=0, upper=0, realisation=1, polarity="lower") is None
    assert achievement(target=0, upper=0, realisation=0) == D(100)


def test_achievement_range_missing_values():
    assert achievement(target=None, upper=5, realisation=3) is None
    assert achievement(target=1, upper=5, realisation=None) is None


def test_achievement_range_upper_below_lower_rejected():
    with pytest.raises(ValueError, match="Batas atas"):
        achievement(target=5, upper=4, realisation=4)


# --------------------------------------------------------------------------- combine / YTD


@pytest.mark.parametrize(
    ("values", "how", "expected"),
    [
        ([1, 2, 3, 4], "sum", D(10)),
        ([1, None, 3, None], "sum", D(4)),
        (["1.5", D("2.25")], "sum", D("3.75")),
        ([1, 2, 3, 4], "average", D("2.5")),
        ([80, None, 90], "average", D(85)),  # a missing quarter is not a zero
        ([1, 2], "average", D("1.5")),
        ([1, 2, 3], "last", D(3)),
        ([1, 2, None], "last", D(2)),
        ([None, 7, None, None], "last", D(7)),
        ([0, 0], "sum", D(0)),
        ([0, None], "last", D(0)),
        ([], "sum", None),
        ([None, None], "sum", None),
        ([None], "average", None),
        ([], "last", None),
    ],
)
def test_combine(values, how, expected):
    assert combine(values, how) == expected


def test_combine_average_repeating():
    assert round_half_up(combine([1, 1, 2], "average"), 4) == D("1.3333")


def test_combine_accepts_generators_and_enum():
    assert combine((x for x in [1, 2, 3]), Aggregation.SUM) == 6


def test_combine_unknown_how():
    with pytest.raises(ValueError):
        combine([1, 2], "median")


@pytest.mark.parametrize(
    ("values", "quarter", "how", "expected"),
    [
        ({1: 1, 2: 1, 3: 0}, 1, "sum", D(1)),
        ({1: 1, 2: 1, 3: 0}, 2, "sum", D(2)),
        ({1: 1, 2: 1, 3: 0}, 3, "sum", D(2)),
        ({1: 1, 2: 1, 3: 0}, 4, "sum", D(2)),  # TW 4 missing
        ({1: 80, 2: 90, 3: None, 4: 70}, 4, "average", D(80)),
        ({1: 80, 2: 90, 3: None, 4: 70}, 3, "last", D(90)),
        ({2: 5}, 1, "sum", None),
        ({}, 4, "sum", None),
        (None, 2, "sum", None),
    ],
)
def test_year_to_date(values, quarter, how, expected):
    assert year_to_date(values, quarter, how) == expected


@pytest.mark.parametrize("quarter", [0, 5, -1, "2", 2.0, True, None])
def test_year_to_date_bad_quarter(quarter):
    with pytest.raises(ValueError, match="Triwulan"):
        year_to_date({1: 1}, quarter, "sum")


# --------------------------------------------------------------------------- quarter achievement


def quarter_achievement(
    *,
    quarter,
    targets,
    realisations,
    polarity="higher",
    cumulative=False,
    aggregation="sum",
    upper=None,
):
    """The capaian `results.evaluate` gives TW `quarter` of a quarterly indicator.

    `targets` and `realisations` map quarter numbers to values; `upper` is one upper bound for
    every quarter or a mapping per quarter.
    """
    indicator = Indicator(
        kind=Indicator.Kind.COUNT,
        frequency=Indicator.Frequency.QUARTERLY,
        polarity=polarity,
        cumulative=cumulative,
        aggregation=aggregation,
    )
    uppers = upper if isinstance(upper, dict) else dict.fromkeys(QUARTER_NUMBERS, upper)
    indicator.plain_targets = [
        PlainTarget(quarter_code(q), value, uppers.get(q)) for q, value in (targets or {}).items()
    ]
    indicator.plain_realisations = [
        PlainRealisation(quarter_code(q), value, "approved", "")
        for q, value in (realisations or {}).items()
    ]
    return results.evaluate(indicator, quarter_code(quarter), scale=[]).achievement


CUMULATIVE_COUNT_TARGETS = {1: 1, 2: 2, 3: 3, 4: 4}


@pytest.mark.parametrize(
    ("quarter", "realisations", "expected"),
    [
        (1, {1: 1, 2: 1, 3: 0}, D("100.00")),
        (2, {1: 1, 2: 1, 3: 0}, D("100.00")),
        (3, {1: 1, 2: 1, 3: 0}, D("66.67")),  # 2 to date against 3 to date
        # TW 4 not yet reported: no capaian yet, the dashboard counts it as missing (the old
        # unused rule gave 2 of 4, 50,00 %, a "missed" target for a figure nobody entered).
        (4, {1: 1, 2: 1, 3: 0}, None),
        (4, {1: 1, 2: 1, 3: 1, 4: 1}, D("100.00")),
        (2, {1: 2, 2: 0}, D("100.00")),  # early delivery counts towards the date
    ],
)
def test_quarter_achievement_cumulative_counts(quarter, realisations, expected):
    result = quarter_achievement(
        quarter=quarter,
        targets=CUMULATIVE_COUNT_TARGETS,
        realisations=realisations,
        cumulative=True,
        aggregation="sum",
    )
    assert round_half_up(result) == expected


def test_quarter_achievement_cumulative_exact_value():
    result = quarter_achievement(
        quarter=3,
        targets=CUMULATIVE_COUNT_TARGETS,
        realisations={1: 1, 2: 1, 3: 0},
        cumulative=True,
    )
    assert result == D(200) / D(3)


MONEY_TARGETS = {
    1: parse_id_number("3,721 T"),
    2: parse_id_number("7,442 T"),
    3: parse_id_number("12,093 T"),
    4: parse_id_number("18,605 T"),
}


@pytest.mark.parametrize(
    ("quarter", "realisations", "expected"),
    [
        (1, {1: 3721 * 10**9}, D("100.00")),
        (2, {1: 3721 * 10**9, 2: 3721 * 10**9}, D("100.00")),
        (2, {1: 3 * 10**12, 2: 4 * 10**12}, D("94.06")),  # 7 T of 7,442 T
        (3, {1: 3 * 10**12, 2: 4 * 10**12, 3: 5 * 10**12}, D("99.23")),  # 12 T of 12,093 T
        (4, {1: 5 * 10**12, 2: 5 * 10**12, 3: 5 * 10**12, 4: 5 * 10**12}, D("107.50")),
    ],
)
def test_quarter_achievement_cumulative_money(quarter, realisations, expected):
    result = quarter_achievement(
        quarter=quarter, targets=MONEY_TARGETS, realisations=realisations, cumulative=True
    )
    assert round_half_up(result) == expected


def test_quarter_achievement_per_quarter_vs_cumulative():
    targets = {1: 1, 2: 2, 3: 3, 4: 4}
    realisations = {1: 1, 2: 1, 3: 1, 4: 1}
    per_quarter = [
        quarter_achievement(quarter=q, targets=targets, realisations=realisations)
        for q in (1, 2, 3, 4)
    ]
    cumulative = [
        quarter_achievement(quarter=q, targets=targets, realisations=realisations, cumulative=True)
        for q in (1, 2, 3, 4)
    ]
    assert [round_half_up(v) for v in per_quarter] == [
        D("100.00"),
        D("50.00"),
        D("33.33"),
        D("25.00"),
    ]
    assert [round_half_up(v) for v in cumulative] == [D("100.00")] * 4


def test_quarter_achievement_same_target_each_quarter():
    targets = {1: 1, 2: 1, 3: 1, 4: 1}
    realisations = {1: 1, 2: 0, 3: 2, 4: 1}
    results = [
        quarter_achievement(quarter=q, targets=targets, realisations=realisations)
        for q in (1, 2, 3, 4)
    ]
    assert results == [D(100), D(0), D(200), D(100)]


@pytest.mark.parametrize("cumulative", [False, True])
def test_quarter_achievement_zero_target_quarter_not_applicable(cumulative):
    targets = {1: 0, 2: 0, 3: 30, 4: 60}
    realisations = {1: 0, 2: 5, 3: 25, 4: 30}
    kwargs = {"targets": targets, "realisations": realisations, "cumulative": cumulative}
    assert quarter_achievement(quarter=1, **kwargs) is None
    assert quarter_achievement(quarter=2, **kwargs) is None
    tw3 = quarter_achievement(quarter=3, **kwargs)
    tw4 = quarter_achievement(quarter=4, **kwargs)
    if cumulative:
        assert tw3 == D(100)  # 0 + 5 + 25 = 30 of 30
        assert tw4 == D(100)  # 60 of 60
    else:
        assert round_half_up(tw3) == D("83.33")  # 25 of 30
        assert tw4 == D(50)  # 30 of 60


def test_quarter_achievement_missing_values():
    targets = {1: 4, 2: 4, 3: 4}
    assert quarter_achievement(quarter=4, targets=targets, realisations={4: 4}) is None
    assert quarter_achievement(quarter=2, targets=targets, realisations={1: 4}) is None
    assert quarter_achievement(quarter=2, targets=targets, realisations={2: None}) is None
    assert quarter_achievement(quarter=1, targets={}, realisations={}) is None
    assert quarter_achievement(quarter=1, targets=None, realisations=None) is None
    # cumulative with nothing reported yet
    assert quarter_achievement(quarter=2, targets=targets, realisations={}, cumulative=True) is None


def test_quarter_achievement_lower_polarity_per_quarter():
    targets = {1: 7, 2: 8}
    realisations = {1: "6.5", 2: 9}
    tw1 = quarter_achievement(
        quarter=1, targets=targets, realisations=realisations, polarity="lower"
    )
    tw2 = quarter_achievement(
        quarter=2, targets=targets, realisations=realisations, polarity="lower"
    )
    assert round_half_up(tw1) == D("107.14")
    assert tw2 == D("87.5")


def test_quarter_achievement_cumulative_average_and_last():
    targets = {1: 80, 2: 80, 3: 80, 4: 80}
    realisations = {1: 70, 2: 90, 3: 86}
    average = quarter_achievement(
        quarter=3,
        targets=targets,
        realisations=realisations,
        cumulative=True,
        aggregation="average",
    )
    last = quarter_achievement(
        quarter=3, targets=targets, realisations=realisations, cumulative=True, aggregation="last"
    )
    assert average == D("102.5")  # (70 + 90 + 86) / 3 = 82, of 80
    assert last == D("107.5")  # 86 of 80


def test_quarter_achievement_range_scalar_and_per_quarter_upper():
    targets = {1: 2, 2: 2}
    realisations = {1: 3, 2: 5}
    assert (
        quarter_achievement(
            quarter=1, targets=targets, realisations=realisations, polarity="lower", upper=4
        )
        == 100
    )
    assert (
        quarter_achievement(
            quarter=2, targets=targets, realisations=realisations, polarity="lower", upper=4
        )
        == 75
    )
    assert (
        quarter_achievement(
            quarter=2,
            targets=targets,
            realisations=realisations,
            polarity="lower",
            upper={1: 4, 2: 5},
        )
        == 100
    )


@pytest.mark.parametrize("quarter", [0, 5, "1"])
def test_quarter_achievement_bad_quarter(quarter):
    with pytest.raises(ValueError):
        quarter_achievement(quarter=quarter, targets={1: 1}, realisations={1: 1})


def test_quarter_achievement_bad_aggregation_where_quarters_are_combined():
    # An aggregation is read where quarters are combined (cumulative); a per-quarter figure
    # never combines, so the unused rule's check "even per quarter" has no counterpart.
    with pytest.raises(ValueError):
        quarter_achievement(
            quarter=1, targets={1: 1}, realisations={1: 1}, cumulative=True, aggregation="max"
        )


# --------------------------------------------------------------------------- categories


@pytest.mark.parametrize(
    ("pct", "expected"),
    [
        (D("150"), "Sangat Baik"),
        (D("100"), "Sangat Baik"),
        (91, "Sangat Baik"),
        ("90.99", "Baik"),
        ("90.5", "Baik"),  # between published ranges: goes down
        (90, "Baik"),
        (76, "Baik"),
        ("75.99", "Cukup"),
        (66, "Cukup"),
        ("65.99", "Kurang"),
        (51, "Kurang"),
        ("50.99", "Sangat Kurang"),  # below 51: lower bounds send it down
        ("50.5", "Sangat Kurang"),
        (50, "Sangat Kurang"),
        ("0.01", "Sangat Kurang"),
        (0, "Sangat Kurang"),
        ("-0.01", None),  # below every bound
        (None, None),  # not applicable
    ],
)
def test_categorise_default_scale(pct, expected):
    assert categorise(pct) == expected
    assert categorise(pct, DEFAULT_CATEGORY_SCALE) == expected


def test_default_category_scale_is_data():
    assert [(c.min_percent, c.label) for c in DEFAULT_CATEGORY_SCALE] == [
        (D(91), "Sangat Baik"),
        (D(76), "Baik"),
        (D(66), "Cukup"),
        (D(51), "Kurang"),
        (D(0), "Sangat Kurang"),
    ]
    assert all(isinstance(c.min_percent, Decimal) for c in DEFAULT_CATEGORY_SCALE)
    assert isinstance(DEFAULT_CATEGORY_SCALE[0], Category)


CUSTOM_SCALE = [(50, "Tidak Tercapai"), ("100", "Tercapai"), (D("85.5"), "Hampir Tercapai")]


@pytest.mark.parametrize(
    ("pct", "expected"),
    [
        (120, "Tercapai"),
        (100, "Tercapai"),
        ("99.99", "Hampir Tercapai"),
        ("85.5", "Hampir Tercapai"),
        ("85.49", "Tidak Tercapai"),
        (50, "Tidak Tercapai"),
        ("49.99", None),
        (0, None),
    ],
)
def test_categorise_custom_unsorted_scale(pct, expected):
    assert categorise(pct, CUSTOM_SCALE) == expected


def test_categorise_accepts_category_tuples_and_empty_scale():
    scale = [Category(D(0), "Ada"), Category(D(100), "Penuh")]
    assert categorise(100, scale) == "Penuh"
    assert categorise(1, scale) == "Ada"
    assert categorise(50, []) is None


def test_categorise_duplicate_bounds_rejected():
    with pytest.raises(ValueError):
        categorise(50, [(50, "a"), (D("50.0"), "b")])


# ------------------------------------------------------------------ as results applies them


@pytest.mark.parametrize(
    ("nilai", "expected"),
    [(4, D("88.31")), (3, D("76.61")), (2, D(65)), (1, D(25)), (0, None), (5, None)],
)
def test_band_floor_is_where_index_band_starts(nilai, expected):
    assert band_floor(nilai) == expected
    if expected is not None:
        assert index_band(expected).nilai == nilai


def test_results_categorise_returns_the_scale_row_of_the_label():
    rows = [Category(D(91), "Sangat Baik"), Category(D(0), "Sangat Kurang")]
    assert results.categorise(D("91.00"), rows) is rows[0]
    assert results.categorise(D("90.99"), rows) is rows[1]
    assert results.categorise(None, rows) is None
    assert results.categorise(D(-1), rows) is None


# --------------------------------------------------------------------------- index targets


def test_index_target_reads_band_or_konversi():
    from sasaran.scoring import IndexScale, index_target

    assert index_target(4) == (IndexScale.INTERVAL, 4)
    assert index_target("1") == (IndexScale.INTERVAL, 1)
    assert index_target(84) == (IndexScale.KONVERSI, 84)
    assert index_target("25") == (IndexScale.KONVERSI, 25)
    assert index_target(100) == (IndexScale.KONVERSI, 100)
    for wrong in (0, "3.5", 5, "24.99", "100.01", -1):
        with pytest.raises(ValueError, match="pita 1-4"):
            index_target(wrong)


@pytest.mark.parametrize(
    "target, realised, met",
    [
        (4, "88.30", False),
        (4, "88.31", True),
        ("88.31", "88.30", False),
        ("88.31", "88.31", True),
        (3, "76.60", False),
        (3, "76.61", True),
        (84, "83.99", False),
        (84, "84", True),
    ],
)
def test_index_result_on_both_scales_at_the_band_edges(target, realised, met):
    from sasaran.scoring import index_result

    pct, was_met = index_result(realised_value=realised, target=target)
    assert was_met is met
    floor = {4: D("88.31"), 3: D("76.61")}.get(target, D(str(target)))
    assert pct == D(realised) * 100 / floor


def test_index_result_konversi_target_capaian():
    from sasaran.scoring import index_result

    assert index_result(realised_value=84, target=84) == (100, True)
    assert index_result(realised_value=42, target=84) == (50, False)


# --------------------------------------------------------------------------- whole numbers


def test_check_whole_refuses_fractions():
    from sasaran.scoring import check_whole

    assert check_whole("1234") == 1234
    assert check_whole(D("12.00")) == 12
    assert check_whole(0) == 0
    with pytest.raises(ValueError, match="bilangan bulat"):
        check_whole(D("1234.5"))
    with pytest.raises(ValueError, match="bilangan bulat"):
        check_whole(D("0.01"))
