"""Counter tablets registered as kiosk devices of a unit.

The head or admin of a unit registers the browser in front of them: a `KioskDevice` row and a
long-lived signed cookie carrying its random key. An answer from a browser whose cookie names
an unrevoked device of the survey's unit is counted by that device alone
(`limits.within_limits`), never against its address, so a tablet behind the office's single
address is not blocked by the limit meant for anonymous visitors. A forged cookie fails its
signature and a revoked device's key finds no active row: both count as anonymous.
"""

from django.db import transaction
from django.utils import timezone

from .models import KioskDevice

COOKIE = "skm_kiosk"
# A tablet stays a kiosk for years; revoking the device ends it at once, whatever the cookie.
COOKIE_SECONDS = 5 * 365 * 24 * 60 * 60


def _cookie_key(request):
    """The key the browser's kiosk cookie carries, or None without a validly signed one."""
    return request.get_signed_cookie(COOKIE, default=None, salt=COOKIE)


def current_device(request, unit=None):
    """The unrevoked kiosk device this browser is (of `unit` when given), or None."""
    key = _cookie_key(request)
    if not key:
        return None
    devices = KioskDevice.objects.filter(key=key, revoked_at__isnull=True)
    if unit is not None:
        devices = devices.filter(unit=unit)
    return devices.select_related("unit").first()


def give_cookie(request, response, device):
    response.set_signed_cookie(
        COOKIE,
        device.key,
        salt=COOKIE,
        max_age=COOKIE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


@transaction.atomic
def kiosk_register(*, unit, name, user):
    """A new kiosk device of `unit`; the caller gives the browser its cookie."""
    device = KioskDevice(unit=unit, name=name, registered_by=user)
    device.full_clean()
    device.save()
    return device


@transaction.atomic
def kiosk_revoke(*, device):
    """Revoke the device: its cookie counts as anonymous from now on. Revoking twice keeps
    the first time."""
    device = KioskDevice.objects.select_for_update().get(pk=device.pk)
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
    return device
