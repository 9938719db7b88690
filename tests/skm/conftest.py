"""Fixtures of the survey tests."""

import pytest

from sasaran.models import Unit
from sasaran.skm import services as survey_services


@pytest.fixture
def survey(demo):
    """A TW 1 2023 survey of the demo's UP with the nine standard unsur and two services."""
    return survey_services.survey_create(
        unit=Unit.objects.get(code="up-pmptsp-jaktim"),
        year=2023,
        period_kind="quarter",
        period_number=1,
        services=["Perizinan", "Non Perizinan"],
        population=100,
    )
