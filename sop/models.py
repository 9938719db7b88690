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
    """A Pelaksana: one swimlane column of the SOP. Usually a position (optionally tied to
    one of the unit's positions); a lane may also be an application or a facility, which
    holds no position."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Pejabat/pelaksana")
        SYSTEM = "system", _("Aplikasi/sistem")
        FACILITY = "facility", _("Sarana/tempat")

    sop = models.ForeignKey(
        Sop, verbose_name=_("SOP"), on_delete=models.CASCADE, related_name="actors"
    )
    order = models.PositiveSmallIntegerField(_("urutan kolom"))
    name = models.CharField(_("pelaksana"), max_length=200)
    kind = models.CharField(
        _("jenis kolom"), max_length=10, choices=Kind.choices, default=Kind.PERSON
    )
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
            models.CheckConstraint(
                condition=Q(kind="person") | Q(position__isnull=True),
                name="sop_actor_position_only_for_person",
                violation_error_message=_("Kolom aplikasi atau sarana tidak mempunyai jabatan."),
            ),
        ]

    def __str__(self):
        return self.name


class SopStep(models.Model):
    """One row of the procedure table, ordered by `number`.

    Most rows are an activity: a symbol in its actor's column (and in the column of each
    actor it is done together with, `also_actors`). A note row (catatan) holds only text and
    a connector row only a small circle where flows meet; both are unnumbered in the document,
    so the number printed in the No column counts the other rows only (`shown_numbers`), while
    `number` is the row's place and what flows point at.

    After a step the flow goes to the row below, unless the step has flows (`SopFlow`): then
    to each of their targets. A decision has two or more labelled branches; a branch with two
    targets forks. A start or end capsule is a row of its own (kind start/end) or sits on the
    row of the first or last activity (`start_capsule`, `end_capsule`).
    """

    class Kind(models.TextChoices):
        START = "start", _("Mulai")
        PROCESS = "process", _("Proses")
        DECISION = "decision", _("Keputusan")
        END = "end", _("Selesai")
        CONNECTOR = "connector", _("Penghubung (tanpa nomor)")
        NOTE = "note", _("Catatan (tanpa nomor)")

    UNNUMBERED = (Kind.CONNECTOR, Kind.NOTE)

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
    number = models.PositiveSmallIntegerField(
        _("nomor baris"), help_text=_("Urutan baris; cabang dan alur menunjuk nomor ini.")
    )
    activity = models.TextField(_("uraian kegiatan"), blank=True)
    actor = models.ForeignKey(
        SopActor,
        verbose_name=_("pelaksana"),
        on_delete=models.RESTRICT,
        related_name="steps",
        null=True,
        blank=True,
    )
    also_actors = models.ManyToManyField(
        SopActor,
        verbose_name=_("dikerjakan bersama"),
        blank=True,
        related_name="joint_steps",
        help_text=_("Pelaksana lain yang mengerjakan kegiatan ini bersama (kegiatan bersama)."),
    )
    kind = models.CharField(_("simbol"), max_length=10, choices=Kind.choices, default=Kind.PROCESS)
    start_capsule = models.BooleanField(
        _("kapsul Mulai di baris ini"),
        default=False,
        help_text=_("Kapsul Mulai digambar di atas simbol kegiatan pertama, pada baris yang sama."),
    )
    end_capsule = models.BooleanField(
        _("kapsul Selesai di baris ini"),
        default=False,
        help_text=_(
            "Kapsul Selesai digambar di bawah simbol kegiatan terakhir, pada baris yang sama."
        ),
    )
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
                condition=Q(kind__in=["start", "process", "decision", "end", "connector", "note"]),
                name="sop_step_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="note") | Q(actor__isnull=False),
                name="sop_step_actor_unless_note",
                violation_error_message=_("Pilih pelaksana langkah ini."),
            ),
            models.CheckConstraint(
                condition=Q(kind="connector") | ~Q(activity=""),
                name="sop_step_activity_unless_connector",
                violation_error_message=_("Uraian kegiatan harus diisi."),
            ),
            models.CheckConstraint(
                condition=Q(start_capsule=False) | Q(kind__in=["process", "decision"]),
                name="sop_step_start_capsule_on_activity",
                violation_error_message=_(
                    "Kapsul Mulai di baris yang sama hanya untuk langkah proses atau keputusan."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_capsule=False) | Q(kind="process"),
                name="sop_step_end_capsule_on_process",
                violation_error_message=_(
                    "Kapsul Selesai di baris yang sama hanya untuk langkah proses."
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
    def numbered(self):
        return self.kind not in self.UNNUMBERED

    @property
    def hours(self):
        """The standard time of this step in hours, or None when it has none."""
        if self.time_amount is None:
            return None
        return self.time_amount * HOURS_PER_UNIT[self.time_unit]


def shown_numbers(steps):
    """{row number: the number printed in the No column, or None for an unnumbered row}."""
    shown, count = {}, 0
    for step in sorted(steps, key=lambda s: s.number):
        if step.kind in SopStep.UNNUMBERED:
            shown[step.number] = None
        else:
            count += 1
            shown[step.number] = count
    return shown


class SopFlow(models.Model):
    """One arrow out of a step, stored when the flow does not simply go to the row below.

    A step with flows goes to each of their targets (row numbers): one flow is a jump, two
    unlabelled flows a fork; a decision's flows carry the document's branch labels ("Ya",
    "Tidak", or its own), and two flows with the same label are a branch that forks.
    """

    step = models.ForeignKey(
        SopStep, verbose_name=_("langkah"), on_delete=models.CASCADE, related_name="flows"
    )
    target = models.PositiveSmallIntegerField(_("ke baris"))
    label = models.CharField(_("label cabang"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("alur")
        verbose_name_plural = _("alur")
        ordering = ["step", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["step", "target"], name="sop_flow_unique_target"),
            models.CheckConstraint(
                condition=Q(target__gte=1),
                name="sop_flow_target_positive",
                violation_error_message=_("Nomor langkah dimulai dari 1."),
            ),
        ]

    def __str__(self):
        label = f"{self.label}: " if self.label else ""
        return f"{self.step.number} → {label}{self.target}"
