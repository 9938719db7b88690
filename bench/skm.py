"""Benchmark: the SKM result of a survey with many respondents, added up in the database.

Creates a throw-away test database, one survey with its nine unsur and two services, and
RESPONDENTS respondents with nine answers each, written by the database itself
(generate_series on PostgreSQL) so that setting up a million takes seconds. Then times, best
of three in the same run:

- the floor: one bare grouped query over the answers (SUM and COUNT per unsur), the least
  any computation of the IKM must read;
- `survey_result` (what the survey page, its reports and the indicator's entry form use)
  computed: just after the survey's rows changed (`services.result_changed`, as a new
  respondent does), so that it sums the answers;
- `survey_result` cached: read again while nothing changed (the cache of the settings:
  the database cache table, or Redis with REDIS_URL);
- the computation as it was before issue 16 (every answer loaded into Python and fed to
  `ikm.compute_ikm`), only up to --old-limit respondents, since it grows with them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/skm_bench \\
        .venv/bin/python bench/skm.py [--respondents 1000000] [--old-limit 100000]

PostgreSQL only (a database named test_<name> is created and dropped).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("AXES_ENABLED", "false")

from common import best_of, throwaway_database  # noqa: E402  (bench/common.py)


def generate(respondents):
    from django.db import connection

    from sasaran.models import Unit
    from sasaran.skm import services

    unit = Unit.objects.create(code="up-bench", name="UP Bench", kind="up")
    survey = services.survey_create(
        unit=unit,
        year=2023,
        period_kind="quarter",
        period_number=1,
        services=["Perizinan", "Non Perizinan"],
        population=1_000_000,
    )
    first, second = survey.services.order_by("pk").values_list("pk", flat=True)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO sasaran_response
                (survey_id, service_id, date, sex, age_group, education, occupation, source,
                 created_at, respondent_name, respondent_contact, suggestion,
                 suggestion_status, suggestion_response)
            SELECT %s, CASE WHEN n %% 3 = 0 THEN %s ELSE %s END,
                   DATE '2023-01-01' + (n %% 90), CASE WHEN n %% 2 = 0 THEN 'L' ELSE 'P' END,
                   '', '', '', 'paper', now(), '', '', '', '', ''
            FROM generate_series(1, %s) AS n
            """,
            [survey.pk, second, first, respondents],
        )
        cursor.execute(
            """
            INSERT INTO sasaran_answer (response_id, unsur_id, value)
            SELECT r.id, u.id, 1 + ((r.id * 7 + u.id * 3) %% 4)
            FROM sasaran_response r CROSS JOIN sasaran_unsur u
            WHERE r.survey_id = %s AND u.survey_id = %s
            """,
            [survey.pk, survey.pk],
        )
        cursor.execute("ANALYZE sasaran_response; ANALYZE sasaran_answer")
    return survey


def old_result(survey):
    """Before issue 16: every answer into Python, then the plain computation."""
    from sasaran.skm import ikm
    from sasaran.skm.models import Answer, Response

    unsur = list(survey.unsur.all())
    position = {u.pk: i for i, u in enumerate(unsur)}
    matrix = {
        pk: [None] * len(unsur)
        for pk in Response.objects.filter(survey=survey).values_list("pk", flat=True)
    }
    for response_id, unsur_id, value in Answer.objects.filter(response__survey=survey).values_list(
        "response_id", "unsur_id", "value"
    ):
        matrix[response_id][position[unsur_id]] = value
    return ikm.compute_ikm(matrix.values(), [u.weight for u in unsur])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--old-limit", type=int, default=100_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench/skm.py needs PostgreSQL: set DATABASE_URL")
    with throwaway_database():
        from sasaran.skm import services

        start = time.perf_counter()
        survey = generate(args.respondents)
        print(
            f"{args.respondents:,} respondents, {9 * args.respondents:,} answers "
            f"written in {time.perf_counter() - start:.1f} s"
        )

        def floor():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT a.unsur_id, SUM(a.value), COUNT(*) FROM sasaran_answer a "
                    "JOIN sasaran_response r ON r.id = a.response_id WHERE r.survey_id = %s "
                    "GROUP BY a.unsur_id",
                    [survey.pk],
                )
                return cursor.fetchall()

        def computed():
            services.result_changed(survey.pk)  # as a new respondent does
            return services.survey_result(survey)

        floor_time, _rows = best_of(3, floor)
        result_time, result = best_of(3, computed)
        cached_time, cached = best_of(3, lambda: services.survey_result(survey))
        assert cached.ikm == result.ikm and cached.respondents == result.respondents
        print(f"floor (one grouped query)   {floor_time * 1000:9.0f} ms")
        print(
            f"survey_result, computed     {result_time * 1000:9.0f} ms  "
            f"({result_time / floor_time:.2f}x the floor)  IKM {float(result.ikm.ikm):.2f}"
        )
        print(
            f"survey_result, cached       {cached_time * 1000:9.1f} ms  "
            f"({cached_time / floor_time:.4f}x the floor)  same IKM"
        )
        if args.respondents <= args.old_limit:
            old_time, old = best_of(1, lambda: old_result(survey))
            assert old == result.ikm, "the two computations disagree"
            print(
                f"before (answers in Python)  {old_time * 1000:9.0f} ms  "
                f"({old_time / floor_time:.2f}x the floor)  same IKM"
            )


if __name__ == "__main__":
    main()
