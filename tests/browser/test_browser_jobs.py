"""Browser: a province-wide comparison runs in the background and the page shows progress."""

import re

import pytest

from tests.conftest import login

pytestmark = pytest.mark.browser


def test_job_page_updates_itself_until_the_file_is_ready(
    demo_examples_live, page, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_BACKGROUND_UNITS = 0
    settings.EXPORT_JOBS_INLINE = False
    settings.REDIS_URL = ""
    login(page, "kadis")
    page.goto("/dasbor/dpmptsp-dki/unit/?tahun=2023&tw=2")
    page.get_by_role("link", name="Unduh PDF").click()
    page.wait_for_url(re.compile(r"/ekspor/\d+/$"))
    page.locator(".status-job", has_text="Selesai").wait_for(timeout=60_000)
    link = page.get_by_role("link", name=re.compile("Unduh perbandingan-unit"))
    assert link.is_visible()
    screenshot("ekspor-latar-belakang")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
