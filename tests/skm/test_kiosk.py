"""Counter tablets registered as kiosk devices of a unit.

The head of the unit registers the tablet's browser from the survey page: it gets a signed,
long-lived cookie naming its device. Its answers are then counted by the device alone, never
against the office's single address, while an anonymous flood from that address is still
held at the address limit. A revoked device, a forged cookie, or the kiosk of another unit
counts as anonymous.
"""

import re

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from sasaran import periods
from sasaran.models import Unit, User
from sasaran.skm import kiosk
from sasaran.skm import services as survey_services
from sasaran.skm.models import KioskDevice, Response
from tests.conftest import logged_in

PROFILE = {"sex": "L", "age_group": "40-49", "education": "SMA", "occupation": "wirausaha"}
OFFICE = "203.0.113.10"  # the office's single internet address


pytestmark = pytest.mark.usefixtures("empty_cache")


def current_survey(unit):
    """A survey of `unit` whose period covers today, so that the public page takes answers."""
    today = periods.today()
    return survey_services.survey_create(
        unit=unit,
        year=today.year,
        period_kind="quarter",
        period_number=(today.month - 1) // 3 + 1,
        services=["Perizinan"],
    )


@pytest.fixture
def survey(demo):
    return current_survey(Unit.objects.get(code="up-pmptsp-jaktim"))


def public_url(survey):
    return reverse("public_survey", args=[survey.services.get().public_token])


def answer(client, survey, *, keep_device_cookie=False):
    """Open the questionnaire from the office's address and send it. Without
    `keep_device_cookie` the survey's device cookie is dropped first, so only the kiosk
    cookie (if any) can keep the answer from being counted by the address."""
    url = public_url(survey)
    page = client.get(url, REMOTE_ADDR=OFFICE)
    token = re.search(r'name="once" value="([^"]+)"', page.content.decode()).group(1)
    if not keep_device_cookie:
        client.cookies.pop("skm_device", None)
    data = {**PROFILE, "once": token}
    for unsur in survey.unsur.all():
        data[f"u_{unsur.pk}"] = "3"
    return client.post(url, data, REMOTE_ADDR=OFFICE).status_code


def register_tablet(survey, name="Tablet loket 1"):
    """The head registers a browser (the returned client) as a kiosk from the survey page."""
    tablet = logged_in(Client(), "kepala")
    page = tablet.get(reverse("survey_detail", args=[survey.pk]))
    assert "Jadikan perangkat ini kios" in page.content.decode()
    response = tablet.post(reverse("survey_kiosk_register", args=[survey.pk]), {"name": name})
    assert response.status_code == 302
    return tablet


def test_registering_gives_the_browser_a_signed_long_lived_cookie_naming_the_device(survey):
    tablet = register_tablet(survey)
    device = KioskDevice.objects.get()
    assert (device.unit, device.name, device.registered_by.username) == (
        survey.unit,
        "Tablet loket 1",
        "kepala",
    )
    cookie = tablet.cookies[kiosk.COOKIE]
    assert cookie.value != device.key and device.key in cookie.value  # signed, not bare
    assert cookie["httponly"] and cookie["max-age"] >= 365 * 24 * 60 * 60
    page = tablet.get(reverse("survey_detail", args=[survey.pk])).content.decode()
    assert "Perangkat ini terdaftar sebagai kios" in page
    # Registering the same browser again makes no second device.
    tablet.post(reverse("survey_kiosk_register", args=[survey.pk]), {"name": "Lagi"})
    assert KioskDevice.objects.count() == 1


def test_a_burst_of_50_answers_from_the_kiosk_behind_the_office_address_all_go_through(
    survey, settings
):
    """The tablet sends 50 answers in one window from the office's address; then a cookieless
    burst from the same address is still held at the address limit of 10, which the kiosk's
    answers did not use up."""
    assert settings.SKM_PUBLIC_RATE_LIMIT == 10
    tablet = register_tablet(survey)
    assert [answer(tablet, survey) for _ in range(50)] == [302] * 50
    flood = [answer(Client(), survey) for _ in range(12)]
    assert flood == [302] * 10 + [429] * 2
    assert Response.objects.filter(survey=survey).count() == 60


def test_an_anonymous_burst_from_the_office_address_is_limited_without_a_kiosk(survey):
    browser = Client()
    assert [answer(browser, survey) for _ in range(12)] == [302] * 10 + [429] * 2


def test_a_revoked_kiosk_counts_as_anonymous_again(survey, settings):
    settings.SKM_PUBLIC_RATE_LIMIT = 3
    tablet = register_tablet(survey)
    assert [answer(tablet, survey) for _ in range(5)] == [302] * 5
    device = KioskDevice.objects.get()
    # Revoked from the head's own desk: the tablet keeps its cookie, which now counts for
    # nothing.
    desk = logged_in(Client(), "kepala")
    listing = desk.get(reverse("survey_kiosks", args=[survey.pk])).content.decode()
    assert "Tablet loket 1" in listing and "aktif" in listing
    response = desk.post(reverse("survey_kiosk_revoke", args=[survey.pk, device.pk]))
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.revoked_at is not None
    assert kiosk.COOKIE in tablet.cookies
    cache.clear()  # a new window: the address starts from zero
    assert [answer(tablet, survey) for _ in range(5)] == [302] * 3 + [429] * 2
    listing = desk.get(reverse("survey_kiosks", args=[survey.pk])).content.decode()
    assert "dicabut" in listing


def test_revoking_from_the_tablet_itself_removes_its_cookie(survey):
    tablet = register_tablet(survey)
    device = KioskDevice.objects.get()
    tablet.post(reverse("survey_kiosk_revoke", args=[survey.pk, device.pk]))
    assert tablet.cookies[kiosk.COOKIE].value == ""  # deleted


@pytest.mark.parametrize("kind", ["bare key", "made up", "tampered", "other salt", "other unit"])
def test_a_forged_kiosk_cookie_counts_as_anonymous(survey, settings, kind):
    settings.SKM_PUBLIC_RATE_LIMIT = 3
    head = User.objects.get(username="kepala")
    own = KioskDevice.objects.create(unit=survey.unit, name="Tablet", registered_by=head)
    elsewhere = KioskDevice.objects.create(
        unit=Unit.objects.exclude(pk=survey.unit_id).first(), name="Tablet", registered_by=head
    )
    signed = signing.get_cookie_signer(salt=kiosk.COOKIE + kiosk.COOKIE).sign(own.key)
    values = {
        "bare key": own.key,
        "made up": "abc:def",
        "tampered": signed[:-2] + ("AA" if not signed.endswith("AA") else "BB"),
        "other salt": signing.get_cookie_signer(salt="skm_device").sign(own.key),
        "other unit": signing.get_cookie_signer(salt=kiosk.COOKIE + kiosk.COOKIE).sign(
            elsewhere.key
        ),
    }
    browser = Client()
    browser.cookies[kiosk.COOKIE] = values[kind]
    assert [answer(browser, survey) for _ in range(5)] == [302] * 3 + [429] * 2


def test_the_signed_cookie_of_an_own_device_is_honoured(survey, settings):
    """The counterpart of the forged cookies above: the same cookie, rightly signed."""
    settings.SKM_PUBLIC_RATE_LIMIT = 3
    head = User.objects.get(username="kepala")
    own = KioskDevice.objects.create(unit=survey.unit, name="Tablet", registered_by=head)
    browser = Client()
    browser.cookies[kiosk.COOKIE] = signing.get_cookie_signer(
        salt=kiosk.COOKIE + kiosk.COOKIE
    ).sign(own.key)
    assert [answer(browser, survey) for _ in range(5)] == [302] * 5


def test_a_kiosk_has_a_ceiling_of_its_own(survey, settings):
    settings.SKM_PUBLIC_KIOSK_LIMIT = 4
    tablet = register_tablet(survey)
    assert [answer(tablet, survey) for _ in range(5)] == [302] * 4 + [429]


def test_only_the_units_head_or_admin_registers_lists_and_revokes(survey, client):
    head = User.objects.get(username="kepala")
    device = KioskDevice.objects.create(unit=survey.unit, name="Tablet", registered_by=head)
    logged_in(client, "kasubbag")  # in the unit, not its head
    page = client.get(reverse("survey_detail", args=[survey.pk])).content.decode()
    assert "Jadikan perangkat ini kios" not in page
    assert client.get(reverse("survey_kiosks", args=[survey.pk])).status_code == 404
    register = client.post(reverse("survey_kiosk_register", args=[survey.pk]), {"name": "X"})
    assert register.status_code == 404
    revoke = client.post(reverse("survey_kiosk_revoke", args=[survey.pk, device.pk]))
    assert revoke.status_code == 404
    device.refresh_from_db()
    assert device.revoked_at is None and KioskDevice.objects.count() == 1


def test_a_device_of_another_unit_cannot_be_revoked_through_this_survey(survey, client):
    other = KioskDevice.objects.create(
        unit=Unit.objects.exclude(pk=survey.unit_id).first(),
        name="Tablet",
        registered_by=User.objects.get(username="kepala"),
    )
    logged_in(client, "kepala")
    response = client.post(reverse("survey_kiosk_revoke", args=[survey.pk, other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


@pytest.mark.parametrize("name", ["", "   ", "a\x00b", "x" * 101, "\x01\x02"])
def test_a_kiosk_needs_a_printable_name_of_at_most_100_characters(survey, client, name):
    logged_in(client, "kepala")
    response = client.post(reverse("survey_kiosk_register", args=[survey.pk]), {"name": name})
    assert response.status_code == 400
    assert KioskDevice.objects.count() == 0
    assert kiosk.COOKIE not in client.cookies
