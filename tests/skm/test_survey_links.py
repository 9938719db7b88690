"""One survey feeds several index indicators (issue 15): each link takes the whole unit's
pooled IKM or one service's IKM, the entry form of each shows its own value read-only, an
indicator takes a period's value from one survey only, another unit's user cannot send,
and the demo survey feeds the seed's five "Indeks Kepuasan ..." indicators."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sasaran.models import Realisation
from sasaran.skm import services as survey_services
from sasaran.skm.models import Survey, SurveyIndicator
from tests.skm.test_survey_indicator import UP, add, indicator, link_to, make_survey

POOLED = "Indeks Kepuasan Layanan Penunjang Urusan Pemerintahan Daerah"
PER_SERVICE = "Indeks Kepuasan Layanan Administrasi Keuangan"


def two_links():
    """A TW 2 survey feeding one indicator the pooled IKM and another the IKM of its
    service "Non Perizinan"; the two services answer differently."""
    survey = make_survey(link=False)
    pooled = link_to(survey, indicator(POOLED))
    service = survey.services.get(name="Non Perizinan")
    per_service = link_to(survey, indicator(PER_SERVICE), service=service)
    add(survey, [4] * 9, [4] * 9, service="Perizinan")
    add(survey, [2] * 9, service="Non Perizinan")
    return survey, pooled, per_service


def decimal_of(ikm):
    return survey_services.ikm_decimal(ikm.ikm)


def test_each_linked_indicator_gets_its_own_ikm(login_as):
    survey, _pooled, _per_service = two_links()
    client = login_as("kepala")
    page = client.get(reverse("survey_detail", args=[survey.pk])).content.decode()
    # One button per link, each naming its indicator.
    assert page.count('name="link"') == 2
    assert POOLED in page and PER_SERVICE in page and "IKM layanan Non Perizinan" in page

    response = client.post(reverse("survey_feed", args=[survey.pk]), follow=True)
    assert response.content.decode().count("dikirim ke") == 2
    result = survey_services.survey_result(survey)
    service_row = next(r for r in result.service_rows if r.service.name == "Non Perizinan")
    pooled_row = Realisation.objects.get(indicator=indicator(POOLED), period="Q2")
    service_value = Realisation.objects.get(indicator=indicator(PER_SERVICE), period="Q2")
    assert pooled_row.value == decimal_of(result.ikm) == Decimal("83.3333")  # (4+4+2)/3 × 25
    assert service_value.value == decimal_of(service_row.ikm) == Decimal("50.0000")
    assert pooled_row.note == "Dari SKM TW 2 2023: 3 responden"
    assert service_value.note == "Dari SKM TW 2 2023, layanan Non Perizinan: 1 responden"

    # The entry form of each shows its own value from the survey, read-only.
    for name, shown in [(POOLED, "83,3333"), (PER_SERVICE, "50")]:
        html = client.get(reverse("entry", args=[indicator(name).pk, "Q2"])).content.decode()
        assert 'id="nilai-dari-skm"' in html and "readonly" in html
        assert f'name="value" value="{shown}"' in html, name


def test_one_link_is_sent_alone(login_as):
    survey, _pooled, per_service = two_links()
    client = login_as("kepala")
    client.post(reverse("survey_feed", args=[survey.pk]), {"link": per_service.pk})
    assert Realisation.objects.get().indicator == indicator(PER_SERVICE)


def test_a_second_link_of_the_same_indicator_and_period_is_refused(demo):
    survey = make_survey(link=False)  # TW 2
    link_to(survey, indicator(POOLED))
    semester = make_survey(number=1, kind="semester", link=False)  # feeds TW 2 as well
    with pytest.raises(ValidationError, match="sudah diambil dari"):
        link_to(semester, indicator(POOLED))
    # The same survey twice: the unique pair.
    with pytest.raises(ValidationError):
        link_to(survey, indicator(POOLED), service=survey.services.first())
    # Another period is free.
    link_to(make_survey(number=3, link=False), indicator(POOLED))


def test_a_service_of_another_survey_is_refused(demo):
    survey = make_survey(link=False)
    other = make_survey(number=3, link=False)
    with pytest.raises(ValidationError, match="dari survei ini"):
        link_to(survey, indicator(POOLED), service=other.services.first())


def test_another_units_user_cannot_send(login_as):
    survey, _pooled, per_service = two_links()
    client = login_as("kadis")  # head of the parent unit: not in the survey's unit
    assert client.post(reverse("survey_feed", args=[survey.pk])).status_code == 404
    response = client.post(reverse("survey_feed", args=[survey.pk]), {"link": per_service.pk})
    assert response.status_code == 404
    # The same unit's staff without the indicator: 404 for a chosen link too.
    staff = login_as("cro")
    assert (
        staff.post(reverse("survey_feed", args=[survey.pk]), {"link": per_service.pk}).status_code
        == 404
    )
    assert not Realisation.objects.exists()


def test_the_demo_survey_feeds_the_five_index_indicators(demo_examples):
    survey = Survey.objects.get(unit__code=UP, year=2023, period_kind="quarter", period_number=1)
    links = SurveyIndicator.objects.filter(survey=survey)
    names = {link.indicator.name for link in links}
    assert len(names) == 5 and all(name.startswith("Indeks Kepuasan") for name in names)
    assert all(link.service is None for link in links)  # the pooled IKM of the unit
