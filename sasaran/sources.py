"""Realisations whose value another part of the application computes.

An index indicator such as "Indeks Kepuasan Masyarakat" takes its realisation from a
survey's IKM, "Persentase Penerbitan Izin Tepat Waktu" from the permit log: the officer does
not type it, the entry form shows where it comes from. The core does not know the survey or
the permit app (the import direction runs from `skm` and `perizinan` to the core, never
back): an app that computes values registers a finder here when it starts
(`AppConfig.ready`), and the entry form asks `linked_value()`.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class LinkedValue:
    """Where an indicator's value of one period comes from, and that value.

    `source` prints as the source's name in messages ("SKM TW 1 2023 — ..."), `url` is
    the page that shows it, `value` the value to store (None while it cannot be computed).
    A percentage counted by the source (permits on time of all permits issued) gives its
    `numerator` and `denominator` too: the entry form shows them, not typed.

    How the entry page names the source: "Nilai dari <origin>", the value as `value_name`,
    `empty_text` while there is no value, and `resend_hint` (how to send it again) when the
    stored value differs. Left empty, the survey's wording (SKM, IKM).
    """

    source: object
    url: str
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    origin: str = ""
    value_name: str = ""
    empty_text: str = ""
    resend_hint: str = ""


_finders = []


def register(finder):
    """`finder(indicator, period)` returns a LinkedValue or None."""
    if finder not in _finders:
        _finders.append(finder)


def linked_value(indicator, period):
    """The value another app gives this indicator in `period`, or None if it is typed."""
    for finder in _finders:
        found = finder(indicator, period)
        if found is not None:
            return found
    return None
