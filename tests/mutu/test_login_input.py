"""A login name longer than any user's is refused at the field, before a login is tried
(with login protection on, the failure log would otherwise refuse it with a server error
on PostgreSQL)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.axes]


def test_a_too_long_login_name_gets_a_message_at_the_field(client):
    name = "a" * 300
    response = client.post(reverse("login"), {"username": name, "password": "rahasia"})

    assert response.status_code == 200
    errors = response.context["form"].errors["username"]
    assert errors == ["Nama pengguna terlalu panjang: paling banyak 150 karakter."]
    assert name in response.content.decode()  # what was typed stays in the field
    assert not AccessAttempt.objects.exists()  # no login was tried with it


def test_a_wrong_password_is_still_counted(demo, client):
    response = client.post(reverse("login"), {"username": "cro", "password": "salah"})
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "cro"
