"""The commands around the permit logs: the holiday table per year, an import from disk for
logs beyond the upload limit, and a permit type's standard taken from its SOP's total time
(in mutu, which alone knows both apps)."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sasaran.perizinan.models import Holiday, HolidayYear, Permit
from tests.factories import build_sop

from .conftest import csv_bytes, write


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_holidays():
    assert "2024: 29 hari libur ditambahkan." in run("seed_holidays", "2024")
    assert HolidayYear.objects.filter(year=2024).exists()
    assert Holiday.objects.get(date=datetime.date(2024, 2, 14)).name == "Hari Pemilihan Umum"
    assert "2024: 0 hari libur ditambahkan." in run("seed_holidays", "2024")
    with pytest.raises(CommandError):
        run("seed_holidays", "1900")


def test_import_permit_log_from_disk(unit, types, tmp_path):
    rows = [["JT-1", "IUMK", "06/03/2023", "07/03/2023", "Terbit"]]
    path = write(tmp_path, "log.csv", csv_bytes(rows))
    assert "1 baris: 1 baru, 0 berubah, 0 tetap" in run(
        "import_permit_log", str(path), "--unit", unit.code
    )
    assert Permit.objects.count() == 1
    bad = write(tmp_path, "bad.csv", csv_bytes([["JT-2", "SIUP", "06/03/2023", "", ""]]))
    with pytest.raises(CommandError, match="1 baris bermasalah"):
        run("import_permit_log", str(bad), "--unit", unit.code)
    with pytest.raises(CommandError):
        run("import_permit_log", str(tmp_path / "tidak-ada.csv"), "--unit", unit.code)


def test_standard_days_from_the_sop(unit, types):
    steps = [
        {
            "number": 1,
            "activity": "Menerima berkas",
            "actor": "Loket",
            "kind": "start",
            "time_amount": Decimal(30),
            "time_unit": "menit",
        },
        {
            "number": 2,
            "activity": "Memeriksa",
            "actor": "Loket",
            "kind": "process",
            "time_amount": Decimal(3),
            "time_unit": "hari",
        },
        {
            "number": 3,
            "activity": "Menerbitkan",
            "actor": "Loket",
            "kind": "end",
            "time_amount": Decimal(2),
            "time_unit": "jam",
        },
    ]
    build_sop(unit, "SOP/PBG/1", ["Loket"], steps, status="signed")
    pbg = types["PBG"]
    pbg.sop_reference = "sop/pbg/1"
    pbg.save()
    # 0,5 + 22,5 + 2 = 25 hours = 3,33 working days: 4 (rounded up).
    out = run("permit_standards_from_sop", "--unit", unit.code)
    assert "Persetujuan Bangunan Gedung: 4 hari kerja dari SOP" in out
    pbg.refresh_from_db()
    assert pbg.standard_days == 4


def test_adding_a_year_in_the_admin_seeds_it(login_as):
    from django.urls import reverse

    client = login_as("admin")
    response = client.post(reverse("admin:perizinan_holidayyear_add"), {"year": "2025"})
    assert response.status_code == 302
    assert HolidayYear.objects.filter(year=2025).exists()
    assert Holiday.objects.filter(date__year=2025, kind="cuti").exists()
    # An edited holiday becomes the admin's own.
    holiday = Holiday.objects.filter(date__year=2025).first()
    url = reverse("admin:perizinan_holiday_change", args=[holiday.pk])
    data = {
        "date": holiday.date.isoformat(),
        "name": "Diubah SKB",
        "kind": holiday.kind,
        "source": holiday.source,
        "note": "SKB baru",
    }
    assert client.post(url, data).status_code == 302
    holiday.refresh_from_db()
    assert (holiday.name, holiday.source) == ("Diubah SKB", "manual")
    page = client.post(reverse("admin:perizinan_holidayyear_add"), {"year": "1999"})
    assert page.status_code == 200  # refused at the field, no server error
