"""What changed between two revisions, step by step (sop.changes): the pure comparison, and
the comparison of two stored revisions."""

import pytest

from mutu.demo import load_seed_sop
from sop import services
from sop.changes import (
    ADDED,
    CHANGED,
    MOVED,
    REMOVED,
    SAME,
    FieldChange,
    StepRow,
    compare_fields,
    compare_steps,
    revision_changes,
)
from sop.models import SopActor, SopFlow, SopStep
from tests.sop.test_sop_workflow import make_author


def row(number, activity, lane="Loket", nxt=(), **fields):
    return StepRow(
        number, activity, (("Uraian", activity), ("Pelaksana", lane), *fields.items()), nxt
    )


BASE = [
    row(1, "Menerima berkas"),
    row(2, "Memeriksa berkas", "Verifikator"),
    row(3, "Berkas lengkap?", "Verifikator", (("Ya", 3), ("Tidak", 0))),
    row(4, "Menerbitkan izin", "Kepala"),
]


def kinds(changes):
    return [(c.kind, c.old_number, c.new_number) for c in changes]


def test_identical_revisions_have_only_unchanged_rows():
    assert kinds(compare_steps(BASE, BASE)) == [(SAME, n, n) for n in (1, 2, 3, 4)]


def test_an_inserted_step_renumbers_the_rest_without_changing_them():
    new = [
        BASE[0],
        row(2, "Mencatat di buku register"),
        row(3, "Memeriksa berkas", "Verifikator"),
        row(4, "Berkas lengkap?", "Verifikator", (("Ya", 4), ("Tidak", 0))),
        row(5, "Menerbitkan izin", "Kepala"),
    ]
    changes = compare_steps(BASE, new)
    assert kinds(changes) == [
        (SAME, 1, 1),
        (ADDED, None, 2),
        (SAME, 2, 3),
        (SAME, 3, 4),  # Ya: 4 -> 5 is the same step: no flow change
        (SAME, 4, 5),
    ]
    assert changes[2].renumbered and not changes[0].renumbered
    assert changes[1].activity == "Mencatat di buku register"


def test_a_removed_step_is_listed_where_it_stood():
    new = [BASE[0], row(2, "Berkas lengkap?", "Verifikator", (("Ya", 2), ("Tidak", 0))), BASE[3]]
    new[2] = row(3, "Menerbitkan izin", "Kepala")
    changes = compare_steps(BASE, new)
    assert kinds(changes) == [(SAME, 1, 1), (REMOVED, 2, None), (SAME, 3, 2), (SAME, 4, 3)]


def test_changed_fields_are_named_with_before_and_after():
    new = [BASE[0], row(2, "Memeriksa berkas", "Loket"), BASE[2], BASE[3]]
    changes = compare_steps(BASE, new)
    assert changes[1].kind == CHANGED
    [field] = changes[1].fields
    assert (field.label, field.before, field.after) == ("Pelaksana", "Verifikator", "Loket")


def test_a_reworded_activity_is_the_same_row_changed():
    new = [BASE[0], row(2, "Memeriksa kelengkapan berkas", "Verifikator"), BASE[2], BASE[3]]
    changes = compare_steps(BASE, new)
    assert kinds(changes)[1] == (CHANGED, 2, 2)
    assert changes[1].fields[0].before == "Memeriksa berkas"
    assert changes[1].fields[0].after == "Memeriksa kelengkapan berkas"


def test_an_unrelated_activity_in_its_place_is_one_removed_and_one_added():
    new = [BASE[0], row(2, "Membayar retribusi", "Loket"), BASE[2], BASE[3]]
    assert kinds(compare_steps(BASE, new))[1:3] == [(REMOVED, 2, None), (ADDED, None, 2)]


def test_a_flow_pointing_elsewhere_is_a_change():
    new = [*BASE[:2], row(3, "Berkas lengkap?", "Verifikator", (("Ya", 3), ("Tidak", 1))), BASE[3]]
    changes = compare_steps(BASE, new)
    assert changes[2].kind == CHANGED
    [flow] = changes[2].fields
    assert flow.label == "Langkah berikutnya"
    assert (flow.before, flow.after) == ("Ya: 4, Tidak: 1", "Ya: 4, Tidak: 2")


def test_a_moved_step_is_listed_once_as_moved():
    new = [
        row(1, "Memeriksa berkas", "Verifikator"),
        row(2, "Menerima berkas"),
        row(3, "Berkas lengkap?", "Verifikator", (("Ya", 3), ("Tidak", 1))),
        row(4, "Menerbitkan izin", "Kepala"),
    ]
    changes = compare_steps(BASE, new)
    assert sorted(kinds(changes), key=lambda k: k[2] or 0) == [
        (MOVED, 2, 1),
        (SAME, 1, 2),
        (SAME, 3, 3),  # Tidak still goes to "Menerima berkas", now row 2 (index 1)
        (SAME, 4, 4),
    ]
    assert len(changes) == 4


def test_hostile_and_empty_inputs():
    assert compare_steps([], []) == []
    assert kinds(compare_steps([], BASE[:1])) == [(ADDED, None, 1)]
    assert kinds(compare_steps(BASE[:1], [])) == [(REMOVED, 1, None)]
    odd = [row(None, "\x00<script>" * 300), row(None, ""), row(None, "")]
    assert [c.kind for c in compare_steps(odd, odd)] == [SAME, SAME, SAME]
    # A flow to a row that is not there is shown as a dash, not an error.
    broken = [row(1, "A", nxt=(("", 9),))]
    assert compare_steps(broken, [row(1, "A")])[0].fields[0].before == "—"


def test_compare_fields():
    before = [("A", "1"), ("B", "2")]
    after = [("A", "1"), ("B", "3"), ("C", "x")]
    assert compare_fields(before, after) == [FieldChange("B", "2", "3"), FieldChange("C", "", "x")]


# --------------------------------------------------------------------------- stored revisions


@pytest.fixture
def revisions(demo):
    seed = load_seed_sop(with_user=True)
    revision = services.sop_revise(sop=seed, user=make_author("datin"))
    return seed, revision


def test_stored_revisions_compared(revisions):
    seed, revision = revisions
    assert revision_changes(seed, revision).empty
    SopStep.objects.filter(sop=revision, number=3).update(output="Laporan baru")
    SopStep.objects.filter(sop=revision, number=4).update(time_amount=2, time_unit="hari")
    revision.name = "Nama baru"
    revision.save()
    lane = SopActor.objects.create(sop=revision, order=9, name="Aplikasi SIMPEL", kind="system")
    step = SopStep.objects.get(sop=revision, number=5)
    step.also_actors.add(lane)
    SopFlow.objects.create(step=SopStep.objects.get(sop=revision, number=2), target=4)
    result = revision_changes(seed, revision)
    assert [(c.label, c.after) for c in result.identity] == [("Nama SOP", "Nama baru")]
    assert result.lanes[0].after.endswith("Aplikasi SIMPEL")
    changed = {
        c.new_number: {f.label: (f.before, f.after) for f in c.fields} for c in result.changed_steps
    }
    assert changed[3] == {
        "Output": (SopStep.objects.get(sop=seed, number=3).output, "Laporan baru")
    }
    assert changed[4]["Waktu"][1] == "2 Hari"
    assert changed[5] == {"Dikerjakan bersama": ("", "Aplikasi SIMPEL")}
    assert changed[2] == {"Langkah berikutnya": ("", "4")}
    assert set(changed) == {2, 3, 4, 5}
