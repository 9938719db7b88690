"""Throughput of the logged-in pages against a trivial login-required view, with wrk.

Creates a fresh PostgreSQL database `pages_bench` (127.0.0.1, user postgres), migrates,
loads the demo with its example realisations and adds an officer (`petugas-60`) in a unit
of its own with 15 quarterly indicators of 2023 (Tugas saya of 60 rows). Starts gunicorn
(2 sync workers, DEBUG off, axes off) pinned to CPU 0 with `taskset`, and runs wrk pinned
to CPU 1 (PostgreSQL, a system service, is not pinned), so that the load generator does not
take the servers' core and cap the floor.

The floor is `/bench/lantai/` of `bench/pages_urls.py`: a login-required view that answers
"ok" (session and user read, as on every page, nothing rendered); the settings
`bench/pages_settings.py` put it in front of the project's addresses for this run only.
Each page is measured between two runs of the floor (floor, page, floor, page, ... floor),
and its ratio is its requests per second over the mean of the two floors around it.

    .venv/bin/python bench/pages.py [--seconds 8] [--connections 4]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import load  # noqa: E402  (bench/load.py: the environment and the database helpers)

ROOT, PY, BIN = load.ROOT, load.PY, load.BIN
DB = "pages_bench"
PORT = 8111
HOST = f"http://127.0.0.1:{PORT}"
OFFICER = "petugas-60"


def environment(static_root):
    env = load.environment(static_root)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "pages_settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
            # The project first: bench/sop.py must not hide the sop app.
            "PYTHONPATH": f"{ROOT}:{HERE}",
        }
    )
    return env


def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=900)


def setup_database(env):
    for cmd in (["dropdb", "--if-exists"], ["createdb"]):
        subprocess.run([*cmd, "-h", "127.0.0.1", "-U", "postgres", DB], check=True, timeout=60)
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "load_demo", "--verbosity", "0")
    return subprocess.run(
        [PY, __file__, "--generate"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
        capture_output=True,
        text=True,
    ).stdout.split()


def generate():
    """Runs inside Django: the officer of 60 rows; prints the pks the pages need."""
    import django

    sys.path.insert(0, str(ROOT))  # before bench/ (bench/sop.py is not the sop app)
    django.setup()
    from django.contrib.auth.hashers import make_password

    from sasaran.models import (
        Assignment,
        Indicator,
        Objective,
        Position,
        QualityManual,
        Realisation,
        Section,
        Target,
        Unit,
        User,
    )

    parent = Unit.objects.get(code="dpmptsp-dki")
    unit = Unit.objects.create(code="up-enam-puluh", name="UP Enam Puluh", kind="up", parent=parent)
    position = Position.objects.create(unit=unit, name="Petugas", level="staf")
    user = User.objects.create(username=OFFICER, password=make_password("sasaranmutu"))
    Assignment.objects.create(user=user, position=position, role="staff")
    manual = QualityManual.objects.create(
        unit=unit, year=2023, document_number="L2/MM-02", effective_date="2023-07-01"
    )
    section = Section.objects.create(manual=manual, order=1, level="staf", title="Staf")
    objective = Objective.objects.create(section=section, number=1, text="Sasaran")
    first = None
    for i in range(15):
        indicator = Indicator.objects.create(
            objective=objective,
            order=i + 1,
            name=f"Jumlah berkas {i}",
            measurement_method="Jumlah berkas selesai",
            frequency="quarterly",
            responsible_position=position,
            kind="count",
        )
        Target.objects.bulk_create(
            Target(indicator=indicator, period=p, value=100) for p in ("Q1", "Q2", "Q3", "Q4")
        )
        Realisation.objects.create(
            indicator=indicator, period="Q1", value=90 + i, entered_by=user, status="draft"
        )
        first = first or indicator
    # The head's page of an indicator of his unit with its figures.
    shown = (
        Indicator.objects.filter(
            objective__section__manual__unit__code="up-pmptsp-jaktim",
            objective__section__manual__year=2023,
            realisations__isnull=False,
        )
        .order_by("pk")
        .first()
    )
    print(first.pk, shown.pk)


def start_server(env):
    server = subprocess.Popen(
        load.pinned(
            load.SERVER_CPUS,
            [
                BIN / "gunicorn",
                "mutu.wsgi:application",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
        ),
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(HOST + "/sehat/", timeout=2).read()
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                if server.poll() is None:
                    os.killpg(server.pid, 15)
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.3)


def login_session(username):
    import http.cookiejar
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(HOST + "/masuk/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    data = urllib.parse.urlencode(
        {"username": username, "password": "sasaranmutu", "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(HOST + "/masuk/", data, timeout=30).read()
    return next(c.value for c in jar if c.name == "sessionid")


def check(path, session):
    request = urllib.request.Request(HOST + path, headers={"Cookie": f"sessionid={session}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
        assert response.status == 200 and response.url == HOST + path, (path, response.url)
    return len(body)


def wrk(path, session, seconds, connections):
    rps, p50, _p99, errors = load.wrk(HOST + path, session, seconds, connections)
    return rps, p50, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--only", help="only the pages whose label contains this")
    args = parser.parse_args()
    if args.generate:
        return generate()

    work = Path(tempfile.mkdtemp(prefix="pages-bench-"))
    env = environment(work / "static")
    load.pg_ensure_running()
    entry_pk, indicator_pk = setup_database(env)
    server = start_server(env)
    try:
        officer, head = login_session(OFFICER), login_session("kepala")
        floor = ("trivial login-required view (floor)", "/bench/lantai/", officer)
        pages = [
            ("health view /sehat/", "/sehat/", officer),
            ("base.html alone", "/bench/dasar/", officer),
            ("Tugas saya (60 rows)", "/tugas/?tahun=2023", officer),
            ("entry form", f"/indikator/{entry_pk}/Q1/", officer),
            ("dashboard (31 indicators)", "/dasbor/up-pmptsp-jaktim/?tahun=2023&tw=3", head),
            ("review queue", "/tinjau/", head),
            ("indicator page", f"/indikator/{indicator_pk}/", head),
        ]
        if args.only:
            pages = [p for p in pages if args.only in p[0]]
        for _label, path, session in [floor, *pages]:
            check(path, session)
            wrk(path, session, 2, args.connections)  # warm both workers
        floors = [wrk(floor[1], officer, args.seconds, args.connections)]
        rows = []
        for label, path, session in pages:
            rows.append((label, path, *wrk(path, session, args.seconds, args.connections)))
            floors.append(wrk(floor[1], officer, args.seconds, args.connections))
        print(
            f"servers on CPU {load.SERVER_CPUS}, wrk on CPU {load.CLIENT_CPUS}, "
            f"{args.connections} connections, {args.seconds} s a run"
        )
        print(f"{'page':<38} {'req/s':>8} {'p50':>9} {'floor req/s':>12} {'ratio':>7}")
        print(f"{floor[0]:<38} {floors[0][0]:>8.1f} {floors[0][1]:>9}")
        for i, (label, _path, rps, p50, errors) in enumerate(rows):
            around = (floors[i][0] + floors[i + 1][0]) / 2
            print(f"{label:<38} {rps:>8.1f} {p50:>9} {around:>12.1f} {rps / around:>7.3f} {errors}")
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
