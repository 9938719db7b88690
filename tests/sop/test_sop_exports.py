"""The SOP exports: PDF (text and pages, off-page connectors), Excel cells, the command."""

import io
import re
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from mutu.demo import load_seed_sop
from sasaran import pdf as mutu_pdf
from sop import exports, flowchart
from sop.models import Sop
from tests.factories import build_complex_sop, build_long_sop, build_sop

PASSWORD = "sasaranmutu"


@pytest.fixture
def seed(demo):
    return load_seed_sop(with_user=True)


def _long_sop(unit, count=20):
    actors = ["Pemohon", "Petugas", "Kepala Seksi"]
    first = {"number": 1, "activity": "Mengajukan permohonan", "actor": "Pemohon"}
    steps = [{**first, "kind": "start"}]
    for n in range(2, count):
        steps.append(
            {
                "number": n,
                "activity": f"Memeriksa berkas tahap {n} sesuai daftar periksa",
                "actor": actors[n % 3],
                "kind": "process",
                "requirements": "Berkas",
                "time_amount": 15,
                "time_unit": "menit",
                "output": "Berkas diperiksa",
            }
        )
    steps.append({"number": count, "activity": "Menerbitkan izin", "actor": "Kepala Seksi",
                  "kind": "end"})  # fmt: skip
    return build_sop(unit, "LONG/1", actors, steps, name="Penerbitan Izin Uji")


def _pdf_pages(content):
    reader = PdfReader(io.BytesIO(content))
    return [page.extract_text() for page in reader.pages]


def test_seed_pdf_identity_then_flowchart(seed, client):
    client.login(username="datin", password=PASSWORD)
    response = client.get(f"/sop/{seed.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pages = _pdf_pages(response.content)
    assert len(pages) == 2
    assert "62/ 1687 / DATIN /2023" in pages[0]
    assert "PEMERINTAH PROVINSI JAWA BARAT" in pages[0]
    assert "Dasar Hukum" in pages[0] and "Kualifikasi Pelaksana" in pages[0]
    assert "Peraturan Presiden No. 42 Tahun 2020" in pages[0]
    flow = " ".join(pages[1].split())
    assert "Penyusunan Laporan Kinerja PTSP dan PPB" in flow
    assert "Membentuk Tim Penilaian Kinerja" in flow and "Disposisi ketua Tim RBZI" in flow
    assert "180 Menit" in flow and "Mutu Baku" in flow and "Tim Urusan" in flow
    assert "31,8 hari kerja" in flow


def test_long_sop_continues_over_pages_with_connectors(seed):
    sop = _long_sop(seed.unit)
    pages = _pdf_pages(exports.sop_pdf(sop))
    assert len(pages) >= 3
    assert "Menerbitkan izin" in pages[-1]
    assert "bagian 1 dari" in pages[1] and "bagian 2 dari" in pages[2]


def test_connector_numbered_on_both_pages(seed):
    sop = _long_sop(seed.unit)
    actors, steps = exports.parts(sop)
    drawings = flowchart.draw(steps, actors, page_height=600)
    assert len(drawings) >= 2
    for index in range(len(drawings) - 1):
        number = index + 1
        assert drawings[index].count(f'data-connector="{number}"') == 1
        assert drawings[index + 1].count(f'data-connector="{number}"') == 1
    assert sum(d.count('class="symbol ') for d in drawings) == 20


def test_a_long_sop_pdf_in_a_few_seconds(seed):
    sop = build_long_sop(seed.unit)
    start = time.perf_counter()
    content = exports.sop_pdf(sop)
    assert time.perf_counter() - start < 10  # bench/sop.py: about 2 s
    pages = _pdf_pages(content)
    assert len(pages) == 1 + len(exports.flow_pages(sop)) >= 4
    assert "Kegiatan ke-40 dari prosedur yang panjang" in " ".join(pages[-1].split())


def test_excel_identity_and_steps(seed, client):
    client.login(username="datin", password=PASSWORD)
    response = client.get(f"/sop/{seed.pk}/xlsx/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    ws = book["SOP"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    identity = {row[0]: row[1] for row in rows if row[0]}
    assert rows[0][0] == "PEMERINTAH PROVINSI JAWA BARAT"
    assert identity["Nomor SOP"] == "62/ 1687 / DATIN /2023"
    assert identity["Nama SOP"] == "Penyusunan Laporan Kinerja PTSPdan PPB"
    assert identity["Tanggal Efektif"] == "27 Juni 2023"
    assert identity["Peralatan/Perlengkapan"] == "- Komputer, Alat Tulis Kantor (ATK) dan Telepon"
    head = next(i for i, row in enumerate(rows) if row[1] == "Uraian Kegiatan")
    assert rows[head] == [
        "No", "Uraian Kegiatan", "Kadis", "Urusan /Tim", "Tim Urusan Datin", "Simbol",
        "Lanjut ke", "Kelengkapan", "Waktu", "Satuan", "Waktu (jam)", "Output", "Keterangan",
    ]  # fmt: skip
    first, last = rows[head + 1], rows[head + 7]
    assert first[:7] == [1, "Membentuk Tim Penilaian Kinerja PTSP dan PPB", "Mulai", None, None,
                         "Mulai", "2"]  # fmt: skip
    # the time as a number, its unit beside it, and in hours
    assert first[7:] == ["Disposisi ketua Tim RBZI", 180, "Menit", 3,
                         "SP Tim Penilaian Kinerja PTSP dan PPB", None]  # fmt: skip
    assert last[4] == "Selesai" and last[6] is None and last[8:11] == [2, "Hari", 15]
    total = next(row for row in rows if row[0] == "Total waktu baku")
    assert total[1].startswith("31,8 hari kerja") and total[9:11] == ["jam", 238.5]
    assert ws.cell(head + 2, 9).number_format == "0.##"
    # A4 landscape, the table's head repeated on every printed page
    assert ws.print_title_rows == f"${head + 1}:${head + 1}"
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"  # A4
    assert ws.page_setup.fitToWidth == 1
    # the flowchart as a picture on its own sheet, one page
    chart = book["Bagan Alir"]
    assert len(chart._images) == 1 and not chart.row_breaks.brk
    assert chart["A1"].value == "Penyusunan Laporan Kinerja PTSP dan PPB"


def test_excel_of_every_row_shape(seed):
    sop = build_complex_sop(seed.unit)
    book = load_workbook(io.BytesIO(exports.sop_workbook(sop)))
    rows = [[c.value for c in row] for row in book["SOP"].iter_rows()]
    head = next(i for i, row in enumerate(rows) if row[1] == "Uraian Kegiatan")
    table = {row[1]: row for row in rows[head + 1 :] if row[1]}
    lanes = rows[head][2:8]
    assert lanes[2] == "Aplikasi SP4N-LAPOR" and lanes[5] == "Ruang Konsultasi"
    decision = table["Memilah saluran pengaduan yang masuk"]
    assert decision[9] == "Kotak Pengaduan: 3; Daring: 4; Tatap muka: 5"
    fork = table["Menelaah pengaduan: perlu pemeriksaan tim teknis?"]
    assert fork[0] == 7 and fork[9] == "Ya: 8, 9; Tidak: 10"  # numbered as printed
    joint = table["Menerima pengadu di ruang konsultasi"]
    assert [bool(v) for v in joint[2:8]] == [False, True, False, False, False, True]
    note = table["Pengaduan tanpa identitas tetap dicatat dan ditindaklanjuti."]
    assert note[0] is None and note[8] == "Catatan (tanpa nomor)"
    assert table["Menyiapkan jawaban langsung"][9] == "baris 13"  # to the connector row
    assert table["Menyampaikan pengaduan melalui salah satu saluran"][8] == "Mulai, Proses"
    assert table["Menutup pengaduan dan mengarsipkan berkas"][8] == "Proses, Selesai"
    chart = book["Bagan Alir"]
    pages = exports.flow_pages(sop)
    assert len(chart._images) == len(pages) >= 2
    assert len(chart.row_breaks.brk) == len(pages) - 1
    assert int(chart.page_setup.paperSize) == 9


def test_pdf_of_every_row_shape(seed):
    sop = build_complex_sop(seed.unit, date_label="pengesahan", related_text=(
        f"{seed.number} {seed.name}\nSOP Pengelolaan Arsip (belum ada di aplikasi)"
    ))  # fmt: skip
    pages = _pdf_pages(exports.sop_pdf(sop))
    flow_pages = exports.flow_pages(sop)
    assert len(pages) == 1 + len(flow_pages) and len(flow_pages) >= 2
    assert "Tanggal Pengesahan" in pages[0] and "Tanggal Efektif" not in pages[0]
    assert "SOP Pengelolaan Arsip (belum ada di aplikasi)" in pages[0]
    text = " ".join(" ".join(page.split()) for page in pages[1:])
    for words in (
        "Kotak Pengaduan",
        "Tatap muka",
        "Daring",
        "Tidak",
        "Mulai",
        "Selesai",
        "Pengaduan tanpa identitas tetap",
        "Aplikasi SP4N-LAPOR",
        "Ruang Konsultasi",
    ):
        assert words in text, words  # fmt: skip
    assert f"bagian 1 dari {len(flow_pages)}" in text
    # every connector number printed once on each of its two pages
    for number in range(1, 4):
        found = [i for i, page in enumerate(pages[1:]) if re.search(rf"(^|\s){number}(\s|$)",
                 page)]  # fmt: skip
        assert len(found) >= 2, number


def test_related_text_links_where_the_sop_is_visible(seed, client):
    sop = build_complex_sop(seed.unit, related_text=(
        "- 62/1687/DATIN/2023 (penilaian kinerja)\n- SOP Pengelolaan Arsip"
    ))  # fmt: skip
    items = exports.related_items(sop, Sop.objects.all())
    assert [(i["text"], i["sop"]) for i in items] == [
        ("- 62/1687/DATIN/2023 (penilaian kinerja)", seed),
        ("- SOP Pengelolaan Arsip", None),
    ]
    assert [i["sop"] for i in exports.related_items(sop, Sop.objects.none())] == [None, None]
    html = render_to_string("sop/_identity.html", exports.context(sop, [], Sop.objects.all()))
    assert f'<a href="/sop/{seed.pk}/">- 62/1687/DATIN/2023 (penilaian kinerja)</a>' in html
    assert "<li>- SOP Pengelolaan Arsip</li>" in html


def test_logo_in_the_identity_of_page_pdf_and_workbook(seed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    picture = io.BytesIO()
    Image.new("RGB", (120, 80), "navy").save(picture, format="PNG")
    seed.logo.save("logo.png", ContentFile(picture.getvalue()))
    html = render_to_string("sop/_identity.html", exports.context(seed, []))
    assert f'<img class="sop-logo" src="/sop/{seed.pk}/logo/"' in html
    reader = PdfReader(io.BytesIO(exports.sop_pdf(seed)))
    assert len(reader.pages[0].images) == 1
    book = load_workbook(io.BytesIO(exports.sop_workbook(seed)))
    assert len(book["SOP"]._images) == 1
    # a logo that is not a picture is left out, not an error
    seed.logo.save("rusak.png", ContentFile(b"bukan gambar"))
    assert len(PdfReader(io.BytesIO(exports.sop_pdf(seed))).pages[0].images) == 0


def test_excel_never_turns_text_into_a_formula(seed):
    step = seed.steps.get(number=2)
    step.activity = '=HYPERLINK("http://example.com","klik")'
    step.output = "+1+2"
    step.save()
    seed.warning = "@SUM(A1)"
    seed.save()
    ws = load_workbook(io.BytesIO(exports.sop_workbook(seed)))["SOP"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    equipment = "- Komputer, Alat Tulis Kantor (ATK) dan Telepon"
    for text in (step.activity, "+1+2", "@SUM(A1)", equipment):
        assert cells[text].data_type == "s"


def test_export_command_writes_both_formats(seed, tmp_path):
    for fmt in ("pdf", "xlsx"):
        out = tmp_path / f"sop.{fmt}"
        call_command("export_sop", sop=seed.pk, format=fmt, output=str(out), stdout=io.StringIO())
        assert out.stat().st_size > 1000
    assert len(PdfReader(tmp_path / "sop.pdf").pages) == 2
    ws = load_workbook(tmp_path / "sop.xlsx").active
    assert ws["A1"].value == "PEMERINTAH PROVINSI JAWA BARAT"


def test_export_command_unknown_sop(db, tmp_path):
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("export_sop", sop=999, format="pdf", output=str(tmp_path / "x.pdf"))


def test_pdf_fetcher_refuses_anything_but_static_files(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    assert mutu_pdf.is_static_file(mutu_pdf.static_uri("css/app.css"))
    assert not mutu_pdf.is_static_file(secret.as_uri())
    assert not mutu_pdf.is_static_file("http://example.com/x.css")
    assert not mutu_pdf.is_static_file("file:///etc/passwd")
    fetcher = mutu_pdf._fetcher_class()()
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(secret.as_uri())
    assert b"body" in fetcher.fetch(mutu_pdf.static_uri("css/app.css")).read()


def test_pdf_renders_user_html_as_text(db):
    html = (
        "<html><body><p>SOP &lt;img src=x&gt;</p>"
        '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://example.com/a.css">'
        "</body></html>"
    )
    content = mutu_pdf.html_to_pdf(html)
    assert "SOP <img src=x>" in _pdf_pages(content)[0]


def test_a_long_identity_shares_its_last_page_with_the_flowchart(seed):
    """An identity part a little longer than a page: the flowchart starts on its second
    page instead of leaving that page nearly empty."""
    basis = "\n".join(
        f"- Peraturan Menteri PAN-RB Nomor {n} Tahun 2012 tentang Pedoman Penyusunan Standar "
        "Operasional Prosedur Administrasi Pemerintahan, sebagaimana telah diubah"
        for n in range(1, 15)
    )
    sop = build_complex_sop(seed.unit, legal_basis=basis, records="Register pengaduan")
    pages = [" ".join(p.split()) for p in _pdf_pages(exports.sop_pdf(sop))]
    assert "Dasar Hukum" in pages[0] and "Pencatatan dan Pendataan" in pages[1]
    assert "Register pengaduan" in pages[1] and "(bagian 1 dari" in pages[1]
    # and a short identity keeps its page to itself
    short = _pdf_pages(exports.sop_pdf(build_complex_sop(seed.unit, number="PGD/2")))
    assert "bagian" not in short[0] and "(bagian 1 dari" in short[1]
