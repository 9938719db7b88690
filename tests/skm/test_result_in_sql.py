"""The survey result is added up in the database (issue 16): the same exact IKM as the plain
computation over every answer, in a fixed number of queries whatever the number of
respondents; the page lists the respondents a page at a time, the workbook has them all."""

import datetime
import io
import random

import openpyxl
import pytest
from django.urls import reverse

from sasaran.skm import ikm as ikm_rules
from sasaran.skm import report
from sasaran.skm import services as survey_services
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def fill(survey, count, seed):
    """`count` random respondents (some answers left blank, some profile fields empty);
    returns their answer rows per service name, in questionnaire order."""
    rng = random.Random(seed)
    survey.services.get_or_create(name="Informasi", defaults={"order": 3})
    services = list(survey.services.all())
    unsur = list(survey.unsur.all())
    rows, by_service = [], {s.name: [] for s in services}
    for n in range(count):
        service = rng.choice(services[:2])  # the third service gets nobody
        answers = [rng.choice([1, 2, 3, 4, 4, None]) for _ in unsur]
        answers[0] = answers[0] or 3  # every unsur answered by someone
        by_service[service.name].append(answers)
        rows.append(
            {
                "service": service,
                "date": datetime.date(2023, 1, 1) + datetime.timedelta(days=n % 90),
                "sex": rng.choice(["L", "P", ""]),
                "age_group": "",
                "answers": {u.pk: value for u, value in zip(unsur, answers, strict=True)},
            }
        )
    survey_services.responses_create(survey=survey, rows=rows)
    return by_service


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_result_in_sql_is_the_plain_computation_exactly(survey, seed):
    by_service = fill(survey, 120, seed)
    weights = [u.weight for u in survey.unsur.all()]
    everyone = [row for rows in by_service.values() for row in rows]
    result = survey_services.survey_result(survey)
    assert result.respondents == 120
    assert result.ikm == ikm_rules.compute_ikm(everyone, weights)
    for row in result.service_rows:
        rows = by_service[row.service.name]
        assert row.respondents == len(rows)
        assert row.ikm == (ikm_rules.compute_ikm(rows, weights) if rows else None)
    sex = next(group for group in result.profile if group.title == "Jenis kelamin")
    assert sum(count for _label, count, _text, _width in sex.rows) == 120


def test_totals_give_what_the_answers_give():
    rows = [[4, 3, None], [2, None, None], [1, 4, 2]]
    plain = ikm_rules.compute_ikm(rows, ["1/3", "1/3", "1/3"])
    totals = ikm_rules.ikm_from_totals(
        respondents=3, sums=[7, 7, 2], answered=[3, 2, 1], weights=["1/3", "1/3", "1/3"]
    )
    assert totals == plain
    with pytest.raises(ValueError, match="belum dijawab"):
        ikm_rules.ikm_from_totals(
            respondents=3, sums=[7, 0], answered=[3, 0], weights=["1/2", "1/2"]
        )


def test_the_result_costs_the_same_queries_for_10_and_300_respondents(
    survey, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fill(survey, 10, 4)
    with CaptureQueriesContext(connection) as small:
        survey_services.survey_result(survey)
    fill(survey, 290, 5)
    with django_assert_num_queries(len(small)):
        result = survey_services.survey_result(survey)
    assert result.respondents == 300


def test_the_page_lists_respondents_a_page_at_a_time(survey, client):
    fill(survey, 120, 6)
    logged_in(client, "kepala")
    url = reverse("survey_detail", args=[survey.pk])
    first = client.get(url)
    assert len(first.context["recap"]) == survey_services.RECAP_PAGE_SIZE
    assert "Responden 1–50 dari 120" in first.content.decode()
    last = client.get(url, {"halaman": 3})
    assert len(last.context["recap"]) == 20 and last.context["recap_page"].start_index() == 101
    assert ">101</td>" in last.content.decode()
    for bad in ["abc", "999", "-1", "a\x00b", "9" * 400]:
        assert client.get(url, {"halaman": bad}).status_code == 200


def test_the_workbook_has_every_respondent_and_the_pdf_leaves_a_big_recap_to_it(
    survey, client, monkeypatch
):
    fill(survey, 120, 7)
    logged_in(client, "kepala")
    workbook = client.get(reverse("survey_excel", args=[survey.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content))["Rekap"]
    assert sheet.max_row == 121 and sheet.cell(121, 1).value == 120

    monkeypatch.setattr(survey_services, "RECAP_PDF_LIMIT", 100)
    monkeypatch.setattr(report, "RECAP_PDF_LIMIT", 100)
    context = report.report_context(survey_services.survey_result(survey))
    assert context["recap_rows"] == []
    monkeypatch.setattr(report, "RECAP_PDF_LIMIT", 1000)
    context = report.report_context(survey_services.survey_result(survey))
    assert len(context["recap_rows"]) == 120


def test_reading_the_recap_in_chunks_gives_every_respondent_once(survey):
    fill(survey, 45, 8)
    unsur = list(survey.unsur.all())
    chunked = list(survey_services.survey_recap(survey, unsur, chunk=7))
    whole = survey_services.recap_rows(survey, unsur, survey_services.recap_queryset(survey))
    assert chunked == whole and len(chunked) == 45
