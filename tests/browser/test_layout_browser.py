"""Browser: the officer's and the head's main pages on a phone (390 x 844, touch) and on a
desktop (1366 x 900), issue 20.

On both screens no page scrolls sideways and every key action is on screen once scrolled to
(inside 0..innerWidth). On the phone the menu folds behind the toggler, tables read as one
card per row and the actions are big enough for a thumb (44 px); an officer enters and
submits, and a head approves and returns, by tapping. On the desktop the dashboard's
indicator names keep a readable column, figures stay on one line and the status badges are
not clipped."""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page

from sasaran.models import Realisation
from tests.conftest import DEMO_PASSWORD, SCREENSHOTS

pytestmark = pytest.mark.browser

UNIT = "up-pmptsp-jaktim"
DASHBOARD = f"/dasbor/{UNIT}/?tahun=2023&tw=2"
INDICATOR = "Persentase updating data kepegawaian"
THUMB = 44  # px: the smallest target a thumb hits reliably

SCREENS = {
    "telepon": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}


@dataclass
class Screen:
    page: Page
    name: str

    @property
    def phone(self):
        return self.name == "telepon"

    def press(self, locator: Locator):
        """Tap on the phone, click on the desktop."""
        if self.phone:
            locator.tap()
        else:
            locator.click()

    def shot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(
            path=str(SCREENSHOTS / f"tata-letak-{self.name}-{name}.png"), full_page=True
        )


@pytest.fixture(params=list(SCREENS))
def screen(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", **SCREENS[request.param]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Screen(page, request.param)
    context.close()


def log_in(screen, username):
    page = screen.page
    page.goto("/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    screen.press(page.locator("button[type=submit]"))
    page.wait_for_url(lambda url: "/masuk/" not in url)


def assert_no_sideways_scroll(page):
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{page.url} scrolls sideways: {scroll} px wide in {inner} px"
    assert inner == page.viewport_size["width"]


def assert_within_reach(screen, locator, thumb=True):
    """The element is visible and wholly on screen once scrolled to; on the phone an action
    is at least THUMB px high."""
    page = screen.page
    locator.scroll_into_view_if_needed()
    assert locator.is_visible()
    box = locator.bounding_box()
    inner_width, inner_height = page.evaluate("[window.innerWidth, window.innerHeight]")
    assert 0 <= box["x"] and box["x"] + box["width"] <= inner_width, box
    assert 0 <= box["y"] and box["y"] + box["height"] <= inner_height, box
    if thumb and screen.phone:
        assert box["height"] >= THUMB, box
    return box


def assert_inside(inner: Locator, outer: Locator):
    """`inner` is drawn wholly inside `outer` (not clipped by it, not running past it)."""
    a, b = inner.bounding_box(), outer.bounding_box()
    assert b["x"] <= a["x"] and a["x"] + a["width"] <= b["x"] + b["width"] + 0.5, (a, b)


def open_menu_item(screen, name):
    """Follow a link of the main menu; on the phone the menu is folded behind the toggler."""
    page = screen.page
    toggler = page.locator("nav.navbar .navbar-toggler")
    link = page.locator("#menu-utama").get_by_role("link", name=name, exact=True)
    if screen.phone:
        assert toggler.is_visible()
        assert not link.is_visible()
        screen.press(toggler)
        link.wait_for(state="visible")
        assert_within_reach(screen, link, thumb=False)
        assert_within_reach(screen, page.get_by_role("button", name="Keluar"), thumb=False)
    else:
        assert not toggler.is_visible()
        assert link.is_visible()
    with page.expect_navigation():
        screen.press(link)


def test_officer_enters_and_submits(demo_live, screen):
    page = screen.page
    log_in(screen, "kasubbag")
    open_menu_item(screen, "Tugas saya")
    page.wait_for_url(re.compile(r"/tugas/$"))
    assert_no_sideways_scroll(page)
    row = page.locator("#tugas tbody tr", has_text=INDICATOR).first
    isi = row.get_by_role("link", name="Isi")
    box = assert_within_reach(screen, isi)
    if screen.phone:
        # One card per row: the action runs across the card, the status sits in it.
        assert box["width"] >= 0.7 * page.viewport_size["width"]
        assert_inside(row.locator(".badge").first, row)
    screen.shot("1-tugas")
    screen.press(isi)

    page.get_by_label("Realisasi (%)").fill("100")
    page.locator("#hasil .capaian", has_text="100,00 %").wait_for()
    assert_no_sideways_scroll(page)
    if screen.phone:
        # One column: the form and the result use the whole width, one above the other.
        form, result = page.locator("#form-realisasi"), page.locator("#hasil")
        assert form.bounding_box()["width"] >= 0.75 * page.viewport_size["width"]
        assert result.bounding_box()["y"] > form.bounding_box()["y"]
    submit = page.get_by_role("button", name="Ajukan ke Kepala Unit")
    assert_within_reach(screen, page.get_by_role("button", name="Simpan draf"))
    assert_within_reach(screen, submit)
    screen.shot("2-isi")
    screen.press(submit)
    page.locator(".alert-success", has_text="diajukan").wait_for()
    assert_no_sideways_scroll(page)
    assert Realisation.objects.get(indicator__name=INDICATOR, period="Q1").status == "submitted"


def test_head_dashboard_indicator_and_review(demo_examples_live, screen):
    page = screen.page
    log_in(screen, "kepala")
    page.goto(DASHBOARD)
    assert_no_sideways_scroll(page)
    tables = page.locator("table.dasbor")
    assert tables.count() >= 3
    for t in range(tables.count()):
        table = tables.nth(t)
        # Not clipped: the table fits its box, it does not hide columns in a scroll box.
        assert_inside(table, table.locator("xpath=.."))
        statuses = table.locator("tbody tr td:last-child .badge")
        for i in range(statuses.count()):
            assert_inside(statuses.nth(i), table)
    investment = page.locator("table.dasbor tbody tr", has_text="Realisasi Nilai Ivestasi")
    if screen.phone:
        assert_inside(investment, page.locator("main"))
        assert_within_reach(screen, investment.locator("td").last, thumb=False)
    else:
        names = page.locator("table.dasbor tbody tr td:nth-child(2)")
        rem = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        widths = [names.nth(i).bounding_box()["width"] for i in range(names.count())]
        assert min(widths) >= 12 * rem, widths
        # Every figure (target, realisation, capaian) stays on one line: "102,05 %".
        wrapped = page.evaluate(
            """() => [...document.querySelectorAll("table.dasbor td.text-end")].filter(cell => {
                const text = [...cell.childNodes].find(n => n.textContent.trim());
                if (!text) return false;
                const range = document.createRange();
                range.selectNodeContents(text);
                return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
            }).map(cell => cell.textContent.trim())"""
        )
        assert wrapped == []
    screen.shot("1-dasbor")

    investment.get_by_role("link", name=re.compile("Realisasi Nilai Ivestasi")).click()
    page.locator("#grafik svg").wait_for()
    assert_no_sideways_scroll(page)
    assert_inside(page.locator("#grafik svg"), page.locator("#grafik"))
    assert_inside(page.locator("#triwulan"), page.locator("main"))
    screen.shot("2-indikator")

    open_menu_item(screen, "Antrean tinjauan")
    page.wait_for_url(re.compile(r"/tinjau/$"))
    assert_no_sideways_scroll(page)
    screen.shot("3-antrean")
    item = page.locator("tr", has_text=INDICATOR)
    approve = item.get_by_role("button", name="Setujui")
    assert_within_reach(screen, approve)
    assert_within_reach(screen, item.get_by_role("link", name="Kembalikan…"))
    screen.press(approve)
    page.locator(".alert-success", has_text="disetujui").wait_for()
    assert Realisation.objects.get(indicator__name=INDICATOR, period="Q3").status == "approved"

    other = page.locator("tr", has_text="Persentase updating data aset")
    send_back = other.get_by_role("link", name="Kembalikan…")
    assert_within_reach(screen, send_back)
    screen.press(send_back)
    page.get_by_label("Alasan").fill("Lampirkan rekap per bidang")
    assert_no_sideways_scroll(page)
    button = page.get_by_role("button", name="Kembalikan", exact=True)
    assert_within_reach(screen, page.get_by_role("button", name="Setujui", exact=True))
    assert_within_reach(screen, button)
    screen.shot("4-kembalikan")
    screen.press(button)
    page.locator(".alert-success").wait_for()
    returned = Realisation.objects.get(indicator__name="Persentase updating data aset", period="Q2")
    assert returned.status == "returned"


def test_parent_head_compares_units(demo_examples_live, screen):
    page = screen.page
    log_in(screen, "kadis")
    page.goto("/dasbor/dpmptsp-dki/unit/?tahun=2023&tw=2")
    assert_no_sideways_scroll(page)
    row = page.locator("#perbandingan tbody tr").first
    assert_within_reach(
        screen, row.get_by_role("link", name="UP PMPTSP Kota Jakarta Timur"), thumb=False
    )
    assert_inside(row, page.locator("main"))
    screen.shot("1-perbandingan")
    page.select_option("#indikator", "Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten")
    page.wait_for_url(re.compile(r"indikator="))
    assert_no_sideways_scroll(page)
    status = page.locator("#perbandingan tbody tr").first.locator("td").last
    assert "Disetujui" in status.inner_text()
    assert_within_reach(screen, status, thumb=False)
    screen.shot("2-perbandingan-indikator")

    # The units' dashboards are one Dasbor menu: the bar keeps to one line on the desktop.
    toggle = page.locator("#menu-dasbor")
    if screen.phone:
        screen.press(page.locator("nav.navbar .navbar-toggler"))
        toggle.wait_for(state="visible")
    else:
        assert page.locator("nav.navbar").bounding_box()["height"] < 70
    screen.press(toggle)
    item = page.locator(".dropdown-menu.show").get_by_role(
        "link", name="UP PMPTSP Kota Jakarta Barat (contoh)"
    )
    assert_within_reach(screen, item, thumb=False)
    screen.shot("3-menu-dasbor")
    with page.expect_navigation():
        screen.press(item)
    assert page.url.endswith("/dasbor/up-pmptsp-jakbar/")
