"""The reminder emails: at most one digest per person per day, in Indonesian.

What a digest holds, by the same rules as Tugas saya and the dashboard (`sasaran.periods`):

- for an officer, the periods of their own indicators still unfinished (missing, draft or
  returned) whose deadline is within `REMINDER_DAYS_BEFORE` days, and those already late
  (`periods.is_late`, with the indicator's polarity: a zero target where higher is better
  asks nothing); the values returned to them, with the reviewer's reason; their corrective
  actions past the due date;
- for a reviewer, the submitted values waiting for them (`queries.waiting_for_review`).

`send_reminders` is idempotent: a `ReminderDigest` row (unique user and date) is written in
the same transaction as the mail is sent, so running it twice a day sends nothing twice,
and a failed SMTP connection rolls the row back: the next run tries again. Users who
switched the reminders off (`ReminderPreference`) or have no address get nothing.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sasaran import access, periods, queries, results
from sasaran.models import Indicator, Realisation, Target, User
from sasaran.periods import Period

from .models import CorrectiveAction, ReminderDigest, ReminderPreference

log = logging.getLogger(__name__)


def absolute(path):
    return f"{settings.SITE_URL}{path}"


@dataclass
class Item:
    indicator: Indicator
    period: str
    year: int
    deadline: datetime.date
    url: str
    reason: str = ""

    @property
    def label(self):
        return f"{Period(self.period).label} {self.year}"


@dataclass
class Digest:
    user: User
    due_soon: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    returned: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    waiting_count: int = 0
    actions: list = field(default_factory=list)

    def __bool__(self):
        return bool(
            self.due_soon or self.overdue or self.returned or self.waiting_count or self.actions
        )


def _officer_items(user, today, digest):
    """Own indicators of the manuals whose deadlines may still fall today or later: this
    year's and last year's (TW 4's deadline is in January)."""
    indicators = (
        access.own_indicators(user)
        .filter(objective__section__manual__year__in=[today.year - 1, today.year])
        .with_structure()
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.all()),
            Prefetch("realisations", queryset=Realisation.objects.all()),
        )
        .distinct()
    )
    window = datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    for indicator in indicators:
        manual = indicator.objective.section.manual
        stored = {r.period: r for r in indicator.realisations.all()}
        for period in indicator.due_periods():
            row = stored.get(period)
            url = absolute(reverse("entry", args=[indicator.pk, period]))
            if row is not None and row.status == Realisation.Status.RETURNED:
                digest.returned.append(
                    Item(indicator, period, manual.year, None, url, row.return_reason)
                )
            deadline = periods.period_deadline(
                manual.year, period, manual.unit.report_deadline_days
            )
            unfinished = row is None or row.status in Realisation.EDITABLE
            target = results.target_of(indicator, period)
            polarity = indicator.polarity
            item = Item(indicator, period, manual.year, deadline, url)
            if periods.is_late(
                deadline=deadline,
                unfinished=unfinished,
                target=target,
                today=today,
                polarity=polarity,
            ):
                digest.overdue.append(item)
            elif (
                unfinished
                and today <= deadline <= today + window
                and not periods.nothing_due(target, polarity)
            ):
                digest.due_soon.append(item)


def build_digest(user, today):
    """What `user` should be told today (an empty Digest is falsy)."""
    digest = Digest(user)
    _officer_items(user, today, digest)
    waiting = queries.waiting_for_review(user).select_related(
        "indicator__objective__section__manual"
    )
    digest.waiting_count = waiting.count()
    digest.waiting = [
        Item(
            r.indicator,
            r.period,
            r.indicator.objective.section.manual.year,
            None,
            absolute(reverse("entry", args=[r.indicator_id, r.period])),
        )
        for r in waiting.order_by("submitted_at", "pk")[:20]
    ]
    digest.actions = [
        {
            "action": action,
            "url": absolute(reverse("siklus:action_detail", args=[action.pk])),
        }
        for action in CorrectiveAction.objects.filter(
            owner=user, status=CorrectiveAction.Status.OPEN, due_date__lt=today
        ).select_related("indicator")
    ]
    return digest


def recipients():
    """Active users with an address who did not switch the reminders off."""
    off = ReminderPreference.objects.filter(enabled=False).values("user")
    return User.objects.filter(is_active=True).exclude(email="").exclude(pk__in=off).order_by("pk")


def render_digest(digest, today):
    with translation.override("id"):
        context = {
            "digest": digest,
            "today": today,
            "tasks_url": absolute(reverse("tasks")),
            "review_url": absolute(reverse("review")),
            "preferences_url": absolute(reverse("siklus:reminders")),
        }
        subject = _("Pengingat Sasaran Mutu, %(date)s") % {"date": periods.long_date(today)}
        body = render_to_string("siklus/reminder_email.txt", context)
    return subject, body


@dataclass
class Outcome:
    sent: int = 0
    skipped: int = 0  # already sent today, or nothing to tell
    failed: int = 0


def send_reminders(*, today=None, users=None):
    """Send today's digests that are not sent yet. Returns an `Outcome`; a user whose mail
    failed has no digest row, so the next run tries again."""
    today = today or periods.today()
    outcome = Outcome()
    connection = get_connection()
    users = recipients() if users is None else users
    sent_today = set(ReminderDigest.objects.filter(date=today).values_list("user_id", flat=True))
    try:
        for user in users:
            if user.pk in sent_today:
                outcome.skipped += 1
                continue
            digest = build_digest(user, today)
            if not digest:
                outcome.skipped += 1
                continue
            subject, body = render_digest(digest, today)
            try:
                with transaction.atomic():
                    ReminderDigest.objects.create(
                        user=user, date=today, subject=subject[:200], body=body
                    )
                    EmailMessage(subject, body, to=[user.email], connection=connection).send()
            except IntegrityError:  # another run sent it meanwhile
                outcome.skipped += 1
            except (OSError, smtplib.SMTPException) as exc:
                log.warning("reminder to %s not sent: %s", user.username, exc)
                outcome.failed += 1
            else:
                outcome.sent += 1
    finally:
        connection.close()
    return outcome


def send_reminders_job():
    """The job the queue's cron scheduler runs (`sasaran.siklus.cron`)."""
    outcome = send_reminders()
    return {"sent": outcome.sent, "skipped": outcome.skipped, "failed": outcome.failed}
