"""Every safeguarding decision lands in one append-only log that coordinators of the organisation can list,
filter and export, and that no API, admin page or erasure can rewrite."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from chat.services import (
    access_record,
    conversation_pause,
    message_post,
    message_report,
    message_review,
    report_resolve,
)
from mentees.services import consent_record, consent_withdraw
from safeguarding.models import Action, AppendOnly, Entry
from scheduling.models import Pairing
from scheduling.services.pairings import pairing_approve, pairing_end, pairing_reject
from tests.conftest import vet
from volunteers.models import VettingStatus
from volunteers.services import vetting_record

pytestmark = pytest.mark.django_db


def actions(**filters):
    return list(Entry.objects.filter(**filters).order_by("id").values_list("action", flat=True))


def test_vetting_consent_and_pairing_decisions_are_logged_with_who_and_why(org_a, alice, mia, bob, carol):
    vet(alice, carol)
    consent_record(
        mentee=mia, guardian_name="Amal", given_on=timezone.localdate(), method="signed_form", recorded_by=carol
    )
    proposal = Pairing.objects.create(organisation=org_a, volunteer=alice, mentee=mia)
    other = Pairing.objects.create(organisation=org_a, volunteer=alice, mentee=bob)
    pairing_approve(pairing_id=proposal.pk, by=carol)
    pairing_reject(pairing_id=other.pk, by=carol, reason="different city")
    vetting_record(
        volunteer=alice,
        status=VettingStatus.REJECTED,
        checked_on=timezone.localdate(),
        expires_on=None,
        recorded_by=carol,
    )
    vet(alice, carol)
    consent_withdraw(mentee=mia, by=carol, reason="guardian called")
    pairing_end(pairing_id=proposal.pk, by=carol, kind="cancelled", reason="moved away")

    assert actions() == [
        Action.VETTING_RECORDED,
        Action.CONSENT_RECORDED,
        Action.PAIRING_APPROVED,
        Action.PAIRING_REJECTED,
        Action.VETTING_REJECTED,
        Action.PAIRING_SUSPENDED,
        Action.VETTING_RECORDED,
        Action.PAIRING_RESUMED,
        Action.CONSENT_WITHDRAWN,
        Action.PAIRING_SUSPENDED,
        Action.PAIRING_ENDED,
    ]
    rejected = Entry.objects.get(action=Action.PAIRING_REJECTED)
    assert (rejected.actor_id, rejected.subject_id, rejected.reason) == (carol.pk, bob.user_id, "different city")
    assert rejected.organisation_id == org_a.pk
    assert rejected.object_id == other.pk
    assert Entry.objects.get(action=Action.CONSENT_WITHDRAWN).reason == "guardian called"


def test_chat_moderation_is_logged(minor_conversation, alice, mia, carol):
    held = message_post(
        conversation=minor_conversation, sender=alice.user, client_id="c1", body="my number is 0044 7700 900123"
    ).message
    shown = message_review(message=held, by=carol, release=True)  # the message the conversation shows now
    report = message_report(message=shown, reporter=mia.user, reason="contact")
    report_resolve(report=report, by=carol, resolution="talked to the volunteer")
    conversation_pause(conversation=minor_conversation, by=carol, paused=True, reason="checking")
    conversation_pause(conversation=minor_conversation, by=carol, paused=False)
    access_record(conversation=minor_conversation, user=carol, via="api")
    assert actions(action__in=[a for a in Action if a.startswith(("message", "report", "conversation"))]) == [
        Action.MESSAGE_HELD,
        Action.MESSAGE_RELEASED,
        Action.REPORT_FILED,
        Action.REPORT_CLOSED,
        Action.CONVERSATION_PAUSED,
        Action.CONVERSATION_RESUMED,
        Action.CONVERSATION_READ,
    ]
    # the log holds no message body
    assert "0044" not in str(list(Entry.objects.values_list("reason", "detail")))


def test_entries_cannot_be_changed_or_deleted_through_the_orm(conversation):
    entry = Entry.objects.first()
    entry.reason = "rewritten"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        Entry.objects.all().update(reason="rewritten")
    with pytest.raises(AppendOnly):
        Entry.objects.all().delete()


def test_the_database_refuses_to_update_an_entry(conversation):
    entry = Entry.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute("UPDATE safeguarding_entry SET reason = 'x' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.reason != "x"


@pytest.mark.postgres
def test_postgresql_refuses_to_delete_an_entry(conversation):
    entry = Entry.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM safeguarding_entry WHERE id = %s", [entry.pk])
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_coordinators_list_and_filter_their_organisations_log(api, conversation, carol, dave, bob):
    response = api(carol).get("/api/safeguarding-log/", {"action": "pairing_approved"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["action"] for row in rows] == ["pairing_approved"]
    assert rows[0]["actor"]["id"] == carol.pk
    assert rows[0]["subject"]["id"] == bob.user_id
    assert api(carol).get("/api/safeguarding-log/", {"subject": bob.user_id}).json()["count"] >= 1
    # another organisation's coordinator sees nothing of it
    assert api(dave).get("/api/safeguarding-log/").json()["count"] == 0
    entry_id = rows[0]["id"]
    assert api(dave).get(f"/api/safeguarding-log/{entry_id}/").status_code == 404


def test_members_and_strangers_may_not_read_the_log(api, conversation, alice, bob):
    assert api(alice).get("/api/safeguarding-log/").status_code == 403
    assert api(bob).get("/api/safeguarding-log/export/").status_code == 403
    assert api(None).get("/api/safeguarding-log/").status_code == 401


def test_bad_filters_answer_400(api, carol):
    response = api(carol).get("/api/safeguarding-log/", {"action": "nonsense", "since": "yesterday"})
    assert response.status_code == 400
    assert {"action", "since"} <= set(response.json())


def test_no_write_method_exists(api, conversation, carol):
    entry_id = Entry.objects.first().pk
    assert api(carol).post("/api/safeguarding-log/", {"action": "pairing_approved"}).status_code == 405
    assert api(carol).patch(f"/api/safeguarding-log/{entry_id}/", {"reason": "x"}).status_code == 405
    assert api(carol).delete(f"/api/safeguarding-log/{entry_id}/").status_code == 405


def test_the_log_exports_as_csv(api, conversation, carol, dave):
    pairing_reject_reason = '=HYPERLINK("http://evil")'
    other = Pairing.objects.create(
        organisation=conversation.organisation,
        volunteer=conversation.pairing.volunteer,
        mentee=conversation.pairing.mentee,
    )
    pairing_reject(pairing_id=other.pk, by=carol, reason=pairing_reject_reason)
    response = api(carol).get("/api/safeguarding-log/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("id,at,action")
    assert any("pairing_approved" in line for line in lines)
    assert "'=HYPERLINK" in text  # a formula typed into a reason is not run by a spreadsheet
    assert (
        b"".join(api(dave).get("/api/safeguarding-log/export/").streaming_content)
        .decode("utf-8-sig")
        .strip()
        .count("\n")
        == 0
    )


def test_the_admin_cannot_add_change_or_delete_entries(conversation, admin_client):
    entry_id = Entry.objects.first().pk
    assert admin_client.get("/admin/safeguarding/entry/").status_code == 200
    assert admin_client.get("/admin/safeguarding/entry/add/").status_code == 403
    assert admin_client.post(f"/admin/safeguarding/entry/{entry_id}/delete/", {"post": "yes"}).status_code == 403
    assert Entry.objects.filter(pk=entry_id).exists()


def test_each_proposal_of_a_match_run_is_logged(org_a, carol, alice, bob):
    from tests.scheduling.test_match_runs import ready, run

    ready(alice)
    ready(bob)
    result = run(org_a, carol)
    proposal = Pairing.objects.get(match_run=result)
    entry = Entry.objects.get(action=Action.PAIRING_PROPOSED)
    assert (entry.object_id, entry.subject_id, entry.actor_id) == (proposal.pk, bob.user_id, carol.pk)
    assert (entry.object_type, entry.detail["match_run"]) == ("pairing", result.pk)
    assert entry.at >= result.created_at
