"""The SOP changes of a period reach the management review (sasaran.siklus) through the
hook `sop` registers at start-up."""

import datetime
import zoneinfo

import pytest

from sasaran.models import Unit
from sasaran.siklus import hooks
from sop.models import Sop
from tests.factories import build_sop

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
STEPS = [
    {"number": 1, "activity": "Mulai", "actor": "Petugas", "kind": "start"},
    {"number": 2, "activity": "Selesai", "actor": "Petugas", "kind": "end"},
]


@pytest.fixture
def unit(db):
    return Unit.objects.create(code="uji", name="Unit Uji", kind="up")


def sop_part(unit, first, last):
    return dict(hooks.review_parts(unit, first, last))["Perubahan SOP"]


def test_signed_revisions_of_the_period_are_listed(unit):
    signed = build_sop(unit, "001", ["Petugas"], STEPS, name="Pelayanan Pengaduan")
    Sop.objects.filter(pk=signed.pk).update(
        status=Sop.Status.SIGNED, signed_at=datetime.datetime(2023, 5, 3, 9, tzinfo=JAKARTA)
    )
    later = build_sop(unit, "002", ["Petugas"], STEPS, name="Arsip")
    Sop.objects.filter(pk=later.pk).update(
        status=Sop.Status.SIGNED, signed_at=datetime.datetime(2023, 8, 1, 9, tzinfo=JAKARTA)
    )
    build_sop(unit, "003", ["Petugas"], STEPS, name="Draf saja")  # a draft: not a change yet
    first, last = datetime.date(2023, 1, 1), datetime.date(2023, 6, 30)
    assert sop_part(unit, first, last) == [
        "001 Pelayanan Pengaduan — terbitan baru, sah 3 Mei 2023"
    ]
    year = sop_part(unit, first, datetime.date(2023, 12, 31))
    assert len(year) == 2 and year[1].startswith("002 Arsip")


def test_other_units_sops_are_not_listed(unit):
    other = Unit.objects.create(code="lain", name="Unit Lain", kind="up")
    sop = build_sop(other, "001", ["Petugas"], STEPS)
    Sop.objects.filter(pk=sop.pk).update(
        status=Sop.Status.SIGNED, signed_at=datetime.datetime(2023, 5, 3, 9, tzinfo=JAKARTA)
    )
    assert sop_part(unit, datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)) == []
