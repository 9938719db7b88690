"""The hostile-input sweep: every form of the app, filled with hostile and extreme values,
never ends in a server error and never stores a NUL character.

The forms are found the way a user finds them: each page of `PAGES` is opened as the persona
who works there and every form on it is read from the HTML (its fields, their values, its
action). Each field in turn then gets every value of `HOSTILE` while the others keep what
the page gave them, and the form is sent. A page that grows a field or a form is swept
without anyone remembering; a new URL must be named in `COVERAGE` (the test fails until it
is), saying which page reaches it or why it takes no input.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from sasaran import periods
from sasaran.models import Indicator, Realisation, User
from sasaran.skm import services as survey_services
from sasaran.skm.models import KioskDevice, Response, Survey, SurveyService
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
    theirs = Realisation.objects.exclude(entered_by__username="kepala")
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
    return {
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


def _no_nul_stored():
    """No text column of our apps holds a NUL character (PostgreSQL refuses one outright;
    SQLite would keep it and print it into documents)."""
    for app in ("sasaran", "skm", "sop"):
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
    if resolve(urlsplit(action).path).url_name == "entry":  # the live preview, same fields
        preview = reverse("preview", kwargs=resolve(urlsplit(action).path).kwargs)
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
