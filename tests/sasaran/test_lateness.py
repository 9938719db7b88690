"""Lateness is a fact recorded once (issue 13): a period submitted after its deadline is
"terlambat N hari" for good, on Tugas saya, the dashboard, the indicator page and the
quarterly report, and each officer's on-time rate over the year is shown to the head."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from sasaran import periods
from sasaran.models import Indicator, Realisation, User

UP = "up-pmptsp-jaktim"
STAFF = "Persentase updating data kepegawaian"  # kasubbag's, quarterly, target 100 %
ASSETS = "Persentase updating data aset"  # kasubbag's as well
JAKARTA = ZoneInfo("Asia/Jakarta")
DEADLINE_TW1 = datetime.date(2023, 4, 10)  # 31 March + the unit's 10 days


@pytest.fixture
def clock(monkeypatch):
    """Set the office's clock: `clock(datetime)`; timezone.now and so periods.today follow."""

    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=JAKARTA)


def submit(client, name, period="Q1", version="", **fields):
    indicator = Indicator.objects.get(name=name)
    data = {"version": version, "value": "100", "submit": "1", **fields}
    response = client.post(reverse("entry", args=[indicator.pk, period]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Realisation.objects.get(indicator=indicator, period=period)


def late_text(days):
    return f"terlambat {days:,} hari".replace(",", ".")


def pages(client, tw=1):
    """The pages and the report that show a period's lateness, as text."""
    indicator = Indicator.objects.get(name=STAFF)
    params = {"tahun": 2023, "tw": tw}
    xlsx = client.get(reverse("report_download", args=[UP, "xlsx"]), params).content
    pdf = client.get(reverse("report_download", args=[UP, "pdf"]), params).content
    ws = load_workbook(io.BytesIO(xlsx)).active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=2).value == STAFF)
    reader = PdfReader(io.BytesIO(pdf))
    return {
        "dashboard": client.get(reverse("dashboard", args=[UP]), params).content.decode(),
        "indicator": client.get(reverse("indicator", args=[indicator.pk])).content.decode(),
        "xlsx": ws.cell(row=row, column=9).value,  # STATUS
        "pdf": " ".join(" ".join(p.extract_text().split()) for p in reader.pages),
    }


def test_a_period_submitted_years_late_stays_late_for_good(login_as, clock):
    first = at(2026, 3, 10)
    days = (first.date() - DEADLINE_TW1).days  # 1065
    clock(first)

    # login_as logs the one test client in as someone else: `head()` is the Kepala Unit again.
    def head():
        return login_as("kepala")

    late_before = (
        head()
        .get(reverse("dashboard", args=[UP]), {"tahun": 2023, "tw": 1})
        .context["summary"]
        .late
    )

    row = submit(login_as("kasubbag"), STAFF)
    assert row.submitted_at == first and row.days_late == days

    tasks = login_as("kasubbag").get(reverse("tasks"), {"tahun": 2023})
    assert late_text(days) in tasks.content.decode()
    task = next(t for t in tasks.context["tasks"] if t["row"] == row)
    assert task["late"] and task["days_late"] == days and not task["overdue"]

    response = head().get(reverse("dashboard", args=[UP]), {"tahun": 2023, "tw": 1})
    cell = next(
        c for cs in response.context["sections"].values() for c in cs if c.indicator.name == STAFF
    )
    # Counted among the late before (missing past the deadline) and still (submitted late).
    assert response.context["summary"].late == late_before
    assert not cell.overdue and cell.days_late == days and cell.late
    for name, text in pages(head()).items():
        assert late_text(days) in text, name

    # Returned, then submitted again much later: the first submission's lateness stays.
    clock(at(2026, 4, 1))
    response = head().post(reverse("send_back", args=[row.pk]), {"reason": "Lampirkan SK"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == Realisation.Status.RETURNED and row.days_late == days
    assert late_text(days) in login_as("kasubbag").get(reverse("tasks")).content.decode()
    clock(at(2026, 5, 20))
    row = submit(login_as("kasubbag"), STAFF, version=str(row.version))
    assert row.submitted_at == first and row.days_late == days
    assert late_text(days) in login_as("kasubbag").get(reverse("tasks")).content.decode()

    # Approved: locked, and still late.
    assert head().post(reverse("approve", args=[row.pk])).status_code == 302
    row.refresh_from_db()
    assert row.status == Realisation.Status.APPROVED and row.days_late == days
    for name, text in pages(head()).items():
        assert late_text(days) in text, name
    assert late_text(days) in login_as("kasubbag").get(reverse("tasks")).content.decode()


def test_a_period_submitted_on_time_is_not_late(login_as, clock):
    clock(at(2023, 4, 10, hour=23))  # the deadline day itself
    row = submit(login_as("kasubbag"), STAFF)
    assert row.days_late == 0
    clock(at(2026, 3, 10))  # years later, it is still on time
    response = login_as("kepala").get(reverse("dashboard", args=[UP]), {"tahun": 2023, "tw": 1})
    cell = next(
        c for cs in response.context["sections"].values() for c in cs if c.indicator.name == STAFF
    )
    assert cell.days_late == 0 and not cell.late
    html = login_as("kepala").get(reverse("indicator", args=[row.indicator_id])).content.decode()
    assert "tepat waktu" in html and "terlambat" not in html.split("Keterangan dan bukti")[1]


def test_each_officers_on_time_rate_is_shown_to_the_head(login_as, clock):
    kasubbag = User.objects.get(username="kasubbag")
    clock(at(2023, 4, 5))
    submit(login_as("kasubbag"), STAFF)  # TW 1 on time
    clock(at(2026, 3, 10))
    submit(login_as("kasubbag"), STAFF, period="Q2")  # TW 2 years late
    # A figure recorded from earlier records: when it was submitted is not known.
    Realisation.objects.create(
        indicator=Indicator.objects.get(name=ASSETS),
        period="Q1",
        value=100,
        status=Realisation.Status.APPROVED,
        entered_by=kasubbag,
    )
    # A draft never submitted is no submission at all.
    Realisation.objects.create(
        indicator=Indicator.objects.get(name=ASSETS), period="Q2", value=1, entered_by=kasubbag
    )

    response = login_as("kepala").get(reverse("dashboard", args=[UP]), {"tahun": 2023, "tw": 2})
    rates = {str(o.officer): o for o in response.context["on_time"]}
    assert list(rates) == ["Sri Wahyuni"]
    rate = rates["Sri Wahyuni"]
    assert (rate.on_time, rate.late, rate.unknown, rate.share) == (1, 1, 1, 50)
    html = response.content.decode()
    assert "tepat waktu 1 dari 2 (50,00 %)" in html
    assert "1 tidak diketahui" in html
    assert "Tidak diketahui: realisasi dari catatan lama tanpa waktu pengajuan" in html


def test_the_example_data_has_no_recorded_lateness(demo_examples, login_as):
    """Rows recorded from earlier records are neither on time nor late: unknown."""
    response = login_as("kepala").get(reverse("dashboard", args=[UP]), {"tahun": 2023, "tw": 2})
    rates = response.context["on_time"]
    assert rates and all(o.known == 0 and o.unknown > 0 for o in rates)
    assert "tepat waktu" not in response.content.decode().split('id="tepat-waktu"')[1][:2000]


def test_a_zero_target_period_is_never_late(login_as, clock):
    indicator = Indicator.objects.get(name=STAFF)
    indicator.targets.filter(period="Q1").update(value=0)
    clock(at(2026, 3, 10))
    row = submit(login_as("kasubbag"), STAFF, value="0")
    assert row.days_late > 0  # the fact as recorded ...
    cell = next(
        c
        for cs in login_as("kepala")
        .get(reverse("dashboard", args=[UP]), {"tahun": 2023, "tw": 1})
        .context["sections"]
        .values()
        for c in cs
        if c.indicator.name == STAFF
    )
    assert cell.days_late == 0 and not cell.late  # ... but nothing was due
    assert periods.recorded_days_late([5, None], target=0) == 0
    assert periods.recorded_days_late([None], target=1) is None
    assert periods.recorded_days_late([0, 3, None], target=1) == 3
