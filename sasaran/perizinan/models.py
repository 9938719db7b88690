"""Permit timeliness and staff service levels, measured from the logs an office exports.

- `Holiday`: the national holidays and cuti bersama, one row per date, seeded per year from
  the `holidays` package (`HolidayYear` records that a year was seeded, so that a date an
  admin deleted stays deleted) and editable in the admin, since decrees change mid-year.
- `UnitCalendar`: whether the unit counts cuti bersama as a day off (the default).
- `PermitType` and `TaskKind`: a unit's permit types with their service standard, and the
  kinds of staff task with their limit, both in working days.
- `Permit` and `Task`: the imported logs, one row per permit number (per task reference):
  importing the same log again changes nothing.
- `ColumnMapping`: which column of the unit's export holds what, saved once per log.
- `ImportRun`: who imported which file when, with what it changed.
- `PermitIndicator` and `TaskIndicator`: the indicators whose realisation the logs give.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaran.models import Indicator, Unit


class Holiday(models.Model):
    """A date that is not a working day for the whole country: a national holiday, or a cuti
    bersama day (a non-working day where the unit's `UnitCalendar` says so)."""

    class Kind(models.TextChoices):
        NATIONAL = "nasional", _("Libur nasional")
        CUTI_BERSAMA = "cuti", _("Cuti bersama")

    class Source(models.TextChoices):
        SEEDED = "paket", _("Dari paket holidays")
        MANUAL = "manual", _("Diisi manual")

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    source = models.CharField(
        _("sumber"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    note = models.CharField(
        _("catatan"),
        max_length=300,
        blank=True,
        help_text=_("Mis. nomor SKB atau Keppres yang menetapkan atau mengubahnya."),
    )

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.name}"


class HolidayYear(models.Model):
    """A year whose holidays were seeded from the `holidays` package. A year is seeded once:
    a seeded date an admin deleted (a cuti bersama cancelled by a new decree) stays deleted;
    "Isi ulang" in the admin adds the package's dates that are missing."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    seeded_at = models.DateTimeField(_("diisi pada"), auto_now_add=True)
    source = models.CharField(_("sumber"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("tahun hari libur")
        verbose_name_plural = _("tahun hari libur")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="holiday_year_sane"
            )
        ]

    def __str__(self):
        return str(self.year)


class UnitCalendar(models.Model):
    """How the unit counts working days. Without a row: cuti bersama is a day off."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="work_calendar"
    )
    cuti_bersama_off = models.BooleanField(
        _("cuti bersama bukan hari kerja"),
        default=True,
        help_text=_(
            "Jika dicentang, hari cuti bersama tidak dihitung sebagai hari kerja. Hapus "
            "centang bila loket unit tetap melayani pada hari cuti bersama."
        ),
    )

    class Meta:
        verbose_name = _("pengaturan hari kerja unit")
        verbose_name_plural = _("pengaturan hari kerja unit")

    def __str__(self):
        return str(self.unit)


class PermitType(models.Model):
    """A permit type of the unit with its service standard in working days (from the file
    complete and correct to issue)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="permit_types"
    )
    code = models.CharField(
        _("kode"),
        max_length=60,
        help_text=_("Kode atau nama jenis izin persis seperti di ekspor sistem perizinan."),
    )
    name = models.CharField(_("nama"), max_length=200)
    standard_days = models.PositiveSmallIntegerField(
        _("standar pelayanan (hari kerja)"),
        help_text=_("Jangka waktu penyelesaian sejak berkas lengkap dan benar."),
    )
    sop_reference = models.CharField(
        _("SOP"),
        max_length=200,
        blank=True,
        help_text=_(
            "Nomor SOP jenis izin ini. Standar dapat diambil dari total waktu SOP tersebut "
            "(manage.py permit_standards_from_sop)."
        ),
    )

    class Meta:
        verbose_name = _("jenis izin")
        verbose_name_plural = _("jenis izin")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="permit_type_unique_code"),
            models.CheckConstraint(condition=Q(standard_days__lte=365), name="permit_type_days"),
        ]

    def __str__(self):
        return self.name


class TaskKind(models.Model):
    """A kind of staff task of the unit (a field measurement, a drawing, a delivered letter)
    with its limit in working days."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="task_kinds"
    )
    code = models.CharField(
        _("kode"),
        max_length=60,
        help_text=_("Kode atau nama jenis tugas persis seperti di log tugas."),
    )
    name = models.CharField(_("nama"), max_length=200)
    limit_days = models.PositiveSmallIntegerField(_("batas (hari kerja)"))

    class Meta:
        verbose_name = _("jenis tugas staf")
        verbose_name_plural = _("jenis tugas staf")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="task_kind_unique_code"),
            models.CheckConstraint(condition=Q(limit_days__lte=365), name="task_kind_days"),
        ]

    def __str__(self):
        return self.name


class ImportRun(models.Model):
    """One import of a log: the file, who and when, and what it changed."""

    class Log(models.TextChoices):
        PERMITS = "izin", _("Log izin")
        TASKS = "tugas", _("Log tugas staf")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="log_imports"
    )
    log = models.CharField(_("log"), max_length=10, choices=Log.choices)
    file_name = models.CharField(_("berkas"), max_length=255)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diimpor oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("diimpor pada"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("baris"), default=0)
    created = models.PositiveIntegerField(_("baru"), default=0)
    updated = models.PositiveIntegerField(_("berubah"), default=0)
    unchanged = models.PositiveIntegerField(_("tetap"), default=0)

    class Meta:
        verbose_name = _("impor log")
        verbose_name_plural = _("impor log")
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"{self.get_log_display()} {self.file_name} ({self.imported_at:%d-%m-%Y %H:%M})"


class Permit(models.Model):
    """One permit of the log: its number, type, the day its file was complete and correct,
    the day it was issued (empty while in process) and its status as the system wrote it."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="permits"
    )
    number = models.CharField(_("nomor"), max_length=100)
    permit_type = models.ForeignKey(
        PermitType, verbose_name=_("jenis izin"), on_delete=models.RESTRICT, related_name="+"
    )
    complete_on = models.DateField(_("berkas lengkap dan benar"))
    issued_on = models.DateField(_("terbit"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("izin")
        verbose_name_plural = _("izin")
        ordering = ["unit", "issued_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="permit_unique_number"),
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True) | Q(issued_on__gte=models.F("complete_on")),
                name="permit_issued_after_complete",
            ),
        ]
        indexes = [models.Index(fields=["unit", "issued_on"], name="permit_unit_issued")]

    def __str__(self):
        return self.number


class Task(models.Model):
    """One staff task of the log: its kind, when it started and ended (the time when the log
    gives one), who did it, and its reference (the log's number, or one made of its kind,
    start and officer)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="staff_tasks"
    )
    reference = models.CharField(_("nomor"), max_length=200)
    kind = models.ForeignKey(
        TaskKind, verbose_name=_("jenis tugas"), on_delete=models.RESTRICT, related_name="+"
    )
    started_on = models.DateField(_("mulai"))
    started_time = models.TimeField(_("jam mulai"), null=True, blank=True)
    ended_on = models.DateField(_("selesai"), null=True, blank=True)
    ended_time = models.TimeField(_("jam selesai"), null=True, blank=True)
    officer = models.CharField(_("petugas"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tugas staf")
        verbose_name_plural = _("tugas staf")
        ordering = ["unit", "ended_on", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "reference"], name="task_unique_reference"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="task_ended_after_start",
            ),
        ]
        indexes = [models.Index(fields=["unit", "ended_on"], name="task_unit_ended")]

    def __str__(self):
        return self.reference


class ColumnMapping(models.Model):
    """Which column of the unit's export holds which field (`columns`: field name -> column
    heading as the file writes it), saved at the first import and offered again."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="column_mappings"
    )
    log = models.CharField(_("log"), max_length=10, choices=ImportRun.Log.choices)
    columns = models.JSONField(_("kolom"), default=dict)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    class Meta:
        verbose_name = _("pemetaan kolom")
        verbose_name_plural = _("pemetaan kolom")
        constraints = [
            models.UniqueConstraint(fields=["unit", "log"], name="column_mapping_unique_log")
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_log_display()}"


def _check_indicator(indicator, unit, kind, message):
    if indicator is None or unit is None:
        return
    if indicator.objective.section.manual.unit_id != unit.pk:
        raise ValidationError({"indicator": _("Indikator harus milik unit yang sama.")})
    if indicator.kind != kind:
        raise ValidationError({"indicator": message})


class PermitIndicator(models.Model):
    """An indicator whose realisation is the share of permits issued on time: numerator the
    permits on time, denominator all permits issued in the period (of `permit_types`, or of
    every type of the unit when none is chosen)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="permit_indicators"
    )
    indicator = models.OneToOneField(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="permit_link",
        limit_choices_to={"kind": Indicator.Kind.PERCENTAGE},
        help_text=_('Indikator persentase, mis. "Persentase Penerbitan Izin Tepat Waktu".'),
    )
    permit_types = models.ManyToManyField(
        PermitType,
        verbose_name=_("jenis izin"),
        blank=True,
        related_name="+",
        help_text=_("Kosong: semua jenis izin unit."),
    )

    class Meta:
        verbose_name = _("indikator yang diisi data perizinan")
        verbose_name_plural = _("indikator yang diisi data perizinan")
        ordering = ["unit", "pk"]

    def __str__(self):
        return f"{self.indicator} ← {_('data perizinan')}"

    def clean(self):
        _check_indicator(
            self.indicator if self.indicator_id else None,
            self.unit if self.unit_id else None,
            Indicator.Kind.PERCENTAGE,
            _("Hanya indikator berjenis persentase yang dapat diisi dari data perizinan."),
        )


class TaskIndicator(models.Model):
    """An indicator whose realisation is the average duration in working days of the staff
    tasks of `task_kinds` finished in the period."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="task_indicators"
    )
    indicator = models.OneToOneField(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="task_link",
        limit_choices_to={"kind": Indicator.Kind.WORKING_DAYS},
        help_text=_("Indikator tingkat layanan dalam hari kerja."),
    )
    task_kinds = models.ManyToManyField(TaskKind, verbose_name=_("jenis tugas"), related_name="+")

    class Meta:
        verbose_name = _("indikator yang diisi log tugas staf")
        verbose_name_plural = _("indikator yang diisi log tugas staf")
        ordering = ["unit", "pk"]

    def __str__(self):
        return f"{self.indicator} ← {_('log tugas staf')}"

    def clean(self):
        _check_indicator(
            self.indicator if self.indicator_id else None,
            self.unit if self.unit_id else None,
            Indicator.Kind.WORKING_DAYS,
            _("Hanya indikator berjenis hari kerja yang dapat diisi dari log tugas staf."),
        )
