"""Browser: the SOP author edits the steps of a draft with the keyboard, and the flowchart
beside the table follows; on a desktop and on a phone. Screenshots in build/screenshots/."""

import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from mutu.demo import load_seed_sop
from sasaran.models import User
from sop import services
from sop.models import SopStep
from tests.browser.test_accessibility import VIEWPORTS, report
from tests.browser.test_accessibility import axe as axe  # noqa: PLC0414 (the fixture)
from tests.browser.test_csp_browser import RECORD_VIOLATIONS
from tests.conftest import login

pytestmark = pytest.mark.browser

NEW = "Mengarsipkan berkas uji petik"


def _draft():
    seed = load_seed_sop(with_user=True)
    datin = User.objects.get(username="datin")
    datin.user_permissions.add(
        Permission.objects.get(codename="change_sop", content_type__app_label="sop")
    )
    return services.sop_revise(sop=seed, user=User.objects.get(pk=datin.pk))


def _numbers(page):
    return page.locator("#tabel-langkah [data-row-number]").all_inner_texts()


@pytest.mark.parametrize(
    ("width", "height", "name"), [(1280, 900, "desktop"), (390, 844, "ponsel")]
)
def test_steps_are_added_and_moved_with_the_keyboard_and_the_preview_follows(
    demo_live, page, screenshot, width, height, name
):
    draft = _draft()
    page.set_viewport_size({"width": width, "height": height})
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    login(page, "datin")
    page.wait_for_url(re.compile(r"/$"))
    page.goto(f"/sop/{draft.pk}/langkah/")
    preview = page.locator("#pratinjau svg.sop-flowchart .symbol")
    expect(preview).to_have_count(7)
    assert _numbers(page) == ["1", "2", "3", "4", "5", "6", "7"]

    # Alt+Enter in step 5 inserts an empty row below it, with the cursor in its activity.
    page.locator('[name="step-4-activity"]').focus()
    page.keyboard.press("Alt+Enter")
    activity = page.locator('[name="step-5-activity"]')
    expect(activity).to_be_focused()
    assert _numbers(page) == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert page.locator("#id_step-TOTAL_FORMS").input_value() == "8"
    page.keyboard.type(NEW)
    # Tab to the lane and pick it by typing its first letters.
    page.keyboard.press("Tab")
    lane = page.locator('[name="step-5-actor"]')
    expect(lane).to_be_focused()
    page.keyboard.type("Tim")
    expect(lane).to_have_value(str(draft.actors.get(name="Tim Urusan Datin").pk))
    # The preview draws the unsaved row: one symbol more, and its text.
    expect(preview).to_have_count(8)
    expect(page.locator("#pratinjau")).to_contain_text("Mengarsipkan berkas")

    # Alt+ArrowUp moves it above step 5 and keeps the focus in the same field.
    page.keyboard.press("Alt+ArrowUp")
    moved = page.locator('[name="step-4-actor"]')
    expect(moved).to_be_focused()
    expect(page.locator('[name="step-4-activity"]')).to_have_value(NEW)
    screenshot(f"sop-editor-{name}")
    # A next-step picker of another row lists it, under its new number, once it is used.
    picker = page.locator('[name="step-0-flow_target_0"]')
    picker.focus()
    expect(picker.locator("option", has_text=f"5. {NEW}")).to_have_count(1)

    page.locator("#simpan-langkah").click()
    page.wait_for_url(re.compile(rf"/sop/{draft.pk}/langkah/$"))
    expect(page.locator(".alert-success")).to_contain_text("Langkah disimpan.")
    assert list(SopStep.objects.filter(sop=draft).values_list("number", "activity"))[4] == (5, NEW)
    assert SopStep.objects.filter(sop=draft).count() == 8

    # Deleting it again with its button, then saving, leaves the seven steps.
    page.locator("#tabel-langkah tbody[data-row]").nth(4).get_by_role(
        "button", name="Hapus"
    ).click()
    assert _numbers(page) == ["1", "2", "3", "4", "5", "6", "7"]
    expect(preview).to_have_count(7)
    # The page posts to its own address, so wait for the navigation itself.
    with page.expect_navigation():
        page.locator("#simpan-langkah").click()
    assert SopStep.objects.filter(sop=draft, activity=NEW).count() == 0
    assert page.evaluate("window.__cspViolations || []") == []
    assert not [m for m in console if "Content Security Policy" in m]


def test_a_wrong_row_says_so_in_the_table_while_typing(demo_live, page, screenshot):
    draft = _draft()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "datin")
    page.wait_for_url(re.compile(r"/$"))
    page.goto(f"/sop/{draft.pk}/langkah/")
    page.locator('[name="step-2-time_amount"]').fill("tiga hari")
    problems = page.locator(f"#masalah-s{draft.steps.get(number=3).pk}")
    expect(problems).to_contain_text("Waktu:")
    expect(page.locator("#pratinjau-tertunda")).to_be_visible()
    # Step 3 jumps to the end: the rows between can no longer be reached, said at step 4.
    page.locator('[name="step-2-time_amount"]').fill("1")
    end_key = f"s{draft.steps.get(number=7).pk}"
    page.locator('[name="step-2-flow_target_0"]').select_option(end_key)
    fourth = page.locator(f"#masalah-s{draft.steps.get(number=4).pk}")
    expect(fourth).to_contain_text("tidak dapat dicapai dari langkah Mulai")
    screenshot("sop-editor-masalah-di-baris")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_sop_writing_pages_have_no_serious_accessibility_violation(demo_live, page, axe, size):
    draft = _draft()
    page.set_viewport_size(VIEWPORTS[size])
    login(page, "datin")
    page.wait_for_url(re.compile(r"/$"))
    for name, url in {
        "SOP draf": f"/sop/{draft.pk}/",
        "identitas": f"/sop/{draft.pk}/ubah/",
        "pelaksana": f"/sop/{draft.pk}/pelaksana/",
        "langkah": f"/sop/{draft.pk}/langkah/",
        "SOP baru": "/sop/baru/",
    }.items():
        page.goto(url)
        axe(name)
    assert not axe.found, f"axe-core ({size}):\n" + report(axe.found)
