"""The demo's invented second office (fixtures/demo/sasaran-mutu-2023-contoh-jakbar.json):
loaded with the examples, written the way other offices write their Sasaran Mutu, scored by
the same rules, and compared with the seed's unit under the same Dinas."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sasaran import results
from sasaran.dashboard import with_rows
from sasaran.models import Indicator, Objective, QualityManual, Realisation, Section

OFFICE = "up-pmptsp-jakbar"
D = Decimal


def indicator(name):
    rows = with_rows(Indicator.objects.filter(objective__section__manual__unit__code=OFFICE))
    return next(row for row in rows if row.name == name)


def test_the_example_office_comes_only_with_the_examples(demo):
    assert not QualityManual.objects.filter(unit__code=OFFICE).exists()


def test_its_manual_is_marked_as_example_data(demo_examples):
    manual = QualityManual.objects.get(unit__code=OFFICE, year=2023)
    assert "Contoh data demo" in manual.note and "Contoh data demo" in manual.introduction
    notes = Indicator.objects.filter(objective__section__manual=manual).values_list(
        "note", flat=True
    )
    assert notes and all("Contoh data demo" in note for note in notes)
    rows = Realisation.objects.filter(indicator__objective__section__manual=manual)
    assert rows.count() == 23 and all("Contoh data demo" in row.note for row in rows)


def test_sections_of_its_own_and_a_commitment_without_indicator(demo_examples):
    sections = Section.objects.filter(manual__unit__code=OFFICE).order_by("order")
    assert [(s.title, s.level) for s in sections] == [
        ("Produk Layanan", ""),
        ("Tata Kelola dan Anggaran", "kasubbag"),
    ]
    commitment = Objective.objects.get(section=sections[1], number=2)
    assert "5R" in commitment.text and not commitment.indicators.exists()


def test_monthly_and_semester_indicators_with_their_periods(demo_examples):
    assert indicator("Jumlah berkas permohonan yang diverifikasi").due_periods()[0] == "M01"
    ikm = indicator("Indeks Kepuasan Masyarakat (IKM) pelayanan perizinan")
    assert ikm.due_periods() == ["S1", "S2"]
    assert {t.period for t in ikm.targets.all()} == {"S1", "S2", "Y"}


def test_konversi_index_target(demo_examples):
    result = results.evaluate(
        indicator("Indeks Kepuasan Masyarakat (IKM) pelayanan perizinan"), "S1", []
    )
    assert result.target == 84 and result.realised == D("85.42") and result.met is True
    assert result.achievement == D("85.42") * 100 / 84 and result.band.mutu == "B"


def test_zero_tolerance_months(demo_examples):
    pungli = indicator("Jumlah pungutan liar yang terbukti")
    clean = results.evaluate(pungli, "M01", [])
    assert (clean.achievement, clean.met) == (100, True)
    found = results.evaluate(pungli, "M04", [])
    assert (found.realised, found.achievement, found.met) == (1, 0, False)
    # The quarter sums its months against the months' targets (0): one case misses it.
    assert results.evaluate(pungli, "Q2", []).met is False
    assert results.evaluate(pungli, "Q1", []).met is True


def test_monthly_targets_sum_to_the_quarter(demo_examples):
    berkas = indicator("Jumlah berkas permohonan yang diverifikasi")
    quarter = results.evaluate(berkas, "Q1", [])
    assert (quarter.target, quarter.realised, quarter.met) == (1950, 640 + 655 + 702, True)
    assert results.evaluate(berkas, "M01", []).met is False  # 640 of 650


def test_range_target(demo_examples):
    budget = indicator("Persentase realisasi anggaran terhadap rencana penarikan dana")
    result = results.evaluate(budget, "S1", [])
    assert (result.target, result.target_upper) == (90, 100)
    assert result.achievement == 100 and result.met is True


@pytest.mark.parametrize("username", ["kadis"])
def test_the_dinas_compares_both_offices(demo_examples, login_as, username):
    response = login_as(username).get(
        reverse("comparison", args=["dpmptsp-dki"]), {"tahun": 2023, "tw": 2}
    )
    assert response.status_code == 200
    rows = {row["unit"].name: row for row in response.context["rows"]}
    assert set(rows) == {"UP PMPTSP Kota Jakarta Barat (contoh)", "UP PMPTSP Kota Jakarta Timur"}


def test_the_example_head_sees_only_his_office(demo_examples, login_as):
    client = login_as("kepalabarat")
    assert client.get(reverse("dashboard", args=[OFFICE])).status_code == 200
    assert client.get(reverse("dashboard", args=["up-pmptsp-jaktim"])).status_code == 404
