from django.urls import path

from . import dashboard_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("tugas/", views.tasks, name="tasks"),
    path("dasbor/<slug:code>/", dashboard_views.dashboard_page, name="dashboard"),
    path("dasbor/<slug:code>/unit/", dashboard_views.comparison_page, name="comparison"),
    path("dasbor/<slug:code>/tahun-baru/", dashboard_views.new_year, name="new_year"),
    path(
        "dasbor/<slug:code>/laporan.<str:fmt>",
        dashboard_views.report_download,
        name="report_download",
    ),
    path(
        "dasbor/<slug:code>/unit/laporan.<str:fmt>",
        dashboard_views.comparison_download,
        name="comparison_download",
    ),
    path("dokumen/<slug:code>/<int:year>/", dashboard_views.document_page, name="document"),
    path(
        "dokumen/<slug:code>/<int:year>/sasaran-mutu.<str:fmt>",
        dashboard_views.document_download,
        name="document_download",
    ),
    path("indikator/<int:pk>/", dashboard_views.indicator_page, name="indicator"),
    path("ekspor/<int:pk>/", dashboard_views.export_job, name="export_job"),
    path("ekspor/<int:pk>/unduh/", dashboard_views.export_job_file, name="export_job_file"),
    path("indikator/<int:pk>/riwayat/", views.history, name="history"),
    path("indikator/<int:pk>/<str:period>/", views.entry, name="entry"),
    path("indikator/<int:pk>/<str:period>/pratinjau/", views.preview, name="preview"),
    path("tinjau/", views.review_queue, name="review"),
    path("tinjau/bagian/<int:pk>/setujui/", views.approve_section, name="approve_section"),
    path("realisasi/<int:pk>/setujui/", views.approve, name="approve"),
    path("realisasi/<int:pk>/kembalikan/", views.send_back, name="send_back"),
    path("realisasi/<int:pk>/buka/", views.reopen, name="reopen"),
    path("bukti/<int:pk>/", views.evidence_file, name="evidence"),
]
