"""Browser: an admin logs in and sees the indicators of 2023."""

import pytest

from tests.conftest import login

pytestmark = pytest.mark.browser


def test_admin_sees_2023_indicators(demo_live, page, screenshot):
    login(page, "admin")
    page.goto("/admin/sasaran/indicator/?objective__section__manual__year=2023")
    shot = screenshot("admin-indicators-2023")
    assert page.locator("#result_list tbody tr").count() == 31
    assert page.get_by_text("Persentase Penerbitan Izin Tepat Waktu").is_visible()
    assert page.get_by_text("31 indikator kinerja").first.is_visible()
    assert shot.stat().st_size > 10_000
