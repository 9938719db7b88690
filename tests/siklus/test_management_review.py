"""The management review pack (Rapat Tinjauan Manajemen): opened and completed by the unit's
head, kept, printed as PDF and xlsx; others read it within their units, and 404 outside."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sasaran.models import Assignment, Position, Unit, User
from sasaran.siklus import hooks, services
from sasaran.siklus.models import ManagementReview

pytestmark = pytest.mark.django_db
UNIT = "up-pmptsp-jaktim"


@pytest.fixture
def review(demo_examples):
    from sasaran.models import Indicator

    kepala, kasubbag = (User.objects.get(username=n) for n in ("kepala", "kasubbag"))
    indicator = Indicator.objects.get(
        name__startswith="Persentase updating data aset",
        objective__section__manual__unit__code=UNIT,
        objective__section__manual__year=2023,
    )
    services.action_open(
        indicator=indicator,
        period="Q2",
        user=kepala,
        cause_analysis="Data terlambat",
        action="Jadwal pemutakhiran bulanan",
        owner=kasubbag,
        due_date=datetime.date(2023, 9, 1),
    )
    return services.review_create(
        unit=Unit.objects.get(code=UNIT), year=2023, period="S1", user=kepala
    )


def test_the_head_opens_completes_and_keeps_it(demo_examples, kepala):
    url = reverse("siklus:review_list", args=[UNIT])
    assert kepala.post(url, {"year": "1999", "period": "S1"}).status_code == 400
    response = kepala.post(url, {"year": "2023", "period": "S1"})
    row = ManagementReview.objects.get(unit__code=UNIT, year=2023, period="S1")
    assert response["Location"] == reverse("siklus:review_detail", args=[row.pk])
    # Opening the same period again goes to the one already there.
    assert kepala.post(url, {"year": "2023", "period": "S1"})["Location"] == response["Location"]
    detail = reverse("siklus:review_detail", args=[row.pk])
    bad = kepala.post(detail, {"meeting_date": "kemarin", "conclusions": "Kesimpulan diketik"})
    assert bad.status_code == 400 and "Tanggal tidak valid" in bad.content.decode()
    assert "Kesimpulan diketik" in bad.content.decode()
    kepala.post(
        detail,
        {
            "meeting_date": "2023-07-20",
            "conclusions": "Sasaran sebagian besar tercapai.",
            "decisions": "Pemutakhiran data aset tiap bulan.",
        },
    )
    row.refresh_from_db()
    assert row.meeting_date == datetime.date(2023, 7, 20)
    assert row.decisions == "Pemutakhiran data aset tiap bulan."
    assert row.history.count() == 2


def test_the_page_gathers_objectives_trend_satisfaction_and_actions(review, kepala):
    page = kepala.get(reverse("siklus:review_detail", args=[review.pk]))
    assert page.status_code == 200
    pack = page.context["pack"]
    names = [row.indicator.name for _obj, rows in pack.objectives for row in rows]
    assert any(n.startswith("Persentase updating data aset") for n in names)
    row = next(
        r
        for _o, rows in pack.objectives
        for r in rows
        if r.indicator.name.startswith("Persentase updating")
    )
    assert [label for label, _pct in row.trend] == ["TW 1", "TW 2"]
    assert pack.met + pack.missed > 0 and pack.missed >= 1
    assert [s["survey"].period_label for s in pack.surveys] == ["TW 1 2023"]
    assert pack.actions and pack.actions[0].action == "Jadwal pemutakhiran bulanan"
    html = page.content.decode()
    assert 'id="form-rtm"' in html and "Perubahan SOP" in html


def test_pdf_and_workbook_print_the_pack_and_the_heads_words(review, kepala):
    services.review_complete(
        review=review,
        user=User.objects.get(username="kepala"),
        meeting_date=datetime.date(2023, 7, 20),
        conclusions="Kesimpulan rapat",
        decisions='=HYPERLINK("http://x")',
    )
    pdf = kepala.get(reverse("siklus:review_pdf", args=[review.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "RAPAT TINJAUAN" in text and "Kesimpulan rapat" in text
    assert "Jadwal pemutakhiran bulanan" in text
    book = kepala.get(reverse("siklus:review_xlsx", args=[review.pk]))
    wb = load_workbook(io.BytesIO(book.content))
    assert wb.sheetnames == ["Sasaran", "Kepuasan", "Tindakan korektif", "Kesimpulan"]
    values = [c.value for row in wb["Kesimpulan"].iter_rows() for c in row]
    assert "Kesimpulan rapat" in values
    cell = next(
        c
        for row in wb["Kesimpulan"].iter_rows()
        for c in row
        if c.value and "HYPERLINK" in str(c.value)
    )
    assert cell.data_type == "s"  # typed text is never a formula


def test_a_registered_part_appears_in_the_pack(review, kepala, monkeypatch):
    monkeypatch.setattr(hooks, "REVIEW_PARTS", {})
    hooks.register_review_part(
        "sop", "Perubahan SOP", lambda unit, first, last: [f"SOP baru {unit.code} {first.year}"]
    )
    html = kepala.get(reverse("siklus:review_detail", args=[review.pk])).content.decode()
    assert "SOP baru up-pmptsp-jaktim 2023" in html


def test_readers_and_outsiders(review, login_as, client):
    staff = login_as("kasubbag")
    detail = reverse("siklus:review_detail", args=[review.pk])
    page = staff.get(detail)
    assert page.status_code == 200 and 'id="form-rtm"' not in page.content.decode()
    assert staff.post(detail, {"conclusions": "x"}).status_code == 404
    assert (
        staff.post(
            reverse("siklus:review_list", args=[UNIT]), {"year": "2023", "period": "Y"}
        ).status_code
        == 404
    )
    unit = Unit.objects.create(code="up-lain", name="UP Lain", kind="up")
    position = Position.objects.create(unit=unit, name="Kepala", level="kepala")
    other = User.objects.create_user("lain", password="sasaranmutu")
    Assignment.objects.create(user=other, position=position, role="head")
    client.force_login(other)
    for name in ["siklus:review_detail", "siklus:review_pdf", "siklus:review_xlsx"]:
        assert client.get(reverse(name, args=[review.pk])).status_code == 404, name
    assert client.get(reverse("siklus:review_list", args=[UNIT])).status_code == 404
