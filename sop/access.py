"""Who may see which SOP. Views fetch SOPs through these helpers, which answer 404 (not 403)
so that nobody learns what exists outside their scope.

- A user holding any position in a unit sees that unit's SOPs (every revision).
- A superuser sees every SOP.
"""

from django.shortcuts import get_object_or_404

from .models import Sop


def visible_sops(user):
    sops = Sop.objects.select_related("unit")
    if user.is_superuser:
        return sops
    units = user.assignments.values("position__unit")
    return sops.filter(unit__in=units)


def get_visible_sop(user, pk):
    return get_object_or_404(visible_sops(user), pk=pk)
