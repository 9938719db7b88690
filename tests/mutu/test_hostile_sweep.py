"""The hostile-input sweep: every form of the app, filled with hostile and extreme values,
never ends in a server error and never stores a NUL character.

The forms are found the way a user finds them: each page of `PAGES` is opened as the persona
who works there and every form on it is read from the HTML (its fields, their values, its
action). Each field in turn then gets every value of `HOSTILE` while the others keep what
the page gave them, and the form is sent. A page that grows a field or a form is swept
without anyone remembering; a new URL must be named in `COVERAGE` (the test fails until it
is), saying which page reaches it or why it takes no input.
"""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from sasaran import periods
from sasaran.models import Indicator, Realisation, Unit, User
from sasaran.skm import services as survey_services
from sasaran.skm.models import KioskDevice, Response, Survey, SurveyService
from sop import services as sop_services
from sop.models import Sop
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    "   ",
    "a\x00b",
    "\x01\x02\x1b\x7f",
    "\t\r\n",
    "x" * 10_000,
    "١٢٣٫٤",  # Arabic-Indic digits
    "1e309",
    "NaN",
    "-Infinity",
    "-1",
    "9" * 400,
    "0,0000000001",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://contoh.invalid")',
    "' OR 1=1 --",
    "\u202e\ufeff\u200b",
    "../../../etc/passwd",
    "😀" * 50,
]

# url name -> how the sweep reaches it (a page in PAGES, or a form on one) or why it takes
# no input that a user types.
COVERAGE = {
    "login": "page",
    "logout": "form on every page; ends the session, no input",
    "set_language": "form on every page",
    "health": "no input",
    "home": "redirect only",
    "tasks": "page",
    "dashboard": "page",
    "comparison": "page",
    "new_year": "page",
    "report_download": "period picker parameters (swept on the dashboard)",
    "comparison_download": "period picker parameters (swept on the comparison)",
    "document": "no input",
    "document_download": "no input",
    "indicator": "no input",
    "history": "no input",
    "entry": "page",
    "preview": "the entry form's live preview, swept with the same fields",
    "review": "page",
    "approve_section": "form on the review queue",
    "approve": "form on the entry page of a submitted realisation",
    # (and sop:send_back: the form with its reason on the page of a submitted SOP)
    "send_back": "form on the entry page of a submitted realisation",
    "reopen": "form on the entry page of an approved realisation",
    "evidence": "download only",
    "export_job": "no input",
    "export_job_file": "download only",
    "survey_list": "no input",
    "survey_detail": "page",
    "survey_feed": "form on the survey page",
    "survey_entry": "page",
    "survey_import": "page",
    "survey_import_template": "download only",
    "survey_excel": "download only",
    "survey_pdf": "download only",
    "survey_suggestions": "page",
    "survey_suggestion_respond": "form on the suggestions page",
    "survey_poster": "download only (its size is a path segment: a4 or a5, else 404)",
    "survey_kiosks": "page",
    "survey_kiosk_register": "form on the survey page and the kiosk page",
    "survey_kiosk_revoke": "form on the kiosk page",
    "survey_close": "form on the survey page; no input but its CSRF token",
    "survey_reopen": "form on the page of a closed survey; no input but its CSRF token",
    "survey_public_result": "no input (path segments only: an unknown one is 404)",
    "public_survey": "page",
    "public_survey_thanks": "no input",
    "list": "no input (SOP list)",
    "detail": "no input (SOP page)",
    "pdf": "download only (SOP)",
    "xlsx": "download only (SOP)",
    "create": "page (a new SOP's identity)",
    "logo": "download only (the SOP's unit logo)",
    "edit": "page (a draft's identity, with the logo upload)",
    "lanes": "page (a draft's lanes)",
    "steps": "page (a draft's step table)",
    "steps_preview": "the step table's live preview, swept with the same fields",
    "submit": "form on the page of a draft; no input but its CSRF token",
    "sign": "form on the page of a submitted SOP; no input but its CSRF token",
    "revise": "form on the page of a signed SOP; no input but its CSRF token",
    "action_list": "no input (a unit's corrective actions)",
    "action_new": "page",
    "action_detail": "page (its edit and done forms; the verify form on a done action)",
    "action_done": "form on the corrective action's page",
    "action_verify": "form on the page of a done corrective action",
    "action_evidence": "download only",
    "reminders": "page",
    "review_list": "page",
    "review_detail": "page",
    "review_pdf": "download only",
    "review_xlsx": "download only",
    "audit_list": "page",
    "audit_start": "form on the audit page",
    "audit_pack": "no input (the pack's progress)",
    "audit_file": "download only",
    "permit_home": "no input (leads to the unit's permit page)",
    "permit_unit": "page (the period picker and Kirim ke indikator)",
    "permit_tasks": "page",
    "permit_feed": "form on the permit and staff service pages",
    "permit_import": "page (the upload; the mapping and preview forms follow an upload)",
    "permit_settings": "page",
}

# Forms the sweep leaves alone: sending them ends the test's session.
NOT_SWEPT = {"logout"}
# A grid of rows (a formset) is swept in its first row, and numbered fields of one kind
# (the unsur answers u_1 ... u_9) in their first: the others are the same fields.
LATER_ROW = re.compile(r"-[1-9][0-9]*-")


def _url_names(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue  # Django's admin, swept by Django's own tests
            yield from _url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name


def test_every_url_is_covered_by_the_sweep():
    names = set(_url_names(get_resolver().url_patterns))
    assert names - set(COVERAGE) == set(), "add the new URL to COVERAGE (and maybe PAGES)"


class _Forms(HTMLParser):
    """The forms of a page: [{"method", "action", "fields": {name: value}, "files": set()}]."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._textarea, self._select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "option" and self._form is not None and self._select:
            # A select sends its selected option, else its first.
            fields = self._form["fields"]
            if "selected" in a or fields.get(self._select) == "":
                fields[self._select] = a.get("value", "")
            return
        if tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action") or "",
                "fields": {},
                "files": set(),
            }
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self._form["files"].add(a["name"])
            elif kind in ("checkbox", "radio"):
                if "checked" in a or a["name"] not in self._form["fields"]:
                    self._form["fields"][a["name"]] = a.get("value", "on")
            elif kind not in ("submit", "button", "image", "reset"):
                self._form["fields"][a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form["fields"][a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
            self._form["fields"].setdefault(a["name"], "")
        elif tag == "button" and a.get("name"):
            self._form["fields"].setdefault(a["name"], a.get("value", ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_of(html):
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _pages():
    """(persona, url) of every page the sweep opens; None as persona: not logged in."""
    up = "up-pmptsp-jaktim"
    survey = Survey.objects.order_by("pk").first()
    # The questionnaire of a survey open today: the demo's TW 1 2023 takes no answer now.
    today = periods.today()
    current = survey_services.survey_create(
        unit=survey.unit, year=today.year, period_kind="year", services=["Perizinan"]
    )
    open_service = SurveyService.objects.get(survey=current)
    cro_indicator = (
        Indicator.objects.filter(responsible_position__assignments__user__username="cro")
        .order_by("pk")
        .first()
    )
    # Rows `kepala` reviews, so that their pages carry the review forms (not his own).
    theirs = Realisation.objects.filter(
        indicator__objective__section__manual__unit__code=up
    ).exclude(entered_by__username="kepala")
    submitted = theirs.filter(status=Realisation.Status.SUBMITTED).first()
    approved = theirs.filter(status=Realisation.Status.APPROVED).first()
    # A suggestion to follow up and a kiosk device to revoke, so that their forms show.
    suggestion = Response.objects.filter(survey=survey).order_by("pk").first()
    Response.objects.filter(pk=suggestion.pk).update(
        suggestion="Antrean terlalu lama.", suggestion_status="baru"
    )
    KioskDevice.objects.get_or_create(
        unit=survey.unit,
        name="Tablet loket",
        defaults={"registered_by": User.objects.get(username="kepala")},
    )
    sop_pages = _sop_pages()
    return {
        **sop_pages,
        **_siklus_pages(),
        **_permit_pages(),
        "login": (None, reverse("login")),
        "public_survey": (None, reverse("public_survey", args=[open_service.public_token])),
        "tasks": ("cro", reverse("tasks")),
        "entry": ("cro", reverse("entry", args=[cro_indicator.pk, "Y"])),
        "entry_submitted": (
            "kepala",
            reverse("entry", args=[submitted.indicator_id, submitted.period]),
        ),
        "entry_approved": (
            "kepala",
            reverse("entry", args=[approved.indicator_id, approved.period]),
        ),
        "review": ("kepala", reverse("review")),
        "dashboard": ("kepala", reverse("dashboard", args=[up])),
        "new_year": ("kepala", reverse("new_year", args=[up]) + "?dari=2023"),
        "comparison": ("kadis", reverse("comparison", args=["dpmptsp-dki"])),
        "survey_detail": ("kepala", reverse("survey_detail", args=[survey.pk])),
        "survey_entry": ("kepala", reverse("survey_entry", args=[survey.pk])),
        "survey_import": ("kepala", reverse("survey_import", args=[survey.pk])),
        "survey_suggestions": ("kepala", reverse("survey_suggestions", args=[survey.pk])),
        "survey_kiosks": ("kepala", reverse("survey_kiosks", args=[survey.pk])),
        "targets_import": ("admin", reverse("admin:sasaran_qualitymanual_import")),
    }


def _permit_pages():
    """The permit pages of the demo unit with a permit type, a task kind and both links,
    so that their settings rows and Kirim ke indikator forms show."""
    from sasaran.perizinan.models import PermitIndicator, PermitType, TaskIndicator, TaskKind

    unit = Unit.objects.get(code="up-pmptsp-jaktim")
    PermitType.objects.get_or_create(
        unit=unit, code="IUMK", defaults={"name": "Izin Usaha Mikro", "standard_days": 1}
    )
    kind, _created = TaskKind.objects.get_or_create(
        unit=unit, code="antar-surat", defaults={"name": "Pengantaran surat", "limit_days": 1}
    )
    indicators = Indicator.objects.for_year(unit, 2023)
    PermitIndicator.objects.get_or_create(
        indicator=indicators.get(name="Persentase Penerbitan Izin Tepat Waktu"),
        defaults={"unit": unit},
    )
    link, _created = TaskIndicator.objects.get_or_create(
        indicator=indicators.get(name="Mengantar surat kepada pihak terkait tepat waktu"),
        defaults={"unit": unit},
    )
    link.task_kinds.add(kind)
    args = ["up-pmptsp-jaktim"]
    return {
        "permit_unit": ("kepala", reverse("permit_unit", args=args) + "?tahun=2023&periode=Q1"),
        "permit_tasks": ("caraka", reverse("permit_tasks", args=args) + "?tahun=2023&periode=Q2"),
        "permit_import": ("analis", reverse("permit_import", args=[*args, "izin"])),
        "permit_settings": ("kepala", reverse("permit_settings", args=args)),
    }


def _siklus_pages():
    """A missed period to open a corrective action on, an open action (as its owner) and a
    done one (as the head who verifies it)."""
    from sasaran.siklus import services as siklus_services

    scale = None
    missed = [
        r
        for r in Realisation.objects.filter(
            indicator__objective__section__manual__unit__code="up-pmptsp-jaktim",
        )
        .exclude(indicator__responsible_position__level="kepala")  # reviewed by kepala
        .select_related("indicator")
        if siklus_services.missed_realisation(r.indicator, r.period, scale)
    ]
    kepala, kasubbag = (User.objects.get(username=n) for n in ("kepala", "kasubbag"))

    def opened(row):
        return siklus_services.action_open(
            indicator=row.indicator,
            period=row.period,
            user=kepala,
            cause_analysis="Sebab",
            action="Tindakan",
            owner=kasubbag,
            due_date=datetime.date(2023, 12, 1),
        )

    open_action, done_action = opened(missed[1]), opened(missed[2])
    siklus_services.action_done(action=done_action, user=kasubbag, evidence_text="Notulen")
    review = siklus_services.review_create(
        unit=open_action.indicator.objective.section.manual.unit,
        year=2023,
        period="S1",
        user=kepala,
    )
    return {
        "action_new": (
            "kepala",
            reverse("siklus:action_new", args=[missed[0].indicator_id, missed[0].period]),
        ),
        "action_detail": ("kasubbag", reverse("siklus:action_detail", args=[open_action.pk])),
        "action_verify": ("kepala", reverse("siklus:action_detail", args=[done_action.pk])),
        "reminders": ("kasubbag", reverse("siklus:reminders")),
        "review_list": ("kepala", reverse("siklus:review_list", args=["up-pmptsp-jaktim"])),
        "review_detail": ("kepala", reverse("siklus:review_detail", args=[review.pk])),
        "audit_list": ("kepala", reverse("audit_list", args=["up-pmptsp-jaktim"])),
    }


def _sop_pages():
    """The SOP pages where something is typed, as their author (`datin`, given the
    sop.change_sop permission) and, for a submitted SOP, its signer (here the superuser: the
    demo's SOP unit has no head)."""
    seed = Sop.objects.get()
    datin = User.objects.get(username="datin")
    datin.user_permissions.add(
        Permission.objects.get(codename="change_sop", content_type__app_label="sop")
    )
    datin = User.objects.get(pk=datin.pk)
    draft = sop_services.sop_revise(sop=seed, user=datin)
    submitted = sop_services.sop_create(
        unit=seed.unit,
        user=datin,
        values={"number": "SAPU/1", "name": "Sapuan", "created_on": datetime.date(2024, 1, 2)},
    )
    sop_services.sop_save_lanes(sop=submitted, user=datin, lanes=[{"id": None, "name": "Loket"}])
    lane = submitted.actors.get()
    sop_services.sop_save_steps(
        sop=submitted,
        user=datin,
        rows=[
            {"id": None, "kind": "start", "activity": "Menerima", "actor": lane},
            {"id": None, "kind": "end", "activity": "Menyerahkan", "actor": lane},
        ],
    )
    sop_services.sop_submit(sop=submitted, user=datin)
    return {
        "sop_create": ("datin", reverse("sop:create")),
        "sop_edit": ("datin", reverse("sop:edit", args=[draft.pk])),
        "sop_lanes": ("datin", reverse("sop:lanes", args=[draft.pk])),
        "sop_steps": ("datin", reverse("sop:steps", args=[draft.pk])),
        "sop_submitted": ("admin", reverse("sop:detail", args=[submitted.pk])),
    }


def _no_nul_stored():
    """No text column of our apps holds a NUL character (PostgreSQL refuses one outright;
    SQLite would keep it and print it into documents)."""
    for app in ("sasaran", "skm", "sop", "siklus", "perizinan"):
        for model in apps.get_app_config(app).get_models():
            fields = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField)
            ]
            for row in model._default_manager.values_list(*fields):
                assert not any(isinstance(v, str) and "\x00" in v for v in row), model.__name__


def _send(client, form, page_url, data, files):
    action = form["action"] or page_url
    if urlsplit(action).netloc:
        return None  # leaves the site: not ours to send
    if resolve(urlsplit(action).path).url_name in NOT_SWEPT:
        return None
    if form["method"] == "get":
        return client.get(action, data)
    payload = dict(data)
    for name, content in files.items():
        payload[name] = content
    response = client.post(action, payload)
    # The live previews, with the same fields.
    target = resolve(urlsplit(action).path)
    if target.url_name == "entry":
        preview = reverse("preview", kwargs=target.kwargs)
        assert client.post(preview, data).status_code < 500
    if target.view_name == "sop:steps":
        preview = reverse("sop:steps_preview", kwargs=target.kwargs)
        assert client.post(preview, data).status_code < 500
    return response


PAGES = [
    "login",
    "public_survey",
    "tasks",
    "entry",
    "entry_submitted",
    "entry_approved",
    "review",
    "dashboard",
    "new_year",
    "comparison",
    "survey_detail",
    "survey_entry",
    "survey_import",
    "survey_suggestions",
    "survey_kiosks",
    "targets_import",
    "sop_create",
    "sop_edit",
    "sop_lanes",
    "sop_steps",
    "sop_submitted",
    "action_new",
    "action_detail",
    "action_verify",
    "reminders",
    "review_list",
    "review_detail",
    "audit_list",
    "permit_unit",
    "permit_tasks",
    "permit_import",
    "permit_settings",
]


@pytest.mark.parametrize("page", PAGES)
def test_hostile_values_in_every_field_of_every_form_give_no_server_error(
    demo_examples, client, page, record_property
):
    persona, url = _pages()[page]
    if persona:
        logged_in(client, persona)
    response = client.get(url)
    assert response.status_code == 200, url
    forms = [f for f in forms_of(response.content.decode()) if f["fields"] or f["files"]]
    assert forms, f"no form found on {url}"
    sent = 0
    for form in forms:
        baseline = dict(form["fields"])
        families = set()
        for name in [*form["fields"], *form["files"]]:
            family = re.sub(r"[0-9]+\Z", "#", name)  # u_1 ... u_9: the same kind of field
            if name == "csrfmiddlewaretoken" or LATER_ROW.search(name) or family in families:
                continue
            families.add(family)
            for value in HOSTILE:
                data, files = dict(baseline), {}
                if name in form["files"]:
                    files[name] = SimpleUploadedFile("isian.xlsx", value.encode("utf-8"))
                else:
                    data[name] = value
                answer = _send(client, form, url, data, files)
                if answer is None:
                    continue
                sent += 1
                assert answer.status_code < 500, (url, form["action"], name, value[:40])
    assert sent > 0
    record_property("forms", len(forms))
    record_property("requests", sent)  # counted in bench/README.md
    _no_nul_stored()
