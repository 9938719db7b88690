from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SopConfig(AppConfig):
    name = "sop"
    verbose_name = _("SOP AP")

    def ready(self):
        # The management review lists the SOP changes of its period; siklus (in sasaran)
        # cannot import sop, so sop gives it the lines.
        from sasaran.siklus import hooks

        from .review import sop_changes

        hooks.register_review_part("sop", _("Perubahan SOP"), sop_changes)
