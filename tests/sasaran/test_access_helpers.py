"""The access helpers themselves, one per object type, with the demo's personas.

Every `get_*` helper returns `(object, may_change)` or raises Http404 outside the user's
scope ("not found" and "not allowed" are one answer). For each object type: whoever may
change it gets `(obj, True)`, a read-only viewer `(obj, False)`, anyone else 404.

The personas (sasaran/demo.py, sop/demo.py): `admin` (superuser); `kadis`, head of the
Dinas (dpmptsp-dki); `kepala`, head of UP PMPTSP Kota Jakarta Timur (up-pmptsp-jaktim,
under the Dinas); `kasubbag`, `cro`, `caraka`, officers of that UP; `datin`, officer of
the SOP's unit (dpmptsp-jabar).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from sasaran import access, services
from sasaran.models import Evidence, ExportJob, Indicator, Unit, User
from sasaran.skm import access as survey_access
from sasaran.skm import services as survey_services
from sasaran.skm.models import SurveyIndicator
from sop import access as sop_access
from sop.models import Sop

DINAS, UP, SOP_UNIT = "dpmptsp-dki", "up-pmptsp-jaktim", "dpmptsp-jabar"
KASUBBAG_INDICATOR = "Persentase updating data kepegawaian"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def user(username):
    return User.objects.get(username=username)


def answer(helper, username, key):
    """What `helper` gives `username` for `key`: True/False (may change) or 404."""
    try:
        obj, may_change = helper(user(username), key)
    except Http404:
        return 404
    assert obj is not None
    return may_change


@pytest.fixture
def indicator(demo):
    return Indicator.objects.get(name=KASUBBAG_INDICATOR)


@pytest.fixture
def submitted(indicator):
    """A realisation the officer `kasubbag` submitted; `kepala` reviews it."""
    return services.realisation_save(
        indicator=indicator,
        period="Q1",
        user=user("kasubbag"),
        data={"value": 100},
        version=None,
        submit=True,
    )


# --------------------------------------------------------------------------- the user's place


def test_member_units_are_the_units_where_the_user_holds_a_position(demo):
    def codes(units):
        return set(units.values_list("code", flat=True))

    assert codes(access.member_units(user("kadis"))) == {DINAS}
    assert codes(access.member_units(user("kepala"))) == {UP}
    assert codes(access.member_units(user("cro"))) == {UP}
    assert codes(access.member_units(user("datin"))) == {SOP_UNIT}
    assert codes(access.member_units(user("admin"))) == set()  # holds no position
    # The dashboards add the units below a unit one heads, read only: the one place
    # where the scope reaches past the units one is in.
    assert codes(access.visible_units(user("kadis"))) == {DINAS, UP}
    assert codes(access.visible_units(user("cro"))) == {UP}
    assert codes(access.visible_units(user("admin"))) == set(
        Unit.objects.values_list("code", flat=True)
    )


def test_surveys_and_sops_are_scoped_by_the_member_units_not_by_the_dashboards(demo):
    """The three former answers to "which units is this user in" are now one: the head of
    the Dinas reads the UP's dashboard, but neither its surveys nor its SOPs."""
    survey_services.survey_create(
        unit=Unit.objects.get(code=UP),
        year=2023,
        period_kind="quarter",
        period_number=1,
        services=["Perizinan"],
        population=100,
    )
    Sop.objects.update(unit=Unit.objects.get(code=UP))
    kadis, cro = user("kadis"), user("cro")
    assert not survey_access.visible_surveys(kadis).exists()
    assert not sop_access.visible_sops(kadis).exists()
    assert survey_access.visible_surveys(cro).exists()
    assert sop_access.visible_sops(cro).exists()


# --------------------------------------------------------------------------- indicator


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("kasubbag", True),  # the officer of its position
        ("kepala", True),  # its reviewer
        ("admin", True),
        ("kadis", False),  # head of the parent unit: reads only
        ("cro", 404),  # another officer of the same unit
        ("datin", 404),  # another unit
    ],
)
def test_get_indicator(indicator, username, expected):
    assert answer(access.get_indicator, username, indicator.pk) == expected


def test_get_indicator_keeps_the_callers_queryset_but_not_beyond_the_scope(indicator):
    rows = Indicator.objects.with_structure().prefetch_related("targets")
    found, _may_change = access.get_indicator(user("kasubbag"), indicator.pk, queryset=rows)
    assert found == indicator and "targets" in found._prefetched_objects_cache
    with pytest.raises(Http404):
        access.get_indicator(user("cro"), indicator.pk, queryset=rows)


def test_officer_and_reviewer_of_an_indicator(indicator):
    assert access.is_officer_of(user("kasubbag"), indicator)
    assert not access.is_reviewer_of(user("kasubbag"), indicator)
    assert access.is_reviewer_of(user("kepala"), indicator)
    assert not access.is_officer_of(user("kepala"), indicator)
    assert not access.may_edit_indicator(user("kadis"), indicator)
    assert indicator in access.own_indicators(user("kasubbag"))
    assert indicator not in access.own_indicators(user("kepala"))
    assert indicator in access.reviewable_indicators(user("kepala"))
    assert indicator in access.reviewable_indicators(user("admin"))
    assert indicator not in access.reviewable_indicators(user("kasubbag"))


# --------------------------------------------------------------------------- realisation


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("kepala", True),  # reviews the unit: approves, returns, reopens
        ("admin", True),
        ("kasubbag", False),  # its officer sees it but never reviews their own work
        ("kadis", False),  # head of the parent unit: reads only
        ("cro", 404),
        ("datin", 404),
    ],
)
def test_get_realisation(submitted, username, expected):
    assert answer(access.get_realisation, username, submitted.pk) == expected


# --------------------------------------------------------------------------- unit


@pytest.mark.parametrize(
    ("username", "code", "expected"),
    [
        ("kepala", UP, True),  # heads it: may start a new year
        ("kadis", DINAS, True),
        ("admin", UP, True),
        ("cro", UP, False),  # is in it: reads its dashboard
        ("kadis", UP, False),  # heads the unit above: reads only
        ("cro", DINAS, 404),  # the unit above one's own
        ("kepala", DINAS, 404),
        ("datin", UP, 404),
        ("kepala", "tidak-ada", 404),
    ],
)
def test_get_unit(demo, username, code, expected):
    assert answer(access.get_unit, username, code) == expected


# --------------------------------------------------------------------------- evidence


@pytest.fixture
def evidence(submitted, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return Evidence.objects.create(
        realisation=submitted,
        file=SimpleUploadedFile("rekap.pdf", PDF),
        original_name="rekap.pdf",
        size=len(PDF),
        uploaded_by=user("kasubbag"),
    )


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("kasubbag", True),  # the officer who uploaded it
        ("kepala", True),  # the reviewer of its indicator
        ("admin", True),
        ("kadis", False),  # head of the parent unit: downloads it, read only
        ("cro", 404),
        ("datin", 404),
    ],
)
def test_get_evidence(evidence, username, expected):
    assert answer(access.get_evidence, username, evidence.pk) == expected


# --------------------------------------------------------------------------- export job


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("kepala", True),  # asked for it
        ("admin", True),  # the superuser sees every job
        # Nobody reads another user's job: no read-only viewer.
        ("kadis", 404),  # even the head of the job's unit
        ("cro", 404),
    ],
)
def test_get_export_job(demo, username, expected):
    job = ExportJob.objects.create(
        unit=Unit.objects.get(code=DINAS),
        year=2023,
        quarter=3,
        fmt="xlsx",
        requested_by=user("kepala"),
    )
    assert answer(access.get_export_job, username, job.pk) == expected


# --------------------------------------------------------------------------- survey


@pytest.fixture
def survey(indicator):
    survey = survey_services.survey_create(
        unit=Unit.objects.get(code=UP),
        year=2023,
        period_kind="quarter",
        period_number=1,
        services=["Perizinan", "Non Perizinan"],
        population=100,
    )
    # A Kasubbag TU indicator, reviewed by `kepala` (saved without the model's checks:
    # only who may feed matters here).
    SurveyIndicator.objects.create(survey=survey, indicator=indicator)
    return survey


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        # Whoever is in the survey's unit enters its questionnaires: no read-only viewer.
        ("cro", True),
        ("kepala", True),
        ("admin", True),
        ("kadis", 404),  # head of the parent unit: not in the survey's unit
        ("datin", 404),
    ],
)
def test_get_survey(survey, username, expected):
    assert answer(survey_access.get_survey, username, survey.pk) == expected


def test_has_surveys(demo):
    assert survey_access.has_surveys(user("cro"))
    assert survey_access.has_surveys(user("admin"))
    assert not survey_access.has_surveys(User.objects.create_user("tamu"))


@pytest.mark.parametrize(
    ("username", "expected"),
    [("kasubbag", True), ("kepala", True), ("admin", True), ("cro", False), ("kadis", False)],
)
def test_may_feed_is_for_the_linked_indicators_officer_and_reviewers(survey, username, expected):
    assert survey_access.may_feed(user(username), survey) is expected


def test_nobody_feeds_a_survey_without_an_indicator(survey):
    survey.indicator_links.all().delete()
    assert not survey_access.may_feed(user("admin"), survey)


# --------------------------------------------------------------------------- SOP


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", True),  # writes SOPs in the admin
        ("datin", False),  # is in the SOP's unit: reads it
        ("kepala", 404),  # another unit
        ("kadis", 404),
    ],
)
def test_get_sop(demo, username, expected):
    sop = Sop.objects.get(unit__code=SOP_UNIT)
    assert answer(sop_access.get_sop, username, sop.pk) == expected
