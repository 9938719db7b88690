"""Fixtures shared by every test: the demo data, the demo personas and the browser.

The demo data. Most tests start from the data `make run` shows: `demo` is the seed's Sasaran
Mutu 2023 with its units, positions and demo users (`load_demo --without-examples`),
`demo_examples` adds the invented example realisations and survey of 2023 (`load_demo`).
The command takes about 1.5 s and some 270 tests need it, so each test process runs it once
per variant and remembers the rows it added to the freshly migrated database (`DemoRows`);
later tests get those rows inserted again in a few milliseconds, inside their own transaction
that is rolled back afterwards. The copy is used only when the database is exactly as it was
when the rows were read (every row of every table compared); otherwise, for example after a
transactional test has flushed the database, `load_demo` runs again as it always did.
"""

import datetime
import functools
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, connections, transaction

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


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in Indonesian: a request in English (LocaleMiddleware)
    leaves the thread's language switched, which would change the next test's messages."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.activate("id")


# --------------------------------------------------------------------------- demo data


def _read_tables(tables):
    """Every row of every table: {table: (column names, set of rows)}."""
    state = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = tuple(column[0] for column in cursor.description)
            rows = {
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in cursor.fetchall()
            }
            state[table] = (columns, rows)
    return state


def _media_files():
    """The files under MEDIA_ROOT (uploads), which a database copy does not bring back."""
    root = Path(django_settings.MEDIA_ROOT)
    return set(root.rglob("*")) if root.exists() else set()


def _sqlite_sequences():
    """SQLite's AUTOINCREMENT counters, {table: last id handed out}."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, seq FROM sqlite_sequence")
        return dict(cursor.fetchall())


class DemoRows:
    """The rows one run of `load_demo` added to a database, to insert again in later tests."""

    def __init__(self, tables, before, after, counters, wrote_files):
        self.tables = tables
        self.before = before
        self.added = {}  # {table: (columns, rows)}, only the tables that got rows
        for table, (columns, rows) in after.items():
            new = rows - before[table][1]
            if new:
                self.added[table] = (columns, sorted(new, key=repr))
        # The command must only have added rows (a changed or deleted row cannot be copied)
        # and written no file.
        self.usable = all(before[t][1] <= after[t][1] for t in tables) and not wrote_files
        self.counters = {t: counters[t] for t in self.added if t in counters}

    @classmethod
    def by_running(cls, *args):
        """Run `load_demo` with args and remember what it added."""
        tables = sorted(
            connection.introspection.django_table_names(only_existing=True, include_views=False)
        )
        before, files = _read_tables(tables), _media_files()
        call_command("load_demo", *args, verbosity=0)
        counters = _sqlite_sequences() if connection.vendor == "sqlite" else {}
        return cls(tables, before, _read_tables(tables), counters, _media_files() != files)

    def fits(self):
        """Whether the database is exactly as it was before the rows were read."""
        return self.usable and _read_tables(self.tables) == self.before

    def insert(self):
        """Insert the rows (foreign keys are checked at commit, so the order does not matter)
        and move the id counters past them, as `load_demo` left them."""
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            for table, (columns, rows) in self.added.items():
                names = ", ".join(quote(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                if connection.vendor == "sqlite":  # sqlite3 reads TIME columns but cannot bind them
                    rows = [
                        tuple(v.isoformat() if isinstance(v, datetime.time) else v for v in row)
                        for row in rows
                    ]
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
            for table, last in self.counters.items():  # SQLite
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last, table])
            models = [
                model
                for model in apps.get_models(include_auto_created=True)
                if model._meta.db_table in self.added
            ]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):  # PostgreSQL
                cursor.execute(sql)


_demo_rows = {}  # {load_demo arguments: DemoRows}, for this test process


def load_demo_data(*args):
    """What `call_command("load_demo", *args)` does to an empty database, fast after the
    first time."""
    rows = _demo_rows.get(args)
    if rows is not None and rows.fits():
        rows.insert()
    else:
        _demo_rows[args] = DemoRows.by_running(*args)


@pytest.fixture
def empty_cache(db):
    """The cache empty before and after the test: the survey's one-time form tokens and
    results and the comparison's figures are kept there, across tests otherwise."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo(db):
    """The seed's Sasaran Mutu 2023 with its units, positions and demo users."""
    load_demo_data("--without-examples")


@pytest.fixture
def demo_examples(db):
    """The demo data with the example realisations of 2023 TW 1-3."""
    load_demo_data()


@pytest.fixture
def demo_live(transactional_db):
    """`demo` committed, for a live server and the browser (the database is flushed after)."""
    load_demo_data("--without-examples")


@pytest.fixture
def demo_examples_live(transactional_db):
    """`demo_examples` committed, for a live server and the browser."""
    load_demo_data()


# --------------------------------------------------------------------------- personas
# The demo users a test acts as; all have the password DEMO_PASSWORD. In UP PMPTSP Kota
# Jakarta Timur: kepala (the head, who reviews), kasubbag (Kasubbag TU, enters realisations),
# analis, cro, juruukur, pengolah, caraka (staff officers). kadis heads the provincial Dinas
# above it, admin is the superuser, datin (DPMPTSP Jawa Barat) owns the demo SOP.


def logged_in(client, username):
    """`client` logged in as the demo user `username` (no password check)."""
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _demo_data_of(request):
    """Load the demo data the test asks for (`demo_examples`, ...) and `demo` otherwise:
    the personas are demo users."""
    for name in ("demo_examples", "demo_live", "demo_examples_live"):
        if name in request.fixturenames:
            return request.getfixturevalue(name)
    return request.getfixturevalue("demo")


@pytest.fixture
def login_as(client, db, request):
    """Log the test's `client` in as a demo user and return it: `login_as("kepala").get(url)`.
    A later call logs the same client in as someone else."""
    _demo_data_of(request)
    return functools.partial(logged_in, client)


@pytest.fixture
def kepala(login_as):
    """The test's client, logged in as the head of UP PMPTSP Kota Jakarta Timur."""
    return login_as("kepala")


@pytest.fixture
def kasubbag(login_as):
    """The test's client, logged in as the unit's Kasubbag TU (an officer who enters)."""
    return login_as("kasubbag")


@pytest.fixture
def kadis(login_as):
    """The test's client, logged in as the head of the provincial Dinas (the parent unit)."""
    return login_as("kadis")


@pytest.fixture
def superuser(login_as):
    """The test's client, logged in as the demo superuser `admin` (who may use /admin/)."""
    return login_as("admin")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # While Playwright runs, an event loop runs in this thread, and Django's ORM takes another
    # database connection for it (connections are kept per async context). Closing the
    # connections before and after leaves none open when the test database is dropped.
    connections.close_all()
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
        connections.close_all()


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
