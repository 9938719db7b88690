"""Login protection fits an office behind one address (issue 14).

Five wrong passwords lock the account from the address they came from, and only that pair:
a colleague behind the same address logs in, the account's owner logs in from elsewhere.
Behind the office's proxy the address is read from X-Forwarded-For (PROXY_COUNT), and a
failure is never answered with a sleep that holds a worker of the app.
"""

import time

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.axes]

OFFICE = "10.1.1.1"
ELSEWHERE = "10.2.2.2"
PROXY = "192.168.0.10"


def attempt(client, username, password, **meta):
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


def fail_five_times(client, username, **meta):
    for _ in range(4):
        assert attempt(client, username, "salah", **meta).status_code == 200
    assert attempt(client, username, "salah", **meta).status_code == 429  # the fifth locks


def logged_in_as(client, response):
    return response.status_code == 302 and "_auth_user_id" in client.session


@pytest.fixture
def no_sleep(monkeypatch):
    def refuse(seconds):
        raise AssertionError(f"a failed login slept {seconds} s, holding a worker")

    monkeypatch.setattr(time, "sleep", refuse)


def test_the_account_is_locked_from_that_address_and_a_colleague_logs_in(demo, client, no_sleep):
    fail_five_times(client, "kepala", REMOTE_ADDR=OFFICE)

    locked = attempt(client, "kepala", "sasaranmutu", REMOTE_ADDR=OFFICE)
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in locked.content.decode()

    colleague = attempt(client, "cro", "sasaranmutu", REMOTE_ADDR=OFFICE)
    assert logged_in_as(client, colleague)


def test_the_account_is_not_locked_from_another_address(demo, client, no_sleep):
    fail_five_times(client, "kepala", REMOTE_ADDR=OFFICE)

    response = attempt(client, "kepala", "sasaranmutu", REMOTE_ADDR=ELSEWHERE)
    assert logged_in_as(client, response)


def test_without_a_proxy_the_forwarded_header_is_ignored(demo, client, no_sleep):
    # Anyone can write X-Forwarded-For: without PROXY_COUNT it must not pick the address.
    for n in range(5):
        meta = {"REMOTE_ADDR": OFFICE, "HTTP_X_FORWARDED_FOR": f"10.9.9.{n}"}
        attempt(client, "kepala", "salah", **meta)

    locked = attempt(client, "kepala", "sasaranmutu", REMOTE_ADDR=OFFICE)
    assert locked.status_code == 429


def test_behind_a_proxy_the_address_comes_from_x_forwarded_for(demo, client, settings, no_sleep):
    settings.PROXY_COUNT = 1
    # Everyone arrives from the proxy; the visitor's address is the one the proxy appended.
    from_office = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"1.2.3.4, {OFFICE}"}
    from_elsewhere = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ELSEWHERE}
    fail_five_times(client, "kepala", **from_office)

    assert attempt(client, "kepala", "sasaranmutu", **from_office).status_code == 429
    assert logged_in_as(client, attempt(client, "kepala", "sasaranmutu", **from_elsewhere))

    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}


def test_the_proxy_header_is_configurable(demo, client, settings, no_sleep):
    settings.PROXY_COUNT = 1
    settings.CLIENT_IP_META = "HTTP_X_REAL_IP"
    fail_five_times(client, "kepala", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=OFFICE)

    from axes.models import AccessAttempt

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [OFFICE]


def test_a_failing_login_takes_no_sleep(demo, client, no_sleep, caplog):
    # The old handler slept from the third failure on; `no_sleep` fails the test if called.
    for _ in range(6):
        attempt(client, "kepala", "salah", REMOTE_ADDR=OFFICE)
    assert "login failed: username='kepala' ip=10.1.1.1" in caplog.text
