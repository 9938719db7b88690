"""Timeliness per period of any kind and staff service levels, computed from the imported
logs with the unit's working days (holidays, and cuti bersama by its setting)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from sasaran.perizinan import calendars, services
from sasaran.perizinan.models import Holiday, HolidayYear, Permit, Task, UnitCalendar

D = datetime.date


def permit(unit, number, permit_type, complete, issued, status="Terbit"):
    return Permit.objects.create(
        unit=unit,
        number=number,
        permit_type=permit_type,
        complete_on=complete,
        issued_on=issued,
        status=status,
    )


@pytest.fixture
def log(unit, types):
    iumk, pbg = types["IUMK"], types["PBG"]
    permit(unit, "A", iumk, D(2023, 3, 6), D(2023, 3, 6))  # same day: 0, on time
    permit(unit, "B", iumk, D(2023, 3, 10), D(2023, 3, 13))  # Fri -> Mon: 1, on time
    permit(unit, "C", iumk, D(2023, 3, 6), D(2023, 3, 8))  # 2 > 1: late
    # Idul Fitri 2023: 18 April -> 26 April is 1 working day with cuti bersama off, 6 with.
    permit(unit, "D", iumk, D(2023, 4, 18), D(2023, 4, 26))
    permit(unit, "E", pbg, D(2023, 4, 3), D(2023, 5, 2))  # 14 working days (cuti off)
    permit(unit, "F", pbg, D(2023, 7, 3), D(2023, 7, 31))  # 19 working days: late
    permit(unit, "G", iumk, D(2023, 7, 3), D(2023, 7, 3), status="Ditolak")  # not counted
    permit(unit, "H", iumk, D(2023, 12, 28), None, status="Proses")  # not issued
    permit(unit, "I", pbg, D(2022, 12, 20), D(2023, 1, 9))  # across the year end: 12
    return unit


def test_per_quarter_per_type_and_late_list(log):
    result = services.timeliness(log, 2023, "Q1")
    assert (result.total.total, result.total.on_time, result.total.late) == (4, 3, 1)
    assert result.value == Decimal("75.0000")
    rows = {row.permit_type.code: (row.total, row.on_time) for row in result.rows}
    assert rows == {"IUMK": (3, 2), "PBG": (1, 1)}
    [late] = result.late
    assert (late.number, late.days, late.over, late.deadline) == ("C", 2, 1, D(2023, 3, 7))


def test_any_period_kind(log):
    assert services.timeliness(log, 2023, "M03").total.total == 3
    assert services.timeliness(log, 2023, "M04").value == Decimal("100.0000")
    assert services.timeliness(log, 2023, "S1").total.total == 6
    semester = services.timeliness(log, 2023, "S2")
    assert (semester.total.total, semester.total.on_time, semester.refused) == (1, 0, 1)
    year = services.timeliness(log, 2023, "Y")
    assert (year.total.total, year.total.on_time) == (7, 5)
    assert year.value == Decimal("71.4286")
    assert services.timeliness(log, 2023, "Q4").value is None  # nothing issued


def test_cuti_bersama_setting_changes_the_count(log):
    assert services.timeliness(log, 2023, "Q2").total.on_time == 2
    UnitCalendar.objects.create(unit=log, cuti_bersama_off=False)
    result = services.timeliness(log, 2023, "Q2")
    # D: 6 working days now (late); E: 19 (late).
    assert result.total.on_time == 0
    assert sorted((p.number, p.days) for p in result.late) == [("D", 6), ("E", 19)]


def test_an_admin_holiday_counts_and_a_missing_year_is_said(log):
    # A decree adds a day off on Tuesday 7 March 2023: C takes 1 working day, on time.
    Holiday.objects.create(date=D(2023, 3, 7), name="Libur daerah", kind="nasional")
    assert services.timeliness(log, 2023, "Q1").total.on_time == 4
    HolidayYear.objects.filter(year=2023).delete()
    Holiday.objects.filter(date__year=2023).delete()
    assert services.timeliness(log, 2023, "Q1").missing_years == [2023]


@pytest.mark.django_db
def test_seeding_a_year_once_keeps_what_the_admin_deleted():
    assert calendars.seed_year(2023) > 20
    national = set(Holiday.objects.filter(kind="nasional").values_list("date", flat=True))
    cuti = set(Holiday.objects.filter(kind="cuti").values_list("date", flat=True))
    assert D(2023, 8, 17) in national and D(2023, 4, 19) in cuti and D(2023, 4, 22) in national
    assert Holiday.objects.get(date=D(2023, 4, 19)).name == "Cuti Bersama Hari Raya Idul Fitri"
    Holiday.objects.filter(date=D(2023, 12, 26)).delete()  # a cuti bersama cancelled
    assert calendars.seed_year(2023) == 0
    assert not Holiday.objects.filter(date=D(2023, 12, 26)).exists()
    assert calendars.seed_year(2023, again=True) == 1  # "Isi ulang" adds it back


def task(unit, reference, kind, start, end, officer="Joko"):
    return Task.objects.create(
        unit=unit, reference=reference, kind=kind, started_on=start, ended_on=end, officer=officer
    )


def test_service_levels(unit, kinds):
    antar, gambar = kinds["antar"], kinds["gambar"]
    task(unit, "1", antar, D(2023, 3, 6), D(2023, 3, 6))  # 0
    task(unit, "2", antar, D(2023, 3, 6), D(2023, 3, 7))  # 1
    task(unit, "3", antar, D(2023, 3, 10), D(2023, 3, 14))  # 2: over
    task(unit, "4", gambar, D(2023, 3, 1), D(2023, 3, 6))  # 3
    task(unit, "5", antar, D(2023, 3, 30), None)  # unfinished
    result = services.service_levels(unit, 2023, "Q1")
    rows = {row.kind.code: (row.count, row.average, row.within, row.share) for row in result.rows}
    assert rows == {
        "antar-surat": (3, Decimal("1.0000"), 2, Decimal("66.6667")),
        "gambar": (1, Decimal("3.0000"), 1, Decimal("100.0000")),
    }
    assert (result.total.count, result.total.average) == (4, Decimal("1.5000"))
    assert result.unfinished == 1
    assert [(t.reference, t.days) for t in result.over] == [("3", 2)]
    only = services.service_levels(unit, 2023, "M03", kinds=[antar])
    assert only.total.average == Decimal("1.0000")


def test_the_pages_show_the_figures(login_as, log, kinds):
    client = login_as("kepala")
    url = reverse("permit_unit", args=["up-pmptsp-jaktim"])
    html = client.get(url, {"tahun": "2023", "periode": "Q1"}).content.decode()
    assert 'id="persen-tepat">75 %' in html
    assert 'id="izin-terlambat"' in html and ">C</td>" in html
    html = client.get(url, {"tahun": "2023", "periode": "M02"}).content.decode()
    assert 'id="tidak-ada-izin"' in html
    page = client.get(reverse("permit_tasks", args=["up-pmptsp-jaktim"]), {"tahun": "2023"})
    assert page.status_code == 200 and 'id="tidak-ada-tugas"' in page.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"tahun": "x", "periode": "Q9"},
        {"tahun": "99999999999"},
        {"periode": "\x00"},
        {"halaman": "-1"},
    ],
)
def test_odd_parameters_fall_back(login_as, log, params):
    page = login_as("kepala").get(reverse("permit_unit", args=["up-pmptsp-jaktim"]), params)
    assert page.status_code == 200
