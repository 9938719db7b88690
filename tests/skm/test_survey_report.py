"""The survey result as a PDF report: text, page count, header on every page, charts drawn
as SVG on the server, the sample warning, access (404 outside the user's units)."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from mutu.demo import load_example_survey
from sasaran.skm import charts as survey_charts
from sasaran.skm import services as survey_services
from tests.conftest import BUILD, logged_in


def pages(content):
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def flat(texts):
    return " ".join(" ".join(t.split()) for t in texts)


@pytest.fixture
def survey(demo):
    return load_example_survey()  # 30 respondents, population 120 (minimum 92)


def download(client, survey, username="kepala"):
    logged_in(client, username)
    return client.get(reverse("survey_pdf", args=[survey.pk]))


def test_survey_pdf_report(client, survey):
    response = download(client, survey)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "hasil-skm-2023-quarter-1.pdf" in response["Content-Disposition"]
    (BUILD / "skm-laporan.pdf").parent.mkdir(exist_ok=True)
    (BUILD / "skm-laporan.pdf").write_bytes(response.content)
    texts = pages(response.content)
    assert 2 <= len(texts) <= 6
    for n, text in enumerate(texts, start=1):
        assert "LAPORAN SURVEI KEPUASAN MASYARAKAT" in " ".join(text.split())
        assert f"Halaman {n} dari {len(texts)}" in text
    whole = flat(texts)
    result = survey_services.survey_result(survey)
    assert re.fullmatch(r"\d{2},\d{2}", result.ikm_text)
    assert f"{result.ikm_text} IKM (konversi 25–100)" in whole
    assert result.interval_text in whole and result.ikm.kinerja in whole
    for row in result.service_rows:  # per-service IKM beside the pooled one
        assert f"{row.service.name} {row.respondents} {row.ikm_text}" in whole
    assert f"Unit (seluruh responden) 30 {result.ikm_text}" in whole
    assert "Rencana tindak lanjut" in whole
    assert "memperjelas informasi waktu penyelesaian" in whole
    assert "Minimal sampel menurut Krejcie dan Morgan: 92 responden" in whole
    assert "kurang dari minimal sampel Krejcie-Morgan (92)" in whole
    assert "Unsur terendah:" in whole and "Unsur tertinggi:" in whole
    assert "Profil responden" in whole and "Jenis kelamin" in whole
    assert "Lampiran: rekap per responden" in whole
    assert "NIP" in whole  # the head of unit signs


def test_no_warning_when_the_sample_is_enough(client, survey):
    survey.population = 30  # minimum 28
    survey.save()
    whole = flat(pages(download(client, survey).content))
    assert "Minimal sampel menurut Krejcie dan Morgan: 28 responden" in whole
    assert "Peringatan" not in whole and "kurang dari minimal sampel" not in whole


def test_pdf_of_a_survey_without_respondents(client, demo):
    from sasaran.models import Unit

    survey = survey_services.survey_create(
        unit=Unit.objects.get(code="up-pmptsp-jaktim"), year=2023, services=["Perizinan"]
    )
    texts = pages(download(client, survey).content)
    whole = flat(texts)
    assert len(texts) == 1
    assert "Belum ada responden" in whole and "Belum diisi." in whole


@pytest.mark.parametrize("username", ["kadis", "datin"])
def test_other_units_get_404(client, survey, username):
    assert download(client, survey, username).status_code == 404


def test_result_page_draws_the_same_svg_charts(client, survey):
    logged_in(client, "cro")
    html = client.get(reverse("survey_detail", args=[survey.pk])).content.decode()
    assert html.count('class="bar-chart"') == 6  # five profile groups and NRR per unsur
    assert 'class="progress' not in html
    assert reverse("survey_pdf", args=[survey.pk]) in html


def test_bar_chart_geometry():
    chart = survey_charts.bar_chart(
        "x", [("a", 50, "1 (50 %)", "normal"), ("b", 100, "1 (100 %)", "weak")], 100
    )
    assert [b["width"] for b in chart.bars] == ["100.0", "200.0"]
    assert chart.bars[1]["colour"] == survey_charts.COLOURS["weak"]
    assert "," not in chart.bars[0]["y"]
