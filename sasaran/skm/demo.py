"""Demo data of the satisfaction survey: one example SKM of UP PMPTSP Kota Jakarta Timur,
TW 1 2023, with 30 made-up respondents. Every figure here is invented example data, and the
survey's note says so.

The survey is linked to the index indicator "Indeks Kepuasan Terhadap Kinerja Layanan
Penunjang Urusan Pemerintahan Daerah" (TW 1), which has no example realisation.

``load_survey_demo()`` is idempotent: a second run finds the survey and changes nothing.
It needs the unit of the main demo data (``sasaran.demo.load_demo``).
"""

import datetime
import random

from django.db import transaction

from sasaran.models import Indicator, Unit

from . import services as survey_services
from .models import Response, Survey

UNIT_CODE = "up-pmptsp-jaktim"
SERVICES = ["Perizinan", "Non Perizinan"]
RESPONDENTS = 30
LINKED_INDICATOR = "Indeks Kepuasan Terhadap Kinerja Layanan Penunjang Urusan Pemerintahan Daerah"
NOTE = (
    "DATA CONTOH: survei dan 30 respondennya dibuat-buat untuk demonstrasi aplikasi, "
    "bukan hasil survei sebenarnya."
)
FOLLOW_UP = (
    "Contoh rencana tindak lanjut: memperjelas informasi waktu penyelesaian di loket dan "
    "situs web; menambah kursi ruang tunggu."
)


def _answers(rng, unsur):
    # Mostly 3 and 4, a few 2; the waiting time (U3) and facilities (U9) score lower.
    low = {"U3", "U9"}
    weights = {True: [1, 4, 5, 2], False: [0, 1, 6, 5]}
    return {u.pk: rng.choices([1, 2, 3, 4], weights=weights[u.code in low])[0] for u in unsur}


def _rows(survey):
    rng = random.Random(2023)
    services = list(survey.services.all())
    unsur = list(survey.unsur.all())
    first, _last = survey.period_dates()
    choices = {
        name: [value for value, _label in Response._meta.get_field(name).choices]
        for name in survey_services.PROFILE_FIELDS
    }
    rows = []
    for number in range(1, RESPONDENTS + 1):
        rows.append(
            {
                "number": number,
                "service": services[0] if number % 3 else services[1],
                "date": first + datetime.timedelta(days=rng.randrange(0, 89)),
                "answers": _answers(rng, unsur),
                **{name: rng.choice(values) for name, values in choices.items()},
            }
        )
    return rows


@transaction.atomic
def load_survey_demo():
    """Create the example survey once; return it (or None without the demo unit)."""
    unit = Unit.objects.filter(code=UNIT_CODE).first()
    if unit is None:
        return None
    survey = Survey.objects.filter(
        unit=unit, year=2023, period_kind=Survey.PeriodKind.QUARTER, period_number=1
    ).first()
    if survey is not None:
        return survey
    survey = survey_services.survey_create(
        unit=unit,
        year=2023,
        period_kind=Survey.PeriodKind.QUARTER,
        period_number=1,
        services=SERVICES,
        population=120,
        follow_up_plan=FOLLOW_UP,
        note=NOTE,
    )
    survey_services.responses_create(survey=survey, rows=_rows(survey))
    # Linked to an index indicator without example realisations, so that its TW 1 can be
    # filled from this survey with "Kirim IKM ke indikator" (nothing is sent here).
    survey.indicator = Indicator.objects.filter(
        name=LINKED_INDICATOR,
        objective__section__manual__unit=unit,
        objective__section__manual__year=2023,
    ).first()
    if survey.indicator is not None:
        survey.full_clean()
        survey.save(update_fields=["indicator"])
    return survey
