"""An evidence file added in the admin meets the same rules as one added on the entry form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sasaran.models import Evidence, Realisation, User

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post(client, upload):
    row = Realisation.objects.first()
    data = {
        "realisation": row.pk,
        "file": upload,
        "original_name": upload.name,
        "size": 100,  # typed by the admin; the file's own size is what is checked
        "uploaded_by": User.objects.get(username="admin").pk,
    }
    return client.post(reverse("admin:sasaran_evidence_add"), data)


def test_a_file_over_5_mb_is_refused_at_its_field(demo_examples, superuser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    big = SimpleUploadedFile("rekap.pdf", PDF + b"0" * (5 * 1024 * 1024), "application/pdf")
    response = _post(superuser, big)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert errors[0].startswith("Berkas terlalu besar")
    assert not Evidence.objects.exists()


def test_a_file_of_another_type_is_refused(demo_examples, superuser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = _post(superuser, SimpleUploadedFile("skrip.exe", b"MZ", "application/octet-stream"))
    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_a_small_pdf_is_saved(demo_examples, superuser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = _post(superuser, SimpleUploadedFile("rekap.pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    assert Evidence.objects.get().original_name == "rekap.pdf"
