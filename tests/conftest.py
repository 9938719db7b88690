import os
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# tests next to it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
BUILD = Path(__file__).resolve().parent.parent / "build"
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", BUILD / "screenshots"))
DEMO_PASSWORD = "sasaranmutu"


@pytest.fixture(autouse=True)
def _no_login_lockout(settings, request):
    """django-axes needs a request in authenticate(); the test client's login() gives none.
    Login protection is switched on only by the tests about it (marked `axes`)."""
    settings.AXES_ENABLED = bool(request.node.get_closest_marker("axes"))


@pytest.fixture
def demo(db):
    """The seed's Sasaran Mutu 2023 with its units, positions and demo users."""
    call_command("load_demo", "--without-examples", verbosity=0)


@pytest.fixture
def demo_examples(db):
    """The demo data with the example realisations of 2023 TW 1-3."""
    call_command("load_demo", verbosity=0)


@pytest.fixture
def demo_live(transactional_db):
    call_command("load_demo", "--without-examples", verbosity=0)


@pytest.fixture
def demo_examples_live(transactional_db):
    call_command("load_demo", verbosity=0)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under build/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def login(page, username, password=DEMO_PASSWORD):
    page.goto("/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
