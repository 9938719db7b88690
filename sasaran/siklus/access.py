"""Who may see and work on which corrective action, in the shape of `sasaran.access`:
`get_action` returns the action and whether the user may change it, or answers 404.

- Whoever may open the indicator (`sasaran.access.visible_indicators`) sees its actions.
- Opening an action, editing it while open and marking it done is for whoever may change the
  indicator's realisations (its officer and its reviewers, `may_edit_indicator`) and for the
  action's owner.
- Judging its effectiveness is for the indicator's reviewers (the head), never the owner.
"""

from django.shortcuts import get_object_or_404

from sasaran import access as core_access

from .models import CorrectiveAction


def visible_actions(user):
    rows = CorrectiveAction.objects.select_related(
        "indicator__objective__section__manual__unit", "owner"
    )
    if user.is_superuser:
        return rows
    return rows.filter(indicator__in=core_access.visible_indicators(user))


def may_work_on(user, action):
    return action.owner_id == user.pk or core_access.may_edit_indicator(user, action.indicator)


def may_verify(user, action):
    if user.is_superuser:
        return True
    return action.owner_id != user.pk and core_access.is_reviewer_of(user, action.indicator)


def get_action(user, pk):
    """(corrective action, may work on it), or 404 outside `visible_actions`."""
    action = get_object_or_404(visible_actions(user), pk=pk)
    return action, may_work_on(user, action)


def visible_reviews(user):
    """Management reviews of the units whose dashboard the user may open."""
    from .models import ManagementReview

    return ManagementReview.objects.select_related("unit").filter(
        unit__in=core_access.visible_units(user)
    )


def get_review(user, pk):
    """(management review, may complete it: the head or admin of its unit), or 404."""
    review = get_object_or_404(visible_reviews(user), pk=pk)
    return review, core_access.manages_unit(user, review.unit)
