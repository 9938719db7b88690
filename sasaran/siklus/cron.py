"""The job queue's cron schedule of the reminders, for RQ's own cron scheduler (rq 2.x has
one; rq-scheduler is not needed): with REDIS_URL set, run beside `manage.py rqworker`

    DJANGO_SETTINGS_MODULE=mutu.settings .venv/bin/rq cron sasaran.siklus.cron --url "$REDIS_URL"

It enqueues `reminders.send_reminders_job` on the default queue at `REMINDER_CRON` (a cron
line in UTC; 00:00 UTC, 07:00 in Jakarta, by default). Running it next to a cron or systemd
timer of `send_reminders` does no harm: a user gets at most one digest a day either way.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutu.settings")
django.setup()

from django.conf import settings  # noqa: E402
from rq import cron  # noqa: E402

from sasaran.siklus.reminders import send_reminders_job  # noqa: E402

cron.register(send_reminders_job, "default", cron=settings.REMINDER_CRON, name="send_reminders")
