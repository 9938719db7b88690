"""The public questionnaire: no login, only valid answers, CSRF, rate limit, no data shown."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from sasaran import periods
from sasaran.models import Unit
from sasaran.skm import services as survey_services
from sasaran.skm.models import Response

PROFILE = {"sex": "P", "age_group": "30-39", "education": "S1", "occupation": "swasta"}


pytestmark = pytest.mark.usefixtures("empty_cache")


@pytest.fixture
def service(db):
    unit = Unit.objects.create(code="up-x", name="UP PMPTSP Kota Contoh", kind="up")
    survey = survey_services.survey_create(
        # This year's survey: a public answer is taken only within the survey period.
        unit=unit,
        year=periods.today().year,
        period_kind="year",
        services=["Perizinan"],
        population=50,
    )
    return survey.services.get()


def answers(service, value="4", **changes):
    data = dict(PROFILE)
    for unsur in service.survey.unsur.all():
        data[f"u_{unsur.pk}"] = value
    data.update(changes)
    return data


def url(service):
    return reverse("public_survey", args=[service.public_token])


def send(client, service, data, *, device=False, **extra):
    """Open the questionnaire as a browser does, then post `data` with the page's one-time
    token. Without `device` the survey's device cookie is dropped, so the post is counted
    by its address."""
    page = client.get(url(service), **extra)
    token = re.search(r'name="once" value="([^"]+)"', page.content.decode()).group(1)
    if not device:
        client.cookies.pop("skm_device", None)
    return client.post(url(service), {**data, "once": token}, **extra)


def test_the_page_opens_without_login_and_shows_questions_and_labels(client, service):
    response = client.get(url(service))
    assert response.status_code == 200
    html = response.content.decode()
    assert "UP PMPTSP Kota Contoh" in html and "Perizinan" in html
    assert "Bagaimana pendapat Anda tentang kecepatan waktu" in html
    assert "Sangat sopan dan ramah" in html and "Dikelola dengan baik" in html
    assert html.count('type="radio"') == 9 * 4 + 2 + 6 + 7 + 6
    assert "csrfmiddlewaretoken" in html


def test_a_valid_submission_is_saved_and_thanked(client, service):
    response = send(client, service, answers(service))
    assert response.status_code == 302
    assert response["Location"] == reverse("public_survey_thanks", args=[service.public_token])
    saved = Response.objects.get()
    assert (saved.service, saved.source, saved.sex, saved.education) == (
        service,
        "online",
        "P",
        "S1",
    )
    assert saved.answers.count() == 9
    thanks = client.get(response["Location"])
    assert "Terima kasih" in thanks.content.decode()


@pytest.mark.parametrize(
    "change",
    [
        {"value": "5"},
        {"value": "0"},
        {"value": "abc"},
        {"value": ""},
        {"sex": "X"},
        {"sex": ""},
    ],
)
def test_only_valid_answers_are_accepted(client, service, change):
    value = change.pop("value", "4")
    response = send(client, service, answers(service, value, **change))
    assert response.status_code == 400
    assert Response.objects.count() == 0
    assert "Silakan" in response.content.decode() or "tidak sah" in response.content.decode()


def test_one_missing_answer_is_refused_and_the_others_stay_checked(client, service):
    data = answers(service, "3")
    data.pop(f"u_{service.survey.unsur.get(code='U5').pk}")
    response = send(client, service, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Silakan pilih salah satu jawaban." in html
    assert html.count(" checked>") == 8 + 4
    assert Response.objects.count() == 0


def test_csrf_is_enforced(service):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(url(service), answers(service))
    assert response.status_code == 403
    assert Response.objects.count() == 0


def test_a_burst_from_one_address_is_refused_without_losing_the_valid_ones(
    client, service, settings
):
    settings.SKM_PUBLIC_RATE_LIMIT = 3
    for _ in range(3):
        assert send(client, service, answers(service)).status_code == 302
    refused = send(client, service, answers(service, "2"))
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Terlalu banyak isian" in html
    assert html.count(" checked>") == 9 + 4  # what was chosen stays on the page
    assert Response.objects.count() == 3
    # Another address is not affected.
    other = send(client, service, answers(service), REMOTE_ADDR="10.0.0.7")
    assert other.status_code == 302
    assert Response.objects.count() == 4


def test_invalid_submissions_do_not_use_up_the_limit(client, service, settings):
    settings.SKM_PUBLIC_RATE_LIMIT = 1
    for _ in range(3):
        assert send(client, service, answers(service, "9")).status_code == 400
    assert send(client, service, answers(service)).status_code == 302


def test_the_page_never_shows_other_respondents_data(client, service):
    for _ in range(2):
        send(client, service, answers(service, "1", occupation="tni-polri"))
    cache.clear()
    for page in (
        client.get(url(service)),
        client.get(reverse("public_survey_thanks", args=[service.public_token])),
    ):
        html = page.content.decode()
        # (the optional identity fields are named respondent_name and respondent_contact)
        text = html.lower().replace("responden berikutnya", "").replace("respondent_", "")
        assert "IKM" not in html and "responden" not in text
        assert " checked>" not in html


def test_unknown_token_is_404(client, service):
    assert client.get(reverse("public_survey", args=["tidakada"])).status_code == 404
    assert client.post(reverse("public_survey", args=["tidakada"]), {}).status_code == 404


def test_a_closed_survey_accepts_nothing(client, service):
    survey = service.survey
    survey.is_open = False
    survey.save()
    page = client.get(url(service))
    assert "Survei ini sudah ditutup" in page.content.decode()
    client.post(url(service), answers(service))
    assert Response.objects.count() == 0
