"""The official documents as PDF: text, page count, header and page numbers on every page."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from sasaran import periods
from sasaran.documents import export_pdf
from sasaran.documents.manual import manual_document
from sasaran.models import QualityManual, Realisation
from sasaran.periods import long_date
from tests.conftest import logged_in

pytestmark = pytest.mark.usefixtures("demo_examples")

UP = "up-pmptsp-jaktim"


def pages(content):
    reader = PdfReader(io.BytesIO(content))
    return [page.extract_text() for page in reader.pages]


def flat(text):
    return " ".join(text.split())


def lines_by_height(page):
    """(distance from the top of the page, text) of each piece of text, footer left out."""
    found = []

    def visit(text, _cm, tm, _font, _size):
        if text.strip() and not text.startswith("Halaman"):
            found.append((tm[5], text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def headings_at_foot(content, headings):
    """The headings that are the last text of a page (nothing of the table below them)."""
    alone = []
    for n, page in enumerate(PdfReader(io.BytesIO(content)).pages, start=1):
        found = lines_by_height(page)
        bottom = max(y for y, _text in found)
        alone += [(n, text) for y, text in found if text in headings and y >= bottom - 1]
    return alone


def test_sasaran_mutu_document_pdf(kepala):
    response = kepala.get(reverse("document_download", args=[UP, 2023, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    texts = pages(response.content)
    assert len(texts) >= 4
    for n, text in enumerate(texts, start=1):
        assert "MANUAL MUTU" in text and "Dokumen No : L2/MM-02" in text
        assert "Tanggal Berlaku : 1 Juli 2023" in text  # dates as everywhere: 1 Juli 2023
        assert f"Halaman {n} dari {len(texts)}" in text
        assert "PENANGGUNG" in text  # the table header repeats, on the last page too
    whole = " ".join(" ".join(t.split()) for t in texts)
    assert "Persentase Penerbitan Izin Tepat Waktu" in whole
    assert "18,605 T" in whole and "3,721 T" in whole
    assert "Staf Pelaksana" in whole and "Kepala Subbagian Tata Usaha Unit Pelaksanan" in whole
    assert "Hendra Wijaya" in whole and "NIP 197001011995031001" in whole

    # The signature keeps company with the last rows of the table (the demo's document used
    # to leave it alone on a ninth page), under the place and the manual's effective date.
    last = flat(texts[-1])
    assert "Mengantar surat kepada pihak terkait tepat waktu" in last  # the last row
    assert "Tracking Jakevo" in last  # and the one before it
    assert "Jakarta, 1 Juli 2023 Kepala Unit PMPTSP Kota Jakarta Timur Hendra Wijaya" in last
    assert all("Hendra Wijaya" not in t for t in texts[:-1])
    sections = ["Kepala Unit", "Staf Pelaksana"]
    sections.append("Kepala Subbagian Tata Usaha Unit Pelaksanan PMPTSP Kota Jakarta Timur")
    assert headings_at_foot(response.content, sections) == []


@pytest.mark.parametrize("introduction_words", [0, 300, 700])
def test_no_section_title_alone_at_a_page_foot(introduction_words):
    """Two objectives per section: without `break-after: avoid` on the section rows these
    layouts end page 1 with a section's title and put its rows on page 2."""
    manual = QualityManual.objects.get(unit__code=UP, year=2023)
    manual.introduction = " ".join(["Pengantar"] * introduction_words)
    doc = manual_document(manual)
    for block in doc["sections"]:
        block.objectives = block.objectives[:2]
    content = export_pdf.manual_pdf(doc)

    titles = {s.section.title for s in doc["sections"]}
    assert headings_at_foot(content, titles) == []
    texts = [flat(t) for t in pages(content)]
    assert len(texts) >= 2
    assert "Jakarta, 1 Juli 2023" in texts[-1] and "PENANGGUNG" in texts[-1]
    assert doc["sections"][-1].objectives[-1].objective.text[:40] in texts[-1]


@pytest.mark.parametrize("place", ["Bekasi", ""])
def test_signature_place_is_a_setting(settings, place):
    settings.SIGNATURE_PLACE = place or "Jakarta"  # the settings file never leaves it empty
    manual = QualityManual.objects.get(unit__code=UP, year=2023)
    text = flat(pages(export_pdf.manual_pdf(manual_document(manual)))[-1])
    assert f"{place or 'Jakarta'}, 1 Juli 2023 Kepala Unit PMPTSP" in text


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
    # Signed under the table, on the day it is printed, with the table's last rows; the
    # charts follow as an attachment.
    with translation.override("id"):
        today = long_date(periods.today())
    signed = next(n for n, t in enumerate(texts) if "Hendra Wijaya" in t)
    assert f"Jakarta, {today}" in flat(texts[signed]) and f"Dicetak : {today}" in texts[0]
    assert "Mengantar surat kepada pihak terkait tepat waktu" in flat(texts[signed])
    assert all("Grafik target" not in t for t in texts[: signed + 1])


def test_user_text_is_not_markup_in_pdf(kepala):
    row = Realisation.objects.filter(
        period="Q2", indicator__objective__section__manual__unit__code=UP
    ).first()
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
