"""Bar charts of the survey result (respondent profile, respondents per service, NRR per
unsur) as SVG geometry drawn on the server: the result page and the PDF report include the
same template, `skm/_bars.svg`, and need no JavaScript.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext as _

from sasaran.numbers import nice_ticks

from .services import id_number

ROW_HEIGHT = 18
BAR_HEIGHT = 12
PLOT_WIDTH = 200
VALUE_WIDTH = 78
CHAR_WIDTH = 6.2  # DejaVu Sans at 10 px, on average
MAX_LABEL = 34

COLOURS = {"normal": "#198754", "weak": "#dc3545", "strong": "#0d6efd", "plain": "#6c757d"}


@dataclass
class BarChart:
    title: str
    bars: list = field(default_factory=list)
    label_width: int = 0
    width: int = 0
    height: int = 0
    plot_left: int = 0
    plot_width: int = PLOT_WIDTH
    value_left: int = 0
    ticks: list = field(default_factory=list)


def _short(label):
    label = str(label)
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def _label_width(labels):
    return int(max((len(_short(label)) for label in labels), default=4) * CHAR_WIDTH) + 10


def bar_chart(title, rows, maximum, ticks=(), label_width=None):
    """`rows`: (label, value, text shown beside the bar, colour key), values from 0 to
    `maximum`. Geometry in whole or one-decimal pixels, as plain strings (never localised).
    Charts given the same `label_width` have the same size, so they print at one scale."""
    labels = [_short(label) for label, *_rest in rows]
    label_width = label_width or _label_width(labels)
    chart = BarChart(title=title, label_width=label_width)
    chart.plot_left = label_width
    chart.value_left = label_width + PLOT_WIDTH + 6
    chart.width = chart.value_left + VALUE_WIDTH
    top = 16 if ticks else 4
    for index, (label, (_label, value, text, colour)) in enumerate(zip(labels, rows, strict=True)):
        y = top + index * ROW_HEIGHT
        share = Fraction(value) / Fraction(maximum) if maximum else Fraction(0)
        share = min(max(share, Fraction(0)), Fraction(1))
        chart.bars.append(
            {
                "label": label,
                "full_label": _label,
                "text": text,
                "colour": COLOURS[colour],
                "y": str(y + (ROW_HEIGHT - BAR_HEIGHT) / 2),
                "text_y": str(y + ROW_HEIGHT / 2 + 3.5),
                "width": str(round(float(share) * PLOT_WIDTH, 1)),
            }
        )
    chart.height = top + len(rows) * ROW_HEIGHT + 4
    chart.ticks = [
        {
            "x": str(round(label_width + float(Fraction(t) / Fraction(maximum)) * PLOT_WIDTH, 1)),
            "label": str(t),
        }
        for t in ticks
    ]
    return chart


def profile_chart(group, label_width=None):
    """One profile group (sex, age, ..., service): count and percent per answer."""
    rows = [
        (label, width, f"{count} ({percent})", "normal")
        for label, count, percent, width in group.rows
    ]
    return bar_chart(group.title, rows, 100, label_width=label_width)


def nrr_chart(result):
    """NRR per unsur on the 1-4 scale; the weakest in red, the strongest in blue."""
    rows = []
    for row in result.unsur_rows:
        colour = "weak" if row.weakest else "strong" if row.strongest else "normal"
        rows.append((f"{row.unsur.code} {row.unsur.name}", row.nrr, id_number(row.nrr), colour))
    ticks = nice_ticks(1, 4)  # the scale's answers, 1 to 4
    return bar_chart(_("Nilai rata-rata (NRR) per unsur"), rows, 4, ticks=ticks)


def result_charts(result):
    """The charts of a `services.SurveyResult`: profile groups and NRR per unsur."""
    width = _label_width([row[0] for group in result.profile for row in group.rows])
    return {
        "profile": [profile_chart(group, width) for group in result.profile],
        "nrr": nrr_chart(result) if result.unsur_rows else None,
    }
