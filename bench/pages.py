"""Server time of each coordinator page for an organisation of 5,000 mentees, against PostgreSQL and Redis.

    .venv/bin/python bench/pages.py [--mentees 5000] [--requests 200] [--reuse] [--no-freeze]
                                    [--database-url postgres://postgres@127.0.0.1:5432/overview_pages_bench]
                                    [--redis-url redis://127.0.0.1:6379/12]

Setup (skipped with --reuse): drops and recreates the database, migrates it and stores one organisation
with --mentees mentees (one help request each: half open, with one or two needs and a preferred
language), 40% as many volunteers (capacity 2, one in ten waiting for a background check), a pairing for
each matched request (approved 0-20 days after the request), three sessions per pairing over the last 12
weeks (mostly held), a slot for every ten mentees to come, held messages and reports, a "first session"
badge for every paired mentee and 300 pending nominations (rows written with bulk_create, dates back-filled
by SQL), then ANALYZE.

Then the coordinator is logged in with Django's test client (the whole middleware stack, production
settings: DEBUG off) and each coordinator page is fetched 5 times to warm up, then --requests times;
p50 and p99 of the wall time of each request are printed beside the target (p99 <= 50 ms), with the p50 and
p99 of the benchmark process' CPU time and the page's query count, and the load average before and after (the
machine is shared: under load the wall time counts the wait for a core, the CPU time does not).

Before measuring, the process freezes its start-up heap as a served process does (config/heap.py);
--no-freeze measures without, for comparison.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import django_env, recreate_database  # noqa: E402
from bench.machine import machine  # noqa: E402

TARGET_P99_MS = 50
PAGES = [
    "/coordinator/overview/",
    "/coordinator/help-requests/",
    "/coordinator/help-requests/?status=open&urgency=high",
    "/coordinator/queues/",
    "/coordinator/proposals/",
    "/coordinator/match-runs/",
    "/coordinator/held-messages/",
    "/coordinator/reports/",
    "/coordinator/safeguarding-log/",
    "/coordinator/nominations/",
    "/coordinator/awards/",
    "/coordinator/badge-classes/",
    "/slots/",
]


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def seed(n_mentees: int) -> str:
    """The organisation; returns its coordinator's e-mail address."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Language, Organisation, Role, Skill, User, UserLanguage
    from badges.models import Award, Contribution, Milestone, Nomination
    from badges.services import milestone_badge_class
    from chat.models import Conversation, Message, MessageStatus, Report
    from mentees.models import HelpRequest, Mentee
    from scheduling.models import MentoringSession, Pairing, Slot
    from volunteers.models import Volunteer

    org = Organisation.objects.create(name="Bench pages", slug="bench-pages", country="ES", city="Madrid")
    password = make_password("bench-password-not-secret")
    coordinator = User.objects.create(
        email="coordinator@bench-pages.example",
        display_name="Coordinator",
        role=Role.COORDINATOR,
        organisation=org,
        password=password,
        timezone="Europe/Madrid",
    )
    skills = list(Skill.objects.all())
    languages = list(Language.objects.order_by("code").values_list("code", flat=True))
    today, now = timezone.localdate(), timezone.now()
    n_volunteers = n_mentees * 2 // 5

    def people(role: str, count: int, spoken: list[str]) -> list[User]:
        users = User.objects.bulk_create(
            [
                User(
                    email=f"{role}{i}@bench-pages.example",
                    display_name=f"{role.title()} {i}",
                    role=role,
                    organisation=org,
                    password=password,
                    timezone="Europe/Madrid",
                )
                for i in range(count)
            ],
            batch_size=2000,
        )
        UserLanguage.objects.bulk_create(
            [UserLanguage(user=u, language_id=spoken[i % len(spoken)], level="fluent") for i, u in enumerate(users)],
            batch_size=5000,
        )
        return users

    # Volunteers speak the first 12 languages and offer 2 of the first 30 skills: some demand stays unmet.
    volunteers = Volunteer.objects.bulk_create(
        [
            Volunteer(
                user=u,
                organisation=org,
                capacity=2,
                vetting_status="pending" if i % 10 == 0 else "verified",
                vetting_checked_on=None if i % 10 == 0 else today - datetime.timedelta(days=30),
                vetting_expires_on=None if i % 10 == 0 else today + datetime.timedelta(days=300),
            )
            for i, u in enumerate(people(Role.VOLUNTEER, n_volunteers, languages[:12]))
        ],
        batch_size=5000,
    )
    Volunteer.skills.through.objects.bulk_create(
        [
            Volunteer.skills.through(volunteer_id=v.pk, skill_id=skills[(i + k) % min(30, len(skills))].pk)
            for i, v in enumerate(volunteers)
            for k in range(2)
        ],
        batch_size=5000,
    )
    mentees = Mentee.objects.bulk_create(
        [
            Mentee(user=u, organisation=org, birth_year=today.year - 14 - i % 20)
            for i, u in enumerate(people(Role.MENTEE, n_mentees, languages[:16]))
        ],
        batch_size=5000,
    )
    requests = HelpRequest.objects.bulk_create(
        [
            HelpRequest(
                mentee=m,
                organisation=org,
                description="Help with a CV",
                status="open" if i % 2 else "matched",
                urgency=["low", "normal", "high"][i % 3],
            )
            for i, m in enumerate(mentees)
        ],
        batch_size=5000,
    )
    HelpRequest.needs.through.objects.bulk_create(
        [
            HelpRequest.needs.through(helprequest_id=r.pk, skill_id=skills[(i + k * 7) % len(skills)].pk)
            for i, r in enumerate(requests)
            for k in range(1 + i % 2)
        ],
        batch_size=5000,
    )
    HelpRequest.languages.through.objects.bulk_create(
        [
            HelpRequest.languages.through(helprequest_id=r.pk, language_id=languages[i % 16])
            for i, r in enumerate(requests)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:  # requests filed over the last 120 days
        cursor.execute(
            "UPDATE mentees_helprequest SET created_at = now() - (id %% 120) * interval '1 day' "
            "WHERE organisation_id = %s",
            [org.pk],
        )
    matched = [(i, r) for i, r in enumerate(requests) if r.status == "matched"]
    pairings = Pairing.objects.bulk_create(
        [
            Pairing(
                organisation=org,
                mentee=r.mentee,
                volunteer=volunteers[i % n_volunteers],
                help_request=r,
                status="active",
                score=1.0,
                reasons=[{"kind": "need", "text": "CV"}],
                decided_by=coordinator,
            )
            for i, r in matched
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE scheduling_pairing p SET decided_at = r.created_at + (p.id %% 21) * interval '1 day' "
            "FROM mentees_helprequest r WHERE p.help_request_id = r.id AND p.organisation_id = %s",
            [org.pk],
        )
    Pairing.objects.bulk_create(
        [
            Pairing(
                organisation=org,
                mentee=r.mentee,
                volunteer=volunteers[(i + 1) % n_volunteers],
                help_request=r,
                status="proposed",
                score=0.5,
                reasons=[{"kind": "need", "text": "CV"}],
            )
            for i, r in enumerate(requests[1::2][:200])
        ],
        batch_size=5000,
    )
    conversations = Conversation.objects.bulk_create(
        [Conversation(pairing=p, organisation=org) for p in pairings], batch_size=5000
    )
    MentoringSession.objects.bulk_create(
        [
            MentoringSession(
                pairing=p,
                organisation=org,
                status="held" if k < 2 else "booked",
                start=now - datetime.timedelta(days=(i * 3 + k * 11) % 84 - (7 if k == 2 else 0), hours=1),
                end=now - datetime.timedelta(days=(i * 3 + k * 11) % 84 - (7 if k == 2 else 0)),
                booked_by=coordinator,
            )
            for i, p in enumerate(pairings)
            for k in range(3)
        ],
        batch_size=5000,
    )
    Slot.objects.bulk_create(
        [
            Slot(
                organisation=org,
                created_by=coordinator,
                start=now + datetime.timedelta(hours=i + 1),
                end=now + datetime.timedelta(hours=i + 2),
                topic=f"Slot {i}",
                volunteers_needed=2,
                mentee_places=3,
            )
            for i in range(n_mentees // 10)
        ],
        batch_size=5000,
    )
    messages = Message.objects.bulk_create(
        [
            Message(
                conversation=c,
                sender_id=c.pairing.mentee.user_id,
                body=f"Message {i}",
                client_id=f"b{i}",
                seq=1,
                status=MessageStatus.HELD if i % 5 == 0 else MessageStatus.VISIBLE,
            )
            for i, c in enumerate(conversations[:1000])
        ],
        batch_size=5000,
    )
    Report.objects.bulk_create(
        [Report(message=m, reporter_id=m.sender_id, reason="Bench") for m in messages[1::10]], batch_size=5000
    )
    badge_class = milestone_badge_class(organisation_id=org.pk, milestone=Milestone.FIRST_SESSION)
    Award.objects.bulk_create(
        [
            Award(
                badge_class=badge_class,
                organisation=org,
                recipient_id=p.mentee.user_id,
                milestone=Milestone.FIRST_SESSION,
                issued_at=now - datetime.timedelta(days=i % 84),
                status_index=i,
                identity_hash=f"sha256${i:064x}",
            )
            for i, p in enumerate(pairings)
        ],
        batch_size=5000,
    )
    Nomination.objects.bulk_create(
        [
            Nomination(
                organisation=org,
                mentee=p.mentee,
                nominated_by_id=p.volunteer.user_id,
                category=Contribution.HELPED_PEER,
                evidence_text="Helped a newcomer find the clinic",
            )
            for p in pairings[:300]
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:  # as autovacuum would soon: without statistics the planner guesses 1 row
        cursor.execute("ANALYZE")
    return coordinator.email


def measure(client, path: str, count: int) -> tuple[float, float, float, float, int, int]:
    """p50 and p99 of the wall time, p50 and p99 of this process' CPU time (the machine is shared: CPU time is what
    the page costs here, whatever else runs; the database's own time is in its processes), the number of
    queries, and the status."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        client.get(path)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = len(captured)  # now: the next request empties the connection's log
    times, cpu = [], []
    status = 200
    for _ in range(count):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        status = response.status_code if response.status_code != 200 else status
    return percentile(times, 50), percentile(times, 99), percentile(cpu, 50), percentile(cpu, 99), queries, status


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentees", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=200, help="per page; of 50 the p99 is the slowest one")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--no-freeze", action="store_true", help="leave the start-up heap to the collector (as before config/heap.py)"
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/overview_pages_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    args = parser.parse_args()
    os.environ.update(django_env(args.database_url, args.redis_url))
    if not args.reuse:
        recreate_database(args.database_url)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True, env=os.environ
        )
    # Production settings serve static files through the manifest: collect them (into staticfiles/, ignored).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, check=True, env=os.environ
    )
    import django

    django.setup()
    from django.test import Client

    from accounts.models import User

    if not args.reuse:
        started = time.perf_counter()
        seed(args.mentees)
        out(f"seeded {args.mentees} mentees in {time.perf_counter() - started:.0f} s")
    coordinator = User.objects.get(email="coordinator@bench-pages.example")
    client = Client()
    client.force_login(coordinator)
    if not args.no_freeze:  # as config/wsgi.py and config/asgi.py do in a served process
        from config.heap import freeze_startup_heap

        freeze_startup_heap()
    out(f"machine: {machine()}")
    out(f"{'page':<55} {'p50 ms':>8} {'p99 ms':>8} {'cpu p50':>8} {'cpu p99':>8} {'queries':>8} {'target':>8}  ok")
    worst = 0.0
    for path in PAGES:
        p50, p99, cpu, cpu99, queries, status = measure(client, path, args.requests)
        worst = max(worst, p99)
        verdict = "yes" if p99 <= TARGET_P99_MS else "NO"
        verdict = verdict if status == 200 else f"NO (status {status})"
        out(f"{path:<55} {p50:8.1f} {p99:8.1f} {cpu:8.1f} {cpu99:8.1f} {queries:8d} {TARGET_P99_MS:8d}  {verdict}")
    out(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    out(f"worst p99 {worst:.1f} ms, target {TARGET_P99_MS} ms: {'met' if worst <= TARGET_P99_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
