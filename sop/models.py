"""SOPs in the format of Permenpan RB 35/2012 (SOP Administrasi Pemerintahan).

An SOP has an identity part (number, dates, who approved it, legal basis, ...), its actors
(Pelaksana: one swimlane column each, in order) and its steps (one row each: the activity,
the actor whose column holds the symbol, the kind of symbol, and the Mutu Baku).

A revision is a new Sop row pointing at the revision it replaces, so every earlier revision
stays readable and printable as it was.
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Hours of standard time per unit of the Mutu Baku. A working day has 7,5 hours (37,5 hours a
# week) in government offices; "hari" in a Mutu Baku is read as a working day, a week as five
# working days and a month as four weeks.
HOURS_PER_UNIT = {
    "menit": Decimal(1) / Decimal(60),
    "jam": Decimal(1),
    "hari": Decimal("7.5"),
    "hari_kerja": Decimal("7.5"),
    "minggu": Decimal("37.5"),
    "bulan": Decimal(150),
}
HOURS_PER_WORKING_DAY = Decimal("7.5")


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


class Sop(models.Model):
    """One revision of an SOP of a unit, with its whole identity part.

    A revision is written as a draft, submitted to the position that approves it and signed
    (sah); a signed revision is read-only, and revising it makes a new draft revision.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        SIGNED = "signed", _("Sah")

    class DateLabel(models.TextChoices):
        EFFECTIVE = "efektif", _("Tanggal Efektif")
        APPROVED = "pengesahan", _("Tanggal Pengesahan")

    unit = models.ForeignKey(
        "sasaran.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="sops"
    )
    header = models.TextField(
        _("kop (nama instansi)"),
        blank=True,
        help_text=_("Baris-baris nama instansi di kepala dokumen, satu per baris."),
    )
    number = models.CharField(_("nomor SOP"), max_length=60)
    name = models.CharField(_("nama SOP"), max_length=300)
    procedure_title = models.CharField(
        _("judul prosedur"),
        max_length=300,
        blank=True,
        help_text=_("Judul di atas bagan prosedur; kosong berarti sama dengan nama SOP."),
    )
    created_on = models.DateField(_("tanggal pembuatan"))
    revised_on = models.DateField(_("tanggal revisi"), null=True, blank=True)
    effective_on = models.DateField(_("tanggal efektif/berlaku"), null=True, blank=True)
    date_label = models.CharField(
        _("sebutan tanggal berlaku"),
        max_length=12,
        choices=DateLabel.choices,
        default=DateLabel.EFFECTIVE,
        help_text=_("Sebutan tanggal berlaku seperti di dokumen instansi."),
    )
    logo = models.ImageField(_("logo unit"), upload_to="sop/logo/", blank=True)
    approver_position = models.CharField(_("disahkan oleh (jabatan)"), max_length=200, blank=True)
    approver_name = models.CharField(_("disahkan oleh (nama)"), max_length=200, blank=True)
    approver_nip = models.CharField(_("disahkan oleh (NIP)"), max_length=30, blank=True)
    legal_basis = models.TextField(
        _("dasar hukum"), blank=True, help_text=_("Satu dasar hukum per baris, berurutan.")
    )
    qualifications = models.TextField(
        _("kualifikasi pelaksana"), blank=True, help_text=_("Satu kualifikasi per baris.")
    )
    related = models.ManyToManyField(
        "self",
        verbose_name=_("keterkaitan (SOP terkait)"),
        symmetrical=False,
        blank=True,
        related_name="related_from",
    )
    related_text = models.TextField(
        _("keterkaitan (teks dokumen)"),
        blank=True,
        help_text=_(
            "SOP terkait seperti ditulis di dokumen, satu per baris; boleh SOP yang belum ada "
            "di aplikasi."
        ),
    )
    equipment = models.TextField(
        _("peralatan/perlengkapan"), blank=True, help_text=_("Satu butir per baris.")
    )
    warning = models.TextField(_("peringatan"), blank=True)
    records = models.TextField(_("pencatatan dan pendataan"), blank=True)
    revision = models.PositiveSmallIntegerField(_("revisi ke-"), default=0)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("revisi sebelumnya"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_revision",
    )
    note = models.TextField(
        _("catatan/asumsi"),
        blank=True,
        help_text=_("Tafsiran yang dipilih ketika teks dokumen tidak tegas."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "sasaran.User",
        verbose_name=_("diajukan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("disahkan pada"), null=True, blank=True)
    signed_by = models.ForeignKey(
        "sasaran.User",
        verbose_name=_("disahkan oleh (pengguna)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("SOP")
        verbose_name_plural = _("SOP")
        ordering = ["unit__name", "number", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "number", "revision"], name="sop_unique_number_revision"
            ),
            models.CheckConstraint(
                condition=Q(previous__isnull=True) | ~Q(previous=F("pk")),
                name="sop_previous_not_self",
                violation_error_message=_("Revisi sebelumnya tidak boleh SOP ini sendiri."),
            ),
            models.CheckConstraint(
                condition=Q(revised_on__isnull=True) | Q(revised_on__gte=F("created_on")),
                name="sop_revised_after_created",
                violation_error_message=_("Tanggal revisi tidak boleh sebelum tanggal pembuatan."),
            ),
        ]

    def __str__(self):
        suffix = f" (revisi {self.revision})" if self.revision else ""
        return f"{self.number} {self.name}{suffix}"

    @property
    def header_lines(self):
        return _lines(self.header)

    @property
    def legal_basis_lines(self):
        return _lines(self.legal_basis)

    @property
    def qualification_lines(self):
        return _lines(self.qualifications)

    @property
    def equipment_lines(self):
        return _lines(self.equipment)

    @property
    def title(self):
        return self.procedure_title or self.name

    def earlier_revisions(self):
        """The revisions this one replaces, newest first."""
        found, current = [], self.previous
        while current is not None:
            found.append(current)
            current = current.previous
        return found


class SopActor(models.Model):
    """A Pelaksana: one swimlane column of the SOP, optionally tied to a position."""

    sop = models.ForeignKey(
        Sop, verbose_name=_("SOP"), on_delete=models.CASCADE, related_name="actors"
    )
    order = models.PositiveSmallIntegerField(_("urutan kolom"))
    name = models.CharField(_("pelaksana"), max_length=200)
    position = models.ForeignKey(
        "sasaran.Position",
        verbose_name=_("jabatan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sop_roles",
    )

    class Meta:
        verbose_name = _("pelaksana")
        verbose_name_plural = _("pelaksana")
        ordering = ["sop", "order"]
        constraints = [
            models.UniqueConstraint(fields=["sop", "order"], name="sop_actor_unique_order"),
            models.UniqueConstraint(fields=["sop", "name"], name="sop_actor_unique_name"),
        ]

    def __str__(self):
        return self.name


class SopStep(models.Model):
    """One activity of the procedure: a row of the table, a symbol in its actor's column."""

    class Kind(models.TextChoices):
        START = "start", _("Mulai")
        PROCESS = "process", _("Proses")
        DECISION = "decision", _("Keputusan")
        END = "end", _("Selesai")

    class TimeUnit(models.TextChoices):
        MINUTE = "menit", _("Menit")
        HOUR = "jam", _("Jam")
        DAY = "hari", _("Hari")
        WORKING_DAY = "hari_kerja", _("Hari Kerja")
        WEEK = "minggu", _("Minggu")
        MONTH = "bulan", _("Bulan")

    sop = models.ForeignKey(
        Sop, verbose_name=_("SOP"), on_delete=models.CASCADE, related_name="steps"
    )
    number = models.PositiveSmallIntegerField(_("nomor"))
    activity = models.TextField(_("uraian kegiatan"))
    actor = models.ForeignKey(
        SopActor, verbose_name=_("pelaksana"), on_delete=models.RESTRICT, related_name="steps"
    )
    kind = models.CharField(_("simbol"), max_length=10, choices=Kind.choices, default=Kind.PROCESS)
    yes_step = models.PositiveSmallIntegerField(_("jika Ya, ke langkah"), null=True, blank=True)
    no_step = models.PositiveSmallIntegerField(_("jika Tidak, ke langkah"), null=True, blank=True)
    requirements = models.TextField(_("kelengkapan"), blank=True)
    time_amount = models.DecimalField(
        _("waktu"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    time_unit = models.CharField(
        _("satuan waktu"), max_length=10, choices=TimeUnit.choices, blank=True
    )
    output = models.TextField(_("output"), blank=True)
    remarks = models.TextField(_("keterangan"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("langkah")
        verbose_name_plural = _("langkah")
        ordering = ["sop", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sop", "number"], name="sop_step_unique_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="sop_step_number_positive",
                violation_error_message=_("Nomor langkah dimulai dari 1."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["start", "process", "decision", "end"]),
                name="sop_step_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind="decision") | Q(yes_step__isnull=False, no_step__isnull=False),
                name="sop_step_decision_has_branches",
                violation_error_message=_(
                    "Langkah keputusan harus mempunyai cabang Ya dan cabang Tidak."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="decision") | Q(yes_step__isnull=True, no_step__isnull=True),
                name="sop_step_branches_only_for_decision",
                violation_error_message=_(
                    "Hanya langkah keputusan yang mempunyai cabang Ya/Tidak."
                ),
            ),
            models.CheckConstraint(
                condition=Q(time_amount__isnull=True, time_unit="")
                | Q(time_amount__isnull=False, time_amount__gte=0, time_unit__in=HOURS_PER_UNIT),
                name="sop_step_time_complete",
                violation_error_message=_("Waktu harus diisi angka (tidak negatif) dan satuannya."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.activity}"

    @property
    def hours(self):
        """The standard time of this step in hours, or None when it has none."""
        if self.time_amount is None:
            return None
        return self.time_amount * HOURS_PER_UNIT[self.time_unit]
