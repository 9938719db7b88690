"""Corrective actions (ISO 9001 clause 10.2): opened for a missed target, done with evidence,
verified against the next period's result; every change in the history; 404 outside."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sasaran.models import Assignment, Indicator, Position, Realisation, Unit, User
from sasaran.siklus import services
from sasaran.siklus.models import CorrectiveAction

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%bukti\n"


@pytest.fixture
def missed(demo_examples):
    """A missed period of the demo: the Kasubbag TU's 'Persentase updating data aset' TW 2
    2023, submitted and below its target (reviewed by the head, kepala)."""
    indicator = Indicator.objects.get(
        name__startswith="Persentase updating data aset",
        objective__section__manual__unit__code="up-pmptsp-jaktim",
        objective__section__manual__year=2023,
    )
    assert services.missed_realisation(indicator, "Q2") is not None
    return indicator


@pytest.fixture
def outsider(db):
    unit = Unit.objects.create(code="up-lain", name="UP Lain", kind="up")
    position = Position.objects.create(unit=unit, name="Petugas", level="staf")
    user = User.objects.create_user("lain", password="sasaranmutu")
    Assignment.objects.create(user=user, position=position, role="staff")
    return user


def _open(indicator, **changes):
    data = {
        "indicator": indicator,
        "period": "Q2",
        "user": User.objects.get(username="kepala"),
        "cause_analysis": "Data aset belum diperbarui oleh bidang.",
        "action": "Rapat koordinasi pembaruan data aset.",
        "owner": User.objects.get(username="kasubbag"),
        "due_date": datetime.date(2023, 8, 31),
    }
    data.update(changes)
    return services.action_open(**data)


def test_the_form_is_prefilled_from_the_realisations_free_text(missed, kepala):
    row = Realisation.objects.get(indicator=missed, period="Q2")
    row.cause_analysis, row.follow_up = "Penyebab lama", "Tindak lanjut lama"
    row.save()
    page = kepala.get(reverse("siklus:action_new", args=[missed.pk, "Q2"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Penyebab lama" in html and "Tindak lanjut lama" in html
    # The officer of the indicator is the default owner.
    assert page.context["form"].initial["owner"] == User.objects.get(username="kasubbag").pk


def test_the_head_opens_an_action_by_the_button_and_the_page_lists_it(missed, kepala):
    url = reverse("siklus:action_new", args=[missed.pk, "Q2"])
    response = kepala.post(
        url,
        {
            "cause_analysis": "Bidang terlambat mengirim data.",
            "action": "Surat edaran batas pengiriman data.",
            "owner": User.objects.get(username="kasubbag").pk,
            "due_date": "2023-09-15",
        },
    )
    action = CorrectiveAction.objects.get(indicator=missed, period="Q2")
    assert response.status_code == 302
    assert response["Location"] == reverse("siklus:action_detail", args=[action.pk])
    assert action.status == "open" and action.opened_by.username == "kepala"
    assert action.realisation == Realisation.objects.get(indicator=missed, period="Q2")
    # A second visit of the button goes to the live action instead of opening another.
    assert kepala.get(url)["Location"] == reverse("siklus:action_detail", args=[action.pk])
    listing = kepala.get(reverse("siklus:action_list", args=["up-pmptsp-jaktim"]))
    assert "Surat edaran" not in listing.content.decode()  # the list shows the indicator
    assert missed.name[:40] in listing.content.decode()


def test_bad_input_is_told_at_the_field_and_kept(missed, kepala):
    response = kepala.post(
        reverse("siklus:action_new", args=[missed.pk, "Q2"]),
        {
            "cause_analysis": "Sebab yang diketik",
            "action": "",
            "owner": "999999",
            "due_date": "31/31",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tuliskan tindakan korektifnya." in html
    assert "Pilih penanggung jawab dari daftar." in html
    assert "Tanggal tidak valid" in html
    assert "Sebab yang diketik" in html
    assert not CorrectiveAction.objects.exists()


def test_a_period_that_was_met_or_is_a_draft_opens_nothing(missed, kepala):
    met = Realisation.objects.filter(
        indicator__objective__section__manual__unit__code="up-pmptsp-jaktim",
        status="approved",
    ).exclude(indicator=missed)
    row = next(r for r in met if services.missed_realisation(r.indicator, r.period) is None)
    response = kepala.post(
        reverse("siklus:action_new", args=[row.indicator_id, row.period]),
        {"cause_analysis": "x", "action": "y", "owner": 1, "due_date": "2023-09-01"},
    )
    assert (
        response.status_code == 200 and "tidak perlu tindakan korektif" in response.content.decode()
    )
    assert not CorrectiveAction.objects.exists()
    with pytest.raises(Exception, match="tidak tercapai"):
        _open(row.indicator, period=row.period)


def test_done_needs_evidence_and_refuses_a_bad_file(missed, login_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    action = _open(missed)
    client = login_as("kasubbag")
    url = reverse("siklus:action_done", args=[action.pk])
    empty = client.post(url, {"evidence_link": "", "evidence_text": "  "})
    assert empty.status_code == 400
    assert "Lampirkan bukti penyelesaian" in empty.content.decode()
    fake = SimpleUploadedFile("bukti.pdf", b"MZ not a pdf", content_type="application/pdf")
    bad = client.post(url, {"evidence_file": fake, "evidence_text": "uraian diketik"})
    assert bad.status_code == 400
    assert "Isi berkas tidak sesuai" in bad.content.decode()
    assert "uraian diketik" in bad.content.decode()
    big = SimpleUploadedFile(
        "bukti.pdf", PDF + b"0" * (5 * 1024 * 1024), content_type="application/pdf"
    )
    assert "terlalu besar" in client.post(url, {"evidence_file": big}).content.decode()
    action.refresh_from_db()
    assert action.status == "open"

    good = SimpleUploadedFile("Notulen rapat.pdf", PDF, content_type="application/pdf")
    assert (
        client.post(
            url, {"evidence_file": good, "evidence_link": "https://contoh.go.id/notulen"}
        ).status_code
        == 302
    )
    action.refresh_from_db()
    assert action.status == "done" and action.done_by.username == "kasubbag"
    assert action.evidence_name == "Notulen rapat.pdf" and action.evidence_size == len(PDF)
    download = client.get(reverse("siklus:action_evidence", args=[action.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_verification_by_the_head_shows_the_next_periods_result(missed, login_as):
    action = services.action_done(
        action=_open(missed), user=User.objects.get(username="kasubbag"), evidence_text="Notulen"
    )
    # The owner may not judge their own action.
    owner = login_as("kasubbag")
    assert (
        owner.post(
            reverse("siklus:action_verify", args=[action.pk]), {"verdict": "effective"}
        ).status_code
        == 404
    )
    head = login_as("kepala")
    page = head.get(reverse("siklus:action_detail", args=[action.pk]))
    html = page.content.decode()
    assert 'id="form-verifikasi"' in html and 'id="hasil-berikutnya"' in html
    assert page.context["following"].period == "Q3"
    assert head.post(reverse("siklus:action_verify", args=[action.pk]), {}).status_code == 400
    response = head.post(
        reverse("siklus:action_verify", args=[action.pk]),
        {"verdict": "not_effective", "note": "TW 3 masih di bawah target"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "not_effective" and action.verified_by.username == "kepala"
    assert action.verification_period == "Q3"
    # Not effective: the period may get a new action.
    again = _open(missed, action="Tindakan kedua")
    assert again.pk != action.pk


def test_history_keeps_every_change(missed):
    kasubbag = User.objects.get(username="kasubbag")
    action = _open(missed)
    services.action_update(
        action=action,
        user=kasubbag,
        cause_analysis=action.cause_analysis,
        action_text="Tindakan diubah",
        owner=kasubbag,
        due_date=datetime.date(2023, 9, 30),
    )
    services.action_done(action=action, user=kasubbag, evidence_link="https://contoh.go.id/x")
    services.action_verify(
        action=action, user=User.objects.get(username="kepala"), effective=True, note=""
    )
    reasons = list(
        action.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["Dibuka", "Diubah", "Diselesaikan", "Diverifikasi efektif"]
    statuses = list(action.history.order_by("history_id").values_list("status", flat=True))
    assert statuses == ["open", "open", "done", "effective"]
    who = [r.history_user.username for r in action.history.order_by("history_id")]
    assert who == ["kepala", "kasubbag", "kasubbag", "kepala"]


def test_the_unit_list_shows_overdue_actions_first(missed, kepala):
    action = _open(missed, due_date=datetime.date(2000, 1, 1))
    page = kepala.get(reverse("siklus:action_list", args=["up-pmptsp-jaktim"]))
    assert page.status_code == 200
    assert page.context["overdue_count"] == 1 and page.context["live"][0] == action
    assert "Lewat batas waktu" in page.content.decode()


def test_the_template_tags_show_actions_and_the_open_button(missed, kepala):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = User.objects.get(username="kepala")
    html = Template("{% load siklus %}{% indicator_corrective_actions indicator %}").render(
        Context({"indicator": missed, "request": request})
    )
    assert reverse("siklus:action_new", args=[missed.pk, "Q2"]) in html
    action = _open(missed, due_date=datetime.date(2000, 1, 1))
    unit = Unit.objects.get(code="up-pmptsp-jaktim")
    html = Template("{% load siklus %}{% unit_corrective_actions unit %}").render(
        Context({"unit": unit, "request": request})
    )
    assert reverse("siklus:action_detail", args=[action.pk]) in html
    assert "lewat batas waktu" in html


def test_another_units_user_gets_404_everywhere(missed, client, outsider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    action = _open(missed)
    services.action_done(
        action=action,
        user=User.objects.get(username="kasubbag"),
        evidence_file=SimpleUploadedFile("b.pdf", PDF),
    )
    client.force_login(outsider)
    for url in [
        reverse("siklus:action_list", args=["up-pmptsp-jaktim"]),
        reverse("siklus:action_new", args=[missed.pk, "Q2"]),
        reverse("siklus:action_detail", args=[action.pk]),
        reverse("siklus:action_evidence", args=[action.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        reverse("siklus:action_detail", args=[action.pk]),
        reverse("siklus:action_done", args=[action.pk]),
        reverse("siklus:action_verify", args=[action.pk]),
    ]:
        assert client.post(url, {"verdict": "effective"}).status_code == 404, url
    action.refresh_from_db()
    assert action.status == "done"


def test_a_reader_without_change_rights_cannot_open_or_work(missed, login_as):
    """A staff officer of the same unit who does not own the indicator sees nothing of it."""
    action = _open(missed)
    analis = login_as("analis")
    assert analis.get(reverse("siklus:action_new", args=[missed.pk, "Q2"])).status_code == 404
    assert (
        analis.post(
            reverse("siklus:action_done", args=[action.pk]), {"evidence_text": "x"}
        ).status_code
        == 404
    )
