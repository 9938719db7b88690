"""Targets as offices write them (`sasaran.targets`): the one text of a target for pages and
exports, the document's TW 1-4 / TAHUNAN cells for targets of any period, and reading those
cells back."""

import itertools
import random
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from sasaran import targets
from sasaran.models import Indicator
from sasaran.periods import MONTHS, QUARTERS, SEMESTERS


def indicator(**fields):
    values = {
        "kind": "percentage",
        "polarity": "higher",
        "frequency": "quarterly",
        "max_value": None,
        "unit_of_measure": "",
        **fields,
    }
    return Indicator(**values)


D = Decimal


@pytest.mark.parametrize(
    "fields, value, upper, page, document",
    [
        ({}, D(80), None, "≥ 80 %", "≥ 80"),  # higher is better: at least
        ({}, D(100), None, "100 %", "100"),  # at the maximum: no sign
        ({"max_value": D(90)}, D(90), None, "90 %", "90"),
        ({}, D("87.5000"), None, "≥ 87,5 %", "≥ 87,5"),  # every digit, none added
        ({}, D(80), D(90), "80–90 %", "80–90"),  # a range
        ({}, D(0), None, "0 %", "0"),  # nothing due
        (
            {"kind": "working_days", "polarity": "lower", "unit_of_measure": "hari kerja"},
            D(3),
            None,
            "≤ 3 hari kerja",
            "≤ 3",
        ),
        (
            {"kind": "count", "polarity": "lower", "unit_of_measure": "keluhan"},
            D(0),
            None,
            "0 keluhan",  # zero tolerance
            "0",
        ),
        ({"kind": "count", "unit_of_measure": "berkas"}, D(8000), None, "8.000 berkas", "8.000"),
        ({"kind": "score"}, D(83), None, "≥ 83", "≥ 83"),
        ({"kind": "index"}, D(4), None, "4 (A)", "4"),  # a band, with its mutu letter
        ({"kind": "index"}, D(3), None, "3 (B)", "3"),
        ({"kind": "index"}, D(84), None, "≥ 84", "≥ 84"),  # a value on the 25-100 scale
        ({"kind": "index"}, D("88.31"), None, "≥ 88,31", "≥ 88,31"),
        (
            {"kind": "money", "unit_of_measure": "rupiah"},
            D(18605000000000),
            None,
            "Rp 18.605.000.000.000",
            "18,605 T",  # short in the document when exact
        ),
        (
            {"kind": "money"},
            D(18605123456789),
            None,
            "Rp 18.605.123.456.789",
            "18.605.123.456.789",
        ),
        ({}, None, None, "—", "—"),
    ],
)
def test_target_text(fields, value, upper, page, document):
    with translation.override("id"):
        assert targets.target_text(indicator(**fields), value, upper) == page
        assert targets.target_text(indicator(**fields), value, upper, document=True) == document


def test_target_text_follows_the_language_and_is_the_template_tag():
    item = indicator()
    with translation.override("en"):
        assert targets.target_text(item, D("1234.5"), D(2000)) == "1,234.5–2,000 %"
    template = Template("{% load mutu %}{% target_text value upper item %}")
    with translation.override("id"):
        html = template.render(Context({"value": D("87.5"), "upper": None, "item": item}))
    assert html == "≥ 87,5 %"


def cells(item, rows):
    with translation.override("id"):
        return [(c.text, c.span) for c in targets.document_cells(item, rows)]


def test_document_cells_of_months_quarters_semesters_and_the_year():
    monthly = indicator(kind="count", frequency="monthly")
    rows = {m: (D(5), None) for m in MONTHS}
    rows["M02"] = (D(6), None)
    rows["Q2"] = (D(15), None)
    rows["Y"] = (D(61), None)
    assert cells(monthly, rows) == [
        ("Jan 5; Feb 6; Mar 5", 1),
        ("TW 2: 15; 5 / bulan", 1),  # a quarter's own target beside its months
        ("5 / bulan", 1),
        ("5 / bulan", 1),
        ("61", 1),
    ]
    # Some months only: each one named.
    assert cells(monthly, {"M03": (D(1), None)})[0] == ("Mar 1", 1)

    semester = indicator(kind="index", frequency="semester")
    rows = {"S1": (D(84), None), "S2": (D(86), None), "Y": (D(85), None)}
    assert cells(semester, rows) == [("≥ 84", 2), ("≥ 86", 2), ("≥ 85", 1)]
    # A semester beside quarter targets: named, in the column of the quarter it ends with.
    quarterly = indicator(frequency="quarterly")
    rows = {"Q1": (D(80), None), "S1": (D(85), None)}
    assert cells(quarterly, rows)[:2] == [("≥ 80", 1), ("Smt I: ≥ 85", 1)]
    # A yearly indicator: only TAHUNAN.
    assert cells(indicator(frequency="yearly"), {"Y": (D(100), None)}) == [("", 1)] * 4 + [
        ("100", 1)
    ]


def test_a_plain_number_is_kept_for_the_excel():
    item = indicator(kind="money")
    cell = targets.document_cells(item, {"Y": (D(18605000000000), None)})[-1]
    assert cell.plain == D(18605000000000)
    cell = targets.document_cells(indicator(), {"Q1": (D(80), None)})[0]
    assert cell.plain is None  # "≥ 80" is text


def test_document_cells_are_kept_per_language_and_revised_targets_are_their_own():
    """The cells of unrevised targets are kept by what they are written from (a large
    manual repeats them); the language is part of it, and a revised target's cell holds
    that target, never another row's."""
    rows = {"Q1": (D("87.5"), None)}
    with translation.override("id"):
        assert targets.document_cells(indicator(), rows)[0].text == "≥ 87,5"
    with translation.override("en"):
        assert targets.document_cells(indicator(), rows)[0].text == "≥ 87.5"
    # Equal indicators and figures: equal cells, whether kept or not.
    assert targets.document_cells(indicator(), {"Q1": (D("87.50"), None)}) == (
        targets.document_cells(indicator(), rows)
    )
    # The polarity is part of what the cells are written from.
    with translation.override("id"):
        lower = targets.document_cells(indicator(polarity="lower"), rows)[0]
    assert lower.text == "≤ 87,5"

    class Revised:
        def __init__(self, value):
            self.value, self.upper, self.revised_at = D(value), None, "2023-05-02"

    first, second = Revised(80), Revised(80)
    assert targets.document_cells(indicator(), {"Q1": first})[0].revised == (first,)
    assert targets.document_cells(indicator(), {"Q1": second})[0].revised == (second,)


@pytest.mark.parametrize(
    "text, group, frequency, merged, expected",
    [
        ("80", ("Q1",), "quarterly", False, [("Q1", "80", None, "")]),
        ("≥ 80 %", ("Q1",), "quarterly", False, [("Q1", "80", None, "≥")]),
        ("min. 80%", ("Q2",), "quarterly", False, [("Q2", "80", None, "≥")]),
        ("paling sedikit 80", ("Q2",), "quarterly", False, [("Q2", "80", None, "≥")]),
        ("maks. 3 hari kerja", ("Q3",), "quarterly", False, [("Q3", "3", None, "≤")]),
        ("<= 3", ("Q3",), "quarterly", False, [("Q3", "3", None, "≤")]),
        ("IKM ≥ 84", ("Y",), "quarterly", False, [("Y", "84", None, "≥")]),
        ("80 - 90 %", ("Q4",), "quarterly", False, [("Q4", "80", "90", "")]),
        ("80 % – 90 %", ("Q4",), "quarterly", False, [("Q4", "80", "90", "")]),
        ("80 s.d. 90", ("Y",), "quarterly", False, [("Y", "80", "90", "")]),
        ("0", ("Q1",), "quarterly", False, [("Q1", "0", None, "")]),
        ("nihil", ("Q1",), "quarterly", False, [("Q1", "0", None, "")]),
        ("4 (A)", ("Q1",), "quarterly", False, [("Q1", "4", None, "")]),
        ("18,605 T", ("Y",), "quarterly", False, [("Y", "18605000000000", None, "")]),
        ("Rp 1.500.000,-", ("Y",), "quarterly", False, [("Y", "1500000", None, "")]),
        ("87,5*", ("Q1",), "quarterly", False, [("Q1", "87.5", None, "")]),  # revised mark
        ("–", ("Q1",), "quarterly", False, []),
        (
            "Jan 5; Februari: 6\nMar 5",
            ("Q1",),
            "monthly",
            False,
            [("M01", "5", None, ""), ("M02", "6", None, ""), ("M03", "5", None, "")],
        ),
        (
            "≤ 2 / bulan",
            ("Q2",),
            "monthly",
            False,
            [("M04", "2", None, "≤"), ("M05", "2", None, "≤"), ("M06", "2", None, "≤")],
        ),
        (
            "TW 2: 15; 5 laporan per bulan",
            ("Q2",),
            "monthly",
            False,
            [
                ("Q2", "15", None, ""),
                ("M04", "5", None, ""),
                ("M05", "5", None, ""),
                ("M06", "5", None, ""),
            ],
        ),
        ("≥ 84", ("Q1", "Q2"), "semester", True, [("S1", "84", None, "≥")]),
        ("84", ("Q4",), "semester", False, [("S2", "84", None, "")]),  # TW 4 of a semester
        ("84", ("Q3",), "semester", False, [("Q3", "84", None, "")]),
        ("Semester I: 80", ("Q2",), "quarterly", False, [("S1", "80", None, "")]),
        (80, ("Q1",), "quarterly", False, [("Q1", "80", None, "")]),
        (97.5, ("Q1",), "quarterly", False, [("Q1", "97.5", None, "")]),
    ],
)
def test_read_cell(text, group, frequency, merged, expected):
    found = targets.read_cell(text, group, frequency=frequency, merged=merged)
    assert [
        (w.period, str(w.value), None if w.upper is None else str(w.upper), w.sign) for w in found
    ] == [(p, v, u, s) for p, v, u, s in expected]


@pytest.mark.parametrize(
    "text, group, message",
    [
        ("seratus", ("Q1",), "'seratus' tidak dapat dibaca."),
        ("> 80", ("Q1",), "Tanda < atau > tidak dipakai"),
        ("-5", ("Q1",), "Nilai tidak boleh negatif (-5)."),
        ("Jan 5", ("Q2",), "Januari ditulis di kolom yang salah; tulis di kolom TW 1."),
        ("Smt I: 80", ("Q1",), "Semester I ditulis di kolom yang salah; tulis di kolom TW 2."),
        ("5; 6", ("Q1",), "TW 1 ditulis dua kali."),
        ("Jan 5 / bulan", ("Q1",), "satu bulan tidak ditulis '/ bulan'"),
        ("80 90", ("Q1",), "tidak dapat dibaca"),
        ("=1+1", ("Q1",), "tidak dapat dibaca"),
        ("<script>alert(1)</script>", ("Q1",), "Tanda < atau > tidak dipakai"),
        ("9" * 200, ("Q1",), "Bukan angka yang sah"),
        ("١٢٣", ("Q1",), "tidak dapat dibaca"),
        ("1" + " " * 600 + "x", ("Q1",), "Teks target terlalu panjang (paling banyak 500 huruf)."),
    ],
)
def test_read_cell_refuses_with_a_message(text, group, message):
    with pytest.raises(targets.TargetTextError) as caught:
        targets.read_cell(text, group, frequency="quarterly", merged=False)
    assert message in str(caught.value)


def test_problems_of_index_count_and_range_targets():
    assert targets.problems_of(kind="index", value=D(4), upper=None) == []
    assert targets.problems_of(kind="index", value=D(84), upper=None) == []
    assert "pita 1-4" in targets.problems_of(kind="index", value=D(5), upper=None)[0]
    assert "pita 1-4" in targets.problems_of(kind="index", value=D("3.5"), upper=None)[0]
    assert targets.problems_of(kind="index", value=D(4), upper=None, letter="B") == [
        "Huruf mutu 'B' tidak sesuai dengan target 4."
    ]
    assert targets.problems_of(kind="count", value=D("2.5"), upper=None) == [
        "Satuan indikator ini berupa jumlah: isikan bilangan bulat, bukan 2,5."
    ]
    assert targets.problems_of(kind="percentage", value=D("2.5"), upper=D(2)) == [
        "Batas atas (2) lebih kecil dari targetnya (2,5)."
    ]


def test_machine_text_round_trip_and_refusal():
    rows = {"Y": (D("80.25"), D(90)), "M01": (D(0), None), "S2": (D("0.0001"), None)}
    text = targets.machine_text(rows)
    assert text == "Y=80.25..90; S2=0.0001; M01=0"
    assert targets.read_machine_text(text) == rows
    for bad in ("Q5=1", "Y=1; Y=2", "Y=-1", "Y=1e5", "Q1:1"):
        with pytest.raises(ValueError):
            targets.read_machine_text(bad)


def _random_targets(rng, frequency):
    periods = {
        "monthly": MONTHS,
        "quarterly": QUARTERS,
        "semester": SEMESTERS,
        "yearly": [],
        "per_event": QUARTERS,
    }[frequency]
    chosen = {}
    values = [D(0), D(3), D("87.5"), D(100), D(84), D(4), D("18605000000000")]
    for period in [*periods, "Y"]:
        if rng.random() < 0.8:
            value = rng.choice(values)
            upper = value + rng.choice([D(5), D("0.25")]) if rng.random() < 0.2 else None
            chosen[period] = (value, upper)
    if rng.random() < 0.3 and frequency == "monthly":
        chosen["Q2"] = (D(15), None)
    if rng.random() < 0.3 and frequency == "quarterly":
        chosen["S2"] = (D(90), None)
    return chosen


@pytest.mark.parametrize(
    "kind, polarity",
    list(
        itertools.product(
            ["percentage", "count", "money", "working_days", "score"], ["higher", "lower"]
        )
    ),
)
def test_the_printed_cells_alone_read_back_exactly(kind, polarity):
    """Without the hidden column the printed text says every target exactly: what an
    office typing over an export keeps."""
    rng = random.Random(f"{kind}{polarity}")
    for frequency in ("monthly", "quarterly", "semester", "yearly", "per_event"):
        for _ in range(15):
            item = indicator(kind=kind, polarity=polarity, frequency=frequency)
            rows = _random_targets(rng, frequency)
            with translation.override("id"):
                printed = targets.document_cells(item, rows)
            merged = targets.merged_semesters(frequency, rows)
            back = {}
            for cell, group in zip(printed, targets.groups(merged), strict=True):
                value = cell.plain if cell.plain is not None else (cell.text or None)
                for w in targets.read_cell(value, group, frequency=frequency, merged=merged):
                    back[w.period] = (w.value, w.upper)
            assert back == rows, (frequency, rows, [c.text for c in printed])


def test_long_runs_are_read_at_once():
    """Runs of spaces or words that a careless pattern would backtrack through for minutes:
    the words after a number are its unit."""
    for text in ("1" + " " * 490 + "x", "1" + " b" * 240 + "-", "1" + " s" * 240):
        found = targets.read_cell(text, ("Q1",), frequency="quarterly", merged=False)
        assert [(w.period, w.value) for w in found] == [("Q1", 1)]
