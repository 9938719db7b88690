"""What the official documents print, gathered once for the PDF and the Excel writers.

- (the Sasaran Mutu document itself is gathered by `manual.manual_document`)
- `quarterly_report(unit, year, quarter)`: the laporan capaian triwulan of a unit.
- `comparison_report(unit, year, quarter)`: a parent unit's units side by side (a quarter
  number, or any period of `periods.VIEW_PERIODS`).

Each costs a fixed number of queries whatever the size of the manual.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.dates import MONTHS_3
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sasaran import dashboard, periods, results, scoring
from sasaran.models import Assignment, Indicator, QualityManual
from sasaran.periods import Period

from .chart import quarter_chart


@dataclass
class Signatory:
    position: str
    name: str
    nip: str
    date: datetime.date | None = None  # printed above, after the place
    place: str = ""


def signatory(manual, date=None):
    """The head who signs (the holder of the manual's signing position), with the place and
    date written above the signature: `settings.SIGNATURE_PLACE` and `date`."""
    if manual.signed_by is None:
        return None
    holder = (
        Assignment.objects.filter(position=manual.signed_by)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    user = holder.user if holder else None
    return Signatory(
        position=manual.signed_by.name,
        name=(user.get_full_name() or user.username) if user else "",
        nip=user.nip if user else "",
        date=date,
        place=settings.SIGNATURE_PLACE,
    )


def manual_for(unit, year):
    return QualityManual.objects.select_related("unit", "signed_by").get(unit=unit, year=year)


def _chart_label(period):
    """A period under a chart's bar: a month in three letters (12 bars fit), else its name."""
    if periods.kind(period) == periods.MONTH:
        return capfirst(str(MONTHS_3[periods.months(period)[0]]))
    return str(Period(period).label)


CHART_TITLES = {
    periods.MONTH: _("Target dan realisasi per bulan"),
    periods.QUARTER: _("Target dan realisasi per triwulan"),
    periods.SEMESTER: _("Target dan realisasi per semester"),
    periods.YEAR: _("Target dan realisasi tahunan"),
}


def chart_target(indicator, target):
    """The height of a target line: an index target at the konversi value it asks for (the
    start of a band 1-4, or the 25-100 value itself); None for an index target that is
    neither."""
    if indicator.kind != Indicator.Kind.INDEX or target is None:
        return target
    try:
        return scoring.index_target(target).floor
    except ValueError:
        return None


def indicator_chart(indicator, scale):
    """Target against realisation in each of the indicator's own periods (twelve months,
    four quarters, two semesters or the year)."""
    values = {r.period: r.value for r in results.realisations_of(indicator)}
    points = []
    for period in indicator.due_periods():
        result = results.evaluate(indicator, period, scale)
        points.append(
            {
                "label": _chart_label(period),
                "target": chart_target(indicator, result.target),
                "realised": values.get(period, result.realised),
                "to_date": result.realised if indicator.cumulative else None,
            }
        )
    chart = quarter_chart(points, indicator.cumulative)
    chart["title"] = CHART_TITLES[indicator.period_kind]
    return chart


def quarterly_report(unit, year, quarter, charts=True):
    """The laporan capaian triwulan: the dashboard's figures of TW `quarter`, plus a chart
    per indicator.

    As on the dashboard, a monthly indicator shows the quarter's three months combined, and
    an indicator measured over a longer period shows that period (its PERIODE column says
    which): a semester indicator its semester in every quarter (in TW 2 and TW 4 the
    semester that the quarter closes; in TW 1 and TW 3 the semester under way, "tidak
    berlaku" until it is over), a yearly indicator the year.
    """
    manual = manual_for(unit, year)
    data = dashboard.unit_dashboard(unit, year, quarter)
    period = periods.quarter_code(quarter)
    longer = any(cell.period != period for cells in data["sections"].values() for cell in cells)
    scale = results.category_scale()
    today = periods.today()
    if charts:
        for cells in data["sections"].values():
            for cell in cells:
                cell.chart = indicator_chart(cell.indicator, scale)
    return {
        **data,
        "manual": manual,
        "unit": unit,
        "year": year,
        "quarter": quarter,
        # Whether some indicator shows a longer period than the quarter (the legend says so).
        "longer_periods": longer,
        "printed": today,
        "signatory": signatory(manual, today),  # signed when printed
    }


def comparison_report(unit, year, quarter, indicator_name=None):
    units = unit.descendants()
    rows, _names = dashboard.unit_comparison(units, year, quarter, indicator_name)
    return {
        "unit": unit,
        "year": year,
        "quarter": quarter,
        "rows": rows,
        "name": indicator_name,
        "printed": periods.today(),
    }
