"""Where a user lands: heads on their dashboard, officers on Tugas saya (every period due
of the indicators of their positions)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .. import access, periods, queries, results
from ..dashboard import period_cell, with_rows
from ..models import Realisation


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
        manual = indicator.objective.section.manual
        for period in indicator.due_periods():
            # The dashboard's cell of this one period: the same lateness on both pages.
            cell = period_cell(
                indicator, period, scale, today, manual.year, manual.unit.report_deadline_days
            )
            row = cell.entries[0]
            tasks.append(
                {
                    "indicator": indicator,
                    "period": period,
                    "period_label": cell.period_label,
                    "row": row,
                    "result": cell.result,
                    "deadline": cell.deadline,
                    "late": cell.late,
                    "overdue": cell.overdue,
                    "days_late": cell.days_late,
                    "editable": row is None or row.status in Realisation.EDITABLE,
                }
            )
    is_reviewer = access.is_reviewer(request.user)
    context = {
        "tasks": tasks,
        "years": years,
        "year": year,
        "is_reviewer": is_reviewer,
        # (counted for reviewers only: the button that shows it is theirs)
        "waiting": queries.waiting_for_review(request.user).count() if is_reviewer else 0,
    }
    return render(request, "sasaran/home.html", context)
