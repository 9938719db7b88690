"""Import of paper questionnaires from a recap workbook: row/column errors, nothing
half-saved, profile spellings, title and total rows skipped."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from sasaran.models import Unit
from sasaran.skm import services as survey_services
from sasaran.skm.models import Response
from tests.conftest import logged_in

HEADER = ["No", "Jenis Layanan", "Jenis Kelamin", "Usia", "Pendidikan", "Pekerjaan", "Tanggal"]
HEADER += [f"U{i}" for i in range(1, 10)]


@pytest.fixture
def survey(demo):
    return survey_services.survey_create(
        unit=Unit.objects.get(code="up-pmptsp-jaktim"),
        year=2023,
        services=["Perizinan", "Non Perizinan"],
        population=100,
    )


def workbook(*rows, title=True, header=HEADER):
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["REKAPITULASI SKM TW 1 2023"])
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("rekap.xlsx", buffer.getvalue())


def post(client, survey, upload, date="2023-03-31"):
    logged_in(client, "kepala")
    return client.post(
        reverse("survey_import", args=[survey.pk]), {"file": upload, "default_date": date}
    )


def post_and_confirm(client, survey, upload):
    """Upload, then confirm the preview (nothing is saved before)."""
    preview = post(client, survey, upload)
    assert preview.status_code == 200, preview.content.decode()[:2000]
    assert Response.objects.count() == 0
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    return client.post(reverse("survey_import", args=[survey.pk]), {"token": token})


GOOD = [
    [
        1,
        "Perizinan",
        "L",
        34,
        "S1",
        "Wiraswasta",
        datetime.datetime(2023, 2, 1),
        4,
        3,
        3,
        4,
        3,
        3,
        4,
        2,
        3,
    ],
    [
        2,
        "non perizinan",
        "Perempuan",
        "20-29 tahun",
        "SMA/SMK",
        "PNS/ASN",
        "15-03-2023",
        3,
        3,
        2,
        4,
        3,
        4,
        4,
        3,
        3,
    ],
    [3, "Perizinan", None, None, None, None, None, 4, 4, "3", 4.0, None, 3, 3, 2, 4],
]


def test_a_good_recap_is_imported(client, survey):
    upload = workbook(*GOOD, [None], ["Jumlah", None, None, None, None, None, None, 11, 10, 8])
    response = post_and_confirm(client, survey, upload)
    assert response.status_code == 302, response.content.decode()[:2000]
    rows = list(Response.objects.order_by("pk"))
    assert len(rows) == 3
    first, second, third = rows
    assert (first.sex, first.age_group, first.education, first.occupation) == (
        "L",
        "30-39",
        "S1",
        "wirausaha",
    )
    assert first.date == datetime.date(2023, 2, 1) and first.source == "import"
    assert second.service.name == "Non Perizinan" and second.sex == "P"
    assert (second.age_group, second.education, second.occupation) == ("20-29", "SMA", "pns")
    assert second.date == datetime.date(2023, 3, 15)
    assert third.date == datetime.date(2023, 3, 31)  # the form's default date
    assert third.answers.count() == 8  # U5 left blank
    result = survey_services.survey_result(survey)
    assert result.respondents == 3


def test_bad_cells_are_reported_by_row_and_column_and_nothing_is_saved(client, survey):
    """A respondent row (answers 1-4) with a bad profile cell stops the import; a row with
    an answer outside 1-4 is not a respondent, and is skipped (test_recap_import)."""
    bad = [
        [4, "Perizinan", "X", 30, "S1", "PNS", None, 4, 4, 3, 4, 3, 3, 4, 2, 3],
        [5, "Lain-lain", "L", 30, "S1", "PNS", "32-01-2023", 4, 4, 3, 4, 3, 3, 4, 2, 1],
        [6, "Perizinan", "Y", 30, "S1", "PNS", None, 4, 5, 3, 4, 3, 3, 4, 2, "empat"],
    ]
    response = post(client, survey, workbook(*GOOD, *bad))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Baris 7, kolom C (Jenis Kelamin): isian “X” tidak dikenal." in html
    assert "Baris 8, kolom B (Jenis Layanan): jenis layanan “Lain-lain” tidak ada" in html
    assert "Baris 8, kolom G (Tanggal): tanggal “32-01-2023” tidak sah" in html
    assert "Baris 9" not in html
    assert 'name="token"' not in html
    assert Response.objects.count() == 0


def test_a_date_outside_the_period_is_refused(client, survey):
    row = list(GOOD[0])
    row[6] = datetime.datetime(2023, 4, 2)
    response = post(client, survey, workbook(row))
    assert response.status_code == 400
    assert "Baris 4: tanggal di luar periode survei." in response.content.decode()
    assert Response.objects.count() == 0


def test_missing_unsur_column_is_reported(client, survey):
    header = HEADER[:-1]
    response = post(client, survey, workbook(GOOD[0][:-1], header=header))
    assert response.status_code == 400
    assert "Kolom U9 tidak ditemukan di baris judul (baris 3)." in response.content.decode()


def test_service_column_is_needed_with_several_services(client, survey):
    header = [h for h in HEADER if h != "Jenis Layanan"]
    row = [v for i, v in enumerate(GOOD[0]) if i != 1]
    response = post(client, survey, workbook(row, header=header))
    assert "Jenis Layanan" in response.content.decode() and Response.objects.count() == 0


def test_a_file_that_is_not_a_workbook(client, survey):
    response = post(client, survey, SimpleUploadedFile("rekap.xlsx", b"not a zip"))
    assert response.status_code == 400
    assert "bukan workbook Excel" in response.content.decode()


def test_no_header_row(client, survey):
    response = post(client, survey, workbook(title=False, header=["a", "b"]))
    assert "Baris judul tidak ditemukan" in response.content.decode()


def test_the_template_workbook_has_the_header_the_import_reads(client, survey):
    logged_in(client, "kepala")
    response = client.get(reverse("survey_import_template", args=[survey.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == HEADER


def test_import_is_404_outside_the_unit(client, survey):
    logged_in(client, "kadis")
    assert client.get(reverse("survey_import", args=[survey.pk])).status_code == 404
    assert client.get(reverse("survey_import_template", args=[survey.pk])).status_code == 404
    upload = workbook(*GOOD)
    assert (
        client.post(
            reverse("survey_import", args=[survey.pk]),
            {"file": upload, "default_date": "2023-03-31"},
        ).status_code
        == 404
    )
    assert Response.objects.count() == 0
