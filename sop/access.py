"""Who may see, write and sign which SOP, in the shape of `sasaran.access`: the `get_sop*`
helpers return the SOP and whether the user may change it, or answer 404 (not 403) outside
the scope, so that nobody learns what exists there.

- Readers: a user in a unit (`sasaran.access.member_units`: holding any position there)
  sees that unit's SOPs, every revision, and prints them.
- Authors (Penyusun SOP): a user holding a position in the SOP's unit who either has the
  `sop.change_sop` permission (given in the admin to the people an office appoints to draft
  its SOPs, the unit's "Tim Penyusun SOP"; not to every officer of the unit) or holds the
  unit's admin role (Admin unit). Authors write drafts (identity, lanes, steps), submit
  them, take a submission back, and start a new revision of a signed SOP. Reading rights
  alone never let anyone write: an officer of the unit without the permission reads.
- Signers: the holders of the position the SOP names in "Disahkan oleh (jabatan)", looked up
  by name (case and spacing aside) among the positions of the SOP's unit and of the units
  above it (an SOP of a UP may be signed by the Kepala Dinas above it). While that field
  is empty or names no such position, the head of the SOP's unit (an assignment with role
  "head" there) signs. Signers sign a submitted SOP or return it to draft with a reason.
- A superuser may do everything.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from sasaran import access as core_access
from sasaran.models import Assignment, Position, Unit

from .models import Sop


def visible_sops(user):
    sops = Sop.objects.select_related("unit")
    if user.is_superuser:
        return sops
    return sops.filter(unit__in=core_access.member_units(user))


# --------------------------------------------------------------------------- authors


def authored_units(user):
    """The units whose SOPs `user` writes (see the module's docstring)."""
    if user.is_superuser:
        return Unit.objects.all()
    if not user.is_active:
        return Unit.objects.none()
    rule = Q(positions__assignments__user=user, positions__assignments__role="admin")
    if user.has_perm("sop.change_sop"):
        rule = Q(positions__assignments__user=user)
    return Unit.objects.filter(rule).distinct()


def may_write(user, sop):
    """Whether `user` is an author of `sop`'s unit (whatever the SOP's status)."""
    return authored_units(user).filter(pk=sop.unit_id).exists()


# --------------------------------------------------------------------------- signers


def _normal(name):
    return " ".join((name or "").split()).casefold()


def approving_positions(sop):
    """The positions whose holders sign `sop`: the one named as its approver (in its unit
    or a unit above), else none (then the unit's head signs)."""
    wanted = _normal(sop.approver_position)
    if not wanted:
        return []
    units, unit = [], sop.unit
    while unit is not None and unit.pk not in units:
        units.append(unit.pk)
        unit = unit.parent
    return [p for p in Position.objects.filter(unit__in=units) if _normal(p.name) == wanted]


def signers(sop):
    """The assignments (with their users) of those who may sign `sop`, superusers aside."""
    positions = approving_positions(sop)
    rows = Assignment.objects.select_related("user", "position")
    if positions:
        return rows.filter(position__in=positions)
    return rows.filter(position__unit=sop.unit, role=Assignment.Role.HEAD)


def signing_assignment(user, sop):
    """The assignment through which `user` signs `sop` (None if they do not, or sign only
    as a superuser): its position and holder are printed under "Disahkan oleh"."""
    return signers(sop).filter(user=user).first()


def may_sign(user, sop):
    return user.is_superuser or signing_assignment(user, sop) is not None


# --------------------------------------------------------------------------- helpers


def get_sop(user, pk):
    """(SOP, may write it: an author of its unit), or 404 outside `visible_sops`."""
    sop = get_object_or_404(visible_sops(user), pk=pk)
    return sop, may_write(user, sop)


def get_sop_to_write(user, pk):
    """(SOP, True) for an author of its unit; 404 for everyone else, readers too."""
    sop, writes = get_sop(user, pk)
    if not writes:
        raise Http404
    return sop, True


def get_sop_to_sign(user, pk):
    """(SOP, True) for one of its signers; 404 for everyone else, readers too."""
    sop, _writes = get_sop(user, pk)
    if not may_sign(user, sop):
        raise Http404
    return sop, True
