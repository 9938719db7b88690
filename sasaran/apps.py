from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SasaranConfig(AppConfig):
    name = "sasaran"
    verbose_name = _("Sasaran Mutu")

    def ready(self):
        from . import signals  # noqa: F401  (connects the login failure handler)
