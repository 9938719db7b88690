"""Browser: the permit pages at a desktop size and on a phone: importing a log (upload, the
column mapping, the preview, saving), the timeliness page with Kirim ke indikator, the staff
service levels and the settings; no serious accessibility violation on any of them (axe-core,
as tests/browser/test_accessibility.py)."""

import re

import pytest

from sasaran.models import Realisation
from sasaran.perizinan.demo import load_example_permits
from tests.browser.test_accessibility import AXE, RUN_AXE
from tests.conftest import login

pytestmark = pytest.mark.browser

UNIT = "up-pmptsp-jaktim"
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
LOG = (
    "Rekap contoh\n"
    "Nomor;Layanan;Tgl Masuk;Tgl Selesai;Ket\n"
    "UJI-1;IUMK;02/10/2023;03/10/2023;Terbit\n"
    "UJI-2;PBG;2 Oktober 2023;30/10/2023;Terbit\n"
)


def serious(page):
    page.wait_for_load_state("load")
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("size", VIEWPORTS)
def test_import_then_send_to_the_indicator(demo_examples_live, page, screenshot, tmp_path, size):
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed ({AXE}): run `make browser-deps`.")
    page.add_init_script(path=str(AXE))
    page.set_viewport_size(VIEWPORTS[size])
    load_example_permits()
    log = tmp_path / "jakevo-oktober.csv"
    log.write_text(LOG, encoding="utf-8")
    found = []

    login(page, "analis")
    page.goto(f"/perizinan/{UNIT}/impor/izin/")
    found += serious(page)
    page.set_input_files("#id_file", str(log))
    page.click("button[value=unggah]")
    # Other headings than the unit's saved mapping: the mapping form, guessed where it can.
    page.wait_for_selector("#pemetaan-kolom")
    found += serious(page)
    page.select_option("#id_complete_on", "Tgl Masuk")
    page.select_option("#id_issued_on", "Tgl Selesai")
    page.click("button[value=petakan]")
    page.wait_for_selector("#konfirmasi-impor")
    assert page.inner_text("#jumlah-baru") == "2"
    found += serious(page)
    screenshot(f"perizinan-pratinjau-{size}")
    page.click("#konfirmasi-impor")
    page.wait_for_url(re.compile(r"/perizinan/up-pmptsp-jaktim/\?tahun=2023&periode=Y$"))
    assert "jakevo-oktober.csv diimpor: 2 baris, 2 baru" in page.inner_text("main")

    page.context.clear_cookies()
    login(page, "kepala")
    page.wait_for_load_state("load")
    page.goto(f"/perizinan/{UNIT}/?tahun=2023&periode=Q4")
    found += serious(page)
    assert page.inner_text("#jumlah-izin") == "1.292"
    page.click("button.kirim-indikator")
    page.wait_for_selector(".alert-success")
    found += serious(page)
    screenshot(f"perizinan-tw4-{size}")
    row = Realisation.objects.get(indicator__permit_link__unit__code=UNIT, period="Q4")
    assert (row.numerator, row.denominator, row.status) == (1261, 1292, "draft")  # UJI-2 is late
    page.click("#tautan-indikator a >> nth=1")  # the entry page of TW 4
    page.wait_for_selector("#nilai-dari-sumber")
    found += serious(page)
    for url in (
        f"/perizinan/{UNIT}/layanan-staf/?tahun=2023&periode=M05",
        f"/perizinan/{UNIT}/pengaturan/",
    ):
        page.goto(url)
        found += serious(page)
    screenshot(f"perizinan-pengaturan-{size}")
    assert not found, found
