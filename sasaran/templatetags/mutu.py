"""Numbers as the active language writes them (Indonesian: 1.234,5 and 87,28 %)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

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


@register.filter
def tanggal(value):
    """A date as the documents print it: 27 Juni 2023 (`periods.long_date`)."""
    return long_date(value)
