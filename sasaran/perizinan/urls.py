"""Permit timeliness and staff service levels: the pages of a unit."""

from django.urls import path

from . import views

urlpatterns = [
    path("perizinan/", views.permit_home, name="permit_home"),
    path("perizinan/<slug:code>/", views.permit_unit, name="permit_unit"),
    path("perizinan/<slug:code>/layanan-staf/", views.permit_tasks, name="permit_tasks"),
    path("perizinan/<slug:code>/kirim/", views.permit_feed, name="permit_feed"),
    # The log import: izin (the permit system's export) or tugas (the staff task log).
    path("perizinan/<slug:code>/impor/<slug:log>/", views.permit_import, name="permit_import"),
    path("perizinan/<slug:code>/pengaturan/", views.permit_settings, name="permit_settings"),
]
