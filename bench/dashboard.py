"""Benchmark: the unit dashboard and the parent-unit comparison on a large dataset.

Generates UNITS units under one province, each with a manual of INDICATORS indicators for
YEARS years (targets for TW 1-4 and the year, realisations for TW 1-3), in a throw-away
test database, then times the pages through Django's test client and prints the wall time
(median and best of --runs) and query count of each. The comparison of all indicators is
timed three ways: with the cache empty, without figures for the date cached (the first view
after a period's end or a deadline has passed), and cached.

    .venv/bin/python bench/dashboard.py [--units 300] [--indicators 31] [--years 5]

Uses SQLite in a temporary file by default; set DATABASE_URL for PostgreSQL (a database
named test_<name> is created and dropped).
"""

import argparse
import os
import statistics
import sys
import time
from collections import namedtuple
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("AXES_ENABLED", "false")  # the test client logs in without a request

from common import throwaway_database  # noqa: E402  (bench/common.py)


def generate(units, indicators, years):
    from sasaran.models import (
        Indicator,
        Objective,
        Position,
        QualityManual,
        Realisation,
        Section,
        Target,
        Unit,
        User,
    )

    officer = User.objects.create_superuser("bench", password="bench")
    province = Unit.objects.create(code="prov", name="DPMPTSP Provinsi", kind="dinas")
    children = Unit.objects.bulk_create(
        Unit(code=f"up-{n}", name=f"UP {n:04d}", kind="up", parent=province) for n in range(units)
    )
    positions = Position.objects.bulk_create(
        Position(unit=u, name="Kepala Unit", level="kepala") for u in children
    )
    first_year = 2024 - years + 1
    manuals = QualityManual.objects.bulk_create(
        QualityManual(unit=u, year=y, document_number="L2/MM-02", effective_date=f"{y}-07-01")
        for u in children
        for y in range(first_year, 2025)
    )
    sections = Section.objects.bulk_create(
        Section(manual=m, order=1, level="kepala", title="Kepala Unit") for m in manuals
    )
    objectives = Objective.objects.bulk_create(
        Objective(section=s, number=1, text="Sasaran") for s in sections
    )
    position_of = {p.unit_id: p for p in positions}
    unit_of = {m.pk: m.unit_id for m in manuals}
    section_manual = {s.pk: s.manual_id for s in sections}
    created = []
    for o in objectives:
        position = position_of[unit_of[section_manual[o.section_id]]]
        created += [
            Indicator(
                objective=o,
                order=i,
                name=f"Indikator {i}",
                measurement_method="-",
                frequency="quarterly",
                responsible_position=position,
                kind="count",
                cumulative=i % 2 == 0,
            )
            for i in range(indicators)
        ]
    created = Indicator.objects.bulk_create(created, batch_size=5000)
    Target.objects.bulk_create(
        (
            Target(indicator=ind, period=p, value=10 * q)
            for ind in created
            for q, p in enumerate(["Q1", "Q2", "Q3", "Q4"], 1)
        ),
        batch_size=10000,
    )
    Realisation.objects.bulk_create(
        (
            Realisation(
                indicator=ind,
                period=p,
                value=9 + (ind.pk % 3),
                entered_by=officer,
                status="approved",
            )
            for ind in created
            for p in ["Q1", "Q2", "Q3"]
        ),
        batch_size=10000,
    )
    return province, children, len(created)


class Timing(namedtuple("Timing", "median best queries")):
    def __str__(self):
        return (
            f"{self.median * 1000:.0f} ms (best {self.best * 1000:.0f} ms), {self.queries} queries"
        )


def measure(client, url, params, runs, before=None):
    """The median and best wall time of `runs` requests, the queries of the last; `before` is
    called before each (not timed)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        if before:
            before()
        reset_queries()  # (the capture keeps the log from one request to the next)
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url, params)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return Timing(statistics.median(times), min(times), len(ctx))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--indicators", type=int, default=31)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from sasaran import dashboard

    with throwaway_database():
        start = time.perf_counter()
        province, children, count = generate(args.units, args.indicators, args.years)
        print(
            f"dataset: {args.units} units x {args.indicators} indicators x {args.years} years"
            f" = {count} indicators, generated in {time.perf_counter() - start:.1f} s"
            f" ({connection.vendor})"
        )
        runs = args.runs
        client = Client()
        client.login(username="bench", password="bench")
        params = {"tahun": 2024, "tw": 3}
        url = reverse("dashboard", args=[children[0].code])
        print(
            f"unit dashboard ({args.indicators} indicators): {measure(client, url, params, runs)}"
        )
        url = reverse("comparison", args=[province.code])
        # Each unit's figures are kept in the cache (`dashboard.cached_figures`). Timed with
        # the cache emptied before each run (the very first view: no unit has a version
        # yet), with the versions kept but no figures (the first view after a period's end
        # or a deadline: `dashboard.date_step`), then read from the cache.
        label = f"parent comparison ({args.units} units)"
        print(f"{label}, cache empty: {measure(client, url, params, runs, before=cache.clear)}")

        def new_step():  # as after a deadline: no unit's figures are found
            dashboard.FIGURES_FORMAT += 1

        timing = measure(client, url, params, runs, before=new_step)
        print(f"{label}, no figures cached (a deadline passed): {timing}")
        print(f"{label}, cached: {measure(client, url, params, runs)}")
        params["indikator"] = "Indikator 1"
        print(f"parent comparison, one indicator: {measure(client, url, params, runs)}")


if __name__ == "__main__":
    main()
