"""django-rq's queue pages in the admin, without the pages of it that cannot work here.

django-rq is installed only with Redis (settings). It registers a "Dashboard" model to hang
its queue pages on the admin; the model has no table, so the admin's own pages for one such
object (change, delete, history) would answer with a server error, and so would its
scheduler page, which needs rq-scheduler (the app schedules nothing, so it is not installed).
Those pages are left out; the queue, job and worker pages stay.

django-rq's pages take a queue number, a job id and a worker key from the address and look
them up without checking: an unknown one ends in IndexError, NoSuchJobError or a bare
`assert`, a server error. `_not_found_as_404` checks them first, so a stale or mistyped
address answers "not found" like every other page.
"""

from functools import wraps

from django.apps import apps
from django.contrib import admin
from django.http import Http404

# URL names of the pages left out (the unnamed one redirects to the change page).
LEFT_OUT = {
    "django_rq_dashboard_change",
    "django_rq_dashboard_delete",
    "django_rq_dashboard_history",
    "django_rq_scheduler_jobs",
    None,
}

if apps.is_installed("django_rq"):
    from django_rq.admin import QueueAdmin as DjangoRQQueueAdmin  # registers the Dashboard
    from django_rq.models import Dashboard
    from django_rq.queues import get_queue_by_index
    from django_rq.settings import get_queues_list
    from rq.job import Job
    from rq.worker import Worker

    def _not_found_as_404(view):
        @wraps(view)
        def checked(request, *args, queue_index=None, **kwargs):
            # Strangers go on to the admin's own login check, which runs inside `view`.
            if queue_index is None or not request.user.is_staff:
                return view(request, *args, **kwargs)
            if not 0 <= queue_index < len(get_queues_list()):
                raise Http404
            connection = get_queue_by_index(queue_index).connection
            if "job_id" in kwargs and not Job.exists(kwargs["job_id"], connection=connection):
                raise Http404
            if "key" in kwargs and Worker.find_by_key(kwargs["key"], connection) is None:
                raise Http404
            return view(request, *args, queue_index=queue_index, **kwargs)

        return checked

    class QueueAdmin(DjangoRQQueueAdmin):
        def get_urls(self):
            urls = [url for url in super().get_urls() if url.name not in LEFT_OUT]
            for url in urls:
                url.callback = _not_found_as_404(url.callback)
            return urls

    admin.site.unregister(Dashboard)
    admin.site.register(Dashboard, QueueAdmin)
