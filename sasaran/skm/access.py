"""Who may see and work on which survey, in the shape of `sasaran.access`: `get_survey`
returns the survey and whether the user may change it, or answers 404 outside the scope.

A user in the survey's unit (`sasaran.access.member_units`: holding any position there) sees
its result and enters its paper questionnaires; a superuser does so for every survey.
Everyone else gets 404. The head of a parent unit does not see the surveys of the units
below (unlike their dashboards). Sending the IKM into a linked indicator is for that
indicator's officer and reviewers. The public questionnaire, opened by its service's token,
is not scoped to a user.
"""

from django.shortcuts import get_object_or_404

from sasaran import access as core_access

from .models import Survey


def visible_surveys(user):
    surveys = Survey.objects.select_related("unit")
    if user.is_superuser:
        return surveys
    return surveys.filter(unit__in=core_access.member_units(user))


def has_surveys(user):
    """Whether the user may open the survey list at all (superuser or in some unit)."""
    return user.is_superuser or core_access.member_units(user).exists()


def get_survey(user, pk):
    """(survey, may enter its questionnaires), or 404 outside `visible_surveys`. Whoever
    sees a survey also enters it."""
    return get_object_or_404(visible_surveys(user), pk=pk), True


def may_feed_link(user, link):
    """Whether `user` may send the survey's IKM to the link's indicator (a
    `SurveyIndicator`): the indicator's officer or one of its reviewers."""
    return core_access.may_edit_indicator(user, link.indicator)


def feedable_links(user, survey):
    """The survey's indicator links `user` may send its IKM to."""
    links = survey.indicator_links.select_related(
        "indicator__objective__section__manual", "service"
    )
    return [link for link in links if may_feed_link(user, link)]


def may_feed(user, survey):
    """Whether `user` may send the survey's IKM to at least one of its linked indicators."""
    return bool(feedable_links(user, survey))


def may_close(user, survey):
    """Whether `user` may close the survey (freezing its result) or open it again: the head
    or admin of its unit, and a superuser."""
    return core_access.manages_unit(user, survey.unit)


def may_manage_kiosks(user, survey):
    """Whether `user` may register this browser as a kiosk device of the survey's unit, and
    list and revoke its devices: the head or admin of the unit, and a superuser."""
    return core_access.manages_unit(user, survey.unit)
