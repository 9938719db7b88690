"""The small pieces every table row shows (`mutu` tags: target, figure, status, lateness)
and the realisation's labels they read."""

from decimal import Decimal
from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from sasaran.models import Realisation


def render(source, **context):
    return Template("{% load mutu %}" + source).render(Context(context))


MONEY = SimpleNamespace(kind="money", unit_of_measure="Rupiah", max_value=None, polarity="higher")
PERCENT = SimpleNamespace(kind="percentage", unit_of_measure="%", max_value=None, polarity="higher")


def test_a_status_label_is_the_translated_text_not_a_lazy_string():
    row = Realisation(status="approved", period="Q1")
    assert row.get_status_display() == "Disetujui" and type(row.get_status_display()) is str
    assert row.get_period_display() == "TW 1" and type(row.get_period_display()) is str
    with translation.override("en"):
        assert row.get_status_display() == "Approved"
    # A value outside the choices answers itself, as Django's own display does.
    assert Realisation(status="odd", period="Q9").get_status_display() == "odd"
    assert Realisation(status="odd", period="Q9").get_period_display() == "Q9"


def test_status_badge_per_status_and_a_lock_once_approved():
    html = render("{% status_badge row %}", row=Realisation(status="approved"))
    assert 'class="badge status-approved text-bg-success"' in html
    assert "icon-lock" in html and html.endswith("Disetujui</span>")
    returned = render("{% status_badge row %}", row=Realisation(status="returned"))
    assert "text-bg-warning" in returned and "icon-lock" not in returned
    assert "Belum diisi" in render("{% status_badge row %}", row=None)


def test_lateness_badge_writes_the_days_as_the_language_does():
    assert render("{% lateness_badge 1065 %}").endswith(">terlambat 1.065 hari</span>")
    assert render("{% lateness_badge None True %}").endswith(">terlambat</span>")
    assert render("{% lateness_badge None False %}") == ""
    with translation.override("en"):
        assert "1,065 days late" in render("{% lateness_badge 1065 %}")


def test_big_money_is_short_with_the_whole_figure_on_hover():
    html = render(
        "{% figure_cell value indicator %}", value=Decimal("7442000000000"), indicator=MONEY
    )
    assert html == '<abbr title="Rp 7.442.000.000.000">7,442 T</abbr>'
    small = render("{% figure_cell value indicator %}", value=Decimal("150000"), indicator=MONEY)
    assert small == "Rp 150.000"
    assert render("{% figure_cell None indicator %}", indicator=MONEY) == "—"
    target = render(
        "{% target_cell value None indicator %}", value=Decimal("80"), indicator=PERCENT
    )
    assert target == "≥ 80 %"
    assert render("{% target_cell '' None indicator %}", indicator=PERCENT) == "—"


def test_hostile_text_in_a_status_is_escaped():
    html = render("{% status_badge row %}", row=Realisation(status="<script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html
