from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SasaranConfig(AppConfig):
    name = "sasaran"
    verbose_name = _("Sasaran Mutu")

    def ready(self):
        from . import signals  # (connects the login failure handler)

        # The comparison's cached figures of a unit must be dropped whenever one of its
        # rows changes, and those rows are written from many places (forms, services, the
        # admin and its inlines, imports, cascading deletes): model signals catch them all.
        signals.connect_figures_receivers()
