"""Project-wide views: the health check and the error pages.

The error pages (400, 403, the form-expired 403 of a CSRF failure, 404 and 500) are what an
officer sees when something goes wrong, also while the database is down. So they are rendered
from `templates/errors/`, which extend a base of their own (no menu, no user name), through a
plain context: no context processor runs (the menu's asks the database), `request.user` is
never read, and if the template itself fails, a short built-in page is answered instead.
The language is the one LocaleMiddleware chose (cookie or Accept-Language), as on every page.
"""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def health(request):
    return HttpResponse("ok", content_type="text/plain")


def bad_request(request, exception=None):
    return _error_page("errors/400.html", status=400)


def permission_denied(request, exception=None):
    return _error_page("errors/403.html", status=403)


def page_not_found(request, exception=None):
    return _error_page("errors/404.html", status=404)


def server_error(request):
    return _error_page("errors/500.html", status=500)


def csrf_failure(request, reason=""):
    """A form posted without a valid CSRF token: usually a page left open too long, or a
    login in another tab. With DEBUG on, Django's own page tells the developer why."""
    if settings.DEBUG:
        return csrf.csrf_failure(request, reason=reason)
    return _error_page("errors/403_csrf.html", status=403)


def _error_page(template_name, *, status):
    """Renders without the request, so no context processor runs; never raises."""
    try:
        html = loader.get_template(template_name).render({"status": status})
    except Exception:
        logger.exception("The error page %s could not be rendered", template_name)
        html = (
            f"<!doctype html><title>{status}</title>"
            f'<h1>{_("Terjadi kesalahan")} ({status})</h1><p><a href="/">{_("Beranda")}</a></p>'
        )
    return HttpResponse(html, status=status)
