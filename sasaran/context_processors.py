from . import access


def navigation(request):
    """The menu: the units whose dashboard the user may open and whether they review."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    units = access.visible_units(user).filter(manuals__isnull=False).distinct()
    return {
        "nav_units": list(units.order_by("name")[:3]),
        "nav_is_reviewer": access.is_reviewer(user),
    }
