"""The audit pack: for a unit and a year, one zip with every document an auditor asks for,
built in the background (`mutu.audit`). It lives in the project shell because it gathers
the documents of every app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditPack(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Diproses")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    unit = models.ForeignKey(
        "sasaran.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    file = models.FileField(_("berkas"), upload_to="audit/", blank=True)
    file_name = models.CharField(_("nama berkas"), max_length=200, blank=True)
    error = models.TextField(_("galat"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diminta oleh"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("paket audit")
        verbose_name_plural = _("paket audit")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.unit} {self.year}"
