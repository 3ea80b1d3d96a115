"""On PostgreSQL, dates with a time zone are read by psycopg's C loader (config.database), not by Django's
loader, which derives from psycopg's pure-Python one: the same values, in the time zone Django expects."""

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.pq import Format

from accounts.models import User
from config.database import TIMESTAMPTZ_OID

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# from year 1 to 9999, every few hundred days at an odd time of day with microseconds, and the ends
SERIES = """
    SELECT ts FROM generate_series(
        '0001-01-01 00:00:00+00'::timestamptz, '9999-12-31 00:00:00+00'::timestamptz,
        interval '397 days 3 hours 7 minutes 11.123457 seconds'
    ) AS ts
    UNION ALL SELECT '9999-12-31 23:59:59.999999+00'::timestamptz
    UNION ALL SELECT '2026-03-29 01:30:00+02'::timestamptz
    UNION ALL SELECT NULL
"""


def test_dates_with_a_time_zone_read_as_djangos_own_loader_reads_them():
    # given the project's connection, and a plain psycopg cursor on it with Django's own loader
    with connection.cursor() as cursor:
        cursor.execute(SERIES)
        ours = [row[0] for row in cursor.fetchall()]
        django_cursor = connection.connection.cursor()
        register_tzloader(connection.timezone, django_cursor)
        theirs = [row[0] for row in django_cursor.execute(SERIES).fetchall()]
    # then every value is the same instant, in the same time zone object
    assert len(ours) > 9000
    assert ours == theirs
    assert {value.tzinfo for value in ours if value is not None} == {connection.timezone}
    assert ours[-1] is None


def test_the_connection_reads_them_with_psycopgs_c_loader():
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        cursor.execute("SELECT now()")
    # the project's loader, for the connection's time zone (so Django's create_cursor keeps it)
    assert loader.__module__ == "config.database"
    assert loader.timezone == connection.timezone
    parse = loader(TIMESTAMPTZ_OID, connection.connection).parse
    if psycopg.pq.__impl__ != "python":  # psycopg[binary], as pyproject.toml asks
        assert type(parse.__self__).__module__.startswith("psycopg_binary")


def test_a_model_reads_its_dates_unchanged(carol):
    # a date saved with microseconds reads back as the same instant
    assert User.objects.get(pk=carol.pk).date_joined == carol.date_joined
    assert carol.date_joined.microsecond or carol.date_joined.second  # not a round value
