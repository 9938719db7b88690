"""Every view of the realisation work refuses users outside its scope with 404."""

import pytest
from django.urls import reverse

from sasaran import services
from sasaran.models import Indicator, Realisation, User
from tests.conftest import logged_in


@pytest.fixture
def submitted(demo):
    indicator = Indicator.objects.get(name="Persentase updating data kepegawaian")
    row = services.realisation_save(
        indicator=indicator,
        period="Q1",
        user=User.objects.get(username="kasubbag"),
        data={"value": 100},
        version=None,
        submit=True,
    )
    return row


def urls(row):
    pk = row.indicator_id
    return [
        ("get", reverse("entry", args=[pk, "Q1"])),
        ("post", reverse("entry", args=[pk, "Q1"])),
        ("post", reverse("preview", args=[pk, "Q1"])),
        ("get", reverse("history", args=[pk])),
        ("post", reverse("approve", args=[row.pk])),
        ("post", reverse("send_back", args=[row.pk])),
        ("post", reverse("reopen", args=[row.pk])),
        ("post", reverse("approve_section", args=[row.indicator.objective.section_id])),
    ]


@pytest.mark.parametrize("username", ["cro", "caraka"])
def test_other_officers_get_404_everywhere(client, submitted, username):
    logged_in(client, username)
    for method, url in urls(submitted):
        response = getattr(client, method)(url, {"reason": "x", "value": "1"})
        assert response.status_code == 404, (username, url)
    assert client.get(reverse("review")).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.value == 100


def test_parent_head_reads_but_changes_nothing(client, submitted):
    logged_in(client, "kadis")
    for method, url in urls(submitted):
        response = getattr(client, method)(url, {"reason": "x", "value": "1"})
        changes = method == "post" and "pratinjau" not in url
        assert response.status_code == (404 if changes else 200), url
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.value == 100


def test_officer_cannot_review_own_work(client, submitted):
    logged_in(client, "kasubbag")
    for name in ("approve", "send_back", "reopen"):
        assert client.post(reverse(name, args=[submitted.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("review")).status_code == 404


def test_head_sees_but_cannot_type_into_officers_indicator(client, submitted):
    logged_in(client, "kepala")
    url = reverse("entry", args=[submitted.indicator_id, "Q1"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"value": "5", "save": "1"}).status_code == 404
    assert Realisation.objects.get().value == 100


def test_unknown_period_and_period_not_due_are_404(client, submitted):
    logged_in(client, "kasubbag")
    pk = submitted.indicator_id
    assert client.get(reverse("entry", args=[pk, "Q9"])).status_code == 404
    assert client.get(reverse("entry", args=[pk, "M01"])).status_code == 404


def test_kasubbag_reviews_staff_level_when_the_unit_says_so(client, demo):
    indicator = Indicator.objects.get(name="Mengantar surat kepada pihak terkait tepat waktu")
    row = services.realisation_save(
        indicator=indicator,
        period="Q1",
        user=User.objects.get(username="caraka"),
        data={"value": 1},
        version=None,
        submit=True,
    )
    logged_in(client, "kasubbag")
    assert client.post(reverse("approve", args=[row.pk])).status_code == 404
    unit = indicator.objective.section.manual.unit
    unit.staff_reviewer_is_kasubbag = True
    unit.save(update_fields=["staff_reviewer_is_kasubbag"])
    client.post(reverse("approve", args=[row.pk]))
    row.refresh_from_db()
    assert row.status == "approved"
    # ...and the Kepala Unit no longer does.
    logged_in(client, "kepala")
    assert client.post(reverse("reopen", args=[row.pk]), {"reason": "x"}).status_code == 404


def test_anonymous_is_sent_to_login(client, submitted):
    for method, url in urls(submitted) + [("get", reverse("tasks")), ("get", reverse("review"))]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/masuk/")
