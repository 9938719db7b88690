"""Background rendering of reports too large for a web request.

With REDIS_URL set, jobs go to RQ (run `python manage.py rqworker`); without it, the
embedded default, a small thread pool in the app process renders them, so `make run`
works with nothing else installed. Either way the job's state and file live in the
database and the media folder, not in the process.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from sasaran.models import ExportJob

from . import exports

log = logging.getLogger(__name__)


@cache
def _local_pool():
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="sasaran-job")


def run_later(function, pk):
    """Run `function(pk)` (a module-level job function) after the caller's transaction
    commits: inline with EXPORT_JOBS_INLINE (tests), on RQ when REDIS_URL is set, else in a
    thread of the app. Every background job of the app (exports, the audit pack) goes here."""
    if settings.EXPORT_JOBS_INLINE:
        transaction.on_commit(lambda: function(pk))
    elif settings.REDIS_URL:
        import django_rq

        transaction.on_commit(lambda: django_rq.get_queue("default").enqueue(function, pk))
    else:
        transaction.on_commit(lambda: _local_pool().submit(function, pk))


def enqueue(job):
    run_later(run, job.pk)


def set_progress(job, value, status="running"):
    """Record a job row's progress (any model with `progress` and `status`)."""
    job.progress, job.status = value, status
    job.save(update_fields=["progress", "status"])


def fresh_connection():
    """At a job's start: a worker thread or process starts with a usable connection of its
    own; an inline run (inside the caller's transaction) must keep the caller's."""
    if not connection.in_atomic_block:
        close_old_connections()


def release_connection():
    """At a job's end: the worker may wait long for the next job, so it holds no connection
    open (an inline run keeps the caller's)."""
    if not connection.in_atomic_block:
        connection.close()


def run(job_id):
    fresh_connection()
    job = ExportJob.objects.select_related("unit").get(pk=job_id)
    try:
        set_progress(job, 10)
        content, name = exports.export_comparison(
            job.unit,
            job.year,
            job.quarter,
            job.fmt,
            job.indicator_name or None,
            progress=lambda value: set_progress(job, value),
        )
        job.file.save(name, ContentFile(content), save=False)
        job.file_name, job.progress, job.status = name, 100, ExportJob.Status.DONE
    except Exception as exc:  # a failed job must say so, not stay "running" forever
        log.exception("export job %s failed", job_id)
        job.status, job.error = ExportJob.Status.FAILED, str(exc)[:2000]
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "file_name", "progress", "status", "error", "finished_at"])
    release_connection()
