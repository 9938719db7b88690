from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerizinanConfig(AppConfig):
    """Permit timeliness and staff service levels measured from the office's exported logs
    (app label `perizinan`). It builds on the core of `sasaran` (units, indicators,
    realisations, periods); nothing in the core imports it."""

    name = "sasaran.perizinan"
    label = "perizinan"
    verbose_name = _("Ketepatan waktu perizinan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import services

        services.register_value_source()
