"""Corrective actions (ISO 9001 clause 10.2) and the reminder digests.

A `CorrectiveAction` belongs to one indicator and one of its own periods whose submitted or
approved value missed its target. It moves open -> done (with evidence: a file, a link or a
text) -> verified effective or not effective (judged against the next period's result);
`simple_history` keeps every change. While an action of a period is not judged "not
effective", no second one is opened for that period.

A `ReminderDigest` records the one email a user got on a day (unique user and date), so the
reminder job may run any number of times a day; a `ReminderPreference` switches the
reminders of a user off.
"""

import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sasaran.models import EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES, Indicator, Realisation
from sasaran.periods import Period


def action_evidence_path(instance, filename):
    # The stored name is ours; the user's file name is kept only as data.
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"tindakan-korektif/{instance.indicator_id}/{uuid.uuid4().hex}.{ext}"


class CorrectiveAction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        DONE = "done", _("Selesai, menunggu verifikasi")
        EFFECTIVE = "effective", _("Terverifikasi efektif")
        NOT_EFFECTIVE = "not_effective", _("Terverifikasi tidak efektif")

    CLOSED = (Status.EFFECTIVE, Status.NOT_EFFECTIVE)

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="corrective_actions",
    )
    period = models.CharField(_("periode"), max_length=3, choices=Period.choices)
    realisation = models.ForeignKey(
        Realisation,
        verbose_name=_("realisasi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cause_analysis = models.TextField(_("analisis penyebab"))
    action = models.TextField(_("tindakan korektif"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="corrective_actions",
    )
    due_date = models.DateField(_("batas waktu"))
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.OPEN
    )
    evidence_file = models.FileField(
        _("berkas bukti"),
        upload_to=action_evidence_path,
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )
    evidence_name = models.CharField(_("nama berkas bukti"), max_length=255, blank=True)
    evidence_size = models.PositiveIntegerField(_("ukuran berkas bukti (bita)"), default=0)
    evidence_link = models.URLField(_("tautan bukti"), max_length=500, blank=True)
    evidence_text = models.TextField(_("uraian bukti"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuka oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("dibuka pada"), auto_now_add=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diselesaikan oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    done_at = models.DateTimeField(_("diselesaikan pada"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diverifikasi oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    verification_period = models.CharField(
        _("periode verifikasi"), max_length=3, choices=Period.choices, blank=True
    )
    verification_note = models.TextField(_("catatan verifikasi"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tindakan korektif")
        verbose_name_plural = _("tindakan korektif")
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=~Q(status="not_effective"),
                name="one_live_action_per_period",
                violation_error_message=_(
                    "Periode ini sudah memiliki tindakan korektif yang masih berjalan."
                ),
            ),
            models.CheckConstraint(
                condition=Q(evidence_size__lte=EVIDENCE_MAX_BYTES),
                name="action_evidence_size_limit",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} — {Period(self.period).label}"

    @property
    def has_evidence(self):
        return bool(self.evidence_file or self.evidence_link or self.evidence_text.strip())

    def is_overdue(self, today):
        return self.status == self.Status.OPEN and self.due_date < today


class ReminderPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="reminder_preference",
    )
    enabled = models.BooleanField(_("kirim pengingat lewat surel"), default=True)

    class Meta:
        verbose_name = _("preferensi pengingat")
        verbose_name_plural = _("preferensi pengingat")

    def __str__(self):
        return str(self.user)


class ReminderDigest(models.Model):
    """The one reminder email a user got on a day: written in the same transaction as the
    sending, so a failed send leaves no row and the next run tries again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="reminder_digests",
    )
    date = models.DateField(_("tanggal"))
    sent_at = models.DateTimeField(_("dikirim pada"), auto_now_add=True)
    subject = models.CharField(_("subjek"), max_length=200)
    body = models.TextField(_("isi"))

    class Meta:
        verbose_name = _("ringkasan pengingat")
        verbose_name_plural = _("ringkasan pengingat")
        ordering = ["-date", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="one_digest_per_user_per_day")
        ]

    def __str__(self):
        return f"{self.user} {self.date}"


class ManagementReview(models.Model):
    """The management review (Rapat Tinjauan Manajemen, ISO 9001 clause 9.3) of a unit for a
    semester or a year: its figures are gathered when it is shown or printed
    (`review.review_pack`); the head's conclusions and decisions are kept here."""

    PERIODS = [Period.S1, Period.S2, Period.YEAR]

    unit = models.ForeignKey(
        "sasaran.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="management_reviews",
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    period = models.CharField(
        _("periode"), max_length=3, choices=[(p.value, p.label) for p in PERIODS]
    )
    meeting_date = models.DateField(_("tanggal rapat"), null=True, blank=True)
    conclusions = models.TextField(_("kesimpulan"), blank=True)
    decisions = models.TextField(_("keputusan dan tindak lanjut"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tinjauan manajemen")
        verbose_name_plural = _("tinjauan manajemen")
        ordering = ["-year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "period"],
                name="one_management_review_per_period",
                violation_error_message=_("Tinjauan manajemen periode ini sudah ada."),
            )
        ]

    def __str__(self):
        return f"{self.unit} — {self.get_period_display()} {self.year}"
