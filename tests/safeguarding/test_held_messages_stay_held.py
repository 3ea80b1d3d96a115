"""A held body reaches no one but its sender and the coordinators: not through reports, history, sync,
export, withdraw/release answers, nor through a status code that tells a member it exists."""

import json

import pytest

from chat.models import Message, MessageStatus
from chat.services import message_post
from tests.chat.conftest import connect

pytestmark = pytest.mark.django_db

CONTACT = "call me on 0044 7700 900123"


@pytest.fixture
def held(minor_conversation, alice):
    posted = message_post(conversation=minor_conversation, sender=alice.user, client_id="c1", body=CONTACT)
    assert posted.message.status == MessageStatus.HELD
    return posted.message


@pytest.fixture
def visible(minor_conversation, alice):
    return message_post(conversation=minor_conversation, sender=alice.user, client_id="c2", body="Hello Mia").message


def test_a_member_cannot_report_a_held_message_and_gets_the_same_answer_as_for_none(api, held, mia):
    held_answer = api(mia).post(f"/api/messages/{held.pk}/report/", {"reason": "what is this"})
    missing_answer = api(mia).post("/api/messages/999999/report/", {"reason": "what is this"})
    assert held_answer.status_code == missing_answer.status_code == 404
    assert held_answer.json() == missing_answer.json()
    assert CONTACT not in held_answer.content.decode()
    assert not held.reports.exists()


def test_a_report_answer_to_a_member_carries_no_message_body(api, visible, mia):
    response = api(mia).post(f"/api/messages/{visible.pk}/report/", {"reason": "rude"})
    assert response.status_code == 201
    assert "Hello Mia" not in response.content.decode()
    assert response.json()["message"] == visible.pk


def test_withdrawn_and_rejected_messages_answer_404_to_members_like_missing_ones(api, held, visible, alice, mia, carol):
    from chat.services import message_review, message_withdraw

    message_review(message=held, by=carol, release=False)
    message_withdraw(message=visible, by=alice.user)
    for message in (held, visible):
        response = api(mia).post(f"/api/messages/{message.pk}/report/", {"reason": "x"})
        assert response.status_code == 404


def test_the_sender_and_coordinators_see_the_held_message(api, held, alice, carol):
    assert CONTACT in api(alice).post(f"/api/messages/{held.pk}/withdraw/").content.decode()
    queue = api(carol).get("/api/messages/held/")
    assert queue.status_code == 200


def test_history_and_export_of_the_partner_hold_no_held_body(api, held, mia, minor_conversation):
    history = api(mia).get(f"/api/conversations/{minor_conversation.pk}/messages/")
    assert history.status_code == 200
    assert CONTACT not in history.content.decode()
    export = api(mia).get("/api/me/export/")
    assert CONTACT not in export.content.decode()


@pytest.mark.django_db(transaction=True)
async def test_sync_and_socket_report_reveal_nothing_of_a_held_message(vocabulary, org_a, carol):
    from channels.db import database_sync_to_async
    from django.utils import timezone

    from mentees.services import consent_record
    from tests.chat.conftest import approved_conversation
    from tests.conftest import make_mentee, make_volunteer, vet

    def setup():
        volunteer = make_volunteer(org_a, "v@example.org", "Vol")
        minor = make_mentee(org_a, "m@example.org", "Min", birth_year=timezone.localdate().year - 16)
        consent_record(
            mentee=minor, guardian_name="Amal", given_on=timezone.localdate(), method="signed_form", recorded_by=carol
        )
        vet(volunteer, carol)
        conversation = approved_conversation(org_a, volunteer, minor, carol)
        message = message_post(conversation=conversation, sender=volunteer.user, client_id="c1", body=CONTACT).message
        return conversation, minor, message

    conversation, minor, message = await database_sync_to_async(setup)()
    socket = await connect(conversation.pk, minor)
    await socket.send_to(text_data=json.dumps({"type": "sync", "after": 0}))
    frames = []
    while not await socket.receive_nothing(timeout=0.3):
        frames.append(await socket.receive_from())
    assert all(CONTACT not in frame for frame in frames)
    await socket.send_to(text_data=json.dumps({"type": "report", "message_id": message.pk, "reason": "x"}))
    held_reply = json.loads(await socket.receive_from())
    await socket.send_to(text_data=json.dumps({"type": "report", "message_id": 10**9, "reason": "x"}))
    missing_reply = json.loads(await socket.receive_from())
    assert held_reply == missing_reply
    assert held_reply["type"] == "error"
    assert not await database_sync_to_async(lambda: Message.objects.get(pk=message.pk).reports.exists())()
    await socket.disconnect()
