"""What the in-process benchmarks share: the best time of a few runs, and a throw-away
database."""

import contextlib
import time


def best_of(runs, function):
    """(the shortest time of `runs` calls of `function`, in seconds; what it returned)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return min(times), value


def best_alternated(runs, *functions):
    """The shortest time of each of `functions` over `runs` rounds, each round calling them
    one after the other: a slower minute of the machine weighs on all of them alike."""
    best = [float("inf")] * len(functions)
    for _ in range(runs):
        for index, function in enumerate(functions):
            best[index] = min(best[index], best_of(1, function)[0])
    return best


@contextlib.contextmanager
def throwaway_database():
    """A test database made for the run and dropped after it, as the test runner makes one
    (PostgreSQL with DATABASE_URL, else SQLite), with Django's test environment (DEBUG off,
    mails kept in memory)."""
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
