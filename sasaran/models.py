"""The Sasaran Mutu data model: who (units, positions, users), what (the quality manual,
its sections, objectives, indicators and targets) and what happened (realisations).

The shape follows the office's document L2/MM-02: a manual per unit and year, three
sections by level of responsibility, numbered objectives, one or more indicators each,
targets per quarter (TW 1-4) and per year.
"""

import functools
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import periods
from .periods import Period

# Money needs 18 integer digits (Rp 18,605 T is 14); four decimals keep index values exact.
AMOUNT = {"max_digits": 22, "decimal_places": 4}


class Unit(models.Model):
    """An organisation unit: a provincial Dinas, its city-level Unit Pelaksana, ..."""

    class Kind(models.TextChoices):
        DINAS = "dinas", _("Dinas")
        UNIT_PELAKSANA = "up", _("Unit Pelaksana")
        SUBUNIT = "subunit", _("Sub-unit")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("unit induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    report_deadline_days = models.PositiveSmallIntegerField(
        _("batas waktu pelaporan (hari setelah periode berakhir)"), default=10
    )
    staff_reviewer_is_kasubbag = models.BooleanField(
        _("realisasi staf direviu Kasubbag TU"),
        default=False,
        help_text=_("Jika dicentang, realisasi tingkat Staf Pelaksana disetujui oleh Kasubbag TU."),
    )
    # Nobody approves their own figures: the realisations of indicators the head of unit
    # holds go to this position, or to the head of the parent unit when it is empty.
    verifier_position = models.ForeignKey(
        "Position",
        verbose_name=_("jabatan verifikator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Meninjau realisasi indikator yang dipegang Kepala Unit sendiri. Jika kosong, "
            "ditinjau oleh Kepala unit induk."
        ),
    )

    class Meta:
        verbose_name = _("unit organisasi")
        verbose_name_plural = _("unit organisasi")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def descendants(self):
        """Units below this one, one query per level of the hierarchy (two or three)."""
        found, level = [], [self.pk]
        while level:
            children = list(Unit.objects.filter(parent__in=level).order_by("name"))
            found += children
            level = [u.pk for u in children]
        return found


class Position(models.Model):
    """A jabatan within a unit; indicators name the position responsible for them."""

    class Level(models.TextChoices):
        HEAD = "kepala", _("Kepala Unit")
        ADMIN_HEAD = "kasubbag", _("Kepala Subbagian Tata Usaha")
        STAFF = "staf", _("Staf Pelaksana")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="positions"
    )
    name = models.CharField(_("nama jabatan"), max_length=200)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["unit__name", "level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="position_unique_name_per_unit")
        ]

    def __str__(self):
        return f"{self.name} ({self.unit.name})"


class User(AbstractUser):
    """A person who logs in. The NIP is printed in signature blocks."""

    nip = models.CharField(_("NIP"), max_length=30, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return self.get_full_name() or self.username


class Assignment(models.Model):
    """A user holding a position, with the role that decides what they may do there."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Petugas (pengisi realisasi)")
        HEAD = "head", _("Kepala Unit (peninjau)")
        ADMIN = "admin", _("Admin unit")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    position = models.ForeignKey(
        Position, verbose_name=_("jabatan"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        constraints = [
            models.UniqueConstraint(fields=["user", "position"], name="assignment_unique")
        ]

    def __str__(self):
        return f"{self.user} — {self.position.name}"


class QualityManual(models.Model):
    """The "Sasaran Mutu" document of the Manual Mutu of one unit for one year."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="manuals"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    title = models.CharField(_("judul"), max_length=200, default="Sasaran Mutu")
    document_number = models.CharField(_("nomor dokumen"), max_length=50)
    effective_date = models.DateField(
        _("tanggal berlaku"),
        help_text=_("Dicetak di kepala dokumen dan di atas tanda tangan, mis. 1 Juli 2023."),
    )
    revision = models.PositiveSmallIntegerField(_("revisi"), default=0)
    introduction = models.TextField(_("pengantar"), blank=True)
    signed_by = models.ForeignKey(
        Position,
        verbose_name=_("ditandatangani oleh (jabatan)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("dokumen sasaran mutu")
        verbose_name_plural = _("dokumen sasaran mutu")
        ordering = ["unit__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="manual_unique_per_unit_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="manual_year_sane"
            ),
        ]

    def __str__(self):
        return f"{self.document_number} {self.title} {self.year} — {self.unit.name}"


class Section(models.Model):
    """A part of the manual under the office's own title and order ("Produk Layanan"),
    optionally tied to a level of responsibility (the seed's Kepala Unit, Kasubbag TU, Staf
    Pelaksana), which routes the review of its indicators."""

    manual = models.ForeignKey(
        QualityManual,
        verbose_name=_("dokumen"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    level = models.CharField(
        _("tingkat"), max_length=10, choices=Position.Level.choices, blank=True
    )
    title = models.CharField(_("judul bagian"), max_length=200)

    class Meta:
        verbose_name = _("bagian")
        verbose_name_plural = _("bagian")
        ordering = ["manual", "order"]
        constraints = [
            models.UniqueConstraint(fields=["manual", "order"], name="section_unique_order")
        ]

    def __str__(self):
        return self.title


class Objective(models.Model):
    """A quality objective (sasaran), numbered within its section."""

    section = models.ForeignKey(
        Section, verbose_name=_("bagian"), on_delete=models.CASCADE, related_name="objectives"
    )
    number = models.PositiveSmallIntegerField(_("nomor"))
    text = models.TextField(_("sasaran"))

    class Meta:
        verbose_name = _("sasaran")
        verbose_name_plural = _("sasaran")
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="objective_unique_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"


class IndicatorQuerySet(models.QuerySet):
    def with_structure(self):
        """Everything a list of indicators prints, in one query."""
        return self.select_related(
            "objective__section__manual__unit", "responsible_position"
        ).order_by("objective__section__order", "objective__number", "order")

    def for_year(self, unit, year):
        return self.filter(
            objective__section__manual__unit=unit, objective__section__manual__year=year
        )


class Indicator(models.Model):
    """A performance indicator (indikator kinerja) of an objective."""

    class Kind(models.TextChoices):
        INDEX = "index", _("Indeks (pita Permenpan 14/2017)")
        PERCENTAGE = "percentage", _("Persentase (pembilang/penyebut)")
        COUNT = "count", _("Jumlah")
        MONEY = "money", _("Uang (rupiah)")
        SCORE = "score", _("Nilai/skor")
        WORKING_DAYS = "working_days", _("Hari kerja (tingkat layanan)")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Bulanan")
        QUARTERLY = "quarterly", _("Triwulanan")
        SEMESTERLY = "semester", _("Semesteran")
        YEARLY = "yearly", _("Tahunan")
        PER_EVENT = "per_event", _("Setiap kejadian")

    class Polarity(models.TextChoices):
        HIGHER = "higher", _("Makin tinggi makin baik")
        LOWER = "lower", _("Makin rendah makin baik")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Dijumlahkan")
        AVERAGE = "average", _("Dirata-rata")
        LAST = "last", _("Nilai terakhir")

    objective = models.ForeignKey(
        Objective, verbose_name=_("sasaran"), on_delete=models.CASCADE, related_name="indicators"
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    name = models.TextField(_("indikator kinerja"))
    # Some offices' documents leave the method empty.
    measurement_method = models.TextField(_("metode pengukuran"), blank=True)
    frequency = models.CharField(_("frekuensi"), max_length=10, choices=Frequency.choices)
    frequency_text = models.TextField(
        _("frekuensi pengukuran (teks dokumen)"),
        blank=True,
        help_text=_("Teks kolom Frekuensi Pengukuran persis seperti di dokumen."),
    )
    responsible_position = models.ForeignKey(
        Position,
        verbose_name=_("penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    responsible_text = models.CharField(
        _("penanggung jawab (teks dokumen)"),
        max_length=200,
        blank=True,
        help_text=_("Teks kolom Penanggung Jawab persis seperti di dokumen."),
    )
    kind = models.CharField(_("jenis ukuran"), max_length=15, choices=Kind.choices)
    unit_of_measure = models.CharField(_("satuan"), max_length=40, blank=True)
    polarity = models.CharField(
        _("polaritas"), max_length=10, choices=Polarity.choices, default=Polarity.HIGHER
    )
    aggregation = models.CharField(
        _("penggabungan triwulan"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
    )
    cumulative = models.BooleanField(
        _("target kumulatif"),
        default=False,
        help_text=_("Target TW adalah capaian s.d. triwulan tersebut (year to date)."),
    )
    numerator_label = models.CharField(_("pembilang"), max_length=300, blank=True)
    denominator_label = models.CharField(_("penyebut"), max_length=300, blank=True)
    max_value = models.DecimalField(
        _("nilai maksimum"),
        **AMOUNT,
        null=True,
        blank=True,
        help_text=_("Batas atas realisasi yang mungkin, mis. 100 untuk persentase."),
    )
    note = models.TextField(
        _("catatan/asumsi"),
        blank=True,
        help_text=_("Tafsiran yang dipilih ketika teks dokumen tidak tegas."),
    )

    history = HistoricalRecords()
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indikator kinerja")
        verbose_name_plural = _("indikator kinerja")
        ordering = ["objective", "order"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "order"], name="indicator_unique_order"),
            models.CheckConstraint(
                condition=Q(max_value__isnull=True) | Q(max_value__gt=0),
                name="indicator_max_value_positive",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def period_kind(self):
        """The kind of period this indicator is measured in (`periods.KIND_OF_FREQUENCY`)."""
        return periods.KIND_OF_FREQUENCY[self.frequency]

    def due_periods(self):
        """The periods in which this indicator is reported: Januari..Desember, TW 1-4,
        Semester I-II or Tahunan. Per-event indicators (service levels) are reported as a
        quarterly recap of the events of the quarter."""
        return periods.PERIODS_OF_KIND[self.period_kind]

    @property
    def whole_numbers(self):
        """Whether its figures are counts of things, entered as whole numbers only."""
        return self.kind == self.Kind.COUNT


class Target(models.Model):
    """The target of an indicator for one period: a month, a quarter, a semester or the year.

    Offices write a target as "at least" (higher is better: ≥ 80 %), "at most" (lower is
    better: ≤ 3 hari), or a range (`upper` set: 80-90 %); which one follows from the
    indicator's polarity. A value of 0 where higher is better means nothing is due that
    period; where lower is better it is zero tolerance ("0 keluhan"). An index target is a
    band 1-4 (the seed's "4") or a value on the 25-100 scale ("IKM ≥ 84").
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="targets"
    )
    period = models.CharField(_("periode"), max_length=3, choices=Period.choices)
    value = models.DecimalField(_("target"), **AMOUNT)
    upper = models.DecimalField(_("batas atas (target rentang)"), **AMOUNT, null=True, blank=True)
    # A target revised after a realisation of its period was submitted keeps the target as
    # first set (`original_*`, written once) and the basis of the revision; every further
    # change is in the history.
    original_value = models.DecimalField(_("target semula"), **AMOUNT, null=True, blank=True)
    original_upper = models.DecimalField(_("batas atas semula"), **AMOUNT, null=True, blank=True)
    revision_reason = models.TextField(_("alasan revisi"), blank=True)
    revision_reference = models.CharField(
        _("dasar revisi (nomor SK/dokumen)"), max_length=200, blank=True
    )
    revision_date = models.DateField(_("tanggal dasar revisi"), null=True, blank=True)
    revised_at = models.DateTimeField(_("direvisi pada"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("target")
        # By the column, not the indicator's own ordering (a 5-table join and a sort on
        # every bulk read of the dashboards).
        ordering = ["indicator_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="target_unique_period"),
            models.CheckConstraint(
                condition=Q(period__in=Period.values), name="target_any_period_valid"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative"),
            models.CheckConstraint(
                condition=Q(upper__isnull=True) | Q(upper__gte=F("value")),
                name="target_upper_not_below_value",
            ),
        ]

    def __str__(self):
        return f"{self.get_period_display()}: {self.value}"


def choice_label(choices, value):
    """The label of `value` among `choices` (a TextChoices), or the value itself when it is
    not one of them, as Django's get_FOO_display answers."""
    return _choice_label(choices, value, get_language())


@functools.lru_cache(maxsize=512)
def _choice_label(choices, value, _language):
    """`choice_label` in `_language` (the active one), translated once: a page or a document
    asks the same few labels for every row."""
    try:
        return str(choices(value).label)  # translated now, as Django's (not a lazy string)
    except ValueError:
        return value


class Realisation(models.Model):
    """What was achieved for an indicator in one period, entered by the responsible officer."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        RETURNED = "returned", _("Dikembalikan")
        APPROVED = "approved", _("Disetujui")

    # The statuses in which the officer may still change the entry (the workflow is in
    # `services`); a submitted or approved entry is locked and counts as entered.
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="realisations",
    )
    period = models.CharField(_("periode"), max_length=3, choices=Period.choices)
    value = models.DecimalField(_("realisasi"), **AMOUNT, null=True, blank=True)
    numerator = models.DecimalField(_("pembilang"), **AMOUNT, null=True, blank=True)
    denominator = models.DecimalField(_("penyebut"), **AMOUNT, null=True, blank=True)
    note = models.TextField(_("keterangan"), blank=True)
    cause_analysis = models.TextField(_("analisis penyebab"), blank=True)
    follow_up = models.TextField(_("tindak lanjut"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    return_reason = models.TextField(_("alasan pengembalian"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diisi oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("diisi pada"), auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditinjau oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("ditinjau pada"), null=True, blank=True)
    # Lateness is a fact recorded once, at the first submission: a later return and
    # resubmission, or a changed deadline setting, does not rewrite it. Both stay empty for
    # rows recorded from earlier records (the demo's examples): when they were reported is
    # not known.
    submitted_at = models.DateTimeField(_("diajukan pertama kali pada"), null=True, blank=True)
    days_late = models.PositiveIntegerField(
        _("terlambat (hari)"), null=True, blank=True, help_text=_("0: tepat waktu.")
    )
    # Optimistic concurrency: a save must name the version it was edited from.
    version = models.PositiveIntegerField(_("versi"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        # By the column, not the indicator's own ordering (a 5-table join and a sort on
        # every bulk read of the dashboards).
        ordering = ["indicator_id", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="realisation_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(period__in=Period.values), name="realisation_period_valid"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="realisation_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                name="realisation_numerator_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="realisation_denominator_positive",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} — {self.get_period_display()}"

    # Django's generated get_FOO_display hashes every choice's (lazy, translated) label on
    # each call; these read the one label. Tugas saya and the dashboard call them per row.
    def get_status_display(self):
        return choice_label(self.Status, self.status)

    def get_period_display(self):
        return choice_label(Period, self.period)


class AchievementCategory(models.Model):
    """One step of the achievement category scale (Sangat Baik ... Sangat Kurang).

    A capaian falls in the step with the highest lower bound it reaches. Regions use
    different scales, so the steps are data an admin edits.
    """

    label = models.CharField(_("kategori"), max_length=40, unique=True)
    min_percent = models.DecimalField(
        _("batas bawah (%)"), max_digits=7, decimal_places=2, unique=True
    )
    color = models.CharField(
        _("warna"),
        max_length=10,
        default="secondary",
        choices=[
            ("success", _("hijau")),
            ("primary", _("biru")),
            ("info", _("biru muda")),
            ("warning", _("kuning")),
            ("danger", _("merah")),
            ("secondary", _("abu-abu")),
        ],
    )

    class Meta:
        verbose_name = _("kategori capaian")
        verbose_name_plural = _("kategori capaian")
        ordering = ["-min_percent"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_percent__gte=0), name="category_min_percent_not_negative"
            )
        ]

    def __str__(self):
        return f"{self.label} (≥ {self.min_percent} %)"


EVIDENCE_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "xlsx", "xls"]
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024


def evidence_path(instance, filename):
    # The stored name is ours; the user's file name is kept only as data.
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"bukti/{instance.realisation_id}/{uuid.uuid4().hex}.{ext}"


class Evidence(models.Model):
    """A file supporting a realisation (a report, a recap, a photo)."""

    realisation = models.ForeignKey(
        Realisation,
        verbose_name=_("realisasi"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(
        _("berkas"),
        upload_to=evidence_path,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )
    original_name = models.CharField(_("nama berkas"), max_length=255)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=EVIDENCE_MAX_BYTES), name="evidence_size_limit"
            )
        ]

    def __str__(self):
        return self.original_name


class ExportJob(models.Model):
    """A report too large for a web request (a province's comparison), rendered by a
    worker: RQ on Redis when REDIS_URL is set, otherwise a thread of the app itself."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Diproses")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    fmt = models.CharField(_("format"), max_length=4, choices=[("pdf", "PDF"), ("xlsx", "Excel")])
    indicator_name = models.TextField(_("indikator"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    file = models.FileField(_("berkas"), upload_to="ekspor/", blank=True)
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
        verbose_name = _("pekerjaan ekspor")
        verbose_name_plural = _("pekerjaan ekspor")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="exportjob_quarter_valid"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="exportjob_progress_max_100"
            ),
        ]

    def __str__(self):
        return f"{self.unit} TW {self.quarter} {self.year} ({self.fmt})"
