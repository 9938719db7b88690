"""The audit pack: a zip of the unit's year built in the background, streamed (memory does
not grow with the evidence files), downloadable only by the unit's head and admins."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from mutu.models import AuditPack
from sasaran.models import Assignment, Evidence, Position, Realisation, Unit, User

pytestmark = pytest.mark.django_db
UNIT = "up-pmptsp-jaktim"
PDF = b"%PDF-1.4\n%bukti\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_JOBS_INLINE = True


def _evidence(count, size):
    row = Realisation.objects.filter(indicator__objective__section__manual__unit__code=UNIT).first()
    user = User.objects.get(username="kasubbag")
    for n in range(count):
        Evidence.objects.create(
            realisation=row,
            file=SimpleUploadedFile(f"bukti-{n}.pdf", PDF + b"x" * size),
            original_name=f"Bukti {n}.pdf",
            size=len(PDF) + size,
            uploaded_by=user,
        )
    return row


def test_the_head_builds_and_downloads_the_pack_of_the_demo_year(
    demo_examples, media, kepala, django_capture_on_commit_callbacks
):
    row = _evidence(2, 1000)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = kepala.post(reverse("audit_start", args=[UNIT]), {"year": "2023"})
    pack = AuditPack.objects.get()
    assert response["Location"] == reverse("audit_pack", args=[pack.pk])
    assert time.monotonic() - started < 60
    pack.refresh_from_db()
    assert pack.status == "done", pack.error
    page = kepala.get(reverse("audit_pack", args=[pack.pk]))
    assert 'id="unduh-audit"' in page.content.decode()
    download = kepala.get(reverse("audit_file", args=[pack.pk]))
    zf = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = zf.namelist()
    assert "01-sasaran-mutu/sasaran-mutu-up-pmptsp-jaktim-2023.pdf" in names
    assert "01-sasaran-mutu/sasaran-mutu-up-pmptsp-jaktim-2023.xlsx" in names
    assert sum(n.startswith("02-laporan-triwulan/") for n in names) == 4
    assert "03-realisasi/realisasi-dan-riwayat.xlsx" in names
    folder = f"04-bukti/{row.indicator_id}-{row.period}/"
    evidence = [n for n in names if n.startswith(folder)]
    assert len(evidence) >= 2 and zf.read(evidence[-1]).startswith(b"%PDF")
    assert "05-tindakan-korektif/tindakan-korektif.xlsx" in names
    assert any(n.startswith("06-skm/") for n in names)
    book = load_workbook(io.BytesIO(zf.read("03-realisasi/realisasi-dan-riwayat.xlsx")))
    assert book.sheetnames == ["Realisasi", "Riwayat"] and book["Riwayat"].max_row > 1


def test_memory_does_not_grow_with_the_evidence_files(demo_examples, media):
    from mutu import audit

    _evidence(12, 2 * 1024 * 1024)  # 24 MB of evidence
    unit = Unit.objects.get(code=UNIT)
    target = io.BytesIO()

    class Sink(io.RawIOBase):  # a zip target that keeps nothing
        def __init__(self):
            self.size = 0

        def writable(self):
            return True

        def write(self, data):
            self.size += len(data)
            return len(data)

    sink = Sink()
    tracemalloc.start()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED) as zf:
        for item in Evidence.objects.filter(size__gt=1024 * 1024):
            audit._copy_file(zf, item.file, f"bukti/{item.pk}.pdf")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert sink.size > 24 * 1024 * 1024
    assert peak < 4 * 1024 * 1024, peak  # a chunk or two, not the files
    assert unit and target is not None


def test_only_the_units_head_and_admins(
    demo_examples, media, login_as, client, django_capture_on_commit_callbacks
):
    kepala = login_as("kepala")
    with django_capture_on_commit_callbacks(execute=True):
        kepala.post(reverse("audit_start", args=[UNIT]), {"year": "2023"})
    pack = AuditPack.objects.get()
    bad = kepala.post(reverse("audit_start", args=[UNIT]), {"year": "abc"})
    assert bad.status_code == 400 and "Pilih tahun dari daftar." in bad.content.decode()
    for name in ["kasubbag", "kadis"]:  # an officer of the unit; the parent unit's head
        other = login_as(name)
        assert other.get(reverse("audit_list", args=[UNIT])).status_code == 404
        assert other.get(reverse("audit_pack", args=[pack.pk])).status_code == 404
        assert other.get(reverse("audit_file", args=[pack.pk])).status_code == 404
        assert other.post(reverse("audit_start", args=[UNIT]), {"year": "2023"}).status_code == 404
    unit = Unit.objects.create(code="up-lain", name="UP Lain", kind="up")
    position = Position.objects.create(unit=unit, name="Kepala", level="kepala")
    stranger = User.objects.create_user("lain", password="sasaranmutu")
    Assignment.objects.create(user=stranger, position=position, role="head")
    client.force_login(stranger)
    assert client.get(reverse("audit_file", args=[pack.pk])).status_code == 404
    assert login_as("admin").get(reverse("audit_file", args=[pack.pk])).status_code == 200
