"""Browser: the app's main pages work under their Content-Security-Policy (issue 14, item 9).

Chromium reports every blocked script, handler or style as a `securitypolicyviolation` event
and a console message; none may occur, and the htmx live preview and the auto-submitting year
picker (both wired by static files, not inline code) still work. Styles too come only from
the app's stylesheets (style-src 'self'): the export job's progress bar is sized by
static/js/app.js, and htmx is told not to add its own <style>."""

import re

import pytest
from django.contrib.auth import get_user_model

from mutu.demo import load_seed_sop
from sasaran.models import ExportJob, Indicator, Unit
from sasaran.skm.models import Survey, SurveyService
from sop.models import Sop
from tests.conftest import login

pytestmark = pytest.mark.browser

UNIT = "up-pmptsp-jaktim"
INDICATOR = "Persentase updating data kepegawaian"

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def violations(page):
    """Every CSP violation the browser reports, from events and from the console."""
    console = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def found():
        return console + page.evaluate("window.__cspViolations || []")

    return found


def visit(page, violations, url, *, wait_for=None):
    page.goto(url)
    page.wait_for_load_state("load")
    if wait_for:
        page.locator(wait_for).first.wait_for()
    assert violations() == [], url


def test_main_pages_report_no_csp_violation(demo_examples_live, page, violations):
    visit(page, violations, "/masuk/")
    login(page, "kasubbag")
    page.wait_for_url(re.compile(r"/tugas/$"))
    assert violations() == []

    indicator = Indicator.objects.get(name=INDICATOR)
    visit(page, violations, f"/indikator/{indicator.pk}/Q4/", wait_for="#hasil")
    page.get_by_label("Realisasi (%)").fill("98,75")
    page.locator("#hasil .capaian", has_text="98,75 %").wait_for()  # htmx preview, live
    assert violations() == []

    # The year picker submits itself (static/js/app.js, no onchange attribute).
    visit(page, violations, "/tugas/", wait_for="#tahun")
    years = page.locator("#tahun option").all_inner_texts()
    if len(years) > 1:
        other = next(y for y in years if y != page.locator("#tahun").input_value())
        page.locator("#tahun").select_option(other)
        page.wait_for_url(re.compile(rf"tahun={other}"))
    assert violations() == []

    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile("/masuk/"))
    login(page, "kepala")
    page.wait_for_url(re.compile(rf"/dasbor/{UNIT}/$"))
    assert violations() == []
    visit(page, violations, "/tinjau/")
    survey = Survey.objects.get(unit__code=UNIT)
    visit(page, violations, f"/skm/{survey.pk}/")
    visit(page, violations, f"/skm/{survey.pk}/isi/", wait_for="#grid")
    visit(page, violations, "/skm/")
    visit(page, violations, "/sop/")
    load_seed_sop(with_user=True)
    sop = Sop.objects.get(number="62/ 1687 / DATIN /2023")
    Sop.objects.filter(pk=sop.pk).update(unit=Survey.objects.get(pk=survey.pk).unit)
    visit(page, violations, f"/sop/{sop.pk}/", wait_for="#bagan svg.sop-flowchart")
    visit(page, violations, f"/dokumen/{UNIT}/{indicator.objective.section.manual.year}/")
    visit(page, violations, f"/indikator/{indicator.pk}/")
    visit(page, violations, f"/indikator/{indicator.pk}/riwayat/")


def test_export_job_progress_bar_is_sized_without_inline_styles(
    demo_examples_live, page, violations
):
    """The bar takes its width from data-width (static/js/app.js), also each time htmx swaps
    in a fresh status while the job runs."""
    job = ExportJob.objects.create(
        unit=Unit.objects.get(code=UNIT),
        year=2023,
        quarter=1,
        fmt="pdf",
        status=ExportJob.Status.RUNNING,
        progress=40,
        requested_by=get_user_model().objects.get(username="kepala"),
    )
    login(page, "kepala")
    page.wait_for_url(re.compile(rf"/dasbor/{UNIT}/$"))
    visit(page, violations, f"/ekspor/{job.pk}/", wait_for=".progress-bar")

    def share():
        return page.evaluate(
            """() => {
              const bar = document.querySelector(".progress-bar");
              return bar.getBoundingClientRect().width /
                bar.parentElement.getBoundingClientRect().width;
            }"""
        )

    assert share() == pytest.approx(0.40, abs=0.01)
    ExportJob.objects.filter(pk=job.pk).update(progress=70)
    page.locator(".progress-bar", has_text="70 %").wait_for()  # polled every 2 s
    assert share() == pytest.approx(0.70, abs=0.01)
    ExportJob.objects.filter(pk=job.pk).update(progress=100, status=ExportJob.Status.FAILED)
    page.locator(".progress-bar.bg-danger").wait_for()
    assert share() == pytest.approx(1.0, abs=0.01)
    assert violations() == []


def test_public_survey_reports_no_csp_violation(demo_examples_live, page, violations):
    service = SurveyService.objects.filter(survey__unit__code=UNIT).first()
    visit(page, violations, f"/survei/{service.public_token}/", wait_for="form")


def test_an_inline_script_would_be_reported(demo_live, page, violations):
    """The check above can fail: an inline script injected into a page is blocked and seen."""
    page.goto("/masuk/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.ranInline = true";
          document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ranInline === undefined")
    assert any("script-src" in v for v in violations())


def test_an_inline_style_would_be_reported(demo_live, page, violations):
    """The same for styles: a style attribute added to a page is blocked and seen."""
    page.goto("/masuk/")
    page.evaluate(
        """() => {
          const box = document.createElement("div");
          box.innerHTML = '<p id="berwarna" style="color: rgb(255, 0, 0)">x</p>';
          document.body.appendChild(box);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("getComputedStyle(document.getElementById('berwarna')).color") != (
        "rgb(255, 0, 0)"
    )
    assert any("style-src" in v for v in violations())


def test_language_picker_submits_without_an_inline_handler(demo_live, page, violations):
    visit(page, violations, "/masuk/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.locator("select[name=language]").select_option("en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert violations() == []


def test_admin_pages_report_no_csp_violation(demo_examples_live, page, violations):
    login(page, "admin")
    page.wait_for_load_state("load")
    visit(page, violations, "/admin/")
    visit(page, violations, "/admin/sasaran/realisation/")
    visit(page, violations, "/admin/sasaran/realisation/add/", wait_for="#realisation_form")
