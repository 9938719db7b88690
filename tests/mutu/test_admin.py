"""Every model is in the admin: the superuser can open every list and change page; a
staff officer cannot."""

import pytest
from django.contrib import admin
from django.urls import reverse

from sasaran.models import User
from tests.conftest import logged_in

# Our own models (third-party admins such as django-axes' logs are read-only by design).
REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in ("sasaran", "skm", "sop", "auth")
)


@pytest.mark.parametrize("app_label,model_name", REGISTERED)
def test_superuser_opens_changelist_and_change_page(superuser, app_label, model_name):
    model = next(m for m in admin.site._registry if m._meta.model_name == model_name)
    response = superuser.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 200

    response = superuser.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert response.status_code == 200

    obj = model._default_manager.first()
    if obj is not None:
        response = superuser.get(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]))
        assert response.status_code == 200


def test_changelist_search_and_filter_work(superuser):
    url = reverse("admin:sasaran_indicator_changelist")
    response = superuser.get(url, {"q": "Jakevo"})
    assert response.status_code == 200
    assert "Persentase Penerbitan Izin Tepat Waktu" in response.content.decode()

    response = superuser.get(url, {"objective__section__manual__year": "2023"})
    assert "31 indikator kinerja" in response.content.decode()


def test_indicator_page_edits_targets_inline(superuser):
    from sasaran.models import Indicator

    indicator = Indicator.objects.get(name="Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten")
    response = superuser.get(reverse("admin:sasaran_indicator_change", args=[indicator.pk]))
    html = response.content.decode()
    assert 'name="targets-TOTAL_FORMS" value="5"' in html
    assert "3721000000000" in html


@pytest.mark.parametrize("app_label,model_name", REGISTERED)
def test_staff_officer_is_refused(client, demo, app_label, model_name):
    logged_in(client, "cro")
    response = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_admin_flag_without_permission_is_forbidden(client, demo):
    user = User.objects.get(username="cro")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    response = client.get(reverse("admin:sasaran_indicator_changelist"))
    assert response.status_code == 403


def test_years_are_written_without_a_thousands_separator(demo_examples, superuser):
    """Indonesian groups digits with a dot: a year must read 2023, never 2.023, in the lists
    and on the change pages."""
    from sasaran.models import ExportJob, QualityManual, Unit
    from sasaran.skm.models import Survey

    manual = QualityManual.objects.get(unit__code="up-pmptsp-jaktim", year=2023)
    survey = Survey.objects.get(unit__code="up-pmptsp-jaktim", year=2023)
    job = ExportJob.objects.create(
        unit=Unit.objects.get(code="up-pmptsp-jaktim"),
        year=2023,
        quarter=2,
        fmt="pdf",
        requested_by=User.objects.get(username="kepala"),
    )
    for name, obj in [
        ("sasaran_qualitymanual", manual),
        ("skm_survey", survey),
        ("sasaran_exportjob", job),
    ]:
        html = superuser.get(reverse(f"admin:{name}_changelist")).content.decode()
        assert '<td class="field-year_text">2023</td>' in html, name
        assert "2.023" not in html, name
        html = superuser.get(reverse(f"admin:{name}_change", args=[obj.pk])).content.decode()
        assert 'name="year" value="2023"' in html, name
        assert "2.023" not in html, name
    # The year filter of the list links and shows the plain year too.
    html = superuser.get(reverse("admin:sasaran_qualitymanual_changelist")).content.decode()
    assert "?year=2023" in html
