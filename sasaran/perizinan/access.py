"""Who may see and work on a unit's permit and task logs, in the shape of `sasaran.access`.

- A unit's pages (timeliness, staff service levels) are for the unit's own people and the
  heads of the units above it (`sasaran.access.get_unit`: 404 for everyone else), and the
  superuser.
- Importing a log is for the unit's own people (any position there) and the superuser: the
  heads above read.
- The unit's settings (its permit types and their standards, task kinds and limits, and
  whether cuti bersama is a day off) are for its head or admin and the superuser.
- Sending a figure into a linked indicator is for that indicator's officer or one of its
  reviewers (`sasaran.access.may_edit_indicator`), as the survey's "Kirim IKM".
"""

from django.http import Http404

from sasaran import access as core_access


def get_unit(user, code):
    """(unit, may import its logs), or 404 outside `sasaran.access.visible_units`."""
    unit, _manages = core_access.get_unit(user, code)
    return unit, may_import(user, unit)


def may_import(user, unit):
    return user.is_superuser or core_access.member_units(user).filter(pk=unit.pk).exists()


def may_manage(user, unit):
    return core_access.manages_unit(user, unit)


def get_managed_unit(user, code):
    """The unit whose settings `user` may change, or 404."""
    unit, _may_import = get_unit(user, code)
    if not may_manage(user, unit):
        raise Http404
    return unit


def get_import_unit(user, code):
    """The unit whose logs `user` may import, or 404."""
    unit, allowed = get_unit(user, code)
    if not allowed:
        raise Http404
    return unit


def may_feed(user, link):
    return core_access.may_edit_indicator(user, link.indicator)


def visible_units(user):
    """The units whose permit pages `user` may open (the menu's list)."""
    return core_access.visible_units(user).order_by("name")
