"""A queryset compiled once and run with other values answers what the ORM answers, and compiles once per
connection and power of two its lists' lengths are padded to."""

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from accounts.models import Skill, User
from config.prepared import PreparedQuery

pytestmark = pytest.mark.django_db


def test_it_answers_what_the_orm_answers_for_lists_of_any_length(vocabulary):
    ids = sorted(Skill.objects.values_list("pk", flat=True))
    prepared = PreparedQuery(lambda pks: Skill.objects.filter(pk__in=pks).values_list("pk", "slug"))
    for chosen in (ids[:1], ids[:3], ids[1:4], ids[-2:], [*ids[:2], 10**12]):
        expected = list(Skill.objects.filter(pk__in=chosen).values_list("pk", "slug"))
        assert prepared.rows(chosen) == expected
    # one statement per power of two: a list of 3 is padded to 4 (its last id again)
    assert sorted(prepared.compiled["default"]) == [(1,), (2,), (4,)]


def test_a_call_is_one_query_and_no_compiling(vocabulary):
    ids = list(Skill.objects.values_list("pk", flat=True)[:2])
    prepared = PreparedQuery(lambda pks: Skill.objects.filter(pk__in=pks).values_list("slug"))
    prepared.rows(ids)
    compiled = prepared.compiled["default"][(2,)]
    with CaptureQueriesContext(connection) as queries:
        prepared.rows(list(reversed(ids)))
    assert len(queries) == 1
    assert prepared.compiled["default"][(2,)] is compiled


def test_rows_that_need_converting_are_converted_as_the_orm_does(carol, alice):
    # dates and booleans (strings and integers on SQLite), and a column of plain values, side by side
    columns = ("email", "date_joined", "is_active", "last_login")
    prepared = PreparedQuery(lambda email: User.objects.filter(email=email).values_list(*columns))
    for user in (carol, alice.user):
        expected = list(User.objects.filter(email=user.email).values_list(*columns))
        assert prepared.rows(user.email) == expected
        assert type(prepared.rows(user.email)[0][1]) is type(user.date_joined)


@pytest.mark.postgres  # SQLite locks the tables the test's transaction wrote against another thread
def test_a_thread_of_its_own_compiles_nothing_again(vocabulary):
    """Under ASGI each request runs in a thread of its own, with a new connection object."""
    ids = list(Skill.objects.values_list("pk", flat=True)[:2])
    prepared = PreparedQuery(lambda pks: Skill.objects.filter(pk__in=pks).values_list("slug"))
    prepared.rows(ids)
    compiled = prepared.compiled["default"][(2,)]
    failures = []

    def request_in_a_thread():
        try:
            prepared.rows(ids)
        except Exception as error:  # noqa: BLE001  reported below, in the test's own thread
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=request_in_a_thread)
    thread.start()
    thread.join()
    assert failures == []
    assert prepared.compiled["default"][(2,)] is compiled
