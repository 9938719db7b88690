from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkmConfig(AppConfig):
    """The satisfaction survey (SKM) as an app of its own. It builds on the core of
    `sasaran` (units, indicators, realisations); nothing in the core imports it."""

    name = "sasaran.skm"
    label = "skm"
    verbose_name = _("Survei Kepuasan Masyarakat")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import services

        services.register_value_source()
