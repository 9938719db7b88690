"""What the app does when something else happens: a failed login, a changed figure.

Every failed login is logged, with the account name and the address it came from.

Refusing further tries is django-axes' work (settings: after 5 failures for one account from
one address, for 15 minutes). Failures are not answered slowly: a sleep would hold a worker
of the app, and a few parallel tries would slow every page for every officer.

A save or delete of a row that decides a unit's figures (a realisation, a target, the
manual's structure, the unit) replaces the unit's version of its cached figures in the
parent unit's comparison (see "the figures" below).
"""

import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver

from . import dashboard
from .models import Indicator, Objective, QualityManual, Realisation, Section, Target, Unit

log = logging.getLogger("sasaran.security")


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    if request is None or not settings.AXES_ENABLED:
        return
    ip = get_client_ip_address(request)
    username = credentials.get("username", "")
    log.warning("login failed: username=%r ip=%s", username[:150], ip)


# --------------------------------------------------------------------------- the figures
# The parent unit's comparison keeps each unit's figures in the cache until a row that
# decides them changes (`dashboard.cached_figures`). Those rows are saved from many places
# (the entry form and review, target revisions, the admin and its inlines, the manual's
# import, a new year's copy, the demo's reset), so the cache is told here, on every save and
# delete, not by each of them. A write that sends no signal (`bulk_create`,
# `QuerySet.update`) must call `dashboard.unit_figures_changed` itself.

# From each model to the unit whose figures its rows decide.
UNIT_PATHS = {
    Unit: "pk",
    QualityManual: "unit",
    Section: "manual__unit",
    Objective: "section__manual__unit",
    Indicator: "objective__section__manual__unit",
    Target: "indicator__objective__section__manual__unit",
    Realisation: "indicator__objective__section__manual__unit",
}


# From each model to its parent's key: a row saved under the same parent stays in its unit.
PARENT_KEYS = {
    Unit: "pk",
    QualityManual: "unit_id",
    Section: "manual_id",
    Objective: "section_id",
    Indicator: "objective_id",
    Target: "indicator_id",
    Realisation: "indicator_id",
}


def _stored(instance):
    """(its unit, its parent's key) of the stored row; (None, None) for a row not stored."""
    if instance.pk is None:
        return None, None
    model = type(instance)
    rows = model._default_manager.filter(pk=instance.pk)
    return rows.values_list(UNIT_PATHS[model], PARENT_KEYS[model]).first() or (None, None)


def _before_save(sender, instance, raw=False, **kwargs):
    """The unit the row belonged to before this save: the admin may move a row to another
    unit's manual, whose figures change too."""
    if not raw:  # (raw: loading a fixture)
        instance._figures_before = _stored(instance)


def _after_save(sender, instance, raw=False, **kwargs):
    """The figures of the unit the row belonged to and of the one it belongs to now (read
    again only when the row is new or has a new parent: most saves are an entry edited)."""
    if raw:
        return
    unit, parent = getattr(instance, "_figures_before", (None, None))
    units = {unit}
    if unit is None or getattr(instance, PARENT_KEYS[type(instance)]) != parent:
        units.add(_stored(instance)[0])
    for unit_id in units - {None}:
        dashboard.unit_figures_changed(unit_id)


def _before_delete(sender, instance, **kwargs):
    """Before, not after, the delete: the row still leads to its unit. (The version is
    replaced again when the transaction commits: `dashboard.unit_figures_changed`.)"""
    unit_id, _parent = _stored(instance)
    if unit_id is not None:
        dashboard.unit_figures_changed(unit_id)


def connect_figures_receivers():
    """Called once the models are loaded (`SasaranConfig.ready`)."""
    for model in UNIT_PATHS:
        name = model.__name__
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"figures-before-save-{name}")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"figures-after-save-{name}")
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"figures-delete-{name}")
