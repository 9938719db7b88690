"""The public survey's limits and the one-time form tokens.

A browser without the survey's device cookie is counted by its address; a device with its
cookie by the cookie, under a higher ceiling for all devices behind one address, so one
office behind one address is not locked out while a flood from one address still is. Every
rendered questionnaire and entry grid carries a one-time token: the same form posted again
saves nothing a second time, and a missing or forged token is refused with the input kept.
"""

import re
import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from sasaran import periods
from sasaran.models import Unit
from sasaran.skm import services as survey_services
from sasaran.skm.models import Response
from tests.conftest import logged_in
from tests.skm.test_survey import grid

PROFILE = {"sex": "P", "age_group": "30-39", "education": "S1", "occupation": "swasta"}
REFUSED = "Formulir ini sudah kedaluwarsa atau tidak sah"


pytestmark = pytest.mark.usefixtures("empty_cache")


def make_service():
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


@pytest.fixture
def service(db):
    return make_service()


def answers(service, value="4"):
    data = dict(PROFILE)
    for unsur in service.survey.unsur.all():
        data[f"u_{unsur.pk}"] = value
    return data


def url(service):
    return reverse("public_survey", args=[service.public_token])


def token_of(page):
    return re.search(r'name="once" value="([^"]+)"', page.content.decode()).group(1)


def rendered_form(client, service, *, device):
    """Open the questionnaire; keep the device cookie it gives only when `device`."""
    token = token_of(client.get(url(service)))
    if not device:
        client.cookies.pop("skm_device", None)
    return {**answers(service), "once": token}


def send(client, service, *, device, **extra):
    return client.post(url(service), rendered_form(client, service, device=device), **extra)


# --------------------------------------------------------------------------- limits


def test_a_burst_from_one_address_without_cookie_stops_exactly_at_the_limit(
    client, service, settings, monkeypatch
):
    """Each post arrives while the one before it is still being saved, as in a burst of
    parallel requests: no more than the limit get through."""
    settings.SKM_PUBLIC_RATE_LIMIT = 3
    forms = [rendered_form(client, service, device=False) for _ in range(8)]
    statuses = []
    save = survey_services.public_response_create

    def save_while_the_next_post_arrives(**kwargs):
        save(**kwargs)
        if forms:
            statuses.append(Client().post(url(service), forms.pop(0)).status_code)

    monkeypatch.setattr(survey_services, "public_response_create", save_while_the_next_post_arrives)
    statuses.append(Client().post(url(service), forms.pop(0)).status_code)
    while forms:  # the rest of the burst, one after another
        statuses.append(Client().post(url(service), forms.pop(0)).status_code)
    assert sorted(statuses) == [302] * 3 + [429] * 5
    assert Response.objects.count() == 3


def test_a_device_with_its_cookie_is_not_blocked_by_the_address_limit(client, service):
    """A counter tablet behind the office's single address answers more than 10 times in
    the window, while a cookieless flood from the same address is still held at 10."""
    tablet = Client()
    for _ in range(15):
        assert send(tablet, service, device=True).status_code == 302
    flood = [send(Client(), service, device=False).status_code for _ in range(12)]
    assert flood == [302] * 10 + [429] * 2
    assert Response.objects.count() == 25


def test_one_device_and_all_devices_behind_one_address_have_their_own_limits(service, settings):
    settings.SKM_PUBLIC_DEVICE_LIMIT = 3
    settings.SKM_PUBLIC_ADDRESS_LIMIT = 5
    phone = Client()
    assert [send(phone, service, device=True).status_code for _ in range(4)] == [302] * 3 + [429]
    # New devices at the same address share its ceiling of 5.
    others = [send(Client(), service, device=True).status_code for _ in range(3)]
    assert others == [302, 302, 429]
    # A device behind another address is not affected.
    away = send(Client(), service, device=True, REMOTE_ADDR="10.0.0.7")
    assert away.status_code == 302
    assert Response.objects.count() == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel requests need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_threaded_burst_stops_exactly_at_the_limit_on_postgresql(settings):
    settings.SKM_PUBLIC_RATE_LIMIT = 3
    cache.clear()
    service = make_service()
    forms = [rendered_form(Client(), service, device=False) for _ in range(20)]
    barrier = threading.Barrier(len(forms))
    statuses = []

    def post(form):
        barrier.wait()
        try:
            statuses.append(Client().post(url(service), form).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(form,)) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] * 3 + [429] * 17
    assert Response.objects.count() == 3
    cache.clear()


# --------------------------------------------------------------------------- one-time tokens


def test_the_same_rendered_public_form_posted_three_times_makes_one_respondent(
    client, service, settings
):
    settings.SKM_PUBLIC_RATE_LIMIT = 2
    form = rendered_form(client, service, device=False)
    thanks = reverse("public_survey_thanks", args=[service.public_token])
    for _ in range(3):
        response = client.post(url(service), form)
        assert (response.status_code, response["Location"]) == (302, thanks)
    assert Response.objects.count() == 1
    # The repeats did not use up the limit: another answer still goes through.
    assert send(client, service, device=False).status_code == 302
    assert Response.objects.count() == 2


def test_the_entry_grid_posted_twice_with_the_same_token_saves_its_rows_once(client, survey):
    logged_in(client, "cro")
    entry = reverse("survey_entry", args=[survey.pk])
    data = grid(survey, [{"answers": "443343343"}, {"answers": "444444444"}], total=3)
    data["once"] = token_of(client.get(entry))
    first = client.post(entry, data, follow=True)
    assert "2 responden disimpan." in first.content.decode()
    second = client.post(entry, data, follow=True)
    assert "Isian ini sudah dikirim; tidak disimpan dua kali." in second.content.decode()
    assert Response.objects.filter(survey=survey).count() == 2


def forged_tokens(good):
    return {
        "missing": None,
        "empty": "",
        "made up": "abc:def",
        "tampered": good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
        "with NUL": good + "\x00",
    }


@pytest.mark.parametrize("kind", ["missing", "empty", "made up", "tampered", "with NUL"])
def test_a_forged_or_missing_token_on_the_public_form_is_refused_and_the_input_kept(
    client, service, kind
):
    data = rendered_form(client, service, device=False)
    token = forged_tokens(data.pop("once"))[kind]
    if token is not None:
        data["once"] = token
    response = client.post(url(service), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert REFUSED in html
    assert html.count(" checked>") == 9 + 4  # what was chosen stays on the page
    assert token_of(response) not in (token, None)  # a fresh token to send again with
    assert Response.objects.count() == 0


@pytest.mark.parametrize("kind", ["missing", "made up", "tampered", "public form's token"])
def test_a_forged_or_missing_token_on_the_entry_grid_is_refused_and_the_input_kept(
    client, survey, service, kind
):
    logged_in(client, "cro")
    entry = reverse("survey_entry", args=[survey.pk])
    data = grid(survey, [{"answers": "443343343", "sex": "L"}])
    good = token_of(client.get(entry))
    tokens = {**forged_tokens(good), "public form's token": token_of(client.get(url(service)))}
    if tokens[kind] is None:
        data.pop("once")
    else:
        data["once"] = tokens[kind]
    response = client.post(entry, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert REFUSED in html
    assert 'value="3"' in html and 'value="L" selected' in html
    assert Response.objects.filter(survey=survey).count() == 0


def test_behind_the_offices_proxy_each_visitor_is_counted_by_their_own_address(
    client, service, settings
):
    """Every request arrives from the proxy's address; with PROXY_COUNT set, the limit counts
    the visitor's address the proxy passed on, so one flood does not block other visitors."""
    settings.PROXY_COUNT = 1
    settings.SKM_PUBLIC_RATE_LIMIT = 2
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(3):
        send(client, service, device=False, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert Response.objects.count() == 2  # the flooding visitor is limited

    other = Client()
    send(other, service, device=False, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)
    assert Response.objects.count() == 3  # another visitor behind the same proxy is not
