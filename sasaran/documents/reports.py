"""What the official documents print, gathered once for the PDF and the Excel writers.

- `manual_document(manual)`: the Sasaran Mutu document (L2/MM-02) of a unit and year.
- `quarterly_report(unit, year, quarter)`: the laporan capaian triwulan of a unit.
- `comparison_report(unit, year, quarter)`: a parent unit's units side by side.

Each costs a fixed number of queries whatever the size of the manual.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch

from sasaran import dashboard, periods, results, scoring
from sasaran.models import Assignment, Indicator, QualityManual, Target
from sasaran.periods import QUARTERS, TARGET_PERIODS, Period

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


def _indicators(manual):
    return (
        Indicator.objects.filter(objective__section__manual=manual)
        .with_structure()
        .prefetch_related(Prefetch("targets", queryset=Target.objects.all()))
    )


def manual_document(manual):
    """Sections, objectives (numbered) and their indicators with targets per TW and year."""
    sections, revised = [], []
    for indicator in _indicators(manual):
        section = indicator.objective.section
        if not sections or sections[-1]["section"] != section:
            sections.append({"section": section, "objectives": []})
        objectives = sections[-1]["objectives"]
        if not objectives or objectives[-1]["objective"] != indicator.objective:
            objectives.append({"objective": indicator.objective, "indicators": []})
        targets = {t.period: t for t in indicator.targets.all()}
        revised += [
            {"indicator": indicator, "label": Period(p).label, "target": targets[p]}
            for p in TARGET_PERIODS
            if p in targets and targets[p].revised_at
        ]
        objectives[-1]["indicators"].append(
            {"indicator": indicator, "targets": [targets.get(p) for p in TARGET_PERIODS]}
        )
    return {
        "manual": manual,
        "unit": manual.unit,
        "sections": sections,
        "signatory": signatory(manual, manual.effective_date),
        "target_labels": [Period(p).label for p in TARGET_PERIODS],
        "revised_targets": revised,  # printed as notes under the table
    }


def indicator_chart(indicator, scale):
    """Target against realisation per quarter (the band's threshold for an index)."""
    values = {r.period: r.value for r in indicator.realisations.all()}
    points = []
    for period in QUARTERS:
        result = results.evaluate(indicator, period, scale)
        target = result.target
        if indicator.kind == Indicator.Kind.INDEX and target is not None:
            target = scoring.band_floor(int(target))
        points.append(
            {
                "label": Period(period).label,
                "target": target,
                "realised": values.get(period, result.realised),
                "to_date": result.realised if indicator.cumulative else None,
            }
        )
    return quarter_chart(points, indicator.cumulative)


def quarterly_report(unit, year, quarter, charts=True):
    """The laporan capaian triwulan: the dashboard's figures, plus a chart per indicator."""
    manual = manual_for(unit, year)
    data = dashboard.unit_dashboard(unit, year, quarter)
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
