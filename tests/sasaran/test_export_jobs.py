"""A parent unit's comparison over many units renders in the background with progress."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from sasaran.documents import exports, jobs
from sasaran.models import ExportJob
from tests.conftest import logged_in

DINAS = "dpmptsp-dki"


@pytest.fixture
def background(demo_examples, settings, tmp_path):
    """Every comparison is rendered as a background job, its file in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_BACKGROUND_UNITS = 0  # the demo province has one unit


def request_pdf(client):
    url = reverse("comparison_download", args=[DINAS, "pdf"])
    return client.get(url, {"tahun": 2023, "tw": 2})


def test_large_comparison_becomes_a_job_that_finishes(
    kadis, background, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_JOBS_INLINE = True
    with django_capture_on_commit_callbacks(execute=True):
        response = request_pdf(kadis)
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("export_job", args=[job.pk])
    assert (job.status, job.progress) == ("done", 100)
    html = kadis.get(response["Location"]).content.decode()
    assert "Selesai" in html and reverse("export_job_file", args=[job.pk]) in html
    pdf = b"".join(kadis.get(reverse("export_job_file", args=[job.pk])).streaming_content)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "PERBANDINGAN CAPAIAN ANTAR UNIT" in text


def test_queued_job_page_polls_for_progress(kadis, background, settings):
    settings.EXPORT_JOBS_INLINE = True  # on_commit never runs inside the test transaction
    response = request_pdf(kadis)
    job = ExportJob.objects.get()
    assert job.status == "queued"
    partial = kadis.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in partial and "<html" not in partial
    assert kadis.get(reverse("export_job_file", args=[job.pk])).status_code == 404


def test_failed_job_says_so(
    kadis, background, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EXPORT_JOBS_INLINE = True

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "export_comparison", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = request_pdf(kadis)
    job = ExportJob.objects.get()
    assert job.status == "failed" and "disk full" in job.error
    assert "Laporan gagal dibuat" in kadis.get(response["Location"]).content.decode()


def test_other_users_cannot_see_a_job(kadis, background, client, settings):
    settings.EXPORT_JOBS_INLINE = True
    request_pdf(kadis)
    job = ExportJob.objects.get()
    logged_in(client, "kepala")
    assert client.get(reverse("export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("export_job_file", args=[job.pk])).status_code == 404


def test_small_comparison_stays_immediate(kadis, background, settings):
    settings.EXPORT_BACKGROUND_UNITS = 20
    response = request_pdf(kadis)
    assert response["Content-Type"] == "application/pdf"
    assert not ExportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_local_worker_thread_renders_the_job(client, settings, tmp_path):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_BACKGROUND_UNITS = 0
    settings.EXPORT_JOBS_INLINE = False
    settings.REDIS_URL = ""
    logged_in(client, "kadis")
    client.get(reverse("comparison_download", args=[DINAS, "xlsx"]), {"tahun": 2023, "tw": 2})
    # The pool has one thread: a no-op queued behind the job returns once the job is done.
    # (Polling meanwhile would trip SQLite's table locks in the in-memory test database.)
    jobs._local_pool().submit(lambda: None).result(timeout=60)
    job = ExportJob.objects.get()
    assert job.status == "done", job.error
    assert job.file_name.endswith(".xlsx")


def _redis_up():
    import redis

    try:
        return redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
@pytest.mark.django_db(transaction=True)
def test_rq_worker_renders_the_job_when_redis_is_configured(client, settings, tmp_path):
    import django_rq
    from django.core.management import call_command
    from rq import SimpleWorker

    call_command("load_demo", verbosity=0)
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_BACKGROUND_UNITS = 0
    settings.EXPORT_JOBS_INLINE = False
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    settings.RQ_QUEUES = {"default": {"URL": settings.REDIS_URL}}
    queue = django_rq.get_queue("default")
    queue.empty()
    logged_in(client, "kadis")
    client.get(reverse("comparison_download", args=[DINAS, "xlsx"]), {"tahun": 2023, "tw": 2})
    assert ExportJob.objects.get().status == "queued" and queue.count == 1
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    job = ExportJob.objects.get()
    assert job.status == "done", job.error
