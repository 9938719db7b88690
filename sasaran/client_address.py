"""The address a request came from, as the login protection and the public survey count it.

Behind the office's web server (a reverse proxy) every request arrives from the proxy's own
address; the visitor's address is in a header the proxy adds, `X-Forwarded-For` by default.
That header can be written by anyone, so it is read only when the settings say how many
proxies of our own stand in front of the app (`PROXY_COUNT`), and from the right: each proxy
appends the address it received the request from, so the entry `PROXY_COUNT` places from the
end is the one our outermost proxy saw. Anything a client put before it is ignored. Without a
proxy (the default) the address is the connection's own, REMOTE_ADDR.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """The visitor's IP address: REMOTE_ADDR, or the header's entry our outermost proxy wrote."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.PROXY_COUNT:
        return remote
    entries = [e.strip() for e in request.META.get(settings.CLIENT_IP_META, "").split(",")]
    if len(entries) < settings.PROXY_COUNT:
        return remote  # the request did not come through all our proxies
    candidate = entries[-settings.PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote  # not an address: never trust it
