from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiklusConfig(AppConfig):
    """The quality cycle around the core of `sasaran`: corrective actions for missed targets
    (ISO 9001 clause 10.2) and the reminders by email. It builds on the core's models,
    services and rules; nothing in the core imports it."""

    name = "sasaran.siklus"
    label = "siklus"
    verbose_name = _("Siklus mutu")
    default_auto_field = "django.db.models.BigAutoField"
