"""Load test: quarter's end with 50 officers and 5 heads of unit, two gunicorn instances on
one PostgreSQL, then the request floor; optionally with PostgreSQL restarted mid-run.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/load.py [--seconds 60] [--fault]

Loopback only. The script creates a fresh database `sasaran_load` on 127.0.0.1 (user
postgres), migrates it, loads the demo and generates 5 units (up-beban-0..4 under DPMPTSP
DKI) each with a head (kepala-beban-N) and 10 officers (petugas00..49), each officer holding
a position with 2 quarterly indicators of 2023. It starts two gunicorn instances (2 sync
workers each, DEBUG off, ports 8101 and 8102) and runs locust headless for --seconds:
officers log in, open Tugas saya, save and submit realisations; heads open their dashboard
and the review queue and approve. It prints requests/s, p50, p95 and errors per request
kind, then checks the database against every save the users saw acknowledged (302), and
measures the floor (the health view /sehat/) and each page alone as a ratio to it.

With --fault (bench/faults.py), PostgreSQL is restarted a third of the way into the run; the
script reports how the requests during the outage failed (status, slowest answer), whether
the app answered normally again afterwards without a restart, and checks the saves.
PostgreSQL is started again on exit in any case. Everything it starts is stopped on exit.
"""

import argparse
import collections
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
BIN = ROOT / ".venv" / "bin"
DB = "sasaran_load"
PORTS = (8101, 8102)
HOSTS = [f"http://127.0.0.1:{p}" for p in PORTS]
UNITS, OFFICERS_PER_UNIT, INDICATORS = 5, 10, 2
# The app servers on one core, the load generator (locust, wrk) on the other, so that the
# generator does not take the servers' CPU and cap what is measured (PostgreSQL, a system
# service, is not pinned). On a one-core machine nothing is pinned.
SERVER_CPUS, CLIENT_CPUS = "0", "1"


def pinned(cpus, command):
    """`command` run on `cpus` only (taskset), when the machine has more than one core."""
    if (os.cpu_count() or 1) < 2 or not shutil.which("taskset"):
        return [str(c) for c in command]
    return ["taskset", "-c", cpus, *map(str, command)]


def wrk(url, session, seconds, connections=4):
    """wrk on the client core against `url` (logged in with `session` if given):
    (requests/s, p50, p99, errors). Non-2xx answers are an error of the run."""
    header = ["-H", f"Cookie: sessionid={session}"] if session else []
    out = subprocess.run(
        pinned(
            CLIENT_CPUS,
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", *header, url],
        ),
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)[1]
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)[1]
    assert bad is None, f"{url}: {bad[0]}"
    return rps, p50, p99, errors[0] if errors else ""


def cluster():
    return sorted(os.listdir("/etc/postgresql"))[-1]


def pg_restart():
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", cluster(), "main", "restart"],
        check=True,
        timeout=120,
    )


def pg_ensure_running():
    status = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", cluster(), "main", "status"],
        capture_output=True,
        timeout=60,
    )
    if status.returncode != 0:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", cluster(), "main", "start"],
            check=True,
            timeout=120,
        )


def environment(static_root):
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "mutu.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-3f9c1e7a5b2d4f6a8c0e2g4i6k8m0o2q4s6u8w0y2",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "AXES_ENABLED": "false",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "ERROR",
    }


def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=600)


def setup_database(env):
    for cmd in (["dropdb", "--if-exists"], ["createdb"]):
        subprocess.run([*cmd, "-h", "127.0.0.1", "-U", "postgres", DB], check=True, timeout=60)
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "load_demo", "--without-examples", "--verbosity", "0")
    subprocess.run([PY, __file__, "--generate"], cwd=ROOT, env=env, check=True, timeout=600)


def generate():
    """Runs inside Django (a subprocess with the load environment)."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from sasaran.models import (
        Assignment,
        Indicator,
        Objective,
        Position,
        QualityManual,
        Section,
        Target,
        Unit,
        User,
    )

    password = make_password("sasaranmutu")  # hashed once, not 55 times
    parent = Unit.objects.get(code="dpmptsp-dki")
    with transaction.atomic():
        for u in range(UNITS):
            unit = Unit.objects.create(
                code=f"up-beban-{u}", name=f"UP Beban {u}", kind="up", parent=parent
            )
            head = Position.objects.create(unit=unit, name="Kepala Unit", level="kepala")
            user = User.objects.create(username=f"kepala-beban-{u}", password=password)
            Assignment.objects.create(user=user, position=head, role="head")
            manual = QualityManual.objects.create(
                unit=unit, year=2023, document_number="L2/MM-02", effective_date="2023-07-01"
            )
            section = Section.objects.create(
                manual=manual, order=1, level="staf", title="Staf Pelaksana"
            )
            for o in range(OFFICERS_PER_UNIT):
                n = u * OFFICERS_PER_UNIT + o
                position = Position.objects.create(unit=unit, name=f"Petugas {n}", level="staf")
                user = User.objects.create(username=f"petugas{n:02d}", password=password)
                Assignment.objects.create(user=user, position=position, role="staff")
                objective = Objective.objects.create(
                    section=section, number=o + 1, text=f"Sasaran petugas {n}"
                )
                for i in range(INDICATORS):
                    indicator = Indicator.objects.create(
                        objective=objective,
                        order=i + 1,
                        name=f"Jumlah berkas {n}-{i}",
                        measurement_method="Jumlah berkas selesai",
                        frequency="quarterly",
                        responsible_position=position,
                        kind="count",
                    )
                    Target.objects.bulk_create(
                        Target(indicator=indicator, period=p, value=100)
                        for p in ("Q1", "Q2", "Q3", "Q4")
                    )


def start_servers(env):
    servers = []
    for port in PORTS:
        servers.append(
            subprocess.Popen(
                pinned(
                    SERVER_CPUS,
                    [
                        BIN / "gunicorn",
                        "mutu.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "2",
                        "--timeout",
                        "30",
                        "--graceful-timeout",
                        "5",
                        "--log-level",
                        "warning",
                    ],
                ),
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
        )
    deadline = time.monotonic() + 60
    for host in HOSTS:
        while True:
            try:
                urllib.request.urlopen(host + "/sehat/", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{host} did not start") from None
                time.sleep(0.3)
    return servers


def stop(processes):
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def run_locust(env, users, seconds, classes, out, extra_env=None, spawn_rate=None):
    """Runs locust headless in its own process; returns (csv stats rows, recorded JSON)."""
    csv_prefix = out.with_suffix("")
    env = {
        **env,
        "LOAD_HOSTS": ",".join(HOSTS),
        "LOAD_OUT": str(out),
        **(extra_env or {}),
    }
    subprocess.run(
        pinned(
            CLIENT_CPUS,
            [
                BIN / "locust",
                "-f",
                ROOT / "bench" / "locustfile.py",
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(spawn_rate or users),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "10",
                "--host",
                HOSTS[0],
                "--csv",
                str(csv_prefix),
                "--only-summary",
                "--loglevel",
                "ERROR",
                "--exit-code-on-error",
                "0",
                *classes,
            ],
        ),
        cwd=ROOT,
        env=env,
        check=True,
        timeout=seconds + 120,
        stdout=subprocess.DEVNULL,
        stderr=open(out.with_suffix(".log"), "w"),
    )
    import csv

    with open(f"{csv_prefix}_stats.csv") as f:
        rows = list(csv.DictReader(f))
    return rows, json.loads(out.read_text())


def print_stats(rows):
    print(f"{'request':<16} {'count':>7} {'fail':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for row in rows:
        print(
            f"{row['Name']:<16} {row['Request Count']:>7} {row['Failure Count']:>5} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>7} {row['95%']:>7}"
        )


def check_saves(env, record):
    """Every acknowledged save is in the database with its value; nothing lost or doubled."""
    saves = record["saves"]
    script = (
        "import json,sys\n"
        "from sasaran.models import Realisation\n"
        "rows=Realisation.objects.filter(indicator__objective__section__manual__unit__code"
        "__startswith='up-beban-')\n"
        "json.dump([[r.indicator_id,r.period,str(r.value),r.status,r.version,"
        "r.history.count()] for r in rows], sys.stdout)\n"
    )
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    stored = collections.defaultdict(list)
    for indicator, period, value, status, version, history in json.loads(out.splitlines()[-1]):
        stored[(indicator, period)].append((value, status, version, history))
    attempted = collections.defaultdict(list)
    for save in sorted(saves, key=lambda s: s["at"]):
        attempted[(save["indicator"], save["period"])].append(save)
    lost, wrong, doubled, extra = [], [], [], []
    for key, tries in attempted.items():
        rows = stored.get(key, [])
        if len(rows) > 1:
            doubled.append(key)
        acked = [t for t in tries if t["ack"]]
        if not acked:
            continue
        if not rows:
            lost.append(key)
            continue
        value, status, version, history = rows[0]
        last = acked[-1]
        unacked_after = [t for t in tries if not t["ack"] and t["at"] > last["at"]]
        if int(float(value)) != last["value"] and not unacked_after:
            wrong.append((key, value, last["value"]))
        if last["action"] == "submit" and status not in ("submitted", "approved"):
            wrong.append((key, status, "submitted"))
        # Each acknowledged save wrote one version and one history record, no more.
        if not unacked_after and version < len(acked):
            wrong.append((key, f"version {version}", f"{len(acked)} saves"))
    extra = [key for key in stored if key not in attempted]
    acked = sum(1 for s in saves if s["ack"])
    print(
        f"saves attempted {len(saves)}, acknowledged {acked} on {len(stored)} realisations; "
        f"approvals acknowledged {sum(1 for a in record['approvals'] if a['ack'])}"
    )
    print(
        f"check: lost {len(lost)}, wrong value/status {len(wrong)}, doubled {len(doubled)}, "
        f"rows nobody saved {len(extra)}"
    )
    for item in (lost + wrong + doubled + extra)[:10]:
        print("   ", item)
    return not (lost or wrong or doubled or extra)


def login_session(username):
    """Logs in once through the app; returns the session cookie's value."""
    import http.cookiejar
    import re
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(HOSTS[0] + "/masuk/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    data = urllib.parse.urlencode(
        {"username": username, "password": "sasaranmutu", "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(HOSTS[0] + "/masuk/", data, timeout=30).read()
    return next(c.value for c in jar if c.name == "sessionid")


def floor_and_pages(env, seconds):
    """The health view, then each page alone, with wrk on the client core (4 connections, no
    think time); each page between two runs of the floor, its ratio to their mean."""
    script = (
        "from sasaran.models import Indicator\n"
        "print(Indicator.objects.filter(responsible_position__assignments__user__username="
        "'petugas00').order_by('pk').first().pk)\n"
    )
    pk = subprocess.run(
        [PY, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.split()[-1]
    pages = [
        ("login form", "/masuk/", ""),
        ("Tugas saya", "/tugas/", "petugas00"),
        ("entry form", f"/indikator/{pk}/Q1/", "petugas00"),
        ("dashboard", "/dasbor/up-beban-0/", "kepala-beban-0"),
        ("review queue", "/tinjau/", "kepala-beban-0"),
        ("demo dashboard (31 ind.)", "/dasbor/up-pmptsp-jaktim/", "kepala"),
    ]
    floor_url = HOSTS[0] + "/sehat/"
    floors = [wrk(floor_url, "", seconds)]
    results = []
    for label, path, user in pages:
        results.append((label, *wrk(HOSTS[0] + path, login_session(user) if user else "", seconds)))
        floors.append(wrk(floor_url, "", seconds))
    print(f"servers on CPU {SERVER_CPUS}, wrk on CPU {CLIENT_CPUS}, 4 connections, {seconds} s")
    print(f"{'page':<26} {'req/s':>7} {'p50':>8} {'p99':>8} {'ratio':>7}")
    rps, p50, p99, _ = floors[0]
    print(f"{'health view (floor)':<26} {rps:>7.1f} {p50:>8} {p99:>8} {1:>7.3f}")
    for i, (label, rps, p50, p99, errors) in enumerate(results):
        around = (floors[i][0] + floors[i + 1][0]) / 2
        print(f"{label:<26} {rps:>7.1f} {p50:>8} {p99:>8} {rps / around:>7.3f} {errors}")


def fault_report(record, restart_at, restarted_at):
    requests = record["requests"]
    window = [r for r in requests if restart_at - 0.5 <= r[0] <= restarted_at + 5]
    failed = [r for r in window if r[4] or r[2] >= 400 or r[2] == 0]
    statuses = collections.Counter(r[2] for r in failed)
    slowest = max((r[3] for r in window), default=0)
    first_ok = next(
        (r[0] for r in requests if r[0] > restarted_at and not r[4] and 0 < r[2] < 400), None
    )
    after = [r for r in requests if r[0] > restarted_at + 10]
    after_failed = [r for r in after if r[4] or r[2] >= 500 or r[2] == 0]
    print(
        f"PostgreSQL restart took {restarted_at - restart_at:.1f} s; during it and 5 s after: "
        f"{len(window)} requests, {len(failed)} failed {dict(statuses)}, "
        f"slowest answer {slowest:.0f} ms"
    )
    if first_ok is not None:
        print(f"first normal answer {first_ok - restarted_at:.1f} s after PostgreSQL was back")
    print(
        f"from 10 s after the restart to the end: {len(after)} requests, "
        f"{len(after_failed)} server errors"
    )
    return not after_failed and slowest < 30_000


def main(argv=None, fault=False):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the main run")
    parser.add_argument("--page-seconds", type=int, default=10, help="length of each floor run")
    parser.add_argument("--fault", action="store_true", default=fault)
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate:
        return generate()

    work = Path(tempfile.mkdtemp(prefix="sasaran-load-"))
    env = environment(work / "static")
    servers = []
    ok = True
    try:
        pg_ensure_running()
        print(f"setting up {DB} ...", flush=True)
        setup_database(env)
        servers = start_servers(env)
        print(
            f"{UNITS * OFFICERS_PER_UNIT} officers and {UNITS} heads for {args.seconds} s "
            f"against {' and '.join(HOSTS)}"
            + (" (PostgreSQL restarted mid-run)" if args.fault else ""),
            flush=True,
        )
        fault_times = {}
        if args.fault:
            import threading

            def restart_later():
                time.sleep(args.seconds / 3)
                fault_times["start"] = time.time()
                pg_restart()
                fault_times["end"] = time.time()

            threading.Thread(target=restart_later, daemon=True).start()
        started = time.time()
        rows, record = run_locust(
            env,
            UNITS * OFFICERS_PER_UNIT + UNITS,
            args.seconds,
            ["Officer", "Head"],
            work / "main.json",
            spawn_rate=10,  # the 55 users arrive over 5.5 s
        )
        print_stats(rows)
        total = next(r for r in rows if r["Name"] == "Aggregated")
        errors = int(total["Failure Count"])
        print(
            f"total {float(total['Requests/s']):.1f} req/s over {time.time() - started:.0f} s, "
            f"p50 {total['50%']} ms, p95 {total['95%']} ms, "
            f"max {float(total['Max Response Time']):.0f} ms, "
            f"errors {errors} ({100 * errors / max(1, int(total['Request Count'])):.2f} %)"
        )
        if args.fault:
            pg_ensure_running()
            ok = fault_report(record, fault_times["start"], fault_times["end"]) and ok
        ok = check_saves(env, record) and ok
        if not args.fault:
            floor_and_pages(env, args.page_seconds)
        else:
            # Recovered without a restart of the app servers: a logged-in page answers.
            rows, _ = run_locust(
                env,
                5,
                5,
                ["Page"],
                work / "after.json",
                {"LOAD_PAGE": "/tugas/", "LOAD_SESSION": login_session("petugas00")},
            )
            row = next(r for r in rows if r["Name"] == "/tugas/")
            recovered = int(row["Failure Count"]) == 0 and int(row["Request Count"]) > 0
            print(
                f"after the run, same servers: Tugas saya {row['Request Count']} requests, "
                f"{row['Failure Count']} failed -> {'recovered' if recovered else 'NOT recovered'}"
            )
            ok = recovered and ok
    finally:
        stop(servers)
        pg_ensure_running()
    print("RESULT:", "ok" if ok else "PROBLEMS FOUND")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
