"""The project's addresses and, for `bench/pages.py` only, two floors to hold pages against:

- `/bench/lantai/`: a trivial login-required view (the session and the user are read, as
  on every page; nothing is rendered);
- `/bench/dasar/`: `base.html` with an empty content block (the layout, its menu and the
  context processors), login required.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from mutu.urls import *  # noqa: F403
from mutu.urls import urlpatterns as project_urlpatterns


@login_required
def floor(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def layout(request):
    return render(request, "base.html")


urlpatterns = [
    path("bench/lantai/", floor),
    path("bench/dasar/", layout),
    *project_urlpatterns,
]
