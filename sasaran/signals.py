"""Failed logins are answered slowly from the third attempt on (django-axes then locks
the address or the account after the fifth); every failure is logged."""

import logging
import time

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

log = logging.getLogger("sasaran.security")


@receiver(user_login_failed)
def slow_down_failed_login(sender, credentials, request=None, **kwargs):
    if request is None or not settings.AXES_ENABLED:
        return
    ip = get_client_ip_address(request)
    username = credentials.get("username", "")
    failures = max(
        [a.failures_since_start for a in AccessAttempt.objects.filter(ip_address=ip)]
        + [a.failures_since_start for a in AccessAttempt.objects.filter(username=username)]
        + [0]
    )
    log.warning("login failed: username=%r ip=%s failures=%d", username[:150], ip, failures)
    if failures >= settings.LOGIN_FAILURE_DELAY_AFTER:
        time.sleep(settings.LOGIN_FAILURE_DELAY_SECONDS)
