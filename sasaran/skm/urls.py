"""The satisfaction survey (SKM): staff pages and the public questionnaire."""

from django.urls import path

from . import views

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
    path("survei/<slug:token>/", views.public_survey, name="public_survey"),
    path(
        "survei/<slug:token>/terima-kasih/",
        views.public_survey_thanks,
        name="public_survey_thanks",
    ),
]
