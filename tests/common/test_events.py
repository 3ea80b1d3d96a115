"""The one event mechanism: typed events, listeners connected once, sent by the services that decide."""

import datetime

import pytest
from django.utils import timezone

from common.events import Event, PairingChange, connect, send
from scheduling.models import MentoringSession
from scheduling.services.pairings import pairing_end
from scheduling.services.sessions import session_mark

pytestmark = pytest.mark.django_db


def test_connecting_the_same_listener_twice_calls_it_once(alice):
    from common.events import _signals

    calls = []

    def handler(**payload):
        calls.append(payload)

    connect(Event.TOKEN_REVOKED, handler)
    connect(Event.TOKEN_REVOKED, handler)
    send(Event.TOKEN_REVOKED, user=alice.user, key="k")
    _signals[Event.TOKEN_REVOKED].disconnect(dispatch_uid=(Event.TOKEN_REVOKED, handler))
    assert calls == [{"user": alice.user, "key": "k"}]


def test_a_completed_pairing_tells_of_the_pairing_and_of_the_solved_request(conversation, carol, bob, heard):
    from mentees.services import help_request_create

    request = help_request_create(mentee=bob, needs=[])
    type(conversation.pairing).objects.filter(pk=conversation.pairing.pk).update(help_request=request)
    type(request).objects.filter(pk=request.pk).update(status="matched")
    pairing_end(pairing_id=conversation.pairing.pk, by=carol, kind="completed", reason="done")
    events = [event for event, _payload in heard]
    assert events == [Event.HELP_REQUEST_SOLVED, Event.PAIRING_CHANGED, Event.PAIRING_COMPLETED]
    assert dict(heard)[Event.PAIRING_CHANGED]["change"] == PairingChange.ENDED


def test_a_session_marked_held_then_missed_tells_both_once(conversation, alice, heard):
    start = timezone.now() - datetime.timedelta(hours=2)
    session = MentoringSession.objects.create(
        pairing=conversation.pairing,
        organisation=conversation.organisation,
        start=start,
        end=start + datetime.timedelta(hours=1),
        booked_by=alice.user,
    )
    session_mark(session=session, by=alice.user, held=True)
    session_mark(session=session, by=alice.user, held=True)
    session_mark(session=session, by=alice.user, held=False)
    assert [(e, p["held"]) for e, p in heard if e == Event.SESSION_MARKED] == [
        (Event.SESSION_MARKED, True),
        (Event.SESSION_MARKED, False),
    ]
