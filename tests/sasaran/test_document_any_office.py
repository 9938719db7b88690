"""Any office's Sasaran Mutu in every output: sections under the office's own titles (with
or without a level), objectives without an indicator, targets of months and semesters, at
most / at least, a range, zero tolerance and both index scales, on the document page, in
the PDF and the Excel, and back through the import unchanged."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sasaran.documents import export_pdf, export_xlsx, exports, manual
from sasaran.documents.import_xlsx import import_manual_workbook, preview_manual_workbook
from sasaran.models import Indicator, Objective, Position, QualityManual, Section, Target, Unit
from sasaran.xlsx import workbook_bytes
from tests.sasaran.test_import_xlsx import snapshot

UP = "up-pmptsp-jaktim"
YEAR = 2031
HEAD = "Kepala Unit PMPTSP Kota Jakarta Timur"
KASUBBAG = "Kepala Subbagian Tata Usaha"
MONTHS = [f"M{m:02d}" for m in range(1, 13)]

IKM = "Indeks Kepuasan Masyarakat (IKM) pelayanan perizinan"
PUNGLI = "Jumlah pungutan liar yang terbukti"
LETTERS = "Waktu penyelesaian surat masuk"
REPORTS = "Jumlah laporan harian yang dikirim"
RANGE = "Persentase berkas lengkap pada pengajuan pertama"
BAND = "Indeks kepuasan layanan administrasi"
SECRECY = "Terjaganya kerahasiaan data pemohon"
INTEGRITY = "Terbangunnya zona integritas"


def _indicator(objective, name, targets, **fields):
    values = {
        "order": 1,
        "measurement_method": "Rekapitulasi",
        "frequency": "quarterly",
        "responsible_position": Position.objects.get(unit__code=UP, name=HEAD),
        "kind": "count",
        "polarity": "higher",
        "aggregation": "sum",
        **fields,
    }
    indicator = Indicator.objects.create(objective=objective, name=name, **values)
    for period, value in targets.items():
        low, high = value if isinstance(value, tuple) else (value, None)
        Target.objects.create(
            indicator=indicator,
            period=period,
            value=Decimal(low),
            upper=None if high is None else Decimal(high),
        )
    return indicator


def build_manual(year=YEAR, unit_code=UP, extra_monthly=0):
    """A manual as other offices write theirs: a free section, a section tied to a level,
    a section of commitments only; semester, monthly, range, zero-tolerance and index
    targets; objectives without an indicator."""
    unit = Unit.objects.get(code=unit_code)
    head = Position.objects.get(unit__code=UP, name=HEAD)
    kasubbag = Position.objects.get(unit__code=UP, name=KASUBBAG)
    document = QualityManual.objects.create(
        unit=unit,
        year=year,
        document_number="SM-UJI/01",
        effective_date=datetime.date(year, 1, 2),
        introduction="Sasaran Mutu kantor contoh.",
        signed_by=head,
    )
    products = Section.objects.create(manual=document, order=1, title="Produk Layanan")
    admin = Section.objects.create(
        manual=document, order=2, title="Layanan Administrasi", level="kasubbag"
    )
    pledges = Section.objects.create(manual=document, order=3, title="Komitmen Mutu")

    objective = Objective.objects.create(section=products, number=1, text="Masyarakat puas")
    _indicator(
        objective,
        IKM,
        {"S1": 84, "S2": 84, "Y": 84},
        kind="index",
        frequency="semester",
        aggregation="average",
        unit_of_measure="nilai IKM",
    )
    objective = Objective.objects.create(section=products, number=2, text="Bebas pungli")
    _indicator(
        objective,
        PUNGLI,
        {m: 0 for m in MONTHS},
        frequency="monthly",
        polarity="lower",
        unit_of_measure="kasus",
    )
    Objective.objects.create(section=products, number=3, text=SECRECY)

    objective = Objective.objects.create(section=admin, number=1, text="Surat cepat selesai")
    _indicator(
        objective,
        LETTERS,
        {q: 3 for q in ("Q1", "Q2", "Q3", "Q4")},
        kind="working_days",
        polarity="lower",
        aggregation="average",
        frequency="per_event",
        unit_of_measure="hari kerja",
        responsible_position=kasubbag,
    )
    objective = Objective.objects.create(section=admin, number=2, text="Laporan rutin")
    monthly = {m: 5 for m in MONTHS}
    monthly["M02"] = 6
    monthly["Y"] = 61
    _indicator(
        objective,
        REPORTS,
        monthly,
        frequency="monthly",
        unit_of_measure="laporan",
        responsible_position=kasubbag,
    )
    for n in range(extra_monthly):
        _indicator(
            objective,
            f"{REPORTS} {n}",
            {m: 5 for m in MONTHS},
            order=n + 2,
            frequency="monthly",
            unit_of_measure="laporan",
            responsible_position=kasubbag,
        )
    objective = Objective.objects.create(section=admin, number=3, text="Berkas lengkap")
    _indicator(
        objective,
        RANGE,
        {p: ("80", "90") for p in ("Q1", "Q2", "Q3", "Q4", "Y")},
        kind="percentage",
        aggregation="average",
        max_value=Decimal(100),
        responsible_position=kasubbag,
    )
    objective = Objective.objects.create(section=admin, number=4, text="Layanan memuaskan")
    _indicator(
        objective,
        BAND,
        {q: 4 for q in ("Q1", "Q2", "Q3", "Q4")},
        kind="index",
        aggregation="average",
        responsible_position=kasubbag,
    )
    Objective.objects.create(section=pledges, number=1, text=INTEGRITY)
    return document


@pytest.fixture
def document(demo):
    return build_manual()


def workbook(document):
    return export_xlsx.manual_workbook(manual.manual_document(document))


def as_file(book):
    return io.BytesIO(workbook_bytes(book))


def row_of(ws, text, column=export_xlsx.COL_NAME):
    for row in range(export_xlsx.HEADER_ROW + 1, ws.max_row + 1):
        if ws.cell(row=row, column=column).value == text:
            return row
    raise AssertionError(text)


def targets_printed(ws, row):
    return [ws.cell(row=row, column=c).value for c in range(7, 12)]


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# --------------------------------------------------------------------------- the Excel


def test_excel_writes_targets_of_every_period_as_the_office_does(document):
    ws = load_workbook(as_file(workbook(document))).active
    merged = {str(r) for r in ws.merged_cells.ranges}

    # Semesters: TW 1-2 and TW 3-4 merged, one cell each; the year beside them.
    row = row_of(ws, IKM)
    assert {f"G{row}:H{row}", f"I{row}:J{row}"} <= merged
    assert targets_printed(ws, row) == ["≥ 84", None, "≥ 84", None, "≥ 84"]
    # Zero tolerance every month.
    row = row_of(ws, PUNGLI)
    assert targets_printed(ws, row) == ["0 / bulan"] * 4 + [None]
    # At most three working days.
    assert targets_printed(ws, row_of(ws, LETTERS)) == ["≤ 3"] * 4 + [None]
    # Months that differ are listed; a quarter whose months agree says so once.
    row = row_of(ws, REPORTS)
    assert targets_printed(ws, row) == ["Jan 5; Feb 6; Mar 5"] + ["5 / bulan"] * 3 + [61]
    assert ws.cell(row=row, column=11).number_format == "#,##0"
    # A range; an index band as the bare number of its band.
    assert targets_printed(ws, row_of(ws, RANGE)) == ["80–90"] * 5
    assert targets_printed(ws, row_of(ws, BAND)) == [4, 4, 4, 4, None]

    # The hidden column keeps every target exactly.
    target = export_xlsx.DATA_COLUMNS["target"]
    assert ws.cell(row=row, column=target).value == (
        "Y=61; M01=5; M02=6; M03=5; M04=5; M05=5; M06=5; M07=5; M08=5; M09=5; M10=5; M11=5; M12=5"
    )
    assert ws.cell(row=row_of(ws, RANGE), column=target).value == (
        "Y=80..90; Q1=80..90; Q2=80..90; Q3=80..90; Q4=80..90"
    )
    assert ws.column_dimensions[ws.cell(row=1, column=target).column_letter].hidden


def test_excel_keeps_free_sections_and_objectives_without_indicator(document):
    ws = load_workbook(as_file(workbook(document))).active
    kind = export_xlsx.DATA_COLUMNS["jenis_baris"]
    level = export_xlsx.DATA_COLUMNS["bagian_tingkat"]
    rows = {
        ws.cell(row=r, column=1).value: r
        for r in range(9, ws.max_row + 1)
        if ws.cell(row=r, column=kind).value == "BAGIAN"
    }
    assert list(rows) == ["Produk Layanan", "Layanan Administrasi", "Komitmen Mutu"]
    assert [ws.cell(row=r, column=level).value for r in rows.values()] == [None, "kasubbag", None]

    for text in (SECRECY, INTEGRITY):
        row = row_of(ws, text, export_xlsx.COL_OBJECTIVE)
        assert ws.cell(row=row, column=kind).value == "SASARAN"
        assert ws.cell(row=row, column=export_xlsx.COL_NAME).value == "–"
        assert ws.cell(row=row, column=1).value in (1, 3)
        assert targets_printed(ws, row) == [None] * 5
    assert row_of(ws, INTEGRITY, export_xlsx.COL_OBJECTIVE) == rows["Komitmen Mutu"] + 1


# --------------------------------------------------------------------------- the PDF


def test_pdf_prints_commitments_free_sections_and_targets_of_any_period(document):
    content = export_pdf.manual_pdf(manual.manual_document(document))
    text = pdf_text(content)
    for expected in (
        "Produk Layanan",
        "Layanan Administrasi",
        "Komitmen Mutu",
        SECRECY,
        INTEGRITY,
        "Jan 5; Feb 6; Mar 5",
        "5 / bulan",
        "0 / bulan",
        "≥ 84",
        "≤ 3",
        "80–90",
    ):
        assert expected in text, expected
    # A level of responsibility routes reviews; the official document prints the titles.
    assert "tingkat" not in text


# --------------------------------------------------------------------------- the page


def test_document_page_shows_sections_levels_commitments_and_semester_cells(kepala, document):
    response = kepala.get(reverse("document", args=[UP, YEAR]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Produk Layanan" in html and "tanpa tingkat: direviu Kepala Unit" in html
    assert "tingkat Kepala Subbagian Tata Usaha" in html
    assert html.count("Tanpa indikator kinerja (komitmen yang tidak diukur)") == 2
    assert SECRECY in html and INTEGRITY in html
    assert html.count('colspan="2"') == 2  # the two semesters of the IKM
    assert '<span class="text-nowrap">Jan 5;</span> <span class="text-nowrap">Feb 6;</span>' in html
    assert "≤ 3" in html and "80–90" in html and "0 / bulan" in html


def test_document_page_in_english_writes_numbers_the_english_way(kepala, document):
    Target.objects.filter(indicator__name=RANGE, period="Q1").update(
        value=Decimal("80.5"), upper=Decimal("1000")
    )
    kepala.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = kepala.get(reverse("document", args=[UP, YEAR])).content.decode()
    assert "80.5–1,000" in html
    # The downloads stay Indonesian.
    ws = load_workbook(
        io.BytesIO(kepala.get(reverse("document_download", args=[UP, YEAR, "xlsx"])).content)
    ).active
    assert ws.cell(row=row_of(ws, RANGE), column=7).value == "80,5–1.000"


def test_document_page_queries_do_not_grow_with_monthly_indicators(kepala, demo):
    build_manual(year=2032, extra_monthly=1)
    build_manual(year=2033, extra_monthly=12)
    counts = []
    for year in (2032, 2033):
        with CaptureQueriesContext(connection) as queries:
            assert kepala.get(reverse("document", args=[UP, year])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_another_unit_gets_404_for_the_document_and_its_downloads(client, document):
    from tests.conftest import logged_in

    logged_in(client, "datin")  # of DPMPTSP Jawa Barat
    assert client.get(reverse("document", args=[UP, YEAR])).status_code == 404
    for fmt in ("pdf", "xlsx"):
        url = reverse("document_download", args=[UP, YEAR, fmt])
        assert client.get(url).status_code == 404
    logged_in(client, "kadis")  # the head of the parent unit reads it
    assert client.get(reverse("document", args=[UP, YEAR])).status_code == 200


# --------------------------------------------------------------------------- the round trip


def test_export_then_import_into_the_same_year_changes_nothing(document):
    before = snapshot(document.unit, YEAR)
    _parsed, preview = preview_manual_workbook(
        file=as_file(workbook(document)), unit=document.unit, year=YEAR
    )
    assert preview.unchanged and preview.notes == []
    result = import_manual_workbook(file=as_file(workbook(document)), unit=document.unit, year=YEAR)
    assert result.unchanged
    assert snapshot(document.unit, YEAR) == before
    assert result.totals == {"bagian": 3, "sasaran": 8, "indikator": 6, "target": 41}


def test_export_then_import_into_another_year_gives_identical_data(document):
    import_manual_workbook(file=as_file(workbook(document)), unit=document.unit, year=YEAR + 1)
    assert snapshot(document.unit, YEAR + 1) == snapshot(document.unit, YEAR)
    copy = QualityManual.objects.get(unit=document.unit, year=YEAR + 1)
    commitments = Objective.objects.filter(section__manual=copy, indicators__isnull=True)
    assert sorted(o.text for o in commitments) == sorted([SECRECY, INTEGRITY])
    assert [s.level for s in copy.sections.order_by("order")] == ["", "kasubbag", ""]


def test_round_trip_through_the_download_view(kepala, superuser, document):
    content = kepala.get(reverse("document_download", args=[UP, YEAR, "xlsx"])).content
    import_manual_workbook(file=io.BytesIO(content), unit=document.unit, year=YEAR + 2)
    assert snapshot(document.unit, YEAR + 2) == snapshot(document.unit, YEAR)


def test_exports_entry_point_writes_both_formats(document):
    pdf, name = exports.export(document.unit, YEAR, "pdf")
    assert name == f"sasaran-mutu-{UP}-{YEAR}.pdf" and "Jan 5; Feb 6; Mar 5" in pdf_text(pdf)
    xlsx, name = exports.export(document.unit, YEAR, "xlsx")
    ws = load_workbook(io.BytesIO(xlsx)).active
    assert targets_printed(ws, row_of(ws, IKM))[0] == "≥ 84"
