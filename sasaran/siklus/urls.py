"""Corrective actions and the reminder preference."""

from django.urls import path

from . import views

app_name = "siklus"

urlpatterns = [
    path("tindakan-korektif/unit/<slug:code>/", views.action_list, name="action_list"),
    path(
        "tindakan-korektif/indikator/<int:pk>/<str:period>/",
        views.action_new,
        name="action_new",
    ),
    path("tindakan-korektif/<int:pk>/", views.action_detail, name="action_detail"),
    path("tindakan-korektif/<int:pk>/selesai/", views.action_done, name="action_done"),
    path("tindakan-korektif/<int:pk>/verifikasi/", views.action_verify, name="action_verify"),
    path("tindakan-korektif/<int:pk>/bukti/", views.action_evidence, name="action_evidence"),
    path("pengingat/", views.reminder_preferences, name="reminders"),
    path("tinjauan-manajemen/unit/<slug:code>/", views.review_list, name="review_list"),
    path("tinjauan-manajemen/<int:pk>/", views.review_detail, name="review_detail"),
    path("tinjauan-manajemen/<int:pk>/rtm.pdf", views.review_pdf, name="review_pdf"),
    path("tinjauan-manajemen/<int:pk>/rtm.xlsx", views.review_xlsx, name="review_xlsx"),
]
