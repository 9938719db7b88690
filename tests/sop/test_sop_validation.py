"""Every rule an SOP must satisfy, as a function and through the admin."""

import re

import pytest

from mutu.demo import load_seed_sop
from sop.models import SopStep
from sop.validation import StepFacts, sop_problems

A, B = "a", "b"


def steps(*rows):
    return [StepFacts(*row) for row in rows]


GOOD = steps((1, "start", A), (2, "decision", B, 3, 1), (3, "end", A))


def test_a_coherent_sop_has_no_problems():
    assert sop_problems(GOOD, {A, B}) == []


def test_no_steps():
    assert sop_problems([], {A}) == ["SOP belum mempunyai langkah."]


def test_no_start():
    problems = sop_problems(steps((1, "process", A), (2, "end", A)), {A})
    assert "SOP belum mempunyai langkah Mulai (simbol kapsul pertama)." in problems


def test_no_end():
    problems = sop_problems(steps((1, "start", A), (2, "process", A)), {A})
    assert "SOP belum mempunyai langkah Selesai (simbol kapsul terakhir)." in problems
    assert any("Langkah 2 tidak mempunyai langkah berikutnya" in p for p in problems)


def test_two_starts():
    problems = sop_problems(steps((1, "start", A), (2, "start", A), (3, "end", A)), {A})
    assert "SOP hanya boleh mempunyai satu langkah Mulai." in problems


def test_decision_without_both_branches():
    problems = sop_problems(steps((1, "start", A), (2, "decision", A, 3), (3, "end", A)), {A})
    assert "Langkah 2 adalah keputusan tetapi cabang Ya dan Tidak belum lengkap." in problems


def test_branch_to_a_missing_step():
    problems = sop_problems(steps((1, "start", A), (2, "decision", A, 3, 9), (3, "end", A)), {A})
    assert "Cabang Tidak langkah 2 menuju langkah 9 yang tidak ada." in problems


def test_branch_on_a_process():
    problems = sop_problems(steps((1, "start", A), (2, "process", A, 1), (3, "end", A)), {A})
    assert "Langkah 2 bukan keputusan, jadi tidak boleh mempunyai cabang Ya/Tidak." in problems


def test_actor_not_in_the_sop():
    problems = sop_problems(GOOD, {A})
    assert problems == ["Pelaksana langkah 2 bukan pelaksana SOP ini."]


def test_unreachable_step():
    rows = steps((1, "start", A), (2, "end", A), (3, "process", A), (4, "end", A))
    assert sop_problems(rows, {A}) == [
        "Langkah 3 tidak dapat dicapai dari langkah Mulai.",
        "Langkah 4 tidak dapat dicapai dari langkah Mulai.",
    ]
    # A decision that skips steps leaves them unreachable too.
    rows = steps((1, "start", A), (2, "decision", A, 4, 1), (3, "process", A), (4, "end", A))
    assert sop_problems(rows, {A}) == ["Langkah 3 tidak dapat dicapai dari langkah Mulai."]


def test_back_branch_reaches_everything():
    rows = steps((1, "start", A), (2, "process", A), (3, "decision", A, 4, 2), (4, "end", A))
    assert sop_problems(rows, {A}) == []


def test_duplicate_numbers():
    rows = steps((1, "start", A), (1, "end", A))
    assert "Nomor langkah 1 dipakai lebih dari sekali." in sop_problems(rows, {A})


# --- the admin ------------------------------------------------------------------------------

SOP_FIELDS = [
    "header", "number", "revision", "name", "procedure_title", "approver_position",
    "approver_name", "approver_nip", "legal_basis", "qualifications", "equipment", "warning",
    "records", "note",
]  # fmt: skip
STEP_FIELDS = [
    "number", "kind", "activity", "yes_step", "no_step", "requirements", "output",
    "time_amount", "time_unit", "remarks",
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
        data |= {p + "name": actor.name, p + "position": _value(actor.position_id)}
    rows = list(sop.steps.all())
    data |= _management("steps", len(rows))
    for i, step in enumerate(rows):
        p = f"steps-{i}-"
        data |= {p + "id": step.pk, p + "sop": sop.pk, p + "actor": step.actor_id}
        data |= {p + field: _value(getattr(step, field)) for field in STEP_FIELDS}
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
    sop = load_seed_sop()
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
    data |= {"steps-2-kind": "decision", "steps-2-yes_step": "4", "steps-2-no_step": "12"}
    response = client.post(url, data)
    assert "Cabang Tidak langkah 3 menuju langkah 12 yang tidak ada." in _errors(response)


def test_admin_pages_render_and_revise_action(seed_admin, client):
    sop, url = seed_admin
    assert client.get(url).status_code == 200
    assert client.get("/admin/sop/sop/add/").status_code == 200
    response = client.post(
        "/admin/sop/sop/", {"action": "make_revision", "_selected_action": [sop.pk]}
    )
    assert response.status_code == 302
    revised = sop.next_revision
    assert revised.revision == 1 and response["Location"].endswith(f"/{revised.pk}/change/")
