from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sasaran.forms import LoginForm

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "masuk/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sehat/", views.health, name="health"),
    path("sop/", include("sop.urls")),
    path("", include("sasaran.skm.urls")),
    path("", include("sasaran.urls")),
]

# Error pages of our own, in Indonesian and without the database (mutu/views.py).
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
