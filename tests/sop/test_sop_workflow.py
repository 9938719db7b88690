"""The SOP workflow: who writes and signs (sop.access), draft -> submitted -> signed and back
(sop.services), a signed SOP read-only in the app and the admin, revisions kept readable.

The demo's SOP unit is DPMPTSP Provinsi Jawa Barat (`dpmptsp-jabar`): `datin` holds its
Tim Urusan Datin position. Here `datin` is also its SOP author (given sop.change_sop), and
`kadisjabar` (made here) holds its Kepala Dinas position with the head role, who signs.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from mutu.demo import load_seed_sop
from sasaran import periods
from sasaran.models import Assignment, Position, Unit, User
from sop import access, services
from sop.models import Sop, SopStep
from tests.conftest import logged_in
from tests.factories import build_sop

SOP_UNIT = "dpmptsp-jabar"
HEAD_POSITION = "Kepala Dinas PMPTSP Provinsi Jawa Barat"


def user(username):
    return User.objects.get(username=username)  # fresh: permissions are cached per object


def make_author(username):
    person = user(username)
    person.user_permissions.add(
        Permission.objects.get(codename="change_sop", content_type__app_label="sop")
    )
    return user(username)


@pytest.fixture
def seed(demo):
    return load_seed_sop(with_user=True)


@pytest.fixture
def author(seed):
    return make_author("datin")


@pytest.fixture
def head(seed):
    unit = Unit.objects.get(code=SOP_UNIT)
    position = Position.objects.create(unit=unit, name=HEAD_POSITION, level="kepala")
    person = User.objects.create_user(
        "kadisjabar", password="sasaranmutu", first_name="Budi", last_name="Santoso"
    )
    person.nip = "197001011990031001"
    person.save()
    Assignment.objects.create(user=person, position=position, role=Assignment.Role.HEAD)
    return person


@pytest.fixture
def draft(seed, author):
    return services.sop_revise(sop=seed, user=author)


def _fields(sop):
    sop.refresh_from_db()
    return {f.attname: getattr(sop, f.attname) for f in Sop._meta.concrete_fields}


def _steps(sop):
    return list(sop.steps.order_by("number").values_list("number", "activity", "kind"))


# --------------------------------------------------------------------------- access


def test_authors_are_unit_members_with_the_permission_or_the_unit_admin_role(seed):
    datin = user("datin")
    assert not access.may_write(datin, seed)  # a member reads, nothing more
    assert access.may_write(make_author("datin"), seed)
    # The permission alone does not reach another unit's SOPs.
    assert not access.may_write(make_author("kepala"), seed)
    # The unit's admin role writes without the permission.
    Assignment.objects.filter(user__username="datin").update(role=Assignment.Role.ADMIN)
    datin_admin = User.objects.create_user("admin2")
    Assignment.objects.create(
        user=datin_admin,
        position=Position.objects.get(name="Tim Urusan Datin"),
        role=Assignment.Role.ADMIN,
    )
    assert access.may_write(user("admin2"), seed)
    assert access.may_write(user("admin"), seed)  # superuser


def test_signers_are_the_named_position_else_the_unit_head(seed, head):
    assert seed.approver_position == ""
    assert [a.user for a in access.signers(seed)] == [head]
    assert access.may_sign(head, seed)
    assert not access.may_sign(user("datin"), seed)
    assert not access.may_sign(user("kepala"), seed)  # head of another unit
    assert access.may_sign(user("admin"), seed)


def test_a_named_approver_in_the_unit_above_signs_and_the_unit_head_does_not(demo):
    up = Unit.objects.get(code="up-pmptsp-jaktim")
    sop = build_sop(
        up,
        "1/UP",
        ["Loket"],
        [
            {"number": 1, "activity": "Menerima", "actor": "Loket", "kind": "start"},
            {"number": 2, "activity": "Selesai", "actor": "Loket", "kind": "end"},
        ],
        approver_position="  kepala dinas PMPTSP provinsi DKI  Jakarta ",
    )
    assert access.may_sign(user("kadis"), sop)
    assert not access.may_sign(user("kepala"), sop)
    # A name that matches no position: the unit's head signs.
    sop.approver_position = "Sekretaris Daerah"
    assert access.may_sign(user("kepala"), sop)
    assert not access.may_sign(user("kadis"), sop)


def test_the_helpers_answer_404_outside_their_scope(seed, head, author):
    assert access.get_sop_to_write(author, seed.pk) == (seed, True)
    assert access.get_sop_to_sign(head, seed.pk) == (seed, True)
    for helper, username in [
        (access.get_sop_to_write, "datin"),  # reads, does not write: given no permission
        (access.get_sop_to_write, "kadisjabar"),
        (access.get_sop_to_sign, "kepala"),
        (access.get_sop_to_write, "kepala"),
    ]:
        if username == "datin":
            User.objects.get(username="datin").user_permissions.clear()
        with pytest.raises(Http404):
            helper(user(username), seed.pk)


# --------------------------------------------------------------------------- services


def test_revise_makes_a_draft_revision_and_leaves_the_signed_one_unchanged(seed, author):
    before, steps_before = _fields(seed), _steps(seed)
    revision = services.sop_revise(sop=seed, user=author)
    assert revision.revision == 1 and revision.previous == seed
    assert revision.status == Sop.Status.DRAFT
    assert revision.signed_at is None and revision.signed_by is None
    assert revision.submitted_at is None and revision.effective_on is None
    assert _steps(revision) == steps_before
    assert [a.name for a in revision.actors.all()] == [a.name for a in seed.actors.all()]
    assert _fields(seed) == before and _steps(seed) == steps_before
    assert seed.status == Sop.Status.SIGNED
    history = revision.history.first()
    assert history.history_change_reason == "Revisi baru dari revisi 0"


def test_revise_is_only_for_the_latest_signed_revision_by_an_author(seed, author, draft):
    with pytest.raises(ValidationError, match="sudah mempunyai revisi berikutnya"):
        services.sop_revise(sop=seed, user=author)
    with pytest.raises(ValidationError, match="Hanya SOP yang sudah sah"):
        services.sop_revise(sop=draft, user=author)
    with pytest.raises(ValidationError, match="bukan penyusun"):
        services.sop_revise(sop=draft, user=user("kepala"))


def test_submit_sign_fills_the_signature_and_locks(draft, author, head):
    submitted = services.sop_submit(sop=draft, user=author)
    assert submitted.status == Sop.Status.SUBMITTED
    assert submitted.submitted_by == author and submitted.submitted_at is not None
    signed = services.sop_sign(sop=draft, user=head)
    signed.refresh_from_db()
    today = periods.today()
    assert signed.status == Sop.Status.SIGNED
    assert signed.signed_by == head and signed.signed_at is not None
    assert signed.effective_on == today and signed.revised_on == today  # a revision
    assert signed.approver_position == HEAD_POSITION
    assert signed.approver_name == "Budi Santoso"
    assert signed.approver_nip == "197001011990031001"
    reasons = list(signed.history.values_list("history_change_reason", flat=True)[:2])
    assert reasons == ["Disahkan", "Diajukan untuk disahkan"]


def test_sign_refuses_an_sop_with_problems(draft, author, head):
    services.sop_submit(sop=draft, user=author)
    # Changed behind the workflow's back (the admin, a script): the end is gone.
    SopStep.objects.filter(sop=draft, kind="end").update(kind="process")
    with pytest.raises(ValidationError) as refused:
        services.sop_sign(sop=draft, user=head)
    assert "SOP tidak dapat disahkan karena belum utuh:" in refused.value.messages
    assert any("Selesai" in m for m in refused.value.messages)
    draft.refresh_from_db()
    assert draft.status == Sop.Status.SUBMITTED and draft.signed_at is None


def test_submit_refuses_problems_and_other_states(draft, author, head):
    SopStep.objects.filter(sop=draft, kind="start").update(kind="process")
    with pytest.raises(ValidationError, match="belum dapat diajukan"):
        services.sop_submit(sop=draft, user=author)
    SopStep.objects.filter(sop=draft, number=1).update(kind="start")
    with pytest.raises(ValidationError, match="bukan penyusun"):
        services.sop_submit(sop=draft, user=head)
    services.sop_submit(sop=draft, user=author)
    with pytest.raises(ValidationError, match="Hanya draf"):
        services.sop_submit(sop=draft, user=author)
    with pytest.raises(ValidationError, match="tidak berwenang"):
        services.sop_sign(sop=draft, user=author)  # the author does not sign


def test_sign_only_a_submitted_sop(draft, head):
    with pytest.raises(ValidationError, match="Hanya SOP yang sudah diajukan"):
        services.sop_sign(sop=draft, user=head)


def test_return_needs_a_reason_and_goes_back_to_draft(draft, author, head):
    services.sop_submit(sop=draft, user=author)
    with pytest.raises(ValidationError) as refused:
        services.sop_return(sop=draft, user=head, reason="  ")
    assert refused.value.message_dict == {"reason": ["Alasan wajib diisi."]}
    services.sop_return(sop=draft, user=head, reason="Dasar hukum kurang lengkap")
    draft.refresh_from_db()
    assert draft.status == Sop.Status.DRAFT and draft.submitted_at is None
    record = draft.history.first()
    assert record.history_change_reason == "Dikembalikan ke draf: Dasar hukum kurang lengkap"
    assert record.history_user is None or record.history_user == head
    with pytest.raises(ValidationError, match="sedang diajukan"):
        services.sop_return(sop=draft, user=author, reason="lagi")
    # The author may take a submission back too.
    services.sop_submit(sop=draft, user=author)
    services.sop_return(sop=draft, user=author, reason="Masih ada yang kurang")
    draft.refresh_from_db()
    assert draft.status == Sop.Status.DRAFT


def test_a_later_effective_date_is_kept_unless_the_label_is_the_signing_date(draft, author, head):
    later = periods.today() + datetime.timedelta(days=30)
    Sop.objects.filter(pk=draft.pk).update(effective_on=later)
    services.sop_submit(sop=draft, user=author)
    services.sop_sign(sop=draft, user=head)
    draft.refresh_from_db()
    assert draft.effective_on == later

    other = services.sop_revise(sop=draft, user=author)
    Sop.objects.filter(pk=other.pk).update(effective_on=later, date_label="pengesahan")
    services.sop_submit(sop=other, user=author)
    services.sop_sign(sop=other, user=head)
    other.refresh_from_db()
    assert other.effective_on == periods.today()


def test_a_superuser_signs_without_taking_the_approvers_name(draft, author):
    Sop.objects.filter(pk=draft.pk).update(
        approver_position="Kepala Dinas", approver_name="Dr. Ir. Siti"
    )
    services.sop_submit(sop=draft, user=author)
    services.sop_sign(sop=draft, user=user("admin"))
    draft.refresh_from_db()
    assert draft.status == Sop.Status.SIGNED and draft.approver_name == "Dr. Ir. Siti"


def test_sign_needs_an_approver_name(draft, author):
    services.sop_submit(sop=draft, user=author)
    with pytest.raises(ValidationError, match="Isi jabatan dan nama"):
        services.sop_sign(sop=draft, user=user("admin"))


def test_edits_refuse_anything_but_a_draft(seed, author):
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        services.sop_edit(sop=seed, user=author, values={"name": "Baru"})
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        services.sop_save_lanes(sop=seed, user=author, lanes=[{"id": None, "name": "X"}])
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        services.sop_save_steps(sop=seed, user=author, rows=[])
    seed.refresh_from_db()
    assert seed.name == "Penyusunan Laporan Kinerja PTSPdan PPB"


# --------------------------------------------------------------------------- over HTTP


def test_the_whole_workflow_over_http(draft, author, head, client):
    logged_in(client, "datin")
    page = client.get(reverse("sop:detail", args=[draft.pk])).content.decode()
    assert 'id="ajukan"' in page and 'id="sahkan"' not in page and 'id="ubah-langkah"' in page
    response = client.post(reverse("sop:submit", args=[draft.pk]))
    assert response.status_code == 302
    page = client.get(reverse("sop:detail", args=[draft.pk])).content.decode()
    assert "SOP diajukan untuk disahkan." in page
    assert 'id="diajukan"' in page and "Dewi Lestari" in page
    assert 'id="ubah-langkah"' not in page and 'id="kembalikan"' in page  # take it back

    logged_in(client, "kadisjabar")
    page = client.get(reverse("sop:detail", args=[draft.pk])).content.decode()
    assert 'id="sahkan"' in page and 'id="ajukan"' not in page
    assert client.post(reverse("sop:sign", args=[draft.pk])).status_code == 302
    page = client.get(reverse("sop:detail", args=[draft.pk])).content.decode()
    assert "SOP disahkan dan dikunci." in page
    assert 'id="disahkan"' in page and "Budi Santoso" in page
    assert "NIP 197001011990031001" in page
    draft.refresh_from_db()
    assert draft.status == Sop.Status.SIGNED


def test_return_over_http_keeps_a_refused_reason_with_its_message(draft, author, head, client):
    services.sop_submit(sop=draft, user=author)
    logged_in(client, "kadisjabar")
    url = reverse("sop:send_back", args=[draft.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Alasan wajib diisi." in response.content.decode()
    long = "x" * 2500
    response = client.post(url, {"reason": long})
    assert response.status_code == 200 and long in response.content.decode()
    assert "Alasan terlalu panjang" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Sop.Status.SUBMITTED
    response = client.post(url, {"reason": "Lengkapi dasar hukum"})
    assert response.status_code == 302
    page = client.get(reverse("sop:detail", args=[draft.pk])).content.decode()
    assert "Dikembalikan ke draf: Lengkapi dasar hukum" in page


def test_signing_with_problems_over_http_says_why(draft, author, head, client):
    services.sop_submit(sop=draft, user=author)
    SopStep.objects.filter(sop=draft, kind="end").update(kind="process")
    logged_in(client, "kadisjabar")
    response = client.post(reverse("sop:sign", args=[draft.pk]), follow=True)
    page = response.content.decode()
    assert "SOP tidak dapat disahkan karena belum utuh:" in page
    draft.refresh_from_db()
    assert draft.status == Sop.Status.SUBMITTED


@pytest.mark.parametrize("name", ["sop:edit", "sop:lanes", "sop:steps"])
def test_a_signed_sop_is_read_only_in_the_app(seed, author, client, name):
    logged_in(client, "datin")
    url = reverse(name, args=[seed.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain == [(reverse("sop:detail", args=[seed.pk]), 302)]
    assert "SOP ini sudah sah dan tidak dapat diubah" in response.content.decode()
    before, steps = _fields(seed), _steps(seed)
    response = client.post(url, {"name": "Diubah", "lane-TOTAL_FORMS": "0"})
    assert response.status_code == 302
    assert _fields(seed) == before and _steps(seed) == steps


def test_a_submitted_sop_is_not_edited_either(draft, author, client):
    services.sop_submit(sop=draft, user=author)
    logged_in(client, "datin")
    response = client.get(reverse("sop:edit", args=[draft.pk]), follow=True)
    assert "sedang diajukan" in response.content.decode()


def test_the_admin_shows_a_signed_sop_read_only(seed, draft, client):
    logged_in(client, "admin")
    url = reverse("admin:sop_sop_change", args=[seed.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()
    response = client.post(url, {"name": "Diubah"})
    assert response.status_code == 403
    seed.refresh_from_db()
    assert seed.name != "Diubah"
    # A draft is still edited there.
    response = client.get(reverse("admin:sop_sop_change", args=[draft.pk]))
    assert response.context["has_change_permission"] is True


def test_the_admin_action_revises_through_the_service(seed, client):
    logged_in(client, "admin")
    response = client.post(
        reverse("admin:sop_sop_changelist"),
        {"action": "make_revision", "_selected_action": [seed.pk]},
    )
    revision = Sop.objects.get(previous=seed)
    assert response.status_code == 302 and revision.status == Sop.Status.DRAFT
    # Again: the signed one already has its next revision; refused with a message.
    response = client.post(
        reverse("admin:sop_sop_changelist"),
        {"action": "make_revision", "_selected_action": [seed.pk]},
        follow=True,
    )
    assert "sudah mempunyai revisi berikutnya" in response.content.decode()
    assert Sop.objects.filter(previous=seed).count() == 1


def test_every_revision_stays_readable_and_printable(seed, draft, author, head, client):
    SopStep.objects.filter(sop=draft, number=2).update(activity="Menyusun jadwal kerja tim")
    services.sop_submit(sop=draft, user=author)
    services.sop_sign(sop=draft, user=head)
    logged_in(client, "datin")
    for sop in (seed, draft):
        page = client.get(reverse("sop:detail", args=[sop.pk])).content.decode()
        assert 'id="daftar-revisi"' in page
        assert "Revisi 0" in page and "Revisi 1" in page
        pdf = client.get(reverse("sop:pdf", args=[sop.pk]))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = client.get(reverse("sop:detail", args=[seed.pk])).content.decode()
    assert "Ini revisi lama." in page
    page = client.get(reverse("sop:detail", args=[draft.pk])).content.decode()
    assert "Perubahan dari revisi 0 ke revisi 1" in page
    assert "Menyusun jadwal kerja tim" in page
    # Compared the other way round on request.
    page = client.get(reverse("sop:detail", args=[seed.pk]) + f"?banding={draft.pk}")
    assert "Perubahan dari revisi 1 ke revisi 0" in page.content.decode()


def test_only_the_latest_signed_revision_offers_a_new_revision(seed, draft, author, client):
    logged_in(client, "datin")
    page = client.get(reverse("sop:detail", args=[seed.pk])).content.decode()
    assert 'id="buat-revisi"' not in page  # revision 1 exists
    response = client.post(reverse("sop:revise", args=[seed.pk]), follow=True)
    assert "sudah mempunyai revisi berikutnya" in response.content.decode()


def test_revise_over_http_opens_the_new_draft(seed, author, client):
    logged_in(client, "datin")
    response = client.post(reverse("sop:revise", args=[seed.pk]))
    revision = Sop.objects.get(previous=seed)
    assert response["Location"] == reverse("sop:edit", args=[revision.pk])


# --------------------------------------------------------------------------- who gets 404

SOP_PAGES = ["sop:detail", "sop:pdf", "sop:xlsx", "sop:edit", "sop:lanes", "sop:steps"]
SOP_POSTS = [
    "sop:edit",
    "sop:lanes",
    "sop:steps",
    "sop:steps_preview",
    "sop:submit",
    "sop:sign",
    "sop:send_back",
    "sop:revise",
]


def _other_unit_author():
    unit = Unit.objects.create(code="lain", name="Unit Lain", kind=Unit.Kind.DINAS)
    position = Position.objects.create(unit=unit, name="Kepala", level=Position.Level.HEAD)
    other = User.objects.create_user("lain", password="sasaranmutu")
    Assignment.objects.create(user=other, position=position, role=Assignment.Role.HEAD)
    return make_author("lain")


def test_another_units_author_and_head_get_404_on_every_page_and_post(draft, client):
    _other_unit_author()
    logged_in(client, "lain")
    for name in SOP_PAGES + ["sop:logo"]:
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404, name
    for name in SOP_POSTS:
        response = client.post(reverse(name, args=[draft.pk]), {"reason": "x"})
        assert response.status_code == 404, name
    assert client.get(reverse("sop:create")).status_code == 200  # their own unit's SOPs
    draft.refresh_from_db()
    assert draft.status == Sop.Status.DRAFT


def test_a_reader_of_the_unit_gets_404_on_writing_and_signing(draft, client):
    User.objects.get(username="datin").user_permissions.clear()
    logged_in(client, "datin")
    assert client.get(reverse("sop:detail", args=[draft.pk])).status_code == 200
    for name in ["sop:edit", "sop:lanes", "sop:steps"]:
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404, name
    for name in SOP_POSTS:
        assert client.post(reverse(name, args=[draft.pk])).status_code == 404, name
    assert client.get(reverse("sop:create")).status_code == 404
    page = client.get(reverse("sop:list")).content.decode()
    assert 'id="sop-baru"' not in page


def test_workflow_posts_refuse_get(draft, author, client):
    logged_in(client, "datin")
    for name in ["sop:submit", "sop:sign", "sop:send_back", "sop:revise", "sop:steps_preview"]:
        assert client.get(reverse(name, args=[draft.pk])).status_code == 405, name
