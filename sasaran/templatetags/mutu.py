"""Numbers as the active language writes them (Indonesian: 1.234,5 and 87,28 %)."""

import functools
from decimal import Decimal

from django import template
from django.template.loader import render_to_string
from django.utils.formats import localize, number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from sasaran import targets
from sasaran.numbers import round_half_up, scaled
from sasaran.periods import long_date

register = template.Library()


@register.filter
def num(value, places=None):
    """A figure with grouping; whole numbers without decimals, others with two."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    if places is None:
        places = 0 if value == value.to_integral_value() else 2
    # Rounded half up here: number_format cuts a Decimal's extra digits (78,1481 -> 78,14).
    value = round_half_up(value, int(places))
    return number_format(value, int(places), use_l10n=True, force_grouping=True)


@register.filter
def pct(value):
    if value is None or value == "":
        return "—"
    return f"{num(value, 2)} %"


@register.filter
def figure(value, indicator):
    """A realisation or target in the indicator's own terms."""
    if value is None or value == "":
        return "—"
    if indicator.kind == "money":
        return f"Rp {num(value, 0)}"
    if indicator.kind == "percentage":
        return pct(value)
    return num(value)


@register.filter
def rupiah_short(value):
    """Money as the office's documents write it: 18,605 T; 250 M; Rp 1.500.000 below that."""
    if value is None:
        return "—"
    if big := scaled(value, smallest="M"):
        amount = big[0].normalize()
        return f"{num(amount, min(max(0, -amount.as_tuple().exponent), 3))} {big[1]}"
    return f"Rp {num(value, 0)}"


@register.simple_tag
def target_text(value, upper, indicator, document=False):
    """A target as the office writes it (`sasaran.targets.target_text`, the one definition
    the exports use too): "≥ 80 %", "≤ 3 hari kerja", "80–90 %", "0", "4 (A)", "≥ 84";
    `document=True` as the document's target cells print it (no unit)."""
    return targets.target_text(indicator, value, upper, document=document)


# The small pieces every table row shows. They are tags, not `{% include %}`d partials: a
# page of 60 rows included 240 partials, most of Tugas saya's rendering time.


def _money_short(value, full):
    """Big money as the documents write it (7,442 T), the whole figure on hover."""
    short = rupiah_short(value)
    return format_html('<abbr title="{}">{}</abbr>', full, short) if short != full else full


@register.simple_tag
def target_cell(value, upper, indicator):
    """A target in a table as the document writes it (`target_text`: a range, at least /
    at most); big money short."""
    if value is None or value == "":
        return "—"
    full = targets.target_text(indicator, value, upper)
    if indicator.kind == "money" and upper is None:
        return _money_short(value, full)
    return full


@register.simple_tag
def figure_cell(value, indicator):
    """A target or realisation in a table (`figure`); big money short."""
    full = figure(value, indicator)
    if indicator.kind == "money" and value is not None and value != "":
        return _money_short(value, full)
    return full


@functools.cache
def _lock_icon():
    return mark_safe(render_to_string("sasaran/_lock.html").strip())


STATUS_BADGE = {
    "approved": "text-bg-success",
    "submitted": "text-bg-primary",
    "returned": "text-bg-warning",
}


@register.simple_tag
def status_badge(row):
    """A realisation's workflow status as a badge (a lock once approved), or "Belum diisi"."""
    if not row:
        return format_html(
            '<span class="badge text-bg-light border">{}</span>', gettext("Belum diisi")
        )
    return format_html(
        '<span class="badge status-{} {}">{}{}</span>',
        row.status,
        STATUS_BADGE.get(row.status, "text-bg-secondary"),
        format_html("{} ", _lock_icon()) if row.status == "approved" else "",
        row.get_status_display(),
    )


@register.simple_tag
def lateness_badge(days_late, overdue=False):
    """A period's lateness: the days late recorded at its first submission (for good), else
    "terlambat" while it is past the deadline and not submitted."""
    if days_late:
        text = ngettext("terlambat %(days)s hari", "terlambat %(days)s hari", days_late) % {
            "days": localize(days_late)
        }
    elif overdue:
        text = gettext("terlambat")
    else:
        return ""
    return format_html('<span class="badge text-bg-danger terlambat">{}</span>', text)


@register.filter
def tanggal(value):
    """A date as the documents print it: 27 Juni 2023 (`periods.long_date`)."""
    return long_date(value)
