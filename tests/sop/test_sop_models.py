"""The seed SOP as demo data, the database constraints (every shape of row, flow and lane),
standard time, revisions and the migration of the old Ya/Tidak branches."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from mutu.demo import load_seed_sop
from sasaran.models import Assignment, Unit
from sop import services
from sop.models import Sop, SopActor, SopFlow, SopStep, shown_numbers
from sop.validation import stored_sop_problems
from tests.factories import build_complex_sop, build_sop

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


def _refused(model, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**values)


def test_database_refuses_incoherent_steps(seed):
    actor = seed.actors.first()
    row = {"sop": seed, "number": 99, "activity": "x", "actor": actor}
    _refused(SopStep, **row, kind="process", time_amount=Decimal(3))
    _refused(SopStep, **row, kind="process", time_amount=Decimal(-1), time_unit="jam")
    _refused(SopStep, **(row | {"actor": None}), kind="process")  # only a note has no actor
    _refused(SopStep, **(row | {"activity": ""}), kind="process")  # only a connector no text
    _refused(SopStep, **row, kind="end", start_capsule=True)
    _refused(SopStep, **row, kind="decision", end_capsule=True)
    _refused(SopStep, **row, kind="diamond")


def test_database_takes_every_new_row_shape(seed):
    actor = seed.actors.first()
    note = SopStep.objects.create(sop=seed, number=20, kind="note", activity="Catatan")
    joint = SopStep.objects.create(sop=seed, number=21, kind="process", activity="x",
                                   actor=actor, start_capsule=True)  # fmt: skip
    joint.also_actors.set(seed.actors.exclude(pk=actor.pk))
    SopStep.objects.create(sop=seed, number=22, kind="connector", activity="", actor=actor)
    SopStep.objects.create(sop=seed, number=23, kind="process", activity="y", actor=actor,
                           end_capsule=True)  # fmt: skip
    assert note.actor is None and not note.numbered
    assert joint.also_actors.count() == 2 and joint.numbered
    shown = shown_numbers(seed.steps.all())
    assert [shown[n] for n in (1, 7, 20, 21, 22, 23)] == [1, 7, None, 8, None, 9]


def test_database_refuses_incoherent_flows_and_lanes(seed):
    step = seed.steps.get(number=2)
    SopFlow.objects.create(step=step, target=4, label="Ya")
    _refused(SopFlow, step=step, target=4, label="Tidak")  # one arrow to a row
    _refused(SopFlow, step=step, target=0)
    position = seed.actors.get(name="Tim Urusan Datin").position
    _refused(SopActor, sop=seed, order=9, name="Aplikasi", kind="system", position=position)
    SopActor.objects.create(sop=seed, order=9, name="Aplikasi Penkin", kind="system")


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


def test_revise_copies_flows_joint_lanes_capsules_and_lane_kinds():
    unit = Unit.objects.create(code="u", name="Unit", kind=Unit.Kind.DINAS)
    sop = build_complex_sop(unit)
    revised = services.revise(sop)

    def shape(of):
        rows = []
        for step in of.steps.prefetch_related("flows", "also_actors").select_related("actor"):
            rows.append((
                step.number, step.kind, step.actor and step.actor.name,
                sorted(a.name for a in step.also_actors.all()),
                [(f.label, f.target) for f in step.flows.all()],
                step.start_capsule, step.end_capsule,
            ))  # fmt: skip
        lanes = [(a.name, a.kind) for a in of.actors.all()]
        return rows, lanes

    assert shape(revised) == shape(sop)
    joint = revised.steps.get(number=6)
    assert {a.sop_id for a in joint.also_actors.all()} == {revised.pk}
    assert stored_sop_problems(revised) == []


def test_complex_sop_holds_together():
    unit = Unit.objects.create(code="u", name="Unit", kind=Unit.Kind.DINAS)
    sop = build_complex_sop(unit)
    assert stored_sop_problems(sop) == []
    decision = sop.steps.get(number=2)
    assert [(f.label, f.target) for f in decision.flows.all()] == [
        ("Kotak Pengaduan", 3), ("Daring", 4), ("Tatap muka", 5),
    ]  # fmt: skip
    assert sop.actors.get(name="Ruang Konsultasi").kind == "facility"


@pytest.mark.django_db(transaction=True)
def test_migration_turns_yes_and_no_steps_into_flows():
    """0005 copies the Ya/Tidak branches of decisions as flows labelled Ya and Tidak."""
    executor = MigrationExecutor(connection)
    before = [("sop", "0004_step_flows")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    unit = old.get_model("sasaran", "Unit").objects.create(code="m", name="M", kind="dinas")
    sop = old.get_model("sop", "Sop").objects.create(
        unit=unit, number="1/M", name="M", created_on=date(2024, 1, 1)
    )
    actor = old.get_model("sop", "SopActor").objects.create(sop=sop, order=1, name="A")
    Step = old.get_model("sop", "SopStep")
    for number, kind, yes, no in ((1, "start", None, None), (2, "decision", 3, 1),
                                  (3, "end", None, None)):  # fmt: skip
        Step.objects.create(sop=sop, number=number, kind=kind, activity="x", actor=actor,
                            yes_step=yes, no_step=no)  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    step = SopStep.objects.get(sop_id=sop.pk, number=2)
    assert [(f.label, f.target) for f in step.flows.all()] == [("Ya", 3), ("Tidak", 1)]
    assert not SopFlow.objects.exclude(step=step).exists()


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
