from django.urls import path

from .views import dashboard, documents, realisation, review, tasks

urlpatterns = [
    path("", tasks.home, name="home"),
    path("tugas/", tasks.tasks, name="tasks"),
    path("dasbor/<slug:code>/", dashboard.dashboard_page, name="dashboard"),
    path("dasbor/<slug:code>/unit/", dashboard.comparison_page, name="comparison"),
    path("dasbor/<slug:code>/tahun-baru/", dashboard.new_year, name="new_year"),
    path("dasbor/<slug:code>/laporan.<str:fmt>", documents.report_download, name="report_download"),
    path(
        "dasbor/<slug:code>/unit/laporan.<str:fmt>",
        documents.comparison_download,
        name="comparison_download",
    ),
    path("dokumen/<slug:code>/<int:year>/", documents.document_page, name="document"),
    path(
        "dokumen/<slug:code>/<int:year>/sasaran-mutu.<str:fmt>",
        documents.document_download,
        name="document_download",
    ),
    path("indikator/<int:pk>/", dashboard.indicator_page, name="indicator"),
    path("ekspor/<int:pk>/", documents.export_job, name="export_job"),
    path("ekspor/<int:pk>/unduh/", documents.export_job_file, name="export_job_file"),
    path("indikator/<int:pk>/riwayat/", realisation.history, name="history"),
    path("indikator/<int:pk>/<str:period>/", realisation.entry, name="entry"),
    path("indikator/<int:pk>/<str:period>/pratinjau/", realisation.preview, name="preview"),
    path("tinjau/", review.review_queue, name="review"),
    path("tinjau/bagian/<int:pk>/setujui/", review.approve_section, name="approve_section"),
    path("realisasi/<int:pk>/setujui/", review.approve, name="approve"),
    path("realisasi/<int:pk>/kembalikan/", review.send_back, name="send_back"),
    path("realisasi/<int:pk>/buka/", review.reopen, name="reopen"),
    path("bukti/<int:pk>/", realisation.evidence_file, name="evidence"),
]
