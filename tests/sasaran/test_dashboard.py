"""The head of unit's dashboard, the indicator page, the parent unit's comparison and the
new year, through HTTP."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sasaran import services
from sasaran.models import (
    Assignment,
    Indicator,
    Objective,
    Position,
    QualityManual,
    Realisation,
    Section,
    Target,
    Unit,
    User,
)
from tests.conftest import logged_in

pytestmark = pytest.mark.usefixtures("demo_examples")

UP = "up-pmptsp-jaktim"
DINAS = "dpmptsp-dki"


def new_year_data(client, code=UP, source=2023, **changes):
    """What the new-year form sends as shown, with `changes` (None drops a field)."""
    form = client.get(reverse("new_year", args=[code]), {"dari": source}).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None and value is not False}
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def confirm_new_year(client, code=UP, **changes):
    return client.post(reverse("new_year", args=[code]), new_year_data(client, code, **changes))


def dashboard(client, code=UP, **params):
    return client.get(reverse("dashboard", args=[code]), {"tahun": 2023, **params})


def cell_of(response, name):
    for cells in response.context["sections"].values():
        for c in cells:
            if c.indicator.name == name:
                return c
    raise AssertionError(name)


def test_head_lands_on_the_dashboard(login_as):
    response = login_as("kepala").get(reverse("home"))
    assert response["Location"] == reverse("dashboard", args=[UP])
    assert login_as("cro").get(reverse("home"))["Location"] == reverse("tasks")


def test_dashboard_tw2_shows_each_indicator_with_its_result(login_as):
    response = dashboard(login_as("kepala"), tw=2)
    assert response.status_code == 200
    cells = [c for cs in response.context["sections"].values() for c in cs]
    assert len(cells) == 31

    izin = cell_of(response, "Persentase Penerbitan Izin Tepat Waktu")
    assert izin.result.achievement == 100 and izin.result.met and izin.status == "approved"

    investasi = cell_of(response, "Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten")
    assert investasi.result.realised == Decimal("7020000000000")  # year to date
    assert investasi.result.met is False

    pengawasan = cell_of(response, "Persentasi Pelaksanaan Pengawasan Perizinan")
    assert pengawasan.status == "returned"

    ikm = cell_of(response, "Indeks Kepuasan Layanan Penunjang Urusan Pemerintahan Daerah")
    assert ikm.result.band.mutu == "B" and ikm.result.met is False

    summary = response.context["summary"]
    assert summary.met + summary.missed + summary.draft + summary.missing == summary.expected
    assert summary.expected + summary.not_applicable == 31
    assert pengawasan.count_as == "draft"  # returned: a value, but not handed over
    assert summary.met >= 8 and summary.missed >= 4 and summary.missing >= 1

    html = response.content.decode()
    assert "Rp 7.020.000.000.000" in html
    assert "Kelengkapan pelaporan per jabatan" in html


def test_dashboard_tw3_lists_missed_targets_without_follow_up(login_as):
    # Only a submitted or approved figure counts as missed: the investment's TW 3 draft,
    # without a follow-up yet, is listed once it is submitted as it is.
    investment = "Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten"
    client = login_as("kepala")
    assert dashboard(client, tw=3).context["summary"].missed_without_follow_up == []
    Realisation.objects.filter(indicator__name=investment, period="Q3").update(status="submitted")
    response = dashboard(client, tw=3)
    names = [c.indicator.name for c in response.context["summary"].missed_without_follow_up]
    assert names == [investment]


def test_zero_target_quarter_is_not_applicable_nor_missing(login_as):
    response = dashboard(login_as("kepala"), tw=1)
    pengawasan = cell_of(response, "Persentasi Pelaksanaan Pengawasan Perizinan")
    assert pengawasan.result.target == 0 and not pengawasan.due and not pengawasan.missing


def test_completeness_names_the_officers_who_have_not_entered(login_as):
    response = dashboard(login_as("kepala"), tw=2)
    rows = {r["position"].name: r for r in response.context["completeness"]}
    cro = rows["CRO"]
    assert cro["due"] == 1 and cro["entered"] == 0 and not cro["complete"]
    assert [str(u) for u in cro["holders"]] == ["Nur Aisyah"]
    assert "Nur Aisyah" in response.content.decode()


def test_late_periods_are_marked(login_as):
    response = dashboard(login_as("kepala"), tw=3)
    assert response.context["summary"].late > 0
    assert "terlambat" in response.content.decode()


def test_switching_year_without_a_manual(login_as):
    response = login_as("kepala").get(reverse("dashboard", args=[UP]), {"tahun": 1999, "tw": 9})
    assert response.status_code == 200
    # The year that has a manual, on its last reported quarter (issue 13: where the work is).
    assert response.context["year"] == 2023 and response.context["quarter"] == 3


# --- access -----------------------------------------------------------------------------


@pytest.fixture
def other_unit(demo_examples):
    unit = Unit.objects.create(code="up-lain", name="UP Lain", kind="up")
    position = Position.objects.create(unit=unit, name="Kepala UP Lain", level="kepala")
    user = User.objects.create_user("kepala-lain", password="x")
    Assignment.objects.create(user=user, position=position, role="head")
    return unit, user


def test_other_units_get_404(client, other_unit):
    unit, user = other_unit
    client.force_login(user)
    ind = Indicator.objects.filter(objective__section__manual__unit__code=UP).first()
    assert dashboard(client).status_code == 404
    assert client.get(reverse("comparison", args=[DINAS])).status_code == 404
    assert client.get(reverse("indicator", args=[ind.pk])).status_code == 404
    assert client.post(reverse("new_year", args=[UP]), {"dari": 2023}).status_code == 404
    logged_in(client, "kepala")
    assert dashboard(client, code="up-lain").status_code == 404
    assert client.get(reverse("comparison", args=[DINAS])).status_code == 404
    assert dashboard(client, code=DINAS).status_code == 404


def test_parent_head_sees_children_and_drills_down(login_as):
    client = login_as("kadis")
    response = client.get(reverse("comparison", args=[DINAS]), {"tahun": 2023, "tw": 2})
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row["unit"].code == UP and row["rank"] == 1 and row["summary"].met > 0
    assert reverse("dashboard", args=[UP]) in response.content.decode()
    assert dashboard(client, tw=2).status_code == 200

    response = client.get(
        reverse("comparison", args=[DINAS]),
        {"tahun": 2023, "tw": 2, "indikator": "Persentase Penerbitan Izin Tepat Waktu"},
    )
    assert response.context["rows"][0]["cell"].result.achievement == 100


def test_staff_sees_own_unit_dashboard_but_cannot_start_a_year(login_as):
    client = login_as("cro")
    assert dashboard(client).status_code == 200
    assert client.post(reverse("new_year", args=[UP]), {"dari": 2023}).status_code == 404
    assert not QualityManual.objects.filter(year=2024).exists()


# --- indicator page ---------------------------------------------------------------------


def test_indicator_page_draws_the_chart(login_as):
    ind = Indicator.objects.get(name="Realisasi Nilai Ivestasi Tingkat Kota /Kabupaten")
    html = login_as("kepala").get(reverse("indicator", args=[ind.pk])).content.decode()
    assert html.count('class="bar-realisasi"') == 3
    assert html.count('class="garis-target"') == 4
    assert 'class="garis-kumulatif"' in html  # a cumulative indicator
    assert "Contoh data demo" in html  # notes
    assert "Riwayat perubahan terakhir" in html


def test_indicator_page_shows_the_band_for_index_indicators(login_as):
    ind = Indicator.objects.get(name="Indeks Kepuasan Layanan Administrasi Keuangan")
    html = login_as("kepala").get(reverse("indicator", args=[ind.pk])).content.decode()
    assert "4 · A · Sangat Baik" in html


def test_indicator_page_shows_years_before(login_as):
    client = login_as("kepala")
    confirm_new_year(client, target="salin")
    ind = Indicator.objects.get(
        name="Persentase Penerbitan Izin Tepat Waktu", objective__section__manual__year=2024
    )
    response = client.get(reverse("indicator", args=[ind.pk]))
    assert [y["year"] for y in response.context["years_before"]] == [2023]


# --- new year ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode,targets", [("salin", 147), ("kosong", 0)])
def test_new_year_copies_the_manual(login_as, mode, targets):
    before = Target.objects.count(), Realisation.objects.count()
    client = login_as("kepala")
    response = confirm_new_year(client, target=mode)
    assert response.status_code == 302 and "tahun=2024" in response["Location"]
    manual = QualityManual.objects.get(year=2024)
    assert manual.document_number == "L2/MM-02" and manual.effective_date.year == 2024
    assert Indicator.objects.filter(objective__section__manual=manual).count() == 31
    assert Target.objects.filter(indicator__objective__section__manual=manual).count() == targets
    assert (Target.objects.count(), Realisation.objects.count()) == (before[0] + targets, before[1])
    response = client.post(reverse("new_year", args=[UP]), {"dari": 2023, "target": mode})
    assert response.status_code == 200 and "sudah ada" in response.content.decode()
    assert QualityManual.objects.filter(year=2024).count() == 1


# --- constant queries -------------------------------------------------------------------


def make_unit(parent, n, indicators, officer):
    unit = Unit.objects.create(code=f"u{n}", name=f"UP {n:03d}", kind="up", parent=parent)
    position = Position.objects.create(unit=unit, name="Kepala", level="kepala")
    manual = QualityManual.objects.create(
        unit=unit, year=2023, document_number="L2/MM-02", effective_date="2023-07-01"
    )
    section = Section.objects.create(manual=manual, order=1, level="kepala", title="Kepala Unit")
    objective = Objective.objects.create(section=section, number=1, text="Sasaran")
    created = Indicator.objects.bulk_create(
        Indicator(
            objective=objective,
            order=i,
            name=f"Indikator {i}",
            measurement_method="-",
            frequency="quarterly",
            responsible_position=position,
            kind="count",
        )
        for i in range(indicators)
    )
    Target.objects.bulk_create(
        Target(indicator=ind, period=p, value=2) for ind in created for p in ("Q1", "Q2", "Y")
    )
    Realisation.objects.bulk_create(
        Realisation(indicator=ind, period="Q2", value=1, entered_by=officer) for ind in created
    )
    return unit


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"tahun": 2023, "tw": 2}).status_code == 200
    return len(ctx)


def test_dashboard_queries_do_not_grow_with_indicators(login_as, django_assert_max_num_queries):
    client = login_as("admin")
    officer = User.objects.get(username="admin")
    dinas = Unit.objects.get(code=DINAS)
    small = make_unit(dinas, 1, 3, officer)
    big = make_unit(dinas, 2, 31, officer)
    few = queries(client, reverse("dashboard", args=[small.code]))
    with django_assert_max_num_queries(few):
        client.get(reverse("dashboard", args=[big.code]), {"tahun": 2023, "tw": 2})


def test_parent_view_queries_do_not_grow_with_units(
    login_as, django_assert_max_num_queries, settings
):
    # What the page reads from the database, the first time (nothing cached yet). Not the
    # database cache's writes: the first view gives each unit a version in the cache
    # (`dashboard.cached_figures`), which Django's DatabaseCache writes key by key
    # (one round trip with Redis). The cached page's count: test_comparison_cache.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "parent-view-queries",
        }
    }
    client = login_as("admin")
    officer = User.objects.get(username="admin")
    small_parent = Unit.objects.create(code="prov-kecil", name="Prov kecil", kind="dinas")
    big_parent = Unit.objects.create(code="prov-besar", name="Prov besar", kind="dinas")
    make_unit(small_parent, 1000, 3, officer)
    for n in range(50):
        make_unit(big_parent, n, 31, officer)
    few = queries(client, reverse("comparison", args=[small_parent.code]))
    with django_assert_max_num_queries(few):
        response = client.get(
            reverse("comparison", args=[big_parent.code]), {"tahun": 2023, "tw": 2}
        )
    assert len(response.context["rows"]) == 50


def test_parent_head_reads_child_indicator_pages_but_cannot_enter(login_as):
    client = login_as("kadis")
    ind = Indicator.objects.get(name="Persentase Penerbitan Izin Tepat Waktu")
    assert client.get(reverse("indicator", args=[ind.pk])).status_code == 200
    assert client.get(reverse("entry", args=[ind.pk, "Q1"])).status_code == 200
    response = client.post(reverse("entry", args=[ind.pk, "Q3"]), {"value": "1", "save": "1"})
    assert response.status_code == 404


@pytest.mark.parametrize("data", [{"dari": "abc", "target": "salin"}, {"dari": "1999"}, {}])
def test_new_year_from_a_year_that_is_not_there_is_404_not_an_error(login_as, data):
    response = login_as("kepala").post(reverse("new_year", args=[UP]), data)
    assert response.status_code == 404
    assert not QualityManual.objects.filter(year=2024).exists()


def test_indicator_page_queries_do_not_grow_with_entries_and_evidence(
    login_as, django_assert_max_num_queries, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from sasaran.models import Evidence

    settings.MEDIA_ROOT = tmp_path
    client = login_as("kepala")
    two = Indicator.objects.get(name="Persentase Penerbitan Izin Tepat Waktu")  # 2 entries
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("indicator", args=[two.pk]))
    # `two` is the head's own indicator: as its officer he may change it without the query
    # asking whether he reviews it, which the monthly indicator (his staff's) needs.
    baseline = len(ctx) + 1
    monthly = Indicator.objects.get(name="(1) Menyusun jadwal pengukuran")  # 9 entries
    url = reverse("indicator", args=[monthly.pk])
    officer = User.objects.get(username="juruukur")
    for row in Realisation.objects.filter(indicator=monthly):
        Evidence.objects.create(
            realisation=row,
            file=ContentFile(b"%PDF-1.4", name="x.pdf"),
            original_name="x.pdf",
            size=8,
            uploaded_by=officer,
        )
    with django_assert_max_num_queries(baseline):  # the evidence: one query in all
        html = client.get(url).content.decode()
    assert html.count(">x.pdf</a>") == 9


def test_new_year_made_meanwhile_by_a_double_click_gives_a_message_not_a_500(login_as, monkeypatch):
    """The second of two quick clicks finds the year already made between its own check and
    its insert: it gets the "already exists" message, and one copy stays."""
    client = login_as("kepala")
    data = new_year_data(client)  # the form as both clicks send it
    source = QualityManual.objects.get(unit__code=UP, year=2023)
    services.manual_copy_to_year(manual=source, year=2024, carry_targets=True)  # first click
    real_exists, missed = QuerySet.exists, []

    def check_before_the_first_click_committed(queryset):
        if queryset.model is QualityManual and len(missed) < 2:  # the view's and the service's
            missed.append(True)
            return False
        return real_exists(queryset)

    monkeypatch.setattr(QuerySet, "exists", check_before_the_first_click_committed)
    response = client.post(reverse("new_year", args=[UP]), data)

    assert response.status_code == 200
    assert QualityManual.objects.filter(year=2024).count() == 1
    assert "Sasaran Mutu 2024 untuk unit ini sudah ada." in response.content.decode()


def test_new_year_from_a_manual_effective_on_29_february(login_as):
    QualityManual.objects.filter(unit__code=UP, year=2023).update(effective_date="2023-02-28")
    manual = QualityManual.objects.get(unit__code=UP, year=2023)
    leap = services.manual_copy_to_year(manual=manual, year=2024, carry_targets=False)
    leap.effective_date = leap.effective_date.replace(day=29)
    leap.save(update_fields=["effective_date"])

    client = login_as("kepala")
    response = confirm_new_year(client, source=2024, target="kosong")  # offered: 28 Feb 2025

    assert response.status_code == 302 and "tahun=2025" in response["Location"]
    assert str(QualityManual.objects.get(unit__code=UP, year=2025).effective_date) == "2025-02-28"
