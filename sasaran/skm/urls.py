"""The satisfaction survey (SKM): staff pages and the public questionnaire."""

from django.urls import path

from . import reach_views, views

urlpatterns = [
    path("skm/", views.survey_list, name="survey_list"),
    path("skm/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("skm/<int:pk>/hasil.xlsx", views.survey_excel, name="survey_excel"),
    path("skm/<int:pk>/hasil.pdf", views.survey_pdf, name="survey_pdf"),
    path("skm/<int:pk>/kirim-ikm/", views.survey_feed, name="survey_feed"),
    path("skm/<int:pk>/isi/", views.survey_entry, name="survey_entry"),
    path("skm/<int:pk>/impor/", views.survey_import_view, name="survey_import"),
    path(
        "skm/<int:pk>/impor/format.xlsx",
        views.survey_import_template,
        name="survey_import_template",
    ),
    path("skm/<int:pk>/tutup/", views.survey_close, name="survey_close"),
    path("skm/<int:pk>/buka-kembali/", views.survey_reopen, name="survey_reopen"),
    path("skm/<int:pk>/saran/", reach_views.survey_suggestions, name="survey_suggestions"),
    path(
        "skm/<int:pk>/saran/<int:item>/",
        reach_views.survey_suggestion_respond,
        name="survey_suggestion_respond",
    ),
    # The QR poster of one service: poster-a4.pdf or poster-a5.pdf.
    path(
        "skm/<int:pk>/layanan/<int:service>/poster-<slug:size>.pdf",
        reach_views.survey_poster,
        name="survey_poster",
    ),
    path("skm/<int:pk>/kios/", reach_views.survey_kiosks, name="survey_kiosks"),
    path(
        "skm/<int:pk>/kios/daftar/",
        reach_views.survey_kiosk_register,
        name="survey_kiosk_register",
    ),
    path(
        "skm/<int:pk>/kios/<int:device>/cabut/",
        reach_views.survey_kiosk_revoke,
        name="survey_kiosk_revoke",
    ),
    path("survei/<slug:token>/", views.public_survey, name="public_survey"),
    path(
        "survei/<slug:token>/terima-kasih/",
        views.public_survey_thanks,
        name="public_survey_thanks",
    ),
    # The published result of a unit's survey of one period: /survei/hasil/<unit code>/
    # 2023/quarter/1/ (period kinds: quarter, semester, year).
    path(
        "survei/hasil/<slug:unit>/<int:year>/<slug:kind>/<int:number>/",
        views.survey_public_result,
        name="survey_public_result",
    ),
]
