"""The management review pack (Rapat Tinjauan Manajemen, ISO 9001 clause 9.3) of a unit for
a semester or a year, gathered from the other parts when it is shown or printed:

- every objective's indicators with the result of the review's period and the trend over
  the indicator's own periods in it (`sasaran.results.evaluate`, counting only figures
  handed over: submitted or approved, as the dashboard counts);
- satisfaction: the IKM of the unit's surveys of periods within the review's, and their
  suggestions (the survey app, `sasaran.skm`);
- corrective actions of periods within the review's, and those still running;
- parts other apps register (`hooks`: the SOP changes, from `sop`);
- the head's conclusions and decisions, kept on `ManagementReview`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from sasaran import numbers, periods, queries, results, xlsx
from sasaran.models import Indicator, Realisation, Target
from sasaran.pdf import html_to_pdf
from sasaran.periods import Period
from sasaran.skm import services as survey_services
from sasaran.skm.models import Survey

from . import hooks
from .models import CorrectiveAction

COUNTED = (Realisation.Status.SUBMITTED, Realisation.Status.APPROVED)


@dataclass
class IndicatorRow:
    indicator: Indicator
    result: results.Result
    trend: list  # [(period label, achievement or None)]

    @property
    def direction(self):
        """ "naik", "turun", "tetap" or "" over the last two known achievements."""
        known = [pct for _label, pct in self.trend if pct is not None]
        if len(known) < 2:
            return ""
        if known[-1] > known[-2]:
            return _("naik")
        if known[-1] < known[-2]:
            return _("turun")
        return _("tetap")

    @property
    def trend_text(self):
        return " → ".join(
            f"{label}: {numbers.format_id_number(pct, 2) + ' %' if pct is not None else '—'}"
            for label, pct in self.trend
        )


@dataclass
class Pack:
    review: object
    first_day: object
    last_day: object
    objectives: list = field(default_factory=list)  # [(objective, [IndicatorRow])]
    met: int = 0
    missed: int = 0
    surveys: list = field(default_factory=list)  # [(survey, ikm text, band, suggestions)]
    actions: list = field(default_factory=list)
    parts: list = field(default_factory=list)


def _within(code, period):
    return set(periods.months(code)) <= set(periods.months(period))


def _survey_code(survey):
    return periods.period_code(survey.period_kind, survey.period_number)


def review_pack(review):
    unit, year, period = review.unit, review.year, review.period
    pack = Pack(review, periods.period_start(year, period), periods.period_end(year, period))
    scale = results.category_scale()
    indicators = (
        Indicator.objects.for_year(unit, year)
        .with_structure()
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.all()),
            Prefetch("realisations", queryset=Realisation.objects.filter(status__in=COUNTED)),
        )
        .order_by("objective__section__order", "objective__number", "order", "pk")
    )
    by_objective = {}
    for indicator in indicators:
        own = [p for p in indicator.due_periods() if _within(p, period)]
        if periods.longer(indicator.period_kind, periods.kind(period)):
            shown = periods.enclosing(period, indicator.period_kind)
            own = [shown]
        else:
            shown = period
        result = results.evaluate(indicator, shown, scale)
        trend = [(Period(p).label, results.evaluate(indicator, p, scale).achievement) for p in own]
        if result.met is True:
            pack.met += 1
        elif result.met is False:
            pack.missed += 1
        by_objective.setdefault(indicator.objective, []).append(
            IndicatorRow(indicator, result, trend)
        )
    pack.objectives = list(by_objective.items())

    surveys = Survey.objects.filter(unit=unit, year=year).order_by("period_kind", "period_number")
    for survey in surveys:
        if not _within(_survey_code(survey), period):
            continue
        result = survey_services.survey_result(survey)
        suggestions = list(survey_services.period_suggestions(survey)[:50])
        pack.surveys.append(
            {
                "survey": survey,
                "ikm": survey_services.id_number(result.ikm.ikm if result.ikm else None),
                "band": result.ikm.band if result.ikm else None,
                "respondents": result.respondents,
                "suggestions": suggestions,
                "follow_up_plan": survey.follow_up_plan,
            }
        )

    actions = CorrectiveAction.objects.filter(
        indicator__objective__section__manual__unit=unit,
        indicator__objective__section__manual__year=year,
    ).select_related("indicator", "owner")
    pack.actions = [
        a
        for a in actions.order_by("period", "pk")
        if _within(a.period, period) or a.status not in CorrectiveAction.CLOSED
    ]
    pack.parts = hooks.review_parts(unit, pack.first_day, pack.last_day)
    return pack


def _context(pack):
    review = pack.review
    manual = queries.manual_of(review.unit, review.year)
    return {
        "pack": pack,
        "review": review,
        "unit": review.unit,
        "manual": manual,
        "printed": timezone.localdate(),
    }


def review_pdf(pack):
    with translation.override("id"):
        return html_to_pdf(render_to_string("siklus/review_pdf.html", _context(pack)))


def review_workbook(pack):
    """The pack as a workbook: sheet "Sasaran" (every indicator with its result and trend),
    "Kepuasan", "Tindakan korektif" and "Kesimpulan"."""
    review = pack.review
    with translation.override("id"):
        wb = Workbook()
        ws = wb.active
        ws.title = "Sasaran"
        title = (
            f"Tinjauan Manajemen {review.unit.name} — {review.get_period_display()} {review.year}"
        )
        xlsx.write(ws, 1, 1, title, bold=True, wrap=False)
        head = ["Sasaran", "Indikator", "Target", "Realisasi", "Capaian (%)", "Tren", "Arah"]
        for col, text in enumerate(head, 1):
            xlsx.write(ws, 3, col, text, bold=True, border=True)
        row = 4
        for objective, rows in pack.objectives:
            for item in rows:
                r = item.result
                values = [
                    f"{objective.number}. {objective.text}",
                    item.indicator.name,
                    r.target,
                    r.realised,
                    r.achievement,
                    item.trend_text,
                    item.direction,
                ]
                for col, value in enumerate(values, 1):
                    xlsx.write(ws, row, col, value, border=True)
                row += 1
        xlsx.set_widths(ws, [40, 50, 12, 12, 12, 40, 10])

        ws = wb.create_sheet("Kepuasan")
        for col, text in enumerate(["Survei", "Responden", "IKM", "Mutu", "Saran"], 1):
            xlsx.write(ws, 1, col, text, bold=True, border=True)
        row = 2
        for item in pack.surveys:
            band = item["band"]
            suggestions = "\n".join(s["suggestion"] for s in item["suggestions"])
            values = [
                item["survey"].period_label,
                item["respondents"],
                item["ikm"],
                f"{band.mutu} ({band.kinerja})" if band else "",
                suggestions,
            ]
            for col, value in enumerate(values, 1):
                xlsx.write(ws, row, col, value, border=True)
            row += 1
        xlsx.set_widths(ws, [20, 12, 10, 20, 80])

        ws = wb.create_sheet("Tindakan korektif")
        head = ["Indikator", "Periode", "Analisis penyebab", "Tindakan", "Penanggung jawab"]
        head += ["Batas waktu", "Status"]
        for col, text in enumerate(head, 1):
            xlsx.write(ws, 1, col, text, bold=True, border=True)
        for row, action in enumerate(pack.actions, 2):
            values = [
                action.indicator.name,
                action.get_period_display(),
                action.cause_analysis,
                action.action,
                action.owner.get_full_name() or action.owner.username,
                action.due_date,
                action.get_status_display(),
            ]
            for col, value in enumerate(values, 1):
                xlsx.write(ws, row, col, value, border=True)
        xlsx.set_widths(ws, [40, 12, 40, 40, 20, 12, 22])

        ws = wb.create_sheet("Kesimpulan")
        row = 1
        for title, lines in pack.parts:
            xlsx.write(ws, row, 1, title, bold=True)
            for line in lines or ["—"]:
                row += 1
                xlsx.write(ws, row, 1, line)
            row += 2
        xlsx.write(ws, row, 1, "Kesimpulan", bold=True)
        xlsx.write(ws, row + 1, 1, review.conclusions)
        xlsx.write(ws, row + 3, 1, "Keputusan dan tindak lanjut", bold=True)
        xlsx.write(ws, row + 4, 1, review.decisions)
        xlsx.set_widths(ws, [100])
        return xlsx.workbook_bytes(wb)
