"""What keeps the public survey honest and its forms from saving twice.

- One-time form tokens: every rendered public questionnaire and entry grid carries a random
  nonce, signed so it cannot be made up; saving claims it in the cache with add(), which only
  one request can win, so the same rendered form posted again saves nothing a second time.
- Answer limits per 10 minutes: a browser with the survey's device cookie is counted by its
  cookie, and all devices behind one address together under a higher ceiling, so one office
  behind one address is not locked out; a browser without the cookie is counted by its
  address (the visitor's own behind the office's proxy: `client_address`). A counter
  tablet registered as a kiosk device of the survey's unit (`kiosk`) is counted by that
  device alone, under its own ceiling, and never against its address.
"""

import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _

from sasaran.client_address import client_address

from . import kiosk

RATE_WINDOW_SECONDS = 10 * 60


# Every rendered public questionnaire and entry grid carries a random nonce, signed so it
# cannot be made up, in the hidden field `once`. Saving claims the nonce in the cache with
# add(), which only one request can win: posting the same rendered form again (a double
# click, back and resubmit) finds it claimed and saves nothing a second time.

ONCE_FIELD = "once"
ONCE_SECONDS = 24 * 60 * 60
PUBLIC_FORM = "skm-public-form"
ENTRY_FORM = "skm-entry-form"


def new_once_token(purpose):
    return signing.dumps(secrets.token_urlsafe(16), salt=purpose)


def posted_nonce(request, purpose):
    """The nonce of the posted form, or None when the token is missing, forged or expired."""
    try:
        return signing.loads(request.POST.get(ONCE_FIELD, ""), salt=purpose, max_age=ONCE_SECONDS)
    except signing.BadSignature:
        return None


def claim(nonce):
    """True for the first request that saves this rendered form, False for every repeat."""
    return cache.add(f"skm-once:{nonce}", 1, ONCE_SECONDS)


def release(nonce):
    """The save did not happen: the same form may be sent again."""
    cache.delete(f"skm-once:{nonce}")


def refused_token_message():
    return _(
        "Formulir ini sudah kedaluwarsa atau tidak sah, jadi belum disimpan. Isian Anda masih "
        "ada; silakan kirim ulang."
    )


# --------------------------------------------------------------------------- public page


DEVICE_COOKIE = "skm_device"
DEVICE_COOKIE_SECONDS = 365 * 24 * 60 * 60


def _device(request):
    """The browser's own random key from its signed cookie, or None without a valid one."""
    return request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_COOKIE)


def give_device_cookie(request, response):
    if _device(request) is None:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(16),
            salt=DEVICE_COOKIE,
            max_age=DEVICE_COOKIE_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )


def _take_slot(counter, limit):
    """Claim one of the `limit` answers `counter` may send in the current 10-minute window.

    Each answer is a numbered slot claimed with cache.add(), which is atomic on every cache
    backend (Redis, the database, local memory), so a burst of parallel posts cannot pass
    more than `limit`; a hint remembers where the free slots start."""
    window = int(time.time() // RATE_WINDOW_SECONDS)
    prefix = f"skm-rate:{counter}:{window}"
    for number in range(cache.get(f"{prefix}:next", 0), limit):
        if cache.add(f"{prefix}:{number}", 1, RATE_WINDOW_SECONDS):
            cache.set(f"{prefix}:next", number + 1, RATE_WINDOW_SECONDS)
            return True
    return False


def within_limits(request, unit=None):
    """Count one answer. A registered, unrevoked kiosk device of `unit` (the survey's) is
    counted by itself alone: the office's counter tablet shares its address with everyone in
    the office, and must not be blocked by their count. A browser with the survey's device
    cookie is counted by its cookie, and all devices behind one address together under a
    higher ceiling, so one office behind one address is not locked out; a browser without
    the cookie is counted by its address."""
    counter = kiosk.current_device(request, unit) if unit is not None else None
    if counter is not None:
        return _take_slot(f"kiosk:{counter.pk}", settings.SKM_PUBLIC_KIOSK_LIMIT)
    address = client_address(request)  # behind the office's proxy: the visitor's own
    device = _device(request)
    if device is None:
        return _take_slot(f"address:{address}", settings.SKM_PUBLIC_RATE_LIMIT)
    return _take_slot(f"device:{device}", settings.SKM_PUBLIC_DEVICE_LIMIT) and _take_slot(
        f"devices-at:{address}", settings.SKM_PUBLIC_ADDRESS_LIMIT
    )
