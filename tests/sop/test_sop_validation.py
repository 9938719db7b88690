"""Every rule an SOP must satisfy, on the real graph of its flow, as a function and through
the admin; and the "lanjut ke" text the admin reads flows from."""

import re

import pytest

from mutu.demo import load_seed_sop
from sop.models import Sop, SopStep
from sop.validation import (
    Flow,
    StepFacts,
    flows,
    format_next,
    parse_next,
    row_names,
    sop_problems,
    successors,
)

A, B, C = "a", "b", "c"


def step(number, kind, actor=A, *targets, **more):
    """StepFacts; `targets` are flows: numbers (unlabelled) or (label, number) pairs."""
    pairs = tuple(t if isinstance(t, tuple) else ("", t) for t in targets)
    return StepFacts(number, kind, actor, flows=pairs, **more)


def decision(number, actor=A, yes=None, no=None, **more):
    targets = [("Ya", yes)] if yes is not None else []
    targets += [("Tidak", no)] if no is not None else []
    return step(number, "decision", actor, *targets, **more)


GOOD = [step(1, "start"), decision(2, B, yes=3, no=1), step(3, "end")]


def test_a_coherent_sop_has_no_problems():
    assert sop_problems(GOOD, {A, B}) == []


def test_no_steps():
    assert sop_problems([], {A}) == ["SOP belum mempunyai langkah."]
    assert sop_problems([step(1, "note", None)], {A}) == ["SOP belum mempunyai langkah."]


def test_no_start():
    problems = sop_problems([step(1, "process"), step(2, "end")], {A})
    assert "SOP belum mempunyai langkah Mulai (simbol kapsul pertama)." in problems


def test_no_end():
    problems = sop_problems([step(1, "start"), step(2, "process")], {A})
    assert "SOP belum mempunyai langkah Selesai (simbol kapsul terakhir)." in problems
    assert any("Langkah 2 tidak mempunyai langkah berikutnya" in p for p in problems)


def test_two_starts():
    problems = sop_problems([step(1, "start"), step(2, "start"), step(3, "end")], {A})
    assert "SOP hanya boleh mempunyai satu langkah Mulai." in problems
    # a start capsule on an activity's row counts as the start too
    rows = [step(1, "start"), step(2, "process", start_capsule=True), step(3, "end")]
    assert "SOP hanya boleh mempunyai satu langkah Mulai." in sop_problems(rows, {A})


def test_decision_needs_two_branches():
    problems = sop_problems([step(1, "start"), decision(2, yes=3), step(3, "end")], {A})
    assert "Langkah 2 adalah keputusan tetapi belum mempunyai dua cabang atau lebih." in problems
    # a fork of one branch is still one branch
    rows = [step(1, "start"), step(2, "decision", A, ("Ya", 3), ("Ya", 4)), step(3, "end"),
            step(4, "end")]  # fmt: skip
    assert "Langkah 2 adalah keputusan tetapi belum mempunyai dua cabang atau lebih." in (
        sop_problems(rows, {A})
    )


def test_decision_branches_need_labels():
    rows = [step(1, "start"), step(2, "decision", A, 3, 1), step(3, "end")]
    assert sop_problems(rows, {A}) == [
        "Langkah 2 adalah keputusan; setiap cabangnya perlu label (misalnya Ya/Tidak)."
    ]


def test_branch_to_a_missing_step():
    problems = sop_problems([step(1, "start"), decision(2, yes=3, no=9), step(3, "end")], {A})
    assert "Cabang Tidak langkah 2 menuju langkah 9 yang tidak ada." in problems
    problems = sop_problems([step(1, "start", A, 7), step(2, "end")], {A})
    assert "Langkah 1 menuju langkah 7 yang tidak ada." in problems


def test_flow_to_itself_and_twice_to_one_step():
    rows = [step(1, "start"), step(2, "process", A, 2), step(3, "end")]
    assert "Langkah 2 menuju dirinya sendiri." in sop_problems(rows, {A})
    rows = [step(1, "start"), step(2, "decision", A, ("Ya", 3), ("Tidak", 3)), step(3, "end")]
    assert "Langkah 2 menuju baris 3 lebih dari sekali." in sop_problems(rows, {A})


def test_an_end_has_no_next_step():
    rows = [step(1, "start"), step(2, "end", A, 1)]
    assert sop_problems(rows, {A}) == [
        "Langkah 2 adalah catatan atau akhir alur, jadi tidak mempunyai langkah berikutnya."
    ]


def test_actor_not_in_the_sop():
    assert sop_problems(GOOD, {A}) == ["Pelaksana langkah 2 bukan pelaksana SOP ini."]


def test_unreachable_step():
    rows = [step(1, "start"), step(2, "end"), step(3, "process"), step(4, "end")]
    assert sop_problems(rows, {A}) == [
        "Langkah 3 tidak dapat dicapai dari langkah Mulai.",
        "Langkah 4 tidak dapat dicapai dari langkah Mulai.",
    ]
    # A decision that skips steps leaves them unreachable too.
    rows = [step(1, "start"), decision(2, yes=4, no=1), step(3, "process"), step(4, "end")]
    assert sop_problems(rows, {A}) == ["Langkah 3 tidak dapat dicapai dari langkah Mulai."]


def test_back_branch_reaches_everything():
    rows = [step(1, "start"), step(2, "process"), decision(3, yes=4, no=2), step(4, "end")]
    assert sop_problems(rows, {A}) == []


def test_a_loop_without_a_way_out_never_ends():
    rows = [step(1, "start"), step(2, "process"), step(3, "process", A, 2), step(4, "end")]
    assert sop_problems(rows, {A}) == [
        "Langkah 4 tidak dapat dicapai dari langkah Mulai.",
        "Alur dari langkah 1, langkah 2, langkah 3 berputar tanpa pernah sampai ke langkah "
        "Selesai; beri jalan keluar ke langkah Selesai.",
    ]


def test_duplicate_numbers():
    rows = [step(1, "start"), step(1, "end")]
    assert "Nomor langkah 1 dipakai lebih dari sekali." in sop_problems(rows, {A})


# --- every shape of flow ----------------------------------------------------------------------


def test_goto_skips_rows_and_the_skipped_row_is_reached_otherwise():
    rows = [step(1, "start", A, 3), step(2, "process"), step(3, "decision", A, ("Ya", 4),
            ("Tidak", 2)), step(4, "end")]  # fmt: skip
    assert successors(rows) == {1: [3], 2: [3], 3: [4, 2], 4: []}
    assert sop_problems(rows, {A}) == []


def test_merge_several_steps_lead_to_one():
    rows = [
        step(1, "start"),
        step(2, "decision", A, ("Kotak Pengaduan", 3), ("Tatap muka", 4)),
        step(3, "process", B, 5),
        step(4, "process", C),
        step(5, "end"),
    ]
    assert [(f.src, f.dst) for f in flows(rows) if f.dst == 5] == [(3, 5), (4, 5)]
    assert sop_problems(rows, {A, B, C}) == []


def test_fork_a_branch_to_two_steps_at_once():
    rows = [
        step(1, "start"),
        step(2, "decision", A, ("Ya", 3), ("Ya", 4), ("Tidak", 5)),
        step(3, "process", B, 5),
        step(4, "process", C),
        step(5, "end"),
    ]
    assert [f for f in flows(rows) if f.src == 2] == [
        Flow(2, 3, "Ya", 0),
        Flow(2, 4, "Ya", 0),
        Flow(2, 5, "Tidak", 1),
    ]
    assert sop_problems(rows, {A, B, C}) == []
    # a process may fork without labels, too
    rows = [step(1, "start", A, 2, 3), step(2, "process", A, 4), step(3, "process"),
            step(4, "end")]  # fmt: skip
    assert successors(rows)[1] == [2, 3] and sop_problems(rows, {A}) == []


def test_multi_branch_decision_with_the_documents_own_labels():
    rows = [
        step(1, "start"),
        step(2, "decision", A, ("Kotak Pengaduan", 3), ("Daring", 4), ("Tatap muka", 5)),
        step(3, "process", A, 6),
        step(4, "process", A, 6),
        step(5, "process"),
        step(6, "end"),
    ]
    assert [(f.label, f.dst, f.branch) for f in flows(rows) if f.src == 2] == [
        ("Kotak Pengaduan", 3, 0),
        ("Daring", 4, 1),
        ("Tatap muka", 5, 2),
    ]
    assert sop_problems(rows, {A}) == []


def test_shared_lane_activity():
    rows = [step(1, "start"), step(2, "process", A, also_actors=(B, C)), step(3, "end")]
    assert rows[1].lanes == (A, B, C)
    assert sop_problems(rows, {A, B, C}) == []
    assert sop_problems(rows, {A, B}) == ["Pelaksana bersama langkah 2 bukan pelaksana SOP ini."]
    rows[1] = step(2, "process", A, also_actors=(A,))
    assert sop_problems(rows, {A}) == [
        "Pelaksana bersama langkah 2 tidak boleh sama dengan pelaksananya sendiri."
    ]


def test_unnumbered_rows_are_named_by_row_and_notes_are_skipped():
    rows = [
        step(1, "start"),
        step(2, "note", None),
        step(3, "connector", B),
        step(4, "process"),
        step(5, "end"),
    ]
    # the flow passes over the note to the connector, then on
    assert successors(rows) == {1: [3], 3: [4], 4: [5], 5: []}
    assert sop_problems(rows, {A, B}) == []
    assert row_names(rows) == {
        1: "langkah 1",
        2: "baris 2 (catatan)",
        3: "baris 3 (penghubung)",
        4: "langkah 2 (baris 4)",
        5: "langkah 3 (baris 5)",
    }
    rows[0] = step(1, "start", A, 2)
    assert "Langkah 1 menuju baris 2 (catatan); catatan bukan bagian dari alur." in (
        sop_problems(rows, {A, B})
    )
    rows[3] = step(4, "process", None)
    assert "Langkah 2 (baris 4) belum mempunyai pelaksana." in sop_problems(rows, {A, B})


def test_start_and_end_capsules_on_an_activitys_row():
    rows = [step(1, "process", start_capsule=True), step(2, "process", end_capsule=True)]
    assert sop_problems(rows, {A}) == []
    # the end capsule ends the flow: no row below is needed, and none may follow
    rows = [step(1, "process", start_capsule=True), step(2, "process", A, 1, end_capsule=True)]
    assert sop_problems(rows, {A}) == [
        "Langkah 2 adalah catatan atau akhir alur, jadi tidak mempunyai langkah berikutnya."
    ]
    rows = [step(1, "end", start_capsule=True), step(2, "decision", end_capsule=True)]
    problems = sop_problems(rows, {A})
    assert "langkah 1: kapsul Mulai di baris yang sama hanya untuk proses atau keputusan." in (
        problems
    )
    assert "langkah 2: kapsul Selesai di baris yang sama hanya untuk langkah proses." in problems


# --- the "lanjut ke" text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("", "process", []),
        ("5", "process", [("", 5)]),
        ("5, 7", "process", [("", 5), ("", 7)]),
        ("4; 1", "decision", [("Ya", 4), ("Tidak", 1)]),
        ("Tidak: 1; 4", "decision", [("Tidak", 1), ("Ya", 4)]),
        ("Ya: 4, 6; Tidak: 2", "decision", [("Ya", 4), ("Ya", 6), ("Tidak", 2)]),
        (
            "Kotak Pengaduan: 3; Tatap muka: 5 6",
            "decision",
            [("Kotak Pengaduan", 3), ("Tatap muka", 5), ("Tatap muka", 6)],
        ),
    ],
)
def test_parse_next(text, kind, expected):
    assert parse_next(text, kind) == expected
    assert parse_next(format_next(expected), kind) == expected


@pytest.mark.parametrize("text", ["lima", "Ya: ; Tidak: 2", "0", "3; 4; 5"])
def test_parse_next_refuses_what_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_next(text, "decision")


# --- the admin ------------------------------------------------------------------------------

SOP_FIELDS = [
    "header", "number", "revision", "name", "procedure_title", "approver_position",
    "approver_name", "approver_nip", "legal_basis", "qualifications", "equipment", "warning",
    "records", "note", "related_text", "date_label",
]  # fmt: skip
STEP_FIELDS = [
    "number", "kind", "activity", "requirements", "output", "time_amount", "time_unit",
    "remarks",
]  # fmt: skip


def _value(value):
    return "" if value is None else str(value)


def _post_data(sop):
    data = {field: _value(getattr(sop, field)) for field in SOP_FIELDS}
    data |= {
        "unit": sop.unit_id,
        "created_on": sop.created_on.isoformat(),
        "revised_on": "",
        "effective_on": sop.effective_on.isoformat(),
    }
    actors = list(sop.actors.all())
    data |= _management("actors", len(actors))
    for i, actor in enumerate(actors):
        p = f"actors-{i}-"
        data |= {p + "id": actor.pk, p + "sop": sop.pk, p + "order": actor.order}
        data |= {p + "name": actor.name, p + "kind": actor.kind}
        data |= {p + "position": _value(actor.position_id)}
    rows = list(sop.steps.all())
    data |= _management("steps", len(rows))
    for i, row in enumerate(rows):
        p = f"steps-{i}-"
        data |= {p + "id": row.pk, p + "sop": sop.pk, p + "actor": _value(row.actor_id)}
        data |= {p + field: _value(getattr(row, field)) for field in STEP_FIELDS}
        data |= {p + "next_text": ""}
    return data


def _management(prefix, count):
    return {
        f"{prefix}-TOTAL_FORMS": count,
        f"{prefix}-INITIAL_FORMS": count,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


@pytest.fixture
def seed_admin(demo, client):
    """The seed SOP as a draft (the admin changes drafts only)."""
    sop = load_seed_sop()
    Sop.objects.filter(pk=sop.pk).update(status=Sop.Status.DRAFT)
    sop.refresh_from_db()
    client.login(username="admin", password="sasaranmutu")
    return sop, f"/admin/sop/sop/{sop.pk}/change/"


def _errors(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_admin_saves_a_coherent_sop(seed_admin, client):
    sop, url = seed_admin
    data = _post_data(sop)
    data["steps-3-activity"] = "Mengikuti evaluasi data penilaian mandiri"
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)[:3000]
    assert sop.steps.get(number=4).activity == "Mengikuti evaluasi data penilaian mandiri"


def test_admin_enters_branches_joint_lanes_and_capsules(seed_admin, client):
    sop, url = seed_admin
    kadis, team = sop.actors.get(name="Kadis"), sop.actors.get(name="Tim Urusan Datin")
    data = _post_data(sop)
    data |= {"steps-3-kind": "decision", "steps-3-next_text": "Sesuai: 5; Perlu revisi: 3"}
    data |= {"steps-1-also_actors": [kadis.pk], "steps-5-next_text": "7"}
    data |= {"steps-0-kind": "process", "steps-0-start_capsule": "on"}
    data |= {"actors-1-kind": "system"}
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)[:3000]
    step4 = sop.steps.get(number=4)
    assert step4.kind == "decision"
    assert [(f.label, f.target) for f in step4.flows.all()] == [("Sesuai", 5), ("Perlu revisi", 3)]
    assert list(sop.steps.get(number=2).also_actors.all()) == [kadis]
    assert [(f.label, f.target) for f in sop.steps.get(number=6).flows.all()] == [("", 7)]
    assert sop.steps.get(number=1).start_capsule
    assert sop.actors.get(name="Urusan /Tim").kind == "system"
    assert team.steps.count() == 6
    # shown again as typed
    page = _errors(client.get(url))
    assert 'value="Sesuai: 5; Perlu revisi: 3"' in page


def test_admin_refuses_flows_it_cannot_read(seed_admin, client):
    sop, url = seed_admin
    data = _post_data(sop)
    data["steps-2-next_text"] = "ke langkah lima"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Tulis nomor langkah tujuan" in _errors(response)
    assert 'value="ke langkah lima"' in _errors(response)
    assert not sop.steps.get(number=3).flows.exists()


def test_admin_refuses_an_sop_without_end(seed_admin, client):
    sop, url = seed_admin
    data = _post_data(sop)
    data["steps-6-kind"] = "process"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "SOP belum mempunyai langkah Selesai" in _errors(response)
    assert sop.steps.get(number=7).kind == SopStep.Kind.END


def test_admin_refuses_removing_an_actor_still_in_use(seed_admin, client):
    sop, url = seed_admin
    data = _post_data(sop)
    data["actors-0-DELETE"] = "on"  # Kadis draws step 1
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Pelaksana langkah 1 bukan pelaksana SOP ini." in _errors(response)
    assert sop.actors.filter(name="Kadis").exists()


def test_admin_refuses_a_branch_to_nowhere(seed_admin, client):
    sop, url = seed_admin
    data = _post_data(sop)
    data |= {"steps-2-kind": "decision", "steps-2-next_text": "4; 12"}
    response = client.post(url, data)
    assert "Cabang Tidak langkah 3 menuju langkah 12 yang tidak ada." in _errors(response)
    assert not sop.steps.get(number=3).flows.exists()


def test_admin_pages_render_and_revise_action(seed_admin, client):
    sop, url = seed_admin
    assert client.get(url).status_code == 200
    assert client.get("/admin/sop/sop/add/").status_code == 200
