from django.utils.functional import SimpleLazyObject

from . import access


def navigation(request):
    """The menu: the units whose dashboard the user may open and whether they review.
    Lazy (asked only when a template shows the menu) and read from the access helpers'
    memo of the request (`access.request_memo_middleware`), which the page shares."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_units": SimpleLazyObject(lambda: access.menu_units(user)),
        "nav_is_reviewer": SimpleLazyObject(lambda: access.is_reviewer(user)),
    }
