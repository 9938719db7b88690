"""Security headers (issue 14, item 9): every page carries the Content-Security-Policy, and
what a signed-in officer sees or downloads, or any page with a form token, is `no-store`."""

import pytest
from django.urls import reverse

from sasaran.models import Indicator, Unit
from sasaran.skm.models import Survey, SurveyService
from sop.models import Sop

UNIT = "up-pmptsp-jaktim"

DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
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
    style = next(d for d in found if d.startswith("style-src "))
    assert "'self'" in style
    assert not any("unsafe-eval" in d for d in found)


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
