"""Browser: the head of unit opens the 2023 TW 2 dashboard, switches quarter and year, and
opens an indicator page with its chart."""

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
    page.wait_for_url(re.compile(r"tw=3"))
    assert page.get_by_role("heading", name=re.compile("TW 3 2023")).is_visible()
    # The investment's TW 3 figure misses its target but is a draft: counted as a draft, not
    # as missed, and so not among the missed targets without follow-up; the legend says so.
    assert int(page.locator("#jml-draf").inner_text()) > 0
    assert page.locator("#tanpa-tindak-lanjut").get_by_text("Realisasi Nilai Ivestasi").count() == 0
    assert page.locator("#keterangan-hitungan").is_visible()
    screenshot("dasbor-2-tw3")

    page.select_option("#tahun", "2023")
    page.wait_for_url(re.compile(r"tahun=2023"))

    page.get_by_role("link", name="Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten").click()
    chart = page.locator("#grafik svg")
    chart.wait_for()
    assert chart.locator("rect.bar-realisasi").count() == 3
    assert chart.locator("line.garis-target").count() == 4
    assert chart.bounding_box()["height"] > 100
    screenshot("dasbor-3-indikator")
