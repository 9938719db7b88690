"""Who may see and work on which survey, in the style of `access`: 404 outside the scope.

A user with any assignment in the survey's unit sees its result and enters its paper
questionnaires; a superuser sees every survey. Everyone else gets 404.
"""

from django.shortcuts import get_object_or_404

from sasaran.models import Unit

from .models import Survey


def unit_ids(user):
    return set(user.assignments.values_list("position__unit_id", flat=True))


def visible_surveys(user):
    surveys = Survey.objects.select_related("unit")
    if user.is_superuser:
        return surveys
    return surveys.filter(unit__in=unit_ids(user))


def get_visible_survey(user, pk):
    return get_object_or_404(visible_surveys(user), pk=pk)


def has_surveys(user):
    """Whether the user may open the survey list at all (superuser or assigned to a unit)."""
    return user.is_superuser or Unit.objects.filter(pk__in=unit_ids(user)).exists()
