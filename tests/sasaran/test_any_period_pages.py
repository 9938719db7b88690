"""Every page knows every kind of period: Tugas saya, the entry form, the review queue, the
dashboard (quarter, semester and year views), the parent unit's comparison, the indicator
page and its chart, the quarterly report and the admin's targets, through HTTP, with an
office measuring by month, quarter, semester and year (`periods_office`)."""

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from sasaran import periods, services
from sasaran.models import Indicator, Realisation, Target
from tests.conftest import logged_in
from tests.sasaran import periods_office as office
from tests.sasaran.test_target_revisions import form_data, target_form

pytestmark = pytest.mark.usefixtures("demo")

D = Decimal


@pytest.fixture
def rows(demo):
    return office.make_office()


@pytest.fixture
def officer(client, rows):
    return logged_in(client, "uji_petugas")


@pytest.fixture
def head(client, rows):
    return logged_in(client, "uji_kepala")


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def dashboard(client, **params):
    return client.get(reverse("dashboard", args=[office.CODE]), {"tahun": 2023, **params})


def cells(response):
    return {c.indicator.name: c for cs in response.context["sections"].values() for c in cs}


def entry_url(indicator, period):
    return reverse("entry", args=[indicator.pk, period])


# --------------------------------------------------------------------------- Tugas saya


def test_tugas_saya_lists_each_indicator_in_its_own_periods(officer, rows):
    tasks = officer.get(reverse("tasks"), {"tahun": 2023}).context["tasks"]
    by_indicator = {}
    for task in tasks:
        by_indicator.setdefault(task["indicator"].name, []).append(task["period"])
    assert by_indicator[office.KENDARAAN] == office.MONTHS
    assert by_indicator[office.TEPAT_WAKTU] == office.MONTHS
    assert by_indicator[office.IKM] == ["S1", "S2"]
    assert by_indicator[office.PUNGLI] == ["Q1", "Q2", "Q3", "Q4"]
    assert by_indicator[office.SOSIALISASI] == ["S1", "S2"]
    assert by_indicator[office.LAPORAN] == ["Y"]
    html = text(officer.get(reverse("tasks"), {"tahun": 2023}))
    for label in ("Januari", "Desember", "Semester I", "Semester II", "TW 3", "Tahunan"):
        assert label in html
    assert "Produk Layanan" in html  # the section's own title (it has no level)


def test_deadlines_are_per_period_and_zero_tolerance_is_late_when_missing(officer, rows):
    tasks = {
        (t["indicator"].name, t["period"]): t
        for t in officer.get(reverse("tasks"), {"tahun": 2023}).context["tasks"]
    }
    # Ten days after the period ends (the unit's default).
    assert tasks[(office.KENDARAAN, "M02")]["deadline"].isoformat() == "2023-03-10"
    assert tasks[(office.IKM, "S1")]["deadline"].isoformat() == "2023-07-10"
    assert tasks[(office.LAPORAN, "Y")]["deadline"].isoformat() == "2024-01-10"
    # Entered and approved: not late (recorded from earlier records, lateness not known).
    assert not tasks[(office.KENDARAAN, "M02")]["late"]
    # Missing months, semesters and the year are overdue.
    assert tasks[(office.KENDARAAN, "M08")]["overdue"]
    assert tasks[(office.SOSIALISASI, "S2")]["overdue"]
    assert tasks[(office.LAPORAN, "Y")]["overdue"]
    # "0 pungutan liar" is a target to report against, not "nothing due".
    assert tasks[(office.PUNGLI, "Q3")]["result"].target == 0
    assert tasks[(office.PUNGLI, "Q3")]["overdue"]


# --------------------------------------------------------------------------- entry form


def test_the_entry_form_takes_a_month_and_refuses_a_period_not_measured(officer, rows):
    assert officer.get(entry_url(rows.kendaraan, "M08")).status_code == 200
    assert officer.get(entry_url(rows.ikm, "S2")).status_code == 200
    assert officer.get(entry_url(rows.laporan, "Y")).status_code == 200
    for indicator, period in [
        (rows.kendaraan, "Q3"),
        (rows.ikm, "Q2"),
        (rows.pungli, "M01"),
        (rows.laporan, "S1"),
    ]:
        assert officer.get(entry_url(indicator, period)).status_code == 404


def test_a_count_takes_whole_numbers_only(officer, rows):
    url = entry_url(rows.kendaraan, "M08")
    response = officer.post(url, {"value": "1.234,5", "note": "rekap Agustus", "save": "1"})
    assert response.status_code == 200
    html = text(response)
    assert "isikan bilangan bulat, bukan 1.234,5" in html
    assert 'value="1.234,5"' in html and "rekap Agustus" in html  # what was typed stays
    assert not Realisation.objects.filter(indicator=rows.kendaraan, period="M08").exists()
    # The message is at the field.
    form = response.context["form"]
    assert "bilangan bulat" in form.errors["value"][0]

    response = officer.post(url, {"value": "1.234", "save": "1"})
    assert response.status_code == 302
    assert Realisation.objects.get(indicator=rows.kendaraan, period="M08").value == 1234


def test_a_percentage_keeps_its_decimals(officer, rows):
    response = officer.post(entry_url(rows.tepat_waktu, "M04"), {"value": "87,5", "save": "1"})
    assert response.status_code == 302
    assert Realisation.objects.get(indicator=rows.tepat_waktu, period="M04").value == D("87.5")


def test_a_month_is_held_against_its_own_target_and_shows_the_year(officer, rows):
    html = text(officer.get(entry_url(rows.kendaraan, "M06")))
    assert 'id="target-periode">100' in html
    assert 'id="target-tahunan">1.200' in html
    assert "120,00 %" in html  # June: 120 of 100
    # The table of the year: the twelve months and the year.
    table = html[html.index('id="periode-tahun-ini"') :]
    assert all(month in table for month in ("Januari", "Juni", "Desember", "Tahunan"))


def test_a_month_without_its_own_target_is_held_against_its_quarter(officer, rows):
    response = officer.get(entry_url(rows.tepat_waktu, "M02"))
    assert response.context["result"].target == 90
    html = text(response)
    assert re.search(r'id="target-periode">[^<]*90 %', html)
    assert "111,11 %" in html  # 100 of 90


def test_zero_tolerance_shows_100_or_0_percent_never_not_applicable(officer, rows):
    url = entry_url(rows.pungli, "Q3")
    # Nothing entered yet: the capaian waits for the figure (not "tidak berlaku").
    html = text(officer.get(url))
    assert "Capaian dihitung setelah realisasi diisi" in html
    assert "tidak berlaku" not in html[html.index('id="hasil"') :][:600]
    preview = text(officer.post(reverse("preview", args=[rows.pungli.pk, "Q3"]), {"value": "2"}))
    assert "0,00 %" in preview and "Target tidak tercapai" in preview
    # Missed: the cause and follow-up are required to submit.
    response = officer.post(url, {"value": "2", "submit": "1"})
    assert response.status_code == 200 and "wajib diisi" in text(response)
    response = officer.post(url, {"value": "0", "submit": "1"})
    assert response.status_code == 302
    html = text(officer.get(url))
    assert "100,00 %" in html and "Target tercapai" in html


def test_an_index_with_a_konversi_target_is_judged_against_the_value(officer, rows):
    url = entry_url(rows.ikm, "S2")
    preview = text(officer.post(reverse("preview", args=[rows.ikm.pk, "S2"]), {"value": "83"}))
    assert "98,81 %" in preview and "Target tidak tercapai" in preview  # 83 of 84
    preview = text(
        officer.post(
            reverse("preview", args=[rows.ikm.pk, "S2"]), {"value": "3,4", "scale": "interval"}
        )
    )
    assert "101,19 %" in preview and "Target tercapai" in preview  # 85 of 84
    assert officer.post(url, {"value": "84", "save": "1"}).status_code == 302
    html = text(officer.get(url))
    assert "100,00 %" in html and "tidak berlaku" not in html


# --------------------------------------------------------------------------- review queue


def test_the_review_queue_shows_months_and_semesters(client, rows):
    logged_in(client, "uji_petugas")
    client.post(entry_url(rows.kendaraan, "M08"), {"value": "100", "submit": "1"})
    client.post(entry_url(rows.sosialisasi, "S2"), {"value": "2", "submit": "1"})
    logged_in(client, "uji_kepala")
    response = client.get(reverse("review"))
    items = [
        (item["indicator"].name, item["row"].period, item["result"].target)
        for section_items in response.context["sections"].values()
        for item in section_items
    ]
    assert (office.KENDARAAN, "M08", 100) in items
    assert (office.SOSIALISASI, "S2", 2) in items
    assert (office.PUNGLI, "Q2", 0) in items
    html = text(response)
    assert "Agustus" in html and "Semester II" in html


def test_another_units_user_gets_404_for_these_pages(login_as, rows):
    client = login_as("kasubbag")  # an officer of the demo's other unit
    assert client.get(reverse("indicator", args=[rows.kendaraan.pk])).status_code == 404
    assert client.get(entry_url(rows.kendaraan, "M01")).status_code == 404
    assert client.get(reverse("dashboard", args=[office.CODE])).status_code == 404


# --------------------------------------------------------------------------- dashboard


def test_a_quarter_view_combines_months_and_shows_longer_periods_whole(head, rows):
    response = dashboard(head, tw=2)  # an old ?tw= address still works
    assert response.context["period"] == "Q2" and response.context["quarter"] == 2
    shown = cells(response)
    kendaraan = shown[office.KENDARAAN]
    assert kendaraan.period == "Q2"
    assert kendaraan.result.realised == 320 and kendaraan.result.target == 300
    assert kendaraan.count_as == "met" and len(kendaraan.entries) == 3
    assert shown[office.IKM].period == "S1"  # the semester holding the quarter
    assert shown[office.IKM].count_as == "met"
    assert shown[office.SOSIALISASI].period == "S1"
    assert shown[office.LAPORAN].period == "Y"
    pungli = shown[office.PUNGLI]
    assert pungli.result.achievement == 0 and pungli.count_as == "missed"
    # TW 1 shows the semester under way too.
    assert cells(dashboard(head, periode="Q1"))[office.IKM].period == "S1"
    assert cells(dashboard(head, periode="Q3"))[office.IKM].period == "S2"
    html = text(response)
    assert "TW 2 2023" in html and "Semester I" in html


def test_a_semester_view_shows_each_indicator_for_the_semester(head, rows):
    response = dashboard(head, periode="S1")
    assert response.context["period"] == "S1" and response.context["quarter"] is None
    shown = cells(response)
    assert {name: c.period for name, c in shown.items()} == {
        office.KENDARAAN: "S1",
        office.TEPAT_WAKTU: "S1",
        office.IKM: "S1",
        office.PUNGLI: "S1",
        office.SOSIALISASI: "S1",
        office.LAPORAN: "Y",
    }
    kendaraan = shown[office.KENDARAAN]
    assert kendaraan.result.realised == 620 and kendaraan.result.target == 600
    assert len(kendaraan.entries) == 6 and kendaraan.count_as == "met"
    assert shown[office.TEPAT_WAKTU].count_as == "missing"  # April-June not entered
    pungli = shown[office.PUNGLI]  # TW 1 (0) and TW 2 (1) together, against 0
    assert pungli.result.realised == 1 and pungli.result.achievement == 0
    assert pungli.count_as == "missed"
    summary = response.context["summary"]
    assert (summary.met, summary.missed, summary.missing) == (3, 1, 2)
    html = text(response)
    assert "Semester I 2023" in html
    # The reports stay quarterly: the semester's buttons give the quarter that closes it.
    assert "tw=2" in html and "Laporan PDF TW 2" in html


def test_the_year_view_and_the_second_semester(head, rows):
    shown = cells(dashboard(head, periode="Y"))
    assert all(c.period == "Y" for c in shown.values())
    assert shown[office.KENDARAAN].result.target == 1200
    assert shown[office.KENDARAAN].count_as == "missing"
    s2 = cells(dashboard(head, periode="S2"))
    assert s2[office.KENDARAAN].result.target == 600  # July-December's own targets
    assert s2[office.IKM].period == "S2" and s2[office.IKM].count_as == "missing"


def test_the_period_selector_offers_quarters_semesters_and_the_year(head, rows):
    html = dashboard(head, periode="S2").content.decode()
    picker = html[html.index('id="pilih-periode"') :]
    picker = picker[: picker.index("</form>")]
    for code in ("Q1", "Q2", "Q3", "Q4", "S1", "S2", "Y"):
        assert f'name="periode" value="{code}"' in picker
    assert '<input type="hidden" name="periode" value="S2">' in picker
    assert 'value="S2" class="btn btn-success"' in picker
    # A period that is not a view falls back to the quarter asked for, or the default.
    assert dashboard(head, periode="M05", tw=3).context["period"] == "Q3"
    assert dashboard(head, periode="zz").status_code == 200


def test_the_parent_comparison_takes_the_same_periods(login_as, rows):
    client = login_as("kadis")
    url = reverse("comparison", args=["dpmptsp-dki"])
    response = client.get(url, {"tahun": 2023, "periode": "S1"})
    assert response.status_code == 200 and response.context["period"] == "S1"
    row = next(r for r in response.context["rows"] if r["unit"].code == office.CODE)
    assert (row["summary"].met, row["summary"].missed) == (3, 1)
    response = client.get(url, {"tahun": 2023, "periode": "Q2", "indikator": office.IKM})
    row = next(r for r in response.context["rows"] if r["unit"].code == office.CODE)
    assert row["cell"].period == "S1" and row["cell"].result.realised == D("85.5")
    assert "Semester I" in text(response)  # the period the figure is of


# --------------------------------------------------------------------------- indicator page


def test_the_indicator_page_of_a_monthly_indicator_shows_twelve_months(head, rows):
    response = head.get(reverse("indicator", args=[rows.kendaraan.pk]))
    assert [q["period"] for q in response.context["quarters"]] == [*office.MONTHS, "Y"]
    chart = response.context["chart"]
    assert [label["text"] for label in chart["labels"]] == [
        "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"
    ]  # fmt: skip
    assert len(chart["bars"]) == 7 and len(chart["targets"]) == 12
    html = text(response)
    assert "Target dan realisasi per bulan" in html
    assert "Januari" in html and "Desember" in html


def test_the_indicator_page_shows_targets_written_for_longer_periods(head, rows):
    response = head.get(reverse("indicator", args=[rows.tepat_waktu.pk]))
    periods_shown = [q["period"] for q in response.context["quarters"]]
    assert periods_shown == [*office.MONTHS, "Q1", "Q2", "Q3", "Q4", "Y"]
    by_period = {q["period"]: q for q in response.context["quarters"]}
    assert by_period["M02"]["result"].target == 90  # its quarter's target
    assert by_period["Q1"]["result"].realised == 90  # 80, 100, 90 averaged


def test_the_indicator_page_of_an_index_semester_indicator(head, rows):
    response = head.get(reverse("indicator", args=[rows.ikm.pk]))
    assert [q["period"] for q in response.context["quarters"]] == ["S1", "S2", "Y"]
    chart = response.context["chart"]
    # The target line at the value written (84), not at a band.
    assert [t["value"] for t in chart["targets"]] == [84, 84]
    assert [label["text"] for label in chart["labels"]] == ["Semester I", "Semester II"]


# --------------------------------------------------------------------------- quarterly report


def quarterly_rows(client, tw):
    response = client.get(
        reverse("report_download", args=[office.CODE, "xlsx"]), {"tahun": 2023, "tw": tw}
    )
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    found = {}
    for row in ws.iter_rows(values_only=True):
        if row[1] in {
            office.KENDARAAN,
            office.TEPAT_WAKTU,
            office.IKM,
            office.PUNGLI,
            office.SOSIALISASI,
            office.LAPORAN,
        }:
            found[row[1]] = row
    return found


def test_the_quarterly_report_shows_each_indicator_in_its_period(head, rows):
    tw2 = quarterly_rows(head, 2)
    assert tw2[office.KENDARAAN][2] == "TW 2" and tw2[office.KENDARAAN][4] == 320
    assert tw2[office.IKM][2] == "Semester I"
    assert tw2[office.SOSIALISASI][2] == "Semester I" and tw2[office.SOSIALISASI][4] == 2
    assert tw2[office.LAPORAN][2] == "Tahunan"
    assert tw2[office.PUNGLI][5] == 0  # capaian 0 %, not "tidak berlaku"
    tw1 = quarterly_rows(head, 1)
    assert tw1[office.IKM][2] == "Semester I"  # the semester under way
    tw3 = quarterly_rows(head, 3)
    assert tw3[office.SOSIALISASI][2] == "Semester II"


def test_the_quarterly_pdf_explains_the_longer_periods(head, rows):
    from pypdf import PdfReader

    response = head.get(
        reverse("report_download", args=[office.CODE, "pdf"]), {"tahun": 2023, "tw": 2}
    )
    assert response.status_code == 200
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    pdf = re.sub(r"\s+", " ", pdf)
    assert "Semester I" in pdf and "periodenya sendiri" in pdf


# --------------------------------------------------------------------------- constant queries


def grow(rows, n):
    """`n` more monthly and semester indicators, each with a target and an entry for every
    period of its own."""
    objective = rows.kendaraan.objective
    for i in range(n):
        for frequency, own in (("monthly", office.MONTHS), ("semester", ["S1", "S2"])):
            indicator = Indicator.objects.create(
                objective=objective,
                order=100 + 2 * i + (frequency == "semester"),
                name=f"Tambahan {frequency} {i}",
                measurement_method="-",
                frequency=frequency,
                responsible_position=rows.kendaraan.responsible_position,
                kind="count",
            )
            Target.objects.bulk_create(
                Target(indicator=indicator, period=p, value=1) for p in [*own, "Y"]
            )
            Realisation.objects.bulk_create(
                Realisation(indicator=indicator, period=p, value=1, entered_by=rows.officer)
                for p in own
            )


@pytest.mark.parametrize(
    ("page", "persona", "params"),
    [
        ("dashboard", "uji_kepala", {"periode": "S1"}),
        ("dashboard", "uji_kepala", {"tw": "2"}),
        ("dashboard", "uji_kepala", {"periode": "Y"}),
        ("comparison", "kadis", {"periode": "S2"}),
        ("tasks", "uji_petugas", {}),
        ("review", "uji_kepala", {}),
    ],
)
def test_queries_stay_constant_with_monthly_and_semester_indicators(
    client, rows, django_assert_max_num_queries, page, persona, params
):
    args = {"dashboard": [office.CODE], "comparison": ["dpmptsp-dki"]}.get(page, [])
    url = reverse(page, args=args)
    logged_in(client, persona)
    Realisation.objects.filter(indicator__objective__section__manual=rows.manual).update(
        status=Realisation.Status.SUBMITTED, entered_by=rows.officer
    )
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"tahun": 2023, **params}).status_code == 200
    grow(rows, 8)
    Realisation.objects.filter(indicator__objective__section__manual=rows.manual).update(
        status=Realisation.Status.SUBMITTED
    )
    with django_assert_max_num_queries(len(few)):
        assert client.get(url, {"tahun": 2023, **params}).status_code == 200


def test_the_indicator_page_queries_do_not_grow_with_months(
    client, rows, django_assert_max_num_queries
):
    logged_in(client, "uji_kepala")
    url = reverse("indicator", args=[rows.tepat_waktu.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for month in office.MONTHS[3:]:
        Realisation.objects.create(
            indicator=rows.tepat_waktu, period=month, value=90, entered_by=rows.officer
        )
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


# --------------------------------------------------------------------------- admin targets


def add_target(client, indicator, period, value, upper=""):
    """Post the indicator's change page with one more target."""
    url = reverse("admin:sasaran_indicator_change", args=[indicator.pk])
    page = client.get(url)
    data = form_data(page)
    formset = page.context["inline_admin_formsets"][0].formset
    prefix = formset.prefix
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = n + 1
    data.update(
        {f"{prefix}-{n}-period": period, f"{prefix}-{n}-value": value, f"{prefix}-{n}-upper": upper}
    )
    return client.post(url, data), f"{prefix}-{n}"


@pytest.fixture
def admin_client_(client, rows):
    return logged_in(client, "admin")


@pytest.mark.parametrize(
    ("name", "period", "value", "field", "message"),
    [
        (office.LAPORAN, "M01", "1", "period", "lebih pendek dari periode pengukurannya"),
        (office.IKM, "Q2", "84", "period", "Pilih salah satu: Semester I-II, Tahunan"),
        (office.PUNGLI, "M03", "0", "period", "TW 1-4"),
        (office.IKM, "S1", "5", "value", "pita 1-4 (mis. 4 = A) atau nilai 25-100"),
        (office.IKM, "S1", "120", "value", "120 bukan keduanya"),
        (office.SOSIALISASI, "S1", "2.5", "value", "bilangan bulat, bukan 2,5"),
    ],
)
def test_admin_refuses_targets_that_do_not_fit_at_the_field(
    admin_client_, rows, name, period, value, field, message
):
    indicator = Indicator.objects.get(name=name, objective__section__manual=rows.manual)
    Target.objects.filter(indicator=indicator, period=period).delete()
    before = list(Target.objects.filter(indicator=indicator).values_list("period", "value"))
    response, prefix = add_target(admin_client_, indicator, period, value)
    assert response.status_code == 200
    assert message in " ".join(target_form(response, prefix).errors[field])
    after = list(Target.objects.filter(indicator=indicator).values_list("period", "value"))
    assert after == before


@pytest.mark.parametrize(
    ("name", "period", "value", "expected"),
    [
        (office.KENDARAAN, "Q3", "300", D(300)),  # a monthly indicator's quarter
        (office.KENDARAAN, "S2", "600", D(600)),
        (office.PUNGLI, "S1", "0", D(0)),
        (office.LAPORAN, "Y", "2", D(2)),
    ],
)
def test_admin_takes_targets_of_the_own_period_or_longer(
    admin_client_, rows, name, period, value, expected
):
    indicator = Indicator.objects.get(name=name, objective__section__manual=rows.manual)
    Target.objects.filter(indicator=indicator, period=period).delete()
    response, _prefix = add_target(admin_client_, indicator, period, value)
    assert response.status_code == 302
    assert Target.objects.get(indicator=indicator, period=period).value == expected


def test_admin_index_target_on_either_scale_and_no_range(admin_client_, rows):
    Target.objects.filter(indicator=rows.ikm, period__in=["S2", "Y"]).delete()
    response, _prefix = add_target(admin_client_, rows.ikm, "S2", "4")  # a band
    assert response.status_code == 302
    assert Target.objects.get(indicator=rows.ikm, period="S2").value == 4
    response, prefix = add_target(admin_client_, rows.ikm, "Y", "84", "90")
    assert response.status_code == 200
    assert "tidak berupa rentang" in " ".join(target_form(response, prefix).errors["upper"])
    assert not Target.objects.filter(indicator=rows.ikm, period="Y").exists()


def test_a_reported_month_target_is_revised_with_its_basis(admin_client_, rows):
    from tests.sasaran.test_target_revisions import BASIS, post_targets

    assert services.target_needs_basis(Target.objects.get(indicator=rows.kendaraan, period="M03"))
    assert not services.target_needs_basis(
        Target.objects.get(indicator=rows.kendaraan, period="M09")
    )
    # The quarter's target decides the months within it (a monthly indicator's TW 1).
    assert services.governed_periods(rows.tepat_waktu, "Q1") == ["Q1", "M01", "M02", "M03"]
    assert services.governed_periods(rows.ikm, "Y") == ["Y", "S1", "S2"]
    response, prefix = post_targets(admin_client_, rows.kendaraan, "M03", value="90")
    assert response.status_code == 200
    assert "isi alasan dan dasar revisi" in " ".join(target_form(response, prefix).errors["reason"])
    response, _prefix = post_targets(admin_client_, rows.kendaraan, "M03", value="90", **BASIS)
    assert response.status_code == 302
    target = Target.objects.get(indicator=rows.kendaraan, period="M03")
    assert (target.value, target.original_value) == (90, 100)
    # A count's revised target is a whole number too.
    response, prefix = post_targets(admin_client_, rows.kendaraan, "M04", value="90.5", **BASIS)
    # Worded as the entry form words it (`forms.whole_number_message`), with the unit.
    message = target_form(response, prefix).errors["value"]
    unit = rows.kendaraan.unit_of_measure
    assert message == [
        f"Indikator ini dihitung dalam jumlah ({unit}): isikan bilangan bulat, bukan 90,5."
    ]


def test_the_latest_quarter_with_data_counts_months_and_semesters(rows):
    from sasaran import queries

    Realisation.objects.filter(indicator__objective__section__manual=rows.manual).exclude(
        period__in=["S1", "M01"]
    ).delete()
    assert queries.latest_quarter_with_data([rows.unit], 2023) == 2  # Semester I ends in TW 2
    assert periods.closing_quarter("S2") == 4 and periods.closing_quarter("M05") == 2
