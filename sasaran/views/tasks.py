"""Where a user lands: heads on their dashboard, officers on Tugas saya (every period due
of the indicators of their positions)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .. import access, periods, queries, results
from ..dashboard import with_rows
from ..models import Realisation
from ..periods import Period


@login_required
def home(request):
    """Heads land on their unit's dashboard, everyone else on Tugas saya."""
    unit = access.home_unit(request.user)
    if unit is not None:
        return redirect("dashboard", code=unit.code)
    return redirect("tasks")


@login_required
def tasks(request):
    """Tugas saya: every period due of the indicators of the user's positions."""
    years = queries.user_years(request.user)
    year = periods.selected_year(request, years)
    indicators = with_rows(
        access.own_indicators(request.user).filter(objective__section__manual__year=year)
    )
    scale = results.category_scale()
    today = periods.today()
    tasks = []
    for indicator in indicators:
        stored = {r.period: r for r in indicator.realisations.all()}
        for period in indicator.due_periods():
            row = stored.get(period)
            deadline = periods.deadline(indicator, period)
            result = results.evaluate(indicator, period, scale)
            unfinished = row is None or row.status in Realisation.EDITABLE
            tasks.append(
                {
                    "indicator": indicator,
                    "period": period,
                    "period_label": Period(period).label,
                    "row": row,
                    "result": result,
                    "deadline": deadline,
                    "late": periods.is_late(
                        deadline=deadline, unfinished=unfinished, target=result.target, today=today
                    ),
                    "editable": unfinished,
                }
            )
    context = {
        "tasks": tasks,
        "years": years,
        "year": year,
        "is_reviewer": access.is_reviewer(request.user),
        "waiting": queries.waiting_for_review(request.user).count(),
    }
    return render(request, "sasaran/home.html", context)
