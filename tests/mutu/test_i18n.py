"""Languages: Indonesian by default, English on request through the language switch."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from sasaran.models import Indicator, Realisation, Target
from tests.conftest import logged_in

REPORTS = "Persentase pengiriman laporan retribusi tepat waktu ke DPMPSTP"


def fractional_targets():
    """Targets with a decimal (97,5 %) on the task list of the kasubbag: whole targets are
    written without decimals (100 %), as the offices write them."""
    Target.objects.filter(indicator__name=REPORTS).update(value=Decimal("97.5"))


def switch_to_english(client, next_url="/tugas/"):
    response = client.post("/i18n/setlang/", {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response.headers["Location"] == next_url
    return response


def test_indonesian_is_the_default(kasubbag):
    fractional_targets()
    html = kasubbag.get("/tugas/").content.decode()
    assert '<html lang="id">' in html
    assert "Tugas saya" in html
    assert "My tasks" not in html
    # Decimal comma, as the office writes it.
    assert "97,5 %" in html
    assert "97.5 %" not in html


def test_switching_to_english_translates_the_task_list(kasubbag):
    fractional_targets()
    switch_to_english(kasubbag)
    html = kasubbag.get("/tugas/").content.decode()
    assert '<html lang="en">' in html
    assert "My tasks" in html
    assert "Tugas saya" not in html
    assert "Dashboard" in html
    assert "Performance indicator" in html
    assert "Log out" in html
    # English number format: decimal point.
    assert "97.5 %" in html
    assert "97,5 %" not in html


def test_english_stays_with_the_session_not_other_clients(kasubbag):
    fractional_targets()
    switch_to_english(kasubbag)
    assert "My tasks" in kasubbag.get("/tugas/").content.decode()

    fresh = logged_in(Client(), "kasubbag")
    html = fresh.get("/tugas/").content.decode()
    assert "Tugas saya" in html
    assert "97,5 %" in html


def test_login_page_is_indonesian_by_default(client, db):
    response = client.get("/masuk/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert "Masuk ke Sasaran Mutu" in html
    assert "Log in to Sasaran Mutu" not in html


def test_login_page_in_english_after_switching(client, db):
    switch_to_english(client, "/masuk/")
    html = client.get("/masuk/").content.decode()
    assert "Log in to Sasaran Mutu" in html
    assert "Masuk ke Sasaran Mutu" not in html


def test_english_entry_form_accepts_indonesian_notation(kasubbag):
    switch_to_english(kasubbag)
    indicator = Indicator.objects.get(name="Persentase updating data kepegawaian")
    url = reverse("entry", args=[indicator.pk, "Q1"])
    assert url == f"/indikator/{indicator.pk}/Q1/"
    response = kasubbag.post(url, {"value": "87,28", "save": "1", "version": ""})
    assert response.status_code == 302
    row = Realisation.objects.get(indicator=indicator, period="Q1")
    assert row.value == Decimal("87.28")
    assert row.status == Realisation.Status.DRAFT

    # The form shows the value back in the office's notation, in an English page.
    html = kasubbag.get(url).content.decode()
    assert "Realisation" in html
    assert 'value="87,28"' in html
