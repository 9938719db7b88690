"""The public results page the regulation asks for (issue 15): per unit and period, the IKM
with mutu and kinerja, IKM per service, respondents, NRR per unsur with its chart and the
follow-up plan; no login, nothing about any respondent; printable; linked from the public
pages. And the public pages speak Indonesian whatever the browser asks for, unless the
visitor switches."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from sasaran import periods
from sasaran.models import Unit, User
from sasaran.skm import limits
from sasaran.skm import services as survey_services
from sasaran.skm.models import Answer, Response, Survey

pytestmark = pytest.mark.django_db

UP = "up-pmptsp-jaktim"
PROFILE = {"sex": "P", "age_group": "30-39", "education": "S1", "occupation": "swasta"}


def example_survey():
    """The demo's TW 1 2023 survey: 30 respondents, IKM 78,15."""
    return Survey.objects.get(unit__code=UP, year=2023, period_kind="quarter", period_number=1)


def results_url(unit=UP, year=2023, kind="quarter", number=1):
    return reverse("survey_public_result", args=[unit, year, kind, number])


def add_row(survey, date, value=4, **fields):
    service = survey.services.order_by("pk").first()
    response = Response.objects.create(survey=survey, service=service, date=date, **fields)
    Answer.objects.bulk_create(
        Answer(response=response, unsur=u, value=value) for u in survey.unsur.all()
    )


def survey_of_today():
    today = periods.today()
    return survey_services.survey_create(
        unit=Unit.objects.get(code=UP),
        year=today.year,
        period_kind="year",
        services=["Perizinan"],
        follow_up_plan="Menambah kursi di ruang tunggu.",
    )


def public_post(client, service, value="4"):
    data = {**PROFILE, "once": limits.new_once_token(limits.PUBLIC_FORM)}
    for unsur in service.survey.unsur.all():
        data[f"u_{unsur.pk}"] = value
    return client.post(reverse("public_survey", args=[service.public_token]), data)


def test_the_results_page_shows_the_periods_figures_to_anyone(demo_examples, client):
    survey = example_survey()
    # A respondent who left a name and a suggestion, and one answer dated after the period.
    add_row(
        survey,
        datetime.date(2023, 3, 30),
        respondent_name="Budi Santoso",
        respondent_contact="0812-3456-7890",
        suggestion="Antrean di loket tiga terlalu lama",
    )
    add_row(survey, datetime.date(2026, 12, 1), value=1)
    result = survey_services.survey_result(survey)
    assert result.respondents == 31

    response = client.get(results_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hasil Survei Kepuasan Masyarakat TW 1 2023" in html
    assert "UP PMPTSP Kota Jakarta Timur" in html
    assert "Periode: 1 Januari 2023 – 31 Maret 2023" in html
    assert f'id="nilai-ikm">{result.ikm_text}<' in html
    assert f'id="mutu">{result.ikm.mutu}<' in html
    assert f'id="kinerja">{result.ikm.kinerja}<' in html
    assert 'id="jumlah-responden">31<' in html
    for row in result.service_rows:
        assert (
            f'<tr><td>{row.service.name}</td><td class="text-end">{row.respondents}</td>'
            f'<td class="text-end">{row.ikm_text}</td>' in html
        )
    for row in result.unsur_rows:
        assert (
            f"<tr><td>{row.unsur.code}</td><td>{row.unsur.name}</td>"
            f'<td class="text-end">{row.nrr_text}</td></tr>' in html
        )
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart"' in html
    assert "Nilai rata-rata (NRR) per unsur" in html
    assert "memperjelas informasi waktu penyelesaian" in html  # the follow-up plan
    # Nothing about any respondent: no names, contacts, suggestions, recap or profile.
    for private in ("Budi Santoso", "0812-3456-7890", "Antrean di loket tiga", "rekap"):
        assert private not in html
    assert "Jenis kelamin" not in html and "Pendidikan" not in html
    assert "Hasil sementara" not in html  # the period is over
    assert ' style="' not in html  # CSP style-src 'self'


def test_unknown_surveys_and_surveys_without_respondents_are_404(demo_examples, client):
    assert client.get(results_url()).status_code == 200
    for args in (
        ("up-tidak-ada", 2023, "quarter", 1),
        (UP, 2022, "quarter", 1),
        (UP, 2023, "quarter", 2),
        (UP, 2023, "month", 1),
        (UP, 2023, "semester", 1),
        (UP, 99999999999999999999, "quarter", 1),
        (UP, 2023, "quarter", 99999999999999999999),
    ):
        assert client.get(results_url(*args)).status_code == 404, args
    empty = survey_services.survey_create(
        unit=Unit.objects.get(code=UP),
        year=2023,
        period_kind="quarter",
        period_number=2,
        services=["Perizinan"],
    )
    add_row(empty, datetime.date(2023, 7, 1))  # outside TW 2: not a respondent of it
    assert client.get(results_url(number=2)).status_code == 404


def test_a_closed_survey_publishes_its_frozen_figures(demo_examples, client):
    survey = example_survey()
    before = survey_services.survey_result(survey)
    survey_services.survey_close(survey=survey, user=User.objects.get(username="kepala"))
    add_row(survey, datetime.date(2023, 2, 1), value=1)  # added later, in the admin
    html = client.get(results_url()).content.decode()
    date = periods.long_date(periods.today())
    assert f"Hasil dibekukan saat survei ditutup pada {date}." in html
    assert f'id="nilai-ikm">{before.ikm_text}<' in html and 'id="jumlah-responden">30<' in html


def test_a_running_survey_says_its_results_are_provisional(demo, client):
    survey = survey_of_today()
    assert client.get(survey.get_public_result_url()).status_code == 404  # nobody yet
    assert public_post(client, survey.services.get()).status_code == 302
    html = client.get(survey.get_public_result_url()).content.decode()
    assert "Hasil sementara: survei periode ini masih berjalan." in html
    assert "Menambah kursi di ruang tunggu." in html
    assert 'id="jumlah-responden">1<' in html


def test_the_results_are_linked_from_the_public_pages_and_the_survey_page(
    demo_examples, client, login_as
):
    current = survey_of_today()
    service = current.services.get()
    link = f'href="{current.get_public_result_url()}"'
    questionnaire = reverse("public_survey", args=[service.public_token])
    assert link not in client.get(questionnaire).content.decode()  # nothing to show yet
    public_post(client, service)
    assert link in client.get(questionnaire).content.decode()
    thanks = client.get(reverse("public_survey_thanks", args=[service.public_token]))
    assert link in thanks.content.decode()
    # The closed page of the 2023 survey links that survey's results.
    old = example_survey().services.get(name="Non Perizinan")
    closed = client.get(reverse("public_survey", args=[old.public_token])).content.decode()
    assert "Survei ini sudah ditutup" in closed
    assert f'href="{results_url()}"' in closed
    page = login_as("kepala").get(reverse("survey_detail", args=[example_survey().pk]))
    assert f'href="{results_url()}"' in page.content.decode()


def test_the_results_page_prints_with_its_own_stylesheet(demo_examples, client):
    html = client.get(results_url()).content.decode()
    assert 'href="/static/css/skm-public.css"' in html
    css = (Path(settings.BASE_DIR) / "static/css/skm-public.css").read_text()
    assert "@media print" in css
    printed = css.split("@media print", 1)[1]
    assert ".pilih-bahasa" in printed  # the language switch is not printed


# --------------------------------------------------------------------------- language


def test_the_public_pages_speak_indonesian_whatever_the_browser_asks(demo_examples, client):
    current = survey_of_today()
    service = current.services.get()
    questionnaire = reverse("public_survey", args=[service.public_token])
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}

    page = client.get(questionnaire, **english)
    html = page.content.decode()
    assert page["Content-Language"] == "id"
    assert '<html lang="id">' in html
    assert "Kirim jawaban" in html and "Send answers" not in html
    assert "Cookie" in page["Vary"]
    results = client.get(results_url(), **english).content.decode()
    assert "Hasil Survei Kepuasan Masyarakat TW 1 2023" in results
    old = example_survey().services.get(name="Non Perizinan")
    closed = client.get(reverse("public_survey", args=[old.public_token]), **english)
    assert "Survei ini sudah ditutup" in closed.content.decode()

    # The switch on the page: English on request, and Indonesian again.
    assert 'action="/i18n/setlang/"' in html and 'name="language" value="en"' in html
    switched = client.post(
        reverse("set_language"), {"language": "en", "next": questionnaire}, **english
    )
    assert switched.status_code == 302 and switched["Location"] == questionnaire
    page = client.get(questionnaire, **english)
    assert page["Content-Language"] == "en" and "Send answers" in page.content.decode()
    assert "Community Satisfaction Survey Results TW 1 2023" in (
        client.get(results_url()).content.decode()
    )
    client.post(reverse("set_language"), {"language": "id", "next": questionnaire})
    assert "Kirim jawaban" in client.get(questionnaire, **english).content.decode()


def test_the_signed_in_pages_still_follow_the_browser(demo, client):
    """Only the public pages hold Indonesian by default: the login page (like every staff
    page) keeps following the browser's language."""
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "en"


def test_a_phone_in_english_answers_the_questionnaire_in_indonesian(demo, client):
    current = survey_of_today()
    service = current.services.get()
    response = public_post(client, service)
    assert response.status_code == 302
    assert Response.objects.filter(survey=current).count() == 1
    thanks = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Terima kasih!" in thanks.content.decode()
    assert re.search(r"Cookie", thanks["Vary"])
