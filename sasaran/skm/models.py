"""The satisfaction survey (Survei Kepuasan Masyarakat, SKM) of Permenpan RB 14/2017.

A survey belongs to a unit and one period (quarter, semester or year); its services each
have a public link; the questionnaire has nine unsur (or an office's own, with weights
that sum to exactly 1); each respondent's answers are stored one row per unsur.

The tables were created by the `sasaran` app before the survey became an app of its own:
`db_table` keeps their names so that a database made then keeps every row.
"""

import calendar
import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaran import periods
from sasaran.models import Indicator, Unit
from sasaran.periods import Period


def survey_token():
    return uuid.uuid4().hex[:12]


def kiosk_key():
    return secrets.token_urlsafe(32)


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
    is_open = models.BooleanField(
        _("terbuka untuk isian publik"),
        default=True,
        help_text=_("Jika tidak dicentang, halaman survei publik tidak menerima isian."),
    )
    # Closing a survey freezes its result: the figures as they stood when it closed.
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    closed_result = models.JSONField(_("hasil saat ditutup"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        db_table = "sasaran_survey"
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
        """The period of a linked index indicator whose realisation this survey gives.

        The rule: the indicator's own period (`Indicator.period_kind`) that ends together
        with the survey's period, always of the survey's year, provided the indicator's
        periods are not longer than the survey's. A semester I survey feeds Semester I of a
        semester indicator, TW 2 of a quarterly one and Juni of a monthly one; a yearly
        survey the year, Semester II, TW 4 or Desember; a quarterly survey its TW (or the
        quarter's last month), never a semester or yearly indicator. Without an indicator:
        the TW (a quarterly indicator's period).
        """
        kind = {
            self.PeriodKind.QUARTER: periods.QUARTER,
            self.PeriodKind.SEMESTER: periods.SEMESTER,
            self.PeriodKind.YEAR: periods.YEAR,
        }.get(self.period_kind)
        # A number out of range (the form reports it) feeds no period.
        survey_period = periods.period_code(kind, self.period_number) if kind else None
        own = indicator.period_kind if indicator is not None else periods.QUARTER
        if survey_period is None or periods.longer(own, kind):
            return None
        return next(
            p for p in periods.PERIODS_OF_KIND[own] if periods.ends_together(p, survey_period)
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

    def covers(self, date):
        """Whether `date` lies within the survey period."""
        first, last = self.period_dates()
        return first <= date <= last

    @property
    def is_closed(self):
        """Closed by staff ("Tutup survei"): its result is frozen in `closed_result`."""
        return self.closed_at is not None

    @property
    def takes_answers(self):
        """Open for answers at all (a date must still lie within the period)."""
        return self.is_open and not self.is_closed

    @property
    def answer_state(self):
        """Whether the survey takes answers today, for lists: "open", "closed" (by staff or
        not open), "ended" (its period is over) or "upcoming" (not begun)."""
        from sasaran.periods import today

        first, last = self.period_dates()
        if not self.takes_answers:
            return "closed"
        if today() > last:
            return "ended"
        return "upcoming" if today() < first else "open"

    def get_public_result_url(self):
        """The public results page of this survey, linkable without login."""
        from django.urls import reverse

        args = [self.unit.code, self.year, self.period_kind, self.period_number]
        return reverse("survey_public_result", args=args)


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
        db_table = "sasaran_surveyservice"
        verbose_name = _("jenis layanan survei")
        verbose_name_plural = _("jenis layanan survei")
        ordering = ["survey_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="survey_service_unique_name")
        ]

    def __str__(self):
        return self.name


class SurveyIndicator(models.Model):
    """An index indicator whose realisation a survey's IKM gives: the whole unit's pooled
    IKM, or one service's IKM when `service` is set. One survey may feed several indicators
    (each once); an indicator takes each period's value from one survey link only."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survei"), on_delete=models.CASCADE, related_name="indicator_links"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator indeks yang diisi"),
        on_delete=models.CASCADE,
        related_name="survey_links",
        limit_choices_to={"kind": Indicator.Kind.INDEX},
        help_text=_(
            'Indikator "Indeks Kepuasan ..." Sasaran Mutu unit dan tahun yang sama; '
            "realisasinya diambil dari IKM survei ini, pada periode indikator yang berakhir "
            "bersamaan dengan periode survei (survei semester I: TW 2 indikator triwulanan, "
            "Semester I indikator semesteran, Juni indikator bulanan; tahunan: TW 4, "
            "Semester II, Desember atau Tahunan)."
        ),
    )
    service = models.ForeignKey(
        SurveyService,
        verbose_name=_("jenis layanan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicator_links",
        help_text=_("Kosong: IKM gabungan seluruh layanan unit; diisi: IKM layanan itu saja."),
    )

    class Meta:
        verbose_name = _("indikator yang diisi survei")
        verbose_name_plural = _("indikator yang diisi survei")
        ordering = ["survey_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "indicator"], name="survey_indicator_unique")
        ]

    def __str__(self):
        return f"{self.indicator} ← {self.survey.period_label} ({self.service_label})"

    @property
    def service_label(self):
        return self.service.name if self.service_id else str(_("seluruh layanan"))

    @property
    def period(self):
        """The indicator's period this link fills (`Survey.feeds_period`)."""
        return self.survey.feeds_period(self.indicator)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.indicator_id is None or self.survey_id is None:
            return
        indicator, survey = self.indicator, self.survey
        if indicator.kind != Indicator.Kind.INDEX:
            raise ValidationError(
                {"indicator": _("Hanya indikator berjenis indeks yang dapat diisi dari SKM.")}
            )
        manual = indicator.objective.section.manual
        if manual.unit_id != survey.unit_id:
            raise ValidationError(
                {"indicator": _("Indikator harus milik unit yang sama dengan survei.")}
            )
        if manual.year != survey.year:
            raise ValidationError(
                {
                    "indicator": _("Indikator harus dari Sasaran Mutu tahun %(year)s.")
                    % {"year": survey.year}
                }
            )
        if self.service_id is not None and self.service.survey_id != survey.pk:
            raise ValidationError({"service": _("Jenis layanan harus dari survei ini.")})
        period = survey.feeds_period(indicator)
        if period is None or period not in indicator.due_periods():
            raise ValidationError(
                {
                    "indicator": _(
                        "Periode survei ini tidak sesuai dengan frekuensi indikator (%(freq)s)."
                    )
                    % {"freq": indicator.get_frequency_display()}
                }
            )
        # One value per period: another survey's link to the same indicator and period
        # would give it a second, competing value.
        others = (
            SurveyIndicator.objects.filter(indicator=indicator)
            .exclude(survey=survey)
            .select_related("survey__unit")
        )
        for other in others:
            if other.survey.feeds_period(indicator) == period:
                raise ValidationError(
                    {
                        "indicator": _(
                            "Realisasi %(period)s indikator ini sudah diambil dari %(other)s."
                        )
                        % {"period": Period(period).label, "other": other.survey}
                    }
                )


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
        db_table = "sasaran_unsur"
        verbose_name = _("unsur")
        verbose_name_plural = _("unsur")
        ordering = ["survey_id", "order", "code"]
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

    class SuggestionStatus(models.TextChoices):
        NEW = "baru", _("Baru")
        IN_PROGRESS = "proses", _("Diproses")
        DONE = "selesai", _("Selesai")

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
    # Optional, anonymous by default: the respondent may leave a name or contact to be
    # answered, and a suggestion or complaint that staff follow up.
    respondent_name = models.CharField(_("nama responden"), max_length=100, blank=True)
    respondent_contact = models.CharField(_("kontak responden"), max_length=100, blank=True)
    suggestion = models.TextField(_("saran atau pengaduan"), blank=True)
    suggestion_status = models.CharField(
        _("status tindak lanjut saran"),
        max_length=10,
        choices=SuggestionStatus.choices,
        blank=True,
    )
    suggestion_response = models.TextField(_("tanggapan atas saran"), blank=True)
    suggestion_responded_at = models.DateTimeField(_("ditanggapi pada"), null=True, blank=True)
    suggestion_responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditanggapi oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        db_table = "sasaran_response"
        verbose_name = _("responden")
        verbose_name_plural = _("responden")
        # By the column: ordering by the survey would join the unit and sort by its name.
        ordering = ["survey_id", "date", "pk"]
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
        db_table = "sasaran_answer"
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        # By the columns: ordering by the response and the unsur's order joined three tables
        # and sorted every answer of a survey (9 million rows on disk at 1,000,000
        # respondents). Unsur are created in their order.
        ordering = ["response_id", "unsur_id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "unsur"], name="answer_unique_per_unsur"),
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=4), name="answer_value_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.unsur.code}: {self.value}"


class KioskDevice(models.Model):
    """A counter tablet registered by staff: it carries a signed token (a cookie) naming
    this row, so its answers are not throttled as an anonymous address's would be. Revoking
    it ends that."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="kiosk_devices"
    )
    name = models.CharField(_("nama perangkat"), max_length=100)
    key = models.CharField(_("kunci"), max_length=64, unique=True, default=kiosk_key)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("didaftarkan oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("didaftarkan pada"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("perangkat kios")
        verbose_name_plural = _("perangkat kios")

    def __str__(self):
        return f"{self.name} — {self.unit}"
