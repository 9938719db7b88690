"""Browser: the Datin officer opens the seed SOP and sees its flowchart drawn."""

import re

import pytest

from mutu.demo import load_seed_sop
from sop.models import Sop
from tests.conftest import login

pytestmark = pytest.mark.browser


def test_seed_sop_page_shows_the_flowchart(demo_live, page, screenshot):
    load_seed_sop(with_user=True)  # the demo user `datin`
    sop = Sop.objects.get(number="62/ 1687 / DATIN /2023")
    login(page, "datin")
    page.wait_for_url(re.compile(r"/$"))
    page.goto(f"/sop/{sop.pk}/")
    assert page.get_by_role("heading", name=re.compile("Penyusunan Laporan Kinerja PTSPdan PPB"))
    chart = page.locator("#bagan svg.sop-flowchart")
    chart.wait_for()
    assert chart.locator(".symbol").count() == 7
    assert chart.locator(".symbol-start").count() == 1 and chart.locator(".symbol-end").count() == 1
    assert chart.locator(".symbol").first.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 900  # drawn at a readable size, not squeezed
    assert "31,8 hari kerja" in page.locator("#total-waktu").inner_text()
    assert page.get_by_role("link", name="Unduh PDF").is_visible()
    screenshot("sop-1-halaman")
