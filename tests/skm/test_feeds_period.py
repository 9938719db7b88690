"""Which period of a linked index indicator a survey feeds: the indicator's own period that
ends together with the survey's, never a period longer than the survey's."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sasaran.models import Indicator, Realisation
from sasaran.skm import services as survey_services
from sasaran.skm.models import Survey, SurveyIndicator
from tests.conftest import logged_in
from tests.sasaran.periods_office import make_office
from tests.skm.test_survey_indicator import add


def feeds(kind, number, frequency):
    survey = Survey(year=2023, period_kind=kind, period_number=number)
    return survey.feeds_period(Indicator(frequency=frequency))


@pytest.mark.parametrize(
    ("kind", "number", "frequency", "period"),
    [
        # A quarterly survey: its TW, or the quarter's last month; never a longer period.
        ("quarter", 3, "quarterly", "Q3"),
        ("quarter", 2, "monthly", "M06"),
        ("quarter", 1, "per_event", "Q1"),
        ("quarter", 2, "semester", None),
        ("quarter", 4, "yearly", None),
        # A semester survey: the semester, the quarter or the month that closes it.
        ("semester", 1, "semester", "S1"),
        ("semester", 1, "quarterly", "Q2"),
        ("semester", 1, "monthly", "M06"),
        ("semester", 2, "semester", "S2"),
        ("semester", 2, "quarterly", "Q4"),
        ("semester", 2, "yearly", None),
        # A yearly survey: the year, Semester II, TW 4 or Desember.
        ("year", 1, "yearly", "Y"),
        ("year", 1, "semester", "S2"),
        ("year", 1, "quarterly", "Q4"),
        ("year", 1, "monthly", "M12"),
        # A number out of range feeds nothing (the form reports it).
        ("quarter", 5, "quarterly", None),
        ("semester", 3, "semester", None),
        ("year", 2, "yearly", None),
    ],
)
def test_the_period_a_survey_feeds(kind, number, frequency, period):
    assert feeds(kind, number, frequency) == period


def test_without_an_indicator_a_survey_feeds_its_quarter():
    assert Survey(year=2023, period_kind="semester", period_number=1).feeds_period() == "Q2"
    assert Survey(year=2023, period_kind="year", period_number=1).feeds_period() == "Q4"


# --------------------------------------------------------------------------- through HTTP


@pytest.fixture
def office(demo):
    return make_office()


def semester_survey(unit, number):
    return survey_services.survey_create(
        unit=unit, year=2023, period_kind="semester", period_number=number, services=["Loket"]
    )


def test_a_semester_survey_feeds_the_semester_of_a_semester_indicator(client, office):
    survey = semester_survey(office.unit, 2)
    link = SurveyIndicator(survey=survey, indicator=office.ikm)
    link.full_clean()
    link.save()
    assert link.period == "S2"
    add(survey, [4] * 9, [3] * 9, service="Loket")
    client = logged_in(client, "uji_petugas")
    response = client.post(reverse("survey_feed", args=[survey.pk]), follow=True)
    assert response.status_code == 200
    row = Realisation.objects.get(indicator=office.ikm, period="S2")
    assert row.value == 87.5 and row.status == Realisation.Status.DRAFT
    # The entry page of Semester II shows where the value comes from; 87,5 of 84 is met.
    html = client.get(reverse("entry", args=[office.ikm.pk, "S2"])).content.decode()
    assert 'id="nilai-dari-skm"' in html and "104,17 %" in html


def test_a_quarterly_survey_cannot_feed_a_semester_indicator(office):
    survey = survey_services.survey_create(
        unit=office.unit, year=2023, period_kind="quarter", period_number=2, services=["Loket"]
    )
    with pytest.raises(ValidationError, match="tidak sesuai dengan frekuensi"):
        SurveyIndicator(survey=survey, indicator=office.ikm).full_clean()
