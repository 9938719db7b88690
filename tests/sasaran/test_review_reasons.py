"""A reviewer's reason for returning or reopening a realisation: as long as the form allows
(the history keeps it whole, on PostgreSQL too), refused with a message when too long or
hostile, and the way back after the action never leaves the site."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from sasaran.forms import REASON_MAX_LENGTH
from sasaran.models import Realisation

pytestmark = pytest.mark.django_db


def _row(status):
    """A realisation of the unit that `kepala` reviews (not one of his own indicators)."""
    return (
        Realisation.objects.filter(
            status=status, indicator__objective__section__manual__unit__code="up-pmptsp-jaktim"
        )
        .exclude(entered_by__username="kepala")
        .first()
    )


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("action, status", [("send_back", "submitted"), ("reopen", "approved")])
def test_a_long_reason_is_kept_whole_in_the_realisation_and_its_history(
    demo_examples, kepala, action, status
):
    row = _row(status)
    reason = "Mohon lampirkan rekap bulanan yang ditandatangani dan perbaiki angka TW. " * 25
    reason = reason.strip()[:REASON_MAX_LENGTH]
    assert len(reason) > 1000  # well past the old history column of 100 characters

    response = kepala.post(reverse(action, args=[row.pk]), {"reason": reason})

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == Realisation.Status.RETURNED
    assert row.return_reason == reason
    latest = row.history.order_by("-history_date").first()
    assert latest.history_change_reason.endswith(reason)


@pytest.mark.parametrize(
    "reason, message",
    [
        ("x" * (REASON_MAX_LENGTH + 1), "Alasan terlalu panjang: paling banyak 2000 karakter"),
        ("Lampirkan\x00bukti", "Alasan berisi karakter yang tidak sah."),
        ("   ", "Alasan wajib diisi."),
    ],
)
def test_a_bad_reason_is_refused_with_a_message_and_nothing_changes(
    demo_examples, kepala, reason, message
):
    row = _row("submitted")
    history = row.history.count()

    response = kepala.post(reverse("send_back", args=[row.pk]), {"reason": reason})

    assert response.status_code == 302
    assert any(text.startswith(message) for text in _messages(response)), _messages(response)
    row.refresh_from_db()
    assert row.status == Realisation.Status.SUBMITTED
    assert row.history.count() == history


@pytest.mark.parametrize(
    "target",
    ["https://elsewhere.example/", "//elsewhere.example/", "http://testserver.evil/x"],
)
def test_next_after_a_review_action_never_leaves_the_site(demo_examples, kepala, target):
    row = _row("submitted")
    response = kepala.post(reverse("approve", args=[row.pk]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("review")

    row = _row("submitted")
    response = kepala.post(
        reverse("send_back", args=[row.pk]), {"reason": "Perbaiki", "next": target}
    )
    assert response["Location"] == reverse("review")


def test_next_within_the_site_is_followed(demo_examples, kepala):
    row = _row("submitted")
    page = reverse("entry", args=[row.indicator_id, row.period])
    response = kepala.post(reverse("approve", args=[row.pk]), {"next": page})
    assert response["Location"] == page


def test_a_refused_reason_comes_back_at_its_field_on_the_page(demo_examples, kepala):
    """Returned from the entry page with a reason that is too long, the head finds the page
    again with what he typed in the reason field and the message under it."""
    row = _row("submitted")
    page = reverse("entry", args=[row.indicator_id, row.period])
    typed = "Lampirkan rekap bulanan. " * 90  # 2,250 characters

    response = kepala.post(
        reverse("send_back", args=[row.pk]), {"reason": typed, "next": page}, follow=True
    )

    assert response.redirect_chain[-1][0] == page
    form = response.context["reason_form"]
    assert form.data["reason"] == typed
    assert form.errors["reason"][0].startswith("Alasan terlalu panjang")
    assert "Alasan terlalu panjang" in response.content.decode()
    # Shown once: opened again, the page has an empty reason field.
    assert not kepala.get(page).context["reason_form"].is_bound
