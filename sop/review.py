"""The SOP changes of a period, for the management review (Rapat Tinjauan Manajemen) of
`sasaran.siklus`, which cannot import this app: `SopConfig.ready` registers `sop_changes`."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaran.periods import long_date

from .models import Sop


def sop_changes(unit, first_day, last_day):
    """One line per SOP revision of `unit` signed (sah) between the two days, or, for SOPs
    entered before the app's signing, revised or made effective then."""
    signed = Q(signed_at__isnull=False) & Q(
        signed_at__date__gte=first_day, signed_at__date__lte=last_day
    )
    recorded = Q(signed_at__isnull=True, status=Sop.Status.SIGNED) & (
        Q(revised_on__gte=first_day, revised_on__lte=last_day)
        | Q(effective_on__gte=first_day, effective_on__lte=last_day)
    )
    lines = []
    for sop in Sop.objects.filter(Q(unit=unit) & (signed | recorded)).order_by(
        "number", "revision"
    ):
        day = (
            timezone.localdate(sop.signed_at)
            if sop.signed_at
            else (sop.revised_on or sop.effective_on)
        )
        kind = _("revisi %(n)s") % {"n": sop.revision} if sop.revision else _("terbitan baru")
        lines.append(
            _("%(number)s %(name)s — %(kind)s, sah %(date)s")
            % {"number": sop.number, "name": sop.name, "kind": kind, "date": long_date(day)}
        )
    return lines
