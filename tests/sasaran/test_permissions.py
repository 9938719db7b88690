"""The permission matrix: every URL of the app against every kind of user.

Each URL name of `mutu.urls` (admin/, i18n/ and the public survey aside, checked at the end)
has a row below with the answer each kind of user must get. A view added to the URLconf
without a row here fails `test_every_url_is_in_the_matrix`: decide who may open it, then
add it.

The kinds of user, for the demo unit UP PMPTSP Kota Jakarta Timur (`up-pmptsp-jaktim`,
under DPMPTSP Provinsi DKI Jakarta, `dpmptsp-dki`):

- anon: not logged in; every page sends them to /masuk/
- other: staff of another unit (created here)
- staff: `kasubbag`, an officer of this unit (role staff, enters the Kasubbag TU indicators)
- head: `kepala`, head of this unit (reviews and approves)
- parent: `kadis`, head of the parent unit
- admin: the superuser `admin`

Objects outside a user's scope answer 404, not 403, so nobody learns what exists. Pages are
fetched with GET; state-changing views with POST, and they must refuse GET with 405.
"""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sasaran import services
from sasaran.models import (
    Assignment,
    Evidence,
    ExportJob,
    Indicator,
    Position,
    Realisation,
    Unit,
    User,
)
from sasaran.skm.models import KioskDevice, Response, Survey
from sop.models import Sop
from tests.conftest import logged_in
from tests.factories import build_sop

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n"  # (served as it is stored; not read as an image)
KINDS = ("anon", "other", "staff", "head", "parent", "admin")
USERS = {"staff": "kasubbag", "head": "kepala", "parent": "kadis", "admin": "admin"}
LOGIN = "login"  # a 302 to /masuk/?next=...
GET, POST = "GET", "POST"
UNIT, PARENT_UNIT = "up-pmptsp-jaktim", "dpmptsp-dki"


def row(method, *answers, note=""):
    assert len(answers) == len(KINDS)
    return {"method": method, **dict(zip(KINDS, answers, strict=True))}


# fmt: off
# url name                     method  anon   other staff head  parent admin
MATRIX = {
    "login":                  row(GET,  200,   200,  200,  200,  200,  200),
    "logout":                 row(POST, 302,   302,  302,  302,  302,  302),
    "health":                 row(GET,  200,   200,  200,  200,  200,  200),
    # Heads land on their dashboard, everyone else on Tugas saya.
    "home":                   row(GET,  LOGIN, 302,  302,  302,  302,  302),
    "tasks":                  row(GET,  LOGIN, 200,  200,  200,  200,  200),
    # The unit's dashboard: its own people and the heads above it.
    "dashboard":              row(GET,  LOGIN, 404,  200,  200,  200,  200),
    "document":               row(GET,  LOGIN, 404,  200,  200,  200,  200),
    "document_download":      row(GET,  LOGIN, 404,  200,  200,  200,  200),
    "report_download":        row(GET,  LOGIN, 404,  200,  200,  200,  200),
    # The parent unit's comparison of its units (dpmptsp-dki): its head and the admin.
    "comparison":             row(GET,  LOGIN, 404,  404,  404,  200,  200),
    "comparison_download":    row(GET,  LOGIN, 404,  404,  404,  200,  200),
    # Starting a new year (its confirmation form): the unit's own head (not the parent's)
    # and the admin.
    "new_year":               row(GET,  LOGIN, 404,  404,  200,  404,  200),
    # One indicator (a Kasubbag TU indicator with a submitted TW): the officer who enters
    # it and its reviewers; the parent head reads it (from the unit's dashboard) but cannot
    # enter or review.
    "indicator":              row(GET,  LOGIN, 404,  200,  200,  200,  200),
    "history":                row(GET,  LOGIN, 404,  200,  200,  200,  200),
    "entry":                  row(GET,  LOGIN, 404,  200,  200,  200,  200),
    "preview":                row(POST, LOGIN, 404,  200,  200,  200,  200),
    "evidence":               row(GET,  LOGIN, 404,  200,  200,  200,  200),
    # Review: the reviewers of the unit (the parent head's queue holds the Kepala Unit's own
    # indicators: HEAD_OWN_ROUTING below).
    "review":                 row(GET,  LOGIN, 404,  404,  200,  200,  200),
    "approve":                row(POST, LOGIN, 404,  404,  302,  404,  302),
    "send_back":              row(POST, LOGIN, 404,  404,  302,  404,  302),
    "reopen":                 row(POST, LOGIN, 404,  404,  302,  404,  302),
    "approve_section":        row(POST, LOGIN, 404,  404,  302,  404,  302),
    # A background export: only the user who asked for it (here the head) and the admin.
    "export_job":             row(GET,  LOGIN, 404,  404,  200,  404,  200),
    "export_job_file":        row(GET,  LOGIN, 404,  404,  200,  404,  200),
    # SKM surveys: anyone assigned in the survey's unit, and the admin.
    "survey_list":            row(GET,  LOGIN, 200,  200,  200,  200,  200),
    "survey_detail":          row(GET,  LOGIN, 404,  200,  200,  404,  200),
    "survey_excel":           row(GET,  LOGIN, 404,  200,  200,  404,  200),
    "survey_pdf":             row(GET,  LOGIN, 404,  200,  200,  404,  200),
    # Kirim IKM: into the linked indicator (here a Kepala Unit one), by its officer or a
    # reviewer of it.
    "survey_feed":            row(POST, LOGIN, 404,  404,  302,  404,  302),
    "survey_entry":           row(GET,  LOGIN, 404,  200,  200,  404,  200),
    "survey_import":          row(GET,  LOGIN, 404,  200,  200,  404,  200),
    "survey_import_template": row(GET,  LOGIN, 404,  200,  200,  404,  200),
    # Closing a survey (its result frozen) and opening it again: the unit's head, the admin.
    "survey_close":           row(POST, LOGIN, 404,  404,  302,  404,  302),
    "survey_reopen":          row(POST, LOGIN, 404,  404,  302,  404,  302),
    # The published result of a period: public by regulation, for everyone.
    "survey_public_result":   row(GET,  200,   200,  200,  200,  200,  200),
    # Suggestions and their follow-up, and the QR poster of a service: like the survey page.
    "survey_suggestions":     row(GET,  LOGIN, 404,  200,  200,  404,  200),
    "survey_suggestion_respond": row(POST, LOGIN, 404, 302,  302,  404,  302),
    "survey_poster":          row(GET,  LOGIN, 404,  200,  200,  404,  200),
    # Kiosk devices of the unit: its head (or admin) and the superuser.
    "survey_kiosks":          row(GET,  LOGIN, 404,  404,  200,  404,  200),
    "survey_kiosk_register":  row(POST, LOGIN, 404,  404,  302,  404,  302),
    "survey_kiosk_revoke":    row(POST, LOGIN, 404,  404,  302,  404,  302),
    # SOPs: anyone holding a position in the SOP's unit, and the admin.
    "sop:list":               row(GET,  LOGIN, 200,  200,  200,  200,  200),
    "sop:detail":             row(GET,  LOGIN, 404,  200,  200,  404,  200),
    "sop:pdf":                row(GET,  LOGIN, 404,  200,  200,  404,  200),
    "sop:xlsx":               row(GET,  LOGIN, 404,  200,  200,  404,  200),
    "sop:logo":               row(GET,  LOGIN, 404,  200,  200,  404,  200),
    # Writing SOPs: the unit's authors (here `kasubbag`, given sop.change_sop; the head has
    # no such permission) and the admin; a draft's pages, its submission, a new revision of
    # a signed SOP.
    "sop:create":             row(GET,  LOGIN, 404,  200,  404,  404,  200),
    "sop:edit":               row(GET,  LOGIN, 404,  200,  404,  404,  200),
    "sop:lanes":              row(GET,  LOGIN, 404,  200,  404,  404,  200),
    "sop:steps":              row(GET,  LOGIN, 404,  200,  404,  404,  200),
    "sop:steps_preview":      row(POST, LOGIN, 404,  200,  404,  404,  200),
    "sop:submit":             row(POST, LOGIN, 404,  302,  404,  404,  302),
    "sop:revise":             row(POST, LOGIN, 404,  302,  404,  404,  302),
    # Signing a submitted SOP: the holder of its approving position (it names none: the
    # unit's head) and the admin. Returning it to draft: they, and its authors (taking it
    # back).
    "sop:sign":               row(POST, LOGIN, 404,  404,  302,  404,  302),
    "sop:send_back":          row(POST, LOGIN, 404,  302,  302,  404,  302),
    # Permit timeliness and staff service levels (sasaran/perizinan): the unit's own people
    # and the heads above read; its people import its logs; its head or admin sets its permit
    # types, task kinds and cuti bersama. The home page leads a user in one unit there (302),
    # lists the units of a head above. Kirim ke indikator (here the Kepala Unit's own
    # "Persentase Penerbitan Izin Tepat Waktu"): its officer and its reviewer (the parent
    # head); its approved TW 1 refuses the value with a message (302 all the same).
    "permit_home":            row(GET,  LOGIN, 302,  302,  302,  200,  200),
    "permit_unit":            row(GET,  LOGIN, 404,  200,  200,  200,  200),
    "permit_tasks":           row(GET,  LOGIN, 404,  200,  200,  200,  200),
    "permit_import":          row(GET,  LOGIN, 404,  200,  200,  404,  200),
    "permit_settings":        row(GET,  LOGIN, 404,  404,  200,  404,  200),
    "permit_feed":            row(POST, LOGIN, 404,  404,  302,  302,  302),
    # Corrective actions (a Kasubbag TU indicator's missed periods): seen by whoever sees the
    # indicator; opened and worked on by its officer (and owner) and its reviewers; judged
    # effective by a reviewer, never by the owner (here `kasubbag`).
    "siklus:action_list":     row(GET,  LOGIN, 404,  200,  200,  200,  200),
    "siklus:action_new":      row(GET,  LOGIN, 404,  200,  200,  404,  200),
    "siklus:action_detail":   row(GET,  LOGIN, 404,  200,  200,  200,  200),
    "siklus:action_done":     row(POST, LOGIN, 404,  302,  302,  404,  302),
    "siklus:action_verify":   row(POST, LOGIN, 404,  404,  302,  404,  302),
    "siklus:action_evidence": row(GET,  LOGIN, 404,  200,  200,  200,  200),
    # Each user's own reminder preference.
    "siklus:reminders":       row(GET,  LOGIN, 200,  200,  200,  200,  200),
    # The management review of the unit: read like its dashboard; completed (POST) by its
    # head or admin only (tests/siklus/test_management_review.py).
    "siklus:review_list":     row(GET,  LOGIN, 404,  200,  200,  200,  200),
    "siklus:review_detail":   row(GET,  LOGIN, 404,  200,  200,  200,  200),
    "siklus:review_pdf":      row(GET,  LOGIN, 404,  200,  200,  200,  200),
    "siklus:review_xlsx":     row(GET,  LOGIN, 404,  200,  200,  200,  200),
    # The audit pack (mutu/audit.py): the unit's own head or admin and the superuser only.
    "audit_list":             row(GET,  LOGIN, 404,  404,  200,  404,  200),
    "audit_start":            row(POST, LOGIN, 404,  404,  302,  404,  302),
    "audit_pack":             row(GET,  LOGIN, 404,  404,  200,  404,  200),
    "audit_file":             row(GET,  LOGIN, 404,  404,  200,  404,  200),
}
# fmt: on

# Tested in tests/test_survey_public.py and below: open to anyone by design.
PUBLIC = {"public_survey", "public_survey_thanks"}


def url_names(patterns=None, namespace=""):
    """Every named URL of the project, admin/ and i18n/ aside."""
    names = set()
    for entry in get_resolver("mutu.urls").url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            prefix = str(entry.pattern)
            if prefix.startswith(("admin/", "i18n/")):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def test_every_url_is_in_the_matrix():
    names = url_names()
    missing = names - set(MATRIX) - PUBLIC
    assert not missing, f"URLs without a row in the permission matrix: {sorted(missing)}"
    assert not set(MATRIX) - names, "rows for URLs that no longer exist"


@pytest.fixture
def world(demo_examples, settings, tmp_path):
    """The demo data plus the objects every URL needs, in the unit up-pmptsp-jaktim."""
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_JOBS_INLINE = True
    unit = Unit.objects.get(code=UNIT)
    other_unit = Unit.objects.create(code="up-lain", name="UP Lain", kind="up")
    other_position = Position.objects.create(unit=other_unit, name="Petugas", level="staf")
    other = User.objects.create_user("lain", password="sasaranmutu")
    Assignment.objects.create(user=other, position=other_position, role="staff")

    kasubbag = Position.objects.get(unit=unit, level="kasubbag")
    submitted = (
        Realisation.objects.filter(
            indicator__responsible_position=kasubbag, status=Realisation.Status.SUBMITTED
        )
        .select_related("indicator__objective__section")
        .first()
    )
    approved = Realisation.objects.filter(  # (the head's own: see HEAD_OWN_ROUTING)
        indicator__responsible_position=kasubbag, status=Realisation.Status.APPROVED
    ).first()
    evidence = Evidence.objects.create(
        realisation=submitted,
        file=SimpleUploadedFile("rekap.pdf", PDF),
        original_name="rekap.pdf",
        size=len(PDF),
        uploaded_by=User.objects.get(username="kasubbag"),
    )
    job = ExportJob.objects.create(
        unit=Unit.objects.get(code=PARENT_UNIT),
        year=2023,
        quarter=3,
        fmt="xlsx",
        status=ExportJob.Status.DONE,
        file_name="perbandingan.xlsx",
        requested_by=User.objects.get(username="kepala"),
    )
    job.file.save("perbandingan.xlsx", ContentFile(b"PK\x03\x04"))
    survey = Survey.objects.get(unit=unit)
    # The demo survey feeds the head's "Indeks Kepuasan ..." indicators (load_demo links them).
    assert survey.indicator_links.filter(indicator__responsible_position__level="kepala")
    # A respondent's suggestion to follow up, and a kiosk device of the unit to revoke.
    suggestion = Response.objects.filter(survey=survey).order_by("pk").first()
    Response.objects.filter(pk=suggestion.pk).update(
        suggestion="Antrean terlalu lama.", suggestion_status="baru"
    )
    device = KioskDevice.objects.create(
        unit=unit, name="Tablet loket", registered_by=User.objects.get(username="kepala")
    )
    sop = Sop.objects.first()
    Sop.objects.filter(pk=sop.pk).update(unit=unit)  # the demo SOP, moved into this unit
    sop.refresh_from_db()
    sop.logo.save("logo.png", ContentFile(PNG))
    # The unit's SOP author, and an SOP in each state of the workflow.
    User.objects.get(username="kasubbag").user_permissions.add(
        Permission.objects.get(codename="change_sop", content_type__app_label="sop")
    )
    steps = [
        {"number": 1, "activity": "Menerima", "actor": "Loket", "kind": "start"},
        {"number": 2, "activity": "Menyerahkan", "actor": "Loket", "kind": "end"},
    ]
    sop_draft = build_sop(unit, "P/1", ["Loket"], steps, status="draft")
    sop_submitted = build_sop(unit, "P/2", ["Loket"], steps, status="submitted")
    sop_signed = build_sop(unit, "P/3", ["Loket"], steps, status="signed")
    indicator = submitted.indicator
    actions = _corrective_actions(kasubbag)
    permit_link = _permit_link(unit)
    args = {
        "login": [],
        "logout": [],
        "health": [],
        "home": [],
        "tasks": [],
        "dashboard": [UNIT],
        "document": [UNIT, 2023],
        "document_download": [UNIT, 2023, "xlsx"],
        "report_download": [UNIT, "xlsx"],
        "comparison": [PARENT_UNIT],
        "comparison_download": [PARENT_UNIT, "xlsx"],
        "new_year": [UNIT],
        "indicator": [indicator.pk],
        "history": [indicator.pk],
        "entry": [indicator.pk, submitted.period],
        "preview": [indicator.pk, submitted.period],
        "evidence": [evidence.pk],
        "review": [],
        "approve": [submitted.pk],
        "send_back": [submitted.pk],
        "reopen": [approved.pk],
        "approve_section": [indicator.objective.section_id],
        "export_job": [job.pk],
        "export_job_file": [job.pk],
        "survey_list": [],
        "survey_detail": [survey.pk],
        "survey_excel": [survey.pk],
        "survey_pdf": [survey.pk],
        "survey_feed": [survey.pk],
        "survey_entry": [survey.pk],
        "survey_import": [survey.pk],
        "survey_import_template": [survey.pk],
        "survey_close": [survey.pk],
        "survey_reopen": [survey.pk],
        "survey_public_result": [UNIT, survey.year, survey.period_kind, survey.period_number],
        "survey_suggestions": [survey.pk],
        "survey_suggestion_respond": [survey.pk, suggestion.pk],
        "survey_poster": [survey.pk, survey.services.first().pk, "a4"],
        "survey_kiosks": [survey.pk],
        "survey_kiosk_register": [survey.pk],
        "survey_kiosk_revoke": [survey.pk, device.pk],
        "sop:list": [],
        "sop:detail": [sop.pk],
        "sop:pdf": [sop.pk],
        "sop:xlsx": [sop.pk],
        "sop:logo": [sop.pk],
        "sop:create": [],
        "sop:edit": [sop_draft.pk],
        "sop:lanes": [sop_draft.pk],
        "sop:steps": [sop_draft.pk],
        "sop:steps_preview": [sop_draft.pk],
        "sop:submit": [sop_draft.pk],
        "sop:revise": [sop_signed.pk],
        "sop:sign": [sop_submitted.pk],
        "sop:send_back": [sop_submitted.pk],
        "permit_home": [],
        "permit_unit": [UNIT],
        "permit_tasks": [UNIT],
        "permit_import": [UNIT, "izin"],
        "permit_settings": [UNIT],
        "permit_feed": [UNIT],
        "siklus:action_list": [UNIT],
        "siklus:action_new": [actions["missed"].indicator_id, actions["missed"].period],
        "siklus:action_detail": [actions["open"].pk],
        "siklus:action_done": [actions["open"].pk],
        "siklus:action_verify": [actions["done"].pk],
        "siklus:action_evidence": [actions["done"].pk],
        "siklus:reminders": [],
        "siklus:review_list": [UNIT],
        "siklus:review_detail": [actions["review"].pk],
        "siklus:review_pdf": [actions["review"].pk],
        "siklus:review_xlsx": [actions["review"].pk],
        "audit_list": [UNIT],
        "audit_start": [UNIT],
        "audit_pack": [actions["audit"].pk],
        "audit_file": [actions["audit"].pk],
    }
    data = {
        "new_year": {"dari": "2023"},
        "preview": {"value": "90"},
        "send_back": {"reason": "Lampirkan bukti"},
        "reopen": {"reason": "Salah ketik"},
        "survey_suggestion_respond": {"status": "proses", "text": "Loket ditambah."},
        "survey_kiosk_register": {"name": "Tablet loket 2"},
        "sop:send_back": {"reason": "Lengkapi dasar hukum"},
        "permit_feed": {"jenis": "izin", "tautan": permit_link.pk, "periode": "Q1"},
        "siklus:action_done": {"evidence_text": "Notulen rapat"},
        "siklus:action_verify": {"verdict": "effective"},
        "audit_start": {"year": "2023"},
    }
    return {"args": args, "data": data, "users": {**USERS, "other": "lain"}}


def _permit_link(unit):
    """The unit's "Persentase Penerbitan Izin Tepat Waktu" fed by its permit log."""
    from sasaran.perizinan.models import PermitIndicator

    indicator = Indicator.objects.for_year(unit, 2023).get(
        name="Persentase Penerbitan Izin Tepat Waktu"
    )
    link, _created = PermitIndicator.objects.get_or_create(
        indicator=indicator, defaults={"unit": unit}
    )
    return link


def _corrective_actions(position):
    """A missed period of the position's indicators without an action, another with an open
    action owned by `kasubbag`, and a done action with an evidence file."""
    from sasaran.siklus import services as siklus_services
    from sasaran.siklus.models import CorrectiveAction

    missed = [
        r
        for r in Realisation.objects.filter(indicator__responsible_position=position)
        if siklus_services.missed_realisation(r.indicator, r.period)
    ]
    kepala, kasubbag = (User.objects.get(username=n) for n in ("kepala", "kasubbag"))
    common = {
        "cause_analysis": "Sebab",
        "action": "Tindakan",
        "owner": kasubbag,
        "opened_by": kepala,
        "due_date": "2023-12-01",
    }
    opened = CorrectiveAction.objects.create(
        indicator=missed[1].indicator, period=missed[1].period, **common
    )
    other_period = next(p for p in missed[1].indicator.due_periods() if p != missed[1].period)
    done = CorrectiveAction(
        indicator=missed[1].indicator,
        period=other_period,
        status="done",
        evidence_name="notulen.pdf",
        evidence_size=len(PDF),
        **common,
    )
    done.evidence_file.save("notulen.pdf", ContentFile(PDF))
    review = siklus_services.review_create(unit=position.unit, year=2023, period="S1", user=kepala)
    from mutu.models import AuditPack

    audit = AuditPack.objects.create(
        unit=position.unit, year=2023, requested_by=kepala, status="done", file_name="a.zip"
    )
    audit.file.save("a.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    return {"missed": missed[0], "open": opened, "done": done, "review": review, "audit": audit}


def client_for(world, kind):
    """A new client for one kind of user of the matrix (`anon`: nobody logged in)."""
    if kind == "anon":
        return Client()
    return logged_in(Client(), world["users"][kind])


def answer(response):
    if response.status_code == 302 and response["Location"].startswith("/masuk/?next="):
        return LOGIN
    return response.status_code


def test_permission_matrix(world):
    """Every cell of the matrix, each in its own rolled-back transaction; all mismatches
    are reported together."""
    wrong = []
    for name, expected in MATRIX.items():
        url = reverse(name, args=world["args"][name])
        for kind in KINDS:
            with transaction.atomic():
                client = client_for(world, kind)
                if expected["method"] == GET:
                    response = client.get(url, world["data"].get(name, {}))
                else:
                    response = client.post(url, world["data"].get(name, {}))
                got = answer(response)
                transaction.set_rollback(True)
            if got != expected[kind]:
                wrong.append(f"{name:24} {kind:7} expected {expected[kind]}, got {got}")
    assert not wrong, "permission matrix mismatches:\n" + "\n".join(wrong)


# --------------------------------------------------------------------------- the head's own

# Nobody approves their own figures. The indicators of the Kepala Unit position (entered by
# `kepala` himself) are reviewed by the holders of the unit's verifier position or, while the
# unit names none, by the head of the parent unit (`kadis`); never by `kepala`. One more
# kind of user: `verifier`, an officer of the unit who holds the position the unit may name.
# The rows: a head's own indicator with a submitted TW (entry page, approve, return, its
# section), the same indicator's approved TW (reopen), and the review queue.
ROUTING_KINDS = ("anon", "other", "staff", "head", "parent", "verifier", "admin")


def routing_row(method, *answers):
    assert len(answers) == len(ROUTING_KINDS)
    return {"method": method, **dict(zip(ROUTING_KINDS, answers, strict=True))}


# fmt: off
HEAD_OWN_ROUTING = {
    # The unit names no verifier position: the head of the parent unit reviews.
    False: {
        # url name          method  anon   other staff head  parent verifier admin
        "entry":        routing_row(GET,  LOGIN, 404,  404,  200,  200,   404,     200),
        "review":       routing_row(GET,  LOGIN, 404,  404,  200,  200,   404,     200),
        "approve":      routing_row(POST, LOGIN, 404,  404,  404,  302,   404,     302),
        "send_back":    routing_row(POST, LOGIN, 404,  404,  404,  302,   404,     302),
        "reopen":       routing_row(POST, LOGIN, 404,  404,  404,  302,   404,     302),
        "approve_section": routing_row(POST, LOGIN, 404, 404, 404, 302,   404,     302),
    },
    # It names one: its holders review, and the parent head only reads.
    True: {
        "entry":        routing_row(GET,  LOGIN, 404,  404,  200,  200,   200,     200),
        "review":       routing_row(GET,  LOGIN, 404,  404,  200,  200,   200,     200),
        "approve":      routing_row(POST, LOGIN, 404,  404,  404,  404,   302,     302),
        "send_back":    routing_row(POST, LOGIN, 404,  404,  404,  404,   302,     302),
        "reopen":       routing_row(POST, LOGIN, 404,  404,  404,  404,   302,     302),
        "approve_section": routing_row(POST, LOGIN, 404, 404, 404, 404,   302,     302),
    },
}
# fmt: on
# What a review action that went through leaves: (the row it acts on, its status after).
ROUTING_EFFECT = {
    "approve": ("submitted", "approved"),
    "send_back": ("submitted", "returned"),
    "reopen": ("approved", "returned"),
    "approve_section": ("submitted", "approved"),
}


def head_own_rows():
    """The demo's Kepala Unit indicator rows the routing acts on, entered by `kepala`."""
    rows = Realisation.objects.filter(
        indicator__objective__section__manual__unit__code=UNIT,
        indicator__responsible_position__level=Position.Level.HEAD,
    )
    found = {
        "submitted": rows.filter(status=Realisation.Status.SUBMITTED).first(),
        "approved": rows.filter(status=Realisation.Status.APPROVED).first(),
    }
    assert all(row.entered_by.username == "kepala" for row in found.values())
    return found


@pytest.fixture
def routing(world):
    """The matrix's world, a verifier position in the unit (not named yet) held by `wmm`,
    and the head's own rows."""
    unit = Unit.objects.get(code=UNIT)
    position = Position.objects.create(unit=unit, name="Wakil Manajemen Mutu", level="staf")
    verifier = User.objects.create_user("wmm", password="sasaranmutu")
    Assignment.objects.create(user=verifier, position=position, role="staff")
    rows = head_own_rows()
    submitted = rows["submitted"]
    args = {
        "entry": [submitted.indicator_id, submitted.period],
        "review": [],
        "approve": [submitted.pk],
        "send_back": [submitted.pk],
        "reopen": [rows["approved"].pk],
        "approve_section": [submitted.indicator.objective.section_id],
    }
    users = {**world["users"], "verifier": "wmm"}
    return {"unit": unit, "position": position, "rows": rows, "args": args, "users": users}


@pytest.mark.parametrize("named", [False, True], ids=["parent-head", "verifier"])
def test_the_heads_own_indicators_are_reviewed_above_him(world, routing, named):
    """Every cell of HEAD_OWN_ROUTING, each in its own rolled-back transaction: the answer,
    and whether the realisation changed (a 302 that changed nothing would pass unnoticed)."""
    if named:
        Unit.objects.filter(pk=routing["unit"].pk).update(verifier_position=routing["position"])
    wrong = []
    for name, expected in HEAD_OWN_ROUTING[named].items():
        url = reverse(name, args=routing["args"][name])
        for kind in ROUTING_KINDS:
            with transaction.atomic():
                client = Client()
                if kind != "anon":
                    logged_in(client, routing["users"][kind])
                if expected["method"] == GET:
                    response = client.get(url, world["data"].get(name, {}))
                else:
                    response = client.post(url, world["data"].get(name, {}))
                got = answer(response)
                changed = None
                if name in ROUTING_EFFECT:
                    which, after = ROUTING_EFFECT[name]
                    row = routing["rows"][which]
                    status = Realisation.objects.get(pk=row.pk).status
                    changed = status == after
                    assert changed or status == row.status, (name, kind, status)
                transaction.set_rollback(True)
            if got != expected[kind]:
                wrong.append(f"{name:16} {kind:8} expected {expected[kind]}, got {got}")
            elif changed is not None and changed != (got == 302):
                wrong.append(f"{name:16} {kind:8} answered {got} but changed: {changed}")
    assert not wrong, "review routing mismatches:\n" + "\n".join(wrong)


def _queue(client):
    """The review queue's rows as (indicator name, period)."""
    response = client.get(reverse("review"))
    assert response.status_code == 200
    return {
        (item["indicator"].name, item["row"].period)
        for items in response.context["sections"].values()
        for item in items
    }


def _waiting(rows):
    return {(r.indicator.name, r.period) for r in rows.filter(status="submitted")}


def test_each_review_queue_lists_the_rows_that_are_its_to_review(demo_examples, login_as):
    in_unit = Realisation.objects.filter(indicator__objective__section__manual__unit__code=UNIT)
    head_own = in_unit.filter(indicator__responsible_position__level=Position.Level.HEAD)
    assert len(_waiting(head_own)) == 3 and len(_waiting(in_unit)) == 10
    # The Kepala Unit: the unit's submitted rows but his own; the parent head: his own.
    assert _queue(login_as("kepala")) == _waiting(in_unit) - _waiting(head_own)
    assert _queue(login_as("kadis")) == _waiting(head_own)
    # The superuser: every unit's (the demo's example office has one waiting too).
    everywhere = _waiting(Realisation.objects.all())
    assert _queue(login_as("admin")) == everywhere and everywhere - _waiting(in_unit)
    # The page names the unit, for a parent head with several units below.
    assert "UP PMPTSP Kota Jakarta Timur · 2023" in login_as("kadis").get(reverse("review")).text
    # Once the unit names a verifier position, its holder reviews them and the parent head
    # no longer does (his queue is empty; the menu still offers it: he heads a unit).
    unit = Unit.objects.get(code=UNIT)
    position = Position.objects.create(unit=unit, name="Wakil Manajemen Mutu", level="staf")
    wmm = User.objects.create_user("wmm")
    Assignment.objects.create(user=wmm, position=position, role="staff")
    verifier = logged_in(Client(), "wmm")
    assert verifier.get(reverse("review")).status_code == 404  # not named yet
    assert "Antrean tinjauan" not in verifier.get(reverse("tasks")).text
    unit.verifier_position = position
    unit.save(update_fields=["verifier_position"])
    assert _queue(verifier) == _waiting(head_own)
    assert "Antrean tinjauan" in verifier.get(reverse("tasks")).text
    assert _queue(login_as("kadis")) == set()
    assert (
        "Tidak ada realisasi yang menunggu tinjauan."
        in login_as("kadis").get(reverse("review")).text
    )


def test_the_entry_page_offers_the_review_only_to_the_heads_reviewer(demo_examples, login_as):
    row = head_own_rows()["submitted"]
    url = reverse("entry", args=[row.indicator_id, row.period])
    approve = reverse("approve", args=[row.pk])
    own = login_as("kepala").get(url).text
    assert approve not in own and reverse("send_back", args=[row.pk]) not in own
    assert "Menunggu persetujuan Kepala Dinas PMPTSP Provinsi DKI Jakarta." in own
    assert approve in login_as("kadis").get(url).text
    approved = head_own_rows()["approved"]
    html = login_as("kepala").get(reverse("entry", args=[approved.indicator_id, approved.period]))
    assert reverse("reopen", args=[approved.pk]) not in html.text
    # The demo's examples follow the rule too: nobody reviewed a figure they entered.
    reviewed = Realisation.objects.filter(reviewed_by__isnull=False)
    assert reviewed.exists() and not reviewed.filter(reviewed_by=F("entered_by")).exists()
    assert {r.reviewed_by.username for r in reviewed.filter(pk__in=head_own_ids())} == {"kadis"}


def head_own_ids():
    return Realisation.objects.filter(
        indicator__responsible_position__level=Position.Level.HEAD
    ).values("pk")


@pytest.fixture
def acting_caraka(demo, login_as):
    """`kasubbag` reviews the Staf Pelaksana level (the unit says so) and also holds the
    Caraka position (acting for the caraka): he enters Q1 of a Caraka indicator himself,
    the caraka enters Q2."""
    unit = Unit.objects.get(code=UNIT)
    unit.staff_reviewer_is_kasubbag = True
    unit.save(update_fields=["staff_reviewer_is_kasubbag"])
    caraka = Position.objects.get(unit=unit, name="Caraka")
    Assignment.objects.create(
        user=User.objects.get(username="kasubbag"), position=caraka, role="staff"
    )
    indicator = Indicator.objects.get(name="Mengantar surat kepada pihak terkait tepat waktu")
    for username, period in (("kasubbag", "Q1"), ("caraka", "Q2")):
        response = login_as(username).post(
            reverse("entry", args=[indicator.pk, period]), {"value": "1", "submit": "1"}
        )
        assert response.status_code == 302
    own = Realisation.objects.get(indicator=indicator, period="Q1")
    other = Realisation.objects.get(indicator=indicator, period="Q2")
    assert (own.status, own.entered_by.username) == ("submitted", "kasubbag")
    return own, other


def test_a_reviewer_never_approves_what_he_entered_himself(acting_caraka, login_as):
    own, other = acting_caraka
    reviewer = login_as("kasubbag")
    assert _queue(reviewer) == {(other.indicator.name, "Q2")}
    for name, data in (("approve", {}), ("send_back", {"reason": "x"})):
        assert reviewer.post(reverse(name, args=[own.pk]), data).status_code == 404
    page = reviewer.get(reverse("entry", args=[own.indicator_id, "Q1"])).text
    assert reverse("approve", args=[own.pk]) not in page
    page = reviewer.get(reverse("entry", args=[other.indicator_id, "Q2"])).text
    assert reverse("approve", args=[other.pk]) in page
    # Approving the whole section skips his own row.
    response = reviewer.post(reverse("approve_section", args=[own.indicator.objective.section_id]))
    assert response.status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == ("submitted", "approved")
    # Another section approval finds nothing of his to approve.
    response = reviewer.post(reverse("approve_section", args=[own.indicator.objective.section_id]))
    assert response.status_code == 404
    # Someone else approves it (here the superuser).
    assert login_as("admin").post(reverse("approve", args=[own.pk])).status_code == 302
    own.refresh_from_db()
    assert (own.status, own.reviewed_by.username) == ("approved", "admin")


def test_the_services_refuse_a_review_of_ones_own_figure_even_to_a_superuser(demo):
    admin = User.objects.get(username="admin")
    indicator = Indicator.objects.get(name="Persentase updating data kepegawaian")
    row = services.realisation_save(
        indicator=indicator,
        period="Q1",
        user=admin,
        data={"value": 100},
        version=None,
        submit=True,
    )
    with pytest.raises(ValidationError) as refused:
        services.realisation_approve(realisation=row, user=admin)
    assert refused.value.messages == ["Realisasi yang Anda isi sendiri tidak dapat Anda setujui."]
    with pytest.raises(ValidationError):
        services.realisation_return(realisation=row, user=admin, reason="x")
    rows = Realisation.objects.filter(pk=row.pk)
    assert services.realisation_bulk_approve(realisations=rows, user=admin) == 0
    row.refresh_from_db()
    assert (row.status, row.reviewed_by) == ("submitted", None)
    services.realisation_approve(realisation=row, user=User.objects.get(username="kepala"))
    with pytest.raises(ValidationError):
        services.realisation_reopen(realisation=row, user=admin, reason="x")
    assert Realisation.objects.get(pk=row.pk).status == "approved"


def test_state_changing_views_refuse_get(world):
    """POST-only views answer 405 to a GET, even for the admin; nothing changes."""
    client = client_for(world, "admin")
    before = list(Realisation.objects.values_list("pk", "status", "version"))
    for name, expected in MATRIX.items():
        if expected["method"] == POST and name != "logout":
            url = reverse(name, args=world["args"][name])
            assert client.get(url).status_code == 405, name
    # Django's LogoutView is POST-only too: a link cannot log anyone out.
    assert client.get(reverse("logout")).status_code == 405
    assert list(Realisation.objects.values_list("pk", "status", "version")) == before


def test_anonymous_reaches_the_public_survey_and_nothing_else(world, client):
    survey = Survey.objects.get(unit__code=UNIT)
    service = survey.services.first()
    assert client.get(reverse("public_survey", args=[service.public_token])).status_code in (
        200,
        # a closed survey shows its closed page, still 200
    )
    thanks = client.get(reverse("public_survey_thanks", args=[service.public_token]))
    assert thanks.status_code == 200
    # A guessed token, or another object's primary key in its place, finds nothing.
    for token in ("000000000000", str(survey.pk), "../admin"):
        assert client.get(f"/survei/{token}/").status_code == 404
    # Every other page of the matrix sends an anonymous visitor to the login page.
    open_to_all = {"login", "logout", "health", "survey_public_result"}
    for name, expected in MATRIX.items():
        if name not in open_to_all:
            assert expected["anon"] == LOGIN, name
    # The admin site is behind its own login.
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Indicator.objects.exists()  # (the demo data is there, and none of it was shown)


def test_every_state_changing_view_enforces_csrf(world):
    """A POST without the CSRF token is refused (403) on every POST view, even for the
    admin, and changes nothing."""
    client = logged_in(Client(enforce_csrf_checks=True), "admin")
    before = list(Realisation.objects.values_list("pk", "status", "version", "value"))
    posts = [name for name, row in MATRIX.items() if row["method"] == POST]
    assert {"approve", "send_back", "reopen", "survey_feed", "logout"} <= set(posts)
    for name in posts:
        url = reverse(name, args=world["args"][name])
        assert client.post(url, world["data"].get(name, {})).status_code == 403, name
    for name in ("entry", "new_year", "survey_entry", "survey_import"):  # served by GET, posted
        url = reverse(name, args=world["args"][name])
        assert client.post(url, {"value": "1", "save": "1"}).status_code == 403, name
    assert list(Realisation.objects.values_list("pk", "status", "version", "value")) == before
