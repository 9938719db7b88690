"""Evidence uploads against hostile files, beyond tests/test_realisation.py (which covers an
.exe, a PDF that is HTML, a file over 5 MB and a ../ path): double extensions, SVG and HTML,
content that does not match other types, Windows paths and odd names; how the files are
served; and that the media folder is not served at all."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sasaran.models import Evidence, Indicator, Realisation, User

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><script>alert(document.cookie)</script>"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def entry_url():
    indicator = Indicator.objects.get(name="Persentase updating data kepegawaian")
    return reverse("entry", args=[indicator.pk, "Q1"])


def upload(client, name, content):
    return client.post(
        entry_url(),
        {
            "value": "100",
            "save": "1",
            "version": "",
            "evidence": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("laporan.pdf.exe", b"MZ\x90\x00", "Jenis berkas tidak diizinkan"),
        ("laporan.pdf.html", HTML, "Jenis berkas tidak diizinkan"),
        ("bagan.svg", SVG, "Jenis berkas tidak diizinkan"),
        ("halaman.htm", HTML, "Jenis berkas tidak diizinkan"),
        ("tanpa-ekstensi", PDF, "Jenis berkas tidak diizinkan"),
        ("foto.png", HTML, "Isi berkas tidak sesuai"),
        ("foto.jpg", SVG, "Isi berkas tidak sesuai"),
        ("rekap.xlsx", b"<?xml version='1.0'?><x/>", "Isi berkas tidak sesuai"),
        ("rekap.xls", PDF, "Isi berkas tidak sesuai"),
        ("gambar.pdf", PNG, "Isi berkas tidak sesuai"),
        ("kosong.pdf", b"", "Berkas yang dikirimkan kosong"),
    ],
)
def test_hostile_uploads_are_refused_in_indonesian_and_nothing_is_saved(
    kasubbag, media, name, content, message
):
    response = upload(kasubbag, name, content)
    assert response.status_code == 200  # the form again, with the message
    assert message in response.content.decode()
    assert not Realisation.objects.exists() and not Evidence.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    "name,shown",
    [
        ("laporan.exe.pdf", "laporan.exe.pdf"),  # a real PDF: its last extension decides
        ("..\\..\\windows\\system32\\rekap.pdf", "rekap.pdf"),
        ("/etc/cron.d/rekap.pdf", "rekap.pdf"),
        ("REKAP TW1.PDF", "REKAP TW1.PDF"),
    ],
)
def test_accepted_files_are_stored_under_a_name_of_ours(kasubbag, media, name, shown):
    response = upload(kasubbag, name, PDF)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == shown
    stored = media / evidence.file.name
    assert stored.resolve().is_relative_to(media.resolve())
    # bukti/<realisation>/<32 hex>.<extension in lower case>, nothing of the user's name
    parts = evidence.file.name.split("/")
    assert parts[0] == "bukti" and parts[1] == str(evidence.realisation_id)
    stem, ext = parts[2].rsplit(".", 1)
    assert len(stem) == 32 and int(stem, 16) >= 0 and ext == "pdf"
    assert stored_files(media) == [stored] and stored.read_bytes() == PDF


def test_evidence_is_served_as_an_attachment_that_is_never_sniffed(kasubbag, media, demo):
    name = 'rekap "akhir"; filename=x.exe.pdf'
    upload(kasubbag, name, PDF)
    evidence = Evidence.objects.get()
    response = kasubbag.get(reverse("evidence", args=[evidence.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # The user's name is one quoted, escaped parameter: it cannot add its own.
    assert disposition == 'attachment; filename="rekap \\"akhir\\"; filename=x.exe.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF

    # Another unit's officer and an anonymous visitor get nothing.
    from sasaran.models import Assignment, Position, Unit

    unit = Unit.objects.create(code="up-lain", name="UP Lain", kind="up")
    position = Position.objects.create(unit=unit, name="Petugas", level="staf")
    stranger = User.objects.create_user("lain", password="x")
    Assignment.objects.create(user=stranger, position=position)
    kasubbag.force_login(stranger)
    assert kasubbag.get(reverse("evidence", args=[evidence.pk])).status_code == 404
    kasubbag.logout()
    response = kasubbag.get(reverse("evidence", args=[evidence.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


@pytest.mark.parametrize("debug", [False, True])
def test_media_folder_is_not_served(kasubbag, media, settings, debug):
    """Evidence is reachable only through the permission-checked view, even in DEBUG."""
    settings.DEBUG = debug
    upload(kasubbag, "rekap.pdf", PDF)
    evidence = Evidence.objects.get()
    assert (media / evidence.file.name).exists()
    for path in (f"/media/{evidence.file.name}", f"/{evidence.file.name}", "/media/"):
        assert kasubbag.get(path).status_code == 404, path
