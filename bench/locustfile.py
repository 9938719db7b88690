"""Locust users for bench/load.py (run it through that script, which sets the environment).

- Officer (50): logs in, opens Tugas saya, opens an unfinished realisation, saves a draft
  with the version from the page and the CSRF token, then submits it.
- Head (5): opens the unit dashboard and the review queue, approves what is waiting.
- Floor / Page: the request floor (the trivial health view) and one page at a time, for
  the throughput ratios.

Every request alternates between the app servers named in LOAD_HOSTS (two gunicorn
instances), so one user's session is served by both: the servers share no state.
Acknowledged saves (a 302 after the POST) and every request's outcome are written to
LOAD_OUT as JSON when the run ends, for the runner's database check.
"""

import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, events, task

HOSTS = os.environ.get("LOAD_HOSTS", "http://127.0.0.1:8101").split(",")
PASSWORD = os.environ.get("LOAD_PASSWORD", "sasaranmutu")
PAGE = os.environ.get("LOAD_PAGE", "/sehat/")
TIMEOUT = float(os.environ.get("LOAD_TIMEOUT", "30"))

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'<input[^>]*name="version"[^>]*>')
VALUE = re.compile(r'value="(\d*)"')
ENTRY = re.compile(r'href="(/indikator/(\d+)/(Q[1-4]|Y)/)"')
APPROVE = re.compile(r'action="(/realisasi/(\d+)/setujui/)"')

RECORD = {"saves": [], "approvals": [], "requests": []}
_officers = itertools.count()
_heads = itertools.count()


@events.request.add_listener
def _log(request_type, name, response_time, response_length, response=None, exception=None, **kw):
    status = getattr(response, "status_code", 0) if response is not None else 0
    RECORD["requests"].append(
        (time.time(), name, status, round(response_time, 1), exception is not None)
    )


@events.quitting.add_listener
def _dump(environment, **kw):
    path = os.environ.get("LOAD_OUT")
    if path:
        with open(path, "w") as out:
            json.dump(RECORD, out)


class Browser:
    """A user's browser: requests alternate between the app servers."""

    def __init__(self, user):
        self.user = user
        self.hosts = itertools.cycle(random.sample(HOSTS, len(HOSTS)))

    def request(self, method, path, name=None, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", TIMEOUT)
        with self.user.client.request(
            method, next(self.hosts) + path, name=name or path, catch_response=True, **kwargs
        ) as response:
            if response.status_code >= 400 or response.status_code == 0:
                response.failure(f"HTTP {response.status_code}")
            else:
                response.success()
            return response

    def login(self, username):
        page = self.request("GET", "/masuk/", name="login form")
        token = CSRF.search(page.text or "")
        if not token:
            return False
        response = self.request(
            "POST",
            "/masuk/",
            name="login",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
            headers={"Referer": HOSTS[0] + "/masuk/"},
        )
        return response.status_code == 302


class Officer(HttpUser):
    weight = 10
    wait_time = between(0.5, 1.5)
    host = HOSTS[0]

    def on_start(self):
        self.username = f"petugas{next(_officers) % 50:02d}"
        self.browser = Browser(self)
        self.logged_in = self.browser.login(self.username)
        self.done = set()  # (indicator, period) submitted: not editable any more

    @task
    def enter_and_submit(self):
        if not self.logged_in:
            self.logged_in = self.browser.login(self.username)
            return
        tasks = self.browser.request("GET", "/tugas/", name="Tugas saya")
        links = [m for m in ENTRY.findall(tasks.text or "") if (m[1], m[2]) not in self.done]
        if not links:
            return
        path, pk, period = random.choice(links)
        for action in ("save", "submit"):
            page = self.browser.request("GET", path, name="entry form")
            token, version = CSRF.search(page.text or ""), VERSION.search(page.text or "")
            if page.status_code != 200 or not token or not version:
                return
            version = VALUE.search(version[0])  # no value attribute before the first save
            version = version[1] if version else ""
            value = random.randint(1, 999)
            started = time.time()
            response = self.browser.request(
                "POST",
                path,
                name=f"entry {action}",
                data={
                    "value": str(value),
                    "version": version,
                    action: "1",
                    "csrfmiddlewaretoken": token[1],
                },
                headers={"Referer": HOSTS[0] + path},
            )
            acknowledged = response.status_code == 302 and response.headers.get(
                "Location", ""
            ).endswith(path)
            RECORD["saves"].append(
                {
                    "indicator": int(pk),
                    "period": period,
                    "value": value,
                    "action": action,
                    "ack": acknowledged,
                    "at": started,
                }
            )
            if not acknowledged:
                return
        self.done.add((pk, period))


class Head(HttpUser):
    weight = 1
    wait_time = between(1, 3)
    host = HOSTS[0]

    def on_start(self):
        self.number = next(_heads) % 5
        self.browser = Browser(self)
        self.logged_in = self.browser.login(f"kepala-beban-{self.number}")

    @task
    def dashboard_and_approve(self):
        if not self.logged_in:
            self.logged_in = self.browser.login(f"kepala-beban-{self.number}")
            return
        self.browser.request("GET", f"/dasbor/up-beban-{self.number}/", name="dashboard")
        queue = self.browser.request("GET", "/tinjau/", name="review queue")
        token = CSRF.search(queue.text or "")
        for path, pk in APPROVE.findall(queue.text or "")[:5]:
            response = self.browser.request(
                "POST",
                path,
                name="approve",
                data={"csrfmiddlewaretoken": token[1]},
                headers={"Referer": HOSTS[0] + "/tinjau/"},
            )
            RECORD["approvals"].append({"realisation": int(pk), "ack": response.status_code == 302})


class Page(HttpUser):
    """One page as fast as it comes (LOAD_PAGE), logged in as an officer or a head."""

    weight = 1  # chosen by name on the command line, never mixed with the others
    wait_time = between(0, 0)
    host = HOSTS[0]

    def on_start(self):
        self.browser = Browser(self)
        # A session made once by the runner: the figures are the page's, not the logins'.
        if os.environ.get("LOAD_SESSION"):
            self.client.cookies.set("sessionid", os.environ["LOAD_SESSION"])

    @task
    def page(self):
        self.browser.request("GET", PAGE, name=PAGE)
