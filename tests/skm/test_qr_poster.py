"""The printable QR poster of a survey service: one A4 or A5 page with the unit, the service,
an invitation and the public link as a QR code (made offline by segno) with the address
printed under it; staff of the unit only."""

import io
import shutil
import subprocess

import pytest
import segno
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from sasaran.models import Assignment, Position, Unit, User
from sasaran.skm import poster
from sasaran.skm import services as survey_services
from tests.conftest import logged_in

SIZES = {"a4": (595, 842), "a5": (420, 595)}  # points, rounded


def poster_url(survey, service, size):
    return reverse("survey_poster", args=[survey.pk, service.pk, size])


def public_link(service):
    return "http://testserver" + reverse("public_survey", args=[service.public_token])


def printed_matrix(pdf, modules):
    """The modules of the QR code as printed on the PDF's page, read from a 150 dpi raster:
    the code is the only pure black on the poster (its text is dark grey)."""
    raster = subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-singlefile"], input=pdf, capture_output=True
    )
    image = Image.open(io.BytesIO(raster.stdout)).convert("L")
    left, top, right, bottom = image.point(lambda v: 255 if v < 8 else 0).getbbox()
    step = (right - left) / modules
    assert abs((bottom - top) / modules - step) < 0.5  # square
    return [
        [
            image.getpixel((int(left + (col + 0.5) * step), int(top + (row + 0.5) * step))) < 128
            for col in range(modules)
        ]
        for row in range(modules)
    ]


@pytest.mark.parametrize("size", ["a4", "a5"])
def test_the_poster_is_one_page_of_its_size_with_the_link_and_its_qr_code(client, survey, size):
    service = survey.services.first()
    logged_in(client, "kasubbag")
    response = client.get(poster_url(survey, service, size))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == SIZES[size]
    text = " ".join(reader.pages[0].extract_text().split())
    link = public_link(service)
    assert link in text
    assert survey.unit.name in text and service.name in text
    assert "SURVEI KEPUASAN MASYARAKAT" in text
    # The printed code is the code of the link: no decoder is installed, so the modules read
    # off the printed page are compared with segno's encoding of the link.
    code = segno.make(link, error="m", micro=False)
    expected = [[bool(module) for module in row] for row in code.matrix]
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    assert printed_matrix(pdf, len(expected)) == expected


def test_the_poster_embeds_segnos_code_of_the_link_as_inline_svg(survey):
    """The HTML the PDF is made of carries segno's SVG of exactly this link (and fetches no
    image: nothing leaves the server to draw it)."""
    service = survey.services.first()
    link = public_link(service)
    html = poster.poster_html(service=service, url=link, size="a4")
    assert str(poster.qr_svg(link)) in html
    assert poster.qr_svg(link) != poster.qr_svg(link + "x")
    assert "<img" not in html and "http://testserver/static" not in html
    assert link in html


def test_the_survey_page_links_a4_and_a5_posters_for_each_service(client, survey):
    logged_in(client, "kasubbag")
    html = client.get(reverse("survey_detail", args=[survey.pk])).content.decode()
    assert "Poster QR" in html
    for service in survey.services.all():
        for size in ("a4", "a5"):
            assert poster_url(survey, service, size) in html


def test_an_unknown_size_or_another_surveys_service_is_404(client, survey):
    logged_in(client, "kasubbag")
    service = survey.services.first()
    assert client.get(poster_url(survey, service, "a3")).status_code == 404
    other = survey_services.survey_create(
        unit=Unit.objects.get(code="up-pmptsp-jaktim"), year=2024, services=["Lain"]
    )
    assert client.get(poster_url(survey, other.services.get(), "a4")).status_code == 404


def test_staff_of_another_unit_and_visitors_get_no_poster(client, survey):
    service = survey.services.first()
    url = poster_url(survey, service, "a4")
    assert client.get(url)["Location"].startswith("/masuk/")
    unit = Unit.objects.create(code="up-lain", name="UP Lain", kind="up")
    position = Position.objects.create(unit=unit, name="Petugas", level="staf")
    user = User.objects.create_user("lain", password="sasaranmutu")
    Assignment.objects.create(user=user, position=position, role="staff")
    logged_in(client, "lain")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("size", ["a4", "a5"])
def test_names_of_the_longest_length_still_give_one_page(client, survey, size):
    service = survey.services.first()
    service.name = ("Perizinan Bangunan Gedung " * 8)[:200]
    service.save()
    Unit.objects.filter(pk=survey.unit_id).update(name=("Unit Pelaksana PTSP Kota " * 9)[:200])
    logged_in(client, "kasubbag")
    pdf = client.get(poster_url(survey, service, size)).content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert public_link(service) in " ".join(reader.pages[0].extract_text().split())
