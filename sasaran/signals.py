"""Every failed login is logged, with the account name and the address it came from.

Refusing further tries is django-axes' work (settings: after 5 failures for one account from
one address, for 15 minutes). Failures are not answered slowly: a sleep would hold a worker
of the app, and a few parallel tries would slow every page for every officer.
"""

import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

log = logging.getLogger("sasaran.security")


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    if request is None or not settings.AXES_ENABLED:
        return
    ip = get_client_ip_address(request)
    username = credentials.get("username", "")
    log.warning("login failed: username=%r ip=%s", username[:150], ip)
