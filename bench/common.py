"""What the in-process benchmarks share: the best time of a few runs."""

import time


def best_of(runs, function):
    """(the shortest time of `runs` calls of `function`, in seconds; what it returned)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return min(times), value
