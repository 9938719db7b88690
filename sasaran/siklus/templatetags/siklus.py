"""Corrective actions shown on pages of the core: `{% load siklus %}` then
`{% unit_corrective_actions unit %}` on the head's dashboard and
`{% indicator_corrective_actions indicator %}` on the indicator page. The core's templates
call these tags; the core's code never imports this app."""

from django import template

from sasaran import access as core_access
from sasaran import periods
from sasaran.periods import Period

from .. import services

register = template.Library()


@register.inclusion_tag("siklus/_unit_actions.html", takes_context=True)
def unit_corrective_actions(context, unit):
    """The unit's open and overdue actions (for the head's dashboard)."""
    today = periods.today()
    actions = list(services.unit_actions(unit))
    for action in actions:
        action.overdue = action.is_overdue(today)
    actions.sort(key=lambda a: (not a.overdue, a.due_date, a.pk))
    return {
        "unit": unit,
        "actions": actions,
        "overdue_count": sum(1 for a in actions if a.overdue),
        "request": context.get("request"),
    }


@register.inclusion_tag("siklus/_indicator_actions.html", takes_context=True)
def indicator_corrective_actions(context, indicator):
    """The indicator's actions, and its missed periods without one (with a button to open
    one for whoever may change the indicator)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    today = periods.today()
    actions = list(indicator.corrective_actions.select_related("owner").order_by("period", "pk"))
    for action in actions:
        action.overdue = action.is_overdue(today)
    may_open = bool(user) and core_access.may_edit_indicator(user, indicator)
    return {
        "indicator": indicator,
        "actions": actions,
        "missed": [(p, Period(p).label) for p in services.missed_without_action(indicator)]
        if may_open
        else [],
        "request": request,
    }
