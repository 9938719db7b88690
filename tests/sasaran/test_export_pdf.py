"""The official documents as PDF: text, page count, header and page numbers on every page."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from sasaran.models import Realisation
from tests.conftest import logged_in

pytestmark = pytest.mark.usefixtures("demo_examples")

UP = "up-pmptsp-jaktim"


def pages(content):
    reader = PdfReader(io.BytesIO(content))
    return [page.extract_text() for page in reader.pages]


def test_sasaran_mutu_document_pdf(kepala):
    response = kepala.get(reverse("document_download", args=[UP, 2023, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    texts = pages(response.content)
    assert len(texts) >= 4
    for n, text in enumerate(texts, start=1):
        assert "MANUAL MUTU" in text and "Dokumen No : L2/MM-02" in text
        assert "Tanggal Berlaku : Juli 2023" in text
        assert f"Halaman {n} dari {len(texts)}" in text
        if n < len(texts):  # the last page may hold only the signature
            assert "PENANGGUNG" in text  # the table header repeats
    whole = " ".join(" ".join(t.split()) for t in texts)
    assert "Persentase Penerbitan Izin Tepat Waktu" in whole
    assert "18,605 T" in whole and "3,721 T" in whole
    assert "Staf Pelaksana" in whole and "Kepala Subbagian Tata Usaha Unit Pelaksanan" in whole
    assert "Hendra Wijaya" in whole and "NIP 197001011995031001" in whole


def test_quarterly_report_pdf(kepala):
    response = kepala.get(reverse("report_download", args=[UP, "pdf"]), {"tahun": 2023, "tw": 2})
    texts = pages(response.content)
    whole = " ".join(" ".join(t.split()) for t in texts)
    assert "LAPORAN CAPAIAN SASARAN MUTU" in texts[0] and "Triwulan 2 Tahun 2023" in texts[0]
    assert "target tercapai" in texts[0]
    # 7,020 T / 7,442 T = 94,3295 %: rounded half up for display, not cut to 94,32.
    assert "Rp 7.020.000.000.000" in whole and "94,33 %" in whole
    assert "Tindak lanjut:" in whole
    assert "Grafik target dan realisasi 2023" in whole


def test_user_text_is_not_markup_in_pdf(kepala):
    row = Realisation.objects.filter(period="Q2").first()
    row.note = '<b>tebal</b> "><img src=x onerror=alert(1)>'
    row.save(update_fields=["note"])
    response = kepala.get(reverse("report_download", args=[UP, "pdf"]), {"tahun": 2023, "tw": 2})
    whole = " ".join(pages(response.content))
    assert "<b>tebal</b>" in whole


def test_comparison_pdf_for_parent(client, demo_examples):
    logged_in(client, "kadis")
    response = client.get(
        reverse("comparison_download", args=["dpmptsp-dki", "pdf"]), {"tahun": 2023, "tw": 2}
    )
    text = pages(response.content)[0]
    assert "PERBANDINGAN CAPAIAN ANTAR UNIT" in text and "UP PMPTSP Kota Jakarta Timur" in text


def test_downloads_refuse_other_users(client, demo_examples):
    logged_in(client, "kepala")
    assert (
        client.get(reverse("comparison_download", args=["dpmptsp-dki", "pdf"])).status_code == 404
    )
    logged_in(client, "cro")
    assert client.get(reverse("document_download", args=[UP, 2023, "doc"])).status_code == 404
    assert client.get(reverse("document_download", args=[UP, 1999, "pdf"])).status_code == 404


def test_document_page_has_download_buttons(kepala):
    html = kepala.get(reverse("document", args=[UP, 2023])).content.decode()
    assert reverse("document_download", args=[UP, 2023, "pdf"]) in html
    assert reverse("document_download", args=[UP, 2023, "xlsx"]) in html
    assert "Persentase Penerbitan Izin Tepat Waktu" in html


def test_export_command_writes_pdf(demo_examples, tmp_path):
    out = tmp_path / "tw2.pdf"
    call_command(
        "export_sasaran",
        "--unit",
        UP,
        "--year",
        "2023",
        "--quarter",
        "2",
        "--format",
        "pdf",
        "--output",
        str(out),
    )
    assert "Triwulan 2 Tahun 2023" in pages(out.read_bytes())[0]
    out = tmp_path / "doc.pdf"
    call_command(
        "export_sasaran", "--unit", UP, "--year", "2023", "--format", "pdf", "--output", str(out)
    )
    assert "MANUAL MUTU" in pages(out.read_bytes())[0]
