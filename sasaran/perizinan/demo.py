"""The demo's example permit and task logs (`fixtures/demo/perizinan-2023.json` and the two
CSV files it names): invented data, marked as such in the files and in the import's record.

`load_example_permits()` creates, once, the unit's permit types and task kinds, its
working-day setting, imports both logs through the import (`imports.save_file`, as an office
would, which seeds the holiday table for the years the logs reach), and links the seed's
"Persentase Penerbitan Izin Tepat Waktu" and staff service-level indicators to them. Nothing
is sent to the indicators: "Kirim ke indikator" on the permit pages does that. Run again, it
changes nothing (the import matches by number; links and types are looked up first).
"""

import json
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from sasaran.models import Indicator, Unit

from . import imports
from .models import (
    ImportRun,
    PermitIndicator,
    PermitType,
    TaskIndicator,
    TaskKind,
    UnitCalendar,
)

FIXTURE = "demo/perizinan-2023.json"


def _fixtures():
    return settings.BASE_DIR / "fixtures"


def read_example():
    with open(_fixtures() / FIXTURE, encoding="utf-8") as file:
        return json.load(file, parse_float=Decimal)


@transaction.atomic
def load_example_permits():
    """Load the example logs into their unit (None when the demo unit is absent); returns
    {"permits": n, "tasks": n} as imported."""
    data = read_example()
    unit = Unit.objects.filter(code=data["unit"]).first()
    if unit is None:
        return None
    UnitCalendar.objects.get_or_create(
        unit=unit, defaults={"cuti_bersama_off": data["cuti_bersama_off"]}
    )
    types = {}
    for spec in data["permit_types"]:
        types[spec["code"]], _created = PermitType.objects.get_or_create(
            unit=unit,
            code=spec["code"],
            defaults={"name": spec["name"], "standard_days": spec["standard_days"]},
        )
    kinds = {}
    for spec in data["task_kinds"]:
        kinds[spec["code"]], _created = TaskKind.objects.get_or_create(
            unit=unit,
            code=spec["code"],
            defaults={"name": spec["name"], "limit_days": spec["limit_days"]},
        )
    counts = {}
    for log, name in ((ImportRun.Log.PERMITS, "permit_log"), (ImportRun.Log.TASKS, "task_log")):
        outcome = imports.save_file(unit=unit, log=log, file=_fixtures() / "demo" / data[name])
        counts[log] = outcome.rows
    indicators = Indicator.objects.for_year(unit, data["year"])
    for spec in data["permit_indicators"]:
        indicator = indicators.filter(name=spec["indicator"]).first()
        if indicator is None or PermitIndicator.objects.filter(indicator=indicator).exists():
            continue
        link = PermitIndicator(unit=unit, indicator=indicator)
        link.full_clean()
        link.save()
        link.permit_types.set([types[code] for code in spec["permit_types"]])
    for spec in data["task_indicators"]:
        indicator = indicators.filter(name=spec["indicator"]).first()
        if indicator is None or TaskIndicator.objects.filter(indicator=indicator).exists():
            continue
        link = TaskIndicator(unit=unit, indicator=indicator)
        link.full_clean()
        link.save()
        link.task_kinds.set([kinds[code] for code in spec["task_kinds"]])
    return {"permits": counts[ImportRun.Log.PERMITS], "tasks": counts[ImportRun.Log.TASKS]}
