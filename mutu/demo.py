"""The demo: the seed documents and the example data of `fixtures/`, loaded into a database.

`fixtures/seed/` holds the office's documents transcribed as data, texts verbatim (typos
included): the Sasaran Mutu 2023 of UP PMPTSP Kota Jakarta Timur (L2/MM-02) with the
readings taken where the document is open, and the SOP "Penyusunan Laporan Kinerja PTSPdan
PPB" of DPMPTSP Provinsi Jawa Barat. `fixtures/demo/` holds what the demo invents around them:
the organisation (units, positions, fictional users who all have the password
"sasaranmutu"), example realisations of 2023 TW 1-3 and an example SKM survey, each marked as
example data in its notes.

This module is the one place that knows every app. The rules:
- `load_demo()` creates the demo in a database that does not hold it yet; `has_data()` tells
  whether a database already holds data (then the `load_demo` command changes nothing, so that
  a second `make run` never undoes what a user changed in the admin).
- `reset_demo()` deletes the demo's own rows (the demo units with everything in and below
  them, the demo users), so that `load_demo --reset` can load it afresh.
- The manual is saved through the workbook import's saving half
  (`import_xlsx.save_parsed_manual`) and the survey through the survey services, as a user's
  import and entry would be. The example realisations go through the realisation service
  `realisation_record` as finished rows, each with one history record marked as example
  data, rather than replayed through the workflow (which would invent a "Diajukan" and a
  "Disetujui" record per example).
"""

import datetime
import json
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from sasaran import access, services
from sasaran.documents.import_xlsx import (
    ParsedIndicator,
    ParsedManual,
    ParsedObjective,
    ParsedSection,
    save_parsed_manual,
)
from sasaran.models import (
    Assignment,
    Evidence,
    ExportJob,
    Indicator,
    Position,
    QualityManual,
    Realisation,
    Unit,
    User,
)
from sasaran.perizinan.demo import load_example_permits
from sasaran.skm import services as survey_services
from sasaran.skm.models import Answer, Response, Survey, SurveyIndicator
from sop.models import Sop, SopActor, SopStep

FIXTURES = settings.BASE_DIR / "fixtures"
ORGANISATION = "demo/organisation.json"
MANUAL = "seed/sasaran-mutu-2023-up-pmptsp-jaktim.json"
SOP = "seed/sop-penilaian-kinerja.json"
REALISATIONS = "demo/realisations-2023.json"
# The invented second office under the same Dinas: what other offices' documents have
# (monthly and semester indicators, a 25-100 index target, zero tolerance, a range, a
# commitment without an indicator, sections of its own), so that the Dinas compares two units.
EXAMPLE_MANUAL = "demo/sasaran-mutu-2023-contoh-jakbar.json"
EXAMPLE_REALISATIONS = "demo/realisations-2023-contoh-jakbar.json"
SURVEY = "demo/skm-2023.json"


def read_fixture(name):
    """The data of a fixture file; numbers with a fraction are read as exact Decimals."""
    with open(FIXTURES / name, encoding="utf-8") as file:
        return json.load(file, parse_float=Decimal)


def _organisations():
    """The demo's organisation and the example office's (units, positions, users)."""
    return [read_fixture(ORGANISATION), read_fixture(EXAMPLE_MANUAL)["organisation"]]


def has_data():
    """Whether the database already holds data the demo must not touch: any unit (and so
    any manual, SOP or survey) or a user with a demo username."""
    usernames = [spec["username"] for org in _organisations() for spec in org["users"]]
    return Unit.objects.exists() or User.objects.filter(username__in=usernames).exists()


# --------------------------------------------------------------------------- loading


@transaction.atomic
def load_demo(*, examples=True):
    """Create the demo in a database that does not hold it (see `has_data`): organisation,
    seed manual, seed SOP and, with `examples`, the example realisations and survey.
    Returns the counts for the command's summary, keyed by model name."""
    organisation = read_fixture(ORGANISATION)
    _load_organisation(organisation)
    manuals = [_load_manual(read_fixture(MANUAL))]
    load_seed_sop(with_user=True)
    realisations = 0
    units, positions, users = (len(organisation[key]) for key in ("units", "positions", "users"))
    if examples:
        realisations = _load_realisations(read_fixture(REALISATIONS))
        load_example_survey()
        load_example_permits()
        office = read_fixture(EXAMPLE_MANUAL)
        _load_organisation({**office["organisation"], "password": organisation["password"]})
        manuals.append(_load_manual(office))
        realisations += _load_realisations(read_fixture(EXAMPLE_REALISATIONS))
        units += len(office["organisation"]["units"])
        positions += len(office["organisation"]["positions"])
        users += len(office["organisation"]["users"])
    return {
        "unit": units,
        "position": positions,
        "user": users,
        "section": sum(manual.totals["bagian"] for manual in manuals),
        "objective": sum(manual.totals["sasaran"] for manual in manuals),
        "indicator": sum(manual.totals["indikator"] for manual in manuals),
        "target": sum(manual.totals["target"] for manual in manuals),
        "realisation": realisations,
    }


def _load_organisation(data, *, unit_codes=None, with_users=True):
    """Create the demo units, positions and users that are missing: all of them, or only
    those of the units `unit_codes` (and the users assigned there). Existing rows are kept
    as they are."""

    def wanted(code):
        return unit_codes is None or code in unit_codes

    for spec in data["units"]:  # parents come first in the fixture
        if wanted(spec["code"]):
            parent = Unit.objects.get(code=spec["parent"]) if spec["parent"] else None
            Unit.objects.get_or_create(
                code=spec["code"],
                defaults={"name": spec["name"], "kind": spec["kind"], "parent": parent},
            )
    for spec in data["positions"]:
        if wanted(spec["unit"]):
            Position.objects.get_or_create(
                unit=Unit.objects.get(code=spec["unit"]),
                name=spec["name"],
                defaults={"level": spec["level"]},
            )
    if not with_users:
        return
    password = None  # hashed once, when first needed: every demo user has the same password
    for spec in data["users"]:
        assignment = spec["assignment"]
        if unit_codes is not None and (assignment is None or not wanted(assignment["unit"])):
            continue
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            password = password or make_password(data["password"])
            user = User.objects.create(
                username=spec["username"],
                first_name=spec["first_name"],
                last_name=spec["last_name"],
                nip=spec["nip"],
                is_staff=spec["is_staff"],
                is_superuser=spec["is_superuser"],
                password=password,
            )
        if assignment:
            Assignment.objects.get_or_create(
                user=user,
                position=Position.objects.get(
                    unit__code=assignment["unit"], name=assignment["position"]
                ),
                defaults={"role": assignment["role"]},
            )


def _target(written):
    """A target of a fixture: a value, or [lower, upper] for a range."""
    if isinstance(written, list):
        return Decimal(written[0]), Decimal(written[1])
    return Decimal(written), None


def _load_manual(data):
    """Save a manual of the fixtures (the seed's, the example office's) through the workbook
    import's saving half; returns its ImportResult (totals per row kind)."""
    manual_fields = dict(data["manual"])
    signer = manual_fields.pop("signed_by")
    manual_fields["effective_date"] = datetime.date.fromisoformat(manual_fields["effective_date"])
    sections = []
    for section_spec in data["sections"]:
        section = ParsedSection(
            row=None,
            order=section_spec["order"],
            level=section_spec["level"],
            title=section_spec["title"],
        )
        for objective_spec in section_spec["objectives"]:
            objective = ParsedObjective(
                row=None, number=objective_spec["number"], text=objective_spec["text"]
            )
            for order, indicator_spec in enumerate(objective_spec["indicators"], start=1):
                fields = dict(indicator_spec)
                position_name = fields.pop("responsible_position")
                targets = fields.pop("targets")
                if fields["max_value"] is not None:
                    fields["max_value"] = Decimal(fields["max_value"])
                objective.indicators.append(
                    ParsedIndicator(
                        row=None,
                        order=order,
                        order_column=None,
                        fields=fields,
                        position_name=position_name,
                        position_column=None,
                        targets={period: _target(v) for period, v in targets.items()},
                    )
                )
            section.objectives[objective.number] = objective
        sections.append(section)
    parsed = ParsedManual(fields=manual_fields, sections=sections, signer=(None, None, signer))
    unit = Unit.objects.get(code=data["unit"])
    return save_parsed_manual(parsed=parsed, unit=unit, year=data["year"])


@transaction.atomic
def load_seed_sop(*, with_user=False):
    """The seed SOP, created if it is missing (with its unit and the positions its actors
    hold, from the demo organisation); returned either way, as it is.

    With `with_user`, also the demo users of the SOP's unit (`datin`, who may then see the
    SOP); without it only a superuser sees it.
    """
    data = read_fixture(SOP)
    _load_organisation(read_fixture(ORGANISATION), unit_codes={data["unit"]}, with_users=with_user)
    unit = Unit.objects.get(code=data["unit"])
    sop = Sop.objects.filter(unit=unit, number=data["number"], revision=data["revision"]).first()
    if sop is not None:
        return sop
    identity = {
        key: value
        for key, value in data.items()
        if key not in ("source", "transcription", "unit", "actors", "steps")
    }
    for key in ("created_on", "revised_on", "effective_on"):
        if identity[key] is not None:
            identity[key] = datetime.date.fromisoformat(identity[key])
    # The seed is a signed document.
    sop = Sop(unit=unit, status=Sop.Status.SIGNED, **identity)
    sop.full_clean()
    sop.save()
    actors = {}
    for order, spec in enumerate(data["actors"], start=1):
        position = None
        if spec["position"]:
            position = Position.objects.get(unit=unit, name=spec["position"])
        actor = SopActor(sop=sop, order=order, name=spec["name"], position=position)
        actor.full_clean()
        actor.save()
        actors[spec["name"]] = actor
    for spec in data["steps"]:
        step = SopStep(
            sop=sop,
            **{**spec, "actor": actors[spec["actor"]], "time_amount": Decimal(spec["time_amount"])},
        )
        step.full_clean()
        step.save()
    return sop


def _load_realisations(data):
    """Record the example realisations as finished rows through the realisation service,
    each entered by the officer of its indicator's position; returns how many were made."""
    unit = Unit.objects.get(code=data["unit"])
    indicators = {ind.name: ind for ind in Indicator.objects.for_year(unit, data["year"])}
    officers = {
        a.position_id: a.user
        for a in Assignment.objects.filter(position__unit=unit).select_related("user")
    }
    reviewers = [User.objects.get(username=name) for name in data["reviewers"]]
    reviewed = (Realisation.Status.APPROVED, Realisation.Status.RETURNED)
    note = f"{data['mark']} {data['note']}"
    for spec in data["realisations"]:
        spec = dict(spec)
        indicator = indicators[spec.pop("indicator")]
        if "numerator" in spec:
            spec["numerator"] = Decimal(spec["numerator"])
            spec["denominator"] = Decimal(spec["denominator"])
            spec["value"] = (spec["numerator"] / spec["denominator"] * 100).quantize(
                Decimal("0.0001")
            )
        status = spec.pop("status")
        services.realisation_record(
            indicator=indicator,
            period=spec.pop("period"),
            user=officers[indicator.responsible_position_id],
            data={**spec, "value": Decimal(spec["value"]), "note": note},
            status=status,
            reviewed_by=_reviewer(reviewers, indicator) if status in reviewed else None,
            reason=data["mark"],
        )
    return len(data["realisations"])


def _reviewer(reviewers, indicator):
    """The first of `reviewers` whose review the indicator is, by the access rules: the
    examples follow them too (the Kepala Unit's own go to the head of the parent unit)."""
    return next(user for user in reviewers if access.is_reviewer_of(user, indicator))


@transaction.atomic
def load_example_survey():
    """The example SKM survey, created once with its respondents through the survey
    services; returned either way (an existing one as it is), or None without its unit."""
    data = read_fixture(SURVEY)
    unit = Unit.objects.filter(code=data["unit"]).first()
    if unit is None:
        return None
    period = {
        "year": data["year"],
        "period_kind": data["period_kind"],
        "period_number": data["period_number"],
    }
    survey = Survey.objects.filter(unit=unit, **period).first()
    if survey is not None:
        return survey
    survey = survey_services.survey_create(
        unit=unit,
        **period,
        services=data["services"],
        population=data["population"],
        follow_up_plan=data["follow_up_plan"],
        note=data["note"],
    )
    services = {service.name: service for service in survey.services.all()}
    unsur = {item.code: item.pk for item in survey.unsur.all()}
    rows = [
        {
            "number": spec["number"],
            "service": services[spec["service"]],
            "date": datetime.date.fromisoformat(spec["date"]),
            "answers": {unsur[code]: value for code, value in spec["answers"].items()},
            **{name: spec[name] for name in survey_services.PROFILE_FIELDS},
        }
        for spec in data["respondents"]
    ]
    survey_services.responses_create(survey=survey, rows=rows)
    # Linked to every index indicator the fixture names, each taking the pooled IKM of the
    # whole unit: the seed's "Indeks Kepuasan ..." indicators measure the unit's services as
    # a whole, none of them one survey service. Nothing is sent here: an indicator without
    # an example realisation in TW 1 can be filled with "Kirim IKM ke indikator".
    indicators = Indicator.objects.for_year(unit, data["year"]).filter(name__in=data["indicators"])
    for indicator in indicators.order_by("objective__section__order", "objective__number", "order"):
        link = SurveyIndicator(survey=survey, indicator=indicator)
        link.full_clean()
        link.save()
    return survey


# --------------------------------------------------------------------------- reset


@transaction.atomic
def reset_demo():
    """Delete the demo's own rows, whatever users changed in them: the demo units with every
    unit below them and everything in those units (surveys, SOPs, manuals with their
    realisations and evidence files, export jobs, positions), then the demo users.

    A row outside the demo that still needs one of them (say, a realisation a demo user
    entered in another unit) stops the reset with ProtectedError, and nothing is deleted.
    History records stay, with the deletions recorded.
    """
    organisations = _organisations()
    units = []
    for spec in [spec for org in organisations for spec in org["units"]]:
        unit = Unit.objects.filter(code=spec["code"]).first()
        if unit is not None:
            units += [u for u in [unit, *unit.descendants()] if u not in units]

    # Deleted in an order that no PROTECT foreign key stands in the way: the survey's
    # answers and respondents hold its unsur and services, a newer SOP revision holds the
    # one before it, indicators and the manual hold positions, a unit holds its parent.
    Answer.objects.filter(response__survey__unit__in=units).delete()
    Response.objects.filter(survey__unit__in=units).delete()
    Survey.objects.filter(unit__in=units).delete()
    for sop in Sop.objects.filter(unit__in=units).order_by("-revision"):
        sop.delete()  # with its actors and steps
    files = [
        evidence.file
        for evidence in Evidence.objects.filter(
            realisation__indicator__objective__section__manual__unit__in=units
        )
    ]
    files += [job.file for job in ExportJob.objects.filter(unit__in=units) if job.file]
    QualityManual.objects.filter(unit__in=units).delete()  # down to realisations, evidence
    ExportJob.objects.filter(unit__in=units).delete()
    Position.objects.filter(unit__in=units).delete()  # with their assignments
    while units:  # leaves first
        leaves = [u for u in units if not Unit.objects.filter(parent=u).exists()]
        for unit in leaves:
            unit.delete()
        units = [u for u in units if u not in leaves]
    usernames = [spec["username"] for org in organisations for spec in org["users"]]
    User.objects.filter(username__in=usernames).delete()
    transaction.on_commit(lambda: [file.storage.delete(file.name) for file in files])
