from django.urls import path

from . import views

app_name = "sop"

urlpatterns = [
    path("", views.sop_list, name="list"),
    path("baru/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/xlsx/", views.xlsx, name="xlsx"),
    path("<int:pk>/logo/", views.logo, name="logo"),
    path("<int:pk>/ubah/", views.edit, name="edit"),
    path("<int:pk>/pelaksana/", views.lanes, name="lanes"),
    path("<int:pk>/langkah/", views.steps, name="steps"),
    path("<int:pk>/langkah/pratinjau/", views.steps_preview, name="steps_preview"),
    path("<int:pk>/ajukan/", views.submit, name="submit"),
    path("<int:pk>/sahkan/", views.sign, name="sign"),
    path("<int:pk>/kembalikan/", views.send_back, name="send_back"),
    path("<int:pk>/revisi/", views.revise, name="revise"),
]
