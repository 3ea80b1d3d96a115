"""The chat's REST side: conversation lists, history, posting without a socket, moderation queues."""

import pytest
from rest_framework.test import APIClient

from chat.models import AccessRecord, Message, Report
from chat.services import message_post

pytestmark = pytest.mark.django_db


def post(api, who, conversation, client_id, body):
    return api(who).post(
        f"/api/conversations/{conversation.pk}/messages/", {"client_id": client_id, "body": body}, format="json"
    )


def test_members_and_coordinators_list_the_conversations_they_may_see(
    api, conversation, alice, bob, carol, victor, dave
):
    for who in (alice, bob, carol):
        assert [c["id"] for c in api(who).get("/api/conversations/").json()["results"]] == [conversation.pk]
    for who in (victor, dave):
        assert api(who).get("/api/conversations/").json()["results"] == []
        assert api(who).get(f"/api/conversations/{conversation.pk}/").status_code == 404
    assert APIClient().get("/api/conversations/").status_code == 401


def test_an_approval_opens_a_conversation_that_tells_both_members_coordinators_can_read_it(api, conversation, bob):
    history = api(bob).get(f"/api/conversations/{conversation.pk}/messages/").json()["results"]
    assert history[-1]["kind"] == "notice"
    assert "Coordinators" in history[-1]["body"]


def test_history_is_newest_first_with_a_cursor_and_a_fixed_number_of_queries(
    api, conversation, alice, settings, django_assert_max_num_queries
):
    settings.CHAT_RATE_LIMIT = (1000, 10)
    for index in range(60):
        message_post(conversation=conversation, sender=alice.user, client_id=f"h-{index}", body=f"message {index}")
    with django_assert_max_num_queries(8):
        first = api(alice).get(f"/api/conversations/{conversation.pk}/messages/?page_size=25").json()
    assert [m["body"] for m in first["results"][:2]] == ["message 59", "message 58"]
    second = api(alice).get(first["next"]).json()
    assert second["results"][0]["body"] == "message 34"


def test_posting_over_rest_uses_the_same_rules_as_the_socket(api, conversation, alice):
    created = post(api, alice, conversation, "rest-1", "Hello over REST")
    assert created.status_code == 201
    again = post(api, alice, conversation, "rest-1", "Hello over REST")
    assert again.status_code == 200
    assert again.json()["id"] == created.json()["id"]
    assert Message.objects.filter(client_id="rest-1").count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"client_id": "x", "body": ""}, "body"),
        ({"client_id": "x", "body": "x" * 4001}, "body"),
        ({"client_id": "", "body": "hi"}, "client_id"),
        ({"body": "hi"}, "client_id"),
    ],
)
def test_bad_posts_are_refused_with_a_field_message_and_store_nothing(api, conversation, alice, payload, field):
    response = api(alice).post(f"/api/conversations/{conversation.pk}/messages/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Message.objects.filter(sender=alice.user).exists()


def test_strangers_cannot_post_or_read(api, conversation, victor, dave):
    assert post(api, victor, conversation, "s-1", "hi").status_code == 404
    assert post(api, dave, conversation, "s-1", "hi").status_code == 404
    assert api(victor).get(f"/api/conversations/{conversation.pk}/messages/").status_code == 404


def test_a_coordinators_reading_is_recorded_every_time(api, conversation, carol, alice):
    api(carol).get(f"/api/conversations/{conversation.pk}/")
    api(carol).get(f"/api/conversations/{conversation.pk}/messages/")
    api(alice).get(f"/api/conversations/{conversation.pk}/messages/")
    assert AccessRecord.objects.filter(conversation=conversation, coordinator=carol.pk).count() == 2
    assert AccessRecord.objects.count() == 2


def test_a_coordinator_pauses_and_reopens_and_may_still_write_while_paused(api, conversation, carol, alice, bob):
    assert (
        api(alice).post(f"/api/conversations/{conversation.pk}/pause/", {"paused": True}, format="json").status_code
        == 403
    )
    assert (
        api(carol).post(f"/api/conversations/{conversation.pk}/pause/", {"paused": True}, format="json").json()["state"]
        == "paused"
    )
    refused = post(api, bob, conversation, "p-1", "hello?")
    assert refused.status_code in (400, 403)
    assert post(api, carol, conversation, "c-1", "Let's keep this respectful.").status_code == 201
    assert (
        api(carol)
        .post(f"/api/conversations/{conversation.pk}/pause/", {"paused": False}, format="json")
        .json()["state"]
        == "open"
    )
    assert post(api, bob, conversation, "p-2", "thanks").status_code == 201


def test_bad_pause_input_is_refused(api, conversation, carol):
    response = api(carol).post(f"/api/conversations/{conversation.pk}/pause/", {"paused": "maybe"}, format="json")
    assert response.status_code == 400
    assert "paused" in response.json()


def test_held_messages_wait_in_the_coordinators_queue_and_are_released_or_rejected(
    api, minor_conversation, alice, carol, dave, mia
):
    held = post(api, alice, minor_conversation, "h-1", "write to me at alice@example.org")
    assert held.status_code == 202
    other = post(api, alice, minor_conversation, "h-2", "my number is +34 612 345 678")
    queue = api(carol).get("/api/messages/held/").json()["results"]
    assert {m["id"] for m in queue} == {held.json()["id"], other.json()["id"]}
    assert api(dave).get("/api/messages/held/").json()["results"] == []
    assert api(mia).get("/api/messages/held/").status_code == 403
    # the minor does not see held messages in the history
    history = api(mia).get(f"/api/conversations/{minor_conversation.pk}/messages/").json()["results"]
    bodies = [m["body"] for m in history]
    assert not any("alice@example.org" in body for body in bodies)
    assert api(alice).post(f"/api/messages/{held.json()['id']}/release/").status_code == 403
    assert api(dave).post(f"/api/messages/{held.json()['id']}/release/").status_code == 404
    assert api(carol).post(f"/api/messages/{held.json()['id']}/release/").json()["status"] == "visible"
    assert api(carol).post(f"/api/messages/{other.json()['id']}/reject/").json()["status"] == "rejected"
    assert api(carol).post(f"/api/messages/{other.json()['id']}/release/").status_code == 400
    assert api(carol).get("/api/messages/held/").json()["results"] == []


def test_only_the_sender_withdraws_and_the_text_stays_for_coordinators(api, conversation, alice, bob, carol):
    message = post(api, alice, conversation, "w-1", "oops").json()
    assert api(bob).post(f"/api/messages/{message['id']}/withdraw/").status_code == 403
    assert api(alice).post(f"/api/messages/{message['id']}/withdraw/").json()["status"] == "withdrawn"
    assert Message.objects.get(pk=message["id"]).body == "oops"
    history = api(bob).get(f"/api/conversations/{conversation.pk}/messages/").json()["results"]
    assert message["id"] not in [m["id"] for m in history]


def test_members_report_messages_and_coordinators_resolve_reports(api, conversation, alice, bob, carol, dave):
    message = post(api, alice, conversation, "r-1", "something unkind").json()
    response = api(bob).post(f"/api/messages/{message['id']}/report/", {"reason": "unkind"}, format="json")
    assert response.status_code == 201
    assert api(bob).post(f"/api/messages/{message['id']}/report/", {"reason": ""}, format="json").status_code == 400
    assert Report.objects.count() == 1
    reports = api(carol).get("/api/reports/").json()["results"]
    assert reports[0]["message"]["body"] == "something unkind"
    assert api(dave).get("/api/reports/").json()["results"] == []
    assert api(bob).get("/api/reports/").status_code == 403
    resolved = api(carol).post(
        f"/api/reports/{reports[0]['id']}/resolve/", {"resolution": "talked to Alice"}, format="json"
    )
    assert resolved.json()["status"] == "resolved"
    assert (
        api(dave).post(f"/api/reports/{reports[0]['id']}/resolve/", {"resolution": "x"}, format="json").status_code
        == 404
    )


def test_ending_the_pairing_makes_the_conversation_read_only(api, conversation, alice, carol):
    api(carol).post(
        f"/api/pairings/{conversation.pairing_id}/end/", {"kind": "completed", "reason": "done"}, format="json"
    )
    assert api(alice).get(f"/api/conversations/{conversation.pk}/").json()["state"] == "read_only"
    assert post(api, alice, conversation, "late", "one more thing").status_code in (400, 403)
    assert api(alice).get(f"/api/conversations/{conversation.pk}/messages/").status_code == 200


def test_a_member_exports_what_they_wrote_and_erasure_keeps_a_reported_message(api, conversation, alice, bob):
    from chat.models import Conversation
    from tests.conftest import PASSWORD

    message = post(api, bob, conversation, "e-1", "thank you").json()
    api(alice).post(f"/api/messages/{message['id']}/report/", {"reason": "test"}, format="json")
    exported = api(bob).get("/api/me/export/").json()["chat"]
    assert exported["messages"][0]["body"] == "thank you"
    assert api(bob).post("/api/me/erase/", {"password": PASSWORD}, format="json").status_code == 204
    # the reported message is safeguarding evidence: it stays, with the conversation, for the retention period
    assert Message.objects.filter(pk=message["id"], body="thank you").exists()
    assert Conversation.objects.filter(pk=conversation.pk).exists()
