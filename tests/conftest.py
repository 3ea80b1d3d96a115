"""The cast every test can use, built through the real services.

- carol: coordinator of Casa Abierta (Madrid); dave: coordinator of Nicosia Welcome (another organisation)
- alice, victor: volunteers with Casa Abierta
- bob (adult), mia (minor), eve (adult): mentees with Casa Abierta
- mallory: a mentee of the other organisation, who may see nothing of Casa Abierta
"""

import importlib
import inspect
import os

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from accounts.models import Organisation, Role, Skill, User
from accounts.services import user_create
from mentees.services import mentee_signup
from volunteers.services import volunteer_signup

PASSWORD = "correct-horse-battery-staple"  # noqa: S105


def require_service(name: str, env_var: str) -> None:
    """Skip when a service is not configured, except under CI where that is a failure."""
    if not os.environ.get(env_var):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required under CI=true but {env_var} is not set")
        pytest.skip(f"needs {name} ({env_var})")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, whose teardown first ends the connections a killed daphne process
    or a cut proxy may still hold, so that PostgreSQL lets it drop the database.

    It also seeds the shared vocabulary at the start of each session: a process that runs pytest twice
    (mutmut runs the tests, then the clean run, then each mutant in a fork) keeps its in-memory SQLite
    database, which a transactional test of the earlier session emptied."""
    from django.apps import apps

    with django_db_blocker.unblock():
        importlib.import_module("accounts.migrations.0002_seed_vocabulary").seed(apps, None)
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(autouse=True)
def _required_services(request):
    """Tests marked `postgres` or `redis` need that service: skipped without it, failed under CI=true."""
    if request.node.get_closest_marker("postgres"):
        require_service("PostgreSQL", "DATABASE_URL")
        if not os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
            pytest.fail("DATABASE_URL is set but does not point at PostgreSQL")
    if request.node.get_closest_marker("redis"):
        require_service("Redis", "REDIS_URL")


@pytest.fixture(autouse=True)
def _clean_cache():
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture
def vocabulary(db) -> None:
    """Re-seed the shared vocabulary: transactional tests flush what the data migration put there."""
    from django.apps import apps

    seed = importlib.import_module("accounts.migrations.0002_seed_vocabulary").seed
    seed(apps, None)


@pytest.fixture
def heard():
    """Every event the services send while the test runs, as (event, payload) pairs."""
    from common.events import Event, _signals, connect

    calls = []

    def listen(event):
        def handler(**payload):
            calls.append((event, payload))

        connect(event, handler)
        return handler

    handlers = {event: listen(event) for event in Event}
    yield calls
    for event, handler in handlers.items():
        _signals[event].disconnect(dispatch_uid=(event, handler))


@pytest.fixture
def org_a(db) -> Organisation:
    return Organisation.objects.create(name="Casa Abierta", slug="casa-abierta", country="ES", city="Madrid")


@pytest.fixture
def org_b(db) -> Organisation:
    return Organisation.objects.create(name="Nicosia Welcome", slug="nicosia-welcome", country="CY", city="Nicosia")


def make_coordinator(org: Organisation, email: str, name: str) -> User:
    return user_create(
        email=email,
        password=PASSWORD,
        display_name=name,
        role=Role.COORDINATOR,
        organisation=org,
        timezone="Europe/Madrid",
        languages=[{"language": "es", "level": "native"}],
    )


def make_volunteer(org: Organisation, email: str, name: str, **extra):
    extra.setdefault("languages", [{"language": "ar", "level": "fluent"}, {"language": "en", "level": "native"}])
    extra["skills"] = list(Skill.objects.filter(slug__in=extra.get("skills", [])))
    return volunteer_signup(
        email=email,
        password=PASSWORD,
        display_name=name,
        organisation=org,
        timezone=extra.pop("timezone", "Europe/Madrid"),
        **extra,
    )


def make_mentee(org: Organisation, email: str, name: str, birth_year: int = 2000, **extra):
    extra.setdefault("languages", [{"language": "ar", "level": "native"}])
    return mentee_signup(
        email=email,
        password=PASSWORD,
        display_name=name,
        organisation=org,
        birth_year=birth_year,
        timezone=extra.pop("timezone", "Europe/Madrid"),
        **extra,
    )


@pytest.fixture
def carol(org_a) -> User:
    return make_coordinator(org_a, "carol@casa.example", "Carol")


@pytest.fixture
def dave(org_b) -> User:
    return make_coordinator(org_b, "dave@nicosia.example", "Dave")


@pytest.fixture
def alice(org_a):
    return make_volunteer(org_a, "alice@example.org", "Alice", skills=["cv-writing", "python"], capacity=2)


@pytest.fixture
def victor(org_a):
    return make_volunteer(org_a, "victor@example.org", "Victor", skills=["housing"], capacity=1)


@pytest.fixture
def bob(org_a):
    return make_mentee(org_a, "bob@example.org", "Bob", birth_year=2001)


@pytest.fixture
def mia(org_a):
    """A minor: inactive until a guardian's consent is recorded."""
    from django.utils import timezone

    return make_mentee(org_a, "mia@example.org", "Mia", birth_year=timezone.localdate().year - 16)


@pytest.fixture
def eve(org_a):
    return make_mentee(org_a, "eve@example.org", "Eve", birth_year=1999)


@pytest.fixture
def mallory(org_b):
    return make_mentee(org_b, "mallory@example.org", "Mallory", birth_year=1998)


def vet(volunteer, by: User, expires_in_days: int = 365):
    """Record a verified background check that expires in the given number of days (negative: expired)."""
    import datetime

    from django.utils import timezone

    from volunteers.services import vetting_record

    today = timezone.localdate()
    return vetting_record(
        volunteer=volunteer,
        status="verified",
        checked_on=today - datetime.timedelta(days=400),
        expires_on=today + datetime.timedelta(days=expires_in_days),
        recorded_by=by,
    )


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user)
    return client


@pytest.fixture
def api():
    """`api(user)` gives an API client logged in as that user (a profile or a User); `api(None)` is anonymous."""

    def make(who) -> APIClient:
        return client_for(getattr(who, "user", who))

    return make


def pytest_collection_modifyitems(config, items):
    """Under `make mutation` (MUTATION_RUN=1) the socket tests, which are coroutines, do not run: mutmut runs
    each mutant in a process forked from one that already ran the tests, and an event loop's thread pool
    does not survive the fork, so they hang until the timeout. A mutant that only they would notice survives."""
    if os.environ.get("MUTATION_RUN") != "1":
        return
    kept = [item for item in items if not inspect.iscoroutinefunction(getattr(item, "function", None))]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
