from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sasaran.forms import LoginForm

from . import audit_views, views

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
    path("audit/<slug:code>/", audit_views.audit_list, name="audit_list"),
    path("audit/<slug:code>/buat/", audit_views.audit_start, name="audit_start"),
    path("audit/paket/<int:pk>/", audit_views.audit_pack, name="audit_pack"),
    path("audit/paket/<int:pk>/unduh/", audit_views.audit_file, name="audit_file"),
    path("", include("sasaran.skm.urls")),
    path("", include("sasaran.perizinan.urls")),
    path("", include("sasaran.siklus.urls")),
    path("", include("sasaran.urls")),
]

# Error pages of our own, in Indonesian and without the database (mutu/views.py).
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
