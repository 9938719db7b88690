"""The result of an open survey is kept in the cache (issue 16): read again without summing
the answers, recomputed after a respondent is saved (one by one, in bulk by the import, by
the admin) or deleted, and when the survey closes or reopens. The entry form of a linked
index indicator reads it and never sums the survey's answers itself."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sasaran.skm import services as survey_services
from sasaran.skm.models import Response
from tests.skm.test_survey_indicator import add, entry_url, indicator, make_survey

pytestmark = pytest.mark.django_db


def answer_sums(queries):
    """The queries that add up the answers (`_totals`)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "sasaran_answer"' in q["sql"] and "SUM(" in q["sql"]
    ]


def result_of(survey):
    with CaptureQueriesContext(connection) as queries:
        result = survey_services.survey_result(survey)
    return result, answer_sums(queries)


def test_the_result_is_read_from_the_cache_until_a_respondent_is_added(demo):
    survey = make_survey(link=False)
    add(survey, [4] * 9, [3] * 9)
    first, summed = result_of(survey)
    assert first.respondents == 2 and summed  # computed
    again, summed = result_of(survey)
    assert again.respondents == 2 and again.ikm == first.ikm and not summed  # cached

    add(survey, [1] * 9)  # a new respondent: the next read sums again
    after, summed = result_of(survey)
    assert after.respondents == 3 and summed and after.ikm.ikm < first.ikm.ikm
    assert not result_of(survey)[1]


def test_the_public_page_and_the_import_invalidate_it(demo):
    survey = make_survey(number=1, link=False)
    add(survey, [4] * 9)
    assert result_of(survey)[0].respondents == 1
    service = survey.services.get(name="Perizinan")
    unsur = list(survey.unsur.all())
    first, _last = survey.period_dates()
    survey_services.responses_create(
        survey=survey,
        rows=[
            {"service": service, "date": first, "answers": {u.pk: 2 for u in unsur}}
            for _ in range(3)
        ],
        source=Response.Source.IMPORT,
    )
    result, summed = result_of(survey)
    assert result.respondents == 4 and summed


def test_the_admin_changing_or_deleting_a_respondent_invalidates_it(superuser):
    survey = make_survey(link=False)
    add(survey, [4] * 9, [3] * 9)
    assert result_of(survey)[0].respondents == 2
    response = survey.responses.order_by("pk").first()
    url = reverse("admin:skm_response_delete", args=[response.pk])
    assert superuser.post(url, {"post": "yes"}).status_code == 302
    result, summed = result_of(survey)
    assert result.respondents == 1 and summed


def test_closing_and_reopening_recompute_it(login_as):
    survey = make_survey(link=False)
    add(survey, [4] * 9)
    assert result_of(survey)[0].respondents == 1
    survey_services.survey_close(survey=survey, user=None)
    survey.refresh_from_db()
    assert survey.closed_result["respondents"] == 1
    assert not result_of(survey)[1]  # closed: the frozen result, no answer read
    survey_services.survey_reopen(survey=survey, user=None)
    survey.refresh_from_db()
    result, summed = result_of(survey)
    assert result.respondents == 1 and summed  # reopened: summed again, not the old entry


def test_a_change_of_period_is_another_result(demo):
    survey = make_survey(link=False)
    add(survey, [4] * 9)
    assert result_of(survey)[0].respondents == 1
    survey.period_number = 3  # (the admin moving the survey to TW 3: nobody answered there)
    survey.save()
    result, summed = result_of(survey)
    assert result.respondents == 0 and summed


def test_the_entry_form_of_a_linked_indicator_does_not_sum_the_answers(login_as):
    survey = make_survey()
    add(survey, [4] * 9, [3] * 9, [4, 3, 4, 3, 4, 3, 4, 3, 4])
    client = login_as("kepala")
    client.get(reverse("survey_detail", args=[survey.pk]))  # the survey page computes it
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(entry_url()).content.decode()
        assert 'id="nilai-dari-skm"' in html and 'value="87,963"' in html
        assert not answer_sums(queries)
        assert not [q for q in queries.captured_queries if 'FROM "sasaran_answer"' in q["sql"]]
    # The preview (htmx) neither.
    with CaptureQueriesContext(connection) as queries:
        preview = client.post(reverse("preview", args=[indicator().pk, "Q2"]), {"value": ""})
    assert preview.status_code == 200
    assert not answer_sums(queries)

    # A new respondent: the form shows the new IKM.
    first, _last = survey.period_dates()
    unsur = list(survey.unsur.all())
    survey_services.responses_create(
        survey=survey,
        rows=[
            {
                "service": survey.services.get(name="Perizinan"),
                "date": first + datetime.timedelta(days=4),
                "answers": {u.pk: 1 for u in unsur},
            }
        ],
    )
    html = client.get(entry_url()).content.decode()
    assert 'value="87,963"' not in html
    expected = survey_services.ikm_decimal(survey_services.survey_result(survey).ikm.ikm)
    assert str(expected.normalize()).replace(".", ",")[:5] in html


def test_a_closed_survey_is_read_from_its_frozen_result(login_as):
    survey = make_survey()
    add(survey, [4] * 9, [3] * 9)
    survey_services.survey_close(survey=survey, user=None)
    client = login_as("kepala")
    with CaptureQueriesContext(connection) as queries:
        html = client.get(entry_url()).content.decode()
    assert 'id="nilai-dari-skm"' in html
    assert not [q for q in queries.captured_queries if 'FROM "sasaran_answer"' in q["sql"]]
