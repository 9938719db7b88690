"""Chart axes tick at round values (1, 2, 2,5 or 5 × 10^k): `numbers.nice_ticks`, used by the
quarterly chart of the indicator page and the reports, and by the survey's NRR chart."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sasaran.documents.chart import quarter_chart, short_number
from sasaran.numbers import nice_ticks
from sasaran.skm import charts as survey_charts

T = Decimal(10) ** 12  # one triliun


def ints(ticks):
    return [int(t) if t == t.to_integral_value() else str(t) for t in ticks]


@pytest.mark.parametrize(
    "low, high, expected",
    [
        (0, 4, [0, 1, 2, 3, 4]),  # an IKM band
        (0, 100, [0, 25, 50, 75, 100]),  # a percentage
        (0, Decimal("97.5"), [0, 25, 50, 75, 100]),
        (0, 120, [0, 50, 100, 150]),
        (0, 3, [0, 1, 2, 3]),  # 0 to 3 reports, not 0; 0,75; 1,5; ...
        (0, 5, [0, 2, 4, 6]),  # not 0; 1,25; 2,5; 3,75; 5
        (0, 8000, [0, 2000, 4000, 6000, 8000]),  # berkas per year
        (0, Decimal("1.2"), [0, "0.5", 1, "1.5"]),
        (0, 1, [0, "0.25", "0.5", "0.75", 1]),
        (1, 4, [1, 2, 3, 4]),
        (4, 0, [0, 1, 2, 3, 4]),  # either order
        (0, 0, [0, "0.25", "0.5", "0.75", 1]),  # no data yet: still a scale
        (7, 7, [0, 2, 4, 6, 8]),  # one value: from 0 to it
    ],
)
def test_round_ticks_covering_the_range(low, high, expected):
    assert ints(nice_ticks(low, high)) == expected


def test_money_in_triliun():
    # The seed's investment target: 3,721 T to 18,605 T over the year.
    assert nice_ticks(0, Decimal("18.605") * T) == [0 * T, 5 * T, 10 * T, 15 * T, 20 * T]
    assert nice_ticks(0, Decimal("7.442") * T) == [n * 2 * T for n in range(5)]
    assert [short_number(t) for t in nice_ticks(0, Decimal("18.605") * T)] == [
        "0",
        "5 T",
        "10 T",
        "15 T",
        "20 T",
    ]
    # Whole ticks are whole numbers, not 2E+13.
    assert str(nice_ticks(0, Decimal("18.605") * T)[-1]) == "20000000000000"


@given(
    st.decimals(min_value=0, max_value=10**15, places=2, allow_nan=False),
    st.decimals(min_value=0, max_value=10**15, places=2, allow_nan=False),
)
def test_any_range_gets_a_few_round_ticks_around_it(a, b):
    ticks = nice_ticks(a, b)
    low, high = min(a, b), max(a, b)
    assert ticks[0] <= low and ticks[-1] >= high
    assert 2 <= len(ticks) <= 7
    steps = {ticks[i + 1] - ticks[i] for i in range(len(ticks) - 1)}
    assert len(steps) == 1
    (step,) = steps
    mantissa = step.scaleb(-step.adjusted()).normalize()
    assert mantissa in {1, 2, Decimal("2.5"), 5}, step
    assert all(t % step == 0 for t in ticks)  # multiples of the step: 0 is always a tick


def test_quarterly_chart_ticks_at_round_values():
    points = [
        {"label": "TW 1", "target": Decimal(1), "realised": Decimal("0.9")},
        {"label": "TW 2", "target": Decimal(2), "realised": Decimal("2.8")},
        {"label": "TW 3", "target": Decimal(3), "realised": None},
        {"label": "TW 4", "target": Decimal(3), "realised": None},
    ]
    chart = quarter_chart(points)
    assert [t["label"] for t in chart["ticks"]] == ["0", "1", "2", "3"]
    # The top tick is the top of the plot, 0 its bottom.
    assert chart["ticks"][-1]["y"] == chart["top"] and chart["ticks"][0]["y"] == chart["bottom"]

    halves = quarter_chart([{**p, "target": p["target"] / 2, "realised": None} for p in points])
    assert [t["label"] for t in halves["ticks"]] == ["0", "0,5", "1", "1,5"]


def test_quarterly_chart_without_data_has_a_scale():
    chart = quarter_chart([{"label": f"TW {n}", "target": None, "realised": None} for n in "1234"])
    assert [t["label"] for t in chart["ticks"]] == ["0", "0,25", "0,5", "0,75", "1"]


def test_survey_nrr_chart_ticks_on_the_answer_scale():
    row = SimpleNamespace(
        unsur=SimpleNamespace(code="U1", name="Persyaratan"),
        nrr=Decimal("3.23"),
        weakest=False,
        strongest=False,
    )
    chart = survey_charts.nrr_chart(SimpleNamespace(unsur_rows=[row]))
    assert [t["label"] for t in chart.ticks] == ["1", "2", "3", "4"]
    assert chart.ticks[-1]["x"] == str(float(chart.plot_left + survey_charts.PLOT_WIDTH))
