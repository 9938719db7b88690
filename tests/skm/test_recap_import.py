"""Real recap workbooks imported: headers as offices write them (over one or two rows, under
title rows), summary rows (Σ Nilai, NRR, NRR tertimbang, IKM) never counted as respondents,
and a preview of what will be saved before anything is."""

import datetime
import io
import re
from fractions import Fraction

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from sasaran.skm import ikm
from sasaran.skm import services as survey_services
from sasaran.skm.models import Response
from tests.conftest import logged_in

# Ten respondents: (service, sex, age, nine answers). Their IKM is what the import must give.
RESPONDENTS = [
    ("Perizinan", "L", 34, [4, 3, 3, 4, 3, 3, 4, 2, 3]),
    ("Perizinan", "P", 22, [3, 3, 2, 4, 3, 4, 4, 3, 3]),
    ("Non Perizinan", "L", 45, [4, 4, 3, 4, None, 3, 3, 2, 4]),
    ("Perizinan", "P", 51, [2, 3, 3, 3, 3, 3, 3, 3, 3]),
    ("Non Perizinan", "P", 19, [4, 4, 4, 4, 4, 4, 4, 4, 4]),
    ("Perizinan", "L", 63, [3, 2, 3, 3, 2, 3, 3, 2, 3]),
    ("Perizinan", "L", 38, [4, 3, 4, 4, 3, 4, 4, 3, 4]),
    ("Non Perizinan", "P", 27, [3, 3, 3, 4, 3, 3, 3, 3, 2]),
    ("Perizinan", "L", 41, [4, 4, 3, 4, 4, 3, 4, 3, 3]),
    ("Perizinan", "P", 30, [3, 4, 3, 4, 3, 4, 3, 3, 4]),
]


def expected_ikm(respondents=RESPONDENTS):
    return ikm.compute_ikm([answers for *_profile, answers in respondents])


def as_upload(book, name="rekap.xlsx"):
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def no_resp_workbook(respondents=RESPONDENTS, unsur_heads=None):
    """The layout of a real office recap: three title rows, a blank row, a header over two
    rows ("No Resp" merged down, "UNSUR PELAYANAN" merged over U1..U9), the respondents,
    then the summary rows an office's formulas compute (values here, as Excel caches them)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Rekap"
    sheet.append(["PEMERINTAH PROVINSI DKI JAKARTA"])
    sheet.append(["REKAPITULASI SURVEI KEPUASAN MASYARAKAT"])
    sheet.append(["TRIWULAN I TAHUN 2023"])
    sheet.append([])
    profile = ["No Resp", "Jenis\nLayanan", "JK", "Umur", "Pendidikan", "Pekerjaan", "Tanggal"]
    sheet.append([*profile, "UNSUR PELAYANAN"])
    sheet.append([None] * 7 + (unsur_heads or [f"U{i}" for i in range(1, 10)]))
    for column in "ABCDEFG":
        sheet.merge_cells(f"{column}5:{column}6")
    sheet.merge_cells("H5:P5")
    for number, (service, sex, age, answers) in enumerate(respondents, start=1):
        date = datetime.datetime(2023, 2, number)
        sheet.append([number, service, sex, age, "S1", "Swasta", date, *answers])
    nrr = [Fraction(sum(a[i] or 0 for *_p, a in respondents)) for i in range(9)]
    sums = [int(value) for value in nrr]
    sheet.append(["Σ Nilai", None, None, None, None, None, None, *sums])
    sheet.append(["NRR", None, None, None, None, None, None, *[3.45, 3.3, 3.1, 3.8] * 2, 3.3])
    sheet.append(["NRR tertimbang", *[None] * 6, *[0.383, 0.367, 0.344, 0.422] * 2, 0.367])
    sheet.append(["IKM", *[None] * 6, 86.2])
    sheet.append(["Kategori", *[None] * 6, "B"])
    sheet.append([])
    sheet.append(["*) Sumber: kuesioner kertas loket PTSP"])
    return book


def preview(client, survey, upload, date="2023-03-31"):
    logged_in(client, "kepala")
    return client.post(
        reverse("survey_import", args=[survey.pk]), {"file": upload, "default_date": date}
    )


def confirm(client, survey, response):
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    return client.post(reverse("survey_import", args=[survey.pk]), {"token": token})


def skipped(response):
    """The skipped rows the preview lists, as text."""
    html = response.content.decode()
    listed = re.search(r'<ul[^>]*id="baris-dilewati"[^>]*>(.*?)</ul>', html, re.S)
    assert listed, "the preview lists no skipped rows"
    items = listed.group(1).split("</li>")[:-1]
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_a_no_resp_recap_previews_its_respondents_and_skips_its_summary_rows(client, survey):
    response = preview(client, survey, as_upload(no_resp_workbook()))
    assert response.status_code == 200, response.content.decode()[:3000]
    html = response.content.decode()
    assert 'id="jumlah-responden">10<' in html
    assert skipped(response) == [
        "baris 17: ringkasan (Σ Nilai)",
        "baris 18: ringkasan (NRR)",
        "baris 19: ringkasan (NRR tertimbang)",
        "baris 20: ringkasan (IKM)",
        "baris 21: ringkasan (Kategori)",
        "baris 23: catatan (*) Sumber: kuesioner kertas loket PTSP)",
    ]
    # The IKM of the ten respondents, as the preview shows it (and not the file's 86,2).
    shown = survey_services.id_number(expected_ikm().ikm)
    assert f'id="ikm-pratinjau">{shown}' in html
    assert Response.objects.count() == 0  # nothing saved before the confirmation

    saved = confirm(client, survey, response)
    assert saved.status_code == 302
    assert Response.objects.filter(survey=survey).count() == 10
    assert Response.objects.filter(service__name="Non Perizinan").count() == 3
    result = survey_services.survey_result(survey)
    assert result.respondents == 10
    assert result.ikm.ikm == expected_ikm().ikm
    assert result.ikm.nrr == expected_ikm().nrr


@pytest.mark.parametrize(
    "number_head,unsur_heads",
    [
        ("NO. RESP", [f"Unsur {i}" for i in range(1, 10)]),
        ("No.", [f"UNSUR\n{i}" for i in range(1, 10)]),
        ("No Responden", [f"U {i}" for i in range(1, 10)]),
        ("Responden", [f"P{i}" for i in range(1, 10)]),
        ("Nomor", [code for code, _name, _q, _l in survey_services.STANDARD_UNSUR]),
        ("No", [name for _code, name, _q, _l in survey_services.STANDARD_UNSUR]),
    ],
)
def test_headers_as_offices_write_them(client, survey, number_head, unsur_heads):
    book = no_resp_workbook(unsur_heads=unsur_heads)
    book.active["A5"] = number_head
    response = preview(client, survey, as_upload(book))
    assert response.status_code == 200, response.content.decode()[:3000]
    assert 'id="jumlah-responden">10<' in response.content.decode()
    assert "baris 18: ringkasan (NRR)" in skipped(response)
    assert confirm(client, survey, response).status_code == 302
    assert survey_services.survey_result(survey).ikm.ikm == expected_ikm().ikm


def test_a_one_row_header_in_capitals_with_profile_spellings(client, survey):
    book = Workbook()
    sheet = book.active
    sheet.append(["REKAP SKM"])
    sheet.append(["NO.", "JENIS PELAYANAN", "L/P", "USIA (TAHUN)", "PENDIDIKAN TERAKHIR"])
    sheet["F2"], sheet["G2"] = "PEKERJAAN", "TGL."
    for column, index in zip("HIJKLMNOP", range(1, 10), strict=True):
        sheet[f"{column}2"] = f"U{index}"
    sheet.append([1, "Perizinan", "P", "34 tahun", "SMA", "PNS", "01/02/2023", *[3] * 9])
    sheet.append(["Jumlah", None, None, None, None, None, None, *[3] * 9])
    response = preview(client, survey, as_upload(book))
    assert 'id="jumlah-responden">1<' in response.content.decode()
    assert skipped(response) == ["baris 4: ringkasan (Jumlah)"]
    assert confirm(client, survey, response).status_code == 302
    saved = Response.objects.get(survey=survey)
    assert (saved.sex, saved.age_group, saved.education, saved.occupation) == (
        "P",
        "30-39",
        "SMA",
        "pns",
    )
    assert saved.date == datetime.date(2023, 2, 1)


def test_summary_rows_labelled_elsewhere_or_not_at_all_are_skipped(client, survey):
    """A label in the first text cell (the number cell empty), a row of NRR values without
    a label, rows numbered in advance but never filled in."""
    book = no_resp_workbook(respondents=RESPONDENTS[:3])
    sheet = book.active
    sheet.append([None, "Rata-rata", None, None, None, None, None, *[3.25] * 9])
    sheet.append([None, None, None, None, None, None, None, 3.45, 3.3, 3.1])
    for number in range(4, 7):
        sheet.append([number])
    response = preview(client, survey, as_upload(book))
    assert 'id="jumlah-responden">3<' in response.content.decode()
    rows = skipped(response)
    assert "baris 17: ringkasan (Rata-rata)" in rows
    assert "baris 18: jawaban 3,45 di U1 di luar 1-4 (dan 2 sel lain)" in rows
    assert "baris 19–21: tanpa jawaban" in rows
    assert Response.objects.count() == 0


def test_a_row_with_an_answer_outside_1_to_4_is_skipped_with_its_reason(client, survey):
    respondents = list(RESPONDENTS)
    respondents[4] = ("Perizinan", "L", 30, [4, 4, 5, 4, 4, 4, 4, 4, 4])
    response = preview(client, survey, as_upload(no_resp_workbook(respondents)))
    assert response.status_code == 200
    assert 'id="jumlah-responden">9<' in response.content.decode()
    # answers 1-4 in the other cells: marked for a check, maybe a respondent with a typo
    assert "baris 11: jawaban 5 di U3 di luar 1-4 periksa" in skipped(response)
    assert confirm(client, survey, response).status_code == 302
    kept = respondents[:4] + respondents[5:]
    assert survey_services.survey_result(survey).ikm.ikm == expected_ikm(kept).ikm


def test_confirming_twice_or_with_a_foreign_token_saves_once(client, survey):
    response = preview(client, survey, as_upload(no_resp_workbook()))
    url = reverse("survey_import", args=[survey.pk])
    for token in ["not-the-one", "", "é\u202e", "x" * 5000]:
        forged = client.post(url, {"token": token})
        assert forged.status_code == 400
        assert "unggah berkasnya lagi" in forged.content.decode()
    assert Response.objects.count() == 0
    assert confirm(client, survey, response).status_code == 302
    again = confirm(client, survey, response)
    assert again.status_code == 400
    assert Response.objects.filter(survey=survey).count() == 10


def test_a_bad_profile_cell_in_a_respondent_row_stops_the_import(client, survey):
    respondents = list(RESPONDENTS)
    respondents[1] = ("Perizinan", "X", 22, RESPONDENTS[1][3])
    response = preview(client, survey, as_upload(no_resp_workbook(respondents)))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Baris 8, kolom C (Jenis Kelamin): isian “X” tidak dikenal." in html
    assert 'name="token"' not in html
    assert Response.objects.count() == 0


def field_error(response):
    """The text of the error shown at the file field."""
    html = response.content.decode()
    found = re.search(r'id="error_1_id_file"[^>]*>(.*?)</', html, re.S)
    assert found, "no error at the file field"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_a_file_that_is_not_a_workbook_is_refused_at_the_field(client, survey):
    upload = SimpleUploadedFile("rekap.csv", b"No;U1;U2\n1;4;3\n")
    response = preview(client, survey, upload)
    assert response.status_code == 400
    assert "bukan workbook Excel (.xlsx)" in field_error(response)
    old_excel = SimpleUploadedFile("rekap.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    response = preview(client, survey, old_excel)
    assert response.status_code == 400
    assert "simpan ulang sebagai .xlsx" in field_error(response)


def test_an_empty_workbook_is_refused_at_the_field(client, survey):
    response = preview(client, survey, as_upload(Workbook()))
    assert response.status_code == 400
    assert "kosong" in field_error(response)
    assert Response.objects.count() == 0


def test_a_workbook_without_a_recognisable_header_is_refused_at_the_field(client, survey):
    book = Workbook()
    book.active.append(["Nama", "Alamat", "Nilai"])
    book.active.append(["Budi", "Jl. Mawar", 4])
    response = preview(client, survey, as_upload(book))
    assert response.status_code == 400
    assert "Baris judul tidak ditemukan" in field_error(response)


def test_the_recap_on_a_later_sheet_is_found(client, survey):
    book = no_resp_workbook(respondents=RESPONDENTS[:2])
    notes = book.create_sheet("Petunjuk", 0)
    notes.append(["Petunjuk pengisian: jawaban 1 sampai 4."])
    response = preview(client, survey, as_upload(book))
    assert 'id="jumlah-responden">2<' in response.content.decode()
    assert "Rekap" in response.content.decode()


def test_the_survey_workbook_prints_on_a4(client, demo_examples):
    from sasaran.skm.models import Survey

    survey = Survey.objects.get(unit__code="up-pmptsp-jaktim")
    logged_in(client, "kepala")
    response = client.get(reverse("survey_excel", args=[survey.pk]))
    book = load_workbook(io.BytesIO(response.content))
    for sheet in book.worksheets:
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_area, sheet.title
    assert book["Rekap"].print_title_rows == "$1:$1"  # the header row on every page
    assert book["Rekap"].page_setup.orientation == "landscape"


def test_a_preview_is_confirmed_only_on_its_own_survey(client, survey):
    other = survey_services.survey_create(
        unit=survey.unit, year=2023, period_kind="quarter", period_number=2, services=["Perizinan"]
    )
    response = preview(client, survey, as_upload(no_resp_workbook()))
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    elsewhere = client.post(reverse("survey_import", args=[other.pk]), {"token": token})
    assert elsewhere.status_code == 400
    assert Response.objects.count() == 0
    assert confirm(client, survey, response).status_code == 302
