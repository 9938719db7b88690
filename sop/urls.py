from django.urls import path

from . import views

app_name = "sop"

urlpatterns = [
    path("", views.sop_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/xlsx/", views.xlsx, name="xlsx"),
]
