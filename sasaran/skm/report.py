"""The survey result as a PDF report (WeasyPrint, A4 portrait): the header block of the
official documents on every page, the summary (IKM, mutu, kinerja), the sample check, NRR
per unsur with its chart, IKM per service beside the pooled IKM, the respondent profile as
SVG bar charts, the follow-up plan, the signature and, as an appendix, the recap per
respondent. Always Indonesian, whatever the reader's interface language."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from sasaran import queries
from sasaran.documents import reports
from sasaran.pdf import html_to_pdf

from . import charts
from .models import Response
from .services import (
    PROFILE_FIELDS,
    RECAP_PDF_LIMIT,
    period_suggestions,
    survey_recap,
    with_status_label,
)

# Up to how many suggestions the PDF prints beside the follow-up plan; the workbook has all.
SUGGESTIONS_PDF_LIMIT = 500


def _signatory(survey, date):
    manual = queries.manual_of(survey.unit, survey.year)
    return reports.signatory(manual, date) if manual else None


def _recap_rows(result):
    """The appendix's rows; none past RECAP_PDF_LIMIT respondents (the workbook has them)."""
    if result.respondents > RECAP_PDF_LIMIT:
        return []
    services = {s.pk: s.name for s in result.services}
    rows = []
    for response, answers in survey_recap(result.survey, result.unsur):
        rows.append(
            {
                "date": response["date"],
                "service": services.get(response["service_id"], ""),
                "profile": [response[name] or "–" for name in PROFILE_FIELDS],
                "answers": answers,
            }
        )
    return rows


def _suggestions(survey):
    """(the first SUGGESTIONS_PDF_LIMIT suggestions, how many more there are)."""
    suggestions = period_suggestions(survey)
    rows = list(with_status_label(suggestions[:SUGGESTIONS_PDF_LIMIT]))
    more = suggestions.count() - len(rows) if len(rows) == SUGGESTIONS_PDF_LIMIT else 0
    return rows, more


def report_context(result):
    survey = result.survey
    first, last = survey.period_dates()
    printed = timezone.localdate()
    suggestions, more_suggestions = _suggestions(survey)
    return {
        "survey": survey,
        "unit": survey.unit,
        "result": result,
        "charts": charts.result_charts(result),
        "first_day": first,
        "last_day": last,
        "printed": printed,
        "signatory": _signatory(survey, printed),  # signed when printed
        "recap_rows": _recap_rows(result),
        "suggestions": suggestions,
        "more_suggestions": more_suggestions,
        "recap_limit": RECAP_PDF_LIMIT,
        "profile_headers": [
            str(Response._meta.get_field(name).verbose_name).capitalize() for name in PROFILE_FIELDS
        ],
    }


def result_pdf(result):
    with translation.override("id"):
        return html_to_pdf(render_to_string("skm/pdf.html", report_context(result)))
