"""`manage.py permit_standards_from_sop --unit CODE`: the service standard of each permit
type that names its SOP (`PermitType.sop_reference`, the SOP's number) taken from that SOP's
total standard time (the sum of its steps' Waktu, 1 working day = 7.5 hours), rounded up to
whole working days.

It lives here because `mutu` is the one place that knows every app: the permit app
(`sasaran.perizinan`) and the SOP app (`sop`) do not know each other. The SOP is looked up in
the permit type's unit and the units above it (a Dinas's SOP serves its UPs): the latest
signed revision, else the latest revision.
"""

import math

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sasaran.models import Unit
from sasaran.perizinan.models import PermitType
from sop.models import HOURS_PER_WORKING_DAY, Sop
from sop.services import total_hours


def _units_up(unit):
    found = []
    while unit is not None and unit not in found:
        found.append(unit)
        unit = unit.parent
    return found


def sop_for(reference, units):
    key = " ".join(reference.split()).lower()
    candidates = [
        sop
        for sop in Sop.objects.filter(unit__in=units).order_by("-revision")
        if " ".join(sop.number.split()).lower() == key
    ]
    signed = [sop for sop in candidates if sop.status == Sop.Status.SIGNED]
    return (signed or candidates or [None])[0]


def standard_days(sop):
    hours = total_hours(sop.steps.all())
    return math.ceil(hours / HOURS_PER_WORKING_DAY) if hours else None


class Command(BaseCommand):
    help = (
        "Mengisi standar pelayanan (hari kerja) jenis izin dari total waktu SOP yang "
        "disebutkan (nomor SOP), dibulatkan ke atas; 1 hari kerja = 7,5 jam."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="kode unit, mis. up-pmptsp-jaktim")
        parser.add_argument("--dry-run", action="store_true", help="hanya tampilkan")

    @transaction.atomic
    def handle(self, *args, unit, dry_run, **options):
        row = Unit.objects.filter(code=unit).first()
        if row is None:
            raise CommandError(f"Unit {unit!r} tidak ada.")
        units = _units_up(row)
        for permit_type in PermitType.objects.filter(unit=row).exclude(sop_reference=""):
            sop = sop_for(permit_type.sop_reference, units)
            if sop is None:
                self.stdout.write(f"{permit_type.name}: SOP {permit_type.sop_reference} tidak ada.")
                continue
            days = standard_days(sop)
            if days is None:
                self.stdout.write(f"{permit_type.name}: SOP {sop} tidak memiliki waktu.")
                continue
            change = (
                ""
                if days == permit_type.standard_days
                else f" (sebelumnya {permit_type.standard_days})"
            )
            self.stdout.write(f"{permit_type.name}: {days} hari kerja dari SOP {sop}{change}")
            if change and not dry_run:
                permit_type.standard_days = min(days, 365)
                permit_type.save(update_fields=["standard_days"])
