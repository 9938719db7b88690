"""django-rq's queue pages in the admin, without the pages of it that cannot work here.

django-rq is installed only with Redis (settings). It registers a "Dashboard" model to hang
its queue pages on the admin; the model has no table, so the admin's own pages for one such
object (change, delete, history) would answer with a server error, and so would its
scheduler page, which needs rq-scheduler (the app schedules nothing, so it is not installed).
Those pages are left out; the queue, job and worker pages stay.
"""

from django.apps import apps
from django.contrib import admin

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

    class QueueAdmin(DjangoRQQueueAdmin):
        def get_urls(self):
            return [url for url in super().get_urls() if url.name not in LEFT_OUT]

    admin.site.unregister(Dashboard)
    admin.site.register(Dashboard, QueueAdmin)
