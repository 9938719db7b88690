"""The demo's example permit and task logs (fixtures/demo/perizinan-2023.json): loaded once
through the import, linked to the seed's indicators, agreeing with the example realisations,
and gone with the demo's reset."""

from decimal import Decimal

from django.urls import reverse

from mutu import demo as mutu_demo
from sasaran.models import Indicator, Realisation, Unit
from sasaran.perizinan import services
from sasaran.perizinan.demo import load_example_permits
from sasaran.perizinan.models import ImportRun, Permit, PermitIndicator, Task, TaskIndicator


def test_example_logs_load_once_and_agree_with_the_example_realisations(demo_examples):
    # `load_demo` loaded them with the examples; again, nothing is new.
    assert load_example_permits() == {"permits": 5045, "tasks": 642}
    assert Permit.objects.count() == 5045 and Task.objects.count() == 642
    runs = ImportRun.objects.order_by("pk")
    assert [(r.created, r.unchanged) for r in runs] == [(5045, 0), (642, 0), (0, 5045), (0, 642)]
    unit = Unit.objects.get(code="up-pmptsp-jaktim")
    link = PermitIndicator.objects.get(unit=unit)
    assert link.indicator.name == "Persentase Penerbitan Izin Tepat Waktu"
    assert TaskIndicator.objects.filter(unit=unit).count() == 4
    # The example realisations: TW 1 1.180 of 1.200, TW 2 1.230 of 1.230.
    for period in ("Q1", "Q2"):
        stored = Realisation.objects.get(indicator=link.indicator, period=period)
        figures = services.permit_link_result(link, period)
        assert (Decimal(figures.total.on_time), Decimal(figures.total.total)) == (
            stored.numerator,
            stored.denominator,
        )
        assert figures.value == stored.value
    caraka = Indicator.objects.get(name="Mengantar surat kepada pihak terkait tepat waktu")
    assert services.task_link_result(caraka.task_link, "Q2").value == Decimal("1.2000")
    juru_ukur = Indicator.objects.get(name="(1) Menyusun jadwal pengukuran")
    for period, value in [("M01", "0.8"), ("M05", "0.7"), ("M09", "1")]:
        assert services.task_link_result(juru_ukur.task_link, period).value == Decimal(value)


def test_the_entry_page_agrees_with_the_log(demo_examples, login_as):
    load_example_permits()
    indicator = Indicator.objects.get(name="Persentase Penerbitan Izin Tepat Waktu")
    html = login_as("kepala").get(reverse("entry", args=[indicator.pk, "Q1"])).content.decode()
    assert 'id="nilai-dari-sumber"' in html and 'id="sumber-berbeda"' not in html


def test_the_demo_reset_deletes_the_logs(demo_examples):
    load_example_permits()
    mutu_demo.reset_demo()
    assert not Permit.objects.exists() and not Task.objects.exists()
