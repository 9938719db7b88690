"""Survey periods that hold (issue 15): a survey takes answers only for dates within its
period and while it is open; a public link of a past period leads to the unit's survey of
today for the same service, or says plainly that the survey is closed; results and reports
count only the answers of their period; closing a survey freezes its result and the IKM it
gives its indicator.

"Today" is the office's real date here: the surveys of these tests are placed around it.
"""

import datetime
import io
import re
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sasaran import periods
from sasaran.models import Realisation, Unit, User
from sasaran.skm import limits
from sasaran.skm import services as survey_services
from sasaran.skm.models import Answer, Response, Survey
from tests.skm.test_survey_indicator import add, feed, indicator, make_survey
from tests.skm.test_survey_report import flat, pages

pytestmark = pytest.mark.django_db

UP = "up-pmptsp-jaktim"
PROFILE = {"sex": "P", "age_group": "30-39", "education": "S1", "occupation": "swasta"}


def example_survey():
    """The demo's TW 1 2023 survey: 30 respondents, IKM 78,15."""
    return Survey.objects.get(unit__code=UP, year=2023, period_kind="quarter", period_number=1)


def survey_of_today(services=("Perizinan", "Non Perizinan")):
    today = periods.today()
    return survey_services.survey_create(
        unit=Unit.objects.get(code=UP),
        year=today.year,
        period_kind="quarter",
        period_number=(today.month - 1) // 3 + 1,
        services=list(services),
    )


def add_outside(survey, count, date, value=4):
    """`count` respondents dated `date`, written as the old public page (or the admin) wrote
    them: straight into the tables, whatever the survey period."""
    service = survey.services.order_by("pk").first()
    unsur = list(survey.unsur.all())
    for _ in range(count):
        response = Response.objects.create(
            survey=survey, service=service, date=date, source=Response.Source.ONLINE
        )
        Answer.objects.bulk_create(Answer(response=response, unsur=u, value=value) for u in unsur)


def public_url(service):
    return reverse("public_survey", args=[service.public_token])


def public_post(client, service, value="4"):
    """A complete public questionnaire posted to `service`'s link (with a fresh one-time
    token, as if its form had been rendered)."""
    data = {**PROFILE, "once": limits.new_once_token(limits.PUBLIC_FORM)}
    for unsur in service.survey.unsur.all():
        data[f"u_{unsur.pk}"] = value
    return client.post(public_url(service), data)


def workbook_summary(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=1, max_col=2, values_only=True)}


# --------------------------------------------------------------------------- results


def test_twelve_answers_given_after_the_period_are_not_counted(demo_examples, login_as):
    """The issue: 12 answers given in 2026 were counted into TW 1 2023 (30 -> 42, IKM
    78,15 -> 79,17) and printed in its official PDF."""
    survey = example_survey()
    before = survey_services.survey_result(survey)
    assert (before.respondents, before.ikm_text) == (30, "78,15")
    add_outside(survey, 12, datetime.date(2026, 12, 1))
    add_outside(survey, 1, datetime.date(2022, 12, 31), value=1)  # the day before, too

    result = survey_services.survey_result(survey)
    assert (result.respondents, result.ikm) == (30, before.ikm)
    assert [row.respondents for row in result.service_rows] == [
        row.respondents for row in before.service_rows
    ]
    assert [row.nrr for row in result.unsur_rows] == [row.nrr for row in before.unsur_rows]

    client = login_as("kepala")
    page = client.get(reverse("survey_detail", args=[survey.pk])).content.decode()
    assert '<div class="display-6" id="jumlah-responden">30</div>' in page
    whole = flat(pages(client.get(reverse("survey_pdf", args=[survey.pk])).content))
    assert "Periode : 1 Januari 2023 – 31 Maret 2023" in whole
    assert "Unit (seluruh responden) 30 78,15" in whole
    workbook = client.get(reverse("survey_excel", args=[survey.pk])).content
    assert workbook_summary(workbook)["Jumlah responden"] == 30
    recap = openpyxl.load_workbook(io.BytesIO(workbook))["Rekap"]
    assert recap.max_row == 1 + 30


# --------------------------------------------------------------------------- public page


def test_the_public_link_of_a_past_survey_says_it_is_closed_and_saves_nothing(
    demo_examples, client
):
    survey = example_survey()
    service = survey.services.order_by("pk").first()
    page = client.get(public_url(service), HTTP_ACCEPT_LANGUAGE="id")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Survei ini sudah ditutup" in html
    assert "1 Januari 2023 – 31 Maret 2023" in html
    assert 'id="kuesioner"' not in html and 'type="radio"' not in html

    response = public_post(client, service)
    assert response.status_code == 200
    assert "Survei ini sudah ditutup" in response.content.decode()
    assert Response.objects.filter(survey=survey).count() == 30
    assert not Response.objects.filter(date=periods.today()).exists()


def test_a_link_of_a_past_period_leads_to_the_units_survey_of_today(demo_examples, client):
    old = example_survey()
    old_service = old.services.get(name="Perizinan")
    current = survey_of_today(services=["Informasi", "Perizinan"])
    new_service = current.services.get(name="Perizinan")

    response = client.get(public_url(old_service))
    assert response.status_code == 302
    assert response["Location"] == public_url(new_service)
    # An answer posted to the old link is not saved into the old survey either.
    posted = public_post(client, old_service)
    assert (posted.status_code, posted["Location"]) == (302, public_url(new_service))
    assert Response.objects.filter(survey=old).count() == 30
    assert not Response.objects.filter(survey=current).exists()

    answered = public_post(client, new_service)
    assert answered.status_code == 302
    saved = Response.objects.get(survey=current)
    assert (saved.service, saved.date) == (new_service, periods.today())

    # A service the survey of today does not have: closed, said plainly.
    other = old.services.get(name="Non Perizinan")
    page = client.get(public_url(other))
    assert page.status_code == 200 and "Survei ini sudah ditutup" in page.content.decode()


def test_a_survey_whose_period_has_not_begun_takes_no_answer_yet(demo, client):
    survey = survey_services.survey_create(
        unit=Unit.objects.get(code=UP),
        year=periods.today().year + 1,
        period_kind="year",
        services=["Perizinan"],
    )
    service = survey.services.get()
    page = client.get(public_url(service))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Survei ini belum dibuka" in html
    assert f"mulai 1 Januari {survey.year}" in html
    assert 'type="radio"' not in html
    assert public_post(client, service).status_code == 200
    assert not Response.objects.filter(survey=survey).exists()


def test_the_survey_list_says_which_survey_takes_answers_today(demo_examples, login_as):
    current = survey_of_today()
    client = login_as("kepala")
    html = client.get(reverse("survey_list")).content.decode()
    assert ">periode berakhir</span>" in html  # TW 1 2023, still marked open in its row
    assert ">terbuka</span>" in html  # the survey of today
    survey_services.survey_close(survey=current, user=User.objects.get(username="kepala"))
    html = client.get(reverse("survey_list")).content.decode()
    assert ">terbuka</span>" not in html and ">ditutup</span>" in html


def test_staff_entry_refuses_a_date_outside_the_period(demo, survey):
    service = survey.services.get(name="Perizinan")
    unsur = list(survey.unsur.all())
    row = {"service": service, "answers": {u.pk: 4 for u in unsur}}
    for date in (datetime.date(2022, 12, 31), datetime.date(2023, 4, 1), periods.today()):
        with pytest.raises(ValidationError, match="di luar periode survei"):
            survey_services.responses_create(survey=survey, rows=[{**row, "date": date}])
    assert not survey.responses.exists()


# --------------------------------------------------------------------------- closing


def test_the_head_closes_the_survey_and_its_result_stays_frozen(demo_examples, login_as):
    survey = example_survey()
    before = survey_services.survey_result(survey)
    client = login_as("kepala")
    response = client.post(reverse("survey_close", args=[survey.pk]), follow=True)
    assert response.status_code == 200
    frozen_text = f"Hasil dibekukan saat survei ditutup pada {periods.long_date(periods.today())}."
    assert frozen_text in response.content.decode()

    survey.refresh_from_db()
    assert not survey.is_open and survey.closed_at is not None
    stored = survey.closed_result
    assert stored["respondents"] == 30
    assert Fraction(stored["ikm"]) == before.ikm.ikm  # exact, as text "p/q"
    assert Fraction(stored["interval"]) == before.ikm.ikm_interval
    assert Decimal(stored["ikm_decimal"]) == survey_services.ikm_decimal(before.ikm.ikm)
    assert (stored["mutu"], stored["kinerja"]) == (before.ikm.mutu, before.ikm.kinerja)
    assert [Fraction(u["nrr"]) for u in stored["unsur"]] == list(before.ikm.nrr)
    assert [u["code"] for u in stored["unsur"]] == [f"U{n}" for n in range(1, 10)]
    assert {s["name"]: Fraction(s["ikm"]) for s in stored["services"]} == {
        row.service.name: row.ikm.ikm for row in before.service_rows
    }
    assert "Ditutup oleh Hendra Wijaya" in survey.note

    # Rows changed later in the admin: an answer altered, a respondent removed, one added.
    answer = Answer.objects.filter(response__survey=survey).order_by("pk").first()
    answer.value = 1 if answer.value != 1 else 4
    answer.save()
    Response.objects.filter(survey=survey).order_by("-pk").first().delete()
    add_outside(survey, 3, datetime.date(2023, 2, 2), value=1)

    result = survey_services.survey_result(survey)
    assert (result.respondents, result.ikm) == (30, before.ikm)
    assert [(r.service.name, r.respondents, r.ikm) for r in result.service_rows] == [
        (r.service.name, r.respondents, r.ikm) for r in before.service_rows
    ]
    assert [r.nrr for r in result.unsur_rows] == [r.nrr for r in before.unsur_rows]
    assert result.frozen_text == frozen_text

    page = client.get(reverse("survey_detail", args=[survey.pk])).content.decode()
    assert frozen_text in page
    assert f'id="nilai-ikm">{before.ikm_text}<' in page and 'id="jumlah-responden">30<' in page
    assert 'id="buka-kembali"' in page and 'id="tutup-survei"' not in page
    whole = flat(pages(client.get(reverse("survey_pdf", args=[survey.pk])).content))
    assert " ".join(frozen_text.split()) in whole
    assert f"Unit (seluruh responden) 30 {before.ikm_text}" in whole
    workbook = client.get(reverse("survey_excel", args=[survey.pk])).content
    summary = workbook_summary(workbook)
    assert frozen_text in summary and summary["Jumlah responden"] == 30
    # The linked indicator's value, as its entry page shows it, is the frozen IKM.
    linked = survey_services.linked_value(survey.indicator_links.first().indicator, "Q1")
    assert linked.value == survey_services.ikm_decimal(before.ikm.ikm)


def test_only_the_head_of_the_unit_or_the_admin_closes_a_survey(demo_examples, login_as):
    survey = example_survey()
    staff = login_as("kasubbag")
    assert staff.post(reverse("survey_close", args=[survey.pk])).status_code == 404
    page = staff.get(reverse("survey_detail", args=[survey.pk])).content.decode()
    assert 'id="tutup-survei"' not in page
    survey.refresh_from_db()
    assert survey.is_open and survey.closed_at is None and survey.closed_result is None
    admin = login_as("admin")
    assert admin.post(reverse("survey_close", args=[survey.pk])).status_code == 302
    survey.refresh_from_db()
    assert survey.is_closed and not survey.is_open


def test_a_closed_survey_takes_no_answer_anywhere(demo, client, login_as):
    survey = survey_of_today()
    service = survey.services.get(name="Perizinan")
    assert public_post(client, service).status_code == 302  # open: taken
    survey_services.survey_close(survey=survey, user=User.objects.get(username="kepala"))

    page = client.get(public_url(service)).content.decode()
    assert "Survei ini sudah ditutup" in page and 'type="radio"' not in page
    response = public_post(client, service)
    assert response.status_code == 200 and "Survei ini sudah ditutup" in response.content.decode()

    staff = login_as("kepala")
    entry = staff.get(reverse("survey_entry", args=[survey.pk]), follow=True)
    assert entry.redirect_chain[-1][0] == reverse("survey_detail", args=[survey.pk])
    assert "sudah ditutup" in entry.content.decode()
    unsur = list(survey.unsur.all())
    row = {"service": service, "date": periods.today(), "answers": {u.pk: 4 for u in unsur}}
    for source in (Response.Source.PAPER, Response.Source.IMPORT):  # entry grid, import
        with pytest.raises(ValidationError, match="sudah ditutup"):
            survey_services.responses_create(survey=survey, rows=[row], source=source)
    assert Response.objects.filter(survey=survey).count() == 1


def test_a_survey_closed_while_the_form_was_open_says_so(demo, client, monkeypatch):
    """Closed between the check of the page and the save (or its period ended at
    midnight): the answer is refused with the closed page, not an error."""
    survey = survey_of_today()
    service = survey.services.get(name="Perizinan")
    monkeypatch.setattr(survey_services, "current_service", lambda service, today: service)
    Survey.objects.filter(pk=survey.pk).update(is_open=False)
    response = public_post(client, service)
    assert response.status_code == 200
    assert "Survei ini sudah ditutup" in response.content.decode()
    assert not Response.objects.filter(survey=survey).exists()


def test_the_ikm_cannot_be_sent_again_after_closing_until_reopened(demo, login_as):
    survey = make_survey()  # TW 2 2023, linked to the unit's IKM indicator
    add(survey, [4] * 9, [3] * 9)
    client = login_as("kepala")
    feed(client, survey)
    row = Realisation.objects.get(indicator=indicator(), period="Q2")
    sent = row.value
    client.post(reverse("survey_close", args=[survey.pk]))
    add_outside(survey, 2, datetime.date(2023, 5, 5), value=1)  # rows added in the admin

    response = feed(client, survey)
    assert "Survei ini sudah ditutup: IKM-nya tidak dikirim lagi ke indikator." in (
        response.content.decode()
    )
    row.refresh_from_db()
    assert (row.value, row.version) == (sent, 1)
    page = client.get(reverse("survey_detail", args=[survey.pk])).content.decode()
    assert re.search(r'id="kirim-ikm" disabled', page)
    assert survey_services.linked_value(indicator(), "Q2").value == sent

    # Re-opened by the head: the note keeps what was frozen, the figures move again.
    client.post(reverse("survey_reopen", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.is_open and survey.closed_at is None and survey.closed_result is None
    assert "Dibuka kembali oleh Hendra Wijaya" in survey.note
    assert "hasil saat ditutup: 2 responden, IKM 87,50" in survey.note
    feed(client, survey)
    row.refresh_from_db()
    assert row.value == Decimal("56.2500")  # (4 + 3 + 1 + 1) / 4 x 25
    assert row.version == 2


def test_closing_twice_or_reopening_an_open_survey_is_refused(demo, survey):
    user = User.objects.get(username="kepala")
    with pytest.raises(ValidationError, match="tidak sedang ditutup"):
        survey_services.survey_reopen(survey=survey, user=user)
    survey_services.survey_close(survey=survey, user=user)
    with pytest.raises(ValidationError, match="sudah ditutup"):
        survey_services.survey_close(survey=survey, user=user)
    # A survey closed without any respondent keeps that: nothing to publish or send.
    survey.refresh_from_db()
    assert survey.closed_result["respondents"] == 0 and survey.closed_result["ikm"] is None
    assert survey_services.survey_result(survey).respondents == 0
