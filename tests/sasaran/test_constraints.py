"""The database refuses what must never happen, whatever code path tries it."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from sasaran.models import (
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


@pytest.fixture
def indicator(db):
    unit = Unit.objects.create(code="u", name="Unit Uji", kind=Unit.Kind.UNIT_PELAKSANA)
    position = Position.objects.create(unit=unit, name="Kepala", level=Position.Level.HEAD)
    manual = QualityManual.objects.create(
        unit=unit, year=2023, document_number="L2/MM-02", effective_date="2023-07-01"
    )
    section = Section.objects.create(manual=manual, order=1, level="kepala", title="Kepala Unit")
    objective = Objective.objects.create(section=section, number=1, text="Sasaran uji")
    return Indicator.objects.create(
        objective=objective,
        name="Jumlah laporan",
        measurement_method="Menyusun Laporan",
        frequency=Indicator.Frequency.QUARTERLY,
        responsible_position=position,
        kind=Indicator.Kind.COUNT,
    )


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(**fields)


def test_two_targets_for_one_quarter_are_refused(indicator):
    Target.objects.create(indicator=indicator, period="Q1", value=1)
    refused(indicator=indicator, period="Q1", value=2)
    assert indicator.targets.get(period="Q1").value == 1


def test_zero_target_is_valid_and_negative_is_refused(indicator):
    Target.objects.create(indicator=indicator, period="Q1", value=0)
    refused(indicator=indicator, period="Q2", value=-1)
    assert list(indicator.targets.values_list("period", "value")) == [("Q1", Decimal("0"))]


def test_unknown_period_and_inverted_range_are_refused(indicator):
    refused(indicator=indicator, period="Q5", value=1)
    refused(indicator=indicator, period="S3", value=1)
    refused(indicator=indicator, period="Q1", value=10, upper=5)
    Target.objects.create(indicator=indicator, period="Q1", value=5, upper=10)
    # Targets of any period: a month, a semester.
    Target.objects.create(indicator=indicator, period="M01", value=1)
    Target.objects.create(indicator=indicator, period="S2", value=2)


def test_money_target_keeps_every_rupiah(indicator):
    Target.objects.create(indicator=indicator, period="Y", value=Decimal("18605000000000"))
    assert indicator.targets.get(period="Y").value == Decimal("18605000000000")


@pytest.fixture
def officer(db):
    return User.objects.create_user("petugas", password="x")


def realisation_refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Realisation.objects.create(**fields)


def test_realisation_refuses_duplicates_and_negative_counts(indicator, officer):
    Realisation.objects.create(indicator=indicator, period="Q1", value=3, entered_by=officer)
    realisation_refused(indicator=indicator, period="Q1", value=4, entered_by=officer)
    realisation_refused(indicator=indicator, period="Q2", value=-1, entered_by=officer)
    realisation_refused(indicator=indicator, period="Q2", numerator=-1, entered_by=officer)
    realisation_refused(indicator=indicator, period="Q2", denominator=0, entered_by=officer)
    assert indicator.realisations.count() == 1


def test_monthly_realisation_is_a_valid_period(indicator, officer):
    Realisation.objects.create(indicator=indicator, period="M07", value=1, entered_by=officer)
    realisation_refused(indicator=indicator, period="M13", value=1, entered_by=officer)


def test_one_manual_per_unit_and_year(indicator):
    with pytest.raises(IntegrityError), transaction.atomic():
        QualityManual.objects.create(
            unit=indicator.objective.section.manual.unit,
            year=2023,
            document_number="L2/MM-02",
            effective_date="2023-07-01",
        )
