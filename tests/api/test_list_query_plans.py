"""A coordinator's list reads its page from an index that starts with the organisation, in the list's order:
PostgreSQL stops after the page's rows instead of sorting every row of the organisation, so a page costs
the same in an organisation of 200 as in one of 20,000 (bench/api.py measures it)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentees.services import help_request_create
from scheduling.models import MentoringSession, Pairing, PairingStatus, Slot
from tests.chat.conftest import approved_conversation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def organisation_data(org_a, carol, alice, bob, vocabulary):
    from accounts.models import Skill

    help_request_create(mentee=bob, needs=[Skill.objects.first()])
    conversation = approved_conversation(org_a, alice, bob, carol)
    now = timezone.now()
    slot = Slot.objects.create(
        organisation=org_a,
        created_by=carol,
        start=now + datetime.timedelta(days=1),
        end=now + datetime.timedelta(days=1, hours=1),
        topic="CVs",
    )
    MentoringSession.objects.create(
        pairing=conversation.pairing, organisation=org_a, slot=slot, start=slot.start, end=slot.end, booked_by=carol
    )
    Pairing.objects.create(organisation=org_a, mentee=bob, volunteer=alice, status=PairingStatus.REJECTED)


def page_plan(api, user, path: str) -> str:
    """The plan of the query that reads the page (the one with a LIMIT), index scans preferred as on a
    large table, and a sort only where no index gives the order: on these few rows the statistics an
    earlier test left could make a sort of one row look cheaper than the ordered index."""
    with CaptureQueriesContext(connection) as queries:
        assert api(user).get(path).status_code == 200
    page_sql = next(
        q["sql"] for q in queries.captured_queries if "LIMIT" in q["sql"] and not q["sql"].startswith("SELECT COUNT(*)")
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + page_sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.usefixtures("organisation_data")
@pytest.mark.parametrize(
    ("path", "index"),
    [
        ("/api/volunteers/", "volunteer_org"),
        ("/api/mentees/", "mentee_org"),
        ("/api/help-requests/", "helprequest_org_newest"),
        ("/api/pairings/", "pairing_org_newest"),
        ("/api/sessions/", "session_org_start"),
        ("/api/slots/", "slot_org_start"),
        ("/api/conversations/", "conversation_org_newest"),
    ],
)
def test_it_reads_a_coordinators_page_in_index_order_without_sorting(api, carol, path, index):
    plan = page_plan(api, carol, path)
    assert index in plan, plan
    assert "Sort" not in plan, plan


@pytest.mark.usefixtures("organisation_data")
@pytest.mark.parametrize(
    "path", ["/api/volunteers/", "/api/mentees/", "/api/help-requests/", "/api/sessions/", "/api/slots/"]
)
def test_it_counts_a_coordinators_list_on_one_table_without_joins(api, carol, path):
    with CaptureQueriesContext(connection) as queries:
        assert api(carol).get(path).status_code == 200
    count_sql = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)"))
    assert "JOIN" not in count_sql, count_sql


@pytest.mark.usefixtures("organisation_data")
def test_it_counts_slot_places_for_the_page_only_without_grouping_the_organisations_slots(api, carol):
    plan = page_plan(api, carol, "/api/slots/")
    assert "Aggregate" not in plan.split("SubPlan")[0], plan  # no GROUP BY over every slot before the LIMIT
    assert "volunteers_volunteer" not in plan  # the host is shown as an id: no join
