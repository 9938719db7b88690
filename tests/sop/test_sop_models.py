"""The seed SOP as demo data, the database constraints, standard time and revisions."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from mutu.demo import load_seed_sop
from sasaran.models import Assignment, Unit
from sop import services
from sop.models import Sop, SopActor, SopStep
from tests.factories import build_sop

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed():
    return load_seed_sop(with_user=True)


def test_seed_identity_is_verbatim(seed):
    assert seed.unit.code == "dpmptsp-jabar" and seed.unit.kind == Unit.Kind.DINAS
    assert seed.unit.name == "DPMPTSP Provinsi Jawa Barat"
    assert seed.number == "62/ 1687 / DATIN /2023"
    assert seed.name == "Penyusunan Laporan Kinerja PTSPdan PPB"
    assert seed.title == "Penyusunan Laporan Kinerja PTSP dan PPB"
    assert seed.created_on == date(2023, 6, 27) == seed.effective_on
    assert seed.revised_on is None and seed.approver_name == ""
    assert seed.header_lines == [
        "PEMERINTAH PROVINSI JAWA BARAT",
        "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
        "PROVINSI JAWA BARAT",
    ]
    assert len(seed.legal_basis_lines) == 2
    assert "Penganan Sanksi" in seed.legal_basis_lines[0]
    assert seed.qualification_lines[-1] == (
        "- Mengetahui tugas dan fungsi tim Penilaian Kinerja PTSPdan PPB"
    )
    assert seed.equipment_lines == ["- Komputer, Alat Tulis Kantor (ATK) dan Telepon"]
    assert seed.warning.startswith("Semua proses Penyusunan Laporan Kinerja PTSPdan PPB")
    assert seed.records == "Disimpan sebagai data fisik dan elektronik"
    assert "Kadis" in seed.note and "Tim Urusan Datin" in seed.note


def test_seed_actors_and_steps(seed):
    assert [a.name for a in seed.actors.all()] == ["Kadis", "Urusan /Tim", "Tim Urusan Datin"]
    assert seed.actors.get(name="Tim Urusan Datin").position.name == "Tim Urusan Datin"
    steps = list(seed.steps.select_related("actor"))
    assert [s.number for s in steps] == list(range(1, 8))
    assert [s.kind for s in steps] == ["start"] + ["process"] * 5 + ["end"]
    assert [s.actor.name for s in steps] == ["Kadis"] + ["Tim Urusan Datin"] * 6
    assert steps[0].activity == "Membentuk Tim Penilaian Kinerja PTSP dan PPB"
    assert steps[0].requirements == "Disposisi ketua Tim RBZI"
    assert steps[2].activity == "Melakukan input data/ pemenuhan evidence kedalam Aplikasi Penkin"
    assert [services.time_text(s) for s in steps] == [
        "180 Menit", "180 Menit", "1 Bulan", "1 Hari", "7 Hari", "1 Hari", "2 Hari",
    ]  # fmt: skip
    assert steps[6].output == "Laporan Penilaian Kinerja PTSP dan PPB"


def test_seed_total_time_in_working_days(seed):
    steps = list(seed.steps.all())
    # 6 h + 150 h (a month) + 7,5 + 52,5 + 7,5 + 15 h = 238,5 h = 31,8 working days of 7,5 h
    assert services.total_hours(steps) == Decimal("238.5")
    assert services.total_time_text(steps) == (
        "31,8 hari kerja (238,5 jam; 1 hari kerja = 7,5 jam)"
    )


def test_load_twice_changes_nothing(seed):
    counts = (Sop.objects.count(), SopStep.objects.count(), SopActor.objects.count())
    histories = (Sop.history.count(), SopStep.history.count())
    again = load_seed_sop(with_user=True)
    assert again.pk == seed.pk
    assert (Sop.objects.count(), SopStep.objects.count(), SopActor.objects.count()) == counts
    assert (Sop.history.count(), SopStep.history.count()) == histories
    assert Assignment.objects.filter(user__username="datin").count() == 1


def _decision(sop, **values):
    actor = sop.actors.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        SopStep.objects.create(sop=sop, number=99, activity="x", actor=actor, **values)


def test_database_refuses_incoherent_steps(seed):
    _decision(seed, kind="decision", yes_step=2)
    _decision(seed, kind="process", yes_step=2)
    _decision(seed, kind="process", time_amount=Decimal(3))
    _decision(seed, kind="process", time_amount=Decimal(-1), time_unit="jam")


def test_database_refuses_duplicate_revision(seed):
    with pytest.raises(IntegrityError), transaction.atomic():
        Sop.objects.create(
            unit=seed.unit, number=seed.number, name="x", created_on=date(2023, 1, 1)
        )


def test_revise_keeps_the_earlier_revision(seed):
    revised = services.revise(seed)
    revised.steps.filter(number=3).update(activity="Mengisi Aplikasi Penkin")
    seed.refresh_from_db()
    assert revised.revision == 1 and revised.previous == seed
    assert revised.earlier_revisions() == [seed]
    assert seed.steps.get(number=3).activity.startswith("Melakukan input data")
    assert revised.steps.count() == 7 and revised.actors.count() == 3
    assert revised.steps.get(number=1).actor.sop == revised


def test_build_sop_helper():
    unit = Unit.objects.create(code="u", name="Unit", kind=Unit.Kind.DINAS)
    sop = build_sop(
        unit, "1/X", ["A"], [{"number": 1, "activity": "Mulai", "actor": "A", "kind": "start"}]
    )
    assert sop.steps.get().actor.name == "A"


def test_without_user_no_assignment_is_made():
    load_seed_sop()
    assert not Assignment.objects.exists()
    assert Sop.objects.get().actors.get(name="Tim Urusan Datin").position is not None
