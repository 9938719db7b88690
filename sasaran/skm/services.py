"""Writes and reads of the satisfaction survey (SKM) that span its models.

- `survey_create` makes a survey with its services and the nine standard unsur;
- `check_weights` says whether a survey's weights sum to exactly 1;
- `responses_create` saves respondents with their answers, all or nothing;
- `survey_result` loads a survey's responses in a fixed number of queries and computes
  the IKM (pooled and per service), the profile breakdown and the sample check with `ikm`;
- `survey_feed_indicator` writes the pooled IKM into the linked index indicator's realisation.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaran import numbers, sources
from sasaran import services as realisation_services
from sasaran.models import Indicator

from . import ikm as ikm_rules
from .models import Answer, Response, Survey, SurveyService, Unsur

# The nine unsur of Permenpan RB 14/2017, in the regulation's order, with the questions of
# the usual questionnaire in plain Indonesian and the four answer labels.
STANDARD_UNSUR = [
    (
        "U1",
        "Persyaratan",
        "Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    (
        "U2",
        "Sistem, Mekanisme, dan Prosedur",
        "Bagaimana pendapat Anda tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    (
        "U3",
        "Waktu Penyelesaian",
        "Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    (
        "U4",
        "Biaya/Tarif",
        "Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    (
        "U5",
        "Produk Spesifikasi Jenis Pelayanan",
        "Bagaimana pendapat Anda tentang kesesuaian hasil pelayanan yang Anda terima dengan "
        "yang tercantum dalam standar pelayanan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    (
        "U6",
        "Kompetensi Pelaksana",
        "Bagaimana pendapat Anda tentang kemampuan petugas dalam memberikan pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    (
        "U7",
        "Perilaku Pelaksana",
        "Bagaimana pendapat Anda tentang kesopanan dan keramahan petugas dalam memberikan "
        "pelayanan?",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    (
        "U8",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Bagaimana pendapat Anda tentang penanganan pengaduan, saran dan masukan di unit ini?",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
    (
        "U9",
        "Sarana dan Prasarana",
        "Bagaimana pendapat Anda tentang kualitas sarana dan prasarana pelayanan?",
        ("Buruk", "Cukup", "Baik", "Sangat Baik"),
    ),
]

PROFILE_FIELDS = ["sex", "age_group", "education", "occupation"]


@transaction.atomic
def survey_create(
    *,
    unit,
    year,
    period_kind=Survey.PeriodKind.QUARTER,
    period_number=1,
    services=(),
    population=None,
    follow_up_plan="",
    note="",
):
    """A survey with its services (names, in order) and the nine standard unsur, 1/9 each."""
    survey = Survey(
        unit=unit,
        year=year,
        period_kind=period_kind,
        period_number=period_number,
        population=population,
        follow_up_plan=follow_up_plan,
        note=note,
    )
    survey.full_clean()
    survey.save()
    for order, name in enumerate(services, start=1):
        SurveyService.objects.create(survey=survey, name=name, order=order)
    seed_standard_unsur(survey)
    return survey


def seed_standard_unsur(survey):
    """Add the nine standard unsur to a survey that has none (1/9 each)."""
    if survey.unsur.exists():
        return
    Unsur.objects.bulk_create(
        Unsur(
            survey=survey,
            code=code,
            name=name,
            question=question,
            label_1=labels[0],
            label_2=labels[1],
            label_3=labels[2],
            label_4=labels[3],
            order=order,
            weight_numerator=1,
            weight_denominator=len(STANDARD_UNSUR),
        )
        for order, (code, name, question, labels) in enumerate(STANDARD_UNSUR, start=1)
    )


def check_weights(weights):
    """ValidationError unless the weights (Fractions) sum to exactly 1."""
    total = sum(weights, Fraction(0))
    if not weights:
        raise ValidationError(_("Survei belum memiliki unsur."))
    if total != 1:
        raise ValidationError(
            _("Jumlah bobot unsur harus tepat 1; saat ini %(total)s.") % {"total": total}
        )


# --------------------------------------------------------------------------- responses


def _row_error(number, message):
    return _("Baris %(row)s: %(message)s") % {"row": number, "message": message}


def _validate_row(number, row, services, unsur_ids, period):
    errors = []
    if row.get("service") is None or row["service"].pk not in services:
        errors.append(_row_error(number, _("jenis layanan tidak termasuk survei ini.")))
    for name in PROFILE_FIELDS:
        allowed = {value for value, _label in Response._meta.get_field(name).choices}
        if row.get(name, "") not in allowed | {""}:
            errors.append(_row_error(number, _("isian %(field)s tidak dikenal.") % {"field": name}))
    date = row.get("date")
    if not isinstance(date, datetime.date):
        errors.append(_row_error(number, _("tanggal wajib diisi.")))
    elif period and not period[0] <= date <= period[1]:
        errors.append(_row_error(number, _("tanggal di luar periode survei.")))
    answers = row.get("answers") or {}
    if not any(value is not None for value in answers.values()):
        errors.append(_row_error(number, _("belum ada jawaban satu pun.")))
    for unsur_id, value in answers.items():
        if unsur_id not in unsur_ids:
            errors.append(_row_error(number, _("unsur tidak termasuk survei ini.")))
        elif value is not None and (
            isinstance(value, bool) or value not in ikm_rules.ANSWER_VALUES
        ):
            errors.append(_row_error(number, _("jawaban harus 1, 2, 3 atau 4.")))
    return errors


@transaction.atomic
def responses_create(*, survey, rows, source=Response.Source.PAPER, check_period=True):
    """Save respondents with their answers; all of them or, on any error, none.

    Each row is a dict: service (a SurveyService of the survey), sex, age_group, education,
    occupation (choice values or ""), date, answers ({unsur id: 1-4 or None}) and optionally
    its number for messages. Raises ValidationError listing every bad row.
    """
    services = {s.pk: s for s in survey.services.all()}
    unsur_ids = set(survey.unsur.values_list("pk", flat=True))
    period = survey.period_dates() if check_period else None
    errors = []
    for index, row in enumerate(rows, start=1):
        errors += _validate_row(row.get("number", index), row, services, unsur_ids, period)
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("Tidak ada responden untuk disimpan."))
    responses = Response.objects.bulk_create(
        Response(
            survey=survey,
            service=row["service"],
            date=row["date"],
            source=source,
            **{name: row.get(name, "") for name in PROFILE_FIELDS},
        )
        for row in rows
    )
    Answer.objects.bulk_create(
        Answer(response=response, unsur_id=unsur_id, value=value)
        for response, row in zip(responses, rows, strict=True)
        for unsur_id, value in row["answers"].items()
        if value is not None
    )
    return responses


def public_response_create(*, service, profile, answers):
    """One respondent from the public page, dated today (the survey must be open)."""
    survey = service.survey
    if not survey.is_open:
        raise ValidationError(_("Survei ini sudah ditutup."))
    row = {"service": service, "date": timezone.localdate(), "answers": answers, **profile}
    return responses_create(
        survey=survey, rows=[row], source=Response.Source.ONLINE, check_period=False
    )[0]


# --------------------------------------------------------------------------- result


def id_number(value, places=2):
    """A number for display in Indonesian notation (decimal comma), rounded half up."""
    return "—" if value is None else numbers.format_id_number(value, places)


def _share(count, total):
    """A profile row: count, its percent as text, and a bar width in whole percent."""
    percent = Fraction(count * 100, total) if total else Fraction(0)
    return count, f"{id_number(percent)} %", round(percent)


@dataclass
class UnsurRow:
    unsur: Unsur
    answered: int
    nrr: Fraction
    weighted_nrr: Fraction
    weakest: bool = False
    strongest: bool = False

    @property
    def nrr_text(self):
        return id_number(self.nrr)

    @property
    def weighted_text(self):
        return id_number(self.weighted_nrr, 3)

    @property
    def weight_text(self):
        weight = self.unsur.weight
        return f"{weight.numerator}/{weight.denominator} ({id_number(weight, 3)})"


@dataclass
class ServiceRow:
    service: SurveyService
    respondents: int
    ikm: ikm_rules.IkmResult | None

    @property
    def ikm_text(self):
        return id_number(self.ikm.ikm if self.ikm else None)


@dataclass
class ProfileGroup:
    title: str
    rows: list  # (label, count, percent text, bar width)


@dataclass
class SurveyResult:
    survey: Survey
    unsur: list
    services: list
    respondents: int
    ikm: ikm_rules.IkmResult | None = None
    error: str = ""
    unsur_rows: list = field(default_factory=list)
    service_rows: list = field(default_factory=list)
    profile: list = field(default_factory=list)
    sample_minimum: int | None = None

    @property
    def ikm_text(self):
        return id_number(self.ikm.ikm if self.ikm else None)

    @property
    def interval_text(self):
        return id_number(self.ikm.ikm_interval if self.ikm else None, 3)

    def _names(self, indexes):
        if len(set(self.ikm.nrr)) == 1:
            return _("semua unsur bernilai sama")
        return ", ".join(f"{self.unsur[i].code} {self.unsur[i].name}" for i in indexes)

    @property
    def weakest_text(self):
        return self._names(self.ikm.weakest()) if self.ikm else ""

    @property
    def strongest_text(self):
        return self._names(self.ikm.strongest()) if self.ikm else ""

    @property
    def sample_short(self):
        return self.sample_minimum is not None and self.respondents < self.sample_minimum


# How many respondents the survey page lists at a time; the workbook has them all.
RECAP_PAGE_SIZE = 50
# Up to how many respondents the PDF report prints the recap as its appendix.
RECAP_PDF_LIMIT = 1000


@dataclass
class Totals:
    """What the database adds up for a survey: per service, the respondents and, per unsur
    (questionnaire order), the sum of the answers and how many answered; the profile
    counts per field and value."""

    respondents: dict  # service id -> respondents
    sums: dict  # service id -> [sum per unsur]
    answered: dict  # service id -> [answers per unsur]
    profile: dict  # profile field -> Counter of values


def _totals(survey, unsur):
    """Three grouped queries, whatever the number of respondents: the answers are summed
    in the database, never loaded (a million respondents are nine million answers)."""
    position = {u.pk: i for i, u in enumerate(unsur)}
    responses = Response.objects.filter(survey=survey).order_by()  # no Meta.ordering sort
    totals = Totals({}, {}, {}, {name: Counter() for name in PROFILE_FIELDS})
    for *values, count in responses.values_list("service_id", *PROFILE_FIELDS).annotate(
        n=Count("pk")
    ):
        service_id, profile = values[0], values[1:]
        totals.respondents[service_id] = totals.respondents.get(service_id, 0) + count
        for name, value in zip(PROFILE_FIELDS, profile, strict=True):
            totals.profile[name][value] += count
    answers = (
        Answer.objects.filter(response__survey=survey)
        .order_by()
        .values_list("response__service_id", "unsur_id")
        .annotate(total=Sum("value"), n=Count("pk"))
    )
    for service_id, unsur_id, total, count in answers:
        sums = totals.sums.setdefault(service_id, [0] * len(unsur))
        answered = totals.answered.setdefault(service_id, [0] * len(unsur))
        sums[position[unsur_id]] += total
        answered[position[unsur_id]] += count
    return totals


def _compute(respondents, sums, answered, weights):
    try:
        result = ikm_rules.ikm_from_totals(
            respondents=respondents, sums=sums, answered=answered, weights=weights
        )
    except ValueError as error:
        return None, str(error)
    return result, ""


def _profile(counts, total):
    groups = []
    for name in PROFILE_FIELDS:
        model_field = Response._meta.get_field(name)
        rows = [
            (label, *_share(counts[name][value], total)) for value, label in model_field.choices
        ]
        if counts[name][""]:
            rows.append((_("Tidak diisi"), *_share(counts[name][""], total)))
        groups.append(ProfileGroup(str(model_field.verbose_name).capitalize(), rows))
    return groups


def _added(lists, length):
    """Element-wise sums of `lists` (each of `length` numbers)."""
    return [sum(values) for values in zip(*lists, strict=True)] if lists else [0] * length


def survey_result(survey):
    """Everything the result page shows, in a fixed number of queries for any number of
    respondents (the recap per respondent is read apart: `survey_recap`)."""
    unsur = list(survey.unsur.all())
    services = list(survey.services.all())
    totals = _totals(survey, unsur)
    respondents = sum(totals.respondents.values())
    result = SurveyResult(survey=survey, unsur=unsur, services=services, respondents=respondents)
    weights = [u.weight for u in unsur]
    try:
        check_weights(weights)
    except ValidationError as error:
        result.error = " ".join(error.messages)
        return result
    if survey.population:
        result.sample_minimum = ikm_rules.sample_size(survey.population)
    result.profile = _profile(totals.profile, respondents)
    result.profile.append(
        ProfileGroup(
            _("Jenis layanan"),
            [(s.name, *_share(totals.respondents.get(s.pk, 0), respondents)) for s in services],
        )
    )
    result.ikm, result.error = _compute(
        respondents,
        _added(list(totals.sums.values()), len(unsur)),
        _added(list(totals.answered.values()), len(unsur)),
        weights,
    )
    for service in services:
        count = totals.respondents.get(service.pk, 0)
        ikm = None
        if count:
            empty = [0] * len(unsur)
            ikm = _compute(
                count,
                totals.sums.get(service.pk, empty),
                totals.answered.get(service.pk, empty),
                weights,
            )[0]
        result.service_rows.append(ServiceRow(service, count, ikm))
    if result.ikm is not None:
        weakest, strongest = set(result.ikm.weakest()), set(result.ikm.strongest())
        if weakest == strongest:  # every unsur has the same NRR: nothing stands out
            weakest = strongest = set()
        result.unsur_rows = [
            UnsurRow(
                u,
                result.ikm.answered[i],
                result.ikm.nrr[i],
                result.ikm.weighted_nrr[i],
                i in weakest,
                i in strongest,
            )
            for i, u in enumerate(unsur)
        ]
    return result


def recap_rows(survey, unsur, responses):
    """(response dict, answers in questionnaire order) for `responses`, a slice of
    `recap_queryset(survey)`: two queries."""
    responses = list(responses)
    position = {u.pk: i for i, u in enumerate(unsur)}
    matrix = {r["pk"]: [None] * len(unsur) for r in responses}
    answers = Answer.objects.filter(response__in=list(matrix)).order_by()
    for response_id, unsur_id, value in answers.values_list("response_id", "unsur_id", "value"):
        matrix[response_id][position[unsur_id]] = value
    return [(r, matrix[r["pk"]]) for r in responses]


def recap_queryset(survey):
    """The survey's respondents in recap order (date, then entry), as dicts."""
    return (
        Response.objects.filter(survey=survey)
        .order_by("date", "pk")
        .values("pk", "service_id", *PROFILE_FIELDS, "date")
    )


def survey_recap(survey, unsur, *, chunk=2000):
    """Every respondent of the survey with its answers, read `chunk` at a time (the
    workbook's recap sheet), so memory does not grow with the survey."""
    responses = recap_queryset(survey)
    last = None
    while True:
        page = (
            responses
            if last is None
            else responses.filter(Q(date__gt=last[0]) | Q(date=last[0], pk__gt=last[1]))
        )
        rows = recap_rows(survey, unsur, page[:chunk])
        if not rows:
            return
        yield from rows
        last = (rows[-1][0]["date"], rows[-1][0]["pk"])


# --------------------------------------------------------------------------- indicator link

FOUR_PLACES = Decimal("0.0001")
NOTE_PREFIX = "Dari SKM "


def ikm_decimal(ikm):
    """The konversi IKM (an exact Fraction) as the Decimal a realisation stores."""
    value = Decimal(ikm.numerator) / Decimal(ikm.denominator)
    return value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def linked_survey(indicator, period):
    """The survey whose IKM gives this indicator's realisation of `period`, or None."""
    if indicator.kind != Indicator.Kind.INDEX:
        return None
    for survey in Survey.objects.filter(indicator=indicator).select_related("unit"):
        if survey.feeds_period(indicator) == period:
            return survey
    return None


def linked_value(indicator, period):
    """The core's `sources` finder: the linked survey's IKM (konversi), or None."""
    survey = linked_survey(indicator, period)
    if survey is None:
        return None
    result = survey_result(survey)
    value = ikm_decimal(result.ikm.ikm) if result.ikm else None
    return sources.LinkedValue(
        source=survey, url=reverse("survey_detail", args=[survey.pk]), value=value
    )


def register_value_source():
    sources.register(linked_value)


def survey_note(survey, respondents):
    return _("Dari SKM %(survey)s: %(count)d responden") % {
        "survey": survey.period_label,
        "count": respondents,
    }


def survey_feed_indicator(*, survey, user):
    """Write the survey's pooled IKM (konversi, 4 decimals) as the realisation of its
    linked index indicator in the period `Survey.feeds_period` names.

    The write goes through the realisation service (`realisation_set_value`): a new
    realisation is a draft, an existing draft stays a draft and a returned one stays
    returned (its reason stays visible). It is never submitted here: the officer checks it
    on the entry page, adds the analysis when the target band is missed, and submits it for
    review as usual. A submitted or approved (locked) realisation is refused, as is a
    survey without respondents. The write bumps the version (an entry form opened before it
    is refused as stale) and is recorded in the history with its reason.
    """
    indicator = survey.indicator
    if indicator is None:
        raise ValidationError(_("Survei ini belum ditautkan ke indikator."))
    period = survey.feeds_period(indicator)
    result = survey_result(survey)
    if result.respondents == 0:
        raise ValidationError(_("Survei ini belum memiliki responden: IKM belum dapat dikirim."))
    if result.ikm is None:
        raise ValidationError(result.error or _("IKM survei ini belum dapat dihitung."))
    return realisation_services.realisation_set_value(
        indicator=indicator,
        period=period,
        user=user,
        value=ikm_decimal(result.ikm.ikm),
        note_line=survey_note(survey, result.respondents),
        note_prefix=NOTE_PREFIX,
        reason=_("IKM %(value)s dikirim dari SKM %(survey)s (%(count)d responden)")
        % {
            "value": result.ikm_text,
            "survey": survey.period_label,
            "count": result.respondents,
        },
    )
