"""Who may see which SOP, in the shape of `sasaran.access`: `get_sop` returns the SOP and
whether the user may change it, or answers 404 (not 403) outside the scope, so that nobody
learns what exists there.

- A user in a unit (`sasaran.access.member_units`: holding any position there) sees that
  unit's SOPs (every revision).
- A superuser sees every SOP.
- SOPs are written in the admin only: whoever sees one may change it there if the admin
  lets them (the `sop.change_sop` permission; a superuser has it).
"""

from django.shortcuts import get_object_or_404

from sasaran import access as core_access

from .models import Sop


def visible_sops(user):
    sops = Sop.objects.select_related("unit")
    if user.is_superuser:
        return sops
    return sops.filter(unit__in=core_access.member_units(user))


def get_sop(user, pk):
    """(SOP, may change it in the admin), or 404 outside `visible_sops`."""
    sop = get_object_or_404(visible_sops(user), pk=pk)
    return sop, user.has_perm("sop.change_sop")
