"""Browser: the head of unit opens the demo SKM (linked to an index indicator), sends its IKM
to the indicator, and finds it on the entry page as a read-only value from the survey."""

import re

import pytest

from mutu.demo import load_example_survey
from sasaran.models import Realisation
from sasaran.numbers import format_id_number
from tests.conftest import login

pytestmark = pytest.mark.browser

LINKED_INDICATOR = "Indeks Kepuasan Terhadap Kinerja Layanan Penunjang Urusan Pemerintahan Daerah"


def test_send_the_ikm_to_the_indicator(demo_live, page, screenshot):
    survey = load_example_survey()
    login(page, "kepala")
    page.wait_for_url(re.compile(r"/dasbor/"))
    page.goto(f"/skm/{survey.pk}/")
    assert page.locator("svg.bar-chart").count() == 6
    assert page.get_by_role("link", name="Unduh PDF").is_visible()
    screenshot("skm-8-hasil-grafik")
    # One button per linked indicator (the demo survey feeds five): this one's.
    item = page.locator("#tautan-indikator li", has_text=LINKED_INDICATOR)
    item.get_by_role("button", name="Kirim IKM ke indikator (TW 1)").click()
    page.locator(".alert-success", has_text="dikirim ke").wait_for()
    row = Realisation.objects.get(indicator__name=LINKED_INDICATOR, period="Q1")
    assert row.status == "draft" and row.note == "Dari SKM TW 1 2023: 30 responden"
    ikm = page.locator("#nilai-ikm").inner_text()
    screenshot("skm-9-ikm-terkirim")

    item.get_by_role("link", name="TW 1 2023").click()
    page.locator("#nilai-dari-skm").wait_for()
    value = page.locator("input[name=value]")
    assert value.get_attribute("readonly") is not None
    assert value.input_value() == format_id_number(row.value, 4)  # 78,1481; shown 78,15
    assert format_id_number(row.value, 2) == ikm
    assert "Nilai persepsi: 3 · Mutu: B · Kinerja: Baik" in page.locator("#hasil").inner_text()
    screenshot("skm-10-isian-dari-skm")
