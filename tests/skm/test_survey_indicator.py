"""An index indicator linked to an SKM: its realisation comes from the survey's IKM
(Kirim IKM ke indikator on the result page), the entry page shows where the value comes
from and refuses another one, a locked period is refused, and nobody outside may press it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sasaran import services
from sasaran.models import Indicator, Realisation, Unit, User
from sasaran.skm import services as survey_services
from sasaran.skm.models import Survey, SurveyIndicator

UP = "up-pmptsp-jaktim"
IKM = "Indeks Kepuasan Layanan Penunjang Urusan Pemerintahan Daerah"


def indicator(name=IKM):
    return Indicator.objects.get(name=name)


def make_survey(number=2, kind="quarter", link=True, population=100):
    survey = survey_services.survey_create(
        unit=Unit.objects.get(code=UP),
        year=2023,
        period_kind=kind,
        period_number=number,
        services=["Perizinan", "Non Perizinan"],
        population=population,
        follow_up_plan="Menambah petugas loket.",
    )
    if link:
        link_to(survey)
    return survey


def link_to(survey, ind=None, service=None):
    """Link the survey to an index indicator (the whole unit's IKM, or one service's)."""
    link = SurveyIndicator(survey=survey, indicator=ind or indicator(), service=service)
    link.full_clean()
    link.save()
    return link


def add(survey, *answer_rows, service="Perizinan"):
    first, _last = survey.period_dates()
    unsur = list(survey.unsur.all())
    rows = [
        {
            "service": survey.services.get(name=service),
            "date": first + datetime.timedelta(days=3),
            "answers": {u.pk: v for u, v in zip(unsur, answers, strict=True)},
        }
        for answers in answer_rows
    ]
    survey_services.responses_create(survey=survey, rows=rows)


def feed(client, survey):
    return client.post(reverse("survey_feed", args=[survey.pk]), follow=True)


# --------------------------------------------------------------------------- the link


def test_feeds_period_rule(demo):
    ind = indicator()
    assert Survey(year=2023, period_kind="quarter", period_number=3).feeds_period(ind) == "Q3"
    assert Survey(year=2023, period_kind="semester", period_number=1).feeds_period(ind) == "Q2"
    assert Survey(year=2023, period_kind="semester", period_number=2).feeds_period(ind) == "Q4"
    assert Survey(year=2023, period_kind="year", period_number=1).feeds_period(ind) == "Q4"


def test_link_is_validated(demo):
    survey = make_survey(link=False)
    with pytest.raises(ValidationError, match="berjenis indeks"):
        link_to(survey, indicator("Persentase Penerbitan Izin Tepat Waktu"))
    link_to(survey)
    # Another survey of the same unit that would feed the same TW 2 (semester 1) is refused.
    semester = make_survey(number=1, kind="semester", link=False)
    with pytest.raises(ValidationError, match="sudah diambil dari"):
        link_to(semester)
    # A survey of another year cannot feed the 2023 indicator.
    later = survey_services.survey_create(unit=survey.unit, year=2024, services=["Perizinan"])
    with pytest.raises(ValidationError, match="tahun 2024"):
        link_to(later)


def test_link_to_another_units_indicator_is_refused(demo):
    dinas = Unit.objects.exclude(code=UP).first()
    survey = survey_services.survey_create(unit=dinas, year=2023, services=["Perizinan"])
    with pytest.raises(ValidationError, match="unit yang sama"):
        link_to(survey)


# --------------------------------------------------------------------------- Kirim IKM


def test_officer_sends_the_ikm_and_the_dashboard_shows_its_band(login_as):
    survey = make_survey()
    add(survey, [4] * 9, [3] * 9, [4, 3, 4, 3, 4, 3, 4, 3, 4])
    client = login_as("kepala")
    page = client.get(reverse("survey_detail", args=[survey.pk])).content.decode()
    assert 'id="kirim-ikm"' in page and "Kirim IKM ke indikator (TW 2)" in page

    response = feed(client, survey)
    assert response.status_code == 200
    row = Realisation.objects.get(indicator=indicator(), period="Q2")
    ikm = survey_services.survey_result(survey).ikm.ikm  # exact Fraction
    assert row.value == Decimal(ikm.numerator / ikm.denominator).quantize(Decimal("0.0001"))
    assert row.value == Decimal("87.9630")  # 3,5185 interval × 25
    assert row.status == "draft" and row.entered_by.username == "kepala"
    assert row.note == "Dari SKM TW 2 2023: 3 responden"
    record = row.history.first()
    assert record.history_change_reason.startswith("IKM 87,96 dikirim dari SKM TW 2 2023")
    assert "IKM 87,96 dikirim" in response.content.decode()

    # 87,96 is band 3 (B, Baik): below the target band 4.
    html = client.get(reverse("dashboard", args=[UP]), {"tahun": 2023, "tw": 2}).content.decode()
    assert "3 · B · Baik" in html


def test_sending_again_updates_the_value_and_keeps_the_officers_note(login_as):
    survey = make_survey()
    add(survey, [3] * 9)
    client = login_as("kepala")
    feed(client, survey)
    row = Realisation.objects.get(indicator=indicator(), period="Q2")
    row.note += "\nSurvei di loket utama."
    row.save()
    add(survey, [4] * 9, [4] * 9, [4] * 9)
    feed(client, survey)
    row.refresh_from_db()
    assert row.value == Decimal("93.7500")  # (3 + 4 + 4 + 4) / 4 × 25
    assert row.note == "Dari SKM TW 2 2023: 4 responden\nSurvei di loket utama."
    assert row.version == 2  # one bump per sending
    # Band 4 now: the dashboard shows it met.
    html = client.get(reverse("dashboard", args=[UP]), {"tahun": 2023, "tw": 2}).content.decode()
    assert "4 · A · Sangat Baik" in html


def test_a_locked_period_is_refused(login_as):
    survey = make_survey()
    add(survey, [4] * 9)
    kepala = User.objects.get(username="kepala")
    row = services.realisation_save(
        indicator=indicator(),
        period="Q2",
        user=kepala,
        data={"value": Decimal("90")},
        version=None,
        submit=True,
    )
    # (the Kepala Unit's own indicator: approved by the head of the parent unit)
    services.realisation_approve(realisation=row, user=User.objects.get(username="kadis"))
    response = feed(login_as("kepala"), survey)
    assert "sudah disetujui dan dikunci" in response.content.decode()
    row.refresh_from_db()
    assert (row.value, row.status) == (Decimal("90"), "approved")


def test_a_survey_without_respondents_is_refused(login_as):
    survey = make_survey()
    response = feed(login_as("kepala"), survey)
    assert "belum memiliki responden" in response.content.decode()
    assert not Realisation.objects.filter(indicator=indicator()).exists()


@pytest.mark.parametrize("username", ["kadis", "datin", "cro"])
def test_others_get_404_for_the_button(login_as, username):
    survey = make_survey()
    add(survey, [4] * 9)
    client = login_as(username)
    assert feed(client, survey).status_code == 404
    assert not Realisation.objects.exists()
    if username == "cro":  # same unit: sees the result, but not the button
        page = client.get(reverse("survey_detail", args=[survey.pk])).content.decode()
        assert 'id="kirim-ikm"' not in page


def test_the_button_needs_post(login_as):
    survey = make_survey()
    assert login_as("kepala").get(reverse("survey_feed", args=[survey.pk])).status_code == 405


# --------------------------------------------------------------------------- entry page


def entry_url(period="Q2"):
    return reverse("entry", args=[indicator().pk, period])


def test_entry_page_shows_the_survey_and_refuses_another_value(login_as):
    survey = make_survey()
    add(survey, [4] * 9, [3] * 9, [4, 3, 4, 3, 4, 3, 4, 3, 4])
    client = login_as("kepala")
    feed(client, survey)
    row = Realisation.objects.get(indicator=indicator(), period="Q2")

    html = client.get(entry_url()).content.decode()
    assert 'id="nilai-dari-skm"' in html and "Nilai dari SKM" in html
    assert reverse("survey_detail", args=[survey.pk]) in html
    assert 'name="value" value="87,963"' in html and "readonly" in html
    assert 'name="scale"' not in html

    data = {"version": row.version, "save": "1", "value": "95", "note": "x"}
    response = client.post(entry_url(), data)
    assert response.status_code == 200
    assert "Nilai indikator ini diambil dari SKM TW 2 2023" in response.content.decode()
    row.refresh_from_db()
    assert row.value == Decimal("87.9630") and row.version == 1

    # The survey's value with the officer's words is accepted; the missed band 4 asks for
    # the analysis and follow-up on submission, as for any indicator.
    data = {
        "version": row.version,
        "submit": "1",
        "value": "87,963",
        "note": row.note,
        "cause_analysis": "Waktu tunggu loket lama.",
        "follow_up": "Menambah petugas loket pada jam sibuk.",
    }
    response = client.post(entry_url(), data)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "submitted" and row.value == Decimal("87.9630")
    assert row.follow_up == "Menambah petugas loket pada jam sibuk."


def test_entry_of_an_unlinked_period_is_unchanged(login_as):
    survey = make_survey()  # feeds TW 2 only
    add(survey, [4] * 9)
    html = login_as("kepala").get(entry_url("Q1")).content.decode()
    assert "Nilai dari SKM" not in html and 'name="scale"' in html
    assert "readonly" not in html
