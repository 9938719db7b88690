"""Parts of the management review that another app gives, registered by that app so that
siklus never imports it (the SOP changes come from `sop`, which `sasaran` must not import):

    from sasaran.siklus import hooks
    hooks.register_review_part("sop", _("Perubahan SOP"), sop_changes)

where `sop_changes(unit, first_day, last_day)` returns a list of text lines. Parts appear
in the order registered, on the page, in the PDF and in the workbook.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewPart:
    key: str
    title: str
    lines: Callable


REVIEW_PARTS: dict[str, ReviewPart] = {}


def register_review_part(key, title, lines):
    REVIEW_PARTS[key] = ReviewPart(key, title, lines)


def review_parts(unit, first_day, last_day):
    """[(title, [line, ...])] of every registered part."""
    return [
        (str(part.title), list(part.lines(unit, first_day, last_day)))
        for part in REVIEW_PARTS.values()
    ]
