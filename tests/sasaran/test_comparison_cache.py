"""The parent unit's comparison keeps each unit's figures in the cache (issue 16).

A second view reads them from the cache; a change of one unit's rows (a realisation saved
through the entry form or the service, a target revised, an indicator deleted or moved, a
change in the admin, the unit's deadline) makes that unit's figures computed again on the
next view, and only that unit's. What the comparison gives is the same with the cache as
without it.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sasaran import dashboard, services
from sasaran.models import Indicator, QualityManual, Realisation, Target, Unit, User
from tests.mutu.test_hostile_sweep import forms_of

UP = "up-pmptsp-jaktim"
OTHER = "up-kedua"
DINAS = "dpmptsp-dki"
STAFF = "Persentase updating data kepegawaian"  # kasubbag's, target 100 % every quarter
PARAMS = {"tahun": 2023, "tw": 1}


pytestmark = pytest.mark.usefixtures("empty_cache")


@pytest.fixture
def other_unit(demo):
    """A second unit under the Dinas, with a copy of UP's Sasaran Mutu 2023."""
    source = QualityManual.objects.get(unit__code=UP, year=2023)
    unit = Unit.objects.create(
        code=OTHER, name="UP Kedua", kind="up", parent=Unit.objects.get(code=DINAS)
    )
    copy = services.manual_copy_to_year(manual=source, year=2022, carry_targets=True)
    copy.unit, copy.year = unit, 2023
    copy.save()
    return unit


@pytest.fixture
def computed(monkeypatch):
    """The codes of the units whose figures each comparison computed (not read from the
    cache), one set per computation."""
    calls = []
    compute = dashboard.unit_cells

    def spy(units, *args, **kwargs):
        calls.append({u.code for u in units})
        return compute(units, *args, **kwargs)

    monkeypatch.setattr(dashboard, "unit_cells", spy)
    return calls


def comparison(client):
    response = client.get(reverse("comparison", args=[DINAS]), PARAMS)
    assert response.status_code == 200
    return {r["unit"].code: r for r in response.context["rows"]}


def figures(row):
    summary = row["summary"]
    return (summary.met, summary.missed, summary.draft, summary.missing, row["mean_achievement"])


def staff_indicator(code=UP):
    return Indicator.objects.get(name=STAFF, objective__section__manual__unit__code=code)


def submit(client, value, period="Q1"):
    """The officer's entry form, submitted as the browser sends it."""
    url = reverse("entry", args=[staff_indicator().pk, period])
    data = {"version": "", "value": value, "submit": "1"}
    data |= {"cause_analysis": "Data terlambat", "follow_up": "Rapat"}  # asked when missed
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_second_view_reads_the_figures_from_the_cache(
    login_as, other_unit, computed, django_assert_max_num_queries
):
    client = login_as("kadis")
    with CaptureQueriesContext(connection) as first:
        rows = comparison(client)
    assert {UP, OTHER} <= computed[0]
    with django_assert_max_num_queries(len(first) - 1):
        again = comparison(client)
    assert len(computed) == 1  # nothing computed the second time
    assert again == rows


def test_the_cached_view_asks_the_same_queries_for_more_units(
    login_as, other_unit, django_assert_max_num_queries
):
    client = login_as("kadis")
    comparison(client)
    with CaptureQueriesContext(connection) as cached:
        comparison(client)
    count = len(cached)  # read now: the next request empties the query log
    source = QualityManual.objects.get(unit__code=UP, year=2023)
    dinas = Unit.objects.get(code=DINAS)
    for n in range(3):
        unit = Unit.objects.create(
            code=f"up-lain-{n}", name=f"UP Lain {n}", kind="up", parent=dinas
        )
        copy = services.manual_copy_to_year(manual=source, year=2022, carry_targets=True)
        copy.unit, copy.year = unit, 2023
        copy.save()
    comparison(client)
    with django_assert_max_num_queries(count):
        rows = comparison(client)
    assert len(rows) == len(dinas.descendants())


def test_a_realisation_saved_through_the_entry_form_changes_that_units_figures_only(
    login_as, other_unit, computed
):
    rows = comparison(login_as("kadis"))
    submit(login_as("kasubbag"), "50")  # missed: the target is 100 %
    after = comparison(login_as("kadis"))
    assert computed[-1] == {UP}
    assert after[UP]["summary"].missed == rows[UP]["summary"].missed + 1
    assert figures(after[OTHER]) == figures(rows[OTHER])


def test_a_realisation_saved_through_the_service_changes_that_units_figures(
    login_as, other_unit, computed
):
    client = login_as("kadis")
    rows = comparison(client)
    services.realisation_save(
        indicator=staff_indicator(OTHER),
        period="Q1",
        user=User.objects.get(username="kasubbag"),
        data={"value": Decimal(100), "follow_up": ""},
        version=None,
        submit=True,
    )
    after = comparison(client)
    assert computed[-1] == {OTHER}
    assert after[OTHER]["summary"].met == rows[OTHER]["summary"].met + 1
    assert after[OTHER]["mean_achievement"] == Decimal(100)
    assert figures(after[UP]) == figures(rows[UP])


def test_a_target_revision_changes_the_figures(login_as, other_unit, computed):
    submit(login_as("kasubbag"), "100")
    client = login_as("kadis")
    met = comparison(client)[UP]["summary"]
    target = Target.objects.get(indicator=staff_indicator(), period="Q1")
    services.target_revise(
        target=target,
        value=Decimal(120),
        upper=None,
        reason="Target dinaikkan",
        reference="SK 1/2023",
        reference_date=datetime.date(2023, 3, 1),
        user=User.objects.get(username="admin"),
    )
    missed = comparison(client)[UP]["summary"]
    assert computed[-1] == {UP}
    assert (missed.met, missed.missed) == (met.met - 1, met.missed + 1)


def test_an_indicator_deleted_or_moved_changes_the_figures(login_as, other_unit, computed):
    submit(login_as("kasubbag"), "100")
    client = login_as("kadis")
    before = comparison(client)
    staff_indicator().delete()  # with its targets and realisations
    after = comparison(client)
    assert computed[-1] == {UP}
    assert after[UP]["summary"].met == before[UP]["summary"].met - 1

    # Moved into the other unit's manual: both units' figures change.
    moved = staff_indicator(OTHER)
    moved.objective = Indicator.objects.filter(objective__section__manual__unit__code=UP)[
        0
    ].objective
    moved.save()
    comparison(client)
    assert computed[-1] == {UP, OTHER}


def test_a_change_in_the_admin_changes_the_figures(login_as, other_unit, computed):
    submit(login_as("kasubbag"), "100")
    client = login_as("kadis")
    before = comparison(client)
    row = Realisation.objects.get(indicator=staff_indicator(), period="Q1")
    admin = login_as("admin")
    url = reverse("admin:sasaran_realisation_change", args=[row.pk])
    form = next(f for f in forms_of(admin.get(url).text) if "value" in f["fields"])
    response = admin.post(url, {**form["fields"], "value": "40"})
    assert response.status_code == 302, response.content.decode()[:2000]
    after = comparison(login_as("kadis"))
    assert computed[-1] == {UP}
    assert after[UP]["summary"].missed == before[UP]["summary"].missed + 1


def test_the_units_deadline_and_the_date_are_part_of_the_figures(demo, computed):
    """What is late depends on the unit's deadline and on the day: a day after a period's
    end or a deadline, or another deadline, is computed, not read; a day with nothing
    passed since is read."""
    units = Unit.objects.get(code=DINAS).descendants()
    up = next(u for u in units if u.code == UP)
    day = datetime.date(2023, 4, 20)  # TW 1's deadline (10 days after) is past
    late = dashboard.unit_comparison(units, 2023, 1, today=day)[0]
    assert dashboard.unit_comparison(units, 2023, 1, today=day)[0] == late
    assert len(computed) == 1
    # Up to April's end nothing more is due or late: read.
    assert dashboard.unit_comparison(units, 2023, 1, today=datetime.date(2023, 4, 30))[0] == late
    assert len(computed) == 1
    # The day after April ends: computed again.
    dashboard.unit_comparison(units, 2023, 1, today=datetime.date(2023, 5, 1))
    assert len(computed) == 2
    up.report_deadline_days = 60
    up.save()
    on_time = dashboard.unit_comparison(units, 2023, 1, today=day)[0]
    assert UP in computed[-1]
    late_up = next(r for r in late if r["unit"].code == UP)["summary"].late
    assert next(r for r in on_time if r["unit"].code == UP)["summary"].late < late_up


def test_figures_kept_on_one_day_are_those_of_every_day_of_their_step(demo):
    """Across a whole year and a deadline of 10 days (the demo's): whenever two days have
    the same `date_step`, the figures of one are those of the other, computed afresh."""
    units = Unit.objects.get(code=DINAS).descendants()
    day, last = datetime.date(2023, 1, 1), datetime.date(2024, 1, 20)
    first_of_step = {}
    while day <= last:
        step = dashboard.date_step(2023, 10, day)
        for view in (1, 3, "Y"):
            cells = dashboard.unit_cells(units, 2023, view, day)
            figures = {pk: dashboard._figures(c) for pk, c in cells.items()}
            if (step, view) in first_of_step:
                assert figures == first_of_step[step, view], (day, view)
            first_of_step.setdefault((step, view), figures)
        day += datetime.timedelta(days=4)
    assert len({step for step, _view in first_of_step}) > 20


@pytest.mark.parametrize("view", [1, 2, 3, "S1", "Y"])
def test_the_comparison_is_the_same_with_and_without_the_cache(demo_examples, view):
    units = Unit.objects.get(code=DINAS).descendants()
    first = dashboard.unit_comparison(units, 2023, view)
    cached = dashboard.unit_comparison(units, 2023, view)
    cache.clear()
    fresh = dashboard.unit_comparison(units, 2023, view)
    assert cached == first == fresh
    assert any(row["summary"].expected for row in fresh[0])  # figures, not only empty rows
    assert [row["rank"] for row in fresh[0]] == list(range(1, len(units) + 1))


def test_an_entry_edited_in_place_reads_its_unit_once(demo_examples):
    """The hot path: a realisation saved again under its indicator reads its unit before the
    save only (the unit cannot have changed), not again after it."""
    row = Realisation.objects.filter(indicator__objective__section__manual__unit__code=UP).first()
    row.note = "diperbaiki"
    with CaptureQueriesContext(connection) as queries:
        row.save()
    unit_reads = [
        q
        for q in queries.captured_queries
        if 'SELECT "sasaran_qualitymanual"."unit_id"' in q["sql"]
    ]
    assert len(unit_reads) == 1
