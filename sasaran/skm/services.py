"""Writes and reads of the satisfaction survey (SKM) that span its models.

- `survey_create` makes a survey with its services and the nine standard unsur;
- `check_weights` says whether a survey's weights sum to exactly 1;
- `responses_create` saves respondents with their answers (and a respondent's optional
  suggestion, name and contact), all or nothing;
- `suggestion_respond` records staff's follow-up of a suggestion (status and response);
- `survey_result` loads a survey's responses in a fixed number of queries and computes
  the IKM (pooled and per service), the profile breakdown and the sample check with `ikm`;
- `survey_feed_indicator` writes the IKM (pooled, or a service's) into the realisations of
  the survey's linked index indicators (`SurveyIndicator`);
- `survey_close` freezes the result (`closed_result`), `survey_reopen` lets it move again.
- The totals of an open survey's result are kept in the cache (`cached_totals`) until a
  respondent or an answer of the survey is saved or deleted, or the survey closes or
  reopens (`result_changed`): the survey page and the entry form of a linked indicator
  read them there instead of summing the answers again.

A survey takes answers only while it is open and not closed, and only dated within its
period; its result counts only the answers of its period (`period_responses`).
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sasaran import numbers, periods, sources
from sasaran import services as realisation_services
from sasaran.models import Indicator

from . import access
from . import ikm as ikm_rules
from .models import Answer, Response, Survey, SurveyIndicator, SurveyService, Unsur

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
# What a respondent may add, all optional: a suggestion or complaint, and a name or contact
# to be answered at (anonymous unless filled in).
FEEDBACK_FIELDS = ["suggestion", "respondent_name", "respondent_contact"]
# A suggestion, and staff's response to it, is a paragraph or a few, not a document.
SUGGESTION_MAX_LENGTH = 2000


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


def _feedback_errors(name, row):
    """Why the optional text `name` of a row cannot be saved (too long, or holding a
    character the documents cannot print), if it cannot."""
    value = row.get(name, "")
    if not isinstance(value, str):
        return [_("isian %(field)s tidak sah.") % {"field": name}]
    model_field = Response._meta.get_field(name)
    limit = SUGGESTION_MAX_LENGTH if name == "suggestion" else model_field.max_length
    errors = []
    if len(value) > limit:
        errors.append(
            _("%(field)s paling banyak %(limit)d karakter.")
            % {"field": str(model_field.verbose_name).capitalize(), "limit": limit}
        )
    try:
        realisation_services.printable_text(value)
    except ValidationError as error:
        errors += error.messages
    return errors


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
    for name in FEEDBACK_FIELDS:
        errors += [_row_error(number, message) for message in _feedback_errors(name, row)]
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


# The code of the ValidationError of a survey that takes no answers (closed, or the date
# is outside its period), so that the public page can tell it from a bad answer.
CLOSED = "closed"


def closed_message(survey):
    return _("Survei %(survey)s sudah ditutup: tidak menerima isian lagi.") % {
        "survey": survey.period_label
    }


@transaction.atomic
def responses_create(*, survey, rows, source=Response.Source.PAPER):
    """Save respondents with their answers; all of them or, on any error, none.

    Each row is a dict: service (a SurveyService of the survey), sex, age_group, education,
    occupation (choice values or ""), date (within the survey period), answers ({unsur id:
    1-4 or None}) and optionally its number for messages. Raises ValidationError listing
    every bad row, or at once when the survey is closed (whoever sends: the public page, the
    entry grid or the import).
    """
    # Asked of the database: the survey may have closed since the caller read it.
    if not Survey.objects.filter(pk=survey.pk, is_open=True, closed_at__isnull=True).exists():
        raise ValidationError(closed_message(survey), code=CLOSED)
    services = {s.pk: s for s in survey.services.all()}
    unsur_ids = set(survey.unsur.values_list("pk", flat=True))
    period = survey.period_dates()
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
            **{name: row.get(name, "") for name in PROFILE_FIELDS + FEEDBACK_FIELDS},
            # A suggestion waits for staff's follow-up; an answer without one has nothing to
            # follow up.
            suggestion_status=Response.SuggestionStatus.NEW if row.get("suggestion") else "",
        )
        for row in rows
    )
    Answer.objects.bulk_create(
        Answer(response=response, unsur_id=unsur_id, value=value)
        for response, row in zip(responses, rows, strict=True)
        for unsur_id, value in row["answers"].items()
        if value is not None
    )
    result_changed(survey.pk)
    return responses


def public_response_create(*, service, profile, answers, feedback=None):
    """One respondent from the public page, dated today (the office's date), which must lie
    within the period of an open survey; `feedback` holds the optional suggestion and name
    or contact (`FEEDBACK_FIELDS`)."""
    survey = service.survey
    today = periods.today()
    if not survey.covers(today):
        raise ValidationError(closed_message(survey), code=CLOSED)
    row = {"service": service, "date": today, "answers": answers, **profile, **(feedback or {})}
    return responses_create(survey=survey, rows=[row], source=Response.Source.ONLINE)[0]


def current_service(service, today):
    """Where a public answer to `service` goes on `today`: the service itself while its
    survey takes answers and covers today; else the service of the same name in the unit's
    open survey whose period covers today (the shortest such period first); else None."""
    survey = service.survey
    if survey.takes_answers and survey.covers(today):
        return service
    candidates = (
        SurveyService.objects.filter(
            survey__unit_id=survey.unit_id,
            survey__is_open=True,
            survey__closed_at__isnull=True,
            survey__year=today.year,
            name=service.name,
        )
        .exclude(survey_id=survey.pk)
        .select_related("survey")
    )
    order = {kind: index for index, kind in enumerate(Survey.PeriodKind.values)}
    covering = [c for c in candidates if c.survey.covers(today)]
    covering.sort(key=lambda c: order[c.survey.period_kind])
    return covering[0] if covering else None


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
    frozen_at: datetime.datetime | None = None  # the figures as they stood at closing

    @property
    def frozen_text(self):
        if self.frozen_at is None:
            return ""
        return _("Hasil dibekukan saat survei ditutup pada %(date)s.") % {
            "date": periods.long_date(timezone.localdate(self.frozen_at))
        }

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


def period_responses(survey):
    """The survey's respondents dated within its period: the only ones its result counts
    (a row dated outside, entered before the dates were checked or through the admin,
    belongs to no result)."""
    return Response.objects.filter(survey=survey, date__range=survey.period_dates())


def _totals(survey, unsur):
    """Three grouped queries, whatever the number of respondents: the answers are summed
    in the database, never loaded (a million respondents are nine million answers)."""
    position = {u.pk: i for i, u in enumerate(unsur)}
    responses = period_responses(survey).order_by()  # no Meta.ordering sort
    totals = Totals({}, {}, {}, {name: Counter() for name in PROFILE_FIELDS})
    for *values, count in responses.values_list("service_id", *PROFILE_FIELDS).annotate(
        n=Count("pk")
    ):
        service_id, profile = values[0], values[1:]
        totals.respondents[service_id] = totals.respondents.get(service_id, 0) + count
        for name, value in zip(PROFILE_FIELDS, profile, strict=True):
            totals.profile[name][value] += count
    answers = (
        Answer.objects.filter(response__survey=survey, response__date__range=survey.period_dates())
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


# --------------------------------------------------------------------------- the cache
# The totals of a survey (the three grouped queries of `_totals`, seconds at a million
# respondents) are kept under a key made of the survey, its version and what else decides
# them (the period's dates, the unsur). The version is a random token, replaced whenever the
# survey's rows change (`result_changed`): old keys are never read again and expire.

TOTALS_TIMEOUT = 7 * 24 * 3600


def _version_key(survey_id):
    return f"skm:result-version:{survey_id}"


def result_changed(survey_id):
    """The survey's respondents or answers changed (or it closed or reopened): its cached
    totals are not read again. Now (with the database cache the token is written in the
    same transaction as the rows) and once more after the commit (so that a reader between
    the two, with a cache outside the database, cannot keep totals without the new rows)."""

    def bump():
        cache.set(_version_key(survey_id), uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


def _totals_key(survey, unsur):
    version = cache.get(_version_key(survey.pk))
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(_version_key(survey.pk), version, None):
            version = cache.get(_version_key(survey.pk), version)
    first, last = survey.period_dates()
    unsur_ids = ".".join(str(u.pk) for u in unsur)
    return f"skm:totals:{survey.pk}:{version}:{first}:{last}:{unsur_ids}"


def cached_totals(survey, unsur):
    """`_totals(survey, unsur)` from the cache, summed (and kept) only when it changed."""
    key = _totals_key(survey, unsur)
    totals = cache.get(key)
    if totals is None:
        totals = _totals(survey, unsur)
        cache.set(key, totals, TOTALS_TIMEOUT)
    return totals


def survey_result(survey):
    """Everything the result page shows, in a fixed number of queries for any number of
    respondents (the recap per respondent is read apart: `survey_recap`). A closed survey
    gives the result frozen when it closed, whatever its rows have become since; an open
    one is summed once and then read from the cache until its rows change."""
    if survey.is_closed and survey.closed_result:
        return frozen_result(survey)
    unsur = list(survey.unsur.all())
    services = list(survey.services.all())
    return _result(survey, unsur, services, cached_totals(survey, unsur))


def has_public_result(survey):
    """Whether the survey has a result to publish: at least one respondent counted."""
    if survey.is_closed and survey.closed_result:
        return survey.closed_result["respondents"] > 0
    return period_responses(survey).exists()


def _result(survey, unsur, services, totals):
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
        if unsur_id in position:  # (an unsur added after a survey closed is not in its result)
            matrix[response_id][position[unsur_id]] = value
    return [(r, matrix[r["pk"]]) for r in responses]


def recap_queryset(survey):
    """The respondents of the survey's result in recap order (date, then entry), as dicts:
    those of its period and, once it is closed, those recorded before it closed."""
    responses = period_responses(survey)
    if survey.is_closed:
        responses = responses.filter(created_at__lte=survey.closed_at)
    return responses.order_by("date", "pk").values("pk", "service_id", *PROFILE_FIELDS, "date")


# --------------------------------------------------------------------------- closing

FROZEN_VERSION = 1


def _fraction_text(value):
    """An exact Fraction as text ("703/9"); None stays None."""
    return None if value is None else f"{value.numerator}/{value.denominator}"


def _decimal_text(value, places):
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _frozen(survey, unsur, services, totals, result):
    """The JSON of `Survey.closed_result`: the figures (exact fractions as "p/q" text, with
    rounded decimals beside them for readers of the JSON) and the totals they come from,
    so that every page and report rebuilds the same result (`frozen_result`)."""
    ikm = result.ikm
    service_ikm = {row.service.pk: row.ikm.ikm for row in result.service_rows if row.ikm}
    return {
        "version": FROZEN_VERSION,
        "respondents": result.respondents,
        "ikm": _fraction_text(ikm.ikm) if ikm else None,
        "ikm_decimal": _decimal_text(ikm.ikm, 4) if ikm else None,
        "interval": _fraction_text(ikm.ikm_interval) if ikm else None,
        "interval_decimal": _decimal_text(ikm.ikm_interval, 4) if ikm else None,
        "mutu": ikm.mutu if ikm else "",
        "kinerja": ikm.kinerja if ikm else "",
        "error": result.error,
        "unsur": [
            {
                "pk": u.pk,
                "code": u.code,
                "name": u.name,
                "order": u.order,
                "weight": _fraction_text(u.weight),
                "answered": ikm.answered[i] if ikm else None,
                "nrr": _fraction_text(ikm.nrr[i]) if ikm else None,
                "nrr_decimal": _decimal_text(ikm.nrr[i], 4) if ikm else None,
            }
            for i, u in enumerate(unsur)
        ],
        "services": [
            {
                "pk": s.pk,
                "name": s.name,
                "respondents": totals.respondents.get(s.pk, 0),
                "ikm": _fraction_text(service_ikm.get(s.pk)),
                "ikm_decimal": _decimal_text(service_ikm.get(s.pk), 4),
            }
            for s in services
        ],
        "totals": {
            "respondents": {str(k): v for k, v in totals.respondents.items()},
            "sums": {str(k): v for k, v in totals.sums.items()},
            "answered": {str(k): v for k, v in totals.answered.items()},
            "profile": {name: dict(counts) for name, counts in totals.profile.items()},
        },
    }


def frozen_result(survey):
    """The result of a closed survey, rebuilt from `closed_result` alone (no answer is
    read): the unsur and services as they were named and weighted when it closed."""
    data = survey.closed_result
    unsur = []
    for item in data["unsur"]:
        weight = Fraction(item["weight"])
        unsur.append(
            Unsur(
                pk=item["pk"],
                survey=survey,
                code=item["code"],
                name=item["name"],
                order=item["order"],
                weight_numerator=weight.numerator,
                weight_denominator=weight.denominator,
            )
        )
    current = survey.services.in_bulk()
    services = []
    for item in data["services"]:
        service = current.get(item["pk"]) or SurveyService(pk=item["pk"], survey=survey)
        service.name = item["name"]
        services.append(service)
    frozen = data["totals"]
    totals = Totals(
        {int(k): v for k, v in frozen["respondents"].items()},
        {int(k): v for k, v in frozen["sums"].items()},
        {int(k): v for k, v in frozen["answered"].items()},
        {name: Counter(counts) for name, counts in frozen["profile"].items()},
    )
    result = _result(survey, unsur, services, totals)
    result.frozen_at = survey.closed_at
    return result


@transaction.atomic
def survey_close(*, survey, user):
    """Tutup survei: no more answers, and its result frozen as it stands now (the pages,
    reports and the IKM it gives its indicator keep these figures). A line in the survey's
    note records who closed it, when, and the figures."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.is_closed:
        raise ValidationError(_("Survei ini sudah ditutup."))
    unsur = list(survey.unsur.all())
    services = list(survey.services.all())
    totals = _totals(survey, unsur)
    result = _result(survey, unsur, services, totals)
    now = timezone.now()
    survey.closed_result = _frozen(survey, unsur, services, totals, result)
    survey.closed_at = now
    survey.is_open = False
    with translation.override("id"):  # a record of the survey: in the office's language
        line = _("Ditutup oleh %(user)s pada %(date)s: %(count)d responden, IKM %(value)s.") % {
            "user": user,
            "date": periods.long_date(timezone.localdate(now)),
            "count": result.respondents,
            "value": result.ikm_text,
        }
    survey.note = _note_line(survey, line)
    survey.save(update_fields=["closed_result", "closed_at", "is_open", "note"])
    result_changed(survey.pk)
    return survey


@transaction.atomic
def survey_reopen(*, survey, user):
    """Buka kembali: the survey takes answers again (within its period) and its result
    moves with its rows; the note keeps the frozen figures it had."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.is_closed:
        raise ValidationError(_("Survei ini tidak sedang ditutup."))
    frozen = survey.closed_result or {}
    with translation.override("id"):  # a record of the survey: in the office's language
        line = _(
            "Dibuka kembali oleh %(user)s pada %(date)s (hasil saat ditutup: %(count)s "
            "responden, IKM %(value)s)."
        ) % {
            "user": user,
            "date": periods.long_date(periods.today()),
            "count": frozen.get("respondents", "—"),
            "value": id_number(Fraction(frozen["ikm"])) if frozen.get("ikm") else "—",
        }
    survey.note = _note_line(survey, line)
    survey.closed_at = None
    survey.closed_result = None
    survey.is_open = True
    survey.save(update_fields=["closed_result", "closed_at", "is_open", "note"])
    result_changed(survey.pk)
    return survey


def _note_line(survey, line):
    return f"{survey.note.rstrip()}\n{line}" if survey.note.strip() else line


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
    """The survey link (`SurveyIndicator`) whose IKM gives this indicator's realisation of
    `period`, or None."""
    if indicator.kind != Indicator.Kind.INDEX:
        return None
    links = SurveyIndicator.objects.filter(indicator=indicator).select_related(
        "survey__unit", "service"
    )
    for link in links:
        if link.survey.feeds_period(indicator) == period:
            return link
    return None


def link_ikm(link, result):
    """The IKM (an `ikm.IkmResult`, or None) the link takes from the survey's result: the
    pooled one, or its service's."""
    if link.service_id is None:
        return result.ikm
    row = next((row for row in result.service_rows if row.service.pk == link.service_id), None)
    return row.ikm if row else None


def link_respondents(link, result):
    if link.service_id is None:
        return result.respondents
    row = next((row for row in result.service_rows if row.service.pk == link.service_id), None)
    return row.respondents if row else 0


def linked_value(indicator, period):
    """The core's `sources` finder: the linked survey's IKM (konversi; pooled or of the
    link's service), or None."""
    link = linked_survey(indicator, period)
    if link is None:
        return None
    ikm = link_ikm(link, survey_result(link.survey))
    return sources.LinkedValue(
        source=link.survey,
        url=reverse("survey_detail", args=[link.survey.pk]),
        value=ikm_decimal(ikm.ikm) if ikm else None,
    )


def register_value_source():
    sources.register(linked_value)


def survey_note(survey, respondents, service=None):
    if service is not None:
        return _("Dari SKM %(survey)s, layanan %(service)s: %(count)d responden") % {
            "survey": survey.period_label,
            "service": service.name,
            "count": respondents,
        }
    return _("Dari SKM %(survey)s: %(count)d responden") % {
        "survey": survey.period_label,
        "count": respondents,
    }


@dataclass
class FeedOutcome:
    """What "Kirim IKM" did: the realisations written, and why each other link was not
    (its indicator's name with the message)."""

    rows: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (indicator, message)


def survey_feed_indicator(*, survey, user, link=None):
    """Write the survey's IKM (konversi, 4 decimals) as the realisation of each linked
    index indicator `user` may feed, or only of `link`, in the period
    `Survey.feeds_period` names: the pooled IKM, or the IKM of the link's service.

    Each write goes through the realisation service (`realisation_set_value`): a new
    realisation is a draft, an existing draft stays a draft and a returned one stays
    returned (its reason stays visible). It is never submitted here: the officer checks it
    on the entry page, adds the analysis when the target band is missed, and submits it for
    review as usual. A submitted or approved (locked) realisation is refused, as is a
    survey (or service) without respondents. The write bumps the version (an entry form
    opened before it is refused as stale) and is recorded in the history with its reason.

    A closed survey, a survey without respondents or without a link raises
    ValidationError. One link asked for raises its refusal; sending to every link writes
    each on its own and returns the refused ones in the `FeedOutcome` (a locked period of
    one indicator does not keep the others from their value).
    """
    if link is not None:
        links = [link] if link.survey_id == survey.pk else []
    else:
        links = access.feedable_links(user, survey)
    if not links:
        raise ValidationError(_("Survei ini belum ditautkan ke indikator."))
    if survey.is_closed:
        # The IKM it gave stays as it was: the survey's result is frozen.
        raise ValidationError(
            _(
                "Survei ini sudah ditutup: IKM-nya tidak dikirim lagi ke indikator. "
                "Buka kembali survei bila IKM perlu dikirim ulang."
            )
        )
    result = survey_result(survey)
    if result.respondents == 0:
        raise ValidationError(_("Survei ini belum memiliki responden: IKM belum dapat dikirim."))
    if result.ikm is None:
        raise ValidationError(result.error or _("IKM survei ini belum dapat dihitung."))
    outcome = FeedOutcome()
    for item in links:
        try:
            outcome.rows.append(_feed_link(item, survey, result, user))
        except ValidationError as error:
            if link is not None:
                raise
            outcome.refused.append((item.indicator, " ".join(error.messages)))
    return outcome


def _feed_link(link, survey, result, user):
    ikm = link_ikm(link, result)
    if ikm is None:
        raise ValidationError(
            _("Layanan %(service)s belum memiliki responden: IKM-nya belum dapat dikirim.")
            % {"service": link.service_label}
        )
    respondents = link_respondents(link, result)
    value_text = id_number(ikm.ikm)
    survey_text = survey.period_label
    if link.service_id is not None:
        survey_text = f"{survey.period_label} ({link.service.name})"
    return realisation_services.realisation_set_value(
        indicator=link.indicator,
        period=survey.feeds_period(link.indicator),
        user=user,
        value=ikm_decimal(ikm.ikm),
        note_line=survey_note(survey, respondents, link.service),
        note_prefix=NOTE_PREFIX,
        reason=_("IKM %(value)s dikirim dari SKM %(survey)s (%(count)d responden)")
        % {"value": value_text, "survey": survey_text, "count": respondents},
    )


# --------------------------------------------------------------------------- suggestions


def suggestions(survey):
    """The respondents of the survey who left a suggestion or complaint, newest first."""
    return (
        Response.objects.filter(survey=survey)
        .exclude(suggestion="")
        .select_related("service", "suggestion_responded_by")
        .order_by("-date", "-pk")
    )


# What the survey's documents print of a suggestion: never the respondent's name or contact
# (personal data stays on the staff page).
SUGGESTION_COLUMNS = [
    "date",
    "service__name",
    "suggestion",
    "suggestion_status",
    "suggestion_response",
]


def period_suggestions(survey):
    """The suggestions the survey's documents print, as dicts of `SUGGESTION_COLUMNS`:
    those of its period's respondents, oldest first as in the recap."""
    return (
        period_responses(survey)
        .exclude(suggestion="")
        .order_by("date", "pk")
        .values(*SUGGESTION_COLUMNS)
    )


def with_status_label(rows):
    """`period_suggestions` rows, each with its status's label as "status"."""
    labels = dict(Response.SuggestionStatus.choices)
    for row in rows:
        yield {**row, "status": str(labels.get(row["suggestion_status"], ""))}


@transaction.atomic
def suggestion_respond(*, response, status, text, user):
    """Staff's follow-up of a respondent's suggestion: its status and the response written
    to it, with who wrote it and when. A suggestion is marked done only with a response."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if not response.suggestion:
        raise ValidationError(_("Responden ini tidak menyampaikan saran atau pengaduan."))
    if status not in Response.SuggestionStatus.values:
        raise ValidationError(_("Status tindak lanjut tidak dikenal."))
    text = (text or "").strip()
    if len(text) > SUGGESTION_MAX_LENGTH:
        raise ValidationError(
            _("Tanggapan paling banyak %(limit)d karakter.") % {"limit": SUGGESTION_MAX_LENGTH}
        )
    realisation_services.printable_text(text)
    if status == Response.SuggestionStatus.DONE and not text:
        raise ValidationError(_("Tulis tanggapannya sebelum saran ditandai selesai."))
    response.suggestion_status = status
    response.suggestion_response = text
    response.suggestion_responded_at = timezone.now()
    response.suggestion_responded_by = user
    response.full_clean()
    response.save(
        update_fields=[
            "suggestion_status",
            "suggestion_response",
            "suggestion_responded_at",
            "suggestion_responded_by",
        ]
    )
    return response
