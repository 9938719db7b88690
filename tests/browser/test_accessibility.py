"""Browser: every page passes axe-core's accessibility checks (issue 20).

axe-core comes from the npm registry, pinned in the Makefile, and `make browser-deps` (which
`make test` runs first) installs it into .cache/axe; no CDN is asked at run time. It is given
to each page as an init script: Playwright runs those outside the page's
Content-Security-Policy (script-src 'self'), which would block an injected <script> element.

Each page is checked at a desktop size (1366 x 900) and at an officer's phone (390 x 844);
any violation axe rates "serious" or "critical" fails the test, with the rule, the elements
and the page that explains it. Nothing is excluded."""

import json
import re
from pathlib import Path

import pytest

from mutu.demo import load_seed_sop
from sasaran import periods
from sasaran.models import Indicator, Realisation, Unit
from sasaran.skm import services as survey_services
from sasaran.skm.models import Response, Survey, SurveyService
from sop.models import Sop
from tests.conftest import login

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / ".cache/axe/node_modules/axe-core/axe.min.js"
UNIT = "up-pmptsp-jaktim"
DINAS = "dpmptsp-dki"
INDICATOR = "Persentase updating data kepegawaian"  # the Kasubbag TU's
FAILING = ("serious", "critical")

VIEWPORTS = {
    "desktop": {"width": 1366, "height": 900},
    "phone": {"width": 390, "height": 844},
}

# WCAG 2.0/2.1 A and AA and axe's best practices; results other than violations are left out
# to keep each run short.
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map(n => n.target.join(" ")),
  }));
}"""


@pytest.fixture
def axe(page):
    """Checks the page it is given, collecting the serious and critical violations."""
    if not AXE.exists():
        pytest.fail(
            f"axe-core is not installed ({AXE} is missing): run `make browser-deps`, "
            "which installs the version pinned in the Makefile from the npm registry."
        )
    page.add_init_script(path=str(AXE))
    found = []

    def check(name):
        page.wait_for_load_state("load")
        for violation in page.evaluate(RUN_AXE):
            if violation["impact"] in FAILING:
                found.append({"page": f"{name} ({page.url})", **violation})

    check.found = found
    return check


def report(found):
    return "\n".join(
        f"{v['page']}: {v['id']} [{v['impact']}] {v['help']}\n"
        f"    {v['helpUrl']}\n    " + "\n    ".join(v["targets"])
        for v in found
    )


@pytest.mark.parametrize("size", VIEWPORTS)
def test_every_page_has_no_serious_accessibility_violation(demo_examples_live, page, axe, size):
    page.set_viewport_size(VIEWPORTS[size])
    indicator = Indicator.objects.get(name=INDICATOR)
    survey = Survey.objects.get(unit__code=UNIT)
    service = SurveyService.objects.filter(survey=survey).first()
    submitted = Realisation.objects.filter(
        indicator__objective__section__manual__unit__code=UNIT, status=Realisation.Status.SUBMITTED
    ).first()
    load_seed_sop(with_user=True)
    # A respondent's suggestion, so that the suggestions page shows its follow-up form.
    Response.objects.filter(pk=survey.responses.order_by("pk").first().pk).update(
        suggestion="Antrean terlalu lama.", suggestion_status="baru", respondent_name="Siti"
    )
    sop = Sop.objects.get(number="62/ 1687 / DATIN /2023")
    Sop.objects.filter(pk=sop.pk).update(unit=Unit.objects.get(code=UNIT))

    # The public: the survey (closed: its period is over), its published results, the
    # questionnaire of a survey open today, the thank-you page, the login and a page that
    # does not exist.
    page.goto(f"/survei/{service.public_token}/")
    axe("survei ditutup")
    page.goto(survey.get_public_result_url())
    axe("hasil survei")
    current = survey_services.survey_create(
        unit=survey.unit, year=periods.today().year, period_kind="year", services=["Perizinan"]
    )
    page.goto(f"/survei/{current.services.get().public_token}/")
    axe("survei")
    page.goto(f"/survei/{service.public_token}/terima-kasih/")
    axe("survei, terima kasih")
    page.goto("/tidak-ada/")
    axe("404")
    page.goto("/masuk/")
    axe("masuk")

    # The officer: his tasks and the entry form, also with an error shown.
    login(page, "kasubbag")
    page.wait_for_url(re.compile(r"/tugas/$"))
    axe("tugas saya")
    page.goto(f"/indikator/{indicator.pk}/Q4/")
    axe("isian")
    page.get_by_label("Realisasi (%)").fill("bukan angka")
    page.get_by_role("button", name="Simpan draf").click()
    page.locator(".invalid-feedback, .alert-danger").first.wait_for()
    axe("isian dengan galat")
    logout(page)

    # The head of unit.
    login(page, "kepala")
    page.wait_for_url(re.compile(rf"/dasbor/{UNIT}/$"))
    axe("dasbor")
    pages = {
        "antrean tinjauan": "/tinjau/",
        "tinjauan satu realisasi": f"/indikator/{submitted.indicator_id}/{submitted.period}/",
        "indikator": f"/indikator/{indicator.pk}/",
        "riwayat": f"/indikator/{indicator.pk}/riwayat/",
        "daftar SKM": "/skm/",
        "hasil SKM": f"/skm/{survey.pk}/",
        "isian SKM": f"/skm/{survey.pk}/isi/",
        "impor SKM": f"/skm/{survey.pk}/impor/",
        "saran SKM": f"/skm/{survey.pk}/saran/",
        "perangkat kios": f"/skm/{survey.pk}/kios/",
        "daftar SOP": "/sop/",
        "SOP": f"/sop/{sop.pk}/",
        "dokumen": f"/dokumen/{UNIT}/2023/",
        "tahun baru": f"/dasbor/{UNIT}/tahun-baru/?dari=2023",
    }
    for name, url in pages.items():
        page.goto(url)
        axe(name)
    logout(page)

    # The head of the Dinas: the comparison of its units.
    login(page, "kadis")
    page.wait_for_url(lambda url: "/masuk/" not in url)
    page.goto(f"/dasbor/{DINAS}/unit/?tahun=2023&tw=2")
    axe("perbandingan unit")

    assert not axe.found, f"axe-core ({size}):\n" + report(axe.found)


def test_the_check_can_fail(demo_live, page, axe):
    """A page made inaccessible on purpose (an input without a label) is caught."""
    page.goto("/masuk/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=tanpa-label>')"
    )
    axe("masuk, dirusak")
    assert [v["id"] for v in axe.found] == ["label"], json.dumps(axe.found)
    assert axe.found[0]["targets"] == ["#tanpa-label"]


def logout(page):
    """Forget the session (at phone size the Keluar button may sit in a collapsed menu)."""
    page.context.clear_cookies()
