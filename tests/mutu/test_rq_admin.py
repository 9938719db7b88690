"""django-rq belongs to Redis (issue 14): without REDIS_URL it is not installed (no admin pages
that try a Redis that is not there), a plain `manage.py dumpdata` works, and with Redis every
admin page of django-rq answers without a server error."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
REDIS_TEST_URL = "redis://127.0.0.1:6379/13"


def _redis_up():
    import redis

    try:
        return redis.Redis.from_url(REDIS_TEST_URL).ping()
    except redis.RedisError:
        return False


without_redis = pytest.mark.skipif(bool(settings.REDIS_URL), reason="REDIS_URL is set")


@without_redis
def test_without_redis_django_rq_is_not_installed(demo, client, django_user_model):
    assert not apps.is_installed("django_rq")
    admin = django_user_model.objects.create_superuser("root", "root@example.go.id", "x-1-y-2")
    client.force_login(admin)
    index = client.get("/admin/")
    assert index.status_code == 200 and "Django-RQ" not in index.content.decode()
    assert client.get("/admin/django_rq/dashboard/").status_code == 404


@without_redis
def test_a_plain_dumpdata_works(demo, tmp_path):
    # No arguments: before issue 14 it stopped on django-rq's table-less admin model.
    out = tmp_path / "all.json"
    call_command("dumpdata", output=str(out), verbosity=0)
    labels = {row["model"].split(".")[0] for row in json.loads(out.read_text())}
    assert {"sasaran", "sop"} <= labels


# Run in a process of its own: django-rq is installed only when REDIS_URL is set at start-up.
PROBE = r"""
import io, json, os, re
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import URLResolver, get_resolver
import django_rq
from rq import Worker
from sasaran.models import User

setup_test_environment()
call_command("migrate", verbosity=0)
user = User.objects.create_superuser("root", "root@example.go.id", "x-1-y-2")
queue = django_rq.get_queue("default")
queue.empty()
job = queue.enqueue("math.sqrt", 4)
worker = Worker([queue], connection=queue.connection)
worker.register_birth()
values = {
    "queue_index": "0", "connection_index": "0", "scheduler_index": "0", "job_id": job.id,
    "result_id": "0-0", "key": worker.key, "scheduler_name": "x", "cron_job_name": "x",
    "object_id": "1", "token": "x", "app_label": "django_rq",
}
values.update(json.loads(os.environ["PROBE_VALUES"]))  # a stale or mistyped address

def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)

client = Client(raise_request_exception=False)
client.force_login(user)
statuses = {}
for pattern in walk(get_resolver().url_patterns):
    if "django_rq" not in pattern:
        continue
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)\??", lambda m: values[m.group(1)], pattern)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], path)
    path = path.replace("^", "").replace("$", "").replace("/?", "/")
    statuses["/" + path] = client.get("/" + path).status_code
worker.register_death()
queue.empty()
dump = io.StringIO()
try:
    call_command("dumpdata", stdout=dump)
    dumped = len(json.loads(dump.getvalue()))
except Exception as exc:
    dumped = repr(exc)
print(json.dumps({"statuses": statuses, "dumped": dumped}))
"""


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
@pytest.mark.parametrize(
    "stale",
    [
        {},
        {"queue_index": "99"},
        {"job_id": "tidak-ada", "key": "rq:worker:tidak-ada", "result_id": "9-9"},
    ],
    ids=["real", "unknown queue", "unknown job and worker"],
)
def test_with_redis_every_django_rq_admin_page_answers(tmp_path, stale):
    env = {
        **os.environ,
        "PROBE_VALUES": json.dumps(stale),
        "DJANGO_SETTINGS_MODULE": "mutu.settings",
        "REDIS_URL": REDIS_TEST_URL,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'rq.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    statuses = report["statuses"]
    assert len(statuses) >= 20  # the queue, job and worker pages, the stats and the app index
    assert "/admin/django_rq/dashboard/" in statuses
    errors = {path: status for path, status in statuses.items() if status >= 500}
    assert not errors, errors
    if stale:  # before: IndexError, NoSuchJobError or a bare assert, each a server error
        stale_parts = [f"/{value}/" for value in stale.values()]
        looked_up = [path for path in statuses if any(part in path for part in stale_parts)]
        assert looked_up and all(statuses[path] in (404, 405) for path in looked_up), statuses
    assert isinstance(report["dumped"], int), report["dumped"]  # dumpdata works with it too
