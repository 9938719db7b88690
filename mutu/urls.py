from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sehat/", views.health, name="health"),
    path("sop/", include("sop.urls")),
    path("", include("sasaran.skm.urls")),
    path("", include("sasaran.urls")),
]
