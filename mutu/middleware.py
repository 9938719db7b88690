"""Response headers that keep an office's data out of shared caches, and the admin's
exception to the Content-Security-Policy (`AdminInlineStylesMiddleware`).

Officers often work on shared computers and behind an office proxy. A page shown to a
signed-in officer, a downloaded report (PDF, Excel, evidence file) and any page carrying a form
with a CSRF token (the login page, the public survey form) must not be kept by the browser or a
proxy: `NoStoreMiddleware` marks them `Cache-Control: no-store`. Static files (served earlier by
WhiteNoise) and other public pages stay cacheable.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.cache import add_never_cache_headers


def must_not_be_stored(request, response):
    # A session cookie means a signed-in officer (anonymous visitors get none). Asked of the
    # cookie, not of `request.user`, so that no response (an error page while the database is
    # down, say) costs a query.
    return bool(
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or response.has_header("Content-Disposition")  # a download
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page carries a CSRF token
    )


class NoStoreMiddleware:
    """Placed after CsrfViewMiddleware, so that it sees the CSRF flag before that middleware
    clears it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if must_not_be_stored(request, response):
            add_never_cache_headers(response)  # no-store, no-cache, must-revalidate, private
        return response


class AdminInlineStylesMiddleware:
    """Lets the admin pages keep their inline styles.

    The app's own pages allow stylesheets from the app only (style-src 'self', see
    CONTENT_SECURITY_POLICY), but Django's admin templates (change_list.html, among others)
    and django-rq's queue pages under it carry <style> elements and style attributes that are
    not ours to change. For pages under the admin's address the policy adds 'unsafe-inline' to
    style-src only; scripts stay as strict as elsewhere. Placed just after CSPMiddleware, so
    that the update is on the response when CSPMiddleware writes the header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(reverse("admin:index")):
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response
