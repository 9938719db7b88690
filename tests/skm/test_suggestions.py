"""Suggestions and complaints: a respondent may leave one with their answers, and a name or
contact to be answered at (anonymous unless filled in); staff follow each up in a list with
a status and a response, and the survey's PDF and workbook print them beside the follow-up
plan, never with the respondent's name or contact."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sasaran import periods
from sasaran.models import Unit, User
from sasaran.skm import services as survey_services
from sasaran.skm.models import Response
from tests.conftest import logged_in

PROFILE = {"sex": "P", "age_group": "30-39", "education": "S1", "occupation": "swasta"}
ANONYMOUS_NOTE = "Jawaban Anda tetap anonim"


pytestmark = pytest.mark.usefixtures("empty_cache")


@pytest.fixture
def service(db):
    """A service of a survey whose period covers today: the public page takes answers."""
    today = periods.today()
    unit = Unit.objects.create(code="up-x", name="UP PMPTSP Kota Contoh", kind="up")
    survey = survey_services.survey_create(
        unit=unit,
        year=today.year,
        period_kind="quarter",
        period_number=(today.month - 1) // 3 + 1,
        services=["Perizinan"],
    )
    return survey.services.get()


def send(client, service, **extra):
    url = reverse("public_survey", args=[service.public_token])
    page = client.get(url)
    token = re.search(r'name="once" value="([^"]+)"', page.content.decode()).group(1)
    data = {**PROFILE, "once": token, **extra}
    for unsur in service.survey.unsur.all():
        data[f"u_{unsur.pk}"] = "3"
    return client.post(url, data)


# --------------------------------------------------------------------------- the public form


def test_the_questionnaire_offers_a_suggestion_and_an_optional_identity(client, service):
    html = client.get(reverse("public_survey", args=[service.public_token])).content.decode()
    assert "Saran atau pengaduan" in html
    assert re.search(r'<textarea name="suggestion"[^>]*maxlength="2000"', html)
    assert 'name="respondent_name"' in html and 'name="respondent_contact"' in html
    assert ANONYMOUS_NOTE in html
    assert "boleh dikosongkan" in html


def test_an_answer_without_suggestion_or_identity_is_anonymous_and_has_nothing_to_follow(
    client, service
):
    assert send(client, service).status_code == 302
    saved = Response.objects.get()
    assert (saved.suggestion, saved.suggestion_status) == ("", "")
    assert (saved.respondent_name, saved.respondent_contact) == ("", "")


def test_a_suggestion_is_saved_as_new_with_the_identity_given(client, service):
    response = send(
        client,
        service,
        suggestion="  Antrean terlalu lama di loket 2.  ",
        respondent_name="Siti",
        respondent_contact="0812 3456 7890",
    )
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.suggestion == "Antrean terlalu lama di loket 2."
    assert saved.suggestion_status == Response.SuggestionStatus.NEW == "baru"
    assert (saved.respondent_name, saved.respondent_contact) == ("Siti", "0812 3456 7890")
    assert saved.suggestion_responded_at is None


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("suggestion", "x" * 2001, "Paling banyak 2000 karakter (saat ini 2001)."),
        ("suggestion", "lama\x00sekali", "Teks tidak boleh berisi karakter NUL."),
        ("suggestion", "bel\x07", "karakter kontrol"),
        ("respondent_name", "n" * 101, "Paling banyak 100 karakter (saat ini 101)."),
        ("respondent_contact", "08\x00", "Teks tidak boleh berisi karakter NUL."),
    ],
)
def test_a_suggestion_too_long_or_with_a_nul_is_refused_in_indonesian(
    client, service, field, value, message
):
    response = send(client, service, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Response.objects.exists()


def test_a_suggestion_of_exactly_the_limit_is_taken(client, service):
    assert send(client, service, suggestion="y" * 2000).status_code == 302
    assert len(Response.objects.get().suggestion) == 2000


def test_the_service_refuses_what_the_form_would(service):
    row = {"service": service, "date": periods.today(), "answers": {}, **PROFILE}
    row["answers"] = {u.pk: 4 for u in service.survey.unsur.all()}
    with pytest.raises(ValidationError, match="paling banyak 2000 karakter"):
        survey_services.responses_create(
            survey=service.survey, rows=[{**row, "suggestion": "z" * 2001}]
        )
    with pytest.raises(ValidationError, match="karakter kontrol"):
        survey_services.responses_create(
            survey=service.survey, rows=[{**row, "respondent_name": "a\x00b"}]
        )
    assert not Response.objects.exists()


# --------------------------------------------------------------------------- staff's list


def respondents(survey, *specs):
    """Respondents of the (TW 1 2023) survey, each spec a dict of feedback fields."""
    service = survey.services.first()
    answers = {u.pk: 3 for u in survey.unsur.all()}
    rows = [
        {
            "service": service,
            "date": datetime.date(2023, 2, day),
            "answers": answers,
            **spec,
        }
        for day, spec in enumerate(specs, start=1)
    ]
    return survey_services.responses_create(survey=survey, rows=rows)


@pytest.fixture
def suggested(survey):
    """Three respondents of the demo unit's survey: two with a suggestion, one identified."""
    return respondents(
        survey,
        {"suggestion": "Ruang tunggu panas.", "respondent_name": "Budi Santoso"},
        {},
        {"suggestion": "Tambah kursi.", "respondent_contact": "budi@contoh.invalid"},
    )


def suggestions_url(survey, **query):
    url = reverse("survey_suggestions", args=[survey.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_staff_see_the_suggestions_of_their_survey_with_the_identity_given(
    client, survey, suggested
):
    logged_in(client, "kasubbag")
    detail = client.get(reverse("survey_detail", args=[survey.pk])).content.decode()
    assert suggestions_url(survey) in detail and "2 baru" in detail
    html = client.get(suggestions_url(survey)).content.decode()
    assert "Ruang tunggu panas." in html and "Tambah kursi." in html
    assert "Budi Santoso" in html and "budi@contoh.invalid" in html
    assert html.count('class="card mb-3" id="saran-') == 2  # the one without is not listed
    assert 'name="status"' in html and 'name="text"' in html


def test_staff_respond_and_filter_by_status(client, survey, suggested):
    first, _silent, second = suggested
    logged_in(client, "kasubbag")
    url = reverse("survey_suggestion_respond", args=[survey.pk, first.pk])
    response = client.post(
        url + "?status=baru", {"status": "proses", "text": "AC diperbaiki minggu ini."}
    )
    assert response.status_code == 302
    assert response["Location"] == suggestions_url(survey, status="baru") + f"#saran-{first.pk}"
    first.refresh_from_db()
    assert first.suggestion_status == "proses"
    assert first.suggestion_response == "AC diperbaiki minggu ini."
    assert first.suggestion_responded_by == User.objects.get(username="kasubbag")
    assert first.suggestion_responded_at is not None

    in_progress = client.get(suggestions_url(survey, status="proses")).content.decode()
    assert "Ruang tunggu panas." in in_progress and "Tambah kursi." not in in_progress
    assert "AC diperbaiki minggu ini." in in_progress
    new = client.get(suggestions_url(survey, status="baru")).content.decode()
    assert "Tambah kursi." in new and "Ruang tunggu panas." not in new
    # An unknown status shows them all rather than failing.
    everything = client.get(suggestions_url(survey, status="x")).content.decode()
    assert "Tambah kursi." in everything and "Ruang tunggu panas." in everything


def test_done_needs_a_response_and_nothing_is_saved_on_an_error(client, survey, suggested):
    first = suggested[0]
    logged_in(client, "kasubbag")
    url = reverse("survey_suggestion_respond", args=[survey.pk, first.pk])
    response = client.post(url, {"status": "selesai", "text": "  "})
    assert response.status_code == 400
    assert "Tulis tanggapannya sebelum saran ditandai selesai." in response.content.decode()
    response = client.post(url, {"status": "selesai", "text": "t" * 2001})
    assert response.status_code == 400
    assert "Paling banyak 2000 karakter" in response.content.decode()
    response = client.post(url, {"status": "hapus", "text": "x"})
    assert response.status_code == 400
    first.refresh_from_db()
    assert (first.suggestion_status, first.suggestion_response) == ("baru", "")
    assert client.post(url, {"status": "selesai", "text": "Sudah."}).status_code == 302
    first.refresh_from_db()
    assert first.suggestion_status == "selesai"


def test_a_respondent_without_a_suggestion_or_of_another_survey_is_404(
    client, survey, suggested, service
):
    logged_in(client, "kasubbag")
    silent = suggested[1]
    url = reverse("survey_suggestion_respond", args=[survey.pk, silent.pk])
    assert client.post(url, {"status": "proses", "text": "x"}).status_code == 404
    send(Client(), service, suggestion="Di unit lain.")
    elsewhere = Response.objects.get(survey=service.survey)
    url = reverse("survey_suggestion_respond", args=[survey.pk, elsewhere.pk])
    assert client.post(url, {"status": "proses", "text": "x"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.suggestion_status == "baru"


def test_the_respond_service_checks_its_input(survey, suggested):
    first, silent, _second = suggested
    user = User.objects.get(username="kepala")
    with pytest.raises(ValidationError):
        survey_services.suggestion_respond(response=first, status="x", text="", user=user)
    with pytest.raises(ValidationError):
        survey_services.suggestion_respond(response=silent, status="proses", text="", user=user)
    with pytest.raises(ValidationError):
        survey_services.suggestion_respond(
            response=first, status="proses", text="a\x00b", user=user
        )
    saved = survey_services.suggestion_respond(
        response=first, status="selesai", text=" Kursi ditambah. ", user=user
    )
    assert (saved.suggestion_status, saved.suggestion_response) == ("selesai", "Kursi ditambah.")
    assert saved.suggestion_responded_by == user


# --------------------------------------------------------------------------- the documents


def test_the_pdf_prints_suggestions_with_status_and_response_but_no_identity(
    client, survey, suggested
):
    survey_services.suggestion_respond(
        response=suggested[0],
        status="selesai",
        text="Pendingin ruangan sudah diperbaiki.",
        user=User.objects.get(username="kepala"),
    )
    logged_in(client, "kasubbag")
    pdf = client.get(reverse("survey_pdf", args=[survey.pk])).content
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "Saran dan pengaduan responden" in text
    assert "Ruang tunggu panas." in text and "Tambah kursi." in text
    assert "Pendingin ruangan sudah diperbaiki." in text
    assert "Selesai" in text and "Baru" in text
    assert text.index("Saran dan pengaduan responden") < text.index("Rencana tindak lanjut")
    assert "Budi" not in text and "contoh.invalid" not in text


def test_the_workbook_prints_suggestions_with_status_and_response_but_no_identity(
    client, survey, suggested
):
    survey_services.suggestion_respond(
        response=suggested[2],
        status="proses",
        text='=HYPERLINK("http://contoh.invalid")',
        user=User.objects.get(username="kepala"),
    )
    logged_in(client, "kasubbag")
    content = client.get(reverse("survey_excel", args=[survey.pk])).content
    sheet = load_workbook(io.BytesIO(content))["Hasil"]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    plan = texts.index("Rencana tindak lanjut")
    heading = texts.index("Saran dan pengaduan responden")
    assert heading > plan
    assert "Ruang tunggu panas." in texts and "Tambah kursi." in texts
    assert "Diproses" in texts and "Baru" in texts
    formula = next(
        cell
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == '=HYPERLINK("http://contoh.invalid")'
    )
    assert formula.data_type == "s"  # the response is text, never a formula
    assert not any("Budi" in text or "budi@" in text for text in texts)
