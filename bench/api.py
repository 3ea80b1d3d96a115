"""The REST API at organisation scale, against PostgreSQL and Redis, beside a `values()` floor.

    .venv/bin/python bench/api.py [--sizes 200,20000] [--seconds 5] [--concurrency 16] [--processes 2]
                                  [--database-url postgres://postgres@127.0.0.1:5432/mentoring_api_bench]
                                  [--redis-url redis://127.0.0.1:6379/3] [--reuse] [--only-db]
                                  [--match 10000] [--layouts gthread,daphne,floor] [--rounds 2]

0. A match run (skipped with --match 0): bench/matching.py's random instance of --match mentees and 40%
   as many volunteers, stored as an organisation with one open help request per mentee, run through the
   app as the Celery task runs it (load, solve, store the proposals). Target: <= 5 s end to end.

Setup (skipped with --reuse): drops and recreates the database named in --database-url, migrates it and
stores one organisation per size, each with that many volunteers, mentees, help requests, pairings,
sessions, slots and conversations (rows written with bulk_create: building 40,000 people through the
services would take longer than the benchmark), and a coordinator with an API token.

1. Database time per page, in this process: each coordinator list (and a volunteer's detail) fetched 15
   times through the real API stack (token, throttle, view, serializer) as the coordinator of each
   organisation; the least (of the 12 warm runs: what other load on the machine disturbs least) summed
   time of its SQL statements, its query count, and its CPU time beside
   the floor: the same 25 rows read with `values()` and dumped to JSON; and PostgreSQL's own time for the
   same statements (planning and execution, EXPLAIN ANALYZE, least of 6), which the client process'
   scheduling on a loaded machine does not disturb. Target: PostgreSQL's time at the largest size at most
   1.5 x the smallest (the client's time is printed beside it).
2. Served (skipped with --only-db): the layout docs/deploy.md recommends for HTTP (gthread: gunicorn with
   config/gunicorn.py, --processes workers of WEB_THREADS threads, 2 by default, on config.wsgi) beside daphne
   (--processes daphne processes on config.asgi, what serves the WebSockets; `sync` adds gunicorn's sync
   workers), all serving at once and measured in --rounds turns per endpoint that alternate the layouts,
   with the production settings (DEBUG off), PostgreSQL, Redis. For each endpoint of the largest organisation,
   --concurrency keep-alive clients (split over two load-generator processes and over the server
   processes) ask for --seconds: req/s, p99, errors (any non-200), new PostgreSQL connections
   per request (connections of the served processes that started during the run, watched in
   pg_stat_activity), and the server processes' CPU per request beside the `values()` floor, in process
   and served (3.). Targets: detail >= 400 req/s, lists >= 200 req/s, p99 <= 100 ms, 0 errors, 0 new
   connections, server CPU per list request <= 3 x the floor served in the same turns (when the `floor`
   layout runs, as by default: both then pay for the HTTP server and the load on the machine alike), else
   <= 3 x the floor in process.
3. The floor served (layout `floor`, in the same turns): gunicorn with config/gunicorn.py on
   bench/floor_wsgi.py, which answers each page with its rows read with `values()` and dumped to JSON and
   does nothing else: the served API's CPU per request beside what the HTTP server, the connection and the
   floor's query cost under the same load.

The load generator runs on the same machine: its CPU is taken from the server's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import machine  # noqa: E402
from tests.chat.realtime import free_port, wait_for_port  # noqa: E402

SECRET_KEY = "bench-only-secret-key-" + "a" * 48
APP_NAME = "mentoring-api-bench"
LISTS = ["volunteers", "mentees", "help-requests", "pairings", "sessions", "slots", "conversations"]
TARGET_DETAIL_RPS, TARGET_LIST_RPS, TARGET_P99_MS, TARGET_CPU_X, TARGET_DB_GROWTH = 400, 200, 100, 3.0, 1.5


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def django_env(database_url: str, redis_url: str) -> dict:
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECURE_SSL_REDIRECT="0",
        THROTTLE_USER="100000000/min",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        PGAPPNAME=APP_NAME,
    )


def recreate_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


# Data -------------------------------------------------------------------------------------------------


def seed(size: int) -> dict:
    """An organisation with `size` rows of each kind; returns its coordinator's token and some ids."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import Language, Organisation, Role, Skill, User, UserLanguage
    from chat.models import Conversation
    from mentees.models import HelpRequest, Mentee
    from scheduling.models import MentoringSession, Pairing, Slot, SlotBooking, SlotSignup
    from volunteers.models import Volunteer

    slug = f"bench-{size}"
    org = Organisation.objects.create(name=f"Bench {size}", slug=slug, country="ES", city="Madrid")
    password = make_password("bench-password-not-secret")
    coordinator = User.objects.create(
        email=f"coordinator@{slug}.example",
        display_name="Coordinator",
        role=Role.COORDINATOR,
        organisation=org,
        password=password,
    )
    skills = list(Skill.objects.all())
    languages = list(Language.objects.order_by("code").values_list("code", flat=True)[:12])
    today = timezone.localdate()
    now = timezone.now()

    def people(role: str) -> list[User]:
        users = [
            User(
                email=f"{role}{i}@{slug}.example",
                display_name=f"{role.title()} {i}",
                role=role,
                organisation=org,
                password=password,
                timezone="Europe/Madrid",
            )
            for i in range(size)
        ]
        users = User.objects.bulk_create(users, batch_size=2000)
        UserLanguage.objects.bulk_create(
            [
                UserLanguage(user=u, language_id=languages[i % len(languages)], level="fluent")
                for i, u in enumerate(users)
            ],
            batch_size=5000,
        )
        return users

    volunteers = Volunteer.objects.bulk_create(
        [
            Volunteer(
                user=u,
                organisation=org,
                capacity=2,
                vetting_status="verified",
                vetting_checked_on=today - datetime.timedelta(days=30),
                vetting_expires_on=today + datetime.timedelta(days=300 - i % 400),
            )
            for i, u in enumerate(people(Role.VOLUNTEER))
        ],
        batch_size=5000,
    )
    Volunteer.skills.through.objects.bulk_create(
        [
            Volunteer.skills.through(volunteer_id=v.pk, skill_id=skills[(i + k) % len(skills)].pk)
            for i, v in enumerate(volunteers)
            for k in range(2)
        ],
        batch_size=5000,
    )
    mentees = Mentee.objects.bulk_create(
        [
            Mentee(user=u, organisation=org, birth_year=today.year - 20 - i % 20)
            for i, u in enumerate(people(Role.MENTEE))
        ],
        batch_size=5000,
    )
    requests = HelpRequest.objects.bulk_create(
        [
            HelpRequest(mentee=m, organisation=org, description="Help with a CV", status="open" if i % 2 else "matched")
            for i, m in enumerate(mentees)
        ],
        batch_size=5000,
    )
    HelpRequest.needs.through.objects.bulk_create(
        [
            HelpRequest.needs.through(helprequest_id=r.pk, skill_id=skills[i % len(skills)].pk)
            for i, r in enumerate(requests)
        ],
        batch_size=5000,
    )
    pairings = Pairing.objects.bulk_create(
        [
            Pairing(
                organisation=org,
                mentee=m,
                volunteer=volunteers[i],
                help_request=requests[i],
                status="active",
                score=1.0,
                reasons=[{"kind": "need", "text": "CV"}],
                decided_by=coordinator,
                decided_at=now,
            )
            for i, m in enumerate(mentees)
        ],
        batch_size=5000,
    )
    Conversation.objects.bulk_create([Conversation(pairing=p, organisation=org) for p in pairings], batch_size=5000)
    slots = Slot.objects.bulk_create(
        [
            Slot(
                organisation=org,
                created_by=coordinator,
                host=volunteers[i] if i % 3 == 0 else None,
                start=now + datetime.timedelta(hours=i + 1),
                end=now + datetime.timedelta(hours=i + 2),
                topic=f"Slot {i}",
                volunteers_needed=2,
                mentee_places=3,
            )
            for i in range(size)
        ],
        batch_size=5000,
    )
    SlotSignup.objects.bulk_create(
        [SlotSignup(slot=s, volunteer=volunteers[i]) for i, s in enumerate(slots)], batch_size=5000
    )
    SlotBooking.objects.bulk_create(
        [SlotBooking(slot=s, mentee=mentees[i]) for i, s in enumerate(slots)], batch_size=5000
    )
    MentoringSession.objects.bulk_create(
        [
            MentoringSession(
                pairing=p,
                organisation=org,
                slot=slots[i],
                start=now + datetime.timedelta(days=i % 60, hours=1),
                end=now + datetime.timedelta(days=i % 60, hours=2),
                booked_by=coordinator,
            )
            for i, p in enumerate(pairings)
        ],
        batch_size=5000,
    )
    token = Token.objects.create(user=coordinator).key
    return {"size": size, "token": token, "volunteer": volunteers[size // 2].pk, "mentee": mentees[size // 2].pk}


def seed_match(n_mentees: int) -> int:
    """bench/matching.py's random instance (n_mentees mentees, 40% as many volunteers) stored as an
    organisation: every mentee with one open help request. Returns the organisation's id."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import Language, Organisation, Role, Skill, User, UserLanguage
    from bench.matching import generate
    from mentees.models import HelpRequest, Mentee
    from scheduling.models import DAY_CODES, AvailabilityWindow
    from volunteers.models import Volunteer

    instance = generate(n_mentees, seed=1)
    slug = f"bench-match-{n_mentees}"
    org = Organisation.objects.create(name=slug, slug=slug, country="ES")
    password = make_password("bench-password-not-secret")
    skills = dict(Skill.objects.values_list("slug", "pk"))
    known_languages = set(Language.objects.values_list("code", flat=True))
    today, now = timezone.localdate(), timezone.now()

    def store_people(entries: list[dict], role: str) -> list[User]:
        users = User.objects.bulk_create(
            [
                User(
                    email=f"{e['id']}@{slug}.example",
                    display_name=e["id"],
                    role=role,
                    organisation=org,
                    password=password,
                    timezone=e["timezone"],
                )
                for e in entries
            ],
            batch_size=5000,
        )
        languages, windows = [], []
        for user, entry in zip(users, entries, strict=True):
            for item in entry["languages"]:
                code, level = (item["code"], item["level"]) if isinstance(item, dict) else (item, "fluent")
                if code in known_languages:
                    languages.append(UserLanguage(user=user, language_id=code, level=level))
            seen = set()
            for w in entry["availability"]:
                start = int(w["start"][:2]) * 60 + int(w["start"][3:])
                end = int(w["end"][:2]) * 60 + int(w["end"][3:])
                if (w["day"], start) not in seen and start < end:
                    seen.add((w["day"], start))
                    windows.append(
                        AvailabilityWindow(user=user, day=DAY_CODES.index(w["day"]), start_minute=start, end_minute=end)
                    )
        UserLanguage.objects.bulk_create(languages, batch_size=5000)
        AvailabilityWindow.objects.bulk_create(windows, batch_size=5000)
        return users

    v_entries, m_entries = instance["volunteers"], instance["mentees"]
    volunteers = Volunteer.objects.bulk_create(
        [
            Volunteer(
                user=u,
                organisation=org,
                capacity=e["capacity"],
                vetting_status="verified" if e["vetted"] else "pending",
                vetting_checked_on=today - datetime.timedelta(days=30) if e["vetted"] else None,
                vetting_expires_on=today + datetime.timedelta(days=300) if e["vetted"] else None,
            )
            for u, e in zip(store_people(v_entries, Role.VOLUNTEER), v_entries, strict=True)
        ],
        batch_size=5000,
    )
    Volunteer.skills.through.objects.bulk_create(
        [
            Volunteer.skills.through(volunteer_id=v.pk, skill_id=skills[slug_])
            for v, e in zip(volunteers, v_entries, strict=True)
            for slug_ in e["skills"]
            if slug_ in skills
        ],
        batch_size=5000,
    )
    minor_year, adult_year = today.year - 16, today.year - 25
    mentees = Mentee.objects.bulk_create(
        [
            Mentee(
                user=u,
                organisation=org,
                birth_year=minor_year if e["minor"] else adult_year,
                **(
                    {
                        "consent_guardian_name": "Guardian",
                        "consent_given_on": today,
                        "consent_method": "signed_form",
                        "consent_recorded_at": now,
                    }
                    if e["minor"]
                    else {}
                ),
            )
            for u, e in zip(store_people(m_entries, Role.MENTEE), m_entries, strict=True)
        ],
        batch_size=5000,
    )
    requests = HelpRequest.objects.bulk_create(
        [HelpRequest(mentee=m, organisation=org, status="open") for m in mentees], batch_size=5000
    )
    HelpRequest.needs.through.objects.bulk_create(
        [
            HelpRequest.needs.through(helprequest_id=r.pk, skill_id=skills[slug_])
            for r, e in zip(requests, m_entries, strict=True)
            for slug_ in e["needs"]
            if slug_ in skills
        ],
        batch_size=5000,
    )
    return org.pk


def measure_match(organisation_id: int) -> dict:
    """One match run through the app as the Celery task runs it: load, solve, store the proposals."""
    from accounts.models import User
    from scheduling.models import MatchRun, Pairing
    from scheduling.selectors import match_instance
    from scheduling.services.match_runs import match_run_execute

    Pairing.objects.filter(organisation_id=organisation_id).delete()  # a rerun starts from no proposals
    coordinator = User.objects.filter(organisation_id=organisation_id).first()
    started = time.perf_counter()
    instance, _ = match_instance(MatchRun(organisation_id=organisation_id, min_overlap_minutes=60))
    load_s = time.perf_counter() - started
    run = MatchRun.objects.create(organisation_id=organisation_id, started_by=coordinator, weights={})
    started = time.perf_counter()
    run = match_run_execute(run.pk)
    total_s = time.perf_counter() - started
    assert run.status == "succeeded", run.error
    matcher_s = sum(v for k, v in run.timings.items() if k.endswith("_s") and k != "total_s")
    return {
        "mentees": len(instance["mentees"]),
        "volunteers": len(instance["volunteers"]),
        "matched": run.matched,
        "total_s": total_s,
        "load_s": load_s,
        "matcher_s": matcher_s,
        "store_s": max(0.0, total_s - load_s - matcher_s),
        "timings": run.timings,
    }


# 1. Database time per page, in process -----------------------------------------------------------------


def floor_page(path: str, user) -> str:
    """The floor: the same page's rows with values(), dumped to JSON, no serializer."""
    from chat.models import Conversation
    from mentees.models import HelpRequest, Mentee
    from scheduling.models import MentoringSession, Pairing, Slot
    from volunteers.models import Volunteer

    models = {
        "volunteers": Volunteer,
        "mentees": Mentee,
        "help-requests": HelpRequest,
        "pairings": Pairing,
        "sessions": MentoringSession,
        "slots": Slot,
        "conversations": Conversation,
    }
    name = path.strip("/").split("/")[1]
    model = models[name]
    fields = [f.attname for f in model._meta.concrete_fields]
    qs = model.objects.visible_to(user)
    if name not in LISTS or path.rstrip("/").split("/")[-1].isdigit():
        qs = qs.filter(pk=int(path.rstrip("/").split("/")[-1]))
    return json.dumps({"results": list(qs.values(*fields)[:25])}, default=str)


def measure_in_process(orgs: list[dict]) -> dict:
    """Runs alternate between the organisations, so load from elsewhere on the machine hits both alike."""
    from django.db import connection
    from rest_framework.test import APIClient

    from accounts.models import User

    users, clients = {}, {}
    for org in orgs:
        users[org["size"]] = User.objects.get(auth_token__key=org["token"])
        clients[org["size"]] = APIClient()
        clients[org["size"]].credentials(HTTP_AUTHORIZATION=f"Token {org['token']}")
    samples: dict = {}
    for i in range(15):
        for org in orgs:
            for path in paths_of(org):
                spent = [0.0, 0]
                statements: list = []

                def timed(execute, sql, params, many, context, spent=spent, statements=statements):
                    started = time.perf_counter()
                    try:
                        return execute(sql, params, many, context)
                    finally:
                        spent[0] += time.perf_counter() - started
                        spent[1] += 1
                        if sql.lstrip().upper().startswith("SELECT"):
                            statements.append((sql, params))

                started_cpu = time.process_time()
                with connection.execute_wrapper(timed):
                    response = clients[org["size"]].get(path)
                api_cpu = time.process_time() - started_cpu
                assert response.status_code == 200, (path, response.status_code)
                started_cpu = time.process_time()
                floor_page(path, users[org["size"]])
                floor_cpu = time.process_time() - started_cpu
                # PostgreSQL's own time for the same statements (planning and execution, EXPLAIN ANALYZE),
                # which the client's scheduling on a loaded machine does not disturb; on 6 warm runs
                server = server_ms(connection, statements) if 3 <= i < 9 else None
                if i >= 3:  # warm
                    samples.setdefault((org["size"], label_of(path)), []).append(
                        (spent[0], spent[1], api_cpu, floor_cpu, server)
                    )
    return {
        key: {
            "db_ms": min(r[0] for r in rows) * 1000,
            "queries": max(r[1] for r in rows),
            "cpu_ms": min(r[2] for r in rows) * 1000,
            "floor_ms": min(r[3] for r in rows) * 1000,
            "server_ms": min(r[4] for r in rows if r[4] is not None),
        }
        for key, rows in samples.items()
    }


def server_ms(connection, statements: list) -> float:
    total = 0.0
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            total += plan[0]["Planning Time"] + plan[0]["Execution Time"]
    return total


def paths_of(org: dict) -> list[str]:
    return [f"/api/volunteers/{org['volunteer']}/", *[f"/api/{name}/" for name in LISTS]]


def label_of(path: str) -> str:
    parts = path.strip("/").split("/")
    return f"{parts[1]} detail" if parts[-1].isdigit() else parts[1]


# 2. Served --------------------------------------------------------------------------------------------


def _client(args) -> list[tuple[float, int]]:
    port, path, token, deadline = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    samples = []
    headers = {"Authorization": f"Token {token}"}
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except OSError:
            status = 0
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        samples.append((time.perf_counter() - started, status))
    conn.close()
    return samples


def _generator(jobs: list) -> list[tuple[float, int]]:
    threads_out: list = []
    threads = [threading.Thread(target=lambda job=job: threads_out.append(_client(job))) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [sample for samples in threads_out for sample in samples]


def cpu_seconds(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


class ConnectionWatch:
    """Connections of the served processes that start while it runs (pg_stat_activity, every 10 ms)."""

    def __init__(self, database_url: str):
        self.database_url = database_url

    def __enter__(self):
        import psycopg

        self.conn = psycopg.connect(self.database_url, autocommit=True, application_name="bench-watch")
        self.started = self.conn.execute("SELECT now()").fetchone()[0]
        self.pids: set[int] = set()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        return self

    def _watch(self):
        while not self.stop.is_set():
            rows = self.conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND backend_start > %s",
                [APP_NAME, self.started],
            ).fetchall()
            self.pids.update(pid for (pid,) in rows)
            time.sleep(0.01)

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.conn.close()


LAYOUT_NAMES = {
    "gthread": "gunicorn, {n} gthread workers x {threads} threads (config/gunicorn.py, config.wsgi)",
    "daphne": "{n} daphne processes (config.asgi)",
    "sync": "gunicorn, {n} sync workers (config.wsgi)",
    "floor": "the floor served: gunicorn as for gthread, on bench/floor_wsgi.py",
}


def gunicorn_threads() -> int:
    """Threads per gthread worker, as config/gunicorn.py sets them (WEB_THREADS)."""
    from config import gunicorn

    return gunicorn.threads


# gunicorn's command per layout: the recommended settings file (gthread workers), or sync workers to compare,
# and the application; the floor: the recommended settings serving only values() and JSON (bench/floor_wsgi.py)
GUNICORN_WORKERS = {
    "gthread": (["-c", "config/gunicorn.py"], "config.wsgi:application"),
    "sync": (["-k", "sync"], "config.wsgi:application"),
    "floor": (["-c", "config/gunicorn.py"], "bench.floor_wsgi:application"),
}


def serve(env: dict, processes: int, layout: str) -> tuple[list[subprocess.Popen], list[int]]:
    """daphne: one process per port. gthread, sync: a gunicorn master with `processes` workers on one port."""
    if layout in GUNICORN_WORKERS:
        options, app = GUNICORN_WORKERS[layout]
        port = free_port()
        master = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-b",
                f"127.0.0.1:{port}",
                *options,
                "-w",
                str(processes),
                app,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(port)
        time.sleep(2)  # the workers boot after the master listens
        return [master], [port]
    ports = [free_port() for _ in range(processes)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    for port in ports:
        wait_for_port(port)
    return procs, ports


def server_pids(procs: list[subprocess.Popen]) -> list[int]:
    """The server processes and their children (gunicorn's workers)."""
    pids = []
    for proc in procs:
        pids.append(proc.pid)
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        if children.exists():
            pids.extend(int(pid) for pid in children.read_text().split())
    return pids


def load(ports: list[int], path: str, token: str, concurrency: int, seconds: float) -> list[tuple[float, int]]:
    deadline = time.monotonic() + seconds
    jobs = [(ports[i % len(ports)], path, token, deadline) for i in range(concurrency)]
    halves = [jobs[0::2], jobs[1::2]]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        return [sample for samples in pool.map(_generator, halves) for sample in samples]


def measure_once(procs, ports, database_url: str, path: str, token: str, concurrency: int, seconds: float) -> dict:
    pids = server_pids(procs)
    cpu_before = cpu_seconds(pids)
    with ConnectionWatch(database_url) as watch:
        started = time.monotonic()
        samples = load(ports, path, token, concurrency, seconds)
        elapsed = time.monotonic() - started
    return {
        "samples": samples,
        "elapsed": elapsed,
        "cpu": cpu_seconds(pids) - cpu_before,
        "new_conns": len(watch.pids),
        "load": os.getloadavg()[0],
    }


def measure_served(args, org: dict, floors: dict, layouts: list[str]) -> dict[str, list[dict]]:
    """Every layout serves at once (idle but for the one under load); each endpoint is measured in
    --rounds turns that alternate the layouts, so load from elsewhere on the machine hits them alike."""
    env = django_env(args.database_url, args.redis_url)
    servers = {}
    rows: dict[str, list[dict]] = {layout: [] for layout in layouts}
    try:
        for layout in layouts:
            # Each process' pool opens at the size the load needs at once (a gthread worker: its threads;
            # a sync worker: 1; a daphne process: its share of the clients), so that growing the pool
            # during the measured turns is not counted as new connections.
            at_once = {"gthread": gunicorn_threads(), "floor": gunicorn_threads(), "sync": 1}.get(
                layout, -(-args.concurrency // args.processes)
            )
            servers[layout] = serve(dict(env, DB_POOL_MIN_SIZE=str(min(10, at_once))), args.processes, layout)
        for layout in layouts:  # warm-up: every code path loaded, the pools grown to what the load needs
            for path in paths_of(org):
                load(servers[layout][1], path, org["token"], args.concurrency, 1.0)
        for path in paths_of(org):
            runs: dict[str, list[dict]] = {layout: [] for layout in layouts}
            for turn in range(args.rounds):
                for layout in layouts if turn % 2 == 0 else reversed(layouts):
                    procs, ports = servers[layout]
                    runs[layout].append(
                        measure_once(
                            procs, ports, args.database_url, path, org["token"], args.concurrency, args.seconds
                        )
                    )
            label = label_of(path)
            for layout in layouts:
                samples = [s for run in runs[layout] for s in run["samples"]]
                latencies = sorted(s[0] for s in samples)
                elapsed = sum(run["elapsed"] for run in runs[layout])
                cpu = sum(run["cpu"] for run in runs[layout])
                new_conns = sum(run["new_conns"] for run in runs[layout])
                rows[layout].append(
                    {
                        "endpoint": label,
                        "requests": len(samples),
                        "rps": len(samples) / elapsed,
                        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("inf"),
                        "errors": sum(1 for s in samples if s[1] != 200),
                        "new_conns_per_req": new_conns / max(1, len(samples)),
                        "new_conns": new_conns,
                        "cpu_ms": cpu / max(1, len(samples)) * 1000,
                        "floor_ms": floors[(org["size"], label)]["floor_ms"],
                        "load": max(run["load"] for run in runs[layout]),
                    }
                )
    finally:
        procs = [proc for layout_procs, _ in servers.values() for proc in layout_procs]
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)
    return rows


# Report -----------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="200,20000")
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--processes", type=int, default=2, help="server processes (docs/deploy.md)")
    ap.add_argument(
        "--layouts",
        default="gthread,daphne,floor",
        help="served layouts, side by side: gthread (gunicorn with config/gunicorn.py: what docs/deploy.md "
        "recommends for HTTP), daphne (daphne processes: the WebSocket server, and `make run`), sync "
        "(gunicorn's sync workers), floor (the values() floor served as gthread serves the API)",
    )
    ap.add_argument("--rounds", type=int, default=2, help="turns per endpoint and layout, alternating layouts")
    ap.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/mentoring_api_bench")
    ap.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    ap.add_argument("--reuse", action="store_true", help="keep the database from the last run")
    ap.add_argument("--only-db", action="store_true", help="database time per page only, nothing served")
    ap.add_argument("--match", type=int, default=10000, help="open requests of the match run (0: no match run)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    os.environ.update(django_env(args.database_url, args.redis_url))
    out(f"machine: {machine()}")
    state_file = Path(f"/tmp/{urlsplit(args.database_url).path.lstrip('/')}.json")
    fresh = not args.reuse or not state_file.exists()
    if fresh:
        recreate_database(args.database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True, env=os.environ
    )
    warnings.filterwarnings("ignore", message="No directory at")  # nothing collected: no static files served
    import django

    django.setup()
    if fresh:
        started = time.monotonic()
        orgs = [seed(size) for size in sizes]
        state_file.write_text(json.dumps(orgs))
        out(f"seeded {', '.join(str(s) for s in sizes)} rows of each kind in {time.monotonic() - started:.0f} s")
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum leaves a table in use: statistics, visibility map
        cursor.execute("VACUUM ANALYZE")
    orgs = json.loads(state_file.read_text())
    if args.match:
        match_state = state_file.with_suffix(f".match{args.match}.json")
        if fresh or not match_state.exists():
            match_state.write_text(json.dumps(seed_match(args.match)))
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        match = measure_match(json.loads(match_state.read_text()))
        out(
            f"\n0. Match run through the app, {match['mentees']} mentees with open requests x {match['volunteers']}"
            f" volunteers, {match['matched']} proposals; target: <= 5 s end to end"
        )
        out(
            f"   end to end {match['total_s']:.2f} s{'' if match['total_s'] <= 5 else '  !'}: load "
            f"{match['load_s']:.2f} s, matcher {match['matcher_s']:.2f} s, store {match['store_s']:.2f} s "
            f"(matcher's own timings: {json.dumps(match['timings'])})"
        )

    in_process = measure_in_process(orgs)
    small, large = sizes[0], sizes[-1]
    out(
        f"\n1. Database time per page (least of 12 as the client times its statements; least of 6 as "
        f"PostgreSQL times them, EXPLAIN ANALYZE), {small} vs {large} rows of each kind; "
        f"target: x{TARGET_DB_GROWTH} at most"
    )
    out(
        f"{'endpoint':<18}{'queries':>8}{'db ms ' + str(small):>12}{'db ms ' + str(large):>14}{'growth':>8}"
        f"{'server ms ' + str(small):>16}{'server ms ' + str(large):>18}{'growth':>8}"
        f"{'cpu ms':>9}{'floor ms':>10}{'cpu/floor':>10}"
    )
    for label in [label_of(p) for p in paths_of(orgs[-1])]:
        a, b = in_process[(small, label)], in_process[(large, label)]
        growth = b["db_ms"] / a["db_ms"] if a["db_ms"] else float("nan")
        server_growth = b["server_ms"] / a["server_ms"] if a["server_ms"] else float("nan")
        on_target = server_growth <= TARGET_DB_GROWTH and (
            label.endswith("detail") or b["cpu_ms"] <= TARGET_CPU_X * b["floor_ms"]  # the CPU target is the lists'
        )
        mark = "" if on_target else "  !"
        out(
            f"{label:<18}{b['queries']:>8}{a['db_ms']:>12.2f}{b['db_ms']:>14.2f}{growth:>7.1f}x"
            f"{a['server_ms']:>16.2f}{b['server_ms']:>18.2f}{server_growth:>7.1f}x"
            f"{b['cpu_ms']:>9.1f}{b['floor_ms']:>10.2f}{b['cpu_ms'] / b['floor_ms']:>9.1f}x{mark}"
        )
    if args.only_db:
        return 0

    from django.db import connections

    connections.close_all()
    failed = False
    layouts = args.layouts.split(",")
    served = measure_served(args, orgs[-1], in_process, layouts)
    api_layouts = [layout for layout in layouts if layout != "floor"]
    # the floor served in the same turns, when it is: it pays for the HTTP server and the load as the API does
    served_floor = {row["endpoint"]: row["cpu_ms"] for row in served.get("floor", [])}
    for layout in api_layouts:
        rows = served[layout]
        out(
            f"\n2. Served by {LAYOUT_NAMES[layout].format(n=args.processes, threads=gunicorn_threads())}: "
            f"{args.concurrency} clients, "
            f"{args.rounds} x {args.seconds:.0f} s per endpoint (alternating with {', '.join(layouts)}), "
            f"organisation of {large}; targets: detail >= {TARGET_DETAIL_RPS} req/s, lists >= {TARGET_LIST_RPS}, "
            f"p99 <= {TARGET_P99_MS} ms, 0 errors, 0 new connections, cpu per list request <= "
            f"{TARGET_CPU_X:.0f} x the floor {'served' if served_floor else 'in process'}"
        )
        out(
            f"{'endpoint':<18}{'req/s':>8}{'target':>8}{'p99 ms':>8}{'errors':>8}{'new conn/req':>14}"
            f"{'cpu ms/req':>12}{'floor ms':>10}{'cpu/floor':>10}{'served floor':>14}{'cpu/served':>11}{'load':>6}"
        )
        for row in rows:
            detail = row["endpoint"].endswith("detail")
            against = served_floor.get(row["endpoint"], row["floor_ms"])
            ok = (
                row["rps"] >= (TARGET_DETAIL_RPS if detail else TARGET_LIST_RPS)
                and row["p99_ms"] <= TARGET_P99_MS
                and row["errors"] == 0
                and row["new_conns"] == 0
                and (detail or row["cpu_ms"] <= TARGET_CPU_X * against)
            )
            failed |= row["errors"] > 0 or row["new_conns"] > 0
            by_served = (
                f"{served_floor[row['endpoint']]:>14.2f}{row['cpu_ms'] / served_floor[row['endpoint']]:>10.1f}x"
                if row["endpoint"] in served_floor
                else f"{'-':>14}{'-':>11}"
            )
            out(
                f"{row['endpoint']:<18}{row['rps']:>8.0f}"
                f"{TARGET_DETAIL_RPS if detail else TARGET_LIST_RPS:>8}{row['p99_ms']:>8.0f}{row['errors']:>8}"
                f"{row['new_conns_per_req']:>14.3f}{row['cpu_ms']:>12.1f}{row['floor_ms']:>10.2f}"
                f"{row['cpu_ms'] / row['floor_ms']:>9.1f}x{by_served}{row['load']:>6.1f}{'' if ok else '  !'}"
            )
    first = api_layouts[0]
    if len(api_layouts) > 1:
        out(f"\nserver CPU per request against {first} (same run, alternating):")
        out(f"{'endpoint':<18}" + "".join(f"{layout:>10}" for layout in api_layouts[1:]))
        for i, row in enumerate(served[first]):
            out(
                f"{row['endpoint']:<18}"
                + "".join(f"{served[layout][i]['cpu_ms'] / row['cpu_ms']:>9.2f}x" for layout in api_layouts[1:])
            )
    if "floor" in layouts:
        out(
            f"\n3. The floor served as {first} serves the API (bench/floor_wsgi.py: values() and JSON, no middleware,"
            " token, throttle, serializer or pagination), the same clients and turns; the API's server CPU per"
            " request against it"
        )
        out(f"{'endpoint':<18}{'req/s':>8}{'p99 ms':>8}{'cpu ms/req':>12}{first + ' cpu':>14}{'ratio':>8}")
        for row, api in zip(served["floor"], served[first], strict=True):
            out(
                f"{row['endpoint']:<18}{row['rps']:>8.0f}{row['p99_ms']:>8.0f}{row['cpu_ms']:>12.2f}"
                f"{api['cpu_ms']:>14.2f}{api['cpu_ms'] / row['cpu_ms']:>7.1f}x"
            )
    out("\n! marks a figure off its target. Errors or new connections under load make the exit status 1.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
