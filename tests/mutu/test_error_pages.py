"""Error pages of our own: 400, 403 (also a CSRF failure), 404 and 500 in Indonesian (English
on request), in the app's look, without the database; and two messages that were wrong or
missing: Django's Indonesian "duplicate" message and a forged version of the entry form.

This module is also the URLconf of the tests that need a view that fails on purpose: it adds
such views to the app's URLs and takes the app's error handlers (mutu/urls.py).
"""

from unittest import mock

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError, connection
from django.test import Client
from django.urls import path, reverse
from django.utils import translation

import mutu.urls as app_urls
from sasaran.models import Indicator, Position, Realisation

# --------------------------------------------------------------------------- test URLconf


def _raise_suspicious(request):
    raise SuspiciousOperation("forged input")


def _raise_permission_denied(request):
    raise PermissionDenied


def _raise_error(request):
    raise RuntimeError("a fault on our side")


urlpatterns = [
    *app_urls.urlpatterns,
    path("uji/400/", _raise_suspicious),
    path("uji/403/", _raise_permission_denied),
    path("uji/500/", _raise_error),
]
handler400 = getattr(app_urls, "handler400", None)
handler403 = getattr(app_urls, "handler403", None)
handler404 = getattr(app_urls, "handler404", None)
handler500 = getattr(app_urls, "handler500", None)


@pytest.fixture(autouse=True)
def _production_errors(settings):
    """As in production: DEBUG off, so the handlers answer; the failing views above."""
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


@pytest.fixture(params=["anonim", "kasubbag"])
def visitor(request, client, db):
    """The test's client, anonymous or logged in (the menu would read the database)."""
    if request.param != "anonim":
        request.getfixturevalue("login_as")(request.param)
    client.raise_request_exception = False
    return client


def in_english(client):
    client.cookies["django_language"] = "en"
    return client


def assert_our_page(response, status, *texts):
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert 'id="halaman-galat"' in html
    assert "vendor/bootstrap.min.css" in html  # the app's look, from our static files
    assert "cdn" not in html.lower()
    for text in texts:
        assert text in html
    return html


# --------------------------------------------------------------------------- the pages

PAGES = [
    # (status, URL, Indonesian text, English text)
    (404, "/tidak-ada-halaman-ini/", "Halaman tidak ditemukan", "Page not found"),
    (403, "/uji/403/", "Akses ditolak", "Access denied"),
    (400, "/uji/400/", "Permintaan tidak dapat diproses", "The request could not be processed"),
    (500, "/uji/500/", "Terjadi kesalahan di sistem kami", "Something went wrong on our side"),
]


@pytest.mark.parametrize("status, url, indonesian, english", PAGES)
def test_error_page_is_ours_in_indonesian_without_the_database(
    visitor, django_assert_num_queries, status, url, indonesian, english
):
    with django_assert_num_queries(0):
        response = visitor.get(url)
    html = assert_our_page(response, status, indonesian, '<html lang="id">', "Kembali ke beranda")
    assert english not in html
    assert "kasubbag" not in html  # the user is not read: no menu, no name


@pytest.mark.parametrize("status, url, indonesian, english", PAGES)
def test_error_page_is_in_english_when_asked(visitor, status, url, indonesian, english):
    html = assert_our_page(in_english(visitor).get(url), status, english, '<html lang="en">')
    assert indonesian not in html
    assert "Back to the home page" in html


def test_error_page_follows_the_browser_language(client, db):
    response = client.get("/tidak-ada-halaman-ini/", HTTP_ACCEPT_LANGUAGE="en")
    assert_our_page(response, 404, "Page not found")


def test_a_disallowed_host_gets_our_400_page(client, db):
    assert_our_page(client.get("/", HTTP_HOST="elsewhere.example"), 400, "Permintaan tidak")


def test_csrf_failure_says_the_form_expired(db, django_assert_num_queries):
    client = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(0):
        response = client.post(reverse("login"), {"username": "kasubbag", "password": "x"})
    html = assert_our_page(response, 403, "Formulir kedaluwarsa", "muat ulang halamannya")
    assert "CSRF" not in html

    english = in_english(Client(enforce_csrf_checks=True)).post(reverse("login"), {})
    assert_our_page(english, 403, "The form has expired")


def test_csrf_failure_of_a_logged_in_officer_does_not_read_the_database(
    kasubbag, django_assert_num_queries
):
    kasubbag.handler.enforce_csrf_checks = True
    with django_assert_num_queries(0):
        response = kasubbag.post(reverse("logout"))
    assert_our_page(response, 403, "Formulir kedaluwarsa")


def database_down():
    """Every query fails, as during the outage: the connection cannot give a cursor."""
    return mock.patch.object(
        connection, "create_cursor", side_effect=OperationalError("server closed the connection")
    )


def test_pages_while_the_database_is_down(kasubbag):
    kasubbag.raise_request_exception = False
    with database_down():
        missing = kasubbag.get("/tidak-ada-halaman-ini/")
        broken = kasubbag.get(reverse("tasks"))
    assert_our_page(missing, 404, "Halaman tidak ditemukan")
    assert_our_page(broken, 500, "Terjadi kesalahan di sistem kami", "mungkin belum tersimpan")


def test_500_page_never_raises_even_when_its_template_fails(client, db):
    client.raise_request_exception = False
    with mock.patch("mutu.views.loader.get_template", side_effect=ValueError("no manifest")):
        response = client.get("/uji/500/")
    assert response.status_code == 500
    assert "Terjadi kesalahan (500)" in response.content.decode()


# --------------------------------------------------------------------------- messages


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ["unit", "name", "level"]


def test_duplicate_message_says_it_already_exists(demo):
    existing = Position.objects.first()
    data = {"unit": existing.unit_id, "name": existing.name, "level": existing.level}
    with translation.override("id"):
        form = PositionForm(data)
        assert not form.is_valid()
        message = " ".join(form.non_field_errors())
    assert "ini sudah ada" in message
    assert "tidak ada" not in message


def test_forged_version_is_shown_and_what_was_typed_is_kept(kasubbag):
    indicator = Indicator.objects.get(name="Persentase updating data kepegawaian")
    response = kasubbag.post(
        reverse("entry", args=[indicator.pk, "Q1"]),
        {"version": "1e309", "save": "1", "value": "87,5", "note": "catatan saya"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Formulir ini tidak sah atau kedaluwarsa" in html
    assert 'value="87,5"' in html
    assert "catatan saya" in html
    assert not Realisation.objects.exists()
