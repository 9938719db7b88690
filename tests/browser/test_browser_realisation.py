"""Browser: an officer enters TW 1 with a decimal comma and a file, the head approves, the
officer sees it locked."""

import re

import pytest
from playwright.sync_api import expect

from sasaran.models import Evidence, Realisation
from tests.conftest import login

pytestmark = pytest.mark.browser

INDICATOR = "Persentase updating data kepegawaian"


def logout(page):
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile("/masuk/"))


def test_enter_submit_approve_and_lock(demo_live, page, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(page, "kasubbag")
    page.wait_for_url(re.compile(r"/tugas/$"))
    assert page.get_by_role("heading", name="Tugas saya").is_visible()
    row = page.locator("#tugas tbody tr", has_text=INDICATOR).first
    assert "TW 1" in row.inner_text()
    row.get_by_role("link", name="Isi").click()

    page.get_by_label("Realisasi (%)").fill("98,75")
    # The result is computed while typing, before anything is saved.
    page.locator("#hasil .capaian", has_text="98,75 %").wait_for()
    assert page.locator("#hasil", has_text="Target tidak tercapai").is_visible()
    page.get_by_label("Keterangan").fill("Rekap SIMPEG per 31 Maret")
    page.get_by_label("Analisis penyebab").fill("Dua SK mutasi terlambat diterima")
    page.get_by_label("Tindak lanjut").fill("Rekonsiliasi data bulanan dengan BKD")
    page.get_by_label("Bukti dukung").set_input_files(
        files=[
            {
                "name": "rekap-simpeg.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n%%EOF\n",
            }
        ]
    )
    screenshot("realisasi-1-isi")
    page.get_by_role("button", name="Ajukan ke Kepala Unit").click()
    page.locator(".alert-success", has_text="diajukan").wait_for()
    assert page.locator(".status-submitted").first.is_visible()
    assert page.get_by_role("link", name="rekap-simpeg.pdf").is_visible()
    screenshot("realisasi-2-diajukan")
    saved = Realisation.objects.get()
    assert str(saved.value) == "98.7500" and saved.status == "submitted"
    assert Evidence.objects.get().original_name == "rekap-simpeg.pdf"

    logout(page)
    login(page, "kepala")
    page.wait_for_url(re.compile(r"/dasbor/up-pmptsp-jaktim/$"))
    page.get_by_role("link", name=re.compile("Antrean tinjauan")).click()
    page.wait_for_url(re.compile(r"/tinjau/$"))
    item = page.locator("tr", has_text=INDICATOR)
    assert "98,75 %" in item.inner_text()
    screenshot("realisasi-3-antrean")
    item.get_by_role("button", name="Setujui").click()
    page.locator(".alert-success", has_text="disetujui").wait_for()
    assert Realisation.objects.get().status == "approved"

    logout(page)
    login(page, "kasubbag")
    page.locator("#tugas tbody tr", has_text=INDICATOR).first.get_by_role(
        "link", name="Lihat"
    ).click()
    page.locator("#terkunci").wait_for()
    assert page.locator("#nilai-realisasi").inner_text() == "98,75 %"
    assert page.get_by_role("button", name="Ajukan ke Kepala Unit").count() == 0
    screenshot("realisasi-4-terkunci")


def test_tasks_and_history_pages(demo_examples_live, page, screenshot):
    login(page, "kasubbag")
    page.wait_for_url(re.compile(r"/tugas/$"))
    assert page.locator("#tugas tbody tr").count() == 60
    returned = page.locator("#tugas tbody tr", has_text="Dikembalikan")
    assert returned.count() == 0  # the returned example belongs to the Kepala Unit
    late = page.locator("#tugas tbody tr", has_text="terlambat")
    assert late.count() > 0
    screenshot("tugas-saya")
    page.locator("#tugas tbody tr", has_text="Persentase updating data aset").first.get_by_role(
        "link"
    ).click()
    # Wait for each page to load: a click returns once the navigation has started.
    page.wait_for_url(re.compile(r"/indikator/\d+/[A-Z0-9]+/$"))
    page.get_by_role("link", name="Riwayat perubahan").click()
    page.wait_for_url(re.compile(r"/riwayat/$"))
    page.wait_for_load_state()
    expect(page.locator("#riwayat tbody tr")).to_have_count(2)
    assert "Contoh data demo" in page.locator("#riwayat").inner_text()
    screenshot("riwayat")
