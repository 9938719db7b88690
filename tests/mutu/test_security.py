"""Production settings, login protection, uploads and hostile text."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from sasaran.models import Indicator, Realisation
from tests.conftest import logged_in

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_environment():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "SECRET_KEY": "k9$Wq2!vLx7@pR4#zT8^mN1&bY6*cH3(dF5)gJ0_sA2-eU7+iO9=lK4%",
        "ALLOWED_HOSTS": "mutu.example.go.id",
        "DATABASE_URL": "sqlite:///" + str(ROOT / "build" / "deploy-check.sqlite3"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_malformed_environment_fails_loudly():
    env = {**os.environ, "DEBUG": "maybe"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "DEBUG must be true or false" in result.stderr
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_security_headers(client, demo):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def attempt(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.axes
def test_repeated_failures_lock_the_account(client, demo, caplog):
    # Failures are no longer answered slowly (issue 14): tests/mutu/test_login_protection.py.
    assert attempt(client, "kepala", "salah").status_code == 200
    for _ in range(4):
        attempt(client, "kepala", "salah")
    response = attempt(client, "kepala", "sasaranmutu")  # right password, still locked
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "login failed: username='kepala'" in caplog.text


@pytest.mark.axes
def test_success_resets_the_count(client, demo):
    for _ in range(3):
        attempt(client, "cro", "salah")
    response = attempt(client, "cro", "sasaranmutu")
    assert response.status_code == 302 and client.session["_auth_user_id"]


def test_csrf_is_enforced_on_forms(demo):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    logged_in(client, "kasubbag")
    indicator = Indicator.objects.get(name="Persentase updating data kepegawaian")
    response = client.post(reverse("entry", args=[indicator.pk, "Q1"]), {"value": "1"})
    assert response.status_code == 403
    assert not Realisation.objects.exists()


HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', '=HYPERLINK("http://x")']


def test_hostile_text_is_inert_in_pages_pdf_and_excel(client, demo):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    logged_in(client, "kasubbag")
    indicator = Indicator.objects.get(name="Persentase updating data kepegawaian")
    for period, text in zip(("Q1", "Q2", "Q3"), HOSTILE, strict=True):
        client.post(
            reverse("entry", args=[indicator.pk, period]),
            {
                "value": "80",
                "note": text,
                "cause_analysis": text,
                "follow_up": text,
                "save": "1",
                "version": "",
            },
        )
    assert Realisation.objects.count() == 3
    html = client.get(reverse("entry", args=[indicator.pk, "Q1"])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    html = client.get(reverse("entry", args=[indicator.pk, "Q2"])).content.decode()
    assert '"><img src=x' not in html

    logged_in(client, "kepala")
    unit = "up-pmptsp-jaktim"
    for quarter in (1, 2, 3):
        xlsx = client.get(
            reverse("report_download", args=[unit, "xlsx"]), {"tahun": 2023, "tw": quarter}
        ).content
        ws = load_workbook(io.BytesIO(xlsx)).active
        cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        hostile = [c for c in cells if c.value in HOSTILE]
        assert hostile and all(c.data_type == "s" for c in hostile)
    pdf = client.get(reverse("report_download", args=[unit, "pdf"]), {"tahun": 2023, "tw": 1})
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "<script>alert(1)</script>" in " ".join(text.split())  # printed as text
