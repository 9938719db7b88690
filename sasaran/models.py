"""The Sasaran Mutu data model: who (units, positions, users), what (the quality manual,
its sections, objectives, indicators and targets) and what happened (realisations).

The shape follows the office's document L2/MM-02: a manual per unit and year, three
sections by level of responsibility, numbered objectives, one or more indicators each,
targets per quarter (TW 1-4) and per year.
"""

import calendar
import datetime
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
        _("tanggal berlaku"), help_text=_("Dokumen mencetak bulan dan tahun, mis. Juli 2023.")
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
    """One level of responsibility in the manual (Kepala Unit, Kasubbag TU, Staf Pelaksana)."""

    manual = models.ForeignKey(
        QualityManual,
        verbose_name=_("dokumen"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    level = models.CharField(_("tingkat"), max_length=10, choices=Position.Level.choices)
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
    measurement_method = models.TextField(_("metode pengukuran"))
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

    def due_periods(self):
        """The periods in which this indicator is reported.

        Per-event indicators (service levels) are reported as a quarterly recap of the
        events of the quarter.
        """
        if self.frequency == self.Frequency.MONTHLY:
            return MONTHS
        if self.frequency == self.Frequency.YEARLY:
            return [Period.YEAR]
        return QUARTERS


class Period(models.TextChoices):
    """A reporting period within the manual's year; codes sort in calendar order per kind."""

    YEAR = "Y", _("Tahunan")
    Q1 = "Q1", _("TW 1")
    Q2 = "Q2", _("TW 2")
    Q3 = "Q3", _("TW 3")
    Q4 = "Q4", _("TW 4")
    M01 = "M01", _("Januari")
    M02 = "M02", _("Februari")
    M03 = "M03", _("Maret")
    M04 = "M04", _("April")
    M05 = "M05", _("Mei")
    M06 = "M06", _("Juni")
    M07 = "M07", _("Juli")
    M08 = "M08", _("Agustus")
    M09 = "M09", _("September")
    M10 = "M10", _("Oktober")
    M11 = "M11", _("November")
    M12 = "M12", _("Desember")


TARGET_PERIODS = [Period.Q1, Period.Q2, Period.Q3, Period.Q4, Period.YEAR]
QUARTERS = [Period.Q1, Period.Q2, Period.Q3, Period.Q4]
MONTHS = [p for p in Period if p.value.startswith("M")]


def period_quarter(period):
    """The quarter (1-4) a quarter or month period lies in; None for the year."""
    if period.startswith("Q"):
        return int(period[1])
    if period.startswith("M"):
        return (int(period[1:]) - 1) // 3 + 1
    return None


def period_deadline(year, period, days_after):
    """When the realisation of a period is due: `days_after` days after the period ends."""
    return period_end(year, period) + datetime.timedelta(days=days_after)


def period_end(year, period):
    """The last day of a period of the given year."""
    if period == Period.YEAR:
        month = 12
    elif period.startswith("Q"):
        month = int(period[1]) * 3
    else:
        month = int(period[1:])
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


class Target(models.Model):
    """The target of an indicator for one quarter or for the year.

    A value of 0 is a real target (nothing is due that quarter). A range target has an
    upper bound as well.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="targets"
    )
    period = models.CharField(
        _("periode"), max_length=3, choices=[(p.value, p.label) for p in TARGET_PERIODS]
    )
    value = models.DecimalField(_("target"), **AMOUNT)
    upper = models.DecimalField(_("batas atas (target rentang)"), **AMOUNT, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("target")
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="target_unique_period"),
            models.CheckConstraint(
                condition=Q(period__in=[p.value for p in TARGET_PERIODS]),
                name="target_period_valid",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative"),
            models.CheckConstraint(
                condition=Q(upper__isnull=True) | Q(upper__gte=F("value")),
                name="target_upper_not_below_value",
            ),
        ]

    def __str__(self):
        return f"{self.get_period_display()}: {self.value}"


class Realisation(models.Model):
    """What was achieved for an indicator in one period, entered by the responsible officer."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        RETURNED = "returned", _("Dikembalikan")
        APPROVED = "approved", _("Disetujui")

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
    # Optimistic concurrency: a save must name the version it was edited from.
    version = models.PositiveIntegerField(_("versi"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        ordering = ["indicator", "period"]
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


# ---------------------------------------------------------------------------------------------
# The satisfaction survey (SKM, Permenpan RB 14/2017)
# ---------------------------------------------------------------------------------------------


def survey_token():
    return uuid.uuid4().hex[:12]


class Survey(models.Model):
    """A Survei Kepuasan Masyarakat of one unit for one period (quarter, semester or year)."""

    class PeriodKind(models.TextChoices):
        QUARTER = "quarter", _("Triwulan")
        SEMESTER = "semester", _("Semester")
        YEAR = "year", _("Tahun")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="surveys"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    period_kind = models.CharField(
        _("jenis periode"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.QUARTER
    )
    period_number = models.PositiveSmallIntegerField(
        _("nomor periode"), default=1, help_text=_("TW 1-4, semester 1-2, atau 1 untuk tahunan.")
    )
    population = models.PositiveIntegerField(
        _("populasi (jumlah pengguna layanan dalam periode)"), null=True, blank=True
    )
    follow_up_plan = models.TextField(_("rencana tindak lanjut"), blank=True)
    note = models.TextField(_("catatan"), blank=True)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator indeks yang diisi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        limit_choices_to={"kind": Indicator.Kind.INDEX},
        help_text=_(
            'Indikator "Indeks Kepuasan ..." Sasaran Mutu unit dan tahun yang sama; '
            "realisasinya diambil dari IKM survei ini (survei triwulan: TW yang sama; "
            "semester: TW 2 atau TW 4; tahunan: TW 4)."
        ),
    )
    is_open = models.BooleanField(
        _("terbuka untuk isian publik"),
        default=True,
        help_text=_("Jika tidak dicentang, halaman survei publik tidak menerima isian."),
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("survei kepuasan masyarakat")
        verbose_name_plural = _("survei kepuasan masyarakat")
        ordering = ["unit__name", "-year", "period_kind", "-period_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "period_kind", "period_number"],
                name="survey_unique_period",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="survey_year_sane"
            ),
            models.CheckConstraint(
                condition=Q(period_kind="quarter", period_number__gte=1, period_number__lte=4)
                | Q(period_kind="semester", period_number__gte=1, period_number__lte=2)
                | Q(period_kind="year", period_number=1),
                name="survey_period_valid",
            ),
        ]

    def __str__(self):
        return f"SKM {self.period_label} — {self.unit.name}"

    @property
    def period_label(self):
        if self.period_kind == self.PeriodKind.QUARTER:
            return f"TW {self.period_number} {self.year}"
        if self.period_kind == self.PeriodKind.SEMESTER:
            return f"Semester {self.period_number} {self.year}"
        return str(self.year)

    def feeds_period(self, indicator=None):
        """The period of the linked index indicator whose realisation this survey gives.

        The rule: a quarterly survey feeds the TW of the same number (TW n), a semester
        survey the quarter that closes it (semester 1: TW 2, semester 2: TW 4), a yearly
        survey TW 4 -- always of the survey's year. An indicator measured yearly takes a
        yearly survey in its yearly period instead.
        """
        indicator = indicator or self.indicator
        if indicator is not None and indicator.frequency == Indicator.Frequency.YEARLY:
            return Period.YEAR if self.period_kind == self.PeriodKind.YEAR else None
        if self.period_kind == self.PeriodKind.QUARTER:
            return f"Q{self.period_number}"
        if self.period_kind == self.PeriodKind.SEMESTER:
            return f"Q{self.period_number * 2}"
        return Period.Q4

    def clean(self):
        from django.core.exceptions import ValidationError

        indicator = self.indicator
        if indicator is None:
            return
        if indicator.kind != Indicator.Kind.INDEX:
            raise ValidationError(
                {"indicator": _("Hanya indikator berjenis indeks yang dapat diisi dari SKM.")}
            )
        manual = indicator.objective.section.manual
        if self.unit_id is not None and manual.unit_id != self.unit_id:
            raise ValidationError(
                {"indicator": _("Indikator harus milik unit yang sama dengan survei.")}
            )
        if self.year is not None and manual.year != self.year:
            raise ValidationError(
                {
                    "indicator": _("Indikator harus dari Sasaran Mutu tahun %(year)s.")
                    % {"year": self.year}
                }
            )
        period = self.feeds_period(indicator)
        if period is None or period not in indicator.due_periods():
            raise ValidationError(
                {
                    "indicator": _(
                        "Periode survei ini tidak sesuai dengan frekuensi indikator (%(freq)s)."
                    )
                    % {"freq": indicator.get_frequency_display()}
                }
            )
        others = Survey.objects.filter(indicator=indicator).exclude(pk=self.pk)
        for other in others:
            if other.feeds_period(indicator) == period:
                raise ValidationError(
                    {
                        "indicator": _(
                            "Realisasi %(period)s indikator ini sudah diambil dari %(other)s."
                        )
                        % {"period": Period(period).label, "other": other}
                    }
                )

    def period_dates(self):
        """First and last day of the survey period."""
        months = {self.PeriodKind.QUARTER: 3, self.PeriodKind.SEMESTER: 6, self.PeriodKind.YEAR: 12}
        length = months[self.period_kind]
        first_month = (self.period_number - 1) * length + 1
        last_month = first_month + length - 1
        last_day = calendar.monthrange(self.year, last_month)[1]
        return datetime.date(self.year, first_month, 1), datetime.date(
            self.year, last_month, last_day
        )


class SurveyService(models.Model):
    """A service (jenis layanan) whose users answer the survey; each has its public link."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survei"), on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(_("jenis layanan"), max_length=200)
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    public_token = models.CharField(
        _("kode tautan publik"), max_length=32, unique=True, default=survey_token
    )

    class Meta:
        verbose_name = _("jenis layanan survei")
        verbose_name_plural = _("jenis layanan survei")
        ordering = ["survey", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="survey_service_unique_name")
        ]

    def __str__(self):
        return self.name


class Unsur(models.Model):
    """One element of the questionnaire with its question, four answer labels and weight.

    The weight is an exact fraction (numerator / denominator, 1/9 by default): the weights
    of a survey must sum to exactly 1.
    """

    survey = models.ForeignKey(
        Survey, verbose_name=_("survei"), on_delete=models.CASCADE, related_name="unsur"
    )
    code = models.CharField(_("kode"), max_length=10, help_text=_("U1, U2, ..."))
    name = models.CharField(_("unsur"), max_length=200)
    question = models.TextField(_("pertanyaan"))
    label_1 = models.CharField(_("jawaban 1"), max_length=100)
    label_2 = models.CharField(_("jawaban 2"), max_length=100)
    label_3 = models.CharField(_("jawaban 3"), max_length=100)
    label_4 = models.CharField(_("jawaban 4"), max_length=100)
    order = models.PositiveSmallIntegerField(_("urutan di kuesioner"))
    weight_numerator = models.PositiveIntegerField(_("bobot (pembilang)"), default=1)
    weight_denominator = models.PositiveIntegerField(_("bobot (penyebut)"), default=9)

    class Meta:
        verbose_name = _("unsur")
        verbose_name_plural = _("unsur")
        ordering = ["survey", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="unsur_unique_code"),
            models.CheckConstraint(
                condition=Q(weight_numerator__gt=0) & Q(weight_denominator__gt=0),
                name="unsur_weight_positive",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def weight(self):
        from fractions import Fraction

        return Fraction(self.weight_numerator, self.weight_denominator)

    @property
    def labels(self):
        return [self.label_1, self.label_2, self.label_3, self.label_4]

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.weight_numerator or not self.weight_denominator:
            raise ValidationError(_("Bobot harus lebih dari 0."))
        if self.weight_numerator > self.weight_denominator:
            raise ValidationError(_("Bobot satu unsur tidak boleh lebih dari 1."))


class Response(models.Model):
    """One respondent's questionnaire: their profile and, in `answers`, one answer per unsur."""

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class AgeGroup(models.TextChoices):
        UNDER_20 = "<20", _("Di bawah 20 tahun")
        FROM_20 = "20-29", _("20-29 tahun")
        FROM_30 = "30-39", _("30-39 tahun")
        FROM_40 = "40-49", _("40-49 tahun")
        FROM_50 = "50-59", _("50-59 tahun")
        FROM_60 = "60+", _("60 tahun ke atas")

    class Education(models.TextChoices):
        SD = "SD", _("SD atau di bawahnya")
        SMP = "SMP", _("SMP")
        SMA = "SMA", _("SMA/SMK")
        DIPLOMA = "D1-D3", _("D1-D3")
        S1 = "S1", _("D4/S1")
        S2 = "S2", _("S2")
        S3 = "S3", _("S3")

    class Occupation(models.TextChoices):
        PNS = "pns", _("PNS/ASN")
        TNI_POLRI = "tni-polri", _("TNI/Polri")
        PRIVATE = "swasta", _("Pegawai swasta")
        ENTREPRENEUR = "wirausaha", _("Wiraswasta/wirausaha")
        STUDENT = "pelajar", _("Pelajar/mahasiswa")
        OTHER = "lainnya", _("Lainnya")

    class Source(models.TextChoices):
        PAPER = "paper", _("Kuesioner kertas")
        ONLINE = "online", _("Isian daring")
        IMPORT = "import", _("Impor rekap")

    survey = models.ForeignKey(
        Survey, verbose_name=_("survei"), on_delete=models.CASCADE, related_name="responses"
    )
    service = models.ForeignKey(
        SurveyService,
        verbose_name=_("jenis layanan"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    age_group = models.CharField(_("usia"), max_length=5, choices=AgeGroup.choices, blank=True)
    education = models.CharField(
        _("pendidikan"), max_length=5, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("pekerjaan"), max_length=10, choices=Occupation.choices, blank=True
    )
    date = models.DateField(_("tanggal"))
    source = models.CharField(
        _("sumber"), max_length=10, choices=Source.choices, default=Source.PAPER
    )
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("responden")
        verbose_name_plural = _("responden")
        ordering = ["survey", "date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=["", "L", "P"]), name="response_sex_valid"),
        ]

    def __str__(self):
        return f"Responden {self.pk} — {self.survey}"


class Answer(models.Model):
    """One answer 1-4 of a respondent to one unsur; an unanswered unsur has no row."""

    response = models.ForeignKey(
        Response, verbose_name=_("responden"), on_delete=models.CASCADE, related_name="answers"
    )
    unsur = models.ForeignKey(
        Unsur, verbose_name=_("unsur"), on_delete=models.PROTECT, related_name="answers"
    )
    value = models.PositiveSmallIntegerField(_("jawaban"))

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        ordering = ["response", "unsur__order"]
        constraints = [
            models.UniqueConstraint(fields=["response", "unsur"], name="answer_unique_per_unsur"),
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=4), name="answer_value_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.unsur.code}: {self.value}"


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
