"""Builders of test data from plain Python values."""

from datetime import date

from sop.models import Sop, SopActor, SopStep


def build_sop(unit, number, actors, steps, **identity):
    """An SOP from plain data: `actors` are names in column order, `steps` are dicts with
    number, activity, actor (a name), kind and optional fields."""
    values = {"name": f"SOP {number}", "created_on": date(2024, 1, 2), **identity}
    sop = Sop.objects.create(unit=unit, number=number, **values)
    by_name = {
        name: SopActor.objects.create(sop=sop, order=order, name=name)
        for order, name in enumerate(actors, start=1)
    }
    for spec in steps:
        spec = {**spec, "actor": by_name[spec["actor"]]}
        SopStep.objects.create(sop=sop, **spec)
    return sop
