"""Security headers (issue 14, item 9): every page carries the Content-Security-Policy, and
what a signed-in officer sees or downloads, or any page with a form token, is `no-store`.

The policy allows styles only from the app's stylesheets (style-src 'self'), so the pages
hold no <style> element and no style attribute; only the admin keeps 'unsafe-inline' for its
own templates' styles (mutu.middleware.AdminInlineStylesMiddleware)."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from sasaran.models import ExportJob, Indicator, Realisation, Unit
from sasaran.skm.models import Survey, SurveyService
from sop.models import Sop

UNIT = "up-pmptsp-jaktim"

DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]


def directives(response):
    policy = response.headers.get("Content-Security-Policy", "")
    return {part.strip() for part in policy.split(";")}


def assert_csp(response):
    found = directives(response)
    for directive in DIRECTIVES:
        assert directive in found, (directive, found)
    assert not any("unsafe-eval" in d or "unsafe-inline" in d for d in found), found


def assert_no_store(response):
    assert "no-store" in response.headers.get("Cache-Control", ""), response.headers


def officer_urls():
    indicator = Indicator.objects.get(name="Persentase updating data kepegawaian")
    survey = Survey.objects.get(unit__code=UNIT)
    sop = Sop.objects.first()
    Sop.objects.filter(pk=sop.pk).update(unit=Unit.objects.get(code=UNIT))  # the demo SOP, here
    return {
        "tasks": reverse("tasks"),
        "dashboard": reverse("dashboard", args=[UNIT]),
        "entry": reverse("entry", args=[indicator.pk, "Q1"]),
        "review": reverse("review"),
        "survey list": reverse("survey_list"),
        "survey detail": reverse("survey_detail", args=[survey.pk]),
        "sop list": reverse("sop:list"),
        "sop detail": reverse("sop:detail", args=[sop.pk]),
        "report pdf": reverse("report_download", args=[UNIT, "pdf"]),
        "report xlsx": reverse("report_download", args=[UNIT, "xlsx"]),
        "survey pdf": reverse("survey_pdf", args=[survey.pk]),
        "survey xlsx": reverse("survey_excel", args=[survey.pk]),
    }


@pytest.mark.django_db
def test_signed_in_pages_and_downloads_have_the_policy_and_are_not_stored(demo_examples, login_as):
    client = login_as("kepala")
    for name, url in officer_urls().items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        assert_csp(response)
        assert_no_store(response)


@pytest.mark.django_db
def test_the_live_preview_fragment_is_not_stored(demo_examples, login_as):
    indicator = Indicator.objects.get(name="Persentase updating data kepegawaian")
    response = login_as("kasubbag").post(
        reverse("preview", args=[indicator.pk, "Q1"]), {"value": "90"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert_no_store(response)


@pytest.mark.django_db
def test_login_page_and_public_survey_have_the_policy_and_are_not_stored(demo_examples, client):
    service = SurveyService.objects.filter(survey__unit__code=UNIT).first()
    for url in (reverse("login"), reverse("public_survey", args=[service.public_token])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_csp(response)
        assert_no_store(response)  # both carry a CSRF token


@pytest.mark.django_db
def test_a_public_page_without_a_form_stays_cacheable(demo_examples, client):
    service = SurveyService.objects.filter(survey__unit__code=UNIT).first()
    response = client.get(reverse("public_survey_thanks", args=[service.public_token]))
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert_csp(response)


def test_templates_hold_no_inline_scripts_or_event_handlers():
    """script-src 'self' blocks inline scripts and on...= attributes: none may come back."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    offenders = []
    for path in root.rglob("*.html"):
        if "pdf" in path.parts or path.name.startswith("pdf"):
            continue  # rendered by WeasyPrint on the server, never by a browser
        text = path.read_text()
        if inline_script.search(text) or handler.search(text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_templates_hold_no_inline_styles():
    """style-src 'self' blocks <style> elements and style attributes: none may come back."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    inline_style = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
    offenders = []
    for path in [*root.rglob("*.html"), *root.rglob("*.svg")]:
        if "pdf" in path.parts or path.name.startswith("pdf"):
            continue  # rendered by WeasyPrint on the server, never by a browser
        if inline_style.search(path.read_text()):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


@pytest.mark.django_db
def test_the_admin_keeps_inline_styles_and_nothing_else(demo_examples, superuser):
    """Django's admin templates (the changelist's <style>, say) need 'unsafe-inline' for
    styles; scripts stay 'self' only there too."""
    for url in (reverse("admin:index"), reverse("admin:sasaran_realisation_changelist")):
        response = superuser.get(url)
        assert response.status_code == 200, url
        found = directives(response)
        assert "style-src 'self' 'unsafe-inline'" in found, found
        assert "script-src 'self'" in found, found
        others = found - {"style-src 'self' 'unsafe-inline'"}
        assert not any("unsafe" in d for d in others), found
    superuser.logout()  # the admin's login page is the admin too
    response = superuser.get(reverse("admin:login"))
    assert "style-src 'self' 'unsafe-inline'" in directives(response)


class InlineStyles(HTMLParser):
    """The <style> elements and style attributes of a page, as the browser would read them."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):  # also called for <tag ... />
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"<{tag} {name}={value!r}>" for name, value in attrs if name == "style"]


def assert_no_inline_style(response, name, status=200):
    assert response.status_code == status, (name, response.status_code)
    assert response["Content-Type"].startswith("text/html"), name
    assert InlineStyles(response.content.decode()).found == [], name
    assert_csp(response)


@pytest.mark.django_db
def test_the_apps_pages_hold_no_inline_style(demo_examples, client, login_as):
    """What the strict style-src would block never reaches a browser: the pages an officer
    works on (the SOP flowchart and the survey charts included), an export job's progress,
    the public survey, the login page and an error page."""
    assert_no_inline_style(client.get(reverse("login")), "login")
    assert_no_inline_style(client.get("/tidak-ada/"), "not found", status=404)
    service = SurveyService.objects.filter(survey__unit__code=UNIT).first()
    for name in ("public_survey", "public_survey_thanks"):
        assert_no_inline_style(client.get(reverse(name, args=[service.public_token])), name)

    kepala = login_as("kepala")
    pages = officer_urls()
    approved = (  # with its lock icon
        Realisation.objects.filter(
            status=Realisation.Status.APPROVED,
            indicator__objective__section__manual__unit__code=UNIT,
        )
        .select_related("indicator__objective__section__manual")
        .order_by("pk")
        .first()
    )
    survey = Survey.objects.get(unit__code=UNIT)
    year = approved.indicator.objective.section.manual.year
    job = ExportJob.objects.create(
        unit=Unit.objects.get(code=UNIT),
        year=2023,
        quarter=1,
        fmt="pdf",
        status=ExportJob.Status.RUNNING,
        progress=40,
        requested_by=get_user_model().objects.get(username="kepala"),
    )
    pages |= {
        "home": reverse("home"),
        "document": reverse("document", args=[UNIT, year]),
        "indicator": reverse("indicator", args=[approved.indicator_id]),
        "approved entry": reverse("entry", args=[approved.indicator_id, approved.period]),
        "history": reverse("history", args=[approved.indicator_id]),
        "survey entry": reverse("survey_entry", args=[survey.pk]),
        "survey import": reverse("survey_import", args=[survey.pk]),
        "export job": reverse("export_job", args=[job.pk]),
    }
    checked = 0
    for name, url in pages.items():
        response = kepala.get(url, follow=True)
        if not response["Content-Type"].startswith("text/html"):
            continue  # a download
        assert_no_inline_style(response, name)
        checked += 1
    assert checked >= 12
    # The progress bar's width comes from its data-width (static/js/app.js), also in the
    # fragment htmx swaps in while the job runs.
    fragment = kepala.get(reverse("export_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'data-width="40"' in fragment.content.decode()
    assert InlineStyles(fragment.content.decode()).found == []
