"""Browser: the head of unit opens the 2023 TW 2 dashboard, switches quarter, semester and
year, and opens an indicator page with its chart; an office measuring by month and semester
at desktop and phone size."""

import re

import pytest

from tests.conftest import login

pytestmark = pytest.mark.browser


def test_dashboard_quarters_and_indicator_chart(demo_examples_live, page, screenshot):
    login(page, "kepala")
    page.wait_for_url(re.compile(r"/dasbor/up-pmptsp-jaktim/$"))
    page.goto("/dasbor/up-pmptsp-jaktim/?tahun=2023&tw=2")
    assert page.get_by_role("heading", name=re.compile("TW 2 2023")).is_visible()
    assert page.locator("table.dasbor tbody tr").count() == 31
    izin = page.locator("tr", has_text="Persentase Penerbitan Izin Tepat Waktu")
    assert "100,00 %" in izin.inner_text() and "Disetujui" in izin.inner_text()
    met = int(page.locator("#jml-tercapai").inner_text())
    assert met > 0
    screenshot("dasbor-1-tw2")

    page.get_by_role("button", name="TW 3").click()
    page.wait_for_url(re.compile(r"periode=Q3"))
    assert page.get_by_role("heading", name=re.compile("TW 3 2023")).is_visible()
    # The investment's TW 3 figure misses its target but is a draft: counted as a draft, not
    # as missed, and so not among the missed targets without follow-up; the legend says so.
    assert int(page.locator("#jml-draf").inner_text()) > 0
    assert page.locator("#tanpa-tindak-lanjut").get_by_text("Realisasi Nilai Ivestasi").count() == 0
    assert page.locator("#keterangan-hitungan").is_visible()
    screenshot("dasbor-2-tw3")

    page.select_option("#tahun", "2023")
    page.wait_for_url(re.compile(r"tahun=2023"))
    # A semester view: the monthly indicators' six months together, the year as it stands.
    page.get_by_role("button", name="Semester I", exact=True).click()
    page.wait_for_url(re.compile(r"periode=S1"))
    assert page.get_by_role("heading", name=re.compile("Semester I 2023")).is_visible()
    jadwal = page.locator("tr", has_text="(1) Menyusun jadwal pengukuran")
    assert "Semester I" in jadwal.inner_text()
    screenshot("dasbor-3-semester-1")

    page.get_by_role("link", name="Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten").click()
    chart = page.locator("#grafik svg")
    chart.wait_for()
    assert chart.locator("rect.bar-realisasi").count() == 3
    assert chart.locator("line.garis-target").count() == 4
    assert chart.bounding_box()["height"] > 100
    screenshot("dasbor-3-indikator")


@pytest.mark.parametrize("width", [1280, 390])
def test_monthly_and_semester_indicators_in_the_browser(demo_live, page, screenshot, width):
    from tests.sasaran.periods_office import CODE, KENDARAAN, make_office

    make_office()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "uji_kepala")
    page.goto(f"/dasbor/{CODE}/?tahun=2023&periode=S1")
    assert page.get_by_role("heading", name=re.compile("Semester I 2023")).is_visible()
    # Nothing wider than the screen, the period buttons included.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    kendaraan = page.locator("tr", has_text=KENDARAAN)
    assert "620" in kendaraan.inner_text() and "103,33 %" in kendaraan.inner_text()
    screenshot(f"periode-semester-{width}")
    page.get_by_role("button", name="TW 2").click()
    page.wait_for_url(re.compile(r"periode=Q2"))
    assert "320" in page.locator("tr", has_text=KENDARAAN).inner_text()
    page.get_by_role("link", name=KENDARAAN).click()
    chart = page.locator("#grafik svg")
    chart.wait_for()
    assert chart.locator("rect.bar-realisasi").count() == 7
    assert chart.locator("line.garis-target").count() == 12
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"periode-indikator-bulanan-{width}")
    login(page, "uji_petugas")
    page.goto("/tugas/?tahun=2023")
    assert page.locator("#tugas tbody tr").count() == 33
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"periode-tugas-{width}")
