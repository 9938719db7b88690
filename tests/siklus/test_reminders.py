"""The reminder digests go through a real SMTP server (aiosmtpd) started by the test: one per
person per day, in Indonesian with absolute links, idempotent, retried after an SMTP failure,
switched off by the user's preference."""

import datetime
import email
import socket
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from sasaran import services as core_services
from sasaran.models import Realisation, User
from sasaran.siklus import reminders
from sasaran.siklus.models import ReminderDigest, ReminderPreference

pytestmark = pytest.mark.django_db

# Q3 2023 ends on 30 September; the demo unit's deadline is 10 days later (10 October).
BEFORE_DEADLINE = datetime.date(2023, 10, 8)
AFTER_DEADLINE = datetime.date(2023, 10, 12)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def to(self, address):
        return [m for rcpt, m in self.messages if address in rcpt]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://mutu.contoh.go.id"
    yield inbox
    controller.stop()


@pytest.fixture
def people(demo_examples):
    for name in ["kepala", "kasubbag", "caraka", "analis"]:
        User.objects.filter(username=name).update(email=f"{name}@contoh.go.id")
    return {u.username: u for u in User.objects.filter(email__endswith="@contoh.go.id")}


def body_of(message):
    return message.get_content()


def test_officers_get_whats_missing_with_links_and_reviewers_whats_waiting(smtp, people):
    outcome = reminders.send_reminders(today=BEFORE_DEADLINE)
    assert outcome.failed == 0 and outcome.sent >= 2
    [officer] = smtp.to("kasubbag@contoh.go.id")
    text = body_of(officer)
    assert officer["Subject"] == "Pengingat Sasaran Mutu, 8 Oktober 2023"
    assert "SEGERA: batas waktu dalam beberapa hari" in text
    assert "TERLAMBAT" in text  # earlier quarters still not submitted
    assert "batas waktu 10 Oktober 2023" in text
    assert "https://mutu.contoh.go.id/indikator/" in text
    assert "https://mutu.contoh.go.id" + reverse("siklus:reminders") in text
    [head] = smtp.to("kepala@contoh.go.id")
    assert "MENUNGGU TINJAUAN ANDA" in body_of(head)
    assert "https://mutu.contoh.go.id" + reverse("review") in body_of(head)
    # Nothing to tell: no mail (the analyst's figures are all in).
    assert ReminderDigest.objects.filter(date=BEFORE_DEADLINE).count() == outcome.sent


def test_a_returned_value_is_told_with_its_reason(smtp, people):
    row = Realisation.objects.filter(
        status="submitted", indicator__responsible_position__assignments__user=people["kasubbag"]
    ).first()
    core_services.realisation_return(
        realisation=row,
        user=people["kepala"],
        reason="Lampirkan notulen rapat yang ditandatangani.",
    )
    reminders.send_reminders(today=AFTER_DEADLINE)
    text = body_of(smtp.to("kasubbag@contoh.go.id")[0])
    assert "DIKEMBALIKAN" in text
    assert "Alasan: Lampirkan notulen rapat yang ditandatangani." in text
    assert f"https://mutu.contoh.go.id/indikator/{row.indicator_id}/{row.period}/" in text


def test_running_twice_a_day_sends_nothing_twice(smtp, people):
    first = reminders.send_reminders(today=BEFORE_DEADLINE)
    count = len(smtp.messages)
    second = reminders.send_reminders(today=BEFORE_DEADLINE)
    assert second.sent == 0 and len(smtp.messages) == count == first.sent
    # The next day is a new digest.
    assert reminders.send_reminders(today=BEFORE_DEADLINE + datetime.timedelta(days=1)).sent


def test_a_failed_smtp_connection_marks_nothing_sent_and_the_next_run_retries(
    smtp, people, settings
):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()  # nobody listens there
    with pytest.raises(CommandError, match="gagal"):
        call_command("send_reminders")
    failed = reminders.send_reminders(today=BEFORE_DEADLINE)
    assert failed.sent == 0 and failed.failed >= 2
    assert not ReminderDigest.objects.exists() and not smtp.messages
    settings.EMAIL_PORT = port
    again = reminders.send_reminders(today=BEFORE_DEADLINE)
    assert again.sent == failed.failed and len(smtp.messages) == again.sent


def test_a_user_who_switched_them_off_gets_nothing(smtp, people, login_as):
    client = login_as("kasubbag")
    assert client.get(reverse("siklus:reminders")).status_code == 200
    assert client.post(reverse("siklus:reminders"), {}).status_code == 302
    assert ReminderPreference.objects.get(user=people["kasubbag"]).enabled is False
    reminders.send_reminders(today=BEFORE_DEADLINE)
    assert smtp.to("kepala@contoh.go.id") and not smtp.to("kasubbag@contoh.go.id")
    client.post(reverse("siklus:reminders"), {"enabled": "on"})
    assert ReminderPreference.objects.get(user=people["kasubbag"]).enabled is True


def test_the_command_without_email_url_prints_to_the_console(people, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("send_reminders")
    out = capsys.readouterr().out
    assert "terkirim" in out


def test_the_preference_page_needs_a_login(client):
    response = client.get(reverse("siklus:reminders"))
    assert response.status_code == 302 and "/masuk/" in response["Location"]
