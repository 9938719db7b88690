"""Browser: a service user fills in the public survey on a phone, one tap per answer, sees
the thank-you page; the head of unit then sees the respondent counted on the result page."""

import re

import pytest

from sasaran import periods
from sasaran.models import Unit
from sasaran.skm import services as survey_services
from sasaran.skm.models import Response
from tests.conftest import SCREENSHOTS, login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_public_survey_on_a_phone_then_counted_on_the_result_page(demo_live, phone):
    survey = survey_services.survey_create(
        unit=Unit.objects.get(code="up-pmptsp-jaktim"),
        year=periods.today().year,  # a public answer is taken within the survey period only
        period_kind="year",
        services=["Perizinan", "Non Perizinan"],
        population=100,
    )
    service = survey.services.get(name="Perizinan")
    phone.goto(f"/survei/{service.public_token}/")
    assert phone.get_by_text("UP PMPTSP Kota Jakarta Timur").is_visible()
    shot(phone, "skm-1-publik-kosong")

    for group, choice in [
        ("Jenis kelamin", "Perempuan"),
        ("Usia", "30-39 tahun"),
        ("Pendidikan terakhir", "D4/S1"),
        ("Pekerjaan", "Wiraswasta/wirausaha"),
    ]:
        phone.get_by_role("radiogroup", name=group).get_by_text(choice, exact=True).tap()
    for unsur in survey.unsur.all():
        phone.get_by_role("radiogroup", name=unsur.question).get_by_text(
            unsur.label_4, exact=True
        ).tap()
    # The chosen answer is drawn as a filled button.
    u3 = survey.unsur.get(code="U3")
    assert phone.get_by_role("radio", name=u3.label_4).is_checked()
    shot(phone, "skm-2-publik-terisi")
    phone.get_by_role("button", name="Kirim jawaban").tap()
    phone.get_by_role("heading", name="Terima kasih!").wait_for()
    shot(phone, "skm-3-terima-kasih")
    saved = Response.objects.get()
    assert (saved.sex, saved.source, saved.answers.count()) == ("P", "online", 9)

    login(phone, "kepala")
    phone.wait_for_url(re.compile(r"/$"))
    phone.goto(f"/skm/{survey.pk}/")
    assert phone.locator("#jumlah-responden").inner_text() == "1"
    assert phone.locator("#nilai-ikm").inner_text() == "100,00"
    assert phone.locator("#mutu").inner_text() == "A"
    assert phone.locator("#peringatan-sampel").is_visible()
    shot(phone, "skm-4-hasil")


def test_staff_type_a_paper_questionnaire_with_the_keyboard(demo_live, page, screenshot):
    from mutu.demo import load_example_survey

    survey = load_example_survey()
    login(page, "cro")
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/skm/")
    page.locator("#daftar-survei tr", has_text="TW 1 2023").get_by_role(
        "link", name="Isi kuesioner kertas"
    ).click()
    first_row = page.locator("#grid tbody tr").first
    first_row.locator("select").nth(1).select_option("L")
    first_row.locator(".jawaban").first.focus()
    page.keyboard.type("434343434")  # the cursor moves by itself after each answer
    second_row = page.locator("#grid tbody tr").nth(1)
    assert second_row.locator(".jawaban").first.evaluate("el => el === document.activeElement")
    page.keyboard.type("445")  # a 5 is a typing mistake: the cursor stays on it
    screenshot("skm-5-isian-kertas")
    page.get_by_role("button", name="Simpan semua baris").click()
    page.locator("#galat-isian", has_text="Baris 2: U3: jawaban harus 1, 2, 3 atau 4").wait_for()
    assert Response.objects.filter(survey=survey).count() == 30  # nothing half-saved
    screenshot("skm-6-isian-galat")
    cell = page.locator("#grid tbody tr").nth(1).locator(".jawaban").nth(2)
    cell.fill("3")
    page.get_by_role("button", name="Simpan semua baris").click()
    page.locator(".alert-success", has_text="2 responden disimpan.").wait_for()
    assert Response.objects.filter(survey=survey).count() == 32
    page.goto(f"/skm/{survey.pk}/")
    assert page.locator("#jumlah-responden").inner_text() == "32"
    screenshot("skm-7-hasil-demo")
