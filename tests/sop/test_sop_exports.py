"""The SOP exports: PDF (text and pages, off-page connectors), Excel cells, the command."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from mutu.demo import load_seed_sop
from sasaran import pdf as mutu_pdf
from sop import exports, flowchart
from tests.factories import build_sop

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


def test_excel_identity_and_steps(seed, client):
    client.login(username="datin", password=PASSWORD)
    response = client.get(f"/sop/{seed.pk}/xlsx/")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    identity = {row[0]: row[1] for row in rows if row[0]}
    assert rows[0][0] == "PEMERINTAH PROVINSI JAWA BARAT"
    assert identity["Nomor SOP"] == "62/ 1687 / DATIN /2023"
    assert identity["Nama SOP"] == "Penyusunan Laporan Kinerja PTSPdan PPB"
    assert identity["Peralatan/Perlengkapan"] == "- Komputer, Alat Tulis Kantor (ATK) dan Telepon"
    head = next(i for i, row in enumerate(rows) if row[1] == "Uraian Kegiatan")
    assert rows[head][:5] == ["No", "Uraian Kegiatan", "Kadis", "Urusan /Tim", "Tim Urusan Datin"]
    first, last = rows[head + 1], rows[head + 7]
    assert first[:5] == [1, "Membentuk Tim Penilaian Kinerja PTSP dan PPB", "Mulai", None, None]
    assert first[8:12] == ["Disposisi ketua Tim RBZI", "180 Menit",
                           "SP Tim Penilaian Kinerja PTSP dan PPB", None]  # fmt: skip
    assert last[4] == "Selesai" and last[9] == "2 Hari"
    assert identity["Total waktu baku"].startswith("31,8 hari kerja")


def test_excel_never_turns_text_into_a_formula(seed):
    step = seed.steps.get(number=2)
    step.activity = '=HYPERLINK("http://example.com","klik")'
    step.output = "+1+2"
    step.save()
    seed.warning = "@SUM(A1)"
    seed.save()
    ws = load_workbook(io.BytesIO(exports.sop_workbook(seed))).active
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
