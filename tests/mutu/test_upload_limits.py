"""Oversized uploads (issue 14, item 9): a request carrying a file past FILE_UPLOAD_MAX_BYTES is
not read to its end; the form shows its Indonesian size message at the field and nothing is
stored. Files within the limit are unaffected (tests/sasaran/test_uploads.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.test.client import FakePayload, RequestFactory
from django.urls import reverse

from mutu.uploads import RefusedUpload, SizeLimitUploadHandler
from sasaran.models import Evidence, Indicator, Realisation
from sasaran.skm.models import Response, Survey

MB = 1024 * 1024


@pytest.fixture
def bytes_read(monkeypatch):
    """How many bytes of request bodies the server read, in total."""
    counted = []
    original = FakePayload.read

    def counting_read(self, *args, **kwargs):
        data = original(self, *args, **kwargs)
        counted.append(len(data))
        return data

    monkeypatch.setattr(FakePayload, "read", counting_read)
    return lambda: sum(counted)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_limit_is_ten_megabytes(settings):
    assert settings.FILE_UPLOAD_MAX_BYTES == 10 * MB
    assert settings.FILE_UPLOAD_HANDLERS[0] == "mutu.uploads.SizeLimitUploadHandler"


@pytest.mark.django_db
def test_oversized_evidence_is_refused_at_the_field_without_reading_it(login_as, media, bytes_read):
    indicator = Indicator.objects.get(name="Persentase updating data kepegawaian")
    before = Realisation.objects.filter(indicator=indicator, period="Q1").count()
    content = b"%PDF-1.4\n" + b"0" * (11 * MB)
    response = login_as("kasubbag").post(
        reverse("entry", args=[indicator.pk, "Q1"]),
        {
            "value": "100",
            "evidence": SimpleUploadedFile("besar.pdf", content, content_type="application/pdf"),
            "version": "",
            "save": "1",
        },
    )
    assert response.status_code == 200
    assert "Berkas terlalu besar" in response.content.decode()
    assert "batasnya 5 MB" in response.content.decode()
    assert bytes_read() < 1 * MB  # the upload was stopped, not read to its end
    assert Realisation.objects.filter(indicator=indicator, period="Q1").count() == before
    assert not Evidence.objects.filter(original_name="besar.pdf").exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


@pytest.mark.django_db
def test_oversized_survey_workbook_is_refused_at_the_field(demo_examples, login_as, bytes_read):
    survey = Survey.objects.get(unit__code="up-pmptsp-jaktim")
    before = Response.objects.filter(service__survey=survey).count()
    response = login_as("kepala").post(
        reverse("survey_import", args=[survey.pk]),
        {
            "file": SimpleUploadedFile("rekap.xlsx", b"PK\x03\x04" + b"0" * (11 * MB)),
            "default_date": "2023-12-31",
        },
    )
    assert response.status_code in (200, 400)
    assert "Berkas terlalu besar; batasnya 5 MB." in response.content.decode()
    assert bytes_read() < 1 * MB
    assert Response.objects.filter(service__survey=survey).count() == before


def test_the_handler_stops_once_received_bytes_pass_the_limit(settings):
    """Without a Content-Length (a chunked request), the bytes received decide."""
    settings.FILE_UPLOAD_MAX_BYTES = 100
    request = RequestFactory().post("/")
    handler = SizeLimitUploadHandler(request)
    handler.handle_raw_input(None, {}, None, b"x")
    handler.new_file("evidence", "besar.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(StopUpload) as stopped:
        handler.receive_data_chunk(b"x" * 60, 60)
    assert stopped.value.connection_reset  # the rest of the body is not read
    refused = request.refused_uploads["evidence"]
    assert isinstance(refused, RefusedUpload)
    assert refused.name == "besar.pdf" and refused.size == 120 and refused.read() == b""


def test_the_handler_refuses_at_once_a_request_announced_too_large(settings):
    settings.FILE_UPLOAD_MAX_BYTES = 100
    request = RequestFactory().post("/")
    handler = SizeLimitUploadHandler(request)
    handler.handle_raw_input(None, {}, 5000, b"x")
    with pytest.raises(StopUpload):
        handler.new_file("file", "rekap.xlsx", "application/octet-stream", None)
    assert request.refused_uploads["file"].size == 5000
